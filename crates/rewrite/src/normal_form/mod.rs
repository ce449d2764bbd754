//! Canonical forms without associativity/commutativity blow-up: a pass over the e-graph that
//! gives every class a bounded *normal form* (a [rational function](rational::Rational) over the
//! exact rationals in opaque atoms), adds that form's own expression to the class (collected,
//! with integer powers and rational coefficients, plus a variant with the common monomial
//! factor pulled out) and so merges every two classes whose normal forms are equal: the
//! built expressions are hash-consed, so equal forms land in one class.
//!
//! What counts as an atom: any class that is not built from `+ - * /`, `neg`, constants,
//! constant powers and `sqrt` — variables, `pi`, `sin(x)`, `x^y`, and any function the language
//! gains — identified by its canonical class id. A class holding both an arithmetic node and
//! an opaque one takes the arithmetic form (so `tan(x)`, once a rule has put `sin(x)/cos(x)` in
//! its class, is `sin(x)*cos(x)^(-1)`). Squares of `cos(a)` and `cosh(a)` are reduced by
//! `cos^2 = 1 - sin^2` and `cosh^2 = 1 + sinh^2` when `sin(a)`/`sinh(a)` is in the e-graph, so
//! Pythagorean identities hold in any arrangement.
//!
//! The pass is bounded: forms past [`Limits`] are not computed (the class stays an atom), and
//! each class's form is built at most once per change. Expanded forms are only *candidates*:
//! extraction keeps a factored, shared form unless the expanded one is smaller.

mod collected;
mod poly;
mod rational;
mod zero_test;

pub(crate) use zero_test::prove_constants;

use crate::analysis::MathGraph;
use egg::{Id, Language};
use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use poly::{Atom, Exp, Limits, Monomial, Poly};
use rational::Rational;
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use symdiff_expr::{BinOp, Constant, Func, Math, Shape};

/// A class's current form, by class id.
type FormOf<'f> = dyn Fn(Id) -> &'f Rational + 'f;

/// How good a class's normal form is: lower is better (constants, then arithmetic forms with
/// fewer terms; the class's own atom last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    opaque: bool,
    terms: usize,
}

/// The normal-form pass with its memory of what it already added (so a class's form is built
/// once, not once per iteration).
///
/// ```
/// use symdiff_rewrite::{MathAnalysis, MathGraph, NormalForms};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let a = egraph.add_expr(&"(- (* (+ x 1) (+ x 1)) (+ (* x x) (+ (* 2 x) 1)))".parse().unwrap());
/// egraph.rebuild();
/// NormalForms::default().apply(&mut egraph, None);
/// assert_eq!(egraph[a].data.constant.as_ref().map(|c| c.to_string()), Some("0".into()));
/// ```
#[derive(Debug, Clone, Default)]
pub struct NormalForms {
    limits: Limits,
    /// The normal forms already added, by class.
    built: HashSet<(Id, Rational)>,
    /// The [collected forms](collected) already added, by class.
    collected: HashSet<(Id, Rational)>,
}

/// The largest normal-form expression (in tree nodes, atoms counted once) added to a class:
/// larger collected forms are expansions that extraction would not pick anyway, and adding
/// them feeds the commutativity rules.
const MAX_BUILT_SIZE: usize = 16;

impl NormalForms {
    /// Computes every class's normal form (stopping at `deadline`, with what it has), unions
    /// the classes whose forms are equal, adds the small forms' expressions (and their
    /// factored variants), rebuilds, then does the same with the [collected
    /// forms](collected). Returns how many classes received a new form.
    pub fn apply(&mut self, egraph: &mut MathGraph, deadline: Option<Instant>) -> usize {
        let limits = self.limits;
        // Collected forms first: on a fresh e-graph of one expression (a round of `run`),
        // every class has one node, so they follow the expression as written.
        let forms = collected::collected_forms(egraph, &limits, deadline);
        let mut added = add_forms(egraph, forms, &mut self.collected, |_, _| None);
        let forms = normal_forms(egraph, &limits, deadline);
        added += add_forms(egraph, forms, &mut self.built, |egraph, form| {
            build_factored(egraph, form, &limits)
        });
        added
    }
}

