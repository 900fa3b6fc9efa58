//! The user guide (docs/用户手册.md) walked as an officer would: every
//! command in its code blocks is run as written, in order, in a folder
//! holding what the archive holds (the demo's indicators and data). A
//! command marked `# 会报错` must fail with exit status 1; every other must
//! succeed.

use crate::harness::Workdir;
use std::path::Path;

/// A command line split as a shell splits it (double quotes only).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// The guide's commands in order: (words after `zwgk`, expected to fail).
fn commands(guide: &str) -> Vec<(Vec<String>, bool)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in guide.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block || !line.starts_with("zwgk") {
            continue;
        }
        let (command, comment) = line.split_once('#').unwrap_or((line, ""));
        let mut w = words(command.trim());
        w.remove(0);
        out.push((w, comment.contains("会报错")));
    }
    out
}

#[test]
fn every_command_of_the_user_guide_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/用户手册.md")).unwrap();
    let cmds = commands(&guide);
    assert!(cmds.len() >= 10, "{cmds:?}");
    let w = Workdir::new();
    w.write(
        "indicators/demo.toml",
        std::fs::read(root.join("indicators/demo.toml")).unwrap(),
    );
    for f in std::fs::read_dir(root.join("data/demo")).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        w.write(
            &format!("data/demo/{name}"),
            std::fs::read(f.path()).unwrap(),
        );
    }
    for (args, fails) in &cmds {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = w.zwgk_in(crate::harness::chinese, &args);
        let want = if *fails { 1 } else { 0 };
        assert_eq!(
            r.code,
            want,
            "zwgk {}\n{}{}",
            args.join(" "),
            r.stdout,
            r.stderr
        );
    }
    // What the guide says the walk leaves behind.
    for f in [
        "reports/demo/results.html",
        "2025年度考核/indicators.toml",
        "报送表/X01.xlsx",
        "汇总/单位报送.xlsx",
        "汇总/collect.log",
        "结果/第一季度/notice.docx",
        "结果/年度/feedback/X01.docx",
        "结果/全年/feedback.xlsx",
        "结果/比较/compare.xlsx",
    ] {
        assert!(w.exists(f), "{f}");
    }
}

#[test]
fn a_quoted_argument_keeps_its_spaces() {
    assert_eq!(
        words("run --doc-number \"锦府办函 12号\" --out x"),
        ["run", "--doc-number", "锦府办函 12号", "--out", "x"]
    );
}
