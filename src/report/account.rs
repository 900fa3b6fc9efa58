//! The breakdown's closing rows for each unit, which account for its total
//! from its items: the base total with the N/A conversion that applied,
//! the bonus, the penalty, a grade veto with its records, and the total
//! with the floors and caps that shaped it. With them a unit whose items
//! add up to 81.74 but whose total is 59.00 can see why in the table itself.

use super::cell::Cell;
use super::published;
use crate::assess::Assessment;
use crate::config::Rescale;
use crate::num::Exact;
use crate::score::tree::top_sums;

/// One closing row's cells after the unit's: code, name, parent, rule,
/// points, score, status, input or records, deductions, note, evidence.
type Closing<'a> = [Cell<'a>; 11];

/// Unit `u`'s closing rows (`leaves`: the system's leaves in order).
pub fn closing_rows<'a>(a: &'a Assessment, u: usize, leaves: &[usize]) -> Vec<Closing<'a>> {
    let s = &a.system;
    let mut rows = parent_rows(a, u);
    rows.push(base_row(a, u, leaves));
    if !s.bonuses.is_empty() {
        rows.push(bonus_row(a, u));
    }
    if s.issues.iter().any(|i| i.indicator.is_none()) {
        rows.push(penalty_row(a, u));
    }
    if a.scores[u].vetoed {
        rows.push(veto_row(a, u));
    }
    rows.push(total_row(a, u));
    rows
}

/// A row per parent whose score is not the sum of its children, saying
/// why (a veto under a pool, a pool's deduction, N/A rescaling).
fn parent_rows<'a>(a: &'a Assessment, u: usize) -> Vec<Closing<'a>> {
    let s = &a.system;
    super::sentences::gap_texts(a, u)
        .into_iter()
        .map(|(i, why)| {
            let node = &s.indicators[i];
            let score = a.scores[u].indicators[i].unwrap_or(Exact::ZERO);
            [
                Cell::text(&node.id),
                Cell::text(&node.name),
                "".into(),
                "上级指标".into(),
                Cell::Num(published(a, node.points).into()),
                Cell::Num(published(a, score).into()),
                "计分".into(),
                "".into(),
                "".into(),
                Cell::from(why),
                "".into(),
            ]
        })
        .collect()
}

fn row<'a>(
    name: &'a str,
    points: String,
    score: String,
    records: String,
    note: String,
) -> Closing<'a> {
    // An empty figure stays an empty text cell (a workbook would show 0).
    let figure = |x: String| {
        if x.is_empty() {
            Cell::from(x)
        } else {
            Cell::Num(x.into())
        }
    };
    [
        "".into(),
        Cell::text(name),
        "".into(),
        "合计".into(),
        figure(points),
        figure(score),
        "计分".into(),
        Cell::from(records),
        "".into(),
        Cell::from(note),
        "".into(),
    ]
}

/// The base total on `full_score`, and how N/A items were made up for.
fn base_row<'a>(a: &'a Assessment, u: usize, leaves: &[usize]) -> Closing<'a> {
    let s = &a.system;
    let sc = &a.scores[u];
    let full = Exact::from_decimal(s.full_score);
    let note = match top_sums(s, &sc.indicators) {
        None => "无适用指标".to_string(),
        Some((sum, applicable)) if applicable == full => {
            let na_below = leaves.iter().any(|&l| sc.indicators[l].is_none());
            if na_below && s.rescale == Rescale::Parent {
                format!(
                    "一级指标得分合计 {}（不涉及项已在所属指标内按分值折算）",
                    published(a, sum)
                )
            } else {
                format!("一级指标得分合计 {}", published(a, sum))
            }
        }
        Some((sum, applicable)) => format!(
            "{}：得分 {} ÷ 应得分 {} × {} = {}",
            match s.rescale {
                Rescale::Parent => "不涉及项折算",
                Rescale::Flat => "按应得分折算",
            },
            published(a, sum),
            published(a, applicable),
            s.full_score.normalize(),
            published(a, sc.base)
        ),
    };
    row(
        "基础得分",
        s.full_score.normalize().to_string(),
        published(a, sc.base),
        String::new(),
        note,
    )
}

