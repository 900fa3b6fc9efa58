//! `feedback/<unit id>.docx`: each unit's account of its score (考核反馈单),
//! so that it can rectify (整改) what was found, in the notice's document
//! style: its standing, a table of every item where it lost points and
//! why (from the same entries as the ledger, feedback.xlsx), the items that
//! did not apply to it and why, bonus and penalty, then the deadline and
//! requirements of `[feedback]`. File names come from unit ids, never
//! names.

use super::docx::{
    blank, body, centered, closing, heading, official_page, pack, run, table, BODY, FANGSONG,
    HEITI, LINE, XIAOBIAOSONG,
};
use super::ledger::entries;
use super::published;
use super::tables::leaf_status;
use crate::assess::Assessment;
use crate::error::Result;

/// Unit `u`'s feedback sheet (`leaves`: the system's, in tree order).
pub fn sheet(
    a: &Assessment,
    u: usize,
    leaves: &[usize],
    date: &str,
    notes: &[String],
) -> Result<Vec<u8>> {
    let s = &a.system;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let mut doc = sheet_top(a, "考核反馈单", &unit.name);
    doc = doc.add_paragraph(body(&format!(
        "{}现将失分情况反馈如下，请认真整改。",
        standing(a, u)
    )));
    for sentence in notes {
        doc = doc.add_paragraph(body(sentence));
    }
    doc = doc.add_paragraph(heading("一、失分情况", HEITI));
    let mut lost = entries(a, u, leaves);
    lost.extend(super::ledger::parent_entries(a, u));
    if lost.is_empty() {
        doc = doc.add_paragraph(body("各项指标均未失分。"));
    } else {
        let rows: Vec<Vec<String>> = lost
            .into_iter()
            .map(|(item, points, score, lost, why, records)| {
                let why = if records.is_empty() {
                    why
                } else {
                    format!("{why}（记录 {records}）")
                };
                vec![item, points, score, lost, why]
            })
            .collect();
        doc = doc.add_table(table(
            &["指标或事项", "分值", "得分", "失分", "存在问题及依据"],
            &rows,
            &[2400, 800, 800, 800, 4045],
            &[0, 4],
        ));
    }
    let appealed: Vec<String> = a
        .inputs
        .findings_of(u)
        .filter(|f| f.appealed > 0)
        .map(|f| format!("{}：记录 {}", s.issues[f.issue].name, f.ids))
        .collect();
    if !appealed.is_empty() {
        doc = doc.add_paragraph(body(&format!(
            "你单位申诉的检查记录经复核：{}。",
            appealed.join("；")
        )));
    }
    let not_applicable: Vec<String> = leaves
        .iter()
        .copied()
        .filter(|&l| sc.indicators[l].is_none())
        .map(|l| {
            let node = &s.indicators[l];
            format!("{} {}（{}）", node.id, node.name, leaf_status(a, u, l))
        })
        .collect();
    doc = doc.add_paragraph(heading("二、不涉及的指标", HEITI));
    doc = doc.add_paragraph(body(&if not_applicable.is_empty() {
        "无。".to_string()
    } else {
        format!(
            "{}。以上指标不计分，按适用指标的分值折算。",
            not_applicable.join("；")
        )
    }));
    for (i, why) in super::sentences::gap_texts(a, u) {
        if !s.indicators[i].pool {
            doc = doc.add_paragraph(body(&format!("{why}。")));
        }
    }
    let ev = &a.evidence[u];
    let bonus: Vec<String> = ev
        .bonus_items
        .iter()
        .map(|&(b, count, amount)| {
            let item = &s.bonuses[b];
            format!(
                "{} {}次，计{}分",
                item.name,
                count.normalize(),
                amount.normalize()
            )
        })
        .collect();
    doc = doc.add_paragraph(heading("三、加分和扣分", HEITI));
    doc = doc.add_paragraph(body(&format!(
        "加分{}分{}；扣分{}分。",
        published(a, sc.bonus),
        if bonus.is_empty() {
            String::new()
        } else {
            format!("（{}）", bonus.join("；"))
        },
        published(a, sc.penalty)
    )));
    doc = doc.add_paragraph(heading("四、得分构成", HEITI));
    doc = doc.add_table(table(
        &["项目", "分值", "得分", "计算"],
        &composition(a, u, leaves),
        &[2400, 900, 900, 4645],
        &[0, 3],
    ));
    doc = doc.add_paragraph(heading("五、整改要求", HEITI));
    if let Some(deadline) = s.feedback_deadline {
        doc = doc.add_paragraph(body(&format!(
            "请于{}前完成整改，并将整改情况报送考核办公室。",
            super::chinese_date(deadline)
        )));
    }
    if s.feedback_requirements.is_empty() {
        doc = doc.add_paragraph(body(
            "请对照上述失分情况，逐项分析原因，落实整改措施，举一反三，建立长效机制。",
        ));
    }
    for (k, r) in s.feedback_requirements.iter().enumerate() {
        doc = doc.add_paragraph(body(&format!("{}. {r}", k + 1)));
    }
    let issuer = s.issuer.clone().unwrap_or_default();
    doc = closing(doc, &issuer, date);
    pack(
        doc,
        &format!(
            "feedback/{}.docx",
            crate::ingest::file_names::file_stem(&unit.id)
        ),
    )
}

