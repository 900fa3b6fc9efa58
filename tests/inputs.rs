//! Bad input tables: every error names file, row and column, all errors come
//! together, exit status 1, and nothing is written.

use crate::harness::Workdir;

/// Applies edits to a copy of the hand fixture, runs, and returns stderr
/// after checking exit status 1 and that no output appeared.
fn fails(edits: &[(&str, &str, &str)]) -> String {
    let w = Workdir::with_fixture("hand");
    for (file, from, to) in edits {
        w.edit(file, from, to);
    }
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(!w.exists("out"), "nothing is written on invalid input");
    r.stderr
}

const INSP: &str = "data/inspections.csv";
const SUBS: &str = "data/submissions.csv";

#[test]
fn an_unknown_unit_name_suggests_the_nearest_roster_names() {
    let e = fails(&[(INSP, "R1,东湖,", "R1,东胡区,")]);
    assert!(e.contains("data/inspections.csv: row 2, column unit (issue I1): unknown unit \"东胡区\"; did you mean 东湖区"), "{e}");
}

#[test]
fn duplicate_record_ids_are_an_error_naming_both_rows() {
    let e = fails(&[(INSP, "R2,U1", "R1,U1")]);
    assert!(
        e.contains(
            "row 3, column id (unit U1, issue I2): record id \"R1\" is already used in row 2"
        ),
        "{e}"
    );
}

#[test]
fn an_id_used_three_times_is_reported_at_each_later_row_naming_the_use_before() {
    // R1 at rows 2, 4 (R3's place), 8 (R7's) and 10 (R9's, padded): each
    // later use names the row of the one before it, in row order.
    let e = fails(&[
        (INSP, "R3,东 湖 区", "R1,东 湖 区"),
        (INSP, "R7,U5", "R1,U5"),
        (INSP, "R9,U6", "  R1 ,U6"),
    ]);
    let reported: Vec<&str> = e
        .lines()
        .filter(|l| l.contains("is already used"))
        .collect();
    assert_eq!(
        reported,
        [
            "  - data/inspections.csv: row 4, column id (unit 东 湖 区, issue I3): record id \"R1\" is already used in row 2",
            "  - data/inspections.csv: row 8, column id (unit U5, issue I1): record id \"R1\" is already used in row 4",
            "  - data/inspections.csv: row 10, column id (unit U6, issue I1): record id \"R1\" is already used in row 8",
        ],
        "{e}"
    );
}

#[test]
fn unknown_issue_codes_and_negative_counts_are_errors() {
    let e = fails(&[(
        INSP,
        "R6,教育局,2023-03-02,网站检查,I1,1",
        "R6,教育局,2023-03-02,网站检查,X9,-1",
    )]);
    assert!(e.contains("row 7, column issue (unit 教育局): unknown issue code \"X9\"; the indicator system defines I1, I2, I3, V1, P1"), "{e}");
    assert!(
        e.contains(
            "row 7, column count (unit 教育局, issue X9): -1 is negative; expected a count >= 0"
        ),
        "{e}"
    );
}

#[test]
fn a_number_in_exponent_notation_or_with_separators_is_rejected() {
    let e = fails(&[
        (INSP, "I1,10,", "I1,1e1,"),
        (SUBS, "U5,A2,67.5%", "U5,A2,\"6,75\""),
    ]);
    assert!(
        e.contains("row 10, column count (unit U6, issue I1): \"1e1\" is not a plain number"),
        "{e}"
    );
    assert!(
        e.contains("data/submissions.csv: row 12, column 填报值 (unit U5, indicator A2): \"6,75\" is not a plain number"),
        "{e}"
    );
}

#[test]
fn two_submissions_for_one_unit_and_item_are_an_error() {
    let e = fails(&[(
        SUBS,
        "U5,A2,67.5%,通过,\n",
        "U5,A2,67.5%,通过,\n市财政局,A2,70%,通过,\n",
    )]);
    assert!(
        e.contains(
            "row 13, column 指标代码 (unit 市财政局): a second submission for unit U5 and A2 (the first is row 12)"
        ),
        "{e}"
    );
}

