//! Each table's rows resolved against the roster and the indicator system:
//! units, submissions, ratings and duties (inspection records in
//! [`super::records`]), with every problem collected as a diagnostic at its
//! row and column.

use super::appeals::Appeals;
use super::names::{self, UnitMatcher};
use super::periods::{PeriodRows, RowPeriod};
use super::table::Table;
use super::values::{self, parse_submitted, Target};
use super::{FastMap, Inputs, LeftOut, Rating, Scope, Status, Submission, Submitted, Unit, Value};
use crate::config::{Rule, System};
use crate::error::Diagnostic;
use rust_decimal::Decimal;

pub(super) struct Context<'a> {
    pub(super) system: &'a System,
    pub(super) matcher: std::sync::Arc<UnitMatcher>,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) draft: bool,
    /// Which rows count in this run.
    pub(super) periods: PeriodRows<'a>,
    /// The appeals decided, by record id (for the inspections).
    pub(super) appeals: Option<&'a Appeals>,
}

/// Column cells, or all-empty when the table lacks the optional column.
pub(super) fn cells<'t>(t: &'t Table, id: &str) -> Vec<Option<&'t str>> {
    // Sized once: the boxed iterator does not tell its length.
    let mut cells = Vec::with_capacity(t.height());
    cells.extend(t.cells(id));
    cells
}

impl<'a> Context<'a> {
    pub(super) fn new(system: &'a System, errors: Vec<Diagnostic>, scope: &'a Scope) -> Self {
        Context {
            system,
            matcher: Default::default(),
            errors,
            draft: scope.draft,
            periods: PeriodRows {
                system,
                current: scope.period.as_ref(),
            },
            appeals: None,
        }
    }

