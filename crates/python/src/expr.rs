//! `symdiff.Expr`: a Python handle to a hash-consed expression.

use crate::convert::{self, Text};
use crate::errors::{eval_error, json_error, parse_error};
use pyo3::exceptions::{PyValueError, PyZeroDivisionError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use symdiff_expr::egg::Language;
use symdiff_expr::{parse, BinOp, Expr, Math, Point};

/// A symbolic expression (an immutable handle to a node of a shared, hash-consed DAG).
///
/// Build one with `symdiff.parse`, `symdiff.var`, arithmetic (`+ - * / **` with numbers and
/// other expressions) and the functions (`symdiff.sin`, ...). Equal expressions are the same
/// node, so `==` is structural equality and costs O(1); expressions are hashable.
///
/// >>> import symdiff
/// >>> x = symdiff.var("x")
/// >>> f = x * symdiff.sin(x) + 3
/// >>> str(f)
/// 'x*sin(x) + 3'
/// >>> f == symdiff.parse("x*sin(x) + 3")
/// True
/// >>> f.eval(x=0.0)
/// 3.0
#[pyclass(frozen, module = "symdiff", name = "Expr")]
pub struct PyExpr {
    pub expr: Expr,
}

impl PyExpr {
    /// A new Python object for `expr`.
    pub fn object(py: Python<'_>, expr: Expr) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PyExpr { expr })?.into_any())
    }
}

impl From<Expr> for PyExpr {
    fn from(expr: Expr) -> Self {
        PyExpr { expr }
    }
}

/// `a op b`, or `NotImplemented` when `other` is not an expression or a number.
fn binary(
    py: Python<'_>,
    op: BinOp,
    a: Expr,
    other: &Bound<'_, PyAny>,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    let Some(b) = convert::try_expr(other, Text::Refuse)? else {
        return Ok(py.NotImplemented());
    };
    let (lhs, rhs) = if reflected { (b, a) } else { (a, b) };
    if op == BinOp::Div && rhs.as_constant().is_some_and(|c| c.is_zero()) {
        return Err(PyZeroDivisionError::new_err(format!(
            "division of `{lhs}` by zero"
        )));
    }
    PyExpr::object(py, Expr::binary(op, lhs, rhs))
}

