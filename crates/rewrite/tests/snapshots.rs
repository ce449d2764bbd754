//! Snapshot tests of derivative forms. Each snapshot is a claim that the form is right (and
//! small); every derivative is also checked against a numeric derivative at two points.
//! Simplification runs with a generous time limit so the forms do not depend on machine speed.

mod common;

use common::*;
use std::time::Duration;
use symdiff_expr::{parse, Expr, Point};
use symdiff_rewrite::{d_with, gradient, hessian, simplify_with, Options};

fn options() -> Options {
    Options {
        time_limit: Duration::from_secs(60),
        ..Options::default()
    }
}

/// Candidate points (each variable offset a little from the next), in the order tried.
fn points<'a>(vars: &'a [&'a str]) -> impl Iterator<Item = Point> + 'a {
    [0.3, 0.7, 1.3, 1.7, 2.5].into_iter().map(move |t| {
        vars.iter()
            .enumerate()
            .map(|(i, &v)| (v, t + 0.1 * i as f64))
            .collect()
    })
}

/// Differentiates `input` by `vars` in turn, checks the value numerically and renders the
/// snapshot text.
fn derivative(input: &str, vars: &[&str]) -> String {
    let f = parse(input).unwrap();
    let r = d_with(&f, vars, &options()).unwrap();
    let mut reference = f;
    for v in vars {
        reference = reference.derivative(symdiff_expr::var(v));
    }
    let mut all_vars: Vec<String> = f.free_vars().into_iter().collect();
    all_vars.extend(vars.iter().map(|v| v.to_string()));
    let all_vars: Vec<&str> = all_vars.iter().map(String::as_str).collect();
    assert_agrees_numerically(input, r.expr, reference, points(&all_vars), 1e-5);
    let s = &r.stats;
    format!(
        "d/d{} {input}\n= {}\nraw: tree {} dag {}; simplified: tree {} dag {}",
        vars.join(" d"),
        r.expr,
        s.raw.tree,
        s.raw.dag,
        s.simplified.tree,
        s.simplified.dag
    )
}

macro_rules! snapshot {
    ($name:ident, $input:expr, $($var:expr),+) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(derivative($input, &[$($var),+]));
        }
    };
}

// egg's math test cases.
snapshot!(egg_d_x_x, "x", "x");
snapshot!(egg_d_x_y, "y", "x");
snapshot!(egg_d_1_plus_2x, "1 + 2*x", "x");
snapshot!(egg_d_1_plus_yx, "1 + y*x", "x");
snapshot!(egg_d_ln_x, "ln(x)", "x");
snapshot!(egg_d_x_cubed, "x^3", "x");
snapshot!(egg_d_x3_minus_7x2, "x^3 - 7*x^2", "x");

// The seed document's examples.
snapshot!(seed_squared_sum, "4*(cos(x) + 2*x - exp(x))^2", "x");
snapshot!(seed_partial_x1, "x1*x2 + x2 - ln(x1)", "x1");
snapshot!(seed_partial_x2, "x1*x2 + x2 - ln(x1)", "x2");

// The logistic map of Baydin et al. (2018), Table 1: l1 = x, l(n+1) = 4*l(n)*(1 - l(n)).
snapshot!(logistic_1, "x", "x");
snapshot!(logistic_2, "4*x*(1 - x)", "x");
snapshot!(logistic_3, "l2 = 4*x*(1 - x); 4*l2*(1 - l2)", "x");
snapshot!(
    logistic_4,
    "l2 = 4*x*(1 - x); l3 = 4*l2*(1 - l2); 4*l3*(1 - l3)",
    "x"
);

// Every function with a non-trivial inner argument (the chain rule).
snapshot!(chain_sin, "sin(x^2)", "x");
snapshot!(chain_cos, "cos(2*x + 1)", "x");
snapshot!(chain_tan, "tan(x^2)", "x");
snapshot!(chain_asin, "asin(x/2)", "x");
snapshot!(chain_acos, "acos(x^2)", "x");
snapshot!(chain_atan, "atan(3*x)", "x");
snapshot!(chain_sinh, "sinh(x^2)", "x");
snapshot!(chain_cosh, "cosh(2*x)", "x");
snapshot!(chain_tanh, "tanh(x^2)", "x");
snapshot!(chain_exp, "exp(-x^2)", "x");
snapshot!(chain_ln, "ln(x^2 + 1)", "x");
snapshot!(chain_sqrt, "sqrt(1 + x^2)", "x");

// Quotients.
snapshot!(quotient_simple, "x/(1 + x)", "x");
snapshot!(quotient_rational, "(x^2 + 1)/(x^3 - 2*x + 5)", "x");
snapshot!(quotient_reciprocal, "1/x", "x");
snapshot!(quotient_sinc, "sin(x)/x", "x");

