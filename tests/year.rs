//! The assessment year (SPEC §10): periods scored on their own, appeals
//! decided before scoring. Figures worked by hand from the hand fixture
//! (`tests/fixtures/hand/expected/README.md` has the annual ones).

use crate::harness::{unit_result, Workdir};

/// The hand fixture with a period P from 2 March to 1 April 2023 (and a
/// second period Q after it), and a record R11 of 东湖区 dated 2 April,
/// the day after P.
fn with_periods() -> Workdir {
    let w = Workdir::with_fixture("hand");
    let toml = w.read("indicators.toml");
    w.write(
        "indicators.toml",
        format!(
            "{toml}\n[[period]]\nid = \"P\"\nname = \"第一期\"\nfrom = 2023-03-02\nto = 2023-04-01\n\n\
             [[period]]\nid = \"Q\"\nname = \"第二期\"\nfrom = 2023-04-02\nto = 2023-12-31\n"
        ),
    );
    let records = w.read("data/inspections.csv");
    w.write(
        "data/inspections.csv",
        format!("{records}R11,U1,2023-04-02,网站检查,I1,1,\n"),
    );
    w
}

fn results(w: &Workdir, dir: &str) -> serde_json::Value {
    serde_json::from_str(&w.read(&format!("{dir}/results.json"))).unwrap()
}

/// In P: R6–R10 (2 March, its first day) and R2 (1 April, its last day)
/// count; R1 (1 March, the day before), R11 (2 April, the day after), R3,
/// R4 and R5 do not. 东湖区 keeps A1 20 (R1 ×2 and R11 left out), loses 5
/// on B1 (R2), keeps B2 10 (R3 left out): A 20 + 10, B 25, C 25.5 → base
/// 80.5, J1 +2 → 82.50. The whole year (R11 counted: A1 20 − 4 − 2 = 14)
/// gives 74.5 − 2 = 72.50.
#[test]
fn a_period_counts_the_records_dated_inside_it_both_ends_included() {
    let w = with_periods();
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--period",
        "P",
        "--no-charts",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("period: P 第一期 (2023-03-02 to 2023-04-01); left out: 5 records"),
        "{}",
        r.stdout
    );
    // The default directory is named by the period.
    let p = results(&w, "reports/indicators-P");
    assert_eq!(
        p["assessment"]["period"],
        serde_json::json!({"id": "P", "name": "第一期", "from": "2023-03-02", "to": "2023-04-01"})
    );
    let u1 = unit_result(&p, "U1");
    assert_eq!(u1["indicators"]["A1"], "20.00");
    assert_eq!(u1["indicators"]["B1"], "15.00");
    assert_eq!(u1["indicators"]["B2"], "10.00");
    assert_eq!(u1["total"], "82.50");
    // 南城区's veto record R4 (1 June) is not in P: no veto there.
    assert_eq!(unit_result(&p, "U3")["vetoed"], false);
    let notice = w.read("reports/indicators-P/notice.md");
    assert!(notice.contains("（2023年第一期）"), "{notice}");
    assert!(
        notice
            .contains("对6个单位2023年第一期（2023年3月2日至2023年4月1日）政务公开工作进行了考核"),
        "{notice}"
    );
    assert!(w
        .read("reports/indicators-P/run.log")
        .contains("left out: 5 records"));

    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let year = results(&w, "out");
    assert!(year["assessment"].get("period").is_none());
    assert_eq!(unit_result(&year, "U1")["indicators"]["A1"], "14.00");
    assert_eq!(unit_result(&year, "U1")["total"], "72.50");
}

