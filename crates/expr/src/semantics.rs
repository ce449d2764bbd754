//! The meaning of every operation in f64: its value and its real domain, defined once.
//!
//! Every evaluator of the workspace (expression evaluation, the AD `Program`, the codegen
//! interpreters, the JIT and emitted Rust) computes an operation's value with the `apply`
//! methods below and decides strict-mode errors with the `domain` methods, so that no two
//! evaluators can disagree on what `softplus(800)` or `(-2)^3` is, or on whether `acosh(0.5)`
//! is an error.
//!
//! - `apply` (IEEE 754): the value, possibly NaN or infinite. Numerically stable where the
//!   textbook formula is not: `softplus(800) = 800`, `sigmoid(-800) = 0`,
//!   `log1p(1e-17) = 1e-17`; `erf`, `erfc`, `asinh`, `acosh`, `atanh` come from the `libm`
//!   crate (a port of musl's libm).
//! - `domain`: why finite arguments lie outside the operation's real domain ([`Undefined`]), or
//!   `None` when they lie inside (the value may still overflow).
//! - `try_apply` (strict): the value when it is a finite real number, else why not.
//!
//! # Conventions
//!
//! - Kinks and ties: `sign(0) = 0`, `relu(0) = 0`, `abs(-0) = 0`; `min` and `max` return their
//!   first argument on a tie (`max(a, b) = if(a >= b, a, b)`), and NaN if either argument is
//!   NaN (unlike `f64::max`, which drops a NaN).
//! - `atan2(0, 0) = 0` (as in C, IEEE 754, NumPy, JAX and PyTorch), `hypot` never overflows
//!   for finite results.
//! - Powers `a^b`: an integer-valued exponent is repeated multiplication (`(-2)^3 = -8`,
//!   defined for negative `a`), any other exponent needs `a >= 0`; `0^b` with `b < 0` is a
//!   division by zero.
//! - Conditions are truth values; an f64 evaluator represents them as `1.0` (true) and `0.0`
//!   (false) ([`from_bool`], [`truth`]). Comparisons follow IEEE 754 (every comparison with NaN
//!   is false, except `!=`). `if(c, a, b)` is [`select`]: the branch not taken is not
//!   evaluated for errors — a strict evaluator reports no domain error from it.

use crate::language::{BinOp, CmpOp, Func, Func2, Shape};

/// Why an operation has no finite real value at its arguments (strict evaluation).
///
/// ```
/// use symdiff_expr::{Func, Undefined};
/// assert_eq!(Func::Acosh.try_apply(0.5), Err(Undefined::NotReal));
/// assert_eq!(Func::Atanh.try_apply(1.0), Err(Undefined::Pole));
/// assert_eq!(Undefined::Pole.reason(), "pole");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Undefined {
    /// Outside the real domain: `ln(-1)`, `sqrt(-1)`, `acosh(0.5)`, `(-8)^(1/3)`.
    NotReal,
    /// A division by zero: `1/0`, `0^(-1)`.
    DivisionByZero,
    /// A pole of a function: `ln(0)`, `atanh(1)`, `log1p(-1)`.
    Pole,
    /// Finite arguments whose result is too large for f64: `exp(1000)`.
    Overflow,
    /// An argument is itself NaN or infinite.
    NotFinite,
}

impl Undefined {
    /// The reason in words, as error messages print it.
    ///
    /// ```
    /// assert_eq!(symdiff_expr::Undefined::DivisionByZero.reason(), "division by zero");
    /// ```
    pub fn reason(self) -> &'static str {
        match self {
            Undefined::NotReal => "not real",
            Undefined::DivisionByZero => "division by zero",
            Undefined::Pole => "pole",
            Undefined::Overflow => "overflow",
            Undefined::NotFinite => "not finite",
        }
    }
}

impl std::fmt::Display for Undefined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

