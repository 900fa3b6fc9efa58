//! The scoring of an [`Assessment`] compiled to flat f64 arrays, for the
//! thousands of rescorings of `sensitivity`: every unit's leaf outcomes are
//! fixed, each rescoring changes only the points, aggregates the tree (at
//! every parent, or flat), applies bonus, penalty and caps, and ranks and
//! grades each group as [`crate::rank`] does. f64 here only: the baseline
//! ranks and every published figure stay exact.

use crate::assess::Assessment;
use crate::config::{validate::resolved_points, RankTies, Rule, Share, System};
use crate::score::rules::Outcome;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// A leaf outcome in f64.
#[derive(Clone, Copy)]
enum Leaf {
    Na,
    Share(f64),
    Deducted(f64),
    Zeroed,
}

/// The scoring of an [`Assessment`] compiled to flat f64 arrays.
pub struct Model {
    shares: Vec<Share>,
    roots: Vec<usize>,
    /// Children before parents.
    post_order: Vec<usize>,
    children: Vec<Vec<usize>>,
    /// For pooled parents: the leaves below.
    pool_leaves: Vec<Option<Vec<usize>>>,
    /// Explicit `max_deduct` of deduct leaves.
    cap: Vec<Option<f64>>,
    full: Decimal,
    full_f: f64,
    /// Flat conversion (折算): parents add up, the base total converts once.
    flat: bool,
    bonus_cap: f64,
    bonus_gate: Option<f64>,
    cap_at_full: bool,
    veto_cap: Option<f64>,
    scale: f64,
    ties: RankTies,
    tie_break: Vec<usize>,
    /// (min, the grade with its quota) of each grade, best first.
    grades: Vec<(f64, crate::config::Grade)>,
    /// Per unit: leaf outcomes indexed by indicator (parents unused).
    units: Vec<UnitModel>,
    /// Units of each group.
    groups: Vec<Vec<usize>>,
}

struct UnitModel {
    leaves: Vec<Leaf>,
    bonus_raw: f64,
    penalty: f64,
    vetoed: bool,
}

fn to_f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

impl Model {
    pub fn new(a: &Assessment) -> Model {
        let s = &a.system;
        let n = s.indicators.len();
        let mut post_order = s.tree_order();
        post_order.reverse();
        let pool_leaves = (0..n)
            .map(|i| {
                s.indicators[i].pool.then(|| {
                    s.leaves()
                        .into_iter()
                        .filter(|&l| s.lineage(l).contains(&i))
                        .collect()
                })
            })
            .collect();
        let cap = s
            .indicators
            .iter()
            .map(|ind| match &ind.rule {
                Some(Rule::Deduct { max_deduct }) => max_deduct.map(to_f),
                _ => None,
            })
            .collect();
        let units = a
            .evidence
            .iter()
            .map(|ev| UnitModel {
                leaves: ev
                    .outcomes
                    .iter()
                    .map(|o| match o {
                        None | Some(Outcome::NotApplicable(_)) => Leaf::Na,
                        Some(Outcome::Share(f)) => Leaf::Share(f.to_f64()),
                        Some(Outcome::Deducted { zeroed: true, .. }) => Leaf::Zeroed,
                        Some(Outcome::Deducted { amount, .. }) => Leaf::Deducted(amount.to_f64()),
                    })
                    .collect(),
                bonus_raw: to_f(ev.bonus_raw),
                penalty: to_f(ev.penalty),
                vetoed: ev.vetoed,
            })
            .collect();
        Model {
            shares: s.indicators.iter().map(|i| i.share).collect(),
            roots: s.roots.clone(),
            post_order,
            children: s.indicators.iter().map(|i| i.children.clone()).collect(),
            pool_leaves,
            cap,
            full: s.full_score,
            full_f: to_f(s.full_score),
            flat: s.rescale == crate::config::Rescale::Flat,
            bonus_cap: to_f(s.bonus_cap),
            bonus_gate: s.bonus_gate.map(to_f),
            cap_at_full: s.cap_at_full,
            veto_cap: s.veto_cap.map(to_f),
            scale: 10f64.powi(s.precision as i32),
            ties: s.rank_ties,
            tie_break: s.tie_break.clone(),
            grades: s.grades.iter().map(|g| (to_f(g.min), g.clone())).collect(),
            units,
            groups: a.ranking.order.clone(),
        }
    }

