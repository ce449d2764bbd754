//! [`HyperDual`]: hyper-dual numbers `a + b ε₁ + c ε₂ + d ε₁ε₂` (`ε₁² = ε₂² = 0`) for exact
//! second derivatives (Fike & Alonso 2011).

use crate::scalar::{
    curvature, curvature2, pow_partials, pow_second_partials, powf_slopes, powi_slopes,
    powi_tangent, scale, Scalar,
};
use std::ops::{Add, Div, Mul, Neg, Sub};
use symdiff_expr::{pow_f64, Func, Func2};

/// A hyper-dual number: evaluating `f` at `x + e_i ε₁ + e_j ε₂` gives `f`, `∂f/∂x_i`, `∂f/∂x_j`
/// and `∂²f/∂x_i∂x_j` in its four parts, with no truncation error and no cancellation.
///
/// ```
/// use symdiff_ad::{HyperDual, Scalar};
/// use symdiff_expr::{pow_f64, Func, Func2};
/// // f = x^3 at x = 2: f = 8, f' = 12, f'' = 12
/// let x = HyperDual::variable(2.0);
/// let f = x.powi(3);
/// assert_eq!((f.re, f.e1, f.e2, f.e12), (8.0, 12.0, 12.0, 12.0));
/// // f = sin(x) at 0.5: f'' = -sin(0.5)
/// assert_eq!(HyperDual::variable(0.5).apply(Func::Sin).e12, -0.5f64.sin());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HyperDual {
    /// The value.
    pub re: f64,
    /// The ε₁ part: derivative along the first direction.
    pub e1: f64,
    /// The ε₂ part: derivative along the second direction.
    pub e2: f64,
    /// The ε₁ε₂ part: the mixed second derivative.
    pub e12: f64,
}

impl HyperDual {
    /// A hyper-dual number from its four parts.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::HyperDual::new(1.0, 2.0, 3.0, 4.0).e12, 4.0);
    /// ```
    pub fn new(re: f64, e1: f64, e2: f64, e12: f64) -> Self {
        HyperDual { re, e1, e2, e12 }
    }

    /// The single variable of a second derivative: both directions 1.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::HyperDual::variable(1.0).e2, 1.0);
    /// ```
    pub fn variable(value: f64) -> Self {
        HyperDual::new(value, 1.0, 1.0, 0.0)
    }

    /// Input `k` seeded for the Hessian entry `(i, j)`: `ε₁` if `k == i`, `ε₂` if `k == j`.
    ///
    /// ```
    /// use symdiff_ad::HyperDual;
    /// assert_eq!(HyperDual::seeded(3.0, 0, 0, 1), HyperDual::new(3.0, 1.0, 0.0, 0.0));
    /// assert_eq!(HyperDual::seeded(3.0, 1, 1, 1), HyperDual::new(3.0, 1.0, 1.0, 0.0));
    /// ```
    pub fn seeded(value: f64, k: usize, i: usize, j: usize) -> Self {
        let one = |b: bool| if b { 1.0 } else { 0.0 };
        HyperDual::new(value, one(k == i), one(k == j), 0.0)
    }

    /// A constant.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::HyperDual::constant(2.0).e1, 0.0);
    /// ```
    pub fn constant(value: f64) -> Self {
        HyperDual::new(value, 0.0, 0.0, 0.0)
    }

    /// Chain rule for a function with value `v`, slope `d` and curvature `dd` at `re`.
    fn chain(self, v: f64, d: f64, dd: f64) -> Self {
        HyperDual::new(
            v,
            scale(d, self.e1),
            scale(d, self.e2),
            scale(d, self.e12) + scale(dd, self.e1 * self.e2),
        )
    }

    /// Chain rule for a two-argument function with value `v`, partials `d` and second partials
    /// `dd = [∂aa, ∂ab, ∂bb]` at `(self, b)`.
    fn chain2(self, b: HyperDual, v: f64, d: [f64; 2], dd: [f64; 3]) -> Self {
        let a = self;
        HyperDual::new(
            v,
            scale(d[0], a.e1) + scale(d[1], b.e1),
            scale(d[0], a.e2) + scale(d[1], b.e2),
            scale(d[0], a.e12)
                + scale(d[1], b.e12)
                + scale(dd[0], a.e1 * a.e2)
                + scale(dd[1], a.e1 * b.e2 + a.e2 * b.e1)
                + scale(dd[2], b.e1 * b.e2),
        )
    }
}

