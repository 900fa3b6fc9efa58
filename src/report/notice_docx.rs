//! `notice.docx` itself: the notice's facts (the same context as
//! notice.html and notice.md, read as JSON) laid out with the official
//! page of [`super::docx`]: title, 一、 to 四、, the tables and the ranking
//! pictures, the issuer and the date.

use super::docx::*;
use crate::error::Result;
use docx_rs::Paragraph;
use minijinja::Value;

/// A field of the notice's facts (undefined when absent).
fn field(v: &Value, key: &str) -> Value {
    v.get_attr(key).unwrap_or_default()
}

/// A text field ("" when absent or not text).
fn text(v: &Value, key: &str) -> String {
    field(v, key).as_str().unwrap_or_default().to_string()
}

/// A field as written (a number: its digits).
fn shown(v: &Value, key: &str) -> String {
    field(v, key).to_string()
}

/// A list field's items (none when absent).
fn list(v: &Value, key: &str) -> Vec<Value> {
    field(v, key)
        .try_iter()
        .map(|items| items.collect())
        .unwrap_or_default()
}

/// The notice as a .docx: `ctx` is the notice's context (as for the
/// HTML and Markdown), `charts` the run's chart files.
pub fn notice_docx(ctx: &Value, charts: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut doc = official_page().draft_header(field(ctx, "draft").is_true());
    // A group's ranking is printed as pieces `rank-<group>-1.png`, `-2`, …
    let chart_pieces = |name: &str| -> Vec<Paragraph> {
        let prefix = format!("charts/{name}-");
        charts
            .iter()
            .filter(|(n, _)| {
                n.strip_prefix(&prefix)
                    .and_then(|k| k.strip_suffix(".png"))
                    .is_some_and(|k| k.parse::<usize>().is_ok())
            })
            .filter_map(|(_, png)| picture(png))
            .collect()
    };
    if field(ctx, "draft").is_true() {
        doc = doc.add_paragraph(centered(
            "【征求意见稿】本稿含尚未审核通过的报送材料，仅供征求意见，不得作为正式考核结果引用。",
            HEITI,
            28,
            LINE,
        ));
    }
    let number = text(ctx, "doc_number");
    if !number.is_empty() {
        doc = doc.add_paragraph(centered(&number, FANGSONG, BODY, LINE));
        doc = doc.add_paragraph(blank());
    }
    doc = doc.add_paragraph(centered(&text(ctx, "title"), XIAOBIAOSONG, 44, 700));
    doc = doc.add_paragraph(blank());
    let addressee = text(ctx, "addressee");
    if !addressee.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(&addressee, FANGSONG, BODY))
                .line_spacing(exact(LINE)),
        );
    }
    // 一、总体情况
    doc = doc.add_paragraph(heading("一、总体情况", HEITI));
    doc = doc.add_paragraph(body(&text(ctx, "overview")));
    let grade_names: Vec<String> = list(ctx, "grade_names")
        .iter()
        .filter_map(|g| g.as_str().map(String::from))
        .collect();
    let mut header = vec!["分组", "单位数", "平均分", "最高分", "最低分"];
    header.extend(grade_names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = list(ctx, "groups")
        .iter()
        .map(|g| {
            let mut r = vec![
                text(g, "name"),
                shown(g, "units"),
                text(g, "mean"),
                text(g, "max"),
                text(g, "min"),
            ];
            r.extend(list(g, "grade_counts").iter().map(|c| c.to_string()));
            r
        })
        .collect();
    // Scores wide enough for "100.00", every header on one line, the group
    // names taking what is left.
    let mut widths: Vec<usize> = header
        .iter()
        .enumerate()
        .map(|(k, h)| match k {
            0 => 0,
            2..=4 => header_width(h).max(1000),
            _ => header_width(h),
        })
        .collect();
    let used: usize = widths.iter().sum();
    widths[0] = TEXT_WIDTH.saturating_sub(used).max(1200);
    doc = doc.add_table(table(&header, &rows, &widths, &[]));
    // 二、考核结果
    doc = doc.add_paragraph(heading("二、考核结果", HEITI));
    let grades_only = field(ctx, "publish_grades").is_true();
    for g in &list(ctx, "groups") {
        let title = format!("{}{}", text(g, "heading"), text(g, "name"));
        doc = doc.add_paragraph(heading(&title, KAITI));
        if grades_only {
            for l in &list(g, "grade_lists") {
                let units = text(l, "units");
                if !units.is_empty() {
                    doc = doc.add_paragraph(body(&format!("{}：{}。", text(l, "grade"), units)));
                }
            }
        } else {
            let rows: Vec<Vec<String>> = list(g, "rows")
                .iter()
                .map(|r| {
                    let veto = if field(r, "vetoed").is_true() {
                        "（否决）"
                    } else {
                        ""
                    };
                    vec![
                        shown(r, "rank"),
                        text(r, "name"),
                        text(r, "total"),
                        format!("{}{veto}", text(r, "grade")),
                    ]
                })
                .collect();
            doc = doc.add_table(table(
                &["名次", "单位", "总分", "等次"],
                &rows,
                &[1100, 4245, 1600, 1900],
                &[],
            ));
            for p in chart_pieces(&format!("rank-{}", text(g, "id"))) {
                doc = doc.add_paragraph(p);
            }
        }
        for note in ["tie_note", "quota_note"] {
            let sentence = text(g, note);
            if !sentence.is_empty() {
                doc = doc.add_paragraph(body(&sentence));
            }
        }
    }
    // 三、存在的主要问题
    doc = doc.add_paragraph(heading("三、存在的主要问题", HEITI));
    let vetoes: Vec<String> = list(ctx, "veto_issues")
        .iter()
        .map(|v| {
            format!(
                "{}（{}），涉及{}",
                text(v, "name"),
                text(v, "kind"),
                text(v, "units")
            )
        })
        .collect();
    if !vetoes.is_empty() {
        doc = doc.add_paragraph(body(&format!("考核发现否决事项：{}。", vetoes.join("；"))));
    }
    let vetoed: Vec<String> = list(ctx, "vetoed")
        .iter()
        .map(|v| format!("{}（{}）", text(v, "name"), text(v, "reason")))
        .collect();
    if !vetoed.is_empty() {
        doc = doc.add_paragraph(body(&format!(
            "以下单位存在一票否决情形，考核等次确定为“{}”：{}。",
            text(ctx, "last_grade"),
            vetoed.join("；")
        )));
    }
    let issues = list(ctx, "issues");
    if issues.is_empty() {
        doc = doc.add_paragraph(body(&text(ctx, "no_issues_text")));
    } else {
        doc = doc.add_paragraph(body(&format!(
            "考核检查共发现问题{}个（次），出现较多的问题有：",
            text(ctx, "issue_total")
        )));
        for (k, i) in issues.iter().enumerate() {
            doc = doc.add_paragraph(body(&format!(
                "{}. {}：{}次，涉及{}个单位（{}）。",
                k + 1,
                text(i, "name"),
                text(i, "count"),
                shown(i, "unit_count"),
                text(i, "units")
            )));
        }
    }
    // 四、下步工作要求
    doc = doc.add_paragraph(heading("四、下步工作要求", HEITI));
    for (k, r) in list(ctx, "requirements").iter().enumerate() {
        doc = doc.add_paragraph(body(&format!(
            "{}. {}",
            k + 1,
            r.as_str().unwrap_or_default()
        )));
    }
    doc = doc.add_paragraph(body(&format!(
        "注：各项得分均按精确值分别四舍五入至{}位小数，分项之和与总分可能存在尾差。",
        shown(ctx, "precision")
    )));
    // 落款 and 成文日期, right-aligned four characters from the margin.
    doc = closing(doc, &text(ctx, "issuer"), &text(ctx, "date"));
    pack(doc, "notice.docx")
}
