//! Aggregation up the indicator tree: a parent scores
//! `Σ child scores × points / Σ points of its applicable children` (N/A
//! children are left out and the rest rescaled), a pooled parent
//! `points − Σ deductions below`; the base total is the same at the root on
//! `full_score`. Points come from the [`System`] passed in, so a what-if
//! re-runs this with changed points and the same outcomes.

use super::rules::Outcome;
use crate::config::{Rule, System};
use crate::num::Exact;

/// Every indicator's exact score (`None` = N/A) and the base total.
pub fn aggregate(system: &System, outcomes: &[Option<Outcome>]) -> (Vec<Option<Exact>>, Exact) {
    let mut scores = vec![None; system.indicators.len()];
    let root_scores: Vec<(Option<Exact>, Exact)> = system
        .roots
        .iter()
        .map(|&r| {
            (
                node_score(system, outcomes, r, &mut scores),
                system.indicators[r].points,
            )
        })
        .collect();
    let base =
        rescaled_sum(&root_scores, Exact::from_decimal(system.full_score)).unwrap_or(Exact::ZERO);
    (scores, base)
}

/// `Σ scores × points / Σ applicable points`, `None` when nothing applies.
fn rescaled_sum(children: &[(Option<Exact>, Exact)], points: Exact) -> Option<Exact> {
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
    if !any || applicable.is_zero() {
        return if any { Some(Exact::ZERO) } else { None };
    }
    Some(sum.times(points).over(applicable))
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
        let children: Vec<(Option<Exact>, Exact)> = node
            .children
            .iter()
            .map(|&c| {
                (
                    node_score(system, outcomes, c, scores),
                    system.indicators[c].points,
                )
            })
            .collect();
        if node.pool {
            pooled_score(system, outcomes, i)
        } else {
            rescaled_sum(&children, node.points)
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
