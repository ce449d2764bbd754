//! Symbolic reverse mode (`symdiff_rewrite::gradient`, built by one reverse sweep) against the
//! forward differentiation rules (`symdiff_rewrite::d`, one variable at a time) and the AD
//! tape, on random expressions using every construct of the language:
//!
//! 1. (600 cases) every gradient entry equals the forward derivative `d(f, x_i)` and the tape's
//!    reverse-mode gradient at random points where `f` is defined; a variable absent from `f`
//!    is a structural zero; the gradient of a function is extracted from one shared DAG;
//! 2. (150 cases) every sparse Hessian entry equals the forward second derivative
//!    `d(d(f, x_i), x_j)`; the pattern is symmetric and holds no structural zero;
//! 3. `hvp` equals the Hessian times the vector, `jvp`/`vjp` the Jacobian products.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::time::Duration;
use symdiff_ad::{Sampler, Tape, WengertList};
use symdiff_expr::{parse, var, Expr, Point, Semantics};
use symdiff_rewrite::{d_with, gradient_with, sparse_hessian_with, DiffError, Options};

mod common;
use common::expression;

fn fast() -> Options {
    Options {
        time_limit: Duration::from_millis(20),
        ..Default::default()
    }
}

/// `a` and `b` agree to about 1e-7 of the largest magnitude involved (a wrong formula is off by
/// O(1); rounding in different but equal forms is far below this).
fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs()).max(scale))
}

fn point(vars: &[String], p: &[f64]) -> Point {
    vars.iter()
        .map(String::as_str)
        .zip(p.iter().copied())
        .collect()
}

fn eval(e: Expr, at: &Point) -> Option<f64> {
    e.eval_with(at, Semantics::Strict)
        .ok()
        .filter(|v| v.is_finite())
}

fn gradient_agrees(f: Expr, seed: u64) -> Result<(), TestCaseError> {
    let program = WengertList::new(f).unwrap();
    let vars: Vec<String> = program.vars().to_vec();
    let mut names: Vec<&str> = vars.iter().map(String::as_str).collect();
    names.push("absent");
    let g = gradient_with(&f, &names, &fast());
    if let Err(DiffError::UndefinedEverywhere(_)) = g {
        return Ok(()); // the input holds an undefined constant (`0^(-1)`): nothing to compare
    }
    prop_assert!(g.is_ok(), "{f}: {:?}", g.err());
    let g = g.unwrap();
    prop_assert_eq!(g.entries.len(), names.len());
    prop_assert_eq!(*g.entries.last().unwrap(), Expr::from(0), "absent variable");
    prop_assert!(g.stats.simplified.dag <= g.stats.raw.dag);
    let mut forward: Vec<Expr> = Vec::with_capacity(vars.len());
    for v in &vars {
        match d_with(&f, &[v.as_str()], &fast()) {
            Ok(df) => forward.push(df.expr),
            // The input holds a constant that is undefined (`0^(-1)`): nothing to compare.
            Err(DiffError::UndefinedEverywhere(_)) => return Ok(()),
            Err(err) => panic!("d({f}, {v}): {err}"),
        }
    }
    let tape = Tape::from_program(program.clone());
    let sample = Sampler::new(seed).sample(vars.len().max(1), 3, |p| {
        program.forward_gradient(p).is_ok()
    });
    for p in &sample.points {
        let Ok((value, reverse_ad)) = tape.gradient_at(p) else {
            continue;
        };
        let at = point(&vars, p);
        for (i, v) in vars.iter().enumerate() {
            let (Some(rev), Some(fwd)) = (eval(g.entries[i], &at), eval(forward[i], &at)) else {
                continue;
            };
            let scale = value.abs().max(reverse_ad[i].abs());
            prop_assert!(
                close(rev, fwd, scale),
                "{f}: d/d{v} at {at}: reverse sweep {} = {rev}, forward d {} = {fwd}",
                g.entries[i],
                forward[i]
            );
            if reverse_ad[i].is_finite() {
                prop_assert!(
                    close(rev, reverse_ad[i], scale),
                    "{f}: d/d{v} at {at}: reverse sweep {rev}, AD tape {}",
                    reverse_ad[i]
                );
            }
        }
    }
    Ok(())
}

