//! The score distribution's chart: a histogram over `0..x_max` with the
//! grades' bands behind it, drawn with the primitives of [`super::draw`].

use super::draw::{
    draw_title, fmt_tick, left_center, text_style, tick_step, Chart, DrawResult, Rgb, INK, MUTED,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A histogram over `0..x_max` with coloured bands behind it.
pub struct Histogram {
    pub title: String,
    pub x_max: f64,
    pub bin_width: f64,
    pub values: Vec<f64>,
    /// (from, to, label, colour)
    pub bands: Vec<(f64, f64, String, Rgb)>,
    pub note: String,
}

impl Chart for Histogram {
    fn size(&self) -> (u32, u32) {
        (1000, 520)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        draw_title(root, &self.title)?;
        let (x0, x1, y0, y1) = (70, 970, 90, 460);
        let bins = (self.x_max / self.bin_width).ceil().max(1.0) as usize;
        let mut counts = vec![0usize; bins];
        for v in &self.values {
            let b = ((v / self.bin_width).floor() as usize).min(bins - 1);
            counts[b] += 1;
        }
        let max_count = counts.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.12;
        let sx = |v: f64| x0 + ((v / self.x_max).clamp(0.0, 1.0) * (x1 - x0) as f64).round() as i32;
        let sy = |c: f64| y1 - ((c / max_count) * (y1 - y0) as f64).round() as i32;
        for (from, to, label, color) in &self.bands {
            let light = RGBColor(
                (color.0 as u16 * 3 / 10 + 255 * 7 / 10) as u8,
                (color.1 as u16 * 3 / 10 + 255 * 7 / 10) as u8,
                (color.2 as u16 * 3 / 10 + 255 * 7 / 10) as u8,
            );
            root.draw(&Rectangle::new(
                [(sx(*from), y0), (sx(*to), y1)],
                light.filled(),
            ))?;
            root.draw(&Text::new(
                label.clone(),
                ((sx(*from) + sx(*to)) / 2, y0 - 14),
                text_style(16.0, color, Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        for (b, c) in counts.iter().enumerate() {
            if *c == 0 {
                continue;
            }
            let (a, z) = (
                sx(b as f64 * self.bin_width) + 2,
                sx((b + 1) as f64 * self.bin_width) - 2,
            );
            root.draw(&Rectangle::new(
                [(a, sy(*c as f64)), (z, y1)],
                RGBColor(55, 71, 79).filled(),
            ))?;
            root.draw(&Text::new(
                c.to_string(),
                ((a + z) / 2, sy(*c as f64) - 12),
                text_style(16.0, &INK, Pos::new(HPos::Center, VPos::Center)),
            ))?;
        }
        root.draw(&PathElement::new(
            vec![(x0, y1), (x1, y1)],
            INK.stroke_width(1),
        ))?;
        let step = tick_step(self.x_max);
        let mut t = 0.0;
        while t <= self.x_max + 1e-9 {
            root.draw(&Text::new(
                fmt_tick(t),
                (sx(t), y1 + 16),
                text_style(14.0, &MUTED, Pos::new(HPos::Center, VPos::Center)),
            ))?;
            t += step;
        }
        root.draw(&Text::new(
            "单位数".to_string(),
            (x0 - 10, y0 - 14),
            text_style(14.0, &MUTED, Pos::new(HPos::Right, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            "总分".to_string(),
            (x1, y1 + 36),
            text_style(14.0, &MUTED, Pos::new(HPos::Right, VPos::Center)),
        ))?;
        if !self.note.is_empty() {
            root.draw(&Text::new(
                self.note.clone(),
                (20, 505),
                text_style(13.0, &MUTED, left_center()),
            ))?;
        }
        Ok(())
    }
}
