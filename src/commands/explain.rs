//! `zwgk explain UNIT`: one unit's score as a tree in the terminal.

use super::args::ExplainArgs;
use crate::error::Result;

pub fn explain(args: ExplainArgs) -> Result<()> {
    use crate::analysis::explain;
    let a = args.inputs.assess()?;
    let u = explain::find_unit(&a, &args.unit)?;
    print!(
        "{}",
        crate::ingest::text::printable(&explain::explain(&a, u))
    );
    Ok(())
}
