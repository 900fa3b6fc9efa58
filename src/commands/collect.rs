//! `zwgk collect RETURNED_DIR --out FILE`: the returned forms merged into
//! one submissions table (status 待审核, for the office to review), with
//! `collect.log` beside it saying who returned a form and who did not.

use super::args::CollectArgs;
use crate::config::System;
use crate::error::{Error, Result};
use crate::forms::collect::{collect as read_forms, Collection};
use crate::ingest::Inputs;
use std::path::{Path, PathBuf};

/// The merged table's columns (the Chinese names of §3's submissions).
const HEADER: [&str; 5] = ["单位", "指标代码", "填报值", "审核状态", "佐证材料"];
const PENDING: &str = "待审核";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Xlsx,
}

pub fn collect(args: CollectArgs) -> Result<()> {
    let format = format_of(&args.out)?;
    let log = args.out.with_file_name("collect.log");
    for existing in [&args.out, &log] {
        if existing.exists() && !args.force {
            return Err(Error::Usage(crate::tr!(
                "{} 已存在；加 --force 才会替换",
                "{} exists; pass --force to replace it",
                existing.display()
            )));
        }
    }
    let system = System::load(&args.indicators)?;
    let inputs = crate::ingest::load_roster(&system, &args.data)?;
    let c = read_forms(&system, &inputs, &args.returned)?;
    let rows = table_rows(&inputs, &c);
    let bytes = match format {
        Format::Csv => csv_bytes(&rows),
        Format::Xlsx => xlsx_bytes(&rows).map_err(|e| {
            Error::Usage(crate::tr!(
                "无法生成工作簿：{e}",
                "cannot build the workbook: {e}"
            ))
        })?,
    };
    let text = log_text(&args, &system, &inputs, &c, rows.len());
    write_replacing(&args.out, &bytes)?;
    write_replacing(&log, text.as_bytes())?;
    for (file, why) in &c.ignored {
        eprintln!(
            "{}",
            crate::tr!("未读取：{file}（{why}）", "not read: {file} ({why})")
        );
    }
    for w in &c.warnings {
        eprintln!("{}", crate::tr!("警告：{w}", "warning: {w}"));
    }
    print_summary(&args.out, &inputs, &c, rows.len());
    Ok(())
}

fn format_of(out: &Path) -> Result<Format> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        _ => Err(Error::Usage(crate::tr!(
            "--out 应为 .xlsx 或 .csv 文件：{}",
            "--out must be a .xlsx or .csv file: {}",
            out.display()
        ))),
    }
}

/// Every returned row, in roster order, as the submissions table holds it.
fn table_rows(inputs: &Inputs, c: &Collection) -> Vec<[String; 5]> {
    c.forms
        .iter()
        .flat_map(|f| {
            let unit = &inputs.units[f.unit].name;
            f.rows.iter().map(move |r| {
                [
                    unit.clone(),
                    r.item.clone(),
                    r.value.clone(),
                    PENDING.to_string(),
                    r.evidence.clone().unwrap_or_default(),
                ]
            })
        })
        .collect()
}

/// UTF-8 with a BOM, so that Excel on a Chinese Windows opens it as it is.
fn csv_bytes(rows: &[[String; 5]]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut write = |r: &[&str]| w.write_record(r).ok();
    write(&HEADER);
    for r in rows {
        write(&[&r[0], &r[1], &r[2], &r[3], &r[4]]);
    }
    w.into_inner().unwrap_or_default()
}

fn xlsx_bytes(rows: &[[String; 5]]) -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Color, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("单位报送")?;
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE8EAF6));
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (k, r) in rows.iter().enumerate() {
        for (c, text) in r.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string(k as u32 + 1, c as u16, text)?;
            }
        }
    }
    if !rows.is_empty() {
        let status = rust_xlsxwriter::DataValidation::new().allow_list_strings(&[
            "通过",
            "不通过",
            PENDING,
        ])?;
        ws.add_data_validation(1, 3, rows.len() as u32, 3, &status)?;
    }
    for (c, w) in [20.0, 10.0, 14.0, 10.0, 40.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, 4)?;
    wb.save_to_buffer()
}

/// Writes `path` through a temporary sibling, so that a failed write
/// leaves the earlier file as it was.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e| {
        Error::io(
            crate::tr!("无法写入 {}", "cannot write {}", path.display()),
            e,
        )
    };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut tmp = PathBuf::from(path);
    tmp.set_file_name(format!(
        ".{}.zwgk-new",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

fn log_text(
    args: &CollectArgs,
    system: &System,
    inputs: &Inputs,
    c: &Collection,
    rows: usize,
) -> String {
    let mut s = String::new();
    let mut line = |t: String| {
        s.push_str(&t);
        s.push('\n');
    };
    line(crate::tr!(
        "zwgk collect 合并报送表：{}（{}）",
        "zwgk collect: {} ({})",
        system.name,
        args.indicators.display()
    ));
    line(crate::tr!(
        "报送表目录：{}",
        "returned forms: {}",
        args.returned.display()
    ));
    line(crate::tr!(
        "写出：{}（{rows} 行，审核状态均为“待审核”）",
        "written: {} ({rows} rows, each with status 待审核)",
        args.out.display()
    ));
    line(crate::tr!(
        "已收回（{} 个单位）：",
        "returned ({} units):",
        c.forms.len()
    ));
    for f in &c.forms {
        let u = &inputs.units[f.unit];
        line(crate::tr!(
            "  {} {}：{}，填报 {} 项，SHA-256 {}",
            "  {} {}: {}, {} items filled in, SHA-256 {}",
            u.id,
            u.name,
            f.file,
            f.rows.len(),
            f.sha256
        ));
    }
    let missing = c.missing(inputs.units.len());
    line(crate::tr!(
        "未收回（{} 个单位）：",
        "not returned ({} units):",
        missing.len()
    ));
    for &m in &missing {
        line(format!("  {} {}", inputs.units[m].id, inputs.units[m].name));
    }
    for (file, why) in &c.ignored {
        line(crate::tr!(
            "未读取：{file}（{why}）",
            "not read: {file} ({why})"
        ));
    }
    for w in &c.warnings {
        line(crate::tr!("警告：{w}", "warning: {w}"));
    }
    s
}

fn print_summary(out: &Path, inputs: &Inputs, c: &Collection, rows: usize) {
    let total = inputs.units.len();
    println!(
        "{}",
        crate::tr!(
            "收回 {} / {total} 个单位的报送表，合并 {rows} 行（审核状态均为“待审核”，审核后改为“通过”或“不通过”）：{}",
            "{} of {total} units returned a form; {rows} rows merged (status 待审核: set 通过 or 不通过 after review): {}",
            c.forms.len(),
            out.display()
        )
    );
    let missing = c.missing(total);
    if missing.is_empty() {
        return;
    }
    let shown: Vec<String> = missing
        .iter()
        .take(20)
        .map(|&m| format!("{} {}", inputs.units[m].id, inputs.units[m].name))
        .collect();
    let more = if missing.len() > 20 {
        crate::tr!("……（全部见 collect.log）", "… (all in collect.log)")
    } else {
        String::new()
    };
    println!(
        "{}",
        crate::tr!(
            "未交（{} 个）：{}{more}",
            "not returned ({}): {}{more}",
            missing.len(),
            crate::lang::list(&shown)
        )
    );
}
