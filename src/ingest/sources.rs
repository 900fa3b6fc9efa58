//! What a data directory holds: every file (and every sheet of `data.xlsx`)
//! is a table's source, ignored for a stated reason, or an error that names
//! the nearest table. Nothing in the directory is passed over silently, so
//! that a table saved under another name cannot be scored as "none".

use super::names::normalize;
use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

/// The tables of a data directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableId {
    Units,
    Inspections,
    Submissions,
    Ratings,
    Duties,
    Appeals,
}

impl TableId {
    pub const ALL: [TableId; 6] = [
        TableId::Units,
        TableId::Inspections,
        TableId::Submissions,
        TableId::Ratings,
        TableId::Duties,
        TableId::Appeals,
    ];

    /// The table's id (its English file name).
    pub fn id(self) -> &'static str {
        match self {
            TableId::Units => "units",
            TableId::Inspections => "inspections",
            TableId::Submissions => "submissions",
            TableId::Ratings => "ratings",
            TableId::Duties => "duties",
            TableId::Appeals => "appeals",
        }
    }

    /// The table's Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            TableId::Units => "单位名单",
            TableId::Inspections => "检查结果",
            TableId::Submissions => "单位报送",
            TableId::Ratings => "评分",
            TableId::Duties => "责任分工",
            TableId::Appeals => "申诉复核",
        }
    }

    /// The older short name offices still use.
    fn older(self) -> Option<&'static str> {
        match self {
            TableId::Units => Some("单位"),
            TableId::Submissions => Some("报送材料"),
            _ => None,
        }
    }

    fn names(self) -> impl Iterator<Item = &'static str> {
        [Some(self.id()), Some(self.zh()), self.older()]
            .into_iter()
            .flatten()
    }

    /// The table a file stem or sheet name names (id, Chinese name or older
    /// name; compared without spaces, width or case).
    pub fn named(name: &str) -> Option<TableId> {
        let key = normalize(name).to_lowercase();
        TableId::ALL
            .into_iter()
            .find(|t| t.names().any(|n| normalize(n) == key))
    }

    /// "检查结果（inspections）" / "inspections (检查结果)"
    pub fn shown(self) -> String {
        match crate::lang::get() {
            crate::lang::Lang::Zh => format!("{}（{}）", self.zh(), self.id()),
            crate::lang::Lang::En => format!("{} ({})", self.id(), self.zh()),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The tables nearest to a name that names none, best first, as
/// "检查结果 (inspections)": a name containing a table's name (or
/// contained in it) first, then by edit distance.
pub fn nearest_tables(name: &str) -> Vec<TableId> {
    let key = normalize(name).to_lowercase();
    let mut scored: Vec<(usize, TableId)> = TableId::ALL
        .into_iter()
        .filter_map(|t| {
            t.names()
                .filter_map(|n| {
                    let n = normalize(n);
                    let d = strsim::levenshtein(&key, &n);
                    let near = key.contains(&n) || n.contains(&key);
                    let len = n.chars().count().max(key.chars().count());
                    if near {
                        Some(0)
                    } else if d * 2 <= len {
                        Some(d)
                    } else {
                        None
                    }
                })
                .min()
                .map(|d| (d, t))
        })
        .collect();
    scored.sort_by_key(|(d, t)| (*d, t.index()));
    scored.into_iter().map(|(_, t)| t).collect()
}

/// How a table file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    /// .xlsx, .xlsm, .xlsb, .xls (Excel 97–2003), .ods: its first visible sheet.
    Workbook,
    Parquet,
}

fn kind_of(ext: &str) -> Option<FileKind> {
    match ext {
        "csv" => Some(FileKind::Csv),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(FileKind::Workbook),
        "parquet" => Some(FileKind::Parquet),
        _ => None,
    }
}

/// Where a table comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf, FileKind),
    /// A sheet of the data workbook.
    Sheet(String),
}

/// The data directory, classified.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Per table (in [`TableId::ALL`] order), its source.
    sources: [Option<Source>; 6],
    /// The workbook of named sheets (`data.xlsx`, `.xls` or `.ods`).
    pub book: Option<PathBuf>,
    /// (file or sheet as shown, why it is not read)
    pub ignored: Vec<(String, String)>,
    pub errors: Vec<Diagnostic>,
    /// Tables whose name is taken by an entry that is not a regular file
    /// (an error already): not reported again as missing.
    unusable: [bool; 6],
}

