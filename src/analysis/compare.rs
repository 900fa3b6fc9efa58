//! `zwgk compare OLD NEW`: two `results.json` files (e.g. two years): rank
//! and grade changes of the units present in both (matched by id), and the
//! units found in only one.

use crate::error::Result;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

use crate::ingest::results::{read as load, UnitResult};

/// One unit in both files.
#[derive(Serialize, Debug, Clone)]
pub struct Change {
    pub id: String,
    pub name: String,
    pub group: String,
    /// The group's name, as the later results.json gives it.
    pub group_name: String,
    pub old_total: String,
    pub new_total: String,
    pub old_rank: u32,
    pub new_rank: u32,
    /// Places gained (positive) or lost.
    pub rank_change: i64,
    pub old_grade: String,
    pub new_grade: String,
    /// Moved to another group between the two years.
    pub group_changed: bool,
}

#[derive(Serialize, Debug)]
pub struct Comparison {
    pub old: String,
    pub new: String,
    /// In the new file's order.
    pub units: Vec<Change>,
    pub only_old: Vec<String>,
    pub only_new: Vec<String>,
}

pub fn compare(old: &Path, new: &Path) -> Result<Comparison> {
    let (o, n) = (load(old)?, load(new)?);
    let by_id: HashMap<&str, &UnitResult> = o.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let new_ids: HashMap<&str, ()> = n.units.iter().map(|u| (u.id.as_str(), ())).collect();
    let group_name = |id: &str| {
        n.groups
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.name.clone())
    };
    let units = n
        .units
        .iter()
        .filter_map(|nu| {
            let ou = by_id.get(nu.id.as_str())?;
            Some(Change {
                id: nu.id.clone(),
                name: nu.name.clone(),
                group: nu.group.clone(),
                group_name: group_name(&nu.group),
                old_total: ou.total.clone(),
                new_total: nu.total.clone(),
                old_rank: ou.rank,
                new_rank: nu.rank,
                rank_change: ou.rank as i64 - nu.rank as i64,
                old_grade: ou.grade.clone(),
                new_grade: nu.grade.clone(),
                group_changed: ou.group != nu.group,
            })
        })
        .collect();
    Ok(Comparison {
        old: format!("{} ({})", o.assessment.name, o.assessment.year),
        new: format!("{} ({})", n.assessment.name, n.assessment.year),
        units,
        only_old: o
            .units
            .iter()
            .filter(|u| !new_ids.contains_key(u.id.as_str()))
            .map(|u| format!("{} {}", u.id, u.name))
            .collect(),
        only_new: n
            .units
            .iter()
            .filter(|u| !by_id.contains_key(u.id.as_str()))
            .map(|u| format!("{} {}", u.id, u.name))
            .collect(),
    })
}

impl Comparison {
    /// The groups of the units in both files, (id, name), in order.
    pub fn groups(&self) -> Vec<(&str, &str)> {
        let mut groups: Vec<(&str, &str)> = self
            .units
            .iter()
            .map(|u| (u.group.as_str(), u.group_name.as_str()))
            .collect();
        groups.dedup();
        groups
    }
}

pub fn render_text(c: &Comparison) -> String {
    let mut out = crate::tr!("比较：{} → {}\n\n", "compare: {} → {}\n\n", c.old, c.new);
    let group_width = c
        .units
        .iter()
        .map(|u| crate::lang::display_width(&u.group_name))
        .max()
        .unwrap_or(0)
        .max(8);
    out.push_str(&crate::lang::pad(&crate::tr!("分组", "group"), group_width));
    out.push_str(&crate::tr!(
        "  原名次  新名次  变化   原总分   新总分  等次变化      单位\n",
        "     old     new  move  old total new total grade         unit\n"
    ));
    for u in &c.units {
        let grade = if u.old_grade == u.new_grade {
            u.new_grade.clone()
        } else {
            format!("{}→{}", u.old_grade, u.new_grade)
        };
        let moved = if u.group_changed {
            crate::tr!("（分组变化）", " (group changed)")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{}  {:>6}  {:>6}  {:>4}  {:>7}  {:>7}  {}  {}{moved}\n",
            crate::lang::pad(&u.group_name, group_width),
            u.old_rank,
            u.new_rank,
            super::whatif::arrow(u.rank_change),
            u.old_total,
            u.new_total,
            crate::lang::pad(&grade, 12),
            u.name
        ));
    }
    if !c.only_old.is_empty() {
        out.push_str(&crate::tr!(
            "\n仅在原结果中：{}\n",
            "\nonly in the old results: {}\n",
            crate::lang::list(&c.only_old)
        ));
    }
    if !c.only_new.is_empty() {
        out.push_str(&crate::tr!(
            "\n仅在新结果中：{}\n",
            "\nonly in the new results: {}\n",
            crate::lang::list(&c.only_new)
        ));
    }
    out
}
