//! The language zwgk speaks to its user: Chinese by default, English with
//! `--lang en` or an English locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
//!
//! Every message is written in both languages where it is made, with
//! [`tr!`](crate::tr): `tr!("第 {row} 行", "row {row}")`. The macro takes
//! exactly two format strings, so a message without its translation does
//! not compile, and `format!` checks both against the same arguments, so a
//! translation cannot drop or invent a number, date or id. A test
//! (`every_message_is_in_both_languages` below) reads every call in the
//! source and fails on one whose Chinese is missing or whose placeholders
//! differ. The outputs (tables, notice, charts) are Chinese whatever the
//! language: they are the office's documents.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// 0: not set (Chinese; English in unit tests, whose assertions read the
/// English messages), 1: Chinese, 2: English.
static LANG: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language for this thread alone (tests of the Chinese messages).
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language messages are written in from now on, on every thread.
pub fn set(lang: Lang) {
    LANG.store(
        match lang {
            Lang::Zh => 1,
            Lang::En => 2,
        },
        Ordering::Relaxed,
    );
}

/// The language of messages.
pub fn get() -> Lang {
    if let Some(lang) = OVERRIDE.with(Cell::get) {
        return lang;
    }
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        2 => Lang::En,
        _ if cfg!(test) => Lang::En,
        _ => Lang::Zh,
    }
}

/// `f` run with messages in `lang` on this thread.
pub fn with<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = OVERRIDE.with(|o| o.replace(Some(lang)));
    let out = f();
    OVERRIDE.with(|o| o.set(before));
    out
}

impl Lang {
    /// `zh` or `en` (as `--lang` takes it).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "zh_cn" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a locale: English when the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set starts with `en`, else Chinese.
    pub fn of_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|v| var(v).filter(|s| !s.is_empty()))
            .next()
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The language asked for on the command line (`--lang en`,
    /// `--lang=en`), else by the locale.
    pub fn of_args(args: &[String]) -> Lang {
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let value = match a.strip_prefix("--lang") {
                Some("") => it.next().map(String::as_str),
                Some(rest) => rest.strip_prefix('='),
                None => None,
            };
            if let Some(lang) = value.and_then(Lang::parse) {
                return lang;
            }
        }
        Lang::of_locale(|v| std::env::var(v).ok())
    }
}

/// A message in the language of [`get`]: `tr!(zh, en, args…)` with two
/// format strings over the same arguments.
#[macro_export]
macro_rules! tr {
    ($zh:literal, $en:literal $(,)?) => {
        match $crate::lang::get() {
            $crate::lang::Lang::Zh => format!($zh),
            $crate::lang::Lang::En => format!($en),
        }
    };
    ($zh:literal, $en:literal, $($arg:tt)+) => {
        match $crate::lang::get() {
            $crate::lang::Lang::Zh => format!($zh, $($arg)+),
            $crate::lang::Lang::En => format!($en, $($arg)+),
        }
    };
}

/// The columns `text` takes in a terminal: two for CJK and full-width
/// characters, one for others.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// `text` padded with spaces to `width` terminal columns (left-aligned),
/// so that columns line up whatever mix of Chinese and Latin they hold.
pub fn pad(text: &str, width: usize) -> String {
    let w = display_width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// The end of a sentence: `。` or `.`.
pub fn full_stop() -> &'static str {
    match get() {
        Lang::Zh => "。",
        Lang::En => ".",
    }
}

/// Items joined as a list: `甲、乙、丙` in Chinese, `a, b, c` in English.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let sep = match get() {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    items
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_with_chinese_text() {
        assert_eq!(display_width("良好→较差"), 9);
        assert_eq!(pad("良好", 6), "良好  ");
        assert_eq!(pad("good", 6), "good  ");
        assert_eq!(display_width(&pad("县（市、区）", 14)), 14);
    }

    #[test]
    fn the_language_comes_from_the_flag_then_the_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |v: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == v)
                    .map(|(_, x)| x.to_string())
            }
        };
        assert_eq!(Lang::of_locale(env(&[])), Lang::Zh);
        assert_eq!(Lang::of_locale(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::of_locale(env(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(
            Lang::of_locale(env(&[("LC_ALL", ""), ("LC_MESSAGES", "en_GB")])),
            Lang::En
        );
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Lang::of_args(&args(&["run", "--lang", "en"])), Lang::En);
        assert_eq!(Lang::of_args(&args(&["run", "--lang=en"])), Lang::En);
    }

    /// Every `tr!` in the source: its Chinese has Chinese in it, differs
    /// from its English, and both name the same placeholders, so that
    /// numbers, dates and ids are the same in both languages.
    #[test]
    fn every_message_is_in_both_languages() {
        let mut calls = 0;
        for (file, text) in sources(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
            for (zh, en) in tr_calls(&text) {
                calls += 1;
                let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                assert!(cjk(&zh), "{file}: not in Chinese: {zh:?}");
                assert_ne!(zh, en, "{file}: not translated: {zh:?}");
                assert_eq!(
                    placeholders(&zh),
                    placeholders(&en),
                    "{file}: the two languages differ in their facts:\n  {zh:?}\n  {en:?}"
                );
            }
        }
        assert!(calls > 100, "the messages were found ({calls})");
    }

    fn sources(dir: std::path::PathBuf) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(sources(path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
        out
    }

    /// The two string literals of each `tr!(` call (the macro's own
    /// definition and this test are skipped).
    fn tr_calls(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("tr!(") {
            rest = &rest[at + 4..];
            let Some((zh, after)) = literal(rest) else {
                continue;
            };
            let after = after.trim_start().strip_prefix(',').unwrap_or(after);
            if let Some((en, _)) = literal(after) {
                out.push((zh, en));
            }
        }
        out
    }

    /// A leading string literal ("…" with escapes), and what follows it.
    fn literal(s: &str) -> Option<(String, &str)> {
        let s = s.trim_start();
        let body = s.strip_prefix('"')?;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return Some((body[..i].to_string(), &body[i + 1..])),
                _ => escaped = false,
            }
        }
        None
    }

    /// The `{…}` placeholders of a format string, sorted.
    fn placeholders(s: &str) -> Vec<String> {
        let s = s.replace("{{", "").replace("}}", "");
        let mut out: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        out.sort();
        out
    }
}
