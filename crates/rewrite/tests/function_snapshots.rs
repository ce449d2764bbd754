//! Snapshots of the derivative form of every function of the language (issue 11): every
//! one-argument function (`Func::ALL`), every two-argument function (`Func2::ALL`), `if` on
//! comparisons with `and`/`or`/`not`, and a small ReLU/sigmoid neuron. A new function gets its
//! snapshot without a new line here. Each snapshot is a claim that the form is right; each
//! derivative is also checked against a numeric derivative (Richardson extrapolation) at points
//! away from kinks and inside the function's domain.

mod common;

use common::*;
use std::time::Duration;
use symdiff_expr::{parse, var, Func, Func2, Point};
use symdiff_rewrite::{d_with, Options};

fn options() -> Options {
    Options {
        time_limit: Duration::from_secs(60),
        ..Options::default()
    }
}

/// `d/dx input`, checked numerically at the points where the input is defined (at least two),
/// with its sizes, as snapshot text.
fn derivative_form(input: &str) -> String {
    let f = parse(input).unwrap();
    let r = d_with(&f, &["x"], &options()).unwrap();
    let reference = f.derivative(var("x"));
    assert_agrees_numerically(
        input,
        r.expr,
        reference,
        [0.35, 0.8, 1.3, 1.75, 2.6, -0.45, -1.2]
            .into_iter()
            .map(|x| -> Point { [("x", x), ("y", 0.6)].into_iter().collect() }),
        1e-6,
    );
    let s = &r.stats;
    format!(
        "d/dx {input}\n= {}\nLaTeX: {}\nraw: tree {} dag {}; simplified: tree {} dag {}",
        r.expr,
        r.expr.to_latex(),
        s.raw.tree,
        s.raw.dag,
        s.simplified.tree,
        s.simplified.dag
    )
}

/// A non-trivial inner function inside the domain of `f` at the test points (the chain rule
/// shows in the form).
fn inner(f: Func) -> &'static str {
    match f {
        Func::Acosh => "x^2 + 1",
        Func::Atanh | Func::Asin | Func::Acos => "x/3",
        Func::Ln | Func::Log10 | Func::Log2 | Func::Sqrt | Func::Log1p => "x^2 + y",
        _ => "2*x - y",
    }
}

#[test]
fn every_function() {
    for f in Func::ALL {
        let input = format!("{}({})", f.name(), inner(f));
        insta::assert_snapshot!(format!("d_{}", f.name()), derivative_form(&input));
    }
}

#[test]
fn every_two_argument_function() {
    for f in Func2::ALL {
        let input = format!("{}(x^2, 3*x - y)", f.name());
        insta::assert_snapshot!(format!("d_{}", f.name()), derivative_form(&input));
    }
}

#[test]
fn piecewise() {
    let cases = [
        ("if_compare", "if(x > 1, x^2, sin(x))"),
        ("if_or", "if(x < 0 or x > 2, exp(x), x*y)"),
        ("if_and_not", "if(not x <= 0 and y != 1, ln(x), -x)"),
        ("neuron", "sigmoid(3*relu(2*x - y) - 1)"),
        ("softplus_loss", "softplus(-y*(x - 1))"),
    ];
    for (name, input) in cases {
        insta::assert_snapshot!(name, derivative_form(input));
    }
}
