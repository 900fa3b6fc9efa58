//! What the units submitted and the raters gave, resolved: read by the
//! evidence ([`crate::score::evidence`]) and dropped once it is evaluated,
//! since the breakdown and the reports read the evidence, which keeps what
//! they show.
//!
//! The submissions are kept unit by unit in one vector, not in a map by
//! (unit, item): a unit's few are found by a scan of its run, and a
//! province's 600,000 take 60 MB instead of the map's 106 MB.

use super::values::Target;
use super::{FastMap, Rating, Submission};

#[derive(Debug, Default)]
pub struct Submitted {
    /// (unit, item, submission), each unit's together once
    /// [`Submitted::finish`]ed, in the order read.
    items: Vec<(u32, Item, Submission)>,
    /// `items[starts[u]..starts[u + 1]]` are unit u's.
    starts: Vec<u32>,
    /// (unit, leaf indicator) -> ratings in table order
    pub(super) ratings: FastMap<(usize, usize), Vec<Rating>>,
}

/// What a submission is for: a leaf or a bonus item, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Leaf(u32),
    Bonus(u32),
}

impl From<Target> for Item {
    fn from(t: Target) -> Item {
        match t {
            Target::Leaf(l) => Item::Leaf(l as u32),
            Target::Bonus(b) => Item::Bonus(b as u32),
        }
    }
}

impl Submitted {
    /// Room for `rows` submissions.
    pub(super) fn reserve(&mut self, rows: usize) {
        self.items.reserve_exact(rows);
    }

    /// Unit `unit`'s submission for `target` (each once: a second one is
    /// an error of the table, found before).
    pub(super) fn push(&mut self, unit: usize, target: Target, sub: Submission) {
        self.items.push((unit as u32, target.into(), sub));
    }

    /// Each unit's submissions together, for `units` units.
    pub(super) fn finish(&mut self, units: usize) {
        self.items.sort_by_key(|(u, _, _)| *u);
        self.items.shrink_to_fit();
        let items = &self.items;
        self.starts = super::unit_starts(units, items.len(), |i| items[i].0 as usize);
    }

    /// How many submissions were counted (leaf values and bonus claims).
    pub fn count(&self) -> usize {
        self.items.len()
    }

    fn of(&self, u: usize) -> &[(u32, Item, Submission)] {
        &self.items[super::unit_range(&self.starts, u)]
    }

    fn find(&self, u: usize, item: Item) -> Option<&Submission> {
        self.of(u)
            .iter()
            .find(|(_, i, _)| *i == item)
            .map(|(_, _, s)| s)
    }

    /// Unit `u`'s value for leaf `leaf`.
    pub fn leaf(&self, u: usize, leaf: usize) -> Option<&Submission> {
        self.find(u, Item::Leaf(leaf as u32))
    }

    /// Unit `u`'s claim of bonus item `b`.
    pub fn bonus(&self, u: usize, b: usize) -> Option<&Submission> {
        self.find(u, Item::Bonus(b as u32))
    }

    /// Every leaf value: (unit, leaf, submission).
    pub fn leaf_values(&self) -> impl Iterator<Item = (usize, usize, &Submission)> {
        self.items.iter().filter_map(|(u, item, s)| match item {
            Item::Leaf(l) => Some((*u as usize, *l as usize, s)),
            Item::Bonus(_) => None,
        })
    }

    /// The ratings of unit `u` on leaf `leaf`, in table order.
    pub fn ratings(&self, u: usize, leaf: usize) -> Option<&[Rating]> {
        self.ratings.get(&(u, leaf)).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Status, Value};

    fn sub(raw: &str) -> Submission {
        Submission {
            raw: raw.into(),
            value: Value::Unparsed,
            status: Status::Approved,
            evidence: None,
        }
    }

    #[test]
    fn each_unit_finds_its_own_submissions_whatever_the_order_read() {
        let mut s = Submitted::default();
        s.push(2, Target::Leaf(5), sub("a"));
        s.push(0, Target::Bonus(5), sub("b"));
        s.push(2, Target::Bonus(5), sub("c"));
        s.push(0, Target::Leaf(1), sub("d"));
        s.finish(4);
        assert_eq!(s.count(), 4);
        assert_eq!(s.leaf(2, 5).map(|x| x.raw.as_str()), Some("a"));
        assert_eq!(s.bonus(2, 5).map(|x| x.raw.as_str()), Some("c"));
        assert_eq!(s.bonus(0, 5).map(|x| x.raw.as_str()), Some("b"));
        assert_eq!(s.leaf(0, 1).map(|x| x.raw.as_str()), Some("d"));
        assert!(
            s.leaf(0, 5).is_none(),
            "unit 0's item 5 is a bonus, not a leaf"
        );
        assert!(s.leaf(1, 1).is_none() && s.leaf(3, 1).is_none());
        assert!(s.leaf(4, 1).is_none(), "beyond the roster");
        let mut leaves: Vec<(usize, usize, &str)> = s
            .leaf_values()
            .map(|(u, l, x)| (u, l, x.raw.as_str()))
            .collect();
        leaves.sort();
        assert_eq!(leaves, [(0, 1, "d"), (2, 5, "a")]);
    }
}
