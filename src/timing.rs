//! Where a run's time and memory go: each stage's seconds and the memory
//! the process holds at its end, printed when `ZWGK_TIMING` is set (the
//! benchmarks read them). At the floor of the house: every stage uses it.

/// Prints the time since `start` for a stage, and the memory the process
/// holds at its end, when `ZWGK_TIMING` is set (used by the benchmarks to see
/// where the time and the memory go).
pub fn timing(stage: &str, start: std::time::Instant) {
    if std::env::var_os("ZWGK_TIMING").is_some() {
        let resident = resident_mb().map_or(String::new(), |mb| format!(", resident {mb} MB"));
        eprintln!(
            "timing: {stage}: {:.3} s{resident}",
            start.elapsed().as_secs_f64()
        );
    }
}

/// The process's resident memory in MB, where `/proc` tells it (Linux).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}
