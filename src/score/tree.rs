//! Aggregation up the indicator tree: a parent scores
//! `Σ child scores × points / Σ points of its applicable children` (N/A
//! children are left out and the rest rescaled), a pooled parent
//! `points − Σ deductions below`; the base total is the same at the root on
//! `full_score`. With flat conversion (折算) a parent adds up its applicable
//! children and only the base total is converted. Points come from the [`System`] passed in, so a what-if
//! re-runs this with changed points and the same outcomes.

use super::rules::Outcome;
use crate::config::{Rescale, Rule, System};
use crate::num::Exact;

/// Every indicator's exact score (`None` = N/A) and the base total.
pub fn aggregate(system: &System, outcomes: &[Option<Outcome>]) -> (Vec<Option<Exact>>, Exact) {
    let mut scores = vec![None; system.indicators.len()];
    for &r in &system.roots {
        node_score(system, outcomes, r, &mut scores);
    }
    let base = base_total(system, &scores).unwrap_or(Exact::ZERO);
    (scores, base)
}

/// The sums the base total is made of: the applicable top-level
/// indicators' scores and their applicable points (应得分). The base total
/// is `score × full_score / applicable`; `None` when nothing applies.
pub fn top_sums(system: &System, scores: &[Option<Exact>]) -> Option<(Exact, Exact)> {
    let children: Vec<(Option<Exact>, Exact)> = system
        .roots
        .iter()
        .map(|&r| (scores[r], applicable_points(system, scores, r)))
        .collect();
    sums(&children)
}

/// The base total on `full_score`, `None` when nothing applies.
fn base_total(system: &System, scores: &[Option<Exact>]) -> Option<Exact> {
    let (sum, applicable) = top_sums(system, scores)?;
    Some(rescaled(
        sum,
        applicable,
        Exact::from_decimal(system.full_score),
    ))
}

/// A node's applicable points: its points when it applies, with flat
/// conversion the applicable points of the part of it that applies (a leaf
/// and a pooled parent count whole); zero when N/A.
pub fn applicable_points(system: &System, scores: &[Option<Exact>], i: usize) -> Exact {
    let node = &system.indicators[i];
    if scores[i].is_none() {
        return Exact::ZERO;
    }
    if system.rescale == Rescale::Parent || node.is_leaf() || node.pool {
        return node.points;
    }
    node.children.iter().fold(Exact::ZERO, |acc, &c| {
        acc.plus(applicable_points(system, scores, c))
    })
}

/// Σ scores and Σ applicable points over the children that apply; `None`
/// when none does.
fn sums(children: &[(Option<Exact>, Exact)]) -> Option<(Exact, Exact)> {
    let mut sum = Exact::ZERO;
    let mut applicable = Exact::ZERO;
    let mut any = false;
    for (score, p) in children {
        if let Some(s) = score {
            sum = sum.plus(*s);
            applicable = applicable.plus(*p);
            any = true;
        }
    }
    any.then_some((sum, applicable))
}

/// `sum × points / applicable` (0 when nothing is applicable).
fn rescaled(sum: Exact, applicable: Exact, points: Exact) -> Exact {
    if applicable.is_zero() {
        return Exact::ZERO;
    }
    sum.times(points).over(applicable)
}

fn node_score(
    system: &System,
    outcomes: &[Option<Outcome>],
    i: usize,
    scores: &mut [Option<Exact>],
) -> Option<Exact> {
    let node = &system.indicators[i];
    let s = if node.is_leaf() {
        let cap = match &node.rule {
            Some(Rule::Deduct { max_deduct }) => *max_deduct,
            _ => None,
        };
        outcomes[i].and_then(|o| o.score(node.points, cap))
    } else {
        for &c in &node.children {
            node_score(system, outcomes, c, scores);
        }
        if node.pool {
            pooled_score(system, outcomes, i)
        } else {
            let children: Vec<(Option<Exact>, Exact)> = node
                .children
                .iter()
                .map(|&c| (scores[c], system.indicators[c].points))
                .collect();
            sums(&children).map(|(sum, applicable)| match system.rescale {
                Rescale::Parent => rescaled(sum, applicable, node.points),
                Rescale::Flat => sum,
            })
        }
    };
    scores[i] = s;
    s
}

/// `points − Σ deductions of the leaves below` (each capped only by an
/// explicit `max_deduct`), floored at 0; 0 on a veto; N/A when every leaf is.
fn pooled_score(system: &System, outcomes: &[Option<Outcome>], i: usize) -> Option<Exact> {
    let mut total = Exact::ZERO;
    let mut any = false;
    let mut stack = vec![i];
    while let Some(k) = stack.pop() {
        let node = &system.indicators[k];
        if !node.is_leaf() {
            stack.extend(node.children.iter().copied());
            continue;
        }
        match outcomes[k] {
            Some(Outcome::Deducted { zeroed: true, .. }) => return Some(Exact::ZERO),
            Some(Outcome::Deducted { amount, .. }) => {
                any = true;
                let cap = match &node.rule {
                    Some(Rule::Deduct {
                        max_deduct: Some(m),
                    }) => amount.min(Exact::from_decimal(*m)),
                    _ => amount,
                };
                total = total.plus(cap);
            }
            Some(Outcome::Share(_)) => any = true,
            Some(Outcome::NotApplicable(_)) | None => {}
        }
    }
    any.then(|| system.indicators[i].points.minus(total).clamp_zero())
}
