//! Drawing primitives for the charts and a horizontal bar chart (plain or
//! stacked, with threshold lines; the histogram is in [`super::histogram`]), laid out by
//! hand so that long Chinese names never overlap and the canvas grows with
//! the number of rows. Each is drawn once per backend: PNG (for pasting into
//! Word/WPS) and SVG.

use super::font::{self, FAMILY};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub type Rgb = RGBColor;

/// Colours for grades, best first.
pub const GRADE_COLORS: [Rgb; 6] = [
    RGBColor(46, 125, 50),
    RGBColor(21, 101, 192),
    RGBColor(239, 108, 0),
    RGBColor(198, 40, 40),
    RGBColor(109, 76, 65),
    RGBColor(97, 97, 97),
];

/// Colours for indicators (a qualitative palette).
pub const SERIES_COLORS: [Rgb; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(89, 161, 79),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];

const GRID: RGBColor = RGBColor(200, 200, 200);
/// Grade thresholds: dashed lines.
const THRESHOLD: RGBColor = RGBColor(120, 120, 120);
pub(super) const INK: RGBColor = RGBColor(33, 33, 33);
pub(super) const MUTED: RGBColor = RGBColor(97, 97, 97);

/// One bar: its label, its segments (value, colour) from the left, and the
/// text shown at its end.
#[derive(Clone)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<(f64, Rgb)>,
    pub end_text: String,
}

/// At most `max` bars: the first and last `max / 2` with a marker between.
pub fn cap_bars(mut bars: Vec<Bar>, max: usize) -> Vec<Bar> {
    if bars.len() <= max {
        return bars;
    }
    let half = max / 2;
    let omitted = bars.len() - 2 * half;
    let tail = bars.split_off(bars.len() - half);
    bars.truncate(half);
    bars.push(Bar {
        label: format!("…… 省略{omitted}个单位 ……"),
        segments: Vec::new(),
        end_text: String::new(),
    });
    bars.extend(tail);
    bars
}

/// A horizontal bar chart, first bar on top.
#[derive(Clone)]
pub struct HBarChart {
    pub title: String,
    pub legend: Vec<(String, Rgb)>,
    pub bars: Vec<Bar>,
    /// Where the value axis starts (0 for scores; 0.5 for ranks, whose
    /// first tick is 1) and ends; bars start at `x_min`.
    pub x_min: f64,
    pub x_max: f64,
    /// The canvas width in pixels: [`WIDTH`] on screen, [`PRINT_WIDTH`] for
    /// a picture printed at a page's text width.
    pub width: u32,
    /// Vertical lines (x, label), e.g. grade thresholds.
    pub thresholds: Vec<(f64, String)>,
    pub note: String,
}

pub(super) type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Something drawable on any backend.
pub trait Chart {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

pub(super) fn text_style(size: f64, color: &Rgb, pos: Pos) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size).into_font(),
        color: color.to_backend_color(),
        pos,
    }
}

pub(super) fn bold(size: f64) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size, FontStyle::Bold).into_font(),
        color: INK.to_backend_color(),
        pos: Pos::new(HPos::Left, VPos::Top),
    }
}

pub(super) fn left_center() -> Pos {
    Pos::new(HPos::Left, VPos::Center)
}

fn dashed_vline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    y0: i32,
    y1: i32,
    color: &Rgb,
) -> DrawResult<DB> {
    let mut y = y0;
    while y < y1 {
        let end = (y + 6).min(y1);
        root.draw(&PathElement::new(
            vec![(x, y), (x, end)],
            color.stroke_width(1),
        ))?;
        y += 10;
    }
    Ok(())
}

/// A white canvas with the chart's title at its top left.
pub(super) fn draw_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        title.to_string(),
        (20, 28),
        bold(22.0).pos(left_center()),
    ))?;
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    legend: &[(String, Rgb)],
    y: i32,
    x_start: i32,
    width: i32,
) -> DrawResult<DB> {
    let mut x = x_start;
    let mut y = y;
    for (label, color) in legend {
        let w = font::text_width(label, 14.0) as i32 + 34;
        if x + w > width - 20 {
            x = x_start;
            y += 22;
        }
        root.draw(&Rectangle::new(
            [(x, y - 6), (x + 14, y + 8)],
            color.filled(),
        ))?;
        root.draw(&Text::new(
            label.clone(),
            (x + 20, y + 1),
            text_style(14.0, &INK, left_center()),
        ))?;
        x += w;
    }
    Ok(())
}

