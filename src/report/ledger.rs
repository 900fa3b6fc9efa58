//! `feedback.xlsx`, the office's rectification ledger (整改台账): one row
//! per unit and item where it lost points, per total-level problem and per
//! grade veto, from the same facts as the breakdown, with the columns the
//! office fills in as units rectify (整改措施, 整改情况, 完成时间).

use super::cell::{Cell, Grid};
use super::tables::{deduction_text, leaf_status};
use super::{published, Export};
use crate::assess::Assessment;
use crate::config::Rule;
use crate::num::Exact;

const HEADER: &[&str] = &[
    "序号",
    "分组",
    "单位编码",
    "单位名称",
    "总分",
    "等次",
    "指标或事项",
    "分值",
    "得分",
    "失分",
    "存在问题及依据",
    "记录编号",
    "整改时限",
    "整改措施",
    "整改情况",
    "完成时间",
];

/// "2023-03-01" or "2023-03-01至2023-05-01": when a finding's records were
/// made.
fn dates_text(f: &crate::ingest::Finding) -> Option<String> {
    let (first, last) = f.dates?;
    Some(if first == last {
        first.to_string()
    } else {
        format!("{first}至{last}")
    })
}

/// One ledger row before its number: (item, points, score, lost, why, records).
pub(super) type Entry = (String, String, String, String, String, String);

/// Unit `u`'s entries: each applicable leaf (of `leaves`, the system's in
/// tree order) below its points, each total-level problem, a grade veto.
pub(super) fn entries(a: &Assessment, u: usize, leaves: &[usize]) -> Vec<Entry> {
    let s = &a.system;
    let sc = &a.scores[u];
    let ev = &a.evidence[u];
    let mut out = Vec::new();
    for &leaf in leaves {
        let Some(score) = sc.indicators[leaf] else {
            continue;
        };
        let node = &s.indicators[leaf];
        let lost = node.points.minus(score);
        if lost.is_zero() || lost.is_negative() {
            continue;
        }
        let detail = ev.detail(leaf);
        let mut why: Vec<String> = Vec::new();
        let status = leaf_status(a, u, leaf);
        if status != "计分" {
            why.push(status.to_string());
        }
        let deductions = deduction_text(a, detail);
        if !deductions.is_empty() {
            why.push(deductions);
        }
        let notes: Vec<&str> = detail
            .deductions
            .iter()
            .map(|d| a.inputs.findings[d.finding].notes.as_ref())
            .filter(|n| !n.is_empty())
            .collect();
        if !notes.is_empty() {
            why.push(format!("问题描述：{}", notes.join("；")));
        }
        let dates: Vec<String> = detail
            .deductions
            .iter()
            .filter_map(|d| dates_text(&a.inputs.findings[d.finding]))
            .collect();
        if !dates.is_empty() {
            why.push(format!("检查日期 {}", dates.join("、")));
        }
        match node.rule {
            _ if detail.input.is_empty() => {}
            Some(Rule::Deduct { .. }) => {}
            Some(Rule::Rating { .. }) => why.push(format!("评分 {}", detail.input)),
            _ => why.push(format!("填报 {}", detail.input)),
        }
        if !detail.note.is_empty() {
            why.push(detail.note.to_string());
        }
        let records: Vec<&str> = detail
            .deductions
            .iter()
            .map(|d| a.inputs.findings[d.finding].ids.as_str())
            .collect();
        out.push((
            format!("{} {}", node.id, node.name),
            published(a, node.points),
            published(a, score),
            published(a, lost),
            why.join("；"),
            records.join("、"),
        ));
    }
    for d in &ev.penalties {
        let finding = &a.inputs.findings[d.finding];
        let issue = &s.issues[finding.issue];
        out.push((
            format!("总分扣分：{}", issue.name),
            String::new(),
            String::new(),
            published(a, Exact::from_decimal(d.amount)),
            match dates_text(finding) {
                Some(dates) => format!("{}；检查日期 {dates}", super::tables::finding_text(a, d)),
                None => super::tables::finding_text(a, d),
            },
            finding.ids.clone(),
        ));
    }
    for f in super::grade_vetoes(a, u) {
        let issue = &s.issues[f.issue];
        out.push((
            format!("一票否决：{}", issue.name),
            String::new(),
            String::new(),
            String::new(),
            format!(
                "等次定为{}",
                s.grades.last().map_or("", |g| g.name.as_str())
            ),
            f.ids.clone(),
        ));
    }
    out
}

/// The pooled parents of unit `u` that lost more than their leaves show
/// (a veto under the pool, the pool's own deduction): the points lost
/// there beyond the leaves' own, and why.
pub(super) fn parent_entries(a: &Assessment, u: usize) -> Vec<Entry> {
    let s = &a.system;
    let sc = &a.scores[u];
    super::sentences::gap_texts(a, u)
        .into_iter()
        .filter_map(|(i, why)| {
            let node = &s.indicators[i];
            let score = sc.indicators[i].unwrap_or(crate::num::Exact::ZERO);
            let children = node
                .children
                .iter()
                .filter_map(|&c| sc.indicators[c])
                .fold(crate::num::Exact::ZERO, |acc, x| acc.plus(x));
            let beyond = children.minus(score);
            (node.pool && beyond > crate::num::Exact::ZERO).then(|| {
                (
                    format!("{} {}（上级指标）", node.id, node.name),
                    published(a, node.points),
                    published(a, score),
                    published(a, beyond),
                    why,
                    String::new(),
                )
            })
        })
        .collect()
}

/// The ledger: every unit in publication order, its entries numbered.
pub fn ledger_grid(a: &Assessment) -> Grid<'_> {
    let s = &a.system;
    let deadline = s
        .feedback_deadline
        .map_or(String::new(), super::chinese_date);
    let mut rows = Vec::new();
    let leaves = s.leaves();
    for u in a.ordered_units() {
        let unit = &a.inputs.units[u];
        let st = &a.ranking.standings[u];
        let lost = entries(a, u, &leaves)
            .into_iter()
            .chain(parent_entries(a, u));
        for (item, points, score, lost, why, records) in lost {
            let number = rows.len() + 1;
            let num = |x: String| {
                if x.is_empty() {
                    Cell::from(x)
                } else {
                    Cell::Num(x.into())
                }
            };
            rows.push(vec![
                Cell::Num(number.to_string().into()),
                Cell::text(&s.groups[unit.group].name),
                Cell::text(&unit.id),
                Cell::text(&unit.name),
                Cell::Num(published(a, a.scores[u].total).into()),
                Cell::text(&s.grades[st.grade].name),
                Cell::from(item),
                num(points),
                num(score),
                num(lost),
                Cell::from(why),
                Cell::from(records),
                Cell::from(deadline.clone()),
                "".into(),
                "".into(),
                "".into(),
            ]);
        }
    }
    (HEADER.iter().map(|h| h.to_string()).collect(), rows)
}

pub struct LedgerXlsx;

impl Export for LedgerXlsx {
    fn file_name(&self) -> &'static str {
        "feedback.xlsx"
    }

    fn write(&self, a: &Assessment, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let grid = ledger_grid(a);
        let book = super::xlsx::ledger_book(a, "整改台账", &grid, &[4, 7, 8, 9])
            .map_err(super::cannot_build)?;
        out.write_all(&book)
    }
}
