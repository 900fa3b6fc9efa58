//! Stage 4: ranks and grades within each group.
//!
//! Ranking: by published (or exact) total, higher first, then each
//! `tie_break` indicator's published score (N/A below any score); units still
//! equal share a rank (competition 1,2,2,4 or dense 1,2,2,3) and keep roster
//! order. Grades: the first band whose `min` ≤ the published total; a
//! `veto = "grade"` record gives the last grade; `max_share` quotas are
//! settled from the best grade down, never splitting a shared rank.

use crate::config::{RankOn, RankTies, System};
use crate::num::Exact;
use crate::score::UnitScore;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A unit's place in its group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub rank: u32,
    /// Index into `System::grades`.
    pub grade: usize,
}

/// Units of each group in ranking order, and every unit's standing.
pub struct Ranking {
    pub order: Vec<Vec<usize>>,
    pub standings: Vec<Standing>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Key {
    total: Exact,
    /// `None` (N/A) sorts below any score.
    tie_break: Vec<Option<Decimal>>,
}

fn key(system: &System, s: &UnitScore) -> Key {
    let p = system.precision;
    let total = match system.rank_on {
        RankOn::Published => Exact::from_decimal(s.total.publish(p)),
        RankOn::Exact => s.total,
    };
    let tie_break = system
        .tie_break
        .iter()
        .map(|&i| s.indicators[i].map(|x| x.publish(p)))
        .collect();
    Key { total, tie_break }
}

/// Ranks and grades the units; `group_of[u]` is unit u's group.
pub fn rank(system: &System, group_of: &[usize], scores: &[UnitScore]) -> Ranking {
    use rayon::prelude::*;
    // Keys and sorts on all cores: a province's groups have 100,000 units.
    let keys: Vec<Key> = scores.par_iter().map(|s| key(system, s)).collect();
    let mut order = vec![Vec::new(); system.groups.len()];
    for (u, &g) in group_of.iter().enumerate() {
        order[g].push(u);
    }
    let mut standings = vec![Standing { rank: 0, grade: 0 }; scores.len()];
    for members in &mut order {
        // Stable: equal keys keep roster order.
        members.par_sort_by(|&a, &b| keys[b].cmp(&keys[a]));
        assign_ranks(system.rank_ties, members, &keys, &mut standings);
        assign_grades(system, members, scores, &mut standings);
    }
    Ranking { order, standings }
}

fn assign_ranks(ties: RankTies, members: &[usize], keys: &[Key], standings: &mut [Standing]) {
    let mut rank = 0;
    for (pos, &u) in members.iter().enumerate() {
        let tied = pos > 0 && keys[members[pos - 1]].cmp(&keys[u]) == Ordering::Equal;
        if !tied {
            rank = match ties {
                RankTies::Competition => pos as u32 + 1,
                RankTies::Dense => rank + 1,
            };
        }
        standings[u].rank = rank;
    }
}

/// Units of a group whose ranking totals are equal: how `tie_break`
/// ordered them, so that no document orders them silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TieBlock {
    /// The units in ranking order.
    pub units: Vec<usize>,
    /// How many `tie_break` indicators it took to order them (0: none was
    /// given or none told them apart).
    pub decided_by: usize,
    /// Runs of units that every tie-break left equal: they share a rank.
    pub still_tied: Vec<Vec<usize>>,
}

/// The tie blocks of one group's ranking (`members` in ranking order).
pub fn tie_blocks(system: &System, members: &[usize], scores: &[UnitScore]) -> Vec<TieBlock> {
    let keys: Vec<Key> = members.iter().map(|&u| key(system, &scores[u])).collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < members.len() {
        let end = (i..members.len())
            .find(|&j| keys[j].total != keys[i].total)
            .unwrap_or(members.len());
        if end - i >= 2 {
            blocks.push(tie_block(&members[i..end], &keys[i..end]));
        }
        i = end;
    }
    blocks
}

