//! The `symdiff` binary (built from this root package), run as a user would: one test binary
//! holding every command-line test, sharing [`common`].

mod common;

mod check;
mod cli;
mod compile;
mod derivatives;
mod multi_entry;
mod report;
mod stress;
