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
    Check(CheckArgs),
    /// Rescore with changed points or weights and show how ranks move.
    Whatif(WhatifArgs),
    /// How robust the ranking is to the points: random re-weighting.
    Sensitivity(SensitivityArgs),
    /// Rank and grade changes between two results.json (e.g. two years).
    Compare(CompareArgs),
    /// One unit's score as a tree: every point gained or lost, and why.
    Explain(ExplainArgs),
    /// Write a synthetic assessment of any size (indicators.toml + data/).
    Generate(GenerateArgs),
    /// Write the submissions workbook to send to units (from the roster).
    Template(TemplateArgs),
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// The indicator system (TOML).
    #[arg(long, default_value = DEMO_INDICATORS)]
    pub indicators: PathBuf,
    /// The directory with the roster (units) and, if any, the duties table.
    #[arg(long, default_value = DEMO_DATA)]
    pub data: PathBuf,
    /// Output directory for submissions.xlsx.
    #[arg(long)]
    pub out: PathBuf,
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
    #[arg(long, default_value_t = 0.2)]
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
}

impl InputArgs {
    /// The assessment of these inputs: loaded, checked, scored and ranked.
    fn assess(&self) -> Result<Assessment> {
        assess(&self.indicators, &self.data, self.draft)
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
        Some(Command::Whatif(args)) => whatif(args),
        Some(Command::Sensitivity(args)) => sensitivity(args),
        Some(Command::Compare(args)) => compare(args),
        Some(Command::Explain(args)) => explain(args),
        Some(Command::Generate(args)) => generate(args),
        Some(Command::Template(args)) => template(args),
    }
}

/// Before any work: may `--out` be written, and is the chart font usable?
fn prepare_out(out: Option<&Path>, force: bool) -> Result<()> {
    if let Some(out) = out {
        report::output::check_target(out, force)?;
        report::font::init(None)?;
    }
    Ok(())
}

/// Writes an analyst command's JSON and charts when `--out` is given.
fn write_extra(
    out: Option<&Path>,
    force: bool,
    json_name: &str,
    json: &impl serde::Serialize,
    charts: Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let Some(out) = out else { return Ok(()) };
    let mut files = vec![(
        json_name.to_string(),
        serde_json::to_vec_pretty(json).unwrap_or_default(),
    )];
    files.extend(charts);
    report::output::write_dir(out, &files, force)?;
    println!("written to {}", out.display());
    Ok(())
}

fn whatif(args: WhatifArgs) -> Result<()> {
    use crate::analysis::{charts, whatif};
    prepare_out(args.out.as_deref(), args.force)?;
    let a = args.inputs.assess()?;
    let settings = whatif::parse_settings(&a.system, &args.set)?;
    let w = whatif::rescore(&a, &settings);
    let r = whatif::report(&a, &w);
    print!("{}", whatif::render_text(&r));
    let mut files = Vec::new();
    if args.out.is_some() {
        let x_max = w
            .scores
            .iter()
            .map(|s| s.total.to_f64())
            .fold(a.system.full_score.try_into().unwrap_or(100.0), f64::max);
        for (g, group) in r.groups.iter().enumerate() {
            let members = &w.ranking.order[a
                .system
                .groups
                .iter()
                .position(|x| x.id == group.id)
                .unwrap_or(g)];
            let rows: Vec<charts::Movement> = members
                .iter()
                .map(|&u| charts::Movement {
                    name: a.inputs.units[u].name.clone(),
                    total: w.scores[u].total.to_f64(),
                    old_rank: a.ranking.standings[u].rank,
                    new_rank: w.ranking.standings[u].rank,
                })
                .collect();
            files.extend(charts::files(
                &format!("whatif-{}", group.id),
                &charts::movement_chart(
                    &format!("{} 调整分值后的名次变化", group.name),
                    x_max,
                    &rows,
                ),
            )?);
        }
    }
    write_extra(args.out.as_deref(), args.force, "whatif.json", &r, files)
}

fn sensitivity(args: SensitivityArgs) -> Result<()> {
    use crate::analysis::{charts, sensitivity};
    if !(0.0..1.0).contains(&args.spread) {
        return Err(Error::Usage(format!(
            "--spread {}: expected a number in [0, 1)",
            args.spread
        )));
    }
    if args.samples == 0 {
        return Err(Error::Usage("--samples must be at least 1".into()));
    }
    prepare_out(args.out.as_deref(), args.force)?;
    let a = args.inputs.assess()?;
    let r = sensitivity::analyse(
        &a,
        sensitivity::Settings {
            samples: args.samples,
            spread: args.spread,
            seed: args.seed,
        },
    );
    print!("{}", sensitivity::render_text(&r, &a));
    let mut files = Vec::new();
    if args.out.is_some() {
        for g in &r.groups {
            let rows: Vec<charts::Interval> = r
                .units
                .iter()
                .filter(|u| u.group == g.id)
                .map(|u| charts::Interval {
                    name: u.name.clone(),
                    baseline: u.baseline_rank,
                    median: u.median_rank,
                    p5: u.p5_rank,
                    p95: u.p95_rank,
                })
                .collect();
            files.extend(charts::files(
                &format!("sensitivity-{}", g.id),
                &charts::interval_chart(
                    &format!(
                        "{} 名次稳健性 ({}次抽样, ±{}%)",
                        g.name,
                        r.samples,
                        r.spread * 100.0
                    ),
                    g.units,
                    &rows,
                ),
            )?);
        }
    }
    write_extra(
        args.out.as_deref(),
        args.force,
        "sensitivity.json",
        &r,
        files,
    )
}

