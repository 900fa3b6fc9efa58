//! Writing the output directory as a whole: files go into a sibling
//! temporary directory that is renamed into place, so a failed run leaves
//! the previous report untouched. A directory the tool did not write is never
//! replaced; one it wrote is replaced only with `--force`.

mod lock;
mod target;

use crate::error::{Error, Result};
use crate::ingest::manifest;
pub use manifest::MARKER;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// May `dir` be (re)written? Checked before any work is done, after what an
/// interrupted earlier run left beside `dir` is cleared up: not a directory
/// someone else wrote, not one of zwgk's without `force` or with files added
/// since, and not one that holds an input of the run (`inputs`).
pub fn check_target(dir: &Path, force: bool, inputs: &[&Path]) -> Result<()> {
    let dir = target::resolve(dir)?;
    temporary_files_beside(&dir);
    recover_interrupted(&dir);
    target::refuse_inputs_inside(&dir, inputs)?;
    target::may_replace(&dir, force)
}

/// Where temporary files go (the workbooks' rows are spooled to them):
/// `TMPDIR` when it names a folder that can be written, else beside `dir`,
/// so a `TMPDIR` pointing nowhere does not fail the run. Called before any
/// thread is started.
fn temporary_files_beside(dir: &Path) {
    let Some(tmp) = std::env::var_os("TMPDIR") else {
        return;
    };
    let probe = Path::new(&tmp).join(format!(".zwgk-probe-{}", std::process::id()));
    if fs::write(&probe, b"").is_ok() {
        let _ = fs::remove_file(&probe);
        return;
    }
    let beside = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let _ = fs::create_dir_all(&beside);
    std::env::set_var("TMPDIR", beside);
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
pub fn write_dir(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
    inputs: &[&Path],
) -> Result<()> {
    let staging = Staging::begin(dir, force, inputs)?;
    for (name, bytes) in files {
        staging.write(name, bytes)?;
    }
    staging.commit()
}

/// The new content of an output directory, written file by file (from any
/// thread) into a temporary sibling and moved into place by
/// [`Staging::commit`]. Dropped without a commit (an error on the way), the
/// sibling is removed and the previous report stays as it was.
pub struct Staging {
    dir: PathBuf,
    tmp: PathBuf,
    force: bool,
    /// Files started so far (for the test hooks).
    started: AtomicUsize,
    /// Every file written, with its SHA-256: the manifest.
    written: Mutex<Vec<(String, String)>>,
    /// Held from the start to the end of the write: one run at a time.
    _lock: lock::DirLock,
}

impl Staging {
    /// Takes `dir`'s lock, checks that `dir` may be written and starts its
    /// temporary sibling.
    pub fn begin(dir: &Path, force: bool, inputs: &[&Path]) -> Result<Staging> {
        let dir = &target::resolve(dir)?;
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| {
                Error::io(
                    crate::tr!("无法创建 {}", "cannot create {}", parent.display()),
                    e,
                )
            })?;
        }
        let lock = lock::DirLock::take(dir)?;
        check_target(dir, force, inputs)?;
        let io = |p: &Path, e| {
            Error::io(
                crate::tr!("无法创建 {}", "cannot create {}", p.display()),
                e,
            )
        };
        let tmp = sibling(dir, "new");
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            tmp,
            force,
            started: AtomicUsize::new(0),
            written: Mutex::new(Vec::new()),
            _lock: lock,
        })
    }

    /// Writes the file `name` (a path relative to the directory) with what
    /// `fill` writes into a buffered writer. A failure, of the writer or of
    /// `fill` (a report its format cannot hold), is reported against the
    /// file's final path.
    pub fn write_with(
        &self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.tmp.join(name);
        let io = |e| {
            Error::io(
                crate::tr!(
                    "无法写入 {}",
                    "cannot write {}",
                    self.dir.join(name).display()
                ),
                e,
            )
        };
        let k = self.started.fetch_add(1, Ordering::SeqCst);
        if let Some(e) = injected_failure(k) {
            return Err(io(e));
        }
        injected_stall(&k.to_string());
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io)?;
        }
        let file = fs::File::create(&path).map_err(io)?;
        let mut w = manifest::Hashing::new(BufWriter::with_capacity(1 << 16, file));
        fill(&mut w).map_err(io)?;
        let sha = w.finish().map_err(io)?;
        let name = name.replace('\\', "/");
        self.written
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((name, sha));
        Ok(())
    }

    /// Writes the file `name` with `bytes`.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write_with(name, |w| w.write_all(bytes))
    }

    /// Writes the manifest and moves the directory into place of `dir`. The
    /// previous report is checked again just before (a folder made at `dir`
    /// meanwhile, a file the office put there) and removed only then.
    pub fn commit(self) -> Result<()> {
        let marker = self.tmp.join(MARKER);
        let mut files = std::mem::take(
            &mut *self
                .written
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        fs::write(&marker, manifest::text(&mut files)).map_err(|e| {
            Error::io(
                crate::tr!("无法写入 {}", "cannot write {}", marker.display()),
                e,
            )
        })?;
        injected_stall("commit");
        target::may_replace(&self.dir, self.force)?;
        swap_in(&self.tmp, &self.dir)
    }
}

impl Drop for Staging {
    /// An uncommitted (or failed) directory is removed; a committed one was
    /// renamed away and is not there any more.
    fn drop(&mut self) {
        if self.tmp.exists() {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
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
/// (`commit` before the last check, `swap` after moving the previous report
/// aside) and waits to be killed (or `ZWGK_STALL_SECONDS`, then goes on), so
/// that tests can kill the process mid-write or act while it writes.
fn injected_stall(at: &str) {
    if std::env::var("ZWGK_STALL_WRITE_AFTER").is_ok_and(|v| v == at) {
        eprintln!("zwgk: stalled at {at} (ZWGK_STALL_WRITE_AFTER)");
        let seconds = std::env::var("ZWGK_STALL_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600);
        std::thread::sleep(std::time::Duration::from_secs(seconds));
    }
}

fn swap_in(tmp: &Path, dir: &Path) -> Result<()> {
    let io = |p: &Path, e| {
        Error::io(
            crate::tr!(
                "无法把新报告移入 {}",
                "cannot move the new report into {}",
                p.display()
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_committed_staging_replaces_the_report_and_a_dropped_one_leaves_it() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let first = Staging::begin(&dir, false, &[]).unwrap();
        first.write("a.txt", b"one").unwrap();
        first
            .write_with("charts/b.txt", |w| w.write_all(b"two"))
            .unwrap();
        first.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "one");
        assert_eq!(fs::read_to_string(dir.join("charts/b.txt")).unwrap(), "two");
        assert!(dir.join(MARKER).exists());

        let second = Staging::begin(&dir, true, &[]).unwrap();
        second.write("a.txt", b"new").unwrap();
        let failed = second
            .write_with("c.txt", |_| Err(std::io::Error::other("no room")))
            .unwrap_err()
            .to_string();
        assert!(
            failed.contains(&crate::tr!(
                "无法写入 {}",
                "cannot write {}",
                dir.join("c.txt").display()
            )) && failed.ends_with("no room"),
            "{failed}"
        );
        drop(second);
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "one");
        assert_eq!(listing(root.path()), ["out"], "no temporary sibling left");
    }
}
