//! Reading tables from Excel/WPS workbooks with calamine: `NAME.xlsx` (its
//! first visible sheet) or one `data.xlsx` whose sheets are named by the
//! table ids or their Chinese names. Cells become text as an officer sees
//! them: numbers exactly as stored (`7`, `0.5` for a 50% cell), date cells as
//! `YYYY-MM-DD`; leading blank rows and columns are skipped; a header that
//! spans two rows (merged cells, as in a 责任分工表) is read as one.

use crate::error::Diagnostic;
use calamine::{open_workbook_auto_from_rs, Data, Reader, SheetVisible};
use polars::prelude::{Column, IntoColumn, NewChunkedArray, StringChunked};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Cursor;

/// Workbooks larger than this are refused rather than unpacked.
pub const MAX_BYTES: usize = 200 * 1024 * 1024;

/// Most bytes the parts of a workbook may unpack to, by the sizes its zip
/// directory declares (the zip reader stops any part at its declared size).
/// A real 200,000-row sheet unpacks to well under 100 MB; a zip bomb (a few
/// KB that inflate to gigabytes) is refused before anything is inflated.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

fn not_a_zip(e: impl std::fmt::Display) -> String {
    crate::tr!(
        "无法按工作簿（zip 压缩包）读取：{e}",
        "cannot read as a workbook (a zip archive): {e}"
    )
}

/// Refuses a workbook too large, or one that would unpack to more than
/// [`MAX_UNPACKED`]. Legacy `.xls` files (not zip archives) pass on to
/// calamine, which reads them within their own size.
fn check_size(file: &str, bytes: &[u8]) -> Result<(), Vec<Diagnostic>> {
    let fail = |msg: String| vec![Diagnostic::new(file, "", msg)];
    if bytes.len() > MAX_BYTES {
        return Err(fail(crate::tr!(
            "工作簿有 {} MB，超过上限 {} MB",
            "the workbook is {} MB; the limit is {} MB",
            bytes.len() / 1_048_576,
            MAX_BYTES / 1_048_576
        )));
    }
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(not_a_zip(e)))?;
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| fail(not_a_zip(e)))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(fail(crate::tr!(
            "工作簿解压后将有 {} MB（压缩炸弹？），zwgk 最多解压 {} MB：请把工作表另存为 CSV 或拆分",
            "the workbook would unpack to {} MB (a zip bomb?); zwgk unpacks at most {} MB — save the sheet as CSV or split it",
            unpacked / 1_048_576,
            MAX_UNPACKED / 1_048_576
        )));
    }
    Ok(())
}

/// One sheet as text: its columns under their headers, with where they sit
/// in the sheet.
pub struct SheetText {
    /// `"file.xlsx[sheet]"`
    pub shown: String,
    pub headers: Vec<String>,
    /// Absolute 0-based sheet column of each header.
    pub columns: Vec<u32>,
    /// Absolute 0-based sheet row of the first data row.
    pub first_row: u32,
    /// Each header's cells from the first data row down, as text (empty as
    /// null), named by the header.
    pub cells: Vec<Column>,
    /// The number of data rows.
    pub height: usize,
}

/// "A", "B", …, "Z", "AA", … for a 0-based column.
pub fn column_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell as an officer names it after the sheet: `D17` (`!D17` in
/// English, as spreadsheets write references).
pub fn cell_name(column: u32, row: u32) -> String {
    let letters = column_letters(column);
    match crate::lang::get() {
        crate::lang::Lang::Zh => format!("{letters}{row}"),
        crate::lang::Lang::En => format!("!{letters}{row}"),
    }
}

/// A sheet of a workbook: `data.xlsx［检查结果］` (`data.xlsx[检查结果]`).
pub fn sheet_shown(file: &str, sheet: &str) -> String {
    match crate::lang::get() {
        crate::lang::Lang::Zh => format!("{file}［{sheet}］"),
        crate::lang::Lang::En => format!("{file}[{sheet}]"),
    }
}

/// A cell as text, borrowed from the sheet where it is text already.
fn cell_text(d: &Data) -> Option<Cow<'_, str>> {
    let s: Cow<str> = match d {
        Data::Empty => return None,
        Data::String(s) => Cow::Borrowed(s.trim()),
        Data::Int(i) => i.to_string().into(),
        // As a spreadsheet shows it: to 15 significant digits (Excel's
        // precision), then f64's shortest text: 7.0 → "7", 0.1 → "0.1", and
        // 0.8170000000000001 (81.7 / 100 computed somewhere) → "0.817".
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64).into()
            } else {
                let shown: f64 = format!("{f:.14e}").parse().unwrap_or(*f);
                shown.to_string().into()
            }
        }
        Data::Bool(b) => b.to_string().into(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(x) => x.date().format("%Y-%m-%d").to_string().into(),
            None => dt.as_f64().to_string().into(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cow::Borrowed(s),
        // As Excel shows it: #DIV/0!, #N/A, #VALUE!…
        Data::Error(e) => e.to_string().into(),
    };
    (!s.is_empty()).then_some(s)
}

