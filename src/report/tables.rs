//! `scores.csv` (one row per unit), `breakdown.csv` (one row per unit and
//! leaf, plus bonus and penalty items: the answer to "why did I lose this
//! point?") and `run.log`. CSV is UTF-8 with a BOM so that Excel opens it;
//! text cells that a spreadsheet would run as a formula are neutralised.

use super::{published, Export};
use crate::assess::Assessment;
use crate::config::Rule;
use crate::score::evidence::{Deduction, LeafDetail};
use std::borrow::Cow;
use std::io::{self, Write};

const NA: &str = "不涉及";

/// A text cell as a spreadsheet must show it: one starting with `=`, `+`,
/// `-`, `@` (or a tab/CR that hides one) gets a leading `'`, so it is never
/// run as a formula.
pub fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

pub use super::cell::{Cell, Grid};

/// Excel opens a CSV as UTF-8 only when it starts with this.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

fn write_row<W: Write>(w: &mut csv::Writer<W>, row: &[Cell]) -> csv::Result<()> {
    for c in row {
        match c {
            Cell::Text(t) => w.write_field(neutralize(t).as_bytes())?,
            Cell::Num(n) => w.write_field(n.as_bytes())?,
        }
    }
    w.write_record(None::<&[u8]>)
}

/// A table as CSV: the BOM, the header and the rows.
fn write_csv<'a>(
    out: &mut dyn Write,
    header: &[String],
    rows: impl Iterator<Item = Vec<Cell<'a>>>,
) -> io::Result<()> {
    out.write_all(BOM)?;
    let mut w = csv_writer(out);
    w.write_record(header)?;
    for r in rows {
        write_row(&mut w, &r)?;
    }
    w.flush()
}

/// The column that marks every row of a draft run's tables.
const DRAFT_HEADER: &str = "稿件状态";
const DRAFT: &str = "征求意见稿";

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

/// The header of the scores table: group, rank, unit, total, grade,
/// performance points, bonus, penalty, veto, each top-level indicator (and
/// the draft mark).
pub fn scores_header(a: &Assessment) -> Vec<String> {
    let s = &a.system;
    let mut header = headers(&[
        "分组",
        "名次",
        "单位编码",
        "单位名称",
        "总分",
        "等次",
        "绩效分",
        "基础得分",
        "加分",
        "扣分",
        "否决",
    ]);
    header.extend(
        s.roots
            .iter()
            .map(|&r| format!("{} {}", s.indicators[r].id, s.indicators[r].name)),
    );
    if a.draft {
        header.push(DRAFT_HEADER.into());
    }
    header
}

/// Unit `u`'s row of the scores table (made as it is written: a province's
/// table is never held whole, once per file that shows it).
pub fn scores_row(a: &Assessment, u: usize) -> Vec<Cell<'_>> {
    let s = &a.system;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let st = &a.ranking.standings[u];
    let mut row = Vec::with_capacity(12 + s.roots.len());
    row.extend([
        Cell::text(&s.groups[unit.group].name),
        Cell::num(st.rank.to_string()),
        Cell::text(&unit.id),
        Cell::text(&unit.name),
        Cell::num(published(a, sc.total)),
        Cell::text(&s.grades[st.grade].name),
        Cell::num(published(a, sc.performance_points)),
        Cell::num(published(a, sc.base)),
        Cell::num(published(a, sc.bonus)),
        Cell::num(published(a, sc.penalty)),
        Cell::text(if sc.vetoed { "是" } else { "" }),
    ]);
    row.extend(
        s.roots
            .iter()
            .map(|&r| sc.indicators[r].map_or(Cell::text(NA), |x| Cell::num(published(a, x)))),
    );
    if a.draft {
        row.push(DRAFT.into());
    }
    row
}

const BREAKDOWN_HEADER: &[&str] = &[
    "分组",
    "单位编码",
    "单位名称",
    "指标代码",
    "指标名称",
    "上级指标",
    "计分规则",
    "分值",
    "得分",
    "状态",
    "填报值或记录",
    "扣分明细",
    "说明",
    "佐证材料",
];

