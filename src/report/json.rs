//! `results.json`: the machine interface other tools read. Its shape is the
//! contract's (SPEC §7); scores are strings with exactly `precision` decimals
//! and `null` means N/A.

use super::Export;
use crate::assess::Assessment;
use crate::num::Exact;
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

pub struct Results;

#[derive(Serialize)]
struct Document<'a> {
    assessment: Header<'a>,
    groups: Vec<GroupOut<'a>>,
    units: Vec<UnitOut<'a>>,
}

#[derive(Serialize)]
struct Header<'a> {
    /// 考核名称
    name: &'a str,
    year: i32,
    /// As written in the indicator system.
    full_score: String,
    /// Decimals of every published score.
    precision: u32,
    /// Share of 政务公开 in the target performance assessment, as written.
    weight_percent: String,
    /// True for a 征求意见稿 run (`--draft`).
    draft: bool,
    /// The period scored (`run --period`), absent for the whole year.
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<PeriodOut<'a>>,
    /// The appeals decided, when an appeals table was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    appeals: Option<crate::ingest::appeals::AppealCounts>,
    /// The parts of a combined result (`zwgk combine`).
    #[serde(skip_serializing_if = "Option::is_none")]
    parts: Option<Vec<PartOut<'a>>>,
}

#[derive(Serialize)]
pub(crate) struct PeriodOut<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) from: String,
    pub(crate) to: String,
}

impl<'a> PeriodOut<'a> {
    pub(crate) fn of(p: &'a crate::config::Period) -> Self {
        PeriodOut {
            id: &p.id,
            name: &p.name,
            from: p.from.to_string(),
            to: p.to.to_string(),
        }
    }
}

#[derive(Serialize)]
struct GroupOut<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct UnitOut<'a> {
    id: &'a str,
    name: &'a str,
    /// Group id.
    group: &'a str,
    total: Published,
    /// Rank within the group.
    rank: u32,
    grade: &'a str,
    performance_points: Published,
    #[serde(skip_serializing_if = "Option::is_none")]
    bonus: Option<Published>,
    #[serde(skip_serializing_if = "Option::is_none")]
    penalty: Option<Published>,
    /// Has a record of a `veto = "grade"` issue (in any part, when combined).
    vetoed: bool,
    /// Every indicator id → published score, or null when N/A.
    #[serde(skip_serializing_if = "Option::is_none")]
    indicators: Option<Indicators<'a>>,
    /// A combined result: each part's name → the unit's total in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    parts: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A part of a combined result, as `assessment.parts` lists it.
#[derive(Serialize)]
struct PartOut<'a> {
    name: &'a str,
    source: &'a str,
    weight: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<PeriodOut<'a>>,
}

/// A combined unit's total in each part, as that part published it.
fn part_totals(a: &Assessment, u: usize) -> serde_json::Map<String, serde_json::Value> {
    a.parts
        .iter()
        .zip(&a.scores[u].indicators)
        .map(|(p, t)| {
            let total = t.map_or(String::new(), |t| t.to_decimal().to_string());
            (p.name.clone(), serde_json::Value::String(total))
        })
        .collect()
}

/// A score as published (`precision` decimals), written as a JSON string
/// straight from the number.
struct Published(Decimal);

impl Published {
    fn of(a: &Assessment, x: Exact) -> Published {
        Published(x.publish(a.system.precision))
    }
}

impl Serialize for Published {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::num::decimal_text(self.0))
    }
}

/// A unit's indicator scores as a map in the system's order, written as
/// they are read from the assessment.
struct Indicators<'a> {
    a: &'a Assessment,
    unit: usize,
}

impl Serialize for Indicators<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let indicators = &self.a.system.indicators;
        let scores = &self.a.scores[self.unit].indicators;
        let mut map = s.serialize_map(Some(indicators.len()))?;
        for (ind, score) in indicators.iter().zip(scores) {
            map.serialize_entry(&ind.id, &score.map(|x| Published::of(self.a, x)))?;
        }
        map.end()
    }
}

impl Export for Results {
    fn file_name(&self) -> &'static str {
        "results.json"
    }

    fn write(&self, a: &Assessment, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let s = &a.system;
        let doc = Document {
            assessment: Header {
                name: &s.name,
                year: s.year,
                full_score: s.full_score.to_string(),
                precision: s.precision,
                weight_percent: s.weight_percent.to_string(),
                draft: a.draft,
                period: a.period.as_ref().map(PeriodOut::of),
                appeals: a.inputs.appeals,
                parts: (!a.parts.is_empty()).then(|| {
                    a.parts
                        .iter()
                        .map(|p| PartOut {
                            name: &p.name,
                            source: &p.source,
                            weight: p.weight.to_string(),
                            period: p.period.as_ref().map(PeriodOut::of),
                        })
                        .collect()
                }),
            },
            groups: s
                .groups
                .iter()
                .map(|g| GroupOut {
                    id: &g.id,
                    name: &g.name,
                })
                .collect(),
            units: a.ordered_units().map(|u| unit_out(a, u)).collect(),
        };
        // serde_json writes a piece at a time (a quote, a key, an indent):
        // into a buffer of its own type rather than through `dyn Write`.
        use std::io::Write as _;
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        serde_json::to_writer_pretty(&mut buffered, &doc)?;
        buffered.write_all(b"\n")?;
        buffered.flush()
    }
}

fn unit_out(a: &Assessment, u: usize) -> UnitOut<'_> {
    let s = &a.system;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let st = &a.ranking.standings[u];
    let combined = !a.parts.is_empty();
    UnitOut {
        id: &unit.id,
        name: &unit.name,
        group: &s.groups[unit.group].id,
        total: Published::of(a, sc.total),
        rank: st.rank,
        grade: &s.grades[st.grade].name,
        performance_points: Published::of(a, sc.performance_points),
        bonus: (!combined).then(|| Published::of(a, sc.bonus)),
        penalty: (!combined).then(|| Published::of(a, sc.penalty)),
        vetoed: sc.vetoed,
        indicators: (!combined).then_some(Indicators { a, unit: u }),
        parts: combined.then(|| part_totals(a, u)),
    }
}
