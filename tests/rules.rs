//! Rules that only the demo exercised, each with its figure worked out by
//! hand from the hand fixture (tests/fixtures/hand/expected/README.md has
//! the unchanged case): a bonus cap that binds, cap_at_full = false, a
//! veto = "indicator" on a leaf outside any pool, and the notice's summary
//! statistics.

use crate::harness::{unit_result, Workdir};

fn results(w: &Workdir) -> serde_json::Value {
    let r = w.run(&["--no-charts", "--notice-date", "2024-03-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&w.read("out/results.json")).unwrap()
}

#[test]
fn a_bonus_cap_that_binds_limits_the_bonus() {
    let w = Workdir::with_fixture("hand");
    w.edit("indicators.toml", "bonus_cap = 3", "bonus_cap = 1.5");
    let r = results(&w);
    // U1: J1 3 × 1 capped by its max 2, then by the cap 1.5:
    // total 72.5 + 1.5 = 74.00, performance 74 × 5 / 100 = 3.70.
    let u1 = unit_result(&r, "U1");
    assert_eq!(
        (u1["bonus"].as_str(), u1["total"].as_str()),
        (Some("1.50"), Some("74.00"))
    );
    assert_eq!(u1["performance_points"], "3.70");
    // U2: J1 1 point, under the cap: 1.00.
    assert_eq!(unit_result(&r, "U2")["bonus"], "1.00");
    assert!(w
        .read("out/breakdown.csv")
        .contains("加分项合计 2，加分最多 1.5 分"));
}

#[test]
fn without_cap_at_full_a_total_may_pass_the_full_score() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "bonus_cap = 3",
        "bonus_cap = 3\ncap_at_full = false",
    );
    let r = results(&w);
    // U2: base 100 + bonus 1 = 101.00 (capped at 100 by default);
    // performance 101 × 5 / 100 = 5.05.
    let u2 = unit_result(&r, "U2");
    assert_eq!(
        (u2["total"].as_str(), u2["performance_points"].as_str()),
        (Some("101.00"), Some("5.05"))
    );
    assert_eq!(u2["rank"], 1);
    // U1 is under the full score either way: 74.50.
    assert_eq!(unit_result(&r, "U1")["total"], "74.50");
}

#[test]
fn an_indicator_veto_zeroes_its_leaf_and_nothing_else() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "code = \"I1\"",
        "code = \"I1\"\nveto = \"indicator\"",
    );
    let r = results(&w);
    // U1 (R1, I1 ×2): A1 0 instead of 16; A = 0 + 10 = 10, B 21, C 25.5:
    // base 56.5, below the bonus gate 60 → no bonus: total 56.50.
    let u1 = unit_result(&r, "U1");
    assert_eq!(u1["indicators"]["A1"], "0.00");
    assert_eq!(u1["indicators"]["A"], "10.00");
    assert_eq!(
        (u1["bonus"].as_str(), u1["total"].as_str()),
        (Some("0.00"), Some("56.50"))
    );
    // U4 (R6, I1 ×1): A1 0; A = 0 + 4 = 4, B 30; base 34 × 100 / 70 =
    // 48.571… → 48.57.
    assert_eq!(unit_result(&r, "U4")["total"], "48.57");
    // B, outside: unchanged for U1 (21.00).
    assert_eq!(u1["indicators"]["B"], "21.00");
}

#[test]
fn the_notices_summary_gives_each_groups_count_mean_range_and_grades() {
    let w = Workdir::with_fixture("hand");
    results(&w);
    let md = w.read("out/notice.md");
    // 县: 100, 74.5, 59 → mean 233.5 / 3 = 77.83; 优秀 1 (U2), 良好 1 (U1),
    // 较差 1 (U3, vetoed). 部门: 74.2857… × 2 + 35.7142… = 184.2857… → mean
    // 61.43; 良好 2 (U4, U5), 较差 1 (U6). All six: 417.7857… / 6 = 69.63.
    assert!(
        md.contains("| 县（市、区） | 3 | 77.83 | 100.00 | 59.00 | 1 | 1 | 1 |"),
        "{md}"
    );
    assert!(
        md.contains("| 部门 | 3 | 61.43 | 74.29 | 35.71 | 0 | 2 | 1 |"),
        "{md}"
    );
    assert!(md.contains("全部单位平均得分69.63分"), "{md}");
}
