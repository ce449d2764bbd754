//! `symdiff simplify EXPR [--stats] [--format text|latex|sexp|json]`: simplify by equality
//! saturation (never returning a larger DAG than the input).

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output::{print_result, ExprFormat};

/// Arguments of `symdiff simplify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    /// Print the statistics.
    #[arg(long)]
    pub stats: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ExprFormat::Text)]
    pub format: ExprFormat,
}

/// Runs `symdiff simplify`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    let result = symdiff_rewrite::simplify(&expr).map_err(CliError::diff)?;
    print_result(&result, None, args.stats, args.format)
}
