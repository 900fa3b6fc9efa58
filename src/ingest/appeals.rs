//! The appeals table (申诉复核, SPEC §10): the office's decision on each
//! appealed inspection record, by its 记录编号 — 维持 (upheld), 撤销
//! (revoked: the record counts for nothing) or 改为 (changed: it counts with
//! the new 数量). Decisions apply before anything is scored; the record's
//! ids in the breakdown carry the decision and its reason.

use super::names::UnitMatcher;
use super::table::Table;
use super::{values, FastMap, FastSet};
use crate::error::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    Upheld,
    Revoked,
    /// The record counts with this 数量 (a whole number >= 1).
    Changed(Decimal),
}

/// One decision, with where it is written (for errors found against the
/// records).
#[derive(Clone, Debug)]
pub struct Appeal {
    pub decision: Decision,
    pub reason: Option<String>,
    /// The unit the appeal names, if it names one.
    pub unit: Option<usize>,
    /// Its data row in the appeals table (0-based).
    pub(super) row: usize,
    /// The places of its 记录编号 and 单位 cells, for errors found later.
    pub(super) record_cell: Diagnostic,
    pub(super) unit_cell: Diagnostic,
}

impl Appeal {
    /// A record's count after the decision.
    pub fn count(&self, count: Decimal) -> Decimal {
        match self.decision {
            Decision::Upheld => count,
            Decision::Revoked => Decimal::ZERO,
            Decision::Changed(n) => n,
        }
    }

    /// What the breakdown writes beside the record: `（复核撤销：理由）`.
    pub fn note(&self) -> String {
        let what = match &self.decision {
            Decision::Upheld => "复核维持".to_string(),
            Decision::Revoked => "复核撤销".to_string(),
            Decision::Changed(n) => format!("复核改为{n}"),
        };
        match &self.reason {
            Some(r) => format!("（{what}：{r}）"),
            None => format!("（{what}）"),
        }
    }
}

/// Every appeal, by record id.
pub type Appeals = FastMap<String, Appeal>;

/// How many appeals were decided each way (those that apply in this run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AppealCounts {
    pub upheld: usize,
    pub revoked: usize,
    pub changed: usize,
}

impl AppealCounts {
    pub fn add(&mut self, d: &Decision) {
        match d {
            Decision::Upheld => self.upheld += 1,
            Decision::Revoked => self.revoked += 1,
            Decision::Changed(_) => self.changed += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.upheld + self.revoked + self.changed
    }
}

fn cells<'t>(t: &'t Table, id: &str) -> Vec<Option<&'t str>> {
    t.cells(id).collect()
}

/// The appeals table being read: where its errors go, and how a unit cell
/// is resolved against the roster.
pub(super) struct Reading<'r> {
    pub(super) errors: &'r mut Vec<Diagnostic>,
    pub(super) unit: &'r dyn Fn(Option<&str>) -> Result<usize, String>,
}

