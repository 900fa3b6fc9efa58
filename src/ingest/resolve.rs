//! Each table's rows resolved against the roster and the indicator system:
//! units, inspection records, submissions, ratings and duties, with every
//! problem collected as a diagnostic at its row and column.

use super::names::{self, UnitMatcher};
use super::table::Table;
use super::values;
use super::{FastMap, Inputs, Rating, Record, Status, Submission, Unit, Value};
use crate::config::{Rule, System, ValueKind};
use crate::error::Diagnostic;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

pub(super) struct Context<'a> {
    pub(super) system: &'a System,
    pub(super) matcher: UnitMatcher,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) draft: bool,
}

/// One shared copy of each distinct text.
fn intern<'t>(texts: &mut FastMap<&'t str, Arc<str>>, text: Option<&'t str>) -> Option<Arc<str>> {
    let t = text?;
    Some(texts.entry(t).or_insert_with(|| Arc::from(t)).clone())
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
            let s = self.matcher.suggest(name);
            let hint = if s.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", s.join(", "))
            };
            self.errors
                .push(t.error(i, column, format!("unknown unit \"{name}\"{hint}")));
        }
        found
    }

    pub(super) fn inspections(&mut self, t: &Table, inputs: &mut Inputs) {
        let (ids, units, dates, sources, issues, counts, notes) = (
            cells(t, "id"),
            cells(t, "unit"),
            cells(t, "date"),
            cells(t, "source"),
            cells(t, "issue"),
            cells(t, "count"),
            cells(t, "note"),
        );
        let codes: HashMap<&str, usize> = self
            .system
            .issues
            .iter()
            .enumerate()
            .map(|(i, x)| (x.code.as_str(), i))
            .collect();
        let known_codes = || {
            self.system
                .issues
                .iter()
                .map(|x| x.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let known_codes = known_codes();
        let mut seen_ids: FastMap<&str, usize> = FastMap::default();
        seen_ids.reserve(t.height());
        let mut cache = FastMap::default();
        // Dates, counts and texts repeat over millions of rows: parse each
        // distinct value once.
        let mut date_cache: FastMap<&str, std::result::Result<NaiveDate, String>> =
            FastMap::default();
        let mut count_cache: FastMap<&str, std::result::Result<Decimal, String>> =
            FastMap::default();
        let mut texts: FastMap<&str, Arc<str>> = FastMap::default();
        inputs.records.reserve(t.height());
        for i in t.rows() {
            if let Some(id) = ids[i] {
                if let Some(first) = seen_ids.insert(id, i) {
                    self.errors.push(t.error(
                        i,
                        "id",
                        format!("record id \"{id}\" is already used in row {}", first + 2),
                    ));
                }
            }
            let unit = self.unit_fast(t, i, "unit", units[i], &mut cache);
            let issue = match issues[i] {
                None => {
                    self.errors
                        .push(t.error(i, "issue", "empty; expected an issue code"));
                    None
                }
                Some(code) => {
                    let found = codes.get(code).copied();
                    if found.is_none() {
                        self.errors.push(t.error(i, "issue", format!("unknown issue code \"{code}\"; the indicator system defines {known_codes}")));
                    }
                    found
                }
            };
            let count = match counts[i] {
                None => Some(Decimal::ONE),
                Some(c) => match count_cache
                    .entry(c)
                    .or_insert_with(|| values::parse_decimal(c))
                {
                    Ok(c) if *c < Decimal::ZERO => {
                        self.errors.push(t.error(
                            i,
                            "count",
                            format!("{c} is negative; expected a count >= 0"),
                        ));
                        None
                    }
                    Ok(c) => Some(*c),
                    Err(e) => {
                        self.errors.push(t.error(i, "count", e.clone()));
                        None
                    }
                },
            };
            let date = match dates[i] {
                None => None,
                Some(d) => match date_cache.entry(d).or_insert_with(|| values::parse_date(d)) {
                    Ok(d) => Some(*d),
                    Err(e) => {
                        self.errors.push(t.error(i, "date", e.clone()));
                        None
                    }
                },
            };
            if let Some(d) =
                date.filter(|d| d.year() != self.system.year && d.year() != self.system.year + 1)
            {
                let msg = format!("dated {d}, outside the assessment year {} and the year after (its on-site checks)", self.system.year);
                inputs.warnings.push(t.error(i, "date", msg).to_string());
            }
            if let (Some(unit), Some(issue), Some(count)) = (unit, issue, count) {
                inputs.records.push(Record {
                    id: ids[i].map_or_else(|| format!("行{}", i + 2), String::from),
                    unit,
                    issue,
                    count,
                    date,
                    source: intern(&mut texts, sources[i]),
                    note: intern(&mut texts, notes[i]),
                });
            }
        }
    }

    /// [`Context::unit`] with a fast-hashed cache, for the largest table.
    fn unit_fast<'t>(
        &mut self,
        t: &Table,
        i: usize,
        column: &str,
        name: Option<&'t str>,
        cache: &mut FastMap<&'t str, Option<usize>>,
    ) -> Option<usize> {
        if let Some(found) = name.and_then(|n| cache.get(n)) {
            if found.is_some() {
                return *found;
            }
        }
        let mut slow = HashMap::new();
        let found = self.unit(t, i, column, name, &mut slow);
        if let Some(n) = name {
            cache.insert(n, found);
        }
        found
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
