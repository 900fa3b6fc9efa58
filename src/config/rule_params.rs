//! A leaf's rule and its parameters, checked (curve points increasing,
//! factors within 0..1, a deadline's date, …).

use super::checker::{to_date, Checker};
use super::raw::RawIndicator;
use super::*;
use std::collections::BTreeSet;
use toml::Spanned;

const RULE_PARAMS: &[(&str, &[&str])] = &[
    ("deduct", &["max_deduct"]),
    ("curve", &["curve", "mode"]),
    (
        "deadline",
        &["due", "late_deduct", "late_unit", "zero_after"],
    ),
    ("rating", &["trim", "scale"]),
    ("relative", &["direction", "floor"]),
    ("manual", &[]),
    ("level", &["levels"]),
];

fn given_params(ind: &RawIndicator) -> Vec<&'static str> {
    let flags = [
        ("max_deduct", ind.max_deduct.is_some()),
        ("curve", ind.curve.is_some()),
        ("mode", ind.mode.is_some()),
        ("due", ind.due.is_some()),
        ("late_deduct", ind.late_deduct.is_some()),
        ("late_unit", ind.late_unit.is_some()),
        ("zero_after", ind.zero_after.is_some()),
        ("trim", ind.trim.is_some()),
        ("scale", ind.scale.is_some()),
        ("direction", ind.direction.is_some()),
        ("floor", ind.floor.is_some()),
        ("levels", ind.levels.is_some()),
    ];
    flags.iter().filter(|f| f.1).map(|f| f.0).collect()
}

pub(super) fn parse_rule(
    ind: &RawIndicator,
    sp: &Spanned<RawIndicator>,
    c: &mut Checker,
) -> Option<Rule> {
    let name = ind.rule.as_deref().unwrap_or("");
    let Some((_, allowed)) = RULE_PARAMS.iter().find(|(n, _)| *n == name) else {
        c.at(sp, crate::tr!(
"指标 {}：未知计分规则“{name}”；应为 deduct、curve、deadline、rating、relative、manual、level 之一",
"indicator {}: unknown rule \"{name}\"; expected one of deduct, curve, deadline, rating, relative, manual, level", ind.id));
        return None;
    };
    for p in given_params(ind) {
        if !allowed.contains(&p) {
            c.at(
                sp,
                crate::tr!(
                    "指标 {}：参数 {p} 不适用于计分规则“{name}”",
                    "indicator {}: parameter {p} does not apply to rule \"{name}\"",
                    ind.id
                ),
            );
        }
    }
    let rule = match name {
        "deduct" => Rule::Deduct {
            max_deduct: ind.max_deduct,
        },
        "curve" => curve_rule(ind, sp, c),
        "deadline" => deadline_rule(ind, sp, c)?,
        "rating" => rating_rule(ind, sp, c),
        "relative" => relative_rule(ind, sp, c),
        "manual" => Rule::Manual,
        _ => level_rule(ind, sp, c),
    };
    Some(rule)
}

/// `curve`: points with x strictly increasing, each f within 0..1, and
/// `mode` linear or step.
fn curve_rule(ind: &RawIndicator, sp: &Spanned<RawIndicator>, c: &mut Checker) -> Rule {
    let id = &ind.id;
    let (zero, one) = (Decimal::ZERO, Decimal::ONE);
    let curve = ind.curve.clone().unwrap_or_default();
    if curve.is_empty() {
        c.at(
            sp,
            crate::tr!(
                "指标 {id}：curve 规则需要 curve = [[x0, f0], [x1, f1], …]",
                "indicator {id}: rule curve needs curve = [[x0, f0], [x1, f1], …]"
            ),
        );
    }
    for w in curve.windows(2) {
        if w[1].0 <= w[0].0 {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：curve 的 x 值应严格递增（{} 之后是 {}）",
                    "indicator {id}: curve x values must increase strictly ({} then {})",
                    w[0].0,
                    w[1].0
                ),
            );
        }
    }
    for (x, f) in &curve {
        if *f < zero || *f > one {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：curve 点 [{x}, {f}]：f 应在 0 与 1 之间",
                    "indicator {id}: curve point [{x}, {f}]: f must be between 0 and 1"
                ),
            );
        }
    }
    let step = match ind.mode.as_deref() {
        None | Some("linear") => false,
        Some("step") => true,
        Some(m) => {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：mode = \"{m}\"：应为 \"linear\" 或 \"step\"",
                    "indicator {id}: mode = \"{m}\": expected \"linear\" or \"step\""
                ),
            );
            false
        }
    };
    Rule::Curve { curve, step }
}

