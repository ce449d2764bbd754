//! `symdiff eval EXPR --at x=0.3,y=0.7`: evaluate in f64 and print the value alone.

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output;
use symdiff_expr::Semantics;

/// Arguments of `symdiff eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    /// The point: values of the variables, e.g. `x=0.3,y=0.7` (or `@path`: a file of
    /// `name=value` pairs separated by commas or line breaks).
    #[arg(long, value_name = "POINT", default_value = "")]
    pub at: String,
    /// IEEE semantics: print `NaN` or `inf` instead of failing on a result outside the domain.
    #[arg(long)]
    pub ieee: bool,
}

/// Runs `symdiff eval`: prints the shortest decimal that round-trips the f64 value (in
/// scientific notation when it is very large or small, see [`output::number`]).
pub fn run(args: Args) -> Result<(), CliError> {
    let point = crate::args::point(Some(&args.at))?.unwrap_or_default();
    let expr = args.expr.parse()?;
    let semantics = if args.ieee {
        Semantics::Ieee
    } else {
        Semantics::Strict
    };
    let value = expr.eval_with(&point, semantics)?;
    output::print(&output::number(value))
}
