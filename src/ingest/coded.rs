//! The inspection columns coded: each column walked once, its distinct
//! cells kept (owned) and each row's cell replaced by its index among them,
//! so that a cell written the same way a million times is resolved once and
//! a row's outcome is an array access (see [`super::records`]).

use super::FastMap;
use polars::prelude::*;
use rayon::prelude::*;

/// The distinct cells of the columns resolved per value, and each row's
/// cells as indices among them.
pub(super) struct Distinct {
    pub(super) unit: Cells,
    pub(super) issue: Cells,
    pub(super) count: Cells,
    pub(super) date: Cells,
}

/// One column coded: its distinct cells as written (owned, so that the
/// table's columns can be freed before the records are grouped) and each
/// row's index among them, [`EMPTY`] for a null cell. One hash per cell:
/// the column is walked once.
pub(super) struct Cells {
    pub(super) distinct: Vec<String>,
    pub(super) codes: Vec<u32>,
    pub(super) has_null: bool,
}

/// The code of a null (empty) cell.
pub(super) const EMPTY: u32 = u32::MAX;

impl Cells {
    fn of(column: &StringChunked) -> Cells {
        let mut index: FastMap<&str, u32> = FastMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let mut has_null = false;
        let codes = column
            .into_iter()
            .map(|cell| match cell {
                None => {
                    has_null = true;
                    EMPTY
                }
                Some(text) => *index.entry(text).or_insert_with(|| {
                    distinct.push(text);
                    (distinct.len() - 1) as u32
                }),
            })
            .collect();
        Cells {
            distinct: distinct.into_iter().map(String::from).collect(),
            codes,
            has_null,
        }
    }
}

impl Distinct {
    /// The four columns coded, two at a time on both cores.
    pub(super) fn of(frame: &DataFrame) -> PolarsResult<Self> {
        let text = |name: &str| frame.column(name).and_then(|c| c.str());
        let (unit, issue, count, date) =
            (text("unit")?, text("issue")?, text("count")?, text("date")?);
        let ((unit, issue), (count, date)) = rayon::join(
            || rayon::join(|| Cells::of(unit), || Cells::of(issue)),
            || rayon::join(|| Cells::of(count), || Cells::of(date)),
        );
        Ok(Distinct {
            unit,
            issue,
            count,
            date,
        })
    }
}

/// One column's distinct cells and what each stands for.
pub(super) struct Lookup<T> {
    /// By distinct cell (the index of [`Cells::codes`]).
    outcomes: Vec<T>,
    /// The outcome of an empty cell (null, or only spaces).
    empty: T,
    /// Whether the column has null cells.
    has_empty: bool,
}

/// A distinct cell trimmed; only spaces is empty.
fn trimmed(cell: &str) -> Option<&str> {
    Some(cell.trim()).filter(|s| !s.is_empty())
}

impl<T> Lookup<T> {
    /// Resolves each distinct cell once.
    pub(super) fn new<'a>(cells: &'a Cells, mut resolve: impl FnMut(Option<&'a str>) -> T) -> Self {
        Lookup {
            outcomes: cells.distinct.iter().map(|c| resolve(trimmed(c))).collect(),
            empty: resolve(None),
            has_empty: cells.has_null,
        }
    }

    /// [`Lookup::new`] on all cores, for a column of many distinct cells
    /// (a province's unit names, each written several ways).
    pub(super) fn new_parallel<'a>(
        cells: &'a Cells,
        resolve: impl Fn(Option<&'a str>) -> T + Sync,
    ) -> Self
    where
        T: Send,
    {
        Lookup {
            outcomes: cells
                .distinct
                .par_iter()
                .map(|c| resolve(trimmed(c)))
                .collect(),
            empty: resolve(None),
            has_empty: cells.has_null,
        }
    }

    /// The outcome of a row's cell, by its code.
    pub(super) fn get(&self, code: u32) -> &T {
        self.outcomes.get(code as usize).unwrap_or(&self.empty)
    }

    /// The outcomes of the cells the column holds.
    pub(super) fn in_use(&self) -> impl Iterator<Item = &T> {
        self.outcomes
            .iter()
            .chain(self.has_empty.then_some(&self.empty))
    }
}
