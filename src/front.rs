//! The front ends' library: the page ([`serve`]) over the pipeline, and the pipeline itself
//! re-exported (`jixiao::load`, `jixiao::batch`, …) so that the command line (`src/main.rs`),
//! the page and the tests name one crate. The pipeline lives in `jixiao-pipeline`
//! (crates/pipeline); what is here only listens, prints and answers.

pub use jixiao_pipeline::*;

pub mod serve;
