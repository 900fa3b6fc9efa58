//! The inspections table, checked and aggregated into one [`Finding`] per
//! unit and issue: the summed count for scoring, the record ids in file
//! order for the breakdown.
//!
//! The table comes in batches ([`super::batches`]), each folded in before
//! the next (which is read meanwhile on the other core), so that memory
//! holds a batch and the findings, never the records. In a batch each
//! distinct unit, issue, count, date and note cell not met before is
//! resolved once ([`Coded`]); each row is then checked by looking its
//! cells' outcomes up, reported at its row when something is wrong, and
//! otherwise folded into its finding ([`Findings`]).

use super::appeals::AppealsSeen;
use super::batches::Batches;
use super::coded::Coded;
use super::fold::{Good, SeenIds, Shard};
use super::resolve::Context;
use super::table::Table;
use super::values;
use super::{FastMap, FastSet};
use crate::error::Diagnostic;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use rayon::prelude::*;
use rust_decimal::Decimal;

/// The inspection columns the aggregation reads.
const COLUMNS: [&str; 6] = ["unit", "issue", "count", "date", "id", "note"];

impl Context<'_> {
    /// Inspection records, checked and aggregated per unit and issue, one
    /// batch at a time (the next one read while this one is folded in).
    /// Problems are reported at every row they occur in, in row order.
    pub(super) fn inspections(&self, mut batches: Batches) -> Aggregated {
        let start = std::time::Instant::now();
        let mut fold = Fold::new(self);
        let mut next = batches.next();
        while let Some(batch) = next {
            next = match batch {
                Ok(t) => rayon::join(|| fold.batch(&t), || batches.next()).1,
                Err(problems) => {
                    fold.stop(problems);
                    None
                }
            };
        }
        let mut out = fold.finish();
        out.sha256 = batches.sha256();
        crate::timing::timing("ingest: resolve inspections", start);
        out
    }

    /// What a distinct 单位 cell stands for.
    fn unit_outcome(&self, cell: Option<&str>) -> Outcome {
        self.resolve_unit(cell).map(|u| u as u32).map_err(Box::from)
    }

    fn unknown_issue(&self, code: &str) -> String {
        let known: Vec<&str> = self.system.issues.iter().map(|x| x.code.as_str()).collect();
        crate::tr!(
            "未知问题代码“{code}”；指标体系定义的是：{}",
            "unknown issue code \"{code}\"; the indicator system defines {}",
            known.join(", ")
        )
    }

    /// A 检查日期 read and set against the assessment year: the year's own
    /// checks and the next year's on-site checks are expected.
    fn check_date(&self, cell: Option<&str>) -> DateCheck {
        let Some(text) = cell else {
            return match self.periods.current {
                None => DateCheck::InYear(None),
                Some(p) => DateCheck::Unreadable(crate::tr!(
                    "为空；按考核期（{}）计分时，每条检查记录都要有检查日期",
                    "empty; a period run ({}) needs every record's date",
                    p.id
                )),
            };
        };
        let year = self.system.year;
        let until = self.system.records_until;
        match values::parse_date(text) {
            Err(msg) => DateCheck::Unreadable(msg),
            Ok(d) if d.year() < year || d > until => DateCheck::Unreadable(crate::tr!(
"检查日期 {d} 不在考核期 {year}-01-01 至 {until} 内；上一年或下一年的记录不计入本年度考核，请核对日期，或从本表中移出（年初的年终检查可在指标体系中用 assessment.records_until 放宽）",
"dated {d}, outside the assessment's window {year}-01-01 to {until}; a record of another year does not count this year: check the date or move the record out (year-end checks held in January: assessment.records_until)"
            )),
            Ok(d) => DateCheck::InYear(Some(d)),
        }
    }
}

/// The records folded so far, and what the fold has found wrong.
struct Fold<'c, 'a> {
    rows: Rows<'c, 'a>,
    ids: SeenIds,
}