/// Strict evaluation from a domain verdict and the IEEE value: `Ok` only for a finite real
/// number. A non-finite result of arguments inside the domain is an overflow (infinite) or not
/// real (NaN).
///
/// ```
/// use symdiff_expr::{strict, Undefined};
/// assert_eq!(strict(&[1000.0], None, f64::INFINITY), Err(Undefined::Overflow));
/// assert_eq!(strict(&[f64::NAN], None, f64::NAN), Err(Undefined::NotFinite));
/// assert_eq!(strict(&[2.0], None, 4.0), Ok(4.0));
/// ```
pub fn strict(args: &[f64], domain: Option<Undefined>, value: f64) -> Result<f64, Undefined> {
    if args.iter().any(|a| !a.is_finite()) {
        return Err(Undefined::NotFinite);
    }
    if let Some(why) = domain {
        return Err(why);
    }
    if value.is_finite() {
        Ok(value)
    } else if value.is_nan() {
        Err(Undefined::NotReal)
    } else {
        Err(Undefined::Overflow)
    }
}

/// `a^b` in f64: an integer-valued exponent that fits `i32` is repeated multiplication (so
/// `(-2)^3 = -8`), any other exponent is `powf` (NaN for a negative base).
///
/// ```
/// assert_eq!(symdiff_expr::pow_f64(-2.0, 3.0), -8.0);
/// assert!(symdiff_expr::pow_f64(-2.0, 0.5).is_nan());
/// ```
pub fn pow_f64(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() <= i32::MAX as f64 {
        a.powi(b as i32)
    } else {
        a.powf(b)
    }
}

impl BinOp {
    /// Applies the operator to f64s (IEEE semantics).
    ///
    /// ```
    /// use symdiff_expr::BinOp;
    /// assert_eq!(BinOp::Pow.apply(-2.0, 3.0), -8.0);
    /// assert_eq!(BinOp::Div.apply(1.0, 0.0), f64::INFINITY);
    /// ```
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a / b,
            BinOp::Pow => pow_f64(a, b),
        }
    }

    /// Why finite `a`, `b` lie outside the operator's real domain (`None`: inside).
    ///
    /// ```
    /// use symdiff_expr::{BinOp, Undefined};
    /// assert_eq!(BinOp::Div.domain(1.0, 0.0), Some(Undefined::DivisionByZero));
    /// assert_eq!(BinOp::Pow.domain(-8.0, 1.0 / 3.0), Some(Undefined::NotReal));
    /// assert_eq!(BinOp::Pow.domain(-2.0, 3.0), None);
    /// ```
    pub fn domain(self, a: f64, b: f64) -> Option<Undefined> {
        match self {
            BinOp::Div if b == 0.0 => Some(Undefined::DivisionByZero),
            BinOp::Pow if a == 0.0 && b < 0.0 => Some(Undefined::DivisionByZero),
            BinOp::Pow if a < 0.0 && b.fract() != 0.0 => Some(Undefined::NotReal),
            _ => None,
        }
    }

    /// Strict evaluation: the value when it is a finite real number, else why not.
    ///
    /// ```
    /// use symdiff_expr::{BinOp, Undefined};
    /// assert_eq!(BinOp::Mul.try_apply(1e200, 1e200), Err(Undefined::Overflow));
    /// assert_eq!(BinOp::Sub.try_apply(3.0, 1.0), Ok(2.0));
    /// ```
    pub fn try_apply(self, a: f64, b: f64) -> Result<f64, Undefined> {
        strict(&[a, b], self.domain(a, b), self.apply(a, b))
    }
}

/// Defines a function of f64s and keeps its source text: emitted Rust source
/// (`symdiff-codegen`) contains the very same function ([`Func::rust_helper`],
/// [`Func2::rust_helper`]), so that compiled Rust computes what every evaluator computes.
macro_rules! with_source {
    ($(#[$doc:meta])* $source:ident: fn $name:ident($($arg:ident),*) $body:block) => {
        $(#[$doc])*
        fn $name($($arg: f64),*) -> f64 $body
        const $source: &str = stringify!(fn $name($($arg: f64),*) -> f64 $body);
    };
}

with_source! {
    /// The logistic function without overflow: `1/(1 + e^-x)` for `x >= 0`, `e^x/(1 + e^x)`
    /// below.
    SIGMOID: fn sigmoid(x) {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            let e = x.exp();
            e / (1.0 + e)
        }
    }
}

with_source! {
    /// `ln(1 + e^x)` without overflow or cancellation: `max(x, 0) + log1p(e^-|x|)`.
    SOFTPLUS: fn softplus(x) {
        if x.is_nan() {
            return x;
        }
        x.max(0.0) + (-x.abs()).exp().ln_1p()
    }
}

with_source! {
    /// `-1`, `0` or `1`; `sign(±0) = ±0`, `sign(NaN) = NaN`.
    SIGN: fn sign(x) {
        if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            x
        }
    }
}

