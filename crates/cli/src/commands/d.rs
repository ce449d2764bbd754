//! `symdiff d EXPR VAR [VAR ...] [--at POINT] [--stats] [--format text|latex|sexp|json]`:
//! differentiate (several VARs are successive partials: `d f x y` is d²f/dxdy).

use crate::commands::parse::render;
use crate::error::CliError;
use crate::input::ExprArg;
use crate::output::{self, ExprFormat};
use serde_json::json;
use symdiff_expr::{Point, DEFAULT_WIDTH};
use symdiff_rewrite::{Derivative, Options, Stats};

/// Arguments of `symdiff d`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The expression (or `-` for stdin, `@path` for a file).
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: ExprArg,
    /// The variables to differentiate by, in order.
    #[arg(value_name = "VAR", required = true)]
    pub vars: Vec<String>,
    /// Also evaluate the derivative at this point, e.g. `x=0.3,y=0.7` (or `@path`: a file of
    /// `name=value` pairs separated by commas or line breaks).
    #[arg(long, value_name = "POINT")]
    pub at: Option<String>,
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
    let point = crate::args::point(args.at.as_deref())?;
    let vars: Vec<&str> = args.vars.iter().map(String::as_str).collect();
    let options = Options {
        simplify: !args.raw,
        ..Options::default()
    };
    let result = symdiff_rewrite::d_with(&expr, &vars, &options).map_err(CliError::diff)?;
    print_result(&result, point.as_ref(), args.stats, args.format)
}

/// Prints a derivative (or simplified expression) as the CLI does for `d` and `simplify`.
pub fn print_result(
    result: &Derivative,
    point: Option<&Point>,
    stats: bool,
    format: ExprFormat,
) -> Result<(), CliError> {
    let value = point.map(|p| result.expr.eval(p)).transpose()?;
    if format == ExprFormat::Json {
        let out = json!({
            "derivative": result.expr.to_string(),
            "dag": result.expr.to_json(),
            "value": value,
            "stats": result.stats,
        });
        return output::print(&out.to_string());
    }
    let mut text = render(result.expr, format, DEFAULT_WIDTH)?;
    if let Some(v) = value {
        text += &format!("\nvalue at {}: {v}", point.expect("a value needs a point"));
    }
    if stats {
        text += &format!("\n{}", stats_text(&result.stats));
    }
    output::print(&text)
}

/// The statistics as aligned text.
pub fn stats_text(s: &Stats) -> String {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    format!(
        "             tree        dag   depth\n\
         input   {:>10} {:>10} {:>7}\n\
         raw     {:>10} {:>10} {:>7}\n\
         result  {:>10} {:>10} {:>7}\n\
         result DAG / input DAG: {:.2}\n\
         e-graph: {} nodes, {} classes, {} derivatives rewritten, {} iterations, stopped: {}\n\
         time: {:.3} ms (differentiate {:.3}, simplify {:.3}, extract {:.3})",
        s.input.tree,
        s.input.dag,
        s.input.depth,
        s.raw.tree,
        s.raw.dag,
        s.raw.depth,
        s.simplified.tree,
        s.simplified.dag,
        s.simplified.depth,
        ratio(s.simplified.dag, s.input.dag),
        s.egraph.nodes,
        s.egraph.classes,
        s.egraph.diff_rewrites,
        s.egraph.iterations,
        s.egraph.stop_reason,
        ms(s.time.total),
        ms(s.time.differentiate),
        ms(s.time.simplify),
        ms(s.time.extract),
    )
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
