//! The one rule that turns a unit id into a file name (feedback sheets,
//! per-unit forms, the unit's results page): whatever the id holds, the name
//! is one that Windows and Unix both accept, stays inside its folder and is
//! not hidden. Two units whose names would clash are an error of the roster
//! (`resolve.rs`), caught by `check` before anything is written.

/// Most bytes of a name made from an id (without its extension).
pub const MAX_STEM_BYTES: usize = 100;

/// Names Windows keeps for devices, whatever the case and extension.
const DEVICES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The file name (without extension) for the unit id `id`: characters not
/// allowed in file names become `_`; a leading dot, a trailing dot or space
/// become `_`; a device name gets `_` after it; at most 100 bytes.
pub fn file_stem(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.is_empty() {
        s.push('_');
    }
    if s.starts_with('.') {
        s.replace_range(..1, "_");
    }
    let device_end = s.find('.').unwrap_or(s.len());
    if DEVICES
        .iter()
        .any(|d| d.eq_ignore_ascii_case(&s[..device_end]))
    {
        s.insert(device_end, '_');
    }
    if s.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    while s.ends_with(['.', ' ']) {
        s.pop();
        s.push('_');
        if !s.ends_with(['.', ' ']) {
            break;
        }
    }
    s
}

/// The key under which two file names clash: file systems that ignore case
/// (Windows, macOS) hold `q1.docx` and `Q1.docx` as one file.
pub fn clash_key(stem: &str) -> String {
    stem.to_lowercase()
}

/// Two units whose ids make one file name (`Q_1` and `Q/1`, `a` and `A`)
/// would share one feedback sheet: an error naming both rows.
pub(super) fn clashes(
    t: &super::table::Table,
    rows: &[usize],
    units: &[super::Unit],
) -> Vec<crate::error::Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: super::FastMap<String, usize> = super::FastMap::default();
    for (u, unit) in units.iter().enumerate() {
        let stem = file_stem(&unit.id);
        let Some(first) = seen.insert(clash_key(&stem), u) else {
            continue;
        };
        if units[first].id.to_lowercase() == unit.id.to_lowercase() {
            continue; // the same id twice: said once, as a duplicate id
        }
        errors.push(t.error(
            rows[u],
            "id",
            crate::tr!(
"单位编码“{}”与第 {} 行的“{}”写成文件名后相同（{stem}）；反馈单等按编码命名的文件会互相覆盖，请改用不同的编码",
"unit id \"{}\" and the id in row {} (\"{}\") give the same file name ({stem}); the files named by unit id (feedback sheets) would overwrite each other — make the ids differ",
                unit.id,
                rows[first] + 2,
                units[first].id
            ),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_names_every_system_accepts() {
        assert_eq!(file_stem("X01"), "X01");
        assert_eq!(file_stem("Q/1"), "Q_1");
        assert_eq!(file_stem("a:b*c?\"<>|\\d"), "a_b_c______d");
        assert_eq!(file_stem("../x"), "_._x");
        assert_eq!(file_stem(".hidden"), "_hidden");
        assert_eq!(file_stem("CON"), "CON_");
        assert_eq!(file_stem("con"), "con_");
        assert_eq!(file_stem("Lpt9.1"), "Lpt9_.1");
        assert_eq!(file_stem("COM10"), "COM10");
        assert_eq!(file_stem("end."), "end_");
        assert_eq!(file_stem("end. "), "end._");
        assert_eq!(file_stem("a\u{1b}b"), "a_b");
        assert_eq!(file_stem(""), "_");
        let long = "单".repeat(40); // 120 bytes
        let stem = file_stem(&long);
        assert_eq!(stem.len(), 99, "33 whole characters of 3 bytes");
        assert_eq!(clash_key("Q_1"), clash_key("q_1"));
    }
}
