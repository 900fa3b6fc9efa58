//! The inspection records folded into findings as the batches come, in
//! file order, so that no record is held once it is counted: a finding's
//! count is summed exactly, its record ids appended (the breakdown names
//! every record), its notes kept once each. Record ids seen before are
//! found through hashes of the ids (104 bits), not the ids themselves.

use super::appeals::{Appeal, AppealsSeen};
use super::findings::{Findings, CHUNK};
use super::resolve::Context;
use super::table::Table;
use super::{FastMap, Finding};
use crate::error::Diagnostic;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A batch's record that passed its checks: its unit and issue, its index
/// `j` among the batch's rows (for its id), its data row in the file, the
/// code of its 数量 among the counts, of its note among the notes.
#[derive(Clone, Copy)]
pub(super) struct Good {
    pub(super) unit: u32,
    pub(super) issue: u32,
    pub(super) j: u32,
    pub(super) row: u32,
    pub(super) count: u32,
    pub(super) note: Option<u32>,
    pub(super) date: Option<NaiveDate>,
}

/// The records of some of the units (each unit's records in one shard),
/// folded on a core of their own: their findings, the appeals met and the
/// records a period run leaves out.
pub(super) struct Shard<'a> {
    folding: Folding,
    appeals: Option<AppealsSeen<'a>>,
    left_out: usize,
}

/// Every shard's records as one.
pub(super) struct Folded<'a> {
    pub(super) findings: Findings,
    /// The appeals met in any shard (when there is an appeals table).
    pub(super) appeals: Option<AppealsSeen<'a>>,
    pub(super) left_out: usize,
}

impl<'a> Shard<'a> {
    pub(super) fn new(issues: usize, appeals: Option<AppealsSeen<'a>>) -> Self {
        Shard {
            folding: Folding::new(issues),
            appeals,
            left_out: 0,
        }
    }

    /// Folds in `records` (of this shard's units, in file order): each set
    /// against the appeals (every record, in a period run too), then
    /// counted if the run counts its date. `ids` are the batch's record
    /// ids, `count_values` the counts by code.
    pub(super) fn fold<'g>(
        &mut self,
        records: impl Iterator<Item = &'g Good>,
        ids: &[Option<&str>],
        ctx: &Context,
        count_values: &[(Decimal, Option<Box<str>>)],
    ) {
        let mut records = records.peekable();
        let mut block: Vec<&Good> = Vec::with_capacity(BLOCK);
        while records.peek().is_some() {
            block.clear();
            block.extend(records.by_ref().take(BLOCK));
            self.folding.warm(&block);
            self.fold_block(&block, ids, ctx, count_values);
        }
    }

    /// [`Shard::fold`] of one block of records, their findings in cache.
    fn fold_block(
        &mut self,
        block: &[&Good],
        ids: &[Option<&str>],
        ctx: &Context,
        count_values: &[(Decimal, Option<Box<str>>)],
    ) {
        for &g in block {
            let id = ids.get(g.j as usize).copied().flatten();
            let unit = g.unit as usize;
            let appeal = match (&mut self.appeals, id) {
                (Some(seen), Some(id)) => seen.record(id, unit, &ctx.matcher),
                _ => None,
            };
            if !ctx.periods.dated_in(g.date) {
                self.left_out += 1;
                continue;
            }
            if let (Some(seen), Some(a)) = (&mut self.appeals, appeal) {
                seen.counts.add(&a.decision);
            }
            let (value, text) = count_values
                .get(g.count as usize)
                .map_or((Decimal::ONE, None), |(v, t)| (*v, t.as_deref()));
            self.folding.add(Record {
                unit,
                issue: g.issue as usize,
                row: g.row as usize,
                id,
                count: (value, text),
                appeal,
                date: g.date,
                note: g.note,
            });
        }
    }

    /// The shards as one: the findings read by unit, then issue, with
    /// their notes (`text` of a note's code); the appeals met in any shard.
    pub(super) fn merge<'t>(
        shards: Vec<Shard<'a>>,
        units: usize,
        text: impl Fn(u32) -> Option<&'t str> + Sync,
    ) -> Folded<'a> {
        let n = shards.len().max(1);
        let issues = shards.first().map_or(0, |s| s.folding.issues);
        let mut chunks = Vec::new();
        // Per shard: its first chunk among all, and its numbers by key.
        let mut slots = Vec::with_capacity(n);
        let (mut appeals, mut left_out): (Option<AppealsSeen<'a>>, usize) = (None, 0);
        for shard in shards {
            let (list, slot) = shard.folding.finish(&text);
            slots.push((chunks.len(), slot));
            chunks.extend(list);
            left_out += shard.left_out;
            appeals = match (appeals, shard.appeals) {
                (Some(a), Some(b)) => Some(a.merge(b)),
                (a, b) => a.or(b),
            };
        }
        // Unit u's findings are in shard u % n, by key u * issues + issue.
        let mut order = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for u in 0..units {
            let (first_chunk, slot) = &slots[u % n];
            for key in u * issues..(u + 1) * issues {
                match slot.get(key) {
                    Some(&f) if f != NONE => {
                        let f = f as usize;
                        order.push(((first_chunk + f / CHUNK) * CHUNK + f % CHUNK) as u32);
                    }
                    _ => {}
                }
            }
        }
        Folded {
            findings: Findings::new(chunks, order, units),
            appeals,
            left_out,
        }
    }
}

