//! Stage 6: the analyst commands, all starting from a scored
//! [`Assessment`](crate::assess::Assessment): what-if rescoring with changed
//! points, sensitivity of the ranking to the points, comparison of two
//! years' results, and the explanation of one unit's score.

pub mod charts;
pub mod compare;
pub mod explain;
pub mod sensitivity;
pub mod whatif;
