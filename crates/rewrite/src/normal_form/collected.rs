//! Collected forms: like terms and repeated factors gathered *without* expanding a product of
//! sums. A sum's terms are products of factors; a factor that is itself a sum stays one
//! opaque atom (its e-class), so `4 - t - t` with `t = 4*x*(4 - 4*x)` is `4 - 8*x*A` for the
//! class `A` of `4 - 4*x`, `x*(3*x)` is `3*x^2`, and `(x^2 + 1)*((x^2 + 1)*(6*x))` is
//! `6*x*B^2`. These are the forms people write (SymPy's automatic collection does the same),
//! and unlike the expanded [normal forms](super) they never multiply out a factored,
//! well-conditioned product.
//!
//! Soundness: equal collected forms are equal rational functions of the same atoms, so the
//! classes are equal wherever they are defined (as for the normal forms: `x/x` cancels where
//! it is defined).

use super::poly::{Atom, Limits};
use super::rational::Rational;
use super::{arithmetic, class_forms};
use crate::analysis::MathGraph;
use egg::Id;
use std::collections::HashMap;
use std::time::Instant;
use symdiff_expr::{BinOp, Math, Shape};

/// The collected forms of every class: the form of each of its arithmetic nodes (distinct
/// ones, not the class's own atom), given its children's forms. A child's form is its class's
/// fewest-term form, found by the [bottom-up worklist](class_forms), so `t` above is the one
/// term `4*x*A` however many expanded variants its class also holds.
pub(super) fn collected_forms(
    egraph: &MathGraph,
    limits: &Limits,
    deadline: Option<Instant>,
) -> Vec<(Id, Rational)> {
    // A factor: its form when that is one term, else its class as an atom.
    let factor_of = |form: &Rational, id: Id| -> Rational {
        if form.is_polynomial() && form.num.term_count() <= 1 {
            form.clone()
        } else {
            Rational::atom(Atom::Class(egraph.find(id)))
        }
    };
    let best: HashMap<Id, Rational> = class_forms(
        egraph,
        deadline,
        |node| arithmetic(egraph, node),
        |node, form_of| {
            let term = |id: Id| form_of(id).clone();
            let factor = |id: Id| factor_of(form_of(id), id);
            collected_form(egraph, node, &term, &factor, limits)
        },
    )
    .into_iter()
    .collect();
    let term = |id: Id| {
        let id = egraph.find(id);
        best.get(&id)
            .cloned()
            .unwrap_or_else(|| Rational::atom(Atom::Class(id)))
    };
    let factor = |id: Id| factor_of(&term(id), id);
    let mut out = Vec::new();
    for class in egraph.classes() {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let own = Atom::Class(class.id);
        let mut seen: Vec<Rational> = Vec::new();
        for node in class.nodes.iter().filter(|n| arithmetic(egraph, n)) {
            let Some(form) = collected_form(egraph, node, &term, &factor, limits) else {
                continue;
            };
            if form.num.atoms().contains(&own) || seen.contains(&form) {
                continue; // `C = q*C` says nothing
            }
            seen.push(form.clone());
            out.push((class.id, form));
        }
    }
    out
}

/// The collected form of one node, given its children's forms (`term`) and their forms as
/// factors (`factor`).
fn collected_form(
    egraph: &MathGraph,
    node: &Math,
    term: &dyn Fn(Id) -> Rational,
    factor: &dyn Fn(Id) -> Rational,
    limits: &Limits,
) -> Option<Rational> {
    match node.shape() {
        Shape::Num(c) => Some(Rational::constant(c.value().clone())),
        Shape::Neg(a) => Some(term(a).neg()),
        Shape::Binary(BinOp::Add, a, b) => term(a).add(&term(b), limits),
        Shape::Binary(BinOp::Sub, a, b) => term(a).add(&term(b).neg(), limits),
        Shape::Binary(BinOp::Mul, a, b) => factor(a).mul(&factor(b), limits),
        Shape::Binary(BinOp::Div, a, b) => factor(a).div(&factor(b), limits),
        Shape::Binary(BinOp::Pow, a, b) => {
            let e = egraph[b].data.constant.as_ref()?.value().clone();
            if !e.is_integer() {
                return None;
            }
            factor(a).pow(&e, limits)
        }
        _ => None,
    }
}