/// Unions the classes whose forms are equal, and each class with its form's expression when
/// that is small (and with `variant`'s, if any) unless `built` says it was added already;
/// rebuilds. Returns how many classes received a new form.
fn add_forms(
    egraph: &mut MathGraph,
    forms: Vec<(Id, Rational)>,
    built: &mut HashSet<(Id, Rational)>,
    variant: impl Fn(&mut MathGraph, &Rational) -> Option<Id>,
) -> usize {
    let mut by_form: HashMap<Rational, Id> = HashMap::new();
    let mut added = 0;
    for (id, form) in forms {
        let id = egraph.find(id);
        if egraph[id].data.constant.is_some() {
            continue;
        }
        match by_form.entry(form.clone()) {
            std::collections::hash_map::Entry::Occupied(o) => {
                egraph.union(*o.get(), id);
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
            }
        }
        if built.contains(&(id, form.clone())) {
            continue;
        }
        if let Some(c) = form.as_constant() {
            let c = num(egraph, c);
            egraph.union(id, c);
        } else if built_size(&form) <= MAX_BUILT_SIZE {
            let expression = build_rational(egraph, &form);
            egraph.union(id, expression);
            if let Some(other) = variant(egraph, &form) {
                egraph.union(id, other);
            }
        }
        built.insert((id, form));
        added += 1;
    }
    egraph.rebuild();
    added
}

/// About how many tree nodes [`build_rational`] makes (atoms count 1).
fn built_size(form: &Rational) -> usize {
    let poly = |p: &Poly| -> usize {
        p.0.keys()
            .map(|m| {
                2 + m
                    .0
                    .iter()
                    .map(|(_, e)| if e.is_one() { 2 } else { 3 })
                    .sum::<usize>()
            })
            .sum()
    };
    poly(&form.num)
        + if form.is_polynomial() {
            0
        } else {
            1 + poly(&form.den)
        }
}

/// The normal form of every class that has an arithmetic one (not just its own atom).
fn normal_forms(
    egraph: &MathGraph,
    limits: &Limits,
    deadline: Option<Instant>,
) -> Vec<(Id, Rational)> {
    let squares = square_identities(egraph);
    class_forms(
        egraph,
        deadline,
        |node| arithmetic(egraph, node),
        |node, form_of| {
            let form = node_form(node, form_of, limits)?;
            reduce_squares(&form, &squares, limits)
        },
    )
}