with_source! {
    /// `max(x, 0)` with `relu(0) = 0` and `relu(NaN) = NaN`.
    RELU: fn relu(x) {
        if x > 0.0 || x.is_nan() {
            x
        } else {
            0.0
        }
    }
}

with_source! {
    /// The smaller argument; a tie takes the first, a NaN argument is the value.
    MIN: fn min(a, b) {
        if a.is_nan() || (!b.is_nan() && a <= b) {
            a
        } else {
            b
        }
    }
}

with_source! {
    /// The larger argument; a tie takes the first, a NaN argument is the value.
    MAX: fn max(a, b) {
        if a.is_nan() || (!b.is_nan() && a >= b) {
            a
        } else {
            b
        }
    }
}

impl Func {
    /// Applies the function to an f64 (IEEE semantics: may be NaN or infinite), stably.
    ///
    /// ```
    /// use symdiff_expr::Func;
    /// assert_eq!(Func::Sqrt.apply(9.0), 3.0);
    /// assert_eq!(Func::Softplus.apply(800.0), 800.0);
    /// assert_eq!(Func::Sigmoid.apply(-800.0), 0.0);
    /// assert_eq!(Func::Log1p.apply(1e-17), 1e-17);
    /// assert_eq!(Func::Sign.apply(0.0), 0.0);
    /// ```
    #[inline]
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Asin => x.asin(),
            Func::Acos => x.acos(),
            Func::Atan => x.atan(),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Tanh => x.tanh(),
            Func::Exp => x.exp(),
            Func::Ln => x.ln(),
            Func::Sqrt => x.sqrt(),
            Func::Abs => x.abs(),
            Func::Sign => sign(x),
            Func::Relu => relu(x),
            Func::Cbrt => x.cbrt(),
            Func::Log10 => x.log10(),
            Func::Log2 => x.log2(),
            Func::Log1p => x.ln_1p(),
            Func::Expm1 => x.exp_m1(),
            Func::Asinh => libm::asinh(x),
            // libm's acosh returns finite garbage below -1 (acosh(-29809.1) = -4.90): NaN, as
            // `domain` says, so native code that calls this agrees with the checked evaluator
            Func::Acosh if x < 1.0 => f64::NAN,
            Func::Acosh => libm::acosh(x),
            Func::Atanh => libm::atanh(x),
            Func::Erf => libm::erf(x),
            Func::Erfc => libm::erfc(x),
            Func::Sigmoid => sigmoid(x),
            Func::Softplus => softplus(x),
        }
    }

    /// Why a finite `x` lies outside the function's real domain (`None`: inside; the value
    /// may still overflow, as `exp(1000)` does).
    ///
    /// ```
    /// use symdiff_expr::{Func, Undefined};
    /// assert_eq!(Func::Log10.domain(-1.0), Some(Undefined::NotReal));
    /// assert_eq!(Func::Ln.domain(0.0), Some(Undefined::Pole));
    /// assert_eq!(Func::Acosh.domain(1.0), None);
    /// ```
    pub fn domain(self, x: f64) -> Option<Undefined> {
        use Undefined::{NotReal, Pole};
        match self {
            Func::Asin | Func::Acos if x.abs() > 1.0 => Some(NotReal),
            Func::Ln | Func::Log10 | Func::Log2 if x == 0.0 => Some(Pole),
            Func::Ln | Func::Log10 | Func::Log2 if x < 0.0 => Some(NotReal),
            Func::Log1p if x == -1.0 => Some(Pole),
            Func::Log1p if x < -1.0 => Some(NotReal),
            Func::Sqrt if x < 0.0 => Some(NotReal),
            Func::Acosh if x < 1.0 => Some(NotReal),
            Func::Atanh if x.abs() == 1.0 => Some(Pole),
            Func::Atanh if x.abs() > 1.0 => Some(NotReal),
            _ => None,
        }
    }

    /// The source of the Rust function emitted code uses for this function when `f64` has no
    /// method computing it exactly as [`Func::apply`] does (`sign`, `relu`, `sigmoid`,
    /// `softplus`): the very function `apply` calls, as text.
    ///
    /// ```
    /// use symdiff_expr::Func;
    /// assert!(Func::Sigmoid.rust_helper().unwrap().starts_with("fn sigmoid"));
    /// assert_eq!(Func::Sin.rust_helper(), None);
    /// ```
    pub fn rust_helper(self) -> Option<&'static str> {
        match self {
            Func::Sign => Some(SIGN),
            Func::Relu => Some(RELU),
            Func::Sigmoid => Some(SIGMOID),
            Func::Softplus => Some(SOFTPLUS),
            _ => None,
        }
    }

    /// Strict evaluation: the value when it is a finite real number, else why not.
    ///
    /// ```
    /// use symdiff_expr::{Func, Undefined};
    /// assert_eq!(Func::Exp.try_apply(1000.0), Err(Undefined::Overflow));
    /// assert_eq!(Func::Cbrt.try_apply(-8.0), Ok(-2.0));
    /// ```
    pub fn try_apply(self, x: f64) -> Result<f64, Undefined> {
        strict(&[x], self.domain(x), self.apply(x))
    }
}

