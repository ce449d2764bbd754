//! Local derivatives of one operator, read off the one table of
//! [differentiation rules](crate::DIFFERENTIATION).
//!
//! Every rule's right side is linear in the derivatives `d ?x ?a` of the operator's operands.
//! Instantiating it with each `d ?x ?a` replaced by a given expression gives:
//!
//! - the **local partial** with respect to operand `k` (reverse mode): `d` of operand `k` is 1,
//!   every other `d` is 0;
//! - the **tangent** of the node (forward mode): `d` of each operand is that operand's tangent.
//!
//! The rule is chosen as the forward driver would choose it: the first rule of the table whose
//! left side matches the operator and whose guard holds, where "operand `a` depends on the
//! variable" (the `Free`/`NotFree` guards) means "operand `a`'s derivative is not zero". So the
//! partial of `a^c` with respect to `a` comes from `d-pow-const` (`c·a^(c-1)`), and with respect
//! to `c` from `d-pow` (`a^c·ln a`); an operand whose `d` does not occur in the right side (the
//! condition of an `if`) receives nothing. Forward `d`, reverse gradients and the sweeps built on
//! them can therefore never disagree about a derivative formula.

use crate::dag::{Dag, Signed};
use crate::error::DiffError;
use crate::rules::{CompiledRule, Guard, DIFFERENTIATION};
use egg::{ENodeOrVar, Id, Language, Var};
use smallvec::SmallVec;
use std::borrow::Cow;
use std::collections::HashMap;
use std::mem::Discriminant;
use std::sync::LazyLock;
use symdiff_expr::Math;

/// A differentiation rule read as a formula linear in the operands' derivatives.
struct LinearRule {
    rule: CompiledRule,
    /// The rule's variable `?x`.
    x: Var,
    /// The operator matched (`None` for rules whose left side is `(d ?x ?e)` or `(d ?x ?x)`).
    operator: Option<Math>,
    /// The pattern variables of the operator's operands, in order (empty without an operator).
    operands: Vec<Var>,
    /// `?e` of a `(d ?x ?e)` rule (the whole expression); `None` for `(d ?x ?x)`.
    whole: Option<Var>,
}

/// The compiled table (see the [module docs](self)).
pub(crate) struct LocalRules {
    rules: Vec<LinearRule>,
    /// For each operator with children: the rules that may apply to it, in table order (a
    /// sweep asks for every node's rules; filtering the whole table each time was a tenth of a
    /// 10^6-node gradient).
    by_operator: HashMap<Discriminant<Math>, Vec<usize>>,
    /// The rules for an operator with children that no rule names (`(d ?x ?e)` rules only).
    whole_only: Vec<usize>,
}

impl LocalRules {
    fn new(rules: Vec<LinearRule>) -> LocalRules {
        let whole = |r: &LinearRule| r.operator.is_none() && r.whole.is_some();
        let mut by_operator: HashMap<Discriminant<Math>, Vec<usize>> = HashMap::new();
        for op in rules.iter().filter_map(|r| r.operator.as_ref()) {
            if op.is_leaf() {
                continue;
            }
            by_operator
                .entry(std::mem::discriminant(op))
                .or_insert_with(|| {
                    (0..rules.len())
                        .filter(|&i| {
                            let r = &rules[i];
                            whole(r) || r.operator.as_ref().is_some_and(|o| o.matches(op))
                        })
                        .collect()
                });
        }
        let whole_only = (0..rules.len()).filter(|&i| whole(&rules[i])).collect();
        LocalRules {
            rules,
            by_operator,
            whole_only,
        }
    }
}

static RULES: LazyLock<Result<LocalRules, String>> = LazyLock::new(|| {
    DIFFERENTIATION
        .iter()
        .map(|spec| LinearRule::new(spec.compile()))
        .collect::<Result<Vec<_>, _>>()
        .map(LocalRules::new)
});

/// The table, or an error naming a rule that is not linear in the operands' derivatives (a bug
/// in the table, caught by the tests).
pub(crate) fn local_rules() -> Result<&'static LocalRules, DiffError> {
    RULES.as_ref().map_err(|e| DiffError::Internal(e.clone()))
}

