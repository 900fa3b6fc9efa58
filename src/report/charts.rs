//! The charts of a run, as `charts/<name>.png` and `.svg`: each group's
//! ranking coloured by grade with grade thresholds, each group's top-level
//! indicator scores stacked, the most frequent inspection problems and the
//! distribution of totals over the grade bands. File names come from group
//! ids only.

use super::draw::{self, Bar, HBarChart, GRADE_COLORS, SERIES_COLORS};
use super::histogram::Histogram;
use crate::assess::Assessment;
use crate::error::Result;
use crate::num::Exact;

fn color_of_grade(g: usize) -> draw::Rgb {
    GRADE_COLORS[g.min(GRADE_COLORS.len() - 1)]
}

fn f(x: Exact) -> f64 {
    x.to_f64()
}

/// The x range of score charts: full score, or more when totals may exceed it.
fn score_axis(a: &Assessment) -> f64 {
    let full = f(a.system.full_score.into());
    a.scores.iter().map(|s| f(s.total)).fold(full, f64::max)
}

fn grade_legend(a: &Assessment) -> Vec<(String, draw::Rgb)> {
    let s = &a.system;
    s.grades
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let next = i.checked_sub(1).map(|p| &s.grades[p].min);
            let range = match next {
                None => format!("≥{}", g.min.normalize()),
                Some(upper) => format!("{}–{}", g.min.normalize(), upper.normalize()),
            };
            (format!("{} {range}", g.name), color_of_grade(i))
        })
        .collect()
}

/// Most bars one chart shows; a larger group shows its first and last
/// `MAX_BARS / 2` units with a marker row between (a province's group of
/// thousands would otherwise make an unreadable, gigabyte-sized image).
pub const MAX_BARS: usize = 150;

/// The members to draw, `None` standing for the omitted middle.
fn visible(members: &[usize]) -> Vec<Option<usize>> {
    if members.len() <= MAX_BARS {
        return members.iter().copied().map(Some).collect();
    }
    let half = MAX_BARS / 2;
    let mut out: Vec<Option<usize>> = members[..half].iter().copied().map(Some).collect();
    out.push(None);
    out.extend(members[members.len() - half..].iter().copied().map(Some));
    out
}

fn omitted_bar(members: &[usize]) -> Bar {
    Bar {
        label: format!("…… 省略{}个单位 ……", members.len() - MAX_BARS / 2 * 2),
        segments: Vec::new(),
        end_text: String::new(),
    }
}

/// The ranking of one group: best on top, coloured by grade.
pub fn ranking(a: &Assessment, group: usize) -> HBarChart {
    let s = &a.system;
    let members = &a.ranking.order[group];
    let bars = visible(members)
        .into_iter()
        .map(|row| {
            let Some(u) = row else {
                return omitted_bar(members);
            };
            let st = &a.ranking.standings[u];
            let total = a.scores[u].total;
            let veto = if a.scores[u].vetoed {
                "（否决）"
            } else {
                ""
            };
            Bar {
                label: format!("{}. {}", st.rank, a.inputs.units[u].name),
                segments: vec![(f(total), color_of_grade(st.grade))],
                end_text: format!(
                    "{} {}{veto}",
                    total.publish(s.precision),
                    s.grades[st.grade].name
                ),
            }
        })
        .collect();
    HBarChart {
        title: format!("{}{} 考核得分排名", period_prefix(a), s.groups[group].name),
        legend: grade_legend(a),
        bars,
        x_min: 0.0,
        x_max: score_axis(a),
        width: crate::report::draw::WIDTH,
        thresholds: s
            .grades
            .iter()
            .filter(|g| !g.min.is_zero())
            .map(|g| (f(g.min.into()), format!("{} {}", g.name, g.min.normalize())))
            .collect(),
        note: draft_note(a, "等次按名额比例和并列规则确定，颜色表示最终等次"),
    }
}

