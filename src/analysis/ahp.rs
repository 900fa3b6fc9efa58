//! The analytic hierarchy process (层次分析法): weights of an indicator's
//! children from pairwise comparisons on Saaty's 1–9 scale. Each set gives
//! the principal eigenvector (the weights), λmax, CI = (λmax − n)/(n − 1),
//! RI from Saaty's table and CR = CI/RI; CR ≥ 0.1 is inconsistent, and the
//! pair whose judgement disagrees most with the weights is named. Floats
//! here are the analyst's reference: the indicator system keeps its exact
//! points or the 4-decimal weights the analyst writes back.

use crate::config::System;
use crate::error::{Diagnostic, Error, Result};
use serde::Serialize;
use std::path::Path;

/// Saaty's random consistency index for n = 1…10.
const RI: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// One comparison set's result.
#[derive(Clone, Debug, Serialize)]
pub struct SetResult {
    pub parent: String,
    pub children: Vec<String>,
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    pub ci: f64,
    pub ri: f64,
    pub cr: f64,
    pub consistent: bool,
    /// The pair (i, j) whose judgement a(i,j) is furthest from w_i / w_j.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst_pair: Option<(String, String)>,
}

/// The principal eigenvector of a positive reciprocal matrix (summing to 1)
/// and its eigenvalue, by power iteration.
pub fn principal(a: &[Vec<f64>]) -> (Vec<f64>, f64) {
    let n = a.len();
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..10_000 {
        let mut next: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| a[i][j] * w[j]).sum())
            .collect();
        let sum: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= sum);
        let change: f64 = next.iter().zip(&w).map(|(x, y)| (x - y).abs()).sum();
        w = next;
        if change < 1e-15 {
            break;
        }
    }
    let lambda = (0..n)
        .map(|i| (0..n).map(|j| a[i][j] * w[j]).sum::<f64>() / w[i])
        .sum::<f64>()
        / n as f64;
    (w, lambda)
}

/// The weights and consistency of one matrix.
pub fn analyse(parent: &str, children: &[String], a: &[Vec<f64>]) -> SetResult {
    let n = a.len();
    let (weights, lambda_max) = principal(a);
    let ci = if n > 1 {
        ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0)
    } else {
        0.0
    };
    let ri = RI[n.clamp(1, 10) - 1];
    let cr = if n <= 2 || ri == 0.0 { 0.0 } else { ci / ri };
    let consistent = cr < 0.1;
    let worst_pair = (!consistent).then(|| {
        let mut worst = (0, 1, 0.0);
        for i in 0..n {
            for j in i + 1..n {
                let off = (a[i][j] * weights[j] / weights[i]).ln().abs();
                if off > worst.2 {
                    worst = (i, j, off);
                }
            }
        }
        (children[worst.0].clone(), children[worst.1].clone())
    });
    SetResult {
        parent: parent.to_string(),
        children: children.to_vec(),
        weights,
        lambda_max,
        ci,
        ri,
        cr,
        consistent,
        worst_pair,
    }
}

/// One `[[set]]` as read: its parent ("" for the top level), its children
/// and the full reciprocal matrix.
pub type Comparison = (String, Vec<String>, Vec<Vec<f64>>);

/// A judgement: 1–9 or a reciprocal 1/2…1/9, as a number or a string "1/3".
fn judgement(v: &toml::Value) -> Option<f64> {
    let x = match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        toml::Value::String(s) => match s.trim().split_once('/') {
            Some((a, b)) => a.trim().parse::<f64>().ok()? / b.trim().parse::<f64>().ok()?,
            None => s.trim().parse().ok()?,
        },
        _ => return None,
    };
    let on_scale = |y: f64| (1..=9).any(|k| (y - k as f64).abs() < 1e-9);
    (on_scale(x) || (x > 0.0 && on_scale(1.0 / x))).then_some(x)
}

