//! One unit's submissions form (`zwgk template --per-unit`): a protected
//! sheet with the unit's name and id in its header, what to fill in, and
//! one row per item with its value and evidence cells left open. Only those
//! two cells can be edited (protection without a password: it guards against
//! slips, not people); there is no review column, review being the
//! office's. The layout below is what [`super::collect`] reads back.

use super::{Entry, Item};
use crate::config::System;
use crate::ingest::xlsx::column_letters;
use crate::ingest::Unit;
use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};

/// The form's sheet.
pub const SHEET: &str = "报送表";
/// The labels beside the unit's name and id (row 3, 0-based row 2; each
/// label spans two columns, from the one given), and where the id sits: F3.
pub const NAME_LABEL: (u32, u16, &str) = (2, 0, "单位名称");
pub const ID_LABEL: (u32, u16, &str) = (2, 4, "单位编码");
pub const ID_CELL: (u32, u16) = (2, 5);
/// The header row of the items (row 5, 0-based row 4).
pub const HEADER_ROW: u32 = 4;
pub const COLUMNS: [&str; 7] = [
    "序号",
    "指标代码",
    "指标名称",
    "分值",
    "填报要求",
    "填报值",
    "佐证材料",
];
pub const ITEM_COL: u16 = 1;
pub const VALUE_COL: u16 = 5;
pub const EVIDENCE_COL: u16 = 6;
const WIDTHS: [f64; 7] = [5.0, 9.0, 34.0, 8.0, 34.0, 16.0, 30.0];

const INSTRUCTIONS: &str = "填写说明：\n\
1. 只在浅黄色的“填报值”“佐证材料”两列填写，其余单元格已锁定（不设密码）；不要增删行、不要改动表头和单位编码。\n\
2. 按“填报要求”填写：比例写百分数，如 85%；次数写整数，如 3；日期如 2024-01-31；等级从下拉列表中选择。\n\
3. 本单位不涉及的事项填“不涉及”（仅限填报要求中注明可填的）；加分项没有则不填；留空视为未报送。\n\
4. 佐证材料写文件名或链接。填好后保存并发回本文件（文件名可改，格式仍为 .xlsx）。";

/// The bytes of unit `unit`'s form holding `items`.
pub fn unit_form(system: &System, unit: &Unit, items: &[Item]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(u16::try_from(system.year + 1).unwrap_or(2000), 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} 单位报送表", system.name))
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    header(ws, system, unit)?;
    let f = Formats::new();
    for (c, name) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *name, &f.head)?;
    }
    for (k, item) in items.iter().enumerate() {
        item_row(ws, HEADER_ROW + 1 + k as u32, k, item, &f)?;
    }
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    print_setup(ws, system, unit)?;
    ws.protect();
    wb.save_to_buffer()
}

fn header(ws: &mut Worksheet, system: &System, unit: &Unit) -> Result<(), XlsxError> {
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let label = Format::new().set_bold().set_border(FormatBorder::Thin);
    let text = Format::new().set_border(FormatBorder::Thin);
    let note = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_color(Color::RGB(0x37474F))
        .set_border(FormatBorder::Thin);
    ws.merge_range(0, 0, 0, 6, &format!("{}　单位报送表", system.name), &title)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, 1, "考核年度", &label)?;
    ws.merge_range(1, 2, 1, 6, &format!("{}年度", system.year), &text)?;
    let (r, c, s) = NAME_LABEL;
    ws.merge_range(r, c, r, c + 1, s, &label)?;
    ws.merge_range(r, c + 2, r, c + 3, &unit.name, &text)?;
    let (r, c, s) = ID_LABEL;
    ws.write_string_with_format(r, c, s, &label)?;
    let (r, c) = ID_CELL;
    ws.merge_range(r, c, r, c + 1, &unit.id, &text)?;
    ws.merge_range(3, 0, 3, 6, INSTRUCTIONS, &note)?;
    ws.set_row_height(3, 84)?;
    Ok(())
}

