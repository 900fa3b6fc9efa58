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
/// SVG output names these families so viewers pick an installed CJK font,
/// and in notice.html the embedded one ([`WEB_FAMILY`]) when none is.
pub const FAMILY: &str =
    "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, zwgk-cjk, sans-serif";

/// The family name of the font embedded in notice.html ([`web_font_face`]).
pub const WEB_FAMILY: &str = "zwgk-cjk";

static BUNDLED: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
/// The registered font's file (its first face is the one used).
static FONT_FILE: OnceLock<&'static [u8]> = OnceLock::new();

/// Characters every chart font must have.
const PROBE: &str = "政务公开考核优秀良好单位名次得分";

/// Registers the chart font once per process: `path` if given, else the
/// bundled one. Later calls keep the first font.
pub fn init(path: Option<&Path>) -> Result<()> {
    if FONT.get().is_some() {
        return Ok(());
    }
    let (bytes, shown): (&'static [u8], String) = match path {
        None => (
            BUNDLED,
            crate::tr!("内置的文泉驿微米黑", "the bundled WenQuanYi Micro Hei"),
        ),
        Some(p) => {
            let data = std::fs::read(p).map_err(|e| {
                Error::Usage(crate::tr!(
"无法读取字体文件 {}（{e}）；请用 --font 或 ZWGK_FONT 指定中文字体，如 Debian 的 fonts-wqy-microhei 中的 /usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
"font file {} cannot be read ({e}); give a CJK font with --font or ZWGK_FONT, e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc from Debian's fonts-wqy-microhei",
                    p.display()
                ))
            })?;
            (Box::leak(data.into_boxed_slice()), p.display().to_string())
        }
    };
    let font = FontRef::try_from_slice(bytes).map_err(|_| {
        Error::Usage(crate::tr!(
            "{shown} 不是 TrueType/OpenType 字体",
            "{shown} is not a TrueType/OpenType font"
        ))
    })?;
    let missing: String = PROBE.chars().filter(|&c| font.glyph_id(c).0 == 0).collect();
    if !missing.is_empty() {
        return Err(Error::Usage(crate::tr!(
"{shown} 没有汉字字形（{missing}），图表会显示成方框。请用 --font 指定中文字体，如文泉驿微米黑（Debian：fonts-wqy-microhei）",
"{shown} has no glyphs for Chinese characters ({missing}); charts would show boxes. Use a CJK font such as WenQuanYi Micro Hei (Debian: fonts-wqy-microhei) with --font"
        )));
    }
    plotters::style::register_font(FAMILY, FontStyle::Normal, bytes).map_err(|_| {
        Error::Usage(crate::tr!(
            "{shown} 不能用作图表字体",
            "{shown} cannot be used as a chart font"
        ))
    })?;
    plotters::style::register_font(FAMILY, FontStyle::Bold, bytes).map_err(|_| {
        Error::Usage(crate::tr!(
            "{shown} 不能用作图表字体",
            "{shown} cannot be used as a chart font"
        ))
    })?;
    let _ = FONT.set(font);
    let _ = FONT_FILE.set(bytes);
    Ok(())
}

/// A CSS `@font-face` rule for [`WEB_FAMILY`]: the chart font (the bundled
/// one unless `--font` gave another) cut down to the glyphs of `text`, as a
/// data: URL. notice.html lists it after the office fonts (仿宋, 黑体), so a
/// reader who has those sees them and a machine with no CJK font still
/// shows Chinese instead of boxes.
pub fn web_font_face(text: &str) -> Result<String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};
    use base64::Engine as _;
    let bytes = FONT_FILE.get().copied().unwrap_or(BUNDLED);
    let unusable = |e: &dyn std::fmt::Display| {
        Error::Usage(crate::tr!(
"图表字体无法嵌入 notice.html（{e}）；请用 --font 指定 TrueType 字体",
"the chart font cannot be embedded in notice.html ({e}); give a TrueType font with --font"
        ))
    };
    let face = FontRef::try_from_slice(bytes).map_err(|e| unusable(&e))?;
    // Glyph 0 (.notdef) first, as a font must have it; no duplicates. Each
    // distinct character is looked up once: a province's notice.html has
    // millions of characters and a few thousand distinct ones (at 20,000
    // units the lookups were 1.5 % of a run's instructions).
    let chars: crate::ingest::FastSet<char> = text.chars().collect();
    let mut glyphs: Vec<u16> = std::iter::once(0)
        .chain(chars.into_iter().map(|c| face.glyph_id(c).0))
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    let file = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .map_err(|e| unusable(&e))?;
    let provider = file.table_provider(0).map_err(|e| unusable(&e))?;
    let font = subset(
        &provider,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| unusable(&e))?;
    Ok(format!(
        "@font-face {{ font-family: \"{WEB_FAMILY}\"; src: url(data:font/ttf;base64,{}); }}",
        base64::engine::general_purpose::STANDARD.encode(font)
    ))
}

