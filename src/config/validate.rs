//! Checks a [`RawSystem`] against every rule of the contract and resolves it
//! into a [`System`]. All problems are collected, each naming the indicator
//! (or field), the TOML line:column and the numbers involved.

use super::checker::{to_date, valid_id, Checker, LIMIT};
use super::items::{check_unique_ids, resolve_bonuses, resolve_issues};
use super::periods::resolve_periods;
use super::raw::RawSystem;
use super::tree::resolve_indicators;
pub use super::tree::resolved_points;
use super::*;
use std::collections::{HashMap, HashSet};

pub(super) fn resolve(
    raw: RawSystem,
    text: &str,
    file: &str,
) -> std::result::Result<System, Vec<Diagnostic>> {
    let mut c = Checker {
        text,
        file,
        errors: Vec::new(),
    };
    let a = &raw.assessment;
    let (full_score, precision, bonus_cap) = assessment_numbers(&raw, &mut c);
    let (rank_ties, rank_on, rescale) = ranking_rules(&raw, &mut c);

    let weight_percent = weight_percent(&raw, &mut c);

    let calendar = resolve_calendar(&raw, &mut c);
    let groups = resolve_groups(&raw, &mut c);
    let grades = resolve_grades(&raw, &mut c);
    let indicators = resolve_indicators(&raw, &groups, full_score, rescale, &mut c);
    let (indicators, roots) = match indicators {
        Some(x) => x,
        None => return Err(c.errors),
    };
    let ids: HashMap<&str, usize> = indicators
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let issues = resolve_issues(&raw, &indicators, &ids, &mut c);
    let bonuses = resolve_bonuses(&raw, &mut c);
    check_unique_ids(&raw, &mut c);
    let periods = resolve_periods(&raw, a.get_ref().year, &mut c);

    let tie_break = tie_break(&raw, &ids, &mut c);

    let publish = publish(&raw, &mut c);
    let records_until = records_until(&raw, &mut c);
    let feedback = raw.feedback.unwrap_or_default();
    let feedback_deadline = feedback.deadline.as_ref().and_then(|d| {
        let date = to_date(d);
        if date.is_none() {
            c.general(crate::tr!(
                "feedback.deadline = {d}：应为日期 YYYY-MM-DD",
                "feedback.deadline = {d}: expected a plain date YYYY-MM-DD"
            ));
        }
        date
    });
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let notice = raw.notice.map(|n| n.into_inner()).unwrap_or_default();
    let a = raw.assessment.into_inner();
    Ok(System {
        name: a.name,
        year: a.year,
        full_score,
        precision,
        bonus_cap,
        bonus_gate: a.bonus_gate,
        cap_at_full: a.cap_at_full.unwrap_or(true),
        veto_cap: a.veto_cap,
        rank_ties,
        rank_on,
        rescale,
        issuer: a.issuer,
        records_until,
        tie_break,
        weight_percent,
        calendar,
        groups,
        grades,
        indicators,
        roots,
        issues,
        bonuses,
        notice_title: notice.title,
        notice_requirements: notice.requirements,
        notice_addressee: notice.addressee,
        notice_doc_number: notice.doc_number,
        publish,
        feedback_deadline,
        feedback_requirements: feedback.requirements,
        periods,
    })
}

/// `[assessment]`'s numbers: full score, precision, bonus cap (and the
/// veto cap, checked against the full score).
fn assessment_numbers(raw: &RawSystem, c: &mut Checker) -> (Decimal, u32, Decimal) {
    let a = &raw.assessment;
    let full_score = a.get_ref().full_score.unwrap_or(Decimal::ONE_HUNDRED);
    if full_score > Decimal::from(LIMIT) {
        c.at(
            a,
            crate::tr!(
                "assessment.full_score = {full_score}：最多为 {LIMIT}",
                "assessment.full_score = {full_score}: at most {LIMIT}"
            ),
        );
    }
    if full_score <= Decimal::ZERO {
        c.at(
            a,
            crate::tr!(
                "assessment.full_score = {full_score}：应大于 0",
                "assessment.full_score = {full_score}: must be > 0"
            ),
        );
    }
    let precision = a.get_ref().precision.unwrap_or(2);
    if precision > 16 {
        c.at(
            a,
            crate::tr!(
                "assessment.precision = {precision}：最多保留 16 位小数",
                "assessment.precision = {precision}: at most 16 decimals"
            ),
        );
    }
    let bonus_cap = a.get_ref().bonus_cap.unwrap_or(Decimal::ZERO);
    if bonus_cap < Decimal::ZERO {
        c.at(
            a,
            crate::tr!(
                "assessment.bonus_cap = {bonus_cap}：应不小于 0",
                "assessment.bonus_cap = {bonus_cap}: must be >= 0"
            ),
        );
    }
    if let Some(v) = a.get_ref().veto_cap {
        if v < Decimal::ZERO || v > full_score {
            c.at(
                a,
                crate::tr!(
                    "assessment.veto_cap = {v}：应在 0 与满分 {full_score} 之间",
                    "assessment.veto_cap = {v}: must be between 0 and full_score {full_score}"
                ),
            );
        }
    }
    (full_score, precision, bonus_cap)
}

