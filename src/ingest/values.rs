//! Cell values: exact decimals (`85`, `85.5`, `50%`) and dates in the
//! formats officers type them.

use super::{names, Value};
use crate::config::{InputKind, Rule, System, ValueKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The largest magnitude an input number may have: far beyond any count,
/// ratio or score, and small enough that no product in scoring overflows.
pub const MAX_MAGNITUDE: i64 = 1_000_000_000_000;

/// The error values a spreadsheet shows for a formula that failed.
const EXCEL_ERRORS: [&str; 8] = [
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#GETTING_DATA",
];

/// A cell showing a spreadsheet's error value: the formula failed.
fn excel_error(shown: &str) -> String {
    crate::tr!(
        "单元格是 Excel 的错误值 {shown}，它的公式没有算出结果：请改正公式，或直接填入值",
        "the cell holds Excel's error value {shown}: its formula gave no result; mend the formula or type the value"
    )
}

/// A plain decimal, optionally with a trailing `%` (then divided by 100).
/// Exponents, thousands separators, full-width digits, NaN and infinities
/// are rejected: the value must be what the officer sees.
pub fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b.trim_end(), true),
        None => (t, false),
    };
    let plain = !body.is_empty()
        && body
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    let d = if plain {
        Decimal::from_str_exact(body.trim_start_matches('+')).ok()
    } else {
        None
    };
    match d {
        None if t.is_empty() => Err(crate::tr!(
            "单元格是空的，应为数字（若是公式，请在 Excel 中重新计算并保存，或粘贴为数值）",
            "the cell is empty; a number is expected (if it holds a formula, recalculate and save it in Excel, or paste it as a value)"
        )),
        None if EXCEL_ERRORS.contains(&t) => Err(excel_error(t)),
        Some(d) if d.abs() > Decimal::from(MAX_MAGNITUDE) => Err(crate::tr!(
            "“{s}”太大（绝对值最多 {MAX_MAGNITUDE}）",
            "\"{s}\" is too large (at most {MAX_MAGNITUDE} in absolute value)"
        )),
        Some(d) if percent => Ok(d / Decimal::ONE_HUNDRED),
        Some(d) => Ok(d),
        None if has_thousands_separators(body) => Err(crate::tr!(
            "“{s}”不是普通数字：请去掉千分位逗号（{}）",
            "\"{s}\" is not a plain number: write it without thousands separators ({})",
            t.replace(',', "")
        )),
        None if !s.is_ascii() => Err(crate::tr!(
"“{s}”不是普通数字（应为 85、85.5 或 50% 这样的半角数字）",
"\"{s}\" is not a plain number (expected e.g. 85, 85.5 or 50%, in half-width characters)"
        )),
        None => Err(crate::tr!(
            "“{s}”不是普通数字（应为 85、85.5 或 50% 这样的数字）",
            "\"{s}\" is not a plain number (expected e.g. 85, 85.5 or 50%)"
        )),
    }
}

/// A numeric submission of a leaf whose `input` is `kind`: a ratio is a
/// share in 0..=1 (`0.859` or `85.9%`; `85.9` without `%` is refused with
/// the percentage it probably means), a count a whole number >= 0 without
/// `%`, a number any plain decimal.
pub fn parse_input(s: &str, kind: InputKind) -> Result<Decimal, String> {
    let d = parse_decimal(s)?;
    let t = s.trim();
    let percent = t.ends_with('%');
    match kind {
        InputKind::Number => Ok(d),
        InputKind::Ratio if d.is_sign_negative() && !d.is_zero() => Err(crate::tr!(
            "“{t}”为负数；比例应在 0 到 1（0% 到 100%）之间",
            "\"{t}\" is negative; a ratio is between 0 and 1 (0% to 100%)"
        )),
        InputKind::Ratio if d > Decimal::ONE && percent => Err(crate::tr!(
            "“{t}”超过 100%；比例应在 0% 到 100% 之间",
            "\"{t}\" is above 100%; a ratio is between 0% and 100%"
        )),
        InputKind::Ratio if d > Decimal::ONE => Err(crate::tr!(
"“{t}”大于 1，而比例应在 0 到 1 之间：如指百分比，请写成 {t}%（或 {}）",
"\"{t}\" is above 1, and a ratio is between 0 and 1: write {t}% if that is meant (or {})",
            (d / Decimal::ONE_HUNDRED).normalize()
        )),
        InputKind::Ratio => Ok(d),
        InputKind::Count if percent => Err(crate::tr!(
            "“{t}”是百分比，而此项是次数：请填整数，如 3",
            "\"{t}\" is a percentage, but this item is a count: write a whole number such as 3"
        )),
        InputKind::Count if d.is_sign_negative() && !d.is_zero() => Err(crate::tr!(
            "“{t}”为负数；次数应为不小于 0 的整数",
            "\"{t}\" is negative; a count is a whole number >= 0"
        )),
        InputKind::Count if !d.fract().is_zero() => Err(crate::tr!(
            "“{t}”不是整数；此项是次数（如 3）",
            "\"{t}\" is not a whole number; this item is a count (e.g. 3)"
        )),
        InputKind::Count => Ok(d.trunc()),
    }
}