// General powers.
snapshot!(power_x_to_x, "x^x", "x");
snapshot!(power_x_to_sin, "x^sin(x)", "x");
snapshot!(power_2_to_x, "2^x", "x");
snapshot!(power_sqrt_form, "x^(1/2)", "x");

// Nested compositions.
snapshot!(nested_sin_cos, "sin(cos(x))", "x");
snapshot!(nested_exp_sin_exp, "exp(sin(exp(x)))", "x");
snapshot!(nested_ln_ln, "ln(ln(x))", "x");
snapshot!(nested_sqrt, "sqrt(sin(x)^2 + 1)", "x");

// Named constants and constants.
snapshot!(constant_pi, "pi*x^2", "x");
snapshot!(constant_e_pow, "e^x", "x");
snapshot!(constant_only, "5", "x");

// Higher-order and mixed partials.
snapshot!(second_x_sin, "x*sin(x)", "x", "x");
snapshot!(second_x_to_x, "x^x", "x", "x");
snapshot!(second_gaussian, "exp(-x^2)", "x", "x");
snapshot!(mixed_partial, "x^2*y^3", "x", "y");

// The table of issue 14: what a CAS user expects (Baydin n = 2 and 3 are logistic_2 and
// logistic_3, the second derivative of x*sin(x) is second_x_sin).
snapshot!(table_poly_cube, "(x^2 + 1)^3", "x");
snapshot!(table_sin_cos, "sin(x)*cos(x)", "x");

/// Simplifies `input`, checks the value at a few points and renders the snapshot text.
fn simplified(input: &str) -> String {
    let f = parse(input).unwrap();
    let r = simplify_with(&f, &options()).unwrap();
    let vars: Vec<String> = f.free_vars().into_iter().collect();
    let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
    for p in points(&vars) {
        if let Ok(want) = f.eval(&p) {
            let got = r.expr.eval(&p).unwrap();
            assert!(close(got, want, 1e-12), "{input} = {} at {p}", r.expr);
        }
    }
    format!(
        "simplify {input}\n= {}\ninput: tree {} dag {}; simplified: tree {} dag {}",
        r.expr,
        r.stats.input.tree,
        r.stats.input.dag,
        r.stats.simplified.tree,
        r.stats.simplified.dag
    )
}

macro_rules! simplify_snapshot {
    ($name:ident, $input:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(simplified($input));
        }
    };
}

simplify_snapshot!(table_square_identity, "(x+1)^2 - x^2 - 2*x - 1");
simplify_snapshot!(table_difference_of_squares, "(x - y)*(x + y) - (x^2 - y^2)");
simplify_snapshot!(table_cancelled_quotient, "(x^2 - 1)/(x - 1) - (x + 1)");
simplify_snapshot!(table_like_terms, "4 - 4*x - 4*x");
simplify_snapshot!(table_radicals, "sqrt(3)/(sqrt(2)*2^(5/2)*3^(3/2))");
simplify_snapshot!(table_common_denominator, "1/(4*(x^2/4 + 1)) - 1/(x^2 + 4)");
simplify_snapshot!(table_derivative_inside, "d(x, x^3)");
simplify_snapshot!(table_radical_kept, "sqrt(1 - x^2/4)");

fn matrix(entries: &[Expr], cols: usize) -> String {
    entries
        .chunks(cols)
        .map(|row| {
            row.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn gradient_of_seed() {
    let f = parse("x1*x2 + x2 - ln(x1)").unwrap();
    let g = gradient(&f, &["x1", "x2"]).unwrap();
    let at: Point = "x1=3,x2=-4".parse().unwrap();
    assert!(close(g.entries[0].eval(&at).unwrap(), -13.0 / 3.0, 1e-14));
    assert!(close(g.entries[1].eval(&at).unwrap(), 4.0, 1e-14));
    insta::assert_snapshot!(format!(
        "{}\ndag {}",
        matrix(&g.entries, 2),
        g.stats.simplified.dag
    ));
}

#[test]
fn hessian_of_mixed() {
    let f = parse("x^2*y + sin(x*y)").unwrap();
    let h = hessian(&f, &["x", "y"]).unwrap();
    let at: Point = "x=0.3,y=0.7".parse().unwrap();
    let (x, y) = (0.3f64, 0.7f64);
    let s = (x * y).sin();
    let expected = [
        2.0 * y - y * y * s,
        2.0 * x + (x * y).cos() - x * y * s,
        2.0 * x + (x * y).cos() - x * y * s,
        -x * x * s,
    ];
    for (e, want) in h.entries.iter().zip(expected) {
        assert!(close(e.eval(&at).unwrap(), want, 1e-13), "{e}");
    }
    insta::assert_snapshot!(format!(
        "{}\ndag {}",
        matrix(&h.entries, 2),
        h.stats.simplified.dag
    ));
}
