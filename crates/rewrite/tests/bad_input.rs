//! Bad and extreme input: clear errors, no panics, no expansion, limits that still give correct
//! results.

mod common;

use common::*;
use std::time::Duration;
use symdiff_expr::{parse, var, Expr, ParseErrorKind, Point};
use symdiff_rewrite::{d, d_with, gradient, hessian, DiffError, Options, StopReason};

#[test]
fn differentiating_by_a_non_variable_names_it() {
    let f = parse("x^2").unwrap();
    for bad in ["2", "x+y", "", "sin", "pi", "e", "x y", "é"] {
        let err = d(&f, bad).unwrap_err();
        assert_eq!(err, DiffError::NotAVariable(bad.to_string()));
        assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
    }
    assert!(matches!(gradient(&f, &[]), Err(DiffError::Empty(_))));
}

#[test]
fn a_variable_absent_from_the_expression_gives_zero() {
    let f = parse("sin(y)*exp(z) + pi").unwrap();
    assert_eq!(d(&f, "x").unwrap().expr, Expr::from(0));
    assert_eq!(
        hessian(&f, &["x", "w"]).unwrap().entries,
        vec![Expr::from(0); 4]
    );
}

#[test]
fn huge_powers_are_not_expanded() {
    let f = parse("(x+1)^1000000").unwrap();
    let r = d(&f, "x").unwrap();
    assert!(r.stats.simplified.dag <= 8, "{}", r.expr);
    let text = r.expr.to_string();
    assert!(
        text.contains("1000000") && text.contains("999999"),
        "{text}"
    );
    // Its value at x = -1.000001 is 1e6 * (-1e-6)^999999 = -1e6 * 1e-5999994: underflows to -0.
    let near: Point = "x=-1.0000000001".parse().unwrap();
    assert!(r.expr.eval(&near).is_ok_and(|v| v.abs() < 1e-300));
}

fn nest(depth: usize, step: impl Fn(Expr) -> Expr) -> Expr {
    (0..depth).fold(var("x"), |e, _| step(e))
}

#[test]
fn deep_nestings_finish_and_stay_linear() {
    let cases: Vec<(&str, Expr)> = vec![
        ("sin", nest(200, |e| e.sin())),
        (
            "exp-sin",
            nest(200, |e| {
                if usize::from(e.id()) % 2 == 0 {
                    e.exp()
                } else {
                    e.sin()
                }
            }),
        ),
        ("sqrt(1+e^2)", nest(200, |e| (1 + e.pow(2)).sqrt())),
        ("product", nest(200, |e| e * (e + 1))),
    ];
    for (name, f) in cases {
        let r = d(&f, "x").unwrap();
        assert!(
            r.stats.simplified.dag <= 4 * r.stats.input.dag,
            "{name}: {} vs {}",
            r.stats.simplified.dag,
            r.stats.input.dag
        );
        let at: Point = "x=0.1".parse().unwrap();
        let expected = eval_numeric(f.derivative(var("x")), &at);
        let got = r.expr.eval(&at).ok();
        if let (Some(want), Some(got)) = (expected, got) {
            assert!(close(got, want, 1e-4), "{name}: {got} vs {want}");
        }
    }
}

#[test]
fn a_constant_division_by_zero_is_reported_with_its_position() {
    let err = parse("x + 1/0").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::DivisionByZero);
    assert_eq!(err.column, 6, "{err}");
    assert!(err.to_string().contains("division by zero"), "{err}");
}

#[test]
fn hitting_the_time_limit_still_gives_a_correct_derivative() {
    let x = var("x");
    let f = (1..20).fold(x, |l, _| 4 * l * (1 - l));
    let tight = Options {
        time_limit: Duration::from_micros(1),
        ..Options::default()
    };
    let r = d_with(&f, &["x"], &tight).unwrap();
    assert!(
        matches!(r.stats.egraph.stop_reason, StopReason::TimeLimit(_)),
        "{:?}",
        r.stats.egraph.stop_reason
    );
    assert!(r.stats.simplified.dag <= r.stats.raw.dag);
    let at: Point = "x=0.3".parse().unwrap();
    let full = d(&f, "x").unwrap();
    assert!(close(
        r.expr.eval(&at).unwrap(),
        full.expr.eval(&at).unwrap(),
        1e-9
    ));
}

#[test]
fn hitting_the_node_limit_still_gives_a_correct_derivative() {
    let f = parse("(x1 + x2*x3 - sin(x1*x2))^3 / (1 + x3^2)").unwrap();
    let tight = Options {
        node_limit: 50,
        ..Options::default()
    };
    let r = d_with(&f, &["x1"], &tight).unwrap();
    assert!(
        matches!(r.stats.egraph.stop_reason, StopReason::NodeLimit(50)),
        "{:?}",
        r.stats.egraph.stop_reason
    );
    let at: Point = "x1=0.3,x2=0.5,x3=0.7".parse().unwrap();
    let want = eval_numeric(f.derivative(var("x1")), &at).unwrap();
    assert!(close(r.expr.eval(&at).unwrap(), want, 1e-6));
}

#[test]
fn the_differentiation_budget_is_an_error_not_a_panic() {
    let f = nest(50, |e| e * e.sin());
    let tiny = Options {
        diff_node_limit: 20,
        ..Options::default()
    };
    assert!(matches!(
        d_with(&f, &["x"], &tiny),
        Err(DiffError::TooLarge { .. })
    ));
}

#[test]
fn very_deep_chains_finish_and_are_right() {
    // 5000 nested sines: derivative = product of cos(s_k) over the chain s_0 = x, s_k = sin(s_(k-1)).
    let f = nest(5000, |e| e.sin());
    let r = d(&f, "x").unwrap();
    assert!(r.stats.simplified.dag <= 3 * r.stats.input.dag + 1);
    let (mut s, mut want) = (0.7f64, 1.0f64);
    for _ in 0..5000 {
        want *= s.cos();
        s = s.sin();
    }
    let got = r.expr.eval(&"x=0.7".parse().unwrap()).unwrap();
    assert!(close(got, want, 1e-9), "{got} vs {want}");
}

#[test]
fn sweeps_past_their_budget_fail_with_a_clear_error() {
    let xs: Vec<Expr> = (0..200).map(|i| var(&format!("x{i}"))).collect();
    let f = xs.iter().fold(Expr::from(0), |f, &x| f + x.sin() * x);
    let names: Vec<String> = (0..200).map(|i| format!("x{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let tight = Options {
        sweep_node_limit: 500,
        ..Options::default()
    };
    let err = symdiff_rewrite::gradient_with(&f, &names, &tight).unwrap_err();
    assert!(
        matches!(err, DiffError::SweepTooLarge { limit: 500, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("500"), "{err}");
    // With the default budget the same gradient works, every entry present.
    let g = symdiff_rewrite::gradient(&f, &names).unwrap();
    assert_eq!(g.stats.nonzeros, Some(200));
}

#[test]
fn a_dense_hessian_too_large_to_store_is_refused_and_the_sparse_one_works() {
    let n = 4000; // 1.6e7 dense entries, past MAX_DENSE_ENTRIES
    let names: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let f = names
        .iter()
        .fold(Expr::from(0), |f, name| f + var(name).pow(2));
    let err = hessian(&f, &names).unwrap_err();
    assert!(matches!(err, DiffError::DenseTooLarge { .. }), "{err}");
    let h = symdiff_rewrite::sparse_hessian(&f, &names).unwrap();
    assert_eq!(h.entries.len(), n);
    assert!(h
        .entries
        .iter()
        .all(|e| e.row == e.col && e.expr == Expr::from(2)));
}
