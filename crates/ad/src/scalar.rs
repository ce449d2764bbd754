//! The [`Scalar`] trait: the numbers the generic evaluator computes with, and its `f64`
//! implementation.
//!
//! Every number type of this crate — `f64`, [`Dual`](crate::Dual), [`DualVec`](crate::DualVec),
//! [`Complex64`](num_complex::Complex64) (complex step), [`HyperDual`](crate::HyperDual) and the
//! error-bounded [`Bounded`](crate::Bounded) / [`BoundedDual`](crate::BoundedDual) — implements
//! [`Scalar`], so one evaluator ([`WengertList::eval`](crate::WengertList::eval)) serves function values,
//! forward-mode tangents, complex steps and second derivatives alike.
//!
//! # Power semantics
//!
//! The language has one power operator `f^g`; the evaluator splits it in three, decided once when
//! the expression is compiled:
//!
//! - **integer constant exponent** `f^n` (`n` an integer constant that fits `i32`): [`Scalar::powi`],
//!   repeated multiplication, defined for negative `f` (`(-2)^3 = -8`); `f = 0` is a domain error
//!   only for `n < 0`.
//! - **other constant exponent** `f^c` (any variable-free exponent, such as `1/3` or `pi`):
//!   [`Scalar::powf`], defined for `f > 0`, and for `f = 0` when `c > 0`.
//! - **general** `f^g` (the exponent depends on a variable): [`Scalar::pow`], whose value is the
//!   language's one power [`pow_f64`] (as for `Expr::eval` and compiled code: `(-2)^y` is `-8` at
//!   `y = 3` and not real at `y = 1/2`). Its derivative `f^g (g' ln f + g f'/f)` (the rule
//!   table's `d-pow`) is defined where `f > 0`, as in JAX and PyTorch: for `f ≤ 0` the power is
//!   real only at isolated exponents, so a derivative that flows through `f` or `g` there is NaN
//!   (a strict-mode error), even where `g` happens to be a locally constant integer
//!   (`x^max(x, 0)` at `x < 0`).

use std::cell::Cell;
use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};
use symdiff_expr::{pow_f64, Func, Func2};

/// A number type the generic evaluator can compute with: `+ - * /`, negation, the three powers
/// and every one- and two-argument function of the language (`if` and the conditions need
/// nothing from a number type: a condition is a constant `1.0` or `0.0`, `if` passes on the
/// branch it takes).
///
/// Arithmetic goes through the standard operator traits (by value); everything else through the
/// methods below. Implementations carry a primal (real) [`value`](Scalar::value) that the
/// evaluator uses to decide domain errors, and possibly derivative parts.
///
/// ```
/// use symdiff_ad::{Dual, Scalar};
/// use symdiff_expr::Func;
/// // d/dx sin(x^2) at x = 1.5 is 2x cos(x^2)
/// let x = Dual::variable(1.5);
/// let y = x.powi(2).apply(Func::Sin);
/// assert!((y.eps - 3.0 * (2.25f64).cos()).abs() < 1e-15);
/// assert_eq!(y.value(), (2.25f64).sin());
/// ```
pub trait Scalar:
    Clone
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// An exact constant: the value `value` with every derivative part zero.
    fn from_f64(value: f64) -> Self;

    /// A constant whose true value was rounded to `value` (such as `0.1` or `pi`): only
    /// error-tracking types treat it differently from [`Scalar::from_f64`].
    fn from_rounded(value: f64) -> Self {
        Self::from_f64(value)
    }

    /// The primal (real) value.
    fn value(&self) -> f64;

    /// True when every component (value and derivative parts) is finite.
    fn is_finite(&self) -> bool;

    /// `a / b`; the evaluator divides through this method so that a type can replace its
    /// operator's formula (complex division must avoid overflow, see
    /// [`Complex64`](num_complex::Complex64)).
    fn quotient(a: &Self, b: &Self) -> Self {
        a.clone() / b.clone()
    }

    /// `self^n` for an integer constant `n` (repeated multiplication; defined for negative
    /// values).
    fn powi(&self, n: i32) -> Self;

    /// `self^c` for a non-integer constant `c` (defined for positive values, and for zero when
    /// `c > 0`).
    fn powf(&self, c: f64) -> Self;

    /// `self^c` for a constant, non-integer exponent computed at run time (its derivative parts
    /// are zero): [`Scalar::powf`] of its value, unless the type tracks the exponent's error.
    fn powc(&self, exponent: &Self) -> Self {
        self.powf(exponent.value())
    }

    /// `self^exponent` for an exponent that depends on a variable: the value is
    /// [`pow_f64`] (the language's one power, so `(-2)^y` at `y = 3` is `-8`); the partials are
    /// [`pow_partials`] (the one with respect to the exponent, `a^b ln a`, needs `a > 0`).
    fn pow(&self, exponent: &Self) -> Self;

    /// Applies one of the language's functions.
    fn apply(&self, func: Func) -> Self;

    /// Applies a two-argument function: `min` and `max` pass on the argument
    /// [`Func2::selected`] chooses (value and derivatives: `d max(a, b) = if(a >= b, a', b')`),
    /// the smooth ones go to [`Scalar::smooth2`].
    ///
    /// ```
    /// use symdiff_ad::{Dual, Scalar};
    /// use symdiff_expr::Func2;
    /// let (x, c) = (Dual::variable(2.0), Dual::constant(2.0));
    /// assert_eq!(x.apply2(Func2::Max, &c), x); // a tie takes the first argument
    /// assert_eq!(c.apply2(Func2::Max, &x), c);
    /// assert_eq!(x.apply2(Func2::Hypot, &Dual::constant(0.0)).eps, 1.0);
    /// ```
    fn apply2(&self, func: Func2, other: &Self) -> Self {
        match func.selected(self.value(), other.value()) {
            Some(0) => self.clone(),
            Some(_) => other.clone(),
            None => self.smooth2(func, other),
        }
    }

    /// A smooth two-argument function (`atan2`, `hypot`): its value and partials are
    /// [`curvature2`].
    fn smooth2(&self, func: Func2, other: &Self) -> Self;
}