/// Converts a serde value to a Python object (through the `json` module).
pub fn to_python(py: Python<'_>, value: &impl serde::Serialize) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

#[pymethods]
impl PyExpr {
    /// Parses `text` (the same as `symdiff.parse(text)`).
    #[new]
    fn new(text: &str) -> PyResult<Self> {
        parse(text).map(PyExpr::from).map_err(parse_error)
    }

    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Add, self.expr, other, false)
    }
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Add, self.expr, other, true)
    }
    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Sub, self.expr, other, false)
    }
    fn __rsub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Sub, self.expr, other, true)
    }
    fn __mul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Mul, self.expr, other, false)
    }
    fn __rmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Mul, self.expr, other, true)
    }
    fn __truediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Div, self.expr, other, false)
    }
    fn __rtruediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary(py, BinOp::Div, self.expr, other, true)
    }
    fn __pow__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(py.NotImplemented());
        }
        binary(py, BinOp::Pow, self.expr, other, false)
    }
    fn __rpow__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(py.NotImplemented());
        }
        binary(py, BinOp::Pow, self.expr, other, true)
    }
    fn __neg__(&self) -> PyExpr {
        (-self.expr).into()
    }
    fn __pos__(&self) -> PyExpr {
        self.expr.into()
    }

    /// Structural equality (the same hash-consed node), with numbers converted exactly.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        // Anything that is not an expression or a finite number (`nan`) is simply not equal.
        match convert::try_expr(other, Text::Refuse) {
            Ok(Some(b)) => Ok(pyo3::types::PyBool::new(py, self.expr == b)
                .to_owned()
                .into_any()
                .unbind()),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        usize::from(self.expr.id()) as u64
    }

    /// The infix text; it reads back with `symdiff.parse` (shared subexpressions of a large
    /// DAG print as `t1 = ...; result` bindings instead of being unfolded).
    fn __str__(&self) -> String {
        self.expr.to_string()
    }

    fn __repr__(&self) -> String {
        let text = self.expr.to_string();
        if text.contains('\'') || text.contains('\n') {
            format!("Expr({text:?})")
        } else {
            format!("Expr('{text}')")
        }
    }

    /// LaTeX for Jupyter's rich display.
    fn _repr_latex_(&self) -> String {
        format!("${}$", self.expr.to_latex())
    }

    /// The expression in LaTeX (output only).
    fn latex(&self) -> String {
        self.expr.to_latex()
    }

    /// The s-expression form, e.g. `(* x (sin x))` (refused for astronomically large trees).
    fn sexp(&self) -> PyResult<String> {
        self.expr
            .to_sexp()
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The value at a point given as keyword arguments and/or a dict:
    /// `f.eval(x=0.5, y=2)` or `f.eval({"x": 0.5})`.
    ///
    /// Raises `symdiff.DomainError` (a `ValueError` and an `ArithmeticError`) naming the
    /// operation when a step is not a finite real number (`ln(-1)`, `1/0`), and `TypeError`
    /// when a variable has no value.
    #[pyo3(signature = (values=None, **kwargs))]
    fn eval(
        &self,
        py: Python<'_>,
        values: Option<&Bound<'_, PyDict>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<f64> {
        let mut point = Point::new();
        for dict in [values, kwargs].into_iter().flatten() {
            for (k, v) in dict.iter() {
                let name = convert::var_name(&k)?;
                point.set(&name, v.extract::<f64>()?);
            }
        }
        let expr = self.expr;
        py.detach(|| expr.eval(&point)).map_err(eval_error)
    }

    /// The value of an expression without variables (`float(symdiff.parse("sqrt(2)"))`).
    fn __float__(&self) -> PyResult<f64> {
        self.expr.eval(&Point::new()).map_err(eval_error)
    }

    /// The derivative with respect to each variable in turn (`f.diff("x")`, `f.diff(x, y)`),
    /// as `symdiff.d`.
    #[pyo3(signature = (*vars))]
    fn diff(&self, py: Python<'_>, vars: &Bound<'_, PyTuple>) -> PyResult<PyExpr> {
        let budget = crate::derivatives::Budget::new(true, None, None, None);
        crate::derivatives::derivative(py, self.expr, vars, budget).map(|(e, _)| e.into())
    }

    /// The operator: `"+"`, `"-"`, `"*"`, `"/"`, `"^"`, `"neg"`, a function name such as
    /// `"sin"`, `"d"`, or for leaves `"num"`, `"const"` (`pi`, `e`) and `"var"`.
    #[getter]
    fn op(&self) -> String {
        op_name(&self.expr.node())
    }

    /// The operands (an empty tuple for leaves).
    #[getter]
    fn args(&self, py: Python<'_>) -> PyResult<Py<PyTuple>> {
        let children: Vec<PyExpr> = self.expr.children().into_iter().map(Into::into).collect();
        Ok(PyTuple::new(py, children)?.unbind())
    }

    /// A leaf's text: the variable or constant name, or the exact rational constant (`"1/3"`,
    /// `"-2"`); `None` for operators.
    #[getter]
    fn name(&self) -> Option<String> {
        let node = self.expr.node();
        node.is_leaf().then(|| node.to_string())
    }

    /// The variables that occur, sorted.
    #[getter]
    fn variables(&self, py: Python<'_>) -> Vec<String> {
        let expr = self.expr;
        py.detach(|| expr.free_vars().into_iter().collect())
    }

    /// Size metrics as a dict: `tree` (nodes of the unfolded tree, exact), `dag` (distinct
    /// subexpressions), `depth`, `tree_ops`, `dag_ops`, per-operator counts `ops`, `free_vars`.
    fn metrics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let expr = self.expr;
        let m = py.detach(|| expr.metrics());
        to_python(py, &m)
    }

    /// The DAG as a list of nodes, children before parents, each shared node once:
    /// `(op, payload)` where `payload` is the leaf text for `"num"`, `"const"`, `"var"` and a
    /// tuple of node indices otherwise. The last node is the root. Used by `to_sympy`.
    fn nodes(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let expr = self.expr;
        let rec = py.detach(|| expr.to_recexpr());
        let list = pyo3::types::PyList::empty(py);
        for node in rec.as_ref() {
            let op = op_name(node);
            if node.is_leaf() {
                list.append((op, node.to_string()))?;
            } else {
                let kids: Vec<usize> = node.children().iter().map(|&c| usize::from(c)).collect();
                list.append((op, PyTuple::new(py, kids)?))?;
            }
        }
        Ok(list.into_any().unbind())
    }

    /// The expression as a SymPy expression (needs SymPy; see `symdiff.to_sympy`).
    fn to_sympy(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let module = slf.py().import("symdiff._sympy")?;
        Ok(module.call_method1("to_sympy", (slf,))?.unbind())
    }

    /// The JSON form (the DAG as a node list; `Expr.from_json` reads it back).
    pub fn to_json(&self) -> String {
        let mut value = self.expr.to_json();
        if let Some(map) = value.as_object_mut() {
            map.remove("infix");
        }
        value.to_string()
    }

    /// Reads the JSON form written by `to_json`.
    #[staticmethod]
    pub fn from_json(text: &str) -> PyResult<PyExpr> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Expr::from_json(&value)
            .map(PyExpr::from)
            .map_err(json_error)
    }

    /// Pickling stores the expression (its JSON node list), never a handle into this process.
    fn __reduce__(slf: &Bound<'_, Self>) -> PyResult<(Py<PyAny>, (String,))> {
        let from_json = slf.get_type().getattr("from_json")?.unbind();
        Ok((from_json, (slf.get().to_json(),)))
    }
}

/// The operator name of a node: the egg operator string, or `num`/`const`/`var` for leaves.
pub fn op_name(node: &Math) -> String {
    match node {
        Math::Num(_) => "num".into(),
        Math::Named(_) => "const".into(),
        Math::Var(_) => "var".into(),
        op => op.to_string(),
    }
}
