//! Charts and the notice: files named from ids, Chinese rendered with the
//! bundled font, text from inputs escaped, draft marks, font errors.

use crate::harness::Workdir;

#[test]
fn writes_png_and_svg_charts_named_by_group_ids() {
    let w = Workdir::with_fixture("hand");
    let r = w.run_with_charts(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in [
        "rank-g1",
        "rank-g2",
        "indicators-g1",
        "indicators-g2",
        "issues",
        "distribution",
    ] {
        let png = std::fs::read(w.path().join(format!("out/charts/{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png is a PNG");
        let svg = w.read(&format!("out/charts/{name}.svg"));
        assert!(svg.starts_with("<svg"), "{name}.svg");
    }
    let svg = w.read("out/charts/rank-g1.svg");
    assert!(
        svg.contains("县（市、区） 考核得分排名"),
        "Chinese title as text"
    );
    assert!(svg.contains("1. 西山区"), "best on top is listed first");
}

/// The texts of an SVG chart in drawing order, trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// What the distribution and indicator charts show, worked from the hand
/// fixture's totals (100.00, 74.50, 59.00 in 县; 74.29, 74.29, 35.71 in
/// 部门): ten-point bins hold 1 (30–40), 1 (50–60), 3 (70–80) and 1
/// (90–100) units; 县's indicator bars list its units in rank order, each
/// with its base score (东湖区 74.50 − bonus 2 = 72.50; 南城区 83.50
/// before its veto caps the total at 59).
#[test]
fn the_distribution_and_indicator_charts_show_the_hand_figures() {
    let w = Workdir::with_fixture("hand");
    let r = w.run_with_charts(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let texts = svg_texts(&w.read("out/charts/distribution.svg"));
    assert_eq!(texts[0], "手算用例 总分分布 (6个单位)");
    let counts: Vec<&str> = texts[1..]
        .iter()
        .map(String::as_str)
        .skip_while(|t| !t.chars().all(|c| c.is_ascii_digit()))
        .take(4)
        .collect();
    assert_eq!(counts, ["1", "1", "3", "1"], "{texts:?}");
    let texts = svg_texts(&w.read("out/charts/indicators-g1.svg"));
    assert_eq!(texts[0], "县（市、区） 各项指标得分");
    assert_eq!(
        &texts[1..4],
        ["主动公开 (40分)", "平台建设 (30分)", "基层公开 (30分)"]
    );
    let bars: Vec<&String> = texts
        .iter()
        .skip_while(|t| !t.starts_with("1. "))
        .take(6)
        .collect();
    assert_eq!(
        bars,
        [
            "1. 西山区",
            "100.00",
            "2. 东湖区",
            "72.50",
            "3. 南城区",
            "83.50"
        ]
    );
}

#[test]
fn the_ranking_chart_svg_matches_its_snapshot() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run_with_charts(&[]).code, 0);
    insta::assert_snapshot!("rank_g2_svg", w.read("out/charts/rank-g2.svg"));
}

#[test]
fn the_notice_has_its_four_sections_and_is_self_contained() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run_with_charts(&[]).code, 0);
    let html = w.read("out/notice.html");
    for part in [
        "一、总体情况",
        "二、考核结果",
        "三、存在的主要问题",
        "四、下步工作要求",
        "2024年3月1日",
        "<svg",
        "@page { size: A4",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(
        !html.contains("src=\"charts/"),
        "no external chart files in the HTML"
    );
    // The chart font, cut to the notice's characters, is embedded and
    // listed after the office fonts: Chinese shows without a CJK font.
    assert!(html.contains("@font-face { font-family: \"zwgk-cjk\"; src: url(data:font/ttf;base64,"));
    assert!(html.contains("\"FangSong\", \"仿宋\""));
    assert!(html.contains("\"zwgk-cjk\", serif;"));
    assert!(!html.contains("ZWGK_EMBEDDED_FONT_FACE"));
    assert!(
        html.contains("南城区（泄密）"),
        "the vetoed unit and its reason"
    );
    let md = w.read("out/notice.md");
    assert!(md.contains("| 1 | 西山区 | 100.00 | 优秀 |"), "{md}");
    // I1: R1 (U1 ×2), R6 (U4), R7 (U5), R9 (U6 ×10) = 14 times, 4 units.
    assert!(
        md.contains("1. 文件未公开：14次，涉及4个单位（东湖区、市教育局、市财政局、市民政局）。"),
        "{md}"
    );
    assert!(md.contains("| 3 | 南城区 | 59.00 | 较差（否决） |"), "{md}");
    assert!(md.contains("分项之和与总分可能存在尾差"));
}

#[test]
fn unit_names_are_escaped_in_html_svg_and_markdown() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/units.csv",
        "U3,南城区,g1,",
        "U3,<script>alert(1)</script>,g1,南城区",
    );
    let r = w.run_with_charts(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = w.read("out/notice.html");
    assert!(
        !html.contains("<script>"),
        "no live script tag in the notice"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!w.read("out/charts/rank-g1.svg").contains("<script>"));
    assert!(!w.read("out/notice.md").contains("<script>"));
}

