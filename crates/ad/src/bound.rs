//! Running error bounds (Wilkinson; Higham, *Accuracy and Stability of Numerical Algorithms*,
//! §3.3): [`Bounded`] carries a value and a first-order bound on its rounding error,
//! [`BoundedDual`] does the same for a forward-mode tangent.
//!
//! They are how [`check`](crate::check) sets honest tolerances: two ways of computing the same
//! derivative (say the symbolic formula and forward AD) may differ by at most the sum of their
//! rounding errors, and these types bound each of those errors *at the point*, including the
//! cancellation in `a - b` with `a ≈ b` and the amplification by large `f'`. A fixed relative
//! tolerance cannot do that: it is either too loose for well-conditioned points or fails at
//! points where the derivative is the small difference of large terms.
//!
//! Model: every basic operation (`+ - * /`) is correctly rounded (error ≤ u·|result| + η, with
//! the unit roundoff u = 2⁻⁵³ and η = 2⁻¹⁰⁷⁴ for underflow into subnormals); libm's `sin`, `exp`, `ln`, ... are within 1 ulp (≤ 2u·|result|);
//! `powi(n)` multiplies about `2 log₂|n|` times. Bounds are first order (products of two errors
//! are dropped), so callers multiply them by a safety factor.

use crate::scalar::{
    amplify, curvature, curvature2, pow_partials, pow_second_partials, powf_slopes, powi_slopes,
    powi_tangent, scale, Scalar,
};
use std::ops::{Add, Div, Mul, Neg, Sub};
use symdiff_expr::{pow_f64, Func, Func2};

/// The unit roundoff of f64, 2⁻⁵³.
///
/// ```
/// assert_eq!(symdiff_ad::UNIT_ROUNDOFF, 2f64.powi(-53));
/// ```
pub const UNIT_ROUNDOFF: f64 = f64::EPSILON / 2.0;

const U: f64 = UNIT_ROUNDOFF;

/// The absolute error an operation may add by underflow (the smallest subnormal, 2⁻¹⁰⁷⁴).
const ETA: f64 = f64::from_bits(1);

/// The rounding error bound of one operation giving `x`, `k` units of u: `k·u·|x| + η`; a
/// result of exactly zero is taken as exact (a structural zero, as a constant's tangent).
#[inline]
fn rnd(k: f64, x: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        k * U * x.abs() + ETA
    }
}

/// Units of u for one libm function call (1 ulp ≤ 2u).
const FUNC_ROUNDING: f64 = 2.0;

/// Units of u for `powi(n)`: binary powering rounds about twice per bit of `n`.
fn powi_rounding(n: i32) -> f64 {
    let bits = 32 - n.unsigned_abs().leading_zeros();
    2.0 * bits as f64 + if n < 0 { 1.0 } else { 0.0 }
}

/// `η` when the result `r` of a product or quotient of the nonzero `a` and `b` (pass `b = 1`
/// for functions and quotients) rounded to zero: underflow, not a structural zero.
#[inline]
fn lost(r: f64, a: f64, b: f64) -> f64 {
    if r == 0.0 && a != 0.0 && b != 0.0 {
        ETA
    } else {
        0.0
    }
}

/// Functions that are exactly zero at a nonzero argument (`ln 1`, `acos 1`).
fn vanishes(func: Func) -> bool {
    matches!(func, Func::Ln | Func::Acos)
}

/// `|a^c ln a|` given `v = a^c`: the sensitivity of a power to its exponent (0 when `v = 0`).
fn log_slope(v: f64, a: f64) -> f64 {
    if v == 0.0 {
        0.0
    } else {
        (v * a.ln()).abs()
    }
}

/// How much a result moves per unit error of an argument, from a partial derivative: `|d|`,
/// and infinite where the partial does not exist (NaN: `a^b` in `b` at `a < 0`, where the power
/// is real only at integers, so an error in `b` cannot be bounded).
fn sensitivity(d: f64) -> f64 {
    if d.is_nan() {
        f64::INFINITY
    } else {
        d.abs()
    }
}

