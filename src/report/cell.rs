//! A cell of the published tables (CSV, workbooks, the notice's and the
//! sheets' tables): text or a number kept as its published text.

use std::borrow::Cow;

/// A cell of a published table: text from inputs or labels, or a number
/// (kept as its published text, e.g. "74.50").
/// Text that is already in the assessment (names, ids, labels) is
/// borrowed, not copied: the breakdown has a row per unit and leaf.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Num(Cow<'a, str>),
}

impl<'a> Cell<'a> {
    /// The cell's text, a number as it is written.
    pub fn as_str(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Num(t) => t,
        }
    }

    pub fn text(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }

    pub(super) fn num(s: String) -> Cell<'a> {
        Cell::Num(Cow::Owned(s))
    }
}

impl From<String> for Cell<'_> {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }
}

/// A table: header and rows.
pub type Grid<'a> = (Vec<String>, Vec<Vec<Cell<'a>>>);
