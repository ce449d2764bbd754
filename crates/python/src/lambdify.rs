//! `symdiff.lambdify`: expressions compiled to one straight-line program, called on Python
//! numbers or NumPy arrays.
//!
//! Arrays go to the batch evaluator of `symdiff-codegen` without copying when they already are
//! aligned, C-contiguous `float64` arrays (anything else is converted once with
//! `numpy.require(..., float64, ("C", "A"))`), and the evaluation runs with the GIL
//! released, on the rayon thread pool for large batches.

use crate::convert::{self, Text};
use crate::errors::compile_error;
use crate::expr::PyExpr;
use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFloat, PyInt, PyList, PyString, PyTuple};
use symdiff_codegen::{compile_many, CompiledMany};
use symdiff_expr::Expr;

/// A compiled function of `vars` returned by `symdiff.lambdify`.
///
/// Call it with one argument per variable, in order: Python numbers give a `float` (or, for a
/// list of expressions, a NumPy array shaped like the list); NumPy arrays (or anything
/// `numpy.asarray` accepts) give an array of shape `list_shape + broadcast(argument shapes)`.
/// Arithmetic follows IEEE 754 like NumPy: `ln(-1)` is `nan`, `1/0` is `inf`.
///
/// It pickles (the expressions are stored and recompiled on loading), so Dask, Ray and
/// `multiprocessing` can ship it to worker processes.
///
/// >>> import symdiff, numpy as np
/// >>> f = symdiff.lambdify(["x", "y"], "x*y + 1")
/// >>> f(2.0, 3.0)
/// 7.0
/// >>> f(np.array([1.0, 2.0]), 10.0).tolist()
/// [11.0, 21.0]
#[pyclass(frozen, module = "symdiff", name = "Lambdified")]
pub struct Lambdified {
    compiled: CompiledMany,
    /// The shape of the list of expressions (`[]` for a single expression).
    shape: Vec<usize>,
    /// Use the rayon thread pool for large batches.
    parallel: bool,
}

impl Lambdified {
    /// Compiles `exprs` (row-major, of shape `shape`) as functions of `vars`.
    pub fn new(
        py: Python<'_>,
        vars: Vec<String>,
        exprs: Vec<Expr>,
        shape: Vec<usize>,
        parallel: bool,
    ) -> PyResult<Self> {
        let compiled = py
            .detach(|| {
                let names: Vec<&str> = vars.iter().map(String::as_str).collect();
                compile_many(&exprs, &names)
            })
            .map_err(compile_error)?;
        Ok(Lambdified {
            compiled,
            shape,
            parallel,
        })
    }

    /// The compiled program (for the benchmark helpers).
    pub fn compiled(&self) -> &CompiledMany {
        &self.compiled
    }

    /// The function's variables.
    fn var_names(&self) -> &[String] {
        self.compiled.vars()
    }

    fn arity_error(&self, found: usize) -> PyErr {
        let vars = self.var_names();
        PyTypeError::new_err(format!(
            "this function takes {} argument{} ({}), got {found}",
            vars.len(),
            if vars.len() == 1 { "" } else { "s" },
            vars.join(", ")
        ))
    }

    /// Every argument a Python number: one scalar evaluation (`None` if some argument is not).
    fn call_scalar(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
    ) -> PyResult<Option<Py<PyAny>>> {
        const STACK: usize = 16;
        let n = args.len();
        let mut stack = [0.0f64; STACK];
        let mut heap = Vec::new();
        let values: &mut [f64] = if n <= STACK {
            &mut stack[..n]
        } else {
            heap.resize(n, 0.0);
            &mut heap
        };
        for (slot, arg) in values.iter_mut().zip(args.iter()) {
            if let Ok(f) = arg.cast::<PyFloat>() {
                *slot = f.value();
            } else if arg.is_instance_of::<PyInt>() {
                *slot = arg.extract::<f64>()?;
            } else {
                return Ok(None);
            }
        }
        let outputs = self.compiled.outputs();
        if self.shape.is_empty() {
            let mut out = [0.0];
            self.compiled.call_into(values, &mut out);
            return Ok(Some(PyFloat::new(py, out[0]).into_any().unbind()));
        }
        let mut out = vec![0.0; outputs];
        self.compiled.call_into(values, &mut out);
        let array = numpy::PyArray1::from_vec(py, out).reshape(self.shape.clone())?;
        Ok(Some(array.into_any().unbind()))
    }

