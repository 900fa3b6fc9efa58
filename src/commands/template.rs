//! `zwgk template`: what an office sends its units to fill in — one
//! workbook for all units, or with `--per-unit` one protected form per unit
//! (`<unit id>.xlsx`) that `zwgk collect` reads back.

use super::args::TemplateArgs;
use crate::config::System;
use crate::error::{Error, Result};
use crate::forms::{form, submission_leaves, unit_items, workbook};
use crate::ingest::Inputs;
use crate::report::output::{self, Staging};
use rayon::prelude::*;

pub fn template(args: TemplateArgs) -> Result<()> {
    output::check_target(&args.out, args.force, &[&args.indicators, &args.data])?;
    let system = System::load(&args.indicators)?;
    let inputs = crate::ingest::load_roster(&system, &args.data)?;
    if args.per_unit {
        return per_unit(&args, &system, &inputs);
    }
    let bytes = workbook::submissions_workbook(&system, &inputs).map_err(not_built)?;
    output::write_dir(
        &args.out,
        &[("submissions.xlsx".into(), bytes)],
        args.force,
        &[&args.indicators, &args.data],
    )?;
    println!(
        "{}",
        crate::tr!(
            "{}：已为 {} 个单位生成 submissions.xlsx",
            "{}: submissions.xlsx for {} units",
            args.out.display(),
            inputs.units.len()
        )
    );
    Ok(())
}

fn not_built(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Usage(crate::tr!(
        "无法生成工作簿：{e}",
        "cannot build the workbook: {e}"
    ))
}

/// `DIR/<unit id>.xlsx` for every unit, written on all cores.
fn per_unit(args: &TemplateArgs, system: &System, inputs: &Inputs) -> Result<()> {
    let names = file_names(inputs);
    let leaves = submission_leaves(system);
    let staging = Staging::begin(&args.out, args.force, &[&args.indicators, &args.data])?;
    let items: usize = (0..inputs.units.len())
        .into_par_iter()
        .map(|u| {
            let unit = &inputs.units[u];
            let items = unit_items(system, inputs, u, &leaves);
            let bytes = form::unit_form(system, unit, &items).map_err(not_built)?;
            staging.write(&names[u], &bytes)?;
            Ok(items.len())
        })
        .collect::<Result<Vec<usize>>>()?
        .into_iter()
        .sum();
    staging.commit()?;
    println!(
        "{}",
        crate::tr!(
            "{}：已为 {} 个单位各生成一份报送表（共 {} 项）；收回后用 zwgk collect 合并",
            "{}: a form for each of {} units ({} items in all); merge the returned forms with zwgk collect",
            args.out.display(),
            inputs.units.len(),
            items
        )
    );
    Ok(())
}

/// `<unit id>.xlsx` for each unit, with the characters file systems refuse
/// (`/ \ : * ? " < > |`) as `_`; two ids that become one name are an error.
fn file_names(inputs: &Inputs) -> Vec<String> {
    inputs
        .units
        .iter()
        .map(|u| format!("{}.xlsx", crate::ingest::file_names::file_stem(&u.id)))
        .collect()
}
