//! `zwgk init DIR`: a new office's assessment to start from — a commented
//! indicator system in the common structure of the annual work plans, every
//! table as a header-only workbook with Chinese headers and a 说明 sheet, and
//! a short guide. An existing DIR is refused: nothing of the office's is
//! ever overwritten.

use super::args::InitArgs;
use crate::error::{Error, Result};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::path::Path;

const INDICATORS: &str = include_str!("../../templates/init/indicators.toml");
const GUIDE: &str = include_str!("../../templates/init/使用说明.md");

/// Each table: its file name, its columns, and what goes in each.
const TABLES: &[(&str, &[(&str, &str)])] = &[
    ("单位名单", &[
        ("单位编码", "每个单位一个编码，如 X01；反馈单等文件按编码命名"),
        ("单位名称", "单位全称，如 东湖区"),
        ("分组", "指标体系中分组的代码或名称，如 county 或 县（市、区）"),
        ("别名", "其他表中对该单位的其他写法，多个用 | 或 、 分隔（可空）"),
    ]),
    ("检查结果", &[
        ("记录编号", "每条记录一个编号，如 R0001；申诉复核按编号对应（可空）"),
        ("单位", "单位编码、名称或别名"),
        ("检查日期", "如 2025-03-01、2025/3/1、2025年3月1日"),
        ("检查类型", "如 政府网站月度检查"),
        ("问题代码", "指标体系 [[issue]] 的 code，如 W01"),
        ("数量", "发现几次（整数，空为 1）"),
        ("问题描述", "具体情况（可空）"),
    ]),
    ("单位报送", &[
        ("单位", "单位编码、名称或别名"),
        ("指标代码", "需要报送的指标或加分项代码，如 A2、J1"),
        ("填报值", "比例写 85%，次数写整数，日期写 2025-01-20，等级写 优/良/一般/差；不涉及的写 不涉及"),
        ("审核状态", "通过、不通过或待审核（空为通过）"),
        ("佐证材料", "材料名称或链接（可空）"),
        ("考核期", "只计入某一考核期的，填考核期代码（可空）"),
    ]),
    ("评分", &[
        ("评分人", "评分人姓名或代号"),
        ("单位", "单位编码、名称或别名"),
        ("指标代码", "评分类指标的代码，如 C1"),
        ("分数", "0 到该指标的评分满分"),
        ("考核期", "只计入某一考核期的，填考核期代码（可空）"),
    ]),
    ("责任分工", &[
        ("指标代码", "指标代码，如 E1"),
        ("责任单位", "单位或分组，多个用 、，；分隔，如 市档案馆、各县（市、区）人民政府"),
    ]),
    ("申诉复核", &[
        ("记录编号", "被申诉的检查记录编号"),
        ("复核结果", "维持、撤销或改为"),
        ("数量", "“改为”时改后的数量"),
        ("理由", "复核理由"),
        ("单位", "申诉单位（可空）"),
    ]),
];

pub fn init(args: InitArgs) -> Result<()> {
    let dir = &args.dir;
    if dir.exists() {
        return Err(Error::Usage(crate::tr!(
            "{} 已存在；zwgk init 只在新文件夹中开始，不会改动已有的文件。请换一个文件夹名",
            "{} exists; zwgk init starts in a new folder only and never touches existing files — choose another name",
            dir.display()
        )));
    }
    let io = |p: &Path, e| Error::io(crate::tr!("无法写入 {}", "cannot write {}", p.display()), e);
    std::fs::create_dir_all(dir.join("data")).map_err(|e| io(dir, e))?;
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).map_err(|e| io(&p, e))
    };
    write("indicators.toml", INDICATORS.as_bytes())?;
    write("使用说明.md", GUIDE.as_bytes())?;
    for (name, columns) in TABLES {
        let book = table_book(columns).map_err(|e| {
            Error::Usage(crate::tr!(
                "无法生成 {name}.xlsx：{e}",
                "cannot build {name}.xlsx: {e}"
            ))
        })?;
        write(&format!("data/{name}.xlsx"), &book)?;
    }
    println!(
        "{}",
        crate::tr!(
            "已在 {} 中建立新的考核：indicators.toml（指标体系样板）、data/（{} 张空表）、使用说明.md。下一步：修改指标体系，填写 data/单位名单.xlsx，然后运行 zwgk check --indicators {}/indicators.toml --data {}/data",
            "a new assessment in {}: indicators.toml (a sample indicator system), data/ ({} empty tables), 使用说明.md. Next: edit the indicator system, fill in data/单位名单.xlsx, then run zwgk check --indicators {}/indicators.toml --data {}/data",
            dir.display(),
            TABLES.len(),
            dir.display(),
            dir.display()
        )
    );
    Ok(())
}

/// A table's workbook: its header row, and a 说明 sheet on each column.
fn table_book(columns: &[(&str, &str)]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1")?;
    for (k, (name, _)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, k as u16, *name, &bold)?;
        ws.set_column_width(k as u16, 16)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let help = wb.add_worksheet();
    help.set_name("说明")?;
    help.write_string_with_format(0, 0, "列", &bold)?;
    help.write_string_with_format(0, 1, "怎么填", &bold)?;
    for (k, (name, what)) in columns.iter().enumerate() {
        help.write_string(k as u32 + 1, 0, *name)?;
        help.write_string(k as u32 + 1, 1, *what)?;
    }
    help.set_column_width(0, 14)?;
    help.set_column_width(1, 80)?;
    wb.save_to_buffer()
}
