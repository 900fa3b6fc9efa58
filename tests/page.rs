//! The results page in a real headless Chromium (SPEC §13): found by
//! pinyin, a unit's account at its own address, sorting, filtering, print
//! to A4, escaping, and each unit's own page holding no other unit's
//! account. The page is driven through its address (`#q=`, `#unit=`,
//! `#sort=`, `#grade=`) and read back as the DOM Chromium built.
//!
//! Without Chromium the tests say "skipped: no chromium"; under `CI` a
//! missing Chromium fails them (`.ci/run` installs it).

use crate::harness::{run_args, Workdir};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new("which").arg(name).output() {
            if out.status.success() {
                let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
                return Some(PathBuf::from(path));
            }
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "no chromium under CI: .ci/run installs it"
    );
    eprintln!("skipped: no chromium");
    None
}

fn browser(bin: &Path, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// The DOM of `file` at `#hash` after its script ran.
fn dom(bin: &Path, w: &Workdir, file: &str, hash: &str) -> String {
    let url = format!("file://{}#{hash}", w.path().join(file).display());
    // A profile of its own: tests share one demo run and open it at once.
    let profile = tempfile::tempdir().unwrap();
    let out = browser(bin, profile.path())
        .args(["--dump-dom", &url])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script ran: {dom:.300}"
    );
    dom
}

/// The demo run into `out` (with a unit renamed when `rename` is given).
fn demo(rename: Option<(&str, &str)>) -> Workdir {
    let w = Workdir::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("indicators/demo.toml"),
        w.path().join("demo.toml"),
    )
    .unwrap();
    for f in std::fs::read_dir(root.join("data/demo")).unwrap().flatten() {
        let bytes = std::fs::read(f.path()).unwrap();
        w.write(&format!("data/{}", f.file_name().to_string_lossy()), bytes);
    }
    if let Some((from, to)) = rename {
        w.edit("data/units.csv", from, to);
    }
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "demo.toml",
        "--data",
        "data",
        "--out",
        "out",
        "--notice-date",
        "2024-03-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    w
}

/// The demo run the tests that only read it share (one run with charts
/// instead of one each). Its folder outlives the tests, as a static does.
fn shared_demo() -> &'static Workdir {
    static DEMO: std::sync::OnceLock<Workdir> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| demo(None))
}

