//! Sparse multivariate polynomials over the exact rationals, in *atoms*: e-classes taken as
//! opaque values (`x`, `sin(x)`, `exp(y)`, ...) and primes under fractional powers (`2^(1/2)`).
//!
//! Exponents are small rationals, so `x^(-2)` and `x^(1/2)` are monomials too (a Laurent–Puiseux
//! polynomial); which exponents are *allowed* is decided by the caller
//! ([`super::rational`]), where soundness is argued. Every operation is bounded by [`Limits`]
//! and returns `None` past them, so a normal form never grows without bound.

use egg::Id;
use num_bigint::BigInt;
use num_rational::{BigRational, Ratio};
use num_traits::{CheckedAdd, CheckedMul, One, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// An exponent: a small rational.
pub type Exp = Ratio<i64>;

/// The bounds every normal form stays within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Terms of a polynomial (numerator and denominator each).
    pub terms: usize,
    /// Total degree of a monomial (the sum of its exponents' magnitudes).
    pub degree: i64,
    /// Denominator of an exponent.
    pub exponent_denominator: i64,
    /// Bits of a coefficient's numerator or denominator.
    pub coefficient_bits: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            terms: 8,
            degree: 8,
            exponent_denominator: 12,
            coefficient_bits: 128,
        }
    }
}

/// An opaque value a polynomial is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Atom {
    /// A positive integer (a prime, or a factor too large to split) under a fractional power:
    /// its exponent is always in `(0, 1)`, the integer part lives in the coefficient.
    Prime(u64),
    /// An e-class (canonical id).
    Class(Id),
    /// `exp(m)` for the monomial with this index in a [zero test](super::zero_test)'s basis:
    /// positive, and `exp(m)^a * exp(m)^b = exp(m)^(a + b)` for every rational `a`, `b`.
    Exp(u32),
    /// `tan(θ/2)` for the base angle with this index in a zero test's basis (sin and cos of
    /// multiples of `θ` are rational functions of it). Its sign is unknown.
    HalfTan(u32),
    /// `u^(1/q)` for the radicand `u` (a polynomial) with this index in a zero test's basis:
    /// non-negative where defined; its exponents are reduced by `(u^(1/q))^q = u`.
    Root(u32),
    /// `ln(v)` for the function `v` with this index in a zero test's basis (`v` with a
    /// positive constant factor split off as `ln(c) + ln(v)`).
    Log(u32),
    /// `f(v)` for any other one-argument function `f` and the function `v`, with this index in
    /// a zero test's basis (equal arguments, equal values).
    Apply(u32),
}

impl Atom {
    /// True when the atom is never negative where it is defined, so that
    /// `(a^k)^(p/q) = a^(k p/q)` holds for it.
    pub fn non_negative(self) -> bool {
        matches!(self, Atom::Prime(_) | Atom::Exp(_) | Atom::Root(_))
    }
}

/// A product of atoms with non-zero exponents, sorted by atom.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Monomial(pub Vec<(Atom, Exp)>);

impl Monomial {
    /// The monomial `atom^1`.
    pub fn atom(atom: Atom) -> Self {
        Monomial(vec![(atom, Exp::one())])
    }

    /// The sum of the exponents.
    pub fn degree(&self) -> Exp {
        self.0.iter().map(|(_, e)| *e).sum()
    }

    fn within(&self, limits: &Limits) -> bool {
        let size: Exp = self.0.iter().map(|(_, e)| e.abs()).sum();
        size <= Exp::from(limits.degree)
            && self
                .0
                .iter()
                .all(|(_, e)| *e.denom() <= limits.exponent_denominator)
    }

    /// `self^k`, exponents multiplied (the caller checks that this is sound).
    pub fn scale_exponents(&self, k: Exp) -> Option<(BigRational, Monomial)> {
        let mut factor = BigRational::one();
        let mut out = Vec::with_capacity(self.0.len());
        for &(a, e) in &self.0 {
            let e = e.checked_mul(&k)?;
            let (f, e) = normalize_exponent(a, e)?;
            factor *= f;
            if !e.is_zero() {
                out.push((a, e));
            }
        }
        Some((factor, Monomial(out)))
    }

    /// The product of two monomials, with the rational factor that prime atoms shed when their
    /// exponents leave `[0, 1)` (`2^(1/2) * 2^(1/2) = 2`).
    pub fn mul(&self, other: &Monomial) -> Option<(BigRational, Monomial)> {
        let mut factor = BigRational::one();
        let mut out = Vec::with_capacity(self.0.len() + other.0.len());
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() || j < other.0.len() {
            let (atom, e) = match (self.0.get(i), other.0.get(j)) {
                (Some(&(a, x)), Some(&(b, y))) if a == b => {
                    i += 1;
                    j += 1;
                    (a, x.checked_add(&y)?)
                }
                (Some(&(a, x)), Some(&(b, _))) if a < b => {
                    i += 1;
                    (a, x)
                }
                (Some(_), Some(&(b, y))) | (None, Some(&(b, y))) => {
                    j += 1;
                    (b, y)
                }
                (Some(&(a, x)), None) => {
                    i += 1;
                    (a, x)
                }
                (None, None) => unreachable!(),
            };
            let (f, e) = normalize_exponent(atom, e)?;
            factor *= f;
            if !e.is_zero() {
                out.push((atom, e));
            }
        }
        Some((factor, Monomial(out)))
    }

