//! The feedback of a combined result (`zwgk combine`): each unit's sheet
//! (`feedback/<unit id>.docx`) and the office's ledger (`feedback.xlsx`)
//! say how its annual result was made from the parts — each part's total,
//! weight, contribution and rank, the part in which it was vetoed — and
//! where to find each part's own sheet with the items it lost points on.

use super::cell::{Cell, Grid};
use super::docx::{body, closing, heading, pack, table, HEITI};
use super::published;
use crate::assess::Assessment;
use crate::error::Result;
use crate::num::Exact;

/// Unit `u`'s rows, one per part: (part, weight, total, rank in the part,
/// contribution = weight × total ÷ Σ weights, vetoed there).
fn part_rows(a: &Assessment, u: usize) -> Vec<[String; 6]> {
    let weights: rust_decimal::Decimal = a.parts.iter().map(|p| p.weight).sum();
    a.parts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let total = a.scores[u].indicators[k].unwrap_or(Exact::ZERO);
            let share = total.mul_dec(p.weight).over(Exact::from_decimal(weights));
            [
                p.label.clone(),
                p.weight.normalize().to_string(),
                published(a, total),
                match p.ranks.get(u) {
                    Some(&r) if r > 0 => format!("第{r}名"),
                    _ => "-".into(),
                },
                published(a, share),
                if p.vetoed.get(u) == Some(&true) {
                    "一票否决".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

/// Unit `u`'s parts as a table, its header first (for the results page).
pub fn part_table(a: &Assessment, u: usize) -> Vec<Vec<String>> {
    std::iter::once(PART_HEADER.iter().map(|h| h.to_string()).collect())
        .chain(part_rows(a, u).into_iter().map(Vec::from))
        .collect()
}

const PART_HEADER: [&str; 6] = ["部分", "权重", "总分", "名次", "折合得分", "否决"];

/// Unit `u`'s combined sheet.
pub fn sheet(a: &Assessment, u: usize, date: &str, notes: &[String]) -> Result<Vec<u8>> {
    let s = &a.system;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let st = &a.ranking.standings[u];
    let stem = crate::ingest::file_names::file_stem(&unit.id);
    let mut doc = super::feedback::sheet_top(a, "考核反馈单（合并结果）", &unit.name);
    let labels: Vec<&str> = a.parts.iter().map(|p| p.label.as_str()).collect();
    doc = doc.add_paragraph(body(&format!(
        "你单位（{}，{}）{}年度政务公开工作考核结果由{}按权重合并，合并总分{}分，在{}个单位中排第{}名，等次为“{}”{}，折合目标绩效考核{}分。",
        unit.id,
        s.groups[unit.group].name,
        s.year,
        labels.join("、"),
        published(a, sc.total),
        a.ranking.order[unit.group].len(),
        st.rank,
        s.grades[st.grade].name,
        if sc.vetoed { "（一票否决）" } else { "" },
        published(a, sc.performance_points),
    )));
    for sentence in notes {
        doc = doc.add_paragraph(body(sentence));
    }
    doc = doc.add_paragraph(heading("一、各部分得分", HEITI));
    let rows: Vec<Vec<String>> = part_rows(a, u).into_iter().map(Vec::from).collect();
    doc = doc.add_table(table(
        &PART_HEADER,
        &rows,
        &[2645, 1000, 1300, 1300, 1500, 1100],
        &[0],
    ));
    doc = doc.add_paragraph(body(&format!(
        "合并总分为各部分总分与权重之积的和除以权重之和{}；各项均按精确值计算后分别四舍五入，折合得分之和与合并总分可能存在尾差。",
        match (sc.vetoed, s.veto_cap) {
            (true, Some(cap)) => format!("，在任一部分被一票否决的，合并总分最多{}分", cap.normalize()),
            _ => String::new(),
        }
    )));
    doc = doc.add_paragraph(heading("二、各部分的失分明细", HEITI));
    doc = doc.add_paragraph(body(&format!(
        "各部分失分的指标、问题记录和整改要求，见该部分考核结果中的考核反馈单：{}。",
        labels
            .iter()
            .map(|l| format!("{l}的 feedback/{stem}.docx"))
            .collect::<Vec<_>>()
            .join("；")
    )));
    let issuer = s.issuer.clone().unwrap_or_default();
    doc = closing(doc, &issuer, date);
    pack(doc, &format!("feedback/{stem}.docx"))
}

/// Every unit's combined sheet, handed to `write` on all cores.
pub fn write_all(
    a: &Assessment,
    date: &str,
    write: impl Fn(String, Vec<u8>) -> Result<()> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    let units: Vec<usize> = a.ordered_units().collect();
    let notes = super::sentences::unit_notes(a);
    units.par_iter().try_for_each(|&u| {
        let name = format!(
            "feedback/{}.docx",
            crate::ingest::file_names::file_stem(&a.inputs.units[u].id)
        );
        write(name, sheet(a, u, date, &notes[u])?)
    })
}

/// The combined ledger: a row per unit and part, with the columns the
/// office fills in.
pub fn ledger_grid(a: &Assessment) -> Grid<'_> {
    let s = &a.system;
    let header = [
        "序号",
        "分组",
        "单位编码",
        "单位名称",
        "合并总分",
        "等次",
        "合并名次",
        "部分",
        "权重",
        "该部分总分",
        "该部分名次",
        "折合得分",
        "否决",
        "整改措施",
        "整改情况",
    ];
    let mut rows = Vec::new();
    for u in a.ordered_units() {
        let unit = &a.inputs.units[u];
        let st = &a.ranking.standings[u];
        for [part, weight, total, rank, share, veto] in part_rows(a, u) {
            rows.push(vec![
                Cell::Num((rows.len() + 1).to_string().into()),
                Cell::text(&s.groups[unit.group].name),
                Cell::text(&unit.id),
                Cell::text(&unit.name),
                Cell::Num(published(a, a.scores[u].total).into()),
                Cell::text(&s.grades[st.grade].name),
                Cell::Num(st.rank.to_string().into()),
                Cell::from(part),
                Cell::from(weight),
                Cell::Num(total.into()),
                Cell::from(rank),
                Cell::Num(share.into()),
                Cell::from(veto),
                "".into(),
                "".into(),
            ]);
        }
    }
    (header.iter().map(|h| h.to_string()).collect(), rows)
}
