//! Stage 5: reports. Each format is an [`Export`] that writes an
//! [`Assessment`] as one file; every file goes straight into a
//! [`output::Staging`] directory, which the run moves into place in one
//! atomic step.

pub mod account;
pub mod bitmap;
pub mod cell;
pub mod charts;
pub mod combined;
pub mod combined_feedback;
pub mod docx;
mod docx_rows;
pub mod draw;
pub mod feedback;
pub mod font;
pub mod histogram;
pub mod json;
pub mod ledger;
pub mod notice;
pub mod notice_docx;
pub mod output;
pub mod page;
pub mod page_data;
mod page_pack;
pub mod sentences;
pub mod tables;
pub mod xlsx;

use crate::assess::Assessment;
use crate::error::Result;
use crate::num::Exact;
use output::Staging;
use std::io::{self, Write};

/// One output file.
pub trait Export: Sync {
    fn file_name(&self) -> &'static str;
    /// Writes the file to `out`: an error is a failed write or a report its
    /// format cannot hold (then the run fails and writes nothing).
    fn write(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()>;

    /// The file's bytes, in memory.
    fn to_bytes(&self, a: &Assessment) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.write(a, &mut bytes)?;
        Ok(bytes)
    }
}

/// What `zwgk run` should write besides the tables.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Draw the charts (off with `--no-charts`).
    pub charts: bool,
    /// An office's own notice.html template (minijinja).
    pub html_template: Option<String>,
    /// The date printed on the notice.
    pub date: String,
    /// Write the feedback to units (the 整改台账 feedback.xlsx).
    pub feedback: bool,
}

/// Most units whose feedback a run writes unless asked (`--feedback`).
pub const FEEDBACK_UNITS: usize = 2_000;

/// Most breakdown rows written as a workbook: beyond this breakdown.xlsx is
/// left out (said in the run's summary and run.log) and breakdown.csv carries the rows — a
/// province's millions of rows exceed what a spreadsheet can open.
pub const MAX_XLSX_ROWS: usize = 200_000;

/// The number of breakdown rows (unit × leaf, before bonus and penalty rows).
pub fn breakdown_rows(a: &Assessment) -> usize {
    a.inputs.units.len() * a.system.leaves().len()
}

/// Why breakdown.xlsx is left out, when it is: its rows are in
/// breakdown.csv.
pub fn left_out(a: &Assessment) -> Option<String> {
    let rows = breakdown_rows(a);
    (rows > MAX_XLSX_ROWS).then(|| {
        crate::tr!(
"未写出 breakdown.xlsx：得分明细共 {rows} 行，超过工作簿的上限 {MAX_XLSX_ROWS} 行；全部明细在 breakdown.csv 中",
"breakdown.xlsx left out: {rows} breakdown rows are more than the {MAX_XLSX_ROWS} a workbook is written with; every row is in breakdown.csv"
        )
    })
}

/// What follows the assessment's name in the run's summary: the period
/// and the draft mark, `（2023年第一季度）（征求意见稿）`.
pub fn run_label(a: &Assessment) -> String {
    let mut label = String::new();
    if let Some(p) = &a.period {
        label.push_str(&format!("（{}）", p.label(a.system.year)));
    }
    if a.draft {
        label.push_str("（征求意见稿）");
    }
    label
}

/// The part of the year a document speaks of: `2023年度`, or the period's
/// `2023年第一季度` in a period run, so that a quarter never reads like the
/// year.
pub fn year_words(a: &Assessment) -> String {
    match &a.period {
        Some(p) => p.label(a.system.year),
        None => format!("{}年度", a.system.year),
    }
}

/// What part of the year the run scored and what it left to other periods,
/// and the appeals heard: for run.log and the run's printout.
pub fn scope_lines(a: &Assessment) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(p) = &a.period {
        let left = &a.inputs.left_out;
        lines.push(crate::tr!(
            "考核期：{} {}（{} 至 {}）；未计入：期外的检查记录 {} 条，其他考核期的报送 {} 行、评分 {} 行",
            "period: {} {} ({} to {}); left out: {} records dated outside it, {} submission and {} rating rows of other periods",
            p.id,
            p.name,
            p.from,
            p.to,
            left.records,
            left.submissions,
            left.ratings
        ));
    } else if a.inputs.left_out.submissions + a.inputs.left_out.ratings > 0 {
        let left = &a.inputs.left_out;
        lines.push(crate::tr!(
            "全年考核：标有考核期的报送 {} 行、评分 {} 行只计入该考核期",
            "the whole year: {} submission and {} rating rows marked with a period count only in that period's run",
            left.submissions,
            left.ratings
        ));
    }
    if let Some(c) = &a.inputs.appeals {
        lines.push(crate::tr!(
            "申诉复核：{} 件，维持 {}、撤销 {}、改为 {}",
            "appeals: {} decided, {} upheld, {} revoked, {} changed",
            c.total(),
            c.upheld,
            c.revoked,
            c.changed
        ));
    }
    lines
}

