//! The circulated notice (通报), `notice.md` and `notice.html`, rendered with
//! minijinja from the templates in `templates/` (built in) or an office's own
//! HTML template. HTML escapes every text from the inputs; the charts are
//! inlined as SVG so the file stands alone.

use super::charts;
use crate::assess::Assessment;
use crate::error::{Error, Result};
use crate::num::Exact;
use minijinja::{context, AutoEscape, Environment, Value};
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;

pub const MD_TEMPLATE: &str = include_str!("../../templates/notice.md.j2");
pub const HTML_TEMPLATE: &str = include_str!("../../templates/notice.html.j2");

#[derive(Serialize)]
struct Row {
    rank: u32,
    name: String,
    total: String,
    grade: String,
    vetoed: bool,
}

/// The units of one grade, in roster order (`publish = "grades"`).
#[derive(Serialize)]
struct GradeList {
    grade: String,
    units: String,
}

#[derive(Serialize)]
struct GroupSummary {
    id: String,
    name: String,
    /// （一）, （二）, …
    heading: String,
    units: usize,
    mean: String,
    spread: String,
    max: String,
    min: String,
    grade_counts: Vec<usize>,
    rows: Vec<Row>,
    grade_lists: Vec<GradeList>,
    /// Where a quota moved units down a grade: which, and why.
    quota_note: Option<String>,
    /// Units with equal totals: how the tie-breaks ordered them.
    tie_note: Option<String>,
    chart_svg: Option<Value>,
}

#[derive(Serialize)]
struct IssueLine {
    code: String,
    name: String,
    count: String,
    unit_count: usize,
    units: String,
}

/// A veto-level problem that occurred, and the units that had it.
#[derive(Serialize)]
struct VetoIssue {
    name: String,
    /// 一票否决 or 单项否决
    kind: String,
    units: String,
}

#[derive(Serialize)]
struct Vetoed {
    name: String,
    reason: String,
}

/// Mean and population standard deviation of exact totals, published.
fn mean_and_spread(totals: &[Exact], dp: u32) -> (String, String) {
    if totals.is_empty() {
        return ("-".into(), "-".into());
    }
    let n = Decimal::from(totals.len() as u64);
    let mean = totals.iter().fold(Exact::ZERO, |acc, t| acc + *t) / Exact::from_decimal(n);
    let var = totals.iter().fold(Exact::ZERO, |acc, t| {
        let d = *t - mean;
        acc + d * d
    }) / Exact::from_decimal(n);
    let sd = var.to_decimal().sqrt().unwrap_or_default();
    (
        mean.publish(dp).to_string(),
        Exact::from_decimal(sd).publish(dp).to_string(),
    )
}

fn group_summary(a: &Assessment, g: usize, position: usize) -> GroupSummary {
    let s = &a.system;
    let dp = s.precision;
    let members = &a.ranking.order[g];
    let totals: Vec<Exact> = members.iter().map(|&u| a.scores[u].total).collect();
    let (mean, spread) = mean_and_spread(&totals, dp);
    let mut grade_counts = vec![0; s.grades.len()];
    for &u in members {
        grade_counts[a.ranking.standings[u].grade] += 1;
    }
    let pick = |v: Option<&Exact>| v.map_or("-".to_string(), |x| x.publish(dp).to_string());
    GroupSummary {
        id: s.groups[g].id.clone(),
        name: s.groups[g].name.clone(),
        heading: format!("（{}）", numeral(position)),
        units: members.len(),
        mean,
        spread,
        max: pick(totals.iter().max()),
        min: pick(totals.iter().min()),
        grade_counts,
        rows: members
            .iter()
            .map(|&u| Row {
                rank: a.ranking.standings[u].rank,
                name: a.inputs.units[u].name.clone(),
                total: a.scores[u].total.publish(dp).to_string(),
                grade: s.grades[a.ranking.standings[u].grade].name.clone(),
                vetoed: a.scores[u].vetoed,
            })
            .collect(),
        grade_lists: grade_lists(a, g),
        quota_note: joined(super::sentences::quota_sentences(a, g, None)),
        tie_note: joined(super::sentences::tie_sentences(a, g, None)),
        chart_svg: None,
    }
}

/// 一, 二, …, 十, 十一, … for headings.
fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => format!("{}十{}", DIGITS[(n / 10).min(9)], DIGITS[n % 10]),
    }
}