struct Formats {
    head: Format,
    cell: Format,
    wrap: Format,
    value: Format,
    ratio: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let value = cell
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(0xFFF8C4));
        Formats {
            head: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EAF6))
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center),
            wrap: cell.clone().set_text_wrap(),
            ratio: value.clone().set_num_format("0.0#%"),
            date: value.clone().set_num_format("yyyy-mm-dd"),
            value: value.set_text_wrap(),
            cell,
        }
    }
}

fn item_row(
    ws: &mut Worksheet,
    r: u32,
    k: usize,
    item: &Item,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(r, 0, (k + 1) as f64, &f.cell)?;
    ws.write_string_with_format(r, ITEM_COL, &item.id, &f.cell)?;
    ws.write_string_with_format(r, 2, &item.name, &f.wrap)?;
    ws.write_string_with_format(r, 3, &item.points, &f.cell)?;
    ws.write_string_with_format(r, 4, &item.hint, &f.wrap)?;
    let value_format = match item.entry {
        Entry::Ratio => &f.ratio,
        Entry::Date => &f.date,
        _ => &f.value,
    };
    ws.write_blank(r, VALUE_COL, value_format)?;
    ws.write_blank(r, EVIDENCE_COL, &f.value)?;
    ws.set_row_height(
        r,
        15.0 * lines(&item.name, WIDTHS[2]).max(lines(&item.hint, WIDTHS[4])) as f64,
    )?;
    if let Some(dv) = validation(item, r)? {
        ws.add_data_validation(r, VALUE_COL, r, VALUE_COL, &dv)?;
    }
    Ok(())
}

/// The lines `text` takes wrapped in a column `width` characters wide
/// (a Chinese character is two): spreadsheets do not size rows for
/// wrapped text written by a program, so the form sets each row's height.
fn lines(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0);
    ((crate::lang::display_width(text) as f64) / per_line)
        .ceil()
        .max(1.0) as usize
}

/// The spreadsheet's check of a typed value, with the item's hint shown
/// when the cell is selected. Dates are not checked here (a date typed as
/// text in one locale is a date cell in another); `collect` checks them.
fn validation(item: &Item, r: u32) -> Result<Option<DataValidation>, XlsxError> {
    let cell = format!("{}{}", column_letters(u32::from(VALUE_COL)), r + 1);
    let number = |cond: String| {
        let check = format!("AND(ISNUMBER({cell}),{cond})");
        if item.allow_na {
            format!("=OR({cell}=\"不涉及\",{check})")
        } else {
            format!("={check}")
        }
    };
    let dv = match &item.entry {
        Entry::Level => DataValidation::new().allow_list_strings(&item.choices)?,
        Entry::Date => DataValidation::new().allow_any_value(),
        Entry::Ratio => {
            DataValidation::new().allow_custom(Formula::new(number(format!("{cell}>=0,{cell}<=1"))))
        }
        Entry::Count => DataValidation::new().allow_custom(Formula::new(number(format!(
            "{cell}>=0,{cell}=INT({cell})"
        )))),
        Entry::Number => DataValidation::new().allow_custom(Formula::new(number("TRUE".into()))),
        Entry::Score(max) => DataValidation::new()
            .allow_custom(Formula::new(number(format!("{cell}>=0,{cell}<={max}")))),
    };
    let title: String = item.id.chars().take(32).collect();
    let hint: String = item.hint.chars().take(120).collect();
    Ok(Some(
        dv.set_input_title(&title)?
            .set_input_message(&hint)?
            .set_error_title("填报值不符合要求")?
            .set_error_message(
                format!("{}：{hint}", item.id)
                    .chars()
                    .take(200)
                    .collect::<String>(),
            )?,
    ))
}

fn print_setup(ws: &mut Worksheet, system: &System, unit: &Unit) -> Result<(), XlsxError> {
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    let name = format!("{} {}", system.name, unit.name).replace('&', "&&");
    ws.set_footer(format!("&L{name}&R第 &P 页，共 &N 页"));
    Ok(())
}