    pub(super) fn units(&mut self, t: &Table, inputs: &mut Inputs) {
        let (ids, names, groups, aliases) = (
            cells(t, "id"),
            cells(t, "name"),
            cells(t, "group"),
            cells(t, "aliases"),
        );
        // The table row of each unit of the roster.
        let mut rows = Vec::new();
        let group_names = GroupNames::of(self.system);
        for i in t.rows() {
            let (Some(id), Some(name)) = (ids[i], names[i]) else {
                let which = if ids[i].is_none() { "id" } else { "name" };
                self.errors.push(t.error(
                    i,
                    which,
                    crate::tr!(
                        "为空；每个单位都要有编码和名称",
                        "empty; every unit needs an id and a name"
                    ),
                ));
                continue;
            };
            // A unit with a bad group still joins the roster, so that rows
            // naming it do not cascade into "unknown unit" errors.
            let group = self.group_of(&group_names, t, i, groups[i]).unwrap_or(0);
            let alias_list: Vec<String> = aliases[i]
                .map(|a| {
                    a.split(['|', '、'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            if super::text::has_control(id) {
                self.errors.push(t.error(
                    i,
                    "id",
                    crate::tr!(
                        "编码“{}”中有控制字符 {}（多为从 Word 粘贴带入）；编码只能是可见字符，请重新输入",
                        "the id \"{}\" holds the control character(s) {} (usually pasted from Word); an id must be visible characters only — type it again",
                        super::text::without_controls(id),
                        super::text::controls_named(id)
                    ),
                ));
            }
            // Kept under its visible id, so that rows naming it do not
            // cascade into "unknown unit" errors.
            let id = &*super::text::cleaned_quietly(id);
            let name = super::text::cleaned(t, i, "name", name, &mut inputs.warnings);
            let alias_list: Vec<String> = alias_list
                .into_iter()
                .map(|a| {
                    super::text::cleaned(t, i, "aliases", &a, &mut inputs.warnings).into_owned()
                })
                .collect();
            for (column, text) in [("id", id), ("name", &*name)] {
                if formula_like(text) {
                    inputs.warnings.push(t.error(i, column, crate::tr!(
"“{text}”以 {} 开头，与电子表格公式相同；zwgk 按文本写出，但请核对名单是否写对",
"\"{text}\" begins with {}, as a spreadsheet formula does; zwgk writes it as text, but check that the roster holds what was meant", &text[..1])).to_string());
                }
            }
            rows.push(i);
            inputs.units.push(Unit {
                id: id.to_string(),
                name: name.into_owned(),
                group,
                aliases: alias_list,
            });
        }
        if t.rows().next().is_none() {
            self.errors.push(Diagnostic::new(
                &t.file,
                crate::tr!("第 2 行", "row 2"),
                crate::tr!(
                    "单位名单中没有单位：请先在表头下每个单位填一行（单位编码、单位名称、分组），其他表可以之后再填",
                    "the roster lists no units; expected one row per unit after the header (id, name, group) — fill it in first, the other tables can follow"
                ),
            ));
        }
        let (matcher, collisions) = UnitMatcher::build(&inputs.units);
        for c in collisions {
            let (row_a, row_b) = (rows[c.first], rows[c.second]);
            let second = &inputs.units[c.second];
            if crate::spelling::normalize(&second.id).to_lowercase() == c.key.to_lowercase() {
                self.errors.push(t.error(
                    row_b,
                    "id",
                    crate::tr!(
                        "单位编码“{}”重复（第 {} 行已有）；每个单位的编码应不同",
                        "the unit id \"{}\" is given twice (row {} has it); every unit needs its own id",
                        second.id,
                        row_a + 2
                    ),
                ));
                continue;
            }
            self.errors.push(t.error(
                row_b,
                "name",
                crate::tr!(
                    "“{}”已是单位 {} 的名称（第 {} 行）；编码、名称和别名都不能重复",
                    "\"{}\" already names unit {} (row {}); ids, names and aliases must be unique",
                    c.key,
                    inputs.units[c.first].id,
                    row_a + 2
                ),
            ));
        }
        for g in &self.system.groups {
            let names = std::iter::once(&g.id)
                .chain(std::iter::once(&g.name))
                .chain(&g.aliases);
            for n in names {
                if let Some(u) = matcher.find(n) {
                    self.errors.push(t.error(
                        rows[u],
                        "name",
                        crate::tr!(
"单位 {} 也叫“{n}”，而这是指标体系中分组 {} 的名称；单位和分组不能同名",
"unit {} is also named \"{n}\", which names the group {} in the indicator system; unit and group names must differ",
                            inputs.units[u].id, g.id
                        ),
                    ));
                }
            }
        }
        self.errors
            .extend(super::file_names::clashes(t, &rows, &inputs.units));
        self.matcher = std::sync::Arc::new(matcher);
    }

    fn group_of(
        &mut self,
        groups: &GroupNames,
        t: &Table,
        i: usize,
        cell: Option<&str>,
    ) -> Option<usize> {
        let Some(g) = cell else {
            self.errors.push(t.error(
                i,
                "group",
                crate::tr!(
                    "为空；应填分组代码或名称",
                    "empty; expected a group id or name"
                ),
            ));
            return None;
        };
        let found = groups.find(g);
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
                crate::tr!(
                    "未知分组“{g}”；应为以下之一：{}",
                    "unknown group \"{g}\"; expected one of {}",
                    crate::lang::list(&known)
                ),
            ));
        }
        found
    }

    /// Resolves a unit cell; pushes an error with suggestions when it is
    /// empty or unknown. `cache` holds each distinct cell's answer, so
    /// names are normalised (and suggestions found) once.
    fn unit<'t>(
        &mut self,
        t: &Table,
        i: usize,
        column: &str,
        name: Option<&'t str>,
        cache: &mut FastMap<Option<&'t str>, Result<usize, String>>,
    ) -> Option<usize> {
        match cache.entry(name).or_insert_with(|| self.resolve_unit(name)) {
            Ok(u) => Some(*u),
            Err(msg) => {
                self.errors.push(t.error(i, column, msg.clone()));
                None
            }
        }
    }

    /// A unit cell (trimmed, `None` when empty) as a roster index, or why
    /// it names no unit (with the nearest names as suggestions).
    pub(super) fn resolve_unit(&self, name: Option<&str>) -> Result<usize, String> {
        let name = name.ok_or(crate::tr!(
            "为空；应填单位编码、名称或别名",
            "empty; expected a unit id, name or alias"
        ))?;
        self.matcher.find(name).ok_or_else(|| {
            let s = self.matcher.suggest(name);
            if s.is_empty() {
                crate::tr!("未知单位“{name}”", "unknown unit \"{name}\"")
            } else {
                crate::tr!(
                    "未知单位“{name}”。是否为：{}？",
                    "unknown unit \"{name}\"; did you mean {}?",
                    crate::lang::list(&s)
                )
            }
        })
    }