/// Everything the fold keeps between batches except the record ids.
struct Rows<'c, 'a> {
    ctx: &'c Context<'a>,
    issue_codes: FastMap<&'a str, u32>,
    units: Coded<Outcome>,
    issues: Coded<Outcome>,
    /// Numbers into `count_values`.
    counts: Coded<Outcome>,
    dates: Coded<DateCheck>,
    notes: Coded<Option<Box<str>>>,
    /// Codes of notes that held control characters (removed), not yet
    /// warned about: each is named once, at the first row that has it.
    dirty_notes: FastSet<u32>,
    /// The value and text of each numbered 数量; 0 is the empty cell (1).
    count_values: Vec<(Decimal, Option<Box<str>>)>,
    /// The records folded in, a shard per core (each unit's in one).
    shards: Vec<Shard<'a>>,
    out: Aggregated,
}

impl<'c, 'a> Fold<'c, 'a> {
    fn new(ctx: &'c Context<'a>) -> Self {
        let issue_codes = ctx
            .system
            .issues
            .iter()
            .enumerate()
            .map(|(i, x)| (x.code.as_str(), i as u32))
            .collect();
        Fold {
            rows: Rows {
                ctx,
                issue_codes,
                units: Coded::new(ctx.unit_outcome(None)),
                issues: Coded::new(issue_outcome(ctx, &FastMap::default(), None)),
                counts: Coded::new(Ok(0)),
                dates: Coded::new(ctx.check_date(None)),
                notes: Coded::new(None),
                dirty_notes: FastSet::default(),
                count_values: vec![(Decimal::ONE, None)],
                shards: (0..rayon::current_num_threads().max(1))
                    .map(|_| Shard::new(ctx.system.issues.len(), ctx.appeals.map(AppealsSeen::new)))
                    .collect(),
                out: Aggregated::default(),
            },
            ids: SeenIds::new(),
        }
    }

    /// One batch: its record ids checked against those seen (on one core)
    /// while its rows are checked and folded in (on the other); its
    /// problems in row order, a row's own in column order.
    fn batch(&mut self, t: &Table) {
        let (used, rows) = rayon::join(|| self.ids.check(t), || self.rows.batch(t));
        let out = &mut self.rows.out;
        match rows {
            Ok(mut problems) => {
                problems.extend(used);
                problems.sort_by_key(|(row, _)| *row);
                out.problems.extend(problems.into_iter().map(|(_, d)| d));
            }
            Err(e) => out.problems.push(Aggregated::failed(t, e)),
        }
    }

    /// The table could not be read on (a problem after its first batch).
    fn stop(&mut self, problems: Vec<Diagnostic>) {
        self.rows.out.problems.extend(problems);
    }

    fn finish(self) -> Aggregated {
        // The ids seen and the cells' outcomes are freed before the
        // findings are merged (at 100,000 units, some 200 MB).
        drop(self.ids);
        let Rows {
            shards,
            notes,
            mut out,
            units,
            dates,
            ..
        } = self.rows;
        drop((units, dates));
        // The records after a wrong row were not folded in: the findings
        // and the appeals' checks are then left undone.
        if out.problems.is_empty() {
            let units = self.rows.ctx.matcher.len();
            let folded = Shard::merge(shards, units, |code| notes.get(code).as_deref());
            out.findings = folded.findings;
            out.left_out = folded.left_out;
            if let Some(seen) = folded.appeals {
                out.appeals = Some(seen.counts);
                out.appeal_problems = seen.problems();
            }
        }
        out
    }
}

