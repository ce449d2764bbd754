//! # symdiff
//!
//! Symbolic differentiation in an e-graph: exact, fast, honest about expression swell.
//!
//! This facade re-exports the workspace's public API:
//!
//! - the expression language ([`parse`], [`var`], [`Expr`], printers, [`Metrics`], [`Point`]),
//!   from `symdiff-expr`;
//! - derivatives ([`d`], [`d_n`], [`gradient`], [`jacobian`], [`hessian`], [`simplify`], each with
//!   its [`Stats`]), from `symdiff-rewrite`;
//! - automatic and numeric differentiation and the cross-check of symbolic results, as
//!   [`ad`] (with [`check`] at the top level);
//! - compilation to fast closures and Rust source, as [`codegen`] (with [`compile`] at the top
//!   level).
//!
//! ```
//! use symdiff::{d, parse, Point};
//! let f = parse("4*(cos(x) + 2*x - exp(x))^2").unwrap();
//! let df = d(&f, "x").unwrap();
//! let at: Point = "x=0.5".parse().unwrap();
//! let compiled = symdiff::compile(&df.expr, &["x"]).unwrap();
//! assert!((compiled.call(&[0.5]) - df.expr.eval(&at).unwrap()).abs() < 1e-12);
//! assert!(df.stats.simplified.dag <= df.stats.raw.dag);
//! ```

pub use symdiff_expr::*;
pub use symdiff_rewrite::{
    d, d_n, d_with, gradient, hessian, hessian_with, jacobian, jacobian_with, simplify,
    simplify_with, Derivative, Derivatives, DiffError, EGraphStats, Extraction, Options,
    PhaseTimes, Simplified, Size, Stats, StopReason,
};

/// Forward and reverse mode AD, numeric differences, and the cross-check of symbolic
/// derivatives (the `symdiff-ad` crate).
pub mod ad {
    pub use symdiff_ad::*;
}

/// Compilation of expression DAGs to closures, batches and Rust source (the `symdiff-codegen`
/// crate).
pub mod codegen {
    pub use symdiff_codegen::*;
}

/// The e-graph machinery behind [`d`]: analysis, rules, extraction (the `symdiff-rewrite`
/// crate).
pub mod rewrite {
    pub use symdiff_rewrite::*;
}

pub use symdiff_ad::check;
pub use symdiff_codegen::compile;

/// The README's code, compiled and run as a doctest so the tour stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
