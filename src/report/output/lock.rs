//! One run at a time writes an output directory: a lock file beside it
//! (`.<name>.lock`), held with the operating system's file lock while the
//! run writes. The system releases the lock when the process ends however it
//! ends, so a lock left by a killed run is simply taken by the next one.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The held lock; released (and its file removed) when dropped.
pub struct DirLock {
    path: PathBuf,
    file: Option<fs::File>,
}

impl DirLock {
    /// Takes the lock of `dir`, or says which run holds it.
    pub fn take(dir: &Path) -> Result<DirLock> {
        let path = lock_path(dir);
        let io = |e| {
            Error::io(
                crate::tr!(
                    "无法创建锁文件 {}",
                    "cannot create the lock file {}",
                    path.display()
                ),
                e,
            )
        };
        // A file another run removed between our open and our lock is not
        // the lock any more: open again (a few times; each loss means a run
        // finished meanwhile).
        for _ in 0..8 {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(busy(dir, &path)),
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            if still_at(&file, &path) {
                return Ok(DirLock {
                    path,
                    file: Some(file),
                });
            }
        }
        Err(busy(dir, &path))
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still held, so that no other run can hold this file
        // while it is removed (a run that opened it meanwhile sees that it
        // is gone and opens the new one).
        let _ = fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

/// `.out.lock` beside `out`.
fn lock_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!(".{name}.lock"))
}

fn busy(dir: &Path, lock: &Path) -> Error {
    Error::Usage(crate::tr!(
        "另一个 zwgk 正在写入 {}（锁文件 {}）；请等它结束后再运行，或换一个 --out",
        "another zwgk is writing {} (lock file {}); run again when it has finished, or choose another --out",
        dir.display(),
        lock.display()
    ))
}

/// Is the locked `file` still the one at `path`?
#[cfg(unix)]
fn still_at(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Windows does not remove a file another process holds open, so the
/// locked file is always the one at its path.
#[cfg(not(unix))]
fn still_at(_: &fs::File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let first = DirLock::take(&out).unwrap();
        let refused = DirLock::take(&out).err().unwrap().to_string();
        assert!(refused.contains("another zwgk is writing"), "{refused}");
        drop(first);
        assert!(!d.path().join(".out.lock").exists());
        let again = DirLock::take(&out);
        assert!(again.is_ok());
    }
}
