//! The parts of the assessment year (`[[period]]`, SPEC §10): quarters or
//! months that are scored on their own with `run --period ID` and combined
//! into the annual result with `zwgk combine`.

use super::checker::{to_date, Checker};
use super::raw::RawSystem;
use chrono::{Datelike, NaiveDate};

/// A part of the assessment year: `from..=to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub id: String,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Is `d` inside the period (both ends included)?
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// The period as the documents name it: `2023年第一季度`.
    pub fn label(&self, year: i32) -> String {
        if self.name.starts_with(&year.to_string()) {
            self.name.clone()
        } else {
            format!("{year}年{}", self.name)
        }
    }
}

/// The periods of `raw`, each inside the year, none overlapping another.
pub(super) fn resolve_periods(raw: &RawSystem, year: i32, c: &mut Checker) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for spanned in &raw.period {
        let p = spanned.get_ref();
        let (Some(from), Some(to)) = (to_date(&p.from), to_date(&p.to)) else {
            c.at(
                spanned,
                crate::tr!(
                    "period {}：from 和 to 应为日期，如 2023-01-01（不加引号）",
                    "period {}: from and to should be plain dates such as 2023-01-01 (without quotes)",
                    p.id
                ),
            );
            continue;
        };
        let problem = if from > to {
            Some(crate::tr!(
                "period {}：开始日期 {from} 晚于结束日期 {to}",
                "period {}: from {from} is after to {to}",
                p.id
            ))
        } else if from.year() != year || to.year() != year {
            Some(crate::tr!(
                "period {}：{from} 至 {to} 不在考核年度 {year} 内",
                "period {}: {from} to {to} is not inside the assessment year {year}",
                p.id
            ))
        } else if let Some(q) = out.iter().find(|q| q.id == p.id) {
            Some(crate::tr!(
                "period {}：考核期代码重复（{} 已使用）",
                "period {}: the id is used twice ({} has it)",
                p.id,
                q.name
            ))
        } else {
            out.iter().find(|q| from <= q.to && q.from <= to).map(|q| {
                crate::tr!(
                    "period {}：{from} 至 {to} 与 {}（{} 至 {}）重叠；考核期不能重叠",
                    "period {}: {from} to {to} overlaps {} ({} to {}); periods may not overlap",
                    p.id,
                    q.id,
                    q.from,
                    q.to
                )
            })
        };
        match problem {
            Some(msg) => c.at(spanned, msg),
            None => out.push(Period {
                id: p.id.clone(),
                name: p.name.clone(),
                from,
                to,
            }),
        }
    }
    out
}
