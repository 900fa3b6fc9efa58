//! `zwgk generate`: deterministic per seed, of the size asked, and the same
//! bytes as before for a pinned small case (the benchmark inputs depend on
//! it).

use crate::harness::{run_args, Workdir};

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

/// Every file a small messy run writes, by size and SHA-256: the speed work
/// on messy data (BENCHMARKS.md) keeps each of them byte for byte. A change
/// meant to alter an output updates this snapshot with it, and says why.
/// (notice.docx is a zip whose parts are deflated: its bytes are pinned
/// too, with the zip and deflate crates of Cargo.lock.)
#[test]
fn a_small_messy_run_writes_the_pinned_bytes() {
    use zwgk::ingest::sha256_hex as hex;
    let w = Workdir::new();
    w.generate(200, 4000, &["--seed", "7", "--messy"], "gen");
    let r = w.zwgk(&run_args("gen/indicators.toml", "gen/data", "out"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sorted = |dir: &std::path::Path| {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
    };
    // A file by its size and hash; the feedback directory (a sheet per
    // unit) by its file count and the hash of its names and contents.
    let listing: String = sorted(&w.path().join("out"))
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            if p.is_dir() {
                let sheets = sorted(p);
                let mut all = Vec::new();
                for sheet in &sheets {
                    all.extend(sheet.file_name().unwrap().as_encoded_bytes());
                    all.extend(std::fs::read(sheet).unwrap());
                }
                return format!("{name}/ {} files {}\n", sheets.len(), hex(&all));
            }
            let bytes = std::fs::read(p).unwrap();
            format!("{name} {} {}\n", bytes.len(), hex(&bytes))
        })
        .collect();
    insta::assert_snapshot!("messy_200_units_4000_records_seed_7_outputs", listing);
}
