//! Shared by the property tests: random expressions over `x` and `y`, and random points.

#![allow(dead_code)] // each test file uses part of this

use proptest::prelude::*;
use symdiff_expr::{var, BinOp, CmpOp, Expr, Func, Func2};

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
    Call2(Func2, Box<Ast>, Box<Ast>),
    If(Box<Cond>, Box<Ast>, Box<Ast>),
}

/// A random condition (the test of an `if`).
#[derive(Debug, Clone)]
pub enum Cond {
    Compare(CmpOp, Ast, Ast),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
}

impl Cond {
    pub fn build(&self) -> Expr {
        match self {
            Cond::Compare(op, a, b) => Expr::compare(*op, a.build(), b.build()),
            Cond::And(a, b) => a.build().and(b.build()),
            Cond::Or(a, b) => a.build().or(b.build()),
            Cond::Not(a) => !a.build(),
        }
    }
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
            Ast::Call2(f, a, b) => a.build().apply2(*f, b.build()),
            Ast::If(c, a, b) => Expr::if_else(c.build(), a.build(), b.build()),
        }
    }
}

/// Random expressions of the operators every consumer supports (arithmetic, powers, unary
/// functions).
pub fn ast() -> impl Strategy<Value = Ast> {
    ast_of(false)
}

/// Random expressions that also use two-argument functions (`min`, `max`, `atan2`, `hypot`)
/// and `if` with conditions.
pub fn ast_with_conditions() -> impl Strategy<Value = Ast> {
    ast_of(true)
}

fn ast_of(conditions: bool) -> BoxedStrategy<Ast> {
    let leaf = prop_oneof![
        4 => Just(Ast::X),
        3 => Just(Ast::Y),
        2 => (-5i64..=5).prop_map(Ast::Int),
        1 => (-9i64..=9).prop_map(Ast::Quarter),
        1 => Just(Ast::Pi),
    ];
    leaf.prop_recursive(6, 40, 2, move |inner| {
        let op = prop::sample::select(vec![
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Pow,
        ]);
        let func = prop::sample::select(Func::ALL.to_vec());
        let func2 = prop::sample::select(Func2::ALL.to_vec());
        let base = prop_oneof![
            1 => inner.clone().prop_map(|a| Ast::Neg(Box::new(a))),
            6 => (op, inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Ast::Bin(op, Box::new(a), Box::new(b))),
            3 => (func, inner.clone()).prop_map(|(f, a)| Ast::Call(f, Box::new(a))),
            2 => (inner.clone(), -20i64..=20).prop_map(|(a, n)| Ast::PowInt(Box::new(a), n)),
        ];
        if !conditions {
            return base.boxed();
        }
        prop_oneof![
            12 => base,
            2 => (func2, inner.clone(), inner.clone())
                .prop_map(|(f, a, b)| Ast::Call2(f, Box::new(a), Box::new(b))),
            2 => (condition(inner.clone()), inner.clone(), inner)
                .prop_map(|(c, a, b)| Ast::If(Box::new(c), Box::new(a), Box::new(b))),
        ]
        .boxed()
    })
    .boxed()
}

/// A condition over operands drawn from `inner`.
fn condition(inner: impl Strategy<Value = Ast> + Clone + 'static) -> impl Strategy<Value = Cond> {
    let cmp = prop::sample::select(CmpOp::ALL.to_vec());
    let compare = (cmp, inner.clone(), inner).prop_map(|(op, a, b)| Cond::Compare(op, a, b));
    compare.prop_recursive(2, 4, 2, |c| {
        prop_oneof![
            (c.clone(), c.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
            (c.clone(), c.clone()).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
            c.prop_map(|a| Cond::Not(Box::new(a))),
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
