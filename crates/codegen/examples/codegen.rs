//! A tour of symdiff-codegen: compile an expression, call it, evaluate a batch, emit Rust,
//! compile a gradient.
//!
//! Run with `cargo run -p symdiff-codegen --example codegen`.

use symdiff_codegen::{compile, compile_gradient, to_rust_source, to_rust_source_gradient};
use symdiff_expr::{parse, var};

fn main() {
    // The seed's example, compiled to a straight-line program.
    let f = parse("4*(cos(x) + 2*x - exp(x))^2").unwrap();
    let compiled = compile(&f, &["x"]).unwrap();
    println!("f = {f}\nprogram:\n{}", compiled.program());
    println!("f(0.5) = {}", compiled.call(&[0.5]));

    // Errors are values with `try_call`, IEEE NaN/inf with `call`.
    let g = compile(&parse("x1*x2 + x2 - ln(x1)").unwrap(), &["x1", "x2"]).unwrap();
    println!("g(3, -4) = {}", g.call(&[3.0, -4.0]));
    println!(
        "g(-1, 1) via try_call: {}",
        g.try_call(&[-1.0, 1.0]).unwrap_err()
    );

    // A batch over many points (one slice per variable).
    let xs: Vec<f64> = (0..8).map(|i| i as f64 / 8.0).collect();
    let mut out = vec![0.0; xs.len()];
    compiled.eval_batch(&[&xs], &mut out).unwrap();
    println!("batch: {out:?}");

    // The logistic map: a long chain whose shared nodes become `let` bindings.
    let mut l = var("x");
    for _ in 1..5 {
        l = 4 * l * (1 - l);
    }
    println!("{}", to_rust_source("logistic5", &l, &["x"]).unwrap());
    println!("{}", to_rust_source("seed", &f, &["x"]).unwrap());

    // A gradient: the value and every partial derivative from one program.
    let y = parse("x1*x2 + x2 - ln(x1)").unwrap();
    let grad = compile_gradient(&y, &["x1", "x2"]).unwrap();
    let (value, partials) = grad.call(&[3.0, -4.0]);
    println!("y(3, -4) = {value}, gradient = {partials:?}");
    println!(
        "{}",
        to_rust_source_gradient("y_and_gradient", &y, &["x1", "x2"]).unwrap()
    );
}
