//! `zwgk generate`: a synthetic assessment of any size.

use super::args::GenerateArgs;
use crate::error::{Error, Result};
use crate::report;

pub fn generate(args: GenerateArgs) -> Result<()> {
    if args.units == 0 {
        return Err(Error::Usage(crate::tr!(
            "--units 至少为 1",
            "--units must be at least 1"
        )));
    }
    let staging = report::output::Staging::begin(&args.out, args.force, &[])?;
    let spec = crate::generate::Spec {
        units: args.units,
        records: args.records,
        seed: args.seed,
        messy: args.messy,
    };
    crate::generate::generate(spec, &staging)?;
    staging.commit()?;
    println!("{}", crate::tr!("合成考核数据：{} 个单位、{} 条检查记录，写入 {}（zwgk run --indicators {}/indicators.toml --data {}/data）", "synthetic assessment: {} units, {} records in {} (zwgk run --indicators {}/indicators.toml --data {}/data)",
        args.units,
        args.records,
        args.out.display(),
        args.out.display(),
        args.out.display()));
    Ok(())
}
