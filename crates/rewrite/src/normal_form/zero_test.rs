//! Deciding that a class is a constant (most often `0`): every class gets a *zero-test form*,
//! a [rational function](Rational) in a richer basis than the normal forms', and a class whose
//! form is a constant is merged with that constant.
//!
//! The basis rewrites the elementary functions into independent atoms with known relations:
//!
//! - `exp(c1*m1 + c2*m2 + ...)` is `E(m1)^c1 * E(m2)^c2 * ...`, one positive atom `E(m)` per
//!   monomial of the exponent (plain [normal forms](super) of the argument), rational `c`:
//!   `exp(a)*exp(b) = exp(a + b)`, `exp(x)^2 = exp(2*x)`, `exp(-x) = 1/exp(x)`; `e` is `E(1)`.
//!   `sinh`, `cosh` and `tanh` are their exponential definitions.
//! - `sin`, `cos` and `tan` of `k1*θ1 + k2*θ2 + ...` are rational functions of the half-angle
//!   tangents `t = tan(θ/2)` (`sin θ = 2t/(1 + t²)`, `cos θ = (1 - t²)/(1 + t²)`; sums of
//!   angles by `e^(iθ)` products), with one base angle `θ = m/L` per monomial `m` of the
//!   arguments, `L` the common denominator of its coefficients in the whole e-graph, so that
//!   `sin(x/2)`, `sin(x)` and `sin(3*x/2)` share one `t`. Every trigonometric identity in
//!   sums, products and quotients of those (Pythagoras, multiple angles, `tan = sin/cos`,
//!   product-to-sum) becomes an identity of rational functions.
//! - `u^(p/q)` for a polynomial `u` of several terms is `|c|^(p/q) * R^p` with one
//!   non-negative atom `R = (u/|c|)^(1/q)` (`c` the leading coefficient), its exponents reduced
//!   into `[0, q)` by `R^q = u/|c|`: `sqrt(x + 1)^3 = (x + 1)*sqrt(x + 1)`,
//!   `1/sqrt(x + 1) = sqrt(x + 1)/(x + 1)`.
//!
//! Soundness: each step is an identity wherever its left side is defined (the half-angle
//! substitution on a dense set, and both sides are continuous where defined), and atoms are
//! treated as independent symbols, so a form that is a constant proves the class equal to that
//! constant wherever the class is defined. Unknown relations between atoms (`sqrt(x^2) = |x|`,
//! `atan(x) + atan(1/x)`) only lose proofs. The forms are never built into the e-graph: only
//! constants are.

use super::poly::{Atom, Exp, Limits, Monomial, Poly};
use super::rational::{factorize, Rational};
use super::{arithmetic, class_forms, node_form, normal_forms, FormOf};
use crate::analysis::MathGraph;
use egg::Id;
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Instant;
use symdiff_expr::{BinOp, Constant, Func, Func2, Math, NamedConst, Shape};

/// Bounds of zero-test forms: wider than the normal forms' (these forms are only compared with
/// constants, never built), still small enough that one node costs at most milliseconds.
const LIMITS: Limits = Limits {
    terms: 64,
    degree: 32,
    exponent_denominator: 12,
    coefficient_bits: 256,
};

/// The largest multiple `k` of a base angle expanded (`sin(kθ)` has degree `2k` in
/// `tan(θ/2)`).
const MAX_MULTIPLE: i64 = 8;

/// The atoms a zero test introduces, by index.
#[derive(Default)]
struct Basis {
    /// `E(m)` atoms: the index of each monomial, and the monomials by index.
    exps: HashMap<Monomial, u32>,
    exp_list: Vec<Monomial>,
    /// `ln(v)` atoms: the index of each `v`, and the `v`s by index.
    logs: HashMap<Rational, u32>,
    log_list: Vec<Rational>,
    /// `f(v)` atoms of the other functions: the index of each.
    applies: HashMap<(Func, Rational), u32>,
    /// The monomial `pi` (its class as an atom), when `pi` is in the e-graph: an angle
    /// `k*pi/4` or `k*pi/6` has exact sine and cosine.
    pi: Option<Monomial>,
    /// Base angles: the monomial `m` → (index, `L`), the angle being `m/L`.
    angles: HashMap<Monomial, (u32, i64)>,
    /// Radicands `(u, q)` of `R = u^(1/q)`, by index, and the index of each.
    roots: Vec<(Poly, i64)>,
    root_index: HashMap<(Poly, i64), u32>,
}

