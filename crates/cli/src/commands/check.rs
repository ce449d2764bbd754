//! `symdiff check EXPR [--wrt x,y] [--points N] [--seed S] [--format text|json]`: the symbolic
//! gradient checked against forward AD, reverse AD, complex step, central differences and
//! Richardson extrapolation at random points of the domain (see `symdiff_ad::check`).
//!
//! Exit codes: 0 when every method agrees, 1 on a disagreement, 2 on bad input — including an
//! expression with no valid point (an empty real domain), which cannot be checked.

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output::{self, ReportFormat};
use symdiff_ad::{CheckError, CheckOptions, Verdict};

/// Arguments of `symdiff check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    #[command(flatten)]
    pub wrt: crate::args::Wrt,
    /// How many random points of the domain to compare at.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub points: usize,
    /// The seed of the random points.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Runs `symdiff check`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    // Empty --wrt stays empty: `check` then takes every variable of EXPR.
    let wrt = args.wrt.variables(&[])?;
    let vars: Vec<&str> = wrt.iter().map(String::as_str).collect();
    let options = CheckOptions {
        points: args.points,
        seed: args.seed,
        ..CheckOptions::default()
    };
    // A bad variable is bad input, as the rest of CheckError; other engine failures fail.
    let report = symdiff_ad::check(expr, &vars, &options).map_err(|err| match err {
        CheckError::Symbolic(e) => CliError::diff(e),
        other => CliError::input(other.to_string()),
    })?;
    match args.format {
        ReportFormat::Json => output::print(&report.to_json())?,
        ReportFormat::Text => output::print(&report.to_string())?,
    }
    match report.verdict {
        Verdict::Agree => Ok(()),
        Verdict::Disagree => Err(CliError::failed(
            "the symbolic derivative disagrees with at least one method (see the report)",
        )),
        Verdict::NoValidPoints => Err(CliError::input(
            "no point of the domain was found (is the real domain empty?): nothing was checked",
        )),
    }
}