impl Func2 {
    /// Applies the function to f64s (IEEE semantics).
    ///
    /// ```
    /// use symdiff_expr::Func2;
    /// assert_eq!(Func2::Atan2.apply(1.0, 0.0), std::f64::consts::FRAC_PI_2);
    /// assert_eq!(Func2::Hypot.apply(3e300, 4e300), 5e300);
    /// assert!(Func2::Min.apply(f64::NAN, 1.0).is_nan());
    /// ```
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Func2::Min => min(a, b),
            Func2::Max => max(a, b),
            Func2::Atan2 => a.atan2(b),
            Func2::Hypot => a.hypot(b),
        }
    }

    /// For `min` and `max`, which argument is the value (`0`: the first, `1`: the second); `None`
    /// for the other functions. The one definition of the choice, used by [`Func2::apply`] and
    /// by every derivative of `min`/`max` (the derivative is the chosen argument's): a tie takes
    /// the first argument (`max(a, b) = if(a >= b, a, b)`), and a NaN argument is chosen (so
    /// the value is NaN).
    ///
    /// ```
    /// use symdiff_expr::Func2;
    /// assert_eq!(Func2::Max.selected(1.0, 1.0), Some(0));
    /// assert_eq!(Func2::Min.selected(2.0, 1.0), Some(1));
    /// assert_eq!(Func2::Max.selected(1.0, f64::NAN), Some(1));
    /// assert_eq!(Func2::Hypot.selected(1.0, 2.0), None);
    /// assert_eq!(Func2::Hypot.selected(f64::INFINITY, f64::NAN), None);
    /// ```
    pub fn selected(self, a: f64, b: f64) -> Option<usize> {
        match self {
            Func2::Atan2 | Func2::Hypot => None,
            // the value is one of the arguments: the first unless it differs from it
            Func2::Min | Func2::Max => Some(usize::from(self.apply(a, b).to_bits() != a.to_bits())),
        }
    }

    /// The source of the Rust function emitted code uses for this function when `f64` has no
    /// method computing it exactly as [`Func2::apply`] does (`min`, `max`: `f64::min` drops a
    /// NaN): the very function `apply` calls, as text (`fn max(a: f64, b: f64) -> f64 {...}`).
    ///
    /// ```
    /// use symdiff_expr::Func2;
    /// assert!(Func2::Max.rust_helper().unwrap().starts_with("fn max"));
    /// assert_eq!(Func2::Hypot.rust_helper(), None);
    /// ```
    pub fn rust_helper(self) -> Option<&'static str> {
        match self {
            Func2::Min => Some(MIN),
            Func2::Max => Some(MAX),
            Func2::Atan2 | Func2::Hypot => None,
        }
    }

    /// Why finite arguments lie outside the function's real domain: never (`atan2(0, 0)` is
    /// 0, as in C and IEEE 754).
    ///
    /// ```
    /// assert_eq!(symdiff_expr::Func2::Atan2.domain(0.0, 0.0), None);
    /// ```
    pub fn domain(self, _a: f64, _b: f64) -> Option<crate::Undefined> {
        None
    }

    /// Strict evaluation: the value when it is a finite real number, else why not.
    ///
    /// ```
    /// assert_eq!(symdiff_expr::Func2::Max.try_apply(-1.0, 2.0), Ok(2.0));
    /// ```
    pub fn try_apply(self, a: f64, b: f64) -> Result<f64, Undefined> {
        strict(&[a, b], self.domain(a, b), self.apply(a, b))
    }
}

