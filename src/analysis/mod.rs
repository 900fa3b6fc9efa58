//! Stage 6: the analyst commands, all starting from a scored
//! [`Assessment`](crate::assess::Assessment): what-if rescoring with changed
//! points, sensitivity of the ranking to the points, comparison of two
//! years' results, the explanation of one unit's score, and where weights
//! come from (AHP, entropy).

pub mod ahp;
pub mod charts;
pub mod compare;
pub mod compare_xlsx;
pub mod entropy;
pub mod explain;
pub mod model;
pub mod sensitivity;
pub mod sobol;
pub mod whatif;