/// How ties rank, what is ranked on, and how N/A items are made up for.
fn ranking_rules(raw: &RawSystem, c: &mut Checker) -> (RankTies, RankOn, Rescale) {
    let a = &raw.assessment;
    let rank_ties = match a.get_ref().rank_ties.as_deref() {
        None | Some("competition") => RankTies::Competition,
        Some("dense") => RankTies::Dense,
        Some(other) => {
            c.at(
                a,
                crate::tr!(
                    "assessment.rank_ties = \"{other}\"：应为 \"competition\" 或 \"dense\"",
                    "assessment.rank_ties = \"{other}\": expected \"competition\" or \"dense\""
                ),
            );
            RankTies::Competition
        }
    };
    let rank_on = match a.get_ref().rank_on.as_deref() {
        None | Some("published") => RankOn::Published,
        Some("exact") => RankOn::Exact,
        Some(other) => {
            c.at(
                a,
                crate::tr!(
                    "assessment.rank_on = \"{other}\"：应为 \"published\" 或 \"exact\"",
                    "assessment.rank_on = \"{other}\": expected \"published\" or \"exact\""
                ),
            );
            RankOn::Published
        }
    };

    let rescale = match a.get_ref().rescale.as_deref() {
        None | Some("parent") => Rescale::Parent,
        Some("flat") => Rescale::Flat,
        Some(other) => {
            c.at(
                a,
                crate::tr!(
                    "assessment.rescale = \"{other}\"：应为 \"parent\" 或 \"flat\"",
                    "assessment.rescale = \"{other}\": expected \"parent\" or \"flat\""
                ),
            );
            Rescale::Parent
        }
    };
    (rank_ties, rank_on, rescale)
}

/// `[performance] weight_percent`: at least 4 (the policy's floor), at most 100.
fn weight_percent(raw: &RawSystem, c: &mut Checker) -> Decimal {
    match &raw.performance {
        None => {
            c.general(crate::tr!("缺少 [performance] weight_percent：政务公开在目标绩效考核中的分值权重（不低于 4）", "[performance] weight_percent is required: the share of 政务公开 in the target performance assessment (at least 4)"));
            Decimal::from(4)
        }
        Some(p) => {
            let spanned = &p.get_ref().weight_percent;
            let w = *spanned.get_ref();
            if w < Decimal::from(4) {
                c.at(spanned, crate::tr!(
"performance.weight_percent = {w}：政务公开工作在目标绩效考核中的分值权重不得低于 4%",
"performance.weight_percent = {w}: 政务公开 must carry at least 4% of the target performance assessment"));
            } else if w > Decimal::ONE_HUNDRED {
                c.at(
                    spanned,
                    crate::tr!(
                        "performance.weight_percent = {w}：最多为 100",
                        "performance.weight_percent = {w}: at most 100"
                    ),
                );
            }
            w
        }
    }
}

/// `assessment.tie_break`: the indicators, by index.
fn tie_break(raw: &RawSystem, ids: &HashMap<&str, usize>, c: &mut Checker) -> Vec<usize> {
    let a = &raw.assessment;
    let mut tie_break = Vec::new();
    for t in &a.get_ref().tie_break {
        match ids.get(t.as_str()) {
            Some(&i) => tie_break.push(i),
            None => c.at(
                a,
                crate::tr!(
                    "assessment.tie_break：未知指标“{t}”",
                    "assessment.tie_break: unknown indicator \"{t}\""
                ),
            ),
        }
    }
    tie_break
}

/// `notice.publish`: ranks (the default) or grades only.
fn publish(raw: &RawSystem, c: &mut Checker) -> Publish {
    match raw
        .notice
        .as_ref()
        .and_then(|n| n.get_ref().publish.as_deref())
    {
        None | Some("ranks") => Publish::Ranks,
        Some("grades") => Publish::Grades,
        Some(other) => {
            if let Some(n) = &raw.notice {
                c.at(
                    n,
                    crate::tr!(
                        "notice.publish = \"{other}\"：应为 \"ranks\"（名次和得分）或 \"grades\"（按等次列出单位）",
                        "notice.publish = \"{other}\": expected \"ranks\" (ranks and scores) or \"grades\" (units listed under their grades)"
                    ),
                );
            }
            Publish::Ranks
        }
    }
}

/// `assessment.records_until`: a day from 31 December of `year` to 31
/// December of the next year; without it, 31 December of `year`.
fn records_until(raw: &RawSystem, c: &mut Checker) -> NaiveDate {
    use chrono::Datelike;
    let a = &raw.assessment;
    let year = a.get_ref().year;
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let Some(d) = &a.get_ref().records_until else {
        return end;
    };
    match to_date(d) {
        Some(date) if date >= end && date <= end.with_year(year + 1).unwrap_or(end) => date,
        _ => {
            c.at(
                a,
                crate::tr!(
                    "assessment.records_until = {d}：应为 {year} 年 12 月 31 日至次年 12 月 31 日之间的日期，如 {}-01-31",
                    "assessment.records_until = {d}: expected a date from 31 December {year} to 31 December of the next year, e.g. {}-01-31",
                    year + 1
                ),
            );
            end
        }
    }
}

