//! The responsibility table (责任分工表) resolved: each 责任单位 cell names
//! units and whole groups, as offices write it, and an indicator is
//! applicable to the units it names (see [`crate::score::evidence`]).

use super::names;
use super::resolve::{cells, Context, GroupNames};
use super::table::Table;
use super::Inputs;
use crate::config::System;

impl Context<'_> {
    /// The responsibility table: each 责任单位 cell names units and groups
    /// (a group stands for all its units), as offices write it.
    pub(super) fn duties(&mut self, t: &Table, inputs: &mut Inputs) {
        let (indicators, cells_of_units) = (cells(t, "indicator"), cells(t, "unit"));
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); self.system.groups.len()];
        let group_names = GroupNames::of(self.system);
        for (u, unit) in inputs.units.iter().enumerate() {
            members[unit.group].push(u);
        }
        for i in t.rows() {
            let ind = match indicators[i] {
                Some(id) => {
                    let found = self.system.index_of(id);
                    if found.is_none() {
                        self.errors.push(t.error(
                            i,
                            "indicator",
                            crate::tr!(
                                "未知指标代码“{id}”{}",
                                "unknown indicator id \"{id}\"{}",
                                names::code_hint(id, &indicator_codes(self.system))
                            ),
                        ));
                    }
                    found
                }
                None => {
                    self.errors.push(t.error(
                        i,
                        "indicator",
                        crate::tr!("为空；应填指标代码", "empty; expected an indicator id"),
                    ));
                    None
                }
            };
            let Some(cell) = cells_of_units[i] else {
                self.errors.push(t.error(
                    i,
                    "unit",
                    crate::tr!(
                        "为空；应填责任单位或分组",
                        "empty; expected the responsible units or groups"
                    ),
                ));
                continue;
            };
            let mut responsible = Vec::new();
            for name in names::split_names(cell) {
                if let Some(u) = self.matcher.find(name) {
                    responsible.push(u);
                } else if let Some(g) = group_names.find(name) {
                    responsible.extend_from_slice(&members[g]);
                } else {
                    let msg = self.names_no_unit(name);
                    self.errors.push(t.error(i, "unit", msg));
                }
            }
            if let Some(ind) = ind {
                inputs.duties.entry(ind).or_default().extend(responsible);
            }
        }
    }

    /// Why a name in a responsibility cell is neither a unit nor a group,
    /// with the nearest units and groups.
    fn names_no_unit(&self, name: &str) -> String {
        let groups = self.system.groups.iter().flat_map(|g| {
            std::iter::once(g.name.as_str()).chain(g.aliases.iter().map(String::as_str))
        });
        let near = names::nearest(name, self.matcher.shown_names().chain(groups));
        let group_names: Vec<&str> = self.system.groups.iter().map(|g| g.name.as_str()).collect();
        let hint = if near.is_empty() {
            crate::lang::full_stop().to_string()
        } else {
            crate::tr!(
                "。是否为：{}？",
                "; did you mean {}?",
                crate::lang::list(&near)
            )
        };
        crate::tr!(
"“{name}”既不是单位也不是分组{hint}请写明单位（编码、名称或别名）或整个分组（{}），用 、，； 分隔",
"\"{name}\" is neither a unit nor a group{hint} Name the units (by id, name or alias) or a whole group ({}), separated by 、，；",
            crate::lang::list(&group_names)
        )
    }
}

/// Every indicator's id and name (a responsibility table may name any).
fn indicator_codes(system: &System) -> Vec<(&str, &str)> {
    let codes = system.indicators.iter();
    codes.map(|n| (n.id.as_str(), n.name.as_str())).collect()
}