/// A value with a first-order bound on its absolute rounding error.
///
/// ```
/// use symdiff_ad::{Bounded, Scalar};
/// // (1 + 1e-8) - 1 cancels: the result 1e-8 carries an error of about u = 1.1e-16,
/// // a relative error of ~1e-8.
/// let a = Bounded::from_rounded(1.0 + 1e-8);
/// let d = a - Bounded::from_f64(1.0);
/// assert!(d.error > 1e-16 && d.error < 1e-15);
/// assert!(d.error / d.value > 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounded {
    /// The computed value.
    pub value: f64,
    /// A first-order bound on `|value - exact|` (rounding errors only).
    pub error: f64,
}

impl Bounded {
    /// An exactly known input (error 0).
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Bounded::exact(0.1).error, 0.0);
    /// ```
    pub fn exact(value: f64) -> Self {
        Bounded { value, error: 0.0 }
    }

    fn func(self, v: f64, d: f64, rounding: f64, can_vanish: bool) -> Self {
        let underflow = if can_vanish {
            0.0
        } else {
            lost(v, self.value, 1.0)
        };
        Bounded {
            value: v,
            error: amplify(d.abs(), self.error) + rnd(rounding, v) + underflow,
        }
    }
}

impl Add for Bounded {
    type Output = Bounded;
    fn add(self, r: Bounded) -> Bounded {
        let v = self.value + r.value;
        Bounded {
            value: v,
            error: self.error + r.error + rnd(1.0, v),
        }
    }
}

impl Sub for Bounded {
    type Output = Bounded;
    fn sub(self, r: Bounded) -> Bounded {
        let v = self.value - r.value;
        Bounded {
            value: v,
            error: self.error + r.error + rnd(1.0, v),
        }
    }
}

impl Mul for Bounded {
    type Output = Bounded;
    fn mul(self, r: Bounded) -> Bounded {
        let v = self.value * r.value;
        Bounded {
            value: v,
            error: amplify(r.value.abs(), self.error)
                + amplify(self.value.abs(), r.error)
                + rnd(1.0, v)
                + lost(v, self.value, r.value),
        }
    }
}

impl Div for Bounded {
    type Output = Bounded;
    fn div(self, r: Bounded) -> Bounded {
        let v = self.value / r.value;
        Bounded {
            value: v,
            error: (self.error + amplify(v.abs(), r.error)) / r.value.abs()
                + rnd(1.0, v)
                + lost(v, self.value, 1.0),
        }
    }
}

impl Neg for Bounded {
    type Output = Bounded;
    fn neg(self) -> Bounded {
        Bounded {
            value: -self.value,
            error: self.error,
        }
    }
}

/// Values with rounding-error bounds. Rounded constants carry an error `u·|c|`, exact ones none.
///
/// ```
/// use symdiff_ad::{Bounded, Scalar};
/// use symdiff_expr::Func;
/// let x = Bounded::exact(2.0);
/// let y = x.apply(Func::Exp);
/// assert!(y.error <= 2.0 * 1.2e-16 * y.value);
/// ```
impl Scalar for Bounded {
    fn from_f64(value: f64) -> Self {
        Bounded::exact(value)
    }

    fn from_rounded(value: f64) -> Self {
        Bounded {
            value,
            error: U * value.abs(),
        }
    }

    fn value(&self) -> f64 {
        self.value
    }

    /// The value is finite (the bound may be infinite: an ill-conditioned value is not a
    /// domain error).
    fn is_finite(&self) -> bool {
        self.value.is_finite()
    }

    fn powi(&self, n: i32) -> Self {
        let x = self.value;
        let (d, _) = powi_slopes(x, n);
        let mut r = self.func(Scalar::powi(&x, n), d, powi_rounding(n), false);
        if n < 0 && x != 0.0 {
            // |∂v/∂x| = |n v / x|, without the underflow of x^(n-1)
            r.error = amplify((n as f64 * r.value).abs(), self.error / x.abs())
                + rnd(powi_rounding(n), r.value)
                + lost(r.value, x, 1.0);
        }
        r
    }

    fn powf(&self, c: f64) -> Self {
        let (d, _) = powf_slopes(self.value, c);
        self.func(self.value.powf(c), d, FUNC_ROUNDING, false)
    }

    fn powc(&self, exponent: &Self) -> Self {
        let mut r = self.powf(exponent.value);
        r.error += amplify(log_slope(r.value, self.value), exponent.error);
        r
    }

