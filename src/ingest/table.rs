//! One input table read into text columns (CSV in [`super::delimited`],
//! Parquet and workbook sheets here), headers matched by English id or
//! Chinese name. Every cell stays text here; typed parsing happens per
//! table. A table may be one batch of a larger file: its rows are then the
//! file's rows from `first_row` on, and its errors say so.

pub use super::encoding::to_utf8;
use crate::error::Diagnostic;
use crate::ingest::names::normalize;
use polars::prelude::*;
use std::collections::HashMap;
use std::io::Cursor;

/// A column the table may have: its id, its Chinese name, whether required.
pub struct ColumnSpec {
    pub id: &'static str,
    pub zh: &'static str,
    pub required: bool,
}

pub const fn col(id: &'static str, zh: &'static str, required: bool) -> ColumnSpec {
    ColumnSpec { id, zh, required }
}

/// A table's cells as text, with its columns resolved to their ids.
pub struct Table {
    /// The file name shown in errors.
    pub file: String,
    df: DataFrame,
    /// column id -> header as written in the file
    headers: HashMap<&'static str, String>,
    /// Rows with every cell empty (blank lines), skipped by [`Table::rows`].
    blank: Vec<bool>,
    origin: Origin,
    /// The file's data row (0-based) of the table's first row: 0 unless the
    /// table is a later batch of a file read in batches.
    first_row: usize,
}

/// Where the table came from, to point at a cell in errors.
#[derive(Clone)]
pub(super) enum Origin {
    Csv,
    /// A workbook sheet: the sheet column of each header, the sheet row of
    /// the first data row (both 0-based).
    Sheet {
        columns: HashMap<String, u32>,
        first_row: u32,
    },
}

impl Origin {
    /// The file as shown and the place of header `name` in it: `row 1,
    /// column H` in a CSV, the cell (`book.xlsx[sheet]!F2`) in a sheet.
    fn header_cell(&self, shown: &str, name: &str) -> (String, String) {
        match self {
            Origin::Csv => (
                shown.to_string(),
                crate::tr!("第 1 行“{name}”列", "row 1, column {name}"),
            ),
            Origin::Sheet { columns, first_row } => {
                let cell = columns
                    .get(name)
                    .map_or_else(String::new, |&c| super::xlsx::cell_name(c, *first_row));
                (
                    format!("{shown}{cell}"),
                    crate::tr!("“{name}”列", "column {name}"),
                )
            }
        }
    }

    /// The header's row: 1 in a CSV; in a sheet the row above the first data
    /// row (the lower one of a two-row header).
    fn header_row(&self) -> String {
        match self {
            Origin::Csv => crate::tr!("第 1 行", "row 1"),
            Origin::Sheet { first_row, .. } => crate::tr!("第 {first_row} 行", "row {first_row}"),
        }
    }
}

impl Table {
    /// The next batch of the same file: `df` with this table's columns,
    /// holding the file's data rows from `first_row` on.
    pub(super) fn next_batch(&self, df: DataFrame, first_row: usize) -> Table {
        Table {
            file: self.file.clone(),
            blank: blank_rows(&df),
            df,
            headers: self.headers.clone(),
            origin: self.origin.clone(),
            first_row,
        }
    }

    /// The file's data row (0-based) of the table's row `i`.
    pub fn file_row(&self, i: usize) -> usize {
        self.first_row + i
    }

    /// The number of data rows (blank ones included).
    pub fn height(&self) -> usize {
        self.blank.len()
    }

