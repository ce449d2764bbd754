//! [`DualVec`]: vector dual numbers, `k` tangents carried at once (a whole gradient in one
//! forward pass).

use crate::scalar::{
    curvature2, note_local_derivative, pow_partials, powf_slopes, powi_tangent, scale, slope,
    undefined_derivative_of_pow, Scalar,
};
use std::ops::{Add, Div, Mul, Neg, Sub};
use symdiff_expr::{pow_f64, Func, Func2};

/// A value with `k` tangents: `re + Σ eps[i]·εᵢ` with `εᵢ εⱼ = 0`.
///
/// Seeding input `i` with the `i`-th unit vector ([`DualVec::variable`]) makes one evaluation
/// produce the whole gradient. The tangent length is a runtime value; an empty `eps` means "all
/// tangents zero" (constants allocate nothing), so values of different tangent lengths only mix
/// when one of them is a constant.
///
/// ```
/// use symdiff_ad::DualVec;
/// let x = DualVec::variable(3.0, 0, 2);
/// let y = DualVec::variable(-4.0, 1, 2);
/// let f = x.clone() * y.clone() + y; // x*y + y
/// assert_eq!(f.re, -16.0);
/// assert_eq!(f.eps, vec![-4.0, 4.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DualVec {
    /// The value.
    pub re: f64,
    /// The tangents (empty: all zero).
    pub eps: Vec<f64>,
}

impl DualVec {
    /// A value with the given tangents.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::DualVec::new(1.0, vec![0.5]).eps, vec![0.5]);
    /// ```
    pub fn new(re: f64, eps: Vec<f64>) -> Self {
        DualVec { re, eps }
    }

    /// Input number `index` of `len` inputs: tangent is the `index`-th unit vector.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::DualVec::variable(5.0, 1, 3).eps, vec![0.0, 1.0, 0.0]);
    /// ```
    pub fn variable(value: f64, index: usize, len: usize) -> Self {
        let mut eps = vec![0.0; len];
        if let Some(e) = eps.get_mut(index) {
            *e = 1.0;
        }
        DualVec::new(value, eps)
    }

    /// A constant (no tangents).
    ///
    /// ```
    /// assert!(symdiff_ad::DualVec::constant(5.0).eps.is_empty());
    /// ```
    pub fn constant(value: f64) -> Self {
        DualVec::new(value, Vec::new())
    }

    /// Tangent `i` (zero when the tangents are empty).
    ///
    /// ```
    /// use symdiff_ad::DualVec;
    /// assert_eq!(DualVec::constant(1.0).tangent(3), 0.0);
    /// assert_eq!(DualVec::variable(1.0, 3, 4).tangent(3), 1.0);
    /// ```
    pub fn tangent(&self, i: usize) -> f64 {
        self.eps.get(i).copied().unwrap_or(0.0)
    }

    /// Chain rule: value `v`, every tangent scaled by `d`.
    fn chain(mut self, v: f64, d: f64) -> Self {
        self.re = v;
        if self.eps.is_empty() {
            note_local_derivative(d);
        }
        self.eps.iter_mut().for_each(|e| *e = scale(d, *e));
        self
    }

    /// `ca·self.eps + cb·other.eps` into self's buffer (or other's when self's is empty).
    /// Chain rule for a two-argument function with value `v` and partials `d` at `(self, b)`,
    /// per tangent, with structural zeros (a zero tangent stays zero where a partial is not
    /// finite: `x^y` at `x < 0` along `x` alone).
    fn chain2(&self, b: &DualVec, v: f64, d: [f64; 2]) -> Self {
        let n = self.eps.len().max(b.eps.len());
        let eps = (0..n)
            .map(|i| scale(d[0], self.tangent(i)) + scale(d[1], b.tangent(i)))
            .collect();
        DualVec::new(v, eps)
    }

    fn combine(self, ca: f64, other: DualVec, cb: f64, re: f64) -> Self {
        let eps = match (self.eps.is_empty(), other.eps.is_empty()) {
            (_, true) => {
                let mut e = self.eps;
                e.iter_mut().for_each(|x| *x *= ca);
                e
            }
            (true, false) => {
                let mut e = other.eps;
                e.iter_mut().for_each(|x| *x *= cb);
                e
            }
            (false, false) => {
                let mut e = self.eps;
                if e.len() < other.eps.len() {
                    e.resize(other.eps.len(), 0.0);
                }
                for (x, y) in e.iter_mut().zip(&other.eps) {
                    *x = ca * *x + cb * y;
                }
                if other.eps.len() < e.len() {
                    e[other.eps.len()..].iter_mut().for_each(|x| *x *= ca);
                }
                e
            }
        };
        DualVec::new(re, eps)
    }
}

