//! [`Complex64`] as a [`Scalar`]: the number type of the complex-step method.
//!
//! Complex step evaluates `f(x + ih)` for a tiny `h` and reads `f'(x) ≈ Im f(x+ih) / h`: no
//! subtraction, hence no cancellation, so it is accurate to a few ulps for a tiny `h` (this crate
//! uses [`COMPLEX_STEP`](crate::numeric::COMPLEX_STEP) `= 1e-60`).
//! That only works when every operation is evaluated without cancellation in its imaginary
//! part. num-complex's `asin`, `acos` and `atan` compute `ln(1 + O(h))` and lose the imaginary part
//! completely for `h ≈ 1e-20`, and its `tan` divides by `cos 2x + cosh 2y`, which cancels near
//! the poles. So this implementation:
//!
//! - uses num-complex for `sin cos sinh cosh exp ln sqrt`, positive `powi` and `powf`;
//! - divides by Smith's algorithm, and computes negative powers as `(1/z)^|n|` (num-complex
//!   divides by `c² + d²`, which overflows for `|c| > 1e154`);
//! - computes `tan(x+iy)` as `(sin x cos x + i sinh y cosh y) / (cos²x + sinh²y)`, and
//!   `tanh(x+iy)` as `(t(1+s²) + i s sech²x) / (1 + t²s²)` with `t = tanh x`, `s = tan y` (num-complex's
//!   `sinh 2x / cosh 2x` overflows to NaN for `|x| > 355`);
//! - computes `asin`, `acos` and `atan` by their first-order extension
//!   `f(x) + i·y·f'(x)` when `|y| ≤ 1e-15·max(1, |x|)` (exact up to `O(y²)`, far below rounding
//!   there), and by num-complex otherwise.

use crate::scalar::{curvature2, pow_partials, scale, slope, Scalar};
use num_complex::Complex64;
use symdiff_expr::{pow_f64, Func, Func2};

/// Below this relative size of the imaginary part, `asin`, `acos` and `atan` use the first-order
/// extension.
const TINY_IMAGINARY: f64 = 1e-15;

/// Complex numbers for the complex-step method (see the module notes on accuracy).
///
/// ```
/// use num_complex::Complex64;
/// use symdiff_ad::Scalar;
/// use symdiff_expr::{pow_f64, Func, Func2};
/// let h = 1e-20;
/// let z = Complex64::new(0.5, h).apply(Func::Asin);
/// let exact = 1.0 / (1.0f64 - 0.25).sqrt();
/// assert!((z.im / h - exact).abs() < 1e-15);
/// ```
impl Scalar for Complex64 {
    fn from_f64(value: f64) -> Self {
        Complex64::new(value, 0.0)
    }

    fn value(&self) -> f64 {
        self.re
    }

    fn is_finite(&self) -> bool {
        self.re.is_finite() && self.im.is_finite()
    }

    /// Smith's algorithm: num-complex divides by `c² + d²`, which overflows for `|c| > 1e154`
    /// (and then `1/(6e226 + ih)` is 0).
    fn quotient(a: &Self, b: &Self) -> Self {
        let (c, d) = (b.re, b.im);
        if c.abs() >= d.abs() {
            let r = d / c;
            let den = c + d * r;
            Complex64::new((a.re + a.im * r) / den, (a.im - a.re * r) / den)
        } else {
            let r = c / d;
            let den = c * r + d;
            Complex64::new((a.re * r + a.im) / den, (a.im * r - a.re) / den)
        }
    }

    /// Negative powers as `(1/z)^|n|`, with Smith's `1/z` (num-complex's `1/z` overflows
    /// for `|z| > 1e154`).
    fn powi(&self, n: i32) -> Self {
        if n < 0 {
            let inv = Self::quotient(&Complex64::new(1.0, 0.0), self);
            Complex64::powi(&inv, n.unsigned_abs() as i32)
        } else {
            Complex64::powi(self, n)
        }
    }

    fn powf(&self, c: f64) -> Self {
        Complex64::powf(*self, c)
    }

    fn pow(&self, exponent: &Self) -> Self {
        if self.re > 0.0 {
            (exponent * self.ln()).exp()
        } else {
            // `(-2)^y`: no analytic extension (the principal branch would add i·π·y); carried
            // to first order by the real partials, as for the non-analytic functions.
            let (a, b) = (self.re, exponent.re);
            let v = pow_f64(a, b);
            let (da, db) = pow_partials(a, b, v);
            Complex64::new(v, scale(da, self.im) + scale(db, exponent.im))
        }
    }

