//! The commands: each takes its parsed arguments from [`crate::cli`], runs
//! the pipeline (or a part of it) and prints or writes what it found. What
//! they share — may an output directory be written, the warnings and the
//! files not read on stderr — is here.

pub mod args;
pub mod collect;
pub mod combine;
pub mod compare;
pub mod explain;
pub mod generate;
pub mod init;
pub mod run;
pub mod sensitivity;
pub mod template;
pub mod weights;
pub mod whatif;

use crate::assess::Assessment;
use crate::error::Result;
use crate::report;
use std::path::Path;

/// Before any work: may `--out` be written, and is the chart font usable?
pub(crate) fn prepare_out(out: Option<&Path>, force: bool, inputs: &[&Path]) -> Result<()> {
    if let Some(out) = out {
        report::output::check_target(out, force, inputs)?;
        report::font::init(None)?;
    }
    Ok(())
}

/// Writes an analyst command's JSON and charts when `--out` is given.
pub(crate) fn write_extra(
    out: Option<&Path>,
    force: bool,
    inputs: &[&Path],
    json_name: &str,
    json: &impl serde::Serialize,
    charts: Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let Some(out) = out else { return Ok(()) };
    let mut files = vec![(
        json_name.to_string(),
        serde_json::to_vec_pretty(json).unwrap_or_default(),
    )];
    files.extend(charts);
    report::output::write_dir(out, &files, force, inputs)?;
    println!(
        "{}",
        crate::tr!("已写入 {}", "written to {}", out.display())
    );
    Ok(())
}

/// What zwgk did not read in the data directory, and why (stderr).
pub(crate) fn print_ignored(a: &Assessment) {
    for (file, why) in &a.inputs.ignored {
        eprintln!(
            "{}",
            crate::tr!("未读取：{file}（{why}）", "not read: {file} ({why})")
        );
    }
}

/// Warnings to stderr: all of them when few (or `all`), else the first
/// ones and a count with where the rest are (`rest`).
pub(crate) fn print_warnings(a: &Assessment, all: bool, rest: &str) {
    const SHOWN: usize = 20;
    let shown = if all { a.warnings.len() } else { SHOWN };
    for w in a.warnings.iter().take(shown) {
        let w = crate::ingest::text::printable(w);
        eprintln!("{}", crate::tr!("警告：{w}", "warning: {w}"));
    }
    if a.warnings.len() > shown {
        eprintln!(
            "{}",
            crate::tr!(
                "警告：……另有 {} 条（{rest}）",
                "warning: … and {} more ({rest})",
                a.warnings.len() - shown
            )
        );
    }
}

/// Leaves the assessment's memory to the end of the process instead of
/// freeing it: `main` exits right after the command, and the kernel takes a
/// process's pages back at once, whereas dropping a province's assessment
/// walks every allocation and the allocator then returns its pages a few at
/// a time (0.04 s + ~0.1 s at 20,000 units; nearly 2,000 `madvise` calls).
pub(crate) fn leave_to_exit(a: Assessment) {
    std::mem::forget(a);
}
