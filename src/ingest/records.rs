//! The inspections table, checked and aggregated into one [`Finding`] per
//! unit and issue: the summed count for scoring, the record ids in file
//! order for the breakdown.
//!
//! Each distinct cell of the unit, issue, count and date columns is resolved
//! once (polars finds the distinct values); the rows are walked only when
//! one of those is wrong, to report the problem at every row it occurs in.
//! Each record then gets its unit and issue as one integer key from those
//! resolved cells, a lazy polars query groups the records per key, and each
//! group's counts are summed exactly (Decimal) as its finding is built.

use super::coded::{Distinct, Lookup};
use super::resolve::Context;
use super::table::Table;
use super::values;
use super::{FastMap, FastSet, Finding};
use crate::error::Diagnostic;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::hash::BuildHasher;

/// The inspection columns the aggregation reads.
const COLUMNS: [&str; 5] = ["unit", "issue", "count", "date", "id"];

impl Context<'_> {
    /// Inspection records, checked and aggregated per unit and issue (see
    /// [`Context::aggregate_records`]) while the other core checks record
    /// ids for duplicates. Problems are reported at every row they occur
    /// in, in row order.
    pub(super) fn inspections(&self, mut t: Table) -> Aggregated {
        let start = std::time::Instant::now();
        // The table keeps only the ids (for duplicates) and the notes; the
        // aggregation frees the other columns once it has keyed the records.
        let frame = t.take_frame(&COLUMNS, &["id", "note"]);
        let t = &t;
        let (duplicates, aggregated) = rayon::join(
            || duplicate_ids(t),
            || frame.and_then(|frame| self.aggregate_records(t, frame)),
        );
        let mut aggregated = aggregated.unwrap_or_else(|e| Aggregated::failed(t, e));
        aggregated.problems.extend(duplicates);
        // Stable: a row's own problems stay in column order.
        aggregated.problems.sort_by_key(|(row, _)| *row);
        crate::assess::timing("ingest: resolve inspections", start);
        aggregated
    }

    /// Resolves each distinct cell of `frame` (the table's [`COLUMNS`]) once;
    /// walks the rows for their problems and warnings only when some cell is
    /// wrong; groups the records into findings when none is.
    fn aggregate_records(&self, t: &Table, frame: DataFrame) -> PolarsResult<Aggregated> {
        let distinct = Distinct::of(&frame)?;
        let resolved = self.resolve_distinct(&distinct)?;
        let mut out = Aggregated::default();
        if !resolved.all_good() {
            row_diagnostics(t, &frame, &resolved, &mut out)?;
        }
        if out.problems.is_empty() {
            out.findings = self.findings(t, frame, &resolved, &mut out)?;
        }
        Ok(out)
    }

    /// What each distinct unit, issue, count and date cell stands for.
    fn resolve_distinct<'a>(&self, d: &'a Distinct) -> PolarsResult<Resolved<'a>> {
        let issue_codes: FastMap<&str, u32> = self
            .system
            .issues
            .iter()
            .enumerate()
            .map(|(i, x)| (x.code.as_str(), i as u32))
            .collect();
        let mut count_values = vec![(Decimal::ONE, None)];
        Ok(Resolved {
            cells: d,
            units: Lookup::new_parallel(&d.unit, |cell| self.resolve_unit(cell).map(|u| u as u32)),
            issues: Lookup::new(&d.issue, |cell| match cell {
                None => Err(
                    crate::tr!("为空；应填问题代码", "empty; expected an issue code").to_string(),
                ),
                Some(code) => issue_codes
                    .get(code)
                    .copied()
                    .ok_or_else(|| self.unknown_issue(code)),
            }),
            counts: Lookup::new(&d.count, |cell| count_index(cell, &mut count_values)),
            dates: Lookup::new(&d.date, |cell| match (cell, self.periods.current) {
                (None, None) => DateCheck::InYear(None),
                (None, Some(p)) => DateCheck::Unreadable(crate::tr!(
                    "为空；按考核期（{}）计分时，每条检查记录都要有检查日期",
                    "empty; a period run ({}) needs every record's date",
                    p.id
                )),
                (Some(text), _) => self.check_date(text),
            }),
            count_values,
        })
    }

    /// The findings: each record's unit and issue become one integer key
    /// (looked up among the resolved distinct cells), the records are
    /// sorted by it (a group's records in row order) and each group becomes
    /// a finding.
    fn findings(
        &self,
        t: &Table,
        frame: DataFrame,
        r: &Resolved,
        out: &mut Aggregated,
    ) -> PolarsResult<Vec<Finding>> {
        let issues = self.system.issues.len() as u64;
        let mut keyed = keyed_records(&frame, r, issues)?;
        drop(frame);
        if let Some(appeals) = self.appeals {
            out.appeal_problems =
                super::appeals::check_against_records(appeals, &keyed, issues, &self.matcher)?;
        }
        if let Some(p) = self.periods.current {
            let (kept, left_out) = super::periods::records_in(keyed, p)?;
            (keyed, out.left_out) = (kept, left_out);
        }
        if let Some(appeals) = self.appeals {
            out.appeals = Some(super::appeals::count_decisions(appeals, &keyed)?);
        }
        // Grouped by a stable sort on the key: a group's records stay in
        // row order (polars' lazy group_by + sort + explode did the same,
        // at twice the time, and its `lazy` feature cost minutes of build).
        let mut records = keyed_list(&keyed, issues)?;
        records.par_sort_by_key(|k| (k.unit, k.issue));
        // Every finding keeps its records' distinct notes: the breakdown's
        // penalty rows and the feedback to units show them.
        let notes = t.column("note");
        // chunk_by yields no empty runs; rayon keeps their order.
        let findings = records
            .par_chunk_by_mut(|a, b| (a.unit, a.issue) == (b.unit, b.issue))
            .map(|run| self.finding(run, &r.count_values, notes.as_deref()))
            .collect();
        Ok(findings)
    }

    /// One unit's finding of one issue from its records (one run of the
    /// grouped records, not empty).
    fn finding(
        &self,
        run: &mut [Keyed],
        count_values: &[(Decimal, Option<&str>)],
        notes: Option<&[Option<&str>]>,
    ) -> Finding {
        // A group lists its records in row order; made sure of, cheaply.
        if !run.is_sorted_by_key(|k| k.row) {
            run.sort_by_key(|k| k.row);
        }
        let (unit, issue) = (run[0].unit as usize, run[0].issue as usize);
        let mut finding = Finding {
            unit,
            issue,
            count: Decimal::ZERO,
            records: 0,
            ids: String::with_capacity(run.len() * 12),
            notes: String::new(),
            dates: None,
            appealed: 0,
        };
        let days = run.iter().map(|k| k.day).filter(|&d| d > 0);
        if let (Some(first), Some(last)) = (days.clone().min(), days.max()) {
            let date = |d: u32| NaiveDate::from_num_days_from_ce_opt(d as i32);
            finding.dates = date(first).zip(date(last));
        }
        for k in run.iter() {
            let (count, text) = count_values
                .get(k.count as usize)
                .copied()
                .unwrap_or((Decimal::ONE, None));
            let appeal = k.id.zip(self.appeals).and_then(|(id, a)| a.get(id));
            finding.add_record(k.id, k.row as usize, (count, text), appeal);
        }
        if let Some(notes) = notes {
            finding.notes = distinct_notes(
                run.iter()
                    .map(|k| notes.get(k.row as usize).copied().flatten()),
            );
        }
        finding
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
    fn check_date(&self, text: &str) -> DateCheck {
        let year = self.system.year;
        match values::parse_date(text) {
            Err(msg) => DateCheck::Unreadable(msg),
            Ok(d) if d.year() != year && d.year() != year + 1 => DateCheck::Outside(
                crate::tr!(
"检查日期 {d} 不在考核年度 {year} 及次年（现场检查）内",
"dated {d}, outside the assessment year {year} and the year after (its on-site checks)"
                ),
                d,
            ),
            Ok(d) => DateCheck::InYear(Some(d)),
        }
    }
}