/// Reads `sheet` (or the first visible sheet) of a workbook. `known` are the
/// table's column names (ids and Chinese), used to spot a two-row header.
pub fn read_sheet(
    file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    known: &[String],
) -> Result<SheetText, Vec<Diagnostic>> {
    Book::open(file, bytes.to_vec())?.read_sheet(sheet, known)
}

/// The visible sheet names of a workbook.
pub fn sheet_names(file: &str, bytes: &[u8]) -> Result<Vec<String>, Vec<Diagnostic>> {
    Ok(Book::open(file, bytes.to_vec())?.sheet_names())
}

/// Does the workbook carry macros (a VBA project: `.xlsm`, or an `.xlsx`
/// renamed from one; an `.xls` with a `_VBA_PROJECT` stream)?
pub fn has_macros(bytes: &[u8]) -> bool {
    if let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
        return zip
            .file_names()
            .any(|n| n.is_ok_and(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin")));
    }
    let stream: Vec<u8> = "_VBA_PROJECT"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(stream.len()).any(|w| w == stream.as_slice())
}

/// calamine run with its panics caught, so that a damaged workbook is an
/// error naming its file, never a crash: the fuzzer found that a sheet
/// whose `<dimension ref="h1:G15">` ends before it starts makes calamine
/// 0.38 subtract past zero (a panic where overflow is checked; release
/// builds wrap and only warn).
fn guarded<T>(file: &str, f: impl FnOnce() -> T) -> Result<T, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| {
        vec![Diagnostic::new(
            file,
            "",
            crate::tr!(
                "工作簿已损坏，无法读取：请在 Excel 或 WPS 中打开后另存一份",
                "the workbook is damaged and cannot be read; open it in Excel or WPS and save a copy"
            ),
        )]
    })
}

/// A workbook checked for its size and opened once, for all its sheets
/// (data.xlsx holds every table).
pub struct Book {
    file: String,
    wb: calamine::Sheets<Cursor<Vec<u8>>>,
}

impl Book {
    pub fn open(file: &str, bytes: Vec<u8>) -> Result<Book, Vec<Diagnostic>> {
        check_size(file, &bytes)?;
        let wb =
            guarded(file, || open_workbook_auto_from_rs(Cursor::new(bytes)))?.map_err(|e| {
                vec![Diagnostic::new(
                    file,
                    "",
                    crate::tr!("无法按工作簿读取：{e}", "cannot read as a workbook: {e}"),
                )]
            })?;
        Ok(Book {
            file: file.to_string(),
            wb,
        })
    }

