//! Every value of the wrong kind in the indicator file, found in one pass.
//!
//! serde stops at the first value it cannot read, so a file with `nan`,
//! `inf` and `"3.5"` in three places would take three runs to mend. Before
//! serde reads the file, this walks the parsed document (with its spans)
//! and checks each known key's value against the kind that key takes:
//! every mismatch is reported at once, each with its line and column.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::toml_errors::{expected, kind_of, Kind};
use crate::error::Diagnostic;

/// A value of the wrong kind: where it starts, its key, the id (or code)
/// of the table it is in, and what to say.
struct Wrong {
    start: usize,
    key: String,
    owner: Option<String>,
    diagnostic: Diagnostic,
}

/// The problems with the document's shape: its first syntax error (the
/// parser's later ones follow from it), or every value of the wrong kind
/// with the file's other problems that do not follow from them. Empty when
/// serde may read the file.
pub fn shape_errors(text: &str, file: &str) -> Vec<Diagnostic> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if let Some(e) = errors.first() {
        let start = e.span().map(|s| s.start);
        return vec![syntax_error(text, file, e.message(), start)];
    }
    let mut out = Vec::new();
    // The top level holds the sections; keys inside them have kinds
    // (`indicator` is a section of its own and an issue's text key).
    for (_, section) in doc.get_ref() {
        walk_children(section.get_ref(), text, file, &mut out);
    }
    // In the file's order (the parsed tables are not).
    out.sort_by_key(|w| w.start);
    let beyond = errors_beyond(text, file, &out);
    out.into_iter()
        .map(|w| w.diagnostic)
        .chain(beyond)
        .collect()
}

/// The file's other problems: its text with the lines of the wrong values
/// blanked (each byte a space, so lines and columns stay), read and
/// validated, leaving out whatever names a blanked key or its table (a
/// missing `points` would be reported again as a sum that does not add
/// up). Nothing when a wrong value spans lines or the blanked file cannot
/// be read.
fn errors_beyond(text: &str, file: &str, wrong: &[Wrong]) -> Vec<Diagnostic> {
    let mut bytes = text.as_bytes().to_vec();
    for w in wrong {
        let from = text[..w.start].rfind('\n').map_or(0, |k| k + 1);
        let to = text[w.start..]
            .find('\n')
            .map_or(text.len(), |k| w.start + k);
        bytes[from..to].fill(b' ');
    }
    let Ok(blanked) = String::from_utf8(bytes) else {
        return Vec::new();
    };
    let Ok(raw) = toml::from_str::<super::raw::RawSystem>(&blanked) else {
        return Vec::new();
    };
    let Err(errors) = super::validate::resolve(raw, &blanked, file) else {
        return Vec::new();
    };
    let follows = |d: &Diagnostic| {
        wrong.iter().any(|w| {
            names_id(&d.message, &w.key)
                || w.owner
                    .as_deref()
                    .is_some_and(|id| names_id(&d.message, id))
        })
    };
    errors.into_iter().filter(|d| !follows(d)).collect()
}

