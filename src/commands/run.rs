//! `zwgk run` and `zwgk check`: the whole pipeline; `run` writes the
//! reports into a staging directory moved into place in one step, `check`
//! writes nothing.

use super::args::{default_out, CheckArgs, RunArgs, DEMO_DATA, DEMO_INDICATORS};
use super::{leave_to_exit, print_ignored, print_warnings};
use crate::error::{Error, Result};
use crate::report;

pub fn run(args: RunArgs) -> Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.inputs.indicators, args.inputs.period.as_deref()));
    // The demo replaces its own earlier report (reports/demo, if zwgk wrote
    // it), with or without `run`, as bare `zwgk` does.
    let force = args.force || is_the_demo(&args);
    // Refuse early, before the work, when the directory may not be replaced.
    let inputs = [args.inputs.indicators.as_path(), args.inputs.data.as_path()];
    report::output::check_target(&out, force, &inputs)?;
    if !args.no_charts {
        report::font::init(args.font.as_deref())?;
    }
    let html_template = match &args.template {
        Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
            Error::io(
                crate::tr!("无法读取模板 {}", "cannot read template {}", p.display()),
                e,
            )
        })?),
        None => None,
    };
    let mut a = args.inputs.assess()?;
    if let Some(number) = &args.doc_number {
        a.system.notice_doc_number = Some(number.clone());
    }
    let date = notice_date(args.notice_date, &mut a.warnings);
    print_ignored(&a);
    print_warnings(
        &a,
        false,
        &crate::tr!(
            "全部警告见 {}",
            "every warning is in {}",
            out.join("run.log").display()
        ),
    );
    let options = report::Options {
        charts: !args.no_charts,
        html_template,
        date: report::chinese_date(date),
        feedback: !args.no_feedback
            && (args.feedback || a.inputs.units.len() <= report::FEEDBACK_UNITS),
    };
    for line in report::scope_lines(&a) {
        println!("{line}");
    }
    let t = std::time::Instant::now();
    let staging = report::output::Staging::begin(&out, force, &inputs)?;
    report::write_run(&a, &options, &staging)?;
    crate::timing::timing("render and write reports", t);
    let t = std::time::Instant::now();
    staging.commit()?;
    crate::timing::timing("move the reports into place", t);
    println!(
        "{}",
        crate::tr!(
            "{}{}：{} 个单位已计分，警告 {} 条；报告在 {}{}",
            "{}{}: {} units scored, {} warning(s); reports in {}{}",
            a.system.name,
            report::run_label(&a),
            a.inputs.units.len(),
            a.warnings.len(),
            out.display(),
            report::left_out(&a).map_or(String::new(), |why| format!(" ({why})"))
        )
    );
    leave_to_exit(a);
    Ok(())
}

/// The notice's date: `--notice-date`, or today — said among the warnings
/// (stderr and run.log), so that a notice is never dated by surprise.
pub(crate) fn notice_date(
    given: Option<chrono::NaiveDate>,
    warnings: &mut Vec<String>,
) -> chrono::NaiveDate {
    given.unwrap_or_else(|| {
        let today = chrono::Local::now().date_naive();
        warnings.push(crate::tr!(
            "通报未给出成文日期（--notice-date），按今天 {} 落款；正式印发前请核对",
            "the notice has no date given (--notice-date), so it is dated today, {}; check it before the notice is issued",
            report::chinese_date(today)
        ));
        today
    })
}

/// The bundled demo into its own default directory.
fn is_the_demo(args: &RunArgs) -> bool {
    args.out.is_none()
        && args.inputs.indicators == std::path::Path::new(DEMO_INDICATORS)
        && args.inputs.data == std::path::Path::new(DEMO_DATA)
}

pub fn check(args: CheckArgs) -> Result<()> {
    let a = args.inputs.assess()?;
    print_ignored(&a);
    print_warnings(
        &a,
        args.all_warnings,
        &crate::tr!(
            "zwgk check --all-warnings 可列出全部；zwgk run 会把它们写入 run.log",
            "zwgk check --all-warnings prints every one; zwgk run writes them to run.log"
        ),
    );
    for line in report::scope_lines(&a) {
        println!("{line}");
    }
    println!("{}", crate::tr!("检查通过：{} — {} 个指标、{} 个单位、{} 条检查记录、{} 条报送；警告 {} 条", "ok: {} — {} indicators, {} units, {} inspection records, {} submissions; {} warning(s)",
        a.system.name,
        a.system.indicators.len(),
        a.inputs.units.len(),
        a.inputs.record_count(),
        a.inputs.submissions,
        a.warnings.len()));
    leave_to_exit(a);
    Ok(())
}