#[test]
fn submissions_for_deduct_leaves_parents_or_unknown_ids_are_errors() {
    let e = fails(&[
        (SUBS, "U3,A2,100%", "U3,A1,100%"),
        (SUBS, "U5,A2,67.5%", "U5,A,67.5%"),
        (SUBS, "U6,J1,1", "U6,Q7,1"),
    ]);
    assert!(
        e.contains(
            "row 8, column 指标代码 (unit U3): A1 uses rule deduct: it is scored from inspection records"
        ),
        "{e}"
    );
    assert!(
        e.contains("row 12, column 指标代码 (unit U5): A is a parent indicator"),
        "{e}"
    );
    assert!(
        e.contains("row 13, column 指标代码 (unit U6): unknown indicator id \"Q7\""),
        "{e}"
    );
}

#[test]
fn values_that_do_not_parse_for_their_rule_are_errors() {
    let e = fails(&[
        (SUBS, "U1,C2,2024-02-02", "U1,C2,2024-13-02"),
        (SUBS, "U3,C2,2024-02-10", "U3,C2,不涉及"),
    ]);
    assert!(
        e.contains("row 3, column 填报值 (unit U1, indicator C2): \"2024-13-02\" is not a date"),
        "{e}"
    );
    assert!(
        e.contains("row 9, column 填报值 (unit U3, indicator C2): 不涉及 is not allowed for C2"),
        "{e}"
    );
}

#[test]
fn a_rating_outside_the_scale_is_an_error() {
    let e = fails(&[("data/ratings.csv", "戊,U1,C1,10", "戊,U1,C1,11")]);
    assert!(
        e.contains(
            "data/ratings.csv: row 6, column score (unit U1, indicator C1): 11 is outside 0..=10 (the rating scale)"
        ),
        "{e}"
    );
}

#[test]
fn duplicate_unit_ids_names_or_aliases_are_errors() {
    let e = fails(&[("data/units.csv", "U6,市民政局,g2,", "U6,市民政局,g2,东湖")]);
    assert!(
        e.contains(
            "data/units.csv: row 7, column 单位名称: \"东湖\" already names unit U1 (row 2)"
        ),
        "{e}"
    );
    // A duplicated id is said as an id, in the id's column, once.
    let e = fails(&[("data/units.csv", "U6,市民政局", "U5,市民政局")]);
    assert!(
        e.contains("data/units.csv: row 7, column 单位编码: the unit id \"U5\" is given twice (row 6 has it)"),
        "{e}"
    );
    assert_eq!(e.matches("is given twice").count(), 1, "{e}");
    assert!(!e.contains("give the same file name"), "{e}");
}

#[test]
fn every_error_of_every_table_is_reported_in_one_run() {
    let e = fails(&[
        (INSP, "R1,东湖,", "R1,东胡区,"),
        (SUBS, "U1,C2,2024-02-02", "U1,C2,yesterday"),
        ("data/ratings.csv", "戊,U1,C1,10", "戊,U1,C1,11"),
        ("data/units.csv", "U2,西山区,g1", "U2,西山区,g9"),
    ]);
    assert!(e.contains("error: 4 error(s) in the inputs"), "{e}");
    for place in [
        "data/inspections.csv: row 2, column unit (issue I1)",
        "data/submissions.csv: row 3, column 填报值 (unit U1, indicator C2)",
        "data/ratings.csv: row ",
        "data/units.csv: row 3, column 分组",
    ] {
        assert!(e.contains(place), "{place} in {e}");
    }
}

#[test]
fn a_missing_required_column_or_table_is_named() {
    let e = fails(&[(
        "data/units.csv",
        "单位编码,单位名称,分组",
        "单位编码,单位名称,类别",
    )]);
    assert!(
        e.contains("data/units.csv: row 1: required column group (分组) is missing"),
        "{e}"
    );
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/units.csv")).unwrap();
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the table units (单位名单) is missing"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_invalid_indicator_system_exits_one_with_its_line() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "weight_percent = 5",
        "weight_percent = 3",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("indicators.toml: line 11, column 18: performance.weight_percent = 3: 政务公开 must carry at least 4%"), "{}", r.stderr);
    assert!(!w.exists("out"));
}