    /// Every indicator's points after multiplying each share by its factor.
    fn points(&self, system: &System, factors: &[f64]) -> Vec<f64> {
        let mut nodes = system.indicators.clone();
        for (i, node) in nodes.iter_mut().enumerate() {
            let f = Decimal::from_f64(factors[i]).unwrap_or(Decimal::ONE);
            node.share = match self.shares[i] {
                Share::Points(p) => Share::Points(p * f),
                Share::Weight(w) => Share::Weight(w * f),
                Share::Sum => Share::Points(node.points.to_decimal() * f),
            };
        }
        resolved_points(&nodes, &self.roots, self.full)
            .into_iter()
            .map(|p| p.to_f64())
            .collect()
    }

    /// One unit's node scores (NaN = N/A) into `scores` and their
    /// applicable points into `applicable`; returns the total.
    fn score_unit(
        &self,
        u: &UnitModel,
        points: &[f64],
        scores: &mut [f64],
        applicable: &mut [f64],
    ) -> f64 {
        for &i in &self.post_order {
            let p = points[i];
            scores[i] = if self.children[i].is_empty() {
                match u.leaves[i] {
                    Leaf::Na => f64::NAN,
                    Leaf::Share(f) => p * f,
                    Leaf::Zeroed => 0.0,
                    Leaf::Deducted(d) => (p - d.min(self.cap[i].unwrap_or(p))).max(0.0),
                }
            } else if let Some(leaves) = &self.pool_leaves[i] {
                let mut lost = 0.0;
                let mut any = false;
                let mut zero = false;
                for &l in leaves {
                    match u.leaves[l] {
                        Leaf::Na => {}
                        Leaf::Zeroed => zero = true,
                        Leaf::Deducted(d) => {
                            any = true;
                            lost += self.cap[l].map_or(d, |c| d.min(c));
                        }
                        Leaf::Share(_) => any = true,
                    }
                }
                if zero {
                    0.0
                } else if any {
                    (p - lost).max(0.0)
                } else {
                    f64::NAN
                }
            } else if self.flat {
                sum_applicable(&self.children[i], scores, applicable).0
            } else {
                rescaled(&self.children[i], scores, applicable, p)
            };
            applicable[i] = if scores[i].is_nan() {
                0.0
            } else if self.flat && !self.children[i].is_empty() && self.pool_leaves[i].is_none() {
                sum_applicable(&self.children[i], scores, applicable).1
            } else {
                p
            };
        }
        let base = if self.roots.is_empty() {
            0.0
        } else {
            rescaled(&self.roots, scores, applicable, self.full_f)
        };
        let base = if base.is_nan() { 0.0 } else { base };
        let bonus = if self.bonus_gate.is_some_and(|g| base < g - 1e-9) {
            0.0
        } else {
            u.bonus_raw.min(self.bonus_cap)
        };
        let mut total = (base + bonus - u.penalty).max(0.0);
        if self.cap_at_full {
            total = total.min(self.full_f);
        }
        if u.vetoed {
            if let Some(c) = self.veto_cap {
                total = total.min(c);
            }
        }
        total
    }

    fn publish(&self, x: f64) -> f64 {
        // Half away from zero, with a nudge against binary representation error.
        (x * self.scale + 1e-7).round() / self.scale
    }

