//! `scores.xlsx` and `breakdown.xlsx` with rust_xlsxwriter: an 总表 sheet and
//! one sheet per group for the scores (frozen header, widths that fit Chinese
//! text, scores as numbers shown with `precision` decimals, grade cells
//! coloured, N/A as 不涉及), and the breakdown with an autofilter. Text from
//! inputs is written as string cells, which a spreadsheet never runs as a
//! formula.

use super::cell::{Cell, Grid};
use super::draw::GRADE_COLORS;
use super::tables::{breakdown_grid, scores_header, scores_row, LeafLabels};
use super::Export;
use crate::assess::Assessment;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// Display width of text in Excel's character units (CJK counts double).
fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.1 })
        .sum()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    cleaned.chars().take(31).collect()
}

fn number_format(precision: u32) -> Format {
    let pattern = if precision == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(precision as usize))
    };
    Format::new()
        .set_num_format(pattern)
        .set_align(FormatAlign::Right)
}

struct Styles {
    header: Format,
    /// Text longer than its column is wide: wrapped onto more lines.
    wrap: Format,
    score: Format,
    integer: Format,
    grades: Vec<Format>,
}

fn styles(a: &Assessment) -> Styles {
    Styles {
        wrap: Format::new().set_text_wrap(),
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xE8EAF6))
            .set_border(FormatBorder::Thin)
            .set_text_wrap(),
        score: number_format(a.system.precision),
        integer: number_format(0),
        grades: (0..a.system.grades.len())
            .map(|g| {
                let c = GRADE_COLORS[g.min(GRADE_COLORS.len() - 1)];
                let light = |v: u8| (v as u32 * 3 / 10 + 255 * 7 / 10).min(255);
                let rgb = (light(c.0) << 16) | (light(c.1) << 8) | light(c.2);
                Format::new()
                    .set_background_color(Color::RGB(rgb))
                    .set_align(FormatAlign::Center)
            })
            .collect(),
    }
}

/// How a sheet's columns are laid out.
#[derive(Clone, Copy)]
struct Layout<'c> {
    /// The column whose text is a grade name (coloured).
    grade_col: Option<usize>,
    /// Columns of scores (`precision` decimals); other numbers are whole.
    score_cols: &'c [usize],
    /// The widest a column gets; longer text wraps.
    max_width: f64,
    /// Columns left empty for the office to write in by hand once printed
    /// (整改措施, 整改情况): as wide as the widest text column.
    write_in: &'c [usize],
}

/// Writes a header and rows (of a grid, or made as they are written).
fn write_grid<'a, R: AsRef<[Cell<'a>]>>(
    ws: &mut Worksheet,
    header: &[String],
    rows: impl Iterator<Item = R>,
    st: &Styles,
    a: &Assessment,
    layout: &Layout,
) -> Result<(), XlsxError> {
    let mut sheet = Sheet::start(ws, header, st, layout)?;
    for row in rows {
        sheet.row(ws, row.as_ref(), a)?;
    }
    sheet.finish(ws, header, a)
}

/// A sheet being written a row at a time: the formats of its number
/// columns, the widths its cells need so far, its next row.
struct Sheet<'s> {
    layout: Layout<'s>,
    st: &'s Styles,
    number_formats: Vec<&'s Format>,
    widths: Vec<f64>,
    next: u32,
}

