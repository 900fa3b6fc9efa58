//! Flat conversion (折算, `rescale = "flat"`): parents add up their
//! applicable items and the total is converted once, 得分 ÷ 应得分 × 100, as
//! county score sheets do.

use crate::harness::{unit_result as unit, Workdir};

/// 涡阳县 2020年第三季度 评分表 (SPEC §2): 基本信息 is worth 100 points and
/// 重点领域 0.64, published out of 100.
const FLAT: &str = r#"
[assessment]
name = "涡阳县政务公开第三季度评分（折算）"
year = 2020
rescale = "flat"

[performance]
weight_percent = 4

[[group]]
id = "town"
name = "乡镇"

[[grade]]
name = "合格"
min = 60

[[grade]]
name = "不合格"
min = 0

[[indicator]]
id = "J"
name = "基本信息"

[[indicator]]
id = "J1"
parent = "J"
name = "机构信息"
points = 60
rule = "manual"

[[indicator]]
id = "J2"
parent = "J"
name = "政策文件"
points = 40
rule = "manual"
allow_na = true

[[indicator]]
id = "Z"
name = "重点领域"
points = 0.64
rule = "manual"
"#;

fn workdir(rescale: &str) -> Workdir {
    let w = Workdir::new();
    w.write("indicators.toml", FLAT.replace("\"flat\"", rescale));
    w.write(
        "data/units.csv",
        "id,name,group\nT1,城关镇,town\nT2,西阳镇,town\n",
    );
    w.write(
        "data/submissions.csv",
        "unit,indicator,value\n\
         T1,J1,50\nT1,J2,31.22\nT1,Z,0.64\n\
         T2,J1,50\nT2,J2,不涉及\nT2,Z,0.64\n",
    );
    w
}

#[test]
fn flat_conversion_reproduces_the_published_county_sheet() {
    let w = workdir("\"flat\"");
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    // T1: (81.22 + 0.64) × 100 / 100.64 = 8186 / 100.64 = 81.339467… → 81.34,
    // the published figure; 基本信息 is the plain sum 50 + 31.22.
    let t1 = unit(&results, "T1");
    assert_eq!(t1["total"], "81.34");
    assert_eq!(t1["indicators"]["J"], "81.22");
    // T2: J2 不涉及, so it is measured against 60 + 0.64 applicable points:
    // (50 + 0.64) × 100 / 60.64 = 83.509234… → 83.51; 基本信息 is 50.
    let t2 = unit(&results, "T2");
    assert_eq!(t2["total"], "83.51");
    assert_eq!(t2["indicators"]["J"], "50.00");
    assert_eq!(t2["indicators"]["J2"], serde_json::Value::Null);
    let b = w.read("out/breakdown.csv");
    assert!(
        b.contains("T1,城关镇,,基础得分,,合计,100,81.34,计分,,,按应得分折算：得分 81.86 ÷ 应得分 100.64 × 100 = 81.34"),
        "{b}"
    );
    assert!(
        b.contains("按应得分折算：得分 50.64 ÷ 应得分 60.64 × 100 = 83.51"),
        "{b}"
    );
}

#[test]
fn without_flat_the_top_level_must_add_up_to_full_score() {
    let w = workdir("\"parent\"");
    w.run_refused(
        &["--no-charts"],
        1,
        &[
            "indicators.toml: line ",
            "top-level indicators add up to 100.64 (J 100 + Z 0.64), but full_score is 100",
        ],
    );
    let w = workdir("\"sideways\"");
    w.run_refused(
        &["--no-charts"],
        1,
        &[
            "indicators.toml: line ",
            "assessment.rescale = \"sideways\": expected \"parent\" or \"flat\"",
        ],
    );
}

/// The same tree with the default conversion at every parent, on points
/// that add up to 100 (基本信息 99.36 = 59.616 + 39.744): T2's N/A J2 is
/// made up inside 基本信息, so 49.68 there scores 49.68 × 99.36 / 59.616 =
/// 82.80, and 82.80 + 0.64 = 83.44 in all, where flat conversion would give
/// (49.68 + 0.64) × 100 / 60.256 = 83.51 — both right for their scheme.
#[test]
fn the_default_conversion_at_every_parent_gives_another_figure() {
    let w = workdir("\"parent\"");
    w.edit("indicators.toml", "points = 60", "points = 59.616");
    w.edit("indicators.toml", "points = 40", "points = 39.744");
    w.write(
        "data/submissions.csv",
        "unit,indicator,value\nT2,J1,49.68\nT2,J2,不涉及\nT2,Z,0.64\n",
    );
    w.write("data/units.csv", "id,name,group\nT2,西阳镇,town\n");
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    // J = 49.68 × 99.36 / 59.616 = 82.80; total 82.80 + 0.64 = 83.44.
    let t2 = unit(&results, "T2");
    assert_eq!(t2["indicators"]["J"], "82.80");
    assert_eq!(t2["total"], "83.44");
}

/// `sensitivity` models the totals in f64; with flat conversion it must
/// convert once, as `run` does. T3: J1 60, J2 不涉及, Z 0 → 60 × 100 / 60.64
/// = 98.94; T4: 60 + 39.195 + 0.64 = 99.835 → 99.20, first. Rescaled at
/// every parent T3 would score 100 × 100 / 100.64 = 99.36 and be first.
#[test]
fn sensitivity_models_flat_conversion_as_run_does() {
    let w = workdir("\"flat\"");
    w.write(
        "data/units.csv",
        "id,name,group\nT3,龙山镇,town\nT4,义门镇,town\n",
    );
    w.write(
        "data/submissions.csv",
        "unit,indicator,value\nT3,J1,60\nT3,J2,不涉及\nT3,Z,0\nT4,J1,60\nT4,J2,39.195\nT4,Z,0.64\n",
    );
    let r = w.zwgk(&[
        "sensitivity",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--samples",
        "4",
        "--spread",
        "0",
        "--out",
        "s",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("s/sensitivity.json")).unwrap();
    let units = json["units"].as_array().unwrap();
    let t4 = units.iter().find(|u| u["id"] == "T4").unwrap();
    assert_eq!(t4["baseline_rank"], 1);
    for u in units {
        assert_eq!(u["median_rank"], u["baseline_rank"], "{u}");
    }
}