/// The problems and warnings of every row, in row order: each cell's
/// outcome looked up among the resolved distinct cells.
fn row_diagnostics(
    t: &Table,
    frame: &DataFrame,
    r: &Resolved,
    out: &mut Aggregated,
) -> PolarsResult<()> {
    let units = frame.column("unit")?.str()?;
    let issues = frame.column("issue")?.str()?;
    for (j, (row, outcomes, date)) in resolved_rows(frame, r)?.enumerate() {
        let i = row as usize;
        // What the row is about (its unit and issue), besides the column at fault.
        let about = |column: &str| {
            let words: Vec<String> = [("unit", units.get(j)), ("issue", issues.get(j))]
                .into_iter()
                .filter(|(c, _)| *c != column)
                .filter_map(|(c, v)| {
                    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
                    Some(super::table::subject(c, v))
                })
                .collect();
            crate::lang::list(&words)
        };
        for (column, outcome) in ["unit", "issue", "count"].into_iter().zip(outcomes) {
            if let Err(msg) = outcome {
                let d = t.error(i, column, msg.clone()).about(about(column));
                out.problems.push((row, d));
            }
        }
        match r.dates.get(date) {
            DateCheck::InYear(_) => {}
            DateCheck::Outside(msg, _) => out.warnings.push(
                t.error(i, "date", msg.clone())
                    .about(about("date"))
                    .to_string(),
            ),
            DateCheck::Unreadable(msg) => out
                .problems
                .push((row, t.error(i, "date", msg.clone()).about(about("date")))),
        }
    }
    Ok(())
}

