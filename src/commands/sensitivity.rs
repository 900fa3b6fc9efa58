//! `zwgk sensitivity`: random re-weighting, rank intervals per unit, and
//! with `--out` sensitivity.json and a chart per group.

use super::args::SensitivityArgs;
use super::{prepare_out, write_extra};
use crate::error::{Error, Result};

pub fn sensitivity(args: SensitivityArgs) -> Result<()> {
    use crate::analysis::{charts, sensitivity};
    if !(0.0..1.0).contains(&args.spread) {
        return Err(Error::Usage(crate::tr!(
            "--spread {}：应为 [0, 1) 之间的数",
            "--spread {}: expected a number in [0, 1)",
            args.spread
        )));
    }
    // Each sample keeps every unit's rank: beyond a million the memory
    // grows past what any office machine has, for no better estimate.
    const MAX_SAMPLES: usize = 1_000_000;
    if args.samples == 0 || args.samples > MAX_SAMPLES {
        return Err(Error::Usage(crate::tr!(
            "--samples {}：应在 1 至 {MAX_SAMPLES} 之间",
            "--samples {}: expected 1 to {MAX_SAMPLES}",
            args.samples
        )));
    }
    let inputs = [args.inputs.indicators.as_path(), args.inputs.data.as_path()];
    prepare_out(args.out.as_deref(), args.force, &inputs)?;
    let a = args.inputs.assess()?;
    let r = sensitivity::analyse(
        &a,
        sensitivity::Settings {
            samples: args.samples,
            spread: args.spread,
            seed: args.seed,
        },
    );
    print!("{}", sensitivity::render_text(&r, &a));
    let mut files = Vec::new();
    if args.out.is_some() {
        for g in &r.groups {
            let rows: Vec<charts::Interval> = r
                .units
                .iter()
                .filter(|u| u.group == g.id)
                .map(|u| charts::Interval {
                    name: u.name.clone(),
                    baseline: u.baseline_rank,
                    median: u.median_rank,
                    p5: u.p5_rank,
                    p95: u.p95_rank,
                })
                .collect();
            files.extend(charts::files(
                &format!("sensitivity-{}", g.id),
                &charts::interval_chart(
                    &format!(
                        "{} 名次稳健性 ({}次抽样, ±{}%)",
                        g.name,
                        r.samples,
                        r.spread * 100.0
                    ),
                    g.units,
                    &rows,
                ),
            )?);
        }
    }
    write_extra(
        args.out.as_deref(),
        args.force,
        &inputs,
        "sensitivity.json",
        &r,
        files,
    )
}
