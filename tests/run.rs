//! `zwgk run` end to end on the hand-worked fixture and the bundled demo.

use crate::harness::{fixture, Workdir};

#[test]
fn results_json_equals_the_hand_worked_figures_byte_for_byte() {
    let w = Workdir::with_fixture("hand");
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = std::fs::read_to_string(fixture("hand/expected/results.json")).unwrap();
    assert_eq!(w.read("out/results.json"), expected);
}

#[test]
fn warnings_go_to_stderr_and_into_run_log_with_input_hashes() {
    let w = Workdir::with_fixture("hand");
    let r = w.run(&[]);
    assert!(
        r.stderr
            .contains("warning: U6 市民政局: A2 (公开比例): 未报送, scored 0"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "warning: U2 西山区: C1 has 2 rating(s), too few to drop 1 highest and lowest"
        ),
        "{}",
        r.stderr
    );
    let log = w.read("out/run.log");
    assert!(log.contains("warning: U6 市民政局: A2"), "{log}");
    // SHA-256 of the units table as committed.
    let units = std::fs::read(fixture("hand/data/units.csv")).unwrap();
    let hash = zwgk::ingest::sha256_hex(&units);
    assert!(log.contains(&format!("{hash}  data/units.csv")), "{log}");
    assert!(log.contains("indicators.toml"), "{log}");
}

#[test]
fn scores_csv_has_a_bom_chinese_headers_and_publication_order() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let csv = w.read("out/scores.csv");
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "分组,名次,单位编码,单位名称,总分,等次,绩效分,基础得分,加分,扣分,否决,A 主动公开,B 平台建设,C 基层公开"
    );
    assert_eq!(
        lines[1],
        "县（市、区）,1,U2,西山区,100.00,优秀,5.00,100.00,1.00,0.00,,40.00,30.00,30.00"
    );
    assert_eq!(
        lines[3],
        "县（市、区）,3,U3,南城区,59.00,较差,2.95,83.50,0.00,1.50,是,40.00,30.00,13.50"
    );
    assert_eq!(
        lines[4],
        "部门,1,U4,市教育局,74.29,良好,3.71,74.29,0.00,0.00,,22.00,30.00,不涉及"
    );
}

#[test]
fn breakdown_explains_every_lost_point_and_neutralises_formulas() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let b = w.read("out/breakdown.csv");
    // U1 B2: two I3 records (3 each) capped at max_deduct 4.
    assert!(
        b.contains(
            "U1,东湖区,B2,新媒体,B 平台建设,扣分制,10.00,6.00,计分,记录 R3×2,I3 新媒体问题 ×2 −6"
        ),
        "{b}"
    );
    assert!(
        b.contains("U2,西山区,B2,新媒体,B 平台建设,扣分制,10.00,不涉及,不涉及（非责任单位）"),
        "{b}"
    );
    assert!(
        b.contains(
            "U2,西山区,A2,公开比例,A 主动公开,比例计分,20.00,不涉及,不涉及（单位报送不涉及）"
        ),
        "{b}"
    );
    assert!(
        b.contains("U6,市民政局,A2,公开比例,A 主动公开,比例计分,20.00,0.00,未报送"),
        "{b}"
    );
    assert!(
        b.contains("U4,市教育局,C1,评议,C 基层公开,评分,15.00,不涉及,不涉及（本组不考核此项）"),
        "{b}"
    );
    assert!(b.contains("逾期 2 天（截止 2024-01-31）"), "{b}");
    assert!(b.contains("去掉最高最低：甲 7、戊 10"), "{b}");
    assert!(
        b.contains("U3,南城区,P1,材料迟报,,总分扣分,,-1.5,扣分,记录 R5"),
        "{b}"
    );
    assert!(b.contains("U1,东湖区,J1,经验推广,,加分项,,2,加分,3"), "{b}");
    // The submitted evidence =HYPERLINK(...) is inert text.
    assert!(b.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{b}");
    assert!(!b.contains(",=HYPERLINK"), "{b}");
}

