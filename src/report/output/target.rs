//! May a directory be (re)written? A directory the tool did not write is
//! never replaced; one it wrote only with `--force`, and only while it holds
//! exactly what zwgk wrote there; never one that holds an input of the run.

use crate::error::{Error, Result};
use crate::ingest::manifest::{self, Listed};
use std::fs;
use std::path::{Path, PathBuf};

/// Most foreign files named in one message (the rest are counted).
const NAMED: usize = 10;

/// The directory a run writes: `dir` itself, or where it points when it is
/// a symbolic link (which stays a link; its target's content is replaced).
pub fn resolve(dir: &Path) -> Result<PathBuf> {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return Ok(dir.to_path_buf());
    };
    if !meta.file_type().is_symlink() {
        return Ok(dir.to_path_buf());
    }
    match fs::canonicalize(dir) {
        Ok(target) if target.is_dir() => Ok(target),
        _ => Err(Error::Usage(crate::tr!(
            "输出位置 {} 是一个链接，但它指向的不是已有的目录；请指向一个目录，或换一个 --out",
            "output {} is a link that does not point to an existing directory; point it at a directory or choose another --out",
            dir.display()
        ))),
    }
}

/// Refuses an output directory that holds one of the run's inputs (the
/// indicator file, the data directory, a part of `combine`): replacing it
/// would delete what the run has just read.
pub fn refuse_inputs_inside(dir: &Path, inputs: &[&Path]) -> Result<()> {
    let Some(out) = absolute(dir) else {
        return Ok(());
    };
    for input in inputs {
        let Ok(input_abs) = fs::canonicalize(input) else {
            continue;
        };
        if input_abs.starts_with(&out) {
            return Err(Error::Usage(crate::tr!(
                "输出目录 {} 中有本次运行读取的输入 {}；替换它会删掉输入。请换一个 --out，或先把输入移出",
                "output directory {} holds {}, an input of this run; replacing it would delete the input. Choose another --out or move the input out first",
                dir.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// `dir` made absolute with its links resolved, also when it does not exist
/// yet (its nearest existing ancestor resolved, the rest appended).
fn absolute(dir: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut at = dir.to_path_buf();
    loop {
        if let Ok(real) = fs::canonicalize(&at) {
            return Some(rest.iter().rev().fold(real, |p, n| p.join(n)));
        }
        rest.push(at.file_name()?.to_os_string());
        at = match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
    }
}

/// May `dir` be replaced now? Absent or empty: yes. Otherwise only with
/// `force`, and only a directory whose manifest accounts for everything in
/// it.
pub fn may_replace(dir: &Path, force: bool) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Error::Usage(crate::tr!(
            "输出位置 {} 已存在，但不是目录",
            "output {} exists and is not a directory",
            dir.display()
        )));
    }
    let empty = fs::read_dir(dir)
        .map_err(|e| {
            Error::io(
                crate::tr!("无法读取 {}", "cannot read {}", dir.display()),
                e,
            )
        })?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    let listed = match manifest::read(dir) {
        Listed::Missing => return Err(not_ours(dir)),
        Listed::Unlisted => return Err(unlisted(dir)),
        Listed::Files(listed) => listed,
    };
    if !force {
        return Err(Error::Usage(crate::tr!(
            "输出目录 {} 中是此前 zwgk 的运行结果；加 --force 才会替换",
            "output directory {} holds an earlier zwgk run; pass --force to replace it",
            dir.display()
        )));
    }
    let strangers = manifest::strangers(dir, &listed);
    if strangers.is_empty() {
        return Ok(());
    }
    Err(foreign_files(dir, &strangers))
}

fn not_ours(dir: &Path) -> Error {
    Error::Usage(crate::tr!(
        "输出目录 {} 不是空的，也不是 zwgk 写出的；zwgk 不会替换它，请换一个 --out",
        "output directory {} is not empty and was not written by zwgk; it is never replaced — choose another --out",
        dir.display()
    ))
}

fn unlisted(dir: &Path) -> Error {
    Error::Usage(crate::tr!(
        "输出目录 {} 是旧版 zwgk 写出的，没有文件清单，无法确认其中没有别人的文件；zwgk 不会替换它。请核对后手工删除，或换一个 --out",
        "output directory {} was written by an older zwgk that kept no list of its files, so zwgk cannot tell that nothing in it is someone else's; it is not replaced. Check it and delete it by hand, or choose another --out",
        dir.display()
    ))
}

fn foreign_files(dir: &Path, strangers: &[String]) -> Error {
    let mut named = crate::lang::list(&strangers[..strangers.len().min(NAMED)]);
    if strangers.len() > NAMED {
        named.push_str(&crate::tr!(
            "等 {} 个",
            " and {} more",
            strangers.len() - NAMED
        ));
    }
    Error::Usage(crate::tr!(
        "输出目录 {} 中有不是 zwgk 写出（或写出后被改动）的文件：{}；zwgk 不会删除它们。请先把它们移走，或换一个 --out",
        "output directory {} holds files zwgk did not write (or that were changed since): {}; zwgk never deletes them. Move them out first, or choose another --out",
        dir.display(),
        named
    ))
}