/// A submission marked with a period counts only in that period's run:
/// 市民政局's A2 of 100% in P gives it A2 20; in P its records are R9 (A1
/// −20 → 0) and R10 (B1 −5): A 20, B 25, base 45 × 100/70 = 64.2857 → 64.29,
/// now above the bonus gate 60, so J1 +1 → 65.29. In the year's run the row
/// does not count: 35.71 as before.
#[test]
fn a_period_submission_counts_only_in_its_period() {
    let w = with_periods();
    let subs = w.read("data/submissions.csv");
    let mut lines: Vec<String> = subs.lines().map(|l| format!("{l},")).collect();
    lines[0] = "单位,指标代码,填报值,审核状态,佐证材料,考核期".into();
    lines.push("U6,A2,100%,通过,,P".into());
    w.write("data/submissions.csv", lines.join("\n") + "\n");

    let r = w.run(&["--no-charts", "--period", "P"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let u6 = unit_result(&results(&w, "out"), "U6");
    assert_eq!(u6["indicators"]["A2"], "20.00");
    assert_eq!(u6["bonus"], "1.00");
    assert_eq!(u6["total"], "65.29");

    let r = w.run(&["--no-charts", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(unit_result(&results(&w, "out"), "U6")["total"], "35.71");
    assert!(
        w.read("out/run.log").contains(
            "1 submission and 0 rating rows marked with a period count only in that period's run"
        ),
        "{}",
        w.read("out/run.log")
    );

    // In Q the row belongs elsewhere; an unknown period is an error naming
    // the periods.
    let r = w.run(&["--no-charts", "--force", "--period", "Q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("1 submission and 0 rating rows of other periods"),
        "{}",
        r.stdout
    );
    w.write(
        "data/submissions.csv",
        w.read("data/submissions.csv").replace(",,P\n", ",,Q3\n"),
    );
    w.run_refused(
        &["--no-charts", "--force"],
        1,
        &[
            "data/submissions.csv: row 14, column 考核期 (unit U6, indicator A2)",
            "\"Q3\" is not a period id; expected one of P, Q",
        ],
    );
}

/// A period run needs every record's date; an unknown --period is wrong
/// usage.
#[test]
fn a_period_run_refuses_undated_records_and_unknown_periods() {
    let w = with_periods();
    w.edit("data/inspections.csv", "R6,教育局,2023-03-02", "R6,教育局,");
    w.run_refused(
        &["--no-charts", "--period", "P"],
        1,
        &[
            "data/inspections.csv: row 7, column date (unit 教育局",
            "a period run (P) needs every record's date",
        ],
    );
    // Without a period the undated record counts as before.
    assert_eq!(w.run(&["--no-charts"]).code, 0);
    w.run_refused(
        &["--no-charts", "--force", "--period", "Q9"],
        2,
        &["--period Q9: not a period id; the indicator system defines P, Q"],
    );
}

/// Each decision, by hand on the annual figures:
/// - R1 (东湖区 I1 ×2) revoked: A1 20 → total 74.5 + 4 = 78.50;
/// - R9 (市民政局 I1 ×10) changed to 2: A1 20 − 4 = 16, base (16 + 25) ×
///   100/70 = 58.57, under the bonus gate: 58.57;
/// - R10 upheld: B1 15 as before;
/// - R4 (南城区's veto record) revoked: no veto, base 83.5 − penalty 1.5 =
///   82.00, 良好 instead of the last grade; 县 ranks 西山区 100, 南城区 82,
///   东湖区 78.5.
#[test]
fn appeals_are_decided_before_scoring_and_shown_beside_their_records() {
    let w = Workdir::with_fixture("hand");
    w.write(
        "data/申诉复核.csv",
        "记录编号,复核结果,数量,理由,单位\n\
         R1,撤销,,链接在检查前已恢复,东湖区\n\
         R9,改为,2,重复计数,\n\
         R10,维持,,问题属实,U6\n\
         R4,撤销,,误报,南城区\n",
    );
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("appeals: 4 decided, 1 upheld, 2 revoked, 1 changed"),
        "{}",
        r.stdout
    );
    let res = results(&w, "out");
    assert_eq!(
        res["assessment"]["appeals"],
        serde_json::json!({"upheld": 1, "revoked": 2, "changed": 1})
    );
    let u1 = unit_result(&res, "U1");
    assert_eq!(
        (u1["indicators"]["A1"].as_str(), u1["total"].as_str()),
        (Some("20.00"), Some("78.50"))
    );
    let u6 = unit_result(&res, "U6");
    assert_eq!(
        (u6["indicators"]["A1"].as_str(), u6["total"].as_str()),
        (Some("16.00"), Some("58.57"))
    );
    assert_eq!(u6["indicators"]["B1"], "15.00");
    let u3 = unit_result(&res, "U3");
    assert_eq!(
        (
            u3["total"].as_str(),
            u3["grade"].as_str(),
            u3["vetoed"].as_bool(),
            u3["rank"].as_u64()
        ),
        (Some("82.00"), Some("良好"), Some(false), Some(2))
    );
    let breakdown = w.read("out/breakdown.csv");
    for record in [
        "R1×2（复核撤销：链接在检查前已恢复）",
        "R9×10（复核改为2：重复计数）",
        "R10（复核维持：问题属实）",
        "R4（复核撤销：误报）",
    ] {
        assert!(breakdown.contains(record), "{record} in\n{breakdown}");
    }
    assert!(w
        .read("out/notice.md")
        .contains("各单位对检查结果提出申诉4件，经复核，撤销2条、改为1条、维持1条"));
    assert!(w.read("out/run.log").contains("appeals: 4 decided"));
    let explain = w.zwgk(&[
        "explain",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "U6",
    ]);
    assert!(
        explain.stdout.contains("R9×10（复核改为2：重复计数）"),
        "{}",
        explain.stdout
    );
}

/// Every bad appeal of §10, all at once, each at its cell.
#[test]
fn every_bad_appeal_is_an_error_at_its_cell() {
    let w = Workdir::with_fixture("hand");
    w.write(
        "data/appeals.csv",
        "record,decision,count,reason,unit\n\
         R99,撤销,,,\n\
         R1,撤销,,,\n\
         R1,维持,,,\n\
         R2,驳回,,,\n\
         R3,改为,,,\n\
         R5,维持,1,,\n\
         R6,改为,0,,\n\
         R7,撤销,,,东湖区\n",
    );
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    for expected in [
        "row 2, column record: no inspection record has the id \"R99\"",
        "row 4, column record: record R1 already has a decision in row 3",
        // Each row's error names its record.
        "row 5, column decision (record R2): \"驳回\": the decision must be 维持",
        "row 6, column count (record R3): 改为 (changed) needs the new count",
        "row 7, column count (record R5): only 改为 (changed) takes a count",
        "row 8, column count (record R6): \"0\": the new count must be a whole number >= 1",
        "row 9, column unit (record R7): record R7 is a record of 市财政局, not of 东湖区",
    ] {
        assert!(e.contains(expected), "{expected:?} in\n{e}");
    }
    assert!(!w.exists("out"));
}

/// A 待审核 row is an error only where it counts; a period's row and a row
/// without a period clash in that period's run (both count there).
#[test]
fn pending_rows_and_clashes_are_errors_only_in_the_runs_they_count_in() {
    let w = with_periods();
    let subs = w.read("data/submissions.csv");
    let mut lines: Vec<String> = subs.lines().map(|l| format!("{l},")).collect();
    lines[0] = "单位,指标代码,填报值,审核状态,佐证材料,考核期".into();
    lines.push("U1,A2,80%,通过,,P".into());
    lines.push("U5,J1,1,待审核,,Q".into());
    w.write("data/submissions.csv", lines.join("\n") + "\n");
    // The year: neither row counts.
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // P: 东湖区's A2 twice.
    let r = w.run(&["--no-charts", "--force", "--period", "P"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("a second submission for unit U1 and A2 (the first is row 2)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("pending"), "{}", r.stderr);
    // Q: the pending row counts there.
    let r = w.run(&["--no-charts", "--force", "--period", "Q"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("still 待审核"), "{}", r.stderr);
}
