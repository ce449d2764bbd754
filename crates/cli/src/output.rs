//! Writing results to stdout and errors to stderr.

use crate::error::CliError;
use std::io::Write;
use std::process::ExitCode;
use symdiff_expr::{Expr, Point, Sharing, DEFAULT_WIDTH};
use symdiff_rewrite::{Derivative, Stats};

/// Output format of commands that print an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExprFormat {
    /// Infix text that `symdiff parse` reads back (shared subexpressions as `t1 = ...;` bindings).
    #[default]
    Text,
    /// LaTeX math.
    Latex,
    /// egg's s-expression syntax (the DAG unfolded into a tree).
    Sexp,
    /// JSON: the DAG as a node list, plus the infix text.
    Json,
}

/// Output format of commands that print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for people.
    #[default]
    Text,
    /// JSON for programs.
    Json,
}

/// Prints `text` and a newline on stdout. A closed pipe (`symdiff ... | head`) ends the program
/// quietly with success; any other write error is a failure.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    written(
        out.write_all(text.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush()),
    )
}

/// Prints `value` as compact JSON and a newline on stdout, serialised straight into a buffered
/// writer (no JSON tree or string of the whole output is built first). Errors as for
/// [`print`].
pub fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let result = serde_json::to_writer(&mut out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    });
    written(
        result
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush()),
    )
}

/// The outcome of writing to stdout: a closed pipe ends the program quietly with success.
fn written(result: std::io::Result<()>) -> Result<(), CliError> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(CliError::failed(format!("cannot write the output: {e}"))),
    }
}

/// Prints an error on stderr as `symdiff: error: ...` and returns its exit code.
pub fn report(err: &CliError) -> ExitCode {
    let _ = writeln!(std::io::stderr().lock(), "symdiff: error: {err}");
    ExitCode::from(err.failure.code())
}

/// The expression in the given format.
pub fn render(expr: Expr, format: ExprFormat, width: usize) -> Result<String, CliError> {
    Ok(match format {
        ExprFormat::Text => expr.to_infix(width.max(1), Sharing::Auto),
        ExprFormat::Latex => expr.to_latex(),
        ExprFormat::Sexp => expr.to_sexp()?,
        ExprFormat::Json => serde_json::to_string(&expr)
            .map_err(|e| CliError::failed(format!("cannot write JSON: {e}")))?,
    })
}

/// Prints the expression in the given format; JSON is written straight to stdout (see
/// [`print_json`]).
pub fn print_expr(expr: Expr, format: ExprFormat, width: usize) -> Result<(), CliError> {
    match format {
        ExprFormat::Json => print_json(&expr),
        _ => print(&render(expr, format, width)?),
    }
}

/// The JSON output of `d` and `simplify` (fields in alphabetical order, as in every JSON
/// output of the command line).
#[derive(serde::Serialize)]
struct ResultJson<'a> {
    dag: Expr,
    derivative: String,
    #[serde(serialize_with = "as_json_object")]
    stats: &'a Stats,
    value: Option<f64>,
}

/// Serialises `value` through a JSON value, so that its keys come out sorted as in every other
/// JSON output of the command line (the statistics are small).
pub(crate) fn as_json_object<S: serde::Serializer>(
    value: &&Stats,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

/// Prints a derivative (or simplified expression) as the CLI does for `d` and `simplify`.
pub fn print_result(
    result: &Derivative,
    point: Option<&Point>,
    stats: bool,
    format: ExprFormat,
) -> Result<(), CliError> {
    // The value with the point it was taken at.
    let value = point
        .map(|p| result.expr.eval(p).map(|v| (p, v)))
        .transpose()?;
    if format == ExprFormat::Json {
        return print_json(&ResultJson {
            dag: result.expr,
            derivative: result.expr.to_string(),
            stats: &result.stats,
            value: value.map(|(_, v)| v),
        });
    }
    let mut text = render(result.expr, format, DEFAULT_WIDTH)?;
    if let Some((p, v)) = value {
        text += &format!("\nvalue at {}: {}", point_text(p), number(v));
    }
    if stats {
        text += &format!("\n{}", stats_text(&result.stats));
    }
    print(&text)
}

/// A number as people read it: the shortest decimal that reads back as the same f64, written
/// out when its decimal exponent is between -4 and 15 (`0.21`, `108`, `0.0001`) and in
/// scientific notation otherwise (`1e16`, `2e160`, `-1.5e-320`): the rule of Python's `repr`,
/// so no value prints with more than 17 significant digits and 4 leading zeros. `NaN`, `inf`
/// and `-inf` as Rust writes them. The values are f64s (the point is read as f64s), so there is
/// no exact rational to keep.
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e16).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// A point as `name=value` pairs separated by commas (as `--at` reads it), each value as
/// [`number`] writes it.
pub fn point_text(point: &Point) -> String {
    let pairs: Vec<String> = point
        .iter()
        .map(|(name, v)| format!("{name}={}", number(v)))
        .collect();
    pairs.join(",")
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

#[cfg(test)]
mod tests {
    use super::{number, point_text};

    #[test]
    fn numbers_print_in_the_shortest_form_people_read() {
        let cases = [
            (0.21, "0.21"),
            (108.0, "108"),
            (-4.333333333333333, "-4.333333333333333"),
            (1e15, "1000000000000000"),
            (1e16, "1e16"),
            (0.0001, "0.0001"),
            (-0.00001, "-1e-5"),
            (1e160, "1e160"),
            (2.5e-300, "2.5e-300"),
            (1e-320, "1e-320"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
        ];
        for (v, text) in cases {
            assert_eq!(number(v), text);
            assert_eq!(text.parse::<f64>().unwrap(), v, "{text} reads back");
        }
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn points_print_as_at_reads_them() {
        let point: symdiff_expr::Point = "x=1e160, y=0.5, z=1e-320".parse().unwrap();
        let text = point_text(&point);
        assert_eq!(text, "x=1e160,y=0.5,z=1e-320");
        assert_eq!(text.parse::<symdiff_expr::Point>().unwrap(), point);
    }
}
