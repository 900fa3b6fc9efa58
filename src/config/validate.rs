//! Checks a [`RawSystem`] against every rule of the contract and resolves it
//! into a [`System`]. All problems are collected, each naming the indicator
//! (or field), the TOML line:column and the numbers involved.

use super::raw::{RawIndicator, RawSystem};
use super::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use toml::value::Datetime;
use toml::Spanned;

/// The largest points, weight or deduction an indicator system may give:
/// far beyond any real system, small enough that exact arithmetic never
/// overflows.
const LIMIT: i64 = 1_000_000;

struct Checker<'a> {
    text: &'a str,
    file: &'a str,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at<T>(&mut self, spanned: &Spanned<T>, msg: impl Into<String>) {
        let place = line_col(self.text, spanned.span().start);
        self.errors.push(Diagnostic::new(self.file, place, msg));
    }

    fn general(&mut self, msg: impl Into<String>) {
        self.errors.push(Diagnostic::new(self.file, "", msg));
    }
}

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
    let full_score = a.get_ref().full_score.unwrap_or(Decimal::ONE_HUNDRED);
    if full_score > Decimal::from(LIMIT) {
        c.at(
            a,
            format!("assessment.full_score = {full_score}: at most {LIMIT}"),
        );
    }
    if full_score <= Decimal::ZERO {
        c.at(
            a,
            format!("assessment.full_score = {full_score}: must be > 0"),
        );
    }
    let precision = a.get_ref().precision.unwrap_or(2);
    if precision > 16 {
        c.at(
            a,
            format!("assessment.precision = {precision}: at most 16 decimals"),
        );
    }
    let bonus_cap = a.get_ref().bonus_cap.unwrap_or(Decimal::ZERO);
    if bonus_cap < Decimal::ZERO {
        c.at(
            a,
            format!("assessment.bonus_cap = {bonus_cap}: must be >= 0"),
        );
    }
    if let Some(v) = a.get_ref().veto_cap {
        if v < Decimal::ZERO || v > full_score {
            c.at(
                a,
                format!("assessment.veto_cap = {v}: must be between 0 and full_score {full_score}"),
            );
        }
    }
    let rank_ties = match a.get_ref().rank_ties.as_deref() {
        None | Some("competition") => RankTies::Competition,
        Some("dense") => RankTies::Dense,
        Some(other) => {
            c.at(
                a,
                format!(
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
                format!("assessment.rank_on = \"{other}\": expected \"published\" or \"exact\""),
            );
            RankOn::Published
        }
    };

    let weight_percent = match &raw.performance {
        None => {
            c.general("[performance] weight_percent is required: the share of 政务公开 in the target performance assessment (at least 4)");
            Decimal::from(4)
        }
        Some(p) => {
            let spanned = &p.get_ref().weight_percent;
            let w = *spanned.get_ref();
            if w < Decimal::from(4) {
                c.at(spanned, format!("performance.weight_percent = {w}: 政务公开 must carry at least 4% of the target performance assessment"));
            } else if w > Decimal::ONE_HUNDRED {
                c.at(
                    spanned,
                    format!("performance.weight_percent = {w}: at most 100"),
                );
            }
            w
        }
    };

    let calendar = resolve_calendar(&raw, &mut c);
    let groups = resolve_groups(&raw, &mut c);
    let grades = resolve_grades(&raw, &mut c);
    let indicators = resolve_indicators(&raw, &groups, full_score, &mut c);
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

    let mut tie_break = Vec::new();
    for t in &a.get_ref().tie_break {
        match ids.get(t.as_str()) {
            Some(&i) => tie_break.push(i),
            None => c.at(
                a,
                format!("assessment.tie_break: unknown indicator \"{t}\""),
            ),
        }
    }

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let notice = raw.notice.unwrap_or_default();
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
        issuer: a.issuer,
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
    })
}

