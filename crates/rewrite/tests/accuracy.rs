//! The accuracy guard: a simplified result evaluates within 1e-12 relative of the truth wherever
//! the expression it came from does. "Smaller" must never mean "expanded into cancellation"
//! (SymPy's expanded logistic derivative has relative error 4e-3 at k = 6 in f64).
//!
//! The truth is computed with exact rationals rounded to 2^-400 after every operation (a
//! 400-bit fixed-point evaluator), far beyond f64's 2^-53.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use symdiff_expr::{constant, var, BinOp, Expr, Point, Shape};
use symdiff_rewrite::{d, gradient, simplify, DiffError};

const BITS: usize = 400;

fn round(v: BigRational) -> BigRational {
    let scale = BigInt::one() << BITS;
    let scaled = (v * BigRational::from_integer(scale.clone())).round();
    BigRational::new(scaled.to_integer(), scale)
}

fn rational(x: f64) -> BigRational {
    BigRational::from_float(x).expect("finite")
}

/// The value of a rational expression (`+ - * /`, `neg`, integer powers) at `point`, to 400
/// bits; `None` where it is undefined (a division by zero) or uses anything else.
fn precise(e: Expr, point: &HashMap<String, BigRational>) -> Option<BigRational> {
    let mut values: HashMap<Expr, BigRational> = HashMap::new();
    for s in e.subexpressions() {
        let node = s.node();
        let child = |i: usize| values[&s.children()[i]].clone();
        let v = match node.shape() {
            Shape::Num(c) => c.value().clone(),
            Shape::Var(name) => point.get(name.as_str())?.clone(),
            Shape::Neg(_) => -child(0),
            Shape::Binary(op, _, _) => {
                let (a, b) = (child(0), child(1));
                match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => round(a * b),
                    BinOp::Div => {
                        if b.is_zero() {
                            return None;
                        }
                        round(a / b)
                    }
                    BinOp::Pow => {
                        if !b.is_integer() {
                            return None;
                        }
                        let n = b.to_integer().to_i32()?;
                        if n < 0 && a.is_zero() {
                            return None;
                        }
                        let power = round(num_traits::pow(a, n.unsigned_abs() as usize));
                        if n < 0 {
                            round(power.recip())
                        } else {
                            power
                        }
                    }
                }
            }
            _ => return None,
        };
        values.insert(s, v);
    }
    values.remove(&e)
}

fn relative_error(got: f64, truth: &BigRational) -> f64 {
    let t = truth.to_f64().unwrap_or(f64::NAN);
    if t == 0.0 {
        return got.abs();
    }
    let exact_err = (rational(got) - truth).abs() / truth.abs();
    exact_err.to_f64().unwrap_or(f64::INFINITY)
}

fn logistic(k: usize) -> Expr {
    let x = var("x");
    (1..k).fold(x, |l, _| 4 * l * (1 - l))
}

/// l(k)' at x by the recurrence l' <- 4 l' (1 - 2 l), in 400-bit arithmetic.
fn logistic_derivative(k: usize, x: &BigRational) -> BigRational {
    let (mut l, mut dl) = (x.clone(), BigRational::one());
    let four = BigRational::from_integer(4.into());
    let two = BigRational::from_integer(2.into());
    for _ in 1..k {
        dl = round(&four * &dl * (BigRational::one() - &two * &l));
        l = round(&four * &l * (BigRational::one() - &l));
    }
    dl
}

#[test]
fn logistic_derivatives_stay_accurate_to_k_20() {
    let points = [0.1171875, 0.3, 0.5078125, 0.7, 0.8984375];
    let mut checked = 0;
    for k in 1..=20 {
        let f = logistic(k);
        let r = d(&f, "x").unwrap();
        let raw = symdiff_rewrite::d_with(
            &f,
            &["x"],
            &symdiff_rewrite::Options {
                simplify: false,
                ..Default::default()
            },
        )
        .unwrap()
        .expr;
        for x in points {
            let truth = logistic_derivative(k, &rational(x));
            let at: Point = [("x", x)].into_iter().collect();
            let raw_error = relative_error(raw.eval(&at).unwrap(), &truth);
            let error = relative_error(r.expr.eval(&at).unwrap(), &truth);
            // Chaos amplifies the rounding of the input itself past k ~ 12; where the raw
            // derivative is accurate, the simplified one must be too, and never much worse.
            if raw_error <= 1e-12 {
                assert!(
                    error <= 1e-12,
                    "k = {k}, x = {x}: {error:e} (raw {raw_error:e})"
                );
                checked += 1;
            }
            assert!(
                error <= 4.0 * raw_error + 1e-15,
                "k = {k}, x = {x}: {error:e}, raw {raw_error:e}"
            );
        }
    }
    assert!(checked >= 40, "only {checked} accurate points");
}