/// Whether `message` names `id` (an indicator id or a key) as a whole
/// word: A1, not A11; `id`, not `width`.
fn names_id(message: &str, id: &str) -> bool {
    message.match_indices(id).any(|(k, _)| {
        let before = message[..k].chars().next_back();
        let after = message[k + id.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// A syntax error in plain words, with a line when the parser gave none
/// (a key nested too deep names the line of the longest dotted key).
fn syntax_error(text: &str, file: &str, message: &str, start: Option<usize>) -> Diagnostic {
    if message.contains("recursion limit") {
        let (line, _) = text
            .lines()
            .enumerate()
            .max_by_key(|(_, l)| l.split('=').next().unwrap_or("").matches('.').count())
            .unwrap_or((0, ""));
        let place = crate::tr!("第 {} 行", "line {}", line + 1);
        let message = crate::tr!(
            "键或嵌套的层级太深，无法读取；指标体系的键最多两三层，如 [assessment] 下写 name = …",
            "a key or value is nested too deeply to read; the indicator file's keys are at most a few levels deep, such as name = … under [assessment]"
        );
        return Diagnostic::new(file, place, message);
    }
    let place = start.map(|s| super::line_col(text, s)).unwrap_or_default();
    let message = super::toml_errors::plain(message, text, start);
    Diagnostic::new(file, place, message)
}

fn walk_table(table: &DeTable<'_>, text: &str, file: &str, out: &mut Vec<Wrong>) {
    let owner = table
        .iter()
        .find(|(k, _)| matches!(k.get_ref().as_ref(), "id" | "code"))
        .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string));
    for (key, value) in table {
        let key = key.get_ref().as_ref();
        match kind_of(key) {
            Some(kind) => {
                if let Some(diagnostic) = check_value(key, kind, value, text, file, out) {
                    out.push(Wrong {
                        start: value.span().start,
                        key: key.to_string(),
                        owner: owner.clone(),
                        diagnostic,
                    });
                }
            }
            // Unknown keys are serde's to name, with the nearest known one.
            None => walk_children(value.get_ref(), text, file, out),
        }
    }
}

/// Tables inside a value: `[[indicator]]` is a list of tables.
fn walk_children(value: &DeValue<'_>, text: &str, file: &str, out: &mut Vec<Wrong>) {
    match value {
        DeValue::Table(t) => walk_table(t, text, file, out),
        DeValue::Array(items) => {
            for item in items.iter() {
                walk_children(item.get_ref(), text, file, out);
            }
        }
        _ => {}
    }
}

/// What is wrong with a known key's value, if anything (the tables inside
/// a value that fits are walked).
fn check_value(
    key: &str,
    kind: Kind,
    value: &Spanned<DeValue<'_>>,
    text: &str,
    file: &str,
    out: &mut Vec<Wrong>,
) -> Option<Diagnostic> {
    if fits(kind, value.get_ref()) {
        walk_children(value.get_ref(), text, file, out);
        return None;
    }
    let start = value.span().start;
    let written: String = text[start.min(value.span().end)..value.span().end]
        .chars()
        .take(40)
        .collect();
    let expected = expected(key, kind);
    let message = crate::tr!(
        "{expected}；这里写的是 {written}",
        "{expected}; here it is {written}"
    );
    Some(Diagnostic::new(file, super::line_col(text, start), message))
}

/// Whether a value is of the kind its key takes. A number must be finite:
/// `nan` and `inf` are floats to TOML but no score.
fn fits(kind: Kind, value: &DeValue<'_>) -> bool {
    match (kind, value) {
        (Kind::Number, DeValue::Integer(_)) => true,
        (Kind::Number, DeValue::Float(f)) => {
            let s = f.as_str().trim_start_matches(['+', '-']);
            s != "nan" && s != "inf"
        }
        (Kind::Integer, DeValue::Integer(_)) => true,
        (Kind::Text, DeValue::String(_)) => true,
        (Kind::Bool, DeValue::Boolean(_)) => true,
        (Kind::Date, DeValue::Datetime(_)) => true,
        (Kind::List, DeValue::Array(_)) => true,
        // `[[indicator]]` is a list of tables; `[assessment]` one table.
        (Kind::Table, DeValue::Table(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::config::System;
    use crate::lang::{with, Lang};

    fn errors(toml: &str) -> Vec<String> {
        with(Lang::Zh, || {
            System::parse(toml, "t.toml")
                .unwrap_err()
                .iter()
                .map(|d| d.to_string())
                .collect()
        })
    }

    #[test]
    fn every_value_of_the_wrong_kind_is_named_in_one_run() {
        let e = errors(
            "[assessment]\nname = \"x\"\nyear = 2023\nbonus_cap = nan\nveto_cap = -inf\n\
             full_score = \"100\"\n[[indicator]]\nid = \"A\"\nname = \"a\"\npoints = 10\n\
             late_deduct = true\n",
        );
        // The four values, then what this sketch of a system lacks besides.
        assert_eq!(e.len(), 7, "{e:#?}");
        assert!(e[4].contains("缺少 [performance] weight_percent"), "{e:#?}");
        assert!(
            e[0].starts_with("t.toml 第 4 行第 13 列：“bonus_cap”应为数字"),
            "{e:#?}"
        );
        assert!(e[0].ends_with("这里写的是 nan"), "{e:#?}");
        assert!(
            e[1].starts_with("t.toml 第 5 行第 12 列：“veto_cap”"),
            "{e:#?}"
        );
        assert!(e[1].ends_with("这里写的是 -inf"), "{e:#?}");
        assert!(
            e[2].contains("第 6 行") && e[2].contains("“full_score”"),
            "{e:#?}"
        );
        assert!(
            e[3].contains("第 11 行") && e[3].contains("“late_deduct”"),
            "{e:#?}"
        );
    }

    /// The case, which took three runs: the two values of the wrong
    /// kind and the two out of range, in one.
    #[test]
    fn wrong_kinds_and_values_out_of_range_come_together() {
        let text = include_str!("../../indicators/demo.toml")
            .replacen("precision = 2", "precision = 100", 1)
            .replacen("bonus_cap = 3", "bonus_cap = nan", 1)
            .replacen("veto_cap = 59", "veto_cap = inf", 1)
            .replacen("late_deduct = 0.5", "late_deduct = -1", 1);
        let e = errors(&text);
        assert_eq!(e.len(), 4, "{e:#?}");
        assert!(
            e[0].starts_with("t.toml 第 13 行第 13 列：“bonus_cap”应为数字"),
            "{e:#?}"
        );
        assert!(
            e[1].starts_with("t.toml 第 16 行第 12 列：“veto_cap”应为数字"),
            "{e:#?}"
        );
        assert!(
            e[2].contains("precision = 100：最多保留 16 位小数"),
            "{e:#?}"
        );
        assert!(e[3].contains("late_deduct = -1：应不小于 0"), "{e:#?}");
    }

    /// A wrong value's follow-ons are not reported: `points = "10"` on A1
    /// leaves A's children short, which is A1's problem, said once.
    #[test]
    fn what_follows_from_a_wrong_value_is_not_said_again() {
        let text =
            include_str!("../../indicators/demo.toml").replacen("points = 8", "points = \"8\"", 1);
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].contains("“points”应为数字"), "{e:#?}");
    }

    #[test]
    fn a_key_nested_beyond_reading_names_its_line_in_words() {
        let deep = vec!["a"; 100_000].join(".");
        let e = errors(&format!(
            "[assessment]\nname = \"x\"\n{deep} = 1\nyear = 2023\n"
        ));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(
            e[0].starts_with("t.toml 第 3 行：键或嵌套的层级太深"),
            "{e:#?}"
        );
    }
}
