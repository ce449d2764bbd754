//! Errors of the command line and their exit codes.

use std::fmt;
use symdiff_expr::{EvalError, ParseError, PointError, PrintError};

/// How a command failed, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Bad usage or bad input (a parse error, a malformed `--at`, a missing file): exit code 2.
    Input,
    /// The input was fine but the command could not do its job (e.g. an evaluation outside
    /// the domain): exit code 1.
    Failed,
}

impl Failure {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Failure::Input => 2,
            Failure::Failed => 1,
        }
    }
}

/// An error to print on stderr: a one-line summary, optionally followed by details (such as a
/// parse error's quoted input with a caret).
#[derive(Debug)]
pub struct CliError {
    /// What kind of failure (decides the exit code).
    pub failure: Failure,
    /// The message.
    pub message: String,
}

impl CliError {
    /// Bad usage or input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            failure: Failure::Input,
            message: message.into(),
        }
    }

    /// Any other failure (exit code 1).
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            failure: Failure::Failed,
            message: message.into(),
        }
    }

    /// An error of the derivative engine: a bad variable is bad input, anything else a failure.
    pub fn diff(err: symdiff_rewrite::DiffError) -> Self {
        match err {
            symdiff_rewrite::DiffError::NotAVariable(_)
            | symdiff_rewrite::DiffError::RepeatedVariable(_)
            | symdiff_rewrite::DiffError::Empty(_) => CliError::input(err.to_string()),
            _ => CliError::failed(err.to_string()),
        }
    }

    /// A parse error in the expression read from `source` (a description such as "EXPR").
    pub fn parse(source: &str, err: &ParseError) -> Self {
        CliError::input(format!("cannot parse {source}: {err}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<PointError> for CliError {
    fn from(err: PointError) -> Self {
        CliError::input(format!("bad --at: {err}"))
    }
}

impl From<EvalError> for CliError {
    fn from(err: EvalError) -> Self {
        match err {
            // The user did not give a value: bad usage.
            EvalError::UnboundVariable(_) => CliError::input(err.to_string()),
            _ => CliError::failed(err.to_string()),
        }
    }
}

impl From<PrintError> for CliError {
    fn from(err: PrintError) -> Self {
        CliError::failed(err.to_string())
    }
}

/// Replaces Rust's panic message and backtrace by one line on stderr and exit code 1: a panic is
/// a bug in symdiff, not something a user should have to read a backtrace for.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let what = what.lines().next().unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("symdiff: internal error: {what}{place} (this is a bug; please report it)");
        std::process::exit(i32::from(Failure::Failed.code()));
    }));
}