    /// `atan2` and `hypot` are carried to first order by their real partials (`min` and `max`
    /// pass on an argument: see [`Scalar::apply2`]). The complex step of a non-analytic
    /// function is not defined; the first-order extension is what it would compute where the
    /// function is smooth.
    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        let (v, d, _) = curvature2(func, self.re, other.re);
        Complex64::new(v, scale(d[0], self.im) + scale(d[1], other.im))
    }

    fn apply(&self, func: Func) -> Self {
        let z = *self;
        match func {
            Func::Sin => z.sin(),
            Func::Cos => z.cos(),
            Func::Tan => {
                let (s, c) = z.re.sin_cos();
                let (sh, ch) = (z.im.sinh(), z.im.cosh());
                let den = c * c + sh * sh;
                Complex64::new(s * c / den, sh * ch / den)
            }
            Func::Asin | Func::Acos | Func::Atan
                if z.im.abs() <= TINY_IMAGINARY * z.re.abs().max(1.0) =>
            {
                let (v, d) = slope(func, z.re);
                Complex64::new(v, scale(d, z.im))
            }
            Func::Asin => z.asin(),
            Func::Acos => z.acos(),
            Func::Atan => z.atan(),
            Func::Sinh => z.sinh(),
            Func::Cosh => z.cosh(),
            Func::Tanh => {
                // tanh(x+iy) = (t(1+s²) + i s sech²x) / (1 + t²s²), t = tanh x, s = tan y:
                // no overflow for large |x| (num-complex divides sinh 2x by cosh 2x).
                let (t, s) = (z.re.tanh(), z.im.tan());
                if s.is_finite() {
                    let c = z.re.cosh();
                    let den = 1.0 + t * t * s * s;
                    Complex64::new(t * (1.0 + s * s) / den, s / (c * c) / den)
                } else {
                    z.tanh()
                }
            }
            Func::Exp => z.exp(),
            Func::Ln => z.ln(),
            Func::Sqrt => z.sqrt(),
            // The complex step needs an analytic function: the non-smooth ones (`abs`, `sign`,
            // `relu`) have no complex extension, and the rest are carried to first order by
            // their real derivative, which is what the complex step would compute.
            _ => {
                let (v, d) = slope(func, z.re);
                Complex64::new(v, scale(d, z.im))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Complex step through every function matches the analytic derivative to ~1 ulp.
    #[test]
    fn complex_step_is_accurate_for_every_function() {
        let h = 1e-20;
        for func in Func::ALL {
            for x in [0.3, -0.45, 0.9, 1.4, 2.5] {
                if matches!(func, Func::Asin | Func::Acos) && x > 1.0 {
                    continue;
                }
                if matches!(func, Func::Ln | Func::Sqrt) && x < 0.0 {
                    continue;
                }
                let outside = func.domain(x).is_some();
                let (_, d) = slope(func, x);
                if outside || d == 0.0 {
                    continue; // no relative error to measure (`sign' = 0`, `relu'(-x) = 0`)
                }
                let z = Complex64::new(x, h).apply(func);
                let rel = (z.im / h - d).abs() / d.abs();
                assert!(rel < 4e-16, "{func:?} at {x}: {} vs {d}", z.im / h);
                let re_err = (z.re - func.apply(x)).abs() / func.apply(x).abs();
                assert!(
                    re_err <= 4e-16,
                    "{func:?} at {x}: real part off by {re_err:e}"
                );
            }
        }
    }

    #[test]
    fn division_of_large_numbers() {
        let big = Complex64::new(6e226, 1e-60 * 6.6e230);
        let q = Complex64::quotient(&Complex64::new(1.0, 0.0), &big);
        assert!((q.re - 1.0 / 6e226).abs() <= 1e-16 * q.re);
        let im = -6.6e230 / 6e226 / 6e226; // d(1/b) = -b'/b²
        assert!((q.im / 1e-60 - im).abs() <= 1e-15 * im.abs());
        let z = Complex64::new(1e100, 1e-60).powi(-3);
        assert!((z.re - 1e-300).abs() <= 1e-15 * 1e-300);
        assert_eq!(Complex64::new(2.0, 0.0).powi(-2), Complex64::new(0.25, 0.0));
    }

    #[test]
    fn tan_near_a_pole() {
        let x = std::f64::consts::FRAC_PI_2 - 1e-6;
        let z = Complex64::new(x, 1e-20).apply(Func::Tan);
        let (_, d) = slope(Func::Tan, x);
        assert!((z.im / 1e-20 - d).abs() / d < 1e-9);
    }

    #[test]
    fn tanh_of_large_arguments() {
        let z = Complex64::new(1546.0, 1e-20).apply(Func::Tanh);
        assert_eq!((z.re, z.im), (1.0, 0.0));
        let w = Complex64::new(0.3, 0.2);
        assert!((w.apply(Func::Tanh) - w.tanh()).norm() < 1e-15);
    }

    #[test]
    fn genuinely_complex_arguments_use_num_complex() {
        let z = Complex64::new(0.5, 0.5);
        assert_eq!(z.apply(Func::Atan), z.atan());
    }
}
