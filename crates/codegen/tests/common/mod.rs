//! Shared by the property tests: random expressions over `x` and `y`, and random points.

#![allow(dead_code)] // each test file uses part of this

use proptest::prelude::*;
use symdiff_expr::{var, BinOp, Expr, Func};

/// A random expression over `x` and `y`.
#[derive(Debug, Clone)]
pub enum Ast {
    X,
    Y,
    Int(i64),
    Quarter(i64),
    Pi,
    Neg(Box<Ast>),
    Bin(BinOp, Box<Ast>, Box<Ast>),
    Call(Func, Box<Ast>),
    PowInt(Box<Ast>, i64),
}

impl Ast {
    pub fn build(&self) -> Expr {
        match self {
            Ast::X => var("x"),
            Ast::Y => var("y"),
            Ast::Int(k) => Expr::from(*k),
            Ast::Quarter(k) => Expr::from(*k) / 4,
            Ast::Pi => Expr::pi(),
            Ast::Neg(a) => -a.build(),
            Ast::Bin(op, a, b) => Expr::binary(*op, a.build(), b.build()),
            Ast::Call(f, a) => a.build().apply(*f),
            Ast::PowInt(a, n) => a.build().pow(*n),
        }
    }
}

pub fn ast() -> impl Strategy<Value = Ast> {
    let leaf = prop_oneof![
        4 => Just(Ast::X),
        3 => Just(Ast::Y),
        2 => (-5i64..=5).prop_map(Ast::Int),
        1 => (-9i64..=9).prop_map(Ast::Quarter),
        1 => Just(Ast::Pi),
    ];
    leaf.prop_recursive(6, 40, 2, |inner| {
        let op = prop::sample::select(vec![
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Pow,
        ]);
        let func = prop::sample::select(Func::ALL.to_vec());
        prop_oneof![
            1 => inner.clone().prop_map(|a| Ast::Neg(Box::new(a))),
            6 => (op, inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Ast::Bin(op, Box::new(a), Box::new(b))),
            3 => (func, inner.clone()).prop_map(|(f, a)| Ast::Call(f, Box::new(a))),
            2 => (inner, -20i64..=20).prop_map(|(a, n)| Ast::PowInt(Box::new(a), n)),
        ]
    })
}

pub fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -4.0..4.0f64,
        1 => Just(0.0),
        1 => prop::sample::select(vec![1.0, -1.0, 0.5, 2.0, 1e-8, 40.0, -0.0]),
    ]
}

/// Points for comparing derivatives: no tiny coordinates, where the symbolic and the dual-number
/// derivative may both be right to only a few digits (cancellation of terms like `x/y^2`).
pub fn gradient_coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -4.0..4.0f64,
        1 => prop::sample::select(vec![0.0, 1.0, -1.0, 0.5, 2.0]),
    ]
}

/// Equal bit for bit (any NaN equals any NaN).
pub fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}
