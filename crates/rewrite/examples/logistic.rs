//! Prints the swell table of the logistic map l(k+1) = 4*l(k)*(1 - l(k)), k = 1..20:
//! `cargo run --release -p symdiff-rewrite --example logistic`.

use symdiff_expr::{var, Expr};

fn logistic(k: usize) -> Expr {
    let x = var("x");
    (1..k).fold(x, |l, _| 4 * l * (1 - l))
}

fn main() {
    println!("| k | input DAG | raw tree | raw DAG | simplified tree | simplified DAG | ratio | ms | stop |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for k in 1..=20 {
        let f = logistic(k);
        let r = symdiff_rewrite::d(&f, "x").expect("differentiates");
        let s = &r.stats;
        println!(
            "| {k} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {} |",
            s.input.dag,
            s.raw.tree,
            s.raw.dag,
            s.simplified.tree,
            s.simplified.dag,
            s.simplified.dag as f64 / s.input.dag as f64,
            s.time.total.as_secs_f64() * 1e3,
            s.egraph.stop_reason
        );
    }
}
