//! `symdiff parse EXPR [--format text|latex|sexp|json] [--width N]`: parse and print.

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output::{self, ExprFormat};
use symdiff_expr::DEFAULT_WIDTH;

/// Arguments of `symdiff parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ExprFormat::Text)]
    pub format: ExprFormat,
    /// Line width of the text format.
    #[arg(long, default_value_t = DEFAULT_WIDTH)]
    pub width: usize,
}

/// Runs `symdiff parse`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    output::print_expr(expr, args.format, args.width)
}
