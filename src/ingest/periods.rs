//! Which rows count in a run (SPEC §10): a submission or rating with a
//! 考核期 counts only in that period's run; one without counts in every run.
//! Inspection records are chosen by their date (see [`super::records`]).

use crate::config::{Period, System};

/// The periods of the indicator system and the one this run scores.
#[derive(Clone, Copy)]
pub(super) struct PeriodRows<'a> {
    pub(super) system: &'a System,
    pub(super) current: Option<&'a Period>,
}

/// What a 考核期 cell says about its row.
pub(super) enum RowPeriod {
    /// The row counts in this run.
    Counts,
    /// The row belongs to another period's run.
    Elsewhere,
}

impl PeriodRows<'_> {
    /// Does a record of this date count here (every date does in a run of
    /// the whole year)?
    pub(super) fn dated_in(&self, date: Option<chrono::NaiveDate>) -> bool {
        match (self.current, date) {
            (None, _) => true,
            (Some(p), Some(d)) => p.from <= d && d <= p.to,
            (Some(_), None) => false,
        }
    }

    /// Does a row with this 考核期 cell count here? An id that is not a
    /// period's is an error naming the periods defined.
    pub(super) fn of(&self, cell: Option<&str>) -> Result<RowPeriod, String> {
        let Some(id) = cell else {
            return Ok(RowPeriod::Counts);
        };
        let Some(p) = self.system.periods.iter().find(|p| p.id == id) else {
            let ids: Vec<&str> = self.system.periods.iter().map(|p| p.id.as_str()).collect();
            return Err(if ids.is_empty() {
                crate::tr!(
                    "“{id}”：指标体系没有定义考核期（[[period]]），本列应为空",
                    "\"{id}\": the indicator system defines no periods ([[period]]); leave the column empty"
                )
            } else {
                crate::tr!(
                    "“{id}”不是考核期代码；应为以下之一：{}",
                    "\"{id}\" is not a period id; expected one of {}",
                    crate::lang::list(&ids)
                )
            });
        };
        Ok(if self.current.is_some_and(|c| c.id == p.id) {
            RowPeriod::Counts
        } else {
            RowPeriod::Elsewhere
        })
    }
}
