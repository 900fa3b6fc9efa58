//! Which rows count in a run (SPEC §10): a submission or rating with a
//! 考核期 counts only in that period's run; one without counts in every run.
//! Inspection records are chosen by their date (see [`super::records`]).

use crate::config::{Period, System};
use polars::prelude::*;

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

/// The records dated inside `period` (`keyed` has each record's `day`,
/// [`super::records::day_number`]), and how many were left out.
pub(super) fn records_in(keyed: DataFrame, period: &Period) -> PolarsResult<(DataFrame, usize)> {
    let (from, to) = (
        super::records::day_number(period.from),
        super::records::day_number(period.to),
    );
    let mask: BooleanChunked = keyed
        .column("day")?
        .u32()?
        .into_iter()
        .map(|d| d.is_some_and(|d| from <= d && d <= to))
        .collect();
    let kept = keyed.filter(&mask)?;
    let left_out = keyed.height() - kept.height();
    Ok((kept, left_out))
}
