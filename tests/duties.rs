//! Responsibility tables (责任分工表) as offices write them: a 责任单位 cell
//! names several units and whole groups, and is read without exploding it
//! into one row per unit.

use crate::harness::Workdir;

fn units_of(results: &serde_json::Value, indicator: &str) -> Vec<String> {
    results["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| !u["indicators"][indicator].is_null())
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_cell_with_a_list_and_a_group_gives_the_same_duties_as_one_row_per_unit() {
    let reference = Workdir::with_fixture("hand");
    assert_eq!(reference.run(&["--no-charts"]).code, 0);
    // The hand fixture's duties: B2 for U1, U3, 市教育局 (U4), U5, U6 — one
    // row each. Here: one cell, a unit list and the group 部门 (U4–U6).
    let w = Workdir::with_fixture("hand");
    w.write(
        "data/duties.csv",
        "指标代码,责任单位\nB2,\"东湖区、南城区；部门\"\n",
    );
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        w.read("out/results.json"),
        reference.read("out/results.json")
    );
    // A group alias, written as the table writes it.
    w.edit(
        "indicators.toml",
        "name = \"部门\"",
        "name = \"部门\"\naliases = [\"市级各部门（单位）\"]",
    );
    w.write(
        "data/duties.csv",
        "指标代码,责任单位\nB2,\"东湖区，南城区\n市级各部门（单位）\"\n",
    );
    let r = w.run(&["--no-charts", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        w.read("out/results.json"),
        reference.read("out/results.json")
    );
}

#[test]
fn a_name_that_is_neither_unit_nor_group_is_an_error_with_the_nearest() {
    let w = Workdir::with_fixture("hand");
    w.write(
        "data/duties.csv",
        "指标代码,责任单位\nB2,\"东湖区、南城区等，部们\"\n",
    );
    w.run_refused(
        &["--no-charts"],
        1,
        &[
            "data/duties.csv: row 2, column 责任单位 (indicator B2): \"南城区等\" is neither a unit nor a group; did you mean 南城区?",
            "data/duties.csv: row 2, column 责任单位 (indicator B2): \"部们\" is neither a unit nor a group; did you mean 部门?",
        ],
    );
}

#[test]
fn a_unit_named_like_a_group_is_an_error() {
    let w = Workdir::with_fixture("hand");
    w.edit("data/units.csv", "U6,市民政局,g2,", "U6,市民政局,g2,部门");
    w.run_refused(
        &["--no-charts"],
        1,
        &["data/units.csv: row 7, column 单位名称: unit U6 is also named \"部门\", which names the group g2 in the indicator system"],
    );
}

/// The phrases of the 2021 table that name no unit, by row: the table itself
/// is read as written, one row per 主要内容, lists and groups in its cells.
const NAMES_NO_UNIT: &[(u32, &str, &str)] = &[
    (
        3,
        "基层政务公开领域涉及的市级部门（单位）按职责分工推进",
        "; did you mean 市级部门?",
    ),
    (
        4,
        "基层政务公开领域涉及的市级部门（单位）按职责分工推进",
        "; did you mean 市级部门?",
    ),
    (9, "开设政务新媒体的市级有关部门（单位）", "."),
    (12, "市级专项", "; did you mean 市级部门?"),
    (12, "空间", "."),
    (12, "区域规划编制牵头部门（单位）", "."),
    (
        14,
        "市农业农村局等市级部门（单位）",
        "; did you mean 市农业农村局, 市级部门?",
    ),
    (18, "市交通运输局等", "; did you mean 市交通运输局?"),
    (
        19,
        "市财政局等市级有关部门（单位）",
        "; did you mean 市财政局, 市级各部门（单位）?",
    ),
    (
        20,
        "市公共资源交易服务中心等市级有关部门（单位）",
        "; did you mean 市公共资源交易服务中心?",
    ),
    (
        21,
        "市政务服务管理局等市级有关部门（单位）",
        "; did you mean 市政务服务管理局?",
    ),
    (
        25,
        "市发展改革委等市级有关部门（单位）",
        "; did you mean 市发展改革委?",
    ),
];

#[test]
fn the_2021_dazhou_table_is_read_as_written_and_its_vague_phrases_named() {
    let w = Workdir::with_fixture("dazhou-2021");
    let r = w.zwgk(&["check", "--indicators", "indicators.toml", "--data", "data"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(errors.len(), NAMES_NO_UNIT.len(), "{}", r.stderr);
    for (line, (row, phrase, hint)) in errors.iter().zip(NAMES_NO_UNIT) {
        let indicator = match row {
            3 | 4 => "T01",
            9 => "T03",
            12 => "T06",
            14 | 18 => "T07",
            19 | 20 => "T08",
            _ => "T09",
        };
        let want = format!(
            "  - data/duties.csv: row {row}, column 责任单位 (indicator {indicator}): \"{phrase}\" is neither a unit nor a group{hint} Name the units (by id, name or alias) or a whole group (县（市、区）, 园区, 市级部门), separated by 、，；"
        );
        assert_eq!(*line, want);
    }
}

#[test]
fn the_2021_table_with_its_vague_phrases_made_plain_assesses_each_task_on_its_units() {
    let w = Workdir::with_fixture("dazhou-2021");
    // What the officer does with the errors above: name the units meant.
    for (from, to) in [
        ("，基层政务公开领域涉及的市级部门（单位）按职责分工推进", ""),
        (
            "基层政务公开领域涉及的市级部门（单位）按职责分工推进",
            "市级各部门（单位）",
        ),
        ("，开设政务新媒体的市级有关部门（单位）", ""),
        ("，市级专项、空间、区域规划编制牵头部门（单位）", ""),
        ("等市级部门（单位）", ""),
        ("市交通运输局等", "市交通运输局"),
        ("等市级有关部门（单位）", ""),
    ] {
        let text = w.read("data/duties.csv").replace(from, to);
        w.write("data/duties.csv", text);
    }
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    let counties = [
        "通川区",
        "达川区",
        "万源市",
        "宣汉县",
        "开江县",
        "大竹县",
        "渠县",
    ];
    let with_counties = |depts: &[&str]| {
        let mut all: Vec<String> = counties.iter().map(|s| s.to_string()).collect();
        all.push("达州高新区管委会".into());
        all.extend(depts.iter().map(|s| s.to_string()));
        all
    };
    // （二）: 市政务服务管理局，市档案馆、市文体旅游局（市图书馆）；各县（市、区）人民政府，达州高新区管委会
    assert_eq!(
        units_of(&results, "T02"),
        with_counties(&["市政务服务管理局", "市档案馆", "市文体旅游局"])
    );
    // （六）: 市发展改革委，市城乡规划编制中心，…，市政府信息公开管理中心 and the counties.
    assert_eq!(
        units_of(&results, "T06"),
        with_counties(&[
            "市政府信息公开管理中心",
            "市发展改革委",
            "市城乡规划编制中心"
        ])
    );
    // （十）: 市级各部门（单位） — every unit of the roster.
    assert_eq!(units_of(&results, "T10").len(), 34);
    // （四）: the counties and the park only.
    assert_eq!(units_of(&results, "T04"), with_counties(&[]));
}
