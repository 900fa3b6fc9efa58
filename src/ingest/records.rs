//! The inspections table, checked row by row and aggregated into one
//! [`Finding`] per unit and issue: the summed count for scoring, the record
//! ids in file order for the breakdown.

use super::resolve::Context;
use super::table::Table;
use super::values;
use super::{FastMap, Finding};
use crate::error::Diagnostic;
use chrono::Datelike;
use rust_decimal::Decimal;
use std::fmt::Write as _;

impl Context<'_> {
    /// Inspection records, checked and aggregated per unit and issue (see
    /// [`Context::aggregate_records`]) while the other core checks record
    /// ids for duplicates. Problems are reported at every row they occur
    /// in, in row order.
    pub(super) fn inspections(&self, t: &Table) -> Aggregated {
        let start = std::time::Instant::now();
        let (duplicates, mut aggregated) =
            rayon::join(|| duplicate_ids(t), || self.aggregate_records(t));
        aggregated.problems.extend(duplicates);
        // Stable: a row's own problems stay in column order.
        aggregated.problems.sort_by_key(|(row, _)| *row);
        crate::assess::timing("ingest: resolve inspections", start);
        aggregated
    }

    /// One pass in row order checks every row (each distinct unit name,
    /// issue code, count and date resolved once, cached) and keys each good
    /// record by (unit, issue); sorting the keys lays each finding's records side by
    /// side (in row order), and a second pass builds the findings in order.
    /// This touches memory in order, where adding each row to its finding
    /// in place would jump between 400,000 findings a million times.
    fn aggregate_records(&self, t: &Table) -> Aggregated {
        let issue_codes: FastMap<&str, usize> = self
            .system
            .issues
            .iter()
            .enumerate()
            .map(|(i, x)| (x.code.as_str(), i))
            .collect();
        let mut out = Aggregated::default();
        let mut unit_cache: FastMap<&str, std::result::Result<usize, String>> = FastMap::default();
        let mut counts = CountCache::default();
        let mut date_cache: FastMap<&str, DateCheck> = FastMap::default();
        let mut keyed: Vec<Keyed> = Vec::with_capacity(t.height());
        let rows = t
            .cells("unit")
            .zip(t.cells("issue"))
            .zip(t.cells("count"))
            .zip(t.cells("date"))
            .enumerate();
        for (i, (((unit, issue), count), date)) in rows {
            if t.is_blank(i) {
                continue;
            }
            let unit = match unit {
                None => Err("empty; expected a unit id, name or alias".to_string()),
                Some(name) => unit_cache
                    .entry(name)
                    .or_insert_with(|| {
                        self.matcher
                            .find(name)
                            .ok_or_else(|| self.unknown_unit(name))
                    })
                    .clone(),
            };
            let issue = match issue {
                None => Err("empty; expected an issue code".to_string()),
                Some(code) => issue_codes
                    .get(code)
                    .copied()
                    .ok_or_else(|| self.unknown_issue(code)),
            };
            let count = counts.index(count);
            for (column, result) in [
                ("unit", unit.as_ref().err()),
                ("issue", issue.as_ref().err()),
                ("count", count.as_ref().err()),
            ] {
                if let Some(msg) = result {
                    out.problems
                        .push((i as u32, t.error(i, column, msg.clone())));
                }
            }
            if let Some(d) = date {
                match date_cache.entry(d).or_insert_with(|| self.check_date(d)) {
                    DateCheck::InYear => {}
                    DateCheck::Outside(msg) => out
                        .warnings
                        .push(t.error(i, "date", msg.clone()).to_string()),
                    DateCheck::Unreadable(msg) => out
                        .problems
                        .push((i as u32, t.error(i, "date", msg.clone()))),
                }
            }
            if let (Ok(unit), Ok(issue), Ok(count)) = (unit, issue, count) {
                keyed.push(Keyed {
                    unit: unit as u32,
                    issue: issue as u32,
                    row: i as u32,
                    count,
                });
            }
        }
        if out.problems.is_empty() {
            out.findings = self.findings(t, keyed, &counts);
        }
        out
    }

    /// The findings from the keyed records: sorted by unit, issue and row,
    /// each run of one unit and issue becomes one finding.
    fn findings(&self, t: &Table, mut keyed: Vec<Keyed>, counts: &CountCache) -> Vec<Finding> {
        keyed.sort_unstable_by_key(|k| (k.unit, k.issue, k.row));
        let ids = t.column("id").unwrap_or_default();
        let has_total_level = self.system.issues.iter().any(|x| x.indicator.is_none());
        let notes = has_total_level.then(|| t.column("note")).flatten();
        let mut findings: Vec<Finding> = Vec::new();
        for run in keyed.chunk_by(|a, b| (a.unit, a.issue) == (b.unit, b.issue)) {
            // chunk_by yields no empty runs.
            let (unit, issue) = (run[0].unit as usize, run[0].issue as usize);
            let mut finding = Finding {
                unit,
                issue,
                count: Decimal::ZERO,
                records: 0,
                ids: String::with_capacity(run.len() * 12),
                notes: String::new(),
            };
            for k in run {
                let row = k.row as usize;
                let (count, text) = counts.get(k.count);
                finding.add_record(ids.get(row).copied().flatten(), row, count, text);
            }
            if let (None, Some(notes)) = (self.system.issues[issue].indicator, &notes) {
                finding.notes = distinct_notes(
                    run.iter()
                        .map(|k| notes.get(k.row as usize).copied().flatten()),
                );
            }
            findings.push(finding);
        }
        findings
    }

    fn unknown_issue(&self, code: &str) -> String {
        let known: Vec<&str> = self.system.issues.iter().map(|x| x.code.as_str()).collect();
        format!(
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
            Ok(d) if d.year() != year && d.year() != year + 1 => DateCheck::Outside(format!(
                "dated {d}, outside the assessment year {year} and the year after (its on-site checks)"
            )),
            Ok(_) => DateCheck::InYear,
        }
    }
}

