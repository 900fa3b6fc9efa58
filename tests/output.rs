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
    w.edit(
        "data/inspections.csv",
        "R9,U6,2023-03-02,网站检查,I1,10,",
        "R9,U6,2023-03-02,网站检查,I1,-10,",
    );
    // Every file of the previous report byte for byte, no temporary folder.
    w.run_refused(
        &["--force"],
        1,
        &["data/inspections.csv: row 10, column count (unit U6, issue I1)"],
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
    w.refused(&["frobnicate"], 2, &["frobnicate"]);
    w.refused(&["run", "--bogus"], 2, &["--bogus"]);
    assert!(w.files("").is_empty(), "nothing written anywhere");
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
    // Nothing was written outside out/: the work folder holds what it held.
    let mut top: Vec<String> = std::fs::read_dir(w.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["data", "expected", "indicators.toml", "out"]);
    // The feedback files are named by unit id, never by name.
    let mut sheets: Vec<String> = std::fs::read_dir(w.path().join("out/feedback"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    sheets.sort();
    assert_eq!(sheets.first().map(String::as_str), Some("U1.docx"));
    assert!(
        sheets.iter().all(|n| n.starts_with('U') && n.is_ascii()),
        "{sheets:?}"
    );
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

/// Starts `zwgk run` on the hand layout into `out`, stalled at `at` for
/// `seconds`, and returns it once it says so (its stderr left to read).
fn start_stalled(w: &Workdir, at: &str, seconds: &str, extra: &[&str]) -> std::process::Child {
    use std::io::{BufRead, BufReader, Read};
    let mut child = crate::harness::english(std::process::Command::new(env!("CARGO_BIN_EXE_zwgk")))
        .args(["run", "--indicators", "indicators.toml", "--data", "data"])
        .args(["--out", "out", "--no-charts"])
        .args(extra)
        .env("ZWGK_STALL_WRITE_AFTER", at)
        .env("ZWGK_STALL_SECONDS", seconds)
        .current_dir(w.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("stalled at") {
        line.clear();
    }
    assert!(
        line.contains("stalled at"),
        "the run reached the stall point"
    );
    // The rest of stderr drains in the background so the child never blocks.
    std::thread::spawn(move || {
        let _ = stderr.read_to_end(&mut Vec::new());
    });
    child
}

/// The listing of `dir` (relative paths of its files), for "nothing changed".
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            for (n, b) in tree(&p) {
                out.push((format!("{}/{n}", e.file_name().to_string_lossy()), b));
            }
        } else {
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn force_never_deletes_the_inputs_the_run_reads() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    std::fs::rename(w.path().join("data"), w.path().join("out/data")).unwrap();
    std::fs::rename(
        w.path().join("indicators.toml"),
        w.path().join("out/demo.toml"),
    )
    .unwrap();
    let r = w.zwgk(&[
        "run",
        "--indicators",
        "out/demo.toml",
        "--data",
        "out/data",
        "--out",
        "out",
        "--force",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("holds out/demo.toml, an input of this run"),
        "{}",
        r.stderr
    );
    assert!(w.exists("out/demo.toml") && w.exists("out/data/units.csv"));
}

#[test]
fn force_never_deletes_a_file_the_office_added_and_names_it() {
    let w = Workdir::with_fixture("hand");
    assert_eq!(w.run(&[]).code, 0);
    w.write("out/整改台账_已填写.xlsx", "the office's own");
    let before = tree(&w.path().join("out"));
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "holds files zwgk did not write (or that were changed since): 整改台账_已填写.xlsx"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        tree(&w.path().join("out")),
        before,
        "nothing in out changed"
    );
    // A report file edited by hand is the office's too.
    std::fs::remove_file(w.path().join("out/整改台账_已填写.xlsx")).unwrap();
    w.write("out/scores.csv", "edited");
    let r = w.run(&["--force"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(": scores.csv;"), "{}", r.stderr);
    assert_eq!(w.read("out/scores.csv"), "edited");
    // What zwgk wrote, unchanged, is replaced.
    std::fs::remove_file(w.path().join("out/scores.csv")).unwrap();
    assert_eq!(w.run(&["--force"]).code, 0);
}

#[test]
fn two_runs_into_one_folder_never_both_succeed() {
    let w = Workdir::with_fixture("hand");
    let mut first = start_stalled(&w, "1", "600", &[]);
    let second = w.run(&[]);
    assert_eq!(second.code, 2, "{}", second.stderr);
    assert!(
        second.stderr.contains("another zwgk is writing out"),
        "{}",
        second.stderr
    );
    first.kill().unwrap();
    first.wait().unwrap();
    // The killed run's lock is taken over by the next one.
    let third = w.run(&[]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(
        !w.exists(".out.lock"),
        "the lock file is removed after the run"
    );
}

#[test]
fn a_folder_made_at_out_while_the_run_works_is_kept() {
    let w = Workdir::with_fixture("hand");
    let first = start_stalled(&w, "commit", "2", &[]);
    w.write("out/notes.txt", "mine");
    let r: crate::harness::Run = first.wait_with_output().unwrap().into();
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(w.read("out/notes.txt"), "mine");
    assert!(w.temporary_dirs().is_empty(), "{:?}", w.temporary_dirs());
}

#[cfg(unix)]
#[test]
fn an_out_that_is_a_link_is_written_where_it_points() {
    let w = Workdir::with_fixture("hand");
    std::fs::create_dir(w.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", w.path().join("out")).unwrap();
    assert_eq!(w.run(&[]).code, 0);
    assert_eq!(w.run(&["--force"]).code, 0);
    let meta = std::fs::symlink_metadata(w.path().join("out")).unwrap();
    assert!(meta.file_type().is_symlink(), "out is still the link");
    assert!(w.exists("real/results.json"));
}

#[test]
fn unit_ids_that_make_one_file_name_are_refused_naming_both_rows() {
    let w = Workdir::with_fixture("hand");
    w.edit("data/units.csv", "U1,东湖区", "Q_1,东湖区");
    w.edit("data/units.csv", "U2,西山区", "q/1,西山区");
    std::fs::remove_file(w.path().join("data/duties.csv")).unwrap();
    for file in ["inspections.csv", "submissions.csv", "ratings.csv"] {
        let path = format!("data/{file}");
        let text = w.read(&path).replace("U1,", "Q_1,").replace("U2,", "q/1,");
        w.write(&path, text);
    }
    let r = w.zwgk(&["check", "--indicators", "indicators.toml", "--data", "data"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("units.csv: row 3, column 单位编码")
            && r.stderr.contains(
                "unit id \"q/1\" and the id in row 2 (\"Q_1\") give the same file name (q_1)"
            ),
        "{}",
        r.stderr
    );
    assert_eq!(w.run(&[]).code, 1);
    assert!(!w.exists("out"), "nothing written");
}

#[test]
fn a_unit_id_that_windows_keeps_for_a_device_gets_a_usable_file_name() {
    let w = Workdir::with_fixture("hand");
    std::fs::remove_file(w.path().join("data/duties.csv")).unwrap();
    for file in [
        "units.csv",
        "inspections.csv",
        "submissions.csv",
        "ratings.csv",
    ] {
        let path = format!("data/{file}");
        let text = w
            .read(&path)
            .replace("U1,", "CON,")
            .replace("U2,", "../U2,");
        w.write(&path, text);
    }
    let r = w.run(&["--feedback"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(w.exists("out/feedback/CON_.docx"));
    assert!(w.exists("out/feedback/_._U2.docx"));
    assert!(!w.exists("out/feedback/CON.docx") && !w.exists("out/feedback/.._U2.docx"));
}

/// Every file under `dir` with its bytes (relative paths), for "nothing
/// changed" over a whole report.
fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(dir).into_iter().collect()
}

/// Kills `run --force` at 50 moments spread over a run (SIGKILL: a power
/// cut or an impatient officer). After each kill the report in `out` is the
/// previous one, byte for byte — or, killed between the two renames, the
/// previous one waits beside it and the next run puts it back; and the next
/// run succeeds. The inputs do not change, so a run that got through
/// writes the same bytes too.
#[test]
fn a_run_killed_at_any_moment_loses_nothing() {
    let w = Workdir::new();
    w.generate(150, 3000, &[], "g");
    let args = [
        "run",
        "--indicators",
        "g/indicators.toml",
        "--data",
        "g/data",
        "--out",
        "out",
        "--no-charts",
        "--no-feedback",
        "--notice-date",
        "2024-03-01",
        "--force",
    ];
    let start = std::time::Instant::now();
    assert_eq!(w.zwgk(&args).code, 0);
    let took = start.elapsed();
    let before = snapshot(&w.path().join("out"));
    let mut seed: u64 = 0x5eed;
    let mut survived = 0;
    for k in 0..50 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let at = took.mul_f64((seed >> 11) as f64 / (1u64 << 53) as f64 * 1.2);
        let mut child =
            crate::harness::english(std::process::Command::new(env!("CARGO_BIN_EXE_zwgk")))
                .args(args)
                .current_dir(w.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
        std::thread::sleep(at);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        child.wait().unwrap();
        survived += usize::from(finished);
        if w.exists("out") {
            assert_eq!(
                snapshot(&w.path().join("out")),
                before,
                "kill {k} at {at:?}"
            );
        } else {
            // Killed between the renames: the previous report is beside it.
            let old: Vec<String> = w
                .temporary_dirs()
                .into_iter()
                .filter(|d| d.contains(".old-"))
                .collect();
            assert_eq!(old.len(), 1, "kill {k} at {at:?}: {:?}", w.temporary_dirs());
            assert_eq!(snapshot(&w.path().join(&old[0])), before, "kill {k}");
        }
        if k % 10 == 9 {
            let r = w.zwgk(&args);
            assert_eq!(r.code, 0, "the run after kill {k}: {}", r.stderr);
            assert_eq!(snapshot(&w.path().join("out")), before);
            assert!(w.temporary_dirs().is_empty(), "{:?}", w.temporary_dirs());
        }
    }
    assert!(
        survived < 25,
        "most kills land mid-run ({survived} of 50 runs had finished)"
    );
}