fn legend_rows(legend: &[(String, Rgb)], x_start: i32, width: i32) -> i32 {
    if legend.is_empty() {
        return 0;
    }
    let mut rows = 1;
    let mut x = x_start;
    for (label, _) in legend {
        let w = font::text_width(label, 14.0) as i32 + 34;
        if x + w > width - 20 {
            rows += 1;
            x = x_start;
        }
        x += w;
    }
    rows
}

/// A tick step that gives about 5–10 ticks.
pub(super) fn tick_step(max: f64) -> f64 {
    let raw = max / 10.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(mag * 10.0)
}

pub(super) fn fmt_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// The width of the charts on screen and in notice.html.
pub const WIDTH: u32 = 1200;
/// The width of a chart printed at the 156 mm text width of a GB/T 9704
/// page: its smallest text (14 px) then prints at 14 / 680 × 156 mm =
/// 3.2 mm, 9.1 pt.
pub const PRINT_WIDTH: u32 = 680;
const ROW: i32 = 32;
/// Unit names. Charts go into the notice and into Word at page width
/// (about half their 1200 px), so their text is sized for that.
const LABEL_FONT: f64 = 18.0;
/// Scores at the bar ends.
const END_FONT: f64 = 16.0;
/// Ticks, thresholds and the note.
const SMALL_FONT: f64 = 14.0;
/// The height of a line of threshold texts above the bars.
const THRESHOLD_LINE: i32 = 16;

impl HBarChart {
    fn label_width(&self) -> i32 {
        let widest = self
            .bars
            .iter()
            .map(|b| font::text_width(&b.label, LABEL_FONT))
            .fold(0.0, f64::max);
        widest.min(self.width as f64 * 0.38).ceil() as i32 + 16
    }

    fn top(&self) -> i32 {
        let raised = self
            .threshold_texts()
            .iter()
            .map(|t| t.1)
            .max()
            .unwrap_or(0);
        64 + 22 * legend_rows(&self.legend, 20, self.width as i32) + THRESHOLD_LINE * raised
    }

    /// Where each threshold's text goes, in `thresholds` order: the x of
    /// its left end (just right of its line) and its line above the bars
    /// (0 the nearest). A text that would run into the one before it (two
    /// thresholds close on a narrow print chart, 良好 80 and 优秀 90) goes
    /// up a line.
    fn threshold_texts(&self) -> Vec<(i32, i32)> {
        let mut order: Vec<usize> = (0..self.thresholds.len()).collect();
        order.sort_by(|&i, &j| self.thresholds[i].0.total_cmp(&self.thresholds[j].0));
        let mut places = vec![(0, 0); self.thresholds.len()];
        // The right end of the last text on each line, left to right.
        let mut ends: Vec<i32> = Vec::new();
        for i in order {
            let (x, label) = &self.thresholds[i];
            let left = self.x_of(*x) + 3;
            let right = left + font::text_width(label, SMALL_FONT).ceil() as i32;
            let line = match ends.iter().position(|&end| left >= end + 8) {
                Some(line) => line,
                None => {
                    ends.push(right);
                    ends.len() - 1
                }
            };
            ends[line] = right;
            places[i] = (left, line as i32);
        }
        places
    }

    /// Where the value axis runs: (x of 0, x of `x_max`).
    fn axis(&self) -> (i32, i32) {
        let x0 = 20 + self.label_width();
        let end_w = self
            .bars
            .iter()
            .map(|b| font::text_width(&b.end_text, END_FONT))
            .fold(0.0, f64::max) as i32
            + 16;
        (x0, self.width as i32 - 20 - end_w.max(60))
    }

    /// The x of value `v`.
    fn x_of(&self, v: f64) -> i32 {
        let (x0, x1) = self.axis();
        let span = if self.x_max > self.x_min {
            self.x_max - self.x_min
        } else {
            1.0
        };
        x0 + (((v - self.x_min) / span).clamp(0.0, 1.0) * (x1 - x0) as f64).round() as i32
    }

