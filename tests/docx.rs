//! notice.docx opened as what it is, a zip of XML: the GB/T 9704 layout
//! (page, margins, fonts, exact line spacing, footers with PAGE fields,
//! repeated table header rows, one picture per group chart) and the
//! content rules of the notice; its text is snapshot-tested.

use crate::harness::Workdir;
use std::io::Read;

/// The demo run with charts and a fixed date; the notice's parts.
/// The demo run with charts, dated 1 March 2024, into `out` (with `extra`).
fn demo_run(extra: &[&str]) -> Workdir {
    let w = Workdir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (indicators, data) = (root.join("indicators/demo.toml"), root.join("data/demo"));
    let mut args = vec!["run", "--indicators", indicators.to_str().unwrap()];
    args.extend(["--data", data.to_str().unwrap(), "--out", "out"]);
    args.extend(["--notice-date", "2024-03-01"]);
    args.extend_from_slice(extra);
    let r = w.zwgk(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    w
}

fn demo_docx() -> (String, String, Vec<String>) {
    let w = demo_run(&[]);
    let file = std::fs::File::open(w.path().join("out/notice.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    // Deflated (docx-rs stores its parts as they are): a tenth of the size.
    let part = zip.by_name("word/document.xml").unwrap();
    assert_eq!(part.compression(), zip::CompressionMethod::Deflated);
    assert!(
        part.compressed_size() * 4 < part.size(),
        "{}",
        part.compressed_size()
    );
    drop(part);
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let document = read("word/document.xml");
    let settings = read("word/settings.xml");
    let footers = vec![read("word/footer1.xml"), read("word/footer2.xml")];
    // The charts are drawn for print: 680 px across the 156 mm text width,
    // so that their 14 px text prints at 9.1 pt.
    let pictures: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    // 市政府部门's 40 units print as two pictures (25 and 15).
    assert_eq!(pictures.len(), 4, "{pictures:?}");
    for name in pictures {
        let mut png = Vec::new();
        zip.by_name(&name).unwrap().read_to_end(&mut png).unwrap();
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert_eq!(width, 680, "{name}");
    }
    (document, settings, footers)
}

/// The text of each paragraph, in order.
fn paragraphs(document: &str) -> Vec<String> {
    document
        .split("</w:p>")
        .map(|p| {
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .filter_map(|t| t.split("</w:t>").next())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn the_notice_docx_has_the_layout_of_an_official_document() {
    let (doc, settings, footers) = demo_docx();
    // A4, margins 37/35/28/26 mm.
    assert!(
        doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\""),
        "page size"
    );
    for m in [
        "w:top=\"2098\"",
        "w:bottom=\"1984\"",
        "w:left=\"1587\"",
        "w:right=\"1474\"",
    ] {
        assert!(doc.contains(m), "margin {m}");
    }
    // Title 2号 方正小标宋简体; body 3号 仿宋_GB2312, two-character indent,
    // exactly 22 lines a page; headings in 黑体 and 楷体_GB2312; Latin text
    // in Times New Roman.
    let title = doc
        .find("关于2023年度锦城市政务公开工作考核结果的通报")
        .unwrap();
    let before = &doc[..title];
    let run_start = before.rfind("<w:r>").unwrap();
    assert!(doc[run_start..title].contains("w:eastAsia=\"方正小标宋简体\""));
    assert!(doc[run_start..title].contains("<w:sz w:val=\"44\" />"));
    assert!(doc.contains("w:eastAsia=\"仿宋_GB2312\""));
    assert!(doc.contains("<w:sz w:val=\"32\" />"));
    assert!(doc.contains("w:line=\"579\" w:lineRule=\"exact\""));
    assert!(doc.contains("w:firstLine=\"640\""));
    assert!(doc.contains("w:ascii=\"Times New Roman\""));
    let heading = |text: &str, font: &str| {
        let at = doc.find(text).unwrap_or_else(|| panic!("{text}"));
        let start = doc[..at].rfind("<w:r>").unwrap();
        assert!(
            doc[start..at].contains(&format!("w:eastAsia=\"{font}\"")),
            "{text} in {font}"
        );
    };
    heading("一、总体情况", "黑体");
    heading("三、存在的主要问题", "黑体");
    heading("（一）县（市、区）", "楷体_GB2312");
    // Every table's header row repeats: the summary and one per group.
    assert_eq!(doc.matches("<w:tbl>").count(), 4);
    assert_eq!(doc.matches("<w:tblHeader />").count(), 4);
    // The groups' ranking charts (40 units in two pictures), each picture
    // with its own id.
    assert_eq!(doc.matches("<pic:pic").count(), 4);
    let ids: Vec<&str> = doc
        .split("<wp:docPr id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    // — N — at the foot, right on odd pages and left on even pages.
    assert!(settings.contains("evenAndOddHeaders"), "{settings}");
    for f in &footers {
        assert!(f.contains("PAGE"), "{f}");
        assert!(f.contains(">— <"), "{f}");
    }
    assert!(footers
        .iter()
        .any(|f| f.contains("<w:jc w:val=\"right\" />")));
    assert!(footers
        .iter()
        .any(|f| f.contains("<w:jc w:val=\"left\" />")));
}

#[test]
fn the_notice_docx_says_what_the_notice_says() {
    let (doc, _, _) = demo_docx();
    let text = paragraphs(&doc).join("\n");
    // No problem codes in the text.
    for code in [
        "A101", "A102", "A201", "A401", "B201", "W01", "W02", "W03", "M01", "M02", "S01", "S02",
    ] {
        assert!(!text.contains(code), "{code} in the notice");
    }
    // The hacked website (veto level, rare) and the quota in 园区 are said.
    assert!(
        text.contains("网站被篡改或挂马（单项否决，该项计0分），涉及市公安局"),
        "{text}"
    );
    assert!(
        text.contains("综合保税区、文旅康养度假区、临空经济区得分达到“优秀”等次分数线"),
        "{text}"
    );
    // The issuer and the date close it.
    assert!(
        text.ends_with("锦城市人民政府办公室\n2024年3月1日"),
        "{text}"
    );
    insta::assert_snapshot!("notice_docx_text", text);
}

/// The text of one .docx of a run.
fn docx_text(path: &std::path::Path) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut doc = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    paragraphs(&doc).join("\n")
}

/// A feedback sheet per unit, named by its id, from the same facts as the
/// breakdown (numbers from fixtures/hand/expected/README.md).
#[test]
fn each_unit_gets_a_feedback_sheet_with_every_lost_point() {
    let w = Workdir::with_fixture("hand");
    w.write(
        "indicators.toml",
        w.read("indicators.toml")
            + "\n[feedback]\ndeadline = 2024-03-31\nrequirements = [\"逐项整改。\"]\n",
    );
    let r = w.run(&["--no-charts", "--notice-date", "2024-03-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut files: Vec<String> = std::fs::read_dir(w.path().join("out/feedback"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    // Each unit's sheet and its own results page.
    assert_eq!(
        files,
        [
            "U1.docx", "U1.html", "U2.docx", "U2.html", "U3.docx", "U3.html", "U4.docx", "U4.html",
            "U5.docx", "U5.html", "U6.docx", "U6.html"
        ]
    );
    let u3 = docx_text(&w.path().join("out/feedback/U3.docx"));
    assert!(u3.contains("南城区："), "{u3}");
    assert!(
        u3.contains("你单位（U3，县（市、区））2023年度政务公开工作考核总分59.00分（基础得分83.50分，加分0.00分，扣分1.50分），在3个单位中排第3名，等次为“较差”（一票否决），折合目标绩效考核2.95分。"),
        "{u3}"
    );
    // C2: 10 days late, beyond zero_after 5: all 15 points lost.
    assert!(
        u3.contains("C2 年报\n15.00\n0.00\n15.00\n填报 2024-02-10；逾期 10 天（截止 2024-01-31）"),
        "{u3}"
    );
    assert!(u3.contains("一票否决：泄密"), "{u3}");
    assert!(u3.contains("请于2024年3月31日前完成整改"), "{u3}");
    assert!(u3.contains("1. 逐项整改。"), "{u3}");
    // U2: B2 is not its duty; A2 it declared 不涉及.
    let u2 = docx_text(&w.path().join("out/feedback/U2.docx"));
    assert!(
        u2.contains("A2 公开比例（不涉及（单位报送不涉及））"),
        "{u2}"
    );
    assert!(u2.contains("B2 新媒体（不涉及（非责任单位））"), "{u2}");
    assert!(u2.contains("各项指标均未失分。"), "{u2}");
    // --no-feedback leaves the sheets out.
    let r = w.run(&["--no-charts", "--force", "--no-feedback"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!w.exists("out/feedback"));
}

/// What an officer who signs a printed .docx would catch: a picture larger
/// than the text area (156 × 225 mm) is cut at the page's foot; a heading
/// without keep-with-next can be stranded at the foot of a page; a draft
/// without 征求意见稿 in the header of its pages can be circulated as final.
/// Returns every fault found.
pub fn print_faults(path: &std::path::Path, draft: bool) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut text).unwrap();
        }
        text
    };
    let doc = read("word/document.xml");
    let headers = [read("word/header1.xml"), read("word/header2.xml")];
    let mut faults = Vec::new();
    // 156 × 225 mm in EMU (8845 × 12756 twips × 635).
    let (max_w, max_h) = (8845u64 * 635, 12756u64 * 635);
    for extent in doc.split("<wp:extent ").skip(1) {
        let num = |key: &str| -> u64 {
            extent
                .split(&format!("{key}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX)
        };
        let (cx, cy) = (num("cx"), num("cy"));
        if cx > max_w || cy > max_h {
            faults.push(format!(
                "picture {cx} × {cy} EMU is larger than the text area"
            ));
        }
    }
    for p in doc.split("</w:p>") {
        let heading = p.contains("w:eastAsia=\"黑体\"") && !p.contains("<w:tc")
            || p.contains("w:eastAsia=\"楷体_GB2312\"");
        let text: String = p
            .split("<w:t xml:space=\"preserve\">")
            .skip(1)
            .filter_map(|t| t.split("</w:t>").next())
            .collect();
        let numbered = ["一、", "二、", "三、", "四、", "（一）", "（二）", "（三）"]
            .iter()
            .any(|h| text.starts_with(h));
        if heading && numbered && !p.contains("<w:keepNext") {
            faults.push(format!(
                "heading {text} is not kept with the next paragraph"
            ));
        }
    }
    if draft && !headers.iter().all(|h| h.contains("征求意见稿")) {
        faults.push("a draft without 征求意见稿 in the header of every page".into());
    }
    faults
}

#[test]
fn the_demo_notice_prints_whole() {
    let w = demo_run(&["--draft"]);
    assert_eq!(
        print_faults(&w.path().join("out/notice.docx"), true),
        Vec::<String>::new()
    );
    let sheet = w.path().join("out/feedback/X01.docx");
    assert_eq!(print_faults(&sheet, true), Vec::<String>::new());
}

#[test]
fn a_group_of_120_units_prints_whole_in_pictures_of_25() {
    let w = Workdir::new();
    w.generate(180, 2000, &[], "g");
    let units = w.read("g/data/units.csv");
    let dept = units.lines().filter(|l| l.ends_with(",dept")).count();
    assert!((110..=130).contains(&dept), "{dept} units in dept");
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "g/indicators.toml",
        "--data",
        "g/data",
        "--out",
        "out",
        "--notice-date",
        "2024-03-01",
        "--draft",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notice = w.path().join("out/notice.docx");
    assert_eq!(print_faults(&notice, true), Vec::<String>::new());
    // Every group in pictures of at most 25 units: ⌈n / 25⌉ pictures each.
    let mut groups = std::collections::HashMap::new();
    for line in units.lines().skip(1) {
        *groups
            .entry(line.rsplit(',').next().unwrap().to_string())
            .or_insert(0usize) += 1;
    }
    let expected: usize = groups.values().map(|n| n.div_ceil(25)).sum();
    let mut doc = String::new();
    zip::ZipArchive::new(std::fs::File::open(&notice).unwrap())
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    assert_eq!(doc.matches("<pic:pic").count(), expected, "{groups:?}");
}

#[test]
fn the_print_check_catches_a_stranded_heading_and_a_missing_draft_header() {
    // The check itself must be able to fail: a notice of an ordinary run
    // (no draft header) is a fault when read as a draft.
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run_with_charts(&[]).code, 0);
    let notice = w.path().join("out/notice.docx");
    let faults = print_faults(&notice, true);
    assert_eq!(
        faults,
        ["a draft without 征求意见稿 in the header of every page"]
    );
    // The same notice with its keep-with-next taken out, and a picture
    // made taller than a page.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&notice).unwrap()).unwrap();
    let broken = w.path().join("broken.docx");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&broken).unwrap());
    for k in 0..zip.len() {
        let mut f = zip.by_index(k).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" {
            let text = String::from_utf8(bytes)
                .unwrap()
                .replace("<w:keepNext />", "");
            let at = text
                .find("<wp:extent cy=\"")
                .or_else(|| text.find("<wp:extent "))
                .unwrap();
            let text = format!(
                "{}<wp:extent cx=\"100\" cy=\"99999999\" />{}",
                &text[..at],
                &text[at..]
            );
            bytes = text.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
    let faults = print_faults(&broken, false);
    assert!(
        faults
            .iter()
            .any(|f| f.starts_with("heading 一、总体情况 is not kept")),
        "{faults:?}"
    );
    assert!(
        faults
            .iter()
            .any(|f| f.contains("larger than the text area")),
        "{faults:?}"
    );
}
