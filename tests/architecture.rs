//! The house as docs/ARCHITECTURE.md draws it, checked against the code:
//! every `crate::…` path in `src/` (in `use` lines and inline) points from a
//! stage to the same or a lower one, and no files of one stage import each
//! other in a circle. A new import that points up fails here, naming the
//! file, the line and the stages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages from the floor up, as ARCHITECTURE.md lists them; modules on
/// one line share a floor.
const STAGES: &[&[&str]] = &[
    &["num", "lang", "error", "timing", "spelling"],
    &["config"],
    &["ingest"],
    &["score"],
    &["rank"],
    &["assess"],
    &["combine", "forms"],
    &["report"],
    &["analysis", "generate"],
    &["commands"],
    &["cli"],
    &["main"],
];

fn floor(module: &str) -> Option<usize> {
    STAGES.iter().position(|s| s.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/ingest/records.rs` → ["ingest", "records"]; `src/cli.rs` → ["cli"].
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments and string literals' contents
/// (a `crate::` in a doc comment or a message is not an import), and
/// without its unit tests.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let body = match text.find("#[cfg(test)]") {
        Some(k) => &text[..k],
        None => text,
    };
    body.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.split("//").next().unwrap_or("").to_string()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// Every path `crate::a::b…` or `super::…` a line names, resolved to the
/// module it points into (as segments from the crate root).
fn targets(own: &[String], line: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let words = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|w| {
                w.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|w| !w.is_empty())
            .collect()
    };
    for (k, _) in line.match_indices("crate::") {
        let before = line[..k].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        out.push(words(&line[k + "crate::".len()..]));
    }
    if own.first().is_some_and(|m| m == "main") {
        for (k, _) in line.match_indices("zwgk::") {
            out.push(words(&line[k + "zwgk::".len()..]));
        }
    }
    for (k, _) in line.match_indices("super::") {
        if line[..k].ends_with("super::") {
            continue;
        }
        // `super` is the parent of the file's own module.
        let mut base: Vec<String> = own.to_vec();
        let mut rest = &line[k..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        base.extend(words(rest));
        out.push(base);
    }
    out
}

/// The file a module path points into: the longest prefix that is a file.
fn file_of(path: &[String], known: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains(p))
}

#[test]
fn every_import_points_down_and_no_files_import_each_other_in_a_circle() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let modules: BTreeMap<Vec<String>, PathBuf> =
        all.iter().map(|f| (module_path(f), f.clone())).collect();
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    let mut problems = Vec::new();
    // Edges between files of one stage, mod.rs (a stage's door) left out.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (own, file) in &modules {
        if own.is_empty() || own[0] == "lib" {
            continue; // lib.rs names every stage: it is the house, not a room.
        }
        let Some(own_floor) = floor(&own[0]) else {
            problems.push(format!(
                "{}: module {} is on no floor of ARCHITECTURE.md",
                file.display(),
                own[0]
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text) {
            for target in targets(own, &line) {
                let Some(top) = target.first() else { continue };
                if top == "tr" || top == "lang" && target.len() == 1 {
                    continue;
                }
                let Some(to_floor) = floor(top) else { continue };
                if to_floor > own_floor {
                    problems.push(format!(
                        "{}:{n}: {} (floor {own_floor}) imports {} (floor {to_floor}), a higher stage",
                        file.strip_prefix(src()).unwrap().display(),
                        own.join("::"),
                        target.join("::")
                    ));
                }
                let same_stage = top == &own[0];
                let Some(to_file) = file_of(&target, &known) else {
                    continue;
                };
                let door = |m: &Vec<String>| modules[m].ends_with("mod.rs") || m.len() == 1;
                if same_stage && to_file != *own && !door(own) && !door(&to_file) {
                    edges.entry(own.clone()).or_default().insert(to_file);
                }
            }
        }
    }
    // A circle: a file that reaches itself.
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<String>> = edges[start].iter().cloned().collect();
        while let Some(m) = stack.pop() {
            if m == *start {
                problems.push(format!("{} is in a circle of imports", start.join("::")));
                break;
            }
            if seen.insert(m.clone()) {
                stack.extend(edges.get(&m).into_iter().flatten().cloned());
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_check_sees_an_import_that_points_up() {
    // The resolution the check rests on: a path up from a stage is seen.
    let own = vec!["ingest".to_string(), "records".to_string()];
    let t = targets(&own, "use crate::report::output::Staging;");
    assert_eq!(t, [vec!["report", "output", "Staging"]]);
    assert!(floor(&t[0][0]).unwrap() > floor("ingest").unwrap());
    let t = targets(&own, "let x = super::super::assess::timing(a);");
    assert_eq!(t, [vec!["assess", "timing"]]);
    let t = targets(&own, "use super::table::Table;");
    assert_eq!(t, [vec!["ingest", "table", "Table"]]);
}