/// Proves classes constant: merges every class whose zero-test form is a constant with that
/// constant, rebuilds, and returns how many classes were merged.
pub(crate) fn prove_constants(egraph: &mut MathGraph, deadline: Option<Instant>) -> usize {
    let constants = constant_classes(egraph, deadline);
    let mut merged = 0;
    for (id, value) in constants {
        let c = egraph.add(Math::Num(Constant::new(value)));
        if egraph.union(id, c) {
            merged += 1;
        }
    }
    egraph.rebuild();
    merged
}

/// What the zero test reads of the e-graph besides the forms: plain normal forms (for the
/// arguments of `exp`, `sin`, ...) and logarithms.
struct Context<'a> {
    egraph: &'a MathGraph,
    plain: HashMap<Id, Rational>,
}

impl Context<'_> {
    /// The plain normal form of a class (its own atom when it has none).
    fn plain_of(&self, id: Id) -> Rational {
        let id = self.egraph.find(id);
        self.plain
            .get(&id)
            .cloned()
            .unwrap_or_else(|| Rational::atom(Atom::Class(id)))
    }

    /// For `b^u` with `b` the constant `e` or a positive rational other than 1, `u*ln(b)`: the
    /// argument of the equal `exp` (given `u`'s form).
    fn power_as_exp(&self, base: Id, u: &Rational, basis: &mut Basis) -> Option<Rational> {
        let base = self.egraph.find(base);
        let is_e = self.egraph[base]
            .nodes
            .iter()
            .any(|n| matches!(n.shape(), Shape::Named(NamedConst::E)));
        if is_e {
            return Some(u.clone());
        }
        let b = self.egraph[base].data.constant.as_ref()?.value().clone();
        if !b.is_positive() || b.is_one() {
            return None;
        }
        u.mul(&log_form(&Rational::constant(b), basis)?, &LIMITS)
    }
}

/// The classes (not already known constants) whose zero-test form is a constant.
fn constant_classes(egraph: &MathGraph, deadline: Option<Instant>) -> Vec<(Id, BigRational)> {
    let context = Context {
        egraph,
        plain: normal_forms(egraph, &Limits::default(), deadline)
            .into_iter()
            .collect(),
    };
    let basis = RefCell::new(Basis {
        pi: egraph
            .lookup(Math::Named(NamedConst::Pi))
            .map(|id| Monomial::atom(Atom::Class(egraph.find(id)))),
        ..Basis::default()
    });
    collect_angles(egraph, &|id| context.plain_of(id), &mut basis.borrow_mut());
    let forms = class_forms(
        egraph,
        deadline,
        |node| {
            arithmetic(egraph, node)
                || transcendental(node).is_some()
                || matches!(
                    node.shape(),
                    Shape::Binary(BinOp::Pow, ..)
                        | Shape::Call(..)
                        | Shape::Call2(Func2::Hypot, ..)
                )
        },
        |node, form_of| {
            let mut basis = basis.borrow_mut();
            let form = zero_test_form(node, form_of, &context, &mut basis)?;
            reduce_roots(form, &basis)
        },
    );
    forms
        .into_iter()
        .filter(|(id, _)| egraph[*id].data.constant.is_none())
        .filter_map(|(id, form)| Some((id, form.as_constant()?)))
        .collect()
}

/// The elementary functions the basis rewrites (and `e`, which is `exp(1)`).
fn transcendental(node: &Math) -> Option<Func> {
    match node.shape() {
        Shape::Named(NamedConst::E) => Some(Func::Exp),
        Shape::Call(
            f @ (Func::Exp
            | Func::Sinh
            | Func::Cosh
            | Func::Tanh
            | Func::Sin
            | Func::Cos
            | Func::Tan),
            _,
        ) => Some(f),
        _ => None,
    }
}

