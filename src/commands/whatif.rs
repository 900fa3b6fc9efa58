//! `zwgk whatif`: rescore with changed points or weights, print how ranks
//! move, and with `--out` write whatif.json and a chart per group.

use super::{prepare_out, write_extra};
use crate::cli::WhatifArgs;
use crate::error::Result;

pub fn whatif(args: WhatifArgs) -> Result<()> {
    use crate::analysis::{charts, whatif};
    prepare_out(args.out.as_deref(), args.force)?;
    let a = args.inputs.assess()?;
    let settings = whatif::parse_settings(&a.system, &args.set)?;
    let w = whatif::rescore(&a, &settings);
    let r = whatif::report(&a, &w);
    print!("{}", whatif::render_text(&r));
    let mut files = Vec::new();
    if args.out.is_some() {
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
                })
                .collect();
            files.extend(charts::files(
                &format!("whatif-{}", group.id),
                &charts::movement_chart(
                    &format!("{} 调整分值后的名次变化", group.name),
                    x_max,
                    &rows,
                ),
            )?);
        }
    }
    write_extra(args.out.as_deref(), args.force, "whatif.json", &r, files)
}
