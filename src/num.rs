//! Exact numbers for scores.
//!
//! A score is kept as a quotient `num / den` of two [`Decimal`]s so that the
//! divisions a weighted tree needs (weights 1, 1, 1; N/A rescaling) are done
//! last, once, when a figure is published. Sums and products stay exact as
//! long as they fit in 28 significant digits; beyond that (never with real
//! indicator systems) the quotient is folded into one Decimal, which is still
//! exact to 28 digits.

use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;
use std::fmt;

/// An exact non-terminating-safe number: `num / den`, `den > 0`.
#[derive(Clone, Copy, Debug)]
pub struct Exact {
    num: Decimal,
    den: Decimal,
}

impl Exact {
    pub const ZERO: Exact = Exact {
        num: Decimal::ZERO,
        den: Decimal::ONE,
    };

    pub fn from_decimal(d: Decimal) -> Exact {
        Exact {
            num: d,
            den: Decimal::ONE,
        }
    }

    pub fn from_int(i: i64) -> Exact {
        Exact::from_decimal(Decimal::from(i))
    }

    /// `num / den`; `den` must not be zero (callers check sums before dividing).
    pub fn ratio(num: Decimal, den: Decimal) -> Exact {
        debug_assert!(!den.is_zero(), "ratio with zero denominator");
        if den.is_zero() {
            return Exact::ZERO;
        }
        let (num, den) = if den.is_sign_negative() {
            (-num, -den)
        } else {
            (num, den)
        };
        Exact { num, den }.simplified()
    }

    /// The quotient as one Decimal (28 significant digits).
    pub fn to_decimal(self) -> Decimal {
        if self.den == Decimal::ONE {
            self.num
        } else {
            self.num.checked_div(self.den).unwrap_or(Decimal::ZERO)
        }
    }

    /// Rounded half away from zero (四舍五入) to `dp` decimals, with exactly
    /// `dp` decimals in its text form.
    pub fn publish(self, dp: u32) -> Decimal {
        let mut d = self
            .to_decimal()
            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        d.rescale(dp);
        if d.is_zero() {
            d.set_sign_positive(true);
        }
        d
    }

    pub fn to_f64(self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.to_decimal().to_f64().unwrap_or(0.0)
    }

    pub fn is_zero(self) -> bool {
        self.num.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.num.is_sign_negative() && !self.num.is_zero()
    }

    /// Folds the denominator in when it divides the numerator exactly.
    fn simplified(self) -> Exact {
        if self.den == Decimal::ONE {
            return self;
        }
        match self.num.checked_rem(self.den) {
            Some(r) if r.is_zero() => match self.num.checked_div(self.den) {
                Some(q) => Exact::from_decimal(q.normalize()),
                None => self,
            },
            _ => self,
        }
    }

    fn folded(self) -> Exact {
        Exact::from_decimal(self.to_decimal())
    }

    pub fn plus(self, o: Exact) -> Exact {
        if self.den == o.den {
            if let Some(n) = self.num.checked_add(o.num) {
                return Exact {
                    num: n,
                    den: self.den,
                }
                .simplified();
            }
        }
        let exact = (|| {
            let a = self.num.checked_mul(o.den)?;
            let b = o.num.checked_mul(self.den)?;
            Some(Exact {
                num: a.checked_add(b)?,
                den: self.den.checked_mul(o.den)?,
            })
        })();
        match exact {
            Some(e) => e.simplified(),
            None => Exact::from_decimal(self.to_decimal().saturating_add(o.to_decimal())),
        }
    }

    pub fn minus(self, o: Exact) -> Exact {
        self.plus(o.negated())
    }

    pub fn negated(self) -> Exact {
        Exact {
            num: -self.num,
            den: self.den,
        }
    }

    pub fn times(self, o: Exact) -> Exact {
        match (self.num.checked_mul(o.num), self.den.checked_mul(o.den)) {
            (Some(n), Some(d)) => Exact { num: n, den: d }.simplified(),
            _ => {
                let (a, b) = (self.folded(), o.folded());
                Exact::from_decimal(a.num.saturating_mul(b.num))
            }
        }
    }

    pub fn mul_dec(self, d: Decimal) -> Exact {
        self.times(Exact::from_decimal(d))
    }

    /// `self / o`; `o` must be non-zero.
    pub fn over(self, o: Exact) -> Exact {
        debug_assert!(!o.is_zero(), "division by zero");
        if o.is_zero() {
            return Exact::ZERO;
        }
        self.times(Exact::ratio(o.den, o.num))
    }

    pub fn min(self, o: Exact) -> Exact {
        if self <= o {
            self
        } else {
            o
        }
    }

    pub fn max(self, o: Exact) -> Exact {
        if self >= o {
            self
        } else {
            o
        }
    }

    pub fn clamp_zero(self) -> Exact {
        self.max(Exact::ZERO)
    }
}

impl PartialEq for Exact {
    fn eq(&self, o: &Exact) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, o: &Exact) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Exact {
    fn cmp(&self, o: &Exact) -> Ordering {
        // Dens are positive, so a/b < c/d  <=>  a*d < c*b.
        match (self.num.checked_mul(o.den), o.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_decimal().cmp(&o.to_decimal()),
        }
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == Decimal::ONE {
            write!(f, "{}", self.num.normalize())
        } else {
            write!(f, "{}", self.to_decimal().normalize())
        }
    }
}