/// Every base angle: for each monomial in the arguments of `sin`, `cos` and `tan`, the least
/// common denominator of its coefficients.
fn collect_angles(egraph: &MathGraph, plain_of: &dyn Fn(Id) -> Rational, basis: &mut Basis) {
    let mut denominators: HashMap<Monomial, i64> = HashMap::new();
    for class in egraph.classes() {
        for node in &class.nodes {
            let Shape::Call(Func::Sin | Func::Cos | Func::Tan, a) = node.shape() else {
                continue;
            };
            let u = plain_of(a);
            if !u.is_polynomial() {
                continue;
            }
            for (m, c) in &u.num.0 {
                if basis.pi.as_ref() == Some(m) {
                    continue;
                }
                let Some(den) = c.denom().to_i64().filter(|d| *d <= 1 << 20) else {
                    continue;
                };
                let l = denominators.entry(m.clone()).or_insert(1);
                *l = l.lcm(&den);
            }
        }
    }
    let mut monomials: Vec<(Monomial, i64)> = denominators.into_iter().collect();
    monomials.sort();
    for (i, (m, l)) in monomials.into_iter().enumerate() {
        basis.angles.insert(m, (i as u32, l));
    }
}

/// The zero-test form of one node, given its children's.
fn zero_test_form(
    node: &Math,
    form_of: &FormOf<'_>,
    context: &Context,
    basis: &mut Basis,
) -> Option<Rational> {
    if let Some(f) = transcendental(node) {
        // Exponentials take their argument's zero-test form; angles are plain forms (their
        // base angles were collected from those).
        let argument = match node.shape() {
            Shape::Call(Func::Sin | Func::Cos | Func::Tan, a) => context.plain_of(a),
            Shape::Call(_, a) => form_of(a).clone(),
            _ => Rational::constant(BigRational::one()), // e = exp(1)
        };
        return match f {
            Func::Exp => exp_form(&argument, basis),
            Func::Sinh | Func::Cosh | Func::Tanh => hyperbolic_form(f, &argument, basis),
            _ => trigonometric_form(f, &argument, basis),
        };
    }
    let half = BigRational::new(1.into(), 2.into());
    let one = || Rational::constant(BigRational::one());
    match node.shape() {
        Shape::Call(Func::Sqrt, a) => root_form(form_of(a), &half, basis),
        Shape::Call(Func::Ln, a) => log_form(form_of(a), basis),
        // asinh(a) = ln(a + sqrt(a² + 1)), acosh(a) = ln(a + sqrt(a² - 1)) (a ≥ 1),
        // atanh(a) = (ln(1 + a) - ln(1 - a))/2 (|a| < 1).
        Shape::Call(f @ (Func::Asinh | Func::Acosh), a) => {
            let a = form_of(a);
            let square = a.mul(a, &LIMITS)?;
            let inner = if f == Func::Asinh {
                square.add(&one(), &LIMITS)?
            } else {
                square.add(&one().neg(), &LIMITS)?
            };
            log_form(&a.add(&root_form(&inner, &half, basis)?, &LIMITS)?, basis)
        }
        // hypot(a, b) = sqrt(a² + b²) for every real a, b.
        Shape::Call2(Func2::Hypot, a, b) => {
            let (a, b) = (form_of(a), form_of(b));
            let sum = a.mul(a, &LIMITS)?.add(&b.mul(b, &LIMITS)?, &LIMITS)?;
            root_form(&sum, &half, basis)
        }
        Shape::Call(Func::Atanh, a) => {
            let a = form_of(a);
            let up = log_form(&one().add(a, &LIMITS)?, basis)?;
            let down = log_form(&one().add(&a.neg(), &LIMITS)?, basis)?;
            up.add(&down.neg(), &LIMITS)?
                .mul(&Rational::constant(half.clone()), &LIMITS)
        }
        // The library functions the simplifier prefers for accuracy, by their definitions
        // (each sound where the function is defined): log1p(a) = ln(1 + a),
        // expm1(a) = exp(a) - 1, softplus(a) = ln(1 + exp(a)), sigmoid(a) = 1/(1 + exp(-a)),
        // log2(a) = ln(a)/ln(2), log10(a) = ln(a)/ln(10).
        Shape::Call(Func::Log1p, a) => log_form(&one().add(form_of(a), &LIMITS)?, basis),
        Shape::Call(Func::Expm1, a) => exp_form(form_of(a), basis)?.add(&one().neg(), &LIMITS),
        Shape::Call(Func::Softplus, a) => {
            log_form(&one().add(&exp_form(form_of(a), basis)?, &LIMITS)?, basis)
        }
        Shape::Call(Func::Sigmoid, a) => {
            let down = exp_form(&form_of(a).neg(), basis)?;
            one().div(&one().add(&down, &LIMITS)?, &LIMITS)
        }
        Shape::Call(f @ (Func::Log2 | Func::Log10), a) => {
            let base = if f == Func::Log2 { 2 } else { 10 };
            let ln_base = log_form(
                &Rational::constant(BigRational::from_integer(base.into())),
                basis,
            )?;
            log_form(form_of(a), basis)?.div(&ln_base, &LIMITS)
        }
        Shape::Binary(BinOp::Pow, a, b) => match form_of(b).as_constant() {
            Some(e) if e.is_integer() => node_form(node, form_of, &LIMITS),
            Some(e) => root_form(form_of(a), &e, basis),
            None => exp_form(&context.power_as_exp(a, form_of(b), basis)?, basis),
        },
        Shape::Call(f, a) => {
            let key = (f, form_of(a).clone());
            let next = basis.applies.len() as u32;
            let index = *basis.applies.entry(key).or_insert(next);
            Some(Rational::atom(Atom::Apply(index)))
        }
        _ => node_form(node, form_of, &LIMITS),
    }
}

