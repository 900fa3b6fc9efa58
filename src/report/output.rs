//! Writing the output directory as a whole: files go into a sibling
//! temporary directory that is renamed into place, so a failed run leaves
//! the previous report untouched. A directory the tool did not write is never
//! replaced; one it wrote is replaced only with `--force`.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The file that marks a directory as written by zwgk.
pub const MARKER: &str = ".zwgk-output";

/// May `dir` be (re)written? Checked before any work is done, after what an
/// interrupted earlier run left beside `dir` is cleared up.
pub fn check_target(dir: &Path, force: bool) -> Result<()> {
    recover_interrupted(dir);
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "output {} exists and is not a directory",
            dir.display()
        )));
    }
    let empty = fs::read_dir(dir)
        .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    if !dir.join(MARKER).exists() {
        return Err(Error::Usage(format!(
            "output directory {} is not empty and was not written by zwgk; it is never replaced — choose another --out",
            dir.display()
        )));
    }
    if !force {
        return Err(Error::Usage(format!(
            "output directory {} holds an earlier zwgk run; pass --force to replace it",
            dir.display()
        )));
    }
    Ok(())
}

fn sibling(dir: &Path, tag: &str) -> PathBuf {
    dir.with_file_name(format!(
        "{}{tag}-{}",
        sibling_prefix(dir),
        std::process::id()
    ))
}

/// `.out.` for `out`: the start of the names of its temporary siblings.
fn sibling_prefix(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.")
}

/// What a run killed while writing (power cut, `kill -9`) left beside `dir`,
/// recognised by a process id that no longer runs: a half-written `new`
/// directory is removed; an `old` one is the previous report, put back if
/// the kill came between the two renames (`dir` missing), else removed.
/// Without `/proc` (not Linux) nothing is touched.
fn recover_interrupted(dir: &Path) {
    let Some(parent) = dir.parent() else { return };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = sibling_prefix(dir);
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((tag, pid)) = name.strip_prefix(&prefix).and_then(|r| r.split_once('-')) else {
            continue;
        };
        let alive = Path::new("/proc").join(pid).exists();
        if alive || pid.parse::<u32>().is_err() {
            continue;
        }
        let path = entry.path();
        match tag {
            "old" if !dir.exists() => {
                let _ = fs::rename(&path, dir);
            }
            "old" | "new" => {
                let _ = fs::remove_dir_all(&path);
            }
            _ => {}
        }
    }
}

/// Writes `files` (relative paths → bytes) as the new content of `dir`.
pub fn write_dir(dir: &Path, files: &[(String, Vec<u8>)], force: bool) -> Result<()> {
    check_target(dir, force)?;
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    let tmp = sibling(dir, "new");
    let result = write_all(&tmp, files).and_then(|()| swap_in(&tmp, dir));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Test hook: `ZWGK_FAIL_WRITE_AFTER=N` makes the write fail after N files,
/// as a full disk would, so that tests can prove the previous report
/// survives a failed write.
fn injected_failure(written: usize) -> Option<std::io::Error> {
    let limit: usize = std::env::var("ZWGK_FAIL_WRITE_AFTER").ok()?.parse().ok()?;
    (written >= limit)
        .then(|| std::io::Error::other("injected write failure (ZWGK_FAIL_WRITE_AFTER)"))
}

/// Test hook: `ZWGK_STALL_WRITE_AFTER=N` stops the write after N files
/// (`swap` after moving the previous report aside) and waits to be killed,
/// so that tests can kill the process mid-write.
fn injected_stall(at: &str) {
    if std::env::var("ZWGK_STALL_WRITE_AFTER").is_ok_and(|v| v == at) {
        eprintln!("zwgk: stalled at {at} (ZWGK_STALL_WRITE_AFTER)");
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}

fn write_all(tmp: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let io = |p: &Path, e| Error::io(format!("cannot write {}", p.display()), e);
    if tmp.exists() {
        fs::remove_dir_all(tmp).map_err(|e| io(tmp, e))?;
    }
    fs::create_dir_all(tmp).map_err(|e| io(tmp, e))?;
    for (k, (name, bytes)) in files.iter().enumerate() {
        let path = tmp.join(name);
        if let Some(e) = injected_failure(k) {
            return Err(io(&path, e));
        }
        injected_stall(&k.to_string());
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| io(p, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io(&path, e))?;
    }
    let marker = tmp.join(MARKER);
    fs::write(
        &marker,
        "written by zwgk; `zwgk run --force` may replace this directory\n",
    )
    .map_err(|e| io(&marker, e))
}

fn swap_in(tmp: &Path, dir: &Path) -> Result<()> {
    let io = |p: &Path, e| {
        Error::io(
            format!("cannot move the new report into {}", p.display()),
            e,
        )
    };
    if !dir.exists() {
        return fs::rename(tmp, dir).map_err(|e| io(dir, e));
    }
    let old = sibling(dir, "old");
    fs::rename(dir, &old).map_err(|e| io(dir, e))?;
    injected_stall("swap");
    if let Err(e) = fs::rename(tmp, dir) {
        let _ = fs::rename(&old, dir); // put the previous report back
        return Err(io(dir, e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}