    /// The exponent of `atom` (0 when absent).
    pub fn exponent(&self, atom: Atom) -> Exp {
        self.0
            .iter()
            .find(|(a, _)| *a == atom)
            .map_or(Exp::zero(), |(_, e)| *e)
    }
}

/// A prime atom's exponent reduced into `[0, 1)`, with the rational factor split off.
fn normalize_exponent(atom: Atom, e: Exp) -> Option<(BigRational, Exp)> {
    match atom {
        Atom::Class(_)
        | Atom::Exp(_)
        | Atom::HalfTan(_)
        | Atom::Root(_)
        | Atom::Log(_)
        | Atom::Apply(_) => Some((BigRational::one(), e)),
        Atom::Prime(p) => {
            let whole = e.floor();
            let power = whole.to_integer();
            if power.unsigned_abs() > 64 {
                return None;
            }
            let base = BigRational::from_integer(BigInt::from(p));
            let f = num_traits::pow(base, power.unsigned_abs() as usize);
            let f = if power < 0 { f.recip() } else { f };
            Some((f, e - whole))
        }
    }
}

/// `a * f`, skipping the (common) multiplication by one.
fn times(a: &BigRational, f: &BigRational) -> BigRational {
    if f.is_one() {
        a.clone()
    } else {
        a * f
    }
}

/// Graded lexicographic order (total degree first, then the first atom whose exponents
/// differ): a monomial order, used to pick leading terms and the printed order of terms.
pub fn grlex(a: &Monomial, b: &Monomial) -> Ordering {
    a.degree().cmp(&b.degree()).then_with(|| {
        let (mut i, mut j) = (0, 0);
        loop {
            match (a.0.get(i), b.0.get(j)) {
                (None, None) => return Ordering::Equal,
                (Some(&(x, e)), Some(&(y, f))) if x == y => {
                    if e != f {
                        return e.cmp(&f);
                    }
                    i += 1;
                    j += 1;
                }
                (Some(&(x, e)), Some(&(y, _))) if x < y => return e.cmp(&Exp::zero()),
                (_, Some(&(_, f))) => return Exp::zero().cmp(&f),
                (Some(&(_, e)), None) => return e.cmp(&Exp::zero()),
            }
        }
    })
}

/// A sparse polynomial: monomials with non-zero rational coefficients.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Poly(pub BTreeMap<Monomial, BigRational>);

impl Poly {
    /// The zero polynomial.
    pub fn zero() -> Self {
        Poly(BTreeMap::new())
    }

    /// A constant.
    pub fn constant(c: BigRational) -> Self {
        Poly::monomial(c, Monomial::default())
    }

    /// `c * m`.
    pub fn monomial(c: BigRational, m: Monomial) -> Self {
        let mut p = Poly::zero();
        if !c.is_zero() {
            p.0.insert(m, c);
        }
        p
    }

    /// True for the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// The value when the polynomial is a constant.
    pub fn as_constant(&self) -> Option<BigRational> {
        match self.0.len() {
            0 => Some(BigRational::zero()),
            1 => self
                .0
                .iter()
                .next()
                .filter(|(m, _)| m.0.is_empty())
                .map(|(_, c)| c.clone()),
            _ => None,
        }
    }

    /// The single term, when there is exactly one.
    pub fn as_term(&self) -> Option<(&Monomial, &BigRational)> {
        (self.0.len() == 1).then(|| self.0.iter().next().expect("one term"))
    }

    /// Number of terms.
    pub fn term_count(&self) -> usize {
        self.0.len()
    }

    /// The term with the largest monomial in [`grlex`] order.
    pub fn leading(&self) -> Option<(&Monomial, &BigRational)> {
        self.0.iter().max_by(|a, b| grlex(a.0, b.0))
    }

    /// Terms in printing order: descending [`grlex`].
    pub fn sorted_terms(&self) -> Vec<(&Monomial, &BigRational)> {
        let mut terms: Vec<_> = self.0.iter().collect();
        terms.sort_by(|a, b| grlex(b.0, a.0));
        terms
    }