    fn pow(&self, exponent: &Self) -> Self {
        let (a, b) = (self.value, exponent.value);
        let v = pow_f64(a, b);
        let (da, db) = pow_partials(a, b, v);
        // libm pow is within 1 ulp.
        let mut r = self.func2(exponent, v, [da, db]);
        r.error += lost(v, a, 1.0);
        r
    }

    fn apply(&self, func: Func) -> Self {
        let (v, d, _) = curvature(func, self.value);
        self.func(v, d, FUNC_ROUNDING, vanishes(func))
    }

    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        let (v, d, _) = curvature2(func, self.value, other.value);
        self.func2(other, v, d)
    }
}

impl Bounded {
    /// A two-argument function with value `v` and partials `d`, computed to within
    /// [`FUNC_ROUNDING`] ulps.
    fn func2(&self, b: &Bounded, v: f64, d: [f64; 2]) -> Bounded {
        Bounded {
            value: v,
            error: amplify(sensitivity(d[0]), self.error)
                + amplify(sensitivity(d[1]), b.error)
                + rnd(FUNC_ROUNDING, v),
        }
    }
}

/// A forward-mode dual number whose value and tangent each carry a first-order bound on their
/// rounding error, for the tangent arithmetic of [`Dual`](crate::Dual) (and, to the same first
/// order, of reverse mode and complex step, which compute the same chain-rule products).
///
/// ```
/// use symdiff_ad::{BoundedDual, Scalar};
/// // d/dx (x*x - x*x) = 0 exactly, but each tangent product rounds: the bound is ~8u.
/// let x = BoundedDual::variable(3.0, 1.0);
/// let f = x * x - x * x;
/// assert_eq!(f.tangent, 0.0);
/// assert!(f.tangent_error > 1e-15 && f.tangent_error < 1e-14);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BoundedDual {
    /// The value.
    pub value: f64,
    /// Bound on the value's rounding error.
    pub value_error: f64,
    /// The tangent.
    pub tangent: f64,
    /// Bound on the tangent's rounding error.
    pub tangent_error: f64,
}

impl BoundedDual {
    /// An exactly known input with tangent `seed`.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::BoundedDual::variable(2.0, 1.0).tangent, 1.0);
    /// ```
    pub fn variable(value: f64, seed: f64) -> Self {
        BoundedDual {
            value,
            value_error: 0.0,
            tangent: seed,
            tangent_error: 0.0,
        }
    }

    /// Chain rule through a function with value `v`, slope `d`, curvature `dd`, rounding `k` u.
    /// Chain rule through a function with value `v`, slope `d`, curvature `dd`, rounding `k`
    /// u; `amp` bounds how much an underflow in computing the slope is amplified (`|c|` for
    /// `c·x^(c-1)`), `can_vanish` says whether `v = 0` can be exact.
    fn func(self, v: f64, d: f64, dd: f64, k: f64, amp: f64, can_vanish: bool) -> Self {
        let t = scale(d, self.tangent);
        let x = self.value;
        let underflow = if can_vanish { 0.0 } else { lost(v, x, 1.0) };
        // a slope computed from a subnormal (the slope itself, or the value that reverse mode
        // divides by x) or underflowed to 0 has an absolute error up to amp·η
        let tiny = |z: f64| z != 0.0 && z.abs() < f64::MIN_POSITIVE;
        let slope_underflow = tiny(d) || tiny(v) || (d == 0.0 && underflow > 0.0);
        BoundedDual {
            value: v,
            value_error: amplify(d.abs(), self.value_error) + rnd(k, v) + underflow,
            tangent: t,
            // from the tangent's error, from the value's error moving f'(a), from computing
            // f'(a) (a few ops after the libm call) and from the product.
            tangent_error: amplify(d.abs(), self.tangent_error)
                + amplify(scale(dd, self.tangent).abs(), self.value_error)
                + rnd(k + 3.0, t)
                + lost(t, d, self.tangent)
                + if slope_underflow {
                    amplify(self.tangent.abs(), amp * ETA)
                } else {
                    0.0
                },
        }
    }
}

impl Add for BoundedDual {
    type Output = BoundedDual;
    fn add(self, r: BoundedDual) -> BoundedDual {
        let (v, t) = (self.value + r.value, self.tangent + r.tangent);
        BoundedDual {
            value: v,
            value_error: self.value_error + r.value_error + rnd(1.0, v),
            tangent: t,
            tangent_error: self.tangent_error + r.tangent_error + rnd(1.0, t),
        }
    }
}