impl Rows<'_, '_> {
    /// Checks a batch's rows and folds the good ones in (until some row of
    /// the table is wrong: then only the problems matter); its problems and
    /// their data rows.
    fn batch(&mut self, t: &Table) -> PolarsResult<Vec<(usize, Diagnostic)>> {
        let frame = t.frame(&COLUMNS)?;
        let text = |name: &str| frame.column(name).and_then(|c| c.str());
        let codes = self.code([
            text("unit")?,
            text("issue")?,
            text("count")?,
            text("date")?,
            text("note")?,
        ]);
        let (units, issues) = (text("unit")?, text("issue")?);
        let rows = frame.column("row")?.u32()?;
        let mut problems = Vec::new();
        let mut good = Vec::with_capacity(frame.height());
        for (j, i) in rows.into_no_null_iter().enumerate() {
            let i = i as usize;
            let [unit, issue, count, date, note] = codes.each(j);
            if !self.dirty_notes.is_empty() && self.dirty_notes.remove(&note) {
                let warning = t.error(
                    i,
                    "note",
                    crate::tr!(
                    "含控制字符（多为从 Word 粘贴带入），已在报告中去除",
                    "holds control characters (usually pasted from Word), removed in the reports"
                ),
                );
                self.out.warnings.push(warning.to_string());
            }
            let outcomes = [
                self.units.get(unit),
                self.issues.get(issue),
                self.counts.get(count),
            ];
            let date = self.dates.get(date);
            let day = match date {
                DateCheck::InYear(d) => *d,
                DateCheck::Unreadable(msg) => {
                    let about = about(units.get(j), issues.get(j), "date");
                    let problem = t.error(i, "date", msg.clone()).about(about);
                    problems.push((t.file_row(i), 3, problem));
                    None
                }
            };
            let [Ok(u), Ok(x), Ok(c)] = outcomes else {
                // Each wrong cell at its column.
                let columns = ["unit", "issue", "count"].into_iter().zip(outcomes);
                for (k, (column, outcome)) in columns.enumerate() {
                    if let Err(msg) = outcome {
                        let about = about(units.get(j), issues.get(j), column);
                        let problem = t.error(i, column, &**msg).about(about);
                        problems.push((t.file_row(i), k, problem));
                    }
                }
                continue;
            };
            good.push(Good {
                unit: *u,
                issue: *x,
                j: j as u32,
                row: t.file_row(i) as u32,
                count: *c,
                note: (*self.notes.get(note)).is_some().then_some(note),
                date: day,
            });
        }
        problems.extend(control_in_ids(t, &frame)?);
        // Once some row of the table is wrong only the problems matter.
        if self.out.problems.is_empty() && problems.is_empty() && !good.is_empty() {
            // Sized once: polars' iterator does not tell its length, and
            // growing by doubling put a sixth of a run's page faults here.
            let id_cells = frame.column("id")?.str()?;
            let mut ids: Vec<Option<&str>> = Vec::with_capacity(id_cells.len());
            ids.extend(
                id_cells
                    .iter()
                    .map(|id| id.map(str::trim).filter(|s| !s.is_empty())),
            );
            let (ctx, count_values) = (self.ctx, &self.count_values);
            let shards = self.shards.len();
            self.shards
                .par_iter_mut()
                .enumerate()
                .for_each(|(k, shard)| {
                    let mine = good.iter().filter(|g| g.unit as usize % shards == k);
                    shard.fold(mine, &ids, ctx, count_values);
                });
        }
        // A row's problems in column order.
        problems.sort_by_key(|(row, column, _)| (*row, *column));
        Ok(problems.into_iter().map(|(row, _, d)| (row, d)).collect())
    }

    /// The batch's five columns coded (on both cores), their new cells
    /// resolved.
    fn code(&mut self, [unit, issue, count, date, note]: [&StringChunked; 5]) -> Codes {
        let ctx = self.ctx;
        let (units, issues, counts, dates, notes, dirty_notes) = (
            &mut self.units,
            &mut self.issues,
            &mut self.counts,
            &mut self.dates,
            &mut self.notes,
            &mut self.dirty_notes,
        );
        let (issue_codes, count_values) = (&self.issue_codes, &mut self.count_values);
        let ((u, x), (c, (d, n))) = rayon::join(
            || {
                rayon::join(
                    || {
                        let (codes, new) = units.code(unit);
                        units.resolve_parallel(&new, |cell| ctx.unit_outcome(cell));
                        codes
                    },
                    || {
                        let (codes, new) = issues.code(issue);
                        issues.resolve(&new, |cell| issue_outcome(ctx, issue_codes, cell));
                        codes
                    },
                )
            },
            || {
                let (c, new) = counts.code(count);
                counts.resolve(&new, |cell| count_index(cell, count_values));
                let (d, new) = dates.code(date);
                dates.resolve(&new, |cell| ctx.check_date(cell));
                let (n, new) = notes.code(note);
                let mut code = notes.resolved();
                notes.resolve(&new, |cell| {
                    let note = cell.map(|c| {
                        if super::text::has_control(c) {
                            dirty_notes.insert(code);
                            super::text::without_controls(c).into_boxed_str()
                        } else {
                            Box::from(c)
                        }
                    });
                    code += 1;
                    note
                });
                (c, (d, n))
            },
        );
        Codes([u, x, c, d, n])
    }
}

