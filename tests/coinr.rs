//! Cross-check against COINr (the JRC's composite-indicator package, v1.1.14,
//! MIT): the ASEM index (51 countries, 49 indicators, 4 levels) and a tie
//! fixture, expressed as a zwgk indicator system — a `relative` leaf per
//! indicator (min-max over the units with a value, direction, floor 0),
//! COINr's weights as `weight`, a missing value as 不涉及 on a leaf that
//! allows it, `rank_on = "exact"`. Files in `tests/fixtures/coinr/` are
//! copied from COINr's output (see its README there).

use crate::harness::{fixture, Workdir};
use std::collections::HashMap;

fn read_csv(path: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(fixture(path)).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Writes indicators.toml and data/ for a COINr data set; `weights`
/// overrides iMeta's weights; `group_col` ranks within that column's groups.
fn coinr_workdir(
    data: &str,
    meta: &str,
    weights: &HashMap<String, String>,
    group_col: Option<&str>,
) -> Workdir {
    let data = read_csv(data);
    let meta = read_csv(meta);
    let groups: Vec<String> = match group_col {
        Some(c) => {
            let mut g: Vec<String> = data.iter().map(|r| r[c].clone()).collect();
            g.dedup();
            g.sort();
            g.dedup();
            g
        }
        None => vec!["all".to_string()],
    };
    let mut toml = String::from(
        "[assessment]\nname = \"COINr cross-check\"\nyear = 2018\nprecision = 12\nrank_on = \"exact\"\n\n[performance]\nweight_percent = 4\n\n[[grade]]\nname = \"-\"\nmin = 0\n",
    );
    for g in &groups {
        toml.push_str(&format!("\n[[group]]\nid = \"{g}\"\nname = \"{g}\"\n"));
    }
    let mut leaves = Vec::new();
    for m in meta
        .iter()
        .filter(|m| m["Type"] == "Indicator" || m["Type"] == "Aggregate")
    {
        let id = &m["iCode"];
        let w = weights.get(id).unwrap_or(&m["Weight"]);
        toml.push_str(&format!(
            "\n[[indicator]]\nid = \"{id}\"\nname = \"{id}\"\nweight = {w}\n"
        ));
        if !m["Parent"].is_empty() {
            toml.push_str(&format!("parent = \"{}\"\n", m["Parent"]));
        }
        if m["Type"] == "Indicator" {
            let dir = if m["Direction"] == "-1" {
                "lower"
            } else {
                "higher"
            };
            toml.push_str(&format!(
                "rule = \"relative\"\ndirection = \"{dir}\"\nallow_na = true\n"
            ));
            leaves.push(id.clone());
        }
    }
    let w = Workdir::new();
    w.write("indicators.toml", toml);
    let mut units = String::from("id,name,group\n");
    let mut subs = String::from("unit,indicator,value\n");
    for r in &data {
        let group = group_col.map_or("all", |c| r[c].as_str());
        units.push_str(&format!("{},\"{}\",{}\n", r["uCode"], r["uName"], group));
        for leaf in &leaves {
            // zwgk takes plain decimals only; R printed a few in exponent form.
            let v = match r[leaf].as_str() {
                "" => "不涉及".to_string(),
                x if x.contains('e') => rust_decimal::Decimal::from_scientific(x)
                    .unwrap()
                    .to_string(),
                x => x.to_string(),
            };
            subs.push_str(&format!("{},{},{}\n", r["uCode"], leaf, v));
        }
    }
    w.write("data/units.csv", units);
    w.write("data/submissions.csv", subs);
    w
}

struct Scored {
    total: f64,
    rank: u64,
    indicators: serde_json::Map<String, serde_json::Value>,
}

fn run_and_read(w: &Workdir) -> HashMap<String, Scored> {
    let r = w.run(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let scored = Scored {
                total: u["total"].as_str().unwrap().parse().unwrap(),
                rank: u["rank"].as_u64().unwrap(),
                indicators: u["indicators"].as_object().unwrap().clone(),
            };
            (u["id"].as_str().unwrap().to_string(), scored)
        })
        .collect()
}

fn assert_matches_coinr(ours: &HashMap<String, Scored>, expected: &str) {
    let expected = read_csv(expected);
    assert_eq!(ours.len(), expected.len());
    for e in &expected {
        let u = &ours[&e["uCode"]];
        let index: f64 = e["Index"].parse().unwrap();
        assert!(
            (u.total - index).abs() < 1e-9,
            "{}: zwgk {} vs COINr {}",
            e["uCode"],
            u.total,
            index
        );
        let rank: u64 = e["Rank_Index"].parse().unwrap();
        assert_eq!(u.rank, rank, "{} rank", e["uCode"]);
    }
}

