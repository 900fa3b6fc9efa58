//! `notice.docx`: the notice as the 公文 an office edits in WPS or Word and
//! circulates, laid out by GB/T 9704-2012: A4 with margins 37/35/28/26 mm,
//! the title in 2号 方正小标宋简体, the body in 3号 仿宋_GB2312 with a
//! first-line indent of two characters and an exact line spacing of 22
//! lines a page, 一、 headings in 黑体 and （一） headings in 楷体_GB2312,
//! Times New Roman for Latin text and digits, bordered tables whose header
//! row repeats on every page, the charts as pictures at text width, page
//! numbers `— 1 —` in 4号 宋体 (odd pages right, even pages left), and the
//! issuer and date at the end, four characters from the right margin.
//!
//! The facts are those of notice.html and notice.md (the same context,
//! read as JSON), so the three say the same in the same order.

use crate::error::{Error, Result};
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Table, TableCell, TableRow,
    WidthType,
};

/// A4 in twips, and the margins of GB/T 9704: top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm.
pub(super) const PAGE: (u32, u32) = (11906, 16838);
pub(super) const MARGIN: (i32, i32, i32, i32) = (2098, 1984, 1587, 1474);
/// The text width: 8845 twips (156 mm).
pub(super) const TEXT_WIDTH: usize = (PAGE.0 as i32 - MARGIN.2 - MARGIN.3) as usize;
/// 22 lines in the 12756 twips of the text height.
pub(super) const LINE: i32 = 579;
/// 3号 (16 pt) in half-points; one character of it in twips.
pub(super) const BODY: usize = 32;
pub(super) const CHAR: i32 = 320;

pub(super) const FANGSONG: &str = "仿宋_GB2312";
pub(super) const XIAOBIAOSONG: &str = "方正小标宋简体";
pub(super) const HEITI: &str = "黑体";
pub(super) const KAITI: &str = "楷体_GB2312";
const SONGTI: &str = "宋体";

/// A run of `text` in the East Asian font `east`, Times New Roman for
/// Latin text and digits, at `size` half-points.
pub(super) fn run(text: &str, east: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(
        RunFonts::new()
            .east_asia(east)
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman"),
    )
}

pub(super) fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
}

/// A body paragraph: 仿宋_GB2312 3号, first line indented two characters.
pub(super) fn body(text: &str) -> Paragraph {
    indented(run(text, FANGSONG, BODY))
}

pub(super) fn indented(r: Run) -> Paragraph {
    Paragraph::new()
        .add_run(r)
        .line_spacing(exact(LINE))
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * CHAR)),
            None,
            None,
        )
}

/// A heading (一、 in 黑体, （一） in 楷体), kept on the page of what
/// follows it.
pub(super) fn heading(text: &str, font: &str) -> Paragraph {
    indented(run(text, font, BODY)).keep_next(true)
}

pub(super) fn centered(text: &str, font: &str, size: usize, line: i32) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, font, size))
        .align(AlignmentType::Center)
        .line_spacing(exact(line))
}

pub(super) fn blank() -> Paragraph {
    Paragraph::new().line_spacing(exact(LINE))
}

/// A bordered table at text width: `widths` in twips (they add up to the
/// text width), the header row first (in 黑体); text in 小四 (12 pt).
/// Added to a [`Doc`], its data rows are written by [`super::docx_rows`].
pub(super) fn table(
    header: &[&str],
    rows: &[Vec<String>],
    widths: &[usize],
    left: &[usize],
) -> TableOf {
    TableOf {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows.to_vec(),
        widths: widths.to_vec(),
        left: left.to_vec(),
    }
}

/// A table to add to a [`Doc`].
pub(super) struct TableOf {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    widths: Vec<usize>,
    left: Vec<usize>,
}

impl TableOf {
    /// The header row and one template row whose cells hold the markers of
    /// table `n` (see [`super::docx_rows`]).
    fn template(&self, n: usize) -> Table {
        // The header row's paragraphs keep with the next row, so that the
        // header is never alone at the foot of a page.
        let cell = |text: &str, w: usize, bold_font: &str, left: bool| {
            TableCell::new().width(w, WidthType::Dxa).add_paragraph(
                Paragraph::new()
                    .add_run(run(text, bold_font, 24))
                    .keep_next(bold_font == HEITI)
                    // Running text from the left, the rest centred.
                    .align(if left {
                        AlignmentType::Left
                    } else {
                        AlignmentType::Center
                    })
                    .line_spacing(exact(360)),
            )
        };
        let head = TableRow::new(
            self.header
                .iter()
                .zip(&self.widths)
                .map(|(h, &w)| cell(h, w, HEITI, false))
                .collect(),
        )
        .cant_split();
        let template = TableRow::new(
            self.widths
                .iter()
                .enumerate()
                .map(|(k, &w)| {
                    cell(
                        &super::docx_rows::marker(n, k),
                        w,
                        FANGSONG,
                        self.left.contains(&k),
                    )
                })
                .collect(),
        )
        .cant_split();
        Table::new(vec![head, template])
            .set_grid(self.widths.clone())
            .width(TEXT_WIDTH, WidthType::Dxa)
    }
}