impl CmpOp {
    /// Compares two f64s (IEEE 754: every comparison with NaN is false, except `!=`).
    ///
    /// ```
    /// use symdiff_expr::CmpOp;
    /// assert!(CmpOp::Le.apply(1.0, 1.0));
    /// assert!(!CmpOp::Lt.apply(f64::NAN, 1.0));
    /// ```
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
        }
    }
}

/// A truth value as an f64: `1.0` (true) or `0.0` (false).
///
/// ```
/// assert_eq!(symdiff_expr::from_bool(true), 1.0);
/// ```
pub fn from_bool(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// An f64 condition value as a truth value: anything but `0.0` (and NaN) is true.
///
/// ```
/// assert!(symdiff_expr::truth(1.0));
/// assert!(!symdiff_expr::truth(0.0));
/// ```
pub fn truth(c: f64) -> bool {
    c != 0.0 && !c.is_nan()
}

/// `if(c, a, b)` on f64 values: `a` when the condition `c` is true, else `b`.
///
/// ```
/// assert_eq!(symdiff_expr::select(1.0, 2.0, 3.0), 2.0);
/// assert_eq!(symdiff_expr::select(0.0, 2.0, f64::NAN).is_nan(), true);
/// ```
pub fn select(c: f64, a: f64, b: f64) -> f64 {
    if truth(c) {
        a
    } else {
        b
    }
}

impl Shape<'_> {
    /// The IEEE value of a node at its operands' values (`args`, in operand order), for every
    /// node but variables and `d` (`None`). `if` selects between its evaluated branches;
    /// conditions are `1.0` or `0.0`. An evaluator that interprets a program node by node calls
    /// this (or the per-operation `apply` it dispatches to).
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// let f = parse("max(x, 2)").unwrap();
    /// assert_eq!(f.node().shape().apply(&[3.0, 2.0]), Some(3.0));
    /// let g = parse("if(x > 0, x, 0)").unwrap();
    /// assert_eq!(g.node().shape().apply(&[0.0, 5.0, 0.0]), Some(0.0));
    /// ```
    pub fn apply(&self, args: &[f64]) -> Option<f64> {
        Some(match *self {
            Shape::Num(c) => c.to_f64(),
            Shape::Named(n) => n.value(),
            Shape::Neg(_) => -args[0],
            Shape::Call(f, _) => f.apply(args[0]),
            Shape::Binary(op, ..) => op.apply(args[0], args[1]),
            Shape::Call2(f, ..) => f.apply(args[0], args[1]),
            Shape::If(..) => select(args[0], args[1], args[2]),
            Shape::Compare(op, ..) => from_bool(op.apply(args[0], args[1])),
            Shape::And(..) => from_bool(truth(args[0]) && truth(args[1])),
            Shape::Or(..) => from_bool(truth(args[0]) || truth(args[1])),
            Shape::Not(_) => from_bool(!truth(args[0])),
            Shape::Var(_) | Shape::Derivative(..) => return None,
        })
    }

    /// Why finite operand values lie outside the node's real domain (`None`: inside, or a node
    /// without a domain). For `if` this is `None`: only the taken branch's own errors count.
    ///
    /// ```
    /// use symdiff_expr::{parse, Undefined};
    /// let f = parse("atanh(x)").unwrap();
    /// assert_eq!(f.node().shape().domain(&[1.0]), Some(Undefined::Pole));
    /// ```
    pub fn domain(&self, args: &[f64]) -> Option<Undefined> {
        match *self {
            Shape::Call(f, _) => f.domain(args[0]),
            Shape::Binary(op, ..) => op.domain(args[0], args[1]),
            Shape::Call2(f, ..) => f.domain(args[0], args[1]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_where_the_textbook_formula_is_not() {
        assert_eq!(Func::Softplus.apply(800.0), 800.0);
        assert_eq!(Func::Softplus.apply(-800.0), 0.0);
        assert_eq!(Func::Softplus.apply(0.0), std::f64::consts::LN_2);
        assert_eq!(Func::Sigmoid.apply(-800.0), 0.0);
        assert_eq!(Func::Sigmoid.apply(800.0), 1.0);
        assert_eq!(Func::Sigmoid.apply(0.0), 0.5);
        assert_eq!(Func::Log1p.apply(1e-17), 1e-17);
        assert_eq!(Func::Expm1.apply(1e-17), 1e-17);
        assert_eq!(
            Func::Asinh.apply(1e300),
            1e300f64.ln() + std::f64::consts::LN_2
        );
        assert!(Func::Acosh.apply(1e300).is_finite());
        assert_eq!(Func::Erfc.apply(30.0), 0.0);
        assert!(Func::Erfc.apply(10.0) > 0.0);
        assert_eq!(Func::Erf.apply(0.0), 0.0);
    }

    #[test]
    fn values_outside_the_real_domain_are_nan() {
        // what native code computes without the checked evaluator's `domain` test
        let xs = [
            -1e300, -29809.1, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 1e300,
        ];
        for f in Func::ALL {
            for x in xs {
                if f.domain(x) == Some(Undefined::NotReal) {
                    assert!(f.apply(x).is_nan(), "{f:?}({x}) = {}", f.apply(x));
                }
            }
        }
    }

    #[test]
    fn kinks_and_ties() {
        assert_eq!(Func::Abs.apply(-2.0), 2.0);
        assert_eq!(Func::Relu.apply(-2.0), 0.0);
        assert_eq!(Func::Relu.apply(0.0), 0.0);
        assert_eq!(Func::Sign.apply(-3.0), -1.0);
        assert!(Func::Relu.apply(f64::NAN).is_nan());
        assert!(Func::Sign.apply(f64::NAN).is_nan());
        // a tie takes the first argument: visible through the sign of zero
        assert!(Func2::Max.apply(-0.0, 0.0).is_sign_negative());
        assert!(Func2::Min.apply(0.0, -0.0).is_sign_positive());
        assert!(Func2::Max.apply(1.0, f64::NAN).is_nan());
    }

    #[test]
    fn domains() {
        use Undefined::*;
        let cases: [(Func, f64, Result<f64, Undefined>); 10] = [
            (Func::Acosh, 0.5, Err(NotReal)),
            (Func::Atanh, 1.0, Err(Pole)),
            (Func::Atanh, -2.0, Err(NotReal)),
            (Func::Log10, -1.0, Err(NotReal)),
            (Func::Log2, 0.0, Err(Pole)),
            (Func::Log1p, -1.0, Err(Pole)),
            (Func::Log2, 8.0, Ok(3.0)),
            (Func::Log10, 1000.0, Ok(3.0)),
            (Func::Exp, 710.0, Err(Overflow)),
            (Func::Sqrt, f64::INFINITY, Err(NotFinite)),
        ];
        for (f, x, expected) in cases {
            assert_eq!(f.try_apply(x), expected, "{}({x})", f.name());
        }
        assert_eq!(BinOp::Pow.try_apply(0.0, -1.0), Err(DivisionByZero));
        assert_eq!(BinOp::Pow.try_apply(0.0, 0.0), Ok(1.0));
        assert_eq!(BinOp::Pow.try_apply(-2.0, 3.0), Ok(-8.0));
    }
}