/// The rows (cell texts, tags taken out) of the table with id `id`.
fn table_rows(dom: &str, id: &str) -> Vec<Vec<String>> {
    let start = dom
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("table {id}"));
    let body = &dom[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
    let untagged = |cell: &str| -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in cell.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    body.split("</tr>")
        .filter(|r| r.contains("<t"))
        .map(|r| {
            r.split("</td>")
                .flat_map(|c| c.split("</th>"))
                .map(untagged)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect()
}

#[test]
fn a_unit_is_found_by_pinyin_initials_and_by_every_reading_of_a_polyphonic_character() {
    let Some(bin) = chromium() else { return };
    let w = shared_demo();
    // 长乐市: 长 reads chang and zhang.
    // A full reading may end cut short (changl), and spans characters.
    for q in [
        "cls",
        "zls",
        "cl",
        "changle",
        "changl",
        "zhangleshi",
        "x14",
        "长乐",
    ] {
        let d = dom(&bin, w, "out/results.html", &format!("q={q}"));
        assert!(
            d.contains("<a href=\"#unit=X14\">长乐市（X14，县（市、区））</a>"),
            "{q}"
        );
    }
    let d = dom(&bin, w, "out/results.html", "q=qqqq");
    assert!(d.contains("未找到“qqqq”"));
}

#[test]
fn a_units_address_shows_its_records_and_appeal_decisions() {
    let Some(bin) = chromium() else { return };
    let w = shared_demo();
    let d = dom(&bin, w, "out/results.html", "unit=Z06");
    assert!(d.contains("市公安局（Z06，市政府部门）"));
    // Its record R0114, upheld on appeal, and the veto it brought on D.
    assert!(
        d.contains("R0114（复核维持：经复核，首页被篡改属实）"),
        "{d:.2000}"
    );
    assert!(d.contains("D3 平台安全与保密单项否决"));
    // Where it stands on D against its group: 0.00, the group's lowest.
    assert!(d.contains("各一级指标：本单位与本组最低、平均、最高"));
    // Side by side with another unit.
    let d = dom(&bin, w, "out/results.html", "unit=Z06&with=Z07");
    assert!(d.contains("市公安局（Z06，市政府部门）") && d.contains("市民政局（Z07，市政府部门）"));
}

#[test]
fn a_group_sorts_by_an_indicator_and_filters_by_grade() {
    let Some(bin) = chromium() else { return };
    let w = shared_demo();
    let results: serde_json::Value = serde_json::from_str(&w.read("out/results.json")).unwrap();
    let dept: Vec<&serde_json::Value> = results["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["group"] == "dept")
        .collect();
    // Sorted by D (the 4th top-level indicator) ascending: the lowest D first.
    let d_of = |u: &serde_json::Value| {
        u["indicators"]["D"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    let lowest = dept.iter().map(|u| d_of(u)).fold(f64::MAX, f64::min);
    let d = dom(&bin, w, "out/results.html", "sort=dept:ind3:asc");
    assert!(d.contains("aria-sort=\"ascending\""));
    let rows = table_rows(&d, "rank-dept");
    assert_eq!(rows.len(), 40);
    let first = dept
        .iter()
        .find(|u| u["name"].as_str() == Some(rows[0][1].as_str()))
        .unwrap();
    assert_eq!(d_of(first), lowest, "{:?}", rows[0]);
    // Filtered to 优秀: exactly the group's 优秀 units.
    let excellent = dept.iter().filter(|u| u["grade"] == "优秀").count();
    let d = dom(&bin, w, "out/results.html", "grade=dept:优秀");
    let rows = table_rows(&d, "rank-dept");
    assert_eq!(rows.len(), excellent);
    assert!(rows.iter().all(|r| r[3].starts_with("优秀")), "{rows:?}");
}

#[test]
fn a_units_view_prints_on_a4() {
    let Some(bin) = chromium() else { return };
    let w = shared_demo();
    let scratch = tempfile::tempdir().unwrap();
    let pdf = scratch.path().join("z06.pdf");
    let url = format!(
        "file://{}#unit=Z06",
        w.path().join("out/results.html").display()
    );
    let out = browser(&bin, &scratch.path().join("profile"))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(&url)
        .output()
        .unwrap();
    assert!(out.status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // A4 is 595 × 842 points.
    assert!(
        text.contains("/MediaBox [0 0 594.9"),
        "the pages are A4: 595 × 842 pt"
    );
    assert!(text.contains(" 841.9"), "the pages are A4: 595 × 842 pt");
}

#[test]
fn a_unit_named_like_a_script_runs_no_script() {
    let Some(bin) = chromium() else { return };
    let name = "</script><script>document.title='pwned'</script>";
    let w = demo(Some((
        "X01,东湖区,县（市、区）,",
        &format!("X01,{name},县（市、区）,东湖区"),
    )));
    for file in ["out/results.html", "out/feedback/X01.html"] {
        let d = dom(&bin, &w, file, "unit=X01");
        assert!(!d.contains("<title>pwned</title>"), "{file}");
        assert!(
            d.contains("&lt;/script&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
            "{file}: the name is shown as text"
        );
    }
}

/// Every record id (R0001…) and every note of the demo's inspections, by
/// unit id.
fn records_by_unit(w: &Workdir) -> std::collections::HashMap<String, (Vec<String>, Vec<String>)> {
    let mut out: std::collections::HashMap<String, (Vec<String>, Vec<String>)> = Default::default();
    // A record names its unit by id, name or alias, as the roster gives them.
    let mut by_name = std::collections::HashMap::new();
    for line in w.read("data/units.csv").lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        for key in [cells[0], cells[1]]
            .into_iter()
            .chain(cells[3].split(['|', '、']))
        {
            by_name.insert(key.to_string(), cells[0].to_string());
        }
    }
    let text = w.read("data/inspections.csv");
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let unit = by_name
            .get(cells[1])
            .cloned()
            .unwrap_or_else(|| cells[1].to_string());
        let entry = out.entry(unit).or_default();
        entry.0.push(cells[0].to_string());
        entry.1.push(cells[6].to_string());
    }
    out
}

#[test]
fn each_units_own_page_holds_no_other_units_records_or_notes() {
    let w = shared_demo();
    let records = records_by_unit(w);
    let ids: Vec<String> = records.keys().cloned().collect();
    assert!(ids.len() > 30);
    for id in &ids {
        let page = w.read(&format!("out/feedback/{id}.html"));
        let (own_ids, own_notes) = &records[id];
        for (other, (their_ids, their_notes)) in &records {
            if other == id {
                continue;
            }
            for r in their_ids {
                // Found only as whole ids (R0254 is not R0254b).
                let hit = page.match_indices(r.as_str()).any(|(k, _)| {
                    !page[k + r.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
                });
                assert!(!hit, "{id}'s page holds {other}'s record {r}");
            }
            for n in their_notes
                .iter()
                .filter(|n| !n.is_empty() && !own_notes.contains(n))
            {
                assert!(
                    !page.contains(n.as_str()),
                    "{id}'s page holds {other}'s note {n}"
                );
            }
        }
        let _ = own_ids;
    }
    // A unit's own page holds its own account.
    assert!(w.read("out/feedback/Z06.html").contains("R0114"));
    // The office's page holds every record any unit's page shows.
    let office = w.read("out/results.html");
    let mut shown = 0;
    for (id, (rs, _)) in &records {
        let page = w.read(&format!("out/feedback/{id}.html"));
        for r in rs.iter().filter(|r| page.contains(r.as_str())) {
            assert!(office.contains(r.as_str()), "{r}");
            shown += 1;
        }
    }
    assert!(shown > 200, "{shown} records shown on the units' pages");
}

#[test]
fn the_demo_page_is_one_file_under_500_kb() {
    let w = shared_demo();
    let page = w.read("out/results.html");
    assert!(page.len() < 500_000, "{} bytes", page.len());
    // Self-contained: no address it would fetch.
    for needle in ["src=\"http", "href=\"http", "url(http", "<link "] {
        assert!(!page.contains(needle), "{needle}");
    }
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("content=\"webkit\""));
    // Plain ES2017: no optional chaining or nullish coalescing.
    let script = &page[page.rfind("<script>").unwrap()..];
    assert!(!script.contains("?.") && !script.contains("??"));
}

/// A record id the unit's breakdown names (the first), from breakdown.csv.
fn a_record_of(w: &Workdir, unit: &str) -> String {
    let breakdown = w.read("g/out/breakdown.csv");
    let row = breakdown
        .lines()
        .find(|l| l.contains(&format!(",{unit},")) && l.contains("记录 R"))
        .expect("a row with records");
    let from = row.find("记录 R").unwrap() + "记录 ".len();
    row[from..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

#[test]
fn a_large_page_carries_its_accounts_packed_and_still_shows_them() {
    let Some(bin) = chromium() else { return };
    // 1,500 units: their accounts are over 512 KB of JSON, in blocks of
    // about 256 KB packed with gzip; the vendored fflate unpacks the opened
    // unit's block alone.
    let w = Workdir::new();
    w.generate(1500, 30_000, &[], "g");
    let mut args = run_args("g/indicators.toml", "g/data", "g/out");
    args.push("--no-feedback");
    let r = w.zwgk(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = w.read("g/out/results.html");
    let blocks = page
        .matches("<script type=\"application/json\" id=\"zwgk-units-")
        .count();
    let packed = page.matches("\" data-packed=\"gzip\">").count();
    assert!(
        blocks > 1 && packed >= blocks,
        "{blocks} account blocks, {packed} packed"
    );
    // The last unit's account is in the last block, opened with the pair.
    let last = format!("zwgk-units-{}\"", blocks - 1);
    assert!(page.contains(&last), "{last}");
    let d = dom(&bin, &w, "g/out/results.html", "unit=G001499&with=G000000");
    assert!(
        d.contains("你单位（G001499，") && d.contains("你单位（G000000，"),
        "{d:.3000}"
    );
    let record = a_record_of(&w, "G000123");
    let d = dom(&bin, &w, "g/out/results.html", "unit=G000123");
    assert!(
        d.contains("合成单位124（G000123，市政府部门）"),
        "{d:.2000}"
    );
    assert!(
        d.contains("你单位（G000123，市政府部门）"),
        "its standing, from the packed account"
    );
    assert!(d.contains(&record), "{record} in {d:.3000}");
    // E is 不涉及 for every 市政府部门: nothing to compare, said as "—".
    let none = "<td class=\"num\">—</td>".repeat(3);
    assert!(
        d.contains(&format!("<td class=\"num\">不涉及</td>{none}</tr>")),
        "{d:.3000}"
    );
    // The search reads no account: by id and by the pinyin of the name.
    let d = dom(&bin, &w, "g/out/results.html", "q=hcdw124");
    assert!(
        d.contains("<a href=\"#unit=G000123\">合成单位124（G000123，市政府部门）</a>"),
        "{d:.3000}"
    );
    a_large_group_opens_with_its_head_and_sorts_and_filters_whole(&bin, &w);
}

/// The largest group of the 1,500: the page opens with its first 100 rows
/// (the rest are after the script), and a sort or a grade filter still
/// works over the whole group.
fn a_large_group_opens_with_its_head_and_sorts_and_filters_whole(bin: &Path, w: &Workdir) {
    let results: serde_json::Value = serde_json::from_str(&w.read("g/out/results.json")).unwrap();
    let units = results["units"].as_array().unwrap();
    let count = |g: &str| units.iter().filter(|u| u["group"] == g).count();
    let group = units
        .iter()
        .map(|u| u["group"].as_str().unwrap())
        .max_by_key(|g| count(g))
        .unwrap();
    let members: Vec<&serde_json::Value> = units.iter().filter(|u| u["group"] == group).collect();
    assert!(members.len() > 200, "{group}: {}", members.len());
    let total = |u: &serde_json::Value| u["total"].as_str().unwrap().parse::<f64>().unwrap();
    let d = dom(bin, w, "g/out/results.html", "");
    let table = format!("rank-{group}");
    assert_eq!(table_rows(&d, &table).len(), 100);
    assert!(
        d.contains(&format!("显示本组全部 {} 个单位", members.len())),
        "{d:.3000}"
    );
    // Lowest total first: a unit far below the first 100.
    let lowest = members.iter().map(|u| total(u)).fold(f64::MAX, f64::min);
    let d = dom(
        bin,
        w,
        "g/out/results.html",
        &format!("sort={group}:total:asc"),
    );
    let rows = table_rows(&d, &table);
    assert_eq!(rows[0][2].parse::<f64>().unwrap(), lowest, "{:?}", rows[0]);
    let worst = members.iter().filter(|u| total(u) == lowest).count();
    assert!(worst < 100 && members.len() - worst > 100);
    // A grade some unit below the first 100 has (the fewest such): every
    // unit of it, across the whole group.
    let of = |g: &str| members.iter().filter(|u| u["grade"] == g).count();
    let grade = members
        .iter()
        .filter(|u| u["rank"].as_u64().unwrap() > 100)
        .map(|u| u["grade"].as_str().unwrap())
        .min_by_key(|g| of(g))
        .unwrap();
    let of_grade = of(grade);
    let d = dom(
        bin,
        w,
        "g/out/results.html",
        &format!("grade={group}:{grade}"),
    );
    let rows = table_rows(&d, &table);
    assert_eq!(rows.len(), of_grade.min(100), "{grade}");
    assert!(rows.iter().all(|r| r[3].starts_with(grade)), "{rows:?}");
}