/// A record's row, what its unit, issue and count cells stand for, and its
/// date cell's code.
type ResolvedRow<'a> = (u32, [&'a Result<u32, String>; 3], u32);

/// Each row of `frame`, its cells' outcomes by their codes.
fn resolved_rows<'a>(
    frame: &'a DataFrame,
    r: &'a Resolved,
) -> PolarsResult<impl Iterator<Item = ResolvedRow<'a>>> {
    let c = r.cells;
    let rows = frame
        .column("row")?
        .u32()?
        .into_no_null_iter()
        .zip(&c.unit.codes)
        .zip(&c.issue.codes)
        .zip(&c.count.codes)
        .zip(&c.date.codes);
    Ok(rows.map(|((((row, &unit), &issue), &count), &date)| {
        let outcomes = [r.units.get(unit), r.issues.get(issue), r.counts.get(count)];
        (row, outcomes, date)
    }))
}

/// Each record's row, its unit and issue as one key (`unit * issues +
/// issue`: polars groups and sorts one integer column faster than two,
/// which it row-encodes), the number of its 数量 and its id. Only called
/// when every unit, issue and count cell resolved.
fn keyed_records(frame: &DataFrame, r: &Resolved, issues: u64) -> PolarsResult<DataFrame> {
    let mut keys = Vec::with_capacity(frame.height());
    let mut count_keys = Vec::with_capacity(frame.height());
    let mut days = Vec::with_capacity(frame.height());
    for (_, [unit, issue, count], date) in resolved_rows(frame, r)? {
        let (Ok(unit), Ok(issue), Ok(count)) = (unit, issue, count) else {
            polars_bail!(ComputeError: "an inspection record with a wrong unit, issue or count after the checks");
        };
        keys.push(u64::from(*unit) * issues + u64::from(*issue));
        count_keys.push(*count);
        let day = match r.dates.get(date) {
            DateCheck::InYear(Some(d)) | DateCheck::Outside(_, d) => day_number(*d),
            _ => 0,
        };
        days.push(day);
    }
    DataFrame::new(
        frame.height(),
        vec![
            frame.column("row")?.clone(),
            Column::new("finding_key".into(), keys),
            Column::new("count_key".into(), count_keys),
            frame.column("id")?.clone(),
            Column::new("day".into(), days),
        ],
    )
}