    /// Arrays: the batch evaluator over C-contiguous float64 inputs, GIL released.
    fn call_batch(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let np = numpy_module(py)?;
        let float64 = "float64";
        // Each argument as an aligned, C-contiguous float64 array (no copy when it already is
        // one; arrays received over a network, as Dask's, may be misaligned).
        let requirements = ("C", "A");
        let mut arrays: Vec<Bound<'_, PyArrayDyn<f64>>> = Vec::with_capacity(args.len());
        for arg in args.iter() {
            let ready = arg
                .cast::<PyArrayDyn<f64>>()
                .ok()
                .filter(|a| a.is_c_contiguous() && a.is_aligned())
                .cloned();
            let array = match ready {
                Some(a) => a,
                None => np
                    .call_method1("require", (&arg, float64, requirements))?
                    .cast_into::<PyArrayDyn<f64>>()
                    .map_err(|_| {
                        PyTypeError::new_err("arguments must be numbers or arrays of numbers")
                    })?,
            };
            arrays.push(array);
        }
        // The batch shape: the common shape of the arrays that are not 0-d; other shapes are
        // broadcast by NumPy (a copy of each broadcast input).
        let mut batch: Option<Vec<usize>> = None;
        let mut differ = false;
        for a in &arrays {
            if a.ndim() > 0 {
                match &batch {
                    None => batch = Some(a.shape().to_vec()),
                    Some(s) if s.as_slice() != a.shape() => differ = true,
                    Some(_) => {}
                }
            }
        }
        if differ {
            let views = np.call_method1("broadcast_arrays", PyTuple::new(py, &arrays)?)?;
            arrays = views
                .try_iter()?
                .map(|v| {
                    np.call_method1("require", (v?, float64, requirements))?
                        .cast_into::<PyArrayDyn<f64>>()
                        .map_err(PyErr::from)
                })
                .collect::<PyResult<_>>()?;
            batch = arrays.first().map(|a| a.shape().to_vec());
        }
        let batch = batch.unwrap_or_default();
        let points: usize = batch.iter().product();
        let outputs = self.compiled.outputs();
        let mut dims = self.shape.clone();
        dims.extend_from_slice(&batch);
        // SAFETY: the batch evaluator writes every point of every output before the array is
        // returned; on an error the array is dropped unread.
        let out = unsafe { PyArrayDyn::<f64>::new(py, dims, false) };
        if points == 0 || outputs == 0 {
            return Ok(out.into_any().unbind());
        }
        // Scalars (0-d arrays) next to arrays are filled out to the batch length.
        let readonly: Vec<_> = arrays.iter().map(|a| a.readonly()).collect();
        let mut filled: Vec<Vec<f64>> = Vec::new();
        let mut scalar_of = Vec::with_capacity(arrays.len());
        for r in &readonly {
            let slice = r
                .as_slice()
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            if slice.len() == points {
                scalar_of.push(None);
            } else {
                scalar_of.push(Some(filled.len()));
                filled.push(vec![slice[0]; points]);
            }
        }
        let inputs: Vec<&[f64]> = readonly
            .iter()
            .zip(&scalar_of)
            .map(|(r, s)| match s {
                Some(k) => Ok(filled[*k].as_slice()),
                None => r
                    .as_slice()
                    .map_err(|e| PyValueError::new_err(e.to_string())),
            })
            .collect::<PyResult<_>>()?;
        let mut writable = out.readwrite();
        let flat = writable
            .as_slice_mut()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let mut columns: Vec<&mut [f64]> = flat.chunks_mut(points).collect();
        let compiled = &self.compiled;
        let parallel = self.parallel;
        py.detach(|| {
            if parallel {
                compiled.eval_batch_par(&inputs, &mut columns)
            } else {
                compiled.eval_batch(&inputs, &mut columns)
            }
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
        drop(writable);
        Ok(out.into_any().unbind())
    }
}

/// The `numpy` module, imported once.
fn numpy_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static NUMPY: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    NUMPY
        .get_or_try_init(py, || py.import("numpy").map(Bound::unbind))
        .map(|m| m.bind(py))
}

#[pymethods]
impl Lambdified {
    /// Evaluates at one point (numbers) or many (arrays); see the class documentation.
    #[pyo3(signature = (*args))]
    fn __call__(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        if args.len() != self.var_names().len() {
            return Err(self.arity_error(args.len()));
        }
        if let Some(value) = self.call_scalar(py, args)? {
            return Ok(value);
        }
        self.call_batch(py, args)
    }

    /// The variables, in argument order.
    #[getter]
    fn vars(&self) -> Vec<String> {
        self.var_names().to_vec()
    }

    /// The compiled expressions (row-major, flattened).
    #[getter]
    fn exprs(&self) -> Vec<PyExpr> {
        self.compiled
            .program()
            .roots()
            .iter()
            .map(|&e| e.into())
            .collect()
    }

