//! From the inputs to each unit's leaf [`Outcome`]s, with the details the
//! breakdown shows: what was submitted, which records deducted what, why a
//! leaf is N/A or 未报送. Nothing here depends on points.

use super::rules::{self, NaReason, Outcome};
use crate::config::{Rule, System, Veto};
use crate::ingest::{FastMap, Inputs, Status, Submission, Submitted, Value};
use crate::num::Exact;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Why a leaf that should have input has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// Nothing submitted (or no ratings).
    NotSubmitted,
    /// Submitted but 不通过 (rejected), which counts as nothing.
    Rejected,
}

impl Missing {
    pub fn label(self) -> &'static str {
        match self {
            Missing::NotSubmitted => "未报送",
            Missing::Rejected => "未报送（报送材料审核不通过）",
        }
    }
}

/// One finding's deduction (a unit's records of one issue) on a leaf or on
/// the total.
#[derive(Clone, Debug)]
pub struct Deduction {
    /// Index into `Inputs::findings`.
    pub finding: usize,
    pub amount: Decimal,
}

/// What the breakdown says about one leaf for one unit. Its texts are
/// boxed, not growable: every unit has one per indicator (at 100,000 units
/// and 22 indicators, 70 MB less than with `String`s and a `Vec`).
#[derive(Clone, Debug, Default)]
pub struct LeafDetail {
    /// The input as submitted (value, dates, rater scores), empty for deduct.
    pub input: Box<str>,
    pub deductions: Box<[Deduction]>,
    pub missing: Option<Missing>,
    /// Free explanation: days late, trimmed raters, vetoes.
    pub note: Box<str>,
    pub evidence: Option<Box<str>>,
}

/// A submitted value as the unit meant it, by the leaf's `input` kind: a
/// ratio as a percentage (0.599 and 59.9% both show as 59.9%), anything
/// else as typed.
fn shown_input(kind: crate::config::InputKind, s: &crate::ingest::Submission) -> String {
    match (kind, &s.value) {
        (crate::config::InputKind::Ratio, Value::Number(v)) => {
            format!("{}%", (*v * Decimal::ONE_HUNDRED).normalize())
        }
        _ => s.raw.clone(),
    }
}

/// Everything about one unit that does not depend on points.
#[derive(Clone, Debug)]
pub struct UnitEvidence {
    /// Per indicator; `None` for parents.
    pub outcomes: Vec<Option<Outcome>>,
    /// The leaves' details and one empty one that the parents share (at
    /// 100,000 units and 6 parents, 36 MB less than one per indicator):
    /// read by [`UnitEvidence::detail`].
    details: Vec<LeafDetail>,
    /// Where each indicator's detail is in `details`; one table for all
    /// units.
    slots: Arc<[u32]>,
    /// Σ min(max, points × count) over bonus items, before cap and gate.
    pub bonus_raw: Decimal,
    /// (bonus index, count, amount) for items the unit claimed.
    pub bonus_items: Vec<(usize, Decimal, Decimal)>,
    pub penalty: Decimal,
    pub penalties: Vec<Deduction>,
    /// Has a record of a `veto = "grade"` issue.
    pub vetoed: bool,
}

impl UnitEvidence {
    /// The details of indicator `i`: its input, deductions, notes (empty
    /// for a parent).
    pub fn detail(&self, i: usize) -> &LeafDetail {
        &self.details[self.slots[i] as usize]
    }

    fn detail_mut(&mut self, i: usize) -> &mut LeafDetail {
        &mut self.details[self.slots[i] as usize]
    }
}

/// Where each indicator's detail is among a unit's details: the leaves
/// from 1 in indicator order, every parent at 0 (the empty detail).
fn detail_slots(system: &System) -> Arc<[u32]> {
    let mut next = 0;
    let slot = |node: &crate::config::Indicator| match node.is_leaf() {
        true => {
            next += 1;
            next
        }
        false => 0,
    };
    system.indicators.iter().map(slot).collect()
}

/// Evaluates every unit (in parallel); warnings (未报送, untrimmable
/// ratings) are appended in roster order.
pub fn evaluate(
    system: &System,
    inputs: &Inputs,
    submitted: &Submitted,
    warnings: &mut Vec<String>,
) -> Vec<UnitEvidence> {
    use rayon::prelude::*;
    let relative = relative_ranges(system, inputs, submitted);
    let leaves = system.leaves();
    let slots = detail_slots(system);
    let results: Vec<(UnitEvidence, Vec<String>)> = (0..inputs.units.len())
        .into_par_iter()
        .map(|u| {
            let mut w = Vec::new();
            let context = (inputs, submitted, &slots);
            let ev = evaluate_unit(system, context, u, &leaves, &relative, &mut w);
            (ev, w)
        })
        .collect();
    results
        .into_iter()
        .map(|(ev, w)| {
            warnings.extend(w);
            ev
        })
        .collect()
}

