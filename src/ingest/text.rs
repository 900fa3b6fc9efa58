//! Control characters in input text (pasted from Word: `\x0b` for a line
//! break, `\x0c` for a page break, ESC sequences): never in an id, removed
//! from names and notes before any document is written (XML cannot hold
//! them, so a docx with one does not open), and escaped wherever text is
//! printed to a terminal (so a cell cannot clear the screen).

/// A character no document should carry: C0 controls but tab and line
/// breaks, DEL, and the C1 controls.
pub fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Does `s` hold a control character? (A byte scan: ASCII controls, DEL,
/// and the two-byte C1 controls, which start with 0xC2.)
pub fn has_control(s: &str) -> bool {
    s.bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2)
        && s.chars().any(is_control)
}

/// `s` without its control characters.
pub fn without_controls(s: &str) -> String {
    s.chars().filter(|&c| !is_control(c)).collect()
}

/// The control characters of `s`, as they are named in messages: `\u{b}`.
pub fn controls_named(s: &str) -> String {
    let mut seen: Vec<char> = s.chars().filter(|&c| is_control(c)).collect();
    seen.dedup();
    seen.iter()
        .map(|c| format!("\\u{{{:x}}}", *c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` for a terminal: every control character but line breaks and tabs
/// written as `\u{1b}`, never raw.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if is_control(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

pub(super) fn cleaned_quietly(text: &str) -> std::borrow::Cow<'_, str> {
    if has_control(text) {
        without_controls(text).into()
    } else {
        text.into()
    }
}

/// A name or note cell without its control characters; a warning naming
/// the cell when there were any.
pub(super) fn cleaned<'c>(
    t: &super::table::Table,
    i: usize,
    column: &str,
    text: &'c str,
    warnings: &mut Vec<String>,
) -> std::borrow::Cow<'c, str> {
    if !has_control(text) {
        return text.into();
    }
    warnings.push(
        t.error(
            i,
            column,
            crate::tr!(
                "含控制字符 {}（多为从 Word 粘贴带入），已在报告中去除",
                "holds the control character(s) {} (usually pasted from Word), removed in the reports",
                controls_named(text)
            ),
        )
        .to_string(),
    );
    without_controls(text).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_removed_named_and_escaped() {
        let pasted = "首页\u{b}栏目\u{c}未更新\u{1b}[2J\u{85}";
        assert!(has_control(pasted));
        assert!(!has_control("第一行\n第二行\t制表 ©"));
        assert_eq!(without_controls(pasted), "首页栏目未更新[2J");
        assert_eq!(controls_named(pasted), "\\u{b} \\u{c} \\u{1b} \\u{85}");
        assert_eq!(printable("东湖\u{1b}]0;x\u{7}"), "东湖\\u{1b}]0;x\\u{7}");
        assert_eq!(printable("a\nb"), "a\nb");
    }
}