/// A random rational expression over x and y.
fn random_rational(rng: &mut StdRng, depth: usize) -> Expr {
    if depth == 0 || rng.gen_bool(0.25) {
        return match rng.gen_range(0..5) {
            0 | 1 => var("x"),
            2 => var("y"),
            _ => constant(BigRational::new(
                rng.gen_range(-9..=9i64).into(),
                rng.gen_range(1..=4i64).into(),
            )),
        };
    }
    let a = random_rational(rng, depth - 1);
    match rng.gen_range(0..7) {
        0 | 1 => a + random_rational(rng, depth - 1),
        2 => a - random_rational(rng, depth - 1),
        3 | 4 => a * random_rational(rng, depth - 1),
        5 => a / random_rational(rng, depth - 1),
        _ => a.pow(rng.gen_range(-2..=3)),
    }
}

#[test]
fn simplified_rational_expressions_are_never_less_accurate() {
    let mut rng = StdRng::seed_from_u64(14);
    let (mut compared, mut changed) = (0, 0);
    for _ in 0..150 {
        let e = random_rational(&mut rng, 4);
        let s = match simplify(&e) {
            Ok(s) => s.expr,
            // Undefined everywhere (a constant divided by an expression equal to 0): there is
            // no value to compare.
            Err(DiffError::UndefinedEverywhere(_)) => continue,
            Err(err) => panic!("simplify({e}): {err}"),
        };
        if s != e {
            changed += 1;
        }
        for _ in 0..8 {
            // Dyadic points: exactly representable, so f64 and the reference see one input.
            let x = rng.gen_range(-640..640) as f64 / 256.0;
            let y = rng.gen_range(-640..640) as f64 / 256.0;
            let exact: HashMap<String, BigRational> = [
                ("x".to_string(), rational(x)),
                ("y".to_string(), rational(y)),
            ]
            .into();
            let Some(truth) = precise(e, &exact) else {
                continue;
            };
            let at: Point = [("x", x), ("y", y)].into_iter().collect();
            let Ok(input) = e.eval(&at) else { continue };
            if !input.is_finite() || relative_error(input, &truth) > 1e-12 {
                continue; // the input itself is not accurate here
            }
            let got = s.eval(&at);
            let error = got.map_or(f64::INFINITY, |v| relative_error(v, &truth));
            assert!(
                error <= 1e-12,
                "{e} simplified to {s}: relative error {error:e} at {at}"
            );
            compared += 1;
        }
    }
    assert!(changed >= 50, "only {changed} expressions changed");
    assert!(compared >= 500, "only {compared} points compared");
}

#[test]
fn the_reference_evaluator_is_exact_where_it_should_be() {
    let e = symdiff_expr::parse("(x + 1)^2/(x - 1/3)").unwrap();
    let point: HashMap<String, BigRational> = [("x".to_string(), rational(0.5))].into();
    let v = precise(e, &point).unwrap();
    let want = BigRational::new(27.into(), 2.into()); // 2.25 / (1/6)
    assert!((v - want).abs() < BigRational::new(1.into(), BigInt::one() << 390));
    assert!(precise(
        e,
        &[("x".to_string(), BigRational::new(1.into(), 3.into()))].into()
    )
    .is_none());
}

/// Issue 13, row 9: `d atan(a) = a'/(1 + a²)` overflowed in `a²` for `|a| > 1e154`, where the
/// derivative is still a (subnormal) number. The rule divides by `hypot(1, a)` twice, and
/// extraction never squares the `hypot` back (a range hazard, see `extract::Preference`).
/// References by mpmath at 40 digits (`1/(1 + x^2)` at the f64 value of x, and so on).
#[test]
fn atan_derivatives_do_not_overflow_where_the_value_is_representable() {
    let cases = [
        // (function, point, reference value, relative tolerance)
        ("atan(x)", "x=1e160", 1e-320, 1e-3), // 9.999999999999999869e-321, subnormal: ~3 digits
        (
            "atan(cosh(x))",
            "x=400",
            3.830_339_193_428_011_4e-174, // 3.830339193428011390039e-174
            1e-13,
        ),
        ("atan(x^2)", "x=1e100", 2e-300, 1e-13), // 1.999999999999999904583e-300,
        ("atan(x)", "x=0.5", 0.8, 1e-15),
    ];
    for (f, at, want, tolerance) in cases {
        let f = symdiff_expr::parse(f).unwrap();
        // Forward `d` and the reverse sweep read the same rule.
        let forward = d(&f, "x").unwrap().expr;
        let reverse = gradient(&f, &["x"]).unwrap().entries[0];
        for df in [forward, reverse] {
            let got = df.eval(&at.parse().unwrap());
            assert!(
                got.as_ref()
                    .is_ok_and(|&v| ((v - want) / want).abs() <= tolerance),
                "d {f} = {df} at {at}: {got:?}, want {want:e}"
            );
        }
    }
}

