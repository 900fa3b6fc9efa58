//! The output directory: replaced as a whole, never one the tool did not write.

use crate::harness::Workdir;

#[test]
fn refuses_to_replace_its_own_report_without_force() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let r = w.run(&[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("holds an earlier zwgk run; pass --force"),
        "{}",
        r.stderr
    );
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn never_replaces_a_directory_it_did_not_write() {
    let w = Workdir::with_fixture("hand");
    w.write("out/notes.txt", "mine");
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("was not written by zwgk"), "{}", r.stderr);
    assert_eq!(w.read("out/notes.txt"), "mine");
}

#[test]
fn a_failed_run_leaves_the_previous_report_untouched() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let before = w.read("out/results.json");
    w.edit(
        "data/inspections.csv",
        "R9,U6,2023-03-02,网站检查,I1,10,",
        "R9,U6,2023-03-02,网站检查,I1,-10,",
    );
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 1);
    assert_eq!(w.read("out/results.json"), before);
    assert!(
        w.temporary_dirs().is_empty(),
        "no temporary directories are left behind"
    );
}

#[test]
fn an_empty_existing_directory_is_written_into() {
    let w = Workdir::with_fixture("hand");
    std::fs::create_dir(w.path().join("out")).unwrap();
    assert_eq!(w.run(&[]).code, 0);
    assert!(w.exists("out/results.json"));
}

#[test]
fn wrong_usage_exits_with_two() {
    let w = Workdir::new();
    assert_eq!(w.zwgk(&["frobnicate"]).code, 2);
    assert_eq!(w.zwgk(&["run", "--bogus"]).code, 2);
    assert_eq!(w.zwgk(&["--help"]).code, 0);
}

#[test]
fn a_write_that_fails_midway_leaves_the_previous_report_intact() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let before: Vec<(String, String)> = ["results.json", "scores.csv", "breakdown.csv", "run.log"]
        .iter()
        .map(|f| (f.to_string(), w.read(&format!("out/{f}"))))
        .collect();
    w.edit("data/submissions.csv", "U5,A2,67.5%", "U5,A2,90%");
    let r = w.run_with_env(&["--force"], "ZWGK_FAIL_WRITE_AFTER", "3");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("injected write failure"), "{}", r.stderr);
    for (f, text) in before {
        assert_eq!(
            w.read(&format!("out/{f}")),
            text,
            "{f} is the previous report's"
        );
    }
    assert!(
        w.temporary_dirs().is_empty(),
        "the half-written directory is removed"
    );
}

#[test]
fn unit_names_never_reach_a_path() {
    let w = Workdir::with_fixture("hand");
    w.edit(
        "data/units.csv",
        "U1,东湖区,县（市、区）,东湖",
        "U1,../../逃逸/x\u{0}y,县（市、区）,东湖|东湖区",
    );
    // A name far longer than any file name may be (255 bytes).
    let long = "很长的单位名称".repeat(500);
    w.edit(
        "data/units.csv",
        "U2,西山区,g1,",
        &format!("U2,{long},g1,西山区"),
    );
    let r = w.run_with_charts(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut names: Vec<String> = std::fs::read_dir(w.path().join("out/charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.iter().all(|n| n.is_ascii() && !n.contains("..")),
        "{names:?}"
    );
    assert!(!w.path().join("../逃逸").exists());
    assert!(
        w.read("out/scores.csv").contains(&long),
        "the long name is kept in the tables"
    );
}

/// Runs zwgk on the hand layout with `ZWGK_STALL_WRITE_AFTER=at`, waits
/// until it says it stalled mid-write, and kills it (SIGKILL).
fn kill_mid_write(w: &Workdir, at: &str) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zwgk"))
        .args(["run", "--indicators", "indicators.toml", "--data", "data"])
        .args(["--out", "out", "--no-charts", "--force"])
        .env("ZWGK_STALL_WRITE_AFTER", at)
        .current_dir(w.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let stalled = stderr
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains("stalled at"));
    assert!(stalled, "the run reached the stall point");
    child.kill().unwrap();
    child.wait().unwrap();
}

fn report_files(w: &Workdir) -> Vec<(String, String)> {
    ["results.json", "scores.csv", "breakdown.csv", "run.log"]
        .iter()
        .map(|f| (f.to_string(), w.read(&format!("out/{f}"))))
        .collect()
}

#[test]
fn a_run_killed_mid_write_leaves_the_previous_report_and_the_next_run_cleans_up() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let before = report_files(&w);
    w.edit("data/submissions.csv", "U5,A2,67.5%", "U5,A2,90%");
    kill_mid_write(&w, "3");
    assert_eq!(report_files(&w), before, "the previous report is intact");
    assert_eq!(
        w.temporary_dirs().len(),
        1,
        "the half-written directory is left"
    );
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.temporary_dirs().is_empty(), "{:?}", w.temporary_dirs());
    assert_ne!(report_files(&w), before, "the new report is in place");
}

#[test]
fn a_run_killed_between_the_renames_gets_the_previous_report_back() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    let before = report_files(&w);
    kill_mid_write(&w, "swap");
    assert!(
        !w.exists("out"),
        "killed after moving the previous report aside"
    );
    // The next run puts it back before anything else: without --force it
    // refuses to replace it, as for any earlier report.
    let r = w.run(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("pass --force"), "{}", r.stderr);
    assert_eq!(report_files(&w), before);
    assert!(w.temporary_dirs().is_empty(), "{:?}", w.temporary_dirs());
}
