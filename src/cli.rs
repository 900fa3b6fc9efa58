//! The command line: clap parses the arguments into one `…Args` struct per
//! command, and [`execute`] hands them to the command's module in
//! [`crate::commands`]. Exit status: 0 success, 1 invalid inputs or
//! indicator system, 2 wrong usage.
//!
//! The doc comments on the argument structs are clap's English help texts
//! (`<unit id>`, `[[set]]` are what a user types), not rustdoc markup.
#![allow(rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]

use crate::commands;
use crate::commands::args::*;
use crate::error::Result;
use crate::lang::Lang;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;

mod console;
mod zh;

#[derive(Parser, Debug)]
#[command(
    name = "zwgk",
    version,
    about = "政务公开绩效考核: exact scores, ranks, grades and reports from a TOML indicator system and input tables"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Language of messages: zh (Chinese, the default) or en; without it the
    /// locale (LC_ALL, LC_MESSAGES, LANG) decides.
    #[arg(long, global = true, value_parser = ["zh", "en"], display_order = 900)]
    pub lang: Option<String>,
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
    /// Read the forms units sent back, check every value, merge them into one submissions table.
    Collect(CollectArgs),
    /// Combine earlier runs' results (quarters, the year-end) into one result by weight.
    Combine(CombineArgs),
    /// Where weights come from: AHP pairwise comparisons or entropy of a run's scores.
    Weights(WeightsArgs),
    /// Start a new office's assessment in a new folder: a sample indicator system and empty tables.
    Init(InitArgs),
}

/// The command line in the user's language: clap's derive texts in
/// English, translated by `zh::localize` in Chinese.
pub fn command(lang: Lang) -> clap::Command {
    match lang {
        Lang::En => Cli::command(),
        Lang::Zh => zh::localize(Cli::command()),
    }
}

/// Parses the process arguments, runs, and returns the exit status.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().collect();
    let lang = Lang::of_args(args.get(1..).unwrap_or_default());
    crate::lang::set(lang);
    let parsed = command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let quiet = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            if lang == Lang::Zh && !quiet {
                eprint!("{}", zh::error_text(&e));
            } else {
                let _ = e.print();
            }
            return e.exit_code();
        }
    };
    // Double-clicked (Windows, no arguments): the demo beside the exe,
    // then a wait, so the officer sees the summary before the window closes.
    let double_clicked = cli.command.is_none() && console::double_clicked();
    if double_clicked {
        console::run_beside_the_exe();
    }
    let status = run(cli);
    if double_clicked {
        console::wait_for_a_key();
    }
    status
}

/// Runs the parsed command line and returns the exit status.
fn run(cli: Cli) -> i32 {
    match execute(cli) {
        Ok(()) => 0,
        Err(e) => {
            // A cell's text in the message is shown, never obeyed.
            let text = crate::ingest::text::printable(&e.to_string()).into_owned();
            eprintln!("{}", crate::tr!("错误：{text}", "error: {text}"));
            e.exit_code()
        }
    }
}

pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        // No arguments: the bundled demo, replacing its own earlier report.
        None => commands::run::run(RunArgs {
            inputs: InputArgs {
                indicators: DEMO_INDICATORS.into(),
                data: DEMO_DATA.into(),
                draft: false,
                period: None,
            },
            out: None,
            force: true,
            no_charts: false,
            font: std::env::var_os("ZWGK_FONT").map(PathBuf::from),
            template: None,
            notice_date: None,
            doc_number: None,
            feedback: false,
            no_feedback: false,
        }),
        Some(Command::Run(args)) => commands::run::run(args),
        Some(Command::Check(args)) => commands::run::check(args),
        Some(Command::Whatif(args)) => commands::whatif::whatif(args),
        Some(Command::Sensitivity(args)) => commands::sensitivity::sensitivity(args),
        Some(Command::Compare(args)) => commands::compare::compare(args),
        Some(Command::Explain(args)) => commands::explain::explain(args),
        Some(Command::Generate(args)) => commands::generate::generate(args),
        Some(Command::Template(args)) => commands::template::template(args),
        Some(Command::Collect(args)) => commands::collect::collect(args),
        Some(Command::Combine(args)) => commands::combine::combine(args),
        Some(Command::Weights(args)) => commands::weights::weights(args),
        Some(Command::Init(args)) => commands::init::init(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
