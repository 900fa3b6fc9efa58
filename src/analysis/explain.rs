//! `zwgk explain UNIT`: one unit's score as a tree in the terminal — every
//! leaf with its rule, input, deductions (record ids, issues), rater scores,
//! N/A and 未报送 reasons — then its rank, grade and what separates it from
//! the next grade.

use crate::assess::Assessment;
use crate::config::Rule;
use crate::error::{Error, Result};
use crate::ingest::names::UnitMatcher;
use crate::report::tables::{finding_text, leaf_status};

/// Finds a unit by id, name or alias; unknown names get suggestions.
pub fn find_unit(a: &Assessment, name: &str) -> Result<usize> {
    let (matcher, _) = UnitMatcher::build(&a.inputs.units);
    matcher.find(name).ok_or_else(|| {
        let s = matcher.suggest(name);
        let hint = if s.is_empty() {
            String::new()
        } else {
            crate::tr!("。是否为：{}？", "; did you mean {}?", s.join(", "))
        };
        Error::Usage(crate::tr!(
            "未知单位“{name}”{hint}",
            "unknown unit \"{name}\"{hint}"
        ))
    })
}

/// The explanation as text.
pub fn explain(a: &Assessment, u: usize) -> String {
    let s = &a.system;
    let dp = s.precision;
    let unit = &a.inputs.units[u];
    let sc = &a.scores[u];
    let st = &a.ranking.standings[u];
    let group_size = a.ranking.order[unit.group].len();
    let mut out = crate::tr!(
        "{} ({}) · {} · 第{}名 / 共{}个 · {} · 总分 {}{}\n",
        "{} ({}) · {} · rank {} of {} · {} · total {}{}\n",
        unit.name,
        unit.id,
        s.groups[unit.group].name,
        st.rank,
        group_size,
        s.grades[st.grade].name,
        sc.total.publish(dp),
        crate::report::run_label(a)
    );
    for (k, &r) in s.roots.iter().enumerate() {
        node_lines(a, u, r, "", k + 1 == s.roots.len(), &mut out);
    }
    out.push_str(&crate::tr!(
        "\n基础得分 {}",
        "\nbase {}",
        sc.base.publish(dp)
    ));
    let ev = &a.evidence[u];
    let bonus_items: Vec<String> = ev
        .bonus_items
        .iter()
        .map(|(b, count, amount)| {
            format!(
                "{} {} ×{} → {}",
                s.bonuses[*b].id,
                s.bonuses[*b].name,
                count.normalize(),
                amount.normalize()
            )
        })
        .collect();
    out.push_str(&crate::tr!(
        "  加分 +{}",
        "  bonus +{}",
        sc.bonus.publish(dp)
    ));
    if !bonus_items.is_empty() {
        out.push_str(&format!("（{}", bonus_items.join("；")));
        if sc.bonus.is_zero() {
            out.push_str(&crate::tr!(
                "；基础得分低于 {} 不计加分",
                "; no bonus below a base of {}",
                s.bonus_gate.unwrap_or_default().normalize()
            ));
        } else if ev.bonus_raw > s.bonus_cap {
            out.push_str(&crate::tr!(
                "；加分上限 {}",
                "; bonus capped at {}",
                s.bonus_cap.normalize()
            ));
        }
        out.push('）');
    }
    out.push_str(&crate::tr!(
        "  扣分 −{}",
        "  penalty −{}",
        sc.penalty.publish(dp)
    ));
    for d in &ev.penalties {
        out.push_str(&crate::tr!(
            "\n    {}（记录 {}）",
            "\n    {} (records {})",
            finding_text(a, d),
            a.inputs.findings[d.finding].ids
        ));
    }
    out.push_str(&crate::tr!(
        "\n总分 {}，绩效分 {}（权重 {}%）\n",
        "\ntotal {}, performance points {} (weight {}%)\n",
        sc.total.publish(dp),
        sc.performance_points.publish(dp),
        s.weight_percent
    ));
    out.push_str(&grade_note(a, u));
    out.push('\n');
    let group = a.inputs.units[u].group;
    for sentence in crate::report::sentences::tie_sentences(a, group, Some(u))
        .into_iter()
        .chain(crate::report::sentences::quota_sentences(a, group, Some(u)))
    {
        out.push_str(&format!("※ {sentence}\n"));
    }
    out
}

