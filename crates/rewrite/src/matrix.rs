//! Gradients, Jacobians, Hessians and the products `jvp`, `vjp`, `hvp`, built by symbolic sweeps
//! ([`crate::sweep`]) in time linear in the function per sweep, then simplified and extracted
//! like any derivative (see [`Options::saturation_limit`]).
//!
//! - gradient, `vjp`: one reverse sweep;
//! - Jacobian: one reverse sweep per output, or one forward sweep per variable, whichever is
//!   fewer;
//! - Hessian: one reverse sweep (the gradient), then one forward sweep per variable over only
//!   that variable's ancestors in the gradient (forward-over-reverse); `hvp`: one forward sweep
//!   over the gradient.
//!
//! A variable the function does not contain gives a structural zero; a variable listed twice is
//! [`DiffError::RepeatedVariable`].

use crate::dag::Dag;
use crate::error::DiffError;
use crate::pipeline::{finish, simplify_with, variable, Built, Derivatives, Options};
use crate::sparsity::{Entry, SparseDerivatives};
use crate::stats::Size;
use crate::sweep::Sweeps;
use egg::Id;
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use symdiff_expr::{check_variable_name, Expr, Math};

/// The variables named `vars`; an error if a name is not a variable or is repeated.
pub(crate) fn check_variables(vars: &[&str]) -> Result<Vec<Expr>, DiffError> {
    let mut seen = HashSet::with_capacity(vars.len());
    vars.iter()
        .map(|&name| {
            let v = variable(name)?;
            if !seen.insert(v) {
                return Err(DiffError::RepeatedVariable(name.to_string()));
            }
            Ok(v)
        })
        .collect()
}

/// The ids in `dag` of the variables named `names` (checked names): the input's own variable
/// leaves are found by name (one string lookup each, no store lookup), the others are added;
/// a repeated name is an error.
fn variables_in(dag: &mut Dag, names: &[&str]) -> Result<Vec<Id>, DiffError> {
    let by_name: HashMap<&str, Id> = dag
        .rec()
        .as_ref()
        .iter()
        .enumerate()
        .filter_map(|(i, node)| match node {
            Math::Var(s) => Some((s.as_str(), Id::from(i))),
            _ => None,
        })
        .collect();
    let mut seen = HashSet::with_capacity(names.len());
    names
        .iter()
        .map(|&name| {
            let id = match by_name.get(name) {
                Some(&id) => id,
                None => dag.adopt(variable(name)?),
            };
            if !seen.insert(id) {
                return Err(DiffError::RepeatedVariable(name.to_string()));
            }
            Ok(id)
        })
        .collect()
}

/// The inputs of a call in one [`Dag`].
struct Problem {
    dag: Dag,
    /// The functions' roots.
    roots: Vec<Id>,
    /// Roots of the extra expressions (tangents, cotangents, vectors).
    extra: Vec<Id>,
    /// The variables (interned even when absent from the functions).
    vars: Vec<Id>,
    input: Size,
    start: Instant,
}

impl Problem {
    fn new(
        exprs: &[Expr],
        extra: &[Expr],
        vars: &[&str],
        options: &Options,
    ) -> Result<Problem, DiffError> {
        let start = Instant::now();
        if vars.is_empty() || exprs.is_empty() {
            return Err(DiffError::Empty(
                "a derivative needs at least one expression and one variable",
            ));
        }
        for &name in vars {
            check_variable_name(name).map_err(|_| DiffError::NotAVariable(name.to_string()))?;
        }
        let mut all: Vec<Expr> = exprs.iter().chain(extra).copied().collect();
        let (mut dag, mut roots) = Dag::of(&all);
        if dag.rec().as_ref().iter().any(|n| matches!(n, Math::D(_))) {
            // Derivatives written in the input are evaluated first (forward rules).
            let raw = Options {
                simplify: false,
                ..options.clone()
            };
            for e in &mut all {
                *e = simplify_with(e, &raw)?.expr;
            }
            (dag, roots) = Dag::of(&all);
        }
        if dag.len() > options.sweep_node_limit {
            return Err(DiffError::SweepTooLarge {
                nodes: dag.len(),
                limit: options.sweep_node_limit,
            });
        }
        let input = Size::of_rec(dag.rec(), &roots[..exprs.len()]);
        let extra = roots.split_off(exprs.len());
        let vars = variables_in(&mut dag, vars)?;
        Ok(Problem {
            dag,
            roots,
            extra,
            vars,
            input,
            start,
        })
    }

    fn sweeps(&self, options: &Options) -> Result<Sweeps, DiffError> {
        Sweeps::new(&self.dag, &self.vars, options.sweep_node_limit)
    }

