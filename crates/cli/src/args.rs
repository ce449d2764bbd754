//! The options several subcommands share, declared once and included with clap's
//! `#[command(flatten)]`: the variable list of `--wrt` ([`Wrt`]) and the point of `--at`
//! ([`At`]). Both accept `@path` (a file) as `EXPR` does, since a model with 10^4 parameters
//! does not fit in one argument.

use crate::error::CliError;
use crate::input::{read_file, ExprInput};
use crate::output::ReportFormat;
use std::collections::HashSet;
use symdiff_expr::{metrics::free_vars_many, Expr, Point};

/// `--wrt VARS`: the variables to differentiate by (or a compiled function's arguments).
#[derive(Debug, Clone, clap::Args)]
pub struct Wrt {
    /// The variables, comma-separated, in order, or `@path`: a file of names separated by commas
    /// or white space (default: every variable of the input, sorted).
    #[arg(long = "wrt", value_name = "VARS", value_delimiter = ',')]
    pub items: Vec<String>,
}

impl Wrt {
    /// The variables named (see [`variables`]), or every variable of `exprs` when none are.
    pub fn variables(&self, exprs: &[Expr]) -> Result<Vec<String>, CliError> {
        variables(&self.items, exprs)
    }
}

/// `--at POINT`: also evaluate the result at this point.
#[derive(Debug, Clone, clap::Args)]
pub struct At {
    /// Also evaluate the result at this point, e.g. `x=0.3,y=0.7` (or `@path`: a file of
    /// `name=value` pairs separated by commas or line breaks).
    #[arg(long = "at", value_name = "POINT")]
    pub point: Option<String>,
}

impl At {
    /// The point given, if any (see [`point`]).
    pub fn point(&self) -> Result<Option<Point>, CliError> {
        point(self.point.as_deref())
    }
}

/// The options `grad`, `jacobian` and `hessian` share: `--wrt`, `--at`, `--stats`, `--format`.
#[derive(Debug, Clone, clap::Args)]
pub struct EntriesArgs {
    #[command(flatten)]
    pub wrt: Wrt,
    #[command(flatten)]
    pub at: At,
    /// Print the statistics.
    #[arg(long)]
    pub stats: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// The arguments of `grad` and `hessian`: one expression and the [`EntriesArgs`].
#[derive(Debug, Clone, clap::Args)]
pub struct ExprEntriesArgs {
    #[command(flatten)]
    pub expr: ExprInput,
    #[command(flatten)]
    pub options: EntriesArgs,
}

impl EntriesArgs {
    /// The point of `--at` and the variables of `--wrt` (or of `exprs`); no variables at all is
    /// bad input.
    pub fn point_and_variables(
        &self,
        exprs: &[Expr],
    ) -> Result<(Option<Point>, Vec<String>), CliError> {
        let point = self.at.point()?;
        let vars = self.wrt.variables(exprs)?;
        if vars.is_empty() {
            let what = if exprs.len() == 1 {
                "the expression has"
            } else {
                "the expressions have"
            };
            return Err(CliError::input(format!(
                "{what} no variables: name them with --wrt"
            )));
        }
        Ok((point, vars))
    }
}

/// The variables named by `--wrt` (each item a name or `@path`, a file of names separated by
/// commas or white space), or, when none are, every variable of `exprs` (sorted). A name given
/// twice is bad input naming it.
pub fn variables(wrt: &[String], exprs: &[Expr]) -> Result<Vec<String>, CliError> {
    if wrt.is_empty() {
        return Ok(free_vars_many(exprs).into_iter().collect());
    }
    let mut names = Vec::new();
    for item in wrt {
        match item.strip_prefix('@') {
            Some(path) => names.extend(
                read_file(path)?
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|name| !name.is_empty())
                    .map(str::to_string),
            ),
            None => names.push(item.trim().to_string()),
        }
    }
    if let Some(name) = first_repeated(names.iter().map(String::as_str)) {
        return Err(CliError::input(format!(
            "bad --wrt: the variable `{name}` is named twice"
        )));
    }
    Ok(names)
}

/// The point of `--at`: `name=value` pairs separated by commas, or `@path`, a file of such pairs
/// separated by commas or line breaks. A name given twice is bad input naming it.
pub fn point(at: Option<&str>) -> Result<Option<Point>, CliError> {
    let Some(at) = at else { return Ok(None) };
    let text = match at.strip_prefix('@') {
        Some(path) => read_file(path)?.replace(['\n', '\r'], ","),
        None => at.to_string(),
    };
    let names = text
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, _)| name.trim());
    if let Some(name) = first_repeated(names) {
        return Err(CliError::input(format!(
            "bad --at: the variable `{name}` is given twice"
        )));
    }
    Ok(Some(text.parse()?))
}

/// The first name that occurs a second time.
fn first_repeated<'a>(names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    names.into_iter().find(|name| !seen.insert(*name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn wrt_reads_files_and_refuses_repeats() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "x1, x2\nx3").unwrap();
        let at_file = format!("@{}", file.path().display());
        let names = variables(&["y".into(), at_file.clone()], &[]).unwrap();
        assert_eq!(names, ["y", "x1", "x2", "x3"]);
        let err = variables(&["x2".into(), at_file], &[]).unwrap_err();
        assert!(err.message.contains("`x2`"), "{}", err.message);
        let f = symdiff_expr::parse("b*a").unwrap();
        assert_eq!(variables(&[], &[f]).unwrap(), ["a", "b"]);
    }

    #[test]
    fn at_reads_files_and_refuses_repeats() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "x=1\ny = 2,\nz=3").unwrap();
        let p = point(Some(&format!("@{}", file.path().display())))
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.get("x"), p.get("y"), p.get("z")),
            (Some(1.0), Some(2.0), Some(3.0))
        );
        let err = point(Some("x=1, y=2, x=3")).unwrap_err();
        assert!(err.message.contains("`x`"), "{}", err.message);
        assert!(point(None).unwrap().is_none());
    }
}
