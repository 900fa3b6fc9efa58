//! Stage 3: scores. Each unit's leaf outcomes come from its inputs
//! ([`evidence`], by the [`rules`]); [`tree`] aggregates them with the points
//! of the indicator system; [`bonus`] and [`total`] add bonus and penalty and apply the
//! floors and caps. Everything is exact; figures are rounded only when
//! published.

pub mod evidence;
pub mod gaps;
pub mod rules;
pub mod tree;

use crate::config::System;
use crate::num::Exact;
use evidence::UnitEvidence;
use rust_decimal::Decimal;

/// One unit's exact scores.
#[derive(Clone, Debug)]
pub struct UnitScore {
    /// Per indicator (parents and leaves); `None` = N/A.
    pub indicators: Vec<Option<Exact>>,
    /// The tree's total on `full_score`, before bonus and penalty.
    pub base: Exact,
    pub bonus: Exact,
    pub penalty: Exact,
    pub total: Exact,
    pub performance_points: Exact,
    pub vetoed: bool,
}

/// Scores every unit from its evidence with the system's current points,
/// on all cores (units are independent).
pub fn score_all(system: &System, evidence: &[UnitEvidence]) -> Vec<UnitScore> {
    use rayon::prelude::*;
    evidence
        .par_iter()
        .with_min_len(256)
        .map(|ev| score_unit(system, ev))
        .collect()
}

pub fn score_unit(system: &System, ev: &UnitEvidence) -> UnitScore {
    let (indicators, base) = tree::aggregate(system, &ev.outcomes);
    let bonus = bonus(system, base, bonus_claimed(system, ev));
    let penalty = Exact::from_decimal(ev.penalty);
    let total = total(system, base, bonus, penalty, ev.vetoed);
    let performance_points = total
        .mul_dec(system.weight_percent)
        .over(Exact::from_decimal(system.full_score));
    UnitScore {
        indicators,
        base,
        bonus,
        penalty,
        total,
        performance_points,
        vetoed: ev.vetoed,
    }
}

/// Σ min(max, points × count) over the bonus items the unit claimed, with
/// the system's points (a what-if may change them).
pub fn bonus_claimed(system: &System, ev: &UnitEvidence) -> Decimal {
    ev.bonus_items
        .iter()
        .map(|&(b, count, _)| {
            let item = &system.bonuses[b];
            let raw = item.points * count;
            item.max.map_or(raw, |m| raw.min(m))
        })
        .sum()
}

/// `min(bonus_cap, Σ items)`, and 0 when the exact base is below `bonus_gate`.
pub fn bonus(system: &System, base: Exact, raw: Decimal) -> Exact {
    if system
        .bonus_gate
        .is_some_and(|g| base < Exact::from_decimal(g))
    {
        return Exact::ZERO;
    }
    Exact::from_decimal(raw.min(system.bonus_cap))
}

/// `base + bonus − penalty`, floored at 0, capped at `full_score` (when
/// `cap_at_full`) and at `veto_cap` for a vetoed unit.
pub fn total(system: &System, base: Exact, bonus: Exact, penalty: Exact, vetoed: bool) -> Exact {
    let mut t = base.plus(bonus).minus(penalty).clamp_zero();
    if system.cap_at_full {
        t = t.min(Exact::from_decimal(system.full_score));
    }
    if vetoed {
        if let Some(cap) = system.veto_cap {
            t = t.min(Exact::from_decimal(cap));
        }
    }
    t
}
