//! `template --per-unit` and `collect` (SPEC §12): forms written, filled in
//! here as a clerk would (cells edited inside the workbook zwgk wrote),
//! renamed, collected and scored.

use crate::harness::{unit_result, Workdir};
use calamine::{open_workbook_auto, Reader};
use std::io::{Read, Write};
use std::path::Path;

/// What a clerk types into a cell: text (a level, `85%` typed into a text
/// cell, 不涉及) or a number (Excel stores `94.1%` typed into a percent
/// cell as 0.941, a date as its serial number).
enum Typed<'a> {
    Text(&'a str),
    Number(f64),
    /// A formula with the value a spreadsheet cached for it.
    Formula(&'a str, f64),
}

/// The bytes of a cell element `<c r="F6" s="8">…</c>` (or `<c … />`) in
/// `xml`: start and end.
fn cell_span(xml: &str, cell: &str) -> (usize, usize) {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("cell {cell} in the sheet"));
    let open_end = start + xml[start..].find('>').unwrap();
    let end = if xml.as_bytes()[open_end - 1] == b'/' {
        open_end + 1
    } else {
        open_end + xml[open_end..].find("</c>").unwrap() + 4
    };
    (start, end)
}

/// Sets cells of the form's sheet, keeping each cell's style (its format
/// and its unlocked protection), as a spreadsheet does when a value is typed.
fn fill(path: &Path, cells: &[(&str, Typed)]) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(content).unwrap();
            for (cell, typed) in cells {
                let (start, end) = cell_span(&xml, cell);
                let style = xml[start..end]
                    .split(" s=\"")
                    .nth(1)
                    .map(|s| format!(" s=\"{}\"", &s[..s.find('"').unwrap()]))
                    .unwrap_or_default();
                let new = match typed {
                    Typed::Text(t) => {
                        format!("<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t>{t}</t></is></c>")
                    }
                    Typed::Number(n) => format!("<c r=\"{cell}\"{style}><v>{n}</v></c>"),
                    Typed::Formula(f, n) => {
                        format!("<c r=\"{cell}\"{style}><f>{f}</f><v>{n}</v></c>")
                    }
                };
                xml.replace_range(start..end, &new);
            }
            content = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// The demo's indicator system and data, without its submissions.
fn demo_without_submissions() -> Workdir {
    let w = Workdir::new();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        demo.join("indicators/demo.toml"),
        w.path().join("indicators.toml"),
    )
    .unwrap();
    for f in ["units.csv", "inspections.csv", "ratings.csv"] {
        w.write(
            &format!("data/{f}"),
            std::fs::read(demo.join("data/demo").join(f)).unwrap(),
        );
    }
    w
}

