//! Exact constants: big rationals that parse from integers, decimals and scientific notation.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The largest number of digits a numeric literal may have.
pub const MAX_LITERAL_DIGITS: usize = 100_000;
/// The largest absolute decimal exponent a literal such as `1e-300` may have.
pub const MAX_LITERAL_EXPONENT: i64 = 10_000;

/// The largest power (in bits of numerator or denominator) that exact arithmetic computes:
/// [`Constant::checked_pow`] declines anything larger.
pub const MAX_FOLDED_BITS: u64 = 4096;

/// An exact rational constant, cheap to clone (shared).
///
/// ```
/// use symdiff_expr::Constant;
/// let tenth: Constant = "0.1".parse().unwrap();
/// assert_eq!(tenth.to_string(), "1/10");
/// assert_eq!("2.5E+4".parse::<Constant>().unwrap(), Constant::from(25_000));
/// assert_eq!("1/10".parse::<Constant>().unwrap(), tenth);
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Constant(Arc<BigRational>);

/// Hashes the numerator and denominator of the reduced form (every `Constant` holds one, see
/// [`Constant::new`]). `BigRational`'s own hash walks a continued fraction (a big division per
/// step) so that unreduced ratios hash alike: a tenth of the time of hash-consing an input full
/// of decimal data.
impl std::hash::Hash for Constant {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.numer().hash(state);
        self.0.denom().hash(state);
    }
}

/// Why a string is not a numeric literal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConstantError {
    /// The text is not a number.
    #[error("`{0}` is not a number")]
    NotANumber(String),
    /// The literal has more digits than [`MAX_LITERAL_DIGITS`].
    #[error("numeric literal has {0} digits; at most {MAX_LITERAL_DIGITS} are allowed")]
    TooManyDigits(usize),
    /// The exponent is beyond [`MAX_LITERAL_EXPONENT`].
    #[error("exponent {0} is out of range; at most {MAX_LITERAL_EXPONENT} in absolute value")]
    ExponentTooLarge(String),
    /// `a/b` with `b = 0`.
    #[error("division by zero in constant")]
    DivisionByZero,
}

impl Constant {
    /// `self ^ exponent` when it is rational and at most [`MAX_FOLDED_BITS`] bits: the exponent
    /// must be an integer, and `0` to a negative power is undefined. This is the one definition
    /// of exact powers (constant folding in the e-graph and in evaluation both use it).
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// let c = |s: &str| s.parse::<Constant>().unwrap();
    /// assert_eq!(c("1/7").checked_pow(&c("-2")), Some(c("49")));
    /// assert_eq!(c("2").checked_pow(&c("1/2")), None); // irrational
    /// assert_eq!(c("0").checked_pow(&c("-1")), None); // undefined
    /// assert_eq!(c("3").checked_pow(&c("100000")), None); // too large
    /// ```
    pub fn checked_pow(&self, exponent: &Constant) -> Option<Constant> {
        let (a, b) = (self.value(), exponent.value());
        if !b.is_integer() {
            return None;
        }
        if a.is_zero() {
            return if b.is_negative() {
                None
            } else if b.is_zero() {
                Some(Constant::from(1))
            } else {
                Some(self.clone())
            };
        }
        let exponent = b.numer().to_i64()?;
        let magnitude_bits = a.numer().bits().max(a.denom().bits()).max(1);
        if a.abs().is_one()
            || magnitude_bits.saturating_mul(exponent.unsigned_abs()) <= MAX_FOLDED_BITS
        {
            let n = exponent.unsigned_abs() as usize;
            let power = BigRational::new(
                num_traits::pow(a.numer().clone(), n),
                num_traits::pow(a.denom().clone(), n),
            );
            return Some(Constant::new(if exponent < 0 {
                power.recip()
            } else {
                power
            }));
        }
        None
    }