/// Each unit's closing rows add its items up to its published total, with
/// the conversion, gate, cap and veto that applied (numbers from
/// fixtures/hand/expected/README.md).
#[test]
fn breakdown_accounts_for_each_total_from_its_items() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let b = w.read("out/breakdown.csv");
    let rows = |unit: &str| -> Vec<String> {
        b.lines()
            .filter(|l| l.contains(&format!(",{unit},")) && l.contains(",合计,"))
            .map(|l| l.split_once(&format!("{unit},")).unwrap().1.to_string())
            .collect()
    };
    // U3: items 83.50, penalty 1.50, a grade veto: the total is capped at 59.
    assert_eq!(
        rows("南城区"),
        [
            ",基础得分,,合计,100,83.50,计分,,,一级指标得分合计 83.50,",
            ",加分,,合计,3,0.00,计分,,,加分项合计 0,",
            ",扣分,,合计,,-1.50,计分,,,总分扣分问题 1 项,",
            ",一票否决,,合计,59,,计分,记录 R4,,V1 泄密：一票否决，等次定为较差，总分最多 59 分,",
            ",总分,,合计,100,59.00,计分,,,基础得分 83.50 + 加分 0.00 − 扣分 1.50 = 82.00；一票否决，总分最多 59 分,",
        ]
    );
    // U4 (部门): C is not assessed, so the 52 points of A and B are out of 70.
    assert!(rows("市教育局")[0].contains("不涉及项折算：得分 52.00 ÷ 应得分 70.00 × 100 = 74.29"));
    // U6: base 35.71 below the gate 60: its claimed bonus of 1 does not count.
    assert!(rows("市民政局")[1].contains("加分项合计 1；基础得分低于 60，不计加分"));
    // U2: 100 + 1 is capped at full marks; its N/A A2 was rescaled inside A.
    let u2 = rows("西山区");
    assert!(
        u2[0].contains("（不涉及项已在所属指标内按分值折算）"),
        "{u2:?}"
    );
    assert!(u2[3].contains("= 101.00；总分不超过满分 100"), "{u2:?}");
}

#[test]
fn check_validates_and_writes_nothing() {
    let w = Workdir::with_fixture("hand");
    let r = w.zwgk(&["check", "--indicators", "indicators.toml", "--data", "data"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("ok: 手算用例 — 9 indicators, 6 units, 10 inspection records"),
        "{}",
        r.stdout
    );
    assert!(!w.exists("reports"));
}

#[test]
fn pending_submissions_are_an_error_unless_draft_and_then_marked() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/submissions.csv",
        "U5,A2,67.5%,通过",
        "U5,A2,67.5%,待审核",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "data/submissions.csv: row 12, column 审核状态 (unit U5, indicator A2): the submission is still 待审核"
        ),
        "{}",
        r.stderr
    );
    assert!(!w.exists("out"));
    let r = w.run(&["--draft"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.read("out/results.json").contains("\"draft\": true"));
    assert!(w
        .read("out/scores.csv")
        .lines()
        .next()
        .unwrap()
        .ends_with(",稿件状态"));
    assert!(w.read("out/run.log").contains("征求意见稿"));
    assert!(r.stdout.contains("征求意见稿"));
}