/// A small rational as an exponent (`None` past the limits).
fn small(c: &BigRational) -> Option<Exp> {
    let e = Exp::new(c.numer().to_i64()?, c.denom().to_i64()?);
    (*e.denom() <= LIMITS.exponent_denominator && e.abs() <= Exp::from(LIMITS.degree)).then_some(e)
}

/// `exp(u)` for a polynomial `u`: a product of `E(m)` atoms, except that a term `c*ln(v)` is
/// `v^c` (where `ln(v)` is defined, `v > 0`, and `exp(c*ln(v)) = v^c`).
fn exp_form(u: &Rational, basis: &mut Basis) -> Option<Rational> {
    if !u.is_polynomial() {
        return None;
    }
    let mut product = Monomial::default();
    let mut powers = Rational::constant(BigRational::one());
    for (m, c) in &u.num.0 {
        if let [(Atom::Log(i), e)] = m.0.as_slice() {
            if e.is_one() {
                let a = basis.log_list[*i as usize].clone();
                let power = if c.is_integer() {
                    a.pow(c, &LIMITS)?
                } else {
                    root_form(&a, c, basis)?
                };
                powers = powers.mul(&power, &LIMITS)?;
                continue;
            }
        }
        let next = basis.exps.len() as u32;
        let index = *basis.exps.entry(m.clone()).or_insert(next);
        if index == next {
            basis.exp_list.push(m.clone());
        }
        let (factor, p) = product.mul(&Monomial(vec![(Atom::Exp(index), small(c)?)]))?;
        debug_assert!(factor.is_one());
        product = p;
    }
    Rational::new(
        Poly::monomial(BigRational::one(), product),
        Poly::constant(BigRational::one()),
        &LIMITS,
    )?
    .mul(&powers, &LIMITS)
}

/// `sinh`, `cosh` or `tanh` of `u` by their exponential definitions.
fn hyperbolic_form(f: Func, u: &Rational, basis: &mut Basis) -> Option<Rational> {
    let up = exp_form(u, basis)?;
    let down = exp_form(&u.neg(), basis)?;
    let half = Rational::constant(BigRational::new(1.into(), 2.into()));
    match f {
        Func::Sinh => up.add(&down.neg(), &LIMITS)?.mul(&half, &LIMITS),
        Func::Cosh => up.add(&down, &LIMITS)?.mul(&half, &LIMITS),
        _ => up
            .add(&down.neg(), &LIMITS)?
            .div(&up.add(&down, &LIMITS)?, &LIMITS),
    }
}