#[test]
fn asem_s1_totals_and_ranks_equal_coinr() {
    let w = coinr_workdir(
        "coinr/ASEM_iData.csv",
        "coinr/ASEM_iMeta.csv",
        &HashMap::new(),
        None,
    );
    let ours = run_and_read(&w);
    assert_matches_coinr(&ours, "coinr/s1_minmax_amean_Aggregated.csv");
    // The aggregates agree too: COINr scores Conn and Sust on 0–100, zwgk in
    // points (50 each, half of full_score).
    for e in read_csv("coinr/s1_minmax_amean_Aggregated.csv") {
        for agg in ["Conn", "Sust"] {
            let points: f64 = ours[&e["uCode"]].indicators[agg]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            let ours = points * 2.0;
            let theirs: f64 = e[agg].parse().unwrap();
            assert!(
                (ours - theirs).abs() < 1e-9,
                "{} {agg}: {ours} vs {theirs}",
                e["uCode"]
            );
        }
    }
}

#[test]
fn asem_s2_with_changed_weights_equals_coinr_and_its_rank_changes() {
    let weights: HashMap<String, String> = read_csv("coinr/s2_weights.csv")
        .into_iter()
        .map(|r| (r["iCode"].clone(), r["Weight"].clone()))
        .collect();
    let s1 = run_and_read(&coinr_workdir(
        "coinr/ASEM_iData.csv",
        "coinr/ASEM_iMeta.csv",
        &HashMap::new(),
        None,
    ));
    let s2 = run_and_read(&coinr_workdir(
        "coinr/ASEM_iData.csv",
        "coinr/ASEM_iMeta.csv",
        &weights,
        None,
    ));
    assert_matches_coinr(&s2, "coinr/s2_minmax_amean_altweights_Aggregated.csv");
    for row in read_csv("coinr/s2_compare_vs_s1_ranks.csv") {
        let u = &row["uCode"];
        // coin.1 is s1, coin.2 is s2, Diff = coin.1 − coin.2.
        assert_eq!(s1[u].rank.to_string(), row["coin.1"], "{u} s1 rank");
        assert_eq!(s2[u].rank.to_string(), row["coin.2"], "{u} s2 rank");
        let diff = s1[u].rank as i64 - s2[u].rank as i64;
        assert_eq!(diff.to_string(), row["Diff"], "{u} rank change");
    }
}

#[test]
fn exact_ties_share_ranks_overall_and_within_groups_as_in_coinr() {
    let overall = run_and_read(&coinr_workdir(
        "coinr/ties/iData.csv",
        "coinr/ties/iMeta.csv",
        &HashMap::new(),
        None,
    ));
    for e in read_csv("coinr/ties/expected_ranks.csv") {
        assert_eq!(
            overall[&e["uCode"]].rank.to_string(),
            e["Index"],
            "{}",
            e["uCode"]
        );
    }
    for e in read_csv("coinr/ties/expected_Aggregated.csv") {
        let theirs: f64 = e["Index"].parse().unwrap();
        assert!((overall[&e["uCode"]].total - theirs).abs() < 1e-9);
    }
    let grouped = run_and_read(&coinr_workdir(
        "coinr/ties/iData.csv",
        "coinr/ties/iMeta.csv",
        &HashMap::new(),
        Some("Region"),
    ));
    for e in read_csv("coinr/ties/expected_groupranks.csv") {
        assert_eq!(
            grouped[&e["uCode"]].rank.to_string(),
            e["Index"],
            "{} in {}",
            e["uCode"],
            e["Region"]
        );
    }
}

#[test]
fn whatif_with_s2_weights_reproduces_coinrs_rank_change_table() {
    let w = coinr_workdir(
        "coinr/ASEM_iData.csv",
        "coinr/ASEM_iMeta.csv",
        &HashMap::new(),
        None,
    );
    let sets: Vec<String> = read_csv("coinr/s2_weights.csv")
        .into_iter()
        .filter(|r| r["Weight"] != "1")
        .map(|r| format!("{}={}", r["iCode"], r["Weight"]))
        .collect();
    assert_eq!(
        sets.len(),
        5,
        "s2 changes Goods, CO2, Physical, Conn and Sust"
    );
    let mut args = vec![
        "whatif",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--out",
        "wi",
    ];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    let r = w.zwgk(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&w.read("wi/whatif.json")).unwrap();
    let units: HashMap<String, (u64, u64)> = json["groups"][0]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_string(),
                (
                    u["old_rank"].as_u64().unwrap(),
                    u["new_rank"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    for row in read_csv("coinr/s2_compare_vs_s1_ranks.csv") {
        let (old, new) = units[&row["uCode"]];
        assert_eq!(old.to_string(), row["coin.1"], "{}", row["uCode"]);
        assert_eq!(new.to_string(), row["coin.2"], "{}", row["uCode"]);
        assert_eq!(
            (old as i64 - new as i64).to_string(),
            row["Diff"],
            "{}",
            row["uCode"]
        );
    }
}