#[test]
fn nan_infinite_and_overflowing_numbers_in_the_indicator_system_are_errors() {
    for (value, says) in [
        (
            "nan",
            "\"points\" should be a number, such as 10 or 2.5 (without quotes); here it is nan",
        ),
        (
            "inf",
            "\"points\" should be a number, such as 10 or 2.5 (without quotes); here it is inf",
        ),
        (
            "-inf",
            "\"points\" should be a number, such as 10 or 2.5 (without quotes); here it is -inf",
        ),
        ("1e400", "floating-point number overflowed"),
    ] {
        let w = Workdir::with_fixture("hand");
        // The first `points = 20` is A1's, on line 43.
        w.edit(
            "indicators.toml",
            "points = 20",
            &format!("points = {value}"),
        );
        let r = w.run(&[]);
        assert_eq!(r.code, 1, "{value}: {}", r.stderr);
        let place = "indicators.toml: line 43, column 10: ";
        assert!(r.stderr.contains(place), "{value}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{value}: {}", r.stderr);
        assert!(!w.exists("out"));
    }
}

#[test]
fn nan_and_infinity_in_a_table_are_not_numbers() {
    let e = fails(&[
        (SUBS, "U5,A2,67.5%", "U5,A2,NaN"),
        (INSP, "I1,10,", "I1,inf,"),
    ]);
    assert!(
        e.contains("row 10, column count (unit U6, issue I1): \"inf\" is not a plain number"),
        "{e}"
    );
    assert!(
        e.contains("row 12, column 填报值 (unit U5, indicator A2): \"NaN\" is not a plain number"),
        "{e}"
    );
}

/// An edit of the hand fixture's indicator system must fail with exit 1,
/// name the line and say what is wrong, and write nothing.
fn toml_fails(from: &str, to: &str) -> String {
    let w = Workdir::with_fixture("hand");
    w.edit("indicators.toml", from, to);
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{to}: {}", r.stderr);
    assert!(!w.exists("out"), "{to}: nothing is written");
    r.stderr
}

#[test]
fn a_broken_indicator_tree_is_named_at_its_line() {
    let own = toml_fails(
        "parent = \"A\"\nname = \"文件公开\"",
        "parent = \"A1\"\nname = \"文件公开\"",
    );
    assert!(
        own.contains("indicators.toml: line 39, column 1: indicator A1: it is its own parent"),
        "{own}"
    );
    let missing = toml_fails(
        "parent = \"A\"\nname = \"文件公开\"",
        "parent = \"Z9\"\nname = \"文件公开\"",
    );
    assert!(
        missing.contains("indicator A1: parent \"Z9\" does not exist"),
        "{missing}"
    );
    let cycle = toml_fails(
        "id = \"A\"\nname = \"主动公开\"",
        "id = \"A\"\nparent = \"A1\"\nname = \"主动公开\"",
    );
    assert!(cycle.contains("parent cycle"), "{cycle}");
    let issue = toml_fails(
        "indicator = \"A1\"\ndeduct = 2",
        "indicator = \"A\"\ndeduct = 2",
    );
    assert!(issue.contains("issue I1"), "{issue}");
}

#[test]
fn thousands_separators_and_full_width_digits_are_named_with_a_hint() {
    let e = fails(&[
        (SUBS, "U5,A2,67.5%", "U5,A2,\"1,234.5\""),
        (INSP, "I1,10,", "I1,１０,"),
    ]);
    assert!(e.contains("data/submissions.csv: row 12, column 填报值 (unit U5, indicator A2): \"1,234.5\" is not a plain number: write it without thousands separators (1234.5)"), "{e}");
    assert!(e.contains("data/inspections.csv: row 10, column count (unit U6, issue I1): \"１０\" is not a plain number (expected e.g. 85, 85.5 or 50%, in half-width characters)"), "{e}");
}

#[test]
fn a_ragged_row_is_named_with_its_field_count() {
    let e = fails(&[(
        INSP,
        "R2,U1,2023/4/1,网站检查,I2,,",
        "R2,U1,2023/4/1,网站检查,I2,,,多余",
    )]);
    assert!(e.contains("data/inspections.csv: row 3: 8 fields, but the header has 7; quote a value that contains a comma"), "{e}");
}

