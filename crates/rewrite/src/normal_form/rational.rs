//! Rational functions `num / den` of [polynomials](super::poly) in canonical form.
//!
//! Canonical: the denominator has non-negative exponents with no common monomial factor, its
//! leading coefficient ([`grlex`](super::poly::grlex)) is 1, a monomial denominator is folded
//! into the numerator (`x^(-2)` and `1/x^2` are one thing), and common factors are cancelled
//! where it is cheap to find them (an exact quotient, or the gcd of univariate polynomials).
//! Equal canonical forms therefore mean equal functions; unequal forms may still be equal
//! (multivariate gcds are not computed), which only loses a simplification.
//!
//! Soundness: each operation gives a function equal to its operands' combination *wherever
//! that combination is defined*. Cancelling `(x^2 - 1)/(x - 1)` to `x + 1` is sound by this
//! criterion (the left side is undefined at `x = 1`). Fractional powers are taken only where
//! they cannot change a sign: `(a^k)^(p/q) = a^(k p/q)` for a single atom `a` with `k` odd or
//! fractional (`(x^2)^(1/2) = |x|` is not `x`), and positive rational constants split into
//! prime atoms (`12^(1/2) = 2*3^(1/2)`).

use super::poly::{dense_div, dense_gcd, Atom, Exp, Limits, Monomial, Poly};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// A rational function in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rational {
    /// The numerator.
    pub num: Poly,
    /// The denominator (`1` for a polynomial).
    pub den: Poly,
}

impl Rational {
    /// A constant.
    pub fn constant(c: BigRational) -> Self {
        Rational {
            num: Poly::constant(c),
            den: Poly::constant(BigRational::one()),
        }
    }

    /// An atom.
    pub fn atom(atom: Atom) -> Self {
        Rational {
            num: Poly::monomial(BigRational::one(), Monomial::atom(atom)),
            den: Poly::constant(BigRational::one()),
        }
    }

    /// The value when constant.
    pub fn as_constant(&self) -> Option<BigRational> {
        let d = self.den.as_constant()?;
        Some(self.num.as_constant()? / d)
    }

    /// True when the denominator is 1.
    pub fn is_polynomial(&self) -> bool {
        self.den.as_constant().is_some_and(|c| c.is_one())
    }

    /// Terms in numerator and denominator together.
    pub fn terms(&self) -> usize {
        self.num.term_count()
            + if self.is_polynomial() {
                0
            } else {
                self.den.term_count()
            }
    }

    /// `num / den` in canonical form (`None` if `den` is zero or a limit is exceeded).
    pub fn new(num: Poly, den: Poly, limits: &Limits) -> Option<Rational> {
        if den.is_zero() {
            return None;
        }
        if num.is_zero() {
            return Some(Rational::constant(BigRational::zero()));
        }
        if den.as_constant().is_some_and(|c| c.is_one()) {
            return Some(Rational {
                num: num.within(limits)?,
                den,
            });
        }
        // Fold the denominator's monomial content into the numerator.
        let content = den.monomial_content();
        let (mut num, mut den) = (num, den);
        if !content.0.is_empty() {
            let inverse = Monomial(content.0.iter().map(|&(a, e)| (a, -e)).collect());
            num = num.mul_term(&BigRational::one(), &inverse, limits)?;
            den = den.mul_term(&BigRational::one(), &inverse, limits)?;
        }
        // A monomial denominator (with prime atoms, say) moves up as its inverse.
        if let Some((m, c)) = den.as_term() {
            let (m, c) = (m.clone(), c.clone());
            let (f, inverse) = m.scale_exponents(Exp::from(-1))?;
            num = num.mul_term(&(f / c), &inverse, limits)?;
            return Some(Rational {
                num: num.within(limits)?,
                den: Poly::constant(BigRational::one()),
            });
        }
        // Cancel what is cheap to cancel.
        if let Some(q) = num.divide_exact(&den, limits) {
            return Some(Rational {
                num: q,
                den: Poly::constant(BigRational::one()),
            });
        }
        if let Some(atom) = den.univariate_atom() {
            if let (Some(a), Some(b)) = (num.dense(atom), den.dense(atom)) {
                let g = dense_gcd(&a, &b);
                if g.len() > 1 {
                    num = Poly::from_dense(atom, &dense_div(&a, &g));
                    den = Poly::from_dense(atom, &dense_div(&b, &g));
                    if let Some(c) = den.as_constant() {
                        return Some(Rational {
                            num: num.scale(&c.recip()).within(limits)?,
                            den: Poly::constant(BigRational::one()),
                        });
                    }
                }
            }
        }
        // Monic denominator.
        let lead = den.leading().expect("non-zero").1.clone();
        let inverse = lead.recip();
        Some(Rational {
            num: num.scale(&inverse).within(limits)?,
            den: den.scale(&inverse).within(limits)?,
        })
    }

