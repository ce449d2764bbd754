//! One module per subcommand: its clap `Args` and its `run` function.

pub mod check;
pub mod compile;
pub mod d;
pub mod eval;
pub mod grad;
pub mod hessian;
pub mod jacobian;
pub mod parse;
pub mod report;
pub mod simplify;
pub mod stats;
