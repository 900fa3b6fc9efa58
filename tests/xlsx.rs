//! Workbooks in and out: the hand fixture as Excel sheets gives the same
//! results as its CSV; errors point at the cell; written workbooks hold
//! numbers as numbers and formula-like text as inert strings.

use crate::harness::{fixture, Workdir};
use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

fn csv_rows(path: &str) -> Vec<Vec<String>> {
    let bytes = std::fs::read(fixture(path)).unwrap();
    let text = zwgk::ingest::table::to_utf8(&bytes).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Writes CSV rows into a sheet as an officer's workbook holds them:
/// numbers as numbers, percentages as percent cells, dates as date cells.
fn fill(ws: &mut Worksheet, rows: &[Vec<String>], first_row: u32, first_col: u16) {
    let pct = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (first_row + r as u32, first_col + c as u16);
            if v.is_empty() {
                continue;
            }
            if let Some(p) = v.strip_suffix('%').and_then(|p| p.parse::<f64>().ok()) {
                ws.write_number_with_format(r, c, p / 100.0, &pct).unwrap();
            } else if let Ok(n) = v.parse::<f64>() {
                ws.write_number(r, c, n).unwrap();
            } else if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                let dt = ExcelDateTime::from_ymd(
                    d.format("%Y").to_string().parse().unwrap(),
                    d.format("%m").to_string().parse().unwrap(),
                    d.format("%d").to_string().parse().unwrap(),
                )
                .unwrap();
                ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
            } else {
                ws.write_string(r, c, v).unwrap();
            }
        }
    }
}

/// The hand fixture as one data.xlsx (Chinese sheet names; the duties sheet
/// with a two-row merged header and a blank leading column, as in the source
/// documents' 责任分工表) plus units.xlsx with a hidden first sheet.
fn hand_as_workbooks(w: &Workdir) {
    let mut book = Workbook::new();
    for (file, sheet) in [
        ("inspections", "检查结果"),
        ("submissions", "报送材料"),
        ("ratings", "评分"),
    ] {
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        fill(ws, &csv_rows(&format!("hand/data/{file}.csv")), 0, 0);
    }
    let ws = book.add_worksheet();
    ws.set_name("责任分工").unwrap();
    let merged = Format::new().set_bold();
    ws.merge_range(1, 1, 2, 1, "指标代码", &merged).unwrap();
    ws.merge_range(1, 2, 1, 3, "责任分工", &merged).unwrap();
    ws.write_string(2, 2, "责任单位").unwrap();
    ws.write_string(2, 3, "备注").unwrap();
    let duties: Vec<Vec<String>> = csv_rows("hand/data/duties.csv")
        .into_iter()
        .skip(1)
        .collect();
    fill(ws, &duties, 3, 1);
    // The empty sheets Excel adds to a new workbook.
    book.add_worksheet().set_name("Sheet2").unwrap();
    book.add_worksheet().set_name("Sheet3").unwrap();
    w.write("data/data.xlsx", book.save_to_buffer().unwrap());

    let mut units = Workbook::new();
    let hidden = units.add_worksheet();
    hidden.set_name("说明").unwrap();
    hidden.write_string(0, 0, "填表说明").unwrap();
    hidden.set_hidden(true);
    let ws = units.add_worksheet();
    ws.set_name("单位名单").unwrap();
    // Excel cannot hide the active sheet: the roster is the active one.
    ws.set_active(true);
    fill(ws, &csv_rows("hand/data/units.csv"), 2, 0);
    w.write("data/units.xlsx", units.save_to_buffer().unwrap());
    for t in ["units", "inspections", "submissions", "ratings", "duties"] {
        std::fs::remove_file(w.path().join(format!("data/{t}.csv"))).unwrap();
    }
}

#[test]
fn workbook_inputs_give_the_same_results_as_csv() {
    let w = Workdir::with_fixture("hand");
    hand_as_workbooks(&w);
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Excel's empty Sheet2 and Sheet3 are listed as not read, not errors.
    assert!(
        r.stderr
            .contains("not read: data/data.xlsx[Sheet2] (a hidden or empty sheet)"),
        "{}",
        r.stderr
    );
    let expected = std::fs::read_to_string(fixture("hand/expected/results.json")).unwrap();
    assert_eq!(w.read("out/results.json"), expected);
    assert!(w.read("out/run.log").contains("data/data.xlsx"));
}

