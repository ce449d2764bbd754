//! The output of `grad`, `jacobian` and `hessian`: several derivatives printed as one block of
//! shared bindings followed by the entries (see [`symdiff_expr::to_infix_many`]), so the output
//! is as large as the result's DAG, not one copy of the shared part per entry. The text form
//! labels each entry with a `# ...` comment and reads back with [`symdiff_expr::parse_many`];
//! the JSON form carries the same block (without labels), the sparsity pattern of a Jacobian or
//! Hessian, the values at `--at` and the statistics.

use crate::error::CliError;
use crate::output::stats_text;
use crate::output::{self, ReportFormat};
use symdiff_codegen::{compile_many, CompileError};
use symdiff_expr::{to_infix_many, to_infix_many_with, Expr, Point, Sharing, DEFAULT_WIDTH};
use symdiff_rewrite::{Derivatives, SparseDerivatives, Stats};

/// Which entries of a matrix are printed: the structurally non-zero ones.
#[derive(Debug, Clone)]
pub struct Sparsity {
    /// Rows of the matrix.
    pub rows: usize,
    /// Columns of the matrix.
    pub cols: usize,
    /// How many entries of the whole matrix are structurally non-zero (both triangles of a
    /// Hessian).
    pub nnz: usize,
    /// `(row, column)` of each printed entry, in the order printed (row-major).
    pub pattern: Vec<(usize, usize)>,
    /// A symmetric matrix (a Hessian): only the upper triangle (`row <= column`) is printed.
    pub symmetric: bool,
}

/// Derivatives ready to print: the entries, a label for each, and for a matrix its sparsity.
#[derive(Debug, Clone)]
pub struct Entries {
    /// The printed entries, in order.
    pub exprs: Vec<Expr>,
    /// The label of each entry (`d/dx`, `(0, 1) d/dy`).
    pub labels: Vec<String>,
    /// The variables differentiated by.
    pub variables: Vec<String>,
    /// `None` for a gradient (every entry is printed, in the order of `variables`).
    pub sparsity: Option<Sparsity>,
    /// What the derivative engine measured.
    pub stats: Stats,
}

impl Entries {
    /// A gradient: one entry per variable, zeros included.
    pub fn gradient(g: Derivatives, variables: Vec<String>) -> Entries {
        let labels = variables.iter().map(|v| format!("d/d{v}")).collect();
        Entries {
            exprs: g.entries,
            labels,
            variables,
            sparsity: None,
            stats: g.stats,
        }
    }

    /// A Jacobian (rows: expressions, columns: variables): its structurally non-zero entries.
    pub fn jacobian(j: SparseDerivatives, variables: Vec<String>) -> Entries {
        Entries::sparse(j, variables, false)
    }

    /// A Hessian: the structurally non-zero entries of its upper triangle.
    pub fn hessian(h: SparseDerivatives, variables: Vec<String>) -> Entries {
        Entries::sparse(h, variables, true)
    }

    fn sparse(m: SparseDerivatives, variables: Vec<String>, symmetric: bool) -> Entries {
        let printed = m.entries.iter().filter(|e| !symmetric || e.row <= e.col);
        let (mut exprs, mut labels, mut pattern) = (Vec::new(), Vec::new(), Vec::new());
        for e in printed {
            let (i, j) = (e.row, e.col);
            labels.push(if symmetric {
                format!("({i}, {j}) d/d{} d/d{}", variables[i], variables[j])
            } else {
                format!("({i}, {j}) d/d{}", variables[j])
            });
            exprs.push(e.expr);
            pattern.push((i, j));
        }
        Entries {
            exprs,
            labels,
            sparsity: Some(Sparsity {
                rows: m.rows,
                cols: m.cols,
                nnz: m.entries.len(),
                pattern,
                symmetric,
            }),
            variables,
            stats: m.stats,
        }
    }

    /// Prints the entries as `format` says, with their values at `point` and the statistics
    /// (text: only when `show_stats`; JSON: always).
    pub fn print(
        &self,
        point: Option<&Point>,
        show_stats: bool,
        format: ReportFormat,
    ) -> Result<(), CliError> {
        let values = point.map(|p| values(&self.exprs, p)).transpose()?;
        match format {
            ReportFormat::Json => output::print_json(&self.json(values.as_deref())),
            ReportFormat::Text => {
                let mut text = self.text(point.zip(values.as_deref()));
                if show_stats {
                    text.push('\n');
                    text += &stats_text(&self.stats);
                }
                output::print(&text)
            }
        }
    }

    /// The block with a `# label` before each entry (and its value, with a point).
    fn text(&self, at: Option<(&Point, &[f64])>) -> String {
        let mut header = String::new();
        let labels: Vec<String> = match at {
            None => self.labels.clone(),
            Some((point, values)) => {
                header = format!("# values at {}\n", output::point_text(point));
                self.labels
                    .iter()
                    .zip(values)
                    .map(|(label, &v)| format!("{label} = {}", output::number(v)))
                    .collect()
            }
        };
        if self.exprs.is_empty() {
            return "# every entry is structurally zero".to_string();
        }
        header + &to_infix_many_with(&self.exprs, &labels, DEFAULT_WIDTH, Sharing::Auto)
    }

    /// The JSON form: the keys in alphabetical order, as a JSON object prints them.
    fn json<'a>(&'a self, values: Option<&'a [f64]>) -> EntriesJson<'a> {
        EntriesJson {
            // The engine measured the result's DAG (entries sharing subexpressions) already.
            dag_nodes: self.stats.simplified.dag,
            entries: self.exprs.len(),
            sparsity: self.sparsity.as_ref().map(|s| SparsityJson {
                cols: s.cols,
                nnz: s.nnz,
                pattern: &s.pattern,
                rows: s.rows,
                symmetric: s.symmetric,
            }),
            stats: &self.stats,
            text: to_infix_many(&self.exprs),
            value: values,
            variables: &self.variables,
        }
    }
}

/// The JSON output of `grad`, `jacobian` and `hessian` (fields in alphabetical order: the order
/// of a JSON object's keys).
#[derive(serde::Serialize)]
struct EntriesJson<'a> {
    dag_nodes: usize,
    entries: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    sparsity: Option<SparsityJson<'a>>,
    /// Serialised as a JSON object (keys in alphabetical order, like the other outputs).
    #[serde(serialize_with = "output::as_json_object")]
    stats: &'a Stats,
    text: String,
    value: Option<&'a [f64]>,
    variables: &'a [String],
}

/// The sparsity pattern in the JSON output (fields in alphabetical order).
#[derive(serde::Serialize)]
struct SparsityJson<'a> {
    cols: usize,
    nnz: usize,
    pattern: &'a [(usize, usize)],
    rows: usize,
    symmetric: bool,
}

/// The value of every entry at `point`, computed in one pass over their shared DAG.
fn values(exprs: &[Expr], point: &Point) -> Result<Vec<f64>, CliError> {
    if exprs.is_empty() {
        return Ok(Vec::new());
    }
    let (names, args): (Vec<&str>, Vec<f64>) = point.iter().unzip();
    let compiled = compile_many(exprs, &names).map_err(|err| match err {
        CompileError::UnknownVariable { name, .. } => {
            CliError::input(format!("bad --at: no value for the variable `{name}`"))
        }
        other => CliError::failed(other.to_string()),
    })?;
    compiled
        .try_call(&args)
        .map_err(|err| CliError::failed(err.to_string()))
}
