//! Table reading (encoding detection, polars CSV, header matching) and the
//! value parsers must answer any bytes with a table or diagnostics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zwgk::ingest::{table, values};

const SPEC: &[table::ColumnSpec] = &[
    table::col("unit", "单位", true),
    table::col("value", "填报值", false),
    table::col("date", "检查日期", false),
];

fuzz_target!(|data: &[u8]| {
    let mut warnings = Vec::new();
    if let Ok(t) = zwgk::ingest::delimited::read_csv("fuzz.csv", data, SPEC, &mut warnings) {
        for i in t.rows() {
            let _ = t.error(i, "unit", "x");
        }
        for c in t.column("value").into_iter().flatten().flatten() {
            let _ = values::parse_decimal(c);
        }
        for c in t.column("date").into_iter().flatten().flatten() {
            let _ = values::parse_date(c);
        }
    }
});