impl Catalog {
    /// Was table `t`'s name taken by an entry that is not a regular file?
    pub fn unusable(&self, t: TableId) -> bool {
        self.unusable[t.index()]
    }

    pub fn source(&self, t: TableId) -> Option<&Source> {
        self.sources[t.index()].as_ref()
    }

    /// Records `source` for `t`; a second source for one table is an error.
    fn add(&mut self, t: TableId, source: Source, shown: &str, dir: &Path) {
        match &self.sources[t.index()] {
            Some(first) => {
                let first = match first {
                    Source::File(p, _) => p.display().to_string(),
                    Source::Sheet(s) => super::xlsx::sheet_shown(&self.book_shown(dir), s),
                };
                self.errors.push(Diagnostic::new(
                    shown,
                    "",
                    crate::tr!(
                        "“{}”表的第二个来源：已有 {first}，请只保留一个",
                        "a second source for the table {}: {first} is one already; keep one of the two",
                        t.shown()
                    ),
                ));
            }
            None => self.sources[t.index()] = Some(source),
        }
    }

    fn book_shown(&self, dir: &Path) -> String {
        self.book
            .clone()
            .unwrap_or_else(|| dir.join("data.xlsx"))
            .display()
            .to_string()
    }

    /// Classifies the visible and hidden sheets of the data workbook
    /// (`shown` as "data.xlsx"): each names a table, is a note (说明…), is
    /// hidden, or is an error.
    /// Classifies a data workbook's sheets: (name, read it) — false for a
    /// hidden or an empty sheet, which are listed as not read.
    pub fn add_sheets(&mut self, dir: &Path, shown: &str, sheets: &[(String, bool)]) {
        for (name, visible) in sheets {
            let at = super::xlsx::sheet_shown(shown, name);
            if !visible {
                self.ignored.push((
                    at,
                    crate::tr!("隐藏的或空的工作表", "a hidden or empty sheet"),
                ));
            } else if normalize(name).starts_with("说明") {
                self.ignored.push((
                    at,
                    crate::tr!(
                        "说明用的工作表（名称以“说明”开头）",
                        "a sheet of notes (its name begins with 说明)"
                    ),
                ));
            } else if let Some(t) = TableId::named(name) {
                self.add(t, Source::Sheet(name.clone()), &at, dir);
            } else {
                self.errors.push(Diagnostic::new(
                    at,
                    "",
                    unknown_name_message(true, name, name),
                ));
            }
        }
    }
}

/// "sheet 检查结果表 names no table; is it 检查结果 (inspections)? …"
fn unknown_name_message(sheet: bool, name: &str, key: &str) -> String {
    let near: Vec<String> = nearest_tables(key)
        .into_iter()
        .map(|t| match crate::lang::get() {
            crate::lang::Lang::Zh => format!("{}（{}）", t.zh(), t.id()),
            crate::lang::Lang::En => format!("{} ({})", t.zh(), t.id()),
        })
        .collect();
    let all: Vec<String> = TableId::ALL
        .iter()
        .map(|t| format!("{}/{}", t.id(), t.zh()))
        .collect();
    let all = crate::lang::list(&all);
    let guess = match (near.is_empty(), crate::lang::get()) {
        (true, _) => String::new(),
        (false, crate::lang::Lang::Zh) => format!("是否为 {}？", near.join(" 或 ")),
        (false, crate::lang::Lang::En) => format!(" — is it {}?", near.join(" or ")),
    };
    match sheet {
        true => crate::tr!(
            "工作表“{name}”不是任何表的名称。{guess}请按表名命名工作表（{all}），说明文字请放在名称以“说明”开头的工作表或其他类型的文件中",
            "sheet \"{name}\" names no table{guess}. Name a sheet after its table ({all}), or keep notes in a sheet whose name begins with 说明 or in a file of another kind"
        ),
        false => crate::tr!(
            "文件“{name}”不是任何表的名称。{guess}请按表名命名文件（{all}），说明文字请放在其他类型的文件中",
            "file \"{name}\" names no table{guess}. Name the file after its table ({all}), or keep notes in a file of another kind"
        ),
    }
}