impl LinearRule {
    fn new(rule: CompiledRule) -> Result<LinearRule, String> {
        let name = rule.spec.name;
        let bad = |why: &str| Err(format!("differentiation rule {name}: {why}"));
        let ast = rule.lhs.ast.as_ref();
        let Some(ENodeOrVar::ENode(Math::D([xv, ev]))) = ast.last() else {
            return bad("the left side is not (d ?x ...)");
        };
        let ENodeOrVar::Var(x) = ast[usize::from(*xv)] else {
            return bad("the variable of d is not a pattern variable");
        };
        let (operator, operands, whole) = match &ast[usize::from(*ev)] {
            ENodeOrVar::Var(v) if *v == x => (None, vec![], None),
            ENodeOrVar::Var(v) => (None, vec![], Some(*v)),
            ENodeOrVar::ENode(op) => {
                let mut operands = Vec::new();
                for &c in op.children() {
                    match ast[usize::from(c)] {
                        ENodeOrVar::Var(v) if v != x && !operands.contains(&v) => operands.push(v),
                        _ => return bad("operands must be distinct pattern variables"),
                    }
                }
                (Some(op.clone()), operands, None)
            }
        };
        // The right side may mention ?x only as the variable of a `d`, and `d` only of an operand.
        let rhs = rule.rhs.ast.as_ref();
        for node in rhs {
            match node {
                ENodeOrVar::Var(v) if *v == x => {}
                ENodeOrVar::ENode(Math::D([xp, ep])) => {
                    if rhs[usize::from(*xp)] != ENodeOrVar::Var(x) {
                        return bad("d of something other than ?x");
                    }
                    match rhs[usize::from(*ep)] {
                        ENodeOrVar::Var(v) if operands.contains(&v) => {}
                        _ => return bad("d of something other than an operand"),
                    }
                }
                _ => {}
            }
        }
        let x_outside_d = rhs.iter().enumerate().any(|(i, node)| {
            *node == ENodeOrVar::Var(x)
                && !rhs.iter().any(
                    |n| matches!(n, ENodeOrVar::ENode(Math::D([xp, _])) if usize::from(*xp) == i),
                )
        });
        if x_outside_d {
            return bad("?x occurs outside a d");
        }
        Ok(LinearRule {
            rule,
            x,
            operator,
            operands,
            whole,
        })
    }
}

/// What varies at one node: which operand slots have a non-zero derivative.
pub(crate) type Active<'a> = &'a [bool];

