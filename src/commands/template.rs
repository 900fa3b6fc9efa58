//! `zwgk template`: the submissions workbook an office sends to its units.

use crate::cli::TemplateArgs;
use crate::error::{Error, Result};
use crate::report;

pub fn template(args: TemplateArgs) -> Result<()> {
    report::output::check_target(&args.out, args.force)?;
    let system = crate::config::System::load(&args.indicators)?;
    let inputs = crate::ingest::load_roster(&system, &args.data)?;
    let bytes = crate::template::submissions_workbook(&system, &inputs).map_err(|e| {
        Error::Usage(crate::tr!(
            "无法生成工作簿：{e}",
            "cannot build the workbook: {e}"
        ))
    })?;
    report::output::write_dir(&args.out, &[("submissions.xlsx".into(), bytes)], args.force)?;
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