impl Sub for BoundedDual {
    type Output = BoundedDual;
    fn sub(self, r: BoundedDual) -> BoundedDual {
        self + (-r)
    }
}

impl Mul for BoundedDual {
    type Output = BoundedDual;
    fn mul(self, r: BoundedDual) -> BoundedDual {
        let (a, b) = (self.value, r.value);
        let (ta, tb) = (self.tangent, r.tangent);
        let v = a * b;
        let (p, q) = (ta * b, a * tb);
        let t = p + q;
        BoundedDual {
            value: v,
            value_error: amplify(b.abs(), self.value_error)
                + amplify(a.abs(), r.value_error)
                + rnd(1.0, v)
                + lost(v, a, b),
            tangent: t,
            tangent_error: amplify(b.abs(), self.tangent_error)
                + amplify(ta.abs(), r.value_error)
                + amplify(a.abs(), r.tangent_error)
                + amplify(tb.abs(), self.value_error)
                + rnd(1.0, p)
                + rnd(1.0, q)
                + rnd(1.0, t)
                + lost(p, ta, b)
                + lost(q, a, tb),
        }
    }
}

impl Div for BoundedDual {
    type Output = BoundedDual;
    /// As [`Dual`](crate::Dual) computes it: `q = a/b`, `t = (a' - q b') / b`.
    fn div(self, r: BoundedDual) -> BoundedDual {
        let (a, b) = (self.value, r.value);
        let (ta, tb) = (self.tangent, r.tangent);
        let q = a / b;
        let q_error = (self.value_error + amplify(q.abs(), r.value_error)) / b.abs()
            + rnd(1.0, q)
            + lost(q, a, 1.0);
        let m = q * tb;
        let n = ta - m;
        let t = n / b;
        let n_error = self.tangent_error
            + amplify(tb.abs(), q_error)
            + amplify(q.abs(), r.tangent_error)
            + rnd(1.0, m)
            + rnd(1.0, n)
            + lost(m, q, tb);
        BoundedDual {
            value: q,
            value_error: q_error,
            tangent: t,
            tangent_error: (n_error + amplify(t.abs(), r.value_error)) / b.abs()
                + rnd(1.0, t)
                + lost(t, n, 1.0),
        }
    }
}

impl Neg for BoundedDual {
    type Output = BoundedDual;
    fn neg(self) -> BoundedDual {
        BoundedDual {
            value: -self.value,
            tangent: -self.tangent,
            ..self
        }
    }
}

/// Forward mode with rounding-error bounds on value and tangent.
///
/// ```
/// use symdiff_ad::{BoundedDual, Scalar};
/// use symdiff_expr::Func;
/// let y = BoundedDual::variable(0.5, 1.0).apply(Func::Sin);
/// assert_eq!(y.tangent, 0.5f64.cos());
/// assert!(y.tangent_error < 1e-15);
/// ```
impl Scalar for BoundedDual {
    fn from_f64(value: f64) -> Self {
        BoundedDual::variable(value, 0.0)
    }

    fn from_rounded(value: f64) -> Self {
        BoundedDual {
            value_error: U * value.abs(),
            ..BoundedDual::variable(value, 0.0)
        }
    }

    fn value(&self) -> f64 {
        self.value
    }

    /// Value and tangent are finite (the bounds may be infinite).
    fn is_finite(&self) -> bool {
        self.value.is_finite() && self.tangent.is_finite()
    }

    fn powi(&self, n: i32) -> Self {
        let x = self.value;
        let (d, dd) = powi_slopes(x, n);
        let amp = n.unsigned_abs() as f64 * (1.0 / x.abs()).max(1.0);
        let mut r = self.func(Scalar::powi(&x, n), d, dd, powi_rounding(n), amp, false);
        if n < 0 && self.tangent != 0.0 {
            // as Dual computes it: n·v·(t/x)
            let (nf, v) = (n as f64, r.value);
            let q = self.tangent / x;
            let q_error =
                (self.tangent_error + amplify(q.abs(), self.value_error)) / x.abs() + rnd(1.0, q);
            r.tangent = powi_tangent(x, n, v, self.tangent);
            r.tangent_error = amplify((nf * v).abs(), q_error)
                + amplify((nf * q).abs(), r.value_error)
                + rnd(2.0, r.tangent)
                + lost(q, self.tangent, 1.0)
                + lost(r.tangent, v, q);
        }
        r
    }

