//! What the TOML parser reports, in plain words: a value of the wrong type
//! (`deduct = "3.5"`, `deduct = 三点五`), an unknown key with the nearest
//! known one (`ponts` → `points`), a missing key, and otherwise the
//! parser's own message — each with its line and column.

/// What a key of the indicator file holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Number,
    Integer,
    Text,
    Bool,
    Date,
    List,
    Table,
}

/// The kind of value each key takes (the same key has one kind wherever
/// it appears in the file).
pub(super) fn kind_of(key: &str) -> Option<Kind> {
    use Kind::*;
    Some(match key {
        "full_score" | "bonus_cap" | "bonus_gate" | "veto_cap" | "weight_percent" | "min"
        | "max_share" | "points" | "weight" | "max_deduct" | "late_deduct" | "zero_after"
        | "scale" | "floor" | "deduct" | "max" => Number,
        "year" | "precision" | "trim" => Integer,
        "name" | "id" | "code" | "parent" | "rule" | "mode" | "late_unit" | "direction"
        | "indicator" | "veto" | "issuer" | "rank_ties" | "rank_on" | "rescale" | "title"
        | "input" | "addressee" | "doc_number" | "publish" => Text,
        "cap_at_full" | "allow_na" | "pool" => Bool,
        "due" | "deadline" | "from" | "to" => Date,
        "holidays" | "workdays" | "groups" | "tie_break" | "curve" | "levels" | "aliases"
        | "requirements" => List,
        "assessment" | "performance" | "calendar" | "notice" | "feedback" => Table,
        _ => return None,
    })
}

/// "“points”应为数字，如 10 或 2.5" for a key of this kind.
pub(super) fn expected(key: &str, kind: Kind) -> String {
    match kind {
        Kind::Number => crate::tr!(
            "“{key}”应为数字，如 10 或 2.5（不加引号）",
            "\"{key}\" should be a number, such as 10 or 2.5 (without quotes)"
        ),
        Kind::Integer => crate::tr!(
            "“{key}”应为整数，如 2023（不加引号）",
            "\"{key}\" should be a whole number, such as 2023 (without quotes)"
        ),
        Kind::Text => crate::tr!(
            "“{key}”应为文字，写在英文双引号中，如 {key} = \"主动公开\"",
            "\"{key}\" should be text in double quotes, such as {key} = \"主动公开\""
        ),
        Kind::Bool => crate::tr!(
            "“{key}”应为 true 或 false（不加引号）",
            "\"{key}\" should be true or false (without quotes)"
        ),
        Kind::Date => crate::tr!(
            "“{key}”应为日期，如 2024-01-31（不加引号）",
            "\"{key}\" should be a date, such as 2024-01-31 (without quotes)"
        ),
        Kind::List => crate::tr!(
            "“{key}”应为方括号中的列表，如 {key} = [\"a\", \"b\"]",
            "\"{key}\" should be a list in square brackets, such as {key} = [\"a\", \"b\"]"
        ),
        Kind::Table => crate::tr!(
            "“{key}”应为一节，写成 [{key}]",
            "\"{key}\" should be a section, written [{key}]"
        ),
    }
}

/// The key whose value starts at `offset`: the `key =` before it on its
/// line (for a value inside an array, the array's key).
fn key_at(text: &str, offset: usize) -> Option<String> {
    let before = &text[..offset.min(text.len())];
    // The nearest "key =" going back, at most a few lines (arrays may wrap).
    for line in before.rsplit('\n').take(8) {
        if let Some((key, _)) = line.split_once('=') {
            let key = key.trim().trim_matches('"');
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                return Some(key.rsplit('.').next().unwrap_or(key).to_string());
            }
        }
    }
    None
}

/// The value as written at `offset`, to the end of its line (without a
/// comment).
fn written_at(text: &str, offset: usize) -> String {
    let rest = &text[offset.min(text.len())..];
    let line = rest.lines().next().unwrap_or_default();
    let value = line.split(" #").next().unwrap_or(line).trim();
    value.chars().take(40).collect()
}