fn tie_block(units: &[usize], keys: &[Key]) -> TieBlock {
    let mut decided_by = 0;
    let mut still_tied: Vec<Vec<usize>> = Vec::new();
    let mut run = vec![units[0]];
    for k in 1..units.len() {
        let (a, b) = (&keys[k - 1].tie_break, &keys[k].tie_break);
        match a.iter().zip(b).position(|(x, y)| x != y) {
            Some(d) => {
                decided_by = decided_by.max(d + 1);
                if run.len() >= 2 {
                    still_tied.push(std::mem::take(&mut run));
                }
                run = vec![units[k]];
            }
            None => run.push(units[k]),
        }
    }
    if run.len() >= 2 {
        still_tied.push(run);
    }
    TieBlock {
        units: units.to_vec(),
        decided_by,
        still_tied,
    }
}

/// The band of a published total: the first grade with `min` ≤ it.
pub fn band(system: &System, published: Decimal) -> usize {
    system
        .grades
        .iter()
        .position(|g| g.min <= published)
        .unwrap_or(system.grades.len().saturating_sub(1))
}

fn assign_grades(
    system: &System,
    members: &[usize],
    scores: &[UnitScore],
    standings: &mut [Standing],
) {
    let last = system.grades.len().saturating_sub(1);
    for &u in members {
        standings[u].grade = if scores[u].vetoed {
            last
        } else {
            band(system, scores[u].total.publish(system.precision))
        };
    }
    for (g, grade) in system.grades.iter().enumerate().take(last) {
        let Some(allowance) = grade.allowance(members.len()) else {
            continue;
        };
        let in_grade: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&u| standings[u].grade == g)
            .collect();
        let mut admitted = Decimal::ZERO;
        let mut i = 0;
        while i < in_grade.len() {
            // The block of units sharing this rank.
            let rank = standings[in_grade[i]].rank;
            let end = in_grade[i..]
                .iter()
                .position(|&u| standings[u].rank != rank)
                .map_or(in_grade.len(), |k| i + k);
            let block = Decimal::from((end - i) as u64);
            if admitted + block > allowance {
                for &u in &in_grade[i..] {
                    standings[u].grade = g + 1;
                }
                break;
            }
            admitted += block;
            i = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn system(extra: &str) -> System {
        let toml = format!(
            r#"
[assessment]
name = "t"
year = 2023
{extra}
[performance]
weight_percent = 4
[[group]]
id = "g"
name = "组"
[[grade]]
name = "优秀"
min = 90
max_share = 0.3
[[grade]]
name = "良好"
min = 80
max_share = 0.5
[[grade]]
name = "一般"
min = 0
[[indicator]]
id = "A"
name = "a"
points = 60
rule = "manual"
[[indicator]]
id = "B"
name = "b"
points = 40
rule = "manual"
"#
        );
        System::parse(&toml, "t.toml").unwrap()
    }

    fn unit(total: &str, a: Option<&str>, vetoed: bool) -> UnitScore {
        let t = Exact::from_decimal(Decimal::from_str(total).unwrap());
        UnitScore {
            indicators: vec![
                a.map(|x| Exact::from_decimal(Decimal::from_str(x).unwrap())),
                None,
            ],
            base: t,
            bonus: Exact::ZERO,
            penalty: Exact::ZERO,
            total: t,
            performance_points: Exact::ZERO,
            vetoed,
        }
    }

    #[test]
    fn ties_say_which_tie_breaks_ordered_them_and_who_still_shares_a_rank() {
        // tie_break = A: units 0–3 all on 86.11; A 30, 30, 28, 30 orders
        // 0, 1, 3 (30) before 2 (28); 0, 1 and 3 stay tied. Unit 4 alone.
        let s = system(r#"tie_break = ["A"]"#);
        let scores = vec![
            unit("86.11", Some("30"), false),
            unit("86.11", Some("30"), false),
            unit("86.11", Some("28"), false),
            unit("86.11", Some("30"), false),
            unit("70", Some("10"), false),
        ];
        let r = rank(&s, &[0, 0, 0, 0, 0], &scores);
        assert_eq!(r.order[0], [0, 1, 3, 2, 4]);
        assert_eq!(ranks(&r), [1, 1, 4, 1, 5]);
        let blocks = tie_blocks(&s, &r.order[0], &scores);
        assert_eq!(
            blocks,
            [TieBlock {
                units: vec![0, 1, 3, 2],
                decided_by: 1,
                still_tied: vec![vec![0, 1, 3]],
            }]
        );
        // Without tie_break: one block, nothing decided, all share a rank.
        let s = system("");
        let r = rank(&s, &[0, 0, 0, 0, 0], &scores);
        let blocks = tie_blocks(&s, &r.order[0], &scores);
        assert_eq!(blocks.len(), 1);
        assert_eq!((blocks[0].decided_by, blocks[0].still_tied.len()), (0, 1));
        assert_eq!(blocks[0].still_tied[0], [0, 1, 2, 3]);
    }

    fn ranks(r: &Ranking) -> Vec<u32> {
        r.standings.iter().map(|s| s.rank).collect()
    }
    fn grades(r: &Ranking) -> Vec<usize> {
        r.standings.iter().map(|s| s.grade).collect()
    }

    #[test]
    fn competition_and_dense_ranks_share_ties() {
        let scores = vec![
            unit("95", None, false),
            unit("90", None, false),
            unit("90", None, false),
            unit("80", None, false),
        ];
        let r = rank(&system(""), &[0; 4], &scores);
        assert_eq!(ranks(&r), vec![1, 2, 2, 4]);
        let r = rank(&system("rank_ties = \"dense\""), &[0; 4], &scores);
        assert_eq!(ranks(&r), vec![1, 2, 2, 3]);
    }

    #[test]
    fn ranks_on_the_published_total_unless_told_exact() {
        // 90.004 and 90.001 both publish as 90.00: tied unless rank_on = exact.
        let scores = vec![unit("90.001", None, false), unit("90.004", None, false)];
        let r = rank(&system(""), &[0; 2], &scores);
        assert_eq!(ranks(&r), vec![1, 1]);
        assert_eq!(r.order[0], vec![0, 1], "tied units keep roster order");
        let r = rank(&system("rank_on = \"exact\""), &[0; 2], &scores);
        assert_eq!(ranks(&r), vec![2, 1]);
        assert_eq!(r.order[0], vec![1, 0]);
    }

    #[test]
    fn tie_break_uses_indicator_scores_with_na_lowest() {
        let scores = vec![
            unit("88", None, false),
            unit("88", Some("50"), false),
            unit("88", Some("55"), false),
        ];
        let r = rank(&system("tie_break = [\"A\"]"), &[0; 3], &scores);
        assert_eq!(ranks(&r), vec![3, 2, 1]);
    }

    #[test]
    fn quota_drops_units_past_the_allowance_and_cascades() {
        // 10 units; 优秀 allows floor(10 × 0.3) = 3, 良好 floor(10 × 0.5) = 5.
        let totals = ["99", "98", "97", "96", "95", "94", "93", "92", "85", "70"];
        let scores: Vec<UnitScore> = totals.iter().map(|t| unit(t, None, false)).collect();
        let r = rank(&system(""), &[0; 10], &scores);
        // 优秀: 99 98 97; dropped 96 95 94 93 92 join 85 in 良好 (6 > 5):
        // 良好 keeps 96 95 94 93 92, drops 85 to 一般.
        assert_eq!(grades(&r), vec![0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
    }

    #[test]
    fn quota_never_splits_a_shared_rank() {
        // 10 units, allowance 3 for 优秀: ranks 1, 2, 3, 3 — the two at rank 3
        // would split, so both drop, and everyone below.
        let totals = ["99", "98", "97", "97", "96", "85", "84", "83", "82", "70"];
        let scores: Vec<UnitScore> = totals.iter().map(|t| unit(t, None, false)).collect();
        let r = rank(&system(""), &[0; 10], &scores);
        assert_eq!(&grades(&r)[..5], &[0, 0, 1, 1, 1]);
        // 良好 now holds 97 97 96 85 84 83 82 (7 > 5): 97 97 96 85 84 stay, 83 82 drop.
        assert_eq!(&grades(&r)[5..], &[1, 1, 2, 2, 2]);
    }

    #[test]
    fn a_vetoed_unit_gets_the_last_grade_whatever_its_score() {
        let scores = vec![unit("99", None, true), unit("91", None, false)];
        let r = rank(&system(""), &[0; 2], &scores);
        assert_eq!(
            grades(&r),
            vec![2, 1],
            "91 is the only 优秀 candidate but floor(2×0.3)=0 allows none"
        );
        assert_eq!(ranks(&r), vec![1, 2]);
    }
}