    /// Ranks and grades of every unit for one set of factors.
    pub fn standings(&self, system: &System, factors: &[f64]) -> (Vec<u32>, Vec<u8>) {
        let points = self.points(system, factors);
        let mut scores = vec![0.0; points.len()];
        let mut applicable = vec![0.0; points.len()];
        let keys: Vec<Vec<f64>> = self
            .units
            .iter()
            .map(|u| {
                let total = self.score_unit(u, &points, &mut scores, &mut applicable);
                let mut key = vec![self.publish(total)];
                key.extend(self.tie_break.iter().map(|&t| {
                    if scores[t].is_nan() {
                        f64::NEG_INFINITY
                    } else {
                        self.publish(scores[t])
                    }
                }));
                key
            })
            .collect();
        let mut ranks = vec![0u32; self.units.len()];
        let mut grades = vec![0u8; self.units.len()];
        for members in &self.groups {
            let mut order = members.clone();
            order.sort_by(|&a, &b| {
                keys[b]
                    .partial_cmp(&keys[a])
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            let mut rank = 0;
            for (pos, &u) in order.iter().enumerate() {
                if pos == 0 || keys[order[pos - 1]] != keys[u] {
                    rank = match self.ties {
                        RankTies::Competition => pos as u32 + 1,
                        RankTies::Dense => rank + 1,
                    };
                }
                ranks[u] = rank;
            }
            self.grade(&order, &keys, &ranks, &mut grades);
        }
        (ranks, grades)
    }

    /// The grades of one group's units in rank order (`order`), as
    /// [`crate::rank`] gives them: the band of the published total, the last
    /// grade on a veto, then each quota from the best grade down (a tie the
    /// allowance would split drops whole, with everyone below it).
    fn grade(&self, order: &[usize], keys: &[Vec<f64>], ranks: &[u32], grades: &mut [u8]) {
        let last = self.grades.len().saturating_sub(1);
        for &u in order {
            grades[u] = if self.units[u].vetoed {
                last as u8
            } else {
                let total = keys[u][0];
                self.grades
                    .iter()
                    .position(|(min, _)| *min <= total + 1e-9)
                    .unwrap_or(last) as u8
            };
        }
        for (g, (_, grade)) in self.grades.iter().enumerate().take(last) {
            let Some(allowance) = grade.allowance(order.len()) else {
                continue;
            };
            let allowance = rust_decimal::prelude::ToPrimitive::to_usize(&allowance).unwrap_or(0);
            let in_grade: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&u| grades[u] == g as u8)
                .collect();
            let mut admitted = 0;
            let mut i = 0;
            while i < in_grade.len() {
                let rank = ranks[in_grade[i]];
                let end = in_grade[i..]
                    .iter()
                    .position(|&u| ranks[u] != rank)
                    .map_or(in_grade.len(), |k| i + k);
                if admitted + (end - i) > allowance {
                    for &u in &in_grade[i..] {
                        grades[u] = g as u8 + 1;
                    }
                    break;
                }
                admitted += end - i;
                i = end;
            }
        }
    }
}

/// Σ scores and Σ applicable points of the children that apply (NaN when
/// none does).
fn sum_applicable(children: &[usize], scores: &[f64], applicable: &[f64]) -> (f64, f64) {
    let mut sum = 0.0;
    let mut points = 0.0;
    let mut any = false;
    for &c in children {
        if !scores[c].is_nan() {
            sum += scores[c];
            points += applicable[c];
            any = true;
        }
    }
    if any {
        (sum, points)
    } else {
        (f64::NAN, 0.0)
    }
}

/// `Σ scores × p / Σ applicable points` of the children that apply.
fn rescaled(children: &[usize], scores: &[f64], applicable_points: &[f64], p: f64) -> f64 {
    let (sum, applicable) = sum_applicable(children, scores, applicable_points);
    if sum.is_nan() {
        f64::NAN
    } else if applicable == 0.0 {
        0.0
    } else {
        sum * p / applicable
    }
}
