//! The logistic map `l(1) = x`, `l(k+1) = 4*l(k)*(1 - l(k))`, built with the builder API: the
//! hash-consed DAG grows linearly with k while the tree it stands for grows exponentially, and
//! the metrics count that tree exactly.
//!
//! The builder writes `4 * l * (1 - l)`, i.e. `(* (* 4 l) (- 1 l))`. Unfolded into a tree, one
//! step adds the two `*`, the `-`, the constants 4 and 1 (five nodes) and two copies of `l(k)`:
//!
//! ```text
//! T(1) = 1,  T(k+1) = 2 T(k) + 5   =>   T(k) = 3 * 2^k - 5      (1, 7, 19, 43, 91, ...)
//! ```
//!
//! In the DAG, `x`, `4` and `1` exist once and each step adds three nodes (`4*l`, `1 - l` and
//! their product): `D(1) = 1`, `D(k) = 3k` for k >= 2. The depth grows by two per step:
//! `depth(k) = 2k - 1`.

use std::time::{Duration, Instant};
use symdiff_expr::{var, BigUint, Expr};

fn logistic(k: usize) -> Expr {
    let mut l = var("x");
    for _ in 1..k {
        l = 4 * l * (1 - l);
    }
    l
}

/// T(k) from the recurrence, in big integers.
fn tree_by_recurrence(k: usize) -> BigUint {
    let mut t = BigUint::from(1u32);
    for _ in 1..k {
        t = t * 2u32 + 5u32;
    }
    t
}

/// The tree size by walking the tree node by node (no sharing, so exponential time: small k).
fn tree_by_walking(e: Expr) -> u64 {
    let mut count = 0;
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        count += 1;
        stack.extend(e.children());
    }
    count
}

#[test]
fn recurrence_matches_hand_counts_and_a_walk() {
    // By hand: l(1) = x (1 node); l(2) = (4*x)*(1 - x): *, *, 4, x, -, 1, x (7 nodes).
    assert_eq!(logistic(1).to_string(), "x");
    assert_eq!(logistic(2).to_string(), "4*x*(1 - x)");
    let expected = [1u64, 7, 19, 43, 91, 187];
    for (k, &t) in (1..).zip(&expected) {
        assert_eq!(tree_by_recurrence(k), BigUint::from(t), "k = {k}");
    }
    for k in 1..=14 {
        let l = logistic(k);
        let walked = tree_by_walking(l);
        assert_eq!(BigUint::from(walked), tree_by_recurrence(k), "k = {k}");
        assert_eq!(l.tree_size(), BigUint::from(walked), "k = {k}");
        assert_eq!(walked, 3 * (1u64 << k) - 5, "closed form, k = {k}");
    }
}

#[test]
fn logistic_map_k40_exact_tree_and_linear_dag() {
    let start = Instant::now();
    let l = logistic(40);
    let m = l.metrics();
    let elapsed = start.elapsed();

    // Tree: 3 * 2^40 - 5, exactly, by the recurrence and by the closed form.
    let expected = tree_by_recurrence(40);
    assert_eq!(expected, BigUint::from(3_298_534_883_323u64));
    assert_eq!(m.tree, expected);
    // DAG: 3 nodes per step; depth: 2 per step.
    assert_eq!(m.dag, 3 * 40);
    assert_eq!(l.dag_size(), 120);
    assert_eq!(m.depth, 2 * 40 - 1);
    // Per operator: 2^k - 2 products, 2^(k-1) - 1 differences, 2^(k-1) copies of x.
    let pow2 = |n: u32| BigUint::from(2u32).pow(n);
    assert_eq!(m.ops["*"].tree, pow2(40) - 2u32);
    assert_eq!(m.ops["-"].tree, pow2(39) - 1u32);
    assert_eq!(m.ops["var"].tree, pow2(39));
    assert_eq!(m.ops["num"].tree, pow2(40) - 2u32);
    assert_eq!(
        (m.ops["*"].dag, m.ops["-"].dag, m.ops["num"].dag),
        (78, 39, 2)
    );
    assert_eq!(m.tree_ops, pow2(40) - 2u32 + pow2(39) - 1u32);
    assert_eq!(m.dag_ops, 117);
    // Building it again adds nothing: the same handle.
    assert_eq!(logistic(40), l);
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
}

#[test]
fn tree_sizes_beyond_u64_are_exact() {
    // At k = 100 the tree has 3 * 2^100 - 5 nodes, far beyond u64; the DAG has 300.
    let l = logistic(100);
    let m = l.metrics();
    let expected = BigUint::from(3u32) * BigUint::from(2u32).pow(100) - 5u32;
    assert!(expected > BigUint::from(u64::MAX));
    assert_eq!(m.tree, expected);
    assert_eq!(m.tree.to_string(), "3802951800684688204490109616123");
    assert_eq!(m.dag, 300);
    // JSON carries the exact value as a string when it exceeds u64.
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["tree"], "3802951800684688204490109616123");
    assert_eq!(json["dag"], 300);
}

#[test]
fn printing_a_shared_dag_binds_instead_of_unfolding() {
    // The tree of l(40) has 3.3e12 nodes; the printed text stays proportional to the DAG and
    // reads back to the same expression.
    let l = logistic(40);
    let text = l.to_string();
    assert!(text.len() < 4_000, "{} bytes", text.len());
    assert!(text.starts_with("t1 = 4*x*(1 - x);"), "{text}");
    assert_eq!(text.parse::<Expr>().unwrap(), l);
}
