//! # symdiff-rewrite
//!
//! The heart of symdiff: derivatives by differentiation rewrite rules in an egg e-graph,
//! simplified by equality saturation and extracted as a small DAG, with statistics of how large
//! the derivative was before and after simplification. Gradients, Jacobians, Hessians and the
//! products `jvp`, `vjp`, `hvp` are built by symbolic reverse and forward sweeps whose local
//! derivatives come from the same rule table, in time linear in the function per sweep;
//! sparse results ([`SparseDerivatives`]) never store a structural zero.
//!
//! ```
//! use symdiff_expr::parse;
//! let f = parse("100*(y - x^2)^2 + (1 - x)^2").unwrap();
//! let g = symdiff_rewrite::gradient(&f, &["x", "y"]).unwrap();
//! let h = symdiff_rewrite::sparse_hessian(&f, &["x", "y"]).unwrap();
//! let at = "x=2,y=3".parse().unwrap();
//! assert_eq!(g.entries[1].eval(&at).unwrap(), 200.0 * (3.0 - 4.0));
//! assert_eq!(h.entries.len(), 4);
//! ```
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

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod analysis;
mod dag;
mod differentiate;
mod error;
pub mod extract;
mod matrix;
mod normal_form;
mod partials;
mod pipeline;
mod rules;
mod sparsity;
mod stats;
mod sweep;

pub use analysis::{fold, ClassData, MathAnalysis, MathGraph, VarMask, MAX_FOLDED_BITS};
pub use differentiate::{differentiate, DiffCounts};
pub use error::DiffError;
pub use extract::{Extraction, MAX_DAG_EXTRACTION_WORK};
pub use matrix::{
    gradient, gradient_with, hessian, hessian_with, hvp, hvp_with, jacobian, jacobian_with, jvp,
    jvp_with, sparse_hessian, sparse_hessian_with, sparse_jacobian, sparse_jacobian_with, vjp,
    vjp_with,
};
pub use normal_form::NormalForms;
pub use pipeline::{
    d, d_n, d_with, simplify, simplify_with, Derivative, Derivatives, Options, Simplified,
};
pub use rules::{
    differentiation_rewrites, simplification_rewrites, CompiledRule, Guard, RuleSpec,
    DIFFERENTIATION, SIMPLIFICATION,
};
pub use sparsity::{jacobian_sparsity, Entry, Pattern, SparseDerivatives, MAX_DENSE_ENTRIES};
pub use stats::{EGraphStats, PhaseTimes, Size, Stats, StopReason};