/// As for `atan`: `d asinh(a) = a'/sqrt(a² + 1)`, `d acosh(a) = a'/sqrt(a² - 1)` and
/// `d atan2(a, b) = (b a' - a b')/(a² + b²)` overflowed in `a²` for `|a| > 1e154`, where the
/// derivative is representable. The rules divide by `hypot(1, a)`, by
/// `sqrt(a - 1)*sqrt(a + 1)` and twice by `hypot(a, b)`. References by mpmath at 40 digits at
/// the f64 values of the points (`1/sqrt(1 + x^2)` at x = 1e160 is
/// 9.999999999999999934716e-161, and so on).
#[test]
#[allow(clippy::excessive_precision)] // the references as mpmath printed them (22 digits)
fn inverse_hyperbolic_and_atan2_derivatives_do_not_overflow() {
    type Points = &'static [(&'static str, f64)];
    // (function, variable, [(point, reference value)])
    let cases: [(&str, &str, Points); 7] = [
        (
            "asinh(x)",
            "x",
            &[
                ("x=1e160", 9.999999999999999934716e-161),
                ("x=1e200", 1.000000000000000030267e-200),
                ("x=-1e300", 9.999999999999999474952e-301),
                ("x=0.5", 0.8944271909999158785637),
            ],
        ),
        (
            "asinh(x^2)",
            "x",
            &[("x=1e100", 1.999999999999999968194e-100)],
        ),
        (
            "acosh(x)",
            "x",
            &[
                ("x=1e160", 9.999999999999999934716e-161),
                ("x=1e200", 1.000000000000000030267e-200),
                ("x=2", 0.5773502691896257645091),
            ],
        ),
        (
            "acosh(x^2)",
            "x",
            &[("x=1e100", 1.999999999999999968194e-100)],
        ),
        ("acosh(cosh(x))", "x", &[("x=400", 1.0)]),
        (
            "atan2(y, x)",
            "x",
            &[
                ("x=1e200,y=1e200", -5.000000000000000151334e-201),
                ("x=3,y=1e160", -9.999999999999999934716e-161),
                ("x=1e300,y=-2e300", 3.999999999999999789981e-301),
                ("x=2,y=0.5", -0.1176470588235294117647),
            ],
        ),
        (
            "atan2(y, x)",
            "y",
            &[
                ("x=1e200,y=1e200", 5.000000000000000151334e-201),
                ("x=3,y=1e160", 2.99999999999999996083e-320),
                ("x=1e300,y=-2e300", 1.99999999999999989499e-301),
                ("x=2,y=0.5", 0.4705882352941176470588),
            ],
        ),
    ];
    for (f, x, points) in cases {
        let f = symdiff_expr::parse(f).unwrap();
        let vars: Vec<String> = f.free_vars().into_iter().collect();
        let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
        let column = vars.iter().position(|&v| v == x).unwrap();
        // Forward `d` and the reverse sweep read the same rule.
        let forward = d(&f, x).unwrap().expr;
        let reverse = gradient(&f, &vars).unwrap().entries[column];
        for &(at, want) in points {
            // A subnormal value has fewer significant digits (about 3 at 3e-320).
            let tolerance = if want.abs() < f64::MIN_POSITIVE {
                1e-3
            } else {
                1e-15
            };
            for df in [forward, reverse] {
                let got = df.eval(&at.parse().unwrap());
                assert!(
                    got.as_ref()
                        .is_ok_and(|&v| ((v - want) / want).abs() <= tolerance),
                    "d/d{x} {f} = {df} at {at}: {got:?}, want {want:e}"
                );
            }
        }
    }
}
