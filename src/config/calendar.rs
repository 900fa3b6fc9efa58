//! Working days for `deadline` rules counted in `workday`s.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// Holidays on weekdays and working weekend days (调休) of the assessment year.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        !weekend && !self.holidays.contains(&d)
    }

    /// Working days after `due` up to and including `value` (0 when not late).
    pub fn workdays_late(&self, due: NaiveDate, value: NaiveDate) -> i64 {
        due.iter_days()
            .skip(1)
            .take_while(|d| *d <= value)
            .filter(|d| self.is_workday(*d))
            .count() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn counts_weekdays_after_due_skipping_holidays_and_adding_make_up_days() {
        // due Fri 2023-09-29; value Mon 2023-10-09.
        // Days after due: Sat 30, Sun 1, Mon 2 (holiday), Tue 3 (holiday),
        // Wed 4, Thu 5, Fri 6, Sat 7 (调休 workday), Sun 8, Mon 9.
        let cal = Calendar {
            holidays: [day("2023-10-02"), day("2023-10-03")].into(),
            workdays: [day("2023-10-07")].into(),
        };
        // 4, 5, 6, 7, 9 = 5 working days.
        assert_eq!(cal.workdays_late(day("2023-09-29"), day("2023-10-09")), 5);
        assert_eq!(
            Calendar::default().workdays_late(day("2023-09-29"), day("2023-10-09")),
            6
        );
        assert_eq!(cal.workdays_late(day("2023-09-29"), day("2023-09-29")), 0);
        assert_eq!(cal.workdays_late(day("2023-09-29"), day("2023-09-01")), 0);
    }
}