/// Each unit's top-level indicator scores, stacked, in ranking order. Where
/// some indicators are N/A for a unit, the others are scaled up by the same
/// rescaling the total uses, so the bar ends at the base score.
pub fn indicators(a: &Assessment, group: usize) -> HBarChart {
    let s = &a.system;
    let members = &a.ranking.order[group];
    let color = |k: usize| SERIES_COLORS[k % SERIES_COLORS.len()];
    let legend = s
        .roots
        .iter()
        .enumerate()
        .filter(|(_, &r)| members.iter().any(|&u| a.scores[u].indicators[r].is_some()))
        .map(|(k, &r)| {
            let node = &s.indicators[r];
            (
                format!(
                    "{} ({}分)",
                    node.name,
                    node.points.publish(s.precision).normalize()
                ),
                color(k),
            )
        })
        .collect();
    let bars = visible(members)
        .into_iter()
        .map(|row| {
            let Some(u) = row else {
                return omitted_bar(members);
            };
            let sc = &a.scores[u];
            let sum: f64 = s
                .roots
                .iter()
                .filter_map(|&r| sc.indicators[r])
                .map(f)
                .sum();
            let scale = if sum > 0.0 { f(sc.base) / sum } else { 1.0 };
            Bar {
                label: format!(
                    "{}. {}",
                    a.ranking.standings[u].rank, a.inputs.units[u].name
                ),
                segments: s
                    .roots
                    .iter()
                    .enumerate()
                    .map(|(k, &r)| (sc.indicators[r].map_or(0.0, |x| f(x) * scale), color(k)))
                    .collect(),
                end_text: sc.base.publish(s.precision).to_string(),
            }
        })
        .collect();
    HBarChart {
        title: format!("{}{} 各项指标得分", period_prefix(a), s.groups[group].name),
        legend,
        bars,
        x_min: 0.0,
        x_max: score_axis(a),
        width: crate::report::draw::WIDTH,
        thresholds: Vec::new(),
        note: draft_note(
            a,
            "条末数字为基础得分 (不含加分、扣分)；有不涉及指标的单位，其余指标按适用分值同比折算",
        ),
    }
}

/// Issues by number of occurrences: (issue index, occurrences, units in
/// roster order).
pub fn issue_counts(a: &Assessment) -> Vec<(usize, rust_decimal::Decimal, Vec<usize>)> {
    let n_units = a.inputs.units.len();
    let mut counts = vec![rust_decimal::Decimal::ZERO; a.system.issues.len()];
    let mut seen = vec![vec![false; n_units]; a.system.issues.len()];
    for f in a.inputs.findings.iter().filter(|f| f.counts()) {
        counts[f.issue] += f.count;
        seen[f.issue][f.unit] = true;
    }
    let mut out: Vec<_> = counts
        .into_iter()
        .zip(seen)
        .enumerate()
        .filter(|(_, (c, _))| !c.is_zero())
        .map(|(i, (c, seen))| (i, c, (0..n_units).filter(|&u| seen[u]).collect()))
        .collect();
    out.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    out
}

/// The most frequent inspection problems (at most 15).
pub fn issues(a: &Assessment) -> HBarChart {
    let counts = issue_counts(a);
    let top: Vec<_> = counts.iter().take(15).collect();
    let x_max = top.first().map_or(1.0, |t| f(t.1.into()));
    let bars = top
        .iter()
        .map(|(i, c, units)| {
            let issue = &a.system.issues[*i];
            // By name, as the notice names problems: codes are the office's
            // shorthand, not the reader's.
            Bar {
                label: issue.name.clone(),
                segments: vec![(f((*c).into()), SERIES_COLORS[0])],
                end_text: format!("{}次，{}个单位", c.normalize(), units.len()),
            }
        })
        .collect();
    HBarChart {
        title: format!("{}检查发现的主要问题", period_prefix(a)),
        legend: Vec::new(),
        bars,
        x_min: 0.0,
        x_max,
        width: crate::report::draw::WIDTH,
        thresholds: Vec::new(),
        note: draft_note(a, "按问题出现次数排序，最多列出15类"),
    }
}

/// The distribution of totals over the grade bands.
pub fn distribution(a: &Assessment) -> Histogram {
    let s = &a.system;
    let x_max = score_axis(a);
    let mut bands = Vec::new();
    let mut upper = x_max;
    for (i, g) in s.grades.iter().enumerate() {
        let from = f(g.min.into());
        bands.push((from, upper, g.name.clone(), color_of_grade(i)));
        upper = from;
    }
    Histogram {
        title: format!(
            "{}{} 总分分布 ({}个单位)",
            period_prefix(a),
            s.name,
            a.inputs.units.len()
        ),
        x_max,
        bin_width: x_max / 20.0,
        values: a.scores.iter().map(|sc| f(sc.total)).collect(),
        bands,
        note: draft_note(
            a,
            "背景色为等次分数段 (按分数；名额比例与否决可能使实际等次低于分数段)",
        ),
    }
}

fn draft_note(a: &Assessment, note: &str) -> String {
    if a.draft {
        format!("征求意见稿 · {note}")
    } else {
        note.to_string()
    }
}

