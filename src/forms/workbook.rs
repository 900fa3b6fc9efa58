//! The one office-wide submissions workbook (`zwgk template` without
//! `--per-unit`): one row per unit and item it must report, with what to
//! fill in, drop-down lists for levels and review status, and an
//! instruction row above the header that zwgk skips when the workbook comes
//! back.

use super::{submission_leaves, unit_items};
use crate::config::System;
use crate::ingest::Inputs;
use rust_xlsxwriter::{Color, DataValidation, Format, Workbook, XlsxError};

const HEADER: [&str; 7] = [
    "单位",
    "指标代码",
    "指标名称",
    "填报值",
    "审核状态",
    "佐证材料",
    "填报说明",
];

/// The workbook bytes.
pub fn submissions_workbook(system: &System, inputs: &Inputs) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("报送材料")?;
    let note = Format::new()
        .set_font_color(Color::RGB(0xC62828))
        .set_bold();
    ws.write_string_with_format(
        0,
        0,
        format!("{}：请在“填报值”列填写，佐证材料写文件名或链接；不要修改单位、指标代码两列；本行为说明，读取时自动跳过。", system.name),
        &note,
    )?;
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE8EAF6));
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &head)?;
    }
    let leaves = submission_leaves(system);
    let rows: Vec<(&str, super::Item)> = inputs
        .units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| {
            unit_items(system, inputs, u, &leaves)
                .into_iter()
                .map(move |item| (unit.name.as_str(), item))
        })
        .collect();
    for (k, (unit, item)) in rows.iter().enumerate() {
        let r = k as u32 + 2;
        ws.write_string(r, 0, *unit)?;
        ws.write_string(r, 1, &item.id)?;
        ws.write_string(r, 2, &item.name)?;
        ws.write_string(r, 6, &item.hint)?;
        if !item.choices.is_empty() {
            let dv = DataValidation::new().allow_list_strings(&item.choices)?;
            ws.add_data_validation(r, 3, r, 3, &dv)?;
        }
    }
    if !rows.is_empty() {
        let status = DataValidation::new().allow_list_strings(&["通过", "不通过", "待审核"])?;
        ws.add_data_validation(2, 4, rows.len() as u32 + 1, 4, &status)?;
    }
    for (c, w) in [16.0, 10.0, 36.0, 14.0, 10.0, 30.0, 40.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(2, 0)?;
    wb.save_to_buffer()
}
