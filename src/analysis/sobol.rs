//! Variance-based sensitivity (Sobol indices) of a scalar output to k
//! independent uniform inputs, as COINr computes them: Saltelli's sampling
//! (two N × k matrices A and B, and for each input i the matrix AB_i, A
//! with column i from B: N(k + 2) evaluations), the first-order estimator of
//! Saltelli (2010), S_i = mean(f(B)·(f(AB_i) − f(A))) / V (with f centred
//! on its mean), and Jansen's
//! total-order estimator, ST_i = mean((f(A) − f(AB_i))²) / 2V, with V the
//! variance of f(A) and f(B) together; confidence intervals by bootstrap
//! over the N rows. Deterministic per seed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// The points to evaluate: rows of A and B, each k numbers in [0, 1).
pub struct Design {
    pub a: Vec<Vec<f64>>,
    pub b: Vec<Vec<f64>>,
}

impl Design {
    pub fn new(k: usize, n: usize, seed: u64) -> Design {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5_0B01);
        let mut row = || (0..k).map(|_| rng.random::<f64>()).collect::<Vec<f64>>();
        let a = (0..n).map(|_| row()).collect();
        let b = (0..n).map(|_| row()).collect();
        Design { a, b }
    }

    /// Row j of AB_i: A's row with input i from B.
    pub fn ab(&self, i: usize, j: usize) -> Vec<f64> {
        let mut x = self.a[j].clone();
        x[i] = self.b[j][i];
        x
    }
}

/// An index with its bootstrap interval (2.5th and 97.5th percentiles).
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Indices {
    pub first: Vec<Estimate>,
    pub total: Vec<Estimate>,
}

/// First- and total-order indices of each input from f(A), f(B) and
/// f(AB_i) (`ab[i][j]`) over the rows `rows`; 0 when the output does not
/// vary.
fn point(ya: &[f64], yb: &[f64], ab: &[Vec<f64>], rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let n = rows.len() as f64;
    let all = rows.iter().flat_map(|&j| [ya[j], yb[j]]);
    let mean = all.clone().sum::<f64>() / (2.0 * n);
    let var = all.map(|y| (y - mean).powi(2)).sum::<f64>() / (2.0 * n - 1.0).max(1.0);
    if var <= 1e-300 {
        return (vec![0.0; ab.len()], vec![0.0; ab.len()]);
    }
    ab.iter()
        .map(|yab| {
            // Centred on the mean: the same index, far less noise when the
            // output's mean is large against its spread.
            let s = rows
                .iter()
                .map(|&j| (yb[j] - mean) * (yab[j] - ya[j]))
                .sum::<f64>()
                / n
                / var;
            let st = rows.iter().map(|&j| (ya[j] - yab[j]).powi(2)).sum::<f64>() / (2.0 * n) / var;
            (s, st)
        })
        .unzip()
}

/// The indices and their bootstrap intervals (`resamples` resamples of
/// the rows, seeded).
pub fn estimate(ya: &[f64], yb: &[f64], ab: &[Vec<f64>], resamples: usize, seed: u64) -> Indices {
    let n = ya.len();
    let rows: Vec<usize> = (0..n).collect();
    let (first, total) = point(ya, yb, ab, &rows);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xB007);
    let boots: Vec<(Vec<f64>, Vec<f64>)> = (0..resamples)
        .map(|_| {
            let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            point(ya, yb, ab, &rows)
        })
        .collect();
    let interval = |values: Vec<f64>, v: f64| {
        let mut values = values;
        values.sort_by(f64::total_cmp);
        let at = |q: f64| values[((q * values.len() as f64) as usize).min(values.len() - 1)];
        if values.is_empty() {
            Estimate {
                value: v,
                low: v,
                high: v,
            }
        } else {
            Estimate {
                value: v,
                low: at(0.025),
                high: at(0.975),
            }
        }
    };
    let k = ab.len();
    Indices {
        first: (0..k)
            .map(|i| interval(boots.iter().map(|b| b.0[i]).collect(), first[i]))
            .collect(),
        total: (0..k)
            .map(|i| interval(boots.iter().map(|b| b.1[i]).collect(), total[i]))
            .collect(),
    }
}