/// The partials of the power `v = a^b` ([`pow_f64`]) whose exponent depends on a variable:
/// `∂v/∂a = b·v/a` and `∂v/∂b = v·ln a`, defined where `a > 0` — the domain of the rule
/// table's `d-pow`, `a^b·(b'·ln a + b·a'/a)`, and what JAX and PyTorch compute (NaN
/// elsewhere). Where `a ≤ 0` the power is real only at isolated exponents (`(-2)^3`, `0^b` for
/// `b > 0`): both partials are NaN, and every number type makes all its derivative parts NaN
/// there ([`undefined_derivative_of_pow`]), in every direction — even one along which neither
/// operand moves, or whose tangent underflowed to 0 (`(-1)^tanh(x)` at `x = -456`). A
/// strict evaluation reports it, unless the power is in the branch an `if` does not take.
///
/// ```
/// assert_eq!(symdiff_ad::pow_partials(2.0, 3.0, 8.0), (12.0, 8.0 * 2f64.ln()));
/// let (da, db) = symdiff_ad::pow_partials(-2.0, 3.0, -8.0);
/// assert!(da.is_nan() && db.is_nan());
/// ```
pub fn pow_partials(a: f64, b: f64, v: f64) -> (f64, f64) {
    if a > 0.0 {
        (b * v / a, v * a.ln())
    } else {
        (f64::NAN, f64::NAN)
    }
}

/// True where the derivative of `a^b` with a varying exponent does not exist: `a ≤ 0` (or NaN).
#[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN is not > 0
pub(crate) fn undefined_derivative_of_pow(a: f64) -> bool {
    !(a > 0.0)
}

/// The second partials of `v = a^b` (`a > 0`, as [`pow_partials`]): `(∂²v/∂a², ∂²v/∂a∂b,
/// ∂²v/∂b²)` = `(b(b-1)v/a², v(1 + b ln a)/a, v ln²a)`.
pub(crate) fn pow_second_partials(a: f64, b: f64, v: f64) -> [f64; 3] {
    if a > 0.0 {
        let ln = a.ln();
        [
            b * (b - 1.0) * (v / a) / a,
            v * (1.0 + b * ln) / a,
            v * ln * ln,
        ]
    } else {
        [f64::NAN; 3]
    }
}

