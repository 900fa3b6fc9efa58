//! The files of `zwgk combine`: results.json, the scores tables, the
//! ranking and distribution charts, the notice, and `combine.log` naming
//! each part with its weight and the SHA-256 of its results.json; the
//! feedback sheets and ledger of the combined result (each part's total,
//! weight, contribution and rank; the items lost are in the parts' own
//! sheets). No breakdown: that is the parts' own.

use super::output::Staging;
use super::{json, tables, write_notice, xlsx, Export, Options};
use crate::assess::Assessment;
use crate::error::Result;
use std::io::{self, Write};

pub fn write_combined(a: &Assessment, options: &Options, out: &Staging) -> Result<()> {
    let exports: [&dyn Export; 4] = [
        &xlsx::ScoresXlsx,
        &json::Results,
        &tables::ScoresCsv,
        &CombineLog,
    ];
    for e in exports {
        out.write_with(e.file_name(), |w| e.write(a, w))?;
    }
    if options.feedback {
        super::combined_feedback::write_all(a, &options.date, |name, bytes| {
            out.write(&name, &bytes)
        })?;
        let grid = super::combined_feedback::ledger_grid(a);
        let book = xlsx::ledger_book(a, "整改台账", &grid, &[4, 9, 11])
            .map_err(|e| crate::error::Error::Usage(format!("feedback.xlsx: {e}")))?;
        out.write("feedback.xlsx", &book)?;
    }
    write_notice(a, options, out)
}

struct CombineLog;

impl Export for CombineLog {
    fn file_name(&self) -> &'static str {
        "combine.log"
    }

    fn write(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        let mut log = format!("zwgk {}\n", env!("CARGO_PKG_VERSION"));
        log.push_str(&crate::tr!(
            "合并：{}（{} 年度），{} 个单位\n",
            "combined: {} ({}), {} units\n",
            a.system.name,
            a.system.year,
            a.inputs.units.len()
        ));
        if a.draft {
            log.push_str(&crate::tr!(
                "稿件：征求意见稿（有部分为征求意见稿）\n",
                "draft: 征求意见稿 (a part is a draft)\n"
            ));
        }
        log.push_str(&crate::tr!(
            "\n各部分（权重，results.json 的 SHA-256）：\n",
            "\nparts (weight, SHA-256 of results.json):\n"
        ));
        for p in &a.parts {
            log.push_str(&format!(
                "  {}  {}  {}  {}\n",
                p.name, p.weight, p.sha256, p.source
            ));
        }
        out.write_all(log.as_bytes())
    }
}