#[test]
fn a_quote_never_closed_is_named_at_its_row_without_echoing_the_file() {
    // A quote opening R3's note swallows rows 4 to the end into one value;
    // the "" inside R2's quoted note is an escaped quote, not a close.
    let e = fails(&[
        (
            INSP,
            "R2,U1,2023/4/1,网站检查,I2,,",
            "R2,U1,2023/4/1,网站检查,I2,,\"说\"\"明\"",
        ),
        (
            INSP,
            "R3,东 湖 区,2023.5.1,新媒体抽查,I3,2,",
            "R3,东 湖 区,2023.5.1,新媒体抽查,I3,2,\"漏",
        ),
    ]);
    assert!(
        e.contains("data/inspections.csv: row 4: a double quote (\") in this row is never closed"),
        "{e}"
    );
    assert!(!e.contains("R5"), "the rows after it are not echoed: {e}");
}

#[test]
fn a_header_written_twice_is_an_error_in_the_officers_words() {
    // polars renames the second 单位名称 to "单位名称_duplicated_0"; the
    // officer wrote 单位名称 twice and must hear that, not be warned of a column
    // nobody wrote.
    let e = fails(&[("data/units.csv", "单位名称,分组", "单位名称,单位名称,分组")]);
    assert!(
        e.contains("data/units.csv: row 1, column 单位名称: column name (单位名称) appears twice"),
        "{e}"
    );
    assert!(!e.contains("duplicated"), "{e}");
}

/// UTF-16 code units of `text`, little-endian, without a byte-order mark.
fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

#[test]
fn a_file_in_an_encoding_not_read_is_one_error_about_the_file() {
    // Each of these used to give every row's follow-on error and no word
    // about the encoding. UTF-16 without its mark, UTF-32, old Mac line ends,
    // and GBK cut short in a character (its lone lead byte on row 3).
    let w = Workdir::with_fixture("hand");
    let units = w.read("data/units.csv");
    w.write("data/units.csv", utf16le(&units));
    let inspections = w.read(INSP);
    w.write(INSP, inspections.replace('\n', "\r"));
    let subs = w.read(SUBS);
    let mut gbk: Vec<u8> = subs.lines().take(2).flat_map(gbk_line).collect();
    gbk.extend_from_slice(b"U1,A1,\xB6\n");
    w.write(SUBS, gbk);
    w.write("data/ratings.csv", b"\xFF\xFE\0\0a\0\0\0".as_slice());
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!w.exists("out"), "nothing is written");
    let e = r.stderr;
    assert!(e.contains("4 error(s) in the inputs:"), "{e}");
    assert!(
        e.contains("data/units.csv: the file looks like UTF-16 without its byte-order mark"),
        "{e}"
    );
    assert!(
        e.contains("data/inspections.csv: the file's lines end in a carriage return alone"),
        "{e}"
    );
    assert!(e.contains("data/submissions.csv: line 3: the file is not UTF-8, and read as GBK/GB18030 this line has bytes"), "{e}");
    assert!(e.contains("data/ratings.csv: the file is in UTF-32"), "{e}");
}

/// A line as GBK would save it: the fixture's Chinese in GB18030 bytes.
fn gbk_line(line: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::GB18030.encode(line);
    let mut bytes = bytes.into_owned();
    bytes.push(b'\n');
    bytes
}

#[test]
fn an_empty_file_or_an_empty_roster_is_an_error() {
    let w = Workdir::with_fixture("hand");
    w.write("data/units.csv", "");
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("data/units.csv: the file is empty; expected a header row"),
        "{}",
        r.stderr
    );
    w.write("data/units.csv", "单位编码,单位名称,分组,别名\n");
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("data/units.csv: row 2: the roster lists no units"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_column_is_a_warning() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/inspections.csv",
        "id,unit,date,source,issue,count,note",
        "id,unit,date,source,issue,count,note,备注2",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: data/inspections.csv: column \"备注2\" is not used"),
        "{}",
        r.stderr
    );
}