/// The atom `ln(v)`; for a positive rational constant, the sum over its prime factors
/// (`ln(12) = 2*ln(2) + ln(3)`).
fn log_atom(v: Rational, basis: &mut Basis) -> Rational {
    if let Some(c) = v.as_constant().filter(|c| c.is_positive() && !c.is_one()) {
        let primes: Option<Vec<(u64, i64)>> = [(c.numer(), 1), (c.denom(), -1)]
            .into_iter()
            .map(|(n, sign)| Some(factorize(n)?.into_iter().map(move |(p, k)| (p, sign * k))))
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.into_iter().flatten().collect());
        if let Some(primes) =
            primes.filter(|f| f.len() > 1 || f.first().is_some_and(|&(_, k)| k != 1))
        {
            let mut sum = Some(Rational::constant(BigRational::zero()));
            for (p, k) in primes {
                let ln = log_atom(
                    Rational::constant(BigRational::from_integer(p.into())),
                    basis,
                );
                let k = Rational::constant(BigRational::from_integer(k.into()));
                sum = sum.and_then(|s| s.add(&ln.mul(&k, &LIMITS)?, &LIMITS));
            }
            if let Some(sum) = sum {
                return sum;
            }
        }
    }
    let next = basis.logs.len() as u32;
    let index = *basis.logs.entry(v.clone()).or_insert(next);
    if index == next {
        basis.log_list.push(v);
    }
    Rational::atom(Atom::Log(index))
}

/// `ln(r)`: split over a single term's factors where that is sound (`ln(c*x^3) = ln(c) +
/// 3*ln(x)` for `c > 0`: the term is positive only where `x` is; `ln(exp(u)) = u`;
/// `ln(sqrt(u)) = ln(u)/2`; not `ln(x^2)` or `ln(x*y)`), else `ln(c) + ln(r/c)` for the positive
/// `c` that makes the leading coefficient `±1`.
fn log_form(r: &Rational, basis: &mut Basis) -> Option<Rational> {
    let lead = r.num.leading()?.1.abs();
    let mut sum = Rational::constant(BigRational::zero());
    if !lead.is_one() {
        sum = log_atom(Rational::constant(lead.clone()), basis);
    }
    if let (true, Some((m, c))) = (r.is_polynomial(), r.num.as_term()) {
        let unknown: Vec<&(Atom, Exp)> = m.0.iter().filter(|(a, _)| !a.non_negative()).collect();
        let splits = c.is_positive()
            && match unknown.as_slice() {
                [] => true,
                [(_, e)] => !e.is_integer() || e.to_integer() % 2 != 0,
                _ => false,
            };
        if splits {
            for &(atom, e) in &m.0 {
                let ln = match atom {
                    Atom::Exp(i) => Rational {
                        num: Poly::monomial(BigRational::one(), basis.exp_list[i as usize].clone()),
                        den: Poly::constant(BigRational::one()),
                    },
                    Atom::Root(i) => {
                        let (u, q) = basis.roots[i as usize].clone();
                        let u = Rational::new(u, Poly::constant(BigRational::one()), &LIMITS)?;
                        log_atom(u, basis).mul(
                            &Rational::constant(BigRational::new(1.into(), q.into())),
                            &LIMITS,
                        )?
                    }
                    Atom::Prime(p) => log_atom(
                        Rational::constant(BigRational::from_integer(p.into())),
                        basis,
                    ),
                    _ => log_atom(Rational::atom(atom), basis),
                };
                let e = BigRational::new((*e.numer()).into(), (*e.denom()).into());
                sum = sum.add(&ln.mul(&Rational::constant(e), &LIMITS)?, &LIMITS)?;
            }
            return Some(sum);
        }
    }
    let v = Rational {
        num: r.num.scale(&lead.recip()),
        den: r.den.clone(),
    };
    sum.add(&log_atom(v, basis), &LIMITS)
}