    /// Indices of the data rows that are not blank.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.height()).filter(|&i| !self.blank[i])
    }

    /// The cells of column `id` (trimmed, empty as `None`), or `None` when the
    /// table has no such column.
    pub fn column(&self, id: &str) -> Option<Vec<Option<&str>>> {
        self.has_column(id).then(|| self.cells(id).collect())
    }

    /// The cells of column `id` in row order, like [`Table::column`] but
    /// without collecting them (all `None` when the table lacks it).
    pub fn cells(&self, id: &str) -> Box<dyn Iterator<Item = Option<&str>> + Send + '_> {
        let header = self.headers.get(id);
        debug_assert!(
            header.is_none_or(|h| self.df.column(h).is_ok()),
            "the cells of column {id} were given up by take_frame"
        );
        let series = header
            .and_then(|h| self.df.column(h).ok())
            .and_then(|c| c.str().ok());
        match series {
            Some(s) => Box::new(
                s.into_iter()
                    .map(|v| v.map(str::trim).filter(|s| !s.is_empty())),
            ),
            None => Box::new(std::iter::repeat_n(None, self.height())),
        }
    }

    /// The non-blank rows as a polars frame for vectorised work: `row` (the
    /// 0-based data row, as [`Table::error`] takes it) and each column of
    /// `ids` under its id, cells as written (untrimmed; a column the table
    /// lacks is all null).
    pub fn frame(&self, ids: &[&str]) -> PolarsResult<DataFrame> {
        let height = self.height();
        let rows: Vec<u32> = (0..height as u32).collect();
        let mut columns = vec![Column::new("row".into(), rows)];
        for &id in ids {
            columns.push(match self.headers.get(id) {
                Some(h) => self.df.column(h)?.clone().with_name(id.into()),
                None => Column::full_null(id.into(), height, &DataType::String),
            });
        }
        let df = DataFrame::new(height, columns)?;
        if self.blank.contains(&true) {
            let keep: BooleanChunked = self.blank.iter().map(|b| !b).collect();
            df.filter(&keep)
        } else {
            Ok(df)
        }
    }

    /// Like [`Table::frame`], but the table then gives up the cells of every
    /// column except those of `keep` (its headers stay, for errors): the
    /// cells live on in the frame alone and are freed with it. At a
    /// province's scale the inspections' unit, issue, count, date and source
    /// cells are 100–500 MB, which the aggregation can then reuse.
    pub fn take_frame(&mut self, ids: &[&str], keep: &[&str]) -> PolarsResult<DataFrame> {
        let frame = self.frame(ids)?;
        let kept: Vec<&str> = keep
            .iter()
            .filter_map(|id| self.headers.get(id))
            .map(String::as_str)
            .collect();
        self.df = self.df.select(kept)?;
        Ok(frame)
    }

    /// Whether data row `i` is blank (skipped).
    pub fn is_blank(&self, i: usize) -> bool {
        self.blank.get(i).copied().unwrap_or(true)
    }

    pub fn has_column(&self, id: &str) -> bool {
        self.headers.contains_key(id)
    }

    /// "row N, column H" for data row `i` (0-based; the header is row 1).
    pub fn place(&self, i: usize, id: &str) -> String {
        let h = self.headers.get(id).map_or(id, String::as_str);
        let row = self.file_row(i) + 2;
        crate::tr!("第 {row} 行“{h}”列", "row {row}, column {h}")
    }

    /// The cell of data row `i` in column `id` (trimmed, `None` when empty,
    /// absent or given up).
    pub fn cell(&self, i: usize, id: &str) -> Option<&str> {
        let column = self.df.column(self.headers.get(id)?).ok()?;
        column
            .str()
            .ok()?
            .get(i)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// What data row `i` is about, from its unit and indicator (or issue)
    /// cells other than column `id`: "unit 东湖区, indicator A3".
    fn row_subject(&self, i: usize, id: &str) -> String {
        let words: Vec<String> = ["record", "unit", "indicator", "issue"]
            .into_iter()
            .filter(|&c| c != id)
            .filter_map(|c| self.cell(i, c).map(|v| subject(c, v)))
            .collect();
        crate::lang::list(&words)
    }

    /// An error at data row `i`, column `id`: `file: row N, column H` for
    /// CSV, `book.xlsx[sheet]!D17: column H` for a workbook; it names the
    /// row's unit and indicator (or issue) when the table has them.
    pub fn error(&self, i: usize, id: &str, msg: impl Into<String>) -> Diagnostic {
        self.error_at(i, id, msg).about(self.row_subject(i, id))
    }

    fn error_at(&self, i: usize, id: &str, msg: impl Into<String>) -> Diagnostic {
        match &self.origin {
            Origin::Csv => Diagnostic::new(&self.file, self.place(i, id), msg),
            Origin::Sheet { columns, first_row } => {
                let h = self.headers.get(id).map_or(id, String::as_str);
                let cell = columns.get(h).map_or_else(String::new, |&c| {
                    super::xlsx::cell_name(c, *first_row + i as u32 + 1)
                });
                Diagnostic::new(
                    format!("{}{cell}", self.file),
                    crate::tr!("“{h}”列", "column {h}"),
                    msg,
                )
            }
        }
    }
}