impl LocalRules {
    /// The indices of the rules that may apply to nodes of this kind, in priority order.
    fn candidates(&self, node: &Math) -> Cow<'_, [usize]> {
        if node.is_leaf() {
            // A leaf's data (a name, a value) takes part in matching.
            let matching = |r: &LinearRule| match &r.operator {
                None => r.whole.is_some(),
                Some(op) => op.matches(node),
            };
            return (0..self.rules.len())
                .filter(|&i| matching(&self.rules[i]))
                .collect();
        }
        let indices = self
            .by_operator
            .get(&std::mem::discriminant(node))
            .unwrap_or(&self.whole_only);
        Cow::Borrowed(indices)
    }

    /// The first rule for `node` (in `dag`) whose guard holds when exactly the operands marked
    /// in `active` depend on the variable.
    fn select(&self, dag: &Dag, node: &Math, active: Active) -> Option<&LinearRule> {
        let children = node.children();
        let candidates = self.candidates(node);
        let mut candidates = candidates.iter().map(|&i| &self.rules[i]);
        candidates.find(|r| {
            let slot = |v: Var| r.operands.iter().position(|&o| o == v);
            let depends = |v: Var| {
                v == r.x
                    || Some(v) == r.whole
                    || slot(v).is_some_and(|k| active.get(k).copied().unwrap_or(false))
            };
            let constant = |v: Var| slot(v).and_then(|k| dag.constant(children[k]));
            match r.rule.guard {
                Guard::Always => true,
                Guard::NotFree(_, v) => !depends(v),
                Guard::Free(_, v) => depends(v),
                Guard::Constant(v) => constant(v).is_some(),
                Guard::NonZeroConstant(v) => constant(v).is_some_and(|c| !c.is_zero()),
                Guard::NotZero(v) => !constant(v).is_some_and(|c| c.is_zero()),
                Guard::Zero(v) => constant(v).is_some_and(|c| c.is_zero()),
            }
        })
    }

    /// The rule's right side for the node `id` of `dag`, with `d` of operand `k` replaced by
    /// `derivative(k)` (`None`: zero). `active[k]` must be `derivative(k).is_some()`.
    ///
    /// Returns `None` when the result is a structural zero.
    pub(crate) fn instantiate(
        &self,
        dag: &mut Dag,
        id: Id,
        active: Active,
        derivative: impl Fn(usize) -> Option<Id>,
    ) -> Result<Option<Id>, DiffError> {
        let value = self.instantiate_signed(dag, id, active, derivative)?;
        Ok(value.map(|v| dag.realize(v)))
    }

    /// [`LocalRules::instantiate`], with a negation at the root of the right side left unbuilt
    /// (a reverse sweep multiplies the partial by an adjoint, which absorbs the sign).
    fn instantiate_signed(
        &self,
        dag: &mut Dag,
        id: Id,
        active: Active,
        derivative: impl Fn(usize) -> Option<Id>,
    ) -> Result<Option<Signed>, DiffError> {
        let node = dag.node(id).clone();
        let rule = self.select(dag, &node, active).ok_or_else(|| {
            DiffError::Internal(format!(
                "no differentiation rule for the operator `{}`",
                node.op_name()
            ))
        })?;
        let children = node.children();
        let rhs = rule.rule.rhs.ast.as_ref();
        let mut ids: SmallVec<[Id; 24]> = SmallVec::with_capacity(rhs.len());
        for pattern in rhs {
            let value = match pattern {
                ENodeOrVar::Var(v) => match rule.operands.iter().position(|o| o == v) {
                    Some(k) => children[k],
                    None if Some(*v) == rule.whole => id,
                    // ?x itself, only ever the first child of a `d` (checked at compile).
                    None => id,
                },
                ENodeOrVar::ENode(Math::D([_, e])) => {
                    let ENodeOrVar::Var(v) = rhs[usize::from(*e)] else {
                        unreachable!("checked when the table was compiled")
                    };
                    let k = rule.operands.iter().position(|&o| o == v);
                    match k.and_then(&derivative) {
                        Some(d) => d,
                        None => dag.num(0),
                    }
                }
                ENodeOrVar::ENode(Math::Neg(a)) if ids.len() + 1 == rhs.len() => {
                    // The root: -a, with the negation unbuilt.
                    let a = ids[usize::from(*a)];
                    let nonzero = dag.constant(a).is_none_or(|c| !c.is_zero());
                    return Ok(nonzero.then_some(Signed::plain(a).negated()));
                }
                ENodeOrVar::ENode(n) => {
                    let n = n.clone().map_children(|c| ids[usize::from(c)]);
                    dag.make(n)
                }
            };
            ids.push(value);
        }
        let root = *ids.last().expect("a pattern is never empty");
        Ok(dag
            .constant(root)
            .is_none_or(|c| !c.is_zero())
            .then_some(Signed::plain(root)))
    }

    /// The local partial derivative of node `id` with respect to its operand slot `k`
    /// (`None`: structurally zero), its outer negation unbuilt.
    pub(crate) fn partial(
        &self,
        dag: &mut Dag,
        id: Id,
        k: usize,
        arity: usize,
    ) -> Result<Option<Signed>, DiffError> {
        let mut active = [false; 8];
        let active = &mut active[..arity.min(8)];
        if k >= active.len() {
            return Err(DiffError::Internal(format!("operand {k} of {arity}")));
        }
        active[k] = true;
        let one = dag.num(1);
        self.instantiate_signed(dag, id, active, |j| (j == k).then_some(one))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::Math;

    #[test]
    fn the_whole_table_is_linear_in_the_derivatives() {
        let rules = local_rules().unwrap();
        assert_eq!(rules.rules.len(), DIFFERENTIATION.len());
    }

    fn partials_of(text: &str) -> Vec<String> {
        let rec: egg::RecExpr<Math> = text.parse().unwrap();
        let (mut dag, ids) = Dag::from_rec(&rec);
        let root = *ids.last().unwrap();
        let arity = dag.node(root).children().len();
        (0..arity)
            .map(|k| {
                let p = local_rules()
                    .unwrap()
                    .partial(&mut dag, root, k, arity)
                    .unwrap();
                match p {
                    None => "0".to_string(),
                    Some(p) => {
                        let p = dag.realize(p);
                        dag.extract(&[p]).rec.to_string()
                    }
                }
            })
            .collect()
    }

    #[test]
    fn partials_come_from_the_rules() {
        assert_eq!(partials_of("(* x y)"), ["y", "x"]);
        assert_eq!(partials_of("(- x y)"), ["1", "-1"]);
        assert_eq!(partials_of("(/ x y)"), ["(/ 1 y)", "(/ (neg x) (^ y 2))"]);
        assert_eq!(partials_of("(sin x)"), ["(cos x)"]);
        assert_eq!(
            partials_of("(^ x 3)"),
            ["(* 3 (^ x 2))", "(* (^ x 3) (ln x))"]
        );
        assert_eq!(partials_of("(^ x y)")[0], "(* y (^ x (- y 1)))");
        assert_eq!(partials_of("(neg x)"), ["-1"]);
    }
}
