//! The inspection records read in batches: whatever the size of a batch
//! (`ZWGK_BATCH_BYTES` for CSV, `ZWGK_BATCH_ROWS` for Parquet), a run gives
//! the same files, and a problem in a later batch is reported at its row of
//! the whole file, with the others, as when the file is read in one piece.

use crate::harness::{run_args, Workdir};
use std::path::Path;

/// The files a run writes that depend on every record.
const OUTPUTS: [&str; 5] = [
    "results.json",
    "scores.csv",
    "breakdown.csv",
    "run.log",
    "notice.md",
];

fn assert_same_outputs(w: &Workdir, a: &str, b: &str) {
    for f in OUTPUTS {
        let (x, y) = (w.read(&format!("{a}/{f}")), w.read(&format!("{b}/{f}")));
        assert!(x == y, "{f} differs between {a} and {b}");
    }
}

#[test]
fn messy_gb18030_records_in_small_pieces_score_as_in_one() {
    let w = Workdir::new();
    w.generate(150, 3000, &["--seed", "11", "--messy"], "gen");
    let args = run_args("gen/indicators.toml", "gen/data", "whole");
    let whole = w.zwgk(&args);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    // 3000 records of GB18030 in pieces of 1,000 bytes: pieces end inside
    // two-byte characters and the records span some 200 batches.
    let args = run_args("gen/indicators.toml", "gen/data", "pieces");
    let pieces = w.zwgk_with_env(&args, &[("ZWGK_BATCH_BYTES", "1000")]);
    assert_eq!(pieces.code, 0, "{}", pieces.stderr);
    assert_same_outputs(&w, "whole", "pieces");
}

#[test]
fn a_period_run_with_appeals_in_small_pieces_scores_as_in_one() {
    let w = Workdir::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = |from: &str, to: &str| w.write(to, std::fs::read(root.join(from)).unwrap());
    copy("indicators/demo.toml", "demo.toml");
    for t in zwgk::ingest::sources::TableId::ALL.map(|t| t.id()) {
        copy(&format!("data/demo/{t}.csv"), &format!("data/{t}.csv"));
    }
    for period in ["Q2", "Q4"] {
        let mut args = run_args("demo.toml", "data", "whole");
        args.extend(["--period", period, "--force"]);
        let whole = w.zwgk(&args);
        assert_eq!(whole.code, 0, "{}", whole.stderr);
        args[6] = "pieces";
        let pieces = w.zwgk_with_env(&args, &[("ZWGK_BATCH_BYTES", "300")]);
        assert_eq!(pieces.code, 0, "{}", pieces.stderr);
        assert_same_outputs(&w, "whole", "pieces");
        assert_eq!(
            whole
                .stdout
                .replace("reports in whole", "reports in pieces"),
            pieces.stdout,
            "the left-out records and the appeals"
        );
    }
}

#[test]
fn problems_in_later_batches_are_reported_at_their_rows() {
    let w = Workdir::with_fixture("hand");
    let csv = "data/inspections.csv";
    let mut text = w.read(csv);
    // Rows 12 to 15 of the file, each in a later batch of 64 bytes.
    text.push_str("R12,东胡区,2023-03-02,网站检查,I1,1,\n");
    text.push_str("R1,U5,2023-03-02,网站检查,I2,1,\n");
    text.push_str("R14,U5,2023-13-02,网站检查,I2,1,\n");
    text.push_str("R15,U5,2023-03-02,网站检查,I2,-1,\n");
    w.write(csv, text);
    let args = run_args("indicators.toml", "data", "out");
    let whole = w.zwgk(&args);
    let pieces = w.zwgk_with_env(&args, &[("ZWGK_BATCH_BYTES", "64")]);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    assert_eq!(pieces.code, 1);
    assert_eq!(whole.stderr, pieces.stderr);
    let e = &pieces.stderr;
    assert!(e.contains("4 error(s)"), "{e}");
    for expected in [
        "row 12, column unit (issue I1): unknown unit \"东胡区\"",
        "row 13, column id (unit U5, issue I2): record id \"R1\" is already used in row 2",
        "row 14, column date (unit U5, issue I2):",
        "row 15, column count (unit U5, issue I2): -1 is negative",
    ] {
        assert!(e.contains(expected), "{expected}\n{e}");
    }
    assert!(!w.exists("out"), "nothing is written");
}

#[test]
fn a_gbk_line_in_a_later_piece_of_a_utf8_file_is_named_at_its_line() {
    let w = Workdir::with_fixture("hand");
    let csv = "data/inspections.csv";
    let mut bytes = w.read(csv).into_bytes();
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    bytes.extend_from_slice(
        &encoding_rs::GBK
            .encode("R99,东湖区,2023-03-02,网站检查,I1,1,\n")
            .0,
    );
    w.write(csv, bytes);
    let args = run_args("indicators.toml", "data", "out");
    let line = format!(
        "data/inspections.csv: line {}: the file starts as UTF-8",
        lines + 1
    );
    let whole = w.refused(&args, 1, &[&line]);
    let pieces = w.zwgk_with_env(&args, &[("ZWGK_BATCH_BYTES", "64")]);
    assert_eq!(pieces.code, 1);
    assert_eq!(whole, pieces.stderr);
    assert!(!w.exists("out"));
}

#[test]
fn a_quoted_note_across_a_piece_end_stays_one_record() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/inspections.csv",
        "R5,南城区,2023-07-01,年度考核,P1,1,迟报",
        "R5,南城区,2023-07-01,年度考核,P1,1,\"迟报，\n见附件\"",
    );
    let args = run_args("indicators.toml", "data", "whole");
    let whole = w.zwgk(&args);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let mut args = args;
    args[6] = "pieces";
    let pieces = w.zwgk_with_env(&args, &[("ZWGK_BATCH_BYTES", "16")]);
    assert_eq!(pieces.code, 0, "{}", pieces.stderr);
    assert_same_outputs(&w, "whole", "pieces");
    assert!(w.read("pieces/breakdown.csv").contains("迟报，\n见附件"));
}
