//! A work directory with inputs, and the real binary run inside it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Workdir {
    dir: tempfile::TempDir,
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A command in an English locale, whatever the test machine's.
pub fn english(mut c: Command) -> Command {
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8");
    c
}

/// The binary in a Chinese locale, as an officer's machine runs it.
pub fn chinese(mut c: Command) -> Command {
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8");
    c
}

/// The unit `id` of a results.json.
pub fn unit_result(results: &serde_json::Value, id: &str) -> serde_json::Value {
    results["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("unit {id} in results.json"))
        .clone()
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A work directory holding a copy of `tests/fixtures/<name>`.
    pub fn with_fixture(name: &str) -> Workdir {
        let w = Workdir::new();
        copy_dir(&fixture(name), w.path());
        w
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Replaces `from` by `to` in a file (the first must occur).
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// `zwgk run` with charts (and a fixed notice date) on the hand layout.
    pub fn run_with_charts(&self, extra: &[&str]) -> Run {
        let mut args = hand_run(&["--notice-date", "2024-03-01"]);
        args.extend_from_slice(extra);
        self.zwgk(&args)
    }

    /// [`Workdir::run`] with one environment variable set.
    pub fn run_with_env(&self, extra: &[&str], key: &str, value: &str) -> Run {
        let mut args = hand_run(&["--no-charts"]);
        args.extend_from_slice(extra);
        self.zwgk_with_env(&args, &[(key, value)])
    }

    /// The `.out.*` directories (not the lock file) a run writes beside `out` before renaming.
    pub fn temporary_dirs(&self) -> Vec<String> {
        std::fs::read_dir(self.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".out."))
            .collect()
    }

    /// The binary in an English locale: most tests read the English
    /// messages (`--lang zh` still gives Chinese).
    pub fn zwgk(&self, args: &[&str]) -> Run {
        self.zwgk_in(english, args)
    }

    /// `zwgk generate` of `units` units and `records` records (and the
    /// options in `extra`) into `out`, which must succeed.
    pub fn generate(&self, units: usize, records: usize, extra: &[&str], out: &str) {
        let (units, records) = (units.to_string(), records.to_string());
        let mut args = vec!["generate", "--units", &units, "--records", &records];
        args.extend_from_slice(extra);
        args.extend(["--out", out]);
        let r = self.zwgk(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }

    /// The binary with environment variables set.
    pub fn zwgk_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        english(Command::new(env!("CARGO_BIN_EXE_zwgk")))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.path())
            .output()
            .expect("run zwgk")
            .into()
    }

    /// The binary in the locale `locale` sets up ([`english`], [`chinese`]).
    pub fn zwgk_in(&self, locale: fn(Command) -> Command, args: &[&str]) -> Run {
        locale(Command::new(env!("CARGO_BIN_EXE_zwgk")))
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("run zwgk")
            .into()
    }

    /// Every file under `rel` with its bytes (empty when it is absent).
    pub fn files(&self, rel: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
        fn walk(dir: &Path, base: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    let name = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                    out.insert(name, std::fs::read(&p).unwrap());
                }
            }
        }
        let mut out = std::collections::BTreeMap::new();
        walk(&self.path().join(rel), &self.path().join(rel), &mut out);
        out
    }

    /// `zwgk args`, which must be refused: exit status `code`, the message
    /// holding each of `says` (its places: file, row or cell, unit, item;
    /// and what is wrong), and `out` as it was before — absent, or the
    /// previous report byte for byte. Returns the message.
    pub fn refused(&self, args: &[&str], code: i32, says: &[&str]) -> String {
        let out = args
            .iter()
            .position(|a| *a == "--out")
            .map_or("out", |k| args[k + 1]);
        let before = self.files(out);
        let r = self.zwgk(args);
        assert_eq!(r.code, code, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
        for s in says {
            assert!(r.stderr.contains(s), "expected {s:?} in:\n{}", r.stderr);
        }
        assert!(self.files(out) == before, "{out} changed by a refused run");
        assert!(self.temporary_dirs().is_empty(), "a temporary folder left");
        r.stderr
    }

    /// `zwgk run` of the hand layout with `extra`, which must be refused
    /// (see [`Workdir::refused`]).
    pub fn run_refused(&self, extra: &[&str], code: i32, says: &[&str]) -> String {
        self.refused(&hand_run(extra), code, says)
    }

    /// `zwgk run` on the hand fixture's layout (indicators.toml + data/).
    pub fn run(&self, extra: &[&str]) -> Run {
        self.zwgk(&hand_run(extra))
    }
}

/// `run` on the hand fixture's layout (indicators.toml + data/ into out/)
/// with `extra`.
pub fn hand_run<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "run",
        "--indicators",
        "indicators.toml",
        "--data",
        "data",
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    args
}

/// `zwgk run` of `indicators` on `data` into `out`, without charts, dated
/// 1 March 2024 (for comparing the files of two runs).
pub fn run_args<'a>(indicators: &'a str, data: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "run",
        "--indicators",
        indicators,
        "--data",
        data,
        "--out",
        out,
        "--no-charts",
        "--notice-date",
        "2024-03-01",
    ]
}

/// The text of `<w:t>` runs in `xml`, unescaped.
pub fn texts(xml: &str) -> String {
    let mut out = String::new();
    for part in xml.split("<w:t").skip(1) {
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl>`, `<w:tc>`, `<w:tr>`…
        if !(part.starts_with('>') || part.starts_with(' ')) {
            continue;
        }
        let Some(body) = part.split_once('>').map(|(_, b)| b) else {
            continue;
        };
        let text = body.split("</w:t>").next().unwrap_or("");
        out.push_str(text);
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The tables of a .docx, as rows of cell texts.
pub fn docx_tables(path: &std::path::Path) -> (Vec<Vec<Vec<String>>>, String) {
    let mut xml = String::new();
    zip::ZipArchive::new(std::fs::File::open(path).unwrap())
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let tables = xml
        .split("<w:tbl>")
        .skip(1)
        .map(|t| {
            let t = t.split("</w:tbl>").next().unwrap();
            t.split("</w:tr>")
                .filter(|r| r.contains("<w:tc"))
                .map(|r| {
                    r.split("</w:tc>")
                        .filter(|c| c.contains("<w:tc"))
                        .map(texts)
                        .collect()
                })
                .collect()
        })
        .collect();
    (tables, texts(&xml))
}
