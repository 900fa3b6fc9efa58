//! `zwgk weights ahp FILE` and `zwgk weights entropy`: the analyst's
//! reference weights, printed beside the published points, with `--out`
//! as weights.json, and for AHP with `--write` as a copy of the indicator
//! system.

use super::args::{AhpArgs, EntropyArgs, WeightsArgs, WeightsMethod};
use super::{prepare_out, write_extra};
use crate::analysis::{ahp, entropy};
use crate::config::System;
use crate::error::{Error, Result};
use serde_json::json;

pub fn weights(args: WeightsArgs) -> Result<()> {
    match args.method {
        WeightsMethod::Ahp(a) => ahp_weights(a),
        WeightsMethod::Entropy(e) => entropy_weights(e),
    }
}

fn ahp_weights(args: AhpArgs) -> Result<()> {
    let inputs = [args.indicators.as_path(), args.file.as_path()];
    prepare_out(args.out.as_deref(), args.force, &inputs)?;
    let system = System::load(&args.indicators)?;
    let sets = ahp::read(&args.file, &system)?;
    let results: Vec<ahp::SetResult> = sets
        .iter()
        .map(|(parent, children, a)| ahp::analyse(parent, children, a))
        .collect();
    for r in &results {
        print!("{}", render_set(r));
    }
    if let Some(path) = &args.write {
        let bad: Vec<String> = results
            .iter()
            .filter(|r| !r.consistent)
            .map(|r| {
                if r.parent.is_empty() {
                    crate::tr!("一级指标", "the top-level indicators")
                } else {
                    r.parent.clone()
                }
            })
            .collect();
        if !bad.is_empty() {
            let bad = crate::lang::list(&bad);
            return Err(Error::Usage(crate::tr!(
                "未写出 {}：{bad} 的判断不一致（CR ≥ 0.1），请先修改比较矩阵",
                "{} not written: the judgements of {bad} are inconsistent (CR >= 0.1); revise them first",
                path.display()
            )));
        }
        let text = std::fs::read_to_string(&args.indicators)
            .map_err(|e| Error::io(args.indicators.display().to_string(), e))?;
        let new = ahp::with_weights(&text, &results);
        // The copy must still be a valid indicator system.
        System::parse(&new, &path.display().to_string()).map_err(Error::Invalid)?;
        std::fs::write(path, new).map_err(|e| Error::io(path.display().to_string(), e))?;
        println!(
            "{}",
            crate::tr!("已写入 {}", "written to {}", path.display())
        );
    }
    let json = json!({"method": "ahp", "sets": results});
    write_extra(
        args.out.as_deref(),
        args.force,
        &inputs,
        "weights.json",
        &json,
        Vec::new(),
    )
}

fn render_set(r: &ahp::SetResult) -> String {
    let parent = if r.parent.is_empty() {
        crate::tr!("一级指标", "top level")
    } else {
        r.parent.clone()
    };
    let verdict = if r.consistent {
        crate::tr!("一致性可以接受", "consistent")
    } else {
        let (a, b) = r.worst_pair.clone().unwrap_or_default();
        crate::tr!(
            "不一致（CR ≥ 0.1）：{a} 与 {b} 的判断与权重偏离最大，请复核",
            "inconsistent (CR >= 0.1): the judgement of {a} against {b} disagrees most with the weights; revise it"
        )
    };
    let mut out = crate::tr!(
        "{parent}：最大特征根 λmax {:.3}，一致性指标 CI {:.3}，随机一致性指标 RI {:.2}，一致性比率 CR {:.3}，{verdict}\n",
        "{parent}: λmax {:.3}, CI {:.3}, RI {:.2}, CR {:.3}, {verdict}\n",
        r.lambda_max,
        r.ci,
        r.ri,
        r.cr
    );
    for (c, w) in r.children.iter().zip(&r.weights) {
        out.push_str(&format!("  {c:<8} {w:.4}\n"));
    }
    out
}

fn entropy_weights(args: EntropyArgs) -> Result<()> {
    let inputs = [args.inputs.indicators.as_path(), args.inputs.data.as_path()];
    prepare_out(args.out.as_deref(), args.force, &inputs)?;
    let a = args.inputs.assess()?;
    let leaves = entropy::leaf_weights(&a);
    println!(
        "{}",
        crate::tr!(
            "熵权法（各末级指标得分的离散程度；适用单位少于 2 个的指标不计）",
            "entropy weights (how much each leaf's scores spread the units; leaves applying to fewer than 2 units left out)"
        )
    );
    println!(
        "{}",
        crate::tr!(
            "指标      熵权    分值占比  名称",
            "leaf     weight   published  name"
        )
    );
    for l in &leaves {
        println!(
            "{:<8} {:>7.4}  {:>8.4}  {}",
            l.id, l.weight, l.published_share, l.name
        );
    }
    let json = json!({"method": "entropy", "leaves": leaves.iter().map(|l| json!({
        "id": l.id, "weight": l.weight, "published_share": l.published_share
    })).collect::<Vec<_>>()});
    write_extra(
        args.out.as_deref(),
        args.force,
        &inputs,
        "weights.json",
        &json,
        Vec::new(),
    )
}
