//! # symdiff-expr
//!
//! The expression language of symdiff: an egg [`Language`](egg::Language) ([`Math`]) with exact
//! big-rational constants, `pi` and `e`, variables, `+ - * / ^`, unary minus, 27 one-argument
//! functions (`sin` ... `softplus`), `min`/`max`/`atan2`/`hypot`, the piecewise `if(cond, a, b)`
//! with comparisons and `and`/`or`/`not`, and the derivative operator `d(var, expr)`; hash-consed [`Expr`] handles that share every repeated
//! subexpression; a precise [`parse`]r; printers (infix, LaTeX, s-expression, JSON); exact
//! [size metrics](metrics); and f64 [evaluation](Expr::eval) whose meaning of every operation is
//! defined once ([`Func::apply`], [`Func::domain`], ...; see `semantics.rs`).
//!
//! ```
//! use symdiff_expr::{parse, var, Point};
//! let x = var("x");
//! let f = 4 * (x.cos() + 2 * x - x.exp()).pow(2);
//! assert_eq!(f, parse("4*(cos(x) + 2*x - exp(x))^2").unwrap());
//! assert_eq!(f.to_string(), "4*(cos(x) + 2*x - exp(x))^2");
//! let m = f.metrics();
//! assert_eq!((m.dag, m.depth), (10, 6)); // the two 2s are one node
//! assert!((f.eval(&Point::new().with("x", 0.0)).unwrap() - 0.0).abs() < 1e-15);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod constant;
mod error;
mod eval;
mod expr;
mod hash_index;
mod id_map;
mod infix;
pub mod json;
mod language;
pub mod metrics;
mod mirror;
mod name;
mod parse;
mod precedence;
mod print;
mod print_many;
mod semantics;
mod sexp;

pub use constant::{
    Constant, ConstantError, MAX_FOLDED_BITS, MAX_LITERAL_DIGITS, MAX_LITERAL_EXPONENT,
};
pub use error::{
    EvalError, JsonError, ParseError, ParseErrorDetails, ParseErrorKind, PointError, PrintError,
};
pub use eval::{exact_value, Point, Semantics};
pub use expr::{
    constant, constant_division_by_zero, from_recexpr_roots, to_recexpr_many, try_var, var, Expr,
};
pub use hash_index::HashIndex;
pub use language::{BinOp, CmpOp, Func, Func2, Kind, Math, NamedConst, Shape};
pub use metrics::{metrics_many, serialize_biguint, Metrics, OpCount};
pub use mirror::Mirror;
pub use name::{check_variable_name, is_identifier, NameError};
pub use parse::{parse, MAX_PARSE_DEPTH};
pub use print::{Sharing, DEFAULT_WIDTH, MAX_INLINE_DEPTH, MAX_SEXP_TREE};
pub use print_many::{parse_many, to_infix_many, to_infix_many_with};
pub use semantics::{from_bool, pow_f64, select, strict, truth, Undefined};
pub use sexp::parse_sexp;

pub use egg;
pub use num_bigint::BigUint;
pub use num_rational::BigRational;
