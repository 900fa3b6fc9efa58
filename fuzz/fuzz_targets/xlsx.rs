//! Workbook reading (zip directory check, calamine, header detection, cell
//! text) must answer any bytes with sheets or diagnostics, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zwgk::ingest::xlsx;

fuzz_target!(|data: &[u8]| {
    let known: Vec<String> = ["unit", "单位", "value", "填报值", "indicator", "指标代码"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Ok(names) = xlsx::sheet_names("fuzz.xlsx", data) {
        for name in names.iter().take(4) {
            let _ = xlsx::read_sheet("fuzz.xlsx", data, Some(name), &known);
        }
    }
    let _ = xlsx::read_sheet("fuzz.xlsx", data, None, &known);
});