    /// `self + other`.
    pub fn add(&self, other: &Rational, limits: &Limits) -> Option<Rational> {
        if self.den == other.den {
            return Rational::new(self.num.add(&other.num, limits)?, self.den.clone(), limits);
        }
        let num = self
            .num
            .mul(&other.den, limits)?
            .add(&other.num.mul(&self.den, limits)?, limits)?;
        Rational::new(num, self.den.mul(&other.den, limits)?, limits)
    }

    /// `-self`.
    pub fn neg(&self) -> Rational {
        Rational {
            num: self.num.neg(),
            den: self.den.clone(),
        }
    }

    /// `self * other`.
    pub fn mul(&self, other: &Rational, limits: &Limits) -> Option<Rational> {
        Rational::new(
            self.num.mul(&other.num, limits)?,
            self.den.mul(&other.den, limits)?,
            limits,
        )
    }

    /// `1 / self` (`None` for zero).
    pub fn recip(&self, limits: &Limits) -> Option<Rational> {
        Rational::new(self.den.clone(), self.num.clone(), limits)
    }

    /// `self / other` (`None` when `other` is zero).
    pub fn div(&self, other: &Rational, limits: &Limits) -> Option<Rational> {
        self.mul(&other.recip(limits)?, limits)
    }

    /// `self^e` for a rational exponent, where that is sound (see the module docs).
    pub fn pow(&self, e: &BigRational, limits: &Limits) -> Option<Rational> {
        if e.is_integer() {
            let n = e.to_integer().to_i64()?;
            if n.unsigned_abs() > limits.degree as u64 {
                return None;
            }
            let base = if n < 0 {
                self.recip(limits)?
            } else {
                self.clone()
            };
            let n = n.unsigned_abs() as u32;
            return Rational::new(base.num.pow(n, limits)?, base.den.pow(n, limits)?, limits);
        }
        let e = Exp::new(e.numer().to_i64()?, e.denom().to_i64()?);
        if *e.denom() > limits.exponent_denominator || !self.is_polynomial() {
            return None;
        }
        let (m, c) = self.num.as_term()?;
        if !c.is_positive() {
            return None;
        }
        let classes: Vec<&(Atom, Exp)> = m.0.iter().filter(|(a, _)| !a.non_negative()).collect();
        match classes.as_slice() {
            [] => {}
            [(_, k)] if !k.is_integer() || k.to_integer() % 2 != 0 => {}
            _ => return None,
        }
        let (f, m) = m.scale_exponents(e)?;
        let (g, primes) = prime_power(c, e)?;
        let (h, m) = m.mul(&primes)?;
        Some(Rational {
            num: Poly::monomial(f * g * h, m).within(limits)?,
            den: Poly::constant(BigRational::one()),
        })
    }
}