impl<'s> Sheet<'s> {
    /// Writes the header row.
    fn start(
        ws: &mut Worksheet,
        header: &[String],
        st: &'s Styles,
        layout: &Layout<'s>,
    ) -> Result<Self, XlsxError> {
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &st.header)?;
        }
        Ok(Sheet {
            layout: *layout,
            st,
            // A number's format is its column's: scores with `precision`
            // decimals, other numbers (ranks) whole.
            number_formats: (0..header.len())
                .map(|c| match layout.score_cols.contains(&c) {
                    true => &st.score,
                    false => &st.integer,
                })
                .collect(),
            widths: header.iter().map(|h| display_width(h)).collect(),
            next: 1,
        })
    }

    /// Writes the next row; `grade_col`'s text is coloured as its grade.
    fn row(&mut self, ws: &mut Worksheet, row: &[Cell], a: &Assessment) -> Result<(), XlsxError> {
        let Layout {
            grade_col,
            max_width,
            ..
        } = self.layout;
        let (st, widths, r) = (self.st, &mut self.widths, self.next);
        self.next += 1;
        // A row with wrapped text is made tall enough for it (spreadsheets
        // do not grow rows on opening a file).
        let lines = row
            .iter()
            .map(|cell| match cell {
                Cell::Text(t) => (display_width(t) / max_width).ceil().max(1.0),
                Cell::Num(_) => 1.0,
            })
            .fold(1.0, f64::max)
            .min(12.0);
        if lines > 1.0 {
            ws.set_row_height(r, 15.0 * lines)?;
        }
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Num(n) => {
                    let v: f64 = n.parse().unwrap_or(0.0);
                    ws.write_number_with_format(r, col, v, self.number_formats[c])?;
                    widths[c] = widths[c].max(n.len() as f64);
                }
                Cell::Text(t) => {
                    let fitted = fit_in_cell(t);
                    let t: &str = &fitted;
                    match grade_col
                        .filter(|g| *g == c)
                        .and_then(|_| a.system.grades.iter().position(|g| g.name == *t))
                    {
                        Some(g) => ws.write_string_with_format(r, col, t, &st.grades[g])?,
                        None if display_width(t) > max_width => {
                            ws.write_string_with_format(r, col, t, &st.wrap)?
                        }
                        None => ws.write_string(r, col, t)?,
                    };
                    widths[c] = widths[c].max(display_width(t));
                }
            }
        }
        Ok(())
    }

    /// The columns as wide as their cells need, and the print setup.
    fn finish(
        self,
        ws: &mut Worksheet,
        header: &[String],
        a: &Assessment,
    ) -> Result<(), XlsxError> {
        let max_width = self.layout.max_width;
        for (c, w) in self.widths.iter().enumerate() {
            let w = if self.layout.write_in.contains(&c) {
                max_width
            } else {
                *w
            };
            ws.set_column_width(c as u16, (w + 2.0).clamp(6.0, max_width + 2.0))?;
        }
        print_setup(ws, a, frozen_columns(header))
    }
}

/// The columns up to and including the unit's name (单位名称), which stay
/// in view and on every printed page's left.
fn frozen_columns(header: &[String]) -> u16 {
    header
        .iter()
        .position(|h| h == "单位名称")
        .map_or(0, |c| c as u16 + 1)
}

/// As officers print a table: A4 landscape, every column fitted to the
/// page width (as many pages down as it takes), the header row repeated on
/// every page, the header and unit columns frozen on screen, the
/// assessment's name and the page numbers in the footer.
fn print_setup(ws: &mut Worksheet, a: &Assessment, frozen: u16) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, frozen)?;
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_print_center_horizontally(true);
    let name = format!("{}{}", a.system.name, super::run_label(a)).replace('&', "&&");
    ws.set_footer(format!("&L{name}&R第 &P 页，共 &N 页"));
    if a.draft {
        ws.set_header("&C&\"黑体\"&14征求意见稿");
    }
    Ok(())
}

/// Most characters an Excel cell holds (32,767), with room for the note.
const MAX_CELL_CHARS: usize = 32_000;

/// Text longer than a cell holds (a unit with thousands of records of one
/// issue) is cut with a note pointing to the CSV, which has it whole —
/// rather than failing the workbook.
fn fit_in_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        None => text.into(),
        Some((cut, _)) => format!(
            "{}……（超出 Excel 单元格长度上限，全文见同名 CSV）",
            &text[..cut]
        )
        .into(),
    }
}

/// A workbook whose bytes depend only on its content: the creation time is
/// fixed (1 January after the assessment year), not the clock's.
fn new_book(a: &Assessment) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // zip level 4 instead of 6: scores.xlsx at 20,000 units 0.39 -> 0.31 s
    // for 1.8 % more bytes (level 3: 0.29 s but 20 % more).
    wb.set_zip_compression_level(4);
    let year = u16::try_from(a.system.year + 1).unwrap_or(2000);
    let created = ExcelDateTime::from_ymd(year, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&a.system.name)
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

