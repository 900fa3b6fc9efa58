//! The data directory as an office fills it: tables under their Chinese or
//! older names, Excel 97–2003 and OpenDocument files, notes and lock files
//! beside them, a table saved under a name that is no table's, a table left
//! out. Nothing is skipped silently.

use crate::harness::{fixture, unit_result, Workdir};
use rust_xlsxwriter::Workbook;

fn run_ok(w: &Workdir) -> String {
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr
}

fn run_fails(w: &Workdir) -> String {
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(!w.exists("out"), "nothing is written on invalid input");
    r.stderr
}

/// The hand fixture's results.json, as the reference.
fn hand_results() -> String {
    let w = Workdir::with_fixture("hand");
    run_ok(&w);
    w.read("out/results.json")
}

fn rename(w: &Workdir, from: &str, to: &str) {
    std::fs::rename(w.path().join(from), w.path().join(to)).unwrap();
}

/// A workbook with one sheet per (name, CSV text).
fn workbook(sheets: &[(&str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, csv) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, line) in csv.lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                ws.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn tables_under_their_chinese_or_older_names_give_the_same_results() {
    let w = Workdir::with_fixture("hand");
    rename(&w, "data/submissions.csv", "data/报送材料.csv");
    rename(&w, "data/inspections.csv", "data/检查结果.csv");
    rename(&w, "data/units.csv", "data/单位名单.csv");
    rename(&w, "data/ratings.csv", "data/评分.csv");
    run_ok(&w);
    assert_eq!(w.read("out/results.json"), hand_results());
    let log = w.read("out/run.log");
    assert!(log.contains("data/报送材料.csv"), "{log}");
}

/// inspections.xls and submissions.ods as LibreOffice saved them from the
/// hand fixture's CSVs (tests/fixtures/legacy/README.md).
#[test]
fn excel_97_and_opendocument_tables_are_read() {
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/inspections.csv")).unwrap();
    std::fs::remove_file(w.path().join("data/submissions.csv")).unwrap();
    for f in ["inspections.xls", "submissions.ods"] {
        std::fs::copy(fixture("legacy").join(f), w.path().join("data").join(f)).unwrap();
    }
    run_ok(&w);
    assert_eq!(w.read("out/results.json"), hand_results());
    let log = w.read("out/run.log");
    assert!(log.contains("data/inspections.xls"), "{log}");
    assert!(log.contains("data/submissions.ods"), "{log}");
}

#[test]
fn a_file_or_sheet_named_after_no_table_is_an_error_naming_the_nearest() {
    let w = Workdir::with_fixture("hand");
    rename(&w, "data/submissions.csv", "data/报送情况.csv");
    rename(&w, "data/inspections.csv", "data/old.csv");
    let inspections = std::fs::read_to_string(fixture("hand/data/inspections.csv")).unwrap();
    w.write("data/data.xlsx", workbook(&[("检查结果表", &inspections)]));
    let e = run_fails(&w);
    assert!(
        e.contains("data/报送情况.csv: file \"报送情况.csv\" names no table — is it 单位报送 (submissions)?"),
        "{e}"
    );
    assert!(
        e.contains("data/data.xlsx[检查结果表]: sheet \"检查结果表\" names no table — is it 检查结果 (inspections)?"),
        "{e}"
    );
    assert!(
        e.contains("data/old.csv: file \"old.csv\" names no table."),
        "{e}"
    );
    // …and so the tables the system needs are missing, which is said too.
    assert!(
        e.contains("the table inspections (检查结果) is missing, and the indicator system defines inspection issues (I1, I2, I3, V1, P1)"),
        "{e}"
    );
}

#[test]
fn notes_lock_files_hidden_files_and_sheets_are_listed_as_not_read() {
    let w = Workdir::with_fixture("hand");
    w.write("data/~$units.xlsx", "lock");
    w.write("data/.~lock.inspections.csv#", "lock");
    w.write("data/说明.txt", "本目录为2023年考核数据");
    w.write("data/backup/units.csv", "id,name,group\n");
    let units = std::fs::read_to_string(fixture("hand/data/units.csv")).unwrap();
    std::fs::remove_file(w.path().join("data/units.csv")).unwrap();
    w.write(
        "data/data.xlsx",
        workbook(&[("说明", "填表说明"), ("单位", &units)]),
    );
    let stderr = run_ok(&w);
    assert_eq!(w.read("out/results.json"), hand_results());
    for line in [
        "not read: data/.~lock.inspections.csv# (an office lock file)",
        "not read: data/backup (a folder",
        "not read: data/~$units.xlsx (an office lock file)",
        "not read: data/说明.txt (a .txt file, not a table: tables are",
        "not read: data/data.xlsx[说明] (a sheet of notes",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    let log = w.read("out/run.log");
    assert!(
        log.contains("\nnot read:\n  data/.~lock.inspections.csv#"),
        "{log}"
    );
    assert!(
        log.contains("  data/data.xlsx[说明] (a sheet of notes"),
        "{log}"
    );
    // The sheet read is listed with the workbook's hash.
    assert!(log.contains("  data/data.xlsx[单位]\n"), "{log}");
}

#[test]
fn a_needed_table_left_out_is_an_error_and_a_header_only_table_means_none() {
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/inspections.csv")).unwrap();
    let e = run_fails(&w);
    assert!(
        e.contains("data: the table inspections (检查结果) is missing, and the indicator system defines inspection issues"),
        "{e}"
    );
    assert!(
        e.contains("a table with only its header row says there are none"),
        "{e}"
    );
    // Only the header: no problems were found this year. U1 keeps the full
    // 20 points of A1 (it lost 4 to two I1 records) and U3 is not vetoed.
    w.write(
        "data/inspections.csv",
        "id,unit,date,source,issue,count,note\n",
    );
    run_ok(&w);
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    let unit = |id: &str| unit_result(&results, id);
    assert_eq!(unit("U1")["indicators"]["A1"], "20.00");
    assert_eq!(unit("U3")["vetoed"], false);
    let r = w.zwgk(&["check", "--indicators", "indicators.toml", "--data", "data"]);
    assert!(r.stdout.contains(", 0 inspection records,"), "{}", r.stdout);
}

#[test]
fn a_ratio_typed_without_percent_or_out_of_range_is_an_error_with_the_fix() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "curve = [[0.5, 0], [1, 1]]",
        "curve = [[0.5, 0], [1, 1]]\ninput = \"ratio\"",
    );
    w.edit("data/submissions.csv", "U5,A2,67.5%", "U5,A2,67.5");
    w.edit("data/submissions.csv", "U1,A2,75%", "U1,A2,-20%");
    w.edit("data/submissions.csv", "U3,A2,100%", "U3,A2,120%");
    let e = run_fails(&w);
    assert!(
        e.contains("data/submissions.csv: row 12, column 填报值 (unit U5, indicator A2): \"67.5\" is above 1, and a ratio is between 0 and 1: write 67.5% if that is meant (or 0.675)"),
        "{e}"
    );
    assert!(
        e.contains("row 2, column 填报值 (unit U1, indicator A2): \"-20%\" is negative"),
        "{e}"
    );
    assert!(
        e.contains("row 8, column 填报值 (unit U3, indicator A2): \"120%\" is above 100%"),
        "{e}"
    );
    // 0.6 (U4) and 不涉及 (U2) are ratios as written: with 67.5% back, it runs.
    w.edit("data/submissions.csv", "U5,A2,67.5", "U5,A2,67.5%");
    w.edit("data/submissions.csv", "U1,A2,-20%", "U1,A2,75%");
    w.edit("data/submissions.csv", "U3,A2,120%", "U3,A2,100%");
    run_ok(&w);
    assert_eq!(w.read("out/results.json"), hand_results());
}

