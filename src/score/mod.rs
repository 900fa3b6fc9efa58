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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn system() -> System {
        let mut s = crate::config::test_system(
            "[[indicator]]\nid = \"A\"\nname = \"a\"\npoints = 100\nrule = \"manual\"\n",
        );
        s.bonus_gate = Some(Decimal::new(60, 0));
        s.bonus_cap = Decimal::new(3, 0);
        s.veto_cap = Some(Decimal::new(59, 0));
        s
    }

    fn x(units: i64, hundredths: i64) -> Exact {
        Exact::from_decimal(Decimal::new(units * 100 + hundredths, 2))
    }

    #[test]
    fn the_bonus_is_earned_from_the_gate_itself_and_capped() {
        let s = system();
        // A base of exactly 60 reaches the gate: 2 points claimed, 2 given.
        assert_eq!(bonus(&s, x(60, 0), Decimal::new(2, 0)), x(2, 0));
        // 59.99 is below it: nothing.
        assert_eq!(bonus(&s, x(59, 99), Decimal::new(2, 0)), Exact::ZERO);
        // 5 claimed under a cap of 3: 3.
        assert_eq!(bonus(&s, x(80, 0), Decimal::new(5, 0)), x(3, 0));
        // No gate: even a base of 0 earns it.
        let open = System {
            bonus_gate: None,
            ..system()
        };
        assert_eq!(bonus(&open, Exact::ZERO, Decimal::new(1, 0)), x(1, 0));
    }

    #[test]
    fn the_total_is_floored_capped_at_full_and_at_the_veto_cap() {
        let mut s = system();
        // 99 + 3 − 0 = 102, capped at the full 100; without the cap, 102.
        assert_eq!(total(&s, x(99, 0), x(3, 0), Exact::ZERO, false), x(100, 0));
        // 2 + 0 − 5 = −3, floored at 0.
        assert_eq!(total(&s, x(2, 0), Exact::ZERO, x(5, 0), false), Exact::ZERO);
        // Vetoed: 80.50 + 1 − 0.25 = 81.25, capped at 59.
        assert_eq!(total(&s, x(80, 50), x(1, 0), x(0, 25), true), x(59, 0));
        s.cap_at_full = false;
        assert_eq!(total(&s, x(99, 0), x(3, 0), Exact::ZERO, false), x(102, 0));
    }
}