/// The best form of every class that has one besides its own atom, by a bottom-up worklist:
/// each node that `accepts` is given a form by `node_form` from its children's current forms
/// (a class without one is its own atom), and a class keeps its best form (fewest terms, or
/// the recomputed form of the node that gave it); a class whose form changes requeues its
/// parents. Bounded by a budget of node visits and the
/// deadline.
fn class_forms(
    egraph: &MathGraph,
    deadline: Option<Instant>,
    accepts: impl Fn(&Math) -> bool,
    node_form: impl for<'f> Fn(&Math, &FormOf<'f>) -> Option<Rational>,
) -> Vec<(Id, Rational)> {
    let mut classes: Vec<Id> = egraph.classes().map(|c| c.id).collect();
    classes.sort();
    let index: HashMap<Id, usize> = classes.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut forms: Vec<(Rank, Rational)> = classes
        .iter()
        .map(|&id| {
            (
                Rank {
                    opaque: true,
                    terms: 1,
                },
                Rational::atom(Atom::Class(id)),
            )
        })
        .collect();
    // Accepted nodes as (class, node); parents of each class.
    let mut nodes: Vec<(usize, &Math)> = Vec::new();
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
    for (ci, &id) in classes.iter().enumerate() {
        for node in &egraph[id].nodes {
            if accepts(node) {
                let ni = nodes.len();
                nodes.push((ci, node));
                for &c in node.children() {
                    parents[index[&egraph.find(c)]].push(ni);
                }
            }
        }
    }
    let mut queue: std::collections::VecDeque<usize> = (0..nodes.len()).collect();
    let mut queued = vec![true; nodes.len()];
    let mut source: Vec<Option<usize>> = vec![None; classes.len()];
    let mut budget = nodes.len().saturating_mul(8) + 64;
    while let Some(ni) = queue.pop_front() {
        queued[ni] = false;
        if budget == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        budget -= 1;
        let (ci, node) = nodes[ni];
        let form_of = |id: Id| &forms[index[&egraph.find(id)]].1;
        let Some(form) = node_form(node, &form_of) else {
            continue;
        };
        let own = Atom::Class(classes[ci]);
        if form.num.atoms().contains(&own) || form.den.atoms().contains(&own) {
            continue; // `C = q*C` says nothing
        }
        let rank = Rank {
            opaque: false,
            terms: form.terms(),
        };
        // A better form wins; the node that gave the current form replaces it with its
        // recomputed one (its children's forms changed, so the old one may be stale: a product
        // of atoms that are now sums).
        let improves = rank < forms[ci].0;
        if (improves || source[ci] == Some(ni)) && forms[ci].1 != form {
            forms[ci] = (rank, form);
            source[ci] = Some(ni);
            for &p in &parents[ci] {
                if !queued[p] {
                    queued[p] = true;
                    queue.push_back(p);
                }
            }
        }
    }
    classes
        .into_iter()
        .zip(forms)
        .filter(|(_, (rank, _))| !rank.opaque)
        .map(|(id, (_, form))| (id, form))
        .collect()
}

/// True for the nodes a normal form is computed from.
fn arithmetic(egraph: &MathGraph, node: &Math) -> bool {
    match node.shape() {
        Shape::Num(_) | Shape::Neg(_) | Shape::Call(Func::Sqrt, _) => true,
        Shape::Binary(BinOp::Pow, _, b) => egraph[b].data.constant.is_some(),
        Shape::Binary(..) => true,
        _ => false,
    }
}

/// The normal form of one arithmetic node, given its children's.
fn node_form(node: &Math, form: &FormOf<'_>, limits: &Limits) -> Option<Rational> {
    match node.shape() {
        Shape::Num(c) => Some(Rational::constant(c.value().clone())),
        Shape::Neg(a) => Some(form(a).neg()),
        Shape::Call(Func::Sqrt, a) => form(a).pow(&BigRational::new(1.into(), 2.into()), limits),
        Shape::Binary(op, a, b) => {
            let (a, b) = (form(a), form(b));
            match op {
                BinOp::Add => a.add(b, limits),
                BinOp::Sub => a.add(&b.neg(), limits),
                BinOp::Mul => a.mul(b, limits),
                BinOp::Div => a.div(b, limits),
                BinOp::Pow => a.pow(&b.as_constant()?, limits),
            }
        }
        _ => None,
    }
}

/// `cos(a)` class → (`sin(a)` class, sign of `sin^2` in `cos^2 = 1 ∓ sin^2`), likewise
/// `cosh(a)` → `sinh(a)` with `+`.
fn square_identities(egraph: &MathGraph) -> HashMap<Atom, (Atom, BigRational)> {
    let mut out = HashMap::new();
    for class in egraph.classes() {
        for node in &class.nodes {
            let (partner, sign) = match node.shape() {
                Shape::Call(Func::Cos, a) => (Func::Sin.node(a), -1),
                Shape::Call(Func::Cosh, a) => (Func::Sinh.node(a), 1),
                _ => continue,
            };
            if let Some(s) = egraph.lookup(partner) {
                out.insert(
                    Atom::Class(class.id),
                    (
                        Atom::Class(egraph.find(s)),
                        BigRational::from_integer(sign.into()),
                    ),
                );
            }
        }
    }
    out
}

