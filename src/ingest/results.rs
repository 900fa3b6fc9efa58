//! Reading a `results.json` back (`compare`, `combine`), as strictly as a
//! table is read: the shape zwgk writes, every score a decimal string with
//! the assessment's precision, totals within 0 and `full_score`,
//! performance points within `weight_percent`, unit ids unique, groups
//! declared, ranks in order of the totals — every violation an error naming
//! the file and the unit, all at once. Given a run's folder, the file is
//! also checked against the folder's manifest: a results.json changed after
//! zwgk wrote it is refused.

use super::manifest::{self, Listed};
use crate::error::{Diagnostic, Error, Result};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A results.json read and checked.
pub struct ResultsFile {
    /// The file as shown in messages.
    pub shown: String,
    pub sha256: String,
    pub assessment: Header,
    pub groups: Vec<Group>,
    pub units: Vec<UnitResult>,
}

#[derive(Deserialize)]
pub struct Header {
    pub name: String,
    pub year: i32,
    pub full_score: String,
    pub precision: u32,
    pub weight_percent: String,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub period: Option<PeriodResult>,
}

#[derive(Deserialize)]
pub struct PeriodResult {
    pub id: String,
    pub name: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

#[derive(Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
}

#[derive(Deserialize, Clone)]
pub struct UnitResult {
    pub id: String,
    pub name: String,
    pub group: String,
    pub total: String,
    pub rank: u32,
    pub grade: String,
    pub performance_points: String,
    pub vetoed: bool,
}

#[derive(Deserialize)]
struct Raw {
    assessment: Header,
    groups: Vec<Group>,
    units: Vec<UnitResult>,
}

/// The results.json of `path`: the file itself, or the one in a run's
/// output folder.
pub fn results_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("results.json")
    } else {
        path.to_path_buf()
    }
}

/// Reads and checks the results at `path` (a file or a run's folder).
pub fn read(path: &Path) -> Result<ResultsFile> {
    let file = results_file(path);
    let shown = file.display().to_string();
    let at = |msg: String| Error::Invalid(vec![Diagnostic::new(&shown, "", msg)]);
    let meta = std::fs::metadata(&file).map_err(|e| {
        at(crate::tr!(
            "无法读取（应为某次 zwgk run 的输出目录或其 results.json）：{}",
            "cannot read it (expected a zwgk run's output folder or its results.json): {}",
            crate::error::io_reason(&e)
        ))
    })?;
    if !meta.is_file() || meta.len() > 1 << 30 {
        return Err(at(crate::tr!(
            "不是普通文件，或大于 1 GB；应为 zwgk 写出的 results.json",
            "not a regular file, or larger than 1 GB; expected a results.json zwgk wrote"
        )));
    }
    let bytes = std::fs::read(&file).map_err(|e| Error::io(shown.clone(), e))?;
    if path.is_dir() {
        check_manifest(path, &super::sha256_hex(&bytes)).map_err(at)?;
    }
    parse(&shown, &bytes)
}

/// Reads and checks the bytes of a results.json (`shown` names it).
pub fn parse(shown: &str, bytes: &[u8]) -> Result<ResultsFile> {
    let shown = shown.to_string();
    let sha256 = super::sha256_hex(bytes);
    let raw: Raw = serde_json::from_slice(bytes).map_err(|e| {
        Error::Invalid(vec![Diagnostic::new(
            &shown,
            crate::tr!(
                "第 {} 行第 {} 列",
                "line {}, column {}",
                e.line(),
                e.column()
            ),
            crate::tr!(
                "不是 zwgk 的 results.json：{e}",
                "not a zwgk results.json: {e}"
            ),
        )])
    })?;
    let errors = check(&shown, &raw);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok(ResultsFile {
        shown,
        sha256,
        assessment: raw.assessment,
        groups: raw.groups,
        units: raw.units,
    })
}

/// A folder's results.json must be the one its manifest lists.
fn check_manifest(dir: &Path, sha256: &str) -> std::result::Result<(), String> {
    match manifest::read(dir) {
        Listed::Files(listed) => match listed.get("results.json") {
            Some(sha) if sha == sha256 => Ok(()),
            _ => Err(crate::tr!(
                "结果文件在生成后被修改（与目录清单 .zwgk-output 记录的不一致）；请重新运行 zwgk run 生成",
                "the results file was changed after zwgk wrote it (it differs from the folder's manifest .zwgk-output); run zwgk run again to make it"
            )),
        },
        // A folder of an older zwgk, or a file copied by hand: its content
        // is checked below all the same.
        Listed::Unlisted | Listed::Missing => Ok(()),
    }
}

