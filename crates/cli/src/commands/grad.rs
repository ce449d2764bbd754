//! `symdiff grad EXPR [--wrt x,y] [--at POINT] [--stats] [--format text|json]`: the gradient,
//! all entries extracted together so they share subexpressions.

use crate::commands::d::stats_text;
use crate::error::CliError;
use crate::input::ExprArg;
use crate::output::{self, ReportFormat};
use serde_json::json;
use symdiff_expr::{to_recexpr_many, Point, Sharing, DEFAULT_WIDTH};

/// Arguments of `symdiff grad`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The expression (or `-` for stdin, `@path` for a file).
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: ExprArg,
    /// The variables, comma-separated (default: every variable of EXPR, sorted).
    #[arg(long, value_name = "VARS", value_delimiter = ',')]
    pub wrt: Vec<String>,
    /// Also evaluate the gradient at this point.
    #[arg(long, value_name = "POINT")]
    pub at: Option<String>,
    /// Print the statistics.
    #[arg(long)]
    pub stats: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Runs `symdiff grad`.
pub fn run(args: Args) -> Result<(), CliError> {
    let expr = args.expr.parse()?;
    let point: Option<Point> = args.at.as_deref().map(str::parse).transpose()?;
    let vars = crate::input::wrt_or_free_vars(args.wrt, expr)?;
    if vars.is_empty() {
        return Err(CliError::input(
            "the expression has no variables: name them with --wrt",
        ));
    }
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    let g = symdiff_rewrite::gradient(&expr, &names).map_err(CliError::diff)?;
    let values: Option<Vec<f64>> = point
        .as_ref()
        .map(|p| g.entries.iter().map(|e| e.eval(p)).collect())
        .transpose()?;
    if args.format == ReportFormat::Json {
        let (rec, _) = to_recexpr_many(&g.entries);
        let out = json!({
            "variables": vars,
            "gradient": g.entries.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            "dag_nodes": rec.len(),
            "value": values,
            "stats": g.stats,
        });
        return output::print(&out.to_string());
    }
    let mut text = String::new();
    for (i, (name, e)) in vars.iter().zip(&g.entries).enumerate() {
        let entry = e.to_infix(DEFAULT_WIDTH, Sharing::Auto);
        text += &format!("d/d{name} = {entry}");
        if let Some(v) = &values {
            text += &format!(
                "    (= {} at {})",
                v[i],
                point.as_ref().expect("values need a point")
            );
        }
        text.push('\n');
    }
    if args.stats {
        text += &stats_text(&g.stats);
    }
    output::print(text.trim_end())
}
