//! The arguments of each command, as clap parses them (one `…Args` struct
//! per command, in the command line's English help texts; `cli` gives them
//! in Chinese), and what the commands share of them: the bundled demo's
//! paths and the default output folder.
//!
//! The doc comments on the argument structs are clap's English help texts
//! (`<unit id>`, `[[set]]` are what a user types), not rustdoc markup.
#![allow(rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

use crate::assess::{assess, Assessment};
use crate::error::Result;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

pub const DEMO_INDICATORS: &str = "indicators/demo.toml";
pub const DEMO_DATA: &str = "data/demo";

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// The indicator system (TOML).
    #[arg(long, default_value = DEMO_INDICATORS)]
    pub indicators: PathBuf,
    /// The directory with the roster (units) and, if any, the duties table.
    #[arg(long, default_value = DEMO_DATA)]
    pub data: PathBuf,
    /// Output directory for submissions.xlsx (or the per-unit forms).
    #[arg(long)]
    pub out: PathBuf,
    /// One protected form per unit, <unit id>.xlsx, with only that unit's items.
    #[arg(long)]
    pub per_unit: bool,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    /// The indicator system (TOML).
    #[arg(long, default_value = DEMO_INDICATORS)]
    pub indicators: PathBuf,
    /// The directory with the roster (units) and, if any, the duties table.
    #[arg(long, default_value = DEMO_DATA)]
    pub data: PathBuf,
    /// The directory of the forms units sent back (any file names).
    #[arg(value_name = "RETURNED_DIR")]
    pub returned: PathBuf,
    /// The submissions table to write: a .xlsx or .csv file (collect.log is written beside it).
    #[arg(long = "out", id = "out_file", value_name = "FILE")]
    pub out: PathBuf,
    /// Replace the file (and its collect.log) if it exists.
    #[arg(long = "force", id = "force_file")]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct CombineArgs {
    /// The indicator system whose groups, grades and ranking rules apply.
    #[arg(long, default_value = DEMO_INDICATORS)]
    pub indicators: PathBuf,
    /// The directory whose units table is the roster of the combined result.
    #[arg(long, default_value = DEMO_DATA)]
    pub data: PathBuf,
    /// PART=WEIGHT: a run's output directory (or its results.json) and its weight; repeatable.
    #[arg(required = true, value_name = "PART=WEIGHT", value_parser = crate::combine::part_arg)]
    pub parts: Vec<crate::combine::PartArg>,
    /// Output directory [default: reports/<indicator file stem>-combined/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
    /// Skip charts (tables and notice only).
    #[arg(long)]
    pub no_charts: bool,
    /// The date printed on the notice, as the tables write dates [default: today].
    #[arg(long, value_parser = notice_date)]
    pub notice_date: Option<chrono::NaiveDate>,
    /// The notice's 发文字号 for this result, over notice.doc_number.
    #[arg(long)]
    pub doc_number: Option<String>,
    /// PART=NAME: what the documents call a part (default: its period's name, or 年度考核); repeatable.
    #[arg(long = "name", value_name = "PART=NAME")]
    pub names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct WeightsArgs {
    #[command(subcommand)]
    pub method: WeightsMethod,
}

#[derive(Subcommand, Debug)]
pub enum WeightsMethod {
    /// Analytic hierarchy process: weights of each parent's children from pairwise comparisons.
    Ahp(AhpArgs),
    /// Entropy weight method over the units' leaf scores of a run.
    Entropy(EntropyArgs),
}

