//! The two ends of collecting submissions from units (SPEC §12): the forms
//! zwgk writes ([`workbook`], the one office-wide workbook; [`form`], one
//! protected form per unit) and the returned forms read back and merged
//! into one submissions table ([`collect`]).
//!
//! What a unit is asked for is the same everywhere: the leaves that take a
//! submission and apply to it (by group, `groups` and the responsibility
//! table), then the bonus items, each described by its rule and `input`
//! kind.

pub mod collect;
pub mod form;
pub mod workbook;

use crate::config::{Indicator, InputKind, Rule, System, ValueKind};
use crate::ingest::values::Target;
use crate::ingest::Inputs;
use crate::score::evidence::na_by_roster;
use rust_decimal::Decimal;

/// What a value cell must hold, for the spreadsheet's own check of a typed
/// value (the returned form is checked again, exactly, as `run` checks it).
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A share between 0 and 1 (typed `85%`).
    Ratio,
    /// A whole number >= 0.
    Count,
    /// Any number.
    Number,
    /// A score between 0 and the item's points (rule manual).
    Score(Decimal),
    Date,
    /// One of the levels (a drop-down list).
    Level,
}

/// One item a unit is asked to fill in.
#[derive(Clone, Debug)]
pub struct Item {
    pub target: Target,
    pub id: String,
    pub name: String,
    /// The item's points as shown (`5`, `每次 0.5`).
    pub points: String,
    /// What to enter, in words.
    pub hint: String,
    pub entry: Entry,
    /// Values of a drop-down list (levels, and 不涉及 where allowed).
    pub choices: Vec<String>,
    pub allow_na: bool,
}

/// The leaves that take a submission, in tree order.
pub fn submission_leaves(system: &System) -> Vec<usize> {
    system
        .leaves()
        .into_iter()
        .filter(|&l| {
            system.indicators[l]
                .rule
                .as_ref()
                .is_some_and(|r| r.submission_kind().is_some())
        })
        .collect()
}

/// Unit `u`'s items: its applicable leaves of `leaves`, then every bonus.
pub fn unit_items(system: &System, inputs: &Inputs, u: usize, leaves: &[usize]) -> Vec<Item> {
    let mut out: Vec<Item> = leaves
        .iter()
        .filter(|&&l| na_by_roster(system, inputs, u, l).is_none())
        .filter_map(|&l| leaf_item(&system.indicators[l], l))
        .collect();
    out.extend(system.bonuses.iter().enumerate().map(|(b, bonus)| {
        let each = bonus.points.normalize();
        Item {
            target: Target::Bonus(b),
            id: bonus.id.clone(),
            name: format!("（加分项）{}", bonus.name),
            points: format!("每次 {each}"),
            hint: format!("次数；每次 {each} 分，无则不填"),
            entry: Entry::Count,
            choices: Vec::new(),
            allow_na: false,
        }
    }));
    out
}

fn leaf_item(node: &Indicator, l: usize) -> Option<Item> {
    let rule = node.rule.as_ref()?;
    let points = node.points.to_decimal().round_dp(2).normalize();
    let (entry, text, mut choices) = describe(rule, node.input, points);
    let na = if node.allow_na {
        "；不涉及的填“不涉及”"
    } else {
        ""
    };
    if node.allow_na && !choices.is_empty() {
        choices.push("不涉及".into());
    }
    Some(Item {
        target: Target::Leaf(l),
        id: node.id.clone(),
        name: node.name.clone(),
        points: points.to_string(),
        hint: format!("{text}{na}"),
        entry,
        choices,
        allow_na: node.allow_na,
    })
}

/// What a leaf's submission is, in the words the forms use.
fn describe(rule: &Rule, input: InputKind, points: Decimal) -> (Entry, String, Vec<String>) {
    match (rule.submission_kind(), rule) {
        (_, Rule::Level { levels }) => {
            let names: Vec<String> = levels.iter().map(|l| l.0.clone()).collect();
            (Entry::Level, format!("等级：{}", names.join("/")), names)
        }
        (Some(ValueKind::Date), Rule::Deadline { due, .. }) => (
            Entry::Date,
            format!("日期，如 {due}（截止 {due}）"),
            Vec::new(),
        ),
        (_, Rule::Manual) => (
            Entry::Score(points),
            format!("得分（数字，0 至 {points}）"),
            Vec::new(),
        ),
        _ => match input {
            InputKind::Ratio => (
                Entry::Ratio,
                "比例，如 85% 或 0.85（不能写成 85）".to_string(),
                Vec::new(),
            ),
            InputKind::Count => (
                Entry::Count,
                "次数或个数（整数），如 3".to_string(),
                Vec::new(),
            ),
            InputKind::Number => (Entry::Number, "数字".to_string(), Vec::new()),
        },
    }
}