#[test]
fn draft_runs_say_so_on_every_page_of_the_notice() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run_with_charts(&["--draft", "--no-charts"]).code, 0);
    let html = w.read("out/notice.html");
    assert!(
        html.contains("class=\"watermark\">征求意见稿"),
        "a fixed watermark repeats on every printed page"
    );
    assert!(w.read("out/notice.md").contains("【征求意见稿】"));
}

#[test]
fn a_missing_or_unusable_font_is_a_clear_error_not_a_panic() {
    let w = Workdir::with_fixture("hand");
    let r = w.run_with_charts(&["--font", "no-such-font.ttf"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("font file no-such-font.ttf cannot be read"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("fonts-wqy-microhei"),
        "names what to install: {}",
        r.stderr
    );
    assert!(!w.exists("out"));
    w.write("bogus.ttf", "not a font");
    let r = w.run_with_charts(&["--font", "bogus.ttf"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("bogus.ttf is not a TrueType/OpenType font"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_office_template_replaces_the_html_notice() {
    let w = Workdir::with_fixture("hand");
    w.write(
        "my.html.j2",
        "<h1>{{ title }}</h1>{% for g in groups %}<p>{{ g.name }} {{ g.units }}</p>{% endfor %}",
    );
    let r = w.run_with_charts(&["--no-charts", "--template", "my.html.j2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        w.read("out/notice.html"),
        "<h1>关于手算用例结果的通报</h1><p>县（市、区） 3</p><p>部门 3</p>"
    );
}

#[test]
fn a_cut_list_of_units_in_the_notice_ends_with_deng_after_the_last_name() {
    let w = Workdir::new();
    let gen = [
        "generate",
        "--units",
        "60",
        "--records",
        "2000",
        "--out",
        "g",
    ];
    assert_eq!(w.zwgk(&gen).code, 0);
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "g/indicators.toml",
        "--data",
        "g/data",
        "--out",
        "out",
        "--no-charts",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = w.read("out/notice.md");
    // More than 12 units had the commonest problems: 12 names, then 等.
    assert!(md.contains("等）。"), "{md}");
    assert!(!md.contains("、等"), "{md}");
}

/// The notice reads as a 公文: 发文字号, title, 主送机关, the four sections
/// with （一）（二） group headings, problems by name and never by code,
/// every veto-level problem however rare, the quota that moved units down a
/// grade, and the issuer and date at the end.
#[test]
fn the_notice_follows_the_form_of_an_official_document() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "bonus_cap = 3",
        "bonus_cap = 3\nissuer = \"某市人民政府办公室\"",
    );
    w.write(
        "indicators.toml",
        w.read("indicators.toml")
            + "\n[notice]\naddressee = \"各县（市、区）人民政府，市政府各部门：\"\ndoc_number = \"某府办函〔2024〕3号\"\nrequirements = [\"抓好整改。\"]\n",
    );
    let r = w.run_with_charts(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = w.read("out/notice.md");
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {md}"))
    };
    // In this order: number, title, addressee, sections, the closing.
    let order = [
        at("某府办函〔2024〕3号"),
        at("# 关于手算用例结果的通报"),
        at("各县（市、区）人民政府，市政府各部门："),
        at("## 一、总体情况"),
        at("### （一）县（市、区）"),
        at("### （二）部门"),
        at("## 三、存在的主要问题"),
        at("## 四、下步工作要求"),
        at("某市人民政府办公室<br>2024年3月1日"),
    ];
    assert!(order.windows(2).all(|p| p[0] < p[1]), "{order:?}");
    // Problems by name only: no issue code anywhere in the prose.
    for code in ["I1", "I2", "I3", "V1", "P1"] {
        assert!(!md.contains(&format!("（{code}）")), "{code} in {md}");
    }
    assert!(!md.contains("标准差"));
    // The problems chart (in notice.html) names problems the same way.
    let issues = w.read("out/charts/issues.svg");
    assert!(
        issues.contains("文件未公开") && !issues.contains("I1 "),
        "{issues}"
    );
    // V1 (a grade veto, one record) is named however rare.
    assert!(
        md.contains("考核发现否决事项：泄密（一票否决），涉及南城区。"),
        "{md}"
    );
    // 部门: U4 and U5 both 74.29 — no quota there; 县: 优秀 quota
    // floor(3 × 0.5) = 1 and only U2 reaches 90, so no sentence either.
    assert!(!md.contains("按名次顺延"), "{md}");
    let html = w.read("out/notice.html");
    assert!(html.contains("<div class=\"closing\">某市人民政府办公室<br>2024年3月1日</div>"));
    assert!(
        html.contains("<h1>关于手算用例结果的通报</h1>"),
        "no parentheses to keep together"
    );
}

/// A quota that moves units down a grade is said, with why; with
/// `publish = "grades"` the units are listed under their grades in roster
/// order, without ranks or scores.
#[test]
fn the_notice_says_when_a_quota_moved_units_and_can_publish_grades_only() {
    let w = Workdir::with_fixture("hand");
    // 优秀 from 70: in 县 U2 (100) and U1 (74.5) reach it; the quota of
    // floor(3 × 0.5) = 1 keeps U2 and moves U1 down to 良好.
    w.edit("indicators.toml", "min = 90", "min = 70");
    w.edit(
        "indicators.toml",
        "min = 70\n\n[[grade]]\nname = \"较差\"",
        "min = 60\n\n[[grade]]\nname = \"较差\"",
    );
    w.write(
        "indicators.toml",
        w.read("indicators.toml") + "\n[notice]\npublish = \"grades\"\n",
    );
    let r = w.run(&["--no-charts", "--notice-date", "2024-03-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = w.read("out/notice.md");
    assert!(
        md.contains("东湖区得分达到“优秀”等次分数线（70分），但优秀等次不超过本组单位数的50%（3个单位，取1个；并列名次不拆分），按名次顺延为“良好”。"),
        "{md}"
    );
    // 县 in roster order under each grade; no ranked table.
    assert!(md.contains("优秀：西山区。"), "{md}");
    assert!(md.contains("良好：东湖区。"), "{md}");
    assert!(md.contains("较差：南城区。"), "{md}");
    assert!(!md.contains("| 名次 |"), "{md}");
}

#[test]
fn a_title_keeps_its_parentheses_on_one_line() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "indicators.toml",
        "name = \"手算用例\"",
        "name = \"手算用例（演示）\"",
    );
    let r = w.run(&["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = w.read("out/notice.html");
    assert!(
        html.contains("<h1>关于手算用例<span class=\"nb\">（演示）</span>结果的通报</h1>"),
        "{html}"
    );
}

/// feedback.xlsx, the 整改台账: a row per unit and item where it lost
/// points, per total-level problem and per grade veto, with the columns the
/// office fills in (numbers from fixtures/hand/expected/README.md).
#[test]
fn the_feedback_ledger_lists_every_lost_point_by_unit() {
    use calamine::{open_workbook_auto, Data, Reader};
    let w = Workdir::with_fixture("hand");
    w.write(
        "indicators.toml",
        w.read("indicators.toml") + "\n[feedback]\ndeadline = 2024-03-31\n",
    );
    assert_eq!(w.run(&["--no-charts"]).code, 0);
    let mut book = open_workbook_auto(w.path().join("out/feedback.xlsx")).unwrap();
    let range = book.worksheet_range("整改台账").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    c => c.to_string(),
                })
                .collect()
        })
        .collect();
    assert_eq!(
        rows[0][..6],
        ["序号", "分组", "单位编码", "单位名称", "总分", "等次"]
    );
    assert_eq!(rows[0][13..], ["整改措施", "整改情况", "完成时间"]);
    let of = |unit: &str| -> Vec<Vec<String>> {
        rows.iter().filter(|r| r[2] == unit).cloned().collect()
    };
    // U2 lost nothing: no row.
    assert!(of("U2").is_empty());
    // U3: C1 13.5 of 15, C2 0 of 15 (10 days late), P1 −1.5, the V1 veto.
    let u3 = of("U3");
    assert_eq!(u3.len(), 4, "{u3:?}");
    assert_eq!(
        u3[1][6..12],
        [
            "C2 年报",
            "15",
            "0",
            "15",
            "填报 2024-02-10；逾期 10 天（截止 2024-01-31）",
            ""
        ]
    );
    assert_eq!(
        u3[2][6..12],
        [
            "总分扣分：材料迟报",
            "",
            "",
            "1.5",
            "P1 材料迟报 ×1 −1.5；检查日期 2023-07-01",
            "R5"
        ]
    );
    assert_eq!(u3[3][6], "一票否决：泄密");
    assert_eq!(u3[3][11], "R4");
    assert_eq!(u3[0][12], "2024年3月31日", "the deadline of [feedback]");
    // U6: A1 loses all 20 to I1 ×10, A2 未报送, B1 −5.
    let u6 = of("U6");
    assert_eq!(
        u6[0][6..12],
        [
            "A1 文件公开",
            "20",
            "0",
            "20",
            "I1 文件未公开 ×10 −20；检查日期 2023-03-02",
            "R9×10"
        ]
    );
    assert_eq!(u6[1][10], "未报送");
    // U1's I1 record R1 was made on 2023-03-01.
    assert!(
        of("U1")[0][10].ends_with("检查日期 2023-03-01"),
        "{:?}",
        of("U1")
    );
    // --no-feedback leaves it out.
    assert_eq!(w.run(&["--no-charts", "--force", "--no-feedback"]).code, 0);
    assert!(!w.exists("out/feedback.xlsx"));
}
