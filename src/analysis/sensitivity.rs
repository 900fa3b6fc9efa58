//! `zwgk sensitivity`: how robust is the ranking to the choice of points?
//! Each sample multiplies every indicator's points (or weight) by its own
//! uniform factor in `[1 − spread, 1 + spread]`, rescores every unit from its
//! precomputed leaf outcomes and ranks each group. Sampling uses f64 (the
//! one place outside charts that does), so sampled totals are approximations
//! of the exact scores; the baseline ranks are the exact ones. Samples run on
//! all cores; sample k draws from its own ChaCha8 stream seeded from
//! (seed, k), so the result is the same on any machine and thread count.

use super::sobol::{self, Estimate};
use crate::assess::Assessment;
use crate::config::{validate::resolved_points, RankTies, Rule, Share, System};
use crate::score::rules::Outcome;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;

/// A leaf outcome in f64.
#[derive(Clone, Copy)]
enum Leaf {
    Na,
    Share(f64),
    Deducted(f64),
    Zeroed,
}

/// The scoring of an [`Assessment`] compiled to flat f64 arrays.
pub struct Model {
    shares: Vec<Share>,
    roots: Vec<usize>,
    /// Children before parents.
    post_order: Vec<usize>,
    children: Vec<Vec<usize>>,
    /// For pooled parents: the leaves below.
    pool_leaves: Vec<Option<Vec<usize>>>,
    /// Explicit `max_deduct` of deduct leaves.
    cap: Vec<Option<f64>>,
    full: Decimal,
    full_f: f64,
    /// Flat conversion (折算): parents add up, the base total converts once.
    flat: bool,
    bonus_cap: f64,
    bonus_gate: Option<f64>,
    cap_at_full: bool,
    veto_cap: Option<f64>,
    scale: f64,
    ties: RankTies,
    tie_break: Vec<usize>,
    /// (min, max_share) of each grade, best first.
    grades: Vec<(f64, Option<f64>)>,
    /// Per unit: leaf outcomes indexed by indicator (parents unused).
    units: Vec<UnitModel>,
    /// Units of each group.
    groups: Vec<Vec<usize>>,
}

struct UnitModel {
    leaves: Vec<Leaf>,
    bonus_raw: f64,
    penalty: f64,
    vetoed: bool,
}

fn to_f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

impl Model {
    pub fn new(a: &Assessment) -> Model {
        let s = &a.system;
        let n = s.indicators.len();
        let mut post_order = s.tree_order();
        post_order.reverse();
        let pool_leaves = (0..n)
            .map(|i| {
                s.indicators[i].pool.then(|| {
                    s.leaves()
                        .into_iter()
                        .filter(|&l| s.lineage(l).contains(&i))
                        .collect()
                })
            })
            .collect();
        let cap = s
            .indicators
            .iter()
            .map(|ind| match &ind.rule {
                Some(Rule::Deduct { max_deduct }) => max_deduct.map(to_f),
                _ => None,
            })
            .collect();
        let units = a
            .evidence
            .iter()
            .map(|ev| UnitModel {
                leaves: ev
                    .outcomes
                    .iter()
                    .map(|o| match o {
                        None | Some(Outcome::NotApplicable(_)) => Leaf::Na,
                        Some(Outcome::Share(f)) => Leaf::Share(f.to_f64()),
                        Some(Outcome::Deducted { zeroed: true, .. }) => Leaf::Zeroed,
                        Some(Outcome::Deducted { amount, .. }) => Leaf::Deducted(amount.to_f64()),
                    })
                    .collect(),
                bonus_raw: to_f(ev.bonus_raw),
                penalty: to_f(ev.penalty),
                vetoed: ev.vetoed,
            })
            .collect();
        Model {
            shares: s.indicators.iter().map(|i| i.share).collect(),
            roots: s.roots.clone(),
            post_order,
            children: s.indicators.iter().map(|i| i.children.clone()).collect(),
            pool_leaves,
            cap,
            full: s.full_score,
            full_f: to_f(s.full_score),
            flat: s.rescale == crate::config::Rescale::Flat,
            bonus_cap: to_f(s.bonus_cap),
            bonus_gate: s.bonus_gate.map(to_f),
            cap_at_full: s.cap_at_full,
            veto_cap: s.veto_cap.map(to_f),
            scale: 10f64.powi(s.precision as i32),
            ties: s.rank_ties,
            tie_break: s.tie_break.clone(),
            grades: s
                .grades
                .iter()
                .map(|g| (to_f(g.min), g.max_share.map(to_f)))
                .collect(),
            units,
            groups: a.ranking.order.clone(),
        }
    }

