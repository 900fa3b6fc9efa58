//! zwgk: the year-end assessment of government-information-disclosure work
//! (政务公开绩效考核) as one reproducible run.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`config`] (indicator system) → [`ingest`] (input tables) → [`score`]
//! (rules, tree, totals) → [`rank`] (ranks, grades) → [`report`] (files).

pub mod analysis;
pub mod assess;
pub mod cli;
pub mod combine;
pub mod commands;
pub mod config;
pub mod error;
pub mod forms;
pub mod generate;
pub mod ingest;
pub mod lang;
pub mod num;
pub mod rank;
pub mod report;
pub mod score;
pub mod spelling;
pub mod timing;
