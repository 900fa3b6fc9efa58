//! `zwgk template`: what an office sends its units to fill in — one
//! workbook for all units, or with `--per-unit` one protected form per unit
//! (`<unit id>.xlsx`) that `zwgk collect` reads back.

use crate::cli::TemplateArgs;
use crate::config::System;
use crate::error::{Error, Result};
use crate::forms::{form, submission_leaves, unit_items, workbook};
use crate::ingest::Inputs;
use crate::report::output::{self, Staging};
use rayon::prelude::*;
use std::collections::HashMap;

pub fn template(args: TemplateArgs) -> Result<()> {
    output::check_target(&args.out, args.force)?;
    let system = System::load(&args.indicators)?;
    let inputs = crate::ingest::load_roster(&system, &args.data)?;
    if args.per_unit {
        return per_unit(&args, &system, &inputs);
    }
    let bytes = workbook::submissions_workbook(&system, &inputs).map_err(not_built)?;
    output::write_dir(&args.out, &[("submissions.xlsx".into(), bytes)], args.force)?;
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
    let names = file_names(inputs)?;
    let leaves = submission_leaves(system);
    let staging = Staging::begin(&args.out, args.force)?;
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
fn file_names(inputs: &Inputs) -> Result<Vec<String>> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut errors = Vec::new();
    let mut names = Vec::with_capacity(inputs.units.len());
    for unit in &inputs.units {
        let name: String = unit
            .id
            .chars()
            .map(|c| {
                if "/\\:*?\"<>|".contains(c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let name = format!("{name}.xlsx");
        if let Some(other) = seen.insert(name.to_lowercase(), &unit.id) {
            errors.push(crate::error::Diagnostic::new(
                "units",
                "",
                crate::tr!(
                    "单位编码“{}”与“{other}”写成文件名后相同（{name}）；请改用不同的编码",
                    "unit ids \"{}\" and \"{other}\" give the same file name ({name}); make them differ",
                    unit.id
                ),
            ));
        }
        names.push(name);
    }
    if errors.is_empty() {
        Ok(names)
    } else {
        Err(Error::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Unit;

    fn roster(ids: &[&str]) -> Inputs {
        Inputs {
            units: ids
                .iter()
                .map(|id| Unit {
                    id: id.to_string(),
                    name: format!("单位{id}"),
                    group: 0,
                    aliases: Vec::new(),
                })
                .collect(),
            ..Inputs::default()
        }
    }

    #[test]
    fn form_files_are_named_by_id_with_unsafe_characters_replaced() {
        let names = file_names(&roster(&["X01", "51/01", "a:b"])).unwrap();
        assert_eq!(names, ["X01.xlsx", "51_01.xlsx", "a_b.xlsx"]);
    }

    #[test]
    fn two_ids_that_make_one_file_name_are_an_error() {
        let Err(Error::Invalid(d)) = file_names(&roster(&["51/01", "51:01", "x01", "X01"])) else {
            panic!("expected an error");
        };
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("51_01.xlsx"), "{}", d[0].message);
    }
}