/// The names between backticks in a serde message: "unknown field `ponts`,
/// expected one of `id`, `name`" → ["ponts", "id", "name"].
fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// The parser's message for the error at `offset`, in plain words.
pub fn plain(message: &str, text: &str, offset: Option<usize>) -> String {
    let message = message.trim();
    let key = offset.and_then(|o| key_at(text, o));
    if message.starts_with("unknown field") {
        let names = backticked(message);
        if let Some((given, known)) = names.split_first() {
            let near = crate::spelling::nearest(given, known.iter().copied());
            let known = known.join(", ");
            return match near.first() {
                Some(n) => crate::tr!(
                    "“{given}”不是这里可用的键。是否为“{n}”？可用的键：{known}",
                    "\"{given}\" is not a key here; did you mean \"{n}\"? The keys are: {known}"
                ),
                None => crate::tr!(
                    "“{given}”不是这里可用的键；可用的键：{known}",
                    "\"{given}\" is not a key here; the keys are: {known}"
                ),
            };
        }
    }
    if message.starts_with("missing field") {
        if let Some(missing) = backticked(message).first() {
            return crate::tr!(
                "缺少“{missing}”：这一节必须写 {missing} = …",
                "\"{missing}\" is missing: this section needs {missing} = …"
            );
        }
    }
    let wrong_type = message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid string")
        || message.starts_with("string values must be quoted")
        || message.contains("expected a Decimal")
        || message.starts_with("invalid number");
    if wrong_type {
        if let Some((key, kind)) = key.as_deref().and_then(|k| Some((k, kind_of(k)?))) {
            let found = offset.map(|o| written_at(text, o)).unwrap_or_default();
            if found.is_empty() {
                return expected(key, kind);
            }
            let expected = expected(key, kind);
            return crate::tr!(
                "{expected}；这里写的是 {found}",
                "{expected}; here it is {found}"
            );
        }
    }
    let first = message.lines().next().unwrap_or(message);
    crate::tr!(
        "TOML 格式错误：{first}（请检查这一行的写法：文字加英文双引号，数字和日期不加）",
        "TOML syntax error: {first} (check this line: text in double quotes, numbers and dates without)"
    )
}

#[cfg(test)]
mod tests {
    use crate::config::System;
    use crate::lang::{with, Lang};

    const HEAD: &str = "[assessment]\nname = \"x\"\nyear = 2023\n";

    fn error(toml: &str) -> String {
        System::parse(toml, "t.toml").unwrap_err()[0].to_string()
    }

    #[test]
    fn a_wrong_type_says_what_the_key_takes() {
        with(Lang::Zh, || {
            let e = error(&format!("{HEAD}full_score = true\n"));
            assert!(
                e.starts_with("t.toml 第 4 行第 14 列：“full_score”应为数字，如 10 或 2.5"),
                "{e}"
            );
            let e = error("[assessment]\nname = \"x\"\nyear = \"2023年\"\n");
            assert!(e.contains("“year”应为整数"), "{e}");
            let e = error(&format!("{HEAD}precision = 2.5\n"));
            assert!(e.contains("“precision”应为整数"), "{e}");
            let e = error(&format!("{HEAD}issuer = 5\n"));
            assert!(e.contains("“issuer”应为文字，写在英文双引号中"), "{e}");
        });
    }

    #[test]
    fn unquoted_text_where_a_number_belongs_is_named() {
        with(Lang::Zh, || {
            let e = error(&format!("{HEAD}full_score = 三点五\n"));
            assert!(e.contains("第 4 行"), "{e}");
            assert!(e.contains("“full_score”应为数字，如 10 或 2.5"), "{e}");
            let e = error("[assessment]\nname = 演示\nyear = 2023\n");
            assert!(e.contains("“name”应为文字，写在英文双引号中"), "{e}");
        });
    }

    #[test]
    fn an_unknown_key_suggests_the_nearest() {
        with(Lang::Zh, || {
            let e = error(&format!("{HEAD}ful_score = 100\n"));
            assert!(
                e.contains("“ful_score”不是这里可用的键。是否为“full_score”？"),
                "{e}"
            );
        });
        with(Lang::En, || {
            let e = error(&format!("{HEAD}ful_score = 100\n"));
            assert!(
                e.contains("\"ful_score\" is not a key here; did you mean \"full_score\"?"),
                "{e}"
            );
        });
    }

    #[test]
    fn a_missing_key_is_named() {
        with(Lang::Zh, || {
            let e = error("[assessment]\nyear = 2023\n");
            assert!(e.contains("缺少“name”"), "{e}");
        });
    }
}
