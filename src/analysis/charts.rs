//! Charts of the analyst commands, drawn with the same primitives as the
//! run's charts: rank movements (what-if, compare) and rank intervals
//! (sensitivity), one per group, named by group id.

use crate::error::Result;
use crate::report::draw::{self, Bar, HBarChart, Rgb, SERIES_COLORS};
use plotters::style::RGBColor;

const UP: Rgb = RGBColor(46, 125, 50);
const DOWN: Rgb = RGBColor(198, 40, 40);
const SAME: Rgb = RGBColor(144, 164, 174);

/// One unit's movement: label, new total (for the bar), old and new rank,
/// and its grade (`良好→较差` when it changed).
pub struct Movement {
    pub name: String,
    pub total: f64,
    pub old_rank: u32,
    pub new_rank: u32,
    pub grade: String,
}

/// Bars of the new totals in new rank order, coloured by the direction of
/// the rank change, the change written at the end.
pub fn movement_chart(title: &str, x_max: f64, rows: &[Movement]) -> HBarChart {
    HBarChart {
        title: title.to_string(),
        legend: vec![
            ("名次上升".into(), UP),
            ("名次下降".into(), DOWN),
            ("名次不变".into(), SAME),
        ],
        bars: draw::cap_bars(
            rows.iter()
                .map(|m| {
                    let change = m.old_rank as i64 - m.new_rank as i64;
                    let color = match change {
                        0 => SAME,
                        c if c > 0 => UP,
                        _ => DOWN,
                    };
                    Bar {
                        label: format!("{}. {}", m.new_rank, m.name),
                        segments: vec![(m.total, color)],
                        end_text: format!(
                            "{:.2} {}  第{}→第{} {}",
                            m.total,
                            m.grade,
                            m.old_rank,
                            m.new_rank,
                            super::whatif::arrow(change)
                        ),
                    }
                })
                .collect(),
            crate::report::charts::MAX_BARS,
        ),
        x_min: 0.0,
        x_max,
        width: crate::report::draw::WIDTH,
        thresholds: Vec::new(),
        note: "条长为新总分；颜色表示名次变化方向；等次有变化的写作“原等次→新等次”".into(),
    }
}

/// One unit's sampled rank interval.
pub struct Interval {
    pub name: String,
    pub baseline: u32,
    pub median: u32,
    pub p5: u32,
    pub p95: u32,
}

/// Rank intervals (5th–95th percentile) as bars along the rank axis.
pub fn interval_chart(title: &str, n: usize, rows: &[Interval]) -> HBarChart {
    HBarChart {
        title: title.to_string(),
        legend: vec![("名次 5%–95% 区间".into(), SERIES_COLORS[0])],
        bars: draw::cap_bars(
            rows.iter()
                .map(|r| Bar {
                    label: format!("{}. {}", r.baseline, r.name),
                    segments: vec![
                        (r.p5 as f64 - 1.0, RGBColor(255, 255, 255)),
                        ((r.p95 - r.p5) as f64 + 1.0, SERIES_COLORS[0]),
                    ],
                    end_text: format!("中位 {} ({}–{})", r.median, r.p5, r.p95),
                })
                .collect(),
            crate::report::charts::MAX_BARS,
        ),
        x_min: 0.5,
        x_max: n as f64 + 0.5,
        width: crate::report::draw::WIDTH,
        thresholds: Vec::new(),
        note: "横轴为名次，刻度对准名次中心；标签中的数字为基准名次".into(),
    }
}

/// PNG and SVG files for a chart under `charts/<name>`.
pub fn files(name: &str, chart: &HBarChart) -> Result<Vec<(String, Vec<u8>)>> {
    let (png, svg) = draw::render(chart)?;
    Ok(vec![
        (format!("charts/{name}.png"), png),
        (format!("charts/{name}.svg"), svg.into_bytes()),
    ])
}
