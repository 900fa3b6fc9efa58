//! `results.html` and each unit's `feedback/<unit id>.html`: the results
//! page, one self-contained file that opens by double-click, offline (its
//! data, script, styles and charts inside it). The facts come from
//! [`super::page_data`]; the page (templates/results.html, plain ES2017 for
//! the Chromium 78–86 cores of office browsers) only shows them.

use super::output::Staging;
use super::page_data::{facts, shared, Scope, Shared};
use crate::assess::Assessment;
use crate::error::Result;

const TEMPLATE: &str = include_str!("../../templates/results.html");
const DATA_MARK: &str = "<!--ZWGK_DATA-->";
const UNITS_MARK: &str = "<!--ZWGK_UNITS-->";
const FONT_MARK: &str = "/*ZWGK_FONT_FACE*/";
const CHARTS_MARK: &str = "<!--ZWGK_CHARTS-->";
/// The ranking and distribution charts, as inline SVG figures (the SVG
/// text is zwgk's own, its texts escaped by the SVG writer).
fn charts_html(svgs: &[(String, String)]) -> String {
    svgs.iter()
        .filter(|(name, _)| name.starts_with("rank-") || name == "distribution")
        .map(|(_, svg)| {
            let body = match svg.find("<svg") {
                Some(k) => &svg[k..],
                None => svg.as_str(),
            };
            format!("<figure class=\"chart\">{body}</figure>\n")
        })
        .collect()
}

/// The page for `scope`, its font rule still to be put in place, and the
/// text it shows that is packed out of sight (for the font's characters).
fn render(
    a: &Assessment,
    shared: &Shared,
    scope: Scope,
    date: &str,
    charts: &str,
) -> (String, String) {
    let blocks = super::page_pack::data_blocks(facts(a, shared, scope, date));
    let page = TEMPLATE
        .replacen(DATA_MARK, &blocks.main, 1)
        .replacen(UNITS_MARK, &blocks.after, 1)
        .replacen(CHARTS_MARK, charts, 1);
    (page, blocks.packed_text)
}

/// Writes results.html (every account, the charts, the font cut to its
/// characters) and, with `feedback`, each unit's own page.
pub fn write(
    a: &Assessment,
    date: &str,
    svgs: &[(String, String)],
    feedback: bool,
    out: &Staging,
) -> Result<()> {
    let shared = shared(a);
    let (page, packed) = render(a, &shared, Scope::Office, date, &charts_html(svgs));
    let font = super::font::web_font_face(&format!("{page}{packed}"))?;
    out.write(
        "results.html",
        page.replacen(FONT_MARK, &font, 1).as_bytes(),
    )?;
    if feedback {
        use rayon::prelude::*;
        (0..a.inputs.units.len())
            .into_par_iter()
            .try_for_each(|u| {
                // A unit's page leans on the machine's fonts: a font cut to the
                // office page's characters would carry other units' glyphs.
                let (page, _) = render(a, &shared, Scope::Unit(u), date, "");
                let page = page.replacen(FONT_MARK, "", 1);
                let name = format!(
                    "feedback/{}.html",
                    crate::ingest::file_names::file_stem(&a.inputs.units[u].id)
                );
                out.write(&name, page.as_bytes())
            })?;
    }
    Ok(())
}