/// Reads a Parquet table (as a data warehouse exports it): every column is
/// cast to text (dates as YYYY-MM-DD, numbers as written) and then read like
/// a CSV column.
pub fn read_parquet(
    shown: &str,
    bytes: &[u8],
    spec: &[ColumnSpec],
    warnings: &mut Vec<String>,
) -> Result<Table, Vec<Diagnostic>> {
    let fail = |e: PolarsError| vec![parquet_problem(shown, e)];
    let df = ParquetReader::new(Cursor::new(bytes.to_vec()))
        .finish()
        .and_then(as_text)
        .map_err(fail)?;
    resolve_headers(df, shown, spec, warnings, Origin::Csv)
}

/// A Parquet file polars could not read.
pub(super) fn parquet_problem(shown: &str, e: PolarsError) -> Diagnostic {
    Diagnostic::new(
        shown,
        "",
        crate::tr!("无法按 Parquet 读取：{e}", "cannot read as Parquet: {e}"),
    )
}

/// Every column of a Parquet table cast to text (dates as YYYY-MM-DD,
/// numbers as written).
pub(super) fn as_text(df: DataFrame) -> PolarsResult<DataFrame> {
    let columns = df
        .columns()
        .iter()
        .map(|c| c.cast(&DataType::String))
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(df.height(), columns)
}

/// The column names a table accepts (ids and normalised Chinese names).
pub fn known_names(spec: &[ColumnSpec]) -> Vec<String> {
    spec.iter()
        .flat_map(|c| [c.id.to_string(), normalize(c.zh)])
        .collect()
}

