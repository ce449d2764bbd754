//! End to end through the facade, as a user of the `symdiff` crate would: parse, differentiate,
//! measure, compile, cross-check. Also the swell claim of the README as a (deterministic, size
//! only) regression test.

use symdiff::ad::CheckOptions;
use symdiff::{check, compile, d, gradient, hessian, parse, var, Expr, Point};

fn logistic(k: usize) -> Expr {
    (1..k).fold(var("x"), |l, _| 4 * l * (1 - l))
}

#[test]
fn the_logistic_derivative_stays_within_twice_the_input_dag() {
    for k in 1..=20 {
        let r = d(&logistic(k), "x").unwrap();
        let (input, result) = (r.stats.input.dag, r.stats.simplified.dag);
        assert!(
            result <= 2 * input,
            "k = {k}: derivative DAG {result} vs input DAG {input}"
        );
        // ... while its tree grows exponentially: beyond 2^k nodes from k = 8 on.
        if k >= 8 {
            assert!(r.stats.simplified.tree > (1u64 << k).into(), "k = {k}");
        }
    }
}

#[test]
fn the_seed_examples_through_every_layer() {
    // 4*(cos(x) + 2x - e^x)^2: d/dx = 8*(cos x + 2x - e^x)*(2 - sin x - e^x).
    let f = parse("4*(cos(x) + 2*x - exp(x))^2").unwrap();
    let df = d(&f, "x").unwrap();
    let closed = |x: f64| 8.0 * (x.cos() + 2.0 * x - x.exp()) * (2.0 - x.sin() - x.exp());
    let compiled = compile(&df.expr, &["x"]).unwrap();
    for x in [-1.5, -0.3, 0.0, 0.4, 1.7] {
        let at = Point::new().with("x", x);
        let want = closed(x);
        assert!((df.expr.eval(&at).unwrap() - want).abs() <= 1e-12 * want.abs().max(1.0));
        assert!((compiled.call(&[x]) - want).abs() <= 1e-12 * want.abs().max(1.0));
    }
    assert!(check(f, &["x"], &CheckOptions::default()).unwrap().passed());

    // y = x1*x2 + x2 - ln(x1) at (3, -4): gradient (-13/3, 4), Hessian [[1/9, 1], [1, 0]].
    let y = parse("x1*x2 + x2 - ln(x1)").unwrap();
    let at: Point = "x1=3,x2=-4".parse().unwrap();
    let g = gradient(&y, &["x1", "x2"]).unwrap();
    let values: Vec<f64> = g.entries.iter().map(|e| e.eval(&at).unwrap()).collect();
    assert!(
        (values[0] + 13.0 / 3.0).abs() < 1e-15 && values[1] == 4.0,
        "{values:?}"
    );
    let h = hessian(&y, &["x1", "x2"]).unwrap();
    let hv: Vec<f64> = h.entries.iter().map(|e| e.eval(&at).unwrap()).collect();
    assert!(
        (hv[0] - 1.0 / 9.0).abs() < 1e-15 && hv[1] == 1.0 && hv[2] == 1.0 && hv[3] == 0.0,
        "{hv:?}"
    );
    assert!(check(y, &["x1", "x2"], &CheckOptions::default())
        .unwrap()
        .passed());
}

#[test]
fn printed_derivatives_read_back() {
    for k in [3, 8, 15] {
        let r = d(&logistic(k), "x").unwrap();
        let text = r.expr.to_string();
        assert_eq!(parse(&text).unwrap(), r.expr, "k = {k}");
    }
}
