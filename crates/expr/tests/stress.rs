//! Stress: expressions of 10^5–10^6 nodes through every printer and reader (no recursion on
//! user data anywhere), and the store used from many threads at once (no deadlock, no wrong
//! answer). Each test has a watchdog: a hang is a failure, not a stuck CI job.

use std::thread;
use std::time::Duration;
use symdiff_expr::{parse, parse_sexp, try_var, var, EvalError, Expr, Point, Sharing};

#[path = "support/watchdog.rs"]
mod watchdog;
use watchdog::within;

const N: usize = 1_000_000;

/// `x*x*...*x` (a left-leaning chain of N products).
fn product(n: usize) -> Expr {
    let x = var("x");
    (1..n).fold(x, |acc, _| acc * x)
}

/// `1*x + 2*x + ... ` with distinct coefficients (a chain of sums, nothing shared).
fn sum(terms: usize) -> Expr {
    let x = var("x");
    (1..terms as i64).fold(x, |acc, k| acc + Expr::from(k) * x)
}

/// `sin(cos(sin(... x)))`, N calls deep.
fn nesting(n: usize) -> Expr {
    (0..n).fold(
        var("x"),
        |acc, k| if k % 2 == 0 { acc.sin() } else { acc.cos() },
    )
}

/// A balanced product tree of distinct variables: wide and shallow (depth ~ log n).
fn balanced(leaves: usize) -> Expr {
    let mut level: Vec<Expr> = (0..leaves).map(|i| var(&format!("v{i}"))).collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|c| if c.len() == 2 { c[0] + c[1] } else { c[0] })
            .collect();
    }
    level[0]
}

/// Every printer that reads back, and every reader, on `e`.
fn round_trips(e: Expr) {
    assert!(e.dag_size() >= 100_000, "a stress input is large");
    let text = e.to_string();
    assert_eq!(parse(&text).unwrap(), e, "infix");
    let never = e.to_infix(80, Sharing::Never);
    assert_eq!(parse(&never).unwrap(), e, "infix without sharing");
    let sexp = e.to_sexp().unwrap();
    assert_eq!(parse_sexp(&sexp).unwrap(), e, "s-expression");
    assert_eq!(Expr::from_json(&e.to_json()).unwrap(), e, "JSON");
    // (egg's `RecExpr` text is recursive; only the conversion is ours.)
    let rec = e.to_recexpr();
    assert_eq!(Expr::from_recexpr(&rec), e, "RecExpr");
    assert!(!e.to_latex().is_empty());
    let m = e.metrics();
    assert_eq!(m.dag, e.dag_size());
}

#[test]
fn a_million_node_product_prints_and_reads_back() {
    within(Duration::from_secs(120), || {
        let e = product(N);
        round_trips(e);
        // The flat text (no bindings) reads too: the parser has no recursion either.
        let flat = vec!["x"; N].join("*");
        assert_eq!(parse(&flat).unwrap(), e);
    });
}

#[test]
fn a_million_node_sum_prints_and_reads_back() {
    within(Duration::from_secs(120), || round_trips(sum(N / 3)));
}

#[test]
fn a_million_deep_nesting_prints_and_reads_back() {
    within(Duration::from_secs(120), || round_trips(nesting(N)));
}

#[test]
fn a_million_node_balanced_tree_prints_and_reads_back() {
    within(Duration::from_secs(120), || round_trips(balanced(N / 2)));
}

#[test]
fn a_hundred_thousand_bindings_read_back() {
    within(Duration::from_secs(120), || {
        let mut text = String::from("t0 = x;\n");
        for k in 1..100_000 {
            text += &format!("t{k} = t{} * (t{} + {k});\n", k - 1, k - 1);
        }
        text += "t99999";
        let e = parse(&text).unwrap();
        assert_eq!(e.dag_size(), 3 * 99_999 + 1);
        assert_eq!(parse(&e.to_string()).unwrap(), e);
    });
}

/// Issue 13, row 1: evaluating an expression that still holds `d` (an error) while another
/// thread builds new variables deadlocked (a re-entered read lock behind a queued writer).
#[test]
fn evaluation_errors_while_another_thread_builds_do_not_deadlock() {
    within(Duration::from_secs(60), || {
        let reader = thread::spawn(|| {
            let p = Point::new().with("x", 0.5);
            for _ in 0..20_000 {
                let err = parse("d(x, sin(x))").unwrap().eval(&p).unwrap_err();
                assert!(matches!(err, EvalError::Derivative(_)), "{err}");
            }
        });
        let builder = thread::spawn(|| {
            for n in 0..200_000 {
                let w = var(&format!("w{n}"));
                assert_eq!(w.as_var().unwrap(), format!("w{n}"));
            }
        });
        reader.join().unwrap();
        builder.join().unwrap();
    });
}

/// Eight threads parse, print, evaluate (with and without errors) and build at once; every
/// answer is checked against the same work done on one thread.
#[test]
fn eight_threads_share_the_store() {
    within(Duration::from_secs(120), || {
        let workers: Vec<_> = (0..8)
            .map(|t| {
                thread::spawn(move || {
                    for i in 0..2_000 {
                        let k = (t * 7919 + i) % 97;
                        let text = format!("sin(x)*{k} + y^2/(1 + x*{k}) - z{t}");
                        let e = parse(&text).unwrap();
                        assert_eq!(parse(&e.to_string()).unwrap(), e);
                        let p = Point::new().with("x", 0.25).with("y", 2.0);
                        // z{t} is unbound: an error naming it.
                        let err = e.eval(&p).unwrap_err();
                        assert!(err.to_string().contains(&format!("z{t}")), "{err}");
                        let p = p.with(&format!("z{t}"), 1.0);
                        let v = e.eval(&p).unwrap();
                        let kf = k as f64;
                        let want = 0.25f64.sin() * kf + 4.0 / (1.0 + 0.25 * kf) - 1.0;
                        assert!(
                            (v - want).abs() <= 1e-12 * want.abs().max(1.0),
                            "{v} vs {want}"
                        );
                        assert!(try_var(&format!("fresh_{t}_{i}")).is_ok());
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
    });
}
