//! The manifest (`.zwgk-output`): every file zwgk wrote into an output
//! directory, with its SHA-256. Written by `report::output`; read there
//! (may the folder be replaced?) and by the reading of results back
//! (`results.rs`: was results.json changed after zwgk wrote it?). `--force` replaces a directory only while it
//! holds exactly what its manifest lists, so a file the office added there
//! (整改台账_已填写.xlsx) or changed is never deleted.

use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// The file that marks a directory as written by zwgk and lists its files.
pub const MARKER: &str = ".zwgk-output";

/// The manifest's first line; a marker without it was written by an older
/// zwgk that kept no list.
const HEADER: &str = "# zwgk output manifest: the files zwgk wrote here and their SHA-256; `--force` replaces this folder only while it holds exactly these files";

/// A writer that hashes what passes through it.
pub struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The writer flushed, and the SHA-256 of everything written (hex).
    pub fn finish(mut self) -> io::Result<String> {
        self.inner.flush()?;
        Ok(crate::ingest::hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)?;
        self.hasher.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The manifest's text for `files` (relative path with `/`, SHA-256 hex),
/// in path order so that the same outputs give the same bytes.
pub fn text(files: &mut [(String, String)]) -> String {
    files.sort();
    let mut s = String::with_capacity(80 * files.len() + HEADER.len());
    s.push_str(HEADER);
    s.push('\n');
    for (path, sha) in files.iter() {
        s.push_str(sha);
        s.push_str("  ");
        s.push_str(path);
        s.push('\n');
    }
    s
}

/// What a directory's manifest says of it.
pub enum Listed {
    /// No manifest: not a zwgk directory.
    Missing,
    /// A marker of an older zwgk, without the list of files.
    Unlisted,
    /// The files listed, by relative path, with their SHA-256.
    Files(std::collections::HashMap<String, String>),
}

pub fn read(dir: &Path) -> Listed {
    let Ok(text) = fs::read_to_string(dir.join(MARKER)) else {
        return if dir.join(MARKER).exists() {
            Listed::Unlisted
        } else {
            Listed::Missing
        };
    };
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Listed::Unlisted;
    }
    Listed::Files(
        lines
            .filter_map(|l| l.split_once("  "))
            .map(|(sha, path)| (path.to_string(), sha.to_string()))
            .collect(),
    )
}

/// The entries of `dir` that its manifest does not account for: files added
/// or changed since zwgk wrote them, folders and links of someone else's
/// (relative paths, sorted). A listed file that is gone is no one's loss.
pub fn strangers(dir: &Path, listed: &std::collections::HashMap<String, String>) -> Vec<String> {
    let mut found = Vec::new();
    walk(dir, "", listed, &mut found);
    found.sort();
    found
}

fn walk(
    dir: &Path,
    prefix: &str,
    listed: &std::collections::HashMap<String, String>,
    found: &mut Vec<String>,
) {
    let Ok(entries) = fs::read_dir(dir) else {
        found.push(format!("{prefix}（无法读取）"));
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        if prefix.is_empty() && name == MARKER {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            found.push(rel);
            continue;
        };
        if kind.is_dir() {
            let inner = format!("{rel}/");
            let before = found.len();
            walk(&entry.path(), &inner, listed, found);
            // A folder of zwgk's holds at least one listed file; an empty
            // folder nobody listed is someone else's.
            let ours = listed.keys().any(|k| k.starts_with(&inner));
            if found.len() == before && !ours {
                found.push(inner);
            }
        } else if !kind.is_file() || !same_file(&entry.path(), listed.get(&rel)) {
            found.push(rel);
        }
    }
}

fn same_file(path: &Path, sha: Option<&String>) -> bool {
    let Some(sha) = sha else { return false };
    let Ok(f) = fs::File::open(path) else {
        return false;
    };
    let mut h = Hashing::new(io::sink());
    io::copy(&mut io::BufReader::with_capacity(1 << 16, f), &mut h).is_ok()
        && h.finish().is_ok_and(|got| &got == sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_an_added_and_an_empty_foreign_folder_are_strangers() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("charts")).unwrap();
        fs::create_dir_all(d.path().join("mine")).unwrap();
        fs::write(d.path().join("a.txt"), "one").unwrap();
        fs::write(d.path().join("charts/b.txt"), "two").unwrap();
        fs::write(d.path().join("台账.xlsx"), "office").unwrap();
        let sha = |s: &str| crate::ingest::sha256_hex(s.as_bytes());
        let mut files = vec![
            ("charts/b.txt".to_string(), sha("two")),
            ("a.txt".to_string(), sha("one")),
            ("gone.txt".to_string(), sha("x")),
        ];
        fs::write(d.path().join(MARKER), text(&mut files)).unwrap();
        let Listed::Files(listed) = read(d.path()) else {
            panic!("the manifest reads back")
        };
        assert_eq!(listed.len(), 3);
        assert_eq!(strangers(d.path(), &listed), ["mine/", "台账.xlsx"]);
        fs::write(d.path().join("charts/b.txt"), "changed").unwrap();
        assert_eq!(
            strangers(d.path(), &listed),
            ["charts/b.txt", "mine/", "台账.xlsx"]
        );
    }

    #[test]
    fn an_old_marker_without_a_list_is_unlisted() {
        let d = tempfile::tempdir().unwrap();
        assert!(matches!(read(d.path()), Listed::Missing));
        fs::write(d.path().join(MARKER), "written by zwgk\n").unwrap();
        assert!(matches!(read(d.path()), Listed::Unlisted));
    }
}
