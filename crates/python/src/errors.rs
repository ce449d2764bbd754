//! Rust errors as Python exceptions.
//!
//! The exception classes are defined in Python (`symdiff/_errors.py`) so that one class can
//! derive from two built-in ones (`DomainError` is both a `ValueError`, like `math.log(-1)`'s,
//! and an `ArithmeticError`). The mapping:
//!
//! | Rust error | Python exception |
//! |---|---|
//! | `ParseError` (with its caret message) | `symdiff.ParseError` (a `ValueError`) |
//! | `EvalError::Domain` (names the operation) | `symdiff.DomainError` (`ValueError`, `ArithmeticError`) |
//! | `EvalError::UnboundVariable`, wrong argument counts | `TypeError` |
//! | `EvalError::Derivative`, `CompileError`, `JsonError` | `ValueError` |
//! | `DiffError` | `symdiff.DifferentiationError` (a `ValueError`) |

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::PyErr;
use symdiff_codegen::CompileError;
use symdiff_expr::{EvalError, JsonError, ParseError};
use symdiff_rewrite::DiffError;

/// The exception classes of `symdiff/_errors.py`.
mod classes {
    pyo3::import_exception!(symdiff._errors, ParseError);
    pyo3::import_exception!(symdiff._errors, DomainError);
    pyo3::import_exception!(symdiff._errors, DifferentiationError);
}
use classes::{DifferentiationError, DomainError, ParseError as PyParseError};

/// A parse error: `symdiff.ParseError` with the rendered message (the line and a caret).
pub fn parse_error(e: ParseError) -> PyErr {
    PyParseError::new_err(e.to_string())
}

/// An evaluation error: domain errors name the operation; a missing variable is a missing
/// argument.
pub fn eval_error(e: EvalError) -> PyErr {
    match e {
        EvalError::Domain { .. } => DomainError::new_err(e.to_string()),
        EvalError::UnboundVariable(_) => PyTypeError::new_err(e.to_string()),
        EvalError::Derivative(_) => PyValueError::new_err(e.to_string()),
    }
}

/// A differentiation or simplification error.
pub fn diff_error(e: DiffError) -> PyErr {
    DifferentiationError::new_err(e.to_string())
}

/// A compilation error (a variable missing from the argument list, a duplicate name, ...).
pub fn compile_error(e: CompileError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A malformed serialised expression.
pub fn json_error(e: JsonError) -> PyErr {
    PyValueError::new_err(e.to_string())
}
