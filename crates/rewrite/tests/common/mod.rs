//! Helpers shared by the rewrite tests: evaluation of expressions that may still contain `d`
//! (by Richardson-extrapolated central differences) and random expressions.

#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::Rng;
use symdiff_expr::{
    constant, truth, var, BigRational, CmpOp, Expr, Func, Func2, Math, Point, Shape,
};

/// Evaluates `e`, computing any `d(x, f)` numerically (Richardson extrapolation of central
/// differences, error ~1e-10 relative for smooth f).
pub fn eval_numeric(e: Expr, point: &Point) -> Option<f64> {
    match e.node() {
        Math::D([x, f]) => {
            let name = Expr::from_id(x).as_var()?;
            let f = Expr::from_id(f);
            let x0 = point.get(&name)?;
            let at = |h: f64| {
                let mut p = point.clone();
                p.set(&name, x0 + h);
                let plus = eval_numeric(f, &p)?;
                p.set(&name, x0 - h);
                let minus = eval_numeric(f, &p)?;
                Some((plus - minus) / (2.0 * h))
            };
            // A nested derivative is itself noisy (~1e-10): difference it with a wider step.
            let step = if has_derivative(f) { 1e-3 } else { 1e-5 };
            let h = step * x0.abs().max(1e-2);
            let (d1, d2, d4) = (at(h)?, at(h / 2.0)?, at(h / 4.0)?);
            let (coarse, fine) = ((4.0 * d2 - d1) / 3.0, (4.0 * d4 - d2) / 3.0);
            // Two extrapolations that disagree mean the oracle itself is unreliable here (a
            // pole, a kink, cancellation): no value rather than a wrong one.
            let reliable = (coarse - fine).abs() <= 1e-5 * fine.abs().max(1.0);
            (fine.is_finite() && reliable).then_some(fine)
        }
        _ if !has_derivative(e) => e.eval(point).ok(),
        node => {
            let children: Vec<Expr> = e.children();
            // `if` evaluates only the branch it takes (the other may be undefined here).
            if let Shape::If(..) = node.shape() {
                let c = eval_numeric(children[0], point)?;
                return eval_numeric(children[if truth(c) { 1 } else { 2 }], point);
            }
            // Apply the node to its children's values, `d` children computed numerically.
            let mut values = Vec::new();
            for c in &children {
                values.push(eval_numeric(*c, point)?);
            }
            let value = node.shape().apply(&values)?;
            value.is_finite().then_some(value)
        }
    }
}

pub fn has_derivative(e: Expr) -> bool {
    e.subexpressions()
        .iter()
        .any(|s| matches!(s.node(), Math::D(_)))
}

/// A random rational constant p/q with small p, q (never zero).
pub fn random_constant(rng: &mut StdRng) -> Expr {
    loop {
        let p: i64 = rng.gen_range(-7..=7);
        let q: i64 = rng.gen_range(1..=4);
        if p != 0 {
            return constant(BigRational::new(p.into(), q.into()));
        }
    }
}

/// A random expression of depth at most `depth` over `vars` (and constants), using every
/// operator, every one- and two-argument function, and `if` on comparisons (with `not`, `and`,
/// `or`).
pub fn random_expr(rng: &mut StdRng, vars: &[&str], depth: usize) -> Expr {
    if depth == 0 || rng.gen_bool(0.3) {
        return if vars.is_empty() || rng.gen_bool(0.3) {
            random_constant(rng)
        } else {
            var(vars[rng.gen_range(0..vars.len())])
        };
    }
    let a = random_expr(rng, vars, depth - 1);
    match rng.gen_range(0..10) {
        0 => a + random_expr(rng, vars, depth - 1),
        1 => a - random_expr(rng, vars, depth - 1),
        2 => a * random_expr(rng, vars, depth - 1),
        3 => a / random_expr(rng, vars, depth - 1),
        4 => a.pow(rng.gen_range(-3..=3)),
        5 => -a,
        6 => a.apply2(
            Func2::ALL[rng.gen_range(0..Func2::ALL.len())],
            random_expr(rng, vars, depth - 1),
        ),
        7 => {
            // if(a op b, c, e), sometimes with not/and/or
            let op = CmpOp::ALL[rng.gen_range(0..CmpOp::ALL.len())];
            let mut c = Expr::compare(op, a, random_expr(rng, vars, depth - 1));
            match rng.gen_range(0..4) {
                0 => c = !c,
                1 => c = c.and(Expr::compare(CmpOp::Gt, random_expr(rng, vars, 1), 0)),
                2 => c = c.or(Expr::compare(CmpOp::Le, random_expr(rng, vars, 1), 0)),
                _ => {}
            }
            Expr::if_else(
                c,
                random_expr(rng, vars, depth - 1),
                random_expr(rng, vars, depth - 1),
            )
        }
        _ => a.apply(Func::ALL[rng.gen_range(0..Func::ALL.len())]),
    }
}

/// A random point with every variable in [-2.5, 2.5].
pub fn random_point(rng: &mut StdRng, vars: &[&str]) -> Point {
    vars.iter()
        .map(|&v| (v, rng.gen_range(-2.5..2.5)))
        .collect()
}

/// |a - b| within `rel` of the larger magnitude (or of 1).
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// Asserts that `derivative` (what `d` returned for `input`) equals `reference` (the
/// expression with its `d` left in, evaluated numerically) within `rel` at every point of
/// `points` where the reference is defined, and that at least two points were checked.
pub fn assert_agrees_numerically(
    input: &str,
    derivative: Expr,
    reference: Expr,
    points: impl IntoIterator<Item = Point>,
    rel: f64,
) {
    let mut checked = 0;
    for p in points {
        let Some(expected) = eval_numeric(reference, &p) else {
            continue;
        };
        let got = derivative.eval(&p).unwrap();
        assert!(
            close(got, expected, rel),
            "{input}: d = {derivative} gives {got}, numeric {expected} at {p}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "{input}: checked at {checked} points only");
}
