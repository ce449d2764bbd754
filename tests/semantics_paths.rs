//! One semantics through every path: every operation of the language at the edges of its
//! domain (0, -0, ±1, negative bases, ±inf, NaN, huge and tiny arguments, kinks, ties,
//! `(-2)^y` at integer and non-integer `y`) evaluated by
//!
//! - `Expr::eval_with` (strict and IEEE),
//! - the AD `WengertList` (f64, strict and IEEE; and the value part of forward-mode duals),
//! - the codegen interpreter (`call`, `try_call`),
//! - the Cranelift JIT (`call`, `try_call`; the interpreter where the host has no JIT),
//!
//! asserting identical values (bit for bit, any NaN equal to any NaN) and, in strict mode,
//! identical verdicts: all paths give the same finite value, or all refuse with the same reason
//! (`not real`, `pole`, `division by zero`, `overflow`, `not finite`).
//!
//! The one definition they all follow is `crates/expr/src/semantics.rs`. In particular
//! `a^b` is `pow_f64` everywhere: an integer-valued exponent is repeated multiplication, so
//! `(-2)^y` is `-8` at `y = 3` (whether `y` is a variable or an exact constant such as
//! `(1/7)^(-2) = 49`), and not real at `y = 1/2`.

use symdiff::ad::{Dual, WengertList};
use symdiff::codegen::{compile_with, Backend, CallError, Compiled};
use symdiff::{parse, EvalError, Func, Func2, Point, Semantics};

/// Bits of a value, with every NaN the same.
fn bits(v: f64) -> u64 {
    if v.is_nan() {
        f64::NAN.to_bits()
    } else {
        v.to_bits()
    }
}

/// A strict verdict: the value's bits, or the reason it was refused.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    Value(u64),
    Refused(String),
}

fn reason(why: &str) -> String {
    // AD spells out why a power is not real; the reason itself is the same
    if why.starts_with("not real") {
        "not real".into()
    } else {
        why.into()
    }
}

