//! A naive symbolic differentiator: the textbook sum, product, quotient and chain rules applied
//! node by node, dropping only zeros and unit factors (what Baydin et al. (2018) call the "naive"
//! symbolic derivative). No simplification, no factoring, no sharing on purpose. The only
//! clean-ups are the ones a person writes without thinking: `0*a → 0`, `1*a → a`, `-1*a → -a`,
//! `a + 0 → a`, `a + (-b) → a - b`, `a - (-b) → a + b`, `-(-a) → a`.
//!
//! Its result is built with the hash-consing builder, so in memory it is a DAG; its *tree* size
//! ([`Expr::tree_size`]) is the size of the naive derivative written out in full, which is what a
//! tree-based computer algebra system holds. The swell report uses it as the textbook baseline
//! (Baydin et al.'s Table 1 and a column per member).

use num_rational::BigRational;
use num_traits::One;
use std::collections::HashMap;
use symdiff_expr::egg::Id;
use symdiff_expr::{constant, var, CmpOp, Expr, Func, Func2, Kind, Math, Shape};

/// The naive derivative of `f` with respect to the variable `x`.
///
/// Runs in time linear in `f`'s DAG (each distinct subexpression is differentiated once; the
/// results share), however large the written-out derivative is. A `d(...)` node inside `f` is left
/// as an unevaluated derivative of itself.
///
/// ```
/// use symdiff_expr::var;
/// use symdiff_swell::naive_derivative;
/// let x = var("x");
/// let l2 = 4 * x * (1 - x);
/// assert_eq!(naive_derivative(l2, "x").to_string(), "4*(1 - x) - 4*x");
/// assert_eq!(naive_derivative(x.sin().pow(2), "x").to_string(), "2*sin(x)*cos(x)");
/// assert_eq!(naive_derivative(var("y"), "x").to_string(), "0");
/// ```
pub fn naive_derivative(f: Expr, x: &str) -> Expr {
    let xv = var(x);
    let mut d: HashMap<Expr, Expr> = HashMap::new();
    for e in f.subexpressions() {
        let de = |c: Id| d[&Expr::from_id(c)];
        let at = Expr::from_id;
        let derivative = match e.node() {
            Math::Num(_) | Math::Named(_) => zero(),
            Math::Var(_) => {
                if e == xv {
                    Expr::from(1)
                } else {
                    zero()
                }
            }
            Math::Add([a, b]) => add(de(a), de(b)),
            Math::Sub([a, b]) => sub(de(a), de(b)),
            Math::Neg(a) => neg(de(a)),
            Math::Mul([a, b]) => add(mul(de(a), at(b)), mul(at(a), de(b))),
            Math::Div([a, b]) => div(sub(mul(de(a), at(b)), mul(at(a), de(b))), at(b).pow(2)),
            Math::Pow([a, b]) => {
                let (base, exponent) = (at(a), at(b));
                if let Some(c) = exponent.as_constant() {
                    // c * f^(c-1) * f', with c - 1 computed
                    let lowered = constant(c.value() - BigRational::one());
                    let power = if is_one(lowered) {
                        base
                    } else {
                        base.pow(lowered)
                    };
                    mul(mul(exponent, power), de(a))
                } else if is_zero(de(b)) {
                    // g * f^(g-1) * f' (g free of x)
                    mul(mul(exponent, base.pow(exponent - 1)), de(a))
                } else {
                    // f^g * (g' ln f + g f'/f)
                    mul(
                        e,
                        add(mul(de(b), base.ln()), div(mul(exponent, de(a)), base)),
                    )
                }
            }
            Math::D(_) => e.derivative(xv),
            // Conditions have no derivative; `if` uses them as they are.
            node if node.kind() == Kind::Condition => zero(),
            node => match node.shape() {
                Shape::If(c, a, b) => Expr::if_else(at(c), de(a), de(b)),
                Shape::Call2(f, a, b) => {
                    let (u, v) = (at(a), at(b));
                    match f {
                        Func2::Min => Expr::if_else(Expr::compare(CmpOp::Le, u, v), de(a), de(b)),
                        Func2::Max => Expr::if_else(Expr::compare(CmpOp::Ge, u, v), de(a), de(b)),
                        // atan2(u, v)' = (v u' - u v')/(u^2 + v^2)
                        Func2::Atan2 => div(sub(mul(v, de(a)), mul(u, de(b))), u.pow(2) + v.pow(2)),
                        // hypot(u, v)' = (u u' + v v')/hypot(u, v)
                        Func2::Hypot => div(add(mul(u, de(a)), mul(v, de(b))), e),
                    }
                }
                Shape::Call(f, a) => {
                    let u = at(a);
                    let outer = match f {
                        Func::Sin => u.cos(),
                        Func::Cos => -u.sin(),
                        Func::Tan => 1 / u.cos().pow(2),
                        Func::Asin => 1 / (1 - u.pow(2)).sqrt(),
                        Func::Acos => -(1 / (1 - u.pow(2)).sqrt()),
                        Func::Atan => 1 / (1 + u.pow(2)),
                        Func::Sinh => u.cosh(),
                        Func::Cosh => u.sinh(),
                        Func::Tanh => 1 - u.tanh().pow(2),
                        Func::Exp => e,
                        Func::Ln => 1 / u,
                        Func::Sqrt => 1 / (2 * e),
                        Func::Abs => u.sign(),
                        Func::Sign => zero(),
                        Func::Relu => Expr::if_else(Expr::compare(CmpOp::Gt, u, 0), 1, 0),
                        Func::Cbrt => 1 / (3 * e.pow(2)),
                        Func::Log10 => 1 / (u * Expr::from(10).ln()),
                        Func::Log2 => 1 / (u * Expr::from(2).ln()),
                        Func::Log1p => 1 / (1 + u),
                        Func::Expm1 => u.exp(),
                        Func::Asinh => 1 / (u.pow(2) + 1).sqrt(),
                        Func::Acosh => 1 / (u.pow(2) - 1).sqrt(),
                        Func::Atanh => 1 / (1 - u.pow(2)),
                        Func::Erf => 2 / Expr::pi().sqrt() * (-u.pow(2)).exp(),
                        Func::Erfc => -(2 / Expr::pi().sqrt() * (-u.pow(2)).exp()),
                        Func::Sigmoid => e * (1 - e),
                        Func::Softplus => u.sigmoid(),
                    };
                    mul(outer, de(a))
                }
                _ => unreachable!("every other node kind is handled above"),
            },
        };
        d.insert(e, derivative);
    }
    d[&f]
}

