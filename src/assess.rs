//! The whole assessment as one value: the pipeline
//! load indicator system → ingest tables → evaluate evidence → score → rank.
//! Commands (run, check, and the analyst commands) start from here.

use crate::config::{Period, System};
use crate::error::Result;
use crate::ingest::{self, Inputs};
use crate::rank::{self, Ranking};
use crate::score::{self, evidence, evidence::UnitEvidence, UnitScore};
use crate::timing::timing;
use rust_decimal::Decimal;
use std::path::Path;

/// One part of a combined result (`zwgk combine`): a run's results
/// read back, with its weight.
#[derive(Clone, Debug)]
pub struct Part {
    /// Its key in results.json and the tables: the period id of its
    /// results, else its label.
    pub name: String,
    /// Its name in every document: `--name`, else its period's name
    /// (第一季度), else 年度考核 — never a directory's name.
    pub label: String,
    /// Its results.json as given.
    pub source: String,
    /// The SHA-256 of that file.
    pub sha256: String,
    pub weight: Decimal,
    pub period: Option<Period>,
    /// Per roster unit: vetoed in this part.
    pub vetoed: Vec<bool>,
    /// Per roster unit: its rank in its group in this part.
    pub ranks: Vec<u32>,
}

/// A scored, ranked assessment and everything that went into it.
pub struct Assessment {
    pub system: System,
    pub inputs: Inputs,
    pub evidence: Vec<UnitEvidence>,
    pub scores: Vec<UnitScore>,
    pub ranking: Ranking,
    /// Run with `--draft`: every output says 征求意见稿.
    pub draft: bool,
    /// The period scored (`--period`); `None` for the whole year.
    pub period: Option<crate::config::Period>,
    /// The parts of a combined result (`zwgk combine`); empty for a run.
    pub parts: Vec<Part>,
    /// The indicator file as shown, and its SHA-256.
    pub indicators_file: (String, String),
    pub warnings: Vec<String>,
}

/// Runs the pipeline on an indicator file and a data directory, for the
/// whole year or the period `period` (an id of `[[period]]`).
pub fn assess(
    indicators: &Path,
    data: &Path,
    draft: bool,
    period: Option<&str>,
) -> Result<Assessment> {
    let t = std::time::Instant::now();
    let system = System::load(indicators)?;
    let period = period.map(|id| period_of(&system, id)).transpose()?;
    let toml_bytes = std::fs::read(indicators).unwrap_or_default();
    let scope = ingest::Scope { draft, period };
    let (mut inputs, submitted) = ingest::load(&system, data, &scope)?;
    timing("ingest", t);
    let t = std::time::Instant::now();
    let mut warnings = std::mem::take(&mut inputs.warnings);
    let evidence = evidence::evaluate(&system, &inputs, &submitted, &mut warnings);
    // What was submitted is in the evidence now (the reports read that).
    drop(submitted);
    timing("evidence", t);
    let t = std::time::Instant::now();
    let scores = score::score_all(&system, &evidence);
    timing("score", t);
    let t = std::time::Instant::now();
    let group_of: Vec<usize> = inputs.units.iter().map(|u| u.group).collect();
    let ranking = rank::rank(&system, &group_of, &scores);
    timing("rank", t);
    Ok(Assessment {
        indicators_file: (
            indicators.display().to_string(),
            ingest::sha256_hex(&toml_bytes),
        ),
        system,
        inputs,
        evidence,
        scores,
        ranking,
        draft,
        period: scope.period,
        parts: Vec::new(),
        warnings,
    })
}

/// The period `id` of the indicator system, or a usage error naming those
/// it defines.
pub fn period_of(system: &System, id: &str) -> Result<crate::config::Period> {
    if let Some(p) = system.periods.iter().find(|p| p.id == id) {
        return Ok(p.clone());
    }
    let ids: Vec<&str> = system.periods.iter().map(|p| p.id.as_str()).collect();
    Err(crate::error::Error::Usage(if ids.is_empty() {
        crate::tr!(
            "--period {id}：指标体系没有定义考核期（[[period]]）",
            "--period {id}: the indicator system defines no periods ([[period]])"
        )
    } else {
        crate::tr!(
            "--period {id}：不是考核期代码；指标体系定义的是：{}",
            "--period {id}: not a period id; the indicator system defines {}",
            crate::lang::list(&ids)
        )
    }))
}

impl Assessment {
    /// Units in publication order: group order, then rank, then roster order.
    pub fn ordered_units(&self) -> impl Iterator<Item = usize> + '_ {
        self.ranking.order.iter().flatten().copied()
    }
}
