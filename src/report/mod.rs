//! Stage 5: reports. Each format is an [`Export`] that turns an
//! [`Assessment`] into bytes; [`output`] writes them all into the output
//! directory in one atomic step.

pub mod json;
pub mod output;
pub mod tables;

use crate::assess::Assessment;
use crate::num::Exact;

/// One output file.
pub trait Export {
    fn file_name(&self) -> &'static str;
    fn render(&self, a: &Assessment) -> Vec<u8>;
}

/// Every file `zwgk run` writes, rendered in memory.
pub fn render_all(a: &Assessment) -> Vec<(String, Vec<u8>)> {
    let exports: Vec<Box<dyn Export>> = vec![
        Box::new(json::Results),
        Box::new(tables::ScoresCsv),
        Box::new(tables::BreakdownCsv),
        Box::new(tables::RunLog),
    ];
    exports
        .iter()
        .map(|e| (e.file_name().to_string(), e.render(a)))
        .collect()
}

/// A score as published: rounded half away from zero, `precision` decimals.
pub fn published(a: &Assessment, x: Exact) -> String {
    x.publish(a.system.precision).to_string()
}
