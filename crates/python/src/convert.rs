//! Python values as expressions and variable names.

use crate::errors::parse_error;
use crate::expr::PyExpr;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use std::str::FromStr;
use symdiff_expr::{constant, parse, try_var, Constant, Expr};

/// Whether a Python `str` is accepted where an expression is expected (and parsed).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Parse strings (top-level functions such as `d("x^2", "x")`, like SymPy's `sympify`).
    Parse,
    /// Refuse strings (arithmetic: `x + "y"` is a `TypeError`, as for numbers and strings).
    Refuse,
}

/// An expression from an `Expr`, a Python `int` (exact), a `float` (its shortest decimal form,
/// exactly: `0.1` is 1/10, as typed), or a `str` when `text` allows.
///
/// Returns `Ok(None)` for any other type, so operators can return `NotImplemented`.
pub fn try_expr(obj: &Bound<'_, PyAny>, text: Text) -> PyResult<Option<Expr>> {
    if let Ok(e) = obj.cast::<PyExpr>() {
        return Ok(Some(e.get().expr));
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Some(Expr::from(i64::from(obj.extract::<bool>()?))));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(small) = obj.extract::<i64>() {
            return Ok(Some(Expr::from(small)));
        }
        let digits = obj.str()?.to_string();
        let c = Constant::from_str(&digits).map_err(|e| PyValueError::new_err(e.to_string()))?;
        return Ok(Some(constant(c)));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float_expr(f.value()).map(Some);
    }
    if text == Text::Parse {
        if let Ok(s) = obj.cast::<PyString>() {
            return parse(s.to_str()?).map(Some).map_err(parse_error);
        }
    }
    Ok(None)
}

/// As [`try_expr`], with a `TypeError` naming the type for anything else.
pub fn expr(obj: &Bound<'_, PyAny>, text: Text) -> PyResult<Expr> {
    try_expr(obj, text)?.ok_or_else(|| {
        let name = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        PyTypeError::new_err(format!(
            "expected a symdiff.Expr, an int, a float{}, got {name}",
            if text == Text::Parse { " or a str" } else { "" }
        ))
    })
}

/// Expressions from a sequence of expression-like values.
pub fn exprs(obj: &Bound<'_, PyAny>, text: Text) -> PyResult<Vec<Expr>> {
    if obj.is_instance_of::<PyString>() {
        return Ok(vec![expr(obj, text)?]);
    }
    obj.try_iter()?
        .map(|item| expr(&item?, text))
        .collect::<PyResult<Vec<Expr>>>()
}

/// The exact constant of a finite float, read from its shortest round-trip decimal form.
pub fn float_expr(f: f64) -> PyResult<Expr> {
    if !f.is_finite() {
        return Err(PyValueError::new_err(format!(
            "{f} is not a finite number and cannot be a symdiff constant"
        )));
    }
    let c =
        Constant::from_str(&format!("{f:e}")).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(constant(c))
}

/// A variable name from a `str` or a variable `Expr`, checked by [`checked_var`].
pub fn var_name(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(e) = obj.cast::<PyExpr>() {
        return e
            .get()
            .expr
            .as_var()
            .ok_or_else(|| PyValueError::new_err(format!("`{}` is not a variable", e.get().expr)));
    }
    let name: String = obj.extract().map_err(|_| {
        PyTypeError::new_err("a variable is given by its name (a str) or as a symdiff.Expr")
    })?;
    checked_var(&name)?;
    Ok(name)
}

/// The variable `name`, or a `ValueError` saying why `name` is not a variable name (the one
/// rule of `symdiff_expr::check_variable_name`: an identifier that is not a function or a named
/// constant), so that it prints and reads back.
pub fn checked_var(name: &str) -> PyResult<Expr> {
    try_var(name).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Variable names from one name/variable or a sequence of them.
pub fn var_names(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() || obj.cast::<PyExpr>().is_ok() {
        return Ok(vec![var_name(obj)?]);
    }
    obj.try_iter()?
        .map(|item| var_name(&item?))
        .collect::<PyResult<Vec<String>>>()
}