/// One inspection record, checked, as the fold takes it.
struct Record<'r> {
    pub(super) unit: usize,
    pub(super) issue: usize,
    /// Its data row in the file (0-based).
    pub(super) row: usize,
    pub(super) id: Option<&'r str>,
    /// Its 数量 and the cell as written (`None` when empty: 1).
    pub(super) count: (Decimal, Option<&'r str>),
    pub(super) appeal: Option<&'r Appeal>,
    pub(super) date: Option<NaiveDate>,
    /// The code of its 问题描述 among the file's distinct notes.
    pub(super) note: Option<u32>,
}

/// The findings so far, one per unit and issue, in the order first met.
struct Folding {
    issues: usize,
    /// By `unit * issues + issue`: the finding's number, or [`NONE`].
    slot: Vec<u32>,
    /// The findings by number, each beside the code of its first note (or
    /// [`NONE`]; in the same cache line as the finding a record updates),
    /// [`CHUNK`] to a vector: a province's million findings grow without a
    /// copy of them all (and the memory of both) at each doubling.
    list: Vec<Vec<(Finding, u32)>>,
    len: usize,
    /// The codes of the further distinct notes of findings that have them.
    more_notes: FastMap<u32, Vec<u32>>,
}

const NONE: u32 = u32::MAX;
/// Records folded a block at a time, their findings first read in one short
/// loop: a province's million findings are far from the cache, and that
/// loop has the processor fetch a block's at once rather than one by one
/// (each record's finding waited for in turn was four fifths of the fold).
const BLOCK: usize = 128;

impl Folding {
    pub(super) fn new(issues: usize) -> Self {
        Folding {
            issues,
            slot: Vec::new(),
            list: Vec::new(),
            len: 0,
            more_notes: FastMap::default(),
        }
    }

    /// Reads the findings (and the ends of their record ids) of `block`'s
    /// records that have one, so that they are in cache when added to.
    fn warm(&self, block: &[&Good]) {
        let mut sink = 0u32;
        for g in block {
            let key = g.unit as usize * self.issues + g.issue as usize;
            let Some(&f) = self.slot.get(key).filter(|&&f| f != NONE) else {
                continue;
            };
            let (finding, first_note) = &self.list[f as usize / CHUNK][f as usize % CHUNK];
            sink ^= *first_note ^ u32::from(finding.ids.as_bytes().last().copied().unwrap_or(0));
        }
        std::hint::black_box(sink);
    }

    /// Adds a record to its unit's finding of its issue.
    pub(super) fn add(&mut self, r: Record) {
        let key = r.unit * self.issues + r.issue;
        if key >= self.slot.len() {
            self.slot.resize(key + 1, NONE);
        }
        let f = match self.slot[key] {
            NONE => {
                self.slot[key] = self.len as u32;
                if self.len.is_multiple_of(CHUNK) {
                    self.list.push(Vec::with_capacity(CHUNK));
                }
                self.len += 1;
                let chunk = self.list.len() - 1;
                let finding = Finding {
                    unit: r.unit,
                    issue: r.issue,
                    count: Decimal::ZERO,
                    records: 0,
                    // Room for a few ids: most findings need no more.
                    ids: String::with_capacity(32),
                    notes: Box::default(),
                    dates: None,
                    appealed: 0,
                };
                self.list[chunk].push((finding, NONE));
                self.len - 1
            }
            f => f as usize,
        };
        let (finding, first_note) = &mut self.list[f / CHUNK][f % CHUNK];
        if let Some(note) = r.note {
            if *first_note == NONE {
                *first_note = note;
            } else if *first_note != note {
                let more = self.more_notes.entry(f as u32).or_default();
                if !more.contains(&note) {
                    more.push(note);
                }
            }
        }
        if let Some(d) = r.date {
            finding.dates = Some(match finding.dates {
                None => (d, d),
                Some((first, last)) => (first.min(d), last.max(d)),
            });
        }
        finding.add_record(r.id, r.row, r.count, r.appeal);
    }

    /// The findings, each with its distinct notes (`text` of a note's
    /// code) joined in the order first met, and their numbers by unit and
    /// issue.
    fn finish<'t>(
        mut self,
        text: impl Fn(u32) -> Option<&'t str>,
    ) -> (Vec<Vec<(Finding, u32)>>, Vec<u32>) {
        for (f, (finding, first)) in self.list.iter_mut().flatten().enumerate() {
            let first = *first;
            if first == NONE {
                continue;
            }
            let more = self.more_notes.remove(&(f as u32)).unwrap_or_default();
            let mut notes: Vec<&str> = Vec::with_capacity(1 + more.len());
            // Cells written differently can trim to the same note.
            for n in std::iter::once(first).chain(more).filter_map(&text) {
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            finding.notes = notes.join("；").into();
        }
        (self.list, self.slot)
    }
}

