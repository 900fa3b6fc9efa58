//! The leaf rules as pure functions. Each gives an [`Outcome`] that does not
//! depend on the leaf's points, so a what-if or a sensitivity sample can
//! re-weight without re-reading inputs: a share of the points, or a
//! deduction from them.

use crate::config::Calendar;
use crate::num::Exact;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a leaf is not applicable to a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NaReason {
    /// The unit's group is not among the leaf's groups.
    Group,
    /// The responsibility table lists the leaf (or an ancestor) but not the unit.
    Duty,
    /// The unit submitted 不涉及 where allowed.
    Declared,
}

impl NaReason {
    pub fn label(self) -> &'static str {
        match self {
            NaReason::Group => "不涉及（本组不考核此项）",
            NaReason::Duty => "不涉及（非责任单位）",
            NaReason::Declared => "不涉及（单位报送不涉及）",
        }
    }
}

/// What a leaf's inputs give, before its points are known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    NotApplicable(NaReason),
    /// score = points × share, 0 <= share <= 1
    Share(Exact),
    /// score = max(0, points − min(cap, amount)); 0 when `zeroed` (a veto,
    /// or a deadline missed by more than `zero_after`).
    Deducted {
        amount: Exact,
        zeroed: bool,
    },
}

impl Outcome {
    /// The leaf's score for `points`; `cap` is an explicit `max_deduct`.
    pub fn score(self, points: Exact, cap: Option<Decimal>) -> Option<Exact> {
        match self {
            Outcome::NotApplicable(_) => None,
            Outcome::Share(f) => Some(points.times(f)),
            Outcome::Deducted { zeroed: true, .. } => Some(Exact::ZERO),
            Outcome::Deducted { amount, .. } => {
                let capped = cap.map_or(amount, |c| amount.min(Exact::from_decimal(c)));
                Some(points.minus(capped).clamp_zero())
            }
        }
    }
}

/// `f(value)` of a curve: linear interpolation clamped at both ends, or the
/// step of the largest `x <= value` (0 below the first x).
pub fn curve_share(curve: &[(Decimal, Decimal)], step: bool, value: Decimal) -> Exact {
    let Some(&(x0, f0)) = curve.first() else {
        return Exact::ZERO;
    };
    if step {
        return curve
            .iter()
            .rev()
            .find(|(x, _)| *x <= value)
            .map_or(Exact::ZERO, |(_, f)| Exact::from_decimal(*f));
    }
    if value <= x0 {
        return Exact::from_decimal(f0);
    }
    for w in curve.windows(2) {
        let ((xa, fa), (xb, fb)) = (w[0], w[1]);
        if value <= xb {
            // fa + (fb − fa) × (value − xa) / (xb − xa)
            let t = Exact::ratio(value - xa, xb - xa);
            return Exact::from_decimal(fa).plus(t.mul_dec(fb - fa));
        }
    }
    Exact::from_decimal(curve[curve.len() - 1].1)
}

/// Units late after `due` (days, or working days by the calendar).
pub fn units_late(due: NaiveDate, value: NaiveDate, workdays: bool, calendar: &Calendar) -> i64 {
    if value <= due {
        0
    } else if workdays {
        calendar.workdays_late(due, value)
    } else {
        (value - due).num_days()
    }
}

pub fn deadline_outcome(late: i64, late_deduct: Decimal, zero_after: Option<Decimal>) -> Outcome {
    let late_d = Decimal::from(late);
    Outcome::Deducted {
        amount: Exact::from_decimal(late_d * late_deduct),
        zeroed: zero_after.is_some_and(|z| late_d > z),
    }
}

/// The trimmed mean of rater scores: drops the `trim` highest and lowest
/// unless there are at most `2 × trim` scores. Returns the mean (exact) and
/// the indices of the dropped scores, or `None` when trimming was skipped
/// although asked for.
pub fn trimmed_mean(scores: &[Decimal], trim: u32) -> (Exact, Option<Vec<usize>>) {
    let t = trim as usize;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].cmp(&scores[b]).then(a.cmp(&b)));
    let (kept, dropped): (Vec<usize>, Option<Vec<usize>>) = if t == 0 {
        (order, Some(Vec::new()))
    } else if scores.len() <= 2 * t {
        (order, None)
    } else {
        let dropped = order[..t]
            .iter()
            .chain(&order[order.len() - t..])
            .copied()
            .collect();
        (order[t..order.len() - t].to_vec(), Some(dropped))
    };
    let sum: Decimal = kept.iter().map(|&i| scores[i]).sum();
    let mean = if kept.is_empty() {
        Exact::ZERO
    } else {
        Exact::ratio(sum, Decimal::from(kept.len() as u64))
    };
    (mean, dropped)
}

