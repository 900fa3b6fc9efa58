//! The inspection columns coded: each distinct cell is resolved once, across
//! every batch of the file, and each row's cell becomes its index among
//! them, so that a cell written the same way a million times is resolved
//! once and a row's outcome is an array access (see [`super::records`]).
//!
//! A distinct cell is known by its 128-bit hash (xxh3), not its text: one
//! memory access a row instead of two (the table, then the text to compare)
//! among a province's 800,000 spellings of unit names, and no copy of them.
//! Two different cells would be taken for one with a chance of about one in
//! 10^26 among a million distinct cells.

use super::FastMap;
use polars::prelude::*;
use rayon::prelude::*;

/// The code of a null (empty) cell.
pub(super) const EMPTY: u32 = u32::MAX;

/// One column's distinct cells (by the hash of their text as written) and
/// what each stands for.
pub(super) struct Coded<T> {
    /// By the two halves of the hash (a `u128` key would be aligned to 16
    /// bytes: 32 a distinct cell instead of 24).
    index: FastMap<[u64; 2], u32>,
    /// By code.
    outcomes: Vec<T>,
    /// The outcome of an empty cell (null, or only spaces).
    empty: T,
}

impl<T: Send> Coded<T> {
    pub(super) fn new(empty: T) -> Self {
        Coded {
            index: FastMap::default(),
            outcomes: Vec::new(),
            empty,
        }
    }

    /// The number of cells resolved so far: the code the next new cell
    /// gets.
    pub(super) fn resolved(&self) -> u32 {
        self.outcomes.len() as u32
    }

    /// Each cell's code (one hash per cell), and the cells not seen in an
    /// earlier batch, in the order of their codes: resolve them with
    /// [`Coded::resolve`] before reading outcomes.
    pub(super) fn code<'b>(&mut self, column: &'b StringChunked) -> (Vec<u32>, Vec<&'b str>) {
        let mut new = Vec::new();
        let mut codes = Vec::with_capacity(column.len());
        // A column without empty cells is read without its validity.
        if column.null_count() == 0 {
            for chunk in column.downcast_iter() {
                codes.extend(chunk.values_iter().map(|t| self.code_of(t, &mut new)));
            }
        } else {
            codes.extend(
                column
                    .into_iter()
                    .map(|cell| cell.map_or(EMPTY, |t| self.code_of(t, &mut new))),
            );
        }
        (codes, new)
    }

    /// A cell's code; a cell not seen before gets the next one and joins
    /// `new`.
    fn code_of<'b>(&mut self, text: &'b str, new: &mut Vec<&'b str>) -> u32 {
        let hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
        let key = [hash as u64, (hash >> 64) as u64];
        // Most cells were seen before: a lookup, and an insertion only for
        // a new one (rather than `entry`, whose slower path the compiler
        // inlines or not from one build to the next).
        if let Some(&code) = self.index.get(&key) {
            return code;
        }
        let code = self.index.len() as u32;
        self.index.insert(key, code);
        new.push(text);
        code
    }

    /// Resolves the new cells (trimmed; only spaces is empty) once each.
    pub(super) fn resolve<'b>(
        &mut self,
        new: &[&'b str],
        resolve: impl FnMut(Option<&'b str>) -> T,
    ) {
        self.outcomes
            .extend(new.iter().map(|c| trimmed(c)).map(resolve));
    }

    /// [`Coded::resolve`] on all cores, for a column of many distinct cells
    /// (a province's unit names, each written several ways).
    pub(super) fn resolve_parallel<'b>(
        &mut self,
        new: &[&'b str],
        resolve: impl Fn(Option<&'b str>) -> T + Sync,
    ) {
        let resolved: Vec<T> = new.par_iter().map(|c| resolve(trimmed(c))).collect();
        self.outcomes.extend(resolved);
    }

    /// The outcome of a row's cell, by its code.
    pub(super) fn get(&self, code: u32) -> &T {
        self.outcomes.get(code as usize).unwrap_or(&self.empty)
    }
}

/// A distinct cell trimmed; only spaces is empty.
fn trimmed(cell: &str) -> Option<&str> {
    Some(cell.trim()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_resolved_once_across_batches() {
        let mut coded: Coded<String> = Coded::new("empty".into());
        let mut calls = 0;
        let mut batch = |cells: &[Option<&str>]| {
            let column: StringChunked = cells.iter().copied().collect();
            let (codes, new) = coded.code(&column);
            let new: Vec<String> = new.iter().map(|s| s.to_string()).collect();
            let new: Vec<&str> = new.iter().map(String::as_str).collect();
            calls += new.len();
            coded.resolve(&new, |c| c.unwrap_or("blank").to_uppercase());
            codes
                .iter()
                .map(|&c| coded.get(c).clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            batch(&[Some("a"), None, Some("a"), Some(" ")]),
            ["A", "empty", "A", "BLANK"]
        );
        assert_eq!(batch(&[Some("b"), Some("a")]), ["B", "A"]);
        assert_eq!(calls, 3, "a, the spaces and b, each once");
    }
}
