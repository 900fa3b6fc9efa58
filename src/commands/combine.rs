//! `zwgk combine PART=WEIGHT ...`: earlier runs' results combined by
//! weight into one result, written as a run's reports are.

use super::args::CombineArgs;
use crate::config::System;
use crate::error::Result;
use crate::report::{self, output::Staging};
use std::path::{Path, PathBuf};

pub fn combine(args: CombineArgs) -> Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.indicators));
    // The demo's combination replaces its own, as `zwgk run` on the demo does.
    let force = args.force
        || (args.out.is_none()
            && args.indicators == Path::new(super::args::DEMO_INDICATORS)
            && args.data == Path::new(super::args::DEMO_DATA));
    let mut inputs = vec![args.indicators.as_path(), args.data.as_path()];
    inputs.extend(args.parts.iter().map(|p| p.path.as_path()));
    super::prepare_out(Some(&out), force, &inputs)?;
    let system = System::load(&args.indicators)?;
    let roster = crate::ingest::load_roster(&system, &args.data)?;
    let parts = named_parts(&args)?;
    let mut a = crate::combine::combine(&system, roster, &parts)?;
    if let Some(number) = &args.doc_number {
        a.system.notice_doc_number = Some(number.clone());
    }
    let date = super::run::notice_date(args.notice_date, &mut a.warnings);
    for w in &a.warnings {
        eprintln!("{}", crate::tr!("警告：{w}", "warning: {w}"));
    }
    let options = report::Options {
        charts: !args.no_charts,
        html_template: None,
        date: report::chinese_date(date),
        feedback: a.inputs.units.len() <= report::FEEDBACK_UNITS,
    };
    let staging = Staging::begin(&out, force, &inputs)?;
    report::combined::write_combined(&a, &options, &staging)?;
    staging.commit()?;
    let parts: Vec<String> = a
        .parts
        .iter()
        .map(|p| format!("{}×{}", p.label, p.weight))
        .collect();
    println!(
        "{}",
        crate::tr!(
            "{}{}：{} 个单位按 {} 合并；报告在 {}",
            "{}{}: {} units combined from {}; reports in {}",
            a.system.name,
            report::run_label(&a),
            a.inputs.units.len(),
            crate::lang::list(&parts),
            out.display()
        )
    );
    Ok(())
}

/// The parts with their `--name PART=名称` applied; a PART that is none
/// of the parts given is wrong usage.
fn named_parts(args: &CombineArgs) -> Result<Vec<crate::combine::PartArg>> {
    let mut parts = args.parts.clone();
    for given in &args.names {
        let Some((part, name)) = given.split_once('=').filter(|(_, n)| !n.trim().is_empty()) else {
            return Err(crate::error::Error::Usage(crate::tr!(
                "--name 应写作 部分=名称，如 reports/demo=年度考核，而不是“{given}”",
                "--name is PART=NAME, such as reports/demo=年度考核, not \"{given}\""
            )));
        };
        let Some(p) = parts.iter_mut().find(|p| p.path == Path::new(part)) else {
            return Err(crate::error::Error::Usage(crate::tr!(
                "--name {given}：“{part}”不是所合并的部分之一",
                "--name {given}: \"{part}\" is none of the parts combined"
            )));
        };
        p.name = Some(name.trim().to_string());
    }
    Ok(parts)
}

/// `reports/<indicator file stem>-combined/`.
fn default_out(indicators: &Path) -> PathBuf {
    let mut dir = super::args::default_out(indicators, None).into_os_string();
    dir.push("-combined");
    PathBuf::from(dir)
}