    /// Every indicator's points after multiplying each share by its factor.
    fn points(&self, system: &System, factors: &[f64]) -> Vec<f64> {
        let mut nodes = system.indicators.clone();
        for (i, node) in nodes.iter_mut().enumerate() {
            let f = Decimal::from_f64(factors[i]).unwrap_or(Decimal::ONE);
            node.share = match self.shares[i] {
                Share::Points(p) => Share::Points(p * f),
                Share::Weight(w) => Share::Weight(w * f),
                Share::Sum => Share::Points(node.points.to_decimal() * f),
            };
        }
        resolved_points(&nodes, &self.roots, self.full)
            .into_iter()
            .map(|p| p.to_f64())
            .collect()
    }

    /// One unit's node scores (NaN = N/A) into `scores` and their
    /// applicable points into `applicable`; returns the total.
    fn score_unit(
        &self,
        u: &UnitModel,
        points: &[f64],
        scores: &mut [f64],
        applicable: &mut [f64],
    ) -> f64 {
        for &i in &self.post_order {
            let p = points[i];
            scores[i] = if self.children[i].is_empty() {
                match u.leaves[i] {
                    Leaf::Na => f64::NAN,
                    Leaf::Share(f) => p * f,
                    Leaf::Zeroed => 0.0,
                    Leaf::Deducted(d) => (p - d.min(self.cap[i].unwrap_or(p))).max(0.0),
                }
            } else if let Some(leaves) = &self.pool_leaves[i] {
                let mut lost = 0.0;
                let mut any = false;
                let mut zero = false;
                for &l in leaves {
                    match u.leaves[l] {
                        Leaf::Na => {}
                        Leaf::Zeroed => zero = true,
                        Leaf::Deducted(d) => {
                            any = true;
                            lost += self.cap[l].map_or(d, |c| d.min(c));
                        }
                        Leaf::Share(_) => any = true,
                    }
                }
                if zero {
                    0.0
                } else if any {
                    (p - lost).max(0.0)
                } else {
                    f64::NAN
                }
            } else if self.flat {
                sum_applicable(&self.children[i], scores, applicable).0
            } else {
                rescaled(&self.children[i], scores, applicable, p)
            };
            applicable[i] = if scores[i].is_nan() {
                0.0
            } else if self.flat && !self.children[i].is_empty() && self.pool_leaves[i].is_none() {
                sum_applicable(&self.children[i], scores, applicable).1
            } else {
                p
            };
        }
        let base = if self.roots.is_empty() {
            0.0
        } else {
            rescaled(&self.roots, scores, applicable, self.full_f)
        };
        let base = if base.is_nan() { 0.0 } else { base };
        let bonus = if self.bonus_gate.is_some_and(|g| base < g - 1e-9) {
            0.0
        } else {
            u.bonus_raw.min(self.bonus_cap)
        };
        let mut total = (base + bonus - u.penalty).max(0.0);
        if self.cap_at_full {
            total = total.min(self.full_f);
        }
        if u.vetoed {
            if let Some(c) = self.veto_cap {
                total = total.min(c);
            }
        }
        total
    }

    fn publish(&self, x: f64) -> f64 {
        // Half away from zero, with a nudge against binary representation error.
        (x * self.scale + 1e-7).round() / self.scale
    }