/// `deadline`: a due date, a deduction per day late, the unit of lateness
/// (days or workdays) and when it scores nothing.
fn deadline_rule(ind: &RawIndicator, sp: &Spanned<RawIndicator>, c: &mut Checker) -> Option<Rule> {
    let id = &ind.id;
    let zero = Decimal::ZERO;
    let due = match &ind.due {
        None => {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：deadline 规则需要 due = YYYY-MM-DD",
                    "indicator {id}: rule deadline needs due = YYYY-MM-DD"
                ),
            );
            None
        }
        Some(d) => {
            let nd = to_date(d);
            if nd.is_none() {
                c.at(
                    sp,
                    crate::tr!(
                        "指标 {id}：due = {d}：应为日期 YYYY-MM-DD",
                        "indicator {id}: due = {d}: expected a plain date YYYY-MM-DD"
                    ),
                );
            }
            nd
        }
    };
    let late_deduct = ind.late_deduct.unwrap_or_else(|| {
        c.at(
            sp,
            crate::tr!(
                "指标 {id}：deadline 规则需要 late_deduct（每逾期一天或一个工作日扣的分）",
                "indicator {id}: rule deadline needs late_deduct (points per unit late)"
            ),
        );
        zero
    });
    if late_deduct < zero {
        c.at(
            sp,
            crate::tr!(
                "指标 {id}：late_deduct = {late_deduct}：应不小于 0",
                "indicator {id}: late_deduct = {late_deduct}: must be >= 0"
            ),
        );
    }
    let workdays = match ind.late_unit.as_deref() {
        None | Some("day") => false,
        Some("workday") => true,
        Some(u) => {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：late_unit = \"{u}\"：应为 \"day\" 或 \"workday\"",
                    "indicator {id}: late_unit = \"{u}\": expected \"day\" or \"workday\""
                ),
            );
            false
        }
    };
    if let Some(z) = ind.zero_after {
        if z < zero {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：zero_after = {z}：应不小于 0",
                    "indicator {id}: zero_after = {z}: must be >= 0"
                ),
            );
        }
    }
    Some(Rule::Deadline {
        due: due?,
        late_deduct,
        workdays,
        zero_after: ind.zero_after,
    })
}

/// `rating`: how many highest and lowest scores are dropped, and the
/// scale the raters score on.
fn rating_rule(ind: &RawIndicator, sp: &Spanned<RawIndicator>, c: &mut Checker) -> Rule {
    let id = &ind.id;
    let zero = Decimal::ZERO;
    let scale = ind.scale.unwrap_or(Decimal::ONE_HUNDRED);
    if scale <= zero {
        c.at(
            sp,
            crate::tr!(
                "指标 {id}：scale = {scale}：应大于 0",
                "indicator {id}: scale = {scale}: must be > 0"
            ),
        );
    }
    Rule::Rating {
        trim: ind.trim.unwrap_or(0),
        scale,
    }
}

/// `relative`: which direction is better, and what the worst unit keeps.
fn relative_rule(ind: &RawIndicator, sp: &Spanned<RawIndicator>, c: &mut Checker) -> Rule {
    let id = &ind.id;
    let (zero, one) = (Decimal::ZERO, Decimal::ONE);
    let higher_is_better = match ind.direction.as_deref() {
        None | Some("higher") => true,
        Some("lower") => false,
        Some(d) => {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：direction = \"{d}\"：应为 \"higher\" 或 \"lower\"",
                    "indicator {id}: direction = \"{d}\": expected \"higher\" or \"lower\""
                ),
            );
            true
        }
    };
    let floor = ind.floor.unwrap_or(zero);
    if floor < zero || floor > one {
        c.at(
            sp,
            crate::tr!(
                "指标 {id}：floor = {floor}：应在 0 与 1 之间",
                "indicator {id}: floor = {floor}: must be between 0 and 1"
            ),
        );
    }
    Rule::Relative {
        higher_is_better,
        floor,
    }
}

/// `level`: the levels a unit may submit, each with its factor within
/// 0..1, none listed twice.
fn level_rule(ind: &RawIndicator, sp: &Spanned<RawIndicator>, c: &mut Checker) -> Rule {
    let id = &ind.id;
    let (zero, one) = (Decimal::ZERO, Decimal::ONE);
    let levels = ind.levels.clone().unwrap_or_default();
    if levels.is_empty() {
        c.at(
            sp,
            crate::tr!(
                "指标 {id}：level 规则需要 levels = [[\"优\", 1], …]",
                "indicator {id}: rule level needs levels = [[\"优\", 1], …]"
            ),
        );
    }
    let mut seen = BTreeSet::new();
    for (l, f) in &levels {
        if *f < zero || *f > one {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：等级“{l}” = {f}：应在 0 与 1 之间",
                    "indicator {id}: level \"{l}\" = {f}: must be between 0 and 1"
                ),
            );
        }
        if !seen.insert(crate::spelling::normalize(l)) {
            c.at(
                sp,
                crate::tr!(
                    "指标 {id}：等级“{l}”重复",
                    "indicator {id}: level \"{l}\" is listed twice"
                ),
            );
        }
    }
    Rule::Level { levels }
}