/// Among a group's submitted values: best gets 1, worst `floor`, linear
/// between; all equal → 1.
pub fn relative_share(value: Decimal, best: Decimal, worst: Decimal, floor: Decimal) -> Exact {
    if best == worst {
        return Exact::from_int(1);
    }
    // (value − worst) / (best − worst) works for both directions, since best
    // and worst are already oriented.
    let t = Exact::ratio(value - worst, best - worst);
    Exact::from_decimal(floor).plus(t.mul_dec(Decimal::ONE - floor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn pub2(e: Exact) -> String {
        e.publish(2).to_string()
    }

    fn curve() -> Vec<(Decimal, Decimal)> {
        vec![(d("0.2"), d("0")), (d("0.5"), d("0.6")), (d("0.8"), d("1"))]
    }

    #[test]
    fn linear_curve_interpolates_and_clamps() {
        // 0.35 lies half-way from 0.2 to 0.5: f = 0 + 0.6 × 0.5 = 0.3
        assert_eq!(
            curve_share(&curve(), false, d("0.35")),
            Exact::from_decimal(d("0.3"))
        );
        // 0.6: 0.6 + 0.4 × (0.1/0.3) = 0.7333…
        assert_eq!(
            pub2(curve_share(&curve(), false, d("0.6")).mul_dec(d("100"))),
            "73.33"
        );
        assert_eq!(curve_share(&curve(), false, d("0.1")), Exact::ZERO);
        assert_eq!(curve_share(&curve(), false, d("0.95")), Exact::from_int(1));
        assert_eq!(
            curve_share(&curve(), false, d("0.5")),
            Exact::from_decimal(d("0.6"))
        );
    }

    #[test]
    fn step_curve_takes_the_largest_x_not_above_the_value() {
        assert_eq!(curve_share(&curve(), true, d("0.19")), Exact::ZERO);
        assert_eq!(curve_share(&curve(), true, d("0.2")), Exact::ZERO);
        assert_eq!(
            curve_share(&curve(), true, d("0.79")),
            Exact::from_decimal(d("0.6"))
        );
        assert_eq!(curve_share(&curve(), true, d("5")), Exact::from_int(1));
    }

    #[test]
    fn deadline_deducts_per_day_late_and_zeroes_past_the_limit() {
        let cal = Calendar::default();
        let due = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let feb5 = NaiveDate::from_ymd_opt(2024, 2, 5).unwrap(); // Monday
        assert_eq!(units_late(due, feb5, false, &cal), 5);
        assert_eq!(units_late(due, feb5, true, &cal), 3); // Thu 1, Fri 2, Mon 5
        assert_eq!(units_late(due, due, false, &cal), 0);
        let points = Exact::from_int(4);
        assert_eq!(
            pub2(
                deadline_outcome(5, d("0.5"), None)
                    .score(points, None)
                    .unwrap()
            ),
            "1.50"
        );
        assert_eq!(
            pub2(
                deadline_outcome(9, d("0.5"), None)
                    .score(points, None)
                    .unwrap()
            ),
            "0.00"
        );
        assert_eq!(
            pub2(
                deadline_outcome(5, d("0.1"), Some(d("4")))
                    .score(points, None)
                    .unwrap()
            ),
            "0.00"
        );
        assert_eq!(
            pub2(
                deadline_outcome(4, d("0.1"), Some(d("4")))
                    .score(points, None)
                    .unwrap()
            ),
            "3.60"
        );
    }

    #[test]
    fn rating_drops_the_highest_and_lowest_when_enough_scores() {
        let s = [d("90"), d("70"), d("85"), d("100"), d("80")];
        let (mean, dropped) = trimmed_mean(&s, 1);
        // keeps 80, 85, 90 → 85
        assert_eq!(mean, Exact::from_int(85));
        assert_eq!(dropped, Some(vec![1, 3]));
        let (mean, dropped) = trimmed_mean(&s[..2], 1);
        assert_eq!(mean, Exact::from_int(80));
        assert_eq!(
            dropped, None,
            "two scores with trim 1: nothing dropped, warned"
        );
        let (mean, _) = trimmed_mean(&[d("80"), d("85"), d("85")], 0);
        assert_eq!(pub2(mean), "83.33");
        // The bounds (mutants of `len <= 2 × trim` survived without them):
        // three scores with trim 1 are trimmed to the middle one; four with
        // trim 2 are too few and averaged whole, (60 + 70 + 80 + 90) / 4.
        let (mean, dropped) = trimmed_mean(&[d("90"), d("70"), d("80")], 1);
        assert_eq!((mean, dropped), (Exact::from_int(80), Some(vec![1, 0])));
        let (mean, dropped) = trimmed_mean(&[d("60"), d("90"), d("70"), d("80")], 2);
        assert_eq!((mean, dropped), (Exact::from_int(75), None));
    }

    #[test]
    fn not_applicable_reasons_read_as_the_breakdown_says_them() {
        assert_eq!(NaReason::Group.label(), "不涉及（本组不考核此项）");
        assert_eq!(NaReason::Duty.label(), "不涉及（非责任单位）");
        assert_eq!(NaReason::Declared.label(), "不涉及（单位报送不涉及）");
    }

    #[test]
    fn relative_scores_best_full_worst_floor_linear_between() {
        // higher is better: best 90, worst 60, floor 0.4, value 70:
        // 0.4 + 0.6 × 10/30 = 0.6
        assert_eq!(
            relative_share(d("70"), d("90"), d("60"), d("0.4")),
            Exact::from_decimal(d("0.6"))
        );
        // lower is better: best 2 days, worst 10 days, value 4: 0 + (4−10)/(2−10) = 0.75
        assert_eq!(
            relative_share(d("4"), d("2"), d("10"), d("0")),
            Exact::from_decimal(d("0.75"))
        );
        assert_eq!(
            relative_share(d("5"), d("5"), d("5"), d("0")),
            Exact::from_int(1)
        );
    }

    #[test]
    fn deduction_is_capped_by_max_deduct_and_floored_at_zero() {
        let o = Outcome::Deducted {
            amount: Exact::from_int(5),
            zeroed: false,
        };
        assert_eq!(o.score(Exact::from_int(8), None), Some(Exact::from_int(3)));
        assert_eq!(
            o.score(Exact::from_int(8), Some(d("2"))),
            Some(Exact::from_int(6))
        );
        assert_eq!(o.score(Exact::from_int(4), None), Some(Exact::ZERO));
        let vetoed = Outcome::Deducted {
            amount: Exact::ZERO,
            zeroed: true,
        };
        assert_eq!(vetoed.score(Exact::from_int(8), None), Some(Exact::ZERO));
    }
}
