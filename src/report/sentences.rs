//! The sentences that make a unit's standing reconcilable where a rule,
//! not its items, decided it: a quota that moved it down a grade, a
//! tie-break that ordered it among equal totals, a parent whose score is
//! not the sum of its children. The notice says them per group; the
//! feedback sheet, the breakdown and `explain` say them per unit.

use super::published;
use crate::assess::Assessment;
use crate::config::QuotaRounding;
use crate::rank::TieBlock;
use crate::score::gaps::{gap, Gap};
use rust_decimal::Decimal;

fn names(a: &Assessment, units: &[usize]) -> String {
    units
        .iter()
        .map(|&u| a.inputs.units[u].name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The units of group `g` a quota moved down from grade `k`.
fn moved_by_quota(a: &Assessment, g: usize, k: usize) -> Vec<usize> {
    let s = &a.system;
    a.ranking.order[g]
        .iter()
        .copied()
        .filter(|&u| {
            !a.scores[u].vetoed
                && crate::rank::band(s, a.scores[u].total.publish(s.precision)) == k
                && a.ranking.standings[u].grade > k
        })
        .collect()
}

/// One sentence per quota that moved units of group `g` down, naming
/// `only` of them when given (a unit's own sheet), all otherwise.
pub fn quota_sentences(a: &Assessment, g: usize, only: Option<usize>) -> Vec<String> {
    (0..a.system.grades.len())
        .filter_map(|k| {
            let moved: Vec<usize> = moved_by_quota(a, g, k)
                .into_iter()
                .filter(|&u| only.is_none_or(|o| o == u))
                .collect();
            quota_sentence(a, g, k, &moved)
        })
        .collect()
}

/// The sentence of grade `k`'s quota in group `g`, naming `moved`; `None`
/// when the grade has no quota or nobody is named.
fn quota_sentence(a: &Assessment, g: usize, k: usize, moved: &[usize]) -> Option<String> {
    let s = &a.system;
    let grade = &s.grades[k];
    let n = a.ranking.order[g].len();
    let (share, allowance) = (grade.max_share?, grade.allowance(n)?);
    let first = *moved.first()?;
    let percent = (share * Decimal::ONE_HUNDRED).normalize();
    let to = &s.grades[a.ranking.standings[first].grade].name;
    let rounding = match grade.quota_rounding {
        QuotaRounding::Floor => "",
        QuotaRounding::HalfUp => "按四舍五入",
        QuotaRounding::Ceil => "按进一法",
    };
    let why = if allowance.is_zero() {
        format!(
            "但本组单位较少（{n}个），按{percent}%取整后不设{}等次",
            grade.name
        )
    } else {
        format!(
            "但{}等次不超过本组单位数的{percent}%（{n}个单位，{rounding}取{allowance}个；并列名次不拆分）",
            grade.name
        )
    };
    Some(format!(
        "{}得分达到“{}”等次分数线（{}分），{why}，按名次顺延为“{to}”。",
        names(a, moved),
        grade.name,
        grade.min.normalize(),
    ))
}

/// Every unit's own tie and quota sentences (by unit index), made group by
/// group in one pass: a province's group of thousands would otherwise be
/// walked once per unit.
pub fn unit_notes(a: &Assessment) -> Vec<Vec<String>> {
    let mut notes = vec![Vec::new(); a.inputs.units.len()];
    for g in 0..a.system.groups.len() {
        for block in crate::rank::tie_blocks(&a.system, &a.ranking.order[g], &a.scores) {
            let small = block.units.len() <= NAMED_IN_TIE && block.still_tied.len() <= 1;
            let shared = small.then(|| tie_sentence(a, &block, None));
            for &u in &block.units {
                let own = shared
                    .clone()
                    .unwrap_or_else(|| tie_sentence(a, &block, Some(u)));
                notes[u].push(own);
            }
        }
        for k in 0..a.system.grades.len() {
            for u in moved_by_quota(a, g, k) {
                notes[u].extend(quota_sentence(a, g, k, &[u]));
            }
        }
    }
    notes
}

/// One sentence per set of units of group `g` with equal totals (or only
/// the set holding unit `only`): how the tie-breaks ordered them, and who
/// still shares a rank.
pub fn tie_sentences(a: &Assessment, g: usize, only: Option<usize>) -> Vec<String> {
    let s = &a.system;
    crate::rank::tie_blocks(s, &a.ranking.order[g], &a.scores)
        .into_iter()
        .filter(|b| only.is_none_or(|u| b.units.contains(&u)))
        .map(|b| tie_sentence(a, &b, only))
        .collect()
}

/// Most units a unit's own tie sentence names; in a larger tie it names
/// itself and counts the others (a province's group may have a thousand
/// units on one total, and each unit's sheet would list them all).
const NAMED_IN_TIE: usize = 6;

fn tie_sentence(a: &Assessment, b: &TieBlock, only: Option<usize>) -> String {
    let s = &a.system;
    let who = |units: &[usize]| match only {
        Some(u) if units.len() > NAMED_IN_TIE && units.contains(&u) => format!(
            "{}与本组另外{}个单位",
            a.inputs.units[u].name,
            units.len() - 1
        ),
        Some(_) if units.len() > NAMED_IN_TIE => format!("本组另外{}个单位", units.len()),
        _ => names(a, units),
    };
    let total = published(a, a.scores[b.units[0]].total);
    let mut text = format!("{}总分同为{total}分", who(&b.units));
    if b.decided_by > 0 {
        let by: Vec<String> = s.tie_break[..b.decided_by]
            .iter()
            .map(|&i| format!("“{}”", s.indicators[i].name))
            .collect();
        text.push_str(&format!("，按{}得分先后排序", by.join("、")));
    }
    for run in &b.still_tied {
        // A unit's own sheet says only the run it is in.
        if only.is_some_and(|u| !run.contains(&u)) {
            continue;
        }
        let rank = a.ranking.standings[run[0]].rank;
        if run.len() == b.units.len() {
            text.push_str(&format!("，并列第{rank}名"));
        } else {
            text.push_str(&format!("；{}得分仍相同，并列第{rank}名", who(run)));
        }
    }
    text.push('。');
    text
}

/// Why unit `u`'s parent indicator `i` is not the sum of its children,
/// in words with the numbers; `None` where it is.
pub fn gap_text(a: &Assessment, u: usize, i: usize) -> Option<String> {
    let s = &a.system;
    let sc = &a.scores[u];
    let node = &s.indicators[i];
    let score = sc.indicators[i]?;
    let text = match gap(s, &a.evidence[u].outcomes, &sc.indicators, i)? {
        Gap::PoolVeto { leaf } => {
            let records: Vec<&str> = a.evidence[u]
                .detail(leaf)
                .deductions
                .iter()
                .map(|d| a.inputs.findings[d.finding].ids.as_str())
                .collect();
            format!(
                "{} {}单项否决（记录 {}），{} {}整项计0分",
                s.indicators[leaf].id,
                s.indicators[leaf].name,
                records.join("、"),
                node.id,
                node.name
            )
        }
        Gap::Pool { deducted, children } => format!(
            "{} {}按合并扣分计分：下属各项扣分合计扣减{}分（单项扣分可超过该项分值，合计不超过{}分），得{}分；下属各项得分之和为{}分",
            node.id,
            node.name,
            published(a, deducted),
            published(a, node.points),
            published(a, score),
            published(a, children)
        ),
        Gap::Rescaled {
            children,
            applicable,
        } => format!(
            "{} {}有不涉及的下级指标，按适用分值折算：{} ÷ {} × {} = {}分",
            node.id,
            node.name,
            published(a, children),
            published(a, applicable),
            published(a, node.points),
            published(a, score)
        ),
    };
    Some(text)
}

/// Every parent of unit `u` with a gap, in tree order: (indicator, text).
pub fn gap_texts(a: &Assessment, u: usize) -> Vec<(usize, String)> {
    (0..a.system.indicators.len())
        .filter_map(|i| gap_text(a, u, i).map(|t| (i, t)))
        .collect()
}
