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
}