/// What every unit's rows share, formatted once: the leaves in order and,
/// per indicator, its parent's label and its points as published.
pub struct LeafLabels {
    pub leaves: Vec<usize>,
    parent: Vec<String>,
    points: Vec<String>,
}

impl LeafLabels {
    pub fn of(a: &Assessment) -> LeafLabels {
        let s = &a.system;
        LeafLabels {
            leaves: s.leaves(),
            parent: s
                .indicators
                .iter()
                .map(|node| {
                    node.parent.map_or(String::new(), |p| {
                        format!("{} {}", s.indicators[p].id, s.indicators[p].name)
                    })
                })
                .collect(),
            points: s
                .indicators
                .iter()
                .map(|node| published(a, node.points))
                .collect(),
        }
    }
}

/// One row per unit and leaf, then the unit's bonus and penalty items and
/// the rows that account for its total.
pub fn breakdown_grid<'a>(a: &'a Assessment, labels: &'a LeafLabels) -> Grid<'a> {
    let rows = a
        .ordered_units()
        .flat_map(|u| unit_breakdown(a, labels, u))
        .collect();
    (breakdown_header(a), rows)
}

/// The breakdown's columns (with 稿件状态 on a draft).
fn breakdown_header(a: &Assessment) -> Vec<String> {
    let mut header = headers(BREAKDOWN_HEADER);
    if a.draft {
        header.push(DRAFT_HEADER.into());
    }
    header
}

/// Unit `u`'s breakdown rows: its leaves, bonus items, penalties (each
/// marked 征求意见稿 on a draft).
fn unit_breakdown<'a>(a: &'a Assessment, labels: &'a LeafLabels, u: usize) -> Vec<Vec<Cell<'a>>> {
    let mut rows: Vec<Vec<Cell<'a>>> = labels
        .leaves
        .iter()
        .map(|&leaf| leaf_row(a, labels, u, leaf))
        .collect();
    rows.extend(bonus_rows(a, u));
    rows.extend(penalty_rows(a, u));
    rows.extend(
        super::account::closing_rows(a, u, &labels.leaves)
            .into_iter()
            .map(|closing| {
                let mut row = unit_cells(a, u);
                row.extend(closing);
                row
            }),
    );
    if a.draft {
        for r in &mut rows {
            r.push(DRAFT.into());
        }
    }
    rows
}

/// Units whose breakdown rows are rendered (on all cores) before they are
/// written: about 7 MB of CSV, so that memory stays flat however many units.
const BREAKDOWN_BATCH: usize = 2048;

/// breakdown.csv: a province's breakdown has millions of rows, rendered in
/// chunks of units on all cores and written in publication order.
fn write_breakdown_csv(a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    out.write_all(BOM)?;
    let mut w = csv_writer(&mut *out);
    w.write_record(breakdown_header(a))?;
    w.flush()?;
    drop(w);
    let labels = LeafLabels::of(a);
    let units: Vec<usize> = a.ordered_units().collect();
    for batch in units.chunks(BREAKDOWN_BATCH) {
        let chunks = batch
            .par_chunks(256)
            .map(|chunk| breakdown_chunk(a, &labels, chunk))
            .collect::<io::Result<Vec<Vec<u8>>>>()?;
        for c in chunks {
            out.write_all(&c)?;
        }
    }
    Ok(())
}

/// The breakdown rows of `units` as CSV.
fn breakdown_chunk(a: &Assessment, labels: &LeafLabels, units: &[usize]) -> io::Result<Vec<u8>> {
    // About 180 bytes a row: sized once rather than grown by copying.
    let mut w = csv_writer(Vec::with_capacity(units.len() * labels.leaves.len() * 200));
    for &u in units {
        for row in unit_breakdown(a, labels, u) {
            write_row(&mut w, &row)?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

pub struct ScoresCsv;

impl Export for ScoresCsv {
    fn file_name(&self) -> &'static str {
        "scores.csv"
    }

    fn write(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        let rows = a.ordered_units().map(|u| scores_row(a, u));
        write_csv(out, &scores_header(a), rows)
    }
}

pub struct BreakdownCsv;

impl Export for BreakdownCsv {
    fn file_name(&self) -> &'static str {
        "breakdown.csv"
    }

    fn write(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        write_breakdown_csv(a, out)
    }
}

/// A breakdown row's first cells (group, unit id, unit name), with room
/// for the rest of the row.
fn unit_cells(a: &Assessment, u: usize) -> Vec<Cell<'_>> {
    let unit = &a.inputs.units[u];
    let mut row = Vec::with_capacity(BREAKDOWN_HEADER.len() + 1);
    row.extend([
        Cell::text(&a.system.groups[unit.group].name),
        Cell::text(&unit.id),
        Cell::text(&unit.name),
    ]);
    row
}