/// A record id holding a control character (pasted from Word) is an error
/// at its cell: an id is what an appeal and a unit's sheet refer to.
fn control_in_ids(t: &Table, frame: &DataFrame) -> PolarsResult<Vec<(usize, usize, Diagnostic)>> {
    let ids = frame.column("id")?.str()?;
    let rows = frame.column("row")?.u32()?;
    let mut problems = Vec::new();
    for (i, id) in rows.into_no_null_iter().zip(ids.iter()) {
        let Some(id) = id.filter(|id| super::text::has_control(id)) else {
            continue;
        };
        let i = i as usize;
        let message = crate::tr!(
            "记录编号“{}”中有控制字符 {}（多为从 Word 粘贴带入）；编号只能是可见字符，请重新输入",
            "the record id \"{}\" holds the control character(s) {} (usually pasted from Word); an id must be visible characters only — type it again",
            super::text::without_controls(id),
            super::text::controls_named(id)
        );
        problems.push((t.file_row(i), 5, t.error(i, "id", message)));
    }
    Ok(problems)
}

/// The codes of a batch's unit, issue, count, date and note cells.
struct Codes([Vec<u32>; 5]);

impl Codes {
    fn each(&self, j: usize) -> [u32; 5] {
        self.0.each_ref().map(|c| c[j])
    }
}

/// What an issue cell stands for.
fn issue_outcome(ctx: &Context, codes: &FastMap<&str, u32>, cell: Option<&str>) -> Outcome {
    match cell {
        None => Err(crate::tr!("为空；应填问题代码", "empty; expected an issue code").into()),
        Some(code) => codes
            .get(code)
            .copied()
            .ok_or_else(|| ctx.unknown_issue(code).into()),
    }
}

/// What a distinct unit, issue or count cell stands for (a number), or
/// why it stands for nothing; boxed, 16 bytes a cell (a province has
/// 800,000 distinct unit cells).
type Outcome = Result<u32, Box<str>>;

/// What a row is about (its unit and issue), besides the column at fault.
fn about(unit: Option<&str>, issue: Option<&str>, column: &str) -> String {
    let words: Vec<String> = [("unit", unit), ("issue", issue)]
        .into_iter()
        .filter(|(c, _)| *c != column)
        .filter_map(|(c, v)| {
            let v = v.map(str::trim).filter(|v| !v.is_empty())?;
            Some(super::table::subject(c, v))
        })
        .collect();
    crate::lang::list(&words)
}

/// The number of a 数量 cell among `values`, or why it is not a count.
fn count_index(cell: Option<&str>, values: &mut Vec<(Decimal, Option<Box<str>>)>) -> Outcome {
    let Some(text) = cell else {
        return Ok(0);
    };
    match values::parse_decimal(text) {
        Ok(c) if c < Decimal::ZERO => Err(crate::tr!(
            "{c} 为负数；数量应不小于 0",
            "{c} is negative; expected a count >= 0"
        )
        .into()),
        Ok(c) => {
            values.push((c, Some(text.into())));
            Ok(values.len() as u32 - 1)
        }
        Err(e) => Err(e.into()),
    }
}

/// The inspections table aggregated: findings, and problems in row order.
#[derive(Default)]
pub(super) struct Aggregated {
    pub(super) findings: super::Findings,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) warnings: Vec<String>,
    /// Appeals that name no record, or the wrong unit (of the appeals table).
    pub(super) appeal_problems: Vec<Diagnostic>,
    /// Records dated outside the period of a period run.
    pub(super) left_out: usize,
    pub(super) appeals: Option<super::appeals::AppealCounts>,
    /// The SHA-256 of a file read in batches.
    pub(super) sha256: Option<String>,
}

impl Aggregated {
    /// A polars error while aggregating (not expected after the checks),
    /// reported against the table so the run stops with it.
    fn failed(t: &Table, e: PolarsError) -> Diagnostic {
        Diagnostic::new(
            &t.file,
            "",
            crate::tr!("无法汇总检查记录：{e}", "cannot aggregate the records: {e}"),
        )
    }
}

/// What a 检查日期 cell says about its record.
enum DateCheck {
    /// The date, if the cell has one.
    InYear(Option<NaiveDate>),
    /// An error: not a date, or a date outside the assessment's window.
    Unreadable(String),
}