    pub(super) fn submissions(
        &mut self,
        t: &Table,
        inputs: &mut Inputs,
        submitted: &mut Submitted,
    ) {
        let (units, indicators, vals, statuses, evidence) = (
            cells(t, "unit"),
            cells(t, "indicator"),
            cells(t, "value"),
            cells(t, "status"),
            cells(t, "evidence"),
        );
        // Sized for every row at once: a province's 600,000 rows would
        // otherwise rehash the maps a dozen times.
        let rows = t.height();
        let mut cache = FastMap::with_capacity_and_hasher(rows / 4, Default::default());
        let mut seen: FastMap<(usize, Target), usize> =
            FastMap::with_capacity_and_hasher(rows, Default::default());
        submitted.reserve(rows);
        let mut targets = FastMap::default();
        let periods = cells(t, "period");
        for i in t.rows() {
            // A row whose value was left blank (as in a returned template)
            // is no submission: the item counts as 未报送.
            if vals[i].is_none() && statuses[i].is_none() {
                continue;
            }
            if !self.counts_here(t, i, periods[i], &mut inputs.left_out.submissions) {
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
                        crate::tr!(
                            "“{s}”：应为 通过、不通过 或 待审核",
                            "\"{s}\": expected 通过, 不通过 or 待审核"
                        ),
                    ));
                    continue;
                }
            };
            if status == Status::Pending && !self.draft {
                self.errors.push(t.error(i, "status", crate::tr!("报送仍为“待审核”：请先审核；或加 --draft 运行，按征求意见稿计入", "the submission is still 待审核 (pending): review it first, or run with --draft to count it in a 征求意见稿")));
            }
            let Some(ind) = indicators[i] else {
                self.errors.push(t.error(
                    i,
                    "indicator",
                    crate::tr!(
                        "为空；应填指标代码或加分项代码",
                        "empty; expected a leaf or bonus id"
                    ),
                ));
                continue;
            };
            // Each distinct cell looked up once (a province's 600,000 rows
            // name a score of items).
            let target = match targets
                .entry(ind)
                .or_insert_with(|| self.submission_target(ind))
            {
                Ok(target) => Some(*target),
                Err(msg) => {
                    self.errors.push(t.error(i, "indicator", msg.clone()));
                    None
                }
            };
            let (Some(unit), Some(target)) = (unit, target) else {
                continue;
            };
            if let Some(first) = seen.insert((unit, target), i) {
                self.errors.push(t.error(
                    i,
                    "indicator",
                    crate::tr!(
                        "单位 {} 的 {ind} 报送了两次（第一次在第 {} 行）；请只保留一行",
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
                evidence: evidence[i].map(|e| {
                    super::text::cleaned(t, i, "evidence", e, &mut inputs.warnings).into_owned()
                }),
            };
            submitted.push(unit, target, sub);
        }
    }

    /// Does row `i` count in this run, by its 考核期 cell? A row of another
    /// period is counted in `elsewhere`; an unknown period is an error.
    fn counts_here(
        &mut self,
        t: &Table,
        i: usize,
        period: Option<&str>,
        elsewhere: &mut usize,
    ) -> bool {
        match self.periods.of(period) {
            Ok(RowPeriod::Counts) => true,
            Ok(RowPeriod::Elsewhere) => {
                *elsewhere += 1;
                false
            }
            Err(e) => {
                self.errors.push(t.error(i, "period", e));
                false
            }
        }
    }

    /// What a 指标代码 cell of a submission row names, or why nothing.
    fn submission_target(&self, ind: &str) -> std::result::Result<Target, String> {
        if let Some(b) = self.system.bonuses.iter().position(|b| b.id == ind) {
            return Ok(Target::Bonus(b));
        }
        let msg = match self.system.index_of(ind) {
            None => crate::tr!(
"未知指标代码“{ind}”；应为指标体系中的末级指标或加分项代码{}",
"unknown indicator id \"{ind}\"; expected a leaf or bonus id of the indicator system{}",
                names::code_hint(ind, &self.submitted_codes())
            ),
            Some(l) => {
                let node = &self.system.indicators[l];
                match &node.rule {
                    None => crate::tr!(
                        "{ind} 是上级指标；请报送其下末级指标的值",
                        "{ind} is a parent indicator; submit values for its leaves"
                    ),
                    Some(r) if r.submission_kind().is_some() => return Ok(Target::Leaf(l)),
                    Some(Rule::Deduct { .. }) => crate::tr!(
"{ind} 为扣分制指标：按检查结果计分，不接受报送",
"{ind} uses rule deduct: it is scored from inspection records, not submissions"),
                    Some(_) => crate::tr!(
                        "{ind} 为评分指标：分数来自评分表",
                        "{ind} uses rule rating: its scores come from the ratings table"
                    ),
                }
            }
        };
        Err(msg)
    }

    /// The ids a submission may name, with their names: those
    /// [`Context::submission_target`] accepts (one rule for both).
    fn submitted_codes(&self) -> Vec<(&str, &str)> {
        let s = self.system;
        let leaves = s
            .indicators
            .iter()
            .map(|n| (n.id.as_str(), n.name.as_str()));
        let bonuses = s.bonuses.iter().map(|b| (b.id.as_str(), b.name.as_str()));
        leaves
            .chain(bonuses)
            .filter(|(id, _)| self.submission_target(id).is_ok())
            .collect()
    }

    fn parse_value(&self, target: Target, raw: &str) -> std::result::Result<Value, String> {
        parse_submitted(self.system, target, raw)
    }

    pub(super) fn ratings(&mut self, t: &Table, left_out: &mut LeftOut, submitted: &mut Submitted) {
        let (raters, units, indicators, scores) = (
            cells(t, "rater"),
            cells(t, "unit"),
            cells(t, "indicator"),
            cells(t, "score"),
        );
        let mut cache = FastMap::default();
        let mut seen: FastMap<(&str, usize, usize), usize> = FastMap::default();
        let periods = cells(t, "period");
        for i in t.rows() {
            if !self.counts_here(t, i, periods[i], &mut left_out.ratings) {
                continue;
            }
            let unit = self.unit(t, i, "unit", units[i], &mut cache);
            let Some(rater) = raters[i] else {
                self.errors.push(t.error(
                    i,
                    "rater",
                    crate::tr!("为空；应填评分人", "empty; expected the rater's name"),
                ));
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
                        crate::tr!(
                            "“{id}”不是评分指标",
                            "\"{id}\" is not a leaf with rule rating"
                        ),
                    ));
                    None
                }
                None => {
                    self.errors.push(t.error(
                        i,
                        "indicator",
                        crate::tr!("为空；应填评分指标代码", "empty; expected a rating leaf id"),
                    ));
                    None
                }
            };
            let scale = match leaf.and_then(|l| self.system.indicators[l].rule.as_ref()) {
                Some(Rule::Rating { scale, .. }) => *scale,
                _ => Decimal::ONE_HUNDRED,
            };
            let score = match scores[i].map(values::parse_decimal) {
                None => {
                    self.errors.push(t.error(
                        i,
                        "score",
                        crate::tr!("为空；应填分数", "empty; expected a score"),
                    ));
                    None
                }
                Some(Ok(s)) if s < Decimal::ZERO || s > scale => {
                    self.errors.push(t.error(
                        i,
                        "score",
                        crate::tr!(
                            "{s} 超出评分范围 0 至 {scale}",
                            "{s} is outside 0..={scale} (the rating scale)"
                        ),
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
                        crate::tr!(
                            "{rater} 已在第 {} 行为该单位的该指标评过分",
                            "{rater} already rated this unit on this indicator in row {}",
                            first + 2
                        ),
                    ));
                    continue;
                }
                submitted
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
}

/// Text a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1`, `@x`).
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@'])
}

/// The groups by every id, name and alias, normalised once (compared as
/// unit names are).
pub(super) struct GroupNames(FastMap<String, usize>);

impl GroupNames {
    pub(super) fn of(system: &crate::config::System) -> GroupNames {
        let mut map = FastMap::default();
        for (k, g) in system.groups.iter().enumerate() {
            for n in std::iter::once(&g.id)
                .chain(std::iter::once(&g.name))
                .chain(&g.aliases)
            {
                map.entry(names::normalize(n)).or_insert(k);
            }
        }
        GroupNames(map)
    }

    /// The group `name` names.
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        self.0.get(&names::normalize(name)).copied()
    }
}