/// A workbook sheet as a table.
pub fn from_sheet(
    sheet: super::xlsx::SheetText,
    spec: &[ColumnSpec],
    warnings: &mut Vec<String>,
) -> Result<Table, Vec<Diagnostic>> {
    let mut seen = std::collections::HashSet::new();
    let errors: Vec<Diagnostic> = sheet
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !seen.insert(h.as_str()))
        .map(|(k, h)| {
            Diagnostic::new(
                format!(
                    "{}{}",
                    sheet.shown,
                    super::xlsx::cell_name(sheet.columns[k], sheet.first_row),
                ),
                "",
                crate::tr!(
                    "表头中“{h}”列出现了两次",
                    "column \"{h}\" appears twice in the header"
                ),
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let df = DataFrame::new(sheet.height, sheet.cells).map_err(|e| {
        vec![Diagnostic::new(
            &sheet.shown,
            "",
            crate::tr!("无法读取工作表：{e}", "cannot read the sheet: {e}"),
        )]
    })?;
    let origin = Origin::Sheet {
        columns: sheet
            .headers
            .iter()
            .cloned()
            .zip(sheet.columns.iter().copied())
            .collect(),
        first_row: sheet.first_row,
    };
    resolve_headers(df, &sheet.shown, spec, warnings, origin)
}

pub(super) fn resolve_headers(
    df: DataFrame,
    shown: &str,
    spec: &[ColumnSpec],
    warnings: &mut Vec<String>,
    origin: Origin,
) -> Result<Table, Vec<Diagnostic>> {
    let mut headers = HashMap::new();
    let mut errors = Vec::new();
    let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
    for name in &names {
        let name = as_written(name, &names);
        let key = normalize(name).to_lowercase();
        match spec.iter().find(|c| key == c.id || key == normalize(c.zh)) {
            Some(c) => {
                if headers.insert(c.id, name.to_string()).is_some() {
                    let (file, place) = origin.header_cell(shown, name);
                    errors.push(Diagnostic::new(
                        file,
                        place,
                        crate::tr!(
                            "“{0}”（{1}）列出现了两次",
                            "column {1} ({0}) appears twice",
                            c.zh,
                            c.id
                        ),
                    ));
                }
            }
            None => warnings.push(crate::tr!(
                "{shown}：“{name}”列不是本表的列，未读取（本表的列：{}）",
                "{shown}: column \"{name}\" is not used (known columns: {})",
                known(spec)
            )),
        }
    }
    for c in spec.iter().filter(|c| c.required) {
        if !headers.contains_key(c.id) {
            errors.push(Diagnostic::new(
                shown,
                origin.header_row(),
                crate::tr!(
                    "缺少必需的“{0}”（{1}）列；本表的列：{2}",
                    "required column {1} ({0}) is missing; columns are: {2}",
                    c.zh,
                    c.id,
                    known(spec)
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let blank = blank_rows(&df);
    Ok(Table {
        file: shown.to_string(),
        df,
        headers,
        blank,
        origin,
        first_row: 0,
    })
}

/// A header as written in the file: polars names the second column of a
/// name `名称_duplicated_0`, which no officer wrote.
fn as_written<'a>(name: &'a str, names: &[&str]) -> &'a str {
    match name.rsplit_once("_duplicated_") {
        Some((base, n)) if n.bytes().all(|b| b.is_ascii_digit()) && names.contains(&base) => base,
        _ => name,
    }
}

/// Rows with every cell empty or spaces only. Columns are looked at until no
/// row is left blank: usually the first column decides.
fn blank_rows(df: &DataFrame) -> Vec<bool> {
    let mut blank = vec![true; df.height()];
    for column in df.columns() {
        if !blank.contains(&true) {
            break;
        }
        if let Ok(values) = column.str() {
            for (b, v) in blank.iter_mut().zip(values) {
                if v.is_some_and(|s| !is_blank(s)) {
                    *b = false;
                }
            }
        }
    }
    blank
}

/// Empty or spaces only. A cell starting with a printable ASCII character
/// (a record id, a unit code) is answered without trimming it.
fn is_blank(cell: &str) -> bool {
    match cell.as_bytes().first() {
        Some(b'!'..=b'~') => false,
        _ => cell.trim().is_empty(),
    }
}

fn known(spec: &[ColumnSpec]) -> String {
    let names: Vec<String> = spec
        .iter()
        .map(|c| match crate::lang::get() {
            crate::lang::Lang::Zh => format!("{}（{}）", c.zh, c.id),
            crate::lang::Lang::En => format!("{} ({})", c.id, c.zh),
        })
        .collect();
    crate::lang::list(&names)
}

/// "单位 东湖区" / "unit 东湖区": a row's cell named by its column.
pub fn subject(column: &str, value: &str) -> String {
    match column {
        "unit" => crate::tr!("单位 {value}", "unit {value}"),
        "indicator" => crate::tr!("指标 {value}", "indicator {value}"),
        "issue" => crate::tr!("问题 {value}", "issue {value}"),
        "record" => crate::tr!("记录 {value}", "record {value}"),
        _ => format!("{column} {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::delimited::read_csv;

    const SPEC: &[ColumnSpec] = &[col("unit", "单位", true), col("count", "数量", false)];

    fn read(bytes: &[u8]) -> Result<Table, Vec<Diagnostic>> {
        let mut w = Vec::new();
        read_csv("t.csv", bytes, SPEC, &mut w)
    }

    #[test]
    fn a_blank_cell_is_empty_or_spaces_of_any_kind() {
        for blank in ["", " ", "\t \r\n", "\u{3000}", " \u{a0}\u{3000} "] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for cell in ["R1", "!", "~x", " a", "\u{3000}东湖区", "\u{7f}", "\u{1f}"] {
            assert!(!is_blank(cell), "{cell:?}");
        }
    }

    #[test]
    fn reads_chinese_headers_from_utf8_with_bom() {
        let t = read("\u{feff}单位,数量\r\n青羊区,2\r\n锦江区,\r\n".as_bytes()).unwrap();
        assert_eq!(
            t.column("unit").unwrap(),
            vec![Some("青羊区"), Some("锦江区")]
        );
        assert_eq!(t.column("count").unwrap(), vec![Some("2"), None]);
        assert_eq!(t.place(1, "count"), "row 3, column 数量");
    }

    #[test]
    fn a_taken_frame_holds_the_columns_the_table_gives_up() {
        let mut t = read("单位,数量,备注\n青羊区,2,x\n\n锦江区,,y\n".as_bytes()).unwrap();
        let frame = t.take_frame(&["unit"], &["count"]).unwrap();
        // The frame: non-blank rows, their row numbers, cells as written.
        assert_eq!(frame.height(), 2);
        let rows: Vec<Option<u32>> = frame.column("row").unwrap().u32().unwrap().iter().collect();
        assert_eq!(rows, vec![Some(0), Some(2)]);
        let units: Vec<Option<&str>> = frame
            .column("unit")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(units, vec![Some("青羊区"), Some("锦江区")]);
        // The table: the kept column's cells, its rows, and its errors' places.
        assert_eq!(t.column("count").unwrap(), vec![Some("2"), None, None]);
        assert_eq!(t.height(), 3);
        assert_eq!(t.rows().collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(
            t.error(2, "unit", "bad").to_string(),
            "t.csv: row 4, column 单位: bad"
        );
    }

    #[test]
    #[should_panic(expected = "given up by take_frame")]
    fn reading_a_column_given_up_is_caught_in_debug_builds() {
        let mut t = read("单位,数量\n青羊区,2\n".as_bytes()).unwrap();
        let _frame = t.take_frame(&["unit"], &["count"]).unwrap();
        let _ = t.column("unit");
    }

    #[test]
    fn reads_gb18030_as_excel_saves_it() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("unit,count\n青羊区,3\n");
        let t = read(&bytes).unwrap();
        assert_eq!(t.column("unit").unwrap(), vec![Some("青羊区")]);
    }

    #[test]
    fn skips_blank_lines_but_keeps_row_numbers() {
        let t = read("单位,数量\n\n青羊区,2\n,\n".as_bytes()).unwrap();
        let rows: Vec<usize> = t.rows().collect();
        assert_eq!(
            rows.iter().map(|&i| t.place(i, "unit")).collect::<Vec<_>>(),
            vec!["row 3, column 单位"]
        );
    }

    #[test]
    fn reads_utf16_with_tabs_as_excel_saves_unicode_text() {
        let text = "单位\t数量\r\n青羊区\t2\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        for bytes in [le, be] {
            let t = read(&bytes).unwrap();
            assert_eq!(t.column("unit").unwrap(), vec![Some("青羊区")]);
            assert_eq!(t.column("count").unwrap(), vec![Some("2")]);
        }
    }

    #[test]
    fn names_a_missing_required_column() {
        let e = read(b"count\n1\n").err().unwrap();
        assert!(
            e[0].to_string()
                .contains("required column unit (单位) is missing"),
            "{}",
            e[0]
        );
    }
}
