//! A returned form (zwgk collect) must be read, whatever a unit did to the
//! workbook, into its rows or diagnostics, never a panic. The demo's
//! indicator system and a three-unit roster.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zwgk::config::System;
use zwgk::ingest::{Inputs, Unit};

fn setup() -> &'static (System, Inputs) {
    static SETUP: OnceLock<(System, Inputs)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let text = include_str!("../../indicators/demo.toml");
        let system = System::parse(text, "demo.toml").expect("the demo's system");
        let unit = |id: &str, name: &str, group: usize| Unit {
            id: id.into(),
            name: name.into(),
            group,
            aliases: Vec::new(),
        };
        let inputs = Inputs {
            units: vec![unit("X01", "东湖区", 0), unit("Y01", "综合保税区", 1), unit("Z01", "市发展和改革委员会", 2)],
            ..Inputs::default()
        };
        (system, inputs)
    })
}

fuzz_target!(|data: &[u8]| {
    let (system, inputs) = setup();
    let _ = zwgk::forms::collect::check_form_bytes(system, inputs, data.to_vec());
});