    fn powf(&self, c: f64) -> Self {
        let (d, dd) = powf_slopes(self.value, c);
        let amp = c.abs().max(1.0) * (1.0 / self.value.abs()).max(1.0);
        self.func(self.value.powf(c), d, dd, FUNC_ROUNDING, amp, false)
    }

    fn powc(&self, exponent: &Self) -> Self {
        let (a, c, eb) = (self.value, exponent.value, exponent.value_error);
        let mut r = self.powf(c);
        // ∂(a^c)/∂c = a^c ln a; ∂(c a^(c-1) t)/∂c = a^(c-1) (1 + c ln a) t
        r.value_error += amplify(log_slope(r.value, a), eb);
        if r.tangent != 0.0 {
            let dt = (r.tangent / c) * (1.0 + c * a.ln());
            r.tangent_error += amplify(dt.abs(), eb);
        }
        r
    }

    fn pow(&self, exponent: &Self) -> Self {
        let (a, b) = (self.value, exponent.value);
        let v = pow_f64(a, b);
        let (da, db) = pow_partials(a, b, v);
        let mut r = self.func2(exponent, v, [da, db], pow_second_partials(a, b, v));
        r.value_error += lost(v, a, 1.0);
        r
    }

    fn apply(&self, func: Func) -> Self {
        let (v, d, dd) = curvature(func, self.value);
        self.func(v, d, dd, FUNC_ROUNDING, 4.0, vanishes(func))
    }

    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        let (v, d, dd) = curvature2(func, self.value, other.value);
        self.func2(other, v, d, dd)
    }
}

impl BoundedDual {
    /// A two-argument function with value `v`, partials `d` and second partials `dd`
    /// (`[∂aa, ∂ab, ∂bb]`): the tangent `d·(a', b')` and its error from the tangents' errors,
    /// from the values' errors moving the partials, and from computing the partials (a few
    /// operations after the libm calls) and the products.
    fn func2(&self, b: &BoundedDual, v: f64, d: [f64; 2], dd: [f64; 3]) -> BoundedDual {
        let a = self;
        let (p, q) = (scale(d[0], a.tangent), scale(d[1], b.tangent));
        let t = p + q;
        // how far each partial moves per unit error of each value
        let moved_by_a = scale(dd[0], a.tangent).abs() + scale(dd[1], b.tangent).abs();
        let moved_by_b = scale(dd[1], a.tangent).abs() + scale(dd[2], b.tangent).abs();
        BoundedDual {
            value: v,
            value_error: amplify(sensitivity(d[0]), a.value_error)
                + amplify(sensitivity(d[1]), b.value_error)
                + rnd(FUNC_ROUNDING, v),
            tangent: t,
            tangent_error: amplify(sensitivity(d[0]), a.tangent_error)
                + amplify(sensitivity(d[1]), b.tangent_error)
                + amplify(sensitivity(moved_by_a), a.value_error)
                + amplify(sensitivity(moved_by_b), b.value_error)
                + rnd(FUNC_ROUNDING + 4.0, p)
                + rnd(FUNC_ROUNDING + 4.0, q)
                + rnd(1.0, t)
                + lost(p, d[0], a.tangent)
                + lost(q, d[1], b.tangent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bound really bounds: compare against a computation in higher precision (the same
    /// formula evaluated with a compensated (double-double) product would be overkill; use a
    /// case with a known exact answer instead).
    #[test]
    fn cancellation_is_bounded() {
        // 0.1 + 0.2 - 0.3: exact answer 0 for the rationals; in f64 the constants are rounded.
        let r =
            Bounded::from_rounded(0.1) + Bounded::from_rounded(0.2) - Bounded::from_rounded(0.3);
        assert!(r.value.abs() <= r.error, "{r:?}");
    }

    #[test]
    fn tangent_of_division() {
        let x = BoundedDual::variable(2.0, 1.0);
        let f = BoundedDual::from_f64(1.0) / x;
        assert_eq!(f.tangent, -0.25);
        assert!(f.tangent_error < 2e-16);
    }
}
