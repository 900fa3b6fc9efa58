//! `zwgk compare`: rank and grade changes between two results.json.

use super::args::CompareArgs;
use super::{prepare_out, write_extra};
use crate::error::Result;

pub fn compare(args: CompareArgs) -> Result<()> {
    use crate::analysis::{charts, compare};
    let inputs = [args.old.as_path(), args.new.as_path()];
    prepare_out(args.out.as_deref(), args.force, &inputs)?;
    let c = compare::compare(&args.old, &args.new)?;
    print!("{}", compare::render_text(&c));
    let mut files = Vec::new();
    if args.out.is_some() {
        for (g, name) in c.groups() {
            let rows: Vec<charts::Movement> = c
                .units
                .iter()
                .filter(|u| u.group == g)
                .map(|u| charts::Movement {
                    name: u.name.clone(),
                    total: u.new_total.parse().unwrap_or(0.0),
                    old_rank: u.old_rank,
                    new_rank: u.new_rank,
                    grade: super::whatif::grade_change(&u.old_grade, &u.new_grade),
                })
                .collect();
            let x_max = rows.iter().map(|r| r.total).fold(100.0, f64::max);
            files.extend(charts::files(
                &format!("compare-{g}"),
                &charts::movement_chart(
                    &format!("{name} 名次变化（{} → {}）", c.old, c.new),
                    x_max,
                    &rows,
                ),
            )?);
        }
    }
    if args.out.is_some() {
        let book = crate::analysis::compare_xlsx::workbook(&c).map_err(|e| {
            crate::error::Error::Usage(crate::tr!(
                "无法生成 compare.xlsx：{e}",
                "cannot build compare.xlsx: {e}"
            ))
        })?;
        files.push(("compare.xlsx".to_string(), book));
    }
    write_extra(
        args.out.as_deref(),
        args.force,
        &inputs,
        "compare.json",
        &c,
        files,
    )
}
