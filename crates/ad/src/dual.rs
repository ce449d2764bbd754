//! [`Dual`]: forward-mode dual numbers `a + b ε` with `ε² = 0`, one tangent.

use crate::scalar::{curvature2, pow_partials, powf_slopes, powi_tangent, scale, slope, Scalar};
use std::ops::{Add, Div, Mul, Neg, Sub};
use symdiff_expr::{pow_f64, Func, Func2};

/// A dual number `re + eps·ε` (`ε² = 0`): a value and one directional derivative (tangent).
///
/// Evaluating `f` at `x + ε` gives `f(x) + f'(x) ε`: forward-mode AD.
///
/// ```
/// use symdiff_ad::Dual;
/// let x = Dual::variable(3.0);
/// let y = x * x + Dual::constant(1.0); // x^2 + 1
/// assert_eq!((y.re, y.eps), (10.0, 6.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Dual {
    /// The value.
    pub re: f64,
    /// The tangent (derivative along the seeded direction).
    pub eps: f64,
}

impl Dual {
    /// A dual number with the given value and tangent.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Dual::new(1.0, 2.0).eps, 2.0);
    /// ```
    pub fn new(re: f64, eps: f64) -> Self {
        Dual { re, eps }
    }

    /// The independent variable at `value`: tangent 1.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Dual::variable(2.0).eps, 1.0);
    /// ```
    pub fn variable(value: f64) -> Self {
        Dual::new(value, 1.0)
    }

    /// A constant: tangent 0.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Dual::constant(2.0).eps, 0.0);
    /// ```
    pub fn constant(value: f64) -> Self {
        Dual::new(value, 0.0)
    }

    /// Chain rule for a function with value `v` and slope `d` at `re`.
    fn chain(self, v: f64, d: f64) -> Self {
        Dual::new(v, scale(d, self.eps))
    }

    /// Chain rule for a two-argument function with value `v` and partials `d` at `(self, b)`.
    fn chain2(self, b: Dual, v: f64, d: [f64; 2]) -> Self {
        Dual::new(v, scale(d[0], self.eps) + scale(d[1], b.eps))
    }
}

impl Add for Dual {
    type Output = Dual;
    fn add(self, rhs: Dual) -> Dual {
        Dual::new(self.re + rhs.re, self.eps + rhs.eps)
    }
}

impl Sub for Dual {
    type Output = Dual;
    fn sub(self, rhs: Dual) -> Dual {
        Dual::new(self.re - rhs.re, self.eps - rhs.eps)
    }
}

impl Mul for Dual {
    type Output = Dual;
    fn mul(self, rhs: Dual) -> Dual {
        Dual::new(self.re * rhs.re, self.eps * rhs.re + self.re * rhs.eps)
    }
}

impl Div for Dual {
    type Output = Dual;
    /// `(a/b)' = (a' - (a/b) b') / b`.
    fn div(self, rhs: Dual) -> Dual {
        let q = self.re / rhs.re;
        Dual::new(q, (self.eps - q * rhs.eps) / rhs.re)
    }
}

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        Dual::new(-self.re, -self.eps)
    }
}

/// Forward mode with one tangent.
///
/// ```
/// use symdiff_ad::{Dual, Scalar};
/// let x = Dual::variable(-2.0);
/// assert_eq!(x.powi(3), Dual::new(-8.0, 12.0));
/// let y = Dual::variable(4.0).powf(0.5);
/// assert_eq!((y.re, y.eps), (2.0, 0.25));
/// ```
impl Scalar for Dual {
    fn from_f64(value: f64) -> Self {
        Dual::constant(value)
    }

    fn value(&self) -> f64 {
        self.re
    }

    fn is_finite(&self) -> bool {
        self.re.is_finite() && self.eps.is_finite()
    }

    fn powi(&self, n: i32) -> Self {
        let v = Scalar::powi(&self.re, n);
        Dual::new(v, powi_tangent(self.re, n, v, self.eps))
    }

    fn powf(&self, c: f64) -> Self {
        let (d, _) = powf_slopes(self.re, c);
        self.chain(self.re.powf(c), d)
    }

    fn pow(&self, exponent: &Self) -> Self {
        let v = pow_f64(self.re, exponent.re);
        let (da, db) = pow_partials(self.re, exponent.re, v);
        self.chain2(*exponent, v, [da, db])
    }

    fn apply(&self, func: Func) -> Self {
        let (v, d) = slope(func, self.re);
        self.chain(v, d)
    }

    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        let (v, d, _) = curvature2(func, self.re, other.re);
        self.chain2(*other, v, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotient_rule() {
        let x = Dual::variable(2.0);
        let y = Dual::constant(1.0) / x;
        assert_eq!((y.re, y.eps), (0.5, -0.25));
    }

    #[test]
    fn general_power() {
        // d/dx x^x = x^x (ln x + 1)
        let x = Dual::variable(2.0);
        let y = x.pow(&x);
        assert!((y.eps - 4.0 * (2f64.ln() + 1.0)).abs() < 1e-14);
    }
}
