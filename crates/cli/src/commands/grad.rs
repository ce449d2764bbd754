//! `symdiff grad EXPR [--wrt x,y|@path] [--at POINT|@path] [--stats] [--format text|json]`: the
//! gradient, all entries extracted together and printed as one block of shared bindings.

use crate::entries::Entries;
use crate::error::CliError;

/// Arguments of `symdiff grad`.
pub type Args = crate::args::ExprEntriesArgs;

/// Runs `symdiff grad`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    let (point, vars) = args.options.point_and_variables(&[expr])?;
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let g = symdiff_rewrite::gradient(&expr, &names).map_err(CliError::diff)?;
    Entries::gradient(g, vars).print(point.as_ref(), args.options.stats, args.options.format)
}
