//! Reading a results.json back (compare, combine) must answer any bytes
//! with the results or diagnostics naming the file and unit, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zwgk::ingest::results::parse("fuzz.json", data);
});
