//! The entropy weight method (熵权法) over the units' leaf scores of a run:
//! an objective reference beside the published points. For leaf j with
//! scores x_ij ≥ 0 of the n units it applies to, p_ij = x_ij / Σ_i x_ij,
//! e_j = −Σ_i p_ij ln p_ij / ln n (0·ln 0 = 0; all zeros: e_j = 1),
//! d_j = 1 − e_j and w_j = d_j / Σ d. A leaf that spreads the units more
//! gets more weight. Leaves that apply to fewer than two units are left out.

use crate::assess::Assessment;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct LeafWeight {
    pub id: String,
    pub name: String,
    pub weight: f64,
    /// The leaf's points as a share of full_score.
    pub published_share: f64,
}

/// The entropy e_j of one leaf's scores (n ≥ 2).
pub fn entropy(scores: &[f64]) -> f64 {
    let sum: f64 = scores.iter().sum();
    if sum <= 0.0 {
        return 1.0;
    }
    let n = scores.len() as f64;
    let h: f64 = scores
        .iter()
        .map(|x| x / sum)
        .filter(|p| *p > 0.0)
        .map(|p| -p * p.ln())
        .sum();
    h / n.ln()
}

/// Weights from the entropies of several leaves' scores.
pub fn weights(columns: &[Vec<f64>]) -> Vec<f64> {
    let d: Vec<f64> = columns.iter().map(|c| 1.0 - entropy(c)).collect();
    let total: f64 = d.iter().sum();
    d.iter()
        .map(|x| if total > 0.0 { x / total } else { 0.0 })
        .collect()
}

/// The entropy weight of every leaf that applies to two units or more.
pub fn leaf_weights(a: &Assessment) -> Vec<LeafWeight> {
    let s = &a.system;
    let full = s.full_score;
    let leaves: Vec<(usize, Vec<f64>)> = s
        .leaves()
        .into_iter()
        .map(|l| {
            let scores: Vec<f64> = a
                .scores
                .iter()
                .filter_map(|sc| sc.indicators[l].map(|x| x.to_f64().max(0.0)))
                .collect();
            (l, scores)
        })
        .filter(|(_, scores)| scores.len() >= 2)
        .collect();
    let columns: Vec<Vec<f64>> = leaves.iter().map(|(_, c)| c.clone()).collect();
    let w = weights(&columns);
    leaves
        .iter()
        .zip(w)
        .map(|((l, _), weight)| {
            let node = &s.indicators[*l];
            LeafWeight {
                id: node.id.clone(),
                name: node.name.clone(),
                weight,
                published_share: node
                    .points
                    .over(crate::num::Exact::from_decimal(full))
                    .to_f64(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand. A (1, 1, 1): p = 1/3 each, e = 1, d = 0. B (1, 0, 0):
    /// e = 0, d = 1. C (2, 1, 1): p = (1/2, 1/4, 1/4), e = (½ ln 2 + ½ ln 4) /
    /// ln 3 = 1.039721 / 1.098612 = 0.946395, d = 0.053605. Σ d = 1.053605:
    /// w = (0, 0.949122, 0.050878).
    #[test]
    fn entropy_weights_of_a_small_example_worked_by_hand() {
        let w = weights(&[
            vec![1.0, 1.0, 1.0],
            vec![1.0, 0.0, 0.0],
            vec![2.0, 1.0, 1.0],
        ]);
        let r6 = |x: f64| (x * 1e6).round() / 1e6;
        assert_eq!(
            w.iter().map(|x| r6(*x)).collect::<Vec<_>>(),
            [0.0, 0.949122, 0.050878]
        );
        assert_eq!(r6(entropy(&[2.0, 1.0, 1.0])), 0.946395);
        assert_eq!(entropy(&[0.0, 0.0]), 1.0, "a column of zeros");
    }
}
