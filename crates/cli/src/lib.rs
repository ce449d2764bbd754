//! `symdiff`: the command line of the symdiff symbolic differentiation engine, as a library:
//! the `symdiff` binary is the root package's `src/main.rs`, which calls [`main`] (so
//! `cargo install --path .` at the repository root installs it).
//!
//! Each subcommand lives in its own module under [`commands`]: to add one, write
//! `commands/<name>.rs` with an `Args` struct (clap derive) and a `run(args) -> Result<(),
//! CliError>` function, then add one variant to [`Command`] and one arm to [`Command::run`].
//! [`input`] reads an expression argument (text, `-` for stdin, `@path` for a file) and
//! [`output`] writes results and errors; exit codes are decided in one place, [`error`].

#![forbid(unsafe_code)]

mod args;
mod commands;
mod entries;
mod error;
mod input;
mod output;

use clap::{Parser, Subcommand};
use error::CliError;
use std::process::ExitCode;

/// Symbolic differentiation in an e-graph: exact, fast, honest about expression swell.
#[derive(Debug, Parser)]
#[command(name = "symdiff", version, propagate_version = true)]
#[command(
    after_help = "EXPR may also be `-` (read standard input) or `@path` (read a file); so may the \
VARS of --wrt and the POINT of --at.\n\
Exit codes: 0 success, 1 failure (e.g. an evaluation outside the domain), 2 bad usage or input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The largest expression input (EXPR, `-` or `@path`) read, in bytes; larger input is
    /// refused with exit code 2 after reading at most this much.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = input::DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Parse an expression and print it (text, LaTeX, s-expression or JSON).
    Parse(commands::parse::Args),
    /// Evaluate an expression at a point, printing the value alone.
    Eval(commands::eval::Args),
    /// Print size metrics: tree and DAG sizes, depth, operation counts, free variables.
    Stats(commands::stats::Args),
    /// Differentiate: `d EXPR x` is df/dx, `d EXPR x y` is d²f/dxdy.
    D(commands::d::Args),
    /// The gradient, all entries extracted together so they share subexpressions, printed as one
    /// block of shared bindings followed by the entries.
    Grad(commands::grad::Args),
    /// The Jacobian of `;`-separated expressions: its non-zero entries as one block.
    Jacobian(commands::jacobian::Args),
    /// The Hessian: the non-zero entries of its upper triangle as one block.
    Hessian(commands::hessian::Args),
    /// Simplify by equality saturation (the result is never a larger DAG than the input).
    Simplify(commands::simplify::Args),
    /// Compile to a standalone Rust function (`--gradient`: value and gradient), or print the
    /// straight-line program of the compiled closure (`--emit program`).
    Compile(commands::compile::Args),
    /// Write the expression-swell report (markdown, CSV, JSON, SVG plots) for every family.
    Report(commands::report::Args),
    /// Check the symbolic gradient against forward and reverse AD, complex step and numeric
    /// differences at random domain points (exit 0 agree, 1 disagree, 2 bad input).
    Check(commands::check::Args),
}

impl Command {
    fn run(self) -> Result<(), CliError> {
        match self {
            Command::Parse(args) => commands::parse::run(args),
            Command::Eval(args) => commands::eval::run(args),
            Command::Stats(args) => commands::stats::run(args),
            Command::D(args) => commands::d::run(args),
            Command::Grad(args) => commands::grad::run(args),
            Command::Jacobian(args) => commands::jacobian::run(args),
            Command::Hessian(args) => commands::hessian::run(args),
            Command::Simplify(args) => commands::simplify::run(args),
            Command::Compile(args) => commands::compile::run(args),
            Command::Report(args) => commands::report::run(args),
            Command::Check(args) => commands::check::run(args),
        }
    }
}

/// Runs the command line on the process's arguments and returns its exit code: 0 success, 1
/// failure, 2 bad usage or input (help and version print to stdout with 0).
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     symdiff_cli::main()
/// }
/// ```
pub fn main() -> ExitCode {
    error::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    input::set_max_input_bytes(cli.max_input_bytes);
    match cli.command.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => output::report(&err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn expressions_may_start_with_a_minus() {
        let cli = Cli::try_parse_from(["symdiff", "parse", "-x^2"]).unwrap();
        assert!(matches!(cli.command, Command::Parse(a) if a.expr.expr.text == "-x^2"));
    }
}