    /// Wraps a big rational.
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// use num_rational::BigRational;
    /// let half = Constant::new(BigRational::new(1.into(), 2.into()));
    /// assert_eq!(half.to_f64(), 0.5);
    /// ```
    pub fn new(value: BigRational) -> Self {
        // Arithmetic on `BigRational` always reduces; only `Ratio::new_raw` can hand us an
        // unreduced value, and equal constants must hash alike.
        let value = if value.denom().is_one() || value.numer().gcd(value.denom()).is_one() {
            value
        } else {
            BigRational::new(value.numer().clone(), value.denom().clone())
        };
        Constant(Arc::new(value))
    }

    /// The rational value.
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// assert!(Constant::from(3).value().is_integer());
    /// ```
    pub fn value(&self) -> &BigRational {
        &self.0
    }

    /// The nearest `f64` (correctly rounded for ordinary magnitudes; ±inf or 0 beyond f64's range).
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// assert_eq!("0.1".parse::<Constant>().unwrap().to_f64(), 0.1);
    /// ```
    pub fn to_f64(&self) -> f64 {
        rational_to_f64(&self.0)
    }

    /// True for the constant zero.
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// assert!(Constant::from(0).is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// True for the constant one.
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// assert!(Constant::from(1).is_one());
    /// ```
    pub fn is_one(&self) -> bool {
        self.0.is_one()
    }

    /// True when the value is below zero.
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// assert!(Constant::from(-2).is_negative());
    /// ```
    pub fn is_negative(&self) -> bool {
        self.0.is_negative()
    }

    /// The value as a finite decimal (`0.125`) when its denominator is `2^a 5^b` and the
    /// expansion has at most `max_fraction_digits` digits after the point.
    ///
    /// ```
    /// use symdiff_expr::Constant;
    /// let c: Constant = "0.125".parse().unwrap();
    /// assert_eq!(c.to_decimal(30).as_deref(), Some("0.125"));
    /// assert_eq!(Constant::from(7).to_decimal(30).as_deref(), Some("7"));
    /// assert!("1/3".parse::<Constant>().unwrap().to_decimal(30).is_none());
    /// ```
    pub fn to_decimal(&self, max_fraction_digits: usize) -> Option<String> {
        let value = &*self.0;
        if value.is_integer() {
            return Some(value.numer().to_string());
        }
        let mut denom = value.denom().clone();
        let (two, five) = (BigInt::from(2), BigInt::from(5));
        let (mut twos, mut fives) = (0usize, 0usize);
        while (&denom % &two).is_zero() {
            denom /= &two;
            twos += 1;
        }
        while (&denom % &five).is_zero() {
            denom /= &five;
            fives += 1;
        }
        if !denom.is_one() {
            return None;
        }
        let digits = twos.max(fives);
        if digits > max_fraction_digits {
            return None;
        }
        let scaled = value * BigRational::from_integer(num_traits::pow(BigInt::from(10), digits));
        let scaled = scaled.to_integer();
        let negative = scaled.is_negative();
        let text = scaled.abs().to_string();
        let text = format!("{text:0>width$}", width = digits + 1);
        let (int, frac) = text.split_at(text.len() - digits);
        Some(format!("{}{int}.{frac}", if negative { "-" } else { "" }))
    }
}

/// Converts a big rational to the nearest f64 without overflowing on huge numerators and
/// denominators (saturating to ±inf or 0 beyond f64's range).
pub(crate) fn rational_to_f64(value: &BigRational) -> f64 {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if let (Some(n), Some(d)) = (value.numer().to_f64(), value.denom().to_f64()) {
        if n.abs() <= EXACT && d <= EXACT {
            return n / d; // both exact: a single rounding
        }
    }
    // Scale the quotient to ~64 significant bits, divide exactly, then scale back by 2^-shift.
    let shift = 64 - (value.numer().bits() as i64 - value.denom().bits() as i64);
    let quotient = if shift >= 0 {
        (value.numer() << shift as usize) / value.denom()
    } else {
        value.numer() / (value.denom() << (-shift) as usize)
    };
    let mut result = quotient.to_f64().unwrap_or(f64::NAN);
    let mut exponent = -shift;
    while exponent != 0 && result != 0.0 && result.is_finite() {
        let step = exponent.clamp(-1000, 1000);
        result *= 2f64.powi(step as i32);
        exponent -= step;
    }
    result
}

