//! Stage 2: the input tables. Reads `units`, `inspections`, `submissions`,
//! `ratings`, `duties` and `appeals` from the data directory, resolves every
//! unit name, issue code and indicator id against the roster and the
//! indicator system, parses every value for its rule, and collects every
//! error with its file, row and column. The inspection records, which may
//! be a nation's year, are read and aggregated in batches (`batches.rs`,
//! `records.rs`); the other tables are read whole.

pub mod appeals;
mod batches;
mod coded;
pub mod delimited;
mod duties;
mod encoding;
pub mod file_names;
mod findings;
mod fold;
pub mod manifest;
pub mod names;
mod periods;
mod reader;
mod records;
mod resolve;
pub mod results;
pub mod sources;
mod submitted;
pub mod table;
pub mod text;
pub mod values;
pub mod xlsx;

pub use findings::Findings;
pub use submitted::Submitted;

use crate::config::{self, System};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use reader::Reader;
use resolve::Context;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use sources::TableId;
use std::collections::{HashMap, HashSet};

/// A hash map with a fast hasher, for lookups done once per input row or
/// per unit and indicator.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// A hash set with the same fast hasher.
pub type FastSet<K> = HashSet<K, foldhash::fast::RandomState>;
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

/// The inspection records of one unit with one issue, aggregated: what the
/// scoring needs (the summed count) and what the breakdown shows (which
/// records, in file order).
#[derive(Clone, Debug)]
pub struct Finding {
    pub unit: usize,
    /// Index into `System::issues`.
    pub issue: usize,
    /// Σ 数量 over the records (an empty 数量 counts as 1).
    pub count: Decimal,
    /// How many records.
    pub records: u32,
    /// The records' ids in file order, joined with "、": `R12`, or `R12×3`
    /// for a record whose 数量 is 3; `行N` (its row) when the table gives
    /// no 记录编号.
    pub ids: String,
    /// The records' distinct 问题描述 (the breakdown's penalty rows and the
    /// feedback to units show them).
    pub notes: Box<str>,
    /// The first and last 检查日期 of the records that have one.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    /// How many of its records an appeal decided (their decisions are in
    /// `ids`).
    pub appealed: u32,
}

impl Finding {
    /// Does the finding count: is anything left of it after the appeals
    /// (a finding whose records were all revoked stays in the breakdown,
    /// with the decisions, but deducts nothing and vetoes nothing)?
    pub fn counts(&self) -> bool {
        !self.count.is_zero()
    }
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
    /// Inspection findings, by unit, then issue.
    pub findings: Findings,
    /// The submissions counted (leaf values and bonus claims).
    pub submissions: usize,
    /// indicator -> units responsible (only indicators the duties table lists)
    pub duties: FastMap<usize, FastSet<usize>>,
    /// (file name, SHA-256) of every input read
    pub files: Vec<(String, String)>,
    /// (file or sheet, why) of every entry of the data directory not read
    pub ignored: Vec<(String, String)>,
    pub warnings: Vec<String>,
    /// What this run did not count because it belongs to other periods.
    pub left_out: LeftOut,
    /// The appeals decided, when an appeals table was given (those on
    /// records of this run).
    pub appeals: Option<appeals::AppealCounts>,
}

/// What a run leaves out because it belongs elsewhere in the year (SPEC
/// §10): records dated outside the period, rows of other periods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub records: usize,
    pub submissions: usize,
    pub ratings: usize,
}

/// What part of the inputs a run counts.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Pending (待审核) submissions count, in a 征求意见稿.
    pub draft: bool,
    /// The period scored (`--period`); `None` for the whole year.
    pub period: Option<crate::config::Period>,
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
    col("period", "考核期", false),
    // Written by `zwgk template` for the unit filling it in; not read.
    col("indicator_name", "指标名称", false),
    col("hint", "填报说明", false),
];
const RATINGS: &[ColumnSpec] = &[
    col("rater", "评分人", true),
    col("unit", "单位", true),
    col("indicator", "指标代码", true),
    col("score", "分数", true),
    col("period", "考核期", false),
];
const DUTIES: &[ColumnSpec] = &[
    col("indicator", "指标代码", true),
    col("unit", "责任单位", true),
];
const APPEALS: &[ColumnSpec] = &[
    col("record", "记录编号", true),
    col("decision", "复核结果", true),
    col("count", "数量", false),
    col("reason", "理由", false),
    col("unit", "单位", false),
];

