//! The exact tree counts (`metrics::tree_counts`, behind `Metrics` and the rewrite crate's
//! `Size`) against independent counts: walking the unfolded tree node by node on small DAGs, a
//! memoised count in big integers on deep ones, and closed forms (the logistic map).

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use symdiff_expr::egg::{Id, Language, Symbol};
use symdiff_expr::metrics::{dag_tree_size, tree_counts};
use symdiff_expr::{var, BigUint, Expr, Math, NamedConst};

/// A random DAG, children first: three leaves, then `ops` nodes of arity 1 to 3, each child
/// one of the `window` nodes built last (a small window makes deep DAGs with big counts).
/// Children may repeat (`x*x`), and early nodes may be unreachable from the last one.
fn random_dag(rng: &mut StdRng, ops: usize, window: usize) -> Vec<Math> {
    let mut nodes = vec![
        Math::Var(Symbol::from("x")),
        Math::Named(NamedConst::Pi),
        Math::Var(Symbol::from("y")),
    ];
    for _ in 0..ops {
        let n = nodes.len();
        let shape = rng.gen_range(0..5);
        let mut pick = || Id::from(n - 1 - rng.gen_range(0..n.min(window)));
        let node = match shape {
            0 => Math::Sin(pick()),
            1 => Math::Add([pick(), pick()]),
            2 => Math::Mul([pick(), pick()]),
            3 => Math::Sub([pick(), pick()]),
            _ => Math::If([pick(), pick(), pick()]),
        };
        nodes.push(node);
    }
    nodes
}

/// The nodes of class `k` (by `class_of`) in the trees of `roots`, walking every tree node.
fn walk(nodes: &[Math], roots: &[Id], class_of: impl Fn(usize) -> usize, k: usize) -> u64 {
    let mut count = 0;
    let mut stack: Vec<Id> = roots.to_vec();
    while let Some(id) = stack.pop() {
        let i = usize::from(id);
        count += u64::from(class_of(i) == k);
        stack.extend(nodes[i].children());
    }
    count
}

/// The nodes of class `k` in the trees of `roots`, memoised bottom-up in big integers (the
/// straightforward algorithm, all counts kept).
fn memoised(nodes: &[Math], roots: &[Id], class_of: impl Fn(usize) -> usize, k: usize) -> BigUint {
    let mut under: Vec<BigUint> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let mut t = BigUint::from(u32::from(class_of(i) == k));
        for &c in node.children() {
            t += &under[usize::from(c)];
        }
        under.push(t);
    }
    roots.iter().map(|&r| &under[usize::from(r)]).sum()
}

/// Classes for the tests: by operator arity (leaves, unary, binary, ternary).
fn arity(nodes: &[Math]) -> impl Fn(usize) -> usize + '_ {
    |i| nodes[i].children().len()
}

#[test]
fn small_random_dags_agree_with_walking_the_tree() {
    let mut rng = StdRng::seed_from_u64(19);
    for case in 0..300 {
        let (ops, window) = (rng.gen_range(0..40), rng.gen_range(1..8));
        let nodes = random_dag(&mut rng, ops, window);
        let last = Id::from(nodes.len() - 1);
        let roots: Vec<Id> = match case % 3 {
            0 => vec![last],
            1 => vec![last, last, Id::from(0)],
            _ => vec![Id::from(nodes.len() / 2), last],
        };
        if memoised(&nodes, &roots, |_| 0, 0) > BigUint::from(200_000u32) {
            continue; // too big to walk
        }
        let counts = tree_counts(&nodes, &roots, 4, arity(&nodes));
        for (k, count) in counts.iter().enumerate() {
            let walked = walk(&nodes, &roots, arity(&nodes), k);
            assert_eq!(
                *count,
                BigUint::from(walked),
                "case {case}, arity {k}: {nodes:?}"
            );
        }
        let total = walk(&nodes, &roots, |_| 0, 0);
        assert_eq!(
            dag_tree_size(&nodes, &roots),
            BigUint::from(total),
            "case {case}"
        );
    }
}

