//! Univariate polynomials with exact rational coefficients: the "simplified" column of Baydin et
//! al.'s Table 1, where a computer algebra system expands the derivative into monomials.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::collections::HashMap;
use symdiff_expr::{constant, var, Expr, Math};

/// The largest degree [`Poly::from_expr`] expands to (beyond it, it gives up).
///
/// ```
/// use symdiff_swell::{Poly, MAX_DEGREE};
/// let big = symdiff_expr::parse("(x + 1)^100000").unwrap();
/// assert!(MAX_DEGREE < 100_000 && Poly::from_expr(big, "x").is_none());
/// ```
pub const MAX_DEGREE: usize = 4096;

/// A polynomial in one variable; `coeffs[i]` multiplies `x^i` (no trailing zeros).
///
/// ```
/// use symdiff_expr::parse;
/// use symdiff_swell::Poly;
/// let p = Poly::from_expr(parse("4*x*(1 - x)").unwrap(), "x").unwrap();
/// assert_eq!(p.degree(), Some(2));
/// assert_eq!(p.derivative().to_expr("x").to_string(), "4*(1 - 2*x)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poly {
    coeffs: Vec<BigRational>,
}

impl Poly {
    /// The polynomial of constant value `c`.
    ///
    /// ```
    /// assert_eq!(symdiff_swell::Poly::constant(0).degree(), None);
    /// ```
    pub fn constant(c: i64) -> Poly {
        Poly::normalized(vec![BigRational::from_integer(BigInt::from(c))])
    }

    /// The polynomial `x`.
    ///
    /// ```
    /// assert_eq!(symdiff_swell::Poly::x().degree(), Some(1));
    /// ```
    pub fn x() -> Poly {
        Poly::normalized(vec![BigRational::zero(), BigRational::one()])
    }

    fn normalized(mut coeffs: Vec<BigRational>) -> Poly {
        while coeffs.last().is_some_and(Zero::is_zero) {
            coeffs.pop();
        }
        Poly { coeffs }
    }

    /// The degree; `None` for the zero polynomial.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// assert_eq!(Poly::x().pow(5).degree(), Some(5));
    /// assert_eq!(Poly::constant(0).degree(), None);
    /// ```
    pub fn degree(&self) -> Option<usize> {
        self.coeffs.len().checked_sub(1)
    }

    /// The coefficients, lowest degree first.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// let p = Poly::x().mul(&Poly::x());
    /// assert_eq!(p.coeffs().len(), 3);
    /// ```
    pub fn coeffs(&self) -> &[BigRational] {
        &self.coeffs
    }

    /// Expands `e` as a polynomial in `x`: `None` if `e` has another variable, a function, a
    /// division by a non-constant, a non-natural exponent, or a degree above [`MAX_DEGREE`].
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// use symdiff_swell::Poly;
    /// assert!(Poly::from_expr(parse("(x + 1)^3/2").unwrap(), "x").is_some());
    /// assert!(Poly::from_expr(parse("sin(x)").unwrap(), "x").is_none());
    /// assert!(Poly::from_expr(parse("x*y").unwrap(), "x").is_none());
    /// ```
    pub fn from_expr(e: Expr, x: &str) -> Option<Poly> {
        let xv = var(x);
        let mut p: HashMap<Expr, Poly> = HashMap::new();
        for s in e.subexpressions() {
            let get = |id| p.get(&Expr::from_id(id));
            let value = match s.node() {
                Math::Num(c) => Some(Poly::normalized(vec![c.value().clone()])),
                Math::Var(_) if s == xv => Some(Poly::x()),
                Math::Add([a, b]) => Some(get(a)?.add(get(b)?)),
                Math::Sub([a, b]) => Some(get(a)?.add(&get(b)?.scale(&-BigRational::one()))),
                Math::Neg(a) => Some(get(a)?.scale(&-BigRational::one())),
                Math::Mul([a, b]) => {
                    let (a, b) = (get(a)?, get(b)?);
                    if a.degree().unwrap_or(0) + b.degree().unwrap_or(0) > MAX_DEGREE {
                        None
                    } else {
                        Some(a.mul(b))
                    }
                }
                Math::Div([a, b]) => {
                    let b = get(b)?;
                    match b.degree() {
                        Some(0) => Some(get(a)?.scale(&b.coeffs[0].recip())),
                        _ => None,
                    }
                }
                Math::Pow([a, b]) => {
                    let exponent = Expr::from_id(b).as_constant()?;
                    let k = exponent.value().to_integer().to_usize()?;
                    if !exponent.value().is_integer() {
                        return None;
                    }
                    let base = get(a)?;
                    if base.degree().unwrap_or(0).checked_mul(k)? > MAX_DEGREE {
                        return None;
                    }
                    Some(base.pow(k))
                }
                _ => None,
            };
            p.insert(s, value?);
        }
        p.remove(&e)
    }

