//! Reading and writing at scale: the CPU time of parsing, measuring, printing and reading back
//! the Rosenbrock function of issue 9's scale benchmark, as text of 10^3..10^6 DAG nodes (the
//! input of `symdiff grad` and `symdiff stats`). One process per size, so that every parse is
//! cold (the expression store starts empty, as in the command line).
//!
//! ```text
//! cargo run --release -p symdiff-expr --example io_scale              # n = 1000, 10^4, 10^5, 111112
//! cargo run --release -p symdiff-expr --example io_scale -- 111112     # one size
//! ```
//!
//! Columns: the input text's size, its DAG, then CPU milliseconds of `parse` (cold: every node
//! is new to the store), `metrics` (tree and DAG sizes, depth, operator counts: what
//! `symdiff stats` adds to parsing), printing (`to_string`: bindings every 64 levels of the
//! long sum, lines broken at 100 columns), parsing the printed text back (warm: every node is in
//! the store already, so this is the parser without the store's growth), and the JSON node list
//! (`to_json`, serialised); and parse's CPU nanoseconds per DAG node.

use std::process::Command;
use symdiff_expr::{parse, Expr};

/// The text `scale_casadi.py` writes for Rosenbrock with `n` variables: `sum_{i=1}^{n-1}
/// 100*(x{i+1} - x{i}^2)^2 + (1 - x{i})^2`.
fn rosenbrock_text(n: usize) -> String {
    let terms: Vec<String> = (1..n)
        .map(|i| format!("100*(x{} - x{i}^2)^2 + (1 - x{i})^2", i + 1))
        .collect();
    terms.join(" + ")
}

/// CPU time of this process so far, in seconds (the machine may be shared: CPU time does not
/// count waiting for a core).
fn cpu_seconds() -> f64 {
    cpu_time::ProcessTime::try_now().map_or(f64::NAN, |t| t.as_duration().as_secs_f64())
}

/// The value of `f` and the CPU milliseconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = cpu_seconds();
    let value = f();
    (value, (cpu_seconds() - start) * 1e3)
}

/// Measures one size in this process and prints its table row.
fn row(n: usize) {
    let text = rosenbrock_text(n);
    let (f, parse_ms) = timed(|| parse(&text).expect("Rosenbrock parses"));
    let (metrics, metrics_ms) = timed(|| f.metrics());
    let (printed, print_ms) = timed(|| f.to_string());
    let (back, reread_ms) = timed(|| parse(&printed).expect("printed text parses"));
    assert_eq!(back, f, "printed text reads back");
    let (json, json_ms) = timed(|| f.to_json().to_string());
    assert_eq!(
        Expr::from_json(&serde_json::from_str(&json).expect("JSON")).expect("JSON reads back"),
        f
    );
    println!(
        "| {n} | {} | {} | {parse_ms:.1} | {metrics_ms:.1} | {print_ms:.1} | {reread_ms:.1} | \
         {json_ms:.1} | {:.0} |",
        text.len(),
        metrics.dag,
        parse_ms * 1e6 / metrics.dag as f64,
    );
}

fn main() {
    let sizes: Vec<usize> = match std::env::args().nth(1) {
        Some(n) => {
            row(n.parse().expect("a size"));
            return;
        }
        None => vec![1000, 10_000, 100_000, 111_112],
    };
    println!(
        "| n | text bytes | DAG nodes | parse (cold) | metrics | print | parse printed (warm) | \
         JSON | parse ns / node |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let me = std::env::current_exe().expect("the example's path");
    for n in sizes {
        let status = Command::new(&me)
            .arg(n.to_string())
            .status()
            .expect("run one size");
        assert!(status.success(), "size {n} failed");
    }
}
