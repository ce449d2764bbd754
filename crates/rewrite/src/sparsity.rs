//! Sparse results and sparsity patterns.
//!
//! A [`SparseDerivatives`] holds only the structurally non-zero entries of a Jacobian or Hessian
//! as `(row, column, expression)`, sorted row-major; absent entries are zero and are never
//! built or stored (Rosenbrock's n = 10^4 Hessian is 29,998 entries, not 10^8). A [`Pattern`]
//! is the same positions without expressions; [`jacobian_sparsity`] computes it from the DAG
//! alone, one walk per output over the nodes it depends on.

use crate::error::DiffError;
use crate::pipeline::Derivatives;
use crate::stats::Stats;
use egg::{Language, Symbol};
use serde::Serialize;
use std::collections::HashMap;
use symdiff_expr::{to_recexpr_many, Expr, Math};

/// The largest dense result (rows × columns) [`SparseDerivatives::to_dense`] builds.
pub const MAX_DENSE_ENTRIES: usize = 10_000_000;

/// One structurally non-zero entry of a sparse result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Row (the output, or the first variable of a Hessian).
    pub row: usize,
    /// Column (the variable).
    pub col: usize,
    /// The derivative.
    pub expr: Expr,
}

/// Structurally non-zero entries of a Jacobian or Hessian, row-major, sharing one DAG.
///
/// ```
/// let f = symdiff_expr::parse("x^2*y + z").unwrap();
/// let h = symdiff_rewrite::sparse_hessian(&f, &["x", "y", "z"]).unwrap();
/// let positions: Vec<(usize, usize)> = h.pattern().positions().collect();
/// assert_eq!(positions, [(0, 0), (0, 1), (1, 0)]);
/// assert_eq!(h.get(0, 0).to_string(), "2*y");
/// assert_eq!(h.get(2, 2).to_string(), "0"); // absent: structurally zero
/// assert_eq!(h.stats.nonzeros, Some(3));
/// ```
#[derive(Debug, Clone)]
pub struct SparseDerivatives {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// The non-zero entries, sorted by row, then column.
    pub entries: Vec<Entry>,
    /// What the call measured; sizes count shared subexpressions once across all entries.
    pub stats: Stats,
}

impl SparseDerivatives {
    /// The entry at row `i`, column `j` (the constant 0 where it is structurally zero).
    pub fn get(&self, i: usize, j: usize) -> Expr {
        self.entries
            .binary_search_by(|e| (e.row, e.col).cmp(&(i, j)))
            .map_or_else(|_| Expr::from(0), |k| self.entries[k].expr)
    }

    /// The positions of the non-zero entries.
    pub fn pattern(&self) -> Pattern {
        Pattern {
            rows: self.rows,
            cols: self.cols,
            nonzeros: self.entries.iter().map(|e| (e.row, e.col)).collect(),
        }
    }

    /// The dense, row-major form (zeros filled in).
    ///
    /// # Errors
    /// [`DiffError::DenseTooLarge`] past [`MAX_DENSE_ENTRIES`] entries.
    ///
    /// ```
    /// let f = symdiff_expr::parse("x*y").unwrap();
    /// let j = symdiff_rewrite::sparse_jacobian(&[f], &["x", "y", "z"]).unwrap();
    /// assert_eq!(j.entries.len(), 2);
    /// assert_eq!(j.to_dense().unwrap().entries.len(), 3);
    /// ```
    pub fn to_dense(&self) -> Result<Derivatives, DiffError> {
        let size = self.rows.checked_mul(self.cols);
        if size.is_none_or(|s| s > MAX_DENSE_ENTRIES) {
            return Err(DiffError::DenseTooLarge {
                rows: self.rows,
                cols: self.cols,
                limit: MAX_DENSE_ENTRIES,
            });
        }
        let mut entries = vec![Expr::from(0); self.rows * self.cols];
        for e in &self.entries {
            entries[e.row * self.cols + e.col] = e.expr;
        }
        Ok(Derivatives {
            entries,
            rows: self.rows,
            cols: self.cols,
            stats: self.stats.clone(),
        })
    }
}

/// The positions of the structurally non-zero entries of a `rows × cols` matrix, row-major.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pattern {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// `(row, column)` of each non-zero, sorted.
    pub nonzeros: Vec<(usize, usize)>,
}

impl Pattern {
    /// The positions, row-major.
    pub fn positions(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.nonzeros.iter().copied()
    }

    /// Number of non-zeros.
    pub fn len(&self) -> usize {
        self.nonzeros.len()
    }

    /// True when every entry is structurally zero.
    pub fn is_empty(&self) -> bool {
        self.nonzeros.is_empty()
    }
}

/// The sparsity pattern of the Jacobian of `exprs` with respect to `vars`, from the DAG alone
/// (no derivative is built): entry `(i, j)` is present when `exprs[i]` contains `vars[j]`. One
/// walk per output over the nodes it depends on.
///
/// ```
/// let f = symdiff_expr::parse("sin(x) + y").unwrap();
/// let g = symdiff_expr::parse("z").unwrap();
/// let p = symdiff_rewrite::jacobian_sparsity(&[f, g], &["x", "y", "z"]).unwrap();
/// assert_eq!(p.nonzeros, [(0, 0), (0, 1), (1, 2)]);
/// ```
pub fn jacobian_sparsity(exprs: &[Expr], vars: &[&str]) -> Result<Pattern, DiffError> {
    let names = crate::matrix::check_variables(vars)?;
    let index: HashMap<Symbol, usize> = names
        .iter()
        .enumerate()
        .filter_map(|(j, v)| match v.node() {
            Math::Var(s) => Some((s, j)),
            _ => None,
        })
        .collect();
    let (rec, roots) = to_recexpr_many(exprs);
    let nodes = rec.as_ref();
    let mut column = vec![usize::MAX; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        if let Math::Var(s) = node {
            if let Some(&j) = index.get(s) {
                column[i] = j;
            }
        }
    }
    let mut mark = vec![usize::MAX; nodes.len()];
    let mut nonzeros = Vec::new();
    for (row, &root) in roots.iter().enumerate() {
        let mut found = Vec::new();
        let mut stack = vec![usize::from(root)];
        while let Some(i) = stack.pop() {
            if mark[i] == row {
                continue;
            }
            mark[i] = row;
            if column[i] != usize::MAX {
                found.push(column[i]);
            }
            stack.extend(nodes[i].children().iter().map(|&c| usize::from(c)));
        }
        found.sort_unstable();
        nonzeros.extend(found.into_iter().map(|col| (row, col)));
    }
    Ok(Pattern {
        rows: exprs.len(),
        cols: vars.len(),
        nonzeros,
    })
}