/// A sheet's first lines: 征求意见稿 for a draft (and in every page's
/// header), the assessment's name and `title`, and the unit addressed.
pub(super) fn sheet_top(a: &Assessment, title: &str, unit_name: &str) -> super::docx::Doc {
    let mut doc = official_page().draft_header(a.draft);
    if a.draft {
        doc = doc.add_paragraph(centered("【征求意见稿】", HEITI, BODY, LINE));
    }
    doc.add_paragraph(centered(&a.system.name, XIAOBIAOSONG, 44, 700))
        .add_paragraph(centered(title, XIAOBIAOSONG, 44, 700))
        .add_paragraph(blank())
        .add_paragraph(
            docx_rs::Paragraph::new()
                .add_run(run(&format!("{unit_name}："), FANGSONG, BODY))
                .line_spacing(super::docx::exact(LINE)),
        )
}

/// The sheet's first sentence: the unit's total, its parts, its rank and
/// grade, in the words of the period the run scored.
pub(super) fn standing(a: &Assessment, u: usize) -> String {
    let s = &a.system;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let st = &a.ranking.standings[u];
    format!(
        "你单位（{}，{}）{}政务公开工作考核总分{}分（基础得分{}分，加分{}分，扣分{}分），在{}个单位中排第{}名，等次为“{}”{}，折合目标绩效考核{}分。",
        unit.id,
        s.groups[unit.group].name,
        super::year_words(a),
        published(a, sc.total),
        published(a, sc.base),
        published(a, sc.bonus),
        published(a, sc.penalty),
        a.ranking.order[unit.group].len(),
        st.rank,
        s.grades[st.grade].name,
        if sc.vetoed { "（一票否决）" } else { "" },
        published(a, sc.performance_points),
    )
}

/// Every unit's sheet, rendered and handed to `write` on all cores: each
/// sheet is written as soon as it is made (memory holds one a core), and
/// the writing of one overlaps the making of the next (creating a file
/// takes 0.3 ms here; a province has thousands).
pub fn write_all(
    a: &Assessment,
    date: &str,
    write: impl Fn(String, Vec<u8>) -> Result<()> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    let units: Vec<usize> = a.ordered_units().collect();
    let leaves = a.system.leaves();
    let notes = super::sentences::unit_notes(a);
    units.par_iter().try_for_each(|&u| {
        let bytes = sheet(a, u, &leaves, date, &notes[u])?;
        let name = format!(
            "feedback/{}.docx",
            crate::ingest::file_names::file_stem(&a.inputs.units[u].id)
        );
        write(name, bytes)
    })
}

/// How unit `u`'s total is made: each top-level indicator's score, then
/// the base total (with any conversion), bonus, penalty, a veto and the
/// total with its floors and caps — the rows the breakdown closes with.
pub(super) fn composition(a: &Assessment, u: usize, leaves: &[usize]) -> Vec<Vec<String>> {
    let s = &a.system;
    let sc = &a.scores[u];
    let mut rows: Vec<Vec<String>> = s
        .roots
        .iter()
        .map(|&r| {
            let node = &s.indicators[r];
            vec![
                format!("{} {}", node.id, node.name),
                published(a, node.points),
                sc.indicators[r].map_or("不涉及".into(), |x| published(a, x)),
                String::new(),
            ]
        })
        .collect();
    // The parents' rows are in the table of lost items and section 二.
    let closing = super::account::closing_rows(a, u, leaves);
    for closing in closing.iter().filter(|c| c[3].as_str() != "上级指标") {
        let text = |c: &super::cell::Cell| c.as_str().to_string();
        rows.push(vec![
            text(&closing[1]),
            text(&closing[4]),
            text(&closing[5]),
            text(&closing[9]),
        ]);
    }
    rows
}