#[test]
fn records_dated_outside_the_year_are_errors_naming_row_unit_and_date() {
    let w = Workdir::with_fixture("hand");
    // R6 in the previous year (a December check of 2022), R2 in January
    // of the next: both errors, reported together; nothing written.
    w.edit(
        "data/inspections.csv",
        "R6,教育局,2023-03-02",
        "R6,教育局,2022-12-28",
    );
    w.edit("data/inspections.csv", "R2,U1,2023/4/1", "R2,U1,2024/1/15");
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("2 error(s)"), "{}", r.stderr);
    assert!(
        r.stderr.contains("data/inspections.csv: row 7, column date (unit 教育局, issue I1): dated 2022-12-28, outside the assessment's window 2023-01-01 to 2023-12-31"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("row 3, column date (unit U1, issue I2): dated 2024-01-15"),
        "{}",
        r.stderr
    );
    assert!(!w.exists("out"), "nothing written");
    // January's year-end checks are allowed by records_until; the
    // previous year's record stays an error.
    w.edit(
        "indicators.toml",
        "year = 2023\n",
        "year = 2023\nrecords_until = 2024-01-31\n",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("1 error(s)") && r.stderr.contains("2022-12-28"),
        "{}",
        r.stderr
    );
    w.edit(
        "data/inspections.csv",
        "R6,教育局,2022-12-28",
        "R6,教育局,2023-03-02",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn records_until_outside_the_next_year_is_an_indicator_file_error() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "year = 2023\n",
        "year = 2023\nrecords_until = 2025-01-31\n",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("assessment.records_until = 2025-01-31: expected a date from 31 December 2023 to 31 December of the next year"),
        "{}",
        r.stderr
    );
    assert!(!w.exists("out"));
}

#[test]
fn quoted_newlines_and_commas_inside_values_are_read() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/inspections.csv",
        "R5,南城区,2023-07-01,年度考核,P1,1,迟报",
        "R5,南城区,2023-07-01,年度考核,P1,1,\"迟报,\n两次\"",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.read("out/breakdown.csv").contains("\"迟报,\n两次\""));
}

#[test]
fn a_table_too_large_to_score_is_refused_before_it_is_read() {
    let w = Workdir::with_fixture("hand");
    // A sparse file: 1.1 GB long, nothing on disk.
    let f = std::fs::File::create(w.path().join("data/ratings.csv")).unwrap();
    f.set_len(1100 << 20).unwrap();
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "data/ratings.csv: the file is 1100 MB; zwgk reads at most 1024 MB per table"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_zip_bomb_workbook_is_refused_before_it_is_inflated() {
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/ratings.csv")).unwrap();
    let bomb = crate::harness::fixture("bombs").join("zip-bomb.xlsx");
    std::fs::copy(bomb, w.path().join("data/ratings.xlsx")).unwrap();
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "data/ratings.xlsx: the workbook would unpack to 600 MB (a zip bomb?); zwgk unpacks at most 512 MB"
        ),
        "{}",
        r.stderr
    );
    assert!(!w.exists("out"));
}

