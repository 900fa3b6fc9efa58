//! `zwgk sensitivity`: how robust is the ranking to the choice of points?
//! Each sample multiplies every indicator's points (or weight) by its own
//! uniform factor in `[1 − spread, 1 + spread]`, rescores every unit from its
//! precomputed leaf outcomes and ranks each group. Sampling uses f64 (the
//! one place outside charts that does), so sampled totals are approximations
//! of the exact scores; the baseline ranks are the exact ones. Samples run on
//! all cores; sample k draws from its own ChaCha8 stream seeded from
//! (seed, k), so the result is the same on any machine and thread count.

use super::model::Model;
use super::sobol::{self, Estimate};
use crate::assess::Assessment;
use crate::config::System;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// Settings of a sensitivity run.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub samples: usize,
    pub spread: f64,
    pub seed: u64,
}

/// The factor of every indicator in sample `k`.
fn factors(n: usize, settings: &Settings, k: u64) -> Vec<f64> {
    let stream = settings.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k;
    let mut rng = ChaCha8Rng::seed_from_u64(stream);
    (0..n)
        .map(|_| 1.0 - settings.spread + 2.0 * settings.spread * rng.random::<f64>())
        .collect()
}

#[derive(Serialize, Debug, Clone)]
pub struct UnitInterval {
    pub id: String,
    pub name: String,
    pub group: String,
    pub baseline_rank: u32,
    pub median_rank: u32,
    pub p5_rank: u32,
    pub p95_rank: u32,
    pub baseline_grade: String,
    /// Share of samples in which the unit keeps its baseline grade.
    pub grade_kept: f64,
}

#[derive(Serialize, Debug, Clone)]
pub struct GroupStability {
    pub id: String,
    pub name: String,
    pub units: usize,
    /// Share of samples whose first place differs from the baseline's.
    pub first_place_changes: f64,
}

/// How much the ranking depends on one top-level indicator's points: its
/// Sobol indices for the mean absolute rank shift of all units, alone
/// (first order) and with the others (total order), with 95 % bootstrap
/// intervals.
#[derive(Serialize, Debug, Clone)]
pub struct IndicatorInfluence {
    pub id: String,
    pub name: String,
    pub first_order: Estimate,
    pub total_order: Estimate,
}

#[derive(Serialize, Debug)]
pub struct Report {
    pub samples: usize,
    pub spread: f64,
    pub seed: u64,
    pub note: &'static str,
    pub units: Vec<UnitInterval>,
    pub groups: Vec<GroupStability>,
    /// Base samples N of the Sobol design (N × (k + 2) rescorings).
    pub sobol_samples: usize,
    pub indicators: Vec<IndicatorInfluence>,
}

/// The `q` quantile (nearest rank) of sorted values.
fn quantile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

/// Ranks and grades of every sample.
fn run_samples(
    model: &Model,
    system: &System,
    settings: &Settings,
    bar: &ProgressBar,
) -> Vec<(Vec<u32>, Vec<u8>)> {
    let n = system.indicators.len();
    (0..settings.samples as u64)
        .into_par_iter()
        .map(|k| {
            let r = model.standings(system, &factors(n, settings, k));
            bar.inc(1);
            r
        })
        .collect()
}

/// Sobol indices of each top-level indicator's points for the mean
/// absolute rank shift; `n` base samples.
fn top_level_indices(
    model: &Model,
    system: &System,
    settings: &Settings,
    baseline: &[u32],
    n: usize,
    bar: &ProgressBar,
) -> sobol::Indices {
    let count = system.indicators.len();
    let shift = |u: &[f64]| {
        let mut f = vec![1.0; count];
        for (k, &r) in system.roots.iter().enumerate() {
            f[r] = 1.0 - settings.spread + 2.0 * settings.spread * u[k];
        }
        let (ranks, _) = model.standings(system, &f);
        bar.inc(1);
        let moved: u64 = ranks
            .iter()
            .zip(baseline)
            .map(|(x, b)| (*x as i64 - *b as i64).unsigned_abs())
            .sum();
        moved as f64 / baseline.len().max(1) as f64
    };
    sobol::analyse(system.roots.len(), n, settings.seed, shift)
}

