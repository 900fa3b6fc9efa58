//! The inspection records a batch at a time, so that a nation's year (20
//! million records, over a gigabyte of CSV) is never held whole: a CSV file
//! in pieces of whole records ([`super::encoding::Pieces`]), a Parquet file
//! by row groups, a workbook sheet (at most a million rows) whole. Each
//! batch is a [`Table`] whose rows know their place in the file, so that a
//! problem in the tenth batch is reported at its row of the file.

use super::delimited::{self, Layout};
use super::encoding::{PieceError, Pieces};
use super::table::{self, ColumnSpec, Table};
use crate::error::Diagnostic;
use polars::prelude::*;
use polars_io::parquet::metadata::FileMetadataRef;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// About this many bytes of CSV, or rows of Parquet, per batch: enough for
/// polars to parse on every core, small enough that a batch's columns stay
/// a small part of the memory. `ZWGK_BATCH_BYTES` and `ZWGK_BATCH_ROWS` set
/// them (the tests read small files in many batches with them).
const BATCH_BYTES: usize = 16 << 20;
const BATCH_ROWS: usize = 500_000;

fn batch_size(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

/// A table's batches in file order; the first is read when the table is
/// opened (its header row's problems are the opening's errors).
pub struct Batches {
    shown: String,
    first: Option<Table>,
    /// The columns of the first batch, to make the later ones with.
    layout: Option<Table>,
    /// Data rows given out so far.
    rows: usize,
    rest: Rest,
    failed: bool,
}

/// Where the batches after the first come from.
enum Rest {
    None,
    Csv(Box<Pieces<BufReader<File>>>, Layout),
    Parquet {
        file: File,
        metadata: FileMetadataRef,
        /// The row counts of the row groups not yet read.
        groups: std::collections::VecDeque<usize>,
        sha256: String,
    },
}

impl Batches {
    /// A table read whole (a workbook sheet) as one batch.
    pub fn whole(table: Table) -> Self {
        Batches {
            shown: table.file.clone(),
            first: Some(table),
            layout: None,
            rows: 0,
            rest: Rest::None,
            failed: false,
        }
    }

    /// A CSV file, its first piece read and its header row resolved.
    pub fn csv(
        path: &Path,
        spec: &[ColumnSpec],
        warnings: &mut Vec<String>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let shown = path.display().to_string();
        let file = File::open(path).map_err(|e| vec![cannot_read(&shown, e)])?;
        let mut pieces = Pieces::new(
            BufReader::new(file),
            batch_size("ZWGK_BATCH_BYTES", BATCH_BYTES),
        );
        let text = next_piece(&shown, &mut pieces)
            .map_err(|d| vec![d])?
            .unwrap_or_default();
        let (first, layout) = delimited::first_piece(&shown, &text, spec, warnings)?;
        Ok(Batches {
            shown,
            layout: Some(first.next_batch(DataFrame::empty(), 0)),
            first: Some(first),
            rows: 0,
            rest: Rest::Csv(Box::new(pieces), layout),
            failed: false,
        })
    }

    /// A Parquet file, its first row groups read and its columns resolved.
    pub fn parquet(
        path: &Path,
        spec: &[ColumnSpec],
        warnings: &mut Vec<String>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let shown = path.display().to_string();
        let fail = |e: PolarsError| vec![table::parquet_problem(&shown, e)];
        let sha256 = file_sha256(path).map_err(|e| vec![cannot_read(&shown, e)])?;
        let file = File::open(path).map_err(|e| vec![cannot_read(&shown, e)])?;
        let mut reader =
            ParquetReader::new(file.try_clone().map_err(|e| vec![cannot_read(&shown, e)])?);
        let metadata = reader.get_metadata().map_err(fail)?.clone();
        let groups = metadata.row_groups.iter().map(|g| g.num_rows()).collect();
        let mut rest = Rest::Parquet {
            file,
            metadata,
            groups,
            sha256,
        };
        let df = rest.next_parquet(0).transpose().map_err(fail)?;
        // A file without row groups still has its columns.
        let df = match df {
            Some(df) => df,
            None => reader.finish().and_then(table::as_text).map_err(fail)?,
        };
        let first = table::resolve_headers(df, &shown, spec, warnings, table::Origin::Csv)?;
        Ok(Batches {
            shown,
            layout: Some(first.next_batch(DataFrame::empty(), 0)),
            first: Some(first),
            rows: 0,
            rest,
            failed: false,
        })
    }

    /// The SHA-256 of a file read in batches, once every batch is read;
    /// `None` for a table read whole (hashed when it was read).
    pub fn sha256(&self) -> Option<String> {
        match &self.rest {
            Rest::None => None,
            Rest::Csv(pieces, _) => Some(pieces.sha256()),
            Rest::Parquet { sha256, .. } => Some(sha256.clone()),
        }
    }

    /// The next batch after the first.
    fn later(&mut self) -> Result<Option<Table>, Diagnostic> {
        let first_row = self.rows;
        let df = match &mut self.rest {
            Rest::None => None,
            Rest::Csv(pieces, layout) => match next_piece(&self.shown, pieces)? {
                None => None,
                Some(text) => Some(delimited::later_piece(
                    &self.shown,
                    &text,
                    layout,
                    first_row,
                )?),
            },
            Rest::Parquet { .. } => self
                .rest
                .next_parquet(first_row)
                .transpose()
                .map_err(|e| table::parquet_problem(&self.shown, e))?,
        };
        Ok(match (df, &self.layout) {
            (Some(df), Some(layout)) => Some(layout.next_batch(df, first_row)),
            _ => None,
        })
    }
}

impl Iterator for Batches {
    type Item = Result<Table, Vec<Diagnostic>>;

    /// The batches in file order; after a problem (an unreadable piece),
    /// none.
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let batch = match self.first.take() {
            Some(t) => Ok(Some(t)),
            None => self.later(),
        };
        match batch {
            Ok(t) => {
                let t = t?;
                self.rows += t.height();
                Some(Ok(t))
            }
            Err(d) => {
                self.failed = true;
                Some(Err(vec![d]))
            }
        }
    }
}

