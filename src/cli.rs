//! The command line: clap parses raw arguments, [`Cli::resolve`] turns them
//! into plain settings, and each command runs the pipeline. Exit status: 0
//! success, 1 invalid inputs or indicator system, 2 wrong usage.

use crate::assess::{assess, Assessment};
use crate::error::{Error, Result};
use crate::report;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};

pub const DEMO_INDICATORS: &str = "indicators/demo.toml";
pub const DEMO_DATA: &str = "data/demo";

#[derive(Parser, Debug)]
#[command(
    name = "zwgk",
    version,
    about = "政务公开绩效考核: exact scores, ranks, grades and reports from a TOML indicator system and input tables"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Score, rank and grade, and write the reports.
    Run(RunArgs),
    /// Validate the indicator system and the inputs; write nothing.
    Check(InputArgs),
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
    /// The date printed on the notice, YYYY-MM-DD [default: today].
    #[arg(long)]
    pub notice_date: Option<chrono::NaiveDate>,
}

/// Where `run` writes when no `--out` is given.
pub fn default_out(indicators: &Path) -> PathBuf {
    let stem = indicators
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    Path::new("reports").join(stem)
}

/// Parses the process arguments, runs, and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match execute(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        // No arguments: the bundled demo, replacing its own earlier report.
        None => run(RunArgs {
            inputs: InputArgs {
                indicators: DEMO_INDICATORS.into(),
                data: DEMO_DATA.into(),
                draft: false,
            },
            out: None,
            force: true,
            no_charts: false,
            font: std::env::var_os("ZWGK_FONT").map(PathBuf::from),
            template: None,
            notice_date: None,
        }),
        Some(Command::Run(args)) => run(args),
        Some(Command::Check(args)) => check(args),
    }
}

fn print_warnings(a: &Assessment) {
    for w in &a.warnings {
        eprintln!("warning: {w}");
    }
}

fn run(args: RunArgs) -> Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.inputs.indicators));
    // Refuse early, before the work, when the directory may not be replaced.
    report::output::check_target(&out, args.force)?;
    if !args.no_charts {
        report::font::init(args.font.as_deref())?;
    }
    let html_template = match &args.template {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .map_err(|e| Error::io(format!("cannot read template {}", p.display()), e))?,
        ),
        None => None,
    };
    let a = assess(
        &args.inputs.indicators,
        &args.inputs.data,
        args.inputs.draft,
    )?;
    print_warnings(&a);
    let date = args
        .notice_date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let options = report::Options {
        charts: !args.no_charts,
        html_template,
        date: date.format("%Y年%-m月%-d日").to_string(),
    };
    let files = report::render_run(&a, &options)?;
    report::output::write_dir(&out, &files, args.force)?;
    println!(
        "{}{}: {} units scored, {} warning(s); reports in {}",
        a.system.name,
        if a.draft { "（征求意见稿）" } else { "" },
        a.inputs.units.len(),
        a.warnings.len(),
        out.display()
    );
    Ok(())
}

fn check(args: InputArgs) -> Result<()> {
    let a = assess(&args.indicators, &args.data, args.draft)?;
    print_warnings(&a);
    println!(
        "ok: {} — {} indicators, {} units, {} inspection records, {} submissions; {} warning(s)",
        a.system.name,
        a.system.indicators.len(),
        a.inputs.units.len(),
        a.inputs.records.len(),
        a.inputs.leaf_values.len() + a.inputs.bonus_values.len(),
        a.warnings.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_writes_under_reports_named_after_the_indicator_file() {
        assert_eq!(
            default_out(Path::new("indicators/city-2023.toml")),
            Path::new("reports/city-2023")
        );
    }
}
