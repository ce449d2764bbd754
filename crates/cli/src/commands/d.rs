//! `symdiff d EXPR VAR [VAR ...] [--at POINT] [--stats] [--format text|latex|sexp|json]`:
//! differentiate (several VARs are successive partials: `d f x y` is d²f/dxdy).

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output::{print_result, ExprFormat};
use symdiff_rewrite::Options;

/// Arguments of `symdiff d`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    /// The variables to differentiate by, in order.
    #[arg(value_name = "VAR", required = true)]
    pub vars: Vec<String>,
    #[command(flatten)]
    pub at: crate::args::At,
    /// Print the statistics: sizes before and after simplification, the e-graph, times.
    #[arg(long)]
    pub stats: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ExprFormat::Text)]
    pub format: ExprFormat,
    /// Return the raw derivative (differentiation rules only, no simplification).
    #[arg(long)]
    pub raw: bool,
}

/// Runs `symdiff d`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    let point = args.at.point()?;
    let vars: Vec<&str> = args.vars.iter().map(String::as_str).collect();
    let options = Options {
        simplify: !args.raw,
        ..Options::default()
    };
    let result = symdiff_rewrite::d_with(&expr, &vars, &options).map_err(CliError::diff)?;
    print_result(&result, point.as_ref(), args.stats, args.format)
}