fn compare(args: CompareArgs) -> Result<()> {
    use crate::analysis::{charts, compare};
    prepare_out(args.out.as_deref(), args.force)?;
    let c = compare::compare(&args.old, &args.new)?;
    print!("{}", compare::render_text(&c));
    let mut files = Vec::new();
    if args.out.is_some() {
        let mut groups: Vec<&str> = c.units.iter().map(|u| u.group.as_str()).collect();
        groups.dedup();
        for g in groups {
            let rows: Vec<charts::Movement> = c
                .units
                .iter()
                .filter(|u| u.group == g)
                .map(|u| charts::Movement {
                    name: u.name.clone(),
                    total: u.new_total.parse().unwrap_or(0.0),
                    old_rank: u.old_rank,
                    new_rank: u.new_rank,
                })
                .collect();
            let x_max = rows.iter().map(|r| r.total).fold(100.0, f64::max);
            files.extend(charts::files(
                &format!("compare-{g}"),
                &charts::movement_chart(&format!("{g} 名次变化"), x_max, &rows),
            )?);
        }
    }
    write_extra(args.out.as_deref(), args.force, "compare.json", &c, files)
}

fn generate(args: GenerateArgs) -> Result<()> {
    if args.units == 0 {
        return Err(Error::Usage("--units must be at least 1".into()));
    }
    let staging = report::output::Staging::begin(&args.out, args.force)?;
    let spec = crate::generate::Spec {
        units: args.units,
        records: args.records,
        seed: args.seed,
    };
    crate::generate::generate(spec, &staging)?;
    staging.commit()?;
    println!(
        "synthetic assessment: {} units, {} records in {} (zwgk run --indicators {}/indicators.toml --data {}/data)",
        args.units,
        args.records,
        args.out.display(),
        args.out.display(),
        args.out.display()
    );
    Ok(())
}

fn template(args: TemplateArgs) -> Result<()> {
    report::output::check_target(&args.out, args.force)?;
    let system = crate::config::System::load(&args.indicators)?;
    let inputs = crate::ingest::load_roster(&system, &args.data)?;
    let bytes = crate::template::submissions_workbook(&system, &inputs)
        .map_err(|e| Error::Usage(format!("cannot build the workbook: {e}")))?;
    report::output::write_dir(&args.out, &[("submissions.xlsx".into(), bytes)], args.force)?;
    println!(
        "{}: submissions.xlsx for {} units",
        args.out.display(),
        inputs.units.len()
    );
    Ok(())
}

fn explain(args: ExplainArgs) -> Result<()> {
    use crate::analysis::explain;
    let a = args.inputs.assess()?;
    let u = explain::find_unit(&a, &args.unit)?;
    print!("{}", explain::explain(&a, u));
    Ok(())
}

/// What zwgk did not read in the data directory, and why (stderr).
fn print_ignored(a: &Assessment) {
    for (file, why) in &a.inputs.ignored {
        eprintln!("not read: {file} ({why})");
    }
}

/// Warnings to stderr: all of them when few (or `all`), else the first
/// ones and a count with where the rest are (`rest`).
fn print_warnings(a: &Assessment, all: bool, rest: &str) {
    const SHOWN: usize = 20;
    let shown = if all { a.warnings.len() } else { SHOWN };
    for w in a.warnings.iter().take(shown) {
        eprintln!("warning: {w}");
    }
    if a.warnings.len() > shown {
        eprintln!("warning: … and {} more ({rest})", a.warnings.len() - shown);
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
    let a = args.inputs.assess()?;
    print_ignored(&a);
    print_warnings(
        &a,
        false,
        &format!("every warning is in {}", out.join("run.log").display()),
    );
    let date = args
        .notice_date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let options = report::Options {
        charts: !args.no_charts,
        html_template,
        date: date.format("%Y年%-m月%-d日").to_string(),
    };
    let t = std::time::Instant::now();
    let staging = report::output::Staging::begin(&out, args.force)?;
    report::write_run(&a, &options, &staging)?;
    crate::assess::timing("render and write reports", t);
    let t = std::time::Instant::now();
    staging.commit()?;
    crate::assess::timing("move the reports into place", t);
    println!(
        "{}{}: {} units scored, {} warning(s); reports in {}",
        a.system.name,
        if a.draft { "（征求意见稿）" } else { "" },
        a.inputs.units.len(),
        a.warnings.len(),
        out.display()
    );
    leave_to_exit(a);
    Ok(())
}

/// Leaves the assessment's memory to the end of the process instead of
/// freeing it: `main` exits right after the command, and the kernel takes a
/// process's pages back at once, whereas dropping a province's assessment
/// walks every allocation and the allocator then returns its pages a few at
/// a time (0.04 s + ~0.1 s at 20,000 units; nearly 2,000 `madvise` calls).
fn leave_to_exit(a: Assessment) {
    std::mem::forget(a);
}

fn check(args: CheckArgs) -> Result<()> {
    let a = args.inputs.assess()?;
    print_ignored(&a);
    print_warnings(
        &a,
        args.all_warnings,
        "zwgk check --all-warnings prints every one; zwgk run writes them to run.log",
    );
    println!(
        "ok: {} — {} indicators, {} units, {} inspection records, {} submissions; {} warning(s)",
        a.system.name,
        a.system.indicators.len(),
        a.inputs.units.len(),
        a.inputs.record_count(),
        a.inputs.leaf_values.len() + a.inputs.bonus_values.len(),
        a.warnings.len()
    );
    leave_to_exit(a);
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