impl Add for DualVec {
    type Output = DualVec;
    fn add(self, rhs: DualVec) -> DualVec {
        let re = self.re + rhs.re;
        self.combine(1.0, rhs, 1.0, re)
    }
}

impl Sub for DualVec {
    type Output = DualVec;
    fn sub(self, rhs: DualVec) -> DualVec {
        let re = self.re - rhs.re;
        self.combine(1.0, rhs, -1.0, re)
    }
}

impl Mul for DualVec {
    type Output = DualVec;
    fn mul(self, rhs: DualVec) -> DualVec {
        let (a, b) = (self.re, rhs.re);
        self.combine(b, rhs, a, a * b)
    }
}

impl Div for DualVec {
    type Output = DualVec;
    /// `(a/b)' = (a' - (a/b) b') / b`.
    fn div(self, rhs: DualVec) -> DualVec {
        let b = rhs.re;
        let q = self.re / b;
        if rhs.eps.is_empty() {
            return self.chain(q, 1.0 / b);
        }
        // per tangent (a' - q b') / b, as Dual: the coefficient -q/b alone may underflow
        // (q = 1e-227, b = 6e226) where the result does not
        let n = self.eps.len().max(rhs.eps.len());
        let eps = (0..n)
            .map(|i| (self.tangent(i) - q * rhs.tangent(i)) / b)
            .collect();
        DualVec::new(q, eps)
    }
}

impl Neg for DualVec {
    type Output = DualVec;
    fn neg(self) -> DualVec {
        let re = -self.re;
        self.chain(re, -1.0)
    }
}

/// Forward mode with `k` tangents.
///
/// ```
/// use symdiff_ad::{DualVec, Scalar};
/// use symdiff_expr::{pow_f64, Func, Func2};
/// let x = DualVec::variable(0.0, 0, 2);
/// let y = DualVec::variable(2.0, 1, 2);
/// let f = (x * y).apply(Func::Exp); // exp(x*y): gradient (y, x) e^(xy)
/// assert_eq!(f.eps, vec![2.0, 0.0]);
/// ```
impl Scalar for DualVec {
    fn from_f64(value: f64) -> Self {
        DualVec::constant(value)
    }

    fn value(&self) -> f64 {
        self.re
    }

    fn is_finite(&self) -> bool {
        self.re.is_finite() && self.eps.iter().all(|e| e.is_finite())
    }

    fn powi(&self, n: i32) -> Self {
        let (x, v) = (self.re, Scalar::powi(&self.re, n));
        let eps = self.eps.iter().map(|&t| powi_tangent(x, n, v, t)).collect();
        DualVec::new(v, eps)
    }

    fn powf(&self, c: f64) -> Self {
        let (d, _) = powf_slopes(self.re, c);
        self.clone().chain(self.re.powf(c), d)
    }

    fn pow(&self, exponent: &Self) -> Self {
        let (a, b) = (self.re, exponent.re);
        let v = pow_f64(a, b);
        let (da, db) = pow_partials(a, b, v);
        let mut r = self.chain2(exponent, v, [da, db]);
        if undefined_derivative_of_pow(a) {
            let n = r.eps.len().max(1);
            r.eps = vec![f64::NAN; n];
        }
        r
    }

    fn apply(&self, func: Func) -> Self {
        let (v, d) = slope(func, self.re);
        self.clone().chain(v, d)
    }

    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        let (v, d, _) = curvature2(func, self.re, other.re);
        self.chain2(other, v, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_mix_with_variables() {
        let x = DualVec::variable(2.0, 0, 3);
        let c = DualVec::constant(5.0);
        assert_eq!((c.clone() * x.clone()).eps, vec![5.0, 0.0, 0.0]);
        assert_eq!((c.clone() / x.clone()).eps, vec![-1.25, 0.0, 0.0]);
        assert_eq!((c.clone() - x.clone()).eps, vec![-1.0, 0.0, 0.0]);
        assert!((c.clone() + c).eps.is_empty());
    }

    #[test]
    fn general_power_has_both_partials() {
        let x = DualVec::variable(2.0, 0, 2);
        let y = DualVec::variable(3.0, 1, 2);
        let f = x.pow(&y); // x^y: (y x^(y-1), x^y ln x)
        assert!((f.eps[0] - 12.0).abs() < 1e-13);
        assert!((f.eps[1] - 8.0 * 2f64.ln()).abs() < 1e-13);
    }
}