/// Each distinct 数量 parsed once and numbered; an empty cell counts as 1.
struct CountCache<'t> {
    index: FastMap<&'t str, std::result::Result<u32, String>>,
    /// The value and text of each number; 0 is the empty cell.
    values: Vec<(Decimal, Option<&'t str>)>,
}

impl Default for CountCache<'_> {
    fn default() -> Self {
        CountCache {
            index: FastMap::default(),
            values: vec![(Decimal::ONE, None)],
        }
    }
}

impl<'t> CountCache<'t> {
    /// The number of the cell's count, or why it is not a count.
    fn index(&mut self, cell: Option<&'t str>) -> std::result::Result<u32, String> {
        let Some(text) = cell else {
            return Ok(0);
        };
        let values = &mut self.values;
        self.index
            .entry(text)
            .or_insert_with(|| match values::parse_decimal(text) {
                Ok(c) if c < Decimal::ZERO => {
                    Err(format!("{c} is negative; expected a count >= 0"))
                }
                Ok(c) => {
                    values.push((c, Some(text)));
                    Ok(values.len() as u32 - 1)
                }
                Err(e) => Err(e),
            })
            .clone()
    }

    fn get(&self, index: u32) -> (Decimal, Option<&'t str>) {
        self.values
            .get(index as usize)
            .copied()
            .unwrap_or((Decimal::ONE, None))
    }
}

/// A good inspection record, keyed for sorting: `count` numbers its 数量
/// in the [`CountCache`].
struct Keyed {
    unit: u32,
    issue: u32,
    row: u32,
    count: u32,
}

/// The distinct non-empty 问题描述 in order, joined.
fn distinct_notes<'t>(notes: impl Iterator<Item = Option<&'t str>>) -> String {
    let mut seen: FastMap<&str, ()> = FastMap::default();
    let mut out: Vec<&str> = Vec::new();
    for n in notes.flatten() {
        if seen.insert(n, ()).is_none() {
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
}

/// Errors at the second and later use of a 记录编号, with their rows.
fn duplicate_ids(t: &Table) -> Vec<(u32, Diagnostic)> {
    let mut seen: FastMap<&str, usize> = FastMap::default();
    seen.reserve(t.height());
    let mut problems = Vec::new();
    for (i, id) in t.cells("id").enumerate() {
        if let (false, Some(id)) = (t.is_blank(i), id) {
            if let Some(first) = seen.insert(id, i) {
                let msg = format!("record id \"{id}\" is already used in row {}", first + 2);
                problems.push((i as u32, t.error(i, "id", msg)));
            }
        }
    }
    problems
}

/// What a 检查日期 cell says about its record.
enum DateCheck {
    InYear,
    /// A warning: the date lies outside the assessment year and the next.
    Outside(String),
    /// An error: not a date.
    Unreadable(String),
}

impl Finding {
    /// Adds one record (at data row `row`) with its count: "R1", "R2×3", or
    /// "行9" for a record without an id.
    /// `count_text` is the 数量 cell as written.
    fn add_record(
        &mut self,
        id: Option<&str>,
        row: usize,
        count: Decimal,
        count_text: Option<&str>,
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
        self.count += count;
    }
}