    /// Sweeps whose forward sweeps visit the nodes `roots` depend on.
    fn forward_sweeps(&self, roots: &[Id], options: &Options) -> Result<Sweeps, DiffError> {
        let mut sweeps = self.sweeps(options)?;
        sweeps.set_forward_roots(&self.dag, roots)?;
        Ok(sweeps)
    }

    /// The gradient of the first function (one reverse sweep: `(variable index, entry)` for
    /// each structurally non-zero entry), and forward sweeps over it (forward-over-reverse).
    fn gradient_then_forward(
        &mut self,
        options: &Options,
    ) -> Result<(Vec<(usize, Id)>, Sweeps), DiffError> {
        let one = self.dag.num(1);
        let seed = [(self.roots[0], one)];
        let gradient = self.sweeps(options)?.reverse(&mut self.dag, &seed)?;
        let outputs: Vec<Id> = gradient.iter().map(|&(_, g)| g).collect();
        Ok((gradient, self.forward_sweeps(&outputs, options)?))
    }

    /// Each variable seeded with its extra expression (a tangent, or the vector of `hvp`).
    fn variable_seeds(&self) -> Vec<(Id, Id)> {
        self.vars.iter().copied().zip(self.extra.clone()).collect()
    }

    /// Simplifies and extracts the entries (row, column, root) of a `rows × cols` result.
    fn finish(
        self,
        mut entries: Vec<(usize, usize, Id)>,
        rows: usize,
        cols: usize,
        options: &Options,
    ) -> Result<SparseDerivatives, DiffError> {
        entries.sort_unstable_by_key(|&(i, j, _)| (i, j));
        let differentiate = self.start.elapsed();
        let roots: Vec<Id> = entries.iter().map(|e| e.2).collect();
        let built = Built {
            dag: self.dag,
            roots,
            input: self.input,
            start: self.start,
            differentiate,
            nonzeros: Some(entries.len()),
        };
        let (exprs, mut stats) = finish(built, options)?;
        // Simplification may prove an entry zero (d²/dx² ln(z^x)): it is then not stored.
        let zero = Expr::from(0);
        let entries: Vec<Entry> = entries
            .iter()
            .zip(exprs)
            .filter(|(_, expr)| *expr != zero)
            .map(|(&(row, col, _), expr)| Entry { row, col, expr })
            .collect();
        stats.nonzeros = Some(entries.len());
        Ok(SparseDerivatives {
            rows,
            cols,
            entries,
            stats,
        })
    }
}

/// The gradient of `expr`: one entry per variable, by one symbolic reverse sweep (all entries
/// share one DAG of a few times `expr`'s size).
///
/// ```
/// let f = symdiff_expr::parse("x1*x2 + x2 - ln(x1)").unwrap();
/// let g = symdiff_rewrite::gradient(&f, &["x1", "x2"]).unwrap();
/// assert_eq!(g.entries[1].to_string(), "x1 + 1");
/// ```
pub fn gradient(expr: &Expr, vars: &[&str]) -> Result<Derivatives, DiffError> {
    gradient_with(expr, vars, &Options::default())
}

/// [`gradient`] with explicit [`Options`].
pub fn gradient_with(
    expr: &Expr,
    vars: &[&str],
    options: &Options,
) -> Result<Derivatives, DiffError> {
    sparse_jacobian_with(&[*expr], vars, options)?.to_dense()
}

/// The Jacobian of `exprs` (rows) with respect to `vars` (columns), dense.
///
/// ```
/// let f = symdiff_expr::parse("x*y").unwrap();
/// let g = symdiff_expr::parse("x + y").unwrap();
/// let j = symdiff_rewrite::jacobian(&[f, g], &["x", "y"]).unwrap();
/// assert_eq!((j.rows, j.cols), (2, 2));
/// assert_eq!(j.get(0, 0).to_string(), "y");
/// ```
pub fn jacobian(exprs: &[Expr], vars: &[&str]) -> Result<Derivatives, DiffError> {
    jacobian_with(exprs, vars, &Options::default())
}

/// [`jacobian`] with explicit [`Options`].
pub fn jacobian_with(
    exprs: &[Expr],
    vars: &[&str],
    options: &Options,
) -> Result<Derivatives, DiffError> {
    sparse_jacobian_with(exprs, vars, options)?.to_dense()
}

