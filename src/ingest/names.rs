//! Matching unit names as people type them: by id, name or alias, after
//! NFKC normalisation with all whitespace removed (so `县(市、区)` and
//! `县（市、区）` are one name). Unknown names get the nearest roster names.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then every whitespace character removed.
pub fn normalize(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Looks units up by any of their names.
#[derive(Clone, Debug, Default)]
pub struct UnitMatcher {
    by_key: HashMap<String, usize>,
    /// (normalised display name, display name) per unit, for suggestions.
    names: Vec<(String, String)>,
}

/// A key claimed by two units: (key as written, first unit, second unit).
pub struct Collision {
    pub key: String,
    pub first: usize,
    pub second: usize,
}

impl UnitMatcher {
    /// `units`: (id, name, aliases) per unit in roster order.
    pub fn build(units: &[(String, String, Vec<String>)]) -> (UnitMatcher, Vec<Collision>) {
        let mut m = UnitMatcher::default();
        let mut collisions = Vec::new();
        for (u, (id, name, aliases)) in units.iter().enumerate() {
            m.names.push((normalize(name), name.clone()));
            for key in std::iter::once(id)
                .chain(std::iter::once(name))
                .chain(aliases)
            {
                let k = normalize(key);
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

    pub fn find(&self, name: &str) -> Option<usize> {
        self.by_key.get(&normalize(name)).copied()
    }

    /// Up to three roster names closest to `name` (edit distance on characters).
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let n = normalize(name);
        let mut scored: Vec<(usize, &str)> = self
            .names
            .iter()
            .map(|(norm, shown)| (strsim::levenshtein(&n, norm), shown.as_str()))
            .collect();
        scored.sort_by_key(|(d, _)| *d);
        let limit = n.chars().count().max(2);
        scored
            .into_iter()
            .filter(|(d, _)| *d < limit)
            .take(3)
            .map(|(_, s)| s.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Vec<(String, String, Vec<String>)> {
        vec![
            ("U01".into(), "青羊区".into(), vec!["青羊".into()]),
            ("U02".into(), "锦江区".into(), vec![]),
            ("U03".into(), "高新区(园区)".into(), vec![]),
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
    }

    #[test]
    fn suggests_the_nearest_names_for_an_unknown_one() {
        let (m, _) = UnitMatcher::build(&roster());
        assert_eq!(m.find("青阳区"), None);
        assert_eq!(
            m.suggest("青阳区").first().map(String::as_str),
            Some("青羊区")
        );
    }

    #[test]
    fn reports_a_name_claimed_by_two_units() {
        let mut r = roster();
        r[1].2.push("青羊".into());
        let (_, collisions) = UnitMatcher::build(&r);
        assert_eq!(collisions.len(), 1);
        assert_eq!((collisions[0].first, collisions[0].second), (0, 1));
    }
}
