//! The archives an office unpacks (scripts/package.sh, SPEC §14), each
//! unpacked and its demo run as an officer would: the Windows binary under
//! Wine, the ARM binary under qemu-user, the x86-64 one natively; every
//! `results.json` is the same bytes. Under Wine the messages are read back
//! as Chinese.
//!
//! The archives are built by `scripts/package.sh` into `target/dist`
//! (`.ci/run` builds them first); without them, or without Wine, qemu or
//! MinGW, the test says "skipped", and fails under `CI`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn skip(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{why} under CI: .ci/run provides it"
    );
    eprintln!("skipped: {why}");
}

fn have(program: &str) -> bool {
    Command::new("which")
        .arg(program)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn dist() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("dist")
}

/// The archive of `platform`, unpacked into `into`; its folder.
fn unpack(platform: &str, into: &Path) -> Option<PathBuf> {
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("zwgk-{version}-{platform}");
    let (archive, status) = if platform.starts_with("windows") {
        let a = dist().join(format!("{name}.zip"));
        let s = a.exists().then(|| {
            Command::new("unzip")
                .arg("-q")
                .arg(&a)
                .arg("-d")
                .arg(into)
                .status()
        });
        (a, s)
    } else {
        let a = dist().join(format!("{name}.tar.gz"));
        let s = a.exists().then(|| {
            Command::new("tar")
                .arg("-xzf")
                .arg(&a)
                .arg("-C")
                .arg(into)
                .status()
        });
        (a, s)
    };
    let Some(status) = status else {
        skip(&format!(
            "no archive {} (scripts/package.sh)",
            archive.display()
        ));
        return None;
    };
    assert!(status.unwrap().success(), "{}", archive.display());
    let dir = into.join(&name);
    for f in [
        "indicators/demo.toml",
        "data/demo/units.csv",
        "用户手册.md",
        "README.md",
        "LICENSE",
        "licences/LICENSE-wqy-microhei.txt",
    ] {
        assert!(dir.join(f).exists(), "{platform}: {f}");
    }
    Some(dir)
}

/// Runs the demo in `dir` with `launcher` (empty: natively) and returns
/// (stdout, results.json).
fn demo(dir: &Path, launcher: &[&str], exe: &str, env: &[(&str, &str)]) -> (String, Vec<u8>) {
    let args = [
        "run",
        "--out",
        "out",
        "--no-charts",
        "--notice-date",
        "2024-03-01",
    ];
    let mut c = match launcher.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(exe);
            c
        }
        None => Command::new(dir.join(exe)),
    };
    let out = c
        .args(args)
        .envs(env.iter().copied())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .current_dir(dir)
        .output()
        .expect("run the demo");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{exe}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (stdout, std::fs::read(dir.join("out/results.json")).unwrap())
}

#[test]
fn every_archive_runs_its_demo_and_writes_the_same_results() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(linux) = unpack("linux-x64", tmp.path()) else {
        return;
    };
    let (said, native) = demo(&linux, &[], "zwgk", &[]);
    assert!(said.contains("60 个单位已计分"), "{said}");

    if !have("qemu-aarch64") {
        skip("no qemu-aarch64");
    } else if let Some(arm) = unpack("linux-arm64", tmp.path()) {
        let (_, results) = demo(
            &arm,
            &["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"],
            "./zwgk",
            &[],
        );
        assert!(results == native, "the ARM build's results.json differs");
    }

    if !have("wine") || !have("x86_64-w64-mingw32-gcc") {
        skip("no wine or MinGW");
        return;
    }
    let Some(win) = unpack("windows-x64", tmp.path()) else {
        return;
    };
    let stub = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wine/bcryptprimitives.c");
    let built = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-shared", "-O2", "-o"])
        .arg(win.join("bcryptprimitives.dll"))
        .arg(&stub)
        .status()
        .unwrap();
    assert!(built.success(), "the Wine stub DLL builds");
    let prefix = tmp.path().join("wineprefix");
    let prefix = prefix.to_string_lossy().into_owned();
    let (said, results) = demo(
        &win,
        &["wine"],
        "zwgk.exe",
        &[
            ("WINEPREFIX", prefix.as_str()),
            ("WINEDEBUG", "-all"),
            ("WINEDLLOVERRIDES", "bcryptprimitives=n"),
        ],
    );
    // Chinese, as the officer's console shows it.
    assert!(said.contains("60 个单位已计分"), "{said}");
    assert!(
        results == native,
        "the Windows build's results.json differs"
    );
}