/// The structurally non-zero entries of the Jacobian of `exprs` with respect to `vars`: one
/// reverse sweep per output, or one forward sweep per variable if there are fewer variables.
///
/// ```
/// let f = symdiff_expr::parse("x*y").unwrap();
/// let g = symdiff_expr::parse("sin(z)").unwrap();
/// let j = symdiff_rewrite::sparse_jacobian(&[f, g], &["x", "y", "z"]).unwrap();
/// let entries: Vec<String> = j.entries.iter().map(|e| format!("{} {} {}", e.row, e.col, e.expr)).collect();
/// assert_eq!(entries, ["0 0 y", "0 1 x", "1 2 cos(z)"]);
/// ```
pub fn sparse_jacobian(exprs: &[Expr], vars: &[&str]) -> Result<SparseDerivatives, DiffError> {
    sparse_jacobian_with(exprs, vars, &Options::default())
}

/// [`sparse_jacobian`] with explicit [`Options`].
pub fn sparse_jacobian_with(
    exprs: &[Expr],
    vars: &[&str],
    options: &Options,
) -> Result<SparseDerivatives, DiffError> {
    let mut p = Problem::new(exprs, &[], vars, options)?;
    let one = p.dag.num(1);
    let mut entries = Vec::new();
    if exprs.len() <= vars.len() {
        let mut sweeps = p.sweeps(options)?;
        for (i, &root) in p.roots.clone().iter().enumerate() {
            let adjoints = sweeps.reverse(&mut p.dag, &[(root, one)])?;
            entries.extend(adjoints.into_iter().map(|(j, a)| (i, j, a)));
        }
    } else {
        let mut sweeps = p.forward_sweeps(&p.roots, options)?;
        for (j, &v) in p.vars.clone().iter().enumerate() {
            let tangents = sweeps.forward(&mut p.dag, &[(v, one)])?;
            entries.extend(tangents.into_iter().map(|(i, t)| (i, j, t)));
        }
    }
    p.finish(entries, exprs.len(), vars.len(), options)
}

/// The Hessian of `expr`, dense (symmetric: `get(i, j) == get(j, i)`).
///
/// ```
/// let f = symdiff_expr::parse("x^2*y").unwrap();
/// let h = symdiff_rewrite::hessian(&f, &["x", "y"]).unwrap();
/// assert_eq!(h.get(0, 0).to_string(), "2*y");
/// assert_eq!(h.get(0, 1), h.get(1, 0));
/// ```
pub fn hessian(expr: &Expr, vars: &[&str]) -> Result<Derivatives, DiffError> {
    hessian_with(expr, vars, &Options::default())
}

/// [`hessian`] with explicit [`Options`].
pub fn hessian_with(
    expr: &Expr,
    vars: &[&str],
    options: &Options,
) -> Result<Derivatives, DiffError> {
    sparse_hessian_with(expr, vars, options)?.to_dense()
}

/// The structurally non-zero entries of the Hessian of `expr` (both triangles; `(i, j)` and
/// `(j, i)` hold the same expression): forward-over-reverse, one forward sweep per variable
/// over only that variable's ancestors in the gradient.
///
/// ```
/// let f = symdiff_expr::parse("x*y + z^3").unwrap();
/// let h = symdiff_rewrite::sparse_hessian(&f, &["x", "y", "z"]).unwrap();
/// let entries: Vec<String> = h.entries.iter().map(|e| format!("{} {} {}", e.row, e.col, e.expr)).collect();
/// assert_eq!(entries, ["0 1 1", "1 0 1", "2 2 6*z"]);
/// ```
pub fn sparse_hessian(expr: &Expr, vars: &[&str]) -> Result<SparseDerivatives, DiffError> {
    sparse_hessian_with(expr, vars, &Options::default())
}

/// [`sparse_hessian`] with explicit [`Options`].
pub fn sparse_hessian_with(
    expr: &Expr,
    vars: &[&str],
    options: &Options,
) -> Result<SparseDerivatives, DiffError> {
    let mut p = Problem::new(&[*expr], &[], vars, options)?;
    let (gradient, mut sweeps) = p.gradient_then_forward(options)?;
    let one = p.dag.num(1);
    let mut entries = Vec::new();
    for (j, &v) in p.vars.clone().iter().enumerate() {
        for (k, t) in sweeps.forward(&mut p.dag, &[(v, one)])? {
            let i = gradient[k].0;
            if i >= j {
                entries.push((i, j, t));
                if i != j {
                    entries.push((j, i, t));
                }
            }
        }
    }
    let n = vars.len();
    p.finish(entries, n, n, options)
}

