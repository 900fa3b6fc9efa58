//! The whole ingest of an inspections table (encoding, polars CSV, each
//! distinct cell resolved, the polars group_by into findings, the
//! row-by-row diagnostics) against the hand-worked indicator system and
//! roster: any bytes give findings or diagnostics, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;
use zwgk::config::System;

const TOML: &str = include_str!("../../tests/fixtures/hand/indicators.toml");
const UNITS: &str = include_str!("../../tests/fixtures/hand/data/units.csv");

fn setup() -> &'static (System, PathBuf) {
    static SETUP: OnceLock<(System, PathBuf)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let system = System::parse(TOML, "indicators.toml").expect("the hand fixture parses");
        let dir = std::env::temp_dir().join(format!("zwgk-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        std::fs::write(dir.join("units.csv"), UNITS).expect("the roster");
        // The other tables the system needs, with their header only.
        std::fs::write(dir.join("submissions.csv"), "unit,indicator,value\n").expect("submissions");
        std::fs::write(dir.join("ratings.csv"), "rater,unit,indicator,score\n").expect("ratings");
        (system, dir)
    })
}

fuzz_target!(|data: &[u8]| {
    let (system, dir) = setup();
    if std::fs::write(dir.join("inspections.csv"), data).is_ok() {
        let _ = zwgk::ingest::load(system, dir, &Default::default());
    }
});
