//! The indicator tree: parents and children, no cycles, points or weights
//! that add up, inherited groups and 不涉及 permission, pooled parents, and
//! the resolution of every indicator's exact points.

use super::checker::{valid_id, Checker, LIMIT};
use super::raw::{RawIndicator, RawSystem};
use super::rule_params::parse_rule;
use super::*;
use std::collections::HashMap;

/// Builds the tree; `None` when its structure is broken (unknown parent,
/// cycle), since nothing below can then be checked.
pub(super) fn resolve_indicators(
    raw: &RawSystem,
    groups: &[Group],
    full_score: Decimal,
    rescale: Rescale,
    c: &mut Checker,
) -> Option<(Vec<Indicator>, Vec<usize>)> {
    let list: Vec<&RawIndicator> = raw.indicator.iter().map(|s| s.get_ref()).collect();
    if list.is_empty() {
        c.general(crate::tr!(
            "至少要有一个 [[indicator]]",
            "at least one [[indicator]] is required"
        ));
        return None;
    }
    let index = indicator_index(raw, &list, c);
    let parent = parents(raw, &list, &index, c)?;
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
        nodes.push(node(raw, i, ind, &parent, &children, &group_index, c));
    }
    inherit_groups_and_na(&mut nodes, &roots, raw, c);
    check_pools(&nodes, raw, c);
    let points = resolved_points(&nodes, &roots, full_score);
    check_point_sums(&nodes, &roots, &points, full_score, rescale, raw, c);
    for (n, p) in nodes.iter_mut().zip(points) {
        n.points = p;
    }
    check_rule_bounds(&nodes, raw, c);
    Some((nodes, roots))
}