/// Office lock files (`~$book.xlsx`, `.~lock.book.xlsx#`) and hidden files.
pub(crate) fn ignored_reason(name: &str) -> Option<String> {
    if name.starts_with("~$") || name.starts_with(".~lock") {
        Some(crate::tr!("办公软件的锁定文件", "an office lock file"))
    } else if name.starts_with('.') {
        Some(crate::tr!("隐藏文件", "a hidden file"))
    } else {
        None
    }
}

/// The file names a data workbook of named sheets may have.
fn is_data_book(stem: &str, kind: Option<FileKind>) -> bool {
    kind == Some(FileKind::Workbook) && stem.eq_ignore_ascii_case("data")
}

/// Classifies every entry of `dir` (in name order); the data workbook's
/// sheets are classified when it is opened ([`Catalog::add_sheets`]).
/// What an entry that is not a regular file is, in words.
fn entry_kind(kind: &std::io::Result<std::fs::FileType>) -> String {
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    match kind {
        Err(_) => crate::tr!("链接指向的文件不存在", "a link to nothing"),
        Ok(t) if t.is_dir() => crate::tr!("文件夹", "a folder"),
        #[cfg(unix)]
        Ok(t) if t.is_fifo() => crate::tr!("命名管道", "a named pipe (FIFO)"),
        #[cfg(unix)]
        Ok(t) if t.is_socket() => crate::tr!("套接字", "a socket"),
        #[cfg(unix)]
        Ok(t) if t.is_char_device() || t.is_block_device() => {
            crate::tr!("设备", "a device")
        }
        Ok(_) => crate::tr!("特殊文件", "a special file"),
    }
}