/// A complex polynomial `re + i*im`.
#[derive(Clone)]
struct Complex {
    re: Poly,
    im: Poly,
}

impl Complex {
    fn mul(&self, other: &Complex) -> Option<Complex> {
        let re = self
            .re
            .mul(&other.re, &LIMITS)?
            .add(&self.im.mul(&other.im, &LIMITS)?.neg(), &LIMITS)?;
        let im = self
            .re
            .mul(&other.im, &LIMITS)?
            .add(&self.im.mul(&other.re, &LIMITS)?, &LIMITS)?;
        Some(Complex { re, im })
    }
}

/// `(1 + i*t)^(2k)` for `k > 0`, `(1 - i*t)^(2|k|)` for `k < 0`: `e^(ikθ)` times `(1 + t²)^|k|`
/// for `t = tan(θ/2)`.
fn half_angle_power(t: Atom, k: i64) -> Complex {
    let n = 2 * k.unsigned_abs();
    let mut re = Poly::zero();
    let mut im = Poly::zero();
    let mut binomial = BigInt::one();
    for j in 0..=n {
        // C(n, j) * (±i t)^j
        let power = if j == 0 {
            Monomial::default()
        } else {
            Monomial(vec![(t, Exp::from(j as i64))])
        };
        let sign = if (j / 2) % 2 == 0 { 1 } else { -1 } * if k < 0 && j % 2 == 1 { -1 } else { 1 };
        let c = BigRational::from_integer(&binomial * BigInt::from(sign));
        // Distinct powers of t: each term is inserted once.
        if j % 2 == 0 {
            re.0.insert(power, c);
        } else {
            im.0.insert(power, c);
        }
        binomial = binomial * BigInt::from(n - j) / BigInt::from(j + 1);
    }
    Complex { re, im }
}

/// `cos(c*pi) + i*sin(c*pi)` for `c` a multiple of 1/4 or 1/6 (values in `Q(sqrt(2), sqrt(3))`).
fn exact_phase(c: &BigRational) -> Option<Complex> {
    let twelfths = c * BigRational::from_integer(12.into());
    if !twelfths.is_integer() {
        return None;
    }
    let n = twelfths
        .to_integer()
        .mod_floor(&BigInt::from(24))
        .to_i64()?;
    // cos(n*pi/12) for n = 0..=12, where it is exact here.
    let cos = |n: i64| -> Option<Poly> {
        let n = if n > 12 { 24 - n } else { n };
        let (sign, n) = if n > 6 { (-1, 12 - n) } else { (1, n) };
        let half = BigRational::new(sign.into(), 2.into());
        let value = match n {
            0 => Rational::constant(BigRational::from_integer(sign.into())),
            2 | 3 => Rational::constant(BigRational::from_integer((5 - n).into()))
                .pow(&BigRational::new(1.into(), 2.into()), &LIMITS)?
                .mul(&Rational::constant(half), &LIMITS)?,
            4 => Rational::constant(half),
            6 => Rational::constant(BigRational::zero()),
            _ => return None,
        };
        Some(value.num)
    };
    Some(Complex {
        re: cos(n)?,
        im: cos((6 - n).rem_euclid(24))?,
    })
}

/// `sin`, `cos` or `tan` of the polynomial `u`, as a rational function of half-angle tangents.
fn trigonometric_form(f: Func, u: &Rational, basis: &Basis) -> Option<Rational> {
    if !u.is_polynomial() || u.num.is_zero() {
        return None;
    }
    let one = Poly::constant(BigRational::one());
    let mut phase = Complex {
        re: one.clone(),
        im: Poly::zero(),
    };
    let mut den = one.clone();
    for (m, c) in &u.num.0 {
        if basis.pi.as_ref() == Some(m) {
            phase = phase.mul(&exact_phase(c)?)?;
            continue;
        }
        let &(index, l) = basis.angles.get(m)?;
        let k = c * BigRational::from_integer(l.into());
        if !k.is_integer() {
            return None;
        }
        let k = k.to_integer().to_i64()?;
        if k == 0 || k.abs() > MAX_MULTIPLE {
            return None;
        }
        let t = Atom::HalfTan(index);
        phase = phase.mul(&half_angle_power(t, k))?;
        let one_plus_t2 = one.add(
            &Poly::monomial(BigRational::one(), Monomial(vec![(t, Exp::from(2))])),
            &LIMITS,
        )?;
        den = den.mul(&one_plus_t2.pow(k.unsigned_abs() as u32, &LIMITS)?, &LIMITS)?;
    }
    match f {
        Func::Sin => Rational::new(phase.im, den, &LIMITS),
        Func::Cos => Rational::new(phase.re, den, &LIMITS),
        _ => Rational::new(phase.im, phase.re, &LIMITS),
    }
}