/// `1,234` or `12,345.5`: digits grouped by three with commas (not a
/// decimal comma such as `6,75`).
fn has_thousands_separators(body: &str) -> bool {
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    let mut groups = int.trim_start_matches(['-', '+']).split(',');
    let first = groups.next().unwrap_or("");
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    int.contains(',')
        && digits(first)
        && first.len() <= 3
        && groups.all(|g| g.len() == 3 && digits(g))
        && digits(frac)
}

/// `2023-01-31`, `2023/1/31`, `2023.1.31`, `2023年1月31日` (a time part after
/// a space is ignored, as spreadsheets add one).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let t = t.split_whitespace().next().unwrap_or("");
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let parsed = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => match (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
            _ => None,
        },
        _ => None,
    };
    parsed.ok_or_else(|| {
        if EXCEL_ERRORS.contains(&s.trim()) {
            return excel_error(s.trim());
        }
        crate::tr!(
"“{s}”不是日期（应为 2023-01-31、2023/1/31、2023.1.31 或 2023年1月31日 这样的日期）",
"\"{s}\" is not a date (expected e.g. 2023-01-31, 2023/1/31, 2023.1.31 or 2023年1月31日)")
    })
}

/// A submitted value for `target` as `run` reads it: by the leaf's rule and
/// `input` kind, its levels, 不涉及 where allowed, the range of a manual
/// score; a bonus count is a number >= 0. The error says what was expected.
pub fn parse_submitted(
    system: &System,
    target: Target,
    raw: &str,
) -> std::result::Result<Value, String> {
    let leaf = match target {
        Target::Bonus(_) => {
            let n = parse_decimal(raw)?;
            if n < Decimal::ZERO {
                return Err(crate::tr!(
                    "{n} 为负数；加分次数应不小于 0",
                    "{n} is negative; a bonus count must be >= 0"
                ));
            }
            return Ok(Value::Number(n));
        }
        Target::Leaf(l) => &system.indicators[l],
    };
    if names::normalize(raw) == "不涉及" {
        if leaf.allow_na {
            return Ok(Value::NotApplicable);
        }
        return Err(crate::tr!(
            "{} 不允许填“不涉及”（指标体系未设置 allow_na）",
            "不涉及 is not allowed for {} (its indicator system does not set allow_na)",
            leaf.id
        ));
    }
    let Some(rule) = &leaf.rule else {
        return Err(crate::tr!("不是末级指标", "not a leaf"));
    };
    match rule.submission_kind() {
        Some(ValueKind::Number) => {
            let n = parse_input(raw, leaf.input)?;
            if *rule == Rule::Manual {
                let p = leaf.points.to_decimal();
                if n < Decimal::ZERO || n > p {
                    return Err(crate::tr!(
                        "{n} 超出 0 至 {} 的范围（{} 的分值，直接计分）",
                        "{n} is outside 0..={} (the points of {}, rule manual)",
                        p.normalize(),
                        leaf.id
                    ));
                }
            }
            Ok(Value::Number(n))
        }
        Some(ValueKind::Date) => parse_date(raw).map(Value::Date),
        Some(ValueKind::Level) => {
            let Rule::Level { levels } = rule else {
                return Err(crate::tr!("不是等级计分", "not a level rule"));
            };
            let key = names::normalize(raw);
            levels
                .iter()
                .position(|(l, _)| names::normalize(l) == key)
                .map(Value::Level)
                .ok_or_else(|| {
                    crate::tr!(
                        "未知等级“{raw}”；应为以下之一：{}",
                        "unknown level \"{raw}\"; expected one of {}",
                        levels
                            .iter()
                            .map(|l| l.0.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
        }
        None => Err(crate::tr!(
            "该计分规则不接受报送",
            "this rule takes no submission"
        )),
    }
}

/// What a submission row is for: a leaf or a bonus item (by index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Leaf(usize),
    Bonus(usize),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn parses_plain_decimals_and_percentages_exactly() {
        assert_eq!(parse_decimal("85").unwrap(), Decimal::from(85));
        assert_eq!(
            parse_decimal(" 85.5 ").unwrap(),
            Decimal::from_str("85.5").unwrap()
        );
        assert_eq!(
            parse_decimal("50%").unwrap(),
            Decimal::from_str("0.5").unwrap()
        );
        assert_eq!(
            parse_decimal("12.5 %").unwrap(),
            Decimal::from_str("0.125").unwrap()
        );
        assert_eq!(parse_decimal("-3").unwrap(), Decimal::from(-3));
    }

    #[test]
    fn rejects_magnitudes_beyond_the_limit_and_hints_at_full_width() {
        assert!(parse_decimal("1000000000000").is_ok());
        assert!(parse_decimal("-1000000000001")
            .unwrap_err()
            .contains("too large"));
        assert!(parse_decimal("94.1％").unwrap_err().contains("half-width"));
    }

    #[test]
    fn suggests_dropping_thousands_separators_but_not_for_a_decimal_comma() {
        let e = parse_decimal("12,345.5").unwrap_err();
        assert!(e.contains("without thousands separators (12345.5)"), "{e}");
        let e = parse_decimal("1,234").unwrap_err();
        assert!(e.contains("(1234)"), "{e}");
        for other in ["6,75", "1,2345", ",123", "1,234.x"] {
            let e = parse_decimal(other).unwrap_err();
            assert!(!e.contains("thousands"), "{other}: {e}");
        }
    }

    #[test]
    fn an_empty_cell_or_an_excel_error_is_named_as_such() {
        crate::lang::with(crate::lang::Lang::Zh, || {
            let e = parse_decimal(" ").unwrap_err();
            assert!(e.starts_with("单元格是空的，应为数字（若是公式"), "{e}");
            let e = parse_decimal("#DIV/0!").unwrap_err();
            assert!(e.starts_with("单元格是 Excel 的错误值 #DIV/0!，"), "{e}");
            let e = parse_decimal("#错误").unwrap_err();
            assert!(e.starts_with("“#错误”不是普通数字"), "{e}");
        });
    }

    #[test]
    fn rejects_numbers_that_are_not_plain() {
        for bad in [
            "1e-3",
            "1,234.5",
            "８５",
            "NaN",
            "inf",
            "",
            "abc",
            "1e400",
            "--1",
            "%",
            "99999999999999999999999999999",
            "1000000000001",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn a_ratio_is_a_share_and_a_count_a_whole_number() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(parse_input("85.9%", InputKind::Ratio), Ok(d("0.859")));
        assert_eq!(parse_input("0.859", InputKind::Ratio), Ok(d("0.859")));
        assert_eq!(parse_input("1", InputKind::Ratio), Ok(d("1")));
        assert_eq!(parse_input("100%", InputKind::Ratio), Ok(d("1")));
        let e = parse_input("85.9", InputKind::Ratio).unwrap_err();
        assert!(e.contains("write 85.9% if that is meant (or 0.859)"), "{e}");
        assert!(parse_input("-20%", InputKind::Ratio)
            .unwrap_err()
            .contains("negative"));
        assert!(parse_input("120%", InputKind::Ratio)
            .unwrap_err()
            .contains("above 100%"));
        assert_eq!(parse_input("3", InputKind::Count), Ok(d("3")));
        assert_eq!(
            parse_input("3.0", InputKind::Count).map(|x| x.to_string()),
            Ok("3".into())
        );
        assert!(parse_input("85%", InputKind::Count)
            .unwrap_err()
            .contains("a percentage, but this item is a count"));
        assert!(parse_input("2.5", InputKind::Count)
            .unwrap_err()
            .contains("not a whole number"));
        assert!(parse_input("-1", InputKind::Count)
            .unwrap_err()
            .contains("negative"));
        assert_eq!(parse_input("91.3", InputKind::Number), Ok(d("91.3")));
    }

    #[test]
    fn parses_every_date_format_of_the_spec() {
        let want = NaiveDate::from_ymd_opt(2023, 1, 31).unwrap();
        for s in [
            "2023-01-31",
            "2023/1/31",
            "2023.1.31",
            "2023年1月31日",
            "2023-01-31 00:00:00",
        ] {
            assert_eq!(parse_date(s).unwrap(), want, "{s}");
        }
        for bad in ["2023-02-30", "31/01/2023", "yesterday", "23-1-31"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
