//! Stage 5: reports. Each format is an [`Export`] that turns an
//! [`Assessment`] into bytes; [`output`] writes them all into the output
//! directory in one atomic step.

pub mod charts;
pub mod draw;
pub mod font;
pub mod json;
pub mod notice;
pub mod output;
pub mod tables;
pub mod xlsx;

use crate::assess::Assessment;
use crate::num::Exact;

/// One output file.
pub trait Export: Sync {
    fn file_name(&self) -> &'static str;
    fn render(&self, a: &Assessment) -> crate::error::Result<Vec<u8>>;
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
}

/// Most breakdown rows written as a workbook: beyond this breakdown.xlsx is
/// left out (with a warning) and breakdown.csv carries the rows — a
/// province's millions of rows exceed what a spreadsheet can open.
pub const MAX_XLSX_ROWS: usize = 200_000;

/// The number of breakdown rows (unit × leaf, before bonus and penalty rows).
pub fn breakdown_rows(a: &Assessment) -> usize {
    a.inputs.units.len() * a.system.leaves().len()
}

/// Every file `zwgk run` writes: tables, charts and notice, in memory. The
/// tables are rendered beside the charts and the notice (which shows them).
pub fn render_run(
    a: &Assessment,
    options: &Options,
) -> crate::error::Result<Vec<(String, Vec<u8>)>> {
    let (files, notice_and_charts) = rayon::join(|| render_all(a), || render_notice(a, options));
    let mut files = files?;
    files.extend(notice_and_charts?);
    Ok(files)
}

/// The charts (unless left out) and the notice that shows them.
fn render_notice(
    a: &Assessment,
    options: &Options,
) -> crate::error::Result<Vec<(String, Vec<u8>)>> {
    let rendered = if options.charts {
        charts::render_all(a)?
    } else {
        charts::Rendered {
            files: Vec::new(),
            svgs: Vec::new(),
        }
    };
    let t = std::time::Instant::now();
    let mut files = notice::render_notice(
        a,
        &options.date,
        &rendered.svgs,
        options.html_template.as_deref(),
    )?;
    crate::assess::timing("render notice", t);
    files.extend(rendered.files);
    Ok(files)
}

/// The table files (results.json, CSVs, workbooks, run.log), rendered in
/// memory.
pub fn render_all(a: &Assessment) -> crate::error::Result<Vec<(String, Vec<u8>)>> {
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
    exports
        .par_iter()
        .map(|e| {
            let t = std::time::Instant::now();
            let bytes = e.render(a)?;
            crate::assess::timing(&format!("render {}", e.file_name()), t);
            Ok((e.file_name().to_string(), bytes))
        })
        .collect()
}

/// A report that could not be built (a limit of its format): the run fails
/// and writes nothing, rather than writing an empty file.
fn render_error(file: &str, e: impl std::fmt::Display) -> crate::error::Error {
    crate::error::Error::io(
        format!("cannot build {file}"),
        std::io::Error::other(e.to_string()),
    )
}

/// A score as published: rounded half away from zero, `precision` decimals.
pub fn published(a: &Assessment, x: Exact) -> String {
    x.publish(a.system.precision).to_string()
}
