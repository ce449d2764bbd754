//! One module per subcommand: its clap `Args` and its `run` function.

pub mod eval;
pub mod parse;
pub mod report;
pub mod stats;