impl Reading<'_> {
    /// The appeals table's rows, each checked on its own; whether each
    /// names a record of the inspections (and that record's unit) is checked
    /// against the records.
    pub(super) fn read(&mut self, t: &Table, warnings: &mut Vec<String>) -> Appeals {
        let (records, decisions, counts, reasons, units) = (
            cells(t, "record"),
            cells(t, "decision"),
            cells(t, "count"),
            cells(t, "reason"),
            cells(t, "unit"),
        );
        let mut out = Appeals::default();
        let mut rows: FastMap<&str, usize> = FastMap::default();
        for i in t.rows() {
            let Some(record) = records[i] else {
                self.errors.push(t.error(
                    i,
                    "record",
                    crate::tr!(
                        "为空；应填被申诉检查记录的记录编号",
                        "empty; expected the record id of the appealed inspection record"
                    ),
                ));
                continue;
            };
            if let Some(first) = rows.insert(record, i) {
                self.errors.push(t.error(
                    i,
                    "record",
                    crate::tr!(
                        "记录 {record} 已在第 {} 行复核；一条记录只能有一个复核结果",
                        "record {record} already has a decision in row {}; one decision per record",
                        first + 2
                    ),
                ));
                continue;
            }
            let Some(decision) = self.decision(t, i, decisions[i], counts[i]) else {
                continue;
            };
            let unit = match units[i] {
                None => None,
                Some(name) => match (self.unit)(Some(name)) {
                    Ok(u) => Some(u),
                    Err(e) => {
                        self.errors.push(t.error(i, "unit", e));
                        continue;
                    }
                },
            };
            out.insert(
                record.to_string(),
                Appeal {
                    decision,
                    reason: reasons[i]
                        .map(|r| super::text::cleaned(t, i, "reason", r, warnings).into_owned()),
                    unit,
                    row: i,
                    record_cell: t.error(i, "record", String::new()),
                    unit_cell: t.error(i, "unit", String::new()),
                },
            );
        }
        out
    }

    /// A 复核结果 with its 数量: 改为 needs a whole number >= 1, the others
    /// none.
    fn decision(
        &mut self,
        t: &Table,
        i: usize,
        decision: Option<&str>,
        count: Option<&str>,
    ) -> Option<Decision> {
        let d = match decision {
            Some("维持") | Some("upheld") => Decision::Upheld,
            Some("撤销") | Some("revoked") => Decision::Revoked,
            Some("改为") | Some("changed") => {
                let Some(c) = count else {
                    self.errors.push(t.error(i, "count", crate::tr!("“改为”须填改后的数量（不小于 1 的整数；不再计入的请填“撤销”）", "改为 (changed) needs the new count (a whole number >= 1; to count nothing, revoke the record)")));
                    return None;
                };
                match values::parse_decimal(c) {
                    Ok(n) if n >= Decimal::ONE && n.fract().is_zero() => {
                        Decision::Changed(n.normalize())
                    }
                    _ => {
                        self.errors.push(t.error(i, "count", crate::tr!("“{c}”：改后的数量应为不小于 1 的整数（不再计入的请填“撤销”）", "\"{c}\": the new count must be a whole number >= 1 (to count nothing, revoke the record)")));
                        return None;
                    }
                }
            }
            other => {
                let shown = other.unwrap_or("");
                self.errors.push(t.error(
                    i,
                    "decision",
                    crate::tr!(
                        "“{shown}”：复核结果应为 维持、撤销 或 改为",
                        "\"{shown}\": the decision must be 维持 (upheld), 撤销 (revoked) or 改为 (changed)"
                    ),
                ));
                return None;
            }
        };
        if count.is_some() && !matches!(d, Decision::Changed(_)) {
            self.errors.push(t.error(
                i,
                "count",
                crate::tr!(
                    "只有“改为”填数量；“维持”“撤销”的数量应为空",
                    "only 改为 (changed) takes a count; leave it empty for 维持 and 撤销"
                ),
            ));
            return None;
        }
        Some(d)
    }
}

/// An appeal's problem found against the records, at its cell.
pub(super) fn problem(place: &Diagnostic, message: String) -> Diagnostic {
    let mut d = place.clone();
    d.message = message;
    d
}

/// The appeals checked against the inspection records as they are read
/// (all of them, in a period run too): each must name a record, and the
/// record of the unit it names; the decisions on the records of this run
/// are counted.
pub(super) struct AppealsSeen<'a> {
    appeals: &'a Appeals,
    seen: FastSet<&'a str>,
    problems: Vec<(usize, Diagnostic)>,
    pub(super) counts: AppealCounts,
}

impl<'a> AppealsSeen<'a> {
    pub(super) fn new(appeals: &'a Appeals) -> Self {
        AppealsSeen {
            appeals,
            seen: FastSet::default(),
            problems: Vec::new(),
            counts: AppealCounts::default(),
        }
    }

    /// The appeal on record `id` of `unit`, if there is one; an appeal
    /// that names another unit is a problem at its 单位 cell.
    pub(super) fn record(
        &mut self,
        id: &str,
        unit: usize,
        matcher: &UnitMatcher,
    ) -> Option<&'a Appeal> {
        let (record, a) = self.appeals.get_key_value(id)?;
        self.seen.insert(record.as_str());
        if let Some(named) = a.unit.filter(|&n| n != unit) {
            self.problems.push((
                a.row,
                problem(
                    &a.unit_cell,
                    crate::tr!(
                        "记录 {id} 是{}的检查记录，不是{}的",
                        "record {id} is a record of {}, not of {}",
                        matcher.name_of(unit),
                        matcher.name_of(named)
                    ),
                ),
            ));
        }
        Some(a)
    }

    /// The appeals met in two shards of the records, as one.
    pub(super) fn merge(mut self, other: AppealsSeen<'a>) -> Self {
        self.seen.extend(other.seen);
        self.problems.extend(other.problems);
        self.counts.upheld += other.counts.upheld;
        self.counts.revoked += other.counts.revoked;
        self.counts.changed += other.counts.changed;
        self
    }

    /// The problems, in the appeals table's row order: appeals naming
    /// another unit, and appeals naming no record.
    pub(super) fn problems(mut self) -> Vec<Diagnostic> {
        for (id, a) in self.appeals {
            if !self.seen.contains(id.as_str()) {
                self.problems.push((
                    a.row,
                    problem(
                        &a.record_cell,
                        crate::tr!(
                            "检查结果中没有记录编号为“{id}”的记录",
                            "no inspection record has the id \"{id}\""
                        ),
                    ),
                ));
            }
        }
        self.problems.sort_by_key(|(row, _)| *row);
        self.problems.into_iter().map(|(_, d)| d).collect()
    }
}
