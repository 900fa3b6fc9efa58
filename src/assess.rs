//! The whole assessment as one value: the pipeline
//! load indicator system → ingest tables → evaluate evidence → score → rank.
//! Commands (run, check, and the analyst commands) start from here.

use crate::config::System;
use crate::error::Result;
use crate::ingest::{self, Inputs};
use crate::rank::{self, Ranking};
use crate::score::{self, evidence, evidence::UnitEvidence, UnitScore};
use std::path::Path;

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
    pub parts: Vec<crate::combine::Part>,
    /// The indicator file as shown, and its SHA-256.
    pub indicators_file: (String, String),
    pub warnings: Vec<String>,
}

/// Prints the time since `start` for a stage, and the memory the process
/// holds at its end, when `ZWGK_TIMING` is set (used by the benchmarks to see
/// where the time and the memory go).
pub fn timing(stage: &str, start: std::time::Instant) {
    if std::env::var_os("ZWGK_TIMING").is_some() {
        let resident = resident_mb().map_or(String::new(), |mb| format!(", resident {mb} MB"));
        eprintln!(
            "timing: {stage}: {:.3} s{resident}",
            start.elapsed().as_secs_f64()
        );
    }
}

/// The process's resident memory in MB, where `/proc` tells it (Linux).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
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