/// `c^e` for a positive rational `c` as a rational factor times prime atoms (`None` if a
/// factor does not fit in `u64`).
fn prime_power(c: &BigRational, e: Exp) -> Option<(BigRational, Monomial)> {
    let mut factors: Vec<(u64, i64)> = Vec::new();
    for (n, sign) in [(c.numer(), 1), (c.denom(), -1)] {
        for (p, k) in factorize(n)? {
            factors.push((p, sign * k));
        }
    }
    factors.sort();
    let mut monomial = Monomial(
        factors
            .iter()
            .map(|&(p, k)| (Atom::Prime(p), Exp::from(k)))
            .collect(),
    );
    // Merge duplicates (a prime in both numerator and denominator cannot occur: c is reduced).
    monomial.0.dedup_by(|a, b| a.0 == b.0);
    monomial.scale_exponents(e)
}

/// Prime factors of a positive integer by trial division up to 1000; a remaining cofactor is
/// kept whole (it is then an atom of its own).
pub(super) fn factorize(n: &BigInt) -> Option<Vec<(u64, i64)>> {
    let mut n = n.to_u64()?;
    let mut out = Vec::new();
    let mut p = 2u64;
    while p < 1000 && p * p <= n {
        let mut k = 0;
        while n % p == 0 {
            n /= p;
            k += 1;
        }
        if k > 0 {
            out.push((p, k));
        }
        p += 1;
    }
    if n > 1 {
        out.push((n, 1));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egg::Id;

    fn x() -> Rational {
        Rational::atom(Atom::Class(Id::from(0usize)))
    }

    fn int(n: i64) -> Rational {
        Rational::constant(BigRational::from_integer(n.into()))
    }

    fn q(p: i64, d: i64) -> BigRational {
        BigRational::new(p.into(), d.into())
    }

    #[test]
    fn common_factors_cancel() {
        let l = Limits::default();
        // (x^2 - 1)/(x - 1) = x + 1
        let x2 = x().mul(&x(), &l).unwrap();
        let num = x2.add(&int(-1), &l).unwrap();
        let den = x().add(&int(-1), &l).unwrap();
        let lhs = num.div(&den, &l).unwrap();
        assert_eq!(lhs, x().add(&int(1), &l).unwrap());
    }

    #[test]
    fn reciprocal_powers_are_negative_exponents() {
        let l = Limits::default();
        let a = x().pow(&q(-2, 1), &l).unwrap();
        let b = int(1).div(&x().mul(&x(), &l).unwrap(), &l).unwrap();
        assert_eq!(a, b);
        // 1/(4*(x^2/4 + 1)) = 1/(x^2 + 4)
        let x2 = x().mul(&x(), &l).unwrap();
        let inner = x2.div(&int(4), &l).unwrap().add(&int(1), &l).unwrap();
        let left = int(1).div(&int(4).mul(&inner, &l).unwrap(), &l).unwrap();
        let right = int(1).div(&x2.add(&int(4), &l).unwrap(), &l).unwrap();
        assert_eq!(left, right);
    }

    #[test]
    fn radicals_fold() {
        let l = Limits::default();
        // sqrt(3)/(sqrt(2)*2^(5/2)*3^(3/2)) = 1/24
        let half = q(1, 2);
        let s3 = int(3).pow(&half, &l).unwrap();
        let s2 = int(2).pow(&half, &l).unwrap();
        let a = int(2).pow(&q(5, 2), &l).unwrap();
        let b = int(3).pow(&q(3, 2), &l).unwrap();
        let den = s2.mul(&a, &l).unwrap().mul(&b, &l).unwrap();
        assert_eq!(s3.div(&den, &l).unwrap(), Rational::constant(q(1, 24)));
        // 12^(1/2) = 2*3^(1/2)
        assert_eq!(
            int(12).pow(&half, &l).unwrap(),
            int(2).mul(&s3, &l).unwrap()
        );
    }

    #[test]
    fn even_powers_keep_their_sign() {
        let l = Limits::default();
        let x2 = x().mul(&x(), &l).unwrap();
        assert!(x2.pow(&q(1, 2), &l).is_none()); // |x|, not x
        let x3 = x2.mul(&x(), &l).unwrap();
        assert_eq!(x3.pow(&q(1, 3), &l).unwrap(), x());
        assert!(x().neg().pow(&q(1, 2), &l).is_none());
    }
}