fn to_date(d: &Datetime) -> Option<NaiveDate> {
    match (d.date, d.time) {
        (Some(date), None) => {
            NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
        }
        _ => None,
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
                    None => c.general(format!(
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
        c.general("at least one [[group]] is required: units are ranked within groups");
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for g in &raw.group {
        let r = g.get_ref();
        if !valid_id(&r.id) {
            c.at(
                g,
                format!("group id \"{}\": use letters, digits, _ . -", r.id),
            );
        }
        if !seen.insert(r.id.clone()) {
            c.at(g, format!("group id \"{}\" is used twice", r.id));
        }
        out.push(Group {
            id: r.id.clone(),
            name: r.name.clone(),
        });
    }
    out
}

fn resolve_grades(raw: &RawSystem, c: &mut Checker) -> Vec<Grade> {
    if raw.grade.is_empty() {
        c.general("at least one [[grade]] is required; the last must have min = 0");
    }
    let mut out: Vec<Grade> = Vec::new();
    for g in &raw.grade {
        let r = g.get_ref();
        if let Some(prev) = out.last() {
            if r.min >= prev.min {
                c.at(
                    g,
                    format!(
                        "grade {}: min {} must be below the previous grade's min {} ({})",
                        r.name, r.min, prev.min, prev.name
                    ),
                );
            }
        }
        if let Some(s) = r.max_share {
            if s <= Decimal::ZERO || s > Decimal::ONE {
                c.at(
                    g,
                    format!("grade {}: max_share = {s}: must be > 0 and <= 1", r.name),
                );
            }
        }
        out.push(Grade {
            name: r.name.clone(),
            min: r.min,
            max_share: r.max_share,
        });
    }
    if let (Some(last), Some(g)) = (out.last(), raw.grade.last()) {
        if !last.min.is_zero() {
            c.at(
                g,
                format!(
                    "grade {}: the last grade must have min = 0 (has {})",
                    last.name, last.min
                ),
            );
        }
    }
    out
}

pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch))
}

fn check_unique_ids(raw: &RawSystem, c: &mut Checker) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let all = raw
        .indicator
        .iter()
        .map(|s| (s.get_ref().id.clone(), "indicator", s.span()))
        .chain(
            raw.issue
                .iter()
                .map(|s| (s.get_ref().code.clone(), "issue", s.span())),
        )
        .chain(
            raw.bonus
                .iter()
                .map(|s| (s.get_ref().id.clone(), "bonus", s.span())),
        );
    for (id, kind, span) in all {
        if let Some(first) = seen.get(&id) {
            let place = line_col(c.text, span.start);
            c.errors.push(Diagnostic::new(
                c.file,
                place,
                format!("id \"{id}\" of this {kind} is already used by an {first}; ids are unique across indicators, issues and bonuses"),
            ));
        } else {
            seen.insert(id, kind);
        }
    }
}

