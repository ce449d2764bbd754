//! Times the exact tree size (`Size::of_rec`, which `gradient` takes of its input and of its
//! result) where it is a big number: the logistic map to depth 10^4 (tree 3 * 2^10000 - 5
//! nodes) and its gradient (about 2^20000), and a random DAG without that regularity.
//!
//! ```text
//! cargo run --release -p symdiff-rewrite --example tree_size            # depth 10^4
//! cargo run --release -p symdiff-rewrite --example tree_size -- 1000    # another depth
//! ```
//!
//! Prints a markdown table: DAG nodes, bits of the tree size, CPU time of the first call (as
//! `gradient` makes it, in a fresh process) and the best of 15, and one call of
//! `metrics_many` (per-operator counts too).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use symdiff_expr::{metrics_many, to_recexpr_many, var, Expr};
use symdiff_rewrite::{gradient, Size};

fn cpu_seconds() -> f64 {
    cpu_time::ProcessTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

/// `n` operations, each on two of the 64 expressions built last (seeded): a deep DAG whose
/// tree counts have no short recurrence.
fn random_dag(n: usize) -> Expr {
    let mut rng = StdRng::seed_from_u64(9);
    let mut built = vec![var("x"), var("y"), Expr::from(2)];
    for _ in 0..n {
        let pick =
            |rng: &mut StdRng| built[built.len() - 1 - rng.gen_range(0..built.len().min(64))];
        let (a, b) = (pick(&mut rng), pick(&mut rng));
        built.push(match rng.gen_range(0..4) {
            0 => a + b,
            1 => a * b,
            2 => a - b,
            _ => a * b.sin(),
        });
    }
    *built.last().expect("built")
}

fn report(what: &str, exprs: &[Expr]) {
    let (rec, roots) = to_recexpr_many(exprs);
    let mut runs = Vec::new();
    let mut size = None;
    for _ in 0..15 {
        let start = cpu_seconds();
        size = Some(Size::of_rec(&rec, &roots));
        runs.push(cpu_seconds() - start);
    }
    let size = size.expect("measured");
    let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let start = cpu_seconds();
    let metrics = metrics_many(exprs);
    let metrics_ms = (cpu_seconds() - start) * 1e3;
    assert_eq!(
        metrics.tree, size.tree,
        "Size::of_rec and metrics_many agree"
    );
    println!(
        "| {what} | {} | {} | {:.2} | {:.2} | {:.2} |",
        size.dag,
        size.tree.bits(),
        runs[0] * 1e3,
        best * 1e3,
        metrics_ms,
    );
}

fn main() {
    let depth: usize = std::env::args()
        .nth(1)
        .map_or(10_000, |n| n.parse().expect("a depth"));
    let mut l = var("x");
    for _ in 0..depth {
        l = 4 * l * (1 - l);
    }
    let g = gradient(&l, &["x"]).expect("gradient");
    let random = random_dag(3 * depth);
    println!("| case | DAG | tree bits | Size::of_rec ms (first call) | (best of 15) | metrics_many ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    if std::env::var_os("TREE_SIZE_RANDOM_ONLY").is_none() {
        report(&format!("logistic {depth}"), &[l]);
        report("its gradient", &g.entries);
    }
    report(&format!("random DAG, {} operations", 3 * depth), &[random]);
}
