//! The indicator-system loader must answer any text with a System or a list
//! of diagnostics, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = zwgk::config::System::parse(text, "fuzz.toml");
    }
});
