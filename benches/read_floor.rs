//! The floor under a run: polars alone reading the same CSVs, every column as
//! text (as zwgk reads them), once, in a fresh process with the same polars
//! build and allocator — the reference of the "within 2× of polars' read"
//! target in BENCHMARKS.md. A one-shot command pays for its memory on first
//! touch, so a warm loop in a long-lived process (Python polars reading the
//! files again and again) is a lower, unfair floor.
//!
//! Tables that are not UTF-8 (GB18030, as Excel saves them on a Chinese
//! Windows) are transcoded with encoding_rs first, as zwgk must; the floor
//! of messy data includes that.
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
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        };
        let text = utf8(bytes);
        let read = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(std::io::Cursor::new(text))
            .finish();
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

/// The file as UTF-8: without its BOM, or transcoded from GB18030.
fn utf8(bytes: Vec<u8>) -> Vec<u8> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if std::str::from_utf8(body).is_ok() {
        return body.to_vec();
    }
    encoding_rs::GB18030
        .decode(body)
        .0
        .into_owned()
        .into_bytes()
}