/// Rewrites `c^(2k+r)` as `c^r (1 ∓ s^2)^k` for every paired atom `c` (see
/// [`square_identities`]): the remainder by one binomial relation, hence canonical.
fn reduce_squares(
    form: &Rational,
    squares: &HashMap<Atom, (Atom, BigRational)>,
    limits: &Limits,
) -> Option<Rational> {
    let reduce = |p: &Poly| -> Option<Poly> {
        let mut out = Poly::zero();
        for (m, c) in &p.0 {
            let mut factor = Poly::constant(c.clone());
            let mut rest = Vec::new();
            for &(a, e) in &m.0 {
                match squares.get(&a) {
                    Some((s, sign)) if e.is_integer() && e >= Exp::from(2) => {
                        let (k, r) = e.to_integer().div_rem(&2);
                        let one_pm_s2 = Poly::constant(BigRational::one()).add(
                            &Poly::monomial(sign.clone(), Monomial(vec![(*s, Exp::from(2))])),
                            limits,
                        )?;
                        factor = factor.mul(&one_pm_s2.pow(k as u32, limits)?, limits)?;
                        if r != 0 {
                            rest.push((a, Exp::from(r)));
                        }
                    }
                    _ => rest.push((a, e)),
                }
            }
            let term = factor.mul_term(&BigRational::one(), &Monomial(rest), limits)?;
            out = out.add(&term, limits)?;
        }
        Some(out)
    };
    let touches = |p: &Poly| p.atoms().iter().any(|a| squares.contains_key(a));
    if !touches(&form.num) && !touches(&form.den) {
        return Some(form.clone());
    }
    Rational::new(reduce(&form.num)?, reduce(&form.den)?, limits)
}

fn num(egraph: &mut MathGraph, c: BigRational) -> Id {
    egraph.add(Math::Num(Constant::new(c)))
}

/// `atom^e` for `e > 0`: `a`, `sqrt(a)` or `a^e`.
fn build_power(egraph: &mut MathGraph, atom: Atom, e: Exp) -> Id {
    let base = match atom {
        Atom::Class(id) => egraph.find(id),
        Atom::Prime(p) => num(egraph, BigRational::from_integer(BigInt::from(p))),
        Atom::Exp(_) | Atom::HalfTan(_) | Atom::Root(_) | Atom::Log(_) | Atom::Apply(_) => {
            unreachable!("zero-test atoms only occur in zero-test forms, which are never built")
        }
    };
    if e.is_one() {
        base
    } else if e == Exp::new(1, 2) {
        egraph.add(Math::Sqrt(base))
    } else {
        let exponent = num(
            egraph,
            BigRational::new((*e.numer()).into(), (*e.denom()).into()),
        );
        egraph.add(Math::Pow([base, exponent]))
    }
}

/// `first * f1 * f2 * ...`, grouped from the left as the parser groups `3*x*y`, so that
/// `8*x*(4 - 4*x)` shares `8*x` with `4 - 8*x`.
fn product(egraph: &mut MathGraph, first: Option<Id>, factors: &[(Atom, Exp)]) -> Option<Id> {
    let mut acc: Option<Id> = first;
    for &(a, e) in factors {
        let f = build_power(egraph, a, e);
        acc = Some(match acc {
            None => f,
            Some(l) => egraph.add(Math::Mul([l, f])),
        });
    }
    acc
}