fn zero() -> Expr {
    Expr::from(0)
}

fn is_zero(e: Expr) -> bool {
    e.as_constant().is_some_and(|c| c.is_zero())
}

fn is_one(e: Expr) -> bool {
    e.as_constant().is_some_and(|c| c.is_one())
}

fn is_minus_one(e: Expr) -> bool {
    e.as_constant()
        .is_some_and(|c| c.is_negative() && (-c.value()).is_one())
}

/// The operand of a negation.
fn negated(e: Expr) -> Option<Expr> {
    match e.node() {
        Math::Neg(a) => Some(Expr::from_id(a)),
        _ => None,
    }
}

fn add(a: Expr, b: Expr) -> Expr {
    match (is_zero(a), is_zero(b), negated(b)) {
        (true, _, _) => b,
        (_, true, _) => a,
        (_, _, Some(b)) => a - b,
        _ => a + b,
    }
}

fn sub(a: Expr, b: Expr) -> Expr {
    match (is_zero(a), is_zero(b), negated(b)) {
        (_, true, _) => a,
        (true, _, _) => neg(b),
        (_, _, Some(b)) => a + b,
        _ => a - b,
    }
}

fn neg(a: Expr) -> Expr {
    match negated(a) {
        _ if is_zero(a) => a,
        Some(inner) => inner,
        None => -a,
    }
}

fn mul(a: Expr, b: Expr) -> Expr {
    if is_zero(a) || is_zero(b) {
        zero()
    } else if is_one(a) {
        b
    } else if is_one(b) {
        a
    } else if is_minus_one(a) {
        neg(b)
    } else if is_minus_one(b) {
        neg(a)
    } else {
        a * b
    }
}

fn div(a: Expr, b: Expr) -> Expr {
    if is_zero(a) {
        zero()
    } else if is_one(b) {
        a
    } else {
        a / b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::{parse, Point};

    fn check_numerically(f: &str, x: f64) {
        let f = parse(f).unwrap();
        let df = naive_derivative(f, "x");
        let h = 1e-6;
        let at = |v: f64| f.eval(&Point::new().with("x", v).with("y", 0.3)).unwrap();
        let numeric = (at(x + h) - at(x - h)) / (2.0 * h);
        let symbolic = df.eval(&Point::new().with("x", x).with("y", 0.3)).unwrap();
        assert!(
            (numeric - symbolic).abs() <= 1e-6 * (1.0 + symbolic.abs()),
            "{f}: {symbolic} vs {numeric}"
        );
    }

    #[test]
    fn agrees_with_central_differences_for_every_construct() {
        for f in [
            "x^3 - 7*x^2 + y*x",
            "-(x*x)/(1 + x^2)",
            "sin(2*x)*cos(x^2) + tan(x)",
            "asin(x/2) + acos(x/3) + atan(x)",
            "sinh(x) + cosh(x)*tanh(x)",
            "exp(sin(x)) + ln(1 + x^2) + sqrt(1 + x)",
            "x^x + 2^x + pi*x + e",
        ] {
            check_numerically(f, 0.4);
        }
    }

    #[test]
    fn naive_derivative_of_the_logistic_map_swells_as_a_tree_only() {
        let x = var("x");
        let mut l = x;
        let mut last_tree = 0u64;
        for k in 1..=20 {
            let d = naive_derivative(l, "x");
            let m = d.metrics();
            assert!(m.dag <= 12 * k, "k = {k}: dag {}", m.dag);
            if k > 2 {
                let tree = u64::try_from(&m.tree).unwrap();
                assert!(tree > 2 * last_tree, "k = {k}: tree {tree}");
                last_tree = tree;
            } else {
                last_tree = u64::try_from(&m.tree).unwrap();
            }
            l = 4 * l * (1 - l);
        }
    }
}
