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

/// The problems with the document's shape: its first syntax error (the
/// parser's later ones follow from it), or every value of the wrong kind.
/// Empty when serde may read the file.
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
    out.sort_by_key(|(start, _)| *start);
    out.into_iter().map(|(_, d)| d).collect()
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

fn walk_table(table: &DeTable<'_>, text: &str, file: &str, out: &mut Vec<(usize, Diagnostic)>) {
    for (key, value) in table {
        let key = key.get_ref().as_ref();
        match kind_of(key) {
            Some(kind) => check_value(key, kind, value, text, file, out),
            // Unknown keys are serde's to name, with the nearest known one.
            None => walk_children(value.get_ref(), text, file, out),
        }
    }
}

/// Tables inside a value: `[[indicator]]` is a list of tables.
fn walk_children(value: &DeValue<'_>, text: &str, file: &str, out: &mut Vec<(usize, Diagnostic)>) {
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

fn check_value(
    key: &str,
    kind: Kind,
    value: &Spanned<DeValue<'_>>,
    text: &str,
    file: &str,
    out: &mut Vec<(usize, Diagnostic)>,
) {
    if fits(kind, value.get_ref()) {
        walk_children(value.get_ref(), text, file, out);
        return;
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
    out.push((
        start,
        Diagnostic::new(file, super::line_col(text, start), message),
    ));
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
        assert_eq!(e.len(), 4, "{e:#?}");
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
