//! One integration test binary: each module runs the real `zwgk` executable
//! on inputs written to a temporary directory.

mod analysis;
mod architecture;
mod archives;
mod batches;
mod chinese;
mod coinr;
mod combine;
mod docx;
mod duties;
mod forms;
mod generate;
mod guide;
mod harness;
mod inputs;
mod output;
mod page;
mod parquet;
mod properties;
mod reconcile;
mod report;
mod rescale;
mod rules;
mod run;
mod small;
mod sources;
mod weights;
mod xlsx;
mod year;
