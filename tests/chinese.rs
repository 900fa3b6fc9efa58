//! zwgk speaks Chinese by default: the common mistakes as an officer meets
//! them, in a Chinese locale and with `--lang zh`; English with `--lang en`
//! or an English locale; and `--help` of every command in both languages.

use crate::harness::{chinese, english, Workdir};

/// `zwgk check` on the hand fixture with edits, in a Chinese locale.
fn check_zh(edits: &[(&str, &str, &str)]) -> String {
    let w = Workdir::with_fixture("hand");
    for (file, from, to) in edits {
        w.edit(file, from, to);
    }
    let r = w.zwgk_in(
        chinese,
        &["check", "--indicators", "indicators.toml", "--data", "data"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr
}

#[test]
fn an_unknown_unit_is_named_with_suggestions_in_chinese() {
    let e = check_zh(&[("data/inspections.csv", "R1,东湖,", "R1,东胡区,")]);
    assert!(e.starts_with("错误：输入中有 1 处错误：\n"), "{e}");
    assert!(
        e.contains("data/inspections.csv 第 2 行“unit”列（问题 I1）：未知单位“东胡区”。是否为：东湖区、西山区、南城区？"),
        "{e}"
    );
}

#[test]
fn a_mistyped_indicator_id_is_named_with_the_ids_it_may_have_meant() {
    // Submissions suggest only what a submission may name (A2 takes a
    // value; A1 is a deduct leaf, A a parent); a responsibility table may
    // name any indicator. Q7 is near nothing, and gets no suggestion.
    let w = Workdir::with_fixture("hand");
    w.edit("data/submissions.csv", "U5,A2,67.5%", "U5,A22,67.5%");
    w.edit("data/submissions.csv", "U6,J1,1", "U6,Q7,1");
    w.write(
        "data/duties.csv",
        "指标代码,责任单位\nB2,东湖区\nB11,南城区\n",
    );
    let r = w.zwgk_in(
        chinese,
        &["check", "--indicators", "indicators.toml", "--data", "data"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = r.stderr;
    assert!(
        e.contains("data/submissions.csv 第 12 行“指标代码”列（单位 U5）：未知指标代码“A22”；应为指标体系中的末级指标或加分项代码。是否为：A2 公开比例？"),
        "{e}"
    );
    assert!(
        e.contains("第 13 行“指标代码”列（单位 U6）：未知指标代码“Q7”；应为指标体系中的末级指标或加分项代码\n"),
        "{e}"
    );
    assert!(
        e.contains("data/duties.csv 第 3 行“指标代码”列（单位 南城区）：未知指标代码“B11”。是否为：B1 网站、B 平台建设？"),
        "{e}"
    );
}

#[test]
fn a_bad_date_and_a_duplicate_row_are_named_in_chinese() {
    let e = check_zh(&[
        (
            "data/submissions.csv",
            "U1,C2,2024-02-02",
            "U1,C2,2024-02-30",
        ),
        (
            "data/submissions.csv",
            "U5,A2,67.5%,通过,\n",
            "U5,A2,67.5%,通过,\n市财政局,A2,70%,通过,\n",
        ),
    ]);
    assert!(
        e.contains("data/submissions.csv 第 3 行“填报值”列（单位 U1、指标 C2）：“2024-02-30”不是日期（应为 2023-01-31、2023/1/31、2023.1.31 或 2023年1月31日 这样的日期）"),
        "{e}"
    );
    assert!(
        e.contains("data/submissions.csv 第 13 行“指标代码”列（单位 市财政局）：单位 U5 的 A2 报送了两次（第一次在第 12 行）；请只保留一行"),
        "{e}"
    );
}

#[test]
fn toml_mistakes_are_said_in_plain_chinese_words() {
    let e = check_zh(&[("indicators.toml", "deduct = 1.5", "deduct = 一点五")]);
    assert!(
        e.contains("indicators.toml 第 129 行第 10 列：“deduct”应为数字，如 10 或 2.5（不加引号）；这里写的是 一点五"),
        "{e}"
    );
    let e = check_zh(&[("indicators.toml", "points = 40", "ponts = 40")]);
    assert!(
        e.contains("indicators.toml 第 37 行第 1 列：“ponts”不是这里可用的键。是否为“points”？"),
        "{e}"
    );
    let e = check_zh(&[("indicators.toml", "year = 2023\n", "")]);
    assert!(e.contains("缺少“year”：这一节必须写 year = …"), "{e}");
}

#[test]
fn a_missing_table_is_named_in_chinese_and_in_english_with_lang_en() {
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/ratings.csv")).unwrap();
    let args = ["check", "--indicators", "indicators.toml", "--data", "data"];
    let r = w.zwgk_in(chinese, &args);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "data：缺少“评分（ratings）”表，而指标 C1 按评分计分：请添加 评分.csv 或 ratings.csv"
        ),
        "{}",
        r.stderr
    );
    // The same facts in English, by flag in a Chinese locale; same exit code.
    let mut en = args.to_vec();
    en.extend(["--lang", "en"]);
    let r = w.zwgk_in(chinese, &en);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("data: the table ratings (评分) is missing, and leaves C1 use rule rating: add ratings.csv or 评分.csv"),
        "{}",
        r.stderr
    );
    // …and by locale.
    let r = w.zwgk_in(english, &args);
    assert!(
        r.stderr.starts_with("error: 1 error(s) in the inputs:"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_summary_and_warnings_are_in_chinese() {
    let w = Workdir::with_fixture("hand");
    let r = w.zwgk_in(chinese, &crate::harness::hand_run(&["--no-charts"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The third warning: the notice dated today, --notice-date not given.
    assert!(
        r.stderr
            .contains("通报未给出成文日期（--notice-date），按今天"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("手算用例：6 个单位已计分，警告 3 条；报告在 out"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("警告：U2 西山区：C1 只有 2 个评分"),
        "{}",
        r.stderr
    );
    let log = w.read("out/run.log");
    assert!(log.contains("读取的输入（SHA-256）："), "{log}");
}

#[test]
fn argument_errors_are_in_chinese() {
    let w = Workdir::new();
    let r = w.zwgk_in(chinese, &["run", "--bogus"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("错误：未知参数“--bogus”"),
        "{}",
        r.stderr
    );
    let r = w.zwgk_in(chinese, &["run", "--notice-date", "2024-02-30"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("“2024-02-30”不是日期"), "{}", r.stderr);
    let r = w.zwgk_in(chinese, &["explain"]);
    assert!(
        r.stderr.starts_with("错误：缺少必需的参数：<UNIT>"),
        "{}",
        r.stderr
    );
}

/// `--help` of every command, in both languages.
#[test]
fn help_of_every_command_in_both_languages() {
    let w = Workdir::new();
    for command in [
        "",
        "run",
        "check",
        "whatif",
        "sensitivity",
        "compare",
        "explain",
        "generate",
        "template",
        "collect",
        "combine",
    ] {
        for lang in ["zh", "en"] {
            let mut args: Vec<&str> = if command.is_empty() {
                vec![]
            } else {
                vec![command]
            };
            args.extend(["--help", "--lang", lang]);
            let r = w.zwgk_in(english, &args);
            assert_eq!(r.code, 0, "{command} {lang}: {}", r.stderr);
            let name = format!(
                "help_{}_{lang}",
                if command.is_empty() { "zwgk" } else { command }
            );
            insta::assert_snapshot!(name, r.stdout);
        }
    }
}