fn hessian_agrees(f: Expr, seed: u64) -> Result<(), TestCaseError> {
    let program = WengertList::new(f).unwrap();
    let vars: Vec<String> = program.vars().to_vec();
    let names: Vec<&str> = vars.iter().map(String::as_str).collect();
    if names.is_empty() {
        return Ok(());
    }
    let h = sparse_hessian_with(&f, &names, &fast());
    if let Err(DiffError::UndefinedEverywhere(_)) = h {
        return Ok(()); // the input holds an undefined constant (`0^(-1)`): nothing to compare
    }
    prop_assert!(h.is_ok(), "{f}: {:?}", h.err());
    let h = h.unwrap();
    prop_assert_eq!(h.stats.nonzeros, Some(h.entries.len()));
    for e in &h.entries {
        prop_assert!(e.expr != Expr::from(0), "{f}: a stored structural zero");
        prop_assert_eq!(h.get(e.col, e.row), e.expr, "symmetric");
    }
    let sample = Sampler::new(seed).sample(names.len(), 2, |p| program.forward_gradient(p).is_ok());
    for p in &sample.points {
        let at = point(&vars, p);
        for (i, vi) in names.iter().enumerate() {
            for (j, vj) in names.iter().enumerate().skip(i) {
                let second = d_with(&f, &[vi, vj], &fast()).unwrap().expr;
                let (Some(sweep), Some(fwd)) = (eval(h.get(i, j), &at), eval(second, &at)) else {
                    continue;
                };
                prop_assert!(
                    close(sweep, fwd, 0.0),
                    "{f}: d2/d{vi}d{vj} at {at}: sweep {} = {sweep}, forward {second} = {fwd}",
                    h.get(i, j)
                );
            }
        }
    }
    Ok(())
}

fn run(cases: u32, check: fn(Expr, u64) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(Config {
        source_file: Some(file!()),
        ..common::config(cases)
    });
    runner
        .run(&(expression(), any::<u64>()), |(f, seed)| check(f, seed))
        .unwrap();
}

#[test]
fn reverse_gradients_agree_with_forward_d_and_the_tape() {
    run(600, gradient_agrees);
}

#[test]
fn sparse_hessians_agree_with_forward_second_derivatives() {
    run(150, hessian_agrees);
}

#[test]
fn products_agree_with_the_matrices() {
    let f = parse("x^2*sin(y) + exp(x*z) - y/z").unwrap();
    let names = ["x", "y", "z"];
    let at: Point = "x=0.3,y=0.7,z=1.9,u=0.2,v=-1.1,w=0.5".parse().unwrap();
    let vector = [var("u"), var("v"), var("w")];
    let value = |e: Expr| e.eval(&at).unwrap();
    let (u, v, w) = (0.2, -1.1, 0.5);
    let h = symdiff_rewrite::hessian(&f, &names).unwrap();
    let hv = symdiff_rewrite::hvp(&f, &names, &vector).unwrap();
    for i in 0..3 {
        let want = value(h.get(i, 0)) * u + value(h.get(i, 1)) * v + value(h.get(i, 2)) * w;
        assert!(close(value(hv.entries[i]), want, 0.0), "hvp row {i}");
    }
    let g = symdiff_rewrite::gradient(&f, &names).unwrap();
    let jv = symdiff_rewrite::jvp(&[f], &names, &vector).unwrap();
    let want = value(g.entries[0]) * u + value(g.entries[1]) * v + value(g.entries[2]) * w;
    assert!(close(value(jv.entries[0]), want, 0.0), "jvp");
    let wj = symdiff_rewrite::vjp(&[f], &names, &[var("u")]).unwrap();
    for i in 0..3 {
        assert!(
            close(value(wj.entries[i]), value(g.entries[i]) * u, 0.0),
            "vjp {i}"
        );
    }
}

#[test]
fn repeated_variables_are_an_error_naming_the_name() {
    let f = parse("x*y").unwrap();
    let err = symdiff_rewrite::gradient(&f, &["x", "y", "x"]).unwrap_err();
    assert_eq!(
        err,
        symdiff_rewrite::DiffError::RepeatedVariable("x".into())
    );
    assert!(err.to_string().contains("`x`"), "{err}");
}