/// Inputs the fuzzers found interesting (`fuzz/regressions/`, a sample of
/// their corpora): each must give a result or diagnostics, never a panic.
#[test]
fn fuzzer_found_inputs_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(root.join("toml")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = zwgk::config::System::parse(text, "fuzz.toml");
        }
        seen += 1;
    }
    let spec = [
        zwgk::ingest::table::col("unit", "单位", true),
        zwgk::ingest::table::col("value", "填报值", false),
    ];
    for entry in std::fs::read_dir(root.join("csv")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut warnings = Vec::new();
        if let Ok(t) = zwgk::ingest::delimited::read_csv("fuzz.csv", &bytes, &spec, &mut warnings) {
            for c in t.column("value").into_iter().flatten().flatten() {
                let _ = zwgk::ingest::values::parse_decimal(c);
            }
        }
        seen += 1;
    }
    let known = ["unit".to_string(), "单位".to_string()];
    for entry in std::fs::read_dir(root.join("xlsx")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(names) = zwgk::ingest::xlsx::sheet_names("fuzz.xlsx", &bytes) {
            for name in &names {
                let _ = zwgk::ingest::xlsx::read_sheet("fuzz.xlsx", &bytes, Some(name), &known);
            }
        }
        let _ = zwgk::ingest::xlsx::read_sheet("fuzz.xlsx", &bytes, None, &known);
        seen += 1;
    }
    // Whole inspections tables, ingested against the hand fixture's
    // system and roster (the `inspections` fuzz target).
    let w = Workdir::with_fixture("hand");
    let system = zwgk::config::System::load(&w.path().join("indicators.toml")).unwrap();
    for entry in std::fs::read_dir(root.join("inspections")).unwrap() {
        w.write(
            "data/inspections.csv",
            std::fs::read(entry.unwrap().path()).unwrap(),
        );
        let _ = zwgk::ingest::load(&system, &w.path().join("data"), &Default::default());
        seen += 1;
    }
    // results.json read back (compare, combine) and returned forms
    // (collect) against the demo's system and three of its units.
    for entry in std::fs::read_dir(root.join("results")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let _ = zwgk::ingest::results::parse("fuzz.json", &bytes);
        seen += 1;
    }
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/demo.toml");
    let system = zwgk::config::System::load(&demo).unwrap();
    let unit = |id: &str, name: &str, group: usize| zwgk::ingest::Unit {
        id: id.into(),
        name: name.into(),
        group,
        aliases: Vec::new(),
    };
    let inputs = zwgk::ingest::Inputs {
        units: vec![
            unit("X01", "东湖区", 0),
            unit("Y01", "综合保税区", 1),
            unit("Z01", "市发展和改革委员会", 2),
        ],
        ..Default::default()
    };
    for entry in std::fs::read_dir(root.join("forms")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let _ = zwgk::forms::collect::check_form_bytes(&system, &inputs, bytes);
        seen += 1;
    }
    assert!(seen >= 110, "the regression inputs are there ({seen})");
}

#[test]
fn a_bom_inside_a_file_or_mixed_encodings_give_named_errors_not_guesses() {
    // A BOM pasted into the middle of a cell: the name no longer matches.
    let e = fails(&[(INSP, "R6,教育局,", "R6,\u{feff}教育局,")]);
    assert!(
        e.contains("data/inspections.csv: row 7, column unit (issue I1): unknown unit"),
        "{e}"
    );
    // A UTF-8 file with one line pasted from a GBK file: named by its line.
    let w = Workdir::with_fixture("hand");
    let mut bytes = std::fs::read(w.path().join("data/units.csv")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("U7,市商务局,g2,\n");
    bytes.extend_from_slice(&gbk);
    w.write("data/units.csv", bytes);
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "data/units.csv: line 8: the file starts as UTF-8 but this line is in another encoding"
        ),
        "{}",
        r.stderr
    );
    assert!(!w.exists("out"));
}

#[test]
fn a_wrong_cell_is_reported_at_every_row_it_occurs_in_in_row_order() {
    // Each distinct cell is resolved once, but every row that has it is
    // named: 东胡区 at rows 2 and 9, an impossible date at row 5.
    let e = fails(&[
        (INSP, "R1,东湖,", "R1,东胡区,"),
        (INSP, "R8,U5,", "R8,东胡区,"),
        (INSP, "2023年6月1日", "2023-13-45"),
    ]);
    let at = |needle: &str| e.find(needle).unwrap_or_else(|| panic!("{needle} in {e}"));
    let (row2, row5, row9) = (
        at("row 2, column unit (issue I1): unknown unit \"东胡区\""),
        at("row 5, column date (unit 南城区, issue V1):"),
        at("row 9, column unit (issue I3): unknown unit \"东胡区\""),
    );
    assert!(row2 < row5 && row5 < row9, "{e}");
    assert_eq!(e.matches("unknown unit").count(), 2, "{e}");
}