impl Rest {
    /// The next row groups of a Parquet file, about [`BATCH_ROWS`] rows,
    /// as text columns; `None` when all are read.
    fn next_parquet(&mut self, first_row: usize) -> Option<PolarsResult<DataFrame>> {
        let Rest::Parquet {
            file,
            metadata,
            groups,
            ..
        } = self
        else {
            return None;
        };
        let mut rows = 0;
        let batch_rows = batch_size("ZWGK_BATCH_ROWS", BATCH_ROWS);
        while rows < batch_rows {
            let Some(n) = groups.pop_front() else { break };
            rows += n;
        }
        if rows == 0 {
            return None;
        }
        let read = || {
            let mut reader =
                ParquetReader::new(file.try_clone()?).with_slice(Some((first_row, rows)));
            reader.set_metadata(metadata.clone());
            reader.finish().and_then(table::as_text)
        };
        Some(read())
    }
}

/// The next piece of a CSV file, or its problem at its place.
fn next_piece(
    shown: &str,
    pieces: &mut Pieces<BufReader<File>>,
) -> Result<Option<String>, Diagnostic> {
    pieces.next_piece().map_err(|e| match e {
        PieceError::Io(e) => cannot_read(shown, e),
        PieceError::Encoding(p) => delimited::encoding_problem(shown, p),
    })
}

fn cannot_read(shown: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(shown, "", crate::error::cannot_read(e))
}

/// A file's SHA-256, read a buffer at a time.
fn file_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut sha = sha2::Sha256::new();
    std::io::copy(&mut BufReader::new(File::open(path)?), &mut sha)?;
    Ok(super::hex(&sha.finalize()))
}
