//! The inspection findings as the fold left them: in chunks of [`CHUNK`],
//! in the order each shard first met them, and read by unit, then issue,
//! through an order of their places. Nothing is copied to sort them: at
//! 100,000 units a sorted copy was another 100 MB at the peak of a run.

use super::Finding;
use std::ops::Index;

/// Findings to a chunk of the fold's storage.
pub(super) const CHUNK: usize = 1 << 16;

/// Every finding, each unit's by issue, the units in roster order.
#[derive(Debug, Default)]
pub struct Findings {
    /// The fold's chunks, each finding beside a code the fold used.
    chunks: Vec<Vec<(Finding, u32)>>,
    /// The places (`chunk * CHUNK + offset`) of the findings in order.
    order: Vec<u32>,
    /// `order[starts[u]..starts[u + 1]]` are unit u's.
    starts: Vec<u32>,
}

impl Findings {
    /// The findings in `chunks`, read in `order`, of `units` units.
    pub(super) fn new(chunks: Vec<Vec<(Finding, u32)>>, order: Vec<u32>, units: usize) -> Self {
        let mut findings = Findings {
            chunks,
            order,
            starts: Vec::new(),
        };
        findings.starts = super::unit_starts(units, findings.len(), |i| findings[i].unit);
        findings
    }

    fn at(&self, place: u32) -> &Finding {
        let place = place as usize;
        &self.chunks[place / CHUNK][place % CHUNK].0
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The findings in order: by unit, then issue.
    pub fn iter(&self) -> impl Iterator<Item = &Finding> + '_ {
        self.order.iter().map(|&p| self.at(p))
    }

    /// Unit `u`'s findings by issue, each with its index.
    pub fn of(&self, u: usize) -> impl Iterator<Item = (usize, &Finding)> + '_ {
        super::unit_range(&self.starts, u).map(|i| (i, &self[i]))
    }
}

impl Index<usize> for Findings {
    type Output = Finding;

    fn index(&self, i: usize) -> &Finding {
        self.at(self.order[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn finding(unit: usize, issue: usize) -> (Finding, u32) {
        let f = Finding {
            unit,
            issue,
            count: Decimal::ONE,
            records: 1,
            ids: format!("R{unit}-{issue}"),
            notes: Box::default(),
            dates: None,
            appealed: 0,
        };
        (f, 0)
    }

    #[test]
    fn findings_are_read_by_unit_then_issue_through_their_places() {
        // Two chunks as two shards left them: places 0, 1 and CHUNK, CHUNK+1.
        let chunks = vec![
            vec![finding(2, 0), finding(0, 1)],
            vec![finding(1, 3), finding(0, 0)],
        ];
        let c = CHUNK as u32;
        let order = vec![c + 1, 1, c, 0];
        let f = Findings::new(chunks, order, 4);
        let ids: Vec<&str> = f.iter().map(|x| x.ids.as_str()).collect();
        assert_eq!(ids, ["R0-0", "R0-1", "R1-3", "R2-0"]);
        assert_eq!(f[2].ids, "R1-3");
        let of = |u| f.of(u).map(|(i, x)| (i, x.issue)).collect::<Vec<_>>();
        assert_eq!(of(0), [(0, 0), (1, 1)]);
        assert_eq!(of(1), [(2, 3)]);
        assert_eq!(of(2), [(3, 0)]);
        assert!(of(3).is_empty() && of(9).is_empty());
    }
}
