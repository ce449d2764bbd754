//! # symdiff-codegen
//!
//! Compiles symdiff expression DAGs, including whole gradients, Jacobians and Hessians, into
//! fast evaluators and into Rust source.
//!
//! - [`compile`] / [`compile_many`] lower expressions to a straight-line [`Program`] (each
//!   shared subexpression once, constants folded and pre-rounded to f64, small integer powers as
//!   multiplications, registers reused) and wrap it in a [`Compiled`] / [`CompiledMany`] function
//!   with [`call`](Compiled::call), [`try_call`](Compiled::try_call) and
//!   [`into_closure`](Compiled::into_closure).
//! - [`Program::eval_batch`] evaluates one program over many points (structure of arrays),
//!   vectorised over chunks of [`LANES`] points; [`Program::eval_batch_par`] uses rayon.
//! - [`compile_gradient`], [`compile_jacobian`] and [`compile_hessian`] compile a function
//!   together with its symbolic derivatives (from `symdiff-rewrite`) into one program, so the
//!   value and all partials come from one pass that shares their common work.
//! - [`to_rust_source`] (and [`to_rust_source_gradient`]) emit a standalone, dependency-free
//!   Rust function.
//!
//! ```
//! use symdiff_codegen::compile;
//! use symdiff_expr::parse;
//! let f = compile(&parse("x1*x2 + x2 - ln(x1)").unwrap(), &["x1", "x2"]).unwrap();
//! assert!((f.call(&[3.0, -4.0]) + 17.0986122886681).abs() < 1e-12);
//! let mut out = [0.0; 2];
//! f.eval_batch(&[&[3.0, 1.0], &[-4.0, 2.0]], &mut out).unwrap();
//! assert_eq!(out[1], 4.0);
//! ```
//!
//! ## Semantics
//!
//! Compiled code computes the same f64 operations as the interpreter [`Expr::eval`], in the same
//! order, so results agree bit for bit (integer powers are expanded in the order `f64::powi`
//! uses). The fast paths follow IEEE 754 (NaN and infinities propagate); `try_call` reports the
//! first argument or operation that is not a finite real number, like [`Expr::eval`].
//!
//! ## Performance
//!
//! The scalar evaluator interprets the program in one loop over a flat instruction encoding,
//! keeping the previous result in a machine register; the batch evaluator runs each instruction
//! over [`LANES`] points at a time. `BENCH.md` in this crate has the measurements against
//! hand-written native code (and against a closure-threaded evaluator, which was slower).
//!
//! [`Expr::eval`]: symdiff_expr::Expr::eval

#![warn(missing_docs)]

mod batch;
mod compile;
mod derivatives;
mod error;
mod program;
mod rust_source;

pub use batch::{LANES, PAR_BLOCK, PAR_MIN_POINTS};
pub use compile::{compile, compile_many, Compiled, CompiledMany};
pub use derivatives::{
    compile_gradient, compile_hessian, compile_jacobian, to_rust_source_gradient, CompiledGradient,
    CompiledHessian, CompiledJacobian,
};
pub use error::{BatchError, CallError, CompileError};
pub use program::{Instr, Output, Program, MAX_EXPANDED_POWER};
pub use rust_source::{to_rust_source, to_rust_source_many, to_rust_source_value_and_gradient};
