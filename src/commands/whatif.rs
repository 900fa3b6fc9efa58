//! `zwgk whatif`: rescore with changed points or weights, print how ranks
//! move, and with `--out` write whatif.json and a chart per group.

use super::args::WhatifArgs;
use super::{prepare_out, write_extra};
use crate::error::Result;

pub fn whatif(args: WhatifArgs) -> Result<()> {
    use crate::analysis::{charts, whatif};
    let inputs = [args.inputs.indicators.as_path(), args.inputs.data.as_path()];
    prepare_out(args.out.as_deref(), args.force, &inputs)?;
    let a = args.inputs.assess()?;
    let settings = whatif::parse_settings(&a.system, &args.set)?;
    let w = whatif::rescore(&a, &settings);
    let r = whatif::report(&a, &w);
    print!(
        "{}",
        crate::ingest::text::printable(&whatif::render_text(&r))
    );
    let mut files = Vec::new();
    if args.out.is_some() {
        // The chart says what was changed: "A 分值 40→100；J1 每次加分 1→0.5".
        let scenario: Vec<String> = w
            .changes
            .iter()
            .map(|c| {
                let what = match c.kind {
                    "weight" => "权重",
                    "bonus" => "每次加分",
                    _ => "分值",
                };
                format!("{} {what} {}→{}", c.id, c.old, c.new)
            })
            .collect();
        let scenario = scenario.join("；");
        let x_max = w
            .scores
            .iter()
            .map(|s| s.total.to_f64())
            .fold(a.system.full_score.try_into().unwrap_or(100.0), f64::max);
        for (g, group) in r.groups.iter().enumerate() {
            let members = &w.ranking.order[a
                .system
                .groups
                .iter()
                .position(|x| x.id == group.id)
                .unwrap_or(g)];
            let rows: Vec<charts::Movement> = members
                .iter()
                .map(|&u| charts::Movement {
                    name: a.inputs.units[u].name.clone(),
                    total: w.scores[u].total.to_f64(),
                    old_rank: a.ranking.standings[u].rank,
                    new_rank: w.ranking.standings[u].rank,
                    grade: grade_change(
                        &a.system.grades[a.ranking.standings[u].grade].name,
                        &a.system.grades[w.ranking.standings[u].grade].name,
                    ),
                })
                .collect();
            files.extend(charts::files(
                &format!("whatif-{}", group.id),
                &charts::movement_chart(
                    &format!("{} 调整后的名次变化（{}）", group.name, scenario),
                    x_max,
                    &rows,
                ),
            )?);
        }
    }
    write_extra(
        args.out.as_deref(),
        args.force,
        &inputs,
        "whatif.json",
        &r,
        files,
    )
}

/// "良好" when the grade stayed, "良好→较差" when it changed.
pub(crate) fn grade_change(old: &str, new: &str) -> String {
    if old == new {
        new.to_string()
    } else {
        format!("{old}→{new}")
    }
}