    fn add_term(&mut self, m: Monomial, c: BigRational) {
        if c.is_zero() {
            return;
        }
        match self.0.entry(m) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(c);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                *o.get_mut() += c;
                if o.get().is_zero() {
                    o.remove();
                }
            }
        }
    }

    /// Checks the limits.
    pub fn within(self, limits: &Limits) -> Option<Self> {
        let ok = self.0.len() <= limits.terms
            && self.0.iter().all(|(m, c)| {
                m.within(limits)
                    && c.numer().bits() <= limits.coefficient_bits
                    && c.denom().bits() <= limits.coefficient_bits
            });
        ok.then_some(self)
    }

    /// `self + other`.
    pub fn add(&self, other: &Poly, limits: &Limits) -> Option<Poly> {
        let mut out = self.clone();
        for (m, c) in &other.0 {
            out.add_term(m.clone(), c.clone());
        }
        out.within(limits)
    }

    /// `-self`.
    pub fn neg(&self) -> Poly {
        Poly(self.0.iter().map(|(m, c)| (m.clone(), -c)).collect())
    }

    /// `c * self`.
    pub fn scale(&self, c: &BigRational) -> Poly {
        if c.is_zero() {
            return Poly::zero();
        }
        Poly(self.0.iter().map(|(m, k)| (m.clone(), k * c)).collect())
    }

    /// `self * c * m`.
    pub fn mul_term(&self, c: &BigRational, m: &Monomial, limits: &Limits) -> Option<Poly> {
        let mut out = Poly::zero();
        for (n, k) in &self.0 {
            let (f, product) = n.mul(m)?;
            out.add_term(product, times(&(k * c), &f));
        }
        out.within(limits)
    }

    /// `self * other`.
    pub fn mul(&self, other: &Poly, limits: &Limits) -> Option<Poly> {
        if self.term_count().saturating_mul(other.term_count()) > limits.terms * limits.terms {
            return None;
        }
        let mut out = Poly::zero();
        for (m, c) in &other.0 {
            for (n, k) in &self.0 {
                let (f, product) = n.mul(m)?;
                out.add_term(product, times(&(k * c), &f));
            }
        }
        out.within(limits)
    }

    /// `self^n` for `n >= 0`.
    pub fn pow(&self, n: u32, limits: &Limits) -> Option<Poly> {
        let mut out = Poly::constant(BigRational::one());
        for _ in 0..n {
            out = out.mul(self, limits)?;
        }
        Some(out)
    }

    /// Every atom that occurs.
    pub fn atoms(&self) -> Vec<Atom> {
        let mut atoms: Vec<Atom> = self
            .0
            .keys()
            .flat_map(|m| m.0.iter().map(|(a, _)| *a))
            .collect();
        atoms.sort();
        atoms.dedup();
        atoms
    }

    /// The exponent-wise minimum over all terms (absent atoms count as exponent 0): the
    /// monomial that divides every term.
    pub fn monomial_content(&self) -> Monomial {
        let atoms = self.atoms();
        let mut out = Vec::new();
        for a in atoms {
            if matches!(a, Atom::Prime(_)) {
                continue;
            }
            let min = self
                .0
                .keys()
                .map(|m| m.exponent(a))
                .min()
                .unwrap_or_else(Exp::zero);
            if !min.is_zero() {
                out.push((a, min));
            }
        }
        Monomial(out)
    }

    /// `self / divisor` if it divides exactly (both ordinary), by multivariate division in
    /// [`grlex`] order.
    pub fn divide_exact(&self, divisor: &Poly, limits: &Limits) -> Option<Poly> {
        let (lm, lc) = divisor.leading()?;
        let (lm, lc) = (lm.clone(), lc.clone());
        let mut remainder = self.clone();
        let mut quotient = Poly::zero();
        for _ in 0..limits.terms * 4 {
            let Some((rm, rc)) = remainder.leading() else {
                return quotient.within(limits);
            };
            // rm / lm must have non-negative exponents.
            let inverse = Monomial(lm.0.iter().map(|&(a, e)| (a, -e)).collect());
            let (_, q) = rm.mul(&inverse)?;
            if q.0.iter().any(|(_, e)| e.is_negative()) {
                return None;
            }
            let qc = rc / &lc;
            remainder = remainder.add(&divisor.mul_term(&(-&qc), &q, limits)?, limits)?;
            quotient.add_term(q, qc);
        }
        None
    }

    /// The single atom of a univariate ordinary polynomial (`None` if there are several, or
    /// none).
    pub fn univariate_atom(&self) -> Option<Atom> {
        let atoms = self.atoms();
        (atoms.len() == 1).then(|| atoms[0])
    }

    /// Dense coefficients (index = power) of an ordinary polynomial in `atom`.
    pub fn dense(&self, atom: Atom) -> Option<Vec<BigRational>> {
        let mut out: Vec<BigRational> = Vec::new();
        for (m, c) in &self.0 {
            let e = match m.0.as_slice() {
                [] => 0,
                [(a, e)] if *a == atom && e.is_integer() && !e.is_negative() => {
                    e.to_integer().to_usize()?
                }
                _ => return None,
            };
            if out.len() <= e {
                out.resize(e + 1, BigRational::zero());
            }
            out[e] = c.clone();
        }
        Some(out)
    }

    /// The polynomial with dense coefficients in `atom`.
    pub fn from_dense(atom: Atom, coefficients: &[BigRational]) -> Poly {
        let mut p = Poly::zero();
        for (i, c) in coefficients.iter().enumerate() {
            let m = if i == 0 {
                Monomial::default()
            } else {
                Monomial(vec![(atom, Exp::from(i as i64))])
            };
            p.add_term(m, c.clone());
        }
        p
    }
}