/// Every chart of a run: (relative path, bytes), PNG and SVG, plus the SVG
/// texts by name for the notice.
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    pub svgs: Vec<(String, String)>,
    /// The ranking charts drawn for print (notice.docx), as
    /// `charts/rank-<group>.png`: narrower, so that their text prints at
    /// 9 pt or more at the page's text width.
    pub print: Vec<(String, Vec<u8>)>,
}

pub fn render_all(a: &Assessment) -> Result<Rendered> {
    let mut out = Rendered {
        files: Vec::new(),
        svgs: Vec::new(),
        print: Vec::new(),
    };
    let mut print = Vec::new();
    let mut add = |name: String, png: Vec<u8>, svg: String| {
        out.files.push((format!("charts/{name}.png"), png));
        out.files
            .push((format!("charts/{name}.svg"), svg.clone().into_bytes()));
        out.svgs.push((name, svg));
    };
    for (g, group) in a.system.groups.iter().enumerate() {
        if a.ranking.order[g].is_empty() {
            continue;
        }
        let chart = ranking(a, g);
        let (png, svg) = draw::render(&chart)?;
        add(format!("rank-{}", group.id), png, svg);
        for (k, piece) in print_pieces(chart).iter().enumerate() {
            let (png, _) = draw::render(piece)?;
            print.push((format!("charts/rank-{}-{}.png", group.id, k + 1), png));
        }
        // A combined result's "indicators" are its parts: no chart of them.
        if a.parts.is_empty() {
            let (png, svg) = draw::render(&indicators(a, g))?;
            add(format!("indicators-{}", group.id), png, svg);
        }
    }
    if !a.inputs.findings.is_empty() {
        let (png, svg) = draw::render(&issues(a))?;
        add("issues".into(), png, svg);
    }
    let (png, svg) = draw::render(&distribution(a))?;
    add("distribution".into(), png, svg);
    out.print = print;
    Ok(out)
}

/// Most units one printed ranking picture shows: 25 rows of a print chart
/// with its title, legend and note are about 950 × 680 px, 218 mm tall at
/// the 156 mm text width — within the 225 mm text height of a page.
pub const PRINT_BARS: usize = 25;

/// A group's ranking drawn for print as pictures of at most
/// [`PRINT_BARS`] units each, all on one scale, the second and later titled
/// （续）, so that no picture runs off the page.
pub fn print_pieces(chart: HBarChart) -> Vec<HBarChart> {
    let HBarChart { title, bars, .. } = &chart;
    bars.chunks(PRINT_BARS)
        .enumerate()
        .map(|(k, part)| HBarChart {
            title: if k == 0 {
                title.clone()
            } else {
                format!("{title}（续）")
            },
            bars: part.to_vec(),
            width: draw::PRINT_WIDTH,
            ..chart.clone()
        })
        .collect()
}

/// `2023年第一季度 ` before a chart's title in a period run.
fn period_prefix(a: &Assessment) -> String {
    a.period
        .as_ref()
        .map_or(String::new(), |p| format!("{} ", p.label(a.system.year)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_of_40_prints_as_25_and_15_on_one_scale() {
        let bar = |i: usize| Bar {
            label: format!("{i}"),
            segments: vec![(i as f64, GRADE_COLORS[0])],
            end_text: String::new(),
        };
        let chart = HBarChart {
            title: "市政府部门 考核得分排名".into(),
            legend: Vec::new(),
            bars: (0..40).map(bar).collect(),
            x_min: 0.0,
            x_max: 100.0,
            width: draw::WIDTH,
            thresholds: Vec::new(),
            note: String::new(),
        };
        let pieces = print_pieces(chart);
        assert_eq!(pieces.len(), 2);
        assert_eq!((pieces[0].bars.len(), pieces[1].bars.len()), (25, 15));
        assert_eq!(pieces[1].bars[0].label, "25");
        assert_eq!(pieces[1].title, "市政府部门 考核得分排名（续）");
        assert!(pieces
            .iter()
            .all(|p| p.x_max == 100.0 && p.width == draw::PRINT_WIDTH));
    }

    #[test]
    fn a_large_group_shows_its_head_and_tail_with_a_marker_between() {
        let members: Vec<usize> = (0..1000).collect();
        let rows = visible(&members);
        assert_eq!(rows.len(), MAX_BARS + 1);
        assert_eq!(rows[0], Some(0));
        assert_eq!(rows[MAX_BARS / 2], None);
        assert_eq!(rows[MAX_BARS], Some(999));
        assert_eq!(omitted_bar(&members).label, "…… 省略850个单位 ……");
        assert_eq!(visible(&members[..10]).len(), 10);
    }
}