fn bonus_row<'a>(a: &'a Assessment, u: usize) -> Closing<'a> {
    let s = &a.system;
    let ev = &a.evidence[u];
    let sc = &a.scores[u];
    let claimed = ev.bonus_raw.normalize();
    let note = if !ev.bonus_raw.is_zero() && sc.bonus.is_zero() && s.bonus_gate.is_some() {
        format!(
            "加分项合计 {claimed}；基础得分低于 {}，不计加分",
            s.bonus_gate.unwrap_or_default().normalize()
        )
    } else if ev.bonus_raw > s.bonus_cap {
        format!(
            "加分项合计 {claimed}，加分最多 {} 分",
            s.bonus_cap.normalize()
        )
    } else {
        format!("加分项合计 {claimed}")
    };
    row(
        "加分",
        s.bonus_cap.normalize().to_string(),
        published(a, sc.bonus),
        String::new(),
        note,
    )
}

fn penalty_row<'a>(a: &'a Assessment, u: usize) -> Closing<'a> {
    let ev = &a.evidence[u];
    let note = if ev.penalties.is_empty() {
        "无总分扣分问题".to_string()
    } else {
        format!("总分扣分问题 {} 项", ev.penalties.len())
    };
    row(
        "扣分",
        String::new(),
        published(a, a.scores[u].penalty.negated()),
        String::new(),
        note,
    )
}

/// The grade veto: its records, the grade it gives and the cap.
fn veto_row<'a>(a: &'a Assessment, u: usize) -> Closing<'a> {
    let s = &a.system;
    let vetoing: Vec<_> = super::grade_vetoes(a, u).collect();
    let records: Vec<&str> = vetoing.iter().map(|f| f.ids.as_str()).collect();
    let issues: Vec<String> = vetoing
        .iter()
        .map(|f| {
            let i = &s.issues[f.issue];
            format!("{} {}", i.code, i.name)
        })
        .collect();
    let grade = s.grades.last().map_or("", |g| g.name.as_str());
    let mut note = format!("{}：一票否决，等次定为{grade}", issues.join("、"));
    if let Some(cap) = s.veto_cap {
        note.push_str(&format!("，总分最多 {} 分", cap.normalize()));
    }
    row(
        "一票否决",
        s.veto_cap
            .map_or(String::new(), |c| c.normalize().to_string()),
        String::new(),
        format!("记录 {}", records.join("、")),
        note,
    )
}

/// The total: base + bonus − penalty, and each floor or cap that applied.
fn total_row<'a>(a: &'a Assessment, u: usize) -> Closing<'a> {
    let s = &a.system;
    let sc = &a.scores[u];
    let raw = sc.base.plus(sc.bonus).minus(sc.penalty);
    let mut note = format!(
        "基础得分 {} + 加分 {} − 扣分 {} = {}",
        published(a, sc.base),
        published(a, sc.bonus),
        published(a, sc.penalty),
        published(a, raw)
    );
    let full = Exact::from_decimal(s.full_score);
    if raw.is_negative() {
        note.push_str("；不低于 0 分");
    }
    if s.cap_at_full && raw > full {
        note.push_str(&format!("；总分不超过满分 {}", s.full_score.normalize()));
    }
    if let (true, Some(cap)) = (sc.vetoed, s.veto_cap) {
        if raw.min(full) > Exact::from_decimal(cap) {
            note.push_str(&format!("；一票否决，总分最多 {} 分", cap.normalize()));
        }
    }
    row(
        "总分",
        s.full_score.normalize().to_string(),
        published(a, sc.total),
        String::new(),
        note,
    )
}