#[derive(Args, Debug)]
pub struct AhpArgs {
    /// The comparisons (TOML): one [[set]] per parent, with parent, children, upper.
    pub file: PathBuf,
    /// The indicator system (TOML).
    #[arg(long, default_value = DEMO_INDICATORS)]
    pub indicators: PathBuf,
    /// Also write weights.json into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write a copy of the indicator system with the children given these weights.
    #[arg(long)]
    pub write: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct EntropyArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Also write weights.json into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Number of units.
    #[arg(long, default_value_t = 1000)]
    pub units: usize,
    /// Number of inspection records.
    #[arg(long, default_value_t = 50_000)]
    pub records: usize,
    /// Random seed: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the tables as offices do (names, ids and aliases mixed, four date formats, GB18030 and UTF-8 with BOM): the same assessment.
    #[arg(long)]
    pub messy: bool,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct WhatifArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// ID=VALUE: new points (or weight, where the siblings are weighted); repeatable.
    #[arg(long = "set", value_name = "ID=V", required = true)]
    pub set: Vec<String>,
    /// Also write whatif.json and charts into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Number of random re-weightings.
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// Each indicator's points vary by a factor in [1 − S, 1 + S].
    #[arg(long, default_value_t = 0.2, allow_negative_numbers = true)]
    pub spread: f64,
    /// Random seed: the same seed gives the same result on any machine.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Also write sensitivity.json and charts into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The earlier results.json.
    pub old: PathBuf,
    /// The later results.json.
    pub new: PathBuf,
    /// Also write compare.json and charts into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk command wrote.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Print every warning (by default the first 20 and a count).
    #[arg(long)]
    pub all_warnings: bool,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// The unit: id, name or alias.
    pub unit: String,
}

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// The indicator system (TOML).
    #[arg(long, default_value = DEMO_INDICATORS)]
    pub indicators: PathBuf,
    /// The directory of input tables (units, inspections, submissions, ratings, duties).
    #[arg(long, default_value = DEMO_DATA)]
    pub data: PathBuf,
    /// Count submissions still 待审核 and mark every output 征求意见稿.
    #[arg(long)]
    pub draft: bool,
    /// Score one period of the year ([[period]] id): records dated in it, rows of that period.
    #[arg(long, value_name = "ID")]
    pub period: Option<String>,
}

impl InputArgs {
    /// The assessment of these inputs: loaded, checked, scored and ranked.
    pub fn assess(&self) -> Result<Assessment> {
        assess(
            &self.indicators,
            &self.data,
            self.draft,
            self.period.as_deref(),
        )
    }
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output directory [default: reports/<indicator file stem>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output directory an earlier zwgk run wrote.
    #[arg(long)]
    pub force: bool,
    /// Skip charts (tables and notice only), for batch use.
    #[arg(long)]
    pub no_charts: bool,
    /// A CJK font for the charts [default: the bundled WenQuanYi Micro Hei].
    #[arg(long, env = "ZWGK_FONT")]
    pub font: Option<PathBuf>,
    /// The office's own notice.html template (minijinja).
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// The date printed on the notice, as the tables write dates
    /// (2024-02-20, 2024/2/20, 2024.2.20, 2024年2月20日) [default: today].
    #[arg(long, value_parser = notice_date)]
    pub notice_date: Option<chrono::NaiveDate>,
    /// The notice's 发文字号 for this run (each quarter's notice has its own), over notice.doc_number.
    #[arg(long)]
    pub doc_number: Option<String>,
    /// Write the feedback to units (feedback.xlsx, the 整改台账) also above 2,000 units.
    #[arg(long, conflicts_with = "no_feedback")]
    pub feedback: bool,
    /// Leave the feedback to units out.
    #[arg(long)]
    pub no_feedback: bool,
}

/// A date on the command line, in the formats the tables accept.
pub(crate) fn notice_date(s: &str) -> std::result::Result<chrono::NaiveDate, String> {
    crate::ingest::values::parse_date(s)
}

/// Where `run` writes when no `--out` is given: `reports/<stem>/`, or
/// `reports/<stem>-<period id>/` for a period.
pub fn default_out(indicators: &Path, period: Option<&str>) -> PathBuf {
    let stem = indicators
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    match period {
        Some(p) => Path::new("reports").join(format!("{stem}-{p}")),
        None => Path::new("reports").join(stem),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_date_takes_the_formats_of_the_tables() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 2, 20);
        for s in ["2024-02-20", "2024/2/20", "2024.2.20", "2024年2月20日"] {
            assert_eq!(notice_date(s).ok(), date, "{s}");
        }
        assert!(notice_date("2024-02-30")
            .unwrap_err()
            .starts_with("\"2024-02-30\" is not a date"));
    }

    #[test]
    fn run_writes_under_reports_named_after_the_indicator_file() {
        assert_eq!(
            default_out(Path::new("indicators/city-2023.toml"), None),
            Path::new("reports/city-2023")
        );
        assert_eq!(
            default_out(Path::new("indicators/city-2023.toml"), Some("Q1")),
            Path::new("reports/city-2023-Q1")
        );
    }
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The new folder to start the assessment in (must not exist).
    pub dir: PathBuf,
}