/// Builds the tree; `None` when its structure is broken (unknown parent,
/// cycle), since nothing below can then be checked.
fn resolve_indicators(
    raw: &RawSystem,
    groups: &[Group],
    full_score: Decimal,
    c: &mut Checker,
) -> Option<(Vec<Indicator>, Vec<usize>)> {
    let list: Vec<&RawIndicator> = raw.indicator.iter().map(|s| s.get_ref()).collect();
    if list.is_empty() {
        c.general("at least one [[indicator]] is required");
        return None;
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, ind) in list.iter().enumerate() {
        if !valid_id(&ind.id) {
            c.at(
                &raw.indicator[i],
                format!(
                    "indicator id \"{}\": use letters, digits, _ . - only",
                    ind.id
                ),
            );
        }
        index.entry(ind.id.as_str()).or_insert(i);
    }
    let mut parent = vec![None; list.len()];
    let mut broken = false;
    for (i, ind) in list.iter().enumerate() {
        if let Some(p) = &ind.parent {
            match index.get(p.as_str()) {
                Some(&pi) if pi == i => {
                    c.at(
                        &raw.indicator[i],
                        format!("indicator {}: it is its own parent", ind.id),
                    );
                    broken = true;
                }
                Some(&pi) => parent[i] = Some(pi),
                None => {
                    c.at(
                        &raw.indicator[i],
                        format!("indicator {}: parent \"{p}\" does not exist", ind.id),
                    );
                    broken = true;
                }
            }
        }
    }
    for i in 0..list.len() {
        let mut seen = vec![i];
        let mut cur = i;
        while let Some(p) = parent[cur] {
            if p == i {
                let path: Vec<&str> = seen.iter().map(|&k| list[k].id.as_str()).collect();
                c.at(
                    &raw.indicator[i],
                    format!(
                        "indicator {}: parent cycle {} -> {}",
                        list[i].id,
                        path.join(" -> "),
                        list[i].id
                    ),
                );
                broken = true;
                break;
            }
            if seen.contains(&p) {
                break; // a cycle further up, reported from its own member
            }
            seen.push(p);
            cur = p;
        }
    }
    if broken {
        return None;
    }
    let mut children = vec![Vec::new(); list.len()];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }

    let group_index: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let mut nodes = Vec::with_capacity(list.len());
    for (i, ind) in list.iter().enumerate() {
        let sp = &raw.indicator[i];
        let share = match (ind.points, ind.weight) {
            (Some(_), Some(_)) => {
                c.at(
                    sp,
                    format!(
                        "indicator {}: gives both points and weight; give one",
                        ind.id
                    ),
                );
                Share::Sum
            }
            (Some(p), None) => {
                if p > Decimal::from(LIMIT) {
                    c.at(
                        sp,
                        format!("indicator {}: points = {p}: at most {LIMIT}", ind.id),
                    );
                }
                if p <= Decimal::ZERO {
                    c.at(
                        sp,
                        format!("indicator {}: points = {p}: must be > 0", ind.id),
                    );
                }
                Share::Points(p)
            }
            (None, Some(w)) => {
                if w > Decimal::from(LIMIT) {
                    c.at(
                        sp,
                        format!("indicator {}: weight = {w}: at most {LIMIT}", ind.id),
                    );
                }
                if w <= Decimal::ZERO {
                    c.at(
                        sp,
                        format!("indicator {}: weight = {w}: must be > 0", ind.id),
                    );
                }
                Share::Weight(w)
            }
            (None, None) => {
                if children[i].is_empty() {
                    c.at(
                        sp,
                        format!("indicator {}: a leaf needs points or weight", ind.id),
                    );
                }
                Share::Sum
            }
        };
        let own_groups = ind.groups.as_ref().map(|gs| {
            gs.iter()
                .filter_map(|g| match group_index.get(g.as_str()) {
                    Some(&gi) => Some(gi),
                    None => {
                        c.at(
                            sp,
                            format!("indicator {}: group \"{g}\" does not exist", ind.id),
                        );
                        None
                    }
                })
                .collect::<Vec<_>>()
        });
        let rule = if children[i].is_empty() {
            match &ind.rule {
                None => {
                    c.at(sp, format!("indicator {}: a leaf needs a rule (deduct, curve, deadline, rating, relative, manual, level)", ind.id));
                    None
                }
                Some(_) => parse_rule(ind, sp, c),
            }
        } else {
            if ind.rule.is_some() {
                c.at(sp, format!("indicator {}: has children, so it takes no rule (its score comes from them)", ind.id));
            }
            None
        };
        nodes.push(Indicator {
            id: ind.id.clone(),
            name: ind.name.clone(),
            parent: parent[i],
            children: children[i].clone(),
            share,
            points: Exact::ZERO,
            groups: own_groups,
            allow_na: ind.allow_na.unwrap_or(false),
            pool: ind.pool.unwrap_or(false),
            rule,
        });
    }
    inherit_groups_and_na(&mut nodes, &roots, raw, c);
    check_pools(&nodes, raw, c);
    check_point_sums(&nodes, &roots, full_score, raw, c);
    let points = resolved_points(&nodes, &roots, full_score);
    for (n, p) in nodes.iter_mut().zip(points) {
        n.points = p;
    }
    check_rule_bounds(&nodes, raw, c);
    Some((nodes, roots))
}

