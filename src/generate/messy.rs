//! `generate --messy`: the same assessment written as offices write it —
//! units named by id, lower-case or full-width id, name with stray ASCII or
//! ideographic spaces, or alias; groups by name with ASCII brackets; four
//! date formats; ratios as percentages or fractions; the inspections and
//! ratings in GB18030 (Excel on a Chinese Windows), the other tables UTF-8
//! with a BOM. Every variant names the same unit or value, so a messy
//! assessment scores exactly as the clean one of the same seed. The variants
//! are drawn from a random stream of their own: the clean content is the
//! same draw for draw.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io;

pub(super) struct Messy {
    rng: ChaCha8Rng,
}

/// The UTF-8 byte-order mark Excel writes before a CSV.
pub(super) const BOM: &str = "\u{feff}";

impl Messy {
    pub(super) fn new(seed: u64) -> Messy {
        Messy {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x3e55_1e55),
        }
    }

    /// Unit `u` (0-based) as some office wrote it.
    pub(super) fn unit(&mut self, u: usize) -> String {
        let n = u + 1;
        match self.rng.random_range(0..8) {
            0 | 1 => super::unit_id(u),
            2 => super::unit_id(u).to_lowercase(),
            3 => super::unit_id(u)
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
                .collect(),
            4 => format!(" 合成单位 {n}"),
            5 => format!("合成单位\u{3000}{n} "),
            6 => format!("{n}号单位"),
            _ => format!("合成单位{n}"),
        }
    }

    /// A 检查日期 in one of the four formats offices use.
    pub(super) fn date(&mut self, month: u32, day: u32) -> String {
        match self.rng.random_range(0..4) {
            0 => format!("2023-{month:02}-{day:02}"),
            1 => format!("2023/{month}/{day}"),
            2 => format!("2023.{month}.{day}"),
            _ => format!("2023年{month}月{day}日"),
        }
    }

    /// A ratio written `85.9%` as a fraction half of the time (`0.859`).
    pub(super) fn ratio(&mut self, percent: &str) -> String {
        let Some(number) = percent.strip_suffix('%') else {
            return percent.to_string();
        };
        if self.rng.random_range(0..2) == 0 {
            return percent.to_string();
        }
        match number.parse::<rust_decimal::Decimal>() {
            Ok(d) => (d / rust_decimal::Decimal::ONE_HUNDRED)
                .normalize()
                .to_string(),
            Err(_) => percent.to_string(),
        }
    }

    /// A clean table (comma-separated, the unit id in column `unit_col`)
    /// with each unit cell rewritten, and ratio cells of column `value_col`
    /// given as fractions at random.
    pub(super) fn table(
        &mut self,
        clean: &str,
        unit_col: usize,
        value_col: Option<usize>,
    ) -> String {
        let mut out = String::with_capacity(clean.len() + clean.len() / 4);
        for (k, line) in clean.lines().enumerate() {
            if k == 0 {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            let cells: Vec<String> = line
                .split(',')
                .enumerate()
                .map(|(c, cell)| {
                    if c == unit_col {
                        super::unit_of_id(cell).map_or_else(|| cell.to_string(), |u| self.unit(u))
                    } else if Some(c) == value_col {
                        self.ratio(cell)
                    } else {
                        cell.to_string()
                    }
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// GB18030 bytes of `text`, as Excel saves a CSV on a Chinese Windows.
pub(super) fn gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// A writer that stores what is written to it in GB18030 (each write is
/// whole UTF-8 text, as `write!` gives it).
pub(super) struct Gb18030<'a> {
    pub(super) inner: &'a mut dyn io::Write,
}

impl io::Write for Gb18030<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(&gb18030(&text))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
