//! What inspections and submissions record against the tree: the kinds
//! of issue (each pointing at a deduct leaf or at the total, with its
//! deduction and veto) and the bonus items, and the one namespace of ids
//! that indicators, issues and bonuses share.

use super::checker::{valid_id, Checker, LIMIT};
use super::raw::RawSystem;
use super::*;
use std::collections::HashMap;

pub(super) fn check_unique_ids(raw: &RawSystem, c: &mut Checker) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let all = raw
        .indicator
        .iter()
        .map(|s| (s.get_ref().id.clone(), "indicator", s.span()))
        .chain(
            raw.issue
                .iter()
                .map(|s| (s.get_ref().code.clone(), "issue", s.span())),
        )
        .chain(
            raw.bonus
                .iter()
                .map(|s| (s.get_ref().id.clone(), "bonus", s.span())),
        );
    let word = |kind: &str| match kind {
        "indicator" => crate::tr!("指标", "indicator"),
        "issue" => crate::tr!("问题", "issue"),
        _ => crate::tr!("加分项", "bonus"),
    };
    for (id, kind, span) in all {
        if let Some(first) = seen.get(&id) {
            let place = line_col(c.text, span.start);
            let (kind, first) = (word(kind), word(first));
            c.errors.push(Diagnostic::new(
                c.file,
                place,
                crate::tr!(
"{kind}代码“{id}”已被{first}使用；指标、问题和加分项的代码都不能重复",
"id \"{id}\" of this {kind} is already used by an {first}; ids are unique across indicators, issues and bonuses"),
            ));
        } else {
            seen.insert(id, kind);
        }
    }
}

pub(super) fn resolve_issues(
    raw: &RawSystem,
    nodes: &[Indicator],
    ids: &HashMap<&str, usize>,
    c: &mut Checker,
) -> Vec<Issue> {
    let mut out = Vec::new();
    for sp in &raw.issue {
        let r = sp.get_ref();
        if !valid_id(&r.code) {
            c.at(
                sp,
                crate::tr!(
                    "问题代码“{}”：只能用字母、数字和 _ . -",
                    "issue code \"{}\": use letters, digits, _ . - only",
                    r.code
                ),
            );
        }
        let indicator = r
            .indicator
            .as_ref()
            .and_then(|id| match ids.get(id.as_str()) {
                None => {
                    c.at(
                        sp,
                        crate::tr!(
                            "问题 {}：指标“{id}”不存在",
                            "issue {}: indicator \"{id}\" does not exist",
                            r.code
                        ),
                    );
                    None
                }
                Some(&i) if !matches!(nodes[i].rule, Some(Rule::Deduct { .. })) => {
                    let what = if nodes[i].is_leaf() {
                        crate::tr!("其他计分规则的末级指标", "a leaf with another rule")
                    } else {
                        crate::tr!("上级指标", "a parent")
                    };
                    c.at(
                        sp,
                        crate::tr!(
"问题 {}：指标 {id} 是{what}；问题只能指向扣分制（deduct）的末级指标",
"issue {}: indicator {id} is {what}; an issue must point at a leaf with rule \"deduct\"", r.code),
                    );
                    None
                }
                Some(&i) => Some(i),
            });
        if r.deduct > Decimal::from(LIMIT) {
            c.at(
                sp,
                crate::tr!(
                    "问题 {}：deduct = {}：最多为 {LIMIT}",
                    "issue {}: deduct = {}: at most {LIMIT}",
                    r.code,
                    r.deduct
                ),
            );
        }
        if r.deduct < Decimal::ZERO {
            c.at(
                sp,
                crate::tr!(
                    "问题 {}：deduct = {}：应不小于 0",
                    "issue {}: deduct = {}: must be >= 0",
                    r.code,
                    r.deduct
                ),
            );
        }
        let veto = match r.veto.as_deref() {
            None | Some("none") => Veto::None,
            Some("indicator") => Veto::Indicator,
            Some("grade") => Veto::Grade,
            Some(v) => {
                c.at(
                    sp,
                    crate::tr!(
                        "问题 {}：veto = \"{v}\"：应为 \"none\"、\"indicator\" 或 \"grade\"",
                        "issue {}: veto = \"{v}\": expected \"none\", \"indicator\" or \"grade\"",
                        r.code
                    ),
                );
                Veto::None
            }
        };
        if veto == Veto::Indicator && r.indicator.is_none() {
            c.at(
                sp,
                crate::tr!(
                    "问题 {}：veto = \"indicator\" 需要指定计 0 分的指标（indicator）",
                    "issue {}: veto = \"indicator\" needs an indicator to zero",
                    r.code
                ),
            );
        }
        out.push(Issue {
            code: r.code.clone(),
            name: r.name.clone(),
            indicator,
            deduct: r.deduct,
            veto,
        });
    }
    out
}

pub(super) fn resolve_bonuses(raw: &RawSystem, c: &mut Checker) -> Vec<Bonus> {
    raw.bonus
        .iter()
        .map(|sp| {
            let r = sp.get_ref();
            if !valid_id(&r.id) {
                c.at(
                    sp,
                    crate::tr!(
                        "加分项代码“{}”：只能用字母、数字和 _ . -",
                        "bonus id \"{}\": use letters, digits, _ . - only",
                        r.id
                    ),
                );
            }
            if r.points <= Decimal::ZERO {
                c.at(
                    sp,
                    crate::tr!(
                        "加分项 {}：points = {}：应大于 0",
                        "bonus {}: points = {}: must be > 0",
                        r.id,
                        r.points
                    ),
                );
            }
            if let Some(m) = r.max {
                if m <= Decimal::ZERO {
                    c.at(
                        sp,
                        crate::tr!(
                            "加分项 {}：max = {m}：应大于 0",
                            "bonus {}: max = {m}: must be > 0",
                            r.id
                        ),
                    );
                }
            }
            Bonus {
                id: r.id.clone(),
                name: r.name.clone(),
                points: r.points,
                max: r.max,
            }
        })
        .collect()
}
