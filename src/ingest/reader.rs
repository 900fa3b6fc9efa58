//! The tables of a data directory read: each file or sheet once, hashed
//! (SHA-256) as it is read, within the size limits, with its problems
//! collected; the inspection records as batches.

use super::sources::{self, Catalog, FileKind, Source, TableId};
use super::table::{self, ColumnSpec, Table};
use super::{batches, sha256_hex, spec, xlsx, Inputs};
use crate::error::Diagnostic;
use std::path::Path;

/// The tables of one data directory, read one by one with their problems
/// collected. Every entry of the directory is classified first
/// ([`sources::scan`]); the data workbook, when there is one, is read,
/// hashed and opened once for all its sheets.
pub(super) struct Reader<'d> {
    dir: &'d Path,
    catalog: Catalog,
    /// The data workbook, opened, and its SHA-256.
    book: Option<(xlsx::Book, String)>,
    pub(super) errors: Vec<Diagnostic>,
}

impl<'d> Reader<'d> {
    pub(super) fn new(dir: &'d Path, inputs: &mut Inputs) -> Self {
        let mut catalog = sources::scan(dir);
        let mut errors = Vec::new();
        let mut book = None;
        if let Some(path) = catalog.book.clone() {
            let shown = path.display().to_string();
            let opened = read_bytes(&path, inputs, xlsx::MAX_BYTES as u64).and_then(|bytes| {
                let hash = sha256_hex(&bytes);
                Ok((xlsx::Book::open(&shown, bytes)?, hash))
            });
            match opened {
                Ok((mut b, hash)) => {
                    // Excel adds empty Sheet2 and Sheet3 to a new workbook:
                    // an empty sheet is listed as not read, not an error.
                    let sheets: Vec<(String, bool)> = b
                        .sheets()
                        .into_iter()
                        .map(|(name, visible)| {
                            let cells = b.cells(&name).ok().flatten();
                            let empty = cells.is_some_and(|c| c.end_row() == 0);
                            (name, visible && !empty)
                        })
                        .collect();
                    catalog.add_sheets(dir, &shown, &sheets);
                    book = Some((b, hash));
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        errors.append(&mut catalog.errors);
        inputs.ignored = std::mem::take(&mut catalog.ignored);
        Reader {
            dir,
            catalog,
            book,
            errors,
        }
    }

    /// Table `t`, or `None` when it is absent (an error when `needed` says
    /// why it is needed) or has problems (collected).
    pub(super) fn read(
        &mut self,
        t: TableId,
        needed: Option<String>,
        inputs: &mut Inputs,
    ) -> Option<Table> {
        let Some(source) = self.catalog.source(t).cloned() else {
            if let Some(why) = needed.filter(|_| !self.catalog.unusable(t)) {
                self.errors.push(missing_table(self.dir, t, &why));
            }
            return None;
        };
        self.read_source(t, &source, inputs)
            .unwrap_or_else(|mut e| {
                self.errors.append(&mut e);
                None
            })
    }

    /// The inspections table as batches (a CSV or Parquet file is read a
    /// batch at a time), and the index in `inputs.files` where the SHA-256
    /// of a file read in batches goes once it is read.
    pub(super) fn batches(
        &mut self,
        needed: Option<String>,
        inputs: &mut Inputs,
    ) -> Option<(batches::Batches, Option<usize>)> {
        let t = TableId::Inspections;
        let opened = match self.catalog.source(t).cloned() {
            Some(Source::File(path, kind @ (FileKind::Csv | FileKind::Parquet))) => {
                let open = match kind {
                    FileKind::Parquet => batches::Batches::parquet,
                    _ => batches::Batches::csv,
                };
                inputs
                    .files
                    .push((path.display().to_string(), String::new()));
                let file = inputs.files.len() - 1;
                open(&path, spec(t), &mut inputs.warnings).map(|b| (b, Some(file)))
            }
            Some(_) => {
                return self
                    .read(t, needed, inputs)
                    .map(|table| (batches::Batches::whole(table), None))
            }
            None => {
                if let Some(why) = needed.filter(|_| !self.catalog.unusable(t)) {
                    self.errors.push(missing_table(self.dir, t, &why));
                }
                return None;
            }
        };
        opened.map_err(|mut e| self.errors.append(&mut e)).ok()
    }

    fn read_source(
        &mut self,
        t: TableId,
        source: &Source,
        inputs: &mut Inputs,
    ) -> std::result::Result<Option<Table>, Vec<Diagnostic>> {
        let spec = spec(t);
        match source {
            Source::File(path, FileKind::Csv) => read_csv_file(path, spec, inputs).map(Some),
            Source::File(path, FileKind::Parquet) => {
                let shown = path.display().to_string();
                let bytes = read_bytes(path, inputs, MAX_CSV_BYTES)?;
                table::read_parquet(&shown, &bytes, spec, &mut inputs.warnings).map(Some)
            }
            Source::File(path, FileKind::Workbook) => {
                let bytes = read_bytes(path, inputs, xlsx::MAX_BYTES as u64)?;
                let sheet = xlsx::Book::open(&path.display().to_string(), bytes)?
                    .read_sheet(None, &table::known_names(spec))?;
                table::from_sheet(sheet, spec, &mut inputs.warnings).map(Some)
            }
            Source::Sheet(name) => {
                let Some((book, hash)) = self.book.as_mut() else {
                    return Ok(None);
                };
                let sheet = book.read_sheet(Some(name), &table::known_names(spec))?;
                inputs.files.push((sheet.shown.clone(), hash.clone()));
                table::from_sheet(sheet, spec, &mut inputs.warnings).map(Some)
            }
        }
    }
}

/// "the inspections table (检查结果) is missing: …", at the directory.
fn missing_table(dir: &Path, t: TableId, why: &str) -> Diagnostic {
    Diagnostic::new(
        dir.display().to_string(),
        "",
        crate::tr!(
            "缺少“{0}”表，而{why}：请添加 {2}.csv 或 {1}.csv（也可以是 .xlsx、.xls、.ods、.parquet，或 data.xlsx 中的工作表）；本年度没有记录的，可以只保留表头行",
            "the table {0} is missing, and {why}: add {1}.csv or {2}.csv (or .xlsx, .xls, .ods, .parquet, or a sheet of data.xlsx); a table with only its header row says there are none",
            t.shown(),
            t.id(),
            t.zh()
        ),
    )
}

/// A CSV table: hashed and parsed at once (on a large table each takes a
/// core).
fn read_csv_file(
    path: &Path,
    spec: &[ColumnSpec],
    inputs: &mut Inputs,
) -> std::result::Result<Table, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    check_size(path, &shown, MAX_CSV_BYTES)?;
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::new(&shown, "", crate::error::cannot_read(e))])?;
    let mut warnings = Vec::new();
    let (hash, table) = rayon::join(
        || sha256_hex(&bytes),
        || super::delimited::read_csv(&shown, &bytes, spec, &mut warnings),
    );
    inputs.files.push((shown, hash));
    inputs.warnings.append(&mut warnings);
    table
}

/// The largest table read whole: every table but the inspections (read in
/// batches, of any size) is read whole; a larger one (a roster or a ratings
/// table of a gigabyte is a wrong file) is refused before reading.
pub const MAX_CSV_BYTES: u64 = 1 << 30;

fn check_size(path: &Path, shown: &str, limit: u64) -> std::result::Result<(), Vec<Diagnostic>> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limit {
        return Err(vec![Diagnostic::new(
            shown,
            "",
            crate::tr!(
                "文件有 {} MB，zwgk 每张表最多读取 {} MB：请拆分文件或先汇总记录",
                "the file is {} MB; zwgk reads at most {} MB per table — split it or aggregate the records first",
                size >> 20,
                limit >> 20
            ),
        )]);
    }
    Ok(())
}

/// A file's bytes, recording its SHA-256 once.
fn read_bytes(
    path: &Path,
    inputs: &mut Inputs,
    limit: u64,
) -> std::result::Result<Vec<u8>, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    check_size(path, &shown, limit)?;
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::new(&shown, "", crate::error::cannot_read(e))])?;
    if !inputs.files.iter().any(|(f, _)| *f == shown) {
        inputs.files.push((shown, sha256_hex(&bytes)));
    }
    Ok(bytes)
}