fn resolve_calendar(raw: &RawSystem, c: &mut Checker) -> Calendar {
    let mut cal = Calendar::default();
    if let Some(rc) = &raw.calendar {
        for (list, set, name) in [
            (&rc.holidays, &mut cal.holidays, "holidays"),
            (&rc.workdays, &mut cal.workdays, "workdays"),
        ] {
            for d in list {
                match to_date(d) {
                    Some(nd) => {
                        set.insert(nd);
                    }
                    None => c.general(crate::tr!(
                        "calendar.{name}：{d} 不是日期（应写成 YYYY-MM-DD）",
                        "calendar.{name}: {d} is not a plain date (YYYY-MM-DD)"
                    )),
                }
            }
        }
    }
    cal
}

fn resolve_groups(raw: &RawSystem, c: &mut Checker) -> Vec<Group> {
    if raw.group.is_empty() {
        c.general(crate::tr!(
            "至少要有一个 [[group]]：单位在分组内排名",
            "at least one [[group]] is required: units are ranked within groups"
        ));
    }
    // Every id, name and alias names one group only (compared as unit
    // names are: NFKC, no spaces).
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for g in &raw.group {
        let r = g.get_ref();
        if !valid_id(&r.id) {
            c.at(
                g,
                crate::tr!(
                    "分组代码“{}”：只能用字母、数字和 _ . -",
                    "group id \"{}\": use letters, digits, _ . -",
                    r.id
                ),
            );
        }
        let names = std::iter::once(&r.id)
            .chain(std::iter::once(&r.name))
            .chain(&r.aliases);
        let mut own = HashSet::new();
        for n in names {
            let key = crate::spelling::normalize(n);
            if !own.insert(key.clone()) {
                continue;
            }
            match seen.get(&key) {
                Some(other) => c.at(
                    g,
                    crate::tr!(
"分组 {}：“{n}”已是分组 {other} 的名称；分组的代码、名称和别名都不能重复",
"group {}: \"{n}\" already names group {other}; group ids, names and aliases must be unique", r.id),
                ),
                None => {
                    seen.insert(key, r.id.clone());
                }
            }
        }
        out.push(Group {
            id: r.id.clone(),
            name: r.name.clone(),
            aliases: r.aliases.clone(),
        });
    }
    out
}

fn resolve_grades(raw: &RawSystem, c: &mut Checker) -> Vec<Grade> {
    if raw.grade.is_empty() {
        c.general(crate::tr!(
            "至少要有一个 [[grade]]；最后一个等次的 min 应为 0",
            "at least one [[grade]] is required; the last must have min = 0"
        ));
    }
    let mut out: Vec<Grade> = Vec::new();
    for g in &raw.grade {
        let r = g.get_ref();
        if let Some(prev) = out.last() {
            if r.min >= prev.min {
                c.at(
                    g,
                    crate::tr!(
                        "等次 {}：min {} 应低于上一等次的 min {}（{}）",
                        "grade {}: min {} must be below the previous grade's min {} ({})",
                        r.name,
                        r.min,
                        prev.min,
                        prev.name
                    ),
                );
            }
        }
        if let Some(s) = r.max_share {
            if s <= Decimal::ZERO || s > Decimal::ONE {
                c.at(
                    g,
                    crate::tr!(
                        "等次 {}：max_share = {s}：应大于 0 且不大于 1",
                        "grade {}: max_share = {s}: must be > 0 and <= 1",
                        r.name
                    ),
                );
            }
        }
        let quota_rounding = match r.quota_rounding.as_deref() {
            None | Some("floor") => QuotaRounding::Floor,
            Some("half_up") => QuotaRounding::HalfUp,
            Some("ceil") => QuotaRounding::Ceil,
            Some(other) => {
                c.at(
                    g,
                    crate::tr!(
                        "等次 {}：quota_rounding = \"{other}\"：应为 \"floor\"（去尾，默认）、\"half_up\"（四舍五入）或 \"ceil\"（进一）",
                        "grade {}: quota_rounding = \"{other}\": expected \"floor\" (default), \"half_up\" or \"ceil\"",
                        r.name
                    ),
                );
                QuotaRounding::Floor
            }
        };
        out.push(Grade {
            name: r.name.clone(),
            min: r.min,
            max_share: r.max_share,
            quota_rounding,
        });
    }
    if let (Some(last), Some(g)) = (out.last(), raw.grade.last()) {
        if !last.min.is_zero() {
            c.at(
                g,
                crate::tr!(
                    "等次 {}：最后一个等次的 min 应为 0（现为 {}）",
                    "grade {}: the last grade must have min = 0 (has {})",
                    last.name,
                    last.min
                ),
            );
        }
    }
    out
}
