//! The facts of the results page (results.html and each unit's own page),
//! as one JSON value: published figures only, exactly as results.json and
//! the notice give them — the page never computes a score. The office's
//! page holds every unit's account; a unit's page the published ranking
//! (as the notice publishes it) and that unit's account alone.

use super::published;
use crate::assess::Assessment;
use crate::config::Publish;
use crate::num::Exact;
use serde_json::{json, Map, Value};

/// Most record ids one item of an account lists on the page; the rest are
/// counted and found in breakdown.csv (a province's unit may have
/// thousands of records of one problem).
pub const RECORD_LIMIT: usize = 20;

/// Whose page: the office's (every account) or one unit's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Office,
    Unit(usize),
}

/// What every page of a run shares, made once: each unit's tie and quota
/// sentences, and each group's facts (in full, and as a unit's page
/// publishes them).
pub struct Shared {
    notes: Vec<Vec<String>>,
    groups: Vec<Option<Value>>,
    published: Vec<Option<Value>>,
}

pub fn shared(a: &Assessment) -> Shared {
    let s = &a.system;
    let grades_only = s.publish == Publish::Grades;
    let group =
        |g: usize, only: bool| (!a.ranking.order[g].is_empty()).then(|| group_facts(a, g, only));
    let groups: Vec<Option<Value>> = (0..s.groups.len()).map(|g| group(g, false)).collect();
    let published = if grades_only {
        (0..s.groups.len()).map(|g| group(g, true)).collect()
    } else {
        groups.clone()
    };
    Shared {
        notes: super::sentences::unit_notes(a),
        groups,
        published,
    }
}

/// The page's facts: the office's page every group and account, a unit's
/// page its own group's published ranking and its own account.
pub fn facts(a: &Assessment, shared: &Shared, scope: Scope, date: &str) -> Value {
    let s = &a.system;
    let grades_only = scope != Scope::Office && s.publish == Publish::Grades;
    let (units, groups): (Vec<usize>, Vec<Value>) = match scope {
        Scope::Office => (
            (0..a.inputs.units.len()).collect(),
            shared.groups.iter().flatten().cloned().collect(),
        ),
        Scope::Unit(u) => (
            vec![u],
            shared.published[a.inputs.units[u].group]
                .iter()
                .cloned()
                .collect(),
        ),
    };
    let (accounts, details) = accounts(a, shared, &units);
    json!({
        "title": format!("{}{}", s.name, super::run_label(a)),
        "when": super::year_words(a),
        "date": date,
        "draft": a.draft,
        "scope": if scope == Scope::Office { "office" } else { "unit" },
        "grades_only": grades_only,
        "full_score": s.full_score.normalize().to_string(),
        "weight_percent": s.weight_percent.normalize().to_string(),
        "grades": s.grades.iter().map(|g| g.name.clone()).collect::<Vec<_>>(),
        "parts": a.parts.iter().map(|p| format!("{}（权重{}）", p.label, p.weight)).collect::<Vec<_>>(),
        "indicators": s.roots.iter().map(|&r| json!({
            "id": s.indicators[r].id,
            "name": s.indicators[r].name,
            "points": published(a, s.indicators[r].points),
        })).collect::<Vec<_>>(),
        "groups": groups,
        "units": accounts,
        "record_limit": RECORD_LIMIT,
        "details": details,
    })
}

/// How much of the accounts a page embeds: the page must open on an
/// office machine, and a province's records would make it hundreds of MB.
/// Every account in full up to [`FULL_BYTES`]; beyond it, each item's
/// points lost without its problems and records (they are in
/// breakdown.csv) up to [`COMPACT_BYTES`]; beyond that, each unit's
/// standing alone. The page says which it holds.
pub const FULL_BYTES: usize = 16 << 20;
pub const COMPACT_BYTES: usize = 32 << 20;