pub fn analyse(a: &Assessment, settings: Settings) -> Report {
    let model = Model::new(a);
    let s = &a.system;
    let k = s.roots.len();
    // The Sobol design costs N(k + 2) rescorings: as many as the samples.
    let sobol_n = (settings.samples / (k + 2)).max(8);
    let total_work = settings.samples + sobol_n * (k + 2);
    let bar = ProgressBar::with_draw_target(Some(total_work as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(crate::tr!("敏感性分析", "sensitivity"));
    let t = std::time::Instant::now();
    let samples = run_samples(&model, s, &settings, &bar);
    crate::timing::timing(
        &crate::tr!(
            "敏感性分析：{} 次抽样 × {} 个单位",
            "sensitivity: {} samples × {} units",
            settings.samples,
            a.inputs.units.len()
        ),
        t,
    );
    let baseline: Vec<u32> = a.ranking.standings.iter().map(|st| st.rank).collect();
    let units = a
        .ordered_units()
        .map(|u| {
            let mut ranks: Vec<u32> = samples.iter().map(|r| r.0[u]).collect();
            ranks.sort_unstable();
            let grade = a.ranking.standings[u].grade;
            let kept = samples.iter().filter(|r| r.1[u] as usize == grade).count();
            UnitInterval {
                id: a.inputs.units[u].id.clone(),
                name: a.inputs.units[u].name.clone(),
                group: s.groups[a.inputs.units[u].group].id.clone(),
                baseline_rank: baseline[u],
                median_rank: quantile(&ranks, 0.5),
                p5_rank: quantile(&ranks, 0.05),
                p95_rank: quantile(&ranks, 0.95),
                baseline_grade: s.grades[grade].name.clone(),
                grade_kept: kept as f64 / samples.len().max(1) as f64,
            }
        })
        .collect();
    let groups = s
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| !a.ranking.order[*g].is_empty())
        .map(|(g, group)| {
            let members = &a.ranking.order[g];
            let changed = samples
                .iter()
                .filter(|r| members.iter().any(|&u| (r.0[u] == 1) != (baseline[u] == 1)))
                .count();
            GroupStability {
                id: group.id.clone(),
                name: group.name.clone(),
                units: members.len(),
                first_place_changes: changed as f64 / settings.samples.max(1) as f64,
            }
        })
        .collect();
    let t = std::time::Instant::now();
    let indices = top_level_indices(&model, s, &settings, &baseline, sobol_n, &bar);
    crate::timing::timing("sensitivity: Sobol indices", t);
    let mut indicators: Vec<IndicatorInfluence> = s
        .roots
        .iter()
        .enumerate()
        .map(|(k, &r)| IndicatorInfluence {
            id: s.indicators[r].id.clone(),
            name: s.indicators[r].name.clone(),
            first_order: indices.first[k],
            total_order: indices.total[k],
        })
        .collect();
    indicators.sort_by(|x, y| y.total_order.value.total_cmp(&x.total_order.value));
    bar.finish_and_clear();
    Report {
        samples: settings.samples,
        spread: settings.spread,
        seed: settings.seed,
        note: "sampled scores use f64 arithmetic; baseline ranks are exact",
        units,
        groups,
        sobol_samples: sobol_n,
        indicators,
    }
}

pub fn render_text(r: &Report, a: &Assessment) -> String {
    let mut out = crate::tr!(
"敏感性分析：{} 次抽样，分值浮动 ±{}%，随机种子 {}（抽样得分用 f64 计算；基准名次为精确值）\n",
"sensitivity: {} samples, spread ±{}%, seed {} (sampled scores in f64; baseline ranks exact)\n",
        r.samples,
        r.spread * 100.0,
        r.seed
    );
    for g in &r.groups {
        out.push_str(&crate::tr!(
            "\n== {}（{}个单位）— 第一名发生变化的样本占 {:.1}% ==\n",
            "\n== {} ({} units) — the first place changes in {:.1}% of the samples ==\n",
            g.name,
            g.units,
            g.first_place_changes * 100.0
        ));
        out.push_str(&crate::tr!(
            "基准名次  中位名次  5%–95%区间  等次保持  单位\n",
            "baseline    median    5%–95%  grade kept  unit\n"
        ));
        for u in r.units.iter().filter(|u| u.group == g.id) {
            out.push_str(&format!(
                "{:>8}  {:>8}  {:>5}–{:<5}  {:>7.1}%  {}（{}）\n",
                u.baseline_rank,
                u.median_rank,
                u.p5_rank,
                u.p95_rank,
                u.grade_kept * 100.0,
                u.name,
                u.baseline_grade
            ));
        }
    }
    out.push_str(&crate::tr!(
        "\n排名对各一级指标分值的依赖（Sobol 指数，输出为全部单位的平均名次变动；{} 个基础样本，括号内为 95% 自助法区间）：\n  指标                一阶（单独）              总效应（含交互）\n",
        "\nWhat the ranking depends on (Sobol indices of the mean rank shift of all units; {} base samples, 95% bootstrap intervals):\n  indicator           first order (alone)       total order (with the others)\n",
        r.sobol_samples
    ));
    for i in &r.indicators {
        let (f, t) = (&i.first_order, &i.total_order);
        out.push_str(&format!(
            "  {}  {:>6.3} [{:>6.3}, {:>6.3}]   {:>6.3} [{:>6.3}, {:>6.3}]\n",
            crate::lang::pad(&format!("{} {}", i.id, i.name), 18),
            f.value,
            f.low,
            f.high,
            t.value,
            t.low,
            t.high
        ));
    }
    let _ = a;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let v: Vec<u32> = (1..=20).collect();
        assert_eq!(quantile(&v, 0.05), 1);
        assert_eq!(quantile(&v, 0.5), 10);
        assert_eq!(quantile(&v, 0.95), 19);
        assert_eq!(quantile(&[7], 0.95), 7);
    }

    #[test]
    fn factors_are_reproducible_and_within_the_spread() {
        let s = Settings {
            samples: 1,
            spread: 0.2,
            seed: 7,
        };
        let a = factors(30, &s, 3);
        assert_eq!(a, factors(30, &s, 3));
        assert_ne!(a, factors(30, &s, 4));
        assert!(a.iter().all(|f| (0.8..=1.2).contains(f)));
    }
}