fn require_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let dir = dir.display();
    Err(Error::Usage(crate::tr!(
        "数据目录 {dir} 不存在",
        "data directory {dir} does not exist"
    )))
}

/// The columns of each table.
fn spec(t: TableId) -> &'static [ColumnSpec] {
    match t {
        TableId::Units => UNITS,
        TableId::Inspections => INSPECTIONS,
        TableId::Submissions => SUBMISSIONS,
        TableId::Ratings => RATINGS,
        TableId::Duties => DUTIES,
        TableId::Appeals => APPEALS,
    }
}

/// Why the indicator system needs table `t`, or `None` when it may be
/// left out (a table with only its header row says "none this year").
pub fn needed(system: &System, t: TableId) -> Option<String> {
    let list = |ids: Vec<&str>| {
        let mut shown: Vec<&str> = ids.iter().take(5).copied().collect();
        if ids.len() > 5 {
            shown.push("…");
        }
        shown.join(", ")
    };
    let leaves_where = |f: &dyn Fn(&config::Rule) -> bool| -> Vec<&str> {
        system
            .indicators
            .iter()
            .filter(|n| n.rule.as_ref().is_some_and(f))
            .map(|n| n.id.as_str())
            .collect()
    };
    match t {
        TableId::Units => Some(crate::tr!(
            "每次考核都需要单位名单",
            "every assessment needs its roster of units"
        )),
        TableId::Inspections => (!system.issues.is_empty()).then(|| {
            let codes: Vec<&str> = system.issues.iter().map(|i| i.code.as_str()).collect();
            crate::tr!(
                "指标体系定义了检查问题（{}）",
                "the indicator system defines inspection issues ({})",
                list(codes)
            )
        }),
        TableId::Submissions => {
            let leaves = leaves_where(&|r| r.submission_kind().is_some());
            let bonuses: Vec<&str> = system.bonuses.iter().map(|b| b.id.as_str()).collect();
            match (leaves.is_empty(), bonuses.is_empty()) {
                (true, true) => None,
                (false, _) => Some(crate::tr!(
                    "指标 {} 按单位报送计分",
                    "leaves {} are scored from submissions",
                    list(leaves)
                )),
                (true, false) => Some(crate::tr!(
                    "加分项 {} 在其中申报",
                    "bonus items {} are claimed in it",
                    list(bonuses)
                )),
            }
        }
        TableId::Ratings => {
            let leaves = leaves_where(&|r| matches!(r, config::Rule::Rating { .. }));
            (!leaves.is_empty()).then(|| {
                crate::tr!(
                    "指标 {} 按评分计分",
                    "leaves {} use rule rating",
                    list(leaves)
                )
            })
        }
        TableId::Duties | TableId::Appeals => None,
    }
}