fn accounts(
    a: &Assessment,
    shared: &Shared,
    units: &[usize],
) -> (Map<String, Value>, &'static str) {
    let mut full: Vec<(String, Value)> = units
        .iter()
        .map(|&u| {
            (
                a.inputs.units[u].id.clone(),
                unit_facts(a, u, &shared.notes[u]),
            )
        })
        .collect();
    let size = |accounts: &[(String, Value)]| -> usize {
        accounts.iter().map(|(_, v)| v.to_string().len()).sum()
    };
    let mut details = "full";
    if size(&full) > FULL_BYTES {
        details = "compact";
        for (_, v) in &mut full {
            if let Some(lost) = v.get_mut("lost").and_then(Value::as_array_mut) {
                for item in lost {
                    if let Some(m) = item.as_object_mut() {
                        m.remove("why");
                        m.remove("records");
                    }
                }
            }
        }
        if size(&full) > COMPACT_BYTES {
            details = "standing";
            for (_, v) in &mut full {
                if let Some(m) = v.as_object_mut() {
                    for key in ["lost", "na", "gaps", "composition"] {
                        m.insert(key.into(), json!([]));
                    }
                }
            }
        }
    }
    (full.into_iter().collect(), details)
}

/// A group: its summary, its ranking (grades only when the notice
/// publishes grades), the sentences of its ties and quotas, and the
/// lowest, mean and highest of each top-level indicator.
fn group_facts(a: &Assessment, g: usize, grades_only: bool) -> Value {
    let s = &a.system;
    let members = &a.ranking.order[g];
    let mut counts = vec![0usize; s.grades.len()];
    for &u in members {
        counts[a.ranking.standings[u].grade] += 1;
    }
    let totals: Vec<Exact> = members.iter().map(|&u| a.scores[u].total).collect();
    let mut order = members.clone();
    if grades_only {
        order.sort_unstable();
    }
    let rows: Vec<Value> = order
        .iter()
        .map(|&u| {
            let unit = &a.inputs.units[u];
            let st = &a.ranking.standings[u];
            let sc = &a.scores[u];
            if grades_only {
                return json!({"id": unit.id, "name": unit.name, "grade": s.grades[st.grade].name});
            }
            json!({
                "id": unit.id,
                "name": unit.name,
                "rank": st.rank,
                "total": published(a, sc.total),
                "grade": s.grades[st.grade].name,
                "pp": published(a, sc.performance_points),
                "vetoed": sc.vetoed,
                "ind": s.roots.iter().map(|&r| sc.indicators[r].map(|x| published(a, x))).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut notes = super::sentences::tie_sentences(a, g, None);
    notes.extend(super::sentences::quota_sentences(a, g, None));
    json!({
        "id": s.groups[g].id,
        "name": s.groups[g].name,
        "units": members.len(),
        "mean": mean(a, &totals),
        "max": totals.iter().max().map(|x| published(a, *x)),
        "min": totals.iter().min().map(|x| published(a, *x)),
        "grade_counts": counts,
        "rows": rows,
        "notes": if grades_only { Vec::new() } else { notes },
        "stats": if grades_only { Vec::new() } else { indicator_stats(a, members) },
    })
}

fn mean(a: &Assessment, xs: &[Exact]) -> Option<String> {
    if xs.is_empty() {
        return None;
    }
    let sum = xs.iter().fold(Exact::ZERO, |acc, x| acc.plus(*x));
    Some(published(a, sum.over(Exact::from_int(xs.len() as i64))))
}

/// Per top-level indicator, over the units of the group it applies to:
/// lowest, mean, highest (published).
fn indicator_stats(a: &Assessment, members: &[usize]) -> Vec<Value> {
    a.system
        .roots
        .iter()
        .map(|&r| {
            let xs: Vec<Exact> = members
                .iter()
                .filter_map(|&u| a.scores[u].indicators[r])
                .collect();
            json!({
                "min": xs.iter().min().map(|x| published(a, *x)),
                "mean": mean(a, &xs),
                "max": xs.iter().max().map(|x| published(a, *x)),
            })
        })
        .collect()
}

/// One unit's account: what its feedback sheet says.
fn unit_facts(a: &Assessment, u: usize, notes: &[String]) -> Value {
    let unit = &a.inputs.units[u];
    let mut facts = json!({
        "name": unit.name,
        "group": a.system.groups[unit.group].id,
        "aliases": unit.aliases,
        "notes": notes,
    });
    let more = if a.parts.is_empty() {
        run_account(a, u)
    } else {
        combined_account(a, u)
    };
    if let (Some(f), Value::Object(m)) = (facts.as_object_mut(), more) {
        f.extend(m);
    }
    facts
}

fn run_account(a: &Assessment, u: usize) -> Value {
    let leaves = a.system.leaves();
    let lost: Vec<Value> = super::ledger::entries(a, u, &leaves)
        .into_iter()
        .chain(super::ledger::parent_entries(a, u))
        .map(|(item, points, score, lost, why, records)| {
            json!({"item": item, "points": points, "score": score, "lost": lost, "why": why,
                   "records": limited(&records)})
        })
        .collect();
    let sc = &a.scores[u];
    let na: Vec<String> = leaves
        .iter()
        .filter(|&&l| sc.indicators[l].is_none())
        .map(|&l| {
            let node = &a.system.indicators[l];
            format!(
                "{} {}（{}）",
                node.id,
                node.name,
                super::tables::leaf_status(a, u, l)
            )
        })
        .collect();
    let gaps: Vec<String> = super::sentences::gap_texts(a, u)
        .into_iter()
        .filter(|(i, _)| !a.system.indicators[*i].pool)
        .map(|(_, t)| t)
        .collect();
    json!({
        "standing": super::feedback::standing(a, u),
        "lost": lost,
        "na": na,
        "gaps": gaps,
        "composition": std::iter::once(
            ["项目", "分值", "得分", "计算"].iter().map(|h| h.to_string()).collect(),
        )
        .chain(super::feedback::composition(a, u, &leaves))
        .collect::<Vec<Vec<String>>>(),
    })
}

fn combined_account(a: &Assessment, u: usize) -> Value {
    json!({
        "standing": format!(
            "合并总分{}分，在{}个单位中排第{}名，等次为“{}”，折合目标绩效考核{}分。",
            published(a, a.scores[u].total),
            a.ranking.order[a.inputs.units[u].group].len(),
            a.ranking.standings[u].rank,
            a.system.grades[a.ranking.standings[u].grade].name,
            published(a, a.scores[u].performance_points)
        ),
        "lost": [],
        "na": [],
        "gaps": [],
        "composition": super::combined_feedback::part_table(a, u),
    })
}

/// At most [`RECORD_LIMIT`] record ids of an item's list, the rest counted.
fn limited(records: &str) -> String {
    let ids: Vec<&str> = records.split('、').filter(|r| !r.is_empty()).collect();
    if ids.len() <= RECORD_LIMIT {
        return records.to_string();
    }
    format!(
        "{}等{}条（全部见 breakdown.csv）",
        ids[..RECORD_LIMIT].join("、"),
        ids.len()
    )
}

/// Every reading of each character of the names that has one, for the
/// search: 重 gives `zhong|chong` (重庆 is found by cq and by zq). Each
/// character once: the page looks a name's characters up here.
pub fn pinyin_of<'a>(names: impl Iterator<Item = &'a str>) -> Map<String, Value> {
    use pinyin::ToPinyinMulti;
    let mut out = Map::new();
    for c in names.flat_map(str::chars) {
        if out.contains_key(c.encode_utf8(&mut [0; 4])) {
            continue;
        }
        if let Some(multi) = c.to_pinyin_multi() {
            let mut all: Vec<&str> = multi.into_iter().map(|p| p.plain()).collect();
            all.dedup();
            out.insert(c.to_string(), all.join("|").into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reading_of_a_polyphonic_character_is_kept() {
        let py = pinyin_of(["重庆", "长沙", "厦门", "X01 区"].into_iter());
        let of = |c: &str| py[c].as_str().unwrap().split('|').collect::<Vec<_>>();
        assert!(
            of("重").contains(&"zhong") && of("重").contains(&"chong"),
            "{py:?}"
        );
        assert_eq!(of("庆"), ["qing"]);
        assert!(
            of("长").contains(&"chang") && of("长").contains(&"zhang"),
            "{py:?}"
        );
        assert!(
            of("厦").contains(&"xia") && of("厦").contains(&"sha"),
            "{py:?}"
        );
        // 区 reads qu and ou (a surname): both kept. Latin and digits have
        // no entry: the page reads them as themselves.
        assert_eq!(of("区"), ["qu", "ou"]);
        assert!(!py.contains_key("X") && !py.contains_key("0") && !py.contains_key(" "));
        assert_eq!(py.len(), 7, "each character once: {py:?}");
    }

    #[test]
    fn long_record_lists_are_cut_with_a_count() {
        let ids: Vec<String> = (1..=25).map(|k| format!("R{k}")).collect();
        let text = limited(&ids.join("、"));
        assert!(text.starts_with("R1、R2"), "{text}");
        assert!(
            text.ends_with("R20等25条（全部见 breakdown.csv）"),
            "{text}"
        );
        assert_eq!(limited("R1、R2"), "R1、R2");
    }
}