    /// Ranks and grades of every unit for one set of factors.
    pub fn standings(&self, system: &System, factors: &[f64]) -> (Vec<u32>, Vec<u8>) {
        let points = self.points(system, factors);
        let mut scores = vec![0.0; points.len()];
        let mut applicable = vec![0.0; points.len()];
        let keys: Vec<Vec<f64>> = self
            .units
            .iter()
            .map(|u| {
                let total = self.score_unit(u, &points, &mut scores, &mut applicable);
                let mut key = vec![self.publish(total)];
                key.extend(self.tie_break.iter().map(|&t| {
                    if scores[t].is_nan() {
                        f64::NEG_INFINITY
                    } else {
                        self.publish(scores[t])
                    }
                }));
                key
            })
            .collect();
        let mut ranks = vec![0u32; self.units.len()];
        let mut grades = vec![0u8; self.units.len()];
        for members in &self.groups {
            let mut order = members.clone();
            order.sort_by(|&a, &b| {
                keys[b]
                    .partial_cmp(&keys[a])
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            let mut rank = 0;
            for (pos, &u) in order.iter().enumerate() {
                if pos == 0 || keys[order[pos - 1]] != keys[u] {
                    rank = match self.ties {
                        RankTies::Competition => pos as u32 + 1,
                        RankTies::Dense => rank + 1,
                    };
                }
                ranks[u] = rank;
            }
            self.grade(&order, &keys, &ranks, &mut grades);
        }
        (ranks, grades)
    }

    /// The grades of one group's units in rank order (`order`), as
    /// [`crate::rank`] gives them: the band of the published total, the last
    /// grade on a veto, then each quota from the best grade down (a tie the
    /// allowance would split drops whole, with everyone below it).
    fn grade(&self, order: &[usize], keys: &[Vec<f64>], ranks: &[u32], grades: &mut [u8]) {
        let last = self.grades.len().saturating_sub(1);
        for &u in order {
            grades[u] = if self.units[u].vetoed {
                last as u8
            } else {
                let total = keys[u][0];
                self.grades
                    .iter()
                    .position(|(min, _)| *min <= total + 1e-9)
                    .unwrap_or(last) as u8
            };
        }
        let n = order.len() as f64;
        for (g, (_, share)) in self.grades.iter().enumerate().take(last) {
            let Some(share) = share else { continue };
            let allowance = (n * share + 1e-9).floor() as usize;
            let in_grade: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&u| grades[u] == g as u8)
                .collect();
            let mut admitted = 0;
            let mut i = 0;
            while i < in_grade.len() {
                let rank = ranks[in_grade[i]];
                let end = in_grade[i..]
                    .iter()
                    .position(|&u| ranks[u] != rank)
                    .map_or(in_grade.len(), |k| i + k);
                if admitted + (end - i) > allowance {
                    for &u in &in_grade[i..] {
                        grades[u] = g as u8 + 1;
                    }
                    break;
                }
                admitted += end - i;
                i = end;
            }
        }
    }
}

/// Σ scores and Σ applicable points of the children that apply (NaN when
/// none does).
fn sum_applicable(children: &[usize], scores: &[f64], applicable: &[f64]) -> (f64, f64) {
    let mut sum = 0.0;
    let mut points = 0.0;
    let mut any = false;
    for &c in children {
        if !scores[c].is_nan() {
            sum += scores[c];
            points += applicable[c];
            any = true;
        }
    }
    if any {
        (sum, points)
    } else {
        (f64::NAN, 0.0)
    }
}

/// `Σ scores × p / Σ applicable points` of the children that apply.
fn rescaled(children: &[usize], scores: &[f64], applicable_points: &[f64], p: f64) -> f64 {
    let (sum, applicable) = sum_applicable(children, scores, applicable_points);
    if sum.is_nan() {
        f64::NAN
    } else if applicable == 0.0 {
        0.0
    } else {
        sum * p / applicable
    }
}

/// Settings of a sensitivity run.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub samples: usize,
    pub spread: f64,
    pub seed: u64,
}

/// The factor of every indicator in sample `k`; `only` limits the variation
/// to one indicator.
fn factors(n: usize, settings: &Settings, k: u64, only: Option<usize>) -> Vec<f64> {
    let stream = settings.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ k.wrapping_add(only.map_or(0, |o| (o as u64 + 1) << 40));
    let mut rng = ChaCha8Rng::seed_from_u64(stream);
    (0..n)
        .map(|i| {
            let f = 1.0 - settings.spread + 2.0 * settings.spread * rng.random::<f64>();
            if only.is_none_or(|o| o == i) {
                f
            } else {
                1.0
            }
        })
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
            let r = model.standings(system, &factors(n, settings, k, None));
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
    crate::assess::timing(
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
    crate::assess::timing("sensitivity: Sobol indices", t);
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
        let a = factors(30, &s, 3, None);
        assert_eq!(a, factors(30, &s, 3, None));
        assert_ne!(a, factors(30, &s, 4, None));
        assert!(a.iter().all(|f| (0.8..=1.2).contains(f)));
        let only = factors(30, &s, 3, Some(2));
        assert!(only.iter().enumerate().all(|(i, f)| i == 2 || *f == 1.0));
    }
}