#[test]
fn workbook_errors_name_the_sheet_and_cell() {
    let w = Workdir::with_fixture("hand");
    hand_as_workbooks(&w);
    // Replace data.xlsx's 报送材料 with a bad date in C3.
    let mut book = Workbook::new();
    for (file, sheet) in [
        ("inspections", "检查结果"),
        ("submissions", "报送材料"),
        ("ratings", "评分"),
        ("duties", "责任分工"),
    ] {
        let mut rows = csv_rows(&format!("hand/data/{file}.csv"));
        if file == "submissions" {
            rows[2][2] = "2024年13月2日".into();
        }
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        fill(ws, &rows, 0, 0);
    }
    w.write("data/data.xlsx", book.save_to_buffer().unwrap());
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "data/data.xlsx[报送材料]!C3: column 填报值 (unit U1, indicator C2): \"2024年13月2日\" is not a date"
        ),
        "{}",
        r.stderr
    );
}

/// The hand fixture with its ratings as `data/ratings.xlsx` holding `rows`
/// below a blank row and right of a blank column (the header on row 2, from
/// column B).
fn ratings_as_sheet(rows: &[Vec<String>]) -> Workdir {
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/ratings.csv")).unwrap();
    let mut book = Workbook::new();
    fill(book.add_worksheet(), rows, 1, 1);
    w.write("data/ratings.xlsx", book.save_to_buffer().unwrap());
    w
}

/// `zwgk run` fails, says `expected` and writes nothing.
fn fails_saying(w: &Workdir, expected: &str) {
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(expected), "{}", r.stderr);
    assert!(!w.exists("out"));
}

/// The workbook with the cached result of every formula `f` removed, as
/// a program that writes formulas without computing them leaves it.
fn without_results(book: Vec<u8>, f: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let cached = format!("<f>{f}</f><v>0</v>");
        let bytes = match text.contains(&cached) {
            true => text
                .replace(&cached, &format!("<f>{f}</f><v></v>"))
                .into_bytes(),
            false => bytes,
        };
        let name = entry.name().unwrap().to_string();
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_formula_without_its_result_or_with_excel_s_error_says_so_at_its_cell() {
    // A workbook written by a program (not saved by Excel) keeps formulas
    // without their results: C2 reads empty. C3 shows #DIV/0!.
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/submissions.csv")).unwrap();
    let mut rows = csv_rows("hand/data/submissions.csv");
    rows[1][2] = String::new();
    rows[2][2] = String::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    fill(ws, &rows, 0, 0);
    ws.write_formula(1, 2, "=E1*2").unwrap();
    let div0 = rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!");
    ws.write_formula(2, 2, div0).unwrap();
    let bytes = without_results(book.save_to_buffer().unwrap(), "E1*2");
    w.write("data/submissions.xlsx", bytes);
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!w.exists("out"));
    assert!(r.stderr.contains("data/submissions.xlsx[Sheet1]!C2: column 填报值 (unit U1, indicator A2): the cell is empty; a number is expected (if it holds a formula, recalculate and save it in Excel"), "{}", r.stderr);
    assert!(r.stderr.contains("data/submissions.xlsx[Sheet1]!C3: column 填报值 (unit U1, indicator C2): the cell holds Excel's error value #DIV/0!: its formula gave no result"), "{}", r.stderr);
}

#[test]
fn a_column_named_twice_in_a_sheet_header_is_an_error_at_its_cell() {
    for (extra, expected) in [
        // The same header text twice.
        (
            "unit",
            "data/ratings.xlsx[Sheet1]!F2: column \"unit\" appears twice in the header",
        ),
        // The same column by its id and by its Chinese name.
        (
            "单位",
            "data/ratings.xlsx[Sheet1]!F2: column 单位: column unit (单位) appears twice",
        ),
    ] {
        // One more header cell, in column F.
        let mut rows = csv_rows("hand/data/ratings.csv");
        for (k, row) in rows.iter_mut().enumerate() {
            row.push(if k == 0 {
                extra.to_string()
            } else {
                String::new()
            });
        }
        fails_saying(&ratings_as_sheet(&rows), expected);
    }
}

