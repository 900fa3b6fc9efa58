//! The floor under a run: polars alone reading the same CSVs, every column as
//! text (as zwgk reads them), once, in a fresh process with the same polars
//! build and allocator — the reference of the "within 2× of polars' read"
//! target in BENCHMARKS.md. A one-shot command pays for its memory on first
//! touch, so a warm loop in a long-lived process (Python polars reading the
//! files again and again) is a lower, unfair floor.
//!
//!     cargo bench --bench read_floor -- DIR     # reads DIR/*.csv

use mimalloc::MiMalloc;
use polars_io::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() {
    // cargo bench adds `--bench` to the arguments of a harness-less bench.
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench read_floor -- DIR");
        std::process::exit(2);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "csv"));
    files.sort();
    let started = Instant::now();
    let mut rows = 0;
    for path in &files {
        let read = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .try_into_reader_with_file_path(Some(path.clone()))
            .and_then(|r| r.finish());
        match read {
            Ok(df) => rows += df.height(),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        }
    }
    println!(
        "polars read {} CSV files ({rows} rows) as text in {:.3} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
}
