//! `zwgk combine` (SPEC §10) on parts written by hand, over the hand
//! fixture's system (groups g1 and g2, 优秀 ≥ 90 for at most half a group,
//! 良好 ≥ 70, veto cap 59, weight 5 %).

use crate::harness::{unit_result, Workdir};

/// A part's results.json as zwgk writes it: (id, group, total, vetoed)
/// per unit, totals with 2 decimals, ranks by total within each group.
fn part(
    w: &Workdir,
    dir: &str,
    period: Option<&str>,
    year: i32,
    units: &[(&str, &str, &str, bool)],
) {
    let period = period.map_or(String::new(), |p| {
        format!(r#", "period": {{"id": "{p}", "name": "{p}期", "from": "2023-01-01", "to": "2023-03-31"}}"#)
    });
    let total = |t: &str| t.parse::<f64>().unwrap();
    let units: Vec<String> = units
        .iter()
        .map(|(id, g, t, v)| {
            let rank = 1 + units
                .iter()
                .filter(|(_, g2, t2, _)| g2 == g && total(t2) > total(t))
                .count();
            format!(
                r#"{{"id": "{id}", "name": "", "group": "{g}", "total": "{:.2}", "rank": {rank}, "grade": "", "performance_points": "{:.2}", "vetoed": {v}}}"#,
                total(t),
                total(t) * 5.0 / 100.0
            )
        })
        .collect();
    w.write(
        &format!("{dir}/results.json"),
        format!(
            r#"{{"assessment": {{"name": "手算用例", "year": {year}, "full_score": "100", "precision": 2, "weight_percent": "5", "draft": false{period}}}, "groups": [{{"id": "g1", "name": "县"}}, {{"id": "g2", "name": "部门"}}], "units": [{}]}}"#,
            units.join(", ")
        ),
    );
}

/// Totals per unit for Q1–Q4 and the year part Y.
const TOTALS: [(&str, &str, [&str; 5]); 6] = [
    ("U1", "g1", ["92", "92", "92", "92", "92"]),
    ("U2", "g1", ["90", "90", "90", "90", "90"]),
    ("U3", "g1", ["95", "50", "95", "95", "95"]),
    ("U4", "g2", ["80", "80", "80", "80", "75"]),
    ("U5", "g2", ["90", "70", "70", "60", "86.25"]),
    ("U6", "g2", ["50", "50", "50", "50", "50"]),
];

fn year_of_parts(w: &Workdir) {
    for (k, q) in ["Q1", "Q2", "Q3", "Q4", "Y"].iter().enumerate() {
        let units: Vec<(&str, &str, &str, bool)> = TOTALS
            .iter()
            // 南城区 (U3) is vetoed in Q2 only.
            .map(|(id, g, t)| (*id, *g, t[k], *id == "U3" && *q == "Q2"))
            .collect();
        let period = (*q != "Y").then_some(*q);
        part(w, &format!("parts/{q}"), period, 2023, &units);
    }
}

fn combine(w: &Workdir, parts: &[&str]) -> crate::harness::Run {
    let mut args = vec![
        "combine",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
    ];
    args.extend_from_slice(parts);
    args.extend_from_slice(&[
        "--out",
        "year",
        "--no-charts",
        "--notice-date",
        "2024-03-01",
    ]);
    w.zwgk(&args)
}

const YEAR: [&str; 5] = [
    "parts/Q1=0.15",
    "parts/Q2=0.15",
    "parts/Q3=0.15",
    "parts/Q4=0.15",
    "parts/Y=0.4",
];

/// By hand, Σ weight × total / Σ weights (the weights sum to 1):
/// - U1 0.15 × 368 + 0.4 × 92 = 92.00; U2 90.00; U3 0.15 × 335 + 38 = 88.25,
///   vetoed in Q2 → capped at 59.00, 较差. 优秀 is for at most
///   floor(3 × 0.5) = 1 unit of g1: U1 优秀, U2 (90.00) 良好 by the quota.
/// - U4 0.15 × 320 + 0.4 × 75 = 78.00 and U5 0.15 × 290 + 0.4 × 86.25 =
///   78.00 tie (no tie-break in a combined result): both 1st, U6 50.00 3rd.
/// - performance points: U1 92 × 5 / 100 = 4.60, U3 59 × 5 % = 2.95.
#[test]
fn four_quarters_and_the_year_combine_by_weight_with_vetoes_ties_and_quotas() {
    let w = Workdir::with_fixture("hand");
    year_of_parts(&w);
    let r = combine(&w, &YEAR);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res: serde_json::Value = serde_json::from_str(&w.read("year/results.json")).unwrap();
    let got = |id: &str| {
        let u = unit_result(&res, id);
        (
            u["total"].as_str().unwrap().to_string(),
            u["rank"].as_u64().unwrap(),
            u["grade"].as_str().unwrap().to_string(),
            u["vetoed"].as_bool().unwrap(),
        )
    };
    assert_eq!(got("U1"), ("92.00".into(), 1, "优秀".into(), false));
    assert_eq!(got("U2"), ("90.00".into(), 2, "良好".into(), false));
    assert_eq!(got("U3"), ("59.00".into(), 3, "较差".into(), true));
    assert_eq!(got("U4"), ("78.00".into(), 1, "良好".into(), false));
    assert_eq!(got("U5"), ("78.00".into(), 1, "良好".into(), false));
    assert_eq!(got("U6"), ("50.00".into(), 3, "较差".into(), false));
    assert_eq!(unit_result(&res, "U1")["performance_points"], "4.60");
    assert_eq!(unit_result(&res, "U3")["performance_points"], "2.95");
    assert_eq!(
        unit_result(&res, "U5")["parts"],
        serde_json::json!({"Q1": "90.00", "Q2": "70.00", "Q3": "70.00", "Q4": "60.00", "年度考核": "86.25"})
    );
    assert!(unit_result(&res, "U5").get("indicators").is_none());
    let parts = &res["assessment"]["parts"];
    assert_eq!(parts[0]["weight"], "0.15");
    assert_eq!(parts[0]["period"]["id"], "Q1");
    // A whole-year part is named 年度考核, never by its folder.
    assert_eq!(parts[4]["name"], "年度考核");
    let notice = w.read("year/notice.md");
    assert!(
        notice.contains("由5个部分按权重合并：2023年Q1期（权重0.15）"),
        "{notice}"
    );
    assert!(notice.contains("年度考核（权重0.4）"), "{notice}");
    assert!(notice.contains("南城区（在Q2期中被一票否决）"), "{notice}");
    assert!(w.read("year/scores.csv").contains("Q1 Q1期（权重 0.15）"));
    assert!(w.read("year/combine.log").contains("Q1  0.15  "));
}

/// Weights need not sum to 1, and a combined total need not terminate:
/// (100 + 100 + 95) / 3 = 98.333… → 98.33.
#[test]
fn weights_are_relative_and_the_combined_total_exact_until_published() {
    let w = Workdir::with_fixture("hand");
    year_of_parts(&w);
    for (dir, t) in [("a", "100"), ("b", "100"), ("c", "95")] {
        let units: Vec<(&str, &str, &str, bool)> = TOTALS
            .iter()
            .map(|(id, g, _)| (*id, *g, t, false))
            .collect();
        part(&w, dir, None, 2023, &units);
    }
    // Three whole-year parts would all be 年度考核: named apart.
    let r = combine(&w, &["a=2", "b=2", "c=2"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("tell them apart with --name PART=NAME"),
        "{}",
        r.stderr
    );
    let r = combine(
        &w,
        &[
            "a=2", "b=2", "c=2", "--name", "a=甲", "--name", "b=乙", "--name", "c=丙",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let res: serde_json::Value = serde_json::from_str(&w.read("year/results.json")).unwrap();
    assert_eq!(unit_result(&res, "U1")["total"], "98.33");
}

/// Every error of §10's combine, all at once.
#[test]
fn parts_that_cannot_be_combined_are_errors_naming_part_and_unit() {
    let w = Workdir::with_fixture("hand");
    year_of_parts(&w);
    // Q2 lacks U6, has a stranger U9, and puts U4 in g1.
    part(
        &w,
        "parts/Q2",
        Some("Q2"),
        2023,
        &[
            ("U1", "g1", "90", false),
            ("U2", "g1", "90", false),
            ("U3", "g1", "90", false),
            ("U4", "g1", "90", false),
            ("U5", "g2", "90", false),
            ("U9", "g2", "90", false),
        ],
    );
    let units: Vec<(&str, &str, &str, bool)> = TOTALS
        .iter()
        .map(|(id, g, _)| (*id, *g, "80", false))
        .collect();
    part(&w, "old", None, 2022, &units);
    let r = combine(
        &w,
        &[
            "parts/Q1=0.5",
            "parts/Q2=0.5",
            "old=1",
            "parts/Q1=1",
            "nowhere=1",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "parts/Q2/results.json: unit U9 is not on the roster",
        "parts/Q2/results.json: unit U4 is in group g1 here and in g2 on the roster",
        "parts/Q2/results.json: has no result for U6 市民政局 of the roster",
        "old/results.json: is of the year 2022, the indicator system of 2023",
        "parts/Q1/results.json: has the same name (Q1) as parts/Q1/results.json",
        "nowhere: cannot read it",
    ] {
        assert!(r.stderr.contains(expected), "{expected:?} in\n{}", r.stderr);
    }
    assert!(!w.exists("year"));
    let r = combine(&w, &["parts/Q1=0"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("weight \"0\" should be a number above 0"),
        "{}",
        r.stderr
    );
}

/// A results.json is read back as strictly as a table: every violation
/// named with the file and the unit, all at once, nothing written.
#[test]
fn an_edited_results_json_is_refused_naming_file_and_unit() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&["--no-charts"]).code, 0);
    // A run's folder whose results.json was edited after zwgk wrote it.
    let text = w.read("out/results.json");
    w.write(
        "out/results.json",
        text.replacen("\"total\": \"", "\"total\": \"1", 1),
    );
    let r = combine(&w, &["out=1"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("out/results.json: the results file was changed after zwgk wrote it"),
        "{}",
        r.stderr
    );
    assert!(!w.exists("year"));
    // The same edits in a loose file: each violation at its unit.
    let edited = text
        .replacen("\"total\": \"100.00\"", "\"total\": \"150.00\"", 1)
        .replacen(
            "\"performance_points\": \"5.00\"",
            "\"performance_points\": \"7.50\"",
            1,
        )
        .replacen("\"total\": \"74.50\"", "\"total\": \"abc\"", 1)
        .replacen("\"total\": \"59.00\"", "\"total\": \"1e400\"", 1);
    w.write("edited.json", &edited);
    let r = combine(&w, &["edited.json=1"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "edited.json (U2 西山区): total 150.00 is outside 0 to the full score 100",
        "edited.json (U2 西山区): performance points 7.50 are outside 0 to the weight 5",
        "edited.json (U1 东湖区): total \"abc\" is not a number with 2 decimals",
        "edited.json (U3 南城区): total \"1e400\" is not a number with 2 decimals",
    ] {
        assert!(r.stderr.contains(expected), "{expected}\n{}", r.stderr);
    }
    // A unit id given twice, and ranks that do not follow the totals.
    let dup = text.replacen("\"id\": \"U2\"", "\"id\": \"U1\"", 1);
    w.write("dup.json", &dup);
    let r = w.zwgk(&["compare", "dup.json", "out/results.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("dup.json (U1 东湖区): the unit id appears twice"),
        "{}",
        r.stderr
    );
    let swapped = text.replacen("\"rank\": 1,", "\"rank\": 3,", 1);
    w.write("swapped.json", &swapped);
    let r = w.zwgk(&["compare", "swapped.json", "out/results.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("the ranks do not follow the totals"),
        "{}",
        r.stderr
    );
}

#[test]
fn compare_takes_run_folders_and_says_a_missing_one_in_words() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&["--no-charts"]).code, 0);
    let r = w.zwgk(&["compare", "out", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = w.zwgk_in(crate::harness::chinese, &["compare", "out", "nowhere"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "nowhere：无法读取（应为某次 zwgk run 的输出目录或其 results.json）：文件或目录不存在"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("os error"), "{}", r.stderr);
}

/// Parts are named in the documents by their period's name or 年度考核 (or
/// --name), never by their folder; the combined result has its feedback
/// sheets and ledger.
#[test]
fn parts_are_named_by_period_or_name_and_units_get_combined_sheets() {
    let w = Workdir::with_fixture("hand");
    year_of_parts(&w);
    let r = combine(&w, &YEAR);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = w.read("year/notice.md");
    assert!(md.contains("年度考核（权重0.4）"), "{md}");
    assert!(md.contains("2023年Q1期（权重0.15）"), "{md}");
    // U3 南城区 vetoed in Q2 only.
    assert!(md.contains("南城区（在Q2期中被一票否决）"), "{md}");
    for f in ["notice.md", "notice.html", "scores.csv"] {
        assert!(
            !w.read(&format!("year/{f}")).contains("parts/"),
            "{f} names a folder"
        );
    }
    // U3's combined sheet: each part's total, weight, rank and veto; the
    // contribution 0.15 × 50.00 ÷ 1 = 7.50 in Q2.
    let (tables, text) = crate::harness::docx_tables(&w.path().join("year/feedback/U3.docx"));
    let parts = &tables[0];
    assert_eq!(
        parts[0],
        ["部分", "权重", "总分", "名次", "折合得分", "否决"]
    );
    assert_eq!(
        parts[2],
        ["Q2期", "0.15", "50.00", "第3名", "7.50", "一票否决"]
    );
    assert_eq!(parts[5][0], "年度考核");
    assert!(text.contains("年度考核的 feedback/U3.docx"), "{text}");
    // The ledger: a row per unit and part (6 × 5).
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.path().join("year/feedback.xlsx")).unwrap();
    let range = calamine::Reader::worksheet_range(&mut book, "整改台账").unwrap();
    assert_eq!(range.height(), 1 + 30);
    // --name renames a part in every document.
    let mut named: Vec<&str> = YEAR.to_vec();
    named.extend(["--name", "parts/Y=年终考核", "--force"]);
    let r = combine(&w, &named);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.read("year/notice.md").contains("年终考核（权重0.4）"));
    let r = combine(
        &w,
        &[YEAR.as_slice(), &["--name", "nowhere=x", "--force"]].concat(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("\"nowhere\" is none of the parts combined"),
        "{}",
        r.stderr
    );
}