#[test]
fn a_missing_column_in_a_sheet_names_the_header_row() {
    let rows: Vec<Vec<String>> = csv_rows("hand/data/ratings.csv")
        .into_iter()
        .map(|r| r[..3].to_vec())
        .collect();
    fails_saying(
        &ratings_as_sheet(&rows),
        "data/ratings.xlsx[Sheet1]: row 2: required column score (分数) is missing",
    );
}

#[test]
fn a_table_given_twice_is_an_error() {
    let w = Workdir::with_fixture("hand");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("评分").unwrap();
    fill(ws, &csv_rows("hand/data/ratings.csv"), 0, 0);
    w.write("data/data.xlsx", book.save_to_buffer().unwrap());
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("data/data.xlsx[评分]: a second source for the table ratings (评分): data/ratings.csv is one already"),
        "{}",
        r.stderr
    );
}

#[test]
fn written_workbooks_hold_numbers_and_inert_text() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/submissions.csv",
        "U5,A2,67.5%,通过,",
        "U5,A2,67.5%,通过,=cmd|' /C calc'!A0",
    );
    assert_eq!(w.run(&[]).code, 0);
    let csv = w.read("out/breakdown.csv");
    assert!(
        csv.contains(",'=cmd|' /C calc'!A0"),
        "CSV neutralises the formula"
    );
    let mut book = open_workbook_auto(w.path().join("out/breakdown.xlsx")).unwrap();
    let range = book.worksheet_range("得分明细").unwrap();
    let found = range
        .rows()
        .flatten()
        .any(|c| *c == Data::String("=cmd|' /C calc'!A0".into()));
    assert!(found, "the evidence is a plain string cell");
    let formulas = book.worksheet_formula("得分明细").unwrap();
    assert!(
        formulas.rows().flatten().all(|f| f.is_empty()),
        "no formula anywhere"
    );

    let mut scores = open_workbook_auto(w.path().join("out/scores.xlsx")).unwrap();
    assert_eq!(scores.sheet_names(), vec!["总表", "县（市、区）", "部门"]);
    let total = scores.worksheet_range("总表").unwrap();
    assert_eq!(total.get((0, 4)), Some(&Data::String("总分".into())));
    assert_eq!(total.get((1, 4)), Some(&Data::Float(100.0)));
    assert_eq!(total.get((2, 4)), Some(&Data::Float(74.5)));
    let dept = scores.worksheet_range("部门").unwrap();
    assert_eq!(dept.get((1, 13)), Some(&Data::String("不涉及".into())));
}