fn inherit_groups_and_na(
    nodes: &mut [Indicator],
    roots: &[usize],
    raw: &RawSystem,
    c: &mut Checker,
) {
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(i) = stack.pop() {
        if let Some(p) = nodes[i].parent {
            let (pg, pna) = (nodes[p].groups.clone(), nodes[p].allow_na);
            if let (Some(parent_groups), Some(own)) = (&pg, &nodes[i].groups) {
                if let Some(bad) = own.iter().find(|g| !parent_groups.contains(g)) {
                    let msg = format!(
                        "indicator {}: group \"{}\" is not among its parent {}'s groups",
                        nodes[i].id,
                        raw.group[*bad].get_ref().id,
                        nodes[p].id
                    );
                    c.at(&raw.indicator[i], msg);
                }
            }
            if nodes[i].groups.is_none() {
                nodes[i].groups = pg;
            }
            nodes[i].allow_na |= pna;
        }
        stack.extend(nodes[i].children.iter().copied());
    }
}

fn leaves_below(nodes: &[Indicator], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![i];
    while let Some(k) = stack.pop() {
        if nodes[k].is_leaf() {
            out.push(k);
        } else {
            stack.extend(nodes[k].children.iter().copied());
        }
    }
    out
}

fn check_pools(nodes: &[Indicator], raw: &RawSystem, c: &mut Checker) {
    for (i, n) in nodes.iter().enumerate() {
        if !n.pool {
            continue;
        }
        if n.is_leaf() {
            c.at(
                &raw.indicator[i],
                format!(
                    "indicator {}: pool = true is for a parent; this is a leaf",
                    n.id
                ),
            );
            continue;
        }
        let bad: Vec<&str> = leaves_below(nodes, i)
            .into_iter()
            .filter(|&l| !matches!(nodes[l].rule, Some(Rule::Deduct { .. })))
            .map(|l| nodes[l].id.as_str())
            .collect();
        if !bad.is_empty() {
            c.at(&raw.indicator[i], format!("indicator {}: pool = true needs every leaf below to use rule \"deduct\"; {} do not", n.id, bad.join(", ")));
        }
    }
}

/// Points given directly (`Points`), summed from children (`Sum`) or a share
/// of the parent's (`Weight`), exact.
pub fn resolved_points(nodes: &[Indicator], roots: &[usize], full_score: Decimal) -> Vec<Exact> {
    fn subtree_sum(nodes: &[Indicator], i: usize, memo: &mut Vec<Option<Exact>>) -> Exact {
        if let Some(v) = memo[i] {
            return v;
        }
        let v = match nodes[i].share {
            Share::Points(p) => Exact::from_decimal(p),
            _ => nodes[i].children.iter().fold(Exact::ZERO, |acc, &ch| {
                acc.plus(subtree_sum(nodes, ch, memo))
            }),
        };
        memo[i] = Some(v);
        v
    }
    let mut out = vec![Exact::ZERO; nodes.len()];
    let mut memo = vec![None; nodes.len()];
    // Top-down: a weighted sibling set shares its parent's points.
    let mut stack: Vec<(Vec<usize>, Exact)> =
        vec![(roots.to_vec(), Exact::from_decimal(full_score))];
    while let Some((siblings, parent_points)) = stack.pop() {
        let weights: Vec<Option<Decimal>> = siblings
            .iter()
            .map(|&s| match nodes[s].share {
                Share::Weight(w) => Some(w),
                _ => None,
            })
            .collect();
        let weight_sum: Decimal = weights.iter().flatten().sum();
        for (k, &s) in siblings.iter().enumerate() {
            let p = match weights[k] {
                Some(w) if !weight_sum.is_zero() => parent_points
                    .mul_dec(w)
                    .over(Exact::from_decimal(weight_sum)),
                Some(_) => Exact::ZERO,
                None => subtree_sum(nodes, s, &mut memo),
            };
            out[s] = p;
            if !nodes[s].children.is_empty() {
                stack.push((nodes[s].children.clone(), p));
            }
        }
    }
    out
}

fn describe_sum(nodes: &[Indicator], kids: &[usize]) -> (Decimal, String) {
    let mut sum = Decimal::ZERO;
    let mut parts = Vec::new();
    for &k in kids {
        if let Share::Points(p) = nodes[k].share {
            sum += p;
            parts.push(format!("{} {}", nodes[k].id, p.normalize()));
        }
    }
    (sum, parts.join(" + "))
}