/// Reads only the roster and the responsibility table (for templates).
pub fn load_roster(system: &System, dir: &Path) -> Result<Inputs> {
    require_dir(dir)?;
    let mut inputs = Inputs::default();
    let mut reader = Reader::new(dir, &mut inputs);
    let units = reader.read(TableId::Units, needed(system, TableId::Units), &mut inputs);
    let duties = reader.read(TableId::Duties, None, &mut inputs);
    let scope = Scope::default();
    let mut ctx = Context::new(system, reader.errors, &scope);
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

/// Reads every table in `dir`, counting what `scope` says: the inputs,
/// and the submissions and ratings apart (the evidence's alone).
pub fn load(system: &System, dir: &Path, scope: &Scope) -> Result<(Inputs, Submitted)> {
    require_dir(dir)?;
    let mut inputs = Inputs::default();
    let mut submitted = Submitted::default();
    let t = std::time::Instant::now();
    let mut reader = Reader::new(dir, &mut inputs);
    let units = reader.read(TableId::Units, needed(system, TableId::Units), &mut inputs);
    let inspections = reader.batches(needed(system, TableId::Inspections), &mut inputs);
    // The roster is resolved (every name normalised) while the other
    // tables are read; its warnings and errors follow the reading's.
    let mut ctx = Context::new(system, Vec::new(), scope);
    let mut roster = Inputs::default();
    let (others, ()) = rayon::join(
        || {
            let mut read = |t: TableId| reader.read(t, needed(system, t), &mut inputs);
            [
                TableId::Submissions,
                TableId::Ratings,
                TableId::Duties,
                TableId::Appeals,
            ]
            .map(&mut read)
        },
        || {
            if let Some(t) = &units {
                ctx.units(t, &mut roster);
            }
        },
    );
    let [submissions, ratings, duties, appeals] = others;
    inputs.units = roster.units;
    inputs.warnings.append(&mut roster.warnings);
    ctx.errors.splice(0..0, reader.errors);
    crate::timing::timing("ingest: read tables, resolve the roster", t);

    let appeals = match (&units, &appeals) {
        (Some(_), Some(t)) => {
            let mut errors = Vec::new();
            let unit = |name: Option<&str>| ctx.resolve_unit(name);
            let read = appeals::Reading {
                errors: &mut errors,
                unit: &unit,
            }
            .read(t, &mut inputs.warnings);
            ctx.errors.append(&mut errors);
            Some(read)
        }
        _ => None,
    };
    if units.is_some() {
        // The inspections (the largest table) are resolved beside the other
        // tables; their errors and warnings are then put first, in file order.
        let (errors_before, warnings_before) = (ctx.errors.len(), inputs.warnings.len());
        let mut reader = Context::new(system, Vec::new(), scope);
        // The unit names are shared, not copied (at 100,000 units, 38 MB).
        reader.matcher = std::sync::Arc::clone(&ctx.matcher);
        reader.appeals = appeals.as_ref();
        let (aggregated, ()) = rayon::join(
            || inspections.map(|(batches, file)| (reader.inspections(batches), file)),
            || {
                let tables = [submissions, ratings, duties];
                resolve_others(&mut ctx, &mut inputs, &mut submitted, tables)
            },
        );
        if let Some((a, file)) = aggregated {
            if let (Some(sha), Some(file)) = (&a.sha256, file) {
                inputs.files[file].1.clone_from(sha);
            }
            ctx.errors.splice(errors_before..errors_before, a.problems);
            inputs
                .warnings
                .splice(warnings_before..warnings_before, a.warnings);
            inputs.findings = a.findings;
            inputs.left_out.records = a.left_out;
            inputs.appeals = a.appeals;
            ctx.errors.extend(a.appeal_problems);
        }
    }
    if !ctx.errors.is_empty() {
        return Err(Error::Invalid(ctx.errors));
    }
    submitted.finish(inputs.units.len());
    inputs.submissions = submitted.count();
    Ok((inputs, submitted))
}

/// Submissions, ratings and duties, in that order, each table freed once
/// resolved (the inspections are still being read).
fn resolve_others(
    ctx: &mut Context,
    inputs: &mut Inputs,
    submitted: &mut Submitted,
    [submissions, ratings, duties]: [Option<Table>; 3],
) {
    if let Some(t) = submissions {
        let start = std::time::Instant::now();
        ctx.submissions(&t, inputs, submitted);
        crate::timing::timing("ingest: resolve submissions", start);
    }
    if let Some(t) = ratings {
        let start = std::time::Instant::now();
        ctx.ratings(&t, &mut inputs.left_out, submitted);
        crate::timing::timing("ingest: resolve ratings", start);
    }
    if let Some(t) = duties {
        let start = std::time::Instant::now();
        ctx.duties(&t, inputs);
        crate::timing::timing("ingest: resolve duties", start);
    }
}

/// Where each unit's entries start in a sequence ordered by unit
/// (`unit_at(i)` is the unit of entry i), for `units` units, with the end
/// as a last entry.
fn unit_starts(units: usize, len: usize, unit_at: impl Fn(usize) -> usize) -> Vec<u32> {
    let mut starts = Vec::with_capacity(units + 1);
    let mut k = 0;
    for u in 0..=units {
        while k < len && unit_at(k) < u {
            k += 1;
        }
        starts.push(k as u32);
    }
    starts
}

/// Unit `u`'s entries by [`unit_starts`]: none for a unit beyond them.
fn unit_range(starts: &[u32], u: usize) -> std::ops::Range<usize> {
    match (starts.get(u), starts.get(u + 1)) {
        (Some(&a), Some(&b)) => a as usize..b as usize,
        _ => 0..0,
    }
}

impl Inputs {
    /// Unit `u`'s inspection findings, by issue.
    pub fn findings_of(&self, u: usize) -> impl Iterator<Item = &Finding> + '_ {
        self.findings.of(u).map(|(_, f)| f)
    }

    /// The number of inspection records read.
    pub fn record_count(&self) -> usize {
        self.findings.iter().map(|f| f.records as usize).sum()
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A digest as the run log shows it: lower-case hex.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