/// A document being built: docx-rs's, and the data rows of its tables.
pub struct Doc {
    docx: Docx,
    tables: Vec<Vec<Vec<String>>>,
}

impl Doc {
    pub(super) fn add_paragraph(mut self, p: Paragraph) -> Doc {
        self.docx = self.docx.add_paragraph(p);
        self
    }

    /// 征求意见稿 in the header of every page (odd and even), for a draft.
    pub(super) fn draft_header(mut self, draft: bool) -> Doc {
        if draft {
            let header = || {
                docx_rs::Header::new().add_paragraph(
                    Paragraph::new()
                        .add_run(run("征求意见稿", HEITI, 28))
                        .align(AlignmentType::Center),
                )
            };
            self.docx = self.docx.header(header()).even_header(header());
        }
        self
    }

    pub(super) fn add_table(mut self, t: TableOf) -> Doc {
        self.docx = self.docx.add_table(t.template(self.tables.len()));
        self.tables.push(t.rows);
        self
    }
}

/// The width in twips a header cell needs to hold `h` on one line: its
/// characters in 小四 (240 twips a CJK character, half that for others)
/// and the cell's margins.
pub(super) fn header_width(h: &str) -> usize {
    let text: usize = h
        .chars()
        .map(|c| if c.is_ascii() { 120 } else { 240 })
        .sum();
    text + 2 * 108 + 60
}

/// A PNG's width and height in pixels, from its IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let w = u32::from_be_bytes(png.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(png.get(20..24)?.try_into().ok()?);
    (png.starts_with(b"\x89PNG") && w > 0 && h > 0).then_some((w, h))
}

/// The text height: 12756 twips (225 mm).
pub(super) const TEXT_HEIGHT: usize = (PAGE.1 as i32 - MARGIN.0 - MARGIN.1) as usize;

/// A chart at text width (narrower when it would be taller than the text
/// area, so that nothing of it is cut at the foot of a page), its own
/// paragraph, centred.
pub(super) fn picture(png: &[u8]) -> Option<Paragraph> {
    let (w, h) = png_size(png)?;
    let (emu_w, emu_h) = fitted(w, h);
    let pic = Pic::new_with_dimensions(png.to_vec(), w, h).size(emu_w as u32, emu_h as u32);
    Some(
        Paragraph::new()
            .add_run(Run::new().add_image(pic))
            .align(AlignmentType::Center),
    )
}

/// The size in EMU (635 a twip) of a `w` × `h` picture at text width, or
/// at text height when at text width it would be taller than that.
fn fitted(w: u32, h: u32) -> (u64, u64) {
    let (max_w, max_h) = (TEXT_WIDTH as u64 * 635, TEXT_HEIGHT as u64 * 635);
    let emu_h = max_w * h as u64 / w as u64;
    if emu_h <= max_h {
        (max_w, emu_h)
    } else {
        (max_h * w as u64 / h as u64, max_h)
    }
}

/// `— N —` in 4号 宋体, right on odd pages, left on even pages (one
/// character in from the margin).
pub(super) fn page_number(align: AlignmentType) -> Footer {
    let dash = |t: &str| run(t, SONGTI, 28);
    let field = Run::new()
        .size(28)
        .fonts(RunFonts::new().ascii("Times New Roman").east_asia(SONGTI))
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let mut p = Paragraph::new()
        .add_run(dash("— "))
        .add_run(field)
        .add_run(dash(" —"))
        .align(align);
    p = match align {
        AlignmentType::Right => p.indent(None, None, Some(CHAR), None),
        _ => p.indent(Some(CHAR), None, None, None),
    };
    Footer::new().add_paragraph(p)
}

/// A document with the page of GB/T 9704: A4, its margins, `— N —` page
/// numbers, 3号 as the default size.
pub(super) fn official_page() -> Doc {
    let docx = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN.0)
                .bottom(MARGIN.1)
                .left(MARGIN.2)
                .right(MARGIN.3)
                .header(851)
                .footer(992),
        )
        .footer(page_number(AlignmentType::Right))
        .even_footer(page_number(AlignmentType::Left))
        .default_size(BODY);
    Doc {
        docx,
        tables: Vec::new(),
    }
}

/// The issuer and the date, right-aligned four characters from the
/// margin, after two blank lines.
/// The last paragraph of the text, the blank lines and the issuer are
/// kept with what follows, so the 落款 never stands alone on a page.
pub(super) fn closing(mut doc: Doc, issuer: &str, date: &str) -> Doc {
    if let Some(docx_rs::DocumentChild::Paragraph(last)) = doc.docx.document.children.last_mut() {
        let taken = std::mem::replace(&mut **last, Paragraph::new());
        **last = taken.keep_next(true);
    }
    doc = doc
        .add_paragraph(blank().keep_next(true))
        .add_paragraph(blank().keep_next(true));
    for (line, keep) in [(issuer, true), (date, false)] {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(line, FANGSONG, BODY))
                .align(AlignmentType::Right)
                .line_spacing(exact(LINE))
                .indent(None, None, Some(4 * CHAR), None)
                .keep_next(keep),
        );
    }
    doc
}

