//! Parquet input, as a data warehouse exports it: the same tables as Parquet
//! (typed columns: integers, floats, dates) give the same results as CSV.

use crate::harness::{fixture, run_args, Workdir};
use polars::prelude::*;
use std::io::Cursor;
use std::path::Path;

const TABLES: [&str; 6] = [
    "units",
    "inspections",
    "submissions",
    "ratings",
    "duties",
    "appeals",
];

/// Converts `from/NAME.csv` to `to/NAME.parquet`, letting polars infer the
/// column types (and dates) as a warehouse export would have them.
fn csv_to_parquet(from: &Path, to: &Path, name: &str) {
    csv_to_parquet_in_groups(from, to, name, None)
}

/// [`csv_to_parquet`] in row groups of at most `rows` rows.
fn csv_to_parquet_in_groups(from: &Path, to: &Path, name: &str, rows: Option<usize>) {
    let bytes = std::fs::read(from.join(format!("{name}.csv"))).unwrap();
    let text = zwgk::ingest::table::to_utf8(&bytes).unwrap().into_owned();
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .with_parse_options(CsvParseOptions::default().with_try_parse_dates(true))
        .into_reader_with_file_handle(Cursor::new(text.into_bytes()))
        .finish()
        .unwrap();
    std::fs::create_dir_all(to).unwrap();
    let mut file = std::fs::File::create(to.join(format!("{name}.parquet"))).unwrap();
    ParquetWriter::new(&mut file)
        .with_row_group_size(rows)
        .finish(&mut df)
        .unwrap();
}

#[test]
fn parquet_tables_give_the_hand_worked_results() {
    let w = Workdir::new();
    w.write(
        "indicators.toml",
        std::fs::read(fixture("hand/indicators.toml")).unwrap(),
    );
    // The hand fixture has no appeals.
    for t in &TABLES[..5] {
        csv_to_parquet(&fixture("hand/data"), &w.path().join("data"), t);
    }
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = std::fs::read_to_string(fixture("hand/expected/results.json")).unwrap();
    assert_eq!(w.read("out/results.json"), expected);
}

#[test]
fn a_generated_assessment_scores_the_same_from_csv_and_parquet() {
    let w = Workdir::new();
    w.generate(300, 5000, &["--seed", "3"], "gen");
    for t in TABLES {
        csv_to_parquet(&w.path().join("gen/data"), &w.path().join("pq"), t);
    }
    let csv = w.zwgk(&[
        "run",
        "--indicators",
        "gen/indicators.toml",
        "--data",
        "gen/data",
        "--out",
        "a",
        "--no-charts",
        "--notice-date",
        "2024-03-01",
    ]);
    let pq = w.zwgk(&[
        "run",
        "--indicators",
        "gen/indicators.toml",
        "--data",
        "pq",
        "--out",
        "b",
        "--no-charts",
        "--notice-date",
        "2024-03-01",
    ]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert_eq!(pq.code, 0, "{}", pq.stderr);
    assert_eq!(w.read("a/results.json"), w.read("b/results.json"));
    assert_eq!(w.read("a/scores.csv"), w.read("b/scores.csv"));
}

#[test]
fn parquet_records_read_by_row_groups_score_as_csv() {
    let w = Workdir::new();
    w.generate(120, 2500, &["--seed", "4"], "gen");
    for t in TABLES {
        // Row groups of 300 records, read 700 rows at a time: batches of
        // three groups, the last one short.
        let groups = (t == "inspections").then_some(300);
        csv_to_parquet_in_groups(&w.path().join("gen/data"), &w.path().join("pq"), t, groups);
    }
    let run = |data: &str, out: &str| {
        let args = run_args("gen/indicators.toml", data, out);
        let r = w.zwgk_with_env(&args, &[("ZWGK_BATCH_ROWS", "700")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    run("gen/data", "a");
    run("pq", "b");
    for f in ["results.json", "scores.csv", "breakdown.csv"] {
        assert!(
            w.read(&format!("a/{f}")) == w.read(&format!("b/{f}")),
            "{f}"
        );
    }
}

#[test]
fn a_problem_in_a_later_row_group_is_reported_at_its_row() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/inspections.csv",
        "R9,U6,2023-03-02,网站检查,I1,10,",
        "R9,U6,2023-03-02,网站检查,I9,10,",
    );
    csv_to_parquet_in_groups(
        &w.path().join("data"),
        &w.path().join("data"),
        "inspections",
        Some(2),
    );
    std::fs::remove_file(w.path().join("data/inspections.csv")).unwrap();
    let r = w.run_with_env(&[], "ZWGK_BATCH_ROWS", "1");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "data/inspections.parquet: row 10, column issue (unit U6): unknown issue code \"I9\""
        ),
        "{}",
        r.stderr
    );
}
