//! `zwgk combine` (SPEC §10): earlier runs' results (quarterly checks, the
//! year-end assessment) combined into one result. A unit's combined total
//! is `Σ weight × published total / Σ weights`, exact, then ranked and
//! graded by the indicator system; a unit vetoed in any part is vetoed.
//!
//! The result is an [`Assessment`] whose indicators are the parts (one
//! column per part in the tables, the part's total as its score), so that
//! the report stage writes its tables, charts and notice as for a run.

use crate::assess::{Assessment, Part};
use crate::config::{Indicator, InputKind, Period, Rule, Share, System};
use crate::error::{Diagnostic, Error, Result};
use crate::ingest::Inputs;
use crate::num::Exact;
use crate::score::UnitScore;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::PathBuf;

/// One part as given on the command line: `Q1=0.15`, `reports/demo=0.4`.
#[derive(Clone, Debug)]
pub struct PartArg {
    pub path: PathBuf,
    pub weight: Decimal,
    /// Its name in the documents (`--name PART=名称`).
    pub name: Option<String>,
}

/// `PART=WEIGHT`, the weight a decimal > 0.
pub fn part_arg(s: &str) -> std::result::Result<PartArg, String> {
    let Some((path, weight)) = s.rsplit_once('=') else {
        return Err(crate::tr!(
            "应为 部分=权重，如 reports/demo-Q1=0.15",
            "expected PART=WEIGHT, such as reports/demo-Q1=0.15"
        ));
    };
    match crate::ingest::values::parse_decimal(weight.trim()) {
        Ok(w) if w > Decimal::ZERO => Ok(PartArg {
            path: PathBuf::from(path),
            weight: w.normalize(),
            name: None,
        }),
        _ => Err(crate::tr!(
            "权重“{weight}”应为大于 0 的数，如 0.15",
            "weight \"{weight}\" should be a number above 0, such as 0.15"
        )),
    }
}

use crate::ingest::results::{self as results_json, ResultsFile as Results};

/// A part's label: `--name`, else its period's name, else 年度考核.
fn part_label(arg: &PartArg, r: &Results) -> String {
    if let Some(name) = &arg.name {
        return name.clone();
    }
    r.assessment
        .period
        .as_ref()
        .map_or_else(|| "年度考核".to_string(), |p| p.name.clone())
}

fn read_part(arg: &PartArg) -> std::result::Result<(Part, Results), Vec<Diagnostic>> {
    let r = results_json::read(&arg.path).map_err(|e| match e {
        Error::Invalid(ds) => ds,
        other => vec![Diagnostic::new(
            arg.path.display().to_string(),
            "",
            other.to_string(),
        )],
    })?;
    let period = r.assessment.period.as_ref().map(|p| Period {
        id: p.id.clone(),
        name: p.name.clone(),
        from: p.from,
        to: p.to,
    });
    let label = part_label(arg, &r);
    let part = Part {
        name: r
            .assessment
            .period
            .as_ref()
            .map_or_else(|| label.clone(), |p| p.id.clone()),
        label,
        source: r.shown.clone(),
        sha256: r.sha256.clone(),
        weight: arg.weight,
        period,
        vetoed: Vec::new(),
        ranks: Vec::new(),
    };
    Ok((part, r))
}