/// The leaf's `input` kind: only on leaves that take a numeric submission.
fn input_kind(
    ind: &RawIndicator,
    rule: Option<&Rule>,
    sp: &toml::Spanned<RawIndicator>,
    c: &mut Checker,
) -> InputKind {
    let Some(given) = ind.input.as_deref() else {
        return InputKind::Number;
    };
    let kind = match given {
        "number" => InputKind::Number,
        "ratio" => InputKind::Ratio,
        "count" => InputKind::Count,
        other => {
            c.at(
                sp,
                crate::tr!(
"指标 {}：input = \"{other}\"：应为 \"ratio\"、\"count\" 或 \"number\"",
"indicator {}: input = \"{other}\": expected \"ratio\", \"count\" or \"number\"",
                    ind.id
                ),
            );
            return InputKind::Number;
        }
    };
    let numeric = rule.is_some_and(|r| r.submission_kind() == Some(ValueKind::Number));
    if !numeric && (rule.is_some() || ind.rule.is_none()) {
        let what = rule.map_or(crate::tr!("上级指标", "a parent").to_string(), |r| {
            crate::tr!("计分规则 \"{}\"", "rule \"{}\"", r.name())
        });
        c.at(
            sp,
            crate::tr!(
"指标 {}：input = \"{given}\" 只用于报送数字的末级指标（curve、relative、manual 规则）；此项是{what}",
"indicator {}: input = \"{given}\" is for leaves that take a number (rules curve, relative, manual); this is {what}",
                ind.id
            ),
        );
    }
    kind
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
                    let msg = crate::tr!(
                        "指标 {}：分组“{}”不在上级指标 {} 的分组内",
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
                crate::tr!(
                    "指标 {}：pool = true 用于上级指标；此项是末级指标",
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
            c.at(&raw.indicator[i], crate::tr!(
"指标 {}：pool = true 要求下级末级指标都用扣分制（deduct）；{} 不是",
"indicator {}: pool = true needs every leaf below to use rule \"deduct\"; {} do not", n.id, bad.join(", ")));
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

/// The children's points (given, or summed from their own children) and
/// how they add up: (sum, "A 30 + B 70").
fn describe_sum(nodes: &[Indicator], kids: &[usize], points: &[Exact]) -> (Decimal, String) {
    let mut sum = Decimal::ZERO;
    let mut parts = Vec::new();
    for &k in kids {
        let p = match nodes[k].share {
            Share::Points(p) => p,
            _ => points[k].to_decimal(),
        };
        sum += p;
        parts.push(format!("{} {}", nodes[k].id, p.normalize()));
    }
    (sum, parts.join(" + "))
}

fn check_point_sums(
    nodes: &[Indicator],
    roots: &[usize],
    points: &[Exact],
    full: Decimal,
    rescale: Rescale,
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
        let who = parent.map_or(
            crate::tr!("一级指标", "the top level").to_string(),
            |p| crate::tr!("指标 {}", "indicator {}", nodes[p].id),
        );
        if weighted > 0 && weighted < kids.len() {
            let msg = crate::tr!(
"{who}：下级指标混用了 points 和 weight；请全部用 points 或全部用 weight",
"{who}: its children mix points and weight; give all of them points or all of them weight");
            match parent {
                Some(p) => c.at(&raw.indicator[p], msg),
                None => c.general(msg),
            }
            continue;
        }
        if weighted > 0 {
            if let Some(p) = parent {
                if nodes[p].share == Share::Sum {
                    c.at(&raw.indicator[p], crate::tr!(
"指标 {}：下级指标用 weight，它自己需要有 points（或 weight）",
"indicator {}: its children are weighted, so it needs points (or a weight) of its own", nodes[p].id));
                }
            }
            continue;
        }
        if pointed < kids.len() && parent.is_some() {
            continue; // children deriving points from their own children: checked there
        }
        let (sum, parts) = describe_sum(nodes, kids, points);
        match parent {
            None => {
                // Flat conversion publishes out of full_score whatever the
                // top level adds up to (a sheet worth 100.64 in all).
                if sum != full && rescale == Rescale::Parent {
                    c.at(
                        &raw.assessment,
                        crate::tr!(
                            "一级指标分值合计 {}（{parts}），而满分 full_score 为 {}",
                            "top-level indicators add up to {} ({parts}), but full_score is {}",
                            sum.normalize(),
                            full.normalize()
                        ),
                    );
                }
            }
            Some(p) => {
                if let Share::Points(pp) = nodes[p].share {
                    if sum != pp {
                        c.at(
                            &raw.indicator[p],
                            crate::tr!(
                                "指标 {}：分值 {}，下级指标合计 {}（{parts}）",
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
                    crate::tr!(
                        "指标 {}：max_deduct = {m}：应大于 0",
                        "indicator {}: max_deduct = {m}: must be > 0",
                        n.id
                    ),
                );
            }
        }
    }
}

/// Each indicator's position by its id (the first of a repeated id; ids
/// are checked for unique elsewhere), every id's characters checked.
fn indicator_index<'r>(
    raw: &RawSystem,
    list: &[&'r RawIndicator],
    c: &mut Checker,
) -> HashMap<&'r str, usize> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, ind) in list.iter().enumerate() {
        if !valid_id(&ind.id) {
            c.at(
                &raw.indicator[i],
                crate::tr!(
                    "指标代码“{}”：只能用字母、数字和 _ . -",
                    "indicator id \"{}\": use letters, digits, _ . - only",
                    ind.id
                ),
            );
        }
        index.entry(ind.id.as_str()).or_insert(i);
    }
    index
}

/// Each indicator's parent by position: `None` (an error said) when a
/// parent is missing, is the indicator itself, or closes a cycle.
fn parents(
    raw: &RawSystem,
    list: &[&RawIndicator],
    index: &HashMap<&str, usize>,
    c: &mut Checker,
) -> Option<Vec<Option<usize>>> {
    let mut parent = vec![None; list.len()];
    let mut broken = false;
    for (i, ind) in list.iter().enumerate() {
        if let Some(p) = &ind.parent {
            match index.get(p.as_str()) {
                Some(&pi) if pi == i => {
                    c.at(
                        &raw.indicator[i],
                        crate::tr!(
                            "指标 {}：上级指标是它自己",
                            "indicator {}: it is its own parent",
                            ind.id
                        ),
                    );
                    broken = true;
                }
                Some(&pi) => parent[i] = Some(pi),
                None => {
                    c.at(
                        &raw.indicator[i],
                        crate::tr!(
                            "指标 {}：上级指标“{p}”不存在",
                            "indicator {}: parent \"{p}\" does not exist",
                            ind.id
                        ),
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
                    crate::tr!(
                        "指标 {}：上级指标形成循环 {} -> {}",
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
    (!broken).then_some(parent)
}

/// Indicator `i` as written: its points or weight, its groups, its rule
/// and input kind, checked (points come later, from the whole tree).
fn node(
    raw: &RawSystem,
    i: usize,
    ind: &RawIndicator,
    parent: &[Option<usize>],
    children: &[Vec<usize>],
    group_index: &HashMap<&str, usize>,
    c: &mut Checker,
) -> Indicator {
    let sp = &raw.indicator[i];
    let share = share(ind, sp, children[i].is_empty(), c);
    let own_groups = ind.groups.as_ref().map(|gs| {
        gs.iter()
            .filter_map(|g| match group_index.get(g.as_str()) {
                Some(&gi) => Some(gi),
                None => {
                    c.at(
                        sp,
                        crate::tr!(
                            "指标 {}：分组“{g}”不存在",
                            "indicator {}: group \"{g}\" does not exist",
                            ind.id
                        ),
                    );
                    None
                }
            })
            .collect::<Vec<_>>()
    });
    let rule = if children[i].is_empty() {
        match &ind.rule {
            None => {
                c.at(sp, crate::tr!(
"指标 {}：末级指标需要计分规则 rule（deduct、curve、deadline、rating、relative、manual、level）",
"indicator {}: a leaf needs a rule (deduct, curve, deadline, rating, relative, manual, level)", ind.id));
                None
            }
            Some(_) => parse_rule(ind, sp, c),
        }
    } else {
        if ind.rule.is_some() {
            c.at(
                sp,
                crate::tr!(
                    "指标 {}：有下级指标，不能设 rule（得分来自下级指标）",
                    "indicator {}: has children, so it takes no rule (its score comes from them)",
                    ind.id
                ),
            );
        }
        None
    };
    let input = input_kind(ind, rule.as_ref(), sp, c);
    Indicator {
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
        input,
    }
}

/// An indicator's points or its weight among its siblings: one of them,
/// above 0 and within the limit.
fn share(
    ind: &RawIndicator,
    sp: &toml::Spanned<RawIndicator>,
    leaf: bool,
    c: &mut Checker,
) -> Share {
    match (ind.points, ind.weight) {
        (Some(_), Some(_)) => {
            c.at(
                sp,
                crate::tr!(
                    "指标 {}：同时给了 points 和 weight；只能给一个",
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
                    crate::tr!(
                        "指标 {}：points = {p}：最多为 {LIMIT}",
                        "indicator {}: points = {p}: at most {LIMIT}",
                        ind.id
                    ),
                );
            }
            if p <= Decimal::ZERO {
                c.at(
                    sp,
                    crate::tr!(
                        "指标 {}：points = {p}：应大于 0",
                        "indicator {}: points = {p}: must be > 0",
                        ind.id
                    ),
                );
            }
            Share::Points(p)
        }
        (None, Some(w)) => {
            if w > Decimal::from(LIMIT) {
                c.at(
                    sp,
                    crate::tr!(
                        "指标 {}：weight = {w}：最多为 {LIMIT}",
                        "indicator {}: weight = {w}: at most {LIMIT}",
                        ind.id
                    ),
                );
            }
            if w <= Decimal::ZERO {
                c.at(
                    sp,
                    crate::tr!(
                        "指标 {}：weight = {w}：应大于 0",
                        "indicator {}: weight = {w}: must be > 0",
                        ind.id
                    ),
                );
            }
            Share::Weight(w)
        }
        (None, None) => {
            if leaf {
                c.at(
                    sp,
                    crate::tr!(
                        "指标 {}：末级指标需要 points 或 weight",
                        "indicator {}: a leaf needs points or weight",
                        ind.id
                    ),
                );
            }
            Share::Sum
        }
    }
}
