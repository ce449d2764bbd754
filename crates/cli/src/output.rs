//! Writing results to stdout and errors to stderr.

use crate::error::CliError;
use std::io::Write;
use std::process::ExitCode;

/// Output format of commands that print an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExprFormat {
    /// Infix text that `symdiff parse` reads back (shared subexpressions as `t1 = ...;` bindings).
    #[default]
    Text,
    /// LaTeX math.
    Latex,
    /// egg's s-expression syntax (the DAG unfolded into a tree).
    Sexp,
    /// JSON: the DAG as a node list, plus the infix text.
    Json,
}

/// Output format of commands that print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for people.
    #[default]
    Text,
    /// JSON for programs.
    Json,
}

/// Prints `text` and a newline on stdout. A closed pipe (`symdiff ... | head`) ends the program
/// quietly with success; any other write error is a failure.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(CliError::failed(format!("cannot write the output: {e}"))),
    }
}

/// Prints an error on stderr as `symdiff: error: ...` and returns its exit code.
pub fn report(err: &CliError) -> ExitCode {
    let _ = writeln!(std::io::stderr().lock(), "symdiff: error: {err}");
    ExitCode::from(err.failure.code())
}
