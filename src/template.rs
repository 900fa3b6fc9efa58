//! `zwgk template`: the submissions workbook an office sends to its units —
//! one row per unit and item it must report (applicable leaves by group and
//! responsibility table, and the bonus items), with what to fill in, drop-down
//! lists for levels and review status, and an instruction row above the
//! header that zwgk skips when the workbook comes back.

use crate::config::{InputKind, Rule, System, ValueKind};
use crate::ingest::Inputs;
use crate::score::evidence::na_by_roster;
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

/// One row to fill in.
struct Item {
    unit: String,
    id: String,
    name: String,
    hint: String,
    /// Allowed values for a drop-down (levels, 不涉及).
    choices: Vec<String>,
}

fn hint(rule: &Rule, input: InputKind, allow_na: bool) -> (String, Vec<String>) {
    let na = if allow_na {
        "；不涉及的填“不涉及”"
    } else {
        ""
    };
    let (text, mut choices) = match (rule.submission_kind(), rule) {
        (_, Rule::Level { levels }) => {
            let names: Vec<String> = levels.iter().map(|l| l.0.clone()).collect();
            (format!("等级：{}", names.join("/")), names)
        }
        (Some(ValueKind::Date), Rule::Deadline { due, .. }) => {
            (format!("日期，如 {due}（截止 {due}）"), Vec::new())
        }
        (_, Rule::Manual) => ("得分（数字）".to_string(), Vec::new()),
        _ => match input {
            InputKind::Ratio => (
                "比例，如 85% 或 0.85（不能写成 85）".to_string(),
                Vec::new(),
            ),
            InputKind::Count => ("次数或个数（整数），如 3".to_string(), Vec::new()),
            InputKind::Number => ("数字".to_string(), Vec::new()),
        },
    };
    if allow_na && !choices.is_empty() {
        choices.push("不涉及".into());
    }
    (format!("{text}{na}"), choices)
}

fn items(system: &System, inputs: &Inputs) -> Vec<Item> {
    let leaves: Vec<usize> = system
        .leaves()
        .into_iter()
        .filter(|&l| {
            system.indicators[l]
                .rule
                .as_ref()
                .is_some_and(|r| r.submission_kind().is_some())
        })
        .collect();
    let mut out = Vec::new();
    for (u, unit) in inputs.units.iter().enumerate() {
        for &l in &leaves {
            if na_by_roster(system, inputs, u, l).is_some() {
                continue;
            }
            let node = &system.indicators[l];
            let Some(rule) = &node.rule else { continue };
            let (hint, choices) = hint(rule, node.input, node.allow_na);
            out.push(Item {
                unit: unit.name.clone(),
                id: node.id.clone(),
                name: node.name.clone(),
                hint,
                choices,
            });
        }
        for b in &system.bonuses {
            out.push(Item {
                unit: unit.name.clone(),
                id: b.id.clone(),
                name: format!("（加分项）{}", b.name),
                hint: format!("次数；每次 {} 分，无则不填", b.points.normalize()),
                choices: Vec::new(),
            });
        }
    }
    out
}

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
    let rows = items(system, inputs);
    for (k, item) in rows.iter().enumerate() {
        let r = k as u32 + 2;
        ws.write_string(r, 0, &item.unit)?;
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