    /// Every sheet's name and whether it is visible, in the workbook's order.
    pub fn sheets(&self) -> Vec<(String, bool)> {
        self.wb
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    /// The visible sheets' names, in the workbook's order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.wb
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The cells of `sheet` as they stand, or `None` when the workbook has
    /// no such sheet (a returned form is read cell by cell).
    pub fn cells(&mut self, sheet: &str) -> Result<Option<Cells>, Vec<Diagnostic>> {
        let wb = &mut self.wb;
        guarded(&self.file, || {
            let range = wb.worksheet_range(sheet).ok()?;
            let formulas = wb.worksheet_formula(sheet).ok();
            Some(Cells { range, formulas })
        })
    }

    /// Reads `sheet` (or the first visible sheet). `known` are the table's
    /// column names (ids and Chinese), used to spot a two-row header.
    pub fn read_sheet(
        &mut self,
        sheet: Option<&str>,
        known: &[String],
    ) -> Result<SheetText, Vec<Diagnostic>> {
        let file = self.file.as_str();
        let name = match sheet {
            Some(s) => s.to_string(),
            None => self.sheet_names().into_iter().next().ok_or_else(|| {
                vec![Diagnostic::new(
                    file,
                    "",
                    crate::tr!(
                        "工作簿没有可见的工作表",
                        "the workbook has no visible sheet"
                    ),
                )]
            })?,
        };
        let wb = &mut self.wb;
        let shown = sheet_shown(file, &name);
        let range = guarded(&shown, || wb.worksheet_range(&name))?.map_err(|e| {
            vec![Diagnostic::new(
                &shown,
                "",
                crate::tr!("无法读取工作表：{e}", "cannot read the sheet: {e}"),
            )]
        })?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows: Vec<&[Data]> = range.rows().collect();
        let width = range.width();
        let text = |i: usize, k: usize| rows.get(i).and_then(|r| r.get(k)).and_then(cell_text);
        let names_known = |t: Option<&str>| {
            t.is_some_and(|t| known.contains(&crate::ingest::names::normalize(t).to_lowercase()))
        };
        let is_known = |i: usize, k: usize| names_known(text(i, k).as_deref());
        // The header is the first row naming two known columns (a title or an
        // instruction row above it is skipped), else the first non-empty row.
        let named = (0..rows.len()).find(|&i| (0..width).filter(|&k| is_known(i, k)).count() >= 2);
        let first_filled = || (0..rows.len()).find(|&i| (0..width).any(|k| text(i, k).is_some()));
        let Some(h) = named.or_else(first_filled) else {
            return Err(vec![Diagnostic::new(
                &shown,
                "",
                crate::tr!(
                    "工作表是空的，应有表头行",
                    "the sheet is empty; expected a header row"
                ),
            )]);
        };
        // The lower row of a two-row header may be the one naming two columns:
        // start from the upper row when it names columns the lower leaves blank.
        let h = if h > 0 && (0..width).any(|k| is_known(h - 1, k) && !is_known(h, k)) {
            h - 1
        } else {
            h
        };
        let mut header: Vec<Option<String>> = (0..width)
            .map(|k| text(h, k).map(Cow::into_owned))
            .collect();
        let mut first = h + 1;
        // A two-row header: the next row names known columns where this one is
        // blank or unknown (merged cells keep their value in the top-left cell).
        let fills = |k: usize| is_known(h + 1, k) && !names_known(header[k].as_deref());
        let filled: Vec<usize> = (0..width).filter(|&k| fills(k)).collect();
        if !filled.is_empty() {
            for k in filled {
                header[k] = text(h + 1, k).map(Cow::into_owned);
            }
            first = h + 2;
        }
        let keep: Vec<usize> = (0..width).filter(|&k| header[k].is_some()).collect();
        let data = &rows[first.min(rows.len())..];
        // Each kept column straight from the sheet into polars (text cells
        // borrowed, not copied), the columns on all cores.
        let cells = keep
            .par_iter()
            .map(|&k| {
                let name = header[k].as_deref().unwrap_or_default();
                let texts = data.iter().map(|r| r.get(k).and_then(cell_text));
                StringChunked::from_iter_options(name.into(), texts).into_column()
            })
            .collect();
        Ok(SheetText {
            shown,
            headers: keep
                .iter()
                .map(|&k| header[k].clone().unwrap_or_default())
                .collect(),
            columns: keep.iter().map(|&k| col0 + k as u32).collect(),
            first_row: row0 + first as u32,
            cells,
            height: data.len(),
        })
    }
}

/// A sheet's cells, looked up by their place in the sheet.
pub struct Cells {
    range: calamine::Range<Data>,
    /// The formulas of the sheet's cells, where it has any.
    formulas: Option<calamine::Range<String>>,
}

impl Cells {
    /// The text of the cell at 0-based `row` and `column` of the sheet, as
    /// an officer sees it (see `cell_text`); `None` when empty.
    pub fn text(&self, row: u32, column: u16) -> Option<String> {
        self.range
            .get_value((row, u32::from(column)))
            .and_then(cell_text)
            .map(Cow::into_owned)
    }

    /// The formula of the cell at 0-based `row` and `column`, if it holds
    /// one (a value typed over a copied formula, say).
    pub fn formula(&self, row: u32, column: u16) -> Option<String> {
        self.formulas
            .as_ref()?
            .get_value((row, u32::from(column)))
            .filter(|f| !f.is_empty())
            .cloned()
    }

    /// One past the last 0-based row that holds anything.
    pub fn end_row(&self) -> u32 {
        self.range.end().map_or(0, |(r, _)| r + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzzer's find: a sheet's dimension `h1:G15` ends before it
    /// starts; calamine subtracts past zero. An error naming the file.
    #[test]
    fn a_damaged_workbook_is_an_error_not_a_crash() {
        let bytes = include_bytes!(
            "../../fuzz/regressions/forms/crash-0a3869a836d4056b1f16b5be02fd4a3eecb28186"
        );
        let errors = match Book::open("X01.xlsx", bytes.to_vec()) {
            Err(e) => e,
            Ok(mut book) => book.cells("报送表").err().unwrap_or_default(),
        };
        let said: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            cfg!(not(debug_assertions)) || said.iter().any(|e| e.starts_with("X01.xlsx")),
            "{said:?}"
        );
    }

    #[test]
    fn names_columns_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn cells_read_as_the_officer_sees_them() {
        assert_eq!(cell_text(&Data::Float(7.0)), Some("7".into()));
        assert_eq!(cell_text(&Data::Float(0.5)), Some("0.5".into()));
        assert_eq!(cell_text(&Data::Float(95.33)), Some("95.33".into()));
        assert_eq!(cell_text(&Data::Float(81.7 / 100.0)), Some("0.817".into()));
        assert_ne!(81.7 / 100.0, 0.817, "the case above is a real one");
        assert_eq!(
            cell_text(&Data::Float(6.0 / 7.0)),
            Some("0.857142857142857".into())
        );
        assert_eq!(
            cell_text(&Data::Float(1e-20)),
            Some("0.00000000000000000001".into())
        );
        assert_eq!(
            cell_text(&Data::String("  东湖区 ".into())),
            Some("东湖区".into())
        );
        assert_eq!(cell_text(&Data::Empty), None);
        let div0 = Data::Error(calamine::CellErrorType::Div0);
        assert_eq!(cell_text(&div0), Some("#DIV/0!".into()));
    }
}