impl From<i64> for Constant {
    fn from(value: i64) -> Self {
        Constant::new(BigRational::from_integer(value.into()))
    }
}

impl From<BigInt> for Constant {
    fn from(value: BigInt) -> Self {
        Constant::new(BigRational::from_integer(value))
    }
}

impl From<BigRational> for Constant {
    fn from(value: BigRational) -> Self {
        Constant::new(value)
    }
}

impl fmt::Display for Constant {
    /// Integers as digits, other values as `numer/denom` (the s-expression form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_integer() {
            write!(f, "{}", self.0.numer())
        } else {
            write!(f, "{}/{}", self.0.numer(), self.0.denom())
        }
    }
}

impl fmt::Debug for Constant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Constant {
    type Err = ConstantError;

    /// Accepts `123`, `-4`, `0.1`, `.5`, `1e-3`, `2.5E+4` and `a/b` (the s-expression form).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some((numer, denom)) = text.split_once('/') {
            let numer = parse_decimal(numer)?;
            let denom = parse_decimal(denom)?;
            if denom.is_zero() {
                return Err(ConstantError::DivisionByZero);
            }
            return Ok(Constant::new(numer / denom));
        }
        parse_decimal(text).map(Constant::new)
    }
}

/// Parses an optionally signed decimal literal with optional fraction and exponent, exactly.
fn parse_decimal(text: &str) -> Result<BigRational, ConstantError> {
    let not_a_number = || ConstantError::NotANumber(text.to_string());
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return Err(not_a_number());
    }
    let digits = int_part.len() + frac_part.len();
    if digits > MAX_LITERAL_DIGITS {
        return Err(ConstantError::TooManyDigits(digits));
    }
    let mut exp10: i64 = -(frac_part.len() as i64);
    if let Some(exponent) = exponent {
        let unsigned = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if unsigned.is_empty() || !all_digits(unsigned) {
            return Err(not_a_number());
        }
        let value: i64 = exponent
            .parse()
            .ok()
            .filter(|v: &i64| v.abs() <= MAX_LITERAL_EXPONENT)
            .ok_or_else(|| ConstantError::ExponentTooLarge(exponent.to_string()))?;
        exp10 += value;
    }
    let mut all = String::with_capacity(digits);
    all.push_str(int_part);
    all.push_str(frac_part);
    let mantissa: BigInt = all.parse().map_err(|_| not_a_number())?;
    let mantissa = if negative { -mantissa } else { mantissa };
    let scale = num_traits::pow(BigInt::from(10), exp10.unsigned_abs() as usize);
    Ok(if exp10 >= 0 {
        BigRational::from_integer(mantissa * scale)
    } else {
        BigRational::new(mantissa, scale)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        let c: Constant = "0.1".parse().unwrap();
        assert_eq!(c.value(), &BigRational::new(1.into(), 10.into()));
        assert_eq!("1e-3".parse::<Constant>().unwrap().to_string(), "1/1000");
        assert_eq!("-2.5e2".parse::<Constant>().unwrap().to_string(), "-250");
    }

    #[test]
    fn bad_literals_are_errors() {
        assert!(matches!(
            "1..2".parse::<Constant>(),
            Err(ConstantError::NotANumber(_))
        ));
        assert!(matches!(
            "1e".parse::<Constant>(),
            Err(ConstantError::NotANumber(_))
        ));
        assert!(matches!(
            "1e99999".parse::<Constant>(),
            Err(ConstantError::ExponentTooLarge(_))
        ));
        assert!(matches!(
            "1/0".parse::<Constant>(),
            Err(ConstantError::DivisionByZero)
        ));
    }

    #[test]
    fn huge_rationals_convert_to_f64() {
        let big = "1".repeat(400);
        let c: Constant = format!("{big}/{big}0").parse().unwrap();
        assert!((c.to_f64() - 0.1).abs() < 1e-16);
        let c: Constant = big.parse().unwrap();
        assert_eq!(c.to_f64(), f64::INFINITY);
    }
}
