//! Stage 1: the indicator system. Loads the TOML ([`raw`]), checks every rule
//! of the contract ([`validate`]) and resolves it into a [`System`]: a tree of
//! indicators with exact points, the issue kinds, bonuses, grades and groups.

pub mod calendar;
mod checker;
mod items;
pub mod periods;
pub mod raw;
mod rule_params;
#[cfg(test)]
mod tests;
mod toml_errors;
mod toml_kinds;
mod tree;
pub mod validate;

use crate::error::{Diagnostic, Error, Result};
use crate::num::Exact;
pub use calendar::Calendar;
use chrono::NaiveDate;
pub use periods::Period;
use rust_decimal::Decimal;
use std::path::Path;

/// A resolved, validated indicator system.
#[derive(Clone, Debug)]
pub struct System {
    pub name: String,
    pub year: i32,
    /// As written in the TOML (e.g. `100`).
    pub full_score: Decimal,
    pub precision: u32,
    pub bonus_cap: Decimal,
    pub bonus_gate: Option<Decimal>,
    pub cap_at_full: bool,
    pub veto_cap: Option<Decimal>,
    pub rank_ties: RankTies,
    pub rank_on: RankOn,
    /// How N/A items are made up for: at every parent, or once at the end.
    pub rescale: Rescale,
    pub issuer: Option<String>,
    /// The last day an inspection record may be dated: 31 December of
    /// `year`, or `records_until` (year-end checks held in January).
    pub records_until: chrono::NaiveDate,
    /// Indicator indices used to break ties, in order.
    pub tie_break: Vec<usize>,
    /// As written in the TOML (e.g. `4`).
    pub weight_percent: Decimal,
    pub calendar: Calendar,
    pub groups: Vec<Group>,
    pub grades: Vec<Grade>,
    /// All indicators in TOML order; parents and leaves.
    pub indicators: Vec<Indicator>,
    /// Top-level indicators in TOML order.
    pub roots: Vec<usize>,
    pub issues: Vec<Issue>,
    pub bonuses: Vec<Bonus>,
    pub notice_title: Option<String>,
    pub notice_requirements: Vec<String>,
    /// 主送机关 of the notice.
    pub notice_addressee: Option<String>,
    /// 发文字号 of the notice.
    pub notice_doc_number: Option<String>,
    /// What the notice publishes per group.
    pub publish: Publish,
    /// 整改时限 of the feedback sheets.
    pub feedback_deadline: Option<NaiveDate>,
    /// 整改要求 of the feedback sheets.
    pub feedback_requirements: Vec<String>,
    /// The parts of the year (`[[period]]`), in TOML order.
    pub periods: Vec<Period>,
}

/// What the notice publishes for each group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Publish {
    /// Ranked tables with scores (the default).
    Ranks,
    /// The units under their grade, in roster order, without ranks or scores.
    Grades,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankTies {
    /// 1, 2, 2, 4
    Competition,
    /// 1, 2, 2, 3
    Dense,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankOn {
    Published,
    Exact,
}

/// How a unit's N/A items are made up for (SPEC §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rescale {
    /// Every parent: `Σ child scores × points / Σ points of its applicable
    /// children`.
    Parent,
    /// Once, at the end (折算): parents add up their applicable children and
    /// the base total is `Σ scores × full_score / Σ applicable points`.
    Flat,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// Other names of the whole group, as responsibility tables write them
    /// (各县（市、区）人民政府).
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Grade {
    pub name: String,
    pub min: Decimal,
    pub max_share: Option<Decimal>,
    /// How `n × max_share` becomes a number of units.
    pub quota_rounding: QuotaRounding,
}

/// How a quota's `n × max_share` is made whole (`quota_rounding`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QuotaRounding {
    #[default]
    Floor,
    HalfUp,
    Ceil,
}

