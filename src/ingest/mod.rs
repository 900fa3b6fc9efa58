//! Stage 2: the input tables. Reads `units`, `inspections`, `submissions`,
//! `ratings` and `duties` from the data directory, resolves every unit name,
//! issue code and indicator id against the roster and the indicator system,
//! parses every value for its rule, and collects every error with its file,
//! row and column.

pub mod names;
pub mod table;
pub mod values;
pub mod xlsx;

use crate::config::{Rule, System, ValueKind};
use crate::error::{Diagnostic, Error, Result};
use chrono::{Datelike, NaiveDate};
use names::UnitMatcher;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A hash map with a fast hasher, for lookups done once per input row.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
use std::path::Path;
use table::{col, ColumnSpec, Table};

/// A unit on the roster.
#[derive(Clone, Debug)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// Index into `System::groups`.
    pub group: usize,
    pub aliases: Vec<String>,
}

/// One inspection record.
#[derive(Clone, Debug)]
pub struct Record {
    /// 记录编号, or `行N` (the row) when the table gives none.
    pub id: String,
    pub unit: usize,
    /// Index into `System::issues`.
    pub issue: usize,
    pub count: Decimal,
    pub date: Option<NaiveDate>,
    /// Shared between records with the same text (a few distinct values
    /// over millions of records).
    pub source: Option<Arc<str>>,
    pub note: Option<Arc<str>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Approved,
    Rejected,
    Pending,
}

/// A parsed submitted value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    NotApplicable,
    Number(Decimal),
    Date(NaiveDate),
    /// Index into the rule's levels.
    Level(usize),
    /// A rejected submission's value is not parsed.
    Unparsed,
}

#[derive(Clone, Debug)]
pub struct Submission {
    /// The value as submitted.
    pub raw: String,
    pub value: Value,
    pub status: Status,
    pub evidence: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Rating {
    pub rater: String,
    pub score: Decimal,
}

/// Everything the tables say, resolved and typed.
#[derive(Debug, Default)]
pub struct Inputs {
    pub units: Vec<Unit>,
    pub records: Vec<Record>,
    /// Record indices per unit.
    pub records_by_unit: Vec<Vec<usize>>,
    /// (unit, leaf indicator) -> submission
    pub leaf_values: HashMap<(usize, usize), Submission>,
    /// (unit, bonus index) -> submission
    pub bonus_values: HashMap<(usize, usize), Submission>,
    /// (unit, leaf indicator) -> ratings in table order
    pub ratings: HashMap<(usize, usize), Vec<Rating>>,
    /// indicator -> units responsible (only indicators the duties table lists)
    pub duties: HashMap<usize, HashSet<usize>>,
    /// (file name, SHA-256) of every input read
    pub files: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

const UNITS: &[ColumnSpec] = &[
    col("id", "单位编码", true),
    col("name", "单位名称", true),
    col("group", "分组", true),
    col("aliases", "别名", false),
];
const INSPECTIONS: &[ColumnSpec] = &[
    col("id", "记录编号", false),
    col("unit", "单位", true),
    col("date", "检查日期", false),
    col("source", "检查类型", false),
    col("issue", "问题代码", true),
    col("count", "数量", false),
    col("note", "问题描述", false),
];
const SUBMISSIONS: &[ColumnSpec] = &[
    col("unit", "单位", true),
    col("indicator", "指标代码", true),
    col("value", "填报值", true),
    col("status", "审核状态", false),
    col("evidence", "佐证材料", false),
    // Written by `zwgk template` for the unit filling it in; not read.
    col("indicator_name", "指标名称", false),
    col("hint", "填报说明", false),
];
const RATINGS: &[ColumnSpec] = &[
    col("rater", "评分人", true),
    col("unit", "单位", true),
    col("indicator", "指标代码", true),
    col("score", "分数", true),
];
const DUTIES: &[ColumnSpec] = &[
    col("indicator", "指标代码", true),
    col("unit", "责任单位", true),
];

/// Reads only the roster and the responsibility table (for templates).
pub fn load_roster(system: &System, dir: &Path) -> Result<Inputs> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "data directory {} does not exist",
            dir.display()
        )));
    }
    let mut inputs = Inputs::default();
    let mut errors = Vec::new();
    let units = read_table(dir, "units", UNITS, true, &mut inputs).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        None
    });
    let duties = read_table(dir, "duties", DUTIES, false, &mut inputs).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        None
    });
    let mut ctx = Context {
        system,
        matcher: UnitMatcher::default(),
        errors,
        draft: false,
    };
    if let Some(t) = &units {
        ctx.units(t, &mut inputs);
        if let Some(d) = &duties {
            ctx.duties(d, &mut inputs);
        }
    }
    if !ctx.errors.is_empty() {
        return Err(Error::Invalid(ctx.errors));
    }
    Ok(inputs)
}

