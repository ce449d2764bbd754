//! The standing stress suite of the whole library (issue 13): many threads using parse, `d`,
//! evaluation (with errors) and compilation at once, checked for wrong answers and, by a
//! watchdog, for hangs; and deep and wide inputs of 10^5 nodes through
//! parse → d → print → parse. Plus the library-level regressions of issue 13.

use std::thread;
use std::time::Duration;
use symdiff::{parse, var, DiffError, EvalError, Expr, Point};

#[path = "../crates/expr/tests/support/watchdog.rs"]
mod watchdog;
use watchdog::within;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-10 * a.abs().max(b.abs()).max(1.0)
}

/// Eight threads, each differentiating, evaluating, compiling and failing on purpose, on
/// expressions that overlap (so they share store nodes) and differ (so they add new ones).
#[test]
fn eight_threads_differentiate_evaluate_and_compile_at_once() {
    within(Duration::from_secs(300), || {
        let workers: Vec<_> = (0..8)
            .map(|t| {
                thread::spawn(move || {
                    for i in 0..40 {
                        let k = (t * 31 + i) % 13 + 1;
                        let text = format!("sin(x)^{k}*exp(y/{k}) + ln(x + {t})*y");
                        let f = parse(&text).unwrap();
                        let df = symdiff::d(&f, "x").unwrap().expr;
                        // Back through the printer and the parser.
                        assert_eq!(parse(&df.to_string()).unwrap(), df);
                        let (x, y) = (0.7f64, 0.3f64);
                        let kf = k as f64;
                        let want = kf * x.sin().powf(kf - 1.0) * x.cos() * (y / kf).exp()
                            + y / (x + t as f64);
                        let at = Point::new().with("x", x).with("y", y);
                        let got = df.eval(&at).unwrap();
                        assert!(close(got, want), "{text}: {got} vs {want}");
                        let compiled = symdiff::compile(&df, &["x", "y"]).unwrap();
                        assert!(close(compiled.call(&[x, y]), want));
                        // Errors, too, while others build: an unbound variable, a pole,
                        // a leftover d.
                        assert!(matches!(df.eval(&Point::new().with("x", x)),
                            Err(EvalError::UnboundVariable(v)) if v == "y"));
                        let pole = Point::new().with("x", -(t as f64)).with("y", y);
                        assert!(f.eval(&pole).is_err() || t == 0);
                        let left = f.derivative(var("x"));
                        assert!(matches!(left.eval(&at), Err(EvalError::Derivative(_))));
                        assert!(compiled.try_call(&[f64::INFINITY, y]).is_err());
                        // A fresh variable per iteration keeps the store growing.
                        let _ = var(&format!("fresh_{t}_{i}"));
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
    });
}

/// `parse → d → print → parse` and a numeric check of the derivative at one point.
fn through_d(text: &str, at: f64, want: f64) {
    let f = parse(text).unwrap();
    assert!(
        f.dag_size() >= 100_000,
        "a stress input is large: {}",
        f.dag_size()
    );
    let df = symdiff::d(&f, "x").unwrap().expr;
    let printed = df.to_string();
    let back = parse(&printed).unwrap();
    assert_eq!(back, df);
    let got = back.eval(&Point::new().with("x", at)).unwrap();
    assert!(close(got, want), "{got} vs {want}");
}

#[test]
fn a_deep_product_of_a_hundred_thousand_factors() {
    // x*x*...*x: a chain 10^5 nodes deep; d = n x^(n-1) = 100000 at x = 1.
    within(Duration::from_secs(300), || {
        through_d(&vec!["x"; 100_000].join("*"), 1.0, 100_000.0)
    });
}

#[test]
fn a_wide_sum_of_a_hundred_thousand_nodes() {
    // Balanced: (((x*1 + x*2) + (x*3 + x*4)) + ...), 2^16 terms of 3 nodes each.
    within(Duration::from_secs(300), || {
        let mut terms: Vec<String> = (1..=65_536).map(|k| format!("x*{k}")).collect();
        while terms.len() > 1 {
            terms = terms
                .chunks(2)
                .map(|c| format!("({} + {})", c[0], c[1]))
                .collect();
        }
        let want = (65_536.0 * 65_537.0) / 2.0;
        through_d(&terms[0], 0.5, want);
    });
}

#[test]
fn a_deep_nesting_through_bindings() {
    // t1 = sin(x); t2 = sin(t1); ... 10^5 nested calls, written as bindings (the parser caps
    // literal nesting at 1000 levels, the printer binds every 64).
    within(Duration::from_secs(300), || {
        let n = 100_000;
        let mut text = String::from("t1 = sin(x);\n");
        for k in 2..=n {
            text += &format!("t{k} = sin(t{});\n", k - 1);
        }
        text += &format!("t{n}");
        // d/dx sin^n(x) = prod cos(sin^k(x)); evaluate it directly.
        let (mut v, mut want) = (0.5f64, 1.0f64);
        for _ in 0..n {
            want *= v.cos();
            v = v.sin();
        }
        through_d(&text, 0.5, want);
    });
}

/// Issue 13, row 5: `1/(x-x)` simplified to `1/0`, printed as text no parser reads.
#[test]
fn a_result_undefined_everywhere_is_an_error() {
    let err = symdiff::simplify(&parse("1/(x-x)").unwrap()).unwrap_err();
    assert!(
        matches!(err, DiffError::UndefinedEverywhere(ref t) if t == "1/0"),
        "{err}"
    );
    let err = symdiff::d(&parse("x/(y-y)").unwrap(), "x").unwrap_err();
    assert!(err.to_string().contains("undefined everywhere"), "{err}");
    // A symbolic zero divisor that survives is printed and read back as usual.
    let f = parse("1/x").unwrap();
    assert_eq!(
        parse(&symdiff::simplify(&f).unwrap().expr.to_string()).unwrap(),
        f
    );
}

/// Issue 13, row 10: `d 0^x` at x = 1 was a `ln(0)` error; it is 0 wherever it exists.
#[test]
fn the_derivative_of_zero_to_a_power_is_zero() {
    for text in ["0^x", "0^(x^2 + 1)", "2*0^sin(x)"] {
        let df = symdiff::d(&parse(text).unwrap(), "x").unwrap().expr;
        assert_eq!(df, Expr::from(0), "{text}");
    }
    // The general rule still applies to a base that is not zero.
    let df = symdiff::d(&parse("2^x").unwrap(), "x").unwrap().expr;
    let got = df.eval(&Point::new().with("x", 1.0)).unwrap();
    assert!(close(got, 2.0 * 2f64.ln()));
}