/// The Jacobian-vector product `J·v` of `exprs` with respect to `vars` (one entry per
/// expression, a column), by one forward sweep with tangent `tangent[j]` on `vars[j]`.
///
/// ```
/// use symdiff_expr::{parse, var};
/// let f = parse("x*y").unwrap();
/// let jv = symdiff_rewrite::jvp(&[f], &["x", "y"], &[var("u"), var("v")]).unwrap();
/// let at = "x=2,y=3,u=5,v=7".parse().unwrap();
/// assert_eq!(jv.entries[0].eval(&at).unwrap(), 3.0 * 5.0 + 2.0 * 7.0);
/// ```
pub fn jvp(exprs: &[Expr], vars: &[&str], tangent: &[Expr]) -> Result<Derivatives, DiffError> {
    jvp_with(exprs, vars, tangent, &Options::default())
}

/// [`jvp`] with explicit [`Options`].
pub fn jvp_with(
    exprs: &[Expr],
    vars: &[&str],
    tangent: &[Expr],
    options: &Options,
) -> Result<Derivatives, DiffError> {
    same_length(vars, tangent, "jvp needs one tangent per variable")?;
    let mut p = Problem::new(exprs, tangent, vars, options)?;
    let seeds = p.variable_seeds();
    let column = p
        .forward_sweeps(&p.roots, options)?
        .forward(&mut p.dag, &seeds)?;
    let entries = column.into_iter().map(|(i, t)| (i, 0, t)).collect();
    p.finish(entries, exprs.len(), 1, options)?.to_dense()
}

/// The vector-Jacobian product `wᵀ·J` of `exprs` with respect to `vars` (one entry per
/// variable, a row), by one reverse sweep seeded with `cotangent[i]` on `exprs[i]`.
///
/// ```
/// use symdiff_expr::{parse, var};
/// let f = parse("x*y").unwrap();
/// let g = parse("x + y").unwrap();
/// let wj = symdiff_rewrite::vjp(&[f, g], &["x", "y"], &[var("a"), var("b")]).unwrap();
/// let at = "x=2,y=3,a=5,b=7".parse().unwrap();
/// assert_eq!(wj.entries[0].eval(&at).unwrap(), 5.0 * 3.0 + 7.0);
/// ```
pub fn vjp(exprs: &[Expr], vars: &[&str], cotangent: &[Expr]) -> Result<Derivatives, DiffError> {
    vjp_with(exprs, vars, cotangent, &Options::default())
}

/// [`vjp`] with explicit [`Options`].
pub fn vjp_with(
    exprs: &[Expr],
    vars: &[&str],
    cotangent: &[Expr],
    options: &Options,
) -> Result<Derivatives, DiffError> {
    same_length(exprs, cotangent, "vjp needs one cotangent per expression")?;
    let mut p = Problem::new(exprs, cotangent, vars, options)?;
    let seeds: Vec<(Id, Id)> = p.roots.iter().copied().zip(p.extra.clone()).collect();
    let row = p.sweeps(options)?.reverse(&mut p.dag, &seeds)?;
    let entries = row.into_iter().map(|(j, a)| (0, j, a)).collect();
    p.finish(entries, 1, vars.len(), options)?.to_dense()
}

/// The Hessian-vector product `H·v` of `expr` (one entry per variable, a column):
/// forward-over-reverse, one reverse and one forward sweep, without forming `H`.
///
/// ```
/// use symdiff_expr::{parse, var};
/// let f = parse("x^2*y").unwrap();
/// let hv = symdiff_rewrite::hvp(&f, &["x", "y"], &[var("u"), var("v")]).unwrap();
/// let at = "x=2,y=3,u=5,v=7".parse().unwrap();
/// // H = [[2y, 2x], [2x, 0]]
/// assert_eq!(hv.entries[0].eval(&at).unwrap(), 6.0 * 5.0 + 4.0 * 7.0);
/// assert_eq!(hv.entries[1].eval(&at).unwrap(), 4.0 * 5.0);
/// ```
pub fn hvp(expr: &Expr, vars: &[&str], vector: &[Expr]) -> Result<Derivatives, DiffError> {
    hvp_with(expr, vars, vector, &Options::default())
}

/// [`hvp`] with explicit [`Options`].
pub fn hvp_with(
    expr: &Expr,
    vars: &[&str],
    vector: &[Expr],
    options: &Options,
) -> Result<Derivatives, DiffError> {
    same_length(vars, vector, "hvp needs one vector entry per variable")?;
    let mut p = Problem::new(&[*expr], vector, vars, options)?;
    let (gradient, mut sweeps) = p.gradient_then_forward(options)?;
    let seeds = p.variable_seeds();
    let column = sweeps.forward(&mut p.dag, &seeds)?;
    let entries = column
        .into_iter()
        .map(|(k, t)| (gradient[k].0, 0, t))
        .collect();
    p.finish(entries, vars.len(), 1, options)?.to_dense()
}

fn same_length<A, B>(a: &[A], b: &[B], what: &'static str) -> Result<(), DiffError> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(DiffError::Empty(what))
    }
}
