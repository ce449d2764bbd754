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
//! - `eval_batch` evaluates over many points (structure of arrays); `eval_batch_par` splits
//!   large batches over rayon.
//! - Two [`Backend`]s run a program: native code from the Cranelift JIT (the default on x86_64
//!   and aarch64; [`compile_with`] and the other `_with` functions choose), and the
//!   interpreter (the reference, and the fallback elsewhere). They agree bit for bit.
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
//! order, calling the same Rust functions for `sin`, `exp`, ..., so results agree bit for bit (integer powers are expanded in the order `f64::powi`
//! uses). The fast paths follow IEEE 754 (NaN and infinities propagate); `try_call` reports the
//! first argument or operation that is not a finite real number, like [`Expr::eval`].
//!
//! ## Performance
//!
//! The JIT turns the program into one native function (several for programs longer than ten
//! thousand instructions), plus a native loop for batches; the interpreter runs each
//! instruction over a row of [`LANES`] points in batches. `BENCH.md` in this crate has the
//! measurements against hand-written Rust and the JIT's compile times.
//!
//! [`Expr::eval`]: symdiff_expr::Expr::eval

#![warn(missing_docs)]

mod accessors;
mod backend;
mod batch;
mod callees;
mod compile;
mod derivatives;
mod error;
mod function;
mod instr;
mod interpreter;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod jit;
mod lower;
mod program;
mod regalloc;
mod rust_source;
mod schedule;

pub use backend::Backend;
pub use batch::{LANES, PAR_BLOCK, PAR_MIN_POINTS};
pub use compile::{compile, compile_many, compile_many_with, compile_with, Compiled, CompiledMany};
pub use derivatives::{
    compile_gradient, compile_gradient_with, compile_hessian, compile_hessian_with,
    compile_jacobian, compile_jacobian_with, to_rust_source_gradient, CompiledGradient,
    CompiledHessian, CompiledJacobian,
};
pub use error::{BatchError, CallError, CompileError};
pub use instr::{Instr, Output};
pub use lower::MAX_EXPANDED_POWER;
pub use program::Program;
pub use rust_source::{to_rust_source, to_rust_source_many, to_rust_source_value_and_gradient};
