//! The text of a CSV file as offices save it: UTF-8 with or without a BOM,
//! UTF-16 with a BOM (Excel's "Unicode 文本"), or GB18030/GBK (Excel on a
//! Chinese Windows) — and a file that mixes UTF-8 with pasted GBK lines is
//! named at the line where it changes rather than guessed at.

/// The bytes as text, validated once: UTF-8 (a BOM is dropped), or GB18030
/// (a superset of GBK and GB2312) when they are not UTF-8. `Err(line)` when
/// a UTF-8 file turns into another encoding at that line.
pub fn to_utf8(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, usize> {
    // UTF-16 with its byte-order mark: Excel's "Unicode 文本" export.
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return Ok(text.into_owned().into());
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.into()),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            if let Some(line) = mixed_encoding_line(valid) {
                return Err(line);
            }
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            Ok(text.into_owned().into())
        }
    }
}

/// The line where a file that is UTF-8 (with Chinese text) stops being
/// UTF-8 (lines pasted from a GBK file), given its part that is valid UTF-8.
/// A file that is not UTF-8 from its first non-ASCII character on is read
/// as GB18030 instead.
fn mixed_encoding_line(valid: &str) -> Option<usize> {
    // Real UTF-8 Chinese: whole lines of CJK ideographs (three-byte
    // sequences). GBK bytes that happen to decode as UTF-8 give two-byte
    // characters (U+0080–U+07FF) instead, so those mean "not UTF-8".
    let cjk = valid
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let two_byte = valid.chars().any(|c| ('\u{80}'..='\u{7ff}').contains(&c));
    if cjk < 2 || two_byte || !valid.contains('\n') {
        return None;
    }
    Some(valid.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_a_gbk_file_from_a_utf8_file_with_a_gbk_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("指标代码,责任单位\nB2,东湖区\n");
        assert_eq!(
            to_utf8(&gbk).as_deref(),
            Ok("指标代码,责任单位\nB2,东湖区\n"),
            "all GBK: read as GB18030"
        );
        let mut mixed = "单位,数量\n青羊区,2\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encoding_rs::GBK.encode("锦江区,3\n").0);
        assert_eq!(to_utf8(&mixed), Err(3));
        assert_eq!(
            to_utf8("\u{feff}单位\n青羊区\n".as_bytes()).as_deref(),
            Ok("单位\n青羊区\n"),
            "valid UTF-8, the BOM dropped"
        );
    }
}