/// Reads every table in `dir`; `draft` lets pending submissions count.
pub fn load(system: &System, dir: &Path, draft: bool) -> Result<Inputs> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "data directory {} does not exist",
            dir.display()
        )));
    }
    let mut inputs = Inputs::default();
    let mut errors = Vec::new();
    let mut read =
        |name: &str, spec: &[ColumnSpec], required: bool, inputs: &mut Inputs| -> Option<Table> {
            match read_table(dir, name, spec, required, inputs) {
                Ok(t) => t,
                Err(mut e) => {
                    errors.append(&mut e);
                    None
                }
            }
        };
    let t = std::time::Instant::now();
    let units = read("units", UNITS, true, &mut inputs);
    let inspections = read("inspections", INSPECTIONS, false, &mut inputs);
    let submissions = read("submissions", SUBMISSIONS, false, &mut inputs);
    let ratings = read("ratings", RATINGS, false, &mut inputs);
    let duties = read("duties", DUTIES, false, &mut inputs);
    crate::assess::timing("ingest: read tables (bytes, SHA-256, polars CSV)", t);

    let mut ctx = Context {
        system,
        matcher: UnitMatcher::default(),
        errors,
        draft,
    };
    if let Some(t) = &units {
        ctx.units(t, &mut inputs);
    }
    if units.is_some() {
        if let Some(t) = &inspections {
            ctx.inspections(t, &mut inputs);
        }
        if let Some(t) = &submissions {
            ctx.submissions(t, &mut inputs);
        }
        if let Some(t) = &ratings {
            ctx.ratings(t, &mut inputs);
        }
        if let Some(t) = &duties {
            ctx.duties(t, &mut inputs);
        }
    }
    if !ctx.errors.is_empty() {
        return Err(Error::Invalid(ctx.errors));
    }
    inputs.records_by_unit = vec![Vec::new(); inputs.units.len()];
    for (i, r) in inputs.records.iter().enumerate() {
        inputs.records_by_unit[r.unit].push(i);
    }
    Ok(inputs)
}

/// The sheet names of each table in a `data.xlsx` (besides its id).
const SHEET_NAMES: &[(&str, &str)] = &[
    ("units", "单位"),
    ("inspections", "检查结果"),
    ("submissions", "报送材料"),
    ("ratings", "评分"),
    ("duties", "责任分工"),
];

/// A table from `NAME.csv`, `NAME.xlsx` or a sheet of `data.xlsx`.
fn read_table(
    dir: &Path,
    name: &str,
    spec: &[ColumnSpec],
    required: bool,
    inputs: &mut Inputs,
) -> std::result::Result<Option<Table>, Vec<Diagnostic>> {
    let csv = dir.join(format!("{name}.csv"));
    let xlsx = dir.join(format!("{name}.xlsx"));
    let book = dir.join("data.xlsx");
    let zh = SHEET_NAMES
        .iter()
        .find(|(id, _)| *id == name)
        .map_or(name, |(_, zh)| *zh);
    let in_book = if book.exists() {
        let bytes = read_bytes(&book, inputs)?;
        let names = xlsx::sheet_names(&book.display().to_string(), &bytes)?;
        names
            .into_iter()
            .find(|s| xlsx::sheet_matches(s, name, zh))
            .map(|s| (bytes, s))
    } else {
        None
    };
    let sources = [csv.exists(), xlsx.exists(), in_book.is_some()]
        .iter()
        .filter(|x| **x)
        .count();
    if sources > 1 {
        return Err(vec![Diagnostic::new(
            dir.display().to_string(),
            "",
            format!("the {name} table is given more than once ({name}.csv, {name}.xlsx, or a sheet {name}/{zh} in data.xlsx); keep one"),
        )]);
    }
    if csv.exists() {
        let bytes = read_bytes(&csv, inputs)?;
        return table::read_csv(
            &csv.display().to_string(),
            &bytes,
            spec,
            &mut inputs.warnings,
        )
        .map(Some);
    }
    let known = table::known_names(spec);
    if xlsx.exists() {
        let bytes = read_bytes(&xlsx, inputs)?;
        let sheet = xlsx::read_sheet(&xlsx.display().to_string(), &bytes, None, &known)?;
        return table::from_sheet(sheet, spec, &mut inputs.warnings).map(Some);
    }
    if let Some((bytes, sheet_name)) = in_book {
        let sheet = xlsx::read_sheet(
            &book.display().to_string(),
            &bytes,
            Some(&sheet_name),
            &known,
        )?;
        return table::from_sheet(sheet, spec, &mut inputs.warnings).map(Some);
    }
    if required {
        return Err(vec![Diagnostic::new(
            csv.display().to_string(),
            "",
            format!("the {name} table is required but missing (as {name}.csv, {name}.xlsx or a sheet {name}/{zh} in data.xlsx)"),
        )]);
    }
    Ok(None)
}

/// A file's bytes, recording its SHA-256 once.
fn read_bytes(path: &Path, inputs: &mut Inputs) -> std::result::Result<Vec<u8>, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::new(&shown, "", format!("cannot read: {e}"))])?;
    if !inputs.files.iter().any(|(f, _)| *f == shown) {
        inputs.files.push((shown, sha256_hex(&bytes)));
    }
    Ok(bytes)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Context<'a> {
    system: &'a System,
    matcher: UnitMatcher,
    errors: Vec<Diagnostic>,
    draft: bool,
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
    fn units(&mut self, t: &Table, inputs: &mut Inputs) {
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

    fn inspections(&mut self, t: &Table, inputs: &mut Inputs) {
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

    fn submissions(&mut self, t: &Table, inputs: &mut Inputs) {
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

    fn ratings(&mut self, t: &Table, inputs: &mut Inputs) {
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

    fn duties(&mut self, t: &Table, inputs: &mut Inputs) {
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
