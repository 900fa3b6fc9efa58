//! `compare.xlsx`: a comparison of two results as officers print it — one
//! sheet per group (by its name), A4 landscape fitted to the page width,
//! the header row on every page, the unit column frozen.

use super::compare::Comparison;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const HEADER: [&str; 9] = [
    "单位编码",
    "单位名称",
    "原名次",
    "新名次",
    "名次变化",
    "原总分",
    "新总分",
    "原等次",
    "新等次",
];

/// The workbook's bytes.
pub fn workbook(c: &Comparison) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    for (g, name) in c.groups() {
        let ws = wb.add_worksheet();
        ws.set_name(crate::report::xlsx::sheet_name(name))?;
        for (k, h) in HEADER.iter().enumerate() {
            ws.write_string_with_format(0, k as u16, *h, &bold)?;
        }
        for (r, u) in c.units.iter().filter(|u| u.group == g).enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, &u.id)?;
            ws.write_string(r, 1, &u.name)?;
            ws.write_number(r, 2, u.old_rank)?;
            ws.write_number(r, 3, u.new_rank)?;
            ws.write_number(r, 4, u.rank_change as f64)?;
            ws.write_string(r, 5, &u.old_total)?;
            ws.write_string(r, 6, &u.new_total)?;
            ws.write_string(r, 7, &u.old_grade)?;
            ws.write_string(r, 8, &u.new_grade)?;
        }
        ws.set_column_width(1, 28)?;
        ws.set_freeze_panes(1, 2)?;
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;
        let title = format!("{} → {}", c.old, c.new).replace('&', "&&");
        ws.set_header(format!("&C{name} 名次变化"));
        ws.set_footer(format!("&L{title}&R第 &P 页，共 &N 页"));
    }
    wb.save_to_buffer()
}