fn node_lines(a: &Assessment, u: usize, i: usize, prefix: &str, last: bool, out: &mut String) {
    let s = &a.system;
    let dp = s.precision;
    let node = &s.indicators[i];
    let branch = if last { "└─ " } else { "├─ " };
    let score =
        a.scores[u].indicators[i].map_or("不涉及".to_string(), |x| x.publish(dp).to_string());
    let points = node.points.publish(dp);
    let rule = node
        .rule
        .as_ref()
        .map_or(String::new(), |r| format!(" [{}]", r.label()));
    let pool = if node.pool { " [合并扣分]" } else { "" };
    out.push_str(&format!(
        "{prefix}{branch}{} {}{rule}{pool}  {score} / {points}\n",
        node.id, node.name
    ));
    let child_prefix = format!("{prefix}{}", if last { "   " } else { "│  " });
    if let Some(why) = crate::report::sentences::gap_text(a, u, i) {
        out.push_str(&format!("{child_prefix}   ※ {why}\n"));
    }
    if node.is_leaf() {
        for line in leaf_lines(a, u, i) {
            out.push_str(&format!("{child_prefix}   {line}\n"));
        }
    }
    for (k, &c) in node.children.iter().enumerate() {
        node_lines(a, u, c, &child_prefix, k + 1 == node.children.len(), out);
    }
}

fn leaf_lines(a: &Assessment, u: usize, leaf: usize) -> Vec<String> {
    let detail = a.evidence[u].detail(leaf);
    let status = leaf_status(a, u, leaf);
    let mut lines = Vec::new();
    if status != "计分" {
        lines.push(status.to_string());
    }
    match &a.system.indicators[leaf].rule {
        Some(Rule::Deduct { .. }) => {
            lines.extend(detail.deductions.iter().map(|d| {
                let records = &a.inputs.findings[d.finding].ids;
                crate::tr!(
                    "扣分：{}（记录 {records}）",
                    "deducted: {} (records {records})",
                    finding_text(a, d)
                )
            }));
            if detail.deductions.is_empty() && a.scores[u].indicators[leaf].is_some() {
                lines.push("无检查问题".into());
            }
        }
        Some(Rule::Rating { .. }) if !detail.input.is_empty() => {
            lines.push(crate::tr!("评分：{}", "ratings: {}", detail.input))
        }
        _ if !detail.input.is_empty() => {
            lines.push(crate::tr!("填报：{}", "submitted: {}", detail.input))
        }
        _ => {}
    }
    if !detail.note.is_empty() {
        lines.push(detail.note.to_string());
    }
    lines
}

/// What the grade rests on: the veto, the quota, or the points to the next grade.
fn grade_note(a: &Assessment, u: usize) -> String {
    let s = &a.system;
    let st = &a.ranking.standings[u];
    let total = a.scores[u].total.publish(s.precision);
    let grade = &s.grades[st.grade];
    if a.scores[u].vetoed {
        return crate::tr!(
            "等次 {}：有一票否决记录，无论得分均为最低等次。",
            "grade {}: a one-vote veto record gives the last grade whatever the score.",
            grade.name
        );
    }
    if st.grade == 0 {
        return crate::tr!(
            "等次 {}：已是最高等次。",
            "grade {}: the best grade already.",
            grade.name
        );
    }
    let better = &s.grades[st.grade - 1];
    let gap = better.min - total;
    if gap <= rust_decimal::Decimal::ZERO {
        crate::tr!(
"等次 {}：得分已达“{}”线（{}分），但本组“{}”名额（{}）已满或并列名次不能拆分，顺延为“{}”。",
"grade {}: the score reaches {} ({} points), but the group's quota for {} ({}) is used up or a tie may not be split, so it is {}.",
            grade.name,
            better.name,
            better.min.normalize(),
            better.name,
            better.max_share.map_or("-".into(), |m| format!("{}%", (m * rust_decimal::Decimal::ONE_HUNDRED).normalize())),
            grade.name
        )
    } else {
        crate::tr!(
            "等次 {}：距“{}”（{}分）还差 {} 分。",
            "grade {}: {} ({} points) is {} points away.",
            grade.name,
            better.name,
            better.min.normalize(),
            gap
        )
    }
}
