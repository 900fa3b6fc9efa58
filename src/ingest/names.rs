//! Matching unit names as people type them: by id, name or alias, after
//! NFKC normalisation with all whitespace removed (so `县(市、区)` and
//! `县（市、区）` are one name) and, for Latin letters, without case (`x01` is
//! `X01`). Unknown names get the nearest roster names.

use super::{FastMap, Unit};
use crate::spelling::simple_normalized;
pub use crate::spelling::{nearest, normalize};

/// A lookup key: [`normalize`]d and lower-cased, so that ids typed in
/// another case (`x01`) still match.
fn key(s: &str) -> String {
    simple_normalized(s, true).unwrap_or_else(|| normalize(s).to_lowercase())
}

/// Looks units up by any of their names.
#[derive(Clone, Debug, Default)]
pub struct UnitMatcher {
    by_key: FastMap<String, usize>,
    /// (normalised display name, display name) per unit, for suggestions.
    names: Vec<(String, String)>,
    /// (key of the id, display name) per unit, for suggestions.
    ids: Vec<(String, String)>,
}

/// A roster unit's id, name and aliases, as written.
fn written(unit: &Unit) -> impl Iterator<Item = &String> {
    std::iter::once(&unit.id)
        .chain(std::iter::once(&unit.name))
        .chain(&unit.aliases)
}

/// A key claimed by two units: (key as written, first unit, second unit).
pub struct Collision {
    pub key: String,
    pub first: usize,
    pub second: usize,
}

impl UnitMatcher {
    /// The roster's units, in roster order.
    pub fn build(units: &[Unit]) -> (UnitMatcher, Vec<Collision>) {
        use rayon::prelude::*;
        // Every name normalised on all cores (a province's roster has some
        // 300,000 ids, names and aliases), then indexed in roster order.
        let keyed: Vec<(String, Vec<String>)> = units
            .par_iter()
            .map(|unit| {
                let keys = written(unit).map(|k| key(k)).collect();
                (normalize(&unit.name), keys)
            })
            .collect();
        let mut m = UnitMatcher {
            by_key: FastMap::with_capacity_and_hasher(
                keyed.iter().map(|(_, keys)| keys.len()).sum(),
                Default::default(),
            ),
            names: Vec::with_capacity(units.len()),
            ids: Vec::with_capacity(units.len()),
        };
        let mut collisions = Vec::new();
        for (u, (unit, (normalized, keys))) in units.iter().zip(keyed).enumerate() {
            let name = &unit.name;
            m.names.push((normalized, name.clone()));
            m.ids.push((keys[0].clone(), name.clone()));
            for (key, k) in written(unit).zip(keys) {
                if k.is_empty() {
                    continue;
                }
                match m.by_key.get(&k) {
                    Some(&other) if other != u => collisions.push(Collision {
                        key: key.clone(),
                        first: other,
                        second: u,
                    }),
                    Some(_) => {}
                    None => {
                        m.by_key.insert(k, u);
                    }
                }
            }
        }
        (m, collisions)
    }

    /// The number of units.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Unit `u`'s name as the roster writes it.
    pub fn name_of(&self, u: usize) -> &str {
        self.names.get(u).map_or("", |(_, shown)| shown.as_str())
    }

    pub fn shown_names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|(_, shown)| shown.as_str())
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.by_key.get(&key(name)).copied()
    }

    /// Up to three roster names closest to `name` or whose id is closest to
    /// it (edit distance on characters).
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let n = normalize(name);
        let k = key(name);
        let mut scored: Vec<(usize, &str)> = self
            .names
            .iter()
            .map(|(norm, shown)| (strsim::levenshtein(&n, norm), shown.as_str()))
            .chain(
                self.ids
                    .iter()
                    .map(|(id, shown)| (strsim::levenshtein(&k, id), shown.as_str())),
            )
            .collect();
        scored.sort_by_key(|(d, _)| *d);
        let limit = n.chars().count().max(2);
        let mut out: Vec<String> = Vec::new();
        for (_, s) in scored.into_iter().filter(|(d, _)| *d < limit) {
            if out.len() < 3 && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
        out
    }
}

