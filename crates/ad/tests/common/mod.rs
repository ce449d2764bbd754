//! The random expressions the property tests draw (one generator for every test binary of
//! this crate): every construct of the language — `+ - * /`, negation, the three kinds of
//! powers, every one-argument function (`Func::ALL`), every two-argument function
//! (`Func2::ALL`), and `if` on comparisons (`CmpOp::ALL`) combined with `and`, `or`, `not` —
//! over the variables x, y, z and rational, `pi` and `e` constants; depth ≤ 6.
//!
//! Kinks and ties (`abs(0)`, `max(a, a)`, the boundary of an `if`) are reached only on sets of
//! measure zero by the random points, and every derivative path follows the same conventions
//! there; numeric differences skip points whose step straddles one (`AdError::Kink`).

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use symdiff_expr::{parse, var, CmpOp, Expr, Func, Func2};

/// A variable, a small integer, a rational or a named constant.
pub fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        6 => prop::sample::select(vec!["x", "y", "z"]).prop_map(var),
        2 => (-3i64..=5).prop_map(Expr::from),
        1 => prop::sample::select(vec!["0.5", "1.5", "0.1", "2/3", "-0.25"]).prop_map(|s| parse(s).unwrap()),
        1 => prop_oneof![Just(Expr::pi()), Just(Expr::e())],
    ]
}

/// Expressions of depth at most 6 (five levels of operators above the leaves).
pub fn expression() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 2, |inner| {
        let comparison = |inner: BoxedStrategy<Expr>| {
            (inner, leaf(), prop::sample::select(CmpOp::ALL.to_vec()))
                .prop_map(|(a, b, op)| Expr::compare(op, a, b))
        };
        let condition = (comparison(inner.clone()), comparison(inner.clone()), 0..5usize)
            .prop_map(|(c, d, how)| match how {
                0 | 1 => c,
                2 => !c,
                3 => c.and(d),
                _ => c.or(d),
            });
        prop_oneof![
            4 => (inner.clone(), inner.clone(), 0..4usize).prop_map(|(a, b, op)| match op {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                _ => a / b,
            }),
            4 => (inner.clone(), prop::sample::select(Func::ALL.to_vec())).prop_map(|(a, f)| a.apply(f)),
            1 => (inner.clone(), inner.clone(), prop::sample::select(Func2::ALL.to_vec()))
                .prop_map(|(a, b, f)| a.apply2(f, b)),
            1 => (condition, inner.clone(), inner.clone()).prop_map(|(c, a, b)| Expr::if_else(c, a, b)),
            1 => inner.clone().prop_map(|a| -a),
            2 => (inner.clone(), -3i32..=4).prop_map(|(a, n)| a.pow(n)),
            1 => (inner.clone(), prop::sample::select(vec!["1/2", "1/3", "3/2", "-1/2", "pi"]))
                .prop_map(|(a, c)| a.pow(parse(c).unwrap())),
            1 => (inner.clone(), inner).prop_map(|(a, b)| a.pow(b)),
        ]
    })
}

/// A property-test configuration of `cases` cases whose failures are persisted next to the
/// test's source, as `tests/<name>.proptest-regressions` (proptest's default looks for a
/// `lib.rs` above the file, which an integration test does not have), and replayed first.
///
/// The random seed is fixed, so every run (and CI) draws the same cases; set
/// `PROPTEST_RNG_SEED` to explore other seeds (a failure found that way is kept in the
/// regressions file and replayed first).
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: std::env::var("PROPTEST_RNG_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(RngSeed::Fixed(0x5eed_2026), RngSeed::Fixed),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}