/// `f(a, b)`, its partials `[∂f/∂a, ∂f/∂b]` and second partials `[∂²f/∂a², ∂²f/∂a∂b,
/// ∂²f/∂b²]` of a two-argument function of the language (as the rule table's `d-atan2`,
/// `d-hypot`, `d-max`, `d-min` rows give them; computed through `hypot`, so they do not
/// overflow where the result is finite). `min`/`max` have the partials of the argument
/// [`Func2::selected`] chooses. At `(0, 0)` the partials of `atan2` and `hypot` are NaN (they do
/// not exist).
///
/// ```
/// use symdiff_ad::curvature2;
/// use symdiff_expr::Func2;
/// let (v, d, _) = curvature2(Func2::Hypot, 3.0, 4.0);
/// assert_eq!((v, d), (5.0, [0.6, 0.8]));
/// let (_, d, _) = curvature2(Func2::Atan2, 1.0, 0.0); // atan2(y, x): ∂y = x/r², ∂x = -y/r²
/// assert_eq!(d, [0.0, -1.0]);
/// assert_eq!(curvature2(Func2::Min, 1.0, 2.0).1, [1.0, 0.0]);
/// ```
pub fn curvature2(func: Func2, a: f64, b: f64) -> (f64, [f64; 2], [f64; 3]) {
    let v = func.apply(a, b);
    match func {
        Func2::Min | Func2::Max => {
            let first = func.selected(a, b) == Some(0);
            let d = if first { [1.0, 0.0] } else { [0.0, 1.0] };
            (v, d, [0.0; 3])
        }
        Func2::Hypot => {
            let (p, q) = (a / v, b / v);
            (v, [p, q], [q * q / v, -p * q / v, p * p / v])
        }
        Func2::Atan2 => {
            // atan2(y, x) with y = a, x = b: ∂a = x/r², ∂b = -y/r²
            let r = Func2::Hypot.apply(a, b);
            let (p, q) = (a / r, b / r);
            let d = [q / r, -p / r];
            let r2 = |t: f64| t / r / r;
            (v, d, [r2(-2.0 * p * q), r2(q * q - p * p), r2(2.0 * p * q)])
        }
    }
}

/// `f(x)` and `f'(x)` of a function of the language.
///
/// ```
/// use symdiff_ad::slope;
/// use symdiff_expr::Func;
/// let (v, d) = slope(Func::Ln, 2.0);
/// assert_eq!((v, d), (2f64.ln(), 0.5));
/// ```
pub fn slope(func: Func, x: f64) -> (f64, f64) {
    match func {
        Func::Sin => {
            let (s, c) = x.sin_cos();
            (s, c)
        }
        Func::Cos => {
            let (s, c) = x.sin_cos();
            (c, -s)
        }
        Func::Tan => {
            let t = x.tan();
            (t, 1.0 + t * t)
        }
        Func::Asin => (x.asin(), 1.0 / ((1.0 - x) * (1.0 + x)).sqrt()),
        Func::Acos => (x.acos(), -1.0 / ((1.0 - x) * (1.0 + x)).sqrt()),
        Func::Atan => (x.atan(), 1.0 / (1.0 + x * x)),
        Func::Sinh => (x.sinh(), x.cosh()),
        Func::Cosh => (x.cosh(), x.sinh()),
        Func::Tanh => {
            // sech², not 1 - tanh², which cancels for large |x|
            let c = x.cosh();
            (x.tanh(), 1.0 / (c * c))
        }
        Func::Exp => {
            let e = x.exp();
            (e, e)
        }
        Func::Ln => (x.ln(), 1.0 / x),
        Func::Sqrt => {
            let r = x.sqrt();
            (r, 0.5 / r)
        }
        _ => {
            let (v, d, _) = curvature(func, x);
            (v, d)
        }
    }
}

