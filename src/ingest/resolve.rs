//! Each table's rows resolved against the roster and the indicator system:
//! units, inspection records, submissions, ratings and duties, with every
//! problem collected as a diagnostic at its row and column.

use super::names::{self, UnitMatcher};
use super::table::Table;
use super::values;
use super::{FastMap, Finding, Inputs, Rating, Status, Submission, Unit, Value};
use crate::config::{Rule, System, ValueKind};
use crate::error::Diagnostic;
use chrono::Datelike;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;

pub(super) struct Context<'a> {
    pub(super) system: &'a System,
    pub(super) matcher: UnitMatcher,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) draft: bool,
}

/// Column cells, or all-empty when the table lacks the optional column.
fn cells<'t>(t: &'t Table, id: &str) -> Vec<Option<&'t str>> {
    t.column(id).unwrap_or_else(|| vec![None; t.height()])
}

impl Context<'_> {
    pub(super) fn units(&mut self, t: &Table, inputs: &mut Inputs) {
        let (ids, names, groups, aliases) = (
            cells(t, "id"),
            cells(t, "name"),
            cells(t, "group"),
            cells(t, "aliases"),
        );
        let mut roster = Vec::new();
        for i in t.rows() {
            let (Some(id), Some(name)) = (ids[i], names[i]) else {
                let which = if ids[i].is_none() { "id" } else { "name" };
                self.errors
                    .push(t.error(i, which, "empty; every unit needs an id and a name"));
                continue;
            };
            // A unit with a bad group still joins the roster, so that rows
            // naming it do not cascade into "unknown unit" errors.
            let group = self.group_of(t, i, groups[i]).unwrap_or(0);
            let alias_list: Vec<String> = aliases[i]
                .map(|a| {
                    a.split(['|', '、'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            roster.push((i, (id.to_string(), name.to_string(), alias_list.clone())));
            inputs.units.push(Unit {
                id: id.to_string(),
                name: name.to_string(),
                group,
                aliases: alias_list,
            });
        }
        if t.rows().next().is_none() {
            self.errors.push(Diagnostic::new(
                &t.file,
                "row 2",
                "the roster lists no units; expected one row per unit after the header",
            ));
        }
        let plain: Vec<_> = roster.iter().map(|(_, r)| r.clone()).collect();
        let (matcher, collisions) = UnitMatcher::build(&plain);
        for c in collisions {
            let (row_a, row_b) = (roster[c.first].0, roster[c.second].0);
            self.errors.push(t.error(
                row_b,
                "name",
                format!(
                    "\"{}\" already names unit {} (row {}); ids, names and aliases must be unique",
                    c.key,
                    plain[c.first].0,
                    row_a + 2
                ),
            ));
        }
        self.matcher = matcher;
    }

    fn group_of(&mut self, t: &Table, i: usize, cell: Option<&str>) -> Option<usize> {
        let Some(g) = cell else {
            self.errors
                .push(t.error(i, "group", "empty; expected a group id or name"));
            return None;
        };
        let key = names::normalize(g);
        let found = self
            .system
            .groups
            .iter()
            .position(|x| names::normalize(&x.id) == key || names::normalize(&x.name) == key);
        if found.is_none() {
            let known: Vec<String> = self
                .system
                .groups
                .iter()
                .map(|x| format!("{} ({})", x.id, x.name))
                .collect();
            self.errors.push(t.error(
                i,
                "group",
                format!(
                    "unknown group \"{g}\"; expected one of {}",
                    known.join(", ")
                ),
            ));
        }
        found
    }

    /// Resolves a unit name; pushes an error with suggestions when unknown.
    /// `cache` holds each distinct name's answer, so names are normalised once.
    fn unit<'t>(
        &mut self,
        t: &Table,
        i: usize,
        column: &str,
        name: Option<&'t str>,
        cache: &mut HashMap<&'t str, Option<usize>>,
    ) -> Option<usize> {
        let Some(name) = name else {
            self.errors
                .push(t.error(i, column, "empty; expected a unit id, name or alias"));
            return None;
        };
        let found = *cache.entry(name).or_insert_with(|| self.matcher.find(name));
        if found.is_none() {
            let msg = self.unknown_unit(name);
            self.errors.push(t.error(i, column, msg));
        }
        found
    }

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

    /// The message for a unit name that is not on the roster, with the
    /// nearest names as suggestions.
    fn unknown_unit(&self, name: &str) -> String {
        let s = self.matcher.suggest(name);
        if s.is_empty() {
            format!("unknown unit \"{name}\"")
        } else {
            format!("unknown unit \"{name}\"; did you mean {}?", s.join(", "))
        }
    }

    pub(super) fn submissions(&mut self, t: &Table, inputs: &mut Inputs) {
        let (units, indicators, vals, statuses, evidence) = (
            cells(t, "unit"),
            cells(t, "indicator"),
            cells(t, "value"),
            cells(t, "status"),
            cells(t, "evidence"),
        );
        let mut cache = HashMap::new();
        let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
        for i in t.rows() {
            // A row whose value was left blank (as in a returned template)
            // is no submission: the item counts as 未报送.
            if vals[i].is_none() && statuses[i].is_none() {
                continue;
            }
            let unit = self.unit(t, i, "unit", units[i], &mut cache);
            let status = match statuses[i] {
                None | Some("通过") | Some("approved") => Status::Approved,
                Some("不通过") | Some("rejected") => Status::Rejected,
                Some("待审核") | Some("pending") => Status::Pending,
                Some(s) => {
                    self.errors.push(t.error(
                        i,
                        "status",
                        format!("\"{s}\": expected 通过, 不通过 or 待审核"),
                    ));
                    continue;
                }
            };
            if status == Status::Pending && !self.draft {
                self.errors.push(t.error(i, "status", "the submission is still 待审核 (pending): review it first, or run with --draft to count it in a 征求意见稿"));
            }
            let Some(ind) = indicators[i] else {
                self.errors
                    .push(t.error(i, "indicator", "empty; expected a leaf or bonus id"));
                continue;
            };
            let target = self.submission_target(t, i, ind);
            let (Some(unit), Some(target)) = (unit, target) else {
                continue;
            };
            if let Some(first) = seen.insert((unit, ind), i) {
                self.errors.push(t.error(
                    i,
                    "indicator",
                    format!(
                        "a second submission for unit {} and {ind} (the first is row {}); keep one",
                        inputs.units[unit].id,
                        first + 2
                    ),
                ));
                continue;
            }
            let raw = vals[i].unwrap_or("").to_string();
            let value = if status == Status::Rejected {
                Value::Unparsed
            } else {
                match self.parse_value(target, &raw) {
                    Ok(v) => v,
                    Err(e) => {
                        self.errors.push(t.error(i, "value", e));
                        continue;
                    }
                }
            };
            let sub = Submission {
                raw,
                value,
                status,
                evidence: evidence[i].map(String::from),
            };
            match target {
                Target::Leaf(l) => inputs.leaf_values.insert((unit, l), sub),
                Target::Bonus(b) => inputs.bonus_values.insert((unit, b), sub),
            };
        }
    }

    fn submission_target(&mut self, t: &Table, i: usize, ind: &str) -> Option<Target> {
        if let Some(b) = self.system.bonuses.iter().position(|b| b.id == ind) {
            return Some(Target::Bonus(b));
        }
        let msg = match self.system.index_of(ind) {
            None => format!("unknown indicator id \"{ind}\"; expected a leaf or bonus id of the indicator system"),
            Some(l) => {
                let node = &self.system.indicators[l];
                match &node.rule {
                    None => format!("{ind} is a parent indicator; submit values for its leaves"),
                    Some(r) if r.submission_kind().is_some() => return Some(Target::Leaf(l)),
                    Some(Rule::Deduct { .. }) => format!("{ind} uses rule deduct: it is scored from inspection records, not submissions"),
                    Some(_) => format!("{ind} uses rule rating: its scores come from the ratings table"),
                }
            }
        };
        self.errors.push(t.error(i, "indicator", msg));
        None
    }

    fn parse_value(&self, target: Target, raw: &str) -> std::result::Result<Value, String> {
        let leaf = match target {
            Target::Bonus(_) => {
                let n = values::parse_decimal(raw)?;
                if n < Decimal::ZERO {
                    return Err(format!("{n} is negative; a bonus count must be >= 0"));
                }
                return Ok(Value::Number(n));
            }
            Target::Leaf(l) => &self.system.indicators[l],
        };
        if names::normalize(raw) == "不涉及" {
            if leaf.allow_na {
                return Ok(Value::NotApplicable);
            }
            return Err(format!(
                "不涉及 is not allowed for {} (its indicator system does not set allow_na)",
                leaf.id
            ));
        }
        let Some(rule) = &leaf.rule else {
            return Err("not a leaf".into());
        };
        match rule.submission_kind() {
            Some(ValueKind::Number) => {
                let n = values::parse_decimal(raw)?;
                if *rule == Rule::Manual {
                    let p = leaf.points.to_decimal();
                    if n < Decimal::ZERO || n > p {
                        return Err(format!(
                            "{n} is outside 0..={} (the points of {}, rule manual)",
                            p.normalize(),
                            leaf.id
                        ));
                    }
                }
                Ok(Value::Number(n))
            }
            Some(ValueKind::Date) => values::parse_date(raw).map(Value::Date),
            Some(ValueKind::Level) => {
                let Rule::Level { levels } = rule else {
                    return Err("not a level rule".into());
                };
                let key = names::normalize(raw);
                levels
                    .iter()
                    .position(|(l, _)| names::normalize(l) == key)
                    .map(Value::Level)
                    .ok_or_else(|| {
                        format!(
                            "unknown level \"{raw}\"; expected one of {}",
                            levels
                                .iter()
                                .map(|l| l.0.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
            }
            None => Err("this rule takes no submission".into()),
        }
    }

    pub(super) fn ratings(&mut self, t: &Table, inputs: &mut Inputs) {
        let (raters, units, indicators, scores) = (
            cells(t, "rater"),
            cells(t, "unit"),
            cells(t, "indicator"),
            cells(t, "score"),
        );
        let mut cache = HashMap::new();
        let mut seen: HashMap<(&str, usize, usize), usize> = HashMap::new();
        for i in t.rows() {
            let unit = self.unit(t, i, "unit", units[i], &mut cache);
            let Some(rater) = raters[i] else {
                self.errors
                    .push(t.error(i, "rater", "empty; expected the rater's name"));
                continue;
            };
            let leaf = match indicators[i].map(|id| (id, self.system.index_of(id))) {
                Some((_, Some(l)))
                    if matches!(self.system.indicators[l].rule, Some(Rule::Rating { .. })) =>
                {
                    Some(l)
                }
                Some((id, _)) => {
                    self.errors.push(t.error(
                        i,
                        "indicator",
                        format!("\"{id}\" is not a leaf with rule rating"),
                    ));
                    None
                }
                None => {
                    self.errors
                        .push(t.error(i, "indicator", "empty; expected a rating leaf id"));
                    None
                }
            };
            let scale = match leaf.and_then(|l| self.system.indicators[l].rule.as_ref()) {
                Some(Rule::Rating { scale, .. }) => *scale,
                _ => Decimal::ONE_HUNDRED,
            };
            let score = match scores[i].map(values::parse_decimal) {
                None => {
                    self.errors
                        .push(t.error(i, "score", "empty; expected a score"));
                    None
                }
                Some(Ok(s)) if s < Decimal::ZERO || s > scale => {
                    self.errors.push(t.error(
                        i,
                        "score",
                        format!("{s} is outside 0..={scale} (the rating scale)"),
                    ));
                    None
                }
                Some(Ok(s)) => Some(s),
                Some(Err(e)) => {
                    self.errors.push(t.error(i, "score", e));
                    None
                }
            };
            if let (Some(unit), Some(leaf), Some(score)) = (unit, leaf, score) {
                if let Some(first) = seen.insert((rater, unit, leaf), i) {
                    self.errors.push(t.error(
                        i,
                        "rater",
                        format!(
                            "{rater} already rated this unit on this indicator in row {}",
                            first + 2
                        ),
                    ));
                    continue;
                }
                inputs
                    .ratings
                    .entry((unit, leaf))
                    .or_default()
                    .push(Rating {
                        rater: rater.to_string(),
                        score,
                    });
            }
        }
    }

    pub(super) fn duties(&mut self, t: &Table, inputs: &mut Inputs) {
        let (indicators, units) = (cells(t, "indicator"), cells(t, "unit"));
        let mut cache = HashMap::new();
        for i in t.rows() {
            let unit = self.unit(t, i, "unit", units[i], &mut cache);
            let ind = match indicators[i] {
                Some(id) => {
                    let found = self.system.index_of(id);
                    if found.is_none() {
                        self.errors.push(t.error(
                            i,
                            "indicator",
                            format!("unknown indicator id \"{id}\""),
                        ));
                    }
                    found
                }
                None => {
                    self.errors
                        .push(t.error(i, "indicator", "empty; expected an indicator id"));
                    None
                }
            };
            if let (Some(unit), Some(ind)) = (unit, ind) {
                inputs.duties.entry(ind).or_default().insert(unit);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Target {
    Leaf(usize),
    Bonus(usize),
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