impl Grade {
    /// How many of a group of `n` units this grade may hold, `None` without
    /// a quota: `n × max_share` rounded by `quota_rounding`.
    pub fn allowance(&self, n: usize) -> Option<Decimal> {
        let exact = Decimal::from(n as u64) * self.max_share?;
        Some(match self.quota_rounding {
            QuotaRounding::Floor => exact.floor(),
            QuotaRounding::HalfUp => exact
                .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            QuotaRounding::Ceil => exact.ceil(),
        })
    }
}

/// How an indicator's points are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Share {
    Points(Decimal),
    /// A relative weight among siblings.
    Weight(Decimal),
    /// A parent without points or weight: the sum of its children's points.
    Sum,
}

#[derive(Clone, Debug)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub share: Share,
    /// Resolved points (exact; a weighted child's may not terminate).
    pub points: Exact,
    /// Effective groups assessed on it (inherited); `None` = every group.
    pub groups: Option<Vec<usize>>,
    /// Effective: set here or on an ancestor.
    pub allow_na: bool,
    pub pool: bool,
    /// The rule of a leaf; `None` on a parent.
    pub rule: Option<Rule>,
    /// What a numeric submission is (curve, relative, manual leaves).
    pub input: InputKind,
}

/// What a leaf's numeric submission means (`input` in the TOML), so that a
/// ratio typed `85.9` or a count typed `85%` is caught rather than scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Any plain decimal (`50%` still means 0.5).
    Number,
    /// A share between 0 and 1: `0.859`, `85.9%` or an Excel percent cell.
    Ratio,
    /// A whole number >= 0.
    Count,
}

impl InputKind {
    /// The kind as written in the TOML.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Number => "number",
            InputKind::Ratio => "ratio",
            InputKind::Count => "count",
        }
    }
}

impl Indicator {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    pub fn assesses_group(&self, group: usize) -> bool {
        self.groups.as_ref().is_none_or(|g| g.contains(&group))
    }
}

/// A leaf's scoring rule and its parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    Deduct {
        max_deduct: Option<Decimal>,
    },
    Curve {
        curve: Vec<(Decimal, Decimal)>,
        step: bool,
    },
    Deadline {
        due: NaiveDate,
        late_deduct: Decimal,
        workdays: bool,
        zero_after: Option<Decimal>,
    },
    Rating {
        trim: u32,
        scale: Decimal,
    },
    Relative {
        higher_is_better: bool,
        floor: Decimal,
    },
    Manual,
    Level {
        levels: Vec<(String, Decimal)>,
    },
}