/// `c * m` for `c > 0`: `3*x*y`, `x/2`, `3/4*x`, `y/x^2`, `sqrt(2)/24`.
fn build_term(egraph: &mut MathGraph, c: &BigRational, m: &Monomial) -> Id {
    let up: Vec<(Atom, Exp)> =
        m.0.iter()
            .filter(|(_, e)| e.is_positive())
            .copied()
            .collect();
    let down: Vec<(Atom, Exp)> =
        m.0.iter()
            .filter(|(_, e)| e.is_negative())
            .map(|&(a, e)| (a, -e))
            .collect();
    let (p, q) = (c.numer().clone(), c.denom().clone());
    let whole = |egraph: &mut MathGraph, n: BigInt| num(egraph, BigRational::from_integer(n));
    // A coefficient p/q with p != 1 and nothing to divide by stays one constant: `3/4*x`.
    if down.is_empty() && !q.is_one() && !p.is_one() {
        let k = num(egraph, c.clone());
        return product(egraph, Some(k), &up).expect("a coefficient");
    }
    let k = (!p.is_one()).then(|| whole(egraph, p));
    let top = product(egraph, k, &up).unwrap_or_else(|| whole(egraph, BigInt::one()));
    let k = (!q.is_one()).then(|| whole(egraph, q));
    let bottom = product(egraph, k, &down);
    match bottom {
        Some(b) => egraph.add(Math::Div([top, b])),
        None => top,
    }
}

/// A sum in descending order, with a positive term first when there is one: `4 - 8*x`,
/// `x^2 - 2*x + 1`.
fn build_poly(egraph: &mut MathGraph, p: &Poly) -> Id {
    let mut terms = p.sorted_terms();
    if terms.is_empty() {
        return num(egraph, BigRational::zero());
    }
    if terms[0].1.is_negative() {
        if let Some(i) = terms.iter().position(|(_, c)| c.is_positive()) {
            let t = terms.remove(i);
            terms.insert(0, t);
        }
    }
    let mut acc: Option<Id> = None;
    for (m, c) in terms {
        let t = build_term(egraph, &c.abs(), m);
        acc = Some(match (acc, c.is_negative()) {
            (None, false) => t,
            (None, true) => egraph.add(Math::Neg(t)),
            (Some(a), false) => egraph.add(Math::Add([a, t])),
            (Some(a), true) => egraph.add(Math::Sub([a, t])),
        });
    }
    acc.expect("at least one term")
}

fn build_rational(egraph: &mut MathGraph, r: &Rational) -> Id {
    let top = build_poly(egraph, &r.num);
    if r.is_polynomial() {
        top
    } else {
        let bottom = build_poly(egraph, &r.den);
        egraph.add(Math::Div([top, bottom]))
    }
}

/// The numerator with its common monomial factor and coefficient gcd pulled out
/// (`4*x*(1 - x)` for `4*x - 4*x^2`), when there is one to pull out.
fn build_factored(egraph: &mut MathGraph, r: &Rational, limits: &Limits) -> Option<Id> {
    if r.num.term_count() < 2 {
        return None;
    }
    let content = r.num.monomial_content();
    let mut gcd = BigInt::zero();
    let mut lcm = BigInt::one();
    for c in r.num.0.values() {
        gcd = gcd.gcd(c.numer());
        lcm = lcm.lcm(c.denom());
    }
    let mut k = BigRational::new(gcd, lcm);
    if r.num.leading().is_some_and(|(_, c)| c.is_negative()) {
        k = -k;
    }
    if content.0.is_empty() && k.is_one() {
        return None;
    }
    let inverse = Monomial(content.0.iter().map(|&(a, e)| (a, -e)).collect());
    let rest = r.num.mul_term(&k.recip(), &inverse, limits)?;
    let factor = if k.is_negative() {
        let t = build_term(egraph, &-k.clone(), &content);
        egraph.add(Math::Neg(t))
    } else {
        build_term(egraph, &k, &content)
    };
    let rest = build_poly(egraph, &rest);
    let top = egraph.add(Math::Mul([factor, rest]));
    Some(if r.is_polynomial() {
        top
    } else {
        let bottom = build_poly(egraph, &r.den);
        egraph.add(Math::Div([top, bottom]))
    })
}