/// "W01 首页栏目信息超过2周未更新 ×2 −2；W03 …" per issue found.
/// `记录 R1、R2×3`: the records of a leaf's deductions, in one string
/// sized once (a unit's ids can run to thousands).
fn record_ids(a: &Assessment, detail: &LeafDetail) -> String {
    let ids = detail
        .deductions
        .iter()
        .map(|d| a.inputs.findings[d.finding].ids.as_str());
    let len: usize = ids.clone().map(|i| i.len() + "、".len()).sum();
    let mut text = String::with_capacity("记录 ".len() + len);
    text.push_str("记录 ");
    for (k, id) in ids.enumerate() {
        if k > 0 {
            text.push('、');
        }
        text.push_str(id);
    }
    text
}

pub fn deduction_text(a: &Assessment, d: &LeafDetail) -> String {
    let mut text = String::new();
    for (k, x) in d.deductions.iter().enumerate() {
        if k > 0 {
            text.push('；');
        }
        write_finding(&mut text, a, x);
    }
    text
}

/// "W01 首页栏目信息超过2周未更新 ×2 −2": an issue, how often, what it cost.
pub fn finding_text(a: &Assessment, d: &Deduction) -> String {
    let mut text = String::new();
    write_finding(&mut text, a, d);
    text
}

/// [`finding_text`] written onto `text`.
fn write_finding(text: &mut String, a: &Assessment, d: &Deduction) {
    use crate::num::push_decimal;
    let finding = &a.inputs.findings[d.finding];
    let issue = &a.system.issues[finding.issue];
    for part in [issue.code.as_str(), " ", issue.name.as_str(), " ×"] {
        text.push_str(part);
    }
    push_decimal(text, finding.count.normalize());
    text.push_str(" −");
    push_decimal(text, d.amount.normalize());
}

/// The leaf's status word: 计分, N/A reason, or 未报送.
pub fn leaf_status(a: &Assessment, u: usize, leaf: usize) -> &'static str {
    use crate::score::rules::Outcome;
    let detail = a.evidence[u].detail(leaf);
    match a.evidence[u].outcomes[leaf] {
        Some(Outcome::NotApplicable(r)) => r.label(),
        _ => detail.missing.map_or("计分", |m| m.label()),
    }
}

fn leaf_row<'a>(a: &'a Assessment, labels: &'a LeafLabels, u: usize, leaf: usize) -> Vec<Cell<'a>> {
    let node = &a.system.indicators[leaf];
    let detail = a.evidence[u].detail(leaf);
    let mut row = unit_cells(a, u);
    let input = match &node.rule {
        Some(Rule::Deduct { .. }) if detail.deductions.is_empty() => Cell::text("无检查问题"),
        Some(Rule::Deduct { .. }) => Cell::from(record_ids(a, detail)),
        _ => Cell::text(&detail.input),
    };
    row.extend([
        Cell::text(&node.id),
        Cell::text(&node.name),
        Cell::text(&labels.parent[leaf]),
        Cell::text(node.rule.as_ref().map_or("", |r| r.label())),
        Cell::Num(Cow::Borrowed(&labels.points[leaf])),
        a.scores[u].indicators[leaf].map_or(Cell::text(NA), |x| Cell::num(published(a, x))),
        Cell::from(leaf_status(a, u, leaf)),
        input,
        Cell::from(deduction_text(a, detail)),
        Cell::text(&detail.note),
        Cell::text(detail.evidence.as_deref().unwrap_or("")),
    ]);
    row
}