/// `f(x)`, `f'(x)` and `f''(x)` of a function of the language.
///
/// ```
/// use symdiff_ad::curvature;
/// use symdiff_expr::Func;
/// let (v, d, dd) = curvature(Func::Exp, 0.0);
/// assert_eq!((v, d, dd), (1.0, 1.0, 1.0));
/// ```
pub fn curvature(func: Func, x: f64) -> (f64, f64, f64) {
    match func {
        Func::Sin => {
            let (s, c) = x.sin_cos();
            (s, c, -s)
        }
        Func::Cos => {
            let (s, c) = x.sin_cos();
            (c, -s, -c)
        }
        Func::Tan => {
            let t = x.tan();
            let d = 1.0 + t * t;
            (t, d, 2.0 * t * d)
        }
        Func::Asin | Func::Acos => {
            let one_minus = (1.0 - x) * (1.0 + x);
            let d = 1.0 / one_minus.sqrt();
            let dd = x * d / one_minus;
            if func == Func::Asin {
                (x.asin(), d, dd)
            } else {
                (x.acos(), -d, -dd)
            }
        }
        Func::Atan => {
            let d = 1.0 / (1.0 + x * x);
            (x.atan(), d, -2.0 * x * d * d)
        }
        Func::Sinh => (x.sinh(), x.cosh(), x.sinh()),
        Func::Cosh => (x.cosh(), x.sinh(), x.cosh()),
        Func::Tanh => {
            let t = x.tanh();
            let c = x.cosh();
            let d = 1.0 / (c * c);
            (t, d, -2.0 * t * d)
        }
        Func::Exp => {
            let e = x.exp();
            (e, e, e)
        }
        Func::Ln => {
            let r = 1.0 / x;
            (x.ln(), r, -r * r)
        }
        Func::Sqrt => {
            let r = x.sqrt();
            let d = 0.5 / r;
            (r, d, -0.5 * d / x)
        }
        // Kinks: the derivative at 0 is 0 (`d|x| = sign(x)`, `relu'(0) = 0`).
        Func::Abs => (func.apply(x), Func::Sign.apply(x), 0.0),
        Func::Sign => (func.apply(x), 0.0, 0.0),
        Func::Relu => (func.apply(x), if x > 0.0 { 1.0 } else { 0.0 }, 0.0),
        Func::Cbrt => {
            let r = func.apply(x);
            let d = 1.0 / (3.0 * r * r);
            (r, d, -2.0 * d / (3.0 * x))
        }
        Func::Log10 | Func::Log2 => {
            let base = if func == Func::Log10 {
                std::f64::consts::LN_10
            } else {
                std::f64::consts::LN_2
            };
            let d = 1.0 / (x * base);
            (func.apply(x), d, -d / x)
        }
        Func::Log1p => {
            let d = 1.0 / (1.0 + x);
            (func.apply(x), d, -d * d)
        }
        Func::Expm1 => {
            let e = x.exp();
            (func.apply(x), e, e)
        }
        Func::Asinh => {
            let d = 1.0 / 1f64.hypot(x);
            (func.apply(x), d, -x * d * d * d)
        }
        Func::Acosh => {
            let d = 1.0 / ((x - 1.0) * (x + 1.0)).sqrt();
            (func.apply(x), d, -x * d * d * d)
        }
        Func::Atanh => {
            let d = 1.0 / ((1.0 - x) * (1.0 + x));
            (func.apply(x), d, 2.0 * x * d * d)
        }
        Func::Erf | Func::Erfc => {
            let d = std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp();
            let sign = if func == Func::Erf { 1.0 } else { -1.0 };
            (func.apply(x), sign * d, sign * -2.0 * x * d)
        }
        Func::Sigmoid | Func::Softplus => {
            // σ' = σ(x)σ(-x), without the cancellation of 1 - σ(x)
            let s = Func::Sigmoid.apply(x);
            let d = s * Func::Sigmoid.apply(-x);
            if func == Func::Sigmoid {
                (s, d, d * (1.0 - 2.0 * s))
            } else {
                (func.apply(x), s, d)
            }
        }
    }
}

/// `d · e` with a structural zero: a zero tangent stays zero even where the local derivative
/// `d` is infinite (a constant subexpression such as `asin(1)` has derivative 0, not NaN).
/// Absorbing a non-finite `d` is noted (see [`singular_chain_rule`]).
#[inline]
pub(crate) fn scale(d: f64, e: f64) -> f64 {
    if e == 0.0 {
        note_local_derivative(d);
        0.0
    } else {
        d * e
    }
}

thread_local! {
    /// Whether a non-finite local derivative met a zero tangent since the last reset.
    static SINGULAR: Cell<bool> = const { Cell::new(false) };
}

/// Notes a local derivative applied to zero tangents: a non-finite one makes the chain rule
/// singular at this point (see [`singular_chain_rule`]).
#[inline]
pub(crate) fn note_local_derivative(d: f64) {
    if !d.is_finite() {
        SINGULAR.with(|s| s.set(true));
    }
}

/// Runs `f` (a forward-mode evaluation) and says whether the chain rule was *singular* on the
/// way: some local derivative was infinite or undefined where the tangent it multiplies is
/// zero, so the result relied on `0 · ∞ = 0` (the structural-zero convention). That happens
/// where an inner function is constant, or locally constant, at a point where the outer one
/// has no finite derivative: `asin(if(c, x, -1))` where `c` is false, `sqrt(atan2(0*y, x))`.
/// The derivative exists there (0 along the constant inner function) but any chain-rule
/// formula for it contains `0 · ∞`: JAX returns NaN, a symbolic derivative is undefined.
pub(crate) fn singular_chain_rule<R>(f: impl FnOnce() -> R) -> (R, bool) {
    let before = SINGULAR.with(|s| s.replace(false));
    let result = f();
    let singular = SINGULAR.with(|s| s.replace(before));
    (result, singular)
}