fn counted(s: &Submission) -> bool {
    s.status != Status::Rejected
}

/// The applicability of a leaf to a unit, before any 不涉及 submission.
pub fn na_by_roster(
    system: &System,
    inputs: &Inputs,
    unit: usize,
    leaf: usize,
) -> Option<NaReason> {
    if !system.indicators[leaf].assesses_group(inputs.units[unit].group) {
        return Some(NaReason::Group);
    }
    let not_responsible = system.ancestry(leaf).any(|a| {
        inputs
            .duties
            .get(&a)
            .is_some_and(|units| !units.contains(&unit))
    });
    not_responsible.then_some(NaReason::Duty)
}

/// (leaf, group) -> (best, worst) over units that submitted a counted value.
fn relative_ranges(
    system: &System,
    inputs: &Inputs,
    submitted: &Submitted,
) -> FastMap<(usize, usize), (Decimal, Decimal)> {
    let mut out: FastMap<(usize, usize), (Decimal, Decimal)> = FastMap::default();
    for (unit, leaf, sub) in submitted.leaf_values() {
        let Some(Rule::Relative {
            higher_is_better, ..
        }) = &system.indicators[leaf].rule
        else {
            continue;
        };
        let (Value::Number(v), true) = (&sub.value, counted(sub)) else {
            continue;
        };
        if na_by_roster(system, inputs, unit, leaf).is_some() {
            continue;
        }
        let key = (leaf, inputs.units[unit].group);
        let better = |a: Decimal, b: Decimal| if *higher_is_better { a > b } else { a < b };
        let e = out.entry(key).or_insert((*v, *v));
        if better(*v, e.0) {
            e.0 = *v;
        }
        if better(e.1, *v) {
            e.1 = *v;
        }
    }
    out
}

fn evaluate_unit(
    system: &System,
    (inputs, submitted, slots): (&Inputs, &Submitted, &Arc<[u32]>),
    u: usize,
    leaves: &[usize],
    relative: &FastMap<(usize, usize), (Decimal, Decimal)>,
    warnings: &mut Vec<String>,
) -> UnitEvidence {
    let unit = &inputs.units[u];
    let n = system.indicators.len();
    let mut ev = UnitEvidence {
        outcomes: vec![None; n],
        details: vec![LeafDetail::default(); leaves.len() + 1],
        slots: Arc::clone(slots),
        bonus_raw: Decimal::ZERO,
        bonus_items: Vec::new(),
        penalty: Decimal::ZERO,
        penalties: Vec::new(),
        vetoed: false,
    };
    // Findings: per leaf deductions, total-level penalties, vetoes.
    let mut leaf_findings: FastMap<usize, Vec<usize>> = FastMap::default();
    for (f, finding) in inputs.findings.of(u) {
        let issue = &system.issues[finding.issue];
        if issue.veto == Veto::Grade && finding.counts() {
            ev.vetoed = true;
        }
        match issue.indicator {
            Some(leaf) => leaf_findings.entry(leaf).or_default().push(f),
            None => {
                let amount = issue.deduct * finding.count;
                ev.penalty += amount;
                ev.penalties.push(Deduction { finding: f, amount });
            }
        }
    }
    for (b, bonus) in system.bonuses.iter().enumerate() {
        if let Some(sub) = submitted.bonus(u, b).filter(|s| counted(s)) {
            if let Value::Number(count) = sub.value {
                let raw = bonus.points * count;
                let amount = bonus.max.map_or(raw, |m| raw.min(m));
                ev.bonus_raw += amount;
                ev.bonus_items.push((b, count, amount));
            }
        }
    }
    for &leaf in leaves {
        let node = &system.indicators[leaf];
        let Some(rule) = &node.rule else { continue };
        let detail = ev.detail_mut(leaf);
        let sub = submitted.leaf(u, leaf);
        if let Some(s) = sub {
            detail.input = shown_input(node.input, s).into();
            detail.evidence = s.evidence.as_deref().map(Box::from);
        }
        let mut outcome = na_by_roster(system, inputs, u, leaf).map(Outcome::NotApplicable);
        if outcome.is_none() && sub.is_some_and(|s| counted(s) && s.value == Value::NotApplicable) {
            outcome = Some(Outcome::NotApplicable(NaReason::Declared));
        }
        let outcome = match outcome {
            Some(o) => {
                if leaf_findings.contains_key(&leaf) {
                    warnings.push(crate::tr!(
"{} {}：{} 不适用于该单位，其检查记录不计分",
"{} {}: inspection records on {} are ignored, the item does not apply to this unit", unit.id, unit.name, node.id));
                }
                o
            }
            None => match rule {
                Rule::Deduct { .. } => {
                    deduct_outcome(system, inputs, leaf_findings.get(&leaf), detail)
                }
                Rule::Rating { trim, .. } => rating_outcome(
                    system,
                    (inputs, submitted),
                    u,
                    leaf,
                    *trim,
                    detail,
                    warnings,
                ),
                _ => submission_outcome(
                    system, inputs, u, leaf, rule, sub, relative, detail, warnings,
                ),
            },
        };
        ev.outcomes[leaf] = Some(outcome);
    }
    ev
}

