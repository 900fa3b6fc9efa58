//! Small things a new user trips over (issue 21), each as the user meets it.

use crate::harness::{fixture, Workdir};

#[test]
fn the_notice_date_takes_the_date_formats_of_the_tables() {
    let w = Workdir::with_fixture("hand");
    let r = w.run(&["--no-charts", "--notice-date", "2024年2月20日"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.read("out/notice.md").contains("2024年2月20日"));
    let r = w.run(&["--no-charts", "--force", "--notice-date", "2024-02-30"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("\"2024-02-30\" is not a date (expected e.g. 2023-01-31"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_finds_a_unit_by_an_id_in_another_case_and_suggests_near_ids() {
    let w = Workdir::with_fixture("hand");
    let args = [
        "explain",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
    ];
    let r = w.zwgk(&[&args[..], &["u1"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("东湖区 (U1)"), "{}", r.stdout);
    let r = w.zwgk(&[&args[..], &["U7"]].concat());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown unit \"U7\"; did you mean"),
        "{}",
        r.stderr
    );
}

/// Excel's "Unicode 文本" export: UTF-16 with a byte-order mark, tabs between
/// columns, saved as .txt.
#[test]
fn a_utf16_tab_separated_table_reads_as_its_csv() {
    let reference = Workdir::with_fixture("hand");
    assert_eq!(reference.run(&["--no-charts"]).code, 0);
    let w = Workdir::with_fixture("hand");
    let csv = std::fs::read_to_string(fixture("hand/data/inspections.csv")).unwrap();
    let text = csv.replace(',', "\t").replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::remove_file(w.path().join("data/inspections.csv")).unwrap();
    w.write("data/检查结果.txt", &bytes);
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        w.read("out/results.json"),
        reference.read("out/results.json")
    );
}

#[test]
fn a_unit_name_a_spreadsheet_would_run_as_a_formula_is_warned_about_by_row() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/units.csv",
        "U6,市民政局,g2,",
        "U6,\"=HYPERLINK(\"\"http://x\"\",\"\"民政\"\")\",g2,市民政局",
    );
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: data/units.csv: row 7, column 单位名称: \"=HYPERLINK(\"http://x\",\"民政\")\" begins with =, as a spreadsheet formula does"),
        "{}",
        r.stderr
    );
}

/// Above 200,000 breakdown rows (12,600 units × 16 leaves) the workbook is
/// left out, and the run's summary says so and where the rows are.
#[test]
fn a_breakdown_too_large_for_a_workbook_is_said_in_the_summary() {
    let w = Workdir::new();
    w.generate(12600, 1000, &[], "g");
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "g/indicators.toml",
        "--data",
        "g/data",
        "--out",
        "out",
        "--no-charts",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!w.exists("out/breakdown.xlsx"));
    let why = "breakdown.xlsx left out: 201600 breakdown rows are more than the 200000 a workbook is written with; every row is in breakdown.csv";
    assert!(
        r.stdout.contains(&format!("reports in out ({why})")),
        "{}",
        r.stdout
    );
    assert!(w.read("out/run.log").contains(why));
}

/// A vetoed unit's label has one form, full-width, in the charts and in the
/// notice.
#[test]
fn the_veto_label_reads_the_same_in_charts_and_notice() {
    let w = Workdir::with_fixture("hand");
    let r = w.run_with_charts(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = w.read("out/charts/rank-g1.svg");
    assert!(svg.contains("59.00 较差（否决）"), "{svg}");
    assert!(!svg.contains("(否决)"));
    assert!(w.read("out/notice.md").contains("（否决）"));
}