/// The pixels of `text` drawn with the chart font at `size` (as plotters
/// sizes fonts), as (x, y, coverage) from the text's origin, top-left as
/// plotters places it: each glyph at the pen position plus its own left
/// side bearing, kerned. plotters 0.3.7 draws each glyph's outline from the
/// pen position itself, leaving out the bearing, which shows as uneven gaps
/// in Chinese text (`平乐 县`). `false` before [`init`].
pub fn text_pixels(text: &str, size: f64, mut pixel: impl FnMut(i32, i32, f32)) -> bool {
    let Some(font) = FONT.get() else {
        return false;
    };
    let scaled = font.as_scaled(PxScale::from(size as f32));
    let mut pen = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(pen, 0.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            // Vertically as plotters does, so text sits where it did.
            let (x0, y0) = (
                bounds.min.x as i32,
                (size as f32 / 2.0 + bounds.min.y) as i32,
            );
            outline.draw(|x, y, coverage| pixel(x0 + x as i32, y0 + y as i32, coverage));
        }
        pen += scaled.h_advance(id);
    }
    true
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    /// The leftmost inked column of `text` drawn at `size`.
    fn ink_starts(text: &str, size: f64) -> i32 {
        let mut left = i32::MAX;
        assert!(text_pixels(
            text,
            size,
            |x, _, coverage| if coverage > 0.0 {
                left = left.min(x);
            }
        ));
        left
    }

    #[test]
    fn each_glyph_is_drawn_at_its_own_left_side_bearing() {
        init(None).unwrap();
        let font = FONT.get().unwrap();
        let size = 40.0;
        let scaled = font.as_scaled(PxScale::from(size as f32));
        let bearing = |c: char| scaled.h_side_bearing(font.glyph_id(c));
        // Alone: a glyph's ink starts at its bearing, not at the pen (where
        // plotters 0.3.7 puts it).
        for c in "平乐县长市".chars() {
            let expected = bearing(c).floor() as i32;
            assert!(
                (ink_starts(&c.to_string(), size) - expected).abs() <= 1,
                "{c}"
            );
        }
        let widest = "平乐县长市".chars().map(bearing).fold(0.0, f32::max);
        assert!(
            widest >= 2.0,
            "some bearing must show at this size: {widest}"
        );
        // After others: at the pen (their advances) plus its own bearing.
        let pen: f32 = "平乐"
            .chars()
            .map(|c| scaled.h_advance(font.glyph_id(c)))
            .sum();
        let mut third = i32::MAX;
        text_pixels("平乐县", size, |x, _, coverage| {
            if coverage > 0.0 && x as f32 >= pen {
                third = third.min(x);
            }
        });
        let expected = (pen + bearing('县')).floor() as i32;
        assert!((third - expected).abs() <= 1, "{third} vs {expected}");
    }

    #[test]
    fn the_embedded_font_holds_the_notices_characters_and_no_others() {
        let css = web_font_face("政务公开 A1").unwrap();
        let (head, data) = css.split_once("base64,").unwrap();
        assert!(
            head.starts_with("@font-face { font-family: \"zwgk-cjk\";"),
            "{head}"
        );
        let data = data.split_once(')').unwrap().0;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        assert!(
            bytes.len() < 20_000,
            "a subset, not the 5 MB font: {}",
            bytes.len()
        );
        let font = FontRef::try_from_slice(&bytes).unwrap();
        for c in "政务公开A1".chars() {
            assert_ne!(font.glyph_id(c).0, 0, "{c} is in the subset");
        }
        for c in "锦城B2".chars() {
            assert_eq!(font.glyph_id(c).0, 0, "{c} is not");
        }
    }
}