impl Rule {
    /// The rule's name as written in the TOML.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Deduct { .. } => "deduct",
            Rule::Curve { .. } => "curve",
            Rule::Deadline { .. } => "deadline",
            Rule::Rating { .. } => "rating",
            Rule::Relative { .. } => "relative",
            Rule::Manual => "manual",
            Rule::Level { .. } => "level",
        }
    }

    /// The rule's name in the published tables.
    pub fn label(&self) -> &'static str {
        match self {
            Rule::Deduct { .. } => "扣分制",
            Rule::Curve { .. } => "比例计分",
            Rule::Deadline { .. } => "时限计分",
            Rule::Rating { .. } => "评分",
            Rule::Relative { .. } => "相对排名计分",
            Rule::Manual => "直接计分",
            Rule::Level { .. } => "等级计分",
        }
    }

    /// What a submission for this rule must hold, or `None` when the rule
    /// takes no submission (deduct: inspections; rating: the ratings table).
    pub fn submission_kind(&self) -> Option<ValueKind> {
        match self {
            Rule::Deduct { .. } | Rule::Rating { .. } => None,
            Rule::Curve { .. } | Rule::Relative { .. } | Rule::Manual => Some(ValueKind::Number),
            Rule::Deadline { .. } => Some(ValueKind::Date),
            Rule::Level { .. } => Some(ValueKind::Level),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Number,
    Date,
    Level,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Veto {
    None,
    /// The issue's leaf (or pooled parent) scores 0.
    Indicator,
    /// The unit gets the last grade (and at most `veto_cap`).
    Grade,
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub code: String,
    pub name: String,
    /// The deduct leaf it counts against; `None` = a total-level penalty.
    pub indicator: Option<usize>,
    pub deduct: Decimal,
    pub veto: Veto,
}

#[derive(Clone, Debug)]
pub struct Bonus {
    pub id: String,
    pub name: String,
    pub points: Decimal,
    pub max: Option<Decimal>,
}

impl System {
    /// Reads and validates an indicator system file.
    pub fn load(path: &Path) -> Result<System> {
        // An indicator system is a small text file: a FIFO or device given
        // here would hang the run or never end.
        const MAX_BYTES: u64 = 16 << 20;
        if let Ok(meta) = std::fs::metadata(path) {
            if !meta.is_file() || meta.len() > MAX_BYTES {
                return Err(Error::Usage(crate::tr!(
                    "指标体系文件 {} 不是普通文件，或大于 16 MB；请指向 .toml 文件",
                    "indicator system {} is not a regular file or is larger than 16 MB; give the .toml file",
                    path.display()
                )));
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            let path = path.display();
            Error::io(
                crate::tr!(
                    "无法读取指标体系文件 {path}",
                    "cannot read indicator system {path}"
                ),
                e,
            )
        })?;
        System::parse(&text, &path.display().to_string()).map_err(Error::Invalid)
    }

    /// Parses and validates TOML text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> std::result::Result<System, Vec<Diagnostic>> {
        let shape = toml_kinds::shape_errors(text, file);
        if !shape.is_empty() {
            return Err(shape);
        }
        let raw: raw::RawSystem = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|s| s.start);
            let place = start.map(|s| line_col(text, s)).unwrap_or_default();
            let message = toml_errors::plain(e.message(), text, start);
            vec![Diagnostic::new(file, place, message)]
        })?;
        validate::resolve(raw, text, file)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    /// Leaves in tree order (depth first, TOML order among siblings).
    pub fn leaves(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            let node = &self.indicators[i];
            if node.is_leaf() {
                out.push(i);
            }
            stack.extend(node.children.iter().rev());
        }
        out
    }

    /// Indicators in tree order (depth first), parents before children.
    pub fn tree_order(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.indicators[i].children.iter().rev());
        }
        out
    }

    /// The indicator and its ancestors, nearest first.
    pub fn lineage(&self, i: usize) -> Vec<usize> {
        self.ancestry(i).collect()
    }

    /// [`System::lineage`] as it is walked, without collecting it.
    pub fn ancestry(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(i), |&i| self.indicators[i].parent)
    }

    /// The nearest ancestor with `pool = true`, if any.
    pub fn pool_of(&self, leaf: usize) -> Option<usize> {
        self.lineage(leaf)
            .into_iter()
            .skip(1)
            .find(|&a| self.indicators[a].pool)
    }

    /// Recomputes every indicator's points from its share (after a what-if
    /// changed points or weights). Sums need not match.
    pub fn resolve_points(&mut self) {
        let points = validate::resolved_points(&self.indicators, &self.roots, self.full_score);
        for (node, p) in self.indicators.iter_mut().zip(points) {
            node.points = p;
        }
    }
}

/// 1-based "line L, column C" of a byte offset.
pub fn line_col(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    crate::tr!("第 {line} 行第 {col} 列", "line {line}, column {col}")
}

/// A one-group, one-grade system with `indicators` (TOML `[[indicator]]`
/// tables), for unit tests elsewhere.
#[cfg(test)]
pub(crate) fn test_system(indicators: &str) -> System {
    let toml = format!(
        "[assessment]\nname = \"t\"\nyear = 2023\n[performance]\nweight_percent = 4\n\
         [[group]]\nid = \"g\"\nname = \"组\"\n[[grade]]\nname = \"合格\"\nmin = 0\n{indicators}"
    );
    match System::parse(&toml, "t.toml") {
        Ok(system) => system,
        Err(e) => panic!("{e:?}"),
    }
}
