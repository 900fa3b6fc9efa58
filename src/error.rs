//! Errors shared by every stage: a [`Diagnostic`] points at a place in an
//! input (file and line:column, or file, row and column) and says what was
//! expected; stages collect all of them before giving up.

use std::fmt;

/// One problem found in an input, with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or `workbook[sheet]`) the problem is in.
    pub file: String,
    /// Where in the file: "line 3, column 7" or "row 5, column 数量"; empty when
    /// the problem is about the file as a whole.
    pub place: String,
    /// What the row is about, so that the officer need not look it up:
    /// "unit 东湖区, indicator A3"; empty when the place says it all.
    pub about: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        file: impl Into<String>,
        place: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            place: place.into(),
            about: String::new(),
            message: message.into(),
        }
    }

    /// The same problem, saying what its row is about.
    pub fn about(mut self, about: impl Into<String>) -> Self {
        self.about = about.into();
        self
    }
}

/// `检查结果.csv 第 12 行“单位”列（问题 W01）：…` in Chinese,
/// `inspections.csv: row 12, column unit (issue W01): …` in English.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let zh = crate::lang::get() == crate::lang::Lang::Zh;
        write!(f, "{}", self.file)?;
        if !self.place.is_empty() {
            write!(f, "{}{}", if zh { " " } else { ": " }, self.place)?;
        }
        if !self.about.is_empty() {
            if zh {
                write!(f, "（{}）", self.about)?;
            } else {
                write!(f, " ({})", self.about)?;
            }
        }
        write!(f, "{}{}", if zh { "：" } else { ": " }, self.message)
    }
}

/// Everything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The indicator system or the input tables are invalid (exit status 1).
    #[error("{}", invalid(.0))]
    Invalid(Vec<Diagnostic>),
    /// The command was used wrongly, e.g. an output directory it may not replace (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing files failed (exit status 1).
    #[error("{}", io_text(context, source))]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// Why a read or write failed, the common causes in the user's language.
pub fn io_reason(source: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match source.kind() {
        ErrorKind::NotFound => crate::tr!("文件或目录不存在", "no such file or directory"),
        ErrorKind::PermissionDenied => crate::tr!("没有权限", "permission denied"),
        ErrorKind::StorageFull => crate::tr!("磁盘已满", "the disk is full"),
        ErrorKind::IsADirectory => crate::tr!("这是一个目录", "it is a directory"),
        _ => source.to_string(),
    }
}

/// "cannot read: no such file or directory", in the user's language.
pub fn cannot_read(e: std::io::Error) -> String {
    crate::tr!("无法读取：{}", "cannot read: {}", io_reason(&e))
}

/// A failed read or write: what was being done and why it failed, the
/// common causes said in the user's language.
fn io_text(context: &str, source: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match source.kind() {
        ErrorKind::NotFound => crate::tr!(
            "{context}：文件或目录不存在",
            "{context}: no such file or directory"
        ),
        ErrorKind::PermissionDenied => {
            crate::tr!("{context}：没有权限", "{context}: permission denied")
        }
        ErrorKind::StorageFull => crate::tr!("{context}：磁盘已满", "{context}: the disk is full"),
        _ => match crate::lang::get() {
            crate::lang::Lang::Zh => format!("{context}：{source}"),
            crate::lang::Lang::En => format!("{context}: {source}"),
        },
    }
}

fn invalid(ds: &[Diagnostic]) -> String {
    let n = ds.len();
    format!(
        "{}\n{}",
        crate::tr!("输入中有 {n} 处错误：", "{n} error(s) in the inputs:"),
        render(ds)
    )
}

fn render(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| format!("  - {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The process exit status the spec gives this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) | Error::Io { .. } => 1,
            Error::Usage(_) => 2,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