/// `d · e` for error bounds: zero when either is zero (a structural zero carries no error), an
/// infinite factor otherwise gives an infinite bound (never NaN).
#[inline]
pub(crate) fn amplify(d: f64, e: f64) -> f64 {
    if e == 0.0 || d == 0.0 {
        0.0
    } else if e.is_infinite() || d.is_infinite() {
        f64::INFINITY
    } else {
        d * e
    }
}

/// `n x^(n-1)` and `n (n-1) x^(n-2)` without `0 * inf` at `x = 0` for `n` in `{0, 1, 2}`.
pub(crate) fn powi_slopes(x: f64, n: i32) -> (f64, f64) {
    let n64 = n as f64;
    let d = match n {
        0 => 0.0,
        1 => 1.0,
        2 => 2.0 * x,
        // x^(n-1) underflows before x^n does for n < 0 and |x| > 1
        _ if n < 0 && x.abs() > 1.0 => n64 * (x.powi(n) / x),
        _ => n64 * x.powi(n - 1),
    };
    let dd = match n {
        0 | 1 => 0.0,
        2 => 2.0,
        _ => n64 * (n64 - 1.0) * x.powi(n - 2),
    };
    (d, dd)
}

/// The tangent of `x^n` given `v = x^n` and the tangent `t` of `x`: `n x^(n-1) t`, computed as
/// `n·v·(t/x)` for `n < 0`, where `x^(n-1)` underflows (or overflows) long before the result
/// does (`sinh(-227)^-3` has a derivative of ~1e-291 but `x^-4 ≈ 1e-393`).
#[inline]
pub(crate) fn powi_tangent(x: f64, n: i32, v: f64, t: f64) -> f64 {
    if t == 0.0 {
        0.0
    } else if n < 0 {
        n as f64 * v * (t / x)
    } else {
        powi_slopes(x, n).0 * t
    }
}

/// `c x^(c-1)` and `c (c-1) x^(c-2)`.
pub(crate) fn powf_slopes(x: f64, c: f64) -> (f64, f64) {
    (c * x.powf(c - 1.0), c * (c - 1.0) * x.powf(c - 2.0))
}

/// Plain floating point: the function value only.
///
/// ```
/// use symdiff_ad::Scalar;
/// assert_eq!(Scalar::powi(&-2.0f64, 3), -8.0);
/// assert_eq!(Scalar::pow(&4.0f64, &0.5), 2.0);
/// assert_eq!(Scalar::pow(&-2.0f64, &3.0), -8.0); // the language's one power
/// assert!(Scalar::pow(&-8.0f64, &(1.0 / 3.0)).is_nan()); // not real
/// ```
impl Scalar for f64 {
    fn from_f64(value: f64) -> Self {
        value
    }

    fn value(&self) -> f64 {
        *self
    }

    fn is_finite(&self) -> bool {
        f64::is_finite(*self)
    }

    fn powi(&self, n: i32) -> Self {
        // the common square without a call into the runtime's powi (same result)
        if n == 2 {
            self * self
        } else {
            f64::powi(*self, n)
        }
    }

    fn powf(&self, c: f64) -> Self {
        f64::powf(*self, c)
    }

    fn pow(&self, exponent: &Self) -> Self {
        pow_f64(*self, *exponent)
    }

    fn apply(&self, func: Func) -> Self {
        func.apply(*self)
    }

    fn smooth2(&self, func: Func2, other: &Self) -> Self {
        func.apply(*self, *other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slopes_match_central_differences() {
        for func in Func::ALL {
            let x = match func {
                Func::Asin | Func::Acos => 0.3,
                Func::Acosh => 1.7,
                _ => 0.7,
            };
            let h = 1e-5;
            let (_, d, dd) = curvature(func, x);
            let (_, d1) = slope(func, x);
            let fd = (func.apply(x + h) - func.apply(x - h)) / (2.0 * h);
            let (_, dp, _) = curvature(func, x + h);
            let (_, dm, _) = curvature(func, x - h);
            let fdd = (dp - dm) / (2.0 * h);
            assert!((d - fd).abs() < 1e-8, "{func:?}");
            assert_eq!(d, d1, "{func:?}");
            assert!((dd - fdd).abs() < 1e-7, "{func:?}");
        }
    }

    #[test]
    fn powi_slopes_at_zero() {
        assert_eq!(powi_slopes(0.0, 0), (0.0, 0.0));
        assert_eq!(powi_slopes(0.0, 1), (1.0, 0.0));
        assert_eq!(powi_slopes(0.0, 2), (0.0, 2.0));
        assert_eq!(powi_slopes(2.0, 3), (12.0, 12.0));
    }
}