/// A published figure: a decimal string with exactly `precision` decimals.
fn figure(text: &str, precision: u32) -> Option<Decimal> {
    let (_, decimals) = text.split_once('.').unwrap_or((text, ""));
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if !plain || decimals.len() != precision as usize {
        return None;
    }
    Decimal::from_str(text).ok()
}

fn check(shown: &str, r: &Raw) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let a = &r.assessment;
    let head = |msg: String| Diagnostic::new(shown, "assessment", msg);
    let full = Decimal::from_str(&a.full_score)
        .ok()
        .filter(|f| *f > Decimal::ZERO);
    let weight = Decimal::from_str(&a.weight_percent)
        .ok()
        .filter(|w| *w > Decimal::ZERO);
    if full.is_none() {
        errors.push(head(crate::tr!(
            "full_score“{}”不是正数",
            "full_score \"{}\" is not a positive number",
            a.full_score
        )));
    }
    if weight.is_none() {
        errors.push(head(crate::tr!(
            "weight_percent“{}”不是正数",
            "weight_percent \"{}\" is not a positive number",
            a.weight_percent
        )));
    }
    if a.precision > 10 {
        errors.push(head(crate::tr!(
            "precision = {} 超出 0–10",
            "precision = {} is outside 0–10",
            a.precision
        )));
    }
    let groups: HashSet<&str> = r.groups.iter().map(|g| g.id.as_str()).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut totals: Vec<Option<Decimal>> = Vec::with_capacity(r.units.len());
    for (k, u) in r.units.iter().enumerate() {
        let at =
            |msg: String| Diagnostic::new(shown, "", msg).about(format!("{} {}", u.id, u.name));
        if seen.insert(&u.id, k).is_some() {
            errors.push(at(crate::tr!(
                "单位编码重复出现",
                "the unit id appears twice"
            )));
        }
        if !groups.contains(u.group.as_str()) {
            errors.push(at(crate::tr!(
                "分组“{}”不在 groups 中",
                "group \"{}\" is not among the groups",
                u.group
            )));
        }
        let total = figure(&u.total, a.precision);
        match (total, full) {
            (None, _) => errors.push(at(crate::tr!(
                "总分“{}”不是保留 {} 位小数的数",
                "total \"{}\" is not a number with {} decimals",
                u.total,
                a.precision
            ))),
            (Some(t), Some(f)) if t < Decimal::ZERO || t > f => errors.push(at(crate::tr!(
                "总分 {t} 不在 0 至满分 {f} 之间",
                "total {t} is outside 0 to the full score {f}"
            ))),
            _ => {}
        }
        match (figure(&u.performance_points, a.precision), weight) {
            (None, _) => errors.push(at(crate::tr!(
                "绩效分“{}”不是保留 {} 位小数的数",
                "performance points \"{}\" is not a number with {} decimals",
                u.performance_points,
                a.precision
            ))),
            (Some(p), Some(w)) if p < Decimal::ZERO || p > w => errors.push(at(crate::tr!(
                "绩效分 {p} 不在 0 至权重 {w} 之间",
                "performance points {p} are outside 0 to the weight {w}"
            ))),
            _ => {}
        }
        if u.rank == 0 {
            errors.push(at(crate::tr!("名次应从 1 起", "ranks start at 1")));
        }
        totals.push(total);
    }
    errors.extend(rank_order(shown, r, &totals));
    errors
}

/// Within each group a better rank never has a lower total (§5).
fn rank_order(shown: &str, r: &Raw, totals: &[Option<Decimal>]) -> Vec<Diagnostic> {
    let mut by_group: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, u) in r.units.iter().enumerate() {
        by_group.entry(&u.group).or_default().push(k);
    }
    let mut errors = Vec::new();
    for members in by_group.values_mut() {
        members.sort_by_key(|&k| r.units[k].rank);
        for pair in members.windows(2) {
            let (a, b) = (&r.units[pair[0]], &r.units[pair[1]]);
            let (Some(ta), Some(tb)) = (totals[pair[0]], totals[pair[1]]) else {
                continue;
            };
            if ta < tb {
                errors.push(
                    Diagnostic::new(
                        shown,
                        "",
                        crate::tr!(
                            "名次 {} 的总分 {ta} 低于名次 {} 的 {}（{tb}）；名次与总分不符",
                            "rank {} has the total {ta}, below rank {}'s {} ({tb}); the ranks do not follow the totals",
                            a.rank,
                            b.rank,
                            b.id
                        ),
                    )
                    .about(format!("{} {}", a.id, a.name)),
                );
            }
        }
    }
    errors
}