#[test]
fn the_demo_runs_with_no_arguments_into_reports_demo_and_replaces_its_own_report() {
    let w = Workdir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for d in ["indicators", "data/demo"] {
        for e in std::fs::read_dir(root.join(d)).unwrap() {
            let e = e.unwrap();
            w.write(
                &format!("{d}/{}", e.file_name().to_string_lossy()),
                std::fs::read(e.path()).unwrap(),
            );
        }
    }
    let r = w.zwgk(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["results.json", "scores.csv", "breakdown.csv", "run.log"] {
        assert!(w.exists(&format!("reports/demo/{f}")), "{f}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&w.read("reports/demo/results.json")).unwrap();
    assert_eq!(json["units"].as_array().unwrap().len(), 60);
    // `run` with the demo's defaults replaces that report, as bare zwgk
    // does, without --force.
    let r = w.zwgk(&["run", "--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("reports in reports/demo"), "{}", r.stdout);
    // Any other folder is replaced only with --force: refused, naming the
    // folder and --force, the report in it unchanged.
    let r = w.zwgk(&["run", "--no-charts", "--out", "elsewhere"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    w.refused(
        &["run", "--no-charts", "--out", "elsewhere"],
        2,
        &["elsewhere", "--force"],
    );
}

/// A system named 规则 of one group (g) and one grade: `assessment` goes
/// under [assessment], `sections` after [performance], then `indicators`.
fn one_group_system(assessment: &str, sections: &str, indicators: &str) -> String {
    format!(
        "[assessment]\nname = \"规则\"\nyear = 2023\n{assessment}\
         [performance]\nweight_percent = 4\n{sections}\
         [[group]]\nid = \"g\"\nname = \"组\"\n\
         [[grade]]\nname = \"合格\"\nmin = 0\n{indicators}"
    )
}

/// The rules the hand fixture does not use: manual, level, relative (lower
/// is better, with a floor), step curves and working-day deadlines, on two
/// units worked by hand.
#[test]
fn manual_level_relative_step_and_workday_rules_score_as_worked_by_hand() {
    let w = Workdir::new();
    let calendar = "[calendar]\nholidays = [2024-02-12, 2024-02-13]\nworkdays = [2024-02-04]\n";
    w.write(
        "indicators.toml",
        one_group_system(
            "",
            calendar,
            r#"
[[indicator]]
id = "M"
name = "直接计分"
points = 10
rule = "manual"
[[indicator]]
id = "L"
name = "等级"
points = 20
rule = "level"
levels = [["优", 1], ["良", 0.8], ["一般", 0.6], ["差", 0]]
[[indicator]]
id = "R"
name = "办理天数"
points = 30
rule = "relative"
direction = "lower"
floor = 0.4
[[indicator]]
id = "S"
name = "培训次数"
points = 20
rule = "curve"
mode = "step"
curve = [[1, 0.5], [3, 1]]
[[indicator]]
id = "D"
name = "年报"
points = 20
rule = "deadline"
due = 2024-02-09
late_deduct = 2
late_unit = "workday"
"#,
        ),
    );
    w.write("data/units.csv", "id,name,group\nA,甲,g\nB,乙,g\nC,丙,g\n");
    w.write(
        "data/submissions.csv",
        "unit,indicator,value\nA,M,7.5\nA,L,良\nA,R,4\nA,S,2\nA,D,2024-02-14\nB,M,10\nB,L,差\nB,R,10\nB,S,0\nB,D,2024-02-05\nC,R,6\n",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    let unit = |id: &str| {
        json["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()
            .clone()
    };
    // 甲: M 7.5; L 良 0.8 × 20 = 16; R lower is better over 4, 10, 6: best 4
    // gets 30; S step: 2 ≥ 1 → 0.5 × 20 = 10; D due Fri 02-09, value Wed
    // 02-14: working days after due: Mon 12 and Tue 13 are holidays, Wed 14
    // counts → 1 × 2 = 2 off → 18. Total 7.5 + 16 + 30 + 10 + 18 = 81.5.
    let a = unit("A");
    assert_eq!(a["indicators"]["M"], "7.50");
    assert_eq!(a["indicators"]["L"], "16.00");
    assert_eq!(a["indicators"]["R"], "30.00");
    assert_eq!(a["indicators"]["S"], "10.00");
    assert_eq!(a["indicators"]["D"], "18.00");
    assert_eq!(a["total"], "81.50");
    // 乙: M 10; L 差 → 0; R worst 10 gets the floor 0.4 × 30 = 12; S 0 < 1 → 0;
    // D early → 20. Total 42.
    let b = unit("B");
    assert_eq!(b["indicators"]["R"], "12.00");
    assert_eq!(b["indicators"]["S"], "0.00");
    assert_eq!(b["indicators"]["D"], "20.00");
    assert_eq!(b["total"], "42.00");
    // 丙: R 6 → 0.4 + 0.6 × (6 − 10)/(4 − 10) = 0.8 → 24; the rest 未报送.
    let c = unit("C");
    assert_eq!(c["indicators"]["R"], "24.00");
    assert_eq!(c["total"], "24.00");
}

/// Relative with higher better on a ratio, and a submission 审核不通过:
/// three units worked by hand, with the notes the breakdown gives.
#[test]
fn a_higher_better_ratio_and_a_rejected_submission_as_worked_by_hand() {
    let w = Workdir::new();
    w.write(
        "indicators.toml",
        one_group_system(
            "full_score = 30\n",
            "",
            r#"
[[indicator]]
id = "H"
name = "公开率"
points = 10
rule = "relative"
direction = "higher"
input = "ratio"
floor = 0.2
[[indicator]]
id = "K"
name = "直接计分"
points = 10
rule = "manual"
[[indicator]]
id = "P"
name = "评议"
points = 10
rule = "rating"
scale = 10
"#,
        ),
    );
    w.write(
        "data/ratings.csv",
        "rater,unit,indicator,score\n甲,A,P,8\n乙,A,P,6\n甲,C,P,9\n",
    );
    w.write("data/units.csv", "id,name,group\nA,甲,g\nB,乙,g\nC,丙,g\n");
    w.write(
        "data/submissions.csv",
        "unit,indicator,value,status\nA,H,90%,通过\nB,H,60%,通过\nC,H,75%,通过\n\
         A,K,8,通过\nB,K,9,不通过\nC,K,7,待审核\n",
    );
    let r = w.run(&["--draft"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // H over 90%, 60%, 75%, higher better, floor 0.2: 甲 best → 10; 乙
    // worst → 0.2 × 10 = 2; 丙 0.2 + 0.8 × (0.75 − 0.6)/(0.9 − 0.6) = 0.6
    // → 6. K: 甲 8; 乙's 9 was rejected, so nothing counted → 0; 丙's 7 is
    // pending (a draft run) and counts. P, rated out of 10 with nothing
    // trimmed: 甲 (8 + 6)/2 = 7; 丙 9; 乙 unrated, 0. Totals 25, 2, 22.
    let json: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    let units = json["units"].as_array().unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    let got: Vec<[String; 5]> = units
        .iter()
        .map(|u| {
            [
                s(&u["id"]),
                s(&u["indicators"]["H"]),
                s(&u["indicators"]["K"]),
                s(&u["indicators"]["P"]),
                s(&u["total"]),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["A", "10.00", "8.00", "7.00", "25.00"],
            ["C", "6.00", "7.00", "9.00", "22.00"],
            ["B", "2.00", "0.00", "0.00", "2.00"],
        ]
    );
    assert!(
        r.stderr
            .contains("B 乙: K (直接计分): 未报送（报送材料审核不通过）, scored 0"),
        "{}",
        r.stderr
    );
    let breakdown = w.read("out/breakdown.csv");
    assert!(breakdown.contains("组内最优 90%，最差 60%"), "{breakdown}");
    // With nothing to trim, the mean alone: no empty list of dropped scores.
    assert!(
        breakdown.contains("甲 8；乙 6") && breakdown.contains(",平均 7,"),
        "{breakdown}"
    );
    assert!(!breakdown.contains("去掉最高最低"), "{breakdown}");
    assert!(
        breakdown.contains("未报送（报送材料审核不通过）"),
        "{breakdown}"
    );
}

#[test]
fn records_of_one_unit_and_issue_under_different_names_make_one_finding() {
    let w = Workdir::with_fixture("hand");
    // U1 gets two more I1 records: one by its id, one by its full name
    // without a record id (row 13), 数量 3. With R1 (东湖, the alias, ×2):
    // Σ数量 = 2 + 1 + 3 = 6, I1 deducts 2 each: −12, A1 = 20 − 12 = 8.
    w.edit(
        "data/inspections.csv",
        "R10,U6,2023-03-02,网站检查,I2,1,\n",
        "R10,U6,2023-03-02,网站检查,I2,1,\nR11,U1,2023-08-01,网站检查,I1,,\n,东湖区,2023-08-02,网站检查,I1,3,\n",
    );
    assert_eq!(w.run(&[]).code, 0);
    let b = w.read("out/breakdown.csv");
    assert!(
        b.contains(
            "U1,东湖区,A1,文件公开,A 主动公开,扣分制,20.00,8.00,计分,记录 R1×2、R11、行13×3,I1 文件未公开 ×6 −12"
        ),
        "{b}"
    );
}

#[test]
fn blank_lines_padded_cells_and_blank_counts_in_inspections() {
    let w = Workdir::with_fixture("hand");
    // A blank line after R6 (row 8) and R7 with its unit and issue padded
    // and its 数量 only spaces (counts 1): R6 stays one I1 record of U4;
    // U5's R7 is row 9 now and still its I1 finding: A1 = 20 − 2 = 18.
    // A record without an id is named by its row (行13 after the blank).
    w.edit(
        "data/inspections.csv",
        "R7,U5,2023-03-02,网站检查,I1,1,\n",
        ",,,,,,\nR7, U5 ,2023-03-02,网站检查, I1 ,  ,\n",
    );
    w.edit(
        "data/inspections.csv",
        "R10,U6,2023-03-02,网站检查,I2,1,\n",
        "R10,U6,2023-03-02,网站检查,I2,1,\n,U4,2023-08-02,网站检查,I1,2,\n",
    );
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = w.read("out/breakdown.csv");
    assert!(
        b.contains("U5,市财政局,A1,文件公开,A 主动公开,扣分制,20.00,18.00,计分,记录 R7,I1 文件未公开 ×1 −2"),
        "{b}"
    );
    // U4: R6 (1) and 行13 (2): Σ 3, −6.
    assert!(
        b.contains("U4,市教育局,A1,文件公开,A 主动公开,扣分制,20.00,14.00,计分,记录 R6、行13×2,I1 文件未公开 ×3 −6"),
        "{b}"
    );
}