macro_rules! operator {
    ($trait:ident, $method:ident, $inherent:ident) => {
        impl std::ops::$trait for Exact {
            type Output = Exact;
            fn $method(self, o: Exact) -> Exact {
                self.$inherent(o)
            }
        }
    };
}
operator!(Add, add, plus);
operator!(Sub, sub, minus);
operator!(Mul, mul, times);
operator!(Div, div, over);

impl std::ops::Neg for Exact {
    type Output = Exact;
    fn neg(self) -> Exact {
        self.negated()
    }
}

impl From<Decimal> for Exact {
    fn from(d: Decimal) -> Exact {
        Exact::from_decimal(d)
    }
}

/// `d.to_string()`, written without the formatting machinery: a
/// province's reports write millions of published figures, and `Display`
/// goes through `fmt::write` and `pad_integral` for each. The same text:
/// the digits of the mantissa with the point `scale` places from the
/// right ("0.05", "12", "-3.50"), a leading `-` for a negative sign (also
/// on zero, as `Display` writes it).
pub fn decimal_text(d: Decimal) -> String {
    let mut text = String::with_capacity(16);
    push_decimal(&mut text, d);
    text
}

/// [`decimal_text`] written onto `out`.
pub fn push_decimal(out: &mut String, d: Decimal) {
    // Digits from the last: 29 at most, padded with zeros up to the scale
    // (at most 28), so that there is a digit before the point too. In u128
    // only while the mantissa is wider than u64 (never for a score).
    let mut digits = [b'0'; 30];
    let mut len = 0;
    let mut wide = d.mantissa().unsigned_abs();
    while wide > u128::from(u64::MAX) {
        digits[len] = b'0' + (wide % 10) as u8;
        wide /= 10;
        len += 1;
    }
    let mut m = wide as u64; // at most u64::MAX here: exact
    while m > 0 {
        digits[len] = b'0' + (m % 10) as u8;
        m /= 10;
        len += 1;
    }
    let scale = d.scale() as usize;
    let len = len.max(scale);
    if d.is_sign_negative() {
        out.push('-');
    }
    let whole = len - scale;
    if whole == 0 {
        out.push('0');
    }
    for (i, &digit) in digits[..len].iter().rev().enumerate() {
        if i == whole {
            out.push('.');
        }
        out.push(digit as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn thirds_add_back_to_one_exactly() {
        let third = Exact::ratio(d("1"), d("3"));
        let one = third.plus(third).plus(third);
        assert_eq!(one, Exact::from_int(1));
        assert_eq!(one.publish(2).to_string(), "1.00");
    }

    #[test]
    fn division_last_keeps_a_rounding_boundary_exact() {
        // A child of weight 1 among weights 1, 1, 1 under a parent of 7.035
        // points has exactly 2.345 points, which publishes as 2.35.
        let x = Exact::ratio(d("1"), d("3")).mul_dec(d("7.035"));
        assert_eq!(x.publish(2).to_string(), "2.35");
        let naive = d("1") / d("3") * d("7.035");
        assert_eq!(
            naive
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                .to_string(),
            "2.34",
            "the naive Decimal path really does lose the boundary"
        );
    }

    #[test]
    fn writes_a_decimal_as_display_does() {
        let cases = [
            "0",
            "0.00",
            "0.05",
            "12",
            "12.50",
            "-3.5",
            "-0.001",
            "100",
            "0.5",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
            "1234567890123456789.0123",
        ];
        for text in cases {
            let d = d(text);
            assert_eq!(decimal_text(d), d.to_string(), "{text}");
            assert_eq!(decimal_text(d), text, "{text}");
        }
        // A negative zero keeps its sign, as Display writes it.
        let negative_zero = -d("0.00");
        assert_eq!(decimal_text(negative_zero), negative_zero.to_string());
        // Every scale of one mantissa, and of its negation.
        for scale in 0..=28 {
            for m in [1i64, 7, 120, -45, 999_999_999_999] {
                let d = Decimal::new(m, scale);
                assert_eq!(decimal_text(d), d.to_string(), "{m} scale {scale}");
            }
        }
    }

    #[test]
    fn publishes_half_away_from_zero_with_fixed_decimals() {
        assert_eq!(
            Exact::from_decimal(d("2.345")).publish(2).to_string(),
            "2.35"
        );
        assert_eq!(
            Exact::from_decimal(d("2.344")).publish(2).to_string(),
            "2.34"
        );
        assert_eq!(Exact::from_decimal(d("7")).publish(2).to_string(), "7.00");
        assert_eq!(Exact::from_decimal(d("0.5")).publish(0).to_string(), "1");
        assert_eq!(
            Exact::from_decimal(d("-0.001")).publish(2).to_string(),
            "0.00"
        );
    }

    #[test]
    fn orders_quotients_by_value() {
        let a = Exact::ratio(d("2"), d("3"));
        let b = Exact::ratio(d("4"), d("6"));
        let c = Exact::ratio(d("7"), d("10"));
        assert_eq!(a, b);
        assert!(a < c);
        assert_eq!(a.max(c), c);
    }
}