/// `r^e` for a non-integer `e`: through [`Rational::pow`] for a monomial, else a root atom.
fn root_form(r: &Rational, e: &BigRational, basis: &mut Basis) -> Option<Rational> {
    if let Some(p) = r.pow(e, &LIMITS) {
        return Some(p);
    }
    if !r.is_polynomial() || r.num.term_count() < 2 {
        return None;
    }
    let (p, q) = (e.numer().to_i64()?, e.denom().to_i64()?);
    if q > LIMITS.exponent_denominator {
        return None;
    }
    let lead = r.num.leading()?.1.abs();
    let u = r.num.scale(&lead.recip());
    let next = basis.roots.len() as u32;
    let index = *basis.root_index.entry((u.clone(), q)).or_insert(next);
    if index == next {
        basis.roots.push((u, q));
    }
    let scale = Rational::constant(lead).pow(e, &LIMITS)?;
    let root = Rational::new(
        Poly::monomial(
            BigRational::one(),
            Monomial(vec![(Atom::Root(index), Exp::from(p))]),
        ),
        Poly::constant(BigRational::one()),
        &LIMITS,
    )?;
    scale.mul(&root, &LIMITS)
}

/// True when some root atom's exponent is outside `[0, q)`.
fn unreduced(p: &Poly, basis: &Basis) -> bool {
    p.0.keys().any(|m| {
        m.0.iter().any(|&(a, e)| match a {
            Atom::Root(i) => {
                !e.is_integer() || e.is_negative() || e >= Exp::from(basis.roots[i as usize].1)
            }
            _ => false,
        })
    })
}

/// `r` with every root atom's exponent reduced into `[0, q)` by `R^q = u`.
fn reduce_roots(mut r: Rational, basis: &Basis) -> Option<Rational> {
    for _ in 0..4 {
        if !unreduced(&r.num, basis) && !unreduced(&r.den, basis) {
            return Some(r);
        }
        r = reduce_poly(&r.num, basis)?.div(&reduce_poly(&r.den, basis)?, &LIMITS)?;
    }
    None
}

