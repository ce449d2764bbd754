//! The `symdiff` Python package's native module, `symdiff._symdiff` (PyO3).
//!
//! The pure-Python part of the package (`python/symdiff/`) re-exports these and adds the
//! function wrappers (`symdiff.sin`, ...), the SymPy interop and the exception classes. Built
//! and installed by maturin: `pip install ./crates/python`.
//!
//! - `expr.rs` — `Expr` (`symdiff.Expr`): operators, printing, evaluation, pickling.
//! - `derivatives.rs` — `d`, `d_n`, `gradient`, `jacobian`, `hessian`, `simplify`.
//! - `lambdify.rs` — `lambdify` and `Lambdified`: compiled NumPy kernels.
//! - `convert.rs` — Python values as expressions and variable names.
//! - `errors.rs` — Rust errors as Python exceptions.
//! - `bench.rs` — the Rust side of the benchmark script.
//! - `memory.rs` — the size of the expression store, for the memory test.

mod bench;
mod convert;
mod derivatives;
mod errors;
mod expr;
mod lambdify;
mod memory;

use crate::convert::Text;
use crate::expr::PyExpr;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use symdiff_expr::egg::FromOp;
use symdiff_expr::{Expr, Func, Math};

/// `parse(text)`: an expression from infix text such as `"4*(cos(x) + 2*x - exp(x))^2"`
/// (also `name = expr;` bindings as printed for shared DAGs). Raises `symdiff.ParseError`, a
/// `ValueError` whose message shows the line with a caret under the culprit.
///
/// >>> import symdiff
/// >>> str(symdiff.parse("x1*x2 + x2 - ln(x1)"))
/// 'x1*x2 + x2 - ln(x1)'
#[pyfunction]
fn parse(py: Python<'_>, text: &str) -> PyResult<PyExpr> {
    py.detach(|| symdiff_expr::parse(text))
        .map(PyExpr::from)
        .map_err(errors::parse_error)
}

/// `var(name)`: the variable `name` (an identifier that is not a function or a constant).
///
/// >>> import symdiff
/// >>> str(symdiff.var("theta") ** 2)
/// 'theta^2'
#[pyfunction]
fn var(name: &str) -> PyResult<PyExpr> {
    convert::checked_var(name).map(PyExpr::from)
}

/// `apply(op, *args)`: the operator or function `op` (its s-expression name: `"sin"`, `"+"`,
/// ...) applied to `args` (expressions or numbers). The functions `symdiff.sin`, ... call it;
/// `from_sympy` builds with it.
///
/// >>> import symdiff
/// >>> str(symdiff.apply("sin", symdiff.var("x")))
/// 'sin(x)'
#[pyfunction]
#[pyo3(signature = (op, *args))]
fn apply(op: &str, args: &Bound<'_, PyTuple>) -> PyResult<PyExpr> {
    let children = args
        .iter()
        .map(|a| convert::expr(&a, Text::Refuse))
        .collect::<PyResult<Vec<Expr>>>()?;
    if children.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "`{op}` needs at least one argument"
        )));
    }
    let ids = children.iter().map(|c| c.id()).collect();
    let node = Math::from_op(op, ids).map_err(|_| {
        PyValueError::new_err(format!(
            "`{op}` is not an operator or function of {} argument{}",
            children.len(),
            if children.len() == 1 { "" } else { "s" }
        ))
    })?;
    Ok(Expr::from_node(node).into())
}

/// `function_names()`: the names of the language's functions (`sin`, `cos`, ..., `ln`,
/// `sqrt`); `symdiff.<name>` exists for each.
#[pyfunction]
fn function_names() -> Vec<&'static str> {
    Func::ALL.iter().map(|f| f.name()).collect()
}

/// Symbolic differentiation in an e-graph: exact derivatives, compiled to fast NumPy kernels.
#[pymodule]
fn _symdiff(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyExpr>()?;
    m.add_class::<lambdify::Lambdified>()?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(var, m)?)?;
    m.add_function(wrap_pyfunction!(apply, m)?)?;
    m.add_function(wrap_pyfunction!(function_names, m)?)?;
    m.add_function(wrap_pyfunction!(derivatives::d, m)?)?;
    m.add_function(wrap_pyfunction!(derivatives::d_n, m)?)?;
    m.add_function(wrap_pyfunction!(derivatives::gradient, m)?)?;
    m.add_function(wrap_pyfunction!(derivatives::jacobian, m)?)?;
    m.add_function(wrap_pyfunction!(derivatives::hessian, m)?)?;
    m.add_function(wrap_pyfunction!(derivatives::simplify, m)?)?;
    m.add_function(wrap_pyfunction!(lambdify::lambdify, m)?)?;
    m.add_function(wrap_pyfunction!(bench::_time_rust_batch, m)?)?;
    m.add_function(wrap_pyfunction!(memory::_store_nodes, m)?)?;
    m.add("pi", PyExpr::from(Expr::pi()))?;
    m.add("E", PyExpr::from(Expr::e()))?;
    Ok(())
}
