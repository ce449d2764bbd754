//! # symdiff-rewrite
//!
//! The heart of symdiff: derivatives by differentiation rewrite rules in an egg e-graph,
//! simplified by equality saturation and extracted as a small DAG, with statistics of how large
//! the derivative was before and after simplification.
//!
//! ```
//! use symdiff_expr::parse;
//! let f = parse("4*(cos(x) + 2*x - exp(x))^2").unwrap();
//! let df = symdiff_rewrite::d(&f, "x").unwrap();
//! let at = "x=0.5".parse().unwrap();
//! let expected = 8.0 * (0.5f64.cos() + 1.0 - 0.5f64.exp()) * (2.0 - 0.5f64.sin() - 0.5f64.exp());
//! assert!((df.expr.eval(&at).unwrap() - expected).abs() < 1e-12);
//! println!("{} ({} DAG nodes, raw {})", df.expr, df.stats.simplified.dag, df.stats.raw.dag);
//! ```

#![warn(missing_docs)]

mod analysis;
mod differentiate;
mod error;
pub mod extract;
mod normal_form;
mod pipeline;
mod rules;
mod stats;

pub use analysis::{fold, ClassData, MathAnalysis, MathGraph, MAX_FOLDED_BITS};
pub use differentiate::{differentiate, DiffCounts};
pub use error::DiffError;
pub use extract::{Extraction, MAX_DAG_EXTRACTION_WORK};
pub use normal_form::NormalForms;
pub use pipeline::{
    d, d_n, d_with, gradient, hessian, hessian_with, jacobian, jacobian_with, simplify,
    simplify_with, Derivative, Derivatives, Options, Simplified,
};
pub use rules::{
    differentiation_rewrites, simplification_rewrites, CompiledRule, Guard, RuleSpec,
    DIFFERENTIATION, SIMPLIFICATION,
};
pub use stats::{EGraphStats, PhaseTimes, Size, Stats, StopReason};