    /// The shape of the list of expressions (`()` for a single expression).
    #[getter]
    fn shape(&self, py: Python<'_>) -> PyResult<Py<PyTuple>> {
        Ok(PyTuple::new(py, &self.shape)?.unbind())
    }

    /// The number of instructions of the compiled program (each shared subexpression once).
    #[getter]
    fn instructions(&self) -> usize {
        self.compiled.program().instructions().len()
    }

    /// The compiled program as text, one instruction per line.
    fn program(&self) -> String {
        self.compiled.program().to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Lambdified(vars={:?}, outputs={}, instructions={})",
            self.var_names(),
            self.compiled.outputs(),
            self.instructions()
        )
    }

    /// Rebuilds a pickled function: variables, expressions as JSON, shape, parallel flag.
    #[staticmethod]
    fn _from_state(
        py: Python<'_>,
        vars: Vec<String>,
        exprs: Vec<String>,
        shape: Vec<usize>,
        parallel: bool,
    ) -> PyResult<Self> {
        let exprs = exprs
            .iter()
            .map(|text| PyExpr::from_json(text).map(|e| e.expr))
            .collect::<PyResult<Vec<Expr>>>()?;
        Lambdified::new(py, vars, exprs, shape, parallel)
    }

    /// Pickling stores the expressions (as JSON) and recompiles them when loaded.
    #[allow(clippy::type_complexity)]
    fn __reduce__(
        slf: &Bound<'_, Self>,
    ) -> PyResult<(Py<PyAny>, (Vec<String>, Vec<String>, Vec<usize>, bool))> {
        let this = slf.get();
        let exprs = this
            .compiled
            .program()
            .roots()
            .iter()
            .map(|&e| PyExpr::from(e).to_json())
            .collect();
        let from_state = slf.get_type().getattr("_from_state")?.unbind();
        Ok((
            from_state,
            (this.vars(), exprs, this.shape.clone(), this.parallel),
        ))
    }
}

/// `lambdify(vars, exprs, parallel=True)`: compiles an expression, or a (nested) list of them,
/// into one fast function of `vars` (names or variable `Expr`s, in argument order).
///
/// Shared subexpressions are computed once for all outputs. Strings are parsed. With
/// `parallel=False` large batches stay on the calling thread (useful inside a Dask worker that
/// already runs one task per core).
///
/// >>> import symdiff, numpy as np
/// >>> g = symdiff.lambdify(["x", "y"], symdiff.gradient("x^2*y", ["x", "y"]))
/// >>> g(np.array([1.0, 2.0]), np.array([3.0, 4.0])).tolist()
/// [[6.0, 16.0], [1.0, 4.0]]
#[pyfunction]
#[pyo3(signature = (vars, exprs, parallel=true))]
pub fn lambdify(
    py: Python<'_>,
    vars: &Bound<'_, PyAny>,
    exprs: &Bound<'_, PyAny>,
    parallel: bool,
) -> PyResult<Lambdified> {
    let vars = convert::var_names(vars)?;
    let (exprs, shape) = flatten(exprs)?;
    Lambdified::new(py, vars, exprs, shape, parallel)
}

/// A (nested) list of expressions flattened row-major, with its shape (`[]` for one
/// expression). Level by level, so deep nesting costs no recursion.
fn flatten(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<Expr>, Vec<usize>)> {
    let is_list = |o: &Bound<'_, PyAny>| {
        !o.is_instance_of::<PyString>()
            && (o.is_instance_of::<PyList>()
                || o.is_instance_of::<PyTuple>()
                || o.cast::<numpy::PyUntypedArray>().is_ok())
    };
    let mut level = vec![obj.clone()];
    let mut shape = Vec::new();
    loop {
        let lists = level.iter().filter(|o| is_list(o)).count();
        if lists == 0 {
            let exprs = level
                .iter()
                .map(|o| convert::expr(o, Text::Parse))
                .collect::<PyResult<_>>()?;
            return Ok((exprs, shape));
        }
        if lists != level.len() {
            return Err(PyValueError::new_err(
                "the expressions must be one expression or a rectangular (nested) list of them",
            ));
        }
        let mut next = Vec::new();
        let mut width = None;
        for o in &level {
            let items: Vec<Bound<'_, PyAny>> = o.try_iter()?.collect::<PyResult<_>>()?;
            if width.is_some_and(|w| w != items.len()) {
                return Err(PyValueError::new_err(
                    "the nested lists of expressions must be rectangular",
                ));
            }
            width = Some(items.len());
            next.extend(items);
        }
        shape.push(width.unwrap_or(0));
        level = next;
        if level.is_empty() {
            return Ok((Vec::new(), shape));
        }
    }
}