/// "甲、乙、丙"
fn names(a: &Assessment, units: impl Iterator<Item = usize>) -> String {
    units
        .map(|u| a.inputs.units[u].name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// Each grade's units of group `g` in roster order.
fn grade_lists(a: &Assessment, g: usize) -> Vec<GradeList> {
    let mut members = a.ranking.order[g].clone();
    members.sort_unstable();
    a.system
        .grades
        .iter()
        .enumerate()
        .map(|(k, grade)| GradeList {
            grade: grade.name.clone(),
            units: names(
                a,
                members
                    .iter()
                    .copied()
                    .filter(|&u| a.ranking.standings[u].grade == k),
            ),
        })
        .collect()
}

/// Sentences as one paragraph, `None` when there are none.
fn joined(sentences: Vec<String>) -> Option<String> {
    (!sentences.is_empty()).then(|| sentences.concat())
}

/// Every veto-level problem that occurred, however rare, with its units.
fn veto_issues(a: &Assessment) -> Vec<VetoIssue> {
    use crate::config::Veto;
    a.system
        .issues
        .iter()
        .enumerate()
        .filter(|(_, i)| i.veto != Veto::None)
        .filter_map(|(k, issue)| {
            let units: Vec<usize> = a
                .ordered_units()
                .filter(|&u| a.inputs.findings_of(u).any(|f| f.issue == k && f.counts()))
                .collect();
            (!units.is_empty()).then(|| VetoIssue {
                name: issue.name.clone(),
                kind: match issue.veto {
                    Veto::Grade => "一票否决".into(),
                    _ => "单项否决，该项计0分".into(),
                },
                units: names(a, units.into_iter()),
            })
        })
        .collect()
}

fn svg(svgs: &[(String, String)], name: &str) -> Option<Value> {
    // plotters escapes every text it writes into the SVG.
    svgs.iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| Value::from_safe_string(s.clone()))
}

fn issue_lines(a: &Assessment) -> (Vec<IssueLine>, Decimal) {
    let counts = charts::issue_counts(a);
    let total = counts.iter().map(|c| c.1).sum();
    let lines = counts
        .iter()
        .take(10)
        .map(|(i, c, units)| {
            let issue = &a.system.issues[*i];
            let names: Vec<&str> = units
                .iter()
                .take(12)
                .map(|&u| a.inputs.units[u].name.as_str())
                .collect();
            // "甲、乙、丙等": 等 follows the last name, without a 、.
            let more = if units.len() > 12 { "等" } else { "" };
            IssueLine {
                code: issue.code.clone(),
                name: issue.name.clone(),
                count: c.normalize().to_string(),
                unit_count: units.len(),
                units: format!("{}{more}", names.join("、")),
            }
        })
        .collect();
    (lines, total)
}

fn vetoed_units(a: &Assessment) -> Vec<Vetoed> {
    a.ordered_units()
        .filter(|&u| a.scores[u].vetoed)
        .map(|u| {
            let mut reasons: Vec<String> = super::grade_vetoes(a, u)
                .map(|f| a.system.issues[f.issue].name.clone())
                .collect();
            let parts: Vec<&str> = a
                .parts
                .iter()
                .filter(|p| p.vetoed.get(u) == Some(&true))
                .map(|p| p.label.as_str())
                .collect();
            if !parts.is_empty() {
                reasons.push(format!("在{}中被一票否决", parts.join("、")));
            }
            Vetoed {
                name: a.inputs.units[u].name.clone(),
                reason: reasons.join("、"),
            }
        })
        .collect()
}

/// Where `{{ font_face }}` puts the embedded font's `@font-face` rule in an
/// HTML template (replaced after rendering).
const FONT_FACE_MARK: &str = "ZWGK_EMBEDDED_FONT_FACE";

/// The notice's facts, without the charts.
fn build_context(a: &Assessment, date: &str) -> Value {
    let s = &a.system;
    let all: Vec<Exact> = a.scores.iter().map(|x| x.total).collect();
    let (mean, spread) = mean_and_spread(&all, s.precision);
    let groups: Vec<GroupSummary> = (0..s.groups.len())
        .filter(|&g| !a.ranking.order[g].is_empty())
        .enumerate()
        .map(|(k, g)| group_summary(a, g, k + 1))
        .collect();
    let (issues, issue_total) = issue_lines(a);
    context! {
        title => title(a),
        overview => overview(a, &mean),
        no_issues_text => no_issues_text(a),
        period => a.period.as_ref().map(|p| p.label(s.year)),
        doc_number => s.notice_doc_number.clone(),
        addressee => s.notice_addressee.clone(),
        publish_grades => s.publish == crate::config::Publish::Grades,
        veto_issues => veto_issues(a),
        issuer => s.issuer.clone().unwrap_or_default(),
        date => date,
        draft => a.draft,
        name => s.name.clone(),
        year => s.year,
        full_score => s.full_score.to_string(),
        weight_percent => s.weight_percent.to_string(),
        precision => s.precision,
        units => a.inputs.units.len(),
        mean => mean,
        spread => spread,
        grade_names => s.grades.iter().map(|g| g.name.clone()).collect::<Vec<_>>(),
        last_grade => s.grades.last().map(|g| g.name.clone()).unwrap_or_default(),
        groups => groups,
        issues => issues,
        issue_total => issue_total.normalize().to_string(),
        vetoed => vetoed_units(a),
        requirements => s.notice_requirements.clone(),
        distribution_svg => None::<Value>,
        issues_svg => None::<Value>,
        font_face => FONT_FACE_MARK,
    }
}

/// The notice's title: the office's own, or 关于…结果的通报; a period run
/// names the period (（2023年第一季度）).
fn title(a: &Assessment) -> String {
    let s = &a.system;
    let label = a.period.as_ref().map(|p| p.label(s.year));
    match (&s.notice_title, label) {
        (Some(t), None) => t.clone(),
        (Some(t), Some(l)) => format!("{t}（{l}）"),
        (None, None) => format!("关于{}结果的通报", s.name),
        (None, Some(l)) => format!("关于{}（{l}）结果的通报", s.name),
    }
}

/// 一、总体情况's first paragraph: what was assessed over which time, and
/// the appeals heard.
fn overview(a: &Assessment, mean: &str) -> String {
    let s = &a.system;
    if !a.parts.is_empty() {
        return combined_overview(a, mean);
    }
    let when = match &a.period {
        Some(p) => format!(
            "{}（{}至{}）",
            p.label(s.year),
            super::chinese_date(p.from),
            super::chinese_date(p.to)
        ),
        None => format!("{}年度", s.year),
    };
    let mut text = format!(
        "根据《{}》安排，对{}个单位{when}政务公开工作进行了考核。考核满分{}分，政务公开在目标绩效考核中的权重为{}%。全部单位平均得分{mean}分。",
        s.name,
        a.inputs.units.len(),
        s.full_score,
        s.weight_percent,
    );
    if let Some(c) = &a.inputs.appeals {
        text.push_str(&if c.total() == 0 {
            "考核期间未收到对检查结果的申诉。".to_string()
        } else {
            let decided: Vec<String> =
                [("撤销", c.revoked), ("改为", c.changed), ("维持", c.upheld)]
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(what, n)| format!("{what}{n}条"))
                    .collect();
            format!(
                "各单位对检查结果提出申诉{}件，经复核，{}，已按复核结果计分。",
                c.total(),
                decided.join("、")
            )
        });
    }
    text
}

