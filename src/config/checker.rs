//! What every part of the indicator system's validation shares: the
//! collector of problems (each with its TOML line and column), the limits
//! of numbers and ids, and TOML dates as calendar days.

use super::line_col;
use crate::error::Diagnostic;
use chrono::NaiveDate;
use toml::value::Datetime;
use toml::Spanned;

/// The largest points, weight or deduction an indicator system may give:
/// far beyond any real system, small enough that exact arithmetic never
/// overflows.
pub(super) const LIMIT: i64 = 1_000_000;

pub(super) struct Checker<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a str,
    pub(super) errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn at<T>(&mut self, spanned: &Spanned<T>, msg: impl Into<String>) {
        let place = line_col(self.text, spanned.span().start);
        self.errors.push(Diagnostic::new(self.file, place, msg));
    }

    pub(super) fn general(&mut self, msg: impl Into<String>) {
        self.errors.push(Diagnostic::new(self.file, "", msg));
    }
}

pub(crate) fn to_date(d: &Datetime) -> Option<NaiveDate> {
    match (d.date, d.time) {
        (Some(date), None) => {
            NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
        }
        _ => None,
    }
}

/// An id of an indicator, issue or bonus: `[A-Za-z0-9_.-]+`.
pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch))
}
