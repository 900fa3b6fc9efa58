//! `results.json`: the machine interface other tools read. Its shape is the
//! contract's (SPEC §7); scores are strings with exactly `precision` decimals
//! and `null` means N/A.

use super::{published, Export};
use crate::assess::Assessment;
use serde::Serialize;
use serde_json::{Map, Value};

pub struct Results;

#[derive(Serialize)]
struct Document {
    assessment: Header,
    groups: Vec<GroupOut>,
    units: Vec<UnitOut>,
}

#[derive(Serialize)]
struct Header {
    /// 考核名称
    name: String,
    year: i32,
    /// As written in the indicator system.
    full_score: String,
    /// Decimals of every published score.
    precision: u32,
    /// Share of 政务公开 in the target performance assessment, as written.
    weight_percent: String,
    /// True for a 征求意见稿 run (`--draft`).
    draft: bool,
}

#[derive(Serialize)]
struct GroupOut {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct UnitOut {
    id: String,
    name: String,
    /// Group id.
    group: String,
    total: String,
    /// Rank within the group.
    rank: u32,
    grade: String,
    performance_points: String,
    bonus: String,
    penalty: String,
    /// Has a record of a `veto = "grade"` issue.
    vetoed: bool,
    /// Every indicator id → published score, or null when N/A.
    indicators: Map<String, Value>,
}

impl Export for Results {
    fn file_name(&self) -> &'static str {
        "results.json"
    }

    fn write(&self, a: &Assessment, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let s = &a.system;
        let doc = Document {
            assessment: Header {
                name: s.name.clone(),
                year: s.year,
                full_score: s.full_score.to_string(),
                precision: s.precision,
                weight_percent: s.weight_percent.to_string(),
                draft: a.draft,
            },
            groups: s
                .groups
                .iter()
                .map(|g| GroupOut {
                    id: g.id.clone(),
                    name: g.name.clone(),
                })
                .collect(),
            units: a.ordered_units().map(|u| unit_out(a, u)).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")
    }
}

fn unit_out(a: &Assessment, u: usize) -> UnitOut {
    let s = &a.system;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let st = &a.ranking.standings[u];
    let indicators = s
        .indicators
        .iter()
        .zip(&sc.indicators)
        .map(|(ind, score)| {
            let v = score.map_or(Value::Null, |x| Value::String(published(a, x)));
            (ind.id.clone(), v)
        })
        .collect();
    UnitOut {
        id: unit.id.clone(),
        name: unit.name.clone(),
        group: s.groups[unit.group].id.clone(),
        total: published(a, sc.total),
        rank: st.rank,
        grade: s.grades[st.grade].name.clone(),
        performance_points: published(a, sc.performance_points),
        bonus: published(a, sc.bonus),
        penalty: published(a, sc.penalty),
        vetoed: sc.vetoed,
        indicators,
    }
}