/// The monic greatest common divisor of two dense univariate polynomials over Q.
pub fn dense_gcd(a: &[BigRational], b: &[BigRational]) -> Vec<BigRational> {
    let trim = |mut v: Vec<BigRational>| {
        while v.last().is_some_and(|c| c.is_zero()) {
            v.pop();
        }
        v
    };
    let (mut a, mut b) = (trim(a.to_vec()), trim(b.to_vec()));
    while !b.is_empty() {
        let r = trim(dense_rem(&a, &b));
        a = b;
        b = r;
    }
    if let Some(lead) = a.last().cloned() {
        for c in &mut a {
            *c /= &lead;
        }
    }
    a
}

fn dense_rem(a: &[BigRational], b: &[BigRational]) -> Vec<BigRational> {
    let mut r = a.to_vec();
    let lead = b.last().expect("non-zero divisor");
    while r.len() >= b.len() {
        let top = r.last().expect("non-empty").clone();
        if !top.is_zero() {
            let q = &top / lead;
            let shift = r.len() - b.len();
            for (i, c) in b.iter().enumerate() {
                r[shift + i] -= &q * c;
            }
        }
        r.pop();
    }
    r
}

/// Exact quotient of dense polynomials (`b` divides `a`).
pub fn dense_div(a: &[BigRational], b: &[BigRational]) -> Vec<BigRational> {
    let mut r = a.to_vec();
    while r.last().is_some_and(|c| c.is_zero()) {
        r.pop();
    }
    if r.len() < b.len() {
        return vec![];
    }
    let mut q = vec![BigRational::zero(); r.len() - b.len() + 1];
    let lead = b.last().expect("non-zero divisor");
    while r.len() >= b.len() {
        let top = r.last().expect("non-empty").clone();
        let shift = r.len() - b.len();
        let c = &top / lead;
        for (i, bc) in b.iter().enumerate() {
            r[shift + i] -= &c * bc;
        }
        q[shift] = c;
        r.pop();
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x() -> Atom {
        Atom::Class(Id::from(0usize))
    }

    fn int(n: i64) -> BigRational {
        BigRational::from_integer(n.into())
    }

    #[test]
    fn like_terms_collect_and_cancel() {
        let limits = Limits::default();
        let px = Poly::monomial(int(1), Monomial::atom(x()));
        let one = Poly::constant(int(1));
        let sum = px.add(&one, &limits).unwrap();
        let square = sum.mul(&sum, &limits).unwrap(); // x^2 + 2x + 1
        assert_eq!(square.term_count(), 3);
        let x2 = px.mul(&px, &limits).unwrap();
        let rest = square
            .add(&x2.neg(), &limits)
            .unwrap()
            .add(&px.scale(&int(-2)), &limits)
            .unwrap()
            .add(&one.neg(), &limits)
            .unwrap();
        assert!(rest.is_zero());
    }

    #[test]
    fn prime_atoms_shed_whole_powers() {
        let root2 = Monomial(vec![(Atom::Prime(2), Exp::new(1, 2))]);
        let (f, m) = root2.mul(&root2).unwrap();
        assert_eq!((f, m), (int(2), Monomial::default()));
        let (f, m) = root2.scale_exponents(Exp::from(-1)).unwrap();
        assert_eq!(f, BigRational::new(1.into(), 2.into()));
        assert_eq!(m, root2);
    }

    #[test]
    fn univariate_gcd_and_exact_division() {
        let limits = Limits::default();
        // x^2 - 1 = (x - 1)(x + 1)
        let p = Poly::from_dense(x(), &[int(-1), int(0), int(1)]);
        let q = Poly::from_dense(x(), &[int(-1), int(1)]);
        let g = dense_gcd(&p.dense(x()).unwrap(), &q.dense(x()).unwrap());
        assert_eq!(g, vec![int(-1), int(1)]);
        let quotient = p.divide_exact(&q, &limits).unwrap();
        assert_eq!(quotient, Poly::from_dense(x(), &[int(1), int(1)]));
        assert!(q.divide_exact(&p, &limits).is_none());
    }
}