/// A date as a day number (1 = 0001-01-01); 0 is "no date".
pub(super) fn day_number(d: NaiveDate) -> u32 {
    u32::try_from(d.num_days_from_ce()).unwrap_or(0)
}

/// The keyed records, in row order.
fn keyed_list(grouped: &DataFrame, issues: u64) -> PolarsResult<Vec<Keyed<'_>>> {
    let u32s = |name: &str| grouped.column(name).and_then(|c| c.u32());
    let rows = grouped
        .column("finding_key")?
        .u64()?
        .into_iter()
        .zip(u32s("row")?)
        .zip(u32s("count_key")?)
        .zip(grouped.column("id")?.str()?)
        .zip(u32s("day")?);
    let mut records = Vec::with_capacity(grouped.height());
    for ((((key, row), count), id), day) in rows {
        let (Some(key), Some(row), Some(count)) = (key, row, count) else {
            polars_bail!(ComputeError: "an inspection record without its key, row or count after the checks");
        };
        records.push(Keyed {
            unit: (key / issues) as u32,
            issue: (key % issues) as u32,
            row,
            count,
            id: id.map(str::trim).filter(|s| !s.is_empty()),
            day: day.unwrap_or(0),
        });
    }
    Ok(records)
}

/// What each distinct cell of the inspection columns stands for.
struct Resolved<'a> {
    /// The coded columns.
    cells: &'a Distinct,
    units: Lookup<Result<u32, String>>,
    issues: Lookup<Result<u32, String>>,
    /// Numbers into `count_values`.
    counts: Lookup<Result<u32, String>>,
    dates: Lookup<DateCheck>,
    /// The value and text of each numbered 数量; 0 is the empty cell (1).
    count_values: Vec<(Decimal, Option<&'a str>)>,
}

impl Resolved<'_> {
    /// No cell in use is wrong and no date is outside the year: nothing to
    /// report row by row.
    fn all_good(&self) -> bool {
        self.units.in_use().all(Result::is_ok)
            && self.issues.in_use().all(Result::is_ok)
            && self.counts.in_use().all(Result::is_ok)
            && self
                .dates
                .in_use()
                .all(|d| matches!(d, DateCheck::InYear(_)))
    }
}

/// The number of a 数量 cell among `values`, or why it is not a count.
fn count_index<'a>(
    cell: Option<&'a str>,
    values: &mut Vec<(Decimal, Option<&'a str>)>,
) -> Result<u32, String> {
    let Some(text) = cell else {
        return Ok(0);
    };
    match values::parse_decimal(text) {
        Ok(c) if c < Decimal::ZERO => Err(crate::tr!(
            "{c} 为负数；数量应不小于 0",
            "{c} is negative; expected a count >= 0"
        )),
        Ok(c) => {
            values.push((c, Some(text)));
            Ok(values.len() as u32 - 1)
        }
        Err(e) => Err(e),
    }
}

/// A grouped inspection record: `count` numbers its 数量 in
/// [`Resolved::count_values`].
struct Keyed<'a> {
    unit: u32,
    issue: u32,
    row: u32,
    count: u32,
    id: Option<&'a str>,
    /// [`day_number`] of the record's date, 0 without one.
    day: u32,
}

/// The distinct non-empty 问题描述 in order, joined.
fn distinct_notes<'t>(notes: impl Iterator<Item = Option<&'t str>>) -> String {
    let mut seen: FastSet<&str> = FastSet::default();
    let mut out: Vec<&str> = Vec::new();
    for n in notes.flatten() {
        if seen.insert(n) {
            out.push(n);
        }
    }
    out.join("；")
}

