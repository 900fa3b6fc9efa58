//! Properties over random inputs for the hand-worked indicator system:
//! every score within its bounds, results independent of input row order,
//! the same inputs giving the same bytes, and the inspection records
//! aggregated as a plain loop would.

use crate::harness::{fixture, Workdir};
use proptest::prelude::*;
use zwgk::report::{self, Export};

const UNITS: [&str; 6] = ["U1", "U2", "U3", "U4", "U5", "U6"];
const ISSUES: [&str; 5] = ["I1", "I2", "I3", "V1", "P1"];

#[derive(Debug, Clone)]
struct Tables {
    inspections: Vec<String>,
    submissions: Vec<String>,
    ratings: Vec<String>,
}

fn tables() -> impl Strategy<Value = Tables> {
    let record = (0..6usize, 0..5usize, 0..6u32).prop_map(|(u, i, c)| (u, i, c));
    let a2 = prop_oneof![
        Just(None),
        Just(Some("不涉及".to_string())),
        (0..=100u32).prop_map(|p| Some(format!("{p}%")))
    ];
    let c2 = prop_oneof![Just(None), (0..40i64).prop_map(Some)];
    let unit_subs = (a2, c2, 0..4u32);
    let ratings = proptest::collection::vec(0..=10u32, 0..6);
    (
        proptest::collection::vec(record, 0..25),
        proptest::collection::vec(unit_subs, 6),
        proptest::collection::vec(ratings, 6),
    )
        .prop_map(|(records, subs, ratings)| {
            let inspections = records
                .iter()
                .enumerate()
                .map(|(k, (u, i, c))| {
                    format!("R{k},{},2023-05-01,检查,{},{c},", UNITS[*u], ISSUES[*i])
                })
                .collect();
            let mut submissions = Vec::new();
            for (u, (a2, c2, j1)) in subs.iter().enumerate() {
                if let Some(v) = a2 {
                    submissions.push(format!("{},A2,{v},通过,", UNITS[u]));
                }
                if let Some(d) = c2 {
                    let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 20).unwrap()
                        + chrono::Duration::days(*d);
                    submissions.push(format!("{},C2,{date},通过,", UNITS[u]));
                }
                submissions.push(format!("{},J1,{j1},通过,", UNITS[u]));
            }
            let ratings = ratings
                .iter()
                .enumerate()
                .flat_map(|(u, scores)| {
                    scores
                        .iter()
                        .enumerate()
                        .map(move |(k, s)| format!("R{k},{},C1,{s}", UNITS[u]))
                })
                .collect();
            Tables {
                inspections,
                submissions,
                ratings,
            }
        })
}

fn write(w: &Workdir, t: &Tables) {
    w.write(
        "data/inspections.csv",
        format!(
            "id,unit,date,source,issue,count,note\n{}\n",
            t.inspections.join("\n")
        ),
    );
    w.write(
        "data/submissions.csv",
        format!(
            "unit,indicator,value,status,evidence\n{}\n",
            t.submissions.join("\n")
        ),
    );
    w.write(
        "data/ratings.csv",
        format!("rater,unit,indicator,score\n{}\n", t.ratings.join("\n")),
    );
}

fn assess(w: &Workdir) -> zwgk::assess::Assessment {
    zwgk::assess::assess(
        &w.path().join("indicators.toml"),
        &w.path().join("data"),
        false,
        None,
    )
    .unwrap()
}

fn base_workdir() -> Workdir {
    let w = Workdir::new();
    w.write(
        "indicators.toml",
        std::fs::read(fixture("hand/indicators.toml")).unwrap(),
    );
    w.write(
        "data/units.csv",
        std::fs::read(fixture("hand/data/units.csv")).unwrap(),
    );
    w.write(
        "data/duties.csv",
        std::fs::read(fixture("hand/data/duties.csv")).unwrap(),
    );
    // Tables the system needs, with their header only ("none this year").
    w.write(
        "data/submissions.csv",
        "unit,indicator,value,status,evidence\n",
    );
    w.write("data/ratings.csv", "rater,unit,indicator,score\n");
    w
}