fn deduct_outcome(
    system: &System,
    inputs: &Inputs,
    findings: Option<&Vec<usize>>,
    detail: &mut LeafDetail,
) -> Outcome {
    let mut amount = Decimal::ZERO;
    let mut zeroed = false;
    let mut deductions = Vec::new();
    for &f in findings.into_iter().flatten() {
        let finding = &inputs.findings[f];
        let issue = &system.issues[finding.issue];
        let d = issue.deduct * finding.count;
        amount += d;
        deductions.push(Deduction {
            finding: f,
            amount: d,
        });
        if issue.veto == Veto::Indicator && finding.counts() {
            zeroed = true;
            detail.note = format!("{}（{}）：单项否决，本项计0分", issue.code, issue.name).into();
        }
    }
    detail.deductions = deductions.into();
    Outcome::Deducted {
        amount: Exact::from_decimal(amount),
        zeroed,
    }
}

fn rating_outcome(
    system: &System,
    (inputs, submitted): (&Inputs, &Submitted),
    u: usize,
    leaf: usize,
    trim: u32,
    detail: &mut LeafDetail,
    warnings: &mut Vec<String>,
) -> Outcome {
    let Some(ratings) = submitted.ratings(u, leaf) else {
        detail.missing = Some(Missing::NotSubmitted);
        let unit = &inputs.units[u];
        warnings.push(crate::tr!(
            "{} {}：{}（{}）没有评分，计 0 分（未报送）",
            "{} {}: no ratings for {} ({}): scored 0 (未报送)",
            unit.id,
            unit.name,
            leaf_id(system, leaf),
            system.indicators[leaf].name
        ));
        return Outcome::Share(Exact::ZERO);
    };
    let scores: Vec<Decimal> = ratings.iter().map(|r| r.score).collect();
    let (mean, dropped) = rules::trimmed_mean(&scores, trim);
    let Some(Rule::Rating { scale, .. }) = &system.indicators[leaf].rule else {
        return Outcome::Share(Exact::ZERO);
    };
    detail.input = ratings
        .iter()
        .map(|r| format!("{} {}", r.rater, r.score))
        .collect::<Vec<_>>()
        .join("；")
        .into();
    match dropped {
        Some(d) if !d.is_empty() => {
            let names: Vec<String> = d
                .iter()
                .map(|&i| format!("{} {}", ratings[i].rater, ratings[i].score))
                .collect();
            detail.note = format!(
                "去掉最高最低：{}；平均 {}",
                names.join("、"),
                mean.publish(4).normalize()
            )
            .into();
        }
        Some(_) => detail.note = format!("平均 {}", mean.publish(4).normalize()).into(),
        None => {
            detail.note = format!(
                "评分人数 {} 不足，未去掉最高最低；平均 {}",
                scores.len(),
                mean.publish(4).normalize()
            )
            .into();
            let unit = &inputs.units[u];
            warnings.push(crate::tr!(
"{} {}：{} 只有 {} 个评分，不足以去掉 {} 个最高分和最低分，按简单平均计",
"{} {}: {} has {} rating(s), too few to drop {} highest and lowest; the plain mean is used", unit.id, unit.name, leaf_id(system, leaf), scores.len(), trim));
        }
    }
    Outcome::Share(
        mean.over(Exact::from_decimal(*scale))
            .min(Exact::from_int(1)),
    )
}

fn leaf_id(system: &System, leaf: usize) -> &str {
    &system.indicators[leaf].id
}

