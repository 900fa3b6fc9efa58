//! `zwgk weights`: AHP from pairwise comparisons, entropy from a run.

use crate::harness::Workdir;

fn demo(rel: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn ahp_gives_weights_and_consistency_and_writes_a_weighted_system() {
    let w = Workdir::new();
    let (ind, file) = (
        demo("indicators/demo.toml"),
        demo("indicators/demo-ahp.toml"),
    );
    let r = w.zwgk(&[
        "weights",
        "ahp",
        &file,
        "--indicators",
        &ind,
        "--out",
        "wts",
        "--write",
        "weighted.toml",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("wts/weights.json")).unwrap();
    assert_eq!(json["method"], "ahp");
    let top = &json["sets"][0];
    assert_eq!(top["parent"], "");
    assert_eq!(top["ri"], 1.24);
    assert_eq!(top["consistent"], true);
    let sum: f64 = top["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-12);
    // A1, A2, A4 equal and A3 half of them: 2/7, 2/7, 1/7, 2/7, CR 0.
    let a = &json["sets"][1];
    assert!(
        (a["weights"][2].as_f64().unwrap() - 1.0 / 7.0).abs() < 1e-9,
        "{a}"
    );
    assert!(a["cr"].as_f64().unwrap().abs() < 1e-9);
    let written = w.read("weighted.toml");
    assert!(written.contains("weight = 0.1429"), "{written}");
    let r = w.zwgk(&[
        "check",
        "--indicators",
        "weighted.toml",
        "--data",
        &demo("data/demo"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn ahp_reports_every_malformed_comparison_at_once() {
    let w = Workdir::new();
    w.write(
        "c.toml",
        "[[set]]\nparent = \"A\"\nchildren = [\"A1\", \"A2\", \"A3\", \"A4\"]\nupper = [[1, 2], [2, 1], [\"1/2\"]]\n\
         [[set]]\nparent = \"\"\nchildren = [\"A\", \"B\"]\nupper = [[10]]\n\
         [[set]]\nparent = \"B\"\nchildren = [\"B1\"]\nupper = []\n",
    );
    let indicators = demo("indicators/demo.toml");
    w.refused(
        &["weights", "ahp", "c.toml", "--indicators", &indicators],
        1,
        &[
            "c.toml: [[set]] number 1: row 1 of upper must have 3 judgements",
            "c.toml: [[set]] number 2: children must be exactly the top-level indicators: A, B, C, D, E, F",
            "c.toml: [[set]] number 3: children must be exactly the children of \"B\": B1, B2",
        ],
    );
    w.write(
        "d.toml",
        "[[set]]\nparent = \"B\"\nchildren = [\"B1\", \"B2\"]\nupper = [[10]]\n",
    );
    w.refused(
        &["weights", "ahp", "d.toml", "--indicators", &indicators],
        1,
        &["d.toml: [[set]] number 1: the judgement 10 of B1 over B2 is not on the 1–9 scale"],
    );
}

#[test]
fn inconsistent_judgements_name_the_pair_and_are_not_written() {
    let w = Workdir::new();
    w.write(
        "c.toml",
        "[[set]]\nparent = \"A\"\nchildren = [\"A1\", \"A2\", \"A3\", \"A4\"]\nupper = [[9, \"1/9\", 1], [9, 1], [1]]\n",
    );
    let r = w.zwgk(&[
        "weights",
        "ahp",
        "c.toml",
        "--indicators",
        &demo("indicators/demo.toml"),
        "--write",
        "x.toml",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("inconsistent (CR >= 0.1): the judgement of A1 against A2"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("x.toml not written: the judgements of A are inconsistent"),
        "{}",
        r.stderr
    );
    assert!(!w.exists("x.toml"));
}

/// The hand fixture's leaf scores (expected/results.json), over the units
/// each leaf applies to: A1 (20, 16, 20, 18, 18, 0), A2 (10, 20, 4, 7, 0),
/// B1 (20, 15, 20, 20, 20, 15), B2 (6, 10, 10, 7, 10), C1 (15, 12.5, 13.5),
/// C2 (15, 13, 0). e_j = −Σ p ln p / ln n gives d = 1 − e = 0.103623,
/// 0.240010, 0.004773, 0.013347, 0.002560, 0.371394 (Σ 0.735708), so
/// w = 0.140848, 0.326230, 0.006488, 0.018142, 0.003480, 0.504812: C2,
/// where one unit scored 0, weighs most; B1, nearly even, least.
#[test]
fn entropy_weights_of_a_run_sum_to_one_beside_the_published_shares() {
    let w = Workdir::with_fixture("hand");
    let r = w.zwgk(&[
        "weights",
        "entropy",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--out",
        "e",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("e/weights.json")).unwrap();
    assert_eq!(json["method"], "entropy");
    let leaves = json["leaves"].as_array().unwrap();
    let ids: Vec<&str> = leaves.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["A1", "A2", "B1", "B2", "C1", "C2"]);
    let sum: f64 = leaves.iter().map(|l| l["weight"].as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-9, "{sum}");
    let by_hand = [0.140848, 0.326230, 0.006488, 0.018142, 0.003480, 0.504812];
    for (leaf, want) in leaves.iter().zip(by_hand) {
        let got = leaf["weight"].as_f64().unwrap();
        assert!((got - want).abs() < 1e-6, "{}: {got} vs {want}", leaf["id"]);
    }
    assert_eq!(leaves[0]["published_share"], 0.2, "A1: 20 of 100");
}