#[test]
fn a_count_typed_as_a_percentage_or_a_fraction_is_an_error() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "curve = [[0.5, 0], [1, 1]]",
        "curve = [[0.5, 0], [1, 1]]\ninput = \"count\"",
    );
    w.edit("data/submissions.csv", "U4,A2,0.6", "U4,A2,2.5");
    let e = run_fails(&w);
    assert!(
        e.contains("row 2, column 填报值 (unit U1, indicator A2): \"75%\" is a percentage, but this item is a count: write a whole number such as 3"),
        "{e}"
    );
    assert!(
        e.contains("(unit U4, indicator A2): \"2.5\" is not a whole number; this item is a count"),
        "{e}"
    );
}

#[test]
fn input_on_a_leaf_that_takes_no_number_is_an_indicator_file_error() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "rule = \"deadline\"",
        "rule = \"deadline\"\ninput = \"ratio\"",
    );
    w.edit(
        "indicators.toml",
        "points = 40",
        "points = 40\ninput = \"count\"",
    );
    let e = run_fails(&w);
    assert!(
        e.contains("indicator C2: input = \"ratio\" is for leaves that take a number (rules curve, relative, manual); this is rule \"deadline\""),
        "{e}"
    );
    assert!(
        e.contains("indicator A: input = \"count\" is for leaves that take a number (rules curve, relative, manual); this is a parent"),
        "{e}"
    );
}

#[test]
fn check_says_where_the_warnings_it_does_not_print_are() {
    let w = Workdir::new();
    w.generate(60, 100, &["--seed", "3"], "g");
    // No submissions at all: every reported item of every unit is 未报送.
    w.write("g/data/submissions.csv", "unit,indicator,value\n");
    let args = [
        "check",
        "--indicators",
        "g/indicators.toml",
        "--data",
        "g/data",
    ];
    let r = w.zwgk(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "more (zwgk check --all-warnings prints every one; zwgk run writes them to run.log)"
        ),
        "{}",
        r.stderr
    );
    let total: usize = r
        .stdout
        .rsplit_once("; ")
        .and_then(|(_, n)| n.split(' ').next()?.parse().ok())
        .unwrap();
    let mut all = args.to_vec();
    all.push("--all-warnings");
    let r = w.zwgk(&all);
    assert_eq!(
        r.stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .count(),
        total
    );
    assert!(total > 20);
}