/// The combined assessment of `args` over the roster `roster` (units and
/// groups of `system`).
pub fn combine(system: &System, roster: Inputs, args: &[PartArg]) -> Result<Assessment> {
    let mut errors = Vec::new();
    let mut parts = Vec::new();
    for arg in args {
        match read_part(arg) {
            Ok(p) => parts.push(p),
            Err(ds) => errors.extend(ds),
        }
    }
    let mut names: HashMap<String, &str> = HashMap::new();
    for (p, r) in &parts {
        if let Some(first) = names.insert(p.name.clone(), &p.source) {
            errors.push(Diagnostic::new(&p.source, "", crate::tr!(
                "与 {first} 同名（{}）；每个部分的名称（考核期，或全年的“年度考核”）应不同，可用 --name 部分=名称 区分",
                "has the same name ({}) as {first}; parts are named by their period (a whole-year run: 年度考核) and must differ — tell them apart with --name PART=NAME",
                p.name)));
        }
        if r.assessment.year != system.year {
            errors.push(Diagnostic::new(&p.source, "", crate::tr!(
                "是 {} 年度的结果，指标体系是 {} 年度；只能合并同一年度的结果",
                "is of the year {}, the indicator system of {}; only results of one year are combined",
                r.assessment.year, system.year)));
        }
    }
    let totals = part_totals(system, &roster, &parts, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let draft = parts.iter().any(|(_, r)| r.assessment.draft);
    let parts: Vec<Part> = parts
        .into_iter()
        .enumerate()
        .map(|(k, (mut p, _))| {
            p.vetoed = totals.iter().map(|unit| unit[k].1).collect();
            p.ranks = totals.iter().map(|unit| unit[k].2).collect();
            p
        })
        .collect();
    Ok(assessment(system, roster, parts, &totals, draft))
}

/// Each roster unit's published total and veto in each part (`[unit][part]`):
/// every unit of the roster in every part, in the same group, and no other.
fn part_totals(
    system: &System,
    roster: &Inputs,
    parts: &[(Part, Results)],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Vec<(Decimal, bool, u32)>> {
    let ids: HashMap<&str, usize> = roster
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| (unit.id.as_str(), u))
        .collect();
    let mut out = vec![vec![(Decimal::ZERO, false, 0); parts.len()]; roster.units.len()];
    for (k, (p, r)) in parts.iter().enumerate() {
        let mut seen = vec![false; roster.units.len()];
        for unit in &r.units {
            let Some(&u) = ids.get(unit.id.as_str()) else {
                errors.push(Diagnostic::new(
                    &p.source,
                    "",
                    crate::tr!(
                        "单位 {} 不在单位名单（--data 的 units 表）中",
                        "unit {} is not on the roster (the units table of --data)",
                        unit.id
                    ),
                ));
                continue;
            };
            seen[u] = true;
            let group = &system.groups[roster.units[u].group].id;
            if unit.group != *group {
                errors.push(Diagnostic::new(&p.source, "", crate::tr!(
                    "单位 {} 在这里属于分组 {}，在单位名单中属于 {group}；各部分的分组应相同",
                    "unit {} is in group {} here and in {group} on the roster; a unit is in one group in every part",
                    unit.id, unit.group)));
            }
            match crate::ingest::values::parse_decimal(&unit.total) {
                Ok(t) => out[u][k] = (t, unit.vetoed, unit.rank),
                Err(e) => errors.push(Diagnostic::new(
                    &p.source,
                    "",
                    crate::tr!(
                        "单位 {} 的总分“{}”不是数：{e}",
                        "unit {}: total \"{}\" is not a number: {e}",
                        unit.id,
                        unit.total
                    ),
                )),
            }
        }
        for (u, unit) in roster.units.iter().enumerate().filter(|&(u, _)| !seen[u]) {
            errors.push(Diagnostic::new(&p.source, "", crate::tr!(
                "没有单位名单中的 {} {}；每个部分都应包含名单上的全部单位",
                "has no result for {} {} of the roster; every part must hold every unit of the roster",
                unit.id, unit.name)));
            out[u][k] = (Decimal::ZERO, false, 0);
        }
    }
    out
}

/// The system of a combined result: its indicators are the parts, each on
/// `full_score` (a part's total is its score); no issues, bonuses or
/// tie-break (a combined result has no indicator scores).
fn parts_system(system: &System, parts: &[Part]) -> System {
    let mut s = system.clone();
    s.indicators = parts
        .iter()
        .map(|p| Indicator {
            id: p.name.clone(),
            name: format!("{}（权重 {}）", p.label, p.weight),
            parent: None,
            children: Vec::new(),
            share: Share::Points(system.full_score),
            points: Exact::from_decimal(system.full_score),
            groups: None,
            allow_na: false,
            pool: false,
            rule: Some(Rule::Manual),
            input: InputKind::Number,
        })
        .collect();
    s.roots = (0..parts.len()).collect();
    s.issues.clear();
    s.bonuses.clear();
    s.tie_break.clear();
    s
}

/// Σ weight × total / Σ weights per unit, exact; a veto in any part caps
/// the total at `veto_cap`; ranks and grades by the indicator system.
fn assessment(
    system: &System,
    roster: Inputs,
    parts: Vec<Part>,
    totals: &[Vec<(Decimal, bool, u32)>],
    draft: bool,
) -> Assessment {
    let s = parts_system(system, &parts);
    let weights: Decimal = parts.iter().map(|p| p.weight).sum();
    let scores: Vec<UnitScore> = totals
        .iter()
        .map(|unit| {
            let weighted: Decimal = unit
                .iter()
                .zip(&parts)
                .map(|((t, _, _), p)| p.weight * t)
                .sum();
            let combined = Exact::ratio(weighted, weights);
            let vetoed = unit.iter().any(|(_, v, _)| *v);
            let total = match (vetoed, s.veto_cap) {
                (true, Some(cap)) => combined.min(Exact::from_decimal(cap)),
                _ => combined,
            };
            UnitScore {
                indicators: unit
                    .iter()
                    .map(|(t, _, _)| Some(Exact::from_decimal(*t)))
                    .collect(),
                base: combined,
                bonus: Exact::ZERO,
                penalty: Exact::ZERO,
                total,
                performance_points: total
                    .mul_dec(s.weight_percent)
                    .over(Exact::from_decimal(s.full_score)),
                vetoed,
            }
        })
        .collect();
    let group_of: Vec<usize> = roster.units.iter().map(|u| u.group).collect();
    let ranking = crate::rank::rank(&s, &group_of, &scores);
    Assessment {
        system: s,
        inputs: roster,
        evidence: Vec::new(),
        scores,
        ranking,
        draft,
        period: None,
        indicators_file: (String::new(), String::new()),
        warnings: Vec::new(),
        parts,
    }
}
