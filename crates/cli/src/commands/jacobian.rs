//! `symdiff jacobian EXPRS [--wrt x,y|@path] [--at POINT|@path] [--stats] [--format text|json]`:
//! the Jacobian of several expressions (rows) with respect to the variables (columns), its
//! non-zero entries printed as one block of shared bindings, each labelled `(row, column)`.

use crate::entries::Entries;
use crate::error::CliError;
use crate::input::ExprArg;

/// Arguments of `symdiff jacobian`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The expressions (the rows), separated by `;`, optionally after shared bindings:
    /// `x*y; x + y` or `t = x*y; sin(t); cos(t)` (the block format `grad` and `jacobian` print).
    /// `-` reads stdin, `@path` a file.
    #[arg(value_name = "EXPRS", allow_hyphen_values = true)]
    pub exprs: ExprArg,
    #[command(flatten)]
    pub options: crate::args::EntriesArgs,
}

/// Runs `symdiff jacobian`.
pub fn run(args: Args) -> Result<(), CliError> {
    let exprs = args.exprs.parse_many()?;
    let (point, vars) = args.options.point_and_variables(&exprs)?;
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let j = symdiff_rewrite::sparse_jacobian(&exprs, &names).map_err(CliError::diff)?;
    Entries::jacobian(j, vars).print(point.as_ref(), args.options.stats, args.options.format)
}