#[allow(clippy::too_many_arguments)]
fn submission_outcome(
    system: &System,
    inputs: &Inputs,
    u: usize,
    leaf: usize,
    rule: &Rule,
    sub: Option<&Submission>,
    relative: &FastMap<(usize, usize), (Decimal, Decimal)>,
    detail: &mut LeafDetail,
    warnings: &mut Vec<String>,
) -> Outcome {
    let unit = &inputs.units[u];
    let value = match sub {
        Some(s) if counted(s) => &s.value,
        other => {
            let why = if other.is_some() {
                Missing::Rejected
            } else {
                Missing::NotSubmitted
            };
            detail.missing = Some(why);
            warnings.push(crate::tr!(
                "{} {}：{}（{}）：{}，计 0 分",
                "{} {}: {} ({}): {}, scored 0",
                unit.id,
                unit.name,
                leaf_id(system, leaf),
                system.indicators[leaf].name,
                why.label()
            ));
            return Outcome::Share(Exact::ZERO);
        }
    };
    match (rule, value) {
        (Rule::Curve { curve, step }, Value::Number(v)) => {
            Outcome::Share(rules::curve_share(curve, *step, *v))
        }
        (Rule::Manual, Value::Number(v)) => {
            let p = system.indicators[leaf].points;
            Outcome::Share(Exact::from_decimal(*v).over(p))
        }
        (Rule::Relative { floor, .. }, Value::Number(v)) => {
            let (best, worst) = relative
                .get(&(leaf, unit.group))
                .copied()
                .unwrap_or((*v, *v));
            let shown = |v: Decimal| match system.indicators[leaf].input {
                crate::config::InputKind::Ratio => {
                    format!("{}%", (v * Decimal::ONE_HUNDRED).normalize())
                }
                _ => v.normalize().to_string(),
            };
            detail.note = format!("组内最优 {}，最差 {}", shown(best), shown(worst)).into();
            Outcome::Share(rules::relative_share(*v, best, worst, *floor))
        }
        (Rule::Level { levels }, Value::Level(i)) => Outcome::Share(
            levels
                .get(*i)
                .map_or(Exact::ZERO, |l| Exact::from_decimal(l.1)),
        ),
        (
            Rule::Deadline {
                due,
                late_deduct,
                workdays,
                zero_after,
            },
            Value::Date(d),
        ) => {
            let late = rules::units_late(*due, *d, *workdays, &system.calendar);
            let unit_name = if *workdays { "个工作日" } else { "天" };
            detail.note = if late == 0 {
                format!("按期（截止 {due}）")
            } else {
                format!("逾期 {late} {unit_name}（截止 {due}）")
            }
            .into();
            rules::deadline_outcome(late, *late_deduct, *zero_after)
        }
        _ => Outcome::Share(Exact::ZERO),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_ratio_shows_as_a_percentage_however_it_was_typed() {
        use crate::config::InputKind;
        use crate::ingest::{Status, Submission};
        let sub = |raw: &str, v: &str| Submission {
            raw: raw.into(),
            value: Value::Number(v.parse().unwrap()),
            status: Status::Approved,
            evidence: None,
        };
        // 0.599 typed, an Excel percent cell read as 0.599, and 59.9%.
        assert_eq!(
            shown_input(InputKind::Ratio, &sub("0.599", "0.599")),
            "59.9%"
        );
        assert_eq!(
            shown_input(InputKind::Ratio, &sub("59.9%", "0.599")),
            "59.9%"
        );
        assert_eq!(shown_input(InputKind::Ratio, &sub("1", "1")), "100%");
        // A count or a plain number stays as typed.
        assert_eq!(shown_input(InputKind::Count, &sub("3.0", "3")), "3.0");
        assert_eq!(shown_input(InputKind::Number, &sub("50%", "0.5")), "50%");
    }

    use super::*;

    /// 审核不通过 counts as nothing submitted; 待审核 (pending) and 通过
    /// count (the demo's 市行政审批局 C1 is the rejected case end to end).
    #[test]
    fn a_rejected_submission_is_not_counted_and_a_pending_one_is() {
        use crate::ingest::{Status, Submission};
        let sub = |status| Submission {
            raw: "38%".into(),
            value: Value::Number(Decimal::new(38, 2)),
            status,
            evidence: None,
        };
        assert!(counted(&sub(Status::Approved)));
        assert!(counted(&sub(Status::Pending)));
        assert!(!counted(&sub(Status::Rejected)));
    }

    /// A parent between leaves: the leaves have their own detail, in
    /// indicator order from 1; the parent reads the shared empty one.
    #[test]
    fn leaves_have_their_own_details_and_parents_share_an_empty_one() {
        let system = crate::config::test_system(
            r#"
[[indicator]]
id = "P1"
name = "主动公开"
points = 70
rule = "manual"
[[indicator]]
id = "P2"
name = "平台建设"
points = 30
[[indicator]]
id = "P2.1"
parent = "P2"
name = "政府网站"
points = 30
rule = "manual"
"#,
        );
        let slots = detail_slots(&system);
        assert_eq!(&slots[..], &[1, 0, 2]);
        let mut ev = UnitEvidence {
            outcomes: vec![None; 3],
            details: vec![LeafDetail::default(); 3],
            slots,
            bonus_raw: Decimal::ZERO,
            bonus_items: Vec::new(),
            penalty: Decimal::ZERO,
            penalties: Vec::new(),
            vetoed: false,
        };
        ev.detail_mut(0).input = "90".into();
        ev.detail_mut(2).input = "80".into();
        assert_eq!(&*ev.detail(0).input, "90");
        assert_eq!(&*ev.detail(1).input, "", "P2 is a parent");
        assert_eq!(&*ev.detail(2).input, "80");
    }
}
