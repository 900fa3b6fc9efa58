//! The analyst commands on the hand-worked fixture, with numbers worked by
//! hand (see tests/fixtures/hand/expected/README.md for the baseline).

use crate::harness::Workdir;

const INPUTS: [&str; 4] = ["--indicators", "indicators.toml", "--data", "data"];

fn cmd(w: &Workdir, name: &str, extra: &[&str]) -> crate::harness::Run {
    let mut args = vec![name];
    args.extend_from_slice(&INPUTS);
    args.extend_from_slice(extra);
    w.zwgk(&args)
}

/// The command as an officer runs it, in Chinese.
fn cmd_zh(w: &Workdir, name: &str, extra: &[&str]) -> crate::harness::Run {
    let mut args = extra.to_vec();
    args.extend(["--lang", "zh"]);
    cmd(w, name, &args)
}

#[test]
fn whatif_rescales_the_tree_and_reports_rank_moves() {
    // A 40 → 100 (its children keep 20 + 20, so A = Σ children × 100/40).
    // 部门 (C N/A, roots A 100 + B 30 = 130):
    // U4: A 22 × 2.5 = 55,   B 30 → 85 × 100/130 = 65.384… → 65.38
    // U5: A 25 × 2.5 = 62.5, B 27 → 89.5 × 100/130 = 68.846… → 68.85, now first
    // U6: A 0, B 25 → 25 × 100/130 = 19.23 (bonus gated)
    // 县 (roots 100 + 30 + 30 = 160): U1: (65 + 21 + 25.5) × 100/160 = 69.6875,
    // + bonus 2 = 71.6875 → 71.69
    let w = Workdir::with_fixture("hand");
    let r = cmd_zh(&w, "whatif", &["--set", "A=100", "--out", "wi"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("假设调整：A 分值 40 → 100"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("    1       2    ↑1    74.29    68.85  良好→较差"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("    2       1    ↓1    74.29    65.38  良好→较差"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("变动最大：市财政局 ↑1（第2→第1）、市教育局 ↓1（第1→第2）"),
        "{}",
        r.stdout
    );
    let json: serde_json::Value = serde_json::from_str(&w.read("wi/whatif.json")).unwrap();
    let unit = |g: usize, k: usize| &json["groups"][g]["units"][k];
    assert_eq!(unit(0, 1)["id"], "U1");
    assert_eq!(unit(0, 1)["new_total"], "71.69");
    assert_eq!(unit(1, 2)["new_total"], "19.23");
    assert_eq!(unit(1, 0)["change"], 1);
    assert!(w.exists("wi/charts/whatif-g2.png"));
}

#[test]
fn whatif_on_a_pooled_parent_deducts_from_its_new_points() {
    // B 30 → 10, pooled: U1 loses 5 + 4 → B = 1; (26 + 1 + 25.5) × 100/80
    // = 65.625, + 2 = 67.625 → 67.63. U4 B = 10 and U5 B = 10 − 3 = 7 both give
    // 64.00; the tie-break on B keeps U4 first.
    let w = Workdir::with_fixture("hand");
    let r = cmd(&w, "whatif", &["--set", "B=10"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("    2       2     —    74.50    67.63  良好→较差"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("    1       1     —    74.29    64.00  良好→较差"),
        "{}",
        r.stdout
    );
}

#[test]
fn whatif_rejects_unknown_ids_and_bad_values_together() {
    let w = Workdir::with_fixture("hand");
    let r = cmd(
        &w,
        "whatif",
        &["--set", "Q=3", "--set", "A=-1", "--set", "B"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("--set: Q=3: unknown id \"Q\": expected an indicator or bonus id"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("--set: A=-1: -1: points and weights must be > 0"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--set: B: expected ID=VALUE"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_shows_every_lost_point_and_the_distance_to_the_next_grade() {
    let w = Workdir::with_fixture("hand");
    let r = cmd_zh(&w, "explain", &["东湖"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = r.stdout;
    assert!(
        t.starts_with("东湖区 (U1) · 县（市、区） · 第2名 / 共3个 · 良好 · 总分 74.50"),
        "{t}"
    );
    let en = cmd(&w, "explain", &["东湖"]).stdout;
    assert!(
        en.starts_with("东湖区 (U1) · 县（市、区） · rank 2 of 3 · 良好 · total 74.50"),
        "{en}"
    );
    assert!(
        en.contains("grade 良好: 优秀 (90 points) is 15.50 points away."),
        "{en}"
    );
    assert!(t.contains("├─ B 平台建设 [合并扣分]  21.00 / 30.00"), "{t}");
    assert!(t.contains("扣分：I3 新媒体问题 ×2 −6（记录 R3×2）"), "{t}");
    assert!(t.contains("去掉最高最低：甲 7、戊 10"), "{t}");
    assert!(t.contains("逾期 2 天（截止 2024-01-31）"), "{t}");
    assert!(t.contains("加分 +2.00（J1 经验推广 ×3 → 2）"), "{t}");
    assert!(
        t.contains("等次 良好：距“优秀”（90分）还差 15.50 分。"),
        "{t}"
    );
    let t = cmd_zh(&w, "explain", &["U3"]).stdout;
    assert!(t.contains("等次 较差：有一票否决记录"), "{t}");
    assert!(t.contains("P1 材料迟报 ×1 −1.5（记录 R5）"), "{t}");
    let t = cmd_zh(&w, "explain", &["U2"]).stdout;
    assert!(t.contains("B2 新媒体 [扣分制]  不涉及 / 10.00"), "{t}");
    assert!(t.contains("不涉及（非责任单位）"), "{t}");
}

#[test]
fn explain_suggests_names_for_an_unknown_unit() {
    let w = Workdir::with_fixture("hand");
    let r = cmd(&w, "explain", &["东胡区"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("unknown unit \"东胡区\"; did you mean 东湖区"),
        "{}",
        r.stderr
    );
}

#[test]
fn compare_lists_rank_and_grade_changes_and_units_in_one_file_only() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let old = w.read("out/results.json");
    // A "next year": U5 and U4 swap places, U5 becomes 优秀, U6 is gone, U7 new.
    let mut json: serde_json::Value = serde_json::from_str(&old).unwrap();
    let units = json["units"].as_array_mut().unwrap();
    units[3]["rank"] = 2.into();
    units[4]["rank"] = 1.into();
    units[4]["grade"] = "优秀".into();
    units[5]["id"] = "U7".into();
    units[5]["name"] = "市商务局".into();
    json["assessment"]["year"] = 2024.into();
    w.write("new.json", serde_json::to_string_pretty(&json).unwrap());
    let r = w.zwgk(&[
        "compare",
        "out/results.json",
        "new.json",
        "--out",
        "cmp",
        "--lang",
        "zh",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("比较：手算用例 (2023) → 手算用例 (2024)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "部门               1       2    ↓1    74.29    74.29  良好          市教育局"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "部门               2       1    ↑1    74.29    74.29  良好→优秀     市财政局"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("仅在原结果中：U6 市民政局"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("仅在新结果中：U7 市商务局"),
        "{}",
        r.stdout
    );
    let c: serde_json::Value = serde_json::from_str(&w.read("cmp/compare.json")).unwrap();
    assert_eq!(c["units"].as_array().unwrap().len(), 5);
    // compare.xlsx: a sheet per group by its name, each unit's old and new
    // rank; 市财政局 moved from 2nd to 1st (+1).
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(w.path().join("cmp/compare.xlsx")).unwrap();
    let names = calamine::Reader::sheet_names(&book);
    assert_eq!(names.len(), 2, "{names:?}");
    let dept = calamine::Reader::worksheet_range(&mut book, "部门").unwrap();
    let row = dept.rows().find(|r| r[1] == "市财政局").unwrap();
    assert_eq!(
        (row[2].to_string(), row[3].to_string(), row[4].to_string()),
        ("2".into(), "1".into(), "1".into())
    );
    let broken = w.zwgk(&["compare", "out/results.json", "data/units.csv"]);
    assert_eq!(broken.code, 1);
    assert!(
        broken.stderr.contains("not a zwgk results.json"),
        "{}",
        broken.stderr
    );
}

#[test]
fn sensitivity_with_zero_spread_keeps_every_unit_at_its_baseline_rank() {
    let w = Workdir::with_fixture("hand");
    let r = cmd(
        &w,
        "sensitivity",
        &["--samples", "20", "--spread", "0", "--out", "s"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("s/sensitivity.json")).unwrap();
    for u in json["units"].as_array().unwrap() {
        let b = &u["baseline_rank"];
        assert!(
            u["p5_rank"] == *b && u["median_rank"] == *b && u["p95_rank"] == *b,
            "{u}"
        );
    }
    for g in json["groups"].as_array().unwrap() {
        assert_eq!(g["first_place_changes"], 0.0);
    }
    for i in json["indicators"].as_array().unwrap() {
        assert_eq!(i["total_order"]["value"], 0.0);
        assert_eq!(i["first_order"]["value"], 0.0);
    }
    for u in json["units"].as_array().unwrap() {
        assert_eq!(u["grade_kept"], 1.0, "{u}");
    }
    assert!(w.exists("s/charts/sensitivity-g1.png"));
}

#[test]
fn sensitivity_is_reproducible_per_seed() {
    let w = Workdir::with_fixture("hand");
    let a = cmd_zh(
        &w,
        "sensitivity",
        &["--samples", "200", "--spread", "0.5", "--seed", "11"],
    );
    let b = cmd_zh(
        &w,
        "sensitivity",
        &["--samples", "200", "--spread", "0.5", "--seed", "11"],
    );
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(
        a.stdout
            .contains("敏感性分析：200 次抽样，分值浮动 ±50%，随机种子 11"),
        "{}",
        a.stdout
    );
    // The figures, worked out by hand: in 部门 (g2) U4 and U5 tie at 74.29
    // and B breaks the tie; with independent factors on A and B the two
    // change places in about half of the samples (by symmetry), so g2's
    // first place changes in 30–70 % of 200 and both units range over
    // ranks 1–2, while U6 (35.71, far below) stays 3rd. In 县 (g1) U2 loses
    // nothing and scores 100 under any weights: first place never changes.
    let r = cmd(
        &w,
        "sensitivity",
        &[
            "--samples",
            "200",
            "--spread",
            "0.5",
            "--seed",
            "11",
            "--out",
            "s",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("s/sensitivity.json")).unwrap();
    let groups = json["groups"].as_array().unwrap();
    let changes = |g: usize| groups[g]["first_place_changes"].as_f64().unwrap();
    assert_eq!(changes(0), 0.0);
    assert!((0.3..=0.7).contains(&changes(1)), "{}", changes(1));
    let unit = |id: &str| {
        json["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()
            .clone()
    };
    for id in ["U4", "U5"] {
        let u = unit(id);
        assert_eq!(
            (u["p5_rank"].as_f64(), u["p95_rank"].as_f64()),
            (Some(1.0), Some(2.0)),
            "{u}"
        );
    }
    let u6 = unit("U6");
    assert_eq!(
        (u6["p5_rank"].as_f64(), u6["p95_rank"].as_f64()),
        (Some(3.0), Some(3.0)),
        "{u6}"
    );
    assert_eq!(unit("U2")["grade_kept"], 1.0);
}

/// Only A can move this ranking. U1 and U2 are assessed on A alone (B is
/// 不涉及 for them), a deduct leaf, so their totals are 100 × (1 − lost /
/// (50 × f_A)): U1 loses 10 → 100 − 20 / f_A, 80 at f_A = 1; U2 loses 5 →
/// 90. U3 is assessed on B alone (A is not its duty): 39 of 50 → 78,
/// whatever f_B. U1 falls below U3 exactly when f_A < 20/22, and nothing
/// else ever moves: the total-order index of A is 1 and that of B is 0.
#[test]
fn sobol_indices_find_the_one_indicator_the_ranking_depends_on() {
    let w = Workdir::new();
    w.write(
        "indicators.toml",
        r#"
[assessment]
name = "只有A能改变名次"
year = 2023
[performance]
weight_percent = 4
[[group]]
id = "g"
name = "组"
[[grade]]
name = "好"
min = 79
max_share = 0.5
[[grade]]
name = "一般"
min = 0
[[indicator]]
id = "A"
name = "扣分项"
points = 50
rule = "deduct"
[[indicator]]
id = "B"
name = "评定项"
points = 50
rule = "manual"
allow_na = true
[[issue]]
code = "X"
name = "问题"
indicator = "A"
deduct = 1
"#,
    );
    w.write(
        "data/units.csv",
        "id,name,group\nU1,甲,g\nU2,乙,g\nU3,丙,g\n",
    );
    w.write("data/duties.csv", "indicator,unit\nA,\"U1、U2\"\n");
    w.write(
        "data/inspections.csv",
        "unit,issue,count\nU1,X,10\nU2,X,5\n",
    );
    w.write(
        "data/submissions.csv",
        "unit,indicator,value\nU1,B,不涉及\nU2,B,不涉及\nU3,B,39\n",
    );
    let r = cmd(
        &w,
        "sensitivity",
        &["--samples", "800", "--spread", "0.2", "--out", "s"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("s/sensitivity.json")).unwrap();
    assert_eq!(json["sobol_samples"], 200);
    let index = |id: &str, order: &str| {
        json["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()[order]["value"]
            .as_f64()
            .unwrap()
    };
    assert!(index("A", "total_order") > 0.95, "{json}");
    assert!(index("A", "first_order") > 0.9, "{json}");
    assert!(index("B", "total_order").abs() < 1e-12, "{json}");
    // U2 stays first and 好 (quota 1 of 3); U1 keeps 好 only while above 79.
    let unit = |id: &str| {
        json["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(unit("U2")["grade_kept"], 1.0);
    assert_eq!(unit("U3")["grade_kept"], 1.0);
}

/// A bonus item's points per occurrence can be set too. J1 (1 per
/// occurrence, at most 2): U1 claimed 3 → min(2, 3 × 0.5) = 1.5, total
/// 72.5 + 1.5 = 74.00 (was 74.50); U2 100 + 0.5 stays capped at 100.
#[test]
fn whatif_sets_a_bonus_items_points_and_its_chart_says_what_changed() {
    let w = Workdir::with_fixture("hand");
    let r = cmd_zh(&w, "whatif", &["--set", "J1=0.5", "--out", "wi"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("假设调整：J1 每次加分 1 → 0.5"),
        "{}",
        r.stdout
    );
    let json: serde_json::Value = serde_json::from_str(&w.read("wi/whatif.json")).unwrap();
    let u1 = &json["groups"][0]["units"][1];
    assert_eq!(u1["id"], "U1");
    assert_eq!(u1["new_total"], "74.00");
    let svg = w.read("wi/charts/whatif-g1.svg");
    assert!(
        svg.contains("调整后的名次变化（J1 每次加分 1→0.5）"),
        "{svg}"
    );
    // A change that moves grades shows them in the chart.
    let r = cmd(&w, "whatif", &["--set", "A=100", "--out", "wi2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = w.read("wi2/charts/whatif-g2.svg");
    assert!(svg.contains("良好→较差"), "{svg}");
}

/// The rank axis of the sensitivity chart starts at rank 1, not 0.
#[test]
fn the_sensitivity_chart_counts_ranks_from_one() {
    let w = Workdir::with_fixture("hand");
    let r = cmd(&w, "sensitivity", &["--samples", "20", "--out", "s"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = w.read("s/charts/sensitivity-g1.svg");
    let ticks: Vec<&str> = svg
        .split("text-anchor=\"middle\"")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .map(str::trim)
        .collect();
    assert_eq!(ticks.first(), Some(&"1"), "{ticks:?}");
    assert!(!ticks.contains(&"0"), "{ticks:?}");
}