fn bonus_rows(a: &Assessment, u: usize) -> Vec<Vec<Cell<'_>>> {
    let ev = &a.evidence[u];
    let sc = &a.scores[u];
    let gated = !ev.bonus_raw.is_zero() && sc.bonus.is_zero();
    ev.bonus_items
        .iter()
        .map(|&(b, count, amount)| {
            let bonus = &a.system.bonuses[b];
            let mut note = match bonus.max {
                Some(m) => format!(
                    "每次 {} 分，本项最多 {} 分",
                    bonus.points.normalize(),
                    m.normalize()
                ),
                None => format!("每次 {} 分", bonus.points.normalize()),
            };
            note.push_str(&format!(
                "；加分合计最多 {} 分",
                a.system.bonus_cap.normalize()
            ));
            if gated {
                note.push_str(&format!(
                    "；基础得分低于 {}，不计加分",
                    a.system.bonus_gate.unwrap_or_default().normalize()
                ));
            }
            let mut row = unit_cells(a, u);
            row.extend([
                Cell::text(&bonus.id),
                Cell::text(&bonus.name),
                "".into(),
                "加分项".into(),
                "".into(),
                Cell::num(amount.normalize().to_string()),
                "加分".into(),
                Cell::from(count.normalize().to_string()),
                "".into(),
                Cell::from(note),
                "".into(),
            ]);
            row
        })
        .collect()
}

fn penalty_rows(a: &Assessment, u: usize) -> Vec<Vec<Cell<'_>>> {
    a.evidence[u]
        .penalties
        .iter()
        .map(|d| {
            let finding = &a.inputs.findings[d.finding];
            let issue = &a.system.issues[finding.issue];
            let mut row = unit_cells(a, u);
            row.extend([
                Cell::text(&issue.code),
                Cell::text(&issue.name),
                "".into(),
                "总分扣分".into(),
                "".into(),
                Cell::num((-d.amount).normalize().to_string()),
                "扣分".into(),
                Cell::from(format!("记录 {}", finding.ids)),
                Cell::from(finding_text(a, d)),
                Cell::text(&finding.notes),
                "".into(),
            ]);
            row
        })
        .collect()
}

pub struct RunLog;

impl Export for RunLog {
    fn file_name(&self) -> &'static str {
        "run.log"
    }

    fn write(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        let mut log = String::new();
        log.push_str(&format!("zwgk {}\n", env!("CARGO_PKG_VERSION")));
        log.push_str(&crate::tr!(
            "考核：{}（{} 年度）\n",
            "assessment: {} ({})\n",
            a.system.name,
            a.system.year
        ));
        if a.draft {
            log.push_str(&crate::tr!(
                "稿件：征求意见稿（待审核的报送已计入）\n",
                "draft: 征求意见稿 (pending submissions counted)\n"
            ));
        }
        log.push_str(&crate::tr!(
            "\n读取的输入（SHA-256）：\n",
            "\ninputs (SHA-256):\n"
        ));
        let (f, h) = &a.indicators_file;
        log.push_str(&format!("  {h}  {f}\n"));
        for (f, h) in &a.inputs.files {
            log.push_str(&format!("  {h}  {f}\n"));
        }
        if let Some(why) = super::left_out(a) {
            log.push_str(&format!("\n{why}\n"));
        }
        for line in super::scope_lines(a) {
            log.push_str(&format!("\n{line}\n"));
        }
        if !a.inputs.ignored.is_empty() {
            log.push_str(&crate::tr!("\n未读取：\n", "\nnot read:\n"));
            for (f, why) in &a.inputs.ignored {
                log.push_str(&match crate::lang::get() {
                    crate::lang::Lang::Zh => format!("  {f}（{why}）\n"),
                    crate::lang::Lang::En => format!("  {f} ({why})\n"),
                });
            }
        }
        log.push_str(&crate::tr!(
            "\n警告（{} 条）：\n",
            "\nwarnings ({}):\n",
            a.warnings.len()
        ));
        for w in &a.warnings {
            log.push_str(&crate::tr!("  警告：{w}\n", "  warning: {w}\n"));
        }
        out.write_all(log.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_formula_like_text_only() {
        assert_eq!(neutralize("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralize("+1"), "'+1");
        assert_eq!(neutralize("-2"), "'-2");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("青羊区"), "青羊区");
        assert_eq!(neutralize(""), "");
    }
}