fn reduce_poly(p: &Poly, basis: &Basis) -> Option<Rational> {
    let mut sum = Rational::constant(BigRational::zero());
    for (m, c) in &p.0 {
        let mut rest = Vec::new();
        let mut term = Rational::constant(BigRational::one());
        for &(a, e) in &m.0 {
            let Atom::Root(i) = a else {
                rest.push((a, e));
                continue;
            };
            if !e.is_integer() {
                return None;
            }
            let (u, q) = &basis.roots[i as usize];
            let (k, r) = e.to_integer().div_mod_floor(q);
            if r != 0 {
                rest.push((a, Exp::from(r)));
            }
            if k != 0 {
                let power = u.pow(k.unsigned_abs() as u32, &LIMITS)?;
                let one = Poly::constant(BigRational::one());
                let factor = if k > 0 {
                    Rational::new(power, one, &LIMITS)?
                } else {
                    Rational::new(one, power, &LIMITS)?
                };
                term = term.mul(&factor, &LIMITS)?;
            }
        }
        let monomial = Rational::new(
            Poly::monomial(c.clone(), Monomial(rest)),
            Poly::constant(BigRational::one()),
            &LIMITS,
        )?;
        sum = sum.add(&term.mul(&monomial, &LIMITS)?, &LIMITS)?;
    }
    Some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::MathAnalysis;

    fn constant_of(text: &str) -> Option<String> {
        let expr = symdiff_expr::parse(text).unwrap();
        let rec = symdiff_expr::to_recexpr_many(&[expr]);
        let mut egraph = MathGraph::new(MathAnalysis);
        let root = egraph.add_expr(&rec.0);
        egraph.rebuild();
        prove_constants(&mut egraph, None);
        let root = egraph.find(root);
        egraph[root].data.constant.as_ref().map(|c| c.to_string())
    }

    #[test]
    fn identities_are_constants() {
        for text in [
            "sin(x)^2 + cos(x)^2 - 1",
            "sin(2*x) - 2*sin(x)*cos(x)",
            "cos(3*x) - 4*cos(x)^3 + 3*cos(x)",
            "sin(x/2)^2 - (1 - cos(x))/2",
            "tan(x)*cos(x) - sin(x)",
            "sin(x + y) - sin(x)*cos(y) - cos(x)*sin(y)",
            "sin(2*x)*cos(3*x) - (sin(5*x) - sin(x))/2",
            "exp(x)*exp(y) - exp(x + y)",
            "exp(x)^2 - exp(2*x)",
            "exp(x/2)^2 - exp(x)",
            "cosh(x)^2 - sinh(x)^2",
            "tanh(x) - sinh(x)/cosh(x)",
            "exp(x)/(cosh(x) + sinh(x))",
            "exp(2*ln(x)) - x^2",
            "exp(ln(x)/2) - sqrt(x)",
            "exp(3*ln(x + 1) + x) - (x + 1)^3*exp(x)",
            "e^(2*x) - exp(x)^2",
            "5^x*ln(5) - exp(x*ln(5))*ln(5)",
            "ln(x + sqrt(x^2 + 1)) - asinh(x)",
            "(ln(1 + x) - ln(1 - x))/2 - atanh(x)",
            "ln(3*x)^2 - (ln(3) + ln(x))^2",
            "ln(sqrt(x)) - ln(x)/2",
            "ln(exp(x)*x^3) - x - 3*ln(x)",
            "2^x*3^x - exp(x*ln(6))",
            "exp(exp(2*ln(x))) - exp(x^2)",
            "asin(exp(ln(x)/2)) - asin(sqrt(x))",
            "atan(x/2) - atan(0.5*x)",
            "sin(x + pi/2) - cos(x)",
            "sqrt(2)*sin(x + pi/4) - sin(x) - cos(x)",
            "cos(x - pi/3) - cos(x)/2 - sqrt(3)*sin(x)/2",
            "sin(x + pi) + sin(x)",
            "sqrt(x + 1)^3 - (x + 1)*sqrt(x + 1)",
            "1/sqrt(x + 1) - sqrt(x + 1)/(x + 1)",
            "(2*x + 2)^(3/2) - 2*sqrt(2)*(x + 1)*sqrt(x + 1)",
            "(1 + x/sqrt(x^2 + 1))/(x + sqrt(x^2 + 1)) - 1/sqrt(x^2 + 1)",
        ] {
            let want = if text.starts_with("cosh(x)^2") || text.starts_with("exp(x)/(") {
                "1"
            } else {
                "0"
            };
            assert_eq!(constant_of(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn non_identities_are_not() {
        for text in [
            "sqrt(x^2) - x",
            "ln(x^2) - 2*ln(x)",
            "atan(x) + atan(1/x) - pi/2",
            "sin(x)^2 - cos(x)^2",
            "exp(x)*exp(y) - exp(x*y)",
            "sqrt(x*y) - sqrt(x)*sqrt(y)",
            "(x^2)^(1/2) - x",
            "sin(x + 1) - sin(x) - sin(1)",
            "sqrt((x + 1)^2) - x - 1",
            "exp(2*ln(x)) - x^3",
            "2^x - exp(x*ln(3))*ln(2)",
            "ln(x^2) - 2*ln(x)",
            "ln(x*y) - ln(x) - ln(y)",
            "ln(-x) - ln(x)",
            "sin(x + pi/4) - sin(x) - cos(x)",
            "sin(x + 1) - sin(x)",
        ] {
            assert_eq!(constant_of(text), None, "{text}");
        }
    }
}