/// 一、's first paragraph of a combined result: how the parts were weighted.
fn combined_overview(a: &Assessment, mean: &str) -> String {
    let s = &a.system;
    let parts: Vec<String> = a
        .parts
        .iter()
        .map(|p| match &p.period {
            Some(q) if q.name == p.label => format!("{}（权重{}）", q.label(s.year), p.weight),
            _ => format!("{}（权重{}）", p.label, p.weight),
        })
        .collect();
    format!(
        "根据《{}》安排，{}年度考核结果由{}个部分按权重合并：{}。每个单位的合并得分为各部分总分与权重之积的和除以权重之和（任一部分被一票否决的，合并结果同样否决）。对{}个单位合并后，考核满分{}分，政务公开在目标绩效考核中的权重为{}%，全部单位平均得分{mean}分。",
        s.name,
        s.year,
        a.parts.len(),
        parts.join("，"),
        a.inputs.units.len(),
        s.full_score,
        s.weight_percent,
    )
}

/// What 三、 says when no problem is listed.
fn no_issues_text(a: &Assessment) -> &'static str {
    if a.parts.is_empty() {
        "考核检查未发现问题记录。"
    } else {
        "本结果由各部分考核结果合并而成，检查发现的问题见各部分的通报。"
    }
}

/// Escapes text for a Markdown table cell or line.
fn md(text: String) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// HTML of a title with each （…） kept on one line, so that a line never
/// breaks inside the parentheses (…（演 / 示）); the text is escaped.
fn nobreak_parens(text: String) -> Value {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let mut out = String::new();
    let mut rest = escaped.as_str();
    while let Some(open) = rest.find('（') {
        match rest[open..].find('）') {
            Some(close) => {
                let end = open + close + '）'.len_utf8();
                out.push_str(&rest[..open]);
                out.push_str(&format!("<span class=\"nb\">{}</span>", &rest[open..end]));
                rest = &rest[end..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    Value::from_safe_string(out)
}

fn render(template: &str, name: &str, escape: AutoEscape, ctx: Value) -> Result<String> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(move |_| escape);
    env.add_filter("md", md);
    env.add_filter("nobreak_parens", nobreak_parens);
    env.add_template(name, template).map_err(|e| {
        Error::Usage(crate::tr!(
            "通报模板 {name}：{e}",
            "notice template {name}: {e}"
        ))
    })?;
    let tmpl = env.get_template(name).map_err(|e| {
        Error::Usage(crate::tr!(
            "通报模板 {name}：{e}",
            "notice template {name}: {e}"
        ))
    })?;
    tmpl.render(ctx).map_err(|e| {
        Error::Usage(crate::tr!(
            "通报模板 {name}：{e}",
            "notice template {name}: {e}"
        ))
    })
}

/// `notice.md` and `notice.html`; `html_template` replaces the built-in
/// HTML template; `svgs` are the rendered charts (empty with --no-charts).
/// The notice's facts as JSON, for notice.docx (the same as the HTML's and
/// Markdown's, without the inline charts).
/// The notice's facts without its charts, built once: the Markdown is
/// rendered from them and the .docx is written from them; the
/// HTML has its own, with the charts inline. At 100,000 units building
/// them is a quarter of a second.
pub struct Facts(Value);

pub fn facts(a: &Assessment, date: &str) -> Facts {
    Facts(build_context(a, date))
}

/// The facts with the charts inline (the HTML's): each group's ranking
/// chart, the distribution and the issues, laid over the facts, which are
/// shared, not built again (at 100,000 units, a quarter of a second).
fn with_charts(facts: &Value, svgs: &[(String, String)]) -> Value {
    let groups: Vec<Value> = facts
        .get_attr("groups")
        .ok()
        .and_then(|g| g.try_iter().ok())
        .into_iter()
        .flatten()
        .map(|g| {
            let id = g
                .get_attr("id")
                .map(|id| id.to_string())
                .unwrap_or_default();
            context! { chart_svg => svg(svgs, &format!("rank-{id}")), ..g }
        })
        .collect();
    context! {
        groups => groups,
        distribution_svg => svg(svgs, "distribution"),
        issues_svg => svg(svgs, "issues"),
        ..facts.clone()
    }
}

impl Facts {
    /// The facts as the .docx reads them.
    pub fn value(&self) -> &Value {
        &self.0
    }
}

/// notice.md from the facts, notice.html from the facts with the charts.
pub fn render_notice(
    facts: &Facts,
    svgs: &[(String, String)],
    html_template: Option<&str>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let md_text = render(MD_TEMPLATE, "notice.md", AutoEscape::None, facts.0.clone())?;
    let html = render(
        html_template.unwrap_or(HTML_TEMPLATE),
        "notice.html",
        AutoEscape::Html,
        with_charts(&facts.0, svgs),
    )?;
    // The font is cut to the characters the notice uses, so it is made
    // after the text and put where the template asks for it.
    let html = match html.contains(FONT_FACE_MARK) {
        true => html.replacen(FONT_FACE_MARK, &super::font::web_font_face(&html)?, 1),
        false => html,
    };
    Ok(vec![
        ("notice.md".into(), md_text.into_bytes()),
        ("notice.html".into(), html.into_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_population_spread_are_exact_then_rounded() {
        let t = [
            Exact::from_int(90),
            Exact::from_int(80),
            Exact::from_int(70),
        ];
        // mean 80, variance (100 + 0 + 100) / 3 = 66.67, sd 8.1650
        assert_eq!(
            mean_and_spread(&t, 2),
            ("80.00".to_string(), "8.16".to_string())
        );
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md("a|b<c>".into()), "a\\|b&lt;c&gt;");
    }
}
