//! `symdiff stats EXPR [--format text|json]`: size metrics of an expression.

use crate::error::CliError;
use crate::input::ExprInput;
use crate::output::{self, ReportFormat};
use symdiff_expr::Metrics;

/// Arguments of `symdiff stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub expr: ExprInput,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Runs `symdiff stats`.
pub fn run(args: Args) -> Result<(), CliError> {
    let metrics = args.expr.parse()?.metrics();
    let text = match args.format {
        ReportFormat::Text => metrics_text(&metrics),
        ReportFormat::Json => serde_json::to_string_pretty(&metrics)
            .map_err(|e| CliError::failed(format!("cannot write JSON: {e}")))?,
    };
    output::print(&text)
}

/// The metrics as aligned text (what counts as a node: see `symdiff_expr::metrics`).
pub fn metrics_text(m: &Metrics) -> String {
    let vars: Vec<&str> = m.free_vars.iter().map(String::as_str).collect();
    let mut lines = vec![
        format!("tree       {}", m.tree),
        format!("dag        {}", m.dag),
        format!("depth      {}", m.depth),
        format!("tree_ops   {}", m.tree_ops),
        format!("dag_ops    {}", m.dag_ops),
        format!(
            "free_vars  {}",
            if vars.is_empty() {
                "(none)".to_string()
            } else {
                vars.join(", ")
            }
        ),
        String::new(),
    ];
    let width = m
        .ops
        .values()
        .map(|c| c.tree.to_string().len())
        .max()
        .unwrap_or(0)
        .max(4);
    lines.push(format!("{:<8} {:>6}  {:>width$}", "op", "dag", "tree"));
    for (op, count) in &m.ops {
        lines.push(format!("{op:<8} {:>6}  {:>width$}", count.dag, count.tree));
    }
    lines.join("\n")
}