fn forms(w: &Workdir) {
    let r = w.zwgk(&[
        "template",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--out",
        "forms",
        "--per-unit",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn collect(w: &Workdir, dir: &str, out: &str) -> crate::harness::Run {
    w.zwgk(&[
        "collect",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        dir,
        "--out",
        out,
    ])
}

fn rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// X01 东湖区 (a county) is asked for A3, B1, C1, E1, E2, F1, F2, F3 and the
/// bonuses J1, J2, in rows 6 to 15; Z01 市发展和改革委员会 (a department) has no E.
#[test]
fn each_unit_gets_a_protected_form_with_only_its_items() {
    let w = demo_without_submissions();
    forms(&w);
    assert_eq!(
        std::fs::read_dir(w.path().join("forms")).unwrap().count(),
        60 + 1
    );
    let x01 = rows(&w.path().join("forms/X01.xlsx"), "报送表");
    assert_eq!(x01[2][2], "东湖区");
    assert_eq!(x01[2][5], "X01");
    assert_eq!(
        x01[4],
        [
            "序号",
            "指标代码",
            "指标名称",
            "分值",
            "填报要求",
            "填报值",
            "佐证材料"
        ]
    );
    let items: Vec<&str> = x01[5..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        items,
        ["A3", "B1", "C1", "E1", "E2", "F1", "F2", "F3", "J1", "J2"]
    );
    let hint = |id: &str| x01[5..].iter().find(|r| r[1] == id).unwrap()[4].clone();
    assert!(hint("A3").contains("85%"), "{}", hint("A3"));
    assert!(hint("F2").contains("整数") && !hint("F2").contains("比例"));
    assert!(hint("B1").contains("不涉及"));
    assert!(hint("F1").contains("0 至 3"), "{}", hint("F1"));
    let dept = rows(&w.path().join("forms/Z01.xlsx"), "报送表");
    let dept_items: Vec<&str> = dept[5..].iter().map(|r| r[1].as_str()).collect();
    assert!(!dept_items.contains(&"E1"), "{dept_items:?}");
    // No review column, the sheet protected, the value cells open, E1 a
    // drop-down of its levels.
    assert!(!x01.iter().flatten().any(|c| c == "审核状态"));
    let xml = sheet_xml(&w.path().join("forms/X01.xlsx"));
    assert!(xml.contains("<sheetProtection"), "protected");
    assert!(xml.contains("\"优,良,一般,差\""), "the levels' list");
    let styles = part(&w.path().join("forms/X01.xlsx"), "xl/styles.xml");
    assert!(styles.contains("locked=\"0\""), "value cells unlocked");
}

fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn sheet_xml(path: &Path) -> String {
    part(path, "xl/worksheets/sheet1.xml")
}

/// Forms filled with values of every rule and kind (a ratio in a percent
/// cell and as text, 不涉及, a level, a relative ratio, a manual score, a
/// count, a date cell, a bonus, an empty cell), renamed, collected, reviewed
/// and scored give the same results.json as the same values typed into
/// submissions.csv.
#[test]
fn a_collected_form_scores_as_the_same_values_typed_into_a_table() {
    let w = demo_without_submissions();
    forms(&w);
    // 2024-01-30 is Excel's day 45321.
    fill(
        &w.path().join("forms/X01.xlsx"),
        &[
            ("F6", Typed::Number(0.941)),
            ("G6", Typed::Text("台账.xlsx")),
            ("F7", Typed::Text("不涉及")),
            ("F8", Typed::Text("56%")),
            ("F9", Typed::Text("良")),
            ("F10", Typed::Number(0.85)),
            ("F11", Typed::Number(3.0)),
            ("F12", Typed::Number(2.0)),
            ("F13", Typed::Number(45321.0)),
            ("F14", Typed::Number(1.0)),
        ],
    );
    fill(
        &w.path().join("forms/Z01.xlsx"),
        &[("F6", Typed::Number(1.0)), ("F8", Typed::Number(0.5))],
    );
    let returned = w.path().join("returned");
    std::fs::create_dir(&returned).unwrap();
    std::fs::rename(
        w.path().join("forms/X01.xlsx"),
        returned.join("东湖区 报送表（已填）.xlsx"),
    )
    .unwrap();
    std::fs::rename(w.path().join("forms/Z01.xlsx"), returned.join("fgw.xlsx")).unwrap();

    let r = collect(&w, "returned", "data/submissions.csv");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("2 of 60 units returned a form; 11 rows"),
        "{}",
        r.stdout
    );
    let merged = w.read("data/submissions.csv");
    assert!(
        merged.contains("东湖区,A3,94.1%,待审核,台账.xlsx"),
        "{merged}"
    );
    assert!(merged.contains("东湖区,F3,2024-01-30,待审核,"), "{merged}");
    assert!(!merged.contains("J2"), "the empty bonus cell is left out");
    let log = w.read("data/collect.log");
    assert!(log.contains("X01 东湖区: returned"), "{log}");
    assert!(
        log.contains("not returned (58 units)") && log.contains("  X02 西山区"),
        "{log}"
    );

    // Unreviewed, the rows do not count yet: each is named, nothing written.
    w.run_refused(
        &["--no-charts"],
        1,
        &["column 审核状态 (unit 东湖区, indicator A3): the submission is still 待审核 (pending)"],
    );
    // The office reviews and approves.
    w.write("data/submissions.csv", merged.replace("待审核", "通过"));
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let collected = w.read("out/results.json");

    w.write(
        "data/submissions.csv",
        "\u{feff}单位,指标代码,填报值,审核状态,佐证材料\n\
         东湖区,A3,94.1%,通过,台账.xlsx\n东湖区,B1,不涉及,通过,\n东湖区,C1,0.56,通过,\n\
         东湖区,E1,良,通过,\n东湖区,E2,85%,通过,\n东湖区,F1,3,通过,\n东湖区,F2,2,通过,\n\
         东湖区,F3,2024年1月30日,通过,\n东湖区,J1,1,通过,\n\
         市发展和改革委员会,A3,100%,通过,\n市发展和改革委员会,C1,50%,通过,\n",
    );
    let r = w.run(&["--no-charts", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(collected, w.read("out/results.json"));
    // And the values did count: 东湖区's A3 is not 0 (not submitted), F2's
    // two trainings score on the curve, J1 gives its bonus.
    let results: serde_json::Value = serde_json::from_str(&collected).unwrap();
    let x01 = unit_result(&results, "X01");
    assert_ne!(x01["indicators"]["A3"], "0.00");
    assert_ne!(x01["bonus"], "0.00");
}

/// Every error of §12 at once, each naming its file (and cell and item),
/// and nothing written.
#[test]
fn every_bad_form_is_named_with_its_cell_and_nothing_is_written() {
    let w = demo_without_submissions();
    forms(&w);
    let office = w.zwgk(&[
        "template",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--out",
        "office",
    ]);
    assert_eq!(office.code, 0, "{}", office.stderr);
    let back = w.path().join("back");
    std::fs::create_dir(&back).unwrap();
    let form = |id: &str| w.path().join(format!("forms/{id}.xlsx"));
    // A stranger's workbook: the office-wide template filled in instead.
    std::fs::copy(
        w.path().join("office/submissions.xlsx"),
        back.join("汇总.xlsx"),
    )
    .unwrap();
    // A form of a unit not on the roster.
    fill(&form("X02"), &[("F3", Typed::Text("X99"))]);
    std::fs::copy(form("X02"), back.join("x99.xlsx")).unwrap();
    // Two forms for X03.
    std::fs::copy(form("X03"), back.join("x03-a.xlsx")).unwrap();
    std::fs::copy(form("X03"), back.join("x03-b.xlsx")).unwrap();
    // An edited layout: X04's C1 row now says D1.
    fill(&form("X04"), &[("B8", Typed::Text("D1"))]);
    std::fs::copy(form("X04"), back.join("x04.xlsx")).unwrap();
    // A ratio typed 85.9, a count typed 85%, an unknown level.
    fill(
        &form("X01"),
        &[
            ("F6", Typed::Text("85.9")),
            ("F12", Typed::Text("85%")),
            ("F9", Typed::Text("优秀")),
        ],
    );
    std::fs::copy(form("X01"), back.join("donghu.xlsx")).unwrap();
    w.write("back/readme.txt", "not a form");

    let r = collect(&w, "back", "merged.xlsx");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    for expected in [
        "汇总.xlsx: not a form zwgk wrote (it has no sheet 报送表)",
        "readme.txt: not a form zwgk wrote (it is not a workbook)",
        "x99.xlsx[报送表]: !F3: unit id \"X99\" is not on the roster",
        "x03-b.xlsx: a second form for unit X03",
        "x04.xlsx[报送表] (北塘区)",
        "missing C1; not this unit's D1",
        "donghu.xlsx[报送表]: !F6 (unit 东湖区, indicator A3): ",
        "write 85.9% if that is meant",
        "donghu.xlsx[报送表]: !F12 (unit 东湖区, indicator F2): ",
        "donghu.xlsx[报送表]: !F9 (unit 东湖区, indicator E1): unknown level \"优秀\"",
    ] {
        assert!(e.contains(expected), "{expected:?} in\n{e}");
    }
    assert!(!w.exists("merged.xlsx") && !w.exists("collect.log"));
}

/// The log and the printout say who did not return a form, and an existing
/// table is not replaced without --force.
#[test]
fn collect_names_who_did_not_return_and_keeps_an_existing_table() {
    let w = demo_without_submissions();
    forms(&w);
    std::fs::create_dir(w.path().join("none")).unwrap();
    w.write("none/~$X01.xlsx", "lock");
    let r = collect(&w, "none", "merged.xlsx");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 of 60 units returned"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("not returned (60): X01 东湖区, X02 西山区"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("… (all in collect.log)"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("not read: none/~$X01.xlsx (an office lock file)"),
        "{}",
        r.stderr
    );
    let merged = rows(&w.path().join("merged.xlsx"), "单位报送");
    assert_eq!(
        merged,
        [["单位", "指标代码", "填报值", "审核状态", "佐证材料"]]
    );
    let again = collect(&w, "none", "merged.xlsx");
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("pass --force"), "{}", again.stderr);
}

/// X01's form filled in and saved again by LibreOffice Calc 7.4 (`soffice
/// --convert-to xlsx`: its own styles, shared strings and validations) is
/// read without loss: every value, the date cell and the evidence.
#[test]
fn a_form_saved_by_libreoffice_is_collected_without_loss() {
    let w = demo_without_submissions();
    let back = w.path().join("back");
    std::fs::create_dir(&back).unwrap();
    let name = "东湖区（LibreOffice 另存）.xlsx";
    std::fs::copy(crate::harness::fixture("forms").join(name), back.join(name)).unwrap();
    let r = collect(&w, "back", "merged.csv");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        w.read("merged.csv"),
        "\u{feff}单位,指标代码,填报值,审核状态,佐证材料\n\
         东湖区,A3,94.1%,待审核,台账.xlsx\n东湖区,B1,不涉及,待审核,\n东湖区,C1,56%,待审核,\n\
         东湖区,E1,良,待审核,\n东湖区,E2,85%,待审核,\n东湖区,F1,3,待审核,\n\
         东湖区,F2,2,待审核,\n东湖区,F3,2024-01-30,待审核,\n东湖区,J1,1,待审核,\n"
    );
}

/// A form tampered with by accident: a formula left in a value cell, a
/// header whose id was changed to another unit's (the name still the
/// first unit's), a workbook saved with macros. Each is named; nothing is
/// written; an existing collect.log is not replaced without --force.
#[test]
fn a_formula_a_changed_header_id_or_macros_are_refused_naming_the_cell() {
    let w = demo_without_submissions();
    forms(&w);
    let back = w.path().join("back");
    std::fs::create_dir(&back).unwrap();
    let form = |id: &str| w.path().join(format!("forms/{id}.xlsx"));
    fill(&form("X01"), &[("F6", Typed::Formula("0.8+0.1", 0.9))]);
    std::fs::copy(form("X01"), back.join("x01.xlsx")).unwrap();
    // X02 西山区's form with X05 in its id cell.
    fill(&form("X02"), &[("F3", Typed::Text("X05"))]);
    std::fs::copy(form("X02"), back.join("x02.xlsx")).unwrap();
    // X03's form with a VBA project added, as Excel saves an .xlsm.
    let bytes = std::fs::read(form("X03")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.start_file(
        "xl/vbaProject.bin",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    out.write_all(b"VBA").unwrap();
    std::fs::write(back.join("x03.xlsm"), out.finish().unwrap().into_inner()).unwrap();
    w.write("collect.log", "the office's earlier log");

    let r = collect(&w, "back", "merged.xlsx");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("collect.log exists; pass --force"),
        "{}",
        r.stderr
    );
    let r = w.zwgk(&[
        "collect",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "back",
        "--out",
        "merged.xlsx",
        "--force",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "x01.xlsx[报送表]: !F6 (unit 东湖区, indicator A3): holds a formula (=0.8+0.1), not a value",
        "x02.xlsx[报送表]: !C3: the header's unit name \"西山区\" is not the roster's name",
        "x03.xlsm: the workbook carries macros (VBA)",
    ] {
        assert!(r.stderr.contains(expected), "{expected:?} in\n{}", r.stderr);
    }
    assert!(!w.exists("merged.xlsx"));
    assert_eq!(w.read("collect.log"), "the office's earlier log");
}

/// `zwgk init`: a new folder to start from. Checked fresh, it says in a
/// few lines what to fill in first; with three units and a few records
/// typed into its workbooks as its guide says, it runs.
#[test]
fn init_starts_an_assessment_that_checks_and_then_runs() {
    let w = Workdir::new();
    let r = w.zwgk_in(crate::harness::chinese, &["init", "考核2025"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "indicators.toml",
        "使用说明.md",
        "data/单位名单.xlsx",
        "data/检查结果.xlsx",
        "data/单位报送.xlsx",
        "data/评分.xlsx",
        "data/责任分工.xlsx",
        "data/申诉复核.xlsx",
    ] {
        assert!(w.exists(&format!("考核2025/{f}")), "{f}");
    }
    let check = |w: &Workdir| {
        w.zwgk_in(
            crate::harness::chinese,
            &[
                "check",
                "--indicators",
                "考核2025/indicators.toml",
                "--data",
                "考核2025/data",
            ],
        )
    };
    let r = check(&w);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.lines().count(),
        2,
        "one error, in a few lines:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "单位名单.xlsx［Sheet1］ 第 2 行：单位名单中没有单位：请先在表头下每个单位填一行"
        ),
        "{}",
        r.stderr
    );
    // An existing folder is refused, and left as it was.
    let r = w.zwgk(&["init", "考核2025"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Three units and three records, typed into the workbooks.
    let book = |rows: &[&[&str]]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    };
    w.write(
        "考核2025/data/单位名单.xlsx",
        book(&[
            &["单位编码", "单位名称", "分组", "别名"],
            &["X01", "东湖区", "县（市、区）", ""],
            &["X02", "西山区", "county", ""],
            &["Z01", "市档案馆", "市政府部门", ""],
        ]),
    );
    w.write(
        "考核2025/data/检查结果.xlsx",
        book(&[
            &[
                "记录编号",
                "单位",
                "检查日期",
                "检查类型",
                "问题代码",
                "数量",
                "问题描述",
            ],
            &[
                "R1",
                "东湖区",
                "2025-03-01",
                "政府网站月度检查",
                "W01",
                "2",
                "首页未更新",
            ],
            &["R2", "X02", "2025/4/1", "政务新媒体季度抽查", "M01", "", ""],
            &[
                "R3",
                "市档案馆",
                "2025年5月1日",
                "年度考核",
                "P01",
                "1",
                "迟报",
            ],
        ]),
    );
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "考核2025/indicators.toml",
        "--data",
        "考核2025/data",
        "--out",
        "结果",
        "--no-charts",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let results: serde_json::Value = serde_json::from_str(&w.read("结果/results.json")).unwrap();
    // 东湖区 lost 2 × 1 on D1 (W01): D = 20 − 2 = 18.
    assert_eq!(
        crate::harness::unit_result(&results, "X01")["indicators"]["D"],
        "18.00"
    );
}