/// Text pasted from Word carries control characters (`\x0b` a line break,
/// `\x0c` a page break), and a hostile cell ESC sequences: no document may
/// carry them (a .docx with one does not open) and no terminal may obey
/// them.
#[test]
fn control_characters_are_removed_from_documents_and_escaped_on_the_terminal() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/inspections.csv",
        "R5,南城区,2023-07-01,年度考核,P1,1,迟报",
        "R5,南城区,2023-07-01,年度考核,P1,1,迟报\u{b}第二段\u{c}\u{1}",
    );
    w.edit("data/units.csv", "U3,南城区", "U3,南\u{1b}城区\u{7}");
    let r = w.run_with_charts(&["--feedback"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("data/inspections.csv: row 6, column note (unit 南城区, issue P1): holds control characters (usually pasted from Word), removed in the reports"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("data/units.csv: row 4, column 单位名称: holds the control character(s) \\u{1b} \\u{7} (usually pasted from Word), removed in the reports"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains('\u{1b}'),
        "nothing raw reaches the terminal"
    );
    // Every XML document and text output is free of them, and the note
    // keeps its words.
    for f in [
        "notice.docx",
        "feedback/U3.docx",
        "feedback.xlsx",
        "scores.xlsx",
        "breakdown.xlsx",
    ] {
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(w.path().join("out").join(f)).unwrap())
                .unwrap();
        for k in 0..zip.len() {
            let mut part = zip.by_index(k).unwrap();
            if !part.name().unwrap().ends_with(".xml") {
                continue; // pictures are binary
            }
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
            assert!(
                !bytes
                    .iter()
                    .any(|&b| matches!(b, 0x01 | 0x07 | 0x0b | 0x0c | 0x1b)),
                "{f}: {}",
                part.name().unwrap()
            );
        }
    }
    for f in [
        "notice.html",
        "notice.md",
        "breakdown.csv",
        "results.json",
        "charts/rank-g1.svg",
    ] {
        let text = w.read(&format!("out/{f}"));
        assert!(
            !text.contains(['\u{1}', '\u{7}', '\u{b}', '\u{c}', '\u{1b}']),
            "{f}"
        );
    }
    assert!(w.read("out/breakdown.csv").contains("迟报第二段"));
    // explain prints the cleaned name; an error echoing a hostile cell
    // shows it escaped.
    let r = w.zwgk(&[
        "explain",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "U3",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("南城区 (U3)") && !r.stdout.contains('\u{1b}'),
        "{}",
        r.stdout
    );
    w.edit("data/inspections.csv", "R5,南城区,", "R5,西\u{1b}[2J区,");
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown unit \"西\\u{1b}[2J区\""),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains('\u{1b}'));
}

#[test]
fn a_control_character_in_an_id_is_an_error_at_its_cell() {
    let w = Workdir::with_fixture("hand");
    w.edit("data/inspections.csv", "R5,南城区", "R\u{b}5,南城区");
    w.edit("data/units.csv", "U4,市教育局", "U\u{c}4,市教育局");
    let r = w.run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("2 error(s)"),
        "one error a cause: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("data/units.csv: row 5, column 单位编码: the id \"U4\" holds the control character(s) \\u{c}"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("row 6, column id")
            && r.stderr
                .contains("the record id \"R5\" holds the control character(s) \\u{b}"),
        "{}",
        r.stderr
    );
    assert!(!w.exists("out"));
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_or_a_folder_named_as_a_table_is_an_error_not_a_hang() {
    let w = Workdir::with_fixture("hand");
    let fifo = w.path().join("data/appeals.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", w.path().join("data/检查结果说明.parquet")).unwrap();
    std::fs::create_dir(w.path().join("data/评分.xlsx")).unwrap();
    std::fs::remove_file(w.path().join("data/ratings.csv")).unwrap();
    let r = w.zwgk(&["check", "--indicators", "indicators.toml", "--data", "data"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("data/appeals.csv: is named as the appeals (申诉复核) table but is not a regular file (a named pipe (FIFO))"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("data/评分.xlsx: is named as the ratings (评分) table but is not a regular file (a folder)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("2 error(s)"),
        "the missing table is not said again: {}",
        r.stderr
    );
    // Not named as a table: listed as not read, and never read.
    std::fs::remove_file(&fifo).unwrap();
    std::fs::remove_dir(w.path().join("data/评分.xlsx")).unwrap();
    w.write("data/ratings.csv", "rater,unit,indicator,score\n");
    let r = w.zwgk(&["check", "--indicators", "indicators.toml", "--data", "data"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("检查结果说明.parquet (not a regular file (a device))"),
        "{}",
        r.stderr
    );
    // An indicator system that is a FIFO is refused without reading it.
    let toml = w.path().join("pipe.toml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&toml)
        .status()
        .unwrap()
        .success());
    let r = w.zwgk(&["check", "--indicators", "pipe.toml", "--data", "data"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is not a regular file"), "{}", r.stderr);
}
