//! Issue 9's bad input at scale: a gradient with respect to 10^5 variables and one of a
//! 10^6-node input either work or fail with a clear budget error (never an abort).

use symdiff_expr::{var, Expr, Point};
use symdiff_rewrite::{gradient, gradient_with, DiffError, Options};

/// `sum_{i<n} 100*(x_{i+1} - x_i^2)^2 + (1 - x_i)^2` in `x1..xn` (9n - 6 DAG nodes).
fn rosenbrock(n: usize) -> (Expr, Vec<String>) {
    let names: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let xs: Vec<Expr> = names.iter().map(|s| var(s)).collect();
    let mut f = Expr::from(0);
    for i in 0..n - 1 {
        f = f + (100 * (xs[i + 1] - xs[i].pow(2)).pow(2) + (1 - xs[i]).pow(2));
    }
    (f, names)
}

/// The Rosenbrock gradient's entry `i` (0-based) at the point `x_k = value(k)`.
fn rosenbrock_partial(n: usize, i: usize, value: impl Fn(usize) -> f64) -> f64 {
    let mut g = 0.0;
    if i + 1 < n {
        let (x, y) = (value(i), value(i + 1));
        g += -400.0 * x * (y - x * x) - 2.0 * (1.0 - x);
    }
    if i > 0 {
        let (w, x) = (value(i - 1), value(i));
        g += 200.0 * (x - w * w);
    }
    g
}

#[test]
fn a_gradient_in_a_hundred_thousand_variables_is_right() {
    let n = 100_000;
    let (f, names) = rosenbrock(n);
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    let g = gradient(&f, &vars).unwrap();
    assert_eq!(g.entries.len(), n);
    assert_eq!(g.stats.nonzeros, Some(n));
    // Linear size: a gradient is a few times its function (Baur–Strassen).
    assert!(
        g.stats.simplified.dag <= 2 * g.stats.input.dag,
        "{:?}",
        g.stats
    );
    let value = |k: usize| 0.5 + (k % 7) as f64 * 0.1;
    for i in [0, 1, n / 2, n - 2, n - 1] {
        let lo = i.saturating_sub(1);
        let at = names[lo..(i + 2).min(n)]
            .iter()
            .enumerate()
            .fold(Point::new(), |at, (k, name)| at.with(name, value(lo + k)));
        let got = g.entries[i].eval(&at).unwrap();
        let want = rosenbrock_partial(n, i, value);
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "entry {i}: {got} vs {want}"
        );
    }
}

#[test]
fn a_million_node_input_works_or_fails_with_a_budget_error() {
    let (f, names) = rosenbrock(111_112);
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    let tight = Options {
        sweep_node_limit: 1_500_000,
        ..Options::default()
    };
    let err = gradient_with(&f, &vars, &tight).unwrap_err();
    assert!(
        matches!(
            err,
            DiffError::SweepTooLarge {
                limit: 1_500_000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("sweep_node_limit"), "{err}");
    let g = gradient(&f, &vars).unwrap();
    assert!(g.stats.input.dag >= 1_000_000, "{:?}", g.stats.input);
    assert_eq!(g.entries.len(), 111_112);
}
