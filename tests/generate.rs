//! `zwgk generate`: deterministic per seed, of the size asked, and the same
//! bytes as before for a pinned small case (the benchmark inputs depend on
//! it).

use crate::harness::Workdir;

const FILES: [&str; 6] = [
    "indicators.toml",
    "data/units.csv",
    "data/inspections.csv",
    "data/submissions.csv",
    "data/ratings.csv",
    "data/duties.csv",
];

fn generate(w: &Workdir, units: &str, records: &str, seed: &str, out: &str) {
    let r = w.zwgk(&[
        "generate",
        "--units",
        units,
        "--records",
        records,
        "--seed",
        seed,
        "--out",
        out,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_same_seed_gives_the_same_files_and_another_seed_other_records() {
    let w = Workdir::new();
    generate(&w, "40", "500", "9", "a");
    generate(&w, "40", "500", "9", "b");
    generate(&w, "40", "500", "10", "c");
    for f in FILES {
        assert_eq!(w.read(&format!("a/{f}")), w.read(&format!("b/{f}")), "{f}");
    }
    assert_ne!(
        w.read("a/data/inspections.csv"),
        w.read("c/data/inspections.csv")
    );
}

#[test]
fn the_tables_have_the_rows_asked_for() {
    let w = Workdir::new();
    generate(&w, "25", "321", "1", "g");
    let lines = |f: &str| w.read(&format!("g/data/{f}")).lines().count();
    // A header and one row per unit or record.
    assert_eq!(lines("units.csv"), 26);
    assert_eq!(lines("inspections.csv"), 322);
    // Five raters score every unit's C2.
    assert_eq!(lines("ratings.csv"), 1 + 5 * 25);
    let ids: std::collections::HashSet<String> = w
        .read("g/data/inspections.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), 321, "record ids are distinct");
}

#[test]
fn a_small_case_is_generated_byte_for_byte_as_pinned() {
    let w = Workdir::new();
    generate(&w, "4", "6", "1", "g");
    let tables: String = FILES[1..]
        .iter()
        .map(|f| format!("== {f}\n{}", w.read(&format!("g/{f}"))))
        .collect();
    insta::assert_snapshot!("generated_4_units_6_records_seed_1", tables);
}

/// `--messy` writes the same assessment as offices write tables (ids, names
/// with stray spaces, aliases and full-width ids mixed; four date formats;
/// GB18030 and UTF-8 with BOM): it scores exactly as the clean one, and is
/// deterministic too.
#[test]
fn a_messy_assessment_scores_exactly_as_the_clean_one_of_its_seed() {
    let w = Workdir::new();
    generate(&w, "120", "6000", "3", "clean");
    for out in ["messy", "messy2"] {
        let r = w.zwgk(&[
            "generate",
            "--units",
            "120",
            "--records",
            "6000",
            "--seed",
            "3",
            "--messy",
            "--out",
            out,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let records = std::fs::read(w.path().join("messy/data/inspections.csv")).unwrap();
    assert!(
        std::str::from_utf8(&records).is_err(),
        "inspections are GB18030"
    );
    let text = encoding_rs::GB18030.decode(&records).0;
    for variant in ["年", "/", "号单位", "Ｇ", "\u{3000}"] {
        assert!(text.contains(variant), "{variant} in the records");
    }
    assert!(w.read("messy/data/submissions.csv").starts_with('\u{feff}'));
    assert_eq!(
        std::fs::read(w.path().join("messy/data/inspections.csv")).unwrap(),
        std::fs::read(w.path().join("messy2/data/inspections.csv")).unwrap()
    );
    for dir in ["clean", "messy"] {
        let r = w.zwgk(&[
            "run",
            "--indicators",
            &format!("{dir}/indicators.toml"),
            "--data",
            &format!("{dir}/data"),
            "--out",
            &format!("{dir}/out"),
            "--no-charts",
            "--notice-date",
            "2024-03-01",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for f in ["results.json", "scores.csv", "notice.md"] {
        assert_eq!(
            w.read(&format!("clean/out/{f}")),
            w.read(&format!("messy/out/{f}")),
            "{f}"
        );
    }
}