fn scores_book(a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_book(a)?;
    let st = styles(a);
    let header = scores_header(a);
    // total, performance points, base, bonus, penalty and the indicators are scores
    let roots = 11..11 + a.system.roots.len();
    let score_cols: Vec<usize> = [4, 6, 7, 8, 9].into_iter().chain(roots).collect();
    let layout = Layout {
        grade_col: Some(5),
        score_cols: &score_cols,
        max_width: 58.0,
        write_in: &[],
    };
    // 总表, then a sheet per group that has units (by its name, or its id
    // where two names would be one sheet name).
    let mut names = vec!["总表".to_string()];
    let mut sheet_of_group = vec![None; a.system.groups.len()];
    for (g, (group, units)) in a.system.groups.iter().zip(&a.ranking.order).enumerate() {
        if units.is_empty() {
            continue;
        }
        let mut name = sheet_name(&group.name);
        if names.contains(&name) {
            name = sheet_name(&group.id);
        }
        sheet_of_group[g] = Some(names.len());
        names.push(name);
    }
    let mut sheets = Vec::with_capacity(names.len());
    for name in &names {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        sheets.push(Sheet::start(ws, &header, &st, &layout)?);
    }
    // Each unit's row is made once and written to 总表 and its group's
    // sheet (the units come group by group, each sheet's rows in order).
    for u in a.ordered_units() {
        let row = scores_row(a, u);
        sheets[0].row(wb.worksheet_from_index(0)?, &row, a)?;
        if let Some(k) = sheet_of_group[a.inputs.units[u].group] {
            sheets[k].row(wb.worksheet_from_index(k)?, &row, a)?;
        }
    }
    for (k, sheet) in sheets.into_iter().enumerate() {
        sheet.finish(wb.worksheet_from_index(k)?, &header, a)?;
    }
    wb.save_to_buffer()
}

fn breakdown_book(a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let labels = LeafLabels::of(a);
    let grid = breakdown_grid(a, &labels);
    // Narrower columns, long texts wrapped: the 14 columns fit a landscape
    // page at a readable size.
    let layout = Layout {
        grade_col: None,
        score_cols: &[7, 8],
        max_width: 26.0,
        write_in: &[],
    };
    one_sheet_book(a, "得分明细", &grid, &layout)
}

/// A one-sheet workbook of `grid` (the breakdown, the ledger), laid out and
/// set up for print like the others, with an autofilter.
fn one_sheet_book(
    a: &Assessment,
    sheet: &str,
    grid: &Grid<'_>,
    layout: &Layout,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_book(a)?;
    let st = styles(a);
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(sheet)?;
    write_grid(ws, &grid.0, grid.1.iter(), &st, a, layout)?;
    let last_col = grid.0.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, grid.1.len() as u32, last_col)?;
    wb.save_to_buffer()
}

/// The ledger (feedback.xlsx): the grade in column 5, scores in
/// `score_cols`.
pub(super) fn ledger_book(
    a: &Assessment,
    sheet: &str,
    grid: &Grid<'_>,
    score_cols: &[usize],
) -> Result<Vec<u8>, XlsxError> {
    let layout = Layout {
        grade_col: Some(5),
        score_cols,
        max_width: 24.0,
        write_in: &[13, 14],
    };
    one_sheet_book(a, sheet, grid, &layout)
}

pub struct ScoresXlsx;

impl Export for ScoresXlsx {
    fn file_name(&self) -> &'static str {
        "scores.xlsx"
    }

    fn write(&self, a: &Assessment, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(&scores_book(a).map_err(super::cannot_build)?)
    }
}

pub struct BreakdownXlsx;

impl Export for BreakdownXlsx {
    fn file_name(&self) -> &'static str {
        "breakdown.xlsx"
    }

    fn write(&self, a: &Assessment, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(&breakdown_book(a).map_err(super::cannot_build)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_acceptable_to_excel() {
        assert_eq!(sheet_name("县（市、区）"), "县（市、区）");
        assert_eq!(sheet_name("a/b[c]"), "a_b_c_");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn text_longer_than_a_cell_holds_is_cut_with_a_note() {
        let long = "R1234、".repeat(10_000);
        let cut = fit_in_cell(&long);
        assert!(cut.chars().count() <= 32_767);
        assert!(
            cut.ends_with("全文见同名 CSV）"),
            "{}",
            &cut[cut.len() - 60..]
        );
        assert_eq!(fit_in_cell("东湖区"), "东湖区");
    }

    #[test]
    fn chinese_text_counts_double_width() {
        assert_eq!(display_width("ab"), 2.0);
        assert!(display_width("东湖区") > 6.0);
    }
}