/// The inspections table aggregated: findings, and problems at their rows.
#[derive(Default)]
pub(super) struct Aggregated {
    pub(super) findings: Vec<Finding>,
    pub(super) problems: Vec<(u32, Diagnostic)>,
    pub(super) warnings: Vec<String>,
    /// Appeals that name no record, or the wrong unit (of the appeals table).
    pub(super) appeal_problems: Vec<Diagnostic>,
    /// Records dated outside the period of a period run.
    pub(super) left_out: usize,
    pub(super) appeals: Option<super::appeals::AppealCounts>,
}

impl Aggregated {
    /// A polars error while aggregating (not expected after the checks),
    /// reported against the table so the run stops with it.
    fn failed(t: &Table, e: PolarsError) -> Self {
        Aggregated {
            problems: vec![(
                0,
                Diagnostic::new(
                    &t.file,
                    "",
                    crate::tr!("无法汇总检查记录：{e}", "cannot aggregate the records: {e}"),
                ),
            )],
            ..Aggregated::default()
        }
    }
}

/// Record ids used more than once: each later use is reported at its row,
/// naming the row of the use before it. The ids are first spread over
/// partitions by a hash of their own, so that each partition's table of
/// seen ids stays in cache (one table of five million ids missed the cache
/// at every insert: 0.5-1.0 s at 5M records).
fn duplicate_ids(t: &Table) -> Vec<(u32, Diagnostic)> {
    const PARTS: usize = 256;
    let spread = foldhash::fast::FixedState::with_seed(0x05ee_d1d5);
    let mut parts: Vec<Vec<(u32, &str)>> = (0..PARTS)
        .map(|_| Vec::with_capacity(t.height() / PARTS + 16))
        .collect();
    for (i, id) in t.cells("id").enumerate() {
        if let (false, Some(id)) = (t.is_blank(i), id) {
            parts[spread.hash_one(id) as usize % PARTS].push((i as u32, id));
        }
    }
    parts
        .par_iter()
        .flat_map_iter(|part| {
            // A partition holds its ids in row order.
            let mut seen: FastMap<&str, u32> = FastMap::default();
            seen.reserve(part.len());
            part.iter()
                .filter_map(|&(i, id)| {
                    let before = seen.insert(id, i)?;
                    let msg = crate::tr!(
                        "记录编号“{id}”已在第 {} 行使用",
                        "record id \"{id}\" is already used in row {}",
                        before + 2
                    );
                    Some((i, t.error(i as usize, "id", msg)))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What a 检查日期 cell says about its record.
enum DateCheck {
    /// The date, if the cell has one.
    InYear(Option<NaiveDate>),
    /// A warning: the date lies outside the assessment year and the next.
    Outside(String, NaiveDate),
    /// An error: not a date.
    Unreadable(String),
}

impl Finding {
    /// Adds one record (at data row `row`) with its count and the 数量 cell
    /// as written: "R1", "R2×3", or "行9" for a record without an id; an
    /// appealed record counts as decided, with the decision beside it:
    /// "R2×3（复核改为1：理由）".
    fn add_record(
        &mut self,
        id: Option<&str>,
        row: usize,
        (count, count_text): (Decimal, Option<&str>),
        appeal: Option<&super::appeals::Appeal>,
    ) {
        if self.records > 0 {
            self.ids.push('、');
        }
        match id {
            Some(id) => self.ids.push_str(id),
            None => {
                let _ = write!(self.ids, "行{}", row + 2);
            }
        }
        if let (false, Some(text)) = (count == Decimal::ONE, count_text) {
            self.ids.push('×');
            self.ids.push_str(text);
        }
        self.records += 1;
        match appeal {
            Some(a) => {
                self.ids.push_str(&a.note());
                self.count += a.count(count);
                self.appealed += 1;
            }
            None => self.count += count,
        }
    }
}
