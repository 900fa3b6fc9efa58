//! CSV (and Excel's tab-separated "Unicode 文本") into text columns through
//! polars: a small table whole, the inspection records a piece at a time
//! (`batches.rs`). A piece after the first has no header row: it is
//! parsed with the first piece's columns, and its problems are placed at
//! their rows in the whole file.

use super::encoding::{to_utf8, Problem};
use super::table::{resolve_headers, ColumnSpec, Origin, Table};
use crate::error::Diagnostic;
use polars::prelude::*;
use std::io::Cursor;

/// How the pieces after the first are parsed: the first piece's separator
/// and columns.
#[derive(Clone)]
pub struct Layout {
    separator: u8,
    schema: SchemaRef,
}

/// Reads a whole CSV file's bytes with every column as text and resolves
/// its headers.
pub fn read_csv(
    shown: &str,
    bytes: &[u8],
    spec: &[ColumnSpec],
    warnings: &mut Vec<String>,
) -> Result<Table, Vec<Diagnostic>> {
    let text = to_utf8(bytes).map_err(|p| vec![encoding_problem(shown, p)])?;
    first_piece(shown, &text, spec, warnings).map(|(table, _)| table)
}

/// Why the file is not read as text, in one error about the whole file
/// (its line where there is one) and what to do.
pub fn encoding_problem(shown: &str, problem: Problem) -> Diagnostic {
    let save_as = crate::tr!(
        "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”",
        "save it from Excel or WPS as \"CSV UTF-8 (comma delimited)\""
    );
    let at = |line: usize| crate::tr!("第 {line} 行", "line {line}");
    let (place, message) = match problem {
        Problem::Mixed(line) => (at(line), crate::tr!(
            "文件前面是 UTF-8 编码，这一行却是另一种编码（GBK？）：请把整个文件另存为同一种编码",
            "the file starts as UTF-8 but this line is in another encoding (GBK?); save the whole file in one encoding"
        )),
        Problem::BrokenGb18030(line) => (at(line), crate::tr!(
            "文件不是 UTF-8，按 GBK/GB18030 读到这一行有无法识别的字节（文件被截断，或混入了别的编码）：{save_as}",
            "the file is not UTF-8, and read as GBK/GB18030 this line has bytes that are not characters (the file was cut short or mixes encodings); {save_as}"
        )),
        Problem::Utf32 => (String::new(), crate::tr!(
            "文件是 UTF-32 编码，无法读取：{save_as}",
            "the file is in UTF-32, which is not read; {save_as}"
        )),
        Problem::Utf16WithoutBom => (String::new(), crate::tr!(
            "文件像是不带 BOM 的 UTF-16 编码（每隔一个字节为 0），无法可靠读取：{save_as}",
            "the file looks like UTF-16 without its byte-order mark (every other byte is 0) and cannot be read reliably; {save_as}"
        )),
        Problem::Binary => (String::new(), crate::tr!(
            "文件中有空字节，不是文本文件（是否把工作簿改了扩展名？）：{save_as}",
            "the file holds zero bytes and is not text (a workbook renamed?); {save_as}"
        )),
        Problem::CarriageReturnsOnly => (String::new(), crate::tr!(
            "文件的行尾只有回车符（旧式 Mac 格式），整个文件会读成一行：{save_as}",
            "the file's lines end in a carriage return alone (old Mac line ends), so it would read as one line; {save_as}"
        )),
    };
    Diagnostic::new(shown, place, message)
}

/// The table of the file's first piece (all of a small file), with its
/// header row resolved, and how to parse the pieces after it.
pub fn first_piece(
    shown: &str,
    text: &str,
    spec: &[ColumnSpec],
    warnings: &mut Vec<String>,
) -> Result<(Table, Layout), Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::new(
            shown,
            "",
            crate::tr!(
                "文件是空的，应有表头行",
                "the file is empty; expected a header row"
            ),
        )]);
    }
    // Excel's "Unicode 文本" separates columns with tabs.
    let header = text.lines().next().unwrap_or_default();
    let separator = if header.contains('\t') && !header.contains(',') {
        b'\t'
    } else {
        b','
    };
    let df = parse(shown, text, separator, None, 0).map_err(|d| vec![d])?;
    let layout = Layout {
        separator,
        schema: Arc::new(
            df.get_column_names()
                .into_iter()
                .map(|name| Field::new(name.clone(), DataType::String))
                .collect(),
        ),
    };
    let table = resolve_headers(df, shown, spec, warnings, Origin::Csv)?;
    Ok((table, layout))
}

