//! The CJK font charts are drawn with. zwgk ships WenQuanYi Micro Hei
//! (`assets/fonts/`, Apache-2.0 or GPL-3+ with font exception) inside the
//! binary, so charts show Chinese on a machine with no CJK font; `--font
//! FILE` or `ZWGK_FONT` uses another. A font that cannot show Chinese is an
//! error, never boxes.

use crate::error::{Error, Result};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::OnceLock;

/// The family name charts use. PNG output draws with the registered font;
/// SVG output names these families so viewers pick an installed CJK font.
pub const FAMILY: &str =
    "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif";

static BUNDLED: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
static FONT: OnceLock<FontRef<'static>> = OnceLock::new();

/// Characters every chart font must have.
const PROBE: &str = "政务公开考核优秀良好单位名次得分";

/// Registers the chart font once per process: `path` if given, else the
/// bundled one. Later calls keep the first font.
pub fn init(path: Option<&Path>) -> Result<()> {
    if FONT.get().is_some() {
        return Ok(());
    }
    let (bytes, shown): (&'static [u8], String) = match path {
        None => (BUNDLED, "the bundled WenQuanYi Micro Hei".into()),
        Some(p) => {
            let data = std::fs::read(p).map_err(|e| {
                Error::Usage(format!(
                    "font file {} cannot be read ({e}); give a CJK font with --font or ZWGK_FONT, e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc from Debian's fonts-wqy-microhei",
                    p.display()
                ))
            })?;
            (Box::leak(data.into_boxed_slice()), p.display().to_string())
        }
    };
    let font = FontRef::try_from_slice(bytes)
        .map_err(|_| Error::Usage(format!("{shown} is not a TrueType/OpenType font")))?;
    let missing: String = PROBE.chars().filter(|&c| font.glyph_id(c).0 == 0).collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "{shown} has no glyphs for Chinese characters ({missing}); charts would show boxes. Use a CJK font such as WenQuanYi Micro Hei (Debian: fonts-wqy-microhei) with --font"
        )));
    }
    plotters::style::register_font(FAMILY, FontStyle::Normal, bytes)
        .map_err(|_| Error::Usage(format!("{shown} cannot be used as a chart font")))?;
    plotters::style::register_font(FAMILY, FontStyle::Bold, bytes)
        .map_err(|_| Error::Usage(format!("{shown} cannot be used as a chart font")))?;
    let _ = FONT.set(font);
    Ok(())
}

/// Width in pixels of `text` at font size `size` (as plotters sizes fonts).
pub fn text_width(text: &str, size: f64) -> f64 {
    let Some(font) = FONT.get() else {
        return text.chars().count() as f64 * size;
    };
    let scaled = font.as_scaled(PxScale::from(size as f32));
    text.chars()
        .map(|c| scaled.h_advance(font.glyph_id(c)) as f64)
        .sum()
}

/// `text` cut with "…" to fit `width` pixels.
pub fn fit(text: &str, size: f64, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}…"), size) > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