/// Reads a comparison file: its sets as (parent, children, matrix), every
/// problem collected.
pub fn read(path: &Path, system: &System) -> Result<Vec<Comparison>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::io(
            crate::tr!(
                "无法读取比较矩阵文件 {shown}",
                "cannot read comparison file {shown}"
            ),
            e,
        )
    })?;
    let doc: toml::Value = toml::from_str(&text).map_err(|e| {
        let place = e
            .span()
            .map(|s| crate::config::line_col(&text, s.start))
            .unwrap_or_default();
        let msg = e.message().trim().to_string();
        Error::Invalid(vec![Diagnostic::new(
            &shown,
            place,
            crate::tr!("TOML 格式错误：{msg}", "TOML syntax error: {msg}"),
        )])
    })?;
    let mut errors = Vec::new();
    let mut sets = Vec::new();
    let empty = Vec::new();
    let list = doc.get("set").and_then(|s| s.as_array()).unwrap_or(&empty);
    if list.is_empty() {
        errors.push(Diagnostic::new(
            &shown,
            "",
            crate::tr!(
                "没有比较矩阵：每个上级指标写一个 [[set]]（parent、children、upper）",
                "no comparisons: write one [[set]] (parent, children, upper) per parent"
            ),
        ));
    }
    for (k, set) in list.iter().enumerate() {
        let no = k + 1;
        let at = crate::tr!("第 {no} 个 [[set]]", "[[set]] number {no}");
        let mut err = |msg: String| errors.push(Diagnostic::new(&shown, &at, msg));
        let parent = set.get("parent").and_then(|p| p.as_str()).unwrap_or("");
        let children: Vec<String> = set
            .get("children")
            .and_then(|c| c.as_array())
            .map(|c| {
                c.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let expected: Vec<&str> = if parent.is_empty() {
            system
                .roots
                .iter()
                .map(|&r| system.indicators[r].id.as_str())
                .collect()
        } else {
            match system.index_of(parent) {
                Some(p) => system.indicators[p]
                    .children
                    .iter()
                    .map(|&c| system.indicators[c].id.as_str())
                    .collect(),
                None => {
                    err(crate::tr!(
                        "未知指标“{parent}”",
                        "unknown indicator \"{parent}\""
                    ));
                    continue;
                }
            }
        };
        let mut given: Vec<&str> = children.iter().map(String::as_str).collect();
        let mut want = expected.clone();
        given.sort_unstable();
        want.sort_unstable();
        if given != want {
            let expected = expected.join(", ");
            err(match parent.is_empty() {
                true => crate::tr!(
                    "children 应恰为全部一级指标：{expected}",
                    "children must be exactly the top-level indicators: {expected}"
                ),
                false => crate::tr!(
                    "children 应恰为“{parent}”的下级指标：{expected}",
                    "children must be exactly the children of \"{parent}\": {expected}"
                ),
            });
            continue;
        }
        let n = children.len();
        if n > RI.len() {
            err(crate::tr!(
                "{n} 个下级指标太多：一次最多比较 10 个",
                "{n} children are too many: at most 10 are compared at once"
            ));
            continue;
        }
        let upper = set
            .get("upper")
            .and_then(|u| u.as_array())
            .cloned()
            .unwrap_or_default();
        if upper.len() != n.saturating_sub(1) {
            let rows = n.saturating_sub(1);
            err(crate::tr!(
                "upper 应有 {rows} 行（上三角，每行从对角线右侧开始）",
                "upper must have {rows} rows (the upper triangle, each row right of the diagonal)"
            ));
            continue;
        }
        let mut a = vec![vec![1.0; n]; n];
        let mut ok = true;
        for (i, row) in upper.iter().enumerate() {
            let cells = row.as_array().cloned().unwrap_or_default();
            if cells.len() != n - 1 - i {
                let (r, len) = (i + 1, n - 1 - i);
                err(crate::tr!(
                    "upper 第 {r} 行应有 {len} 个判断值",
                    "row {r} of upper must have {len} judgements"
                ));
                ok = false;
                continue;
            }
            for (k, cell) in cells.iter().enumerate() {
                let j = i + 1 + k;
                match judgement(cell) {
                    Some(x) => {
                        a[i][j] = x;
                        a[j][i] = 1.0 / x;
                    }
                    None => {
                        let (ci, cj) = (&children[i], &children[j]);
                        err(crate::tr!(
                            "{ci} 对 {cj} 的判断值 {cell} 不在 1–9 标度上（应为 1 至 9 或其倒数，如 3 或 \"1/3\"）",
                            "the judgement {cell} of {ci} over {cj} is not on the 1–9 scale (1 to 9 or a reciprocal, such as 3 or \"1/3\")"
                        ));
                        ok = false;
                    }
                }
            }
        }
        if ok {
            sets.push((parent.to_string(), children, a));
        }
    }
    if errors.is_empty() {
        Ok(sets)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The indicator file with each set's children given as `weight` (4
/// decimals) instead of `points`: the lines of those indicators rewritten,
/// everything else kept as written.
pub fn with_weights(toml_text: &str, results: &[SetResult]) -> String {
    let mut weight_of = std::collections::HashMap::new();
    for r in results {
        for (c, w) in r.children.iter().zip(&r.weights) {
            weight_of.insert(c.as_str(), *w);
        }
    }
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for line in toml_text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            current = None;
        }
        if let Some(id) = trimmed
            .strip_prefix("id")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('='))
            .map(|r| r.trim().trim_matches('"'))
        {
            current = weight_of.keys().find(|k| **k == id).copied();
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        match current {
            Some(id) if key == "points" || key == "weight" => {
                out.push_str(&format!("weight = {:.4}\n", weight_of[id]));
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("X{i}")).collect()
    }

    /// SPEC §8's worked example (its weights.json), the classic textbook
    /// 3×3: A over B 3, over C 5, B over C 3 gives w = (0.637, 0.258,
    /// 0.105), λmax = 3.039, CI = 0.019, CR = 0.033 to 3 decimals (also
    /// checked with numpy.linalg.eig).
    #[test]
    fn the_3x3_example_gives_its_published_figures() {
        let a = vec![
            vec![1.0, 3.0, 5.0],
            vec![1.0 / 3.0, 1.0, 3.0],
            vec![0.2, 1.0 / 3.0, 1.0],
        ];
        let r = analyse("A", &ids(3), &a);
        let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
        assert_eq!(
            r.weights.iter().map(|w| r3(*w)).collect::<Vec<_>>(),
            [0.637, 0.258, 0.105]
        );
        assert_eq!(r3(r.lambda_max), 3.039);
        assert_eq!(r3(r.ci), 0.019);
        assert_eq!(r.ri, 0.58);
        assert_eq!(r3(r.cr), 0.033);
        assert!(r.consistent);
    }

    /// A 4×4 with a contradiction: X0 over X1 9, X1 over X2 9 and X2 over X0
    /// 9. The figures were checked with numpy.linalg.eig on the same matrix:
    /// λmax 10.429, CI 2.143, CR 2.381, w = (0.301, 0.301, 0.301, 0.096).
    #[test]
    fn an_inconsistent_matrix_names_the_pair_that_disagrees_most() {
        let a = vec![
            vec![1.0, 9.0, 1.0 / 9.0, 1.0],
            vec![1.0 / 9.0, 1.0, 9.0, 1.0],
            vec![9.0, 1.0 / 9.0, 1.0, 1.0],
            vec![1.0, 1.0, 1.0, 1.0],
        ];
        let r = analyse("A", &ids(4), &a);
        let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
        assert!(!r.consistent);
        assert_eq!(r3(r.lambda_max), 10.429);
        assert_eq!(r3(r.ci), 2.143);
        assert_eq!(r3(r.cr), 2.381);
        assert_eq!(
            r.weights.iter().map(|w| r3(*w)).collect::<Vec<_>>(),
            [0.301, 0.301, 0.301, 0.096]
        );
        assert_eq!(r.ri, 0.90);
        let pair = r.worst_pair.unwrap();
        assert!(["X0", "X1", "X2"].contains(&pair.0.as_str()), "{pair:?}");
    }

    #[test]
    fn judgements_are_on_saatys_scale() {
        assert_eq!(judgement(&toml::Value::Integer(3)), Some(3.0));
        assert_eq!(
            judgement(&toml::Value::String("1/3".into())),
            Some(1.0 / 3.0)
        );
        assert_eq!(judgement(&toml::Value::Float(0.5)), Some(0.5));
        assert_eq!(judgement(&toml::Value::Integer(10)), None);
        assert_eq!(judgement(&toml::Value::Integer(0)), None);
        assert_eq!(judgement(&toml::Value::Float(2.5)), None);
        assert_eq!(judgement(&toml::Value::String("三".into())), None);
    }

    proptest::proptest! {
        /// A perfectly consistent matrix a(i,j) = w_i / w_j gives back w with
        /// CR = 0.
        #[test]
        fn a_consistent_matrix_gives_back_its_weights(raw in proptest::collection::vec(0.05f64..1.0, 2..10)) {
            let sum: f64 = raw.iter().sum();
            let w: Vec<f64> = raw.iter().map(|x| x / sum).collect();
            let n = w.len();
            let a: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| w[i] / w[j]).collect()).collect();
            let r = analyse("A", &ids(n), &a);
            for (got, want) in r.weights.iter().zip(&w) {
                proptest::prop_assert!((got - want).abs() < 1e-9, "{got} vs {want}");
            }
            proptest::prop_assert!(r.cr.abs() < 1e-9);
            proptest::prop_assert!((r.lambda_max - n as f64).abs() < 1e-9);
        }
    }
}
