//! `d`, `d_n`, `gradient`, `jacobian`, `hessian`, `simplify`: the derivative API of
//! `symdiff-rewrite`, with the GIL released while the e-graph works.
//!
//! Each takes `stats=False`; with `stats=True` it returns `(result, stats)` where `stats` is the
//! dict of `symdiff_rewrite::Stats` (input, raw and simplified sizes, e-graph figures, times in
//! milliseconds), the same JSON the command line prints, and the simplification budget as
//! keywords: `simplify=True` (False: the raw derivative), `time_limit` (seconds, default 0.1),
//! `iter_limit` (default 4), `node_limit` (default 50,000). A budget that runs out still gives a
//! correct, perhaps less simplified, result.

use crate::convert::{self, Text};
use crate::errors::diff_error;
use crate::expr::{to_python, PyExpr};
use pyo3::exceptions::PyTypeError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::time::Duration;
use symdiff_expr::Expr;
use symdiff_rewrite::{DiffError, Options, Stats};

/// The keyword arguments every derivative function takes besides `stats`: the budget of the
/// simplification phase (`symdiff_rewrite::Options`). `simplify=False` returns the raw
/// derivative (differentiation rules only, already shared as a DAG).
#[derive(Clone, Copy)]
pub struct Budget {
    simplify: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
}

impl Budget {
    /// The budget from the keyword arguments (`None`: the default of `symdiff_rewrite::Options`).
    pub fn new(
        simplify: bool,
        time_limit: Option<f64>,
        iter_limit: Option<usize>,
        node_limit: Option<usize>,
    ) -> Budget {
        Budget {
            simplify,
            time_limit,
            iter_limit,
            node_limit,
        }
    }

    /// Runs `job` under these options with the GIL released, turning its error into the
    /// Python exception.
    fn run<T: Send>(
        self,
        py: Python<'_>,
        job: impl FnOnce(&Options) -> Result<T, DiffError> + Send,
    ) -> PyResult<T> {
        let options = self.options()?;
        py.detach(|| job(&options)).map_err(diff_error)
    }

    /// The options with the defaults of `symdiff_rewrite::Options` where not given.
    fn options(self) -> PyResult<Options> {
        let mut o = Options {
            simplify: self.simplify,
            ..Options::default()
        };
        if let Some(t) = self.time_limit {
            o.time_limit = Duration::try_from_secs_f64(t).map_err(|_| {
                PyValueError::new_err(format!(
                    "time_limit must be a number of seconds >= 0, got {t}"
                ))
            })?;
        }
        if let Some(i) = self.iter_limit {
            o.iter_limit = i;
        }
        if let Some(n) = self.node_limit {
            o.node_limit = n;
        }
        Ok(o)
    }
}

/// The result alone, or `(result, stats_dict)`.
fn with_stats(py: Python<'_>, result: Py<PyAny>, stats: &Stats, want: bool) -> PyResult<Py<PyAny>> {
    if want {
        let dict = to_python(py, stats)?;
        Ok(PyTuple::new(py, [result, dict])?.into_any().unbind())
    } else {
        Ok(result)
    }
}

fn expr_list(py: Python<'_>, exprs: &[Expr]) -> PyResult<Py<PyAny>> {
    let items: Vec<PyExpr> = exprs.iter().map(|&e| e.into()).collect();
    Ok(pyo3::types::PyList::new(py, items)?.into_any().unbind())
}

fn matrix(py: Python<'_>, entries: &[Expr], cols: usize) -> PyResult<Py<PyAny>> {
    let rows = pyo3::types::PyList::empty(py);
    for row in entries.chunks(cols.max(1)) {
        rows.append(expr_list(py, row)?)?;
    }
    Ok(rows.into_any().unbind())
}

/// Borrowed names, as the `symdiff_rewrite` functions take them.
fn refs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// The successive derivative of `expr` by each of `vars` (at least one).
pub fn derivative(
    py: Python<'_>,
    expr: Expr,
    vars: &Bound<'_, PyTuple>,
    budget: Budget,
) -> PyResult<(Expr, Stats)> {
    if vars.is_empty() {
        return Err(PyTypeError::new_err(
            "d() needs at least one variable to differentiate by",
        ));
    }
    let names = vars
        .iter()
        .map(|v| convert::var_name(&v))
        .collect::<PyResult<Vec<String>>>()?;
    let r = budget.run(py, |o| symdiff_rewrite::d_with(&expr, &refs(&names), o))?;
    Ok((r.expr, r.stats))
}

/// `d(expr, *vars, stats=False)`: the derivative of `expr` with respect to each variable in
/// turn (`d(f, "x", "y")` is ∂²f/∂x∂y), simplified.
///
/// `expr` may be an `Expr`, a number or a string (parsed); variables are names or variable
/// `Expr`s. With `stats=True`, returns `(derivative, stats_dict)`.
///
/// >>> import symdiff
/// >>> str(symdiff.d("x^3 - 7*x^2", "x"))
/// 'x*(3*x - 14)'
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (expr, *vars, stats=false, simplify=true, time_limit=None, iter_limit=None, node_limit=None))]
pub fn d(
    py: Python<'_>,
    expr: &Bound<'_, PyAny>,
    vars: &Bound<'_, PyTuple>,
    stats: bool,
    simplify: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let budget = Budget::new(simplify, time_limit, iter_limit, node_limit);
    let expr = convert::expr(expr, Text::Parse)?;
    let (result, s) = derivative(py, expr, vars, budget)?;
    with_stats(py, PyExpr::object(py, result)?, &s, stats)
}

