//! # symdiff-ad
//!
//! Automatic and numeric differentiation of symdiff expressions, and the cross-check of symbolic
//! derivatives against them — the three ways a computer differentiates, each checking the others.
//!
//! - **Numbers** ([`Scalar`]): `f64`, [`Dual`] (one tangent), [`DualVec`] (`k` tangents, a whole
//!   gradient in one pass), [`Complex64`](num_complex::Complex64) (complex step), [`HyperDual`]
//!   (exact second derivatives) and the error-bounded [`Bounded`] / [`BoundedDual`]. One
//!   evaluator, [`WengertList`], runs an expression's DAG for all of them: compiled once into a flat
//!   list in topological order, each shared node evaluated once.
//! - **Forward mode**: [`jvp`], [`derivative`], [`forward_gradient`], [`forward_trace`].
//! - **Reverse mode**: a [`Tape`] with [`Tape::gradient`], [`Tape::vjp`], [`Tape::len`] and
//!   [`reverse_trace`]; [`gradient`] and [`vjp`] for one-off use.
//! - **Second order**: [`hessian`].
//! - **Numeric**: [`central_difference`], [`richardson`], [`complex_step`] (see [`numeric`] for
//!   their expected errors).
//! - **Cross-check**: [`check_against`] (given symbolic partials) and [`check()`] (partials from
//!   `symdiff-rewrite`), at random domain points found by a [`Sampler`].
//!
//! Evaluation is strict by default: `ln(-1)`, `sqrt(-1)`, `1/0` at a point are an
//! [`AdError::Eval`] naming the operation and the point, not a silent NaN
//! ([`Semantics::Ieee`](symdiff_expr::Semantics) opts into NaN and infinities). Integer constant
//! powers work for negative bases; a variable exponent `f^g` means `exp(g ln f)` and needs `f > 0`
//! (see [`scalar`](crate::Scalar) for the power semantics).
//!
//! The seed document's example, `y = x1*x2 + x2 - ln(x1)` at `(3, -4)`:
//!
//! ```
//! use symdiff_ad::{derivative, gradient, Tape};
//! use symdiff_expr::parse;
//! let y = parse("x1*x2 + x2 - ln(x1)").unwrap();
//! let p = "x1=3, x2=-4".parse().unwrap();
//! // forward mode: one pass per input
//! assert!((derivative(y, &p, "x1").unwrap() + 13.0 / 3.0).abs() < 1e-15);
//! // reverse mode: the whole gradient in one backward sweep
//! let g = gradient(y, &p).unwrap();
//! assert!((g.value + 17.0986122886681).abs() < 1e-12);
//! assert_eq!(g.get("x2"), Some(4.0));
//! assert_eq!(Tape::new(y).unwrap().len(), 6);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bound;
mod check;
mod check_symbolic;
mod complex;
mod dual;
mod dual_vec;
mod error;
mod eval;
mod forward;
mod gradient;
mod hessian;
mod hyper_dual;
pub mod numeric;
mod reverse;
mod sample;
mod scalar;
mod trace;

pub use bound::{Bounded, BoundedDual, UNIT_ROUNDOFF};
pub use check::{
    check_against, CheckOptions, CheckReport, Comparison, Method, MethodReport, SymbolicFailure,
    Tolerances, Verdict, MAX_CHECK_POINTS,
};
pub use check_symbolic::{check, check_str};
pub use dual::Dual;
pub use dual_vec::DualVec;
pub use error::{AdError, CheckError};
pub use eval::{Op, WengertList};
pub use forward::{derivative, forward_gradient, forward_trace, jvp, Jvp};
pub use gradient::Gradient;
pub use hessian::{hessian, Hessian};
pub use hyper_dual::HyperDual;
pub use numeric::{central_difference, complex_step, richardson, Estimate};
pub use reverse::{gradient, reverse_trace, vjp, Tape, TapeBuffers, Vjp};
pub use sample::{Rng, Sample, Sampler};
pub use scalar::{curvature, curvature2, pow_partials, slope, Scalar};
pub use trace::{Trace, TraceKind, TraceRow};

pub use num_complex;