    /// The y of the middle of bar `i`.
    fn y_of(&self, i: usize) -> i32 {
        self.top() + ROW * i as i32 + ROW / 2
    }
}

impl Chart for HBarChart {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + ROW * self.bars.len() as i32 + 80;
        (self.width, h.max(200) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (w, h) = self.size();
        let (w, h) = (w as i32, h as i32);
        draw_title(root, &self.title)?;
        draw_legend(root, &self.legend, 60, 20, w)?;
        let top = self.top();
        let x0 = self.axis().0;
        let label_w = self.label_width();
        let bottom = top + ROW * self.bars.len() as i32;
        let max = if self.x_max > 0.0 { self.x_max } else { 1.0 };
        let sx = |v: f64| self.x_of(v);
        // grid and ticks
        let mut step = tick_step(max - self.x_min.min(max));
        if self.x_min > 0.0 {
            // A rank axis: whole ranks only.
            step = step.max(1.0).ceil();
        }
        let mut t = if self.x_min > 0.0 {
            self.x_min.ceil()
        } else {
            0.0
        };
        while t <= max + 1e-9 {
            let x = sx(t);
            root.draw(&PathElement::new(
                vec![(x, top - 4), (x, bottom)],
                GRID.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                fmt_tick(t),
                (x, bottom + 16),
                text_style(SMALL_FONT, &MUTED, Pos::new(HPos::Center, VPos::Center)),
            ))?;
            t += step;
        }
        // Thresholds under the bars and their texts, which stay readable.
        for ((x, label), (left, line)) in self.thresholds.iter().zip(self.threshold_texts()) {
            let raise = THRESHOLD_LINE * line;
            dashed_vline(root, sx(*x), top - 10 - raise, bottom, &THRESHOLD)?;
            root.draw(&Text::new(
                label.clone(),
                (left, top - 12 - raise),
                text_style(SMALL_FONT, &MUTED, left_center()),
            ))?;
        }
        for (i, bar) in self.bars.iter().enumerate() {
            let yc = self.y_of(i);
            let label = font::fit(&bar.label, LABEL_FONT, (label_w - 10) as f64);
            root.draw(&Text::new(
                label,
                (x0 - 8, yc),
                text_style(LABEL_FONT, &INK, Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let mut acc = self.x_min;
            for (v, color) in &bar.segments {
                if *v <= 0.0 {
                    continue;
                }
                let (a, b) = (sx(acc), sx(acc + v));
                root.draw(&Rectangle::new(
                    [(a, yc - 11), (b.max(a + 1), yc + 11)],
                    color.filled(),
                ))?;
                acc += v;
            }
            // The value on a white ground, so that no threshold runs through it.
            let tx = sx(acc) + 6;
            let tw = font::text_width(&bar.end_text, END_FONT).ceil() as i32;
            if tw > 0 {
                root.draw(&Rectangle::new(
                    [(tx - 2, yc - 11), (tx + tw + 2, yc + 11)],
                    WHITE.filled(),
                ))?;
            }
            root.draw(&Text::new(
                bar.end_text.clone(),
                (tx, yc),
                text_style(END_FONT, &INK, left_center()),
            ))?;
        }
        if !self.note.is_empty() {
            root.draw(&Text::new(
                self.note.clone(),
                (20, h - 16),
                text_style(SMALL_FONT, &MUTED, left_center()),
            ))?;
        }
        Ok(())
    }
}

/// The chart as PNG bytes and SVG text.
pub fn render(chart: &impl Chart) -> Result<(Vec<u8>, String)> {
    let (w, h) = chart.size();
    let fail =
        |e: String| Error::Usage(crate::tr!("无法绘制图表：{e}", "cannot draw a chart: {e}"));
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let root =
            super::bitmap::Bitmap(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        chart.draw(&root).map_err(|e| fail(format!("{e:?}")))?;
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    let img = image::RgbImage::from_raw(w, h, rgb).ok_or_else(|| fail("bitmap size".into()))?;
    let mut png = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut png),
        image::ImageOutputFormat::Png,
    )
    .map_err(|e| fail(e.to_string()))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        chart.draw(&root).map_err(|e| fail(format!("{e:?}")))?;
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    Ok((png, svg))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A threshold (85) that falls inside a bar's value text ("80.00 良好")
    /// is drawn above and below the text, never through it.
    #[test]
    fn threshold_lines_do_not_run_through_the_values() {
        font::init(None).unwrap();
        let chart = HBarChart {
            title: "排名".into(),
            legend: Vec::new(),
            bars: vec![Bar {
                label: "1. 市教育局".into(),
                segments: vec![(80.0, GRADE_COLORS[1])],
                end_text: "80.00 良好".into(),
            }],
            x_min: 0.0,
            x_max: 100.0,
            width: WIDTH,
            thresholds: vec![(85.0, "优秀 85".into())],
            note: String::new(),
        };
        let (png, _) = render(&chart).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        let px = chart.x_of(85.0) as u32;
        let text_start = chart.x_of(80.0) + 6;
        let text_end = text_start + font::text_width("80.00 良好", END_FONT) as i32;
        assert!(
            (text_start..text_end).contains(&(px as i32)),
            "the line falls within the text"
        );
        let dashed = |y0: i32, y1: i32| {
            (y0..y1)
                .filter(|&y| img.get_pixel(px, y as u32).0 == [120, 120, 120])
                .count()
        };
        let (top, yc) = (chart.top(), chart.y_of(0));
        assert!(
            dashed(top - 10, top) > 3,
            "the line is drawn above the bars"
        );
        assert_eq!(dashed(yc - 10, yc + 11), 0, "and not through the value");
    }

    /// Thresholds 80 and 90 on a print chart: their texts sit a line apart
    /// instead of running into each other; 60 keeps the nearest line.
    #[test]
    fn close_threshold_texts_are_staggered_and_never_overlap() {
        font::init(None).unwrap();
        let chart = |width: u32| HBarChart {
            title: "排名".into(),
            legend: Vec::new(),
            bars: vec![Bar {
                label: "1. 综合保税区".into(),
                segments: vec![(100.0, GRADE_COLORS[1])],
                end_text: "100.00 良好".into(),
            }],
            x_min: 0.0,
            x_max: 100.0,
            width,
            thresholds: vec![
                (90.0, "优秀 90".into()),
                (80.0, "良好 80".into()),
                (60.0, "一般 60".into()),
            ],
            note: String::new(),
        };
        let print = chart(PRINT_WIDTH);
        let places = print.threshold_texts();
        let width = |i: usize| font::text_width(&print.thresholds[i].1, SMALL_FONT) as i32;
        // 10 points on this axis are narrower than "良好 80" and a gap.
        assert!(print.x_of(90.0) - print.x_of(80.0) < width(1) + 8);
        assert_eq!(places[2].1, 0, "60 stays on the nearest line");
        assert_eq!(places[1].1, 0, "80 does too: it is far from 60");
        assert_eq!(places[0].1, 1, "90 goes up a line");
        for i in 0..3 {
            for j in 0..3 {
                let (a, b) = (places[i], places[j]);
                if i != j && a.1 == b.1 && a.0 < b.0 {
                    assert!(a.0 + width(i) + 8 <= b.0, "{i} runs into {j}");
                }
            }
        }
        // The bars move down by the raised line; on screen nothing moves.
        let screen = chart(WIDTH);
        assert!(screen.threshold_texts().iter().all(|p| p.1 == 0));
        assert_eq!(print.top() - screen.top(), THRESHOLD_LINE);
    }

    /// At the text width of a GB/T 9704 page (156 mm) a print chart's
    /// smallest text is at least 9 pt.
    #[test]
    fn print_charts_have_text_of_at_least_9_pt() {
        let mm_per_px = 156.0 / PRINT_WIDTH as f64;
        let smallest_pt = SMALL_FONT * mm_per_px / 25.4 * 72.0;
        assert!(smallest_pt >= 9.0, "{smallest_pt}");
    }

    #[test]
    fn tick_steps_are_round_numbers() {
        assert_eq!(tick_step(100.0), 10.0);
        assert_eq!(tick_step(37.0), 5.0);
        assert_eq!(tick_step(7.0), 1.0);
    }
}