#[test]
fn the_template_lists_each_units_applicable_items_and_reads_back() {
    let w = Workdir::with_fixture("hand");
    let r = w.zwgk(&[
        "template",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--out",
        "tpl",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut book = open_workbook_auto(w.path().join("tpl/submissions.xlsx")).unwrap();
    let range = book.worksheet_range("报送材料").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        rows[0][0].contains("本行为说明"),
        "an instruction row on top"
    );
    assert_eq!(
        rows[1][..5],
        ["单位", "指标代码", "指标名称", "填报值", "审核状态"]
    );
    // 县 units: A2, C2 (C only for g1) and the bonus J1; 部门 units: A2, J1.
    let items: Vec<(String, String)> = rows[2..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(items.len(), 3 * 3 + 3 * 2);
    assert_eq!(
        &items[..3],
        &[
            ("东湖区".into(), "A2".into()),
            ("东湖区".into(), "C2".into()),
            ("东湖区".into(), "J1".into())
        ]
    );
    assert!(!items.contains(&("市教育局".to_string(), "C2".to_string())));
    assert!(rows[3][6].contains("日期，如 2024-01-31"), "{:?}", rows[3]);
    // Returned unfilled, it reads cleanly: every item is 未报送.
    std::fs::remove_file(w.path().join("data/submissions.csv")).unwrap();
    std::fs::copy(
        w.path().join("tpl/submissions.xlsx"),
        w.path().join("data/submissions.xlsx"),
    )
    .unwrap();
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("U1 东湖区: A2 (公开比例): 未报送, scored 0"),
        "{}",
        r.stderr
    );
}

#[test]
fn workbooks_saved_by_libreoffice_give_the_hand_worked_results() {
    let w = Workdir::new();
    w.write(
        "indicators.toml",
        std::fs::read(fixture("hand/indicators.toml")).unwrap(),
    );
    for t in ["units", "inspections", "submissions", "ratings", "duties"] {
        w.write(
            &format!("data/{t}.xlsx"),
            std::fs::read(fixture(&format!("hand-libreoffice/data/{t}.xlsx"))).unwrap(),
        );
    }
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = std::fs::read_to_string(fixture("hand/expected/results.json")).unwrap();
    assert_eq!(w.read("out/results.json"), expected);
}

#[test]
fn a_cell_longer_than_excel_allows_is_cut_in_the_workbook_and_whole_in_the_csv() {
    let w = Workdir::with_fixture("hand");
    // 40,000 characters: more than an Excel cell holds (32,767).
    let long = "很长".repeat(20_000);
    w.edit(
        "data/units.csv",
        "U2,西山区,g1,",
        &format!("U2,{long},g1,西山区"),
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.read("out/scores.csv").contains(&long));
    for book in ["scores.xlsx", "breakdown.xlsx"] {
        let mut wb = open_workbook_auto(w.path().join("out").join(book)).unwrap();
        let first = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&first).unwrap();
        let cut = range
            .rows()
            .flatten()
            .filter_map(|c| match c {
                Data::String(s) if s.starts_with("很长很长") => Some(s.clone()),
                _ => None,
            })
            .next()
            .unwrap_or_else(|| panic!("{book} has the unit"));
        assert!(cut.ends_with("全文见同名 CSV）"), "{book}");
        assert!(cut.chars().count() <= 32_767, "{book}");
    }
}

/// The demo's template describes each item by its `input` kind: A3 is a
/// ratio (85%, not 85), F2 a count of trainings (a whole number).
#[test]
fn the_template_describes_each_item_by_its_input_kind() {
    let w = Workdir::new();
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = w.zwgk(&[
        "template",
        "--indicators",
        demo.join("indicators/demo.toml").to_str().unwrap(),
        "--data",
        demo.join("data/demo").to_str().unwrap(),
        "--out",
        "tpl",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut book = open_workbook_auto(w.path().join("tpl/submissions.xlsx")).unwrap();
    let range = book.worksheet_range("报送材料").unwrap();
    let hint_of = |item: &str| {
        range
            .rows()
            .find(|r| r.get(1).map(|c| c.to_string()) == Some(item.to_string()))
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .unwrap()
    };
    assert!(
        hint_of("A3").contains("比例，如 85% 或 0.85（不能写成 85）"),
        "{}",
        hint_of("A3")
    );
    assert!(
        hint_of("F2").contains("次数或个数（整数），如 3"),
        "{}",
        hint_of("F2")
    );
    assert!(!hint_of("F2").contains("比例"), "{}", hint_of("F2"));
}

/// The workbooks print as officers print them: A4 landscape, all columns on
/// the page width, the header row on every page, header and unit columns
/// frozen, the assessment's name and page numbers in the footer.
#[test]
fn the_workbooks_print_on_a4_landscape_fitted_to_the_width() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&["--no-charts"]).code, 0);
    for (book, frozen) in [
        ("scores.xlsx", "xSplit=\"4\""),
        ("breakdown.xlsx", "xSplit=\"3\""),
    ] {
        let file = std::fs::File::open(w.path().join("out").join(book)).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
            text
        };
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{book}: {sheet}"
        );
        assert!(sheet.contains("paperSize=\"9\""), "{book}");
        assert!(sheet.contains("orientation=\"landscape\""), "{book}");
        assert!(sheet.contains("fitToHeight=\"0\""), "{book}");
        assert!(sheet.contains(frozen), "{book}: the unit columns frozen");
        assert!(
            sheet.contains("<oddFooter>&amp;L手算用例&amp;R第 &amp;P 页，共 &amp;N 页</oddFooter>"),
            "{book}"
        );
        let workbook = read("xl/workbook.xml");
        assert!(
            workbook.contains("_xlnm.Print_Titles"),
            "{book}: the header row repeats"
        );
    }
}