/// The names of a responsibility-table cell: split at `、，,；;` and line
/// breaks, but not inside brackets (`各县（市、区）人民政府` is one name).
pub fn split_names(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in cell.char_indices() {
        match c {
            '（' | '(' | '【' | '[' | '〔' | '《' => depth += 1,
            '）' | ')' | '】' | ']' | '〕' | '》' => depth = (depth - 1).max(0),
            '、' | '，' | ',' | '；' | ';' | '\n' | '\r' if depth == 0 => {
                out.push(&cell[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&cell[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// "。是否为：A1 政府信息公开指南、A2 …？" after an unknown code: the
/// nearest of `codes` (id and name), as [`nearest`] finds them; "" when
/// none is near.
pub fn code_hint(code: &str, codes: &[(&str, &str)]) -> String {
    let near = nearest(code, codes.iter().map(|c| c.0));
    if near.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = near
        .iter()
        .filter_map(|id| codes.iter().find(|c| c.0 == *id))
        .map(|(id, name)| format!("{id} {name}"))
        .collect();
    crate::tr!(
        "。是否为：{}？",
        "; did you mean {}?",
        crate::lang::list(&shown)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn roster() -> Vec<Unit> {
        let unit = |id: &str, name: &str, aliases: &[&str]| Unit {
            id: id.into(),
            name: name.into(),
            group: 0,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        vec![
            unit("U01", "青羊区", &["青羊"]),
            unit("U02", "锦江区", &[]),
            unit("U03", "高新区(园区)", &[]),
        ]
    }

    #[test]
    fn finds_units_by_id_name_or_alias_after_nfkc_and_whitespace_removal() {
        let (m, collisions) = UnitMatcher::build(&roster());
        assert!(collisions.is_empty());
        assert_eq!(m.find("U02"), Some(1));
        assert_eq!(m.find(" 锦 江区 "), Some(1));
        assert_eq!(m.find("青羊"), Some(0));
        assert_eq!(m.find("高新区（园区）"), Some(2));
        assert_eq!(m.find("ＵＯ１"), None);
        assert_eq!(m.find("Ｕ01"), Some(0));
        assert_eq!(m.find("u02"), Some(1), "ids in another case");
    }

    /// The characters mapped one by one map as NFKC maps them, alone and
    /// in a name.
    #[test]
    fn simple_characters_normalise_as_nfkc_does() {
        let unicode = |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
        let simple = ('\0'..='\x7f')
            .chain('\u{4E00}'..='\u{9FFF}')
            .chain('\u{FF01}'..='\u{FF5E}')
            .chain(['\u{3000}']);
        for c in simple {
            let s = c.to_string();
            assert_eq!(simple_normalized(&s, false), Some(unicode(&s)), "{c:?}");
            assert_eq!(
                simple_normalized(&s, true),
                Some(unicode(&s).to_lowercase()),
                "{c:?}"
            );
        }
        for s in [
            "合成单位　96128 ",
            " Ｇ０２２８３２",
            "高新区（园区）",
            "g 094339\t",
            "X01\u{b}",
        ] {
            assert_eq!(normalize(s), unicode(s), "{s:?}");
            assert_eq!(key(s), unicode(s).to_lowercase(), "{s:?}");
        }
        assert_eq!(key(" Ｇ０２２８３２ "), "g022832");
        // Text with any other character takes the Unicode way.
        assert_eq!(simple_normalized("ⅫＳ", false), None);
        assert_eq!(normalize("Ⅻ区"), "XII区");
        assert_eq!(
            key("ΟΔΟΣ"),
            "οδος",
            "a final sigma, as str::to_lowercase writes it"
        );
    }

    #[test]
    fn suggests_the_nearest_names_for_an_unknown_one() {
        let (m, _) = UnitMatcher::build(&roster());
        assert_eq!(m.find("青阳区"), None);
        assert_eq!(
            m.suggest("青阳区").first().map(String::as_str),
            Some("青羊区")
        );
        assert_eq!(
            m.suggest("U2").first().map(String::as_str),
            Some("锦江区"),
            "a near id suggests its unit"
        );
    }

    #[test]
    fn an_unknown_code_is_hinted_with_the_near_ids_and_their_names() {
        let codes = [("A1", "文件公开"), ("A2", "公开比例"), ("J1", "加分")];
        // "A22" holds A2; A1 is one edit from A2 but two from A22, more
        // than half of three characters.
        let hint = code_hint("A22", &codes);
        assert!(hint.contains("A2 公开比例"), "{hint}");
        assert!(!hint.contains("A1"), "{hint}");
        // One edit in two characters: both A ids are near, J1 is not.
        let hint = code_hint("A3", &codes);
        assert!(
            hint.contains("A1 文件公开") && hint.contains("A2 公开比例"),
            "{hint}"
        );
        assert!(!hint.contains("J1"), "{hint}");
        assert_eq!(code_hint("Q7", &codes), "");
    }

    #[test]
    fn splits_a_responsibility_cell_but_not_inside_brackets() {
        assert_eq!(
            split_names("市政务服务管理局，市档案馆、市文体旅游局（市图书馆）；各县（市、区）人民政府，达州高新区管委会 "),
            [
                "市政务服务管理局",
                "市档案馆",
                "市文体旅游局（市图书馆）",
                "各县（市、区）人民政府",
                "达州高新区管委会"
            ]
        );
        assert_eq!(split_names("A;B,\nC\r\n"), ["A", "B", "C"]);
        assert_eq!(split_names("县(市、区)政府"), ["县(市、区)政府"]);
        assert!(split_names(" 、 ").is_empty());
    }

    #[test]
    fn the_nearest_names_contain_the_phrase_or_are_close_to_it() {
        let names = ["市交通运输局", "市教育局", "市政府信息公开管理中心"];
        assert_eq!(
            nearest("市交通运输局等", names.into_iter()),
            ["市交通运输局"]
        );
        assert_eq!(nearest("市教育厅", names.into_iter()), ["市教育局"]);
        assert!(nearest("开设政务新媒体的单位", names.into_iter()).is_empty());
    }

    #[test]
    fn reports_a_name_claimed_by_two_units() {
        let mut r = roster();
        r[1].aliases.push("青羊".into());
        let (_, collisions) = UnitMatcher::build(&r);
        assert_eq!(collisions.len(), 1);
        assert_eq!((collisions[0].first, collisions[0].second), (0, 1));
    }
}
