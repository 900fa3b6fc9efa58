//! Why a parent's score is not the sum of its children's: what a unit
//! must be told to reconcile its own sheet (a veto under a pool zeroes the
//! whole parent; a pool deducts across its leaves, capped only by explicit
//! `max_deduct`s; N/A children are made up for by rescaling).

use super::rules::Outcome;
use crate::config::{Rescale, Rule, System};
use crate::num::Exact;

/// How a parent's score came to differ from the sum of its children.
#[derive(Clone, Debug, PartialEq)]
pub enum Gap {
    /// A `veto = "indicator"` record on `leaf`, below the pooled parent,
    /// zeroed the whole parent.
    PoolVeto { leaf: usize },
    /// The pool: `points − deducted`, floored at 0, against `children`
    /// (the sum of the leaves' own scores, each floored at 0).
    Pool { deducted: Exact, children: Exact },
    /// N/A children left out: `children × points / applicable`.
    Rescaled { children: Exact, applicable: Exact },
}

/// The gap at parent `i` for one unit, `None` where its score is the plain
/// sum of its applicable children (or it is a leaf, or N/A).
pub fn gap(
    system: &System,
    outcomes: &[Option<Outcome>],
    scores: &[Option<Exact>],
    i: usize,
) -> Option<Gap> {
    let node = &system.indicators[i];
    let score = scores[i]?;
    if node.is_leaf() {
        return None;
    }
    let applicable: Vec<usize> = node
        .children
        .iter()
        .copied()
        .filter(|&c| scores[c].is_some())
        .collect();
    let children = applicable.iter().fold(Exact::ZERO, |acc, &c| {
        acc.plus(scores[c].unwrap_or(Exact::ZERO))
    });
    if node.pool {
        if let Some(leaf) = vetoed_leaf(system, outcomes, i) {
            return Some(Gap::PoolVeto { leaf });
        }
        if score == children {
            return None;
        }
        return Some(Gap::Pool {
            deducted: node.points.minus(score),
            children,
        });
    }
    if system.rescale == Rescale::Flat || score == children {
        return None;
    }
    let points = applicable
        .iter()
        .fold(Exact::ZERO, |acc, &c| acc.plus(system.indicators[c].points));
    Some(Gap::Rescaled {
        children,
        applicable: points,
    })
}

/// The first leaf below `i` (tree order) with a veto that zeroed it.
fn vetoed_leaf(system: &System, outcomes: &[Option<Outcome>], i: usize) -> Option<usize> {
    let node = &system.indicators[i];
    if node.is_leaf() {
        let deduct = matches!(node.rule, Some(Rule::Deduct { .. }));
        let zeroed = matches!(outcomes[i], Some(Outcome::Deducted { zeroed: true, .. }));
        return (deduct && zeroed).then_some(i);
    }
    node.children
        .iter()
        .find_map(|&c| vetoed_leaf(system, outcomes, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::tree::aggregate;

    /// D (pool, 20 points): D1 8, D2 8, D3 4 (deduct); E (80): E1 40, E2 40.
    const INDICATORS: &str = r#"
[[indicator]]
id = "D"
name = "平台载体建设"
points = 20
pool = true
[[indicator]]
id = "D1"
parent = "D"
name = "网站"
points = 8
rule = "deduct"
[[indicator]]
id = "D2"
parent = "D"
name = "新媒体"
points = 8
rule = "deduct"
[[indicator]]
id = "D3"
parent = "D"
name = "安全"
points = 4
rule = "deduct"
[[indicator]]
id = "E"
name = "组织保障"
points = 80
[[indicator]]
id = "E1"
parent = "E"
name = "培训"
points = 40
rule = "manual"
[[indicator]]
id = "E2"
parent = "E"
name = "简报"
points = 40
rule = "manual"
allow_na = true
"#;

    fn ded(amount: i64, zeroed: bool) -> Option<Outcome> {
        Some(Outcome::Deducted {
            amount: Exact::from_int(amount),
            zeroed,
        })
    }

    fn system() -> System {
        crate::config::test_system(INDICATORS)
    }

    fn ix(s: &System, id: &str) -> usize {
        s.indicators.iter().position(|n| n.id == id).unwrap()
    }

    fn outcomes(s: &System, set: &[(&str, Option<Outcome>)]) -> Vec<Option<Outcome>> {
        let mut o = vec![None; s.indicators.len()];
        for (id, out) in set {
            o[ix(s, id)] = *out;
        }
        o
    }

    #[test]
    fn a_veto_under_a_pool_zeroes_the_parent_and_says_which_leaf() {
        let s = system();
        let half = Some(Outcome::Share(Exact::ratio(1.into(), 2.into())));
        let o = outcomes(
            &s,
            &[
                ("D1", ded(1, false)),
                ("D2", ded(0, false)),
                ("D3", ded(1, true)),
                ("E1", half),
                ("E2", half),
            ],
        );
        let (scores, _) = aggregate(&s, &o);
        // Leaves 7 + 8 + 0 = 15, but D is 0: the veto on D3.
        assert_eq!(scores[ix(&s, "D")], Some(Exact::ZERO));
        assert_eq!(
            gap(&s, &o, &scores, ix(&s, "D")),
            Some(Gap::PoolVeto { leaf: ix(&s, "D3") })
        );
        // E: 20 + 20 = 40 = its score: no gap.
        assert_eq!(gap(&s, &o, &scores, ix(&s, "E")), None);
    }

    #[test]
    fn a_pool_that_deducts_past_a_leaf_shows_the_deduction() {
        let s = system();
        let o = outcomes(
            &s,
            &[
                ("D1", ded(10, false)),
                ("D2", ded(0, false)),
                ("D3", ded(0, false)),
            ],
        );
        let (scores, _) = aggregate(&s, &o);
        // D1 alone would be 0 (8 − 10 floored): leaves 0 + 8 + 4 = 12; the
        // pool takes all 10: D = 20 − 10 = 10.
        assert_eq!(scores[ix(&s, "D")], Some(Exact::from_int(10)));
        assert_eq!(
            gap(&s, &o, &scores, ix(&s, "D")),
            Some(Gap::Pool {
                deducted: Exact::from_int(10),
                children: Exact::from_int(12)
            })
        );
    }

    #[test]
    fn an_na_child_is_made_up_for_by_rescaling() {
        let s = system();
        let quarter = Some(Outcome::Share(Exact::ratio(1.into(), 4.into())));
        let na = Some(Outcome::NotApplicable(
            crate::score::rules::NaReason::Declared,
        ));
        let o = outcomes(&s, &[("E1", quarter), ("E2", na)]);
        let (scores, _) = aggregate(&s, &o);
        // E1 = 10 of 40; E = 10 × 80 / 40 = 20.
        assert_eq!(scores[ix(&s, "E")], Some(Exact::from_int(20)));
        assert_eq!(
            gap(&s, &o, &scores, ix(&s, "E")),
            Some(Gap::Rescaled {
                children: Exact::from_int(10),
                applicable: Exact::from_int(40)
            })
        );
    }
}