/// The document packed, with header rows repeated and picture ids unique.
pub(super) fn pack(doc: Doc, name: &str) -> Result<Vec<u8>> {
    // What docx-rs leaves undone, done on its XML before it is packed:
    // every table's header row repeats on each page (`w:tblHeader`), and
    // every picture has its own id (docx-rs gives them all
    // `wp:docPr id="1"`, which Word then repairs). Both are done on the
    // document with its tables' template rows; the rows themselves (at a
    // province's scale 150 MB of XML) are written out as the package is
    // deflated, never held whole.
    let mut xml = doc.docx.build();
    let document = String::from_utf8_lossy(&std::mem::take(&mut xml.document)).into_owned();
    let document = unique_picture_ids(&repeat_header_rows(&document));
    let mut stored = Vec::new();
    xml.pack(std::io::Cursor::new(&mut stored))
        .map_err(|e| Error::Usage(format!("{name}: {e}")))?;
    deflated(&stored, |out| {
        super::docx_rows::write_document(&document, &doc.tables, out)
    })
    .map_err(|e| Error::Usage(format!("{name}: {e}")))
}

/// The package with every part deflated (docx-rs stores them as they are,
/// and a province's notice, 100,000 units, was 158 MB to circulate;
/// deflated at the fastest level it is 5 MB), word/document.xml written by
/// `document`.
fn deflated(
    stored: &[u8],
    document: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut parts = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut document = Some(document);
    for i in 0..parts.len() {
        let mut part = parts.by_index(i)?;
        let name = part.name()?.into_owned();
        if part.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        out.start_file(name.as_str(), options)?;
        let write = match name.as_str() {
            "word/document.xml" => document.take(),
            _ => None,
        };
        match write {
            Some(write) => write(&mut out)?,
            None => {
                std::io::copy(&mut part, &mut out)?;
            }
        }
    }
    Ok(out.finish()?.into_inner())
}

/// The first row of every table marked as a header row.
fn repeat_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    while let Some(t) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(t);
        out.push_str(before);
        match after.find("<w:trPr>") {
            Some(p) if after[..p].matches("<w:tr>").count() == 1 => {
                let at = p + "<w:trPr>".len();
                out.push_str(&after[..at]);
                out.push_str("<w:tblHeader />");
                rest = &after[at..];
            }
            _ => {
                out.push_str("<w:tbl>");
                rest = &after["<w:tbl>".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `wp:docPr id="1"` made 1, 2, 3, … in order.
fn unique_picture_ids(xml: &str) -> String {
    renumber(xml, "<wp:docPr id=\"", |n| n.to_string())
}

/// The value after each `mark` (up to its closing quote) replaced by the
/// occurrence's number, 1, 2, 3, … as `shown`.
fn renumber(xml: &str, mark: &str, shown: impl Fn(usize) -> String) -> String {
    let mut n = 0;
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(p) = rest.find(mark) {
        n += 1;
        out.push_str(&rest[..p + mark.len()]);
        rest = &rest[p + mark.len()..];
        let end = rest.find('"').unwrap_or(0);
        out.push_str(&shown(n));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_repeat_and_pictures_get_their_own_ids() {
        let xml = "<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr></w:tbl>";
        assert_eq!(
            repeat_header_rows(xml),
            "<w:tbl><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr></w:trPr></w:tr></w:tbl>"
        );
        let pics = "<wp:docPr id=\"1\" name=\"a\"/><wp:docPr id=\"1\" name=\"b\"/>";
        assert_eq!(
            unique_picture_ids(pics),
            "<wp:docPr id=\"1\" name=\"a\"/><wp:docPr id=\"2\" name=\"b\"/>"
        );
    }

    #[test]
    fn a_picture_taller_than_the_page_is_fitted_to_the_text_height() {
        // 680 × 500 px at 156 mm wide is 114.7 mm tall: kept at text width.
        assert_eq!(fitted(680, 500), (8845 * 635, 8845 * 635 * 500 / 680));
        // 680 × 1500 px would be 344 mm tall: 225 mm tall, 102 mm wide.
        let (w, h) = fitted(680, 1500);
        assert_eq!(h, 12756 * 635);
        assert_eq!(w, 12756 * 635 * 680 / 1500);
    }

    #[test]
    fn the_text_area_holds_22_lines() {
        let height = PAGE.1 as i32 - MARGIN.0 - MARGIN.1;
        assert_eq!(height / LINE, 22);
        assert_eq!(TEXT_WIDTH, 8845);
    }
}