/// Sobol indices of `f` over k inputs uniform in [0, 1): the whole
/// analysis, for functions cheap enough to call N(k + 2) times.
pub fn analyse(k: usize, n: usize, seed: u64, f: impl Fn(&[f64]) -> f64 + Sync) -> Indices {
    use rayon::prelude::*;
    let d = Design::new(k, n, seed);
    let ya: Vec<f64> = d.a.par_iter().map(|x| f(x)).collect();
    let yb: Vec<f64> = d.b.par_iter().map(|x| f(x)).collect();
    let ab: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..n).into_par_iter().map(|j| f(&d.ab(i, j))).collect())
        .collect();
    estimate(&ya, &yb, &ab, 200, seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn within(e: &Estimate, truth: f64) -> bool {
        e.low <= truth && truth <= e.high
    }

    /// Y = Σ a_i X_i with X_i uniform: S_i = ST_i = a_i² / Σ a_j² (1/14,
    /// 4/14, 9/14). No seed is chosen: over seeds 1–10 every point estimate
    /// lies within 0.06 of its closed form (the largest miss seen over 20
    /// seeds is 0.04), every interval is narrower than 0.1 and holds its
    /// estimate, and each index's 95 % intervals hold the truth at least 7
    /// times in 10 (a binomial(10, 0.95) count falls below 7 with
    /// probability 0.1 %). An estimator off by a factor, an interval of any width or
    /// one around the wrong value fails.
    #[test]
    fn a_linear_model_gets_its_closed_form_indices() {
        let a = [1.0, 2.0, 3.0];
        let sum: f64 = a.iter().map(|x| x * x).sum();
        let mut covered = [[0; 3]; 2];
        for seed in 1..=10 {
            let r = analyse(3, 4000, seed, |x| x.iter().zip(a).map(|(x, a)| a * x).sum());
            for (i, ai) in a.iter().enumerate() {
                let truth = ai * ai / sum;
                for (kind, e) in [&r.first[i], &r.total[i]].into_iter().enumerate() {
                    assert!(
                        (e.value - truth).abs() < 0.06,
                        "seed {seed}, index {i}: {e:?} vs {truth}"
                    );
                    assert!(e.high - e.low < 0.1, "seed {seed}, index {i}: {e:?}");
                    assert!(e.low <= e.value && e.value <= e.high, "{e:?}");
                    covered[kind][i] += usize::from(within(e, truth));
                }
            }
        }
        for (kind, counts) in covered.iter().enumerate() {
            for (i, &n) in counts.iter().enumerate() {
                assert!(
                    n >= 7,
                    "kind {kind}, index {i}: truth in {n} of 10 intervals"
                );
            }
        }
    }

    /// The Ishigami function, X_i uniform on [−π, π]: S = (0.3139, 0.4424,
    /// 0), ST = (0.5576, 0.4424, 0.2437) (Ishigami & Homma 1990; the values
    /// of Saltelli et al., Global Sensitivity Analysis: The Primer, 2008).
    #[test]
    fn the_ishigami_function_gets_its_known_indices() {
        let ishigami = |x: &[f64]| {
            let (x1, x2, x3) = (
                -PI + 2.0 * PI * x[0],
                -PI + 2.0 * PI * x[1],
                -PI + 2.0 * PI * x[2],
            );
            x1.sin() + 7.0 * x2.sin().powi(2) + 0.1 * x3.powi(4) * x1.sin()
        };
        let r = analyse(3, 8000, 11, ishigami);
        let s = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!(
                within(&r.first[i], s[i]),
                "S{i} {:?} vs {}",
                r.first[i],
                s[i]
            );
            assert!(
                within(&r.total[i], st[i]),
                "ST{i} {:?} vs {}",
                r.total[i],
                st[i]
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_indices() {
        let f = |x: &[f64]| x[0] * x[1] + x[2];
        assert_eq!(analyse(3, 200, 5, f).total, analyse(3, 200, 5, f).total);
    }

    #[test]
    fn an_output_that_does_not_vary_has_zero_indices() {
        let r = analyse(2, 100, 1, |_| 3.0);
        assert_eq!(r.total[0].value, 0.0);
        assert_eq!(r.first[1].value, 0.0);
    }
}