fn check_point_sums(
    nodes: &[Indicator],
    roots: &[usize],
    full: Decimal,
    raw: &RawSystem,
    c: &mut Checker,
) {
    let mut sets: Vec<(Option<usize>, &[usize])> = vec![(None, roots)];
    for (i, n) in nodes.iter().enumerate() {
        if !n.children.is_empty() {
            sets.push((Some(i), &n.children));
        }
    }
    for (parent, kids) in sets {
        let weighted = kids
            .iter()
            .filter(|&&k| matches!(nodes[k].share, Share::Weight(_)))
            .count();
        let pointed = kids
            .iter()
            .filter(|&&k| matches!(nodes[k].share, Share::Points(_)))
            .count();
        let who = parent.map_or("the top level".to_string(), |p| {
            format!("indicator {}", nodes[p].id)
        });
        if weighted > 0 && weighted < kids.len() {
            let msg = format!("{who}: its children mix points and weight; give all of them points or all of them weight");
            match parent {
                Some(p) => c.at(&raw.indicator[p], msg),
                None => c.general(msg),
            }
            continue;
        }
        if weighted > 0 {
            if let Some(p) = parent {
                if nodes[p].share == Share::Sum {
                    c.at(&raw.indicator[p], format!("indicator {}: its children are weighted, so it needs points (or a weight) of its own", nodes[p].id));
                }
            }
            continue;
        }
        if pointed < kids.len() {
            continue; // children deriving points from their own children: checked there
        }
        let (sum, parts) = describe_sum(nodes, kids);
        match parent {
            None => {
                if sum != full {
                    c.general(format!(
                        "top-level indicators add up to {} ({parts}), but full_score is {}",
                        sum.normalize(),
                        full.normalize()
                    ));
                }
            }
            Some(p) => {
                if let Share::Points(pp) = nodes[p].share {
                    if sum != pp {
                        c.at(
                            &raw.indicator[p],
                            format!(
                                "indicator {}: points {}, children add up to {} ({parts})",
                                nodes[p].id,
                                pp.normalize(),
                                sum.normalize()
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Parameters that need the resolved points (`manual` has none; `max_deduct`).
fn check_rule_bounds(nodes: &[Indicator], raw: &RawSystem, c: &mut Checker) {
    for (i, n) in nodes.iter().enumerate() {
        if let Some(Rule::Deduct {
            max_deduct: Some(m),
        }) = &n.rule
        {
            if *m <= Decimal::ZERO {
                c.at(
                    &raw.indicator[i],
                    format!("indicator {}: max_deduct = {m}: must be > 0", n.id),
                );
            }
        }
    }
}

const RULE_PARAMS: &[(&str, &[&str])] = &[
    ("deduct", &["max_deduct"]),
    ("curve", &["curve", "mode"]),
    (
        "deadline",
        &["due", "late_deduct", "late_unit", "zero_after"],
    ),
    ("rating", &["trim", "scale"]),
    ("relative", &["direction", "floor"]),
    ("manual", &[]),
    ("level", &["levels"]),
];

fn given_params(ind: &RawIndicator) -> Vec<&'static str> {
    let flags = [
        ("max_deduct", ind.max_deduct.is_some()),
        ("curve", ind.curve.is_some()),
        ("mode", ind.mode.is_some()),
        ("due", ind.due.is_some()),
        ("late_deduct", ind.late_deduct.is_some()),
        ("late_unit", ind.late_unit.is_some()),
        ("zero_after", ind.zero_after.is_some()),
        ("trim", ind.trim.is_some()),
        ("scale", ind.scale.is_some()),
        ("direction", ind.direction.is_some()),
        ("floor", ind.floor.is_some()),
        ("levels", ind.levels.is_some()),
    ];
    flags.iter().filter(|f| f.1).map(|f| f.0).collect()
}

fn parse_rule(ind: &RawIndicator, sp: &Spanned<RawIndicator>, c: &mut Checker) -> Option<Rule> {
    let name = ind.rule.as_deref().unwrap_or("");
    let Some((_, allowed)) = RULE_PARAMS.iter().find(|(n, _)| *n == name) else {
        c.at(sp, format!("indicator {}: unknown rule \"{name}\"; expected one of deduct, curve, deadline, rating, relative, manual, level", ind.id));
        return None;
    };
    for p in given_params(ind) {
        if !allowed.contains(&p) {
            c.at(
                sp,
                format!(
                    "indicator {}: parameter {p} does not apply to rule \"{name}\"",
                    ind.id
                ),
            );
        }
    }
    let id = &ind.id;
    let zero = Decimal::ZERO;
    let one = Decimal::ONE;
    let rule = match name {
        "deduct" => Rule::Deduct {
            max_deduct: ind.max_deduct,
        },
        "curve" => {
            let curve = ind.curve.clone().unwrap_or_default();
            if curve.is_empty() {
                c.at(
                    sp,
                    format!("indicator {id}: rule curve needs curve = [[x0, f0], [x1, f1], …]"),
                );
            }
            for w in curve.windows(2) {
                if w[1].0 <= w[0].0 {
                    c.at(
                        sp,
                        format!(
                            "indicator {id}: curve x values must increase strictly ({} then {})",
                            w[0].0, w[1].0
                        ),
                    );
                }
            }
            for (x, f) in &curve {
                if *f < zero || *f > one {
                    c.at(
                        sp,
                        format!(
                            "indicator {id}: curve point [{x}, {f}]: f must be between 0 and 1"
                        ),
                    );
                }
            }
            let step = match ind.mode.as_deref() {
                None | Some("linear") => false,
                Some("step") => true,
                Some(m) => {
                    c.at(
                        sp,
                        format!("indicator {id}: mode = \"{m}\": expected \"linear\" or \"step\""),
                    );
                    false
                }
            };
            Rule::Curve { curve, step }
        }
        "deadline" => {
            let due = match &ind.due {
                None => {
                    c.at(
                        sp,
                        format!("indicator {id}: rule deadline needs due = YYYY-MM-DD"),
                    );
                    None
                }
                Some(d) => {
                    let nd = to_date(d);
                    if nd.is_none() {
                        c.at(
                            sp,
                            format!("indicator {id}: due = {d}: expected a plain date YYYY-MM-DD"),
                        );
                    }
                    nd
                }
            };
            let late_deduct = ind.late_deduct.unwrap_or_else(|| {
                c.at(
                    sp,
                    format!(
                        "indicator {id}: rule deadline needs late_deduct (points per unit late)"
                    ),
                );
                zero
            });
            if late_deduct < zero {
                c.at(
                    sp,
                    format!("indicator {id}: late_deduct = {late_deduct}: must be >= 0"),
                );
            }
            let workdays = match ind.late_unit.as_deref() {
                None | Some("day") => false,
                Some("workday") => true,
                Some(u) => {
                    c.at(
                        sp,
                        format!(
                            "indicator {id}: late_unit = \"{u}\": expected \"day\" or \"workday\""
                        ),
                    );
                    false
                }
            };
            if let Some(z) = ind.zero_after {
                if z < zero {
                    c.at(
                        sp,
                        format!("indicator {id}: zero_after = {z}: must be >= 0"),
                    );
                }
            }
            Rule::Deadline {
                due: due?,
                late_deduct,
                workdays,
                zero_after: ind.zero_after,
            }
        }
        "rating" => {
            let scale = ind.scale.unwrap_or(Decimal::ONE_HUNDRED);
            if scale <= zero {
                c.at(sp, format!("indicator {id}: scale = {scale}: must be > 0"));
            }
            Rule::Rating {
                trim: ind.trim.unwrap_or(0),
                scale,
            }
        }
        "relative" => {
            let higher_is_better = match ind.direction.as_deref() {
                None | Some("higher") => true,
                Some("lower") => false,
                Some(d) => {
                    c.at(
                        sp,
                        format!(
                            "indicator {id}: direction = \"{d}\": expected \"higher\" or \"lower\""
                        ),
                    );
                    true
                }
            };
            let floor = ind.floor.unwrap_or(zero);
            if floor < zero || floor > one {
                c.at(
                    sp,
                    format!("indicator {id}: floor = {floor}: must be between 0 and 1"),
                );
            }
            Rule::Relative {
                higher_is_better,
                floor,
            }
        }
        "manual" => Rule::Manual,
        _ => {
            let levels = ind.levels.clone().unwrap_or_default();
            if levels.is_empty() {
                c.at(
                    sp,
                    format!("indicator {id}: rule level needs levels = [[\"优\", 1], …]"),
                );
            }
            let mut seen = BTreeSet::new();
            for (l, f) in &levels {
                if *f < zero || *f > one {
                    c.at(
                        sp,
                        format!("indicator {id}: level \"{l}\" = {f}: must be between 0 and 1"),
                    );
                }
                if !seen.insert(crate::ingest::names::normalize(l)) {
                    c.at(sp, format!("indicator {id}: level \"{l}\" is listed twice"));
                }
            }
            Rule::Level { levels }
        }
    };
    Some(rule)
}

fn resolve_issues(
    raw: &RawSystem,
    nodes: &[Indicator],
    ids: &HashMap<&str, usize>,
    c: &mut Checker,
) -> Vec<Issue> {
    let mut out = Vec::new();
    for sp in &raw.issue {
        let r = sp.get_ref();
        if !valid_id(&r.code) {
            c.at(
                sp,
                format!("issue code \"{}\": use letters, digits, _ . - only", r.code),
            );
        }
        let indicator = r.indicator.as_ref().and_then(|id| match ids.get(id.as_str()) {
            None => {
                c.at(sp, format!("issue {}: indicator \"{id}\" does not exist", r.code));
                None
            }
            Some(&i) if !matches!(nodes[i].rule, Some(Rule::Deduct { .. })) => {
                let what = if nodes[i].is_leaf() { "a leaf with another rule" } else { "a parent" };
                c.at(sp, format!("issue {}: indicator {id} is {what}; an issue must point at a leaf with rule \"deduct\"", r.code));
                None
            }
            Some(&i) => Some(i),
        });
        if r.deduct > Decimal::from(LIMIT) {
            c.at(
                sp,
                format!("issue {}: deduct = {}: at most {LIMIT}", r.code, r.deduct),
            );
        }
        if r.deduct < Decimal::ZERO {
            c.at(
                sp,
                format!("issue {}: deduct = {}: must be >= 0", r.code, r.deduct),
            );
        }
        let veto = match r.veto.as_deref() {
            None | Some("none") => Veto::None,
            Some("indicator") => Veto::Indicator,
            Some("grade") => Veto::Grade,
            Some(v) => {
                c.at(
                    sp,
                    format!(
                        "issue {}: veto = \"{v}\": expected \"none\", \"indicator\" or \"grade\"",
                        r.code
                    ),
                );
                Veto::None
            }
        };
        if veto == Veto::Indicator && r.indicator.is_none() {
            c.at(
                sp,
                format!(
                    "issue {}: veto = \"indicator\" needs an indicator to zero",
                    r.code
                ),
            );
        }
        out.push(Issue {
            code: r.code.clone(),
            name: r.name.clone(),
            indicator,
            deduct: r.deduct,
            veto,
        });
    }
    out
}

fn resolve_bonuses(raw: &RawSystem, c: &mut Checker) -> Vec<Bonus> {
    raw.bonus
        .iter()
        .map(|sp| {
            let r = sp.get_ref();
            if !valid_id(&r.id) {
                c.at(
                    sp,
                    format!("bonus id \"{}\": use letters, digits, _ . - only", r.id),
                );
            }
            if r.points <= Decimal::ZERO {
                c.at(
                    sp,
                    format!("bonus {}: points = {}: must be > 0", r.id, r.points),
                );
            }
            if let Some(m) = r.max {
                if m <= Decimal::ZERO {
                    c.at(sp, format!("bonus {}: max = {m}: must be > 0", r.id));
                }
            }
            Bonus {
                id: r.id.clone(),
                name: r.name.clone(),
                points: r.points,
                max: r.max,
            }
        })
        .collect()
}