fn from_expr(r: Result<f64, EvalError>) -> Verdict {
    match r {
        Ok(v) => Verdict::Value(bits(v)),
        Err(EvalError::Domain { why, .. }) => Verdict::Refused(reason(why)),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn from_ad(r: Result<f64, symdiff::ad::AdError>) -> Verdict {
    match r {
        Ok(v) => Verdict::Value(bits(v)),
        Err(symdiff::ad::AdError::Eval {
            error: EvalError::Domain { why, .. },
            ..
        }) => Verdict::Refused(reason(why)),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn from_call(r: Result<f64, CallError>) -> Verdict {
    match r {
        Ok(v) => Verdict::Value(bits(v)),
        Err(CallError::Eval(EvalError::Domain { why, .. })) => Verdict::Refused(reason(why)),
        Err(e) => panic!("unexpected error {e}"),
    }
}

/// Evaluates `src` at `values` (for the variables `vars`) through every path and asserts they
/// agree. Returns the strict verdict.
fn all_paths(src: &str, vars: &[&str], values: &[f64]) -> Verdict {
    let e = parse(src).unwrap();
    let mut point = Point::new();
    for (v, &x) in vars.iter().zip(values) {
        point.set(v, x);
    }
    let at = format!("{src} at {vars:?} = {values:?}");

    // IEEE values
    let expr_ieee = e.eval_with(&point, Semantics::Ieee).unwrap();
    let program = WengertList::with_vars(&[e], vars).unwrap();
    let ad_ieee: f64 = program.eval_with(values, Semantics::Ieee).unwrap();
    let duals: Vec<Dual> = values.iter().map(|&x| Dual::variable(x)).collect();
    let dual_ieee = program.eval_with(&duals, Semantics::Ieee).unwrap().re;
    let interpreter: Compiled = compile_with(&e, vars, Backend::Interpreter).unwrap();
    let jit: Compiled = compile_with(&e, vars, Backend::Jit).unwrap();
    let ieee = [
        ("AD", ad_ieee),
        ("AD dual", dual_ieee),
        ("interpreter", interpreter.call(values)),
        ("JIT", jit.call(values)),
    ];
    for (path, v) in ieee {
        assert_eq!(
            bits(v),
            bits(expr_ieee),
            "{at}: IEEE {path} {v} vs Expr::eval {expr_ieee}"
        );
    }

    // strict verdicts
    let expected = from_expr(e.eval(&point));
    let strict = [
        ("AD", from_ad(program.eval(values))),
        ("interpreter", from_call(interpreter.try_call(values))),
        ("JIT", from_call(jit.try_call(values))),
    ];
    for (path, verdict) in strict {
        assert_eq!(verdict, expected, "{at}: strict {path} vs Expr::eval");
    }
    expected
}

const EDGES: [f64; 19] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    -2.0,
    0.5,
    -0.5,
    2.0,
    1e-300,
    -1e-310,
    1e300,
    -1e300,
    710.0,
    -800.0,
    800.0,
    1e160,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];

#[test]
fn every_function_at_the_edges_of_its_domain() {
    for f in Func::ALL {
        for x in EDGES {
            all_paths(&format!("{}(x)", f.name()), &["x"], &[x]);
        }
    }
}

#[test]
fn every_two_argument_function_at_ties_zeros_and_non_finite_arguments() {
    for f in Func2::ALL {
        for a in EDGES {
            for b in [0.0, -0.0, 1.0, -2.0, 1e300, f64::INFINITY, f64::NAN, a] {
                all_paths(&format!("{}(x, y)", f.name()), &["x", "y"], &[a, b]);
            }
        }
    }
}

#[test]
fn operators_and_powers_at_the_edges() {
    for a in EDGES {
        for b in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.0,
            3.0,
            0.5,
            -0.5,
            49.0,
            1e300,
            f64::NAN,
            a,
        ] {
            for op in ["+", "-", "*", "/", "^"] {
                all_paths(&format!("x {op} y"), &["x", "y"], &[a, b]);
            }
        }
        all_paths("-x", &["x"], &[a]);
        for n in ["0", "1", "2", "3", "-1", "-2", "1/2", "1/3", "-1/2", "pi"] {
            all_paths(&format!("x^({n})"), &["x"], &[a]);
        }
    }
}

#[test]
fn negative_bases_one_definition() {
    // (-2)^y: integer-valued exponents are repeated multiplication, whatever computed them
    let integer = |y: f64| all_paths("(-2)^y", &["y"], &[y]);
    assert_eq!(integer(3.0), Verdict::Value((-8f64).to_bits()));
    assert_eq!(integer(2.0), Verdict::Value(4f64.to_bits()));
    assert_eq!(integer(-1.0), Verdict::Value((-0.5f64).to_bits()));
    assert_eq!(integer(0.5), Verdict::Refused("not real".into()));
    assert_eq!(
        all_paths("x^y", &["x", "y"], &[-2.0, 3.0]),
        Verdict::Value((-8f64).to_bits())
    );
    // exact constants are folded exactly (issue 13, row 8): (1/7)^(-2) is 49, not
    // 49.00000000000001
    let minus_two_to_49 = -(2f64.powi(49));
    assert_eq!(
        all_paths("(-2)^((1/7)^(-2))", &[], &[]),
        Verdict::Value(minus_two_to_49.to_bits())
    );
    assert_eq!(
        all_paths("(-2)^((1/7)^(-2))*x", &["x"], &[1.0]),
        Verdict::Value(minus_two_to_49.to_bits())
    );
    assert_eq!(
        all_paths("(1/5)^2*x", &["x"], &[1.0]),
        Verdict::Value(0.04f64.to_bits())
    );
    assert_eq!(
        all_paths("x^((1/7)^(-2))", &["x"], &[-2.0]),
        Verdict::Value(minus_two_to_49.to_bits())
    );
}

#[test]
fn conditions_and_branches() {
    let conditions = [
        "x < y",
        "x <= y",
        "x > y",
        "x >= y",
        "x == y",
        "x != y",
        "x < y and y > 0",
        "x < y or y > 0",
        "not x < y",
    ];
    for c in conditions {
        // the branch not taken reports no error: sqrt/ln of a negative, 1/0 there are fine
        let src = format!("if({c}, sqrt(x) + ln(y), 1/(x - x) + y)");
        for a in [0.0, 1.0, -1.0, 2.0, f64::NAN, f64::INFINITY] {
            for b in [0.0, 1.0, -1.0, 2.0, f64::NAN, a] {
                all_paths(&src, &["x", "y"], &[a, b]);
            }
        }
    }
    // kinks
    for x in [0.0, -0.0, 1e-320, -1e-320] {
        for f in [
            "abs(x)",
            "sign(x)",
            "relu(x)",
            "max(x, 0)",
            "min(x, -x)",
            "if(x > 0, x, 0)",
        ] {
            all_paths(f, &["x"], &[x]);
        }
    }
}

#[test]
fn stable_evaluation_is_the_same_everywhere() {
    assert_eq!(
        all_paths("softplus(x)", &["x"], &[800.0]),
        Verdict::Value(800f64.to_bits())
    );
    assert_eq!(
        all_paths("sigmoid(x)", &["x"], &[-800.0]),
        Verdict::Value(0f64.to_bits())
    );
    assert_eq!(
        all_paths("log1p(x)", &["x"], &[1e-17]),
        Verdict::Value(1e-17f64.to_bits())
    );
    assert_eq!(
        all_paths("acosh(x)", &["x"], &[0.5]),
        Verdict::Refused("not real".into())
    );
    assert_eq!(
        all_paths("atanh(x)", &["x"], &[1.0]),
        Verdict::Refused("pole".into())
    );
    assert_eq!(
        all_paths("log10(x)", &["x"], &[-1.0]),
        Verdict::Refused("not real".into())
    );
}
