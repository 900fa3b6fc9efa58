//! How names typed by people are compared: NFKC with whitespace removed
//! (`县(市、区)` is `县（市、区）`), and the nearest of some names to one that
//! matched none. At the floor of the house: the indicator system's checks
//! and the tables' both use it.

use unicode_normalization::UnicodeNormalization;

/// NFKC, then every whitespace character removed. Names written only in
/// ASCII, CJK ideographs and full-width ASCII (most of a roster and of
/// what offices type) are mapped a character at a time; other text already
/// in NFKC (the quick check answers without decomposing) is only stripped
/// of whitespace.
pub fn normalize(s: &str) -> String {
    if let Some(simple) = simple_normalized(s, false) {
        return simple;
    }
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.chars().filter(|c| !c.is_whitespace()).collect();
    }
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The NFKC of a character whose NFKC needs no context: ASCII and the CJK
/// unified ideographs are their own, full-width ASCII (`Ｇ０１`, `（`) is
/// ASCII, the ideographic space is a space. `None` for other characters.
fn simple_nfkc(c: char) -> Option<char> {
    match c {
        '\0'..='\x7f' | '\u{4E00}'..='\u{9FFF}' => Some(c),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    }
}

/// [`normalize`] (and lower-cased, `lower`) of text made only of
/// [`simple_nfkc`] characters, which compose with nothing: each maps on
/// its own. `None` for any other text.
pub(crate) fn simple_normalized(s: &str, lower: bool) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = simple_nfkc(c)?;
        if !c.is_whitespace() {
            out.push(if lower { c.to_ascii_lowercase() } else { c });
        }
    }
    Some(out)
}

/// Up to three of `candidates` (shown names) nearest to `name`: a name that
/// contains a candidate (`市交通运输局等`) or is contained in one first,
/// longer ones first, then by edit distance on characters, within half the
/// longer of the two.
pub fn nearest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let n = normalize(name);
    let len = n.chars().count();
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .filter_map(|shown| {
            let c = normalize(shown);
            let clen = c.chars().count();
            if c.is_empty() {
                return None;
            }
            if n.contains(&c) || c.contains(&n) {
                return Some((0, usize::MAX - clen, shown));
            }
            let d = strsim::levenshtein(&n, &c);
            (d * 2 <= len.max(clen)).then_some((1, d, shown))
        })
        .collect();
    scored.sort();
    scored.dedup_by_key(|x| x.2);
    scored.into_iter().take(3).map(|x| x.2).collect()
}