fn reversed(t: &Tables) -> Tables {
    let rev = |v: &Vec<String>| v.iter().rev().cloned().collect();
    Tables {
        inspections: rev(&t.inspections),
        submissions: rev(&t.submissions),
        ratings: rev(&t.ratings),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_score_lies_within_its_points_and_totals_within_full_score(t in tables()) {
        let w = base_workdir();
        write(&w, &t);
        let a = assess(&w);
        for s in &a.scores {
            for (node, score) in a.system.indicators.iter().zip(&s.indicators) {
                if let Some(x) = score {
                    prop_assert!(!x.is_negative() && *x <= node.points, "{} = {x} outside 0..={}", node.id, node.points);
                }
            }
            prop_assert!(!s.total.is_negative() && s.total.to_decimal() <= a.system.full_score);
            if s.vetoed {
                prop_assert!(s.total.to_decimal() <= a.system.veto_cap.unwrap());
            }
            prop_assert!(s.bonus.to_decimal() <= a.system.bonus_cap);
        }
    }

    /// SPEC §10: one part of weight 1 combines into that part's published
    /// totals and vetoes, whatever the assessment.
    #[test]
    fn a_combination_of_one_part_of_weight_one_is_that_part(t in tables()) {
        let w = base_workdir();
        write(&w, &t);
        let a = assess(&w);
        w.write("part/results.json", report::json::Results.to_bytes(&a).unwrap());
        let roster = zwgk::ingest::load_roster(&a.system, &w.path().join("data")).unwrap();
        let arg = zwgk::combine::part_arg(&format!("{}=1", w.path().join("part").display())).unwrap();
        let c = zwgk::combine::combine(&a.system, roster, &[arg]).unwrap();
        for u in 0..a.scores.len() {
            let p = a.system.precision;
            prop_assert_eq!(c.scores[u].total.publish(p), a.scores[u].total.publish(p));
            prop_assert_eq!(c.scores[u].vetoed, a.scores[u].vetoed);
        }
    }

    /// SPEC §10 worked independently: two different parts weighted w and
    /// 1 − w combine into round_half_up(w × T1 + (1 − w) × T2) at the
    /// system's precision, capped at veto_cap (59) when either part vetoed
    /// the unit; computed here from the parts' published totals alone.
    #[test]
    fn two_parts_combine_into_their_weighted_published_totals(
        t1 in tables(),
        t2 in tables(),
        tenths in 1u32..10,
    ) {
        use rust_decimal::{Decimal, RoundingStrategy};
        let (w1, w2) = (base_workdir(), base_workdir());
        write(&w1, &t1);
        write(&w2, &t2);
        let (a1, a2) = (assess(&w1), assess(&w2));
        w1.write("p1/results.json", report::json::Results.to_bytes(&a1).unwrap());
        w1.write("p2/results.json", report::json::Results.to_bytes(&a2).unwrap());
        let weight = Decimal::new(tenths.into(), 1);
        let args = [
            format!("{}={weight}", w1.path().join("p1").display()),
            format!("{}={}", w1.path().join("p2").display(), Decimal::ONE - weight),
        ];
        let parts: Vec<_> = args
            .iter()
            .zip(["上半年", "下半年"])
            .map(|(a, name)| zwgk::combine::PartArg {
                name: Some(name.into()),
                ..zwgk::combine::part_arg(a).unwrap()
            })
            .collect();
        let roster = zwgk::ingest::load_roster(&a1.system, &w1.path().join("data")).unwrap();
        let c = zwgk::combine::combine(&a1.system, roster, &parts).unwrap();
        let p = a1.system.precision;
        for u in 0..a1.scores.len() {
            let published = |a: &zwgk::assess::Assessment| -> Decimal {
                a.scores[u].total.publish(p)
            };
            let mut want = (weight * published(&a1) + (Decimal::ONE - weight) * published(&a2))
                .round_dp_with_strategy(p, RoundingStrategy::MidpointAwayFromZero);
            let vetoed = a1.scores[u].vetoed || a2.scores[u].vetoed;
            if vetoed {
                want = want.min(Decimal::from(59));
            }
            let got = c.scores[u].total.publish(p);
            prop_assert_eq!(got, want, "unit {}", u);
            prop_assert_eq!(c.scores[u].vetoed, vetoed);
        }
    }

    #[test]
    fn results_do_not_depend_on_the_order_of_input_rows(t in tables()) {
        let w = base_workdir();
        write(&w, &t);
        let forward = report::json::Results.to_bytes(&assess(&w)).unwrap();
        write(&w, &reversed(&t));
        let backward = report::json::Results.to_bytes(&assess(&w)).unwrap();
        prop_assert_eq!(String::from_utf8(forward).unwrap(), String::from_utf8(backward).unwrap());
    }
}

#[test]
fn the_same_inputs_give_the_same_bytes_in_every_file() {
    let w = Workdir::with_fixture("hand");
    // Each time the tables are read and scored afresh, not one assessment
    // written twice.
    let tables = |out: &str| {
        let a = assess(&w);
        let staging = report::output::Staging::begin(&w.path().join(out), false, &[]).unwrap();
        report::write_tables(&a, &staging).unwrap();
        staging.commit().unwrap();
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(w.path().join(out))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let (first, second) = (tables("first"), tables("second"));
    assert_eq!(
        first.len(),
        7,
        "json, two CSV, run.log, two xlsx, the marker"
    );
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{name} differs between two runs");
    }
}

#[test]
fn scaling_every_point_by_one_factor_leaves_the_ranks_unchanged() {
    let w = Workdir::with_fixture("hand");
    let base = assess(&w);
    let toml = w.read("indicators.toml");
    // Double every indicator's points and the full score: shares are the same.
    let doubled: String = toml
        .lines()
        .map(|l| match l.strip_prefix("points = ") {
            Some(p) => format!("points = {}", p.parse::<u32>().unwrap() * 2),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace("[assessment]\n", "[assessment]\nfull_score = 200\n")
        .replace("veto_cap = 59", "veto_cap = 118")
        .replace("bonus_gate = 60", "bonus_gate = 120")
        .replace("bonus_cap = 3", "bonus_cap = 6")
        .replace("deduct = 2\n", "deduct = 4\n")
        .replace("deduct = 5\n", "deduct = 10\n")
        .replace("deduct = 3\n", "deduct = 6\n")
        .replace("deduct = 1.5\n", "deduct = 3\n")
        .replace("max_deduct = 4", "max_deduct = 8")
        .replace("max = 2", "max = 4")
        .replace("late_deduct = 1\n", "late_deduct = 2\n")
        .replace(
            "[[grade]]\nname = \"良好\"\nmin = 70",
            "[[grade]]\nname = \"良好\"\nmin = 140",
        )
        .replace("min = 90", "min = 180");
    w.write("indicators.toml", doubled);
    let scaled = assess(&w);
    assert_eq!(scaled.system.full_score, rust_decimal::Decimal::from(200));
    for u in 0..base.scores.len() {
        assert_eq!(
            base.ranking.standings[u], scaled.ranking.standings[u],
            "unit {u}"
        );
        assert_eq!(
            base.scores[u].total.mul_dec(2.into()),
            scaled.scores[u].total,
            "unit {u}"
        );
    }
}

/// How the hand roster's units may be written: id, name, alias, padded.
const SPELLINGS: [&[&str]; 6] = [
    &["U1", "东湖区", "东湖", " 东湖区 ", "东 湖 区"],
    &["U2", "西山区"],
    &["U3", "南城区"],
    &["U4", "市教育局", "教育局"],
    &["U5", "市财政局"],
    &["U6", "市民政局"],
];
/// 数量 cells as written, with their values (an empty cell counts 1).
const COUNTS: [(&str, &str); 6] = [
    ("", "1"),
    ("1", "1"),
    ("2", "2"),
    ("0.5", "0.5"),
    (" 3 ", "3"),
    ("0", "0"),
];
const NOTES: [&str; 3] = ["", "迟报", "漏报"];

/// One unit's finding of one issue as a plain loop aggregates it.
#[derive(Default)]
struct Expected {
    count: rust_decimal::Decimal,
    records: usize,
    ids: Vec<String>,
    notes: Vec<&'static str>,
}

/// A random inspection record: unit and its spelling, issue, count, whether
/// it has an id, its note, and whether a blank line comes before it.
type Record = (usize, usize, usize, usize, bool, usize, bool);

fn records() -> impl Strategy<Value = Vec<Record>> {
    let record = (
        0..6usize,
        0..5usize,
        0..5usize,
        0..6usize,
        any::<bool>(),
        0..3usize,
        proptest::bool::weighted(0.1),
    );
    proptest::collection::vec(record, 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The polars aggregation against a plain one: per unit and issue (in
    /// that order) Σ数量, the number of records, the ids in row order
    /// (`R3×2`, `行9` without an id) and the distinct notes.
    #[test]
    fn findings_equal_a_plain_aggregation_of_the_records(recs in records()) {
        use rust_decimal::Decimal;
        use std::collections::BTreeMap;
        let w = base_workdir();
        let mut lines = vec!["id,unit,date,source,issue,count,note".to_string()];
        let mut expected: BTreeMap<(usize, usize), Expected> = BTreeMap::new();
        for (k, &(u, spelling, i, c, has_id, n, blank_before)) in recs.iter().enumerate() {
            if blank_before {
                lines.push(",,,,,,".into());
            }
            let spelling = SPELLINGS[u][spelling % SPELLINGS[u].len()];
            let (count_cell, value) = COUNTS[c];
            let id = if has_id { format!("R{k}") } else { String::new() };
            lines.push(format!("{id},{spelling},2023-05-01,检查,{},{count_cell},{}", ISSUES[i], NOTES[n]));
            let row = lines.len(); // the header is row 1
            let value: Decimal = value.parse().unwrap();
            let mut label = if has_id { id } else { format!("行{row}") };
            if value != Decimal::ONE {
                label = format!("{label}×{}", count_cell.trim());
            }
            let e = expected.entry((u, i)).or_default();
            e.count += value;
            e.records += 1;
            e.ids.push(label);
            if !NOTES[n].is_empty() && !e.notes.contains(&NOTES[n]) {
                e.notes.push(NOTES[n]);
            }
        }
        w.write("data/inspections.csv", lines.join("\n") + "\n");
        let a = assess(&w);
        let unit_of = |id: &str| UNITS.iter().position(|u| *u == id).unwrap();
        let issue_of = |code: &str| ISSUES.iter().position(|x| *x == code).unwrap();
        let got: Vec<_> = a.inputs.findings.iter().map(|f| {
            let key = (unit_of(&a.inputs.units[f.unit].id), issue_of(&a.system.issues[f.issue].code));
            (key, f.count, f.records as usize, f.ids.clone(), f.notes.to_string())
        }).collect();
        let want: Vec<_> = expected.into_iter().map(|((u, i), e)| {
            ((u, i), e.count, e.records, e.ids.join("、"), e.notes.join("；"))
        }).collect();
        prop_assert_eq!(got, want);
    }
}