impl Add for HyperDual {
    type Output = HyperDual;
    fn add(self, r: HyperDual) -> HyperDual {
        HyperDual::new(
            self.re + r.re,
            self.e1 + r.e1,
            self.e2 + r.e2,
            self.e12 + r.e12,
        )
    }
}

impl Sub for HyperDual {
    type Output = HyperDual;
    fn sub(self, r: HyperDual) -> HyperDual {
        HyperDual::new(
            self.re - r.re,
            self.e1 - r.e1,
            self.e2 - r.e2,
            self.e12 - r.e12,
        )
    }
}

impl Mul for HyperDual {
    type Output = HyperDual;
    fn mul(self, r: HyperDual) -> HyperDual {
        HyperDual::new(
            self.re * r.re,
            self.e1 * r.re + self.re * r.e1,
            self.e2 * r.re + self.re * r.e2,
            self.e12 * r.re + self.e1 * r.e2 + self.e2 * r.e1 + self.re * r.e12,
        )
    }
}

impl Div for HyperDual {
    type Output = HyperDual;
    /// From `a = q b`: `q₁ = (a₁ - q b₁)/b`, `q₁₂ = (a₁₂ - q₁ b₂ - q₂ b₁ - q b₁₂)/b` (so that
    /// `x/x` has tangents exactly 0, as with [`Dual`](crate::Dual)).
    fn div(self, r: HyperDual) -> HyperDual {
        let q = self.re / r.re;
        let q1 = (self.e1 - q * r.e1) / r.re;
        let q2 = (self.e2 - q * r.e2) / r.re;
        let q12 = (self.e12 - q1 * r.e2 - q2 * r.e1 - q * r.e12) / r.re;
        HyperDual::new(q, q1, q2, q12)
    }
}

impl Neg for HyperDual {
    type Output = HyperDual;
    fn neg(self) -> HyperDual {
        HyperDual::new(-self.re, -self.e1, -self.e2, -self.e12)
    }
}

/// Second-order forward mode.
///
/// ```
/// use symdiff_ad::{HyperDual, Scalar};
/// // f = x^y at (2, 3); ∂²f/∂x∂y = x^(y-1) (1 + y ln x)
/// let x = HyperDual::seeded(2.0, 0, 0, 1);
/// let y = HyperDual::seeded(3.0, 1, 0, 1);
/// let f = x.pow(&y);
/// assert!((f.e12 - 4.0 * (1.0 + 3.0 * 2f64.ln())).abs() < 1e-13);
/// ```
impl Scalar for HyperDual {
    fn from_f64(value: f64) -> Self {
        HyperDual::constant(value)
    }

    fn value(&self) -> f64 {
        self.re
    }

    fn is_finite(&self) -> bool {
        self.re.is_finite() && self.e1.is_finite() && self.e2.is_finite() && self.e12.is_finite()
    }

    fn powi(&self, n: i32) -> Self {
        let (x, v) = (self.re, Scalar::powi(&self.re, n));
        let (_, dd) = powi_slopes(x, n);
        let t = |e: f64| powi_tangent(x, n, v, e);
        HyperDual::new(
            v,
            t(self.e1),
            t(self.e2),
            t(self.e12) + scale(dd, self.e1 * self.e2),
        )
    }

    fn powf(&self, c: f64) -> Self {
        let (d, dd) = powf_slopes(self.re, c);
        self.chain(self.re.powf(c), d, dd)
    }

    fn pow(&self, exponent: &Self) -> Self {
        let (a, b) = (self.re, exponent.re);
        let v = pow_f64(a, b);
        let (da, db) = pow_partials(a, b, v);
        self.chain2(*exponent, v, [da, db], pow_second_partials(a, b, v))
    }

    fn apply(&self, func: Func) -> Self {
        let (v, d, dd) = curvature(func, self.re);
        self.chain(v, d, dd)
    }

    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        let (v, d, dd) = curvature2(func, self.re, other.re);
        self.chain2(*other, v, d, dd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotients() {
        // f = x/y at (3, 2): f_x = 1/2, f_y = -3/4, f_xy = -1/4
        let x = HyperDual::seeded(3.0, 0, 0, 1);
        let y = HyperDual::seeded(2.0, 1, 0, 1);
        assert_eq!(x / y, HyperDual::new(1.5, 0.5, -0.75, -0.25));
        // f = 1/x at 2: f'' = 2/x^3
        let x = HyperDual::variable(2.0);
        assert_eq!((HyperDual::constant(1.0) / x).e12, 0.25);
        assert_eq!((x / x).e1, 0.0);
    }
}
