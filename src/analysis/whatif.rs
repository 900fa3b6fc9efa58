//! `zwgk whatif --set ID=V`: the same evidence rescored with changed points
//! (or weights, where the indicator's siblings are weighted). Nothing is
//! re-read: only the tree aggregation, totals and ranking run again.

use crate::assess::Assessment;
use crate::config::{Share, System};
use crate::error::{Diagnostic, Error, Result};
use crate::ingest::values::parse_decimal;
use crate::rank::{self, Ranking};
use crate::score::{self, UnitScore};
use rust_decimal::Decimal;
use serde::Serialize;

/// One requested change.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub id: String,
    /// "points", "weight" or "bonus" (a bonus item's points per
    /// occurrence): what V replaced.
    pub kind: &'static str,
    pub old: String,
    pub new: String,
}

/// The rescored assessment beside the original.
pub struct WhatIf {
    pub changes: Vec<Change>,
    pub system: System,
    pub scores: Vec<UnitScore>,
    pub ranking: Ranking,
}

/// What a setting changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Indicator(usize),
    /// A bonus item's points per occurrence.
    Bonus(usize),
}

/// Parses `ID=V` settings against the system; every bad one is reported.
pub fn parse_settings(system: &System, settings: &[String]) -> Result<Vec<(Target, Decimal)>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for s in settings {
        let Some((id, v)) = s.split_once('=') else {
            errors.push(Diagnostic::new(
                "--set",
                s.as_str(),
                crate::tr!("应写成 代码=值，如 A=25", "expected ID=VALUE, e.g. A=25"),
            ));
            continue;
        };
        let id = id.trim();
        let bonus = system.bonuses.iter().position(|b| b.id == id);
        let Some(i) = system
            .index_of(id)
            .map(Target::Indicator)
            .or(bonus.map(Target::Bonus))
        else {
            errors.push(Diagnostic::new(
                "--set",
                s.as_str(),
                crate::tr!(
                    "未知代码“{id}”：应为指标或加分项代码",
                    "unknown id \"{id}\": expected an indicator or bonus id"
                ),
            ));
            continue;
        };
        match parse_decimal(v) {
            Ok(d) if d > Decimal::ZERO => out.push((i, d)),
            Ok(d) => errors.push(Diagnostic::new(
                "--set",
                s.as_str(),
                crate::tr!(
                    "{d}：分值和权重应大于 0",
                    "{d}: points and weights must be > 0"
                ),
            )),
            Err(e) => errors.push(Diagnostic::new("--set", s.as_str(), e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Applies the changes to a copy of the system and rescores.
pub fn rescore(a: &Assessment, settings: &[(Target, Decimal)]) -> WhatIf {
    let mut system = a.system.clone();
    let mut changes = Vec::new();
    for &(target, v) in settings {
        let i = match target {
            Target::Indicator(i) => i,
            Target::Bonus(b) => {
                let bonus = &mut system.bonuses[b];
                changes.push(Change {
                    id: bonus.id.clone(),
                    kind: "bonus",
                    old: bonus.points.normalize().to_string(),
                    new: v.normalize().to_string(),
                });
                bonus.points = v;
                continue;
            }
        };
        let node = &mut system.indicators[i];
        let (kind, old) = match node.share {
            Share::Weight(w) => {
                node.share = Share::Weight(v);
                ("weight", w.normalize().to_string())
            }
            Share::Points(p) => {
                node.share = Share::Points(v);
                ("points", p.normalize().to_string())
            }
            Share::Sum => {
                let old = node.points.to_string();
                node.share = Share::Points(v);
                ("points", old)
            }
        };
        changes.push(Change {
            id: node.id.clone(),
            kind,
            old,
            new: v.normalize().to_string(),
        });
    }
    system.resolve_points();
    let scores = score::score_all(&system, &a.evidence);
    let group_of: Vec<usize> = a.inputs.units.iter().map(|u| u.group).collect();
    let ranking = rank::rank(&system, &group_of, &scores);
    WhatIf {
        changes,
        system,
        scores,
        ranking,
    }
}

/// One unit's old and new standing.
#[derive(Clone, Debug, Serialize)]
pub struct Moved {
    pub id: String,
    pub name: String,
    pub old_total: String,
    pub new_total: String,
    pub old_rank: u32,
    pub new_rank: u32,
    /// Places gained (positive) or lost (negative).
    pub change: i64,
    pub old_grade: String,
    pub new_grade: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupMoves {
    pub id: String,
    pub name: String,
    /// Sorted by new rank.
    pub units: Vec<Moved>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
    pub groups: Vec<GroupMoves>,
}

pub fn report(a: &Assessment, w: &WhatIf) -> Report {
    let dp = a.system.precision;
    let groups = a
        .system
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| !w.ranking.order[*g].is_empty())
        .map(|(g, group)| GroupMoves {
            id: group.id.clone(),
            name: group.name.clone(),
            units: w.ranking.order[g]
                .iter()
                .map(|&u| {
                    let (old, new) = (&a.ranking.standings[u], &w.ranking.standings[u]);
                    Moved {
                        id: a.inputs.units[u].id.clone(),
                        name: a.inputs.units[u].name.clone(),
                        old_total: a.scores[u].total.publish(dp).to_string(),
                        new_total: w.scores[u].total.publish(dp).to_string(),
                        old_rank: old.rank,
                        new_rank: new.rank,
                        change: old.rank as i64 - new.rank as i64,
                        old_grade: a.system.grades[old.grade].name.clone(),
                        new_grade: a.system.grades[new.grade].name.clone(),
                    }
                })
                .collect(),
        })
        .collect();
    Report {
        changes: w.changes.clone(),
        groups,
    }
}

/// The report as terminal text: per group, sorted by new rank, then the
/// biggest movers.
pub fn render_text(r: &Report) -> String {
    let mut out = String::new();
    let changes: Vec<String> = r
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {} {} → {}",
                c.id,
                match c.kind {
                    "weight" => crate::tr!("权重", "weight"),
                    "bonus" => crate::tr!("每次加分", "points per occurrence"),
                    _ => crate::tr!("分值", "points"),
                },
                c.old,
                c.new
            )
        })
        .collect();
    out.push_str(&crate::tr!(
        "假设调整：{}\n",
        "what-if: {}\n",
        crate::lang::list(&changes)
    ));
    for g in &r.groups {
        out.push_str(&format!("\n== {} ==\n", g.name));
        out.push_str(&crate::tr!(
            "新名次  原名次  变化   原总分   新总分  等次变化      单位\n",
            "  new     old  move  old total new total grade         unit\n"
        ));
        for m in &g.units {
            let grade = if m.old_grade == m.new_grade {
                m.new_grade.clone()
            } else {
                format!("{}→{}", m.old_grade, m.new_grade)
            };
            out.push_str(&format!(
                "{:>5}  {:>6}  {:>4}  {:>7}  {:>7}  {}  {}\n",
                m.new_rank,
                m.old_rank,
                arrow(m.change),
                m.old_total,
                m.new_total,
                crate::lang::pad(&grade, 12),
                m.name
            ));
        }
        let mut movers: Vec<&Moved> = g.units.iter().filter(|m| m.change != 0).collect();
        movers.sort_by_key(|m| std::cmp::Reverse(m.change.abs()));
        if movers.is_empty() {
            out.push_str(&crate::tr!("名次无变化\n", "no rank changed\n"));
        } else {
            let top: Vec<String> = movers
                .iter()
                .take(5)
                .map(|m| {
                    crate::tr!(
                        "{} {}（第{}→第{}）",
                        "{} {} (rank {} → {})",
                        m.name,
                        arrow(m.change),
                        m.old_rank,
                        m.new_rank
                    )
                })
                .collect();
            out.push_str(&crate::tr!(
                "变动最大：{}\n",
                "biggest movers: {}\n",
                crate::lang::list(&top)
            ));
        }
    }
    out
}

/// "↑2", "↓1" or "—".
pub fn arrow(change: i64) -> String {
    match change {
        0 => "—".into(),
        c if c > 0 => format!("↑{c}"),
        c => format!("↓{}", -c),
    }
}
