//! A first tour: parse, differentiate, look at the swell statistics, evaluate, compile, and
//! cross-check against automatic differentiation.
//!
//! Run with `cargo run --example quickstart`.

use symdiff::{d, gradient, parse, var, Point, Sharing};

fn main() {
    // The seed document's first example: f(x) = 4*(cos(x) + 2x - e^x)^2.
    let f = parse("4*(cos(x) + 2*x - exp(x))^2").expect("parses");
    let df = d(&f, "x").expect("differentiates");
    println!("f      = {f}");
    println!("df/dx  = {}", df.expr);
    println!("LaTeX  : {}", df.expr.to_latex());
    let s = &df.stats;
    println!(
        "sizes  : input DAG {}, raw derivative DAG {} (tree {}), simplified DAG {} (tree {}); {} ms",
        s.input.dag,
        s.raw.dag,
        s.raw.tree,
        s.simplified.dag,
        s.simplified.tree,
        s.time.total.as_secs_f64() * 1e3
    );
    let at: Point = "x=0.5".parse().expect("a point");
    println!("df/dx at x = 0.5: {}", df.expr.eval(&at).expect("defined"));

    // The second example, y = x1*x2 + x2 - ln(x1): its gradient at (3, -4) is (-13/3, 4).
    let y = parse("x1*x2 + x2 - ln(x1)").expect("parses");
    let g = gradient(&y, &["x1", "x2"]).expect("differentiates");
    let at: Point = "x1=3,x2=-4".parse().expect("a point");
    for (name, entry) in ["x1", "x2"].iter().zip(&g.entries) {
        println!(
            "dy/d{name} = {entry} = {}",
            entry.eval(&at).expect("defined")
        );
    }

    // Expression swell: the logistic map l(k+1) = 4 l(k) (1 - l(k)) at k = 12.
    let x = var("x");
    let l12 = (1..12).fold(x, |l, _| 4 * l * (1 - l));
    let dl = d(&l12, "x").expect("differentiates");
    println!(
        "logistic k=12: input DAG {}, derivative tree {} nodes but DAG {} nodes ({:.2}x the input)",
        dl.stats.input.dag,
        dl.stats.simplified.tree,
        dl.stats.simplified.dag,
        dl.stats.simplified.dag as f64 / dl.stats.input.dag as f64
    );
    println!("its derivative, printed with shared subexpressions bound once:");
    println!("{}", dl.expr.to_infix(100, Sharing::Auto));

    // Compile to a closure and check against forward/reverse AD and numeric differences.
    let compiled = symdiff::compile(&dl.expr, &["x"]).expect("compiles");
    println!("compiled derivative at x = 0.3: {}", compiled.call(&[0.3]));
    let report = symdiff::check(l12, &["x"], &Default::default()).expect("checks");
    println!(
        "cross-check: {}",
        if report.passed() {
            "all methods agree"
        } else {
            "DISAGREEMENT"
        }
    );
}