/// `d_n(expr, var, n, stats=False)`: the `n`-th derivative with respect to `var` (`n = 0`
/// simplifies `expr`).
///
/// >>> import symdiff
/// >>> symdiff.d_n("x^4", "x", 2).eval(x=2.0)
/// 48.0
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (expr, var, n, stats=false, simplify=true, time_limit=None, iter_limit=None, node_limit=None))]
pub fn d_n(
    py: Python<'_>,
    expr: &Bound<'_, PyAny>,
    var: &Bound<'_, PyAny>,
    n: usize,
    stats: bool,
    simplify: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let budget = Budget::new(simplify, time_limit, iter_limit, node_limit);
    let expr = convert::expr(expr, Text::Parse)?;
    let name = convert::var_name(var)?;
    let r = budget.run(py, |o| {
        if n == 0 {
            symdiff_rewrite::simplify_with(&expr, o)
        } else {
            symdiff_rewrite::d_with(&expr, &vec![name.as_str(); n], o)
        }
    })?;
    with_stats(py, PyExpr::object(py, r.expr)?, &r.stats, stats)
}

/// `gradient(expr, vars, stats=False)`: the list of partial derivatives, one per variable,
/// computed together so they share subexpressions.
///
/// >>> import symdiff
/// >>> [str(g) for g in symdiff.gradient("x*y + y", ["x", "y"])]
/// ['y', 'x + 1']
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (expr, vars, stats=false, simplify=true, time_limit=None, iter_limit=None, node_limit=None))]
pub fn gradient(
    py: Python<'_>,
    expr: &Bound<'_, PyAny>,
    vars: &Bound<'_, PyAny>,
    stats: bool,
    simplify: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let budget = Budget::new(simplify, time_limit, iter_limit, node_limit);
    let expr = convert::expr(expr, Text::Parse)?;
    let names = convert::var_names(vars)?;
    let r = budget.run(py, |o| {
        symdiff_rewrite::gradient_with(&expr, &refs(&names), o)
    })?;
    with_stats(py, expr_list(py, &r.entries)?, &r.stats, stats)
}

/// `jacobian(exprs, vars, stats=False)`: the Jacobian as a list of rows (one per expression),
/// each a list of partial derivatives (one per variable).
///
/// >>> import symdiff
/// >>> [[str(e) for e in row] for row in symdiff.jacobian(["x*y", "x + y"], ["x", "y"])]
/// [['y', 'x'], ['1', '1']]
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (exprs, vars, stats=false, simplify=true, time_limit=None, iter_limit=None, node_limit=None))]
pub fn jacobian(
    py: Python<'_>,
    exprs: &Bound<'_, PyAny>,
    vars: &Bound<'_, PyAny>,
    stats: bool,
    simplify: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let budget = Budget::new(simplify, time_limit, iter_limit, node_limit);
    let exprs = convert::exprs(exprs, Text::Parse)?;
    let names = convert::var_names(vars)?;
    let r = budget.run(py, |o| {
        symdiff_rewrite::jacobian_with(&exprs, &refs(&names), o)
    })?;
    with_stats(py, matrix(py, &r.entries, r.cols)?, &r.stats, stats)
}

/// `hessian(expr, vars, stats=False)`: the matrix of second partial derivatives as a list of
/// rows (symmetric: entry `[i][j]` is entry `[j][i]`).
///
/// >>> import symdiff
/// >>> [[str(e) for e in row] for row in symdiff.hessian("x^2*y", ["x", "y"])]
/// [['2*y', '2*x'], ['2*x', '0']]
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (expr, vars, stats=false, simplify=true, time_limit=None, iter_limit=None, node_limit=None))]
pub fn hessian(
    py: Python<'_>,
    expr: &Bound<'_, PyAny>,
    vars: &Bound<'_, PyAny>,
    stats: bool,
    simplify: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let budget = Budget::new(simplify, time_limit, iter_limit, node_limit);
    let expr = convert::expr(expr, Text::Parse)?;
    let names = convert::var_names(vars)?;
    let r = budget.run(py, |o| {
        symdiff_rewrite::hessian_with(&expr, &refs(&names), o)
    })?;
    with_stats(py, matrix(py, &r.entries, r.cols)?, &r.stats, stats)
}

/// `simplify(expr, stats=False)`: an equal expression that is never a larger DAG (evaluating
/// any `d(x, ...)` it contains first).
///
/// >>> import symdiff
/// >>> str(symdiff.simplify("x*1 + 0*y - (x - x)"))
/// 'x'
#[pyfunction]
#[pyo3(signature = (expr, stats=false, time_limit=None, iter_limit=None, node_limit=None))]
pub fn simplify(
    py: Python<'_>,
    expr: &Bound<'_, PyAny>,
    stats: bool,
    time_limit: Option<f64>,
    iter_limit: Option<usize>,
    node_limit: Option<usize>,
) -> PyResult<Py<PyAny>> {
    let budget = Budget::new(true, time_limit, iter_limit, node_limit);
    let expr = convert::expr(expr, Text::Parse)?;
    let r = budget.run(py, |o| symdiff_rewrite::simplify_with(&expr, o))?;
    with_stats(py, PyExpr::object(py, r.expr)?, &r.stats, stats)
}
