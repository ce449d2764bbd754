//! `symdiff hessian EXPR [--wrt x,y|@path] [--at POINT|@path] [--stats] [--format text|json]`:
//! the Hessian's non-zero entries of the upper triangle (it is symmetric), printed as one block
//! of shared bindings, each labelled `(i, j)`.

use crate::entries::Entries;
use crate::error::CliError;

/// Arguments of `symdiff hessian`.
pub type Args = crate::args::ExprEntriesArgs;

/// Runs `symdiff hessian`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    let (point, vars) = args.options.point_and_variables(&[expr])?;
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let h = symdiff_rewrite::sparse_hessian(&expr, &names).map_err(CliError::diff)?;
    Entries::hessian(h, vars).print(point.as_ref(), args.options.stats, args.options.format)
}