impl Finding {
    /// Adds one record (at data row `row`) with its count and the 数量 cell
    /// as written: "R1", "R2×3", or "行9" for a record without an id; an
    /// appealed record counts as decided, with the decision beside it:
    /// "R2×3（复核改为1：理由）".
    fn add_record(
        &mut self,
        id: Option<&str>,
        row: usize,
        (count, count_text): (Decimal, Option<&str>),
        appeal: Option<&Appeal>,
    ) {
        if self.records > 0 {
            self.ids.push('、');
        }
        match id {
            Some(id) => self.ids.push_str(id),
            None => {
                let _ = write!(self.ids, "行{}", row + 2);
            }
        }
        if let (false, Some(text)) = (count == Decimal::ONE, count_text) {
            self.ids.push('×');
            self.ids.push_str(text);
        }
        self.records += 1;
        match appeal {
            Some(a) => {
                self.ids.push_str(&a.note());
                self.count += a.count(count);
                self.appealed += 1;
            }
            None => self.count += count,
        }
    }
}

/// The record ids seen so far, as hashes with the data row of their last
/// use: 16 bytes an id, whatever its length (a nation's 20 million ids hold
/// some 0.5 GB). The ids are spread over partitions by 8 bits of their
/// 128-bit hash, so that each partition's table stays small and the
/// partitions are filled on every core; within one, 96 more bits tell ids
/// apart (two ids taken for one: about one chance in 10^14 at 20 million).
pub(super) struct SeenIds {
    parts: Vec<Part>,
}

const PARTS: usize = 256;

/// One partition: by 64 bits of the hash, 32 more and the row of the id's
/// last use; ids whose 64 bits are another's but not the 32 (about one in
/// 10^19) are kept apart in `more`.
#[derive(Default)]
struct Part {
    seen: FastMap<u64, (u32, u32)>,
    more: FastMap<(u64, u32), u32>,
}

impl Part {
    /// A use of the id of hash `(low, high)` at `row`: the row of its use
    /// before, if any.
    fn used(&mut self, (low, high): (u64, u32), row: u32) -> Option<u32> {
        use std::collections::hash_map::Entry;
        match self.seen.entry(low) {
            Entry::Vacant(v) => {
                v.insert((high, row));
                None
            }
            Entry::Occupied(mut o) if o.get().0 == high => {
                Some(std::mem::replace(&mut o.get_mut().1, row))
            }
            Entry::Occupied(_) => self.more.insert((low, high), row),
        }
    }
}

impl SeenIds {
    pub(super) fn new() -> Self {
        SeenIds {
            parts: (0..PARTS).map(|_| Part::default()).collect(),
        }
    }

    /// The ids of batch `t` used before (in this batch or an earlier one):
    /// each later use reported at its row, naming the row of the use before
    /// it, with the data row of the later use.
    pub(super) fn check(&mut self, t: &Table) -> Vec<(usize, Diagnostic)> {
        let mut batch: Vec<Vec<((u64, u32), u32)>> = vec![Vec::new(); PARTS];
        for (i, id) in t.cells("id").enumerate() {
            if let (false, Some(id)) = (t.is_blank(i), id) {
                let h = xxhash_rust::xxh3::xxh3_128(id.as_bytes());
                let key = (h as u64, (h >> 64) as u32);
                batch[(h >> 120) as usize % PARTS].push((key, i as u32));
            }
        }
        let mut used: Vec<(u32, u32)> = self
            .parts
            .par_iter_mut()
            .zip(batch)
            .flat_map_iter(|(seen, ids)| {
                ids.into_iter().filter_map(|(key, i)| {
                    let row = t.file_row(i as usize) as u32;
                    seen.used(key, row).map(|before| (i, before))
                })
            })
            .collect();
        used.sort_unstable();
        used.into_iter()
            .map(|(i, before)| {
                let i = i as usize;
                let id = t.cell(i, "id").unwrap_or_default();
                let msg = crate::tr!(
                    "记录编号“{id}”已在第 {} 行使用",
                    "record id \"{id}\" is already used in row {}",
                    before + 2
                );
                (t.file_row(i), t.error(i, "id", msg))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_told_from_one_that_shares_64_bits_of_its_hash() {
        let mut part = Part::default();
        assert_eq!(part.used((7, 1), 10), None);
        assert_eq!(part.used((7, 2), 11), None, "another id");
        assert_eq!(part.used((7, 1), 12), Some(10));
        assert_eq!(part.used((7, 2), 13), Some(11));
        assert_eq!(part.used((7, 1), 14), Some(12), "the use before");
        assert_eq!(part.used((8, 1), 15), None);
    }
}