/// Writes every file of `zwgk run` into `out`: tables, charts and notice.
/// The tables are written beside the charts and the notice (which shows
/// them).
pub fn write_run(a: &Assessment, options: &Options, out: &Staging) -> Result<()> {
    let (tables, notice_and_charts) =
        rayon::join(|| write_tables(a, out), || write_notice(a, options, out));
    tables.and(notice_and_charts)?;
    if options.feedback {
        let t = std::time::Instant::now();
        let ledger = ledger::LedgerXlsx;
        out.write_with(ledger.file_name(), |w| ledger.write(a, w))?;
        feedback::write_all(a, &options.date, |name, bytes| out.write(&name, &bytes))?;
        crate::timing::timing("render feedback", t);
    }
    Ok(())
}

/// The charts (unless left out) and the notice that shows them.
pub(crate) fn write_notice(a: &Assessment, options: &Options, out: &Staging) -> Result<()> {
    let rendered = if options.charts {
        charts::render_all(a)?
    } else {
        charts::Rendered {
            files: Vec::new(),
            svgs: Vec::new(),
            print: Vec::new(),
        }
    };
    let t = std::time::Instant::now();
    let facts = notice::facts(a, &options.date);
    let notice = notice::render_notice(&facts, &rendered.svgs, options.html_template.as_deref())?;
    for (name, bytes) in notice.iter().chain(&rendered.files) {
        out.write(name, bytes)?;
    }
    crate::timing::timing("render notice.md and notice.html", t);
    let t = std::time::Instant::now();
    page::write(a, &options.date, &rendered.svgs, options.feedback, out)?;
    crate::timing::timing("render results.html", t);
    let t = std::time::Instant::now();
    let docx = notice_docx::notice_docx(facts.value(), &rendered.print)?;
    out.write("notice.docx", &docx)?;
    crate::timing::timing("render notice.docx", t);
    Ok(())
}

/// The table files (results.json, CSVs, workbooks, run.log), on all cores.
pub fn write_tables(a: &Assessment, out: &Staging) -> Result<()> {
    // The workbook is rendered on one thread and takes longest: started
    // first, so the breakdown's parallel chunks fill the other core.
    let mut exports: Vec<Box<dyn Export>> = vec![
        Box::new(xlsx::ScoresXlsx),
        Box::new(json::Results),
        Box::new(tables::ScoresCsv),
        Box::new(tables::BreakdownCsv),
        Box::new(tables::RunLog),
    ];
    if breakdown_rows(a) <= MAX_XLSX_ROWS {
        exports.push(Box::new(xlsx::BreakdownXlsx));
    }
    use rayon::prelude::*;
    exports.par_iter().try_for_each(|e| {
        let t = std::time::Instant::now();
        out.write_with(e.file_name(), |w| e.write(a, w))?;
        crate::timing::timing(&format!("render {}", e.file_name()), t);
        Ok(())
    })
}

/// A report that could not be built (a limit of its format): the run fails
/// and writes nothing, rather than writing an empty file.
fn cannot_build(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(crate::tr!(
        "无法生成报告：{e}",
        "cannot build the report: {e}"
    ))
}

/// A date as the documents write it: `2024年3月1日`.
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// Unit `u`'s findings that veto its grade (an issue with `veto =
/// "grade"`, not revoked on appeal): the reason its grade is the last.
pub fn grade_vetoes(a: &Assessment, u: usize) -> impl Iterator<Item = &crate::ingest::Finding> {
    a.inputs
        .findings_of(u)
        .filter(move |f| a.system.issues[f.issue].veto == crate::config::Veto::Grade && f.counts())
}

/// A score as published: rounded half away from zero, `precision` decimals.
pub fn published(a: &Assessment, x: Exact) -> String {
    crate::num::decimal_text(x.publish(a.system.precision))
}