pub fn scan(dir: &Path) -> Catalog {
    let mut c = Catalog::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            c.errors.push(Diagnostic::new(
                dir.display().to_string(),
                "",
                crate::tr!(
                    "无法列出数据目录：{e}",
                    "cannot list the data directory: {e}"
                ),
            ));
            return c;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let shown = path.display().to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(why) = ignored_reason(&name) {
            c.ignored.push((shown, why));
            continue;
        }
        // Only regular files are read (links followed): a FIFO would hang
        // the run, a device (a link to /dev/zero) would never end.
        let kind_of_entry = std::fs::metadata(&path).map(|m| m.file_type());
        let regular = kind_of_entry.as_ref().is_ok_and(|t| t.is_file());
        if !regular {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let named = stem.as_deref().and_then(TableId::named);
            let folder = kind_of_entry.as_ref().is_ok_and(|t| t.is_dir());
            match named {
                // A folder or special file with a table's name: an error,
                // never "no such table".
                Some(t) => {
                    c.unusable[t.index()] = true;
                    c.errors.push(Diagnostic::new(
                    &shown,
                    "",
                    crate::tr!(
                        "名为{}表的不是普通文件（{}）；请放入该表的文件",
                        "is named as the {} table but is not a regular file ({}); put the table's file there",
                        t.shown(),
                        entry_kind(&kind_of_entry)
                    ),
                    ))
                }
                None if folder => c.ignored.push((
                    shown,
                    crate::tr!(
                        "文件夹（只读取数据目录下直接存放的文件）",
                        "a folder (only the files directly in the data directory are read)"
                    ),
                )),
                None => c.ignored.push((
                    shown,
                    crate::tr!(
                        "不是普通文件（{}）",
                        "not a regular file ({})",
                        entry_kind(&kind_of_entry)
                    ),
                )),
            }
            continue;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let kind = kind_of(&ext);
        if is_data_book(&stem, kind) {
            if let Some(first) = &c.book {
                c.errors.push(Diagnostic::new(
                    &shown,
                    "",
                    crate::tr!(
                        "与 {} 重复的第二个数据工作簿，请只保留一个",
                        "a second workbook of tables beside {}; keep one",
                        first.display()
                    ),
                ));
            } else {
                c.book = Some(path);
            }
            continue;
        }
        match (kind, TableId::named(&stem)) {
            (Some(k), Some(t)) => c.add(t, Source::File(path.clone(), k), &shown, dir),
            // Excel's "Unicode 文本" (UTF-16, tab-separated) is saved as .txt.
            (None, Some(t)) if ext == "txt" || ext == "tsv" => {
                c.add(t, Source::File(path.clone(), FileKind::Csv), &shown, dir)
            }
            (Some(_), None) => c.errors.push(Diagnostic::new(
                &shown,
                "",
                unknown_name_message(false, &name, &stem),
            )),
            (None, _) if ext == "et" => c.errors.push(Diagnostic::new(
                &shown,
                "",
                crate::tr!(
                    "WPS 表格（.et）文件，zwgk 无法读取：请另存为 .xlsx（文件 → 另存为 → Excel 工作簿）",
                    "a WPS 表格 (.et) file, which zwgk cannot read: save it as .xlsx (文件 → 另存为 → Excel 工作簿)"
                ),
            )),
            (None, _) => c.ignored.push((
                shown,
                if ext.is_empty() {
                    crate::tr!(
                        "不是表：表应为 .csv、.xlsx、.xls、.ods 或 .parquet 文件",
                        "not a table: tables are .csv, .xlsx, .xls, .ods or .parquet files"
                    )
                } else {
                    crate::tr!(
                        ".{ext} 文件，不是表：表应为 .csv、.xlsx、.xls、.ods 或 .parquet 文件",
                        "a .{ext} file, not a table: tables are .csv, .xlsx, .xls, .ods or .parquet files"
                    )
                },
            )),
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_named_by_id_chinese_name_or_older_name() {
        assert_eq!(TableId::named("inspections"), Some(TableId::Inspections));
        assert_eq!(TableId::named("Inspections"), Some(TableId::Inspections));
        assert_eq!(TableId::named("检查结果"), Some(TableId::Inspections));
        assert_eq!(TableId::named("报送材料"), Some(TableId::Submissions));
        assert_eq!(TableId::named("单位报送"), Some(TableId::Submissions));
        assert_eq!(TableId::named("单位"), Some(TableId::Units));
        assert_eq!(TableId::named(" 单位名单 "), Some(TableId::Units));
        assert_eq!(TableId::named("检查结果表"), None);
    }

    #[test]
    fn a_near_name_suggests_its_table() {
        assert_eq!(nearest_tables("检查结果表"), vec![TableId::Inspections]);
        assert_eq!(nearest_tables("报送情况"), vec![TableId::Submissions]);
        assert_eq!(nearest_tables("inspection"), vec![TableId::Inspections]);
        assert!(nearest_tables("工作总结").is_empty());
    }

    #[test]
    fn every_entry_is_a_source_ignored_or_an_error() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "units.csv",
            "检查结果.xls",
            "报送材料.ods",
            "评分.txt",
            "报送情况.csv",
            "~$units.xlsx",
            ".~lock.units.csv#",
            ".hidden.csv",
            "说明.txt",
            "data.xlsx",
            "单位名单.et",
        ] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("old")).unwrap();
        let c = scan(dir.path());
        let file = |t| match c.source(t) {
            Some(Source::File(p, k)) => Some((p.file_name().unwrap().to_owned(), *k)),
            _ => None,
        };
        assert_eq!(
            file(TableId::Inspections),
            Some(("检查结果.xls".into(), FileKind::Workbook))
        );
        assert_eq!(
            file(TableId::Submissions),
            Some(("报送材料.ods".into(), FileKind::Workbook))
        );
        assert_eq!(
            file(TableId::Units),
            Some(("units.csv".into(), FileKind::Csv))
        );
        assert_eq!(
            file(TableId::Ratings),
            Some(("评分.txt".into(), FileKind::Csv)),
            "Excel's Unicode text, named after its table"
        );
        assert!(c.book.is_some());
        let ignored: Vec<&str> = c
            .ignored
            .iter()
            .map(|(f, _)| f.rsplit('/').next().unwrap())
            .collect();
        assert_eq!(
            ignored,
            [
                ".hidden.csv",
                ".~lock.units.csv#",
                "old",
                "~$units.xlsx",
                "说明.txt"
            ]
        );
        let errors: Vec<String> = c.errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("单位名单.et: a WPS 表格"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("报送情况.csv: file \"报送情况.csv\" names no table — is it 单位报送 (submissions)?"),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn two_sources_for_one_table_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["units.csv", "单位名单.xlsx"] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        let mut c = scan(dir.path());
        c.add_sheets(
            dir.path(),
            "data.xlsx",
            &[
                ("单位".into(), true),
                ("说明".into(), true),
                ("old".into(), false),
            ],
        );
        let errors: Vec<String> = c.errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("units.csv is one already"), "{errors:?}");
        assert!(errors[1].starts_with("data.xlsx[单位]"), "{errors:?}");
        assert_eq!(c.ignored.len(), 2);
    }
}
