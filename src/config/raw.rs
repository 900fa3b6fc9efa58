//! The indicator system exactly as written in TOML (serde schema).
//!
//! Nothing here is checked beyond types: [`super::validate`] turns a
//! [`RawSystem`] into a resolved [`super::System`] and reports every problem.

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSystem {
    pub assessment: Spanned<RawAssessment>,
    pub performance: Option<Spanned<RawPerformance>>,
    pub calendar: Option<RawCalendar>,
    #[serde(default)]
    pub group: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    pub grade: Vec<Spanned<RawGrade>>,
    #[serde(default)]
    pub indicator: Vec<Spanned<RawIndicator>>,
    #[serde(default)]
    pub issue: Vec<Spanned<RawIssue>>,
    #[serde(default)]
    pub bonus: Vec<Spanned<RawBonus>>,
    pub notice: Option<Spanned<RawNotice>>,
    pub feedback: Option<RawFeedback>,
    #[serde(default)]
    pub period: Vec<Spanned<RawPeriod>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub id: String,
    pub name: String,
    pub from: Datetime,
    pub to: Datetime,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    pub name: String,
    pub year: i32,
    pub full_score: Option<Decimal>,
    pub precision: Option<u32>,
    pub bonus_cap: Option<Decimal>,
    pub bonus_gate: Option<Decimal>,
    pub cap_at_full: Option<bool>,
    pub veto_cap: Option<Decimal>,
    pub rank_ties: Option<String>,
    pub rank_on: Option<String>,
    pub issuer: Option<String>,
    #[serde(default)]
    pub tie_break: Vec<String>,
    pub rescale: Option<String>,
    pub records_until: Option<Datetime>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerformance {
    pub weight_percent: Spanned<Decimal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default)]
    pub holidays: Vec<Datetime>,
    #[serde(default)]
    pub workdays: Vec<Datetime>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGrade {
    pub name: String,
    pub min: Decimal,
    pub max_share: Option<Decimal>,
    pub quota_rounding: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub points: Option<Decimal>,
    pub weight: Option<Decimal>,
    pub groups: Option<Vec<String>>,
    pub allow_na: Option<bool>,
    pub pool: Option<bool>,
    pub rule: Option<String>,
    pub input: Option<String>,
    // rule parameters
    pub max_deduct: Option<Decimal>,
    pub curve: Option<Vec<(Decimal, Decimal)>>,
    pub mode: Option<String>,
    pub due: Option<Datetime>,
    pub late_deduct: Option<Decimal>,
    pub late_unit: Option<String>,
    pub zero_after: Option<Decimal>,
    pub trim: Option<u32>,
    pub scale: Option<Decimal>,
    pub direction: Option<String>,
    pub floor: Option<Decimal>,
    pub levels: Option<Vec<(String, Decimal)>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub code: String,
    pub name: String,
    pub indicator: Option<String>,
    pub deduct: Decimal,
    pub veto: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBonus {
    pub id: String,
    pub name: String,
    pub points: Decimal,
    pub max: Option<Decimal>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    pub title: Option<String>,
    #[serde(default)]
    pub requirements: Vec<String>,
    pub addressee: Option<String>,
    pub doc_number: Option<String>,
    pub publish: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFeedback {
    pub deadline: Option<Datetime>,
    #[serde(default)]
    pub requirements: Vec<String>,
}