/// A later piece (whole records, no header row) as text columns; its rows
/// are the file's data rows from `first_row` on.
pub fn later_piece(
    shown: &str,
    text: &str,
    layout: &Layout,
    first_row: usize,
) -> Result<DataFrame, Diagnostic> {
    parse(shown, text, layout.separator, Some(layout), first_row)
}

/// Every column as text; `layout` for a piece without its header row.
fn parse(
    shown: &str,
    text: &str,
    separator: u8,
    layout: Option<&Layout>,
    first_row: usize,
) -> Result<DataFrame, Diagnostic> {
    CsvReadOptions::default()
        .map_parse_options(|o| o.with_separator(separator))
        .with_has_header(layout.is_none())
        .with_schema(layout.map(|l| l.schema.clone()))
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(Cursor::new(text.as_bytes()))
        .finish()
        .map_err(|e| {
            let header_fields = layout.map(|l| l.schema.len());
            csv_problem(shown, text, header_fields, first_row).unwrap_or_else(|| {
                // polars echoes the field it could not read, which may be
                // the rest of the file: its first line says enough.
                let e = e.to_string();
                let e: String = e.lines().next().unwrap_or("").chars().take(120).collect();
                Diagnostic::new(
                    shown,
                    "",
                    crate::tr!("无法按 CSV 读取：{e}", "cannot read as CSV: {e}"),
                )
            })
        })
}

/// The record (0-based) whose quoted value is never closed: a stray `"` at
/// the start of a value makes everything after it one value.
fn unclosed_quote(text: &str) -> Option<usize> {
    let (mut record, mut opened_in) = (0, None);
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, opened_in) {
            ('"', None) if at_field_start => opened_in = Some(record),
            ('"', Some(_)) if chars.peek() == Some(&'"') => {
                chars.next();
            }
            ('"', Some(_)) => opened_in = None,
            ('\n', None) => record += 1,
            _ => {}
        }
        at_field_start = opened_in.is_none() && (c == ',' || c == '\t' || c == '\n');
    }
    opened_in
}

/// Finds the row that polars refused: a record with more fields than the
/// header (a stray comma, an unquoted comma in a name). `header_fields` is
/// the header's width for a piece without its header row, whose records
/// are the data rows from `first_row` on.
fn csv_problem(
    shown: &str,
    text: &str,
    header_fields: Option<usize>,
    first_row: usize,
) -> Option<Diagnostic> {
    // Data row first_row + k (0-based) is row first_row + k + 2 of the file;
    // the header is row 1.
    let row_of = |record: usize| match header_fields {
        Some(_) => first_row + record + 2,
        None => record + 1,
    };
    if let Some(record) = unclosed_quote(text) {
        let row = row_of(record);
        return Some(Diagnostic::new(
            shown,
            crate::tr!("第 {row} 行", "row {row}"),
            crate::tr!(
                "这一行有一个英文双引号（\"）没有配对，其后的内容都被当作一个值：请删去这个引号，或在值的末尾补上另一个",
                "a double quote (\") in this row is never closed, so everything after it reads as one value; delete it or close the value with another"
            ),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let expected_len = match header_fields {
        Some(n) => n,
        None => records.next()?.ok()?.len(),
    };
    for (k, record) in records.enumerate() {
        let len = match record {
            Ok(r) => r.len(),
            Err(e) => {
                return Some(Diagnostic::new(
                    shown,
                    "",
                    crate::tr!("无法按 CSV 读取：{e}", "cannot read as CSV: {e}"),
                ))
            }
        };
        if len > expected_len {
            // Data row first_row + k (0-based) is row first_row + k + 2 of the file.
            let row = first_row + k + 2;
            return Some(Diagnostic::new(
                shown,
                crate::tr!("第 {row} 行", "row {row}"),
                crate::tr!(
                    "有 {len} 个字段，表头只有 {expected_len} 个：含逗号的值请加英文双引号",
                    "{len} fields, but the header has {expected_len}; quote a value that contains a comma"
                ),
            ));
        }
    }
    None
}