#[test]
fn deep_random_dags_agree_with_a_memoised_count() {
    // Windows of 2 to 6 nodes over hundreds of operations: counts of hundreds to thousands
    // of bits, the big-number path with its written-out and deferred sums.
    let mut rng = StdRng::seed_from_u64(91);
    let mut largest = 0;
    for case in 0..60 {
        let (ops, window) = (rng.gen_range(50..3000), rng.gen_range(2..7));
        let nodes = random_dag(&mut rng, ops, window);
        let last = Id::from(nodes.len() - 1);
        let roots = [last, Id::from(nodes.len() * 2 / 3), last];
        let counts = tree_counts(&nodes, &roots, 4, arity(&nodes));
        for (k, count) in counts.iter().enumerate() {
            let expected = memoised(&nodes, &roots, arity(&nodes), k);
            assert_eq!(*count, expected, "case {case}, arity {k}");
            largest = largest.max(expected.bits());
        }
        let total = memoised(&nodes, &roots, |_| 0, 0);
        assert_eq!(dag_tree_size(&nodes, &roots), total, "case {case}");
    }
    assert!(largest > 1000, "big counts reached: {largest} bits");
}

#[test]
fn counts_just_past_u64_are_exact() {
    // A chain of doublings: t(k) = 2 t(k-1) + 1 = 2^(k+1) - 1 nodes, through u64::MAX
    // (k = 63) and past it; `x*x` repeats its child.
    let mut nodes = vec![Math::Var(Symbol::from("x"))];
    for k in 1..=130usize {
        nodes.push(Math::Mul([Id::from(k - 1), Id::from(k - 1)]));
        let expected = (BigUint::from(1u32) << (k + 1)) - 1u32;
        assert_eq!(dag_tree_size(&nodes, &[Id::from(k)]), expected, "k = {k}");
    }
}

fn logistic(steps: usize) -> Expr {
    let mut l = var("x");
    for _ in 0..steps {
        l = 4 * l * (1 - l);
    }
    l
}

#[test]
fn the_logistic_map_at_depth_200_has_its_closed_form() {
    // l(k+1) = 4*l(k)*(1 - l(k)) from l(0) = x: T(k) = 3 * 2^(k+1) - 5 nodes; per operator
    // 2^(k+1) - 2 products, 2^k - 1 differences, 2^k copies of x, 2^(k+1) - 2 constants.
    let l = logistic(200);
    let m = l.metrics();
    let pow2 = |n: usize| BigUint::from(1u32) << n;
    assert_eq!(m.tree, BigUint::from(3u32) * pow2(201) - 5u32);
    assert_eq!(m.ops["*"].tree, pow2(201) - 2u32);
    assert_eq!(m.ops["-"].tree, pow2(200) - 1u32);
    assert_eq!(m.ops["var"].tree, pow2(200));
    assert_eq!(m.ops["num"].tree, pow2(201) - 2u32);
    assert_eq!(m.tree_ops, pow2(201) - 2u32 + pow2(200) - 1u32);
    let rec = l.to_recexpr();
    let root = Id::from(rec.as_ref().len() - 1);
    assert_eq!(dag_tree_size(rec.as_ref(), &[root]), m.tree);
}

#[test]
fn the_logistic_map_at_depth_10000_has_its_closed_form() {
    // The benchmark's size: 3 * 2^10001 - 5 nodes, each step's count from the last one's.
    let l = logistic(10_000);
    let rec = l.to_recexpr();
    let root = Id::from(rec.as_ref().len() - 1);
    let expected = BigUint::from(3u32) * (BigUint::from(1u32) << 10_001) - 5u32;
    assert_eq!(dag_tree_size(rec.as_ref(), &[root]), expected);
}

#[test]
fn unreachable_nodes_and_absent_classes_count_zero() {
    // x, y, x + y, sin(x): counting from x + y only leaves sin(x) out.
    let nodes = vec![
        Math::Var(Symbol::from("x")),
        Math::Var(Symbol::from("y")),
        Math::Add([Id::from(0), Id::from(1)]),
        Math::Sin(Id::from(0)),
    ];
    let counts = tree_counts(&nodes, &[Id::from(2)], 4, arity(&nodes));
    let small = |n: u32| BigUint::from(n);
    assert_eq!(counts, [small(2), small(0), small(1), small(0)]);
    assert_eq!(dag_tree_size(&nodes, &[]), small(0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tree_counts_agree_with_the_memoised_count(seed in any::<u64>(), ops in 1usize..400, window in 1usize..5) {
        let mut rng = StdRng::seed_from_u64(seed);
        let nodes = random_dag(&mut rng, ops, window);
        let roots = [Id::from(nodes.len() - 1), Id::from(nodes.len() / 3)];
        let counts = tree_counts(&nodes, &roots, 4, arity(&nodes));
        for (k, count) in counts.iter().enumerate() {
            prop_assert_eq!(count, &memoised(&nodes, &roots, arity(&nodes), k));
        }
    }
}