    /// `self + other`.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// assert_eq!(Poly::x().add(&Poly::constant(1)).to_expr("x").to_string(), "1 + x");
    /// ```
    pub fn add(&self, other: &Poly) -> Poly {
        let n = self.coeffs.len().max(other.coeffs.len());
        let zero = BigRational::zero();
        Poly::normalized(
            (0..n)
                .map(|i| self.coeffs.get(i).unwrap_or(&zero) + other.coeffs.get(i).unwrap_or(&zero))
                .collect(),
        )
    }

    /// `c * self`.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// let third = num_rational::BigRational::new(1.into(), 3.into());
    /// assert_eq!(Poly::x().scale(&third).to_expr("x").to_string(), "1/3*x");
    /// ```
    pub fn scale(&self, c: &BigRational) -> Poly {
        Poly::normalized(self.coeffs.iter().map(|a| a * c).collect())
    }

    /// `self * other`.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// let p = Poly::x().add(&Poly::constant(1));
    /// assert_eq!(p.mul(&p).to_expr("x").to_string(), "1 + 2*x + x^2");
    /// ```
    pub fn mul(&self, other: &Poly) -> Poly {
        if self.coeffs.is_empty() || other.coeffs.is_empty() {
            return Poly { coeffs: vec![] };
        }
        let mut out = vec![BigRational::zero(); self.coeffs.len() + other.coeffs.len() - 1];
        for (i, a) in self.coeffs.iter().enumerate() {
            for (j, b) in other.coeffs.iter().enumerate() {
                out[i + j] += a * b;
            }
        }
        Poly::normalized(out)
    }

    /// `self^k` by repeated squaring.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// assert_eq!(Poly::x().pow(3), Poly::x().mul(&Poly::x()).mul(&Poly::x()));
    /// ```
    pub fn pow(&self, mut k: usize) -> Poly {
        let mut result = Poly::constant(1);
        let mut base = self.clone();
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base);
            }
            k >>= 1;
            if k > 0 {
                base = base.mul(&base);
            }
        }
        result
    }

    /// The derivative.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// let three = num_rational::BigRational::from_integer(3.into());
    /// assert_eq!(Poly::x().pow(3).derivative(), Poly::x().pow(2).scale(&three));
    /// ```
    pub fn derivative(&self) -> Poly {
        Poly::normalized(
            self.coeffs
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| c * BigRational::from_integer(BigInt::from(i)))
                .collect(),
        )
    }

    /// The expanded form as an expression, with the positive integer content of integer
    /// coefficients factored out as Baydin et al. print it: `64*(1 - 42*x + 504*x^2 - ...)`.
    ///
    /// ```
    /// use symdiff_swell::Poly;
    /// let int = |i: i64| num_rational::BigRational::from_integer(i.into());
    /// let p = Poly::constant(1).add(&Poly::x().scale(&int(-2))).scale(&int(4));
    /// assert_eq!(p.to_expr("x").to_string(), "4*(1 - 2*x)");
    /// assert_eq!(Poly::x().pow(2).to_expr("x").to_string(), "x^2");
    /// assert_eq!(Poly::constant(0).to_expr("x").to_string(), "0");
    /// ```
    pub fn to_expr(&self, x: &str) -> Expr {
        let content = self.integer_content();
        let inner = self.scale(&content.recip());
        let xv = var(x);
        let mut sum: Option<Expr> = None;
        for (i, c) in inner.coeffs.iter().enumerate() {
            if c.is_zero() {
                continue;
            }
            let monomial = match i {
                0 => None,
                1 => Some(xv),
                _ => Some(xv.pow(i as i64)),
            };
            let magnitude = c.abs();
            let term = match monomial {
                None => constant(magnitude),
                Some(m) if magnitude.is_one() => m,
                Some(m) => constant(magnitude) * m,
            };
            sum = Some(match sum {
                None if c.is_negative() => -term,
                None => term,
                Some(s) if c.is_negative() => s - term,
                Some(s) => s + term,
            });
        }
        let sum = sum.unwrap_or_else(|| Expr::from(0));
        if content.is_one() {
            sum
        } else {
            constant(content) * sum
        }
    }

    /// The gcd of the coefficients when they are all integers (and it exceeds 1), else 1.
    fn integer_content(&self) -> BigRational {
        if self.coeffs.is_empty() || !self.coeffs.iter().all(BigRational::is_integer) {
            return BigRational::one();
        }
        let g = self
            .coeffs
            .iter()
            .fold(BigInt::zero(), |g, c| g.gcd(&c.to_integer()));
        BigRational::from_integer(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baydin_l4_expands_to_the_published_polynomial() {
        let x = var("x");
        let mut l = x;
        for _ in 1..4 {
            l = 4 * l * (1 - l);
        }
        let d = Poly::from_expr(l, "x").unwrap().derivative();
        assert_eq!(
            d.to_expr("x").to_string(),
            "64*(1 - 42*x + 504*x^2 - 2640*x^3 + 7040*x^4 - 9984*x^5 + 7168*x^6 - 2048*x^7)"
        );
    }
}
