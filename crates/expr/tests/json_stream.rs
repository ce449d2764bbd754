//! The JSON form is written straight to the serializer (`impl Serialize for Expr`); these tests
//! check that it writes exactly the bytes of the former implementation, which built a
//! `serde_json::Value` per node (kept below as the oracle), on random, shared and deep
//! expressions, and that it reads back.

use proptest::prelude::*;
use serde_json::{json, Value};
use symdiff_expr::{var, CmpOp, Expr, Func, Func2, Math};

/// The former `Expr::to_json`: a `Value` per node, keys sorted by `serde_json`'s map.
fn oracle(e: Expr) -> Value {
    let rec = e.to_recexpr();
    let nodes: Vec<Value> = rec
        .as_ref()
        .iter()
        .map(|node| match node {
            Math::Num(c) => json!(["num", c.to_string()]),
            Math::Named(n) => json!(["const", n.name()]),
            Math::Var(s) => json!(["var", s.as_str()]),
            op => {
                let mut items = vec![json!(op.to_string())];
                items.extend(
                    egg::Language::children(op)
                        .iter()
                        .map(|c| json!(usize::from(*c))),
                );
                Value::Array(items)
            }
        })
        .collect();
    json!({ "infix": e.to_string(), "nodes": nodes, "root": rec.len() - 1 })
}

/// Streams `e`, compares the bytes with the oracle's, and reads them back.
fn check(e: Expr) {
    let streamed = serde_json::to_string(&e).unwrap();
    assert_eq!(streamed, oracle(e).to_string(), "{e}");
    assert_eq!(e.to_json(), oracle(e));
    let back: Value = serde_json::from_str(&streamed).unwrap();
    assert_eq!(Expr::from_json(&back).unwrap(), e);
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        prop::sample::select(&["x", "y", "theta", "t1"][..]).prop_map(var),
        (-30i64..30, 1i64..9).prop_map(|(p, q)| Expr::from(p) / Expr::from(q)),
        Just(Expr::pi()),
        Just(Expr::e()),
    ]
}

/// Every construct: the operators, every one- and two-argument function, `if` on a
/// comparison (with `not`, `and`, `or`).
fn expression() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(6, 48, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone(), 0..5usize).prop_map(|(a, b, k)| match k {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                3 => a / (b * b + 1),
                _ => a.pow(b),
            }),
            inner.clone().prop_map(|a| -a),
            (inner.clone(), 0..Func::ALL.len()).prop_map(|(a, k)| a.apply(Func::ALL[k])),
            (inner.clone(), inner.clone(), 0..Func2::ALL.len())
                .prop_map(|(a, b, k)| a.apply2(Func2::ALL[k], b)),
            (
                inner.clone(),
                inner.clone(),
                inner,
                0..CmpOp::ALL.len(),
                0..4usize
            )
                .prop_map(|(a, b, c, k, m)| {
                    let cond = Expr::compare(CmpOp::ALL[k], a, b);
                    let cond = match m {
                        0 => !cond,
                        1 => cond.and(Expr::compare(CmpOp::Gt, c, a)),
                        2 => cond.or(Expr::compare(CmpOp::Le, c, b)),
                        _ => cond,
                    };
                    Expr::if_else(cond, b, c)
                }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_expressions_stream_the_former_bytes(e in expression()) {
        check(e);
    }

    /// Shared subexpressions (each node once in `nodes`).
    #[test]
    fn shared_expressions_stream_the_former_bytes(e in expression(), n in 1usize..6) {
        let mut f = e;
        for _ in 0..n {
            f = f * (f + e).sin();
        }
        check(f);
    }
}

/// Deep and long inputs: no recursion on the expression (the former writer had none either).
#[test]
fn deep_and_long_expressions_stream_the_former_bytes() {
    let x = var("x");
    let mut chain = x;
    for _ in 0..20_000 {
        chain = chain.sin();
    }
    let mut sum = x;
    for k in 1..20_000 {
        sum = sum + var(&format!("x{k}")) * k as i64;
    }
    let mut logistic = x;
    for _ in 0..30 {
        logistic = 4 * logistic * (1 - logistic);
    }
    for e in [chain, sum, logistic] {
        check(e);
    }
}
