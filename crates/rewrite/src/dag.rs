//! [`Dag`]: the DAG symbolic sweeps build derivatives in, folding trivial identities as it goes.
//!
//! Symbolic reverse and forward sweeps ([`crate::sweep`]) build derivatives here. A `Dag` is a
//! [`Mirror`] of its input: dense local ids (ascending ids are a topological order) for the
//! sweeps' per-node vectors, while every node is hash-consed straight into the global expression
//! store, so a node costs one store lookup and the result needs no conversion (each node already
//! has its [`Expr`]). Nodes only inspected for folding are not built: a product's outer negation
//! stays a [`Signed`] value that the adjoint sums absorb as a subtraction, so no dead `-x` lands
//! in the (append-only) store. Like CasADi's SX graphs, building folds only cheap local
//! identities — exact constant folding ([`crate::fold`]), `x + 0`, `x * 1`, `x * 0`, `x - x`,
//! `--x`, constant coefficients (`2 * (3 * x)` is `6 * x`) and signs (`a + -b` is `a - b`) —
//! each sound wherever its left side is defined. The result is never larger than the same
//! construction without folding.
//!
//! One more identity keeps reverse sweeps through `if` defined where the function is: a
//! *guarded* value `if(c, a, 0)` (the partial of `if(c, a, b)` with respect to `a`, and every
//! adjoint reached only through that branch) times `p` is `if(c, a*p, 0)`, and
//! `if(c, a, 0) + if(c, b, 0)` is `if(c, a + b, 0)` (likewise with the zero first). Without it the
//! gradient of `if(x > 1, acosh(x), x)` would be `if(x > 1, 1, 0)/(sqrt(x - 1)*sqrt(x + 1)) + ...`,
//! undefined at `x = 0` where the function and its forward derivative
//! `if(x > 1, 1/(sqrt(x - 1)*sqrt(x + 1)), 1)` are defined. The product moves inside at most [`MAX_GUARD_DEPTH`] nested guards, so building
//! stays linear for deeply nested `if`s (deeper ones keep the plain product).

use crate::analysis::fold;
use egg::{Id, Language, RecExpr};
use hashbrown::HashMap;
use num_traits::ToPrimitive;
use symdiff_expr::{Constant, Expr, Math, Mirror};

/// How many nested guards (`if(c, a, 0)`) a product moves inside (see the module docs).
const MAX_GUARD_DEPTH: usize = 8;

/// A hash-consed DAG under construction (see the [module docs](self)): a [`Mirror`] of the
/// input, so every node it builds is interned in the expression store at once and already has
/// its [`Expr`] handle.
#[derive(Debug, Clone)]
pub(crate) struct Dag {
    mirror: Mirror,
    /// What [`Dag::make`] returned for a leaf or a node of constants (folded once).
    made: HashMap<Math, Id>,
    /// The constants 0 and 1.
    zero: Id,
    one: Id,
    /// How many of the first nodes are the input's ([`Dag::of`]).
    input_len: usize,
}

impl Default for Dag {
    fn default() -> Self {
        Dag::from_mirror(Mirror::default())
    }
}

impl Dag {
    fn from_mirror(mirror: Mirror) -> Dag {
        let mut dag = Dag {
            input_len: mirror.len(),
            mirror,
            made: HashMap::new(),
            zero: Id::from(0usize),
            one: Id::from(0usize),
        };
        dag.zero = dag.intern(Math::Num(Constant::from(0)));
        dag.one = dag.intern(Math::Num(Constant::from(1)));
        dag
    }

    /// A DAG whose input is the nodes `exprs` depend on (each once, children first), and the
    /// id of each of `exprs` in it. Linear in the input: no node is looked up in the store.
    pub(crate) fn of(exprs: &[Expr]) -> (Dag, Vec<Id>) {
        let (mut mirror, roots) = Mirror::of(exprs);
        // Sweeps roughly double a DAG (a gradient is a few times its function).
        mirror.reserve(mirror.len() + 16);
        (Dag::from_mirror(mirror), roots)
    }

    /// A DAG holding `rec` (already a DAG: its nodes are stored without folding, so the input
    /// keeps its form); returns the id of each of `rec`'s nodes.
    #[cfg(test)]
    pub(crate) fn from_rec(rec: &RecExpr<Math>) -> (Dag, Vec<Id>) {
        let all: Vec<Id> = (0..rec.len()).map(Id::from).collect();
        Dag::of(&symdiff_expr::from_recexpr_roots(rec, &all))
    }

    /// Whether `id` is a node of the input the DAG was built from ([`Dag::of`]).
    fn is_input(&self, id: Id) -> bool {
        usize::from(id) < self.input_len
    }

    /// Nodes stored so far.
    pub(crate) fn len(&self) -> usize {
        self.mirror.len()
    }

    /// The node with id `id`.
    pub(crate) fn node(&self, id: Id) -> &Math {
        self.mirror.node(id)
    }

    /// Every node (children first).
    pub(crate) fn rec(&self) -> &RecExpr<Math> {
        self.mirror.rec()
    }

    /// The expression of node `id`.
    pub(crate) fn handle(&self, id: Id) -> Expr {
        self.mirror.handle(id)
    }

    /// The constant value of `id`, if it is a constant.
    pub(crate) fn constant(&self, id: Id) -> Option<&Constant> {
        match self.node(id) {
            Math::Num(c) => Some(c),
            _ => None,
        }
    }

    fn is(&self, id: Id, value: i64) -> bool {
        self.constant(id)
            .is_some_and(|c| c.value().is_integer() && c.value().numer().to_i64() == Some(value))
    }

    /// The id of the stored expression `expr` (a leaf, or one whose children the DAG holds).
    pub(crate) fn adopt(&mut self, expr: Expr) -> Id {
        self.mirror.adopt(expr)
    }

    /// Interns `node` as it is (no folding).
    pub(crate) fn intern(&mut self, node: Math) -> Id {
        self.mirror.intern(node)
    }

    /// The constant `value`.
    pub(crate) fn num(&mut self, value: i64) -> Id {
        match value {
            0 => self.zero,
            1 => self.one,
            _ => self.intern(Math::Num(Constant::from(value))),
        }
    }

    /// Interns `node` after folding the cheap identities of the [module docs](self).
    pub(crate) fn make(&mut self, node: Math) -> Id {
        let leaf = node.is_leaf();
        if let Some(id) = self.identity_operand(&node) {
            return id;
        }
        if leaf || node.children().iter().all(|&c| self.constant(c).is_some()) {
            // Exact arithmetic is the expensive part: fold each constant node once. Leaves (the
            // rules' constants, asked for at every node) are remembered too, so they cost a
            // local lookup rather than one in the store.
            if let Some(&id) = self.made.get(&node) {
                return id;
            }
            let id = if leaf {
                self.intern(node.clone())
            } else {
                match fold(&node, |c| self.constant(c).cloned()) {
                    Some(c) => self.intern(Math::Num(c)),
                    None => self.fold_identities(node.clone()),
                }
            };
            self.made.insert(node, id);
            return id;
        }
        self.fold_identities(node)
    }

    /// The operand a node equals because its other operand is an identity element (`x + 0`,
    /// `0 + x`, `x - 0`, `x * 1`, `1 * x`, `x / 1`, `x ^ 1`): no arithmetic, no new node.
    fn identity_operand(&self, node: &Math) -> Option<Id> {
        match *node {
            Math::Add([a, b]) if self.is(a, 0) => Some(b),
            Math::Mul([a, b]) if self.is(a, 1) => Some(b),
            Math::Add([a, b]) | Math::Sub([a, b]) if self.is(b, 0) => Some(a),
            Math::Mul([a, b]) | Math::Div([a, b]) | Math::Pow([a, b]) if self.is(b, 1) => Some(a),
            _ => None,
        }
    }

    /// `if(c, a, 0)` as `(c, a, true)`, `if(c, 0, b)` as `(c, b, false)`: a value that is zero
    /// wherever its guard does not select it.
    fn guarded(&self, id: Id) -> Option<(Id, Id, bool)> {
        match *self.node(id) {
            Math::If([c, a, b]) if self.is(b, 0) => Some((c, a, true)),
            Math::If([c, a, b]) if self.is(a, 0) => Some((c, b, false)),
            _ => None,
        }
    }

    /// `if(c, value, 0)` (or `if(c, 0, value)` when `then` is false).
    fn guard(&mut self, c: Id, value: Id, then: bool) -> Id {
        let zero = self.num(0);
        if value == zero {
            return zero;
        }
        let (a, b) = if then { (value, zero) } else { (zero, value) };
        self.make(Math::If([c, a, b]))
    }

    /// `(c, x, y, then)` when `a` and `b` are guarded by the same condition on the same side.
    fn guarded_sum(&self, a: Id, b: Id) -> Option<(Id, Id, Id, bool)> {
        match (self.guarded(a)?, self.guarded(b)?) {
            ((c, x, t), (d, y, u)) if c == d && t == u => Some((c, x, y, t)),
            _ => None,
        }
    }

    /// `g * p` where `g` or `p` (or both) is guarded: the product moved inside the guards of
    /// both, at most [`MAX_GUARD_DEPTH`] in all (iteratively: no recursion on nesting depth).
    fn guarded_product(&mut self, g: Id, p: Id) -> Option<Id> {
        if self.guarded(g).is_none() && self.guarded(p).is_none() {
            return None;
        }
        let mut guards = Vec::new();
        let mut factors = [g, p];
        for factor in &mut factors {
            while guards.len() < MAX_GUARD_DEPTH {
                let Some((c, value, then)) = self.guarded(*factor) else {
                    break;
                };
                guards.push((c, then));
                *factor = value;
            }
        }
        // Past the depth limit the innermost product stays plain, so that building never
        // recurses through the guards again.
        let [a, b] = factors;
        let mut result = if self.guarded(a).is_some() || self.guarded(b).is_some() {
            self.intern(Math::Mul([a, b]))
        } else {
            self.make(Math::Mul([a, b]))
        };
        for &(c, then) in guards.iter().rev() {
            result = self.guard(c, result, then);
        }
        Some(result)
    }

    /// `a * b` with the identities of the [module docs](self) folded, where the outer
    /// negation of the result is left unbuilt (see [`Signed`]): a reverse sweep adds it to an
    /// adjoint as a subtraction, so building `-(...)` would only leave a dead node in the store.
    pub(crate) fn times(&mut self, a: Id, b: Id) -> Signed {
        if self.constant(a).is_some() && self.constant(b).is_some() {
            // Exact arithmetic, once per pair of constants.
            return Signed::plain(self.make(Math::Mul([a, b])));
        }
        self.product(a, b)
    }

    /// The folds of a product (not both factors constants: [`Dag::make`] folds those first).
    fn product(&mut self, a: Id, b: Id) -> Signed {
        let plain = Signed::plain;
        if self.is(a, 0) || self.is(b, 0) {
            return plain(self.num(0));
        }
        if let Some(id) = self.identity_operand(&Math::Mul([a, b])) {
            return plain(id);
        }
        if self.is(a, -1) {
            return self.negation(b);
        }
        if self.is(b, -1) {
            return self.negation(a);
        }
        if self.guarded(a).is_some() || self.guarded(b).is_some() {
            return plain(match self.guarded_product(a, b) {
                Some(id) => id,
                None => self.intern(Math::Mul([a, b])),
            });
        }
        // Constants to the left, so that coefficients meet: c * (k * x) is (c k) * x.
        if self.constant(b).is_some() && self.constant(a).is_none() {
            return self.product(b, a);
        }
        match (self.node(a).clone(), self.node(b).clone()) {
            (Math::Neg(c), _) => self.product(c, b).negated(),
            (_, Math::Neg(c)) => self.product(a, c).negated(),
            (Math::Num(_), Math::Mul([k, c])) if self.constant(k).is_some() => {
                let coefficient = self.make(Math::Mul([a, k]));
                self.product(coefficient, c)
            }
            // a * (k * c) is (k * a) * c when `k * c` was built here (not the input's):
            // an adjoint times the partials `2*u` and `2*v` of `u^2 + v^2` then shares
            // `2*a` instead of building `2*u` and `2*v`. A product the input already has
            // stays (the logistic map's `a * (4*l)` costs one node, not two).
            (_, Math::Mul([k, c])) if self.constant(k).is_some() && !self.is_input(b) => {
                let scaled = self.make(Math::Mul([k, a]));
                self.product(scaled, c)
            }
            _ => plain(self.intern(Math::Mul([a, b]))),
        }
    }

    /// `-id`, unbuilt (`--c` is `c`).
    fn negation(&self, id: Id) -> Signed {
        match *self.node(id) {
            Math::Neg(c) => Signed::plain(c),
            _ => Signed { id, negated: true },
        }
    }

    /// The node of a signed value (building its negation if it has one).
    pub(crate) fn realize(&mut self, value: Signed) -> Id {
        if value.negated {
            self.make(Math::Neg(value.id))
        } else {
            value.id
        }
    }

    fn fold_identities(&mut self, node: Math) -> Id {
        let zero = |d: &Self, a: Id| d.is(a, 0);
        match node {
            Math::Add([a, b]) if self.guarded_sum(a, b).is_some() => match self.guarded_sum(a, b) {
                Some((c, x, y, then)) => {
                    let sum = self.make(Math::Add([x, y]));
                    self.guard(c, sum, then)
                }
                None => self.intern(node),
            },
            Math::Add([a, b]) => match (self.node(a).clone(), self.node(b).clone()) {
                (_, Math::Neg(c)) => self.make(Math::Sub([a, c])),
                (Math::Neg(c), _) => self.make(Math::Sub([b, c])),
                _ => self.intern(node),
            },
            Math::Sub([a, b]) if a == b => self.num(0),
            Math::Sub([a, b]) if zero(self, a) => self.make(Math::Neg(b)),
            Math::Sub([a, b]) => match self.node(b).clone() {
                Math::Neg(c) => self.make(Math::Add([a, c])),
                _ => self.intern(node),
            },
            Math::Mul([a, b]) => {
                let product = self.product(a, b);
                self.realize(product)
            }
            Math::Div([a, b]) if zero(self, a) && !zero(self, b) => self.num(0),
            // c / (k * x) is (c / k) / x (k ≠ 0; both sides are defined where x ≠ 0): the
            // partial `1/(2*sqrt(s))` of a square root is one node.
            Math::Div([a, b]) if self.constant(a).is_some() => match *self.node(b) {
                Math::Mul([k, x]) if self.constant(k).is_some_and(|k| !k.is_zero()) => {
                    let ratio = self.make(Math::Div([a, k]));
                    self.make(Math::Div([ratio, x]))
                }
                _ => self.intern(node),
            },
            Math::Pow([_, b]) if zero(self, b) => self.num(1),
            Math::Neg(a) => match self.node(a).clone() {
                Math::Neg(c) => c,
                Math::Sub([p, q]) => self.make(Math::Sub([q, p])),
                // `-(k*c)` stays a negation rather than becoming `(-k)*c`: `k*c` is often needed
                // too (Rosenbrock's adjoints), and a negation disappears into the sum it is
                // added to (`a + -b` is `a - b`).
                _ => self.intern(node),
            },
            _ => self.intern(node),
        }
    }

    /// The sum `a + b` where `None` is a structural zero.
    pub(crate) fn add_opt(&mut self, a: Option<Id>, b: Id) -> Id {
        match a {
            None => b,
            Some(a) => self.make(Math::Add([a, b])),
        }
    }

    /// The nodes reachable from `roots` as one compact [`RecExpr`] (children first, in id
    /// order), with the roots' ids in it.
    pub(crate) fn extract(&self, roots: &[Id]) -> Extracted {
        let nodes = self.rec().as_ref();
        let mut keep = vec![false; nodes.len()];
        let mut stack: Vec<Id> = roots.to_vec();
        while let Some(id) = stack.pop() {
            let i = usize::from(id);
            if !keep[i] {
                keep[i] = true;
                stack.extend(nodes[i].children().iter().copied());
            }
        }
        let mut local: Vec<Id> = vec![Id::from(0usize); nodes.len()];
        let mut rec = RecExpr::default();
        for (i, node) in nodes.iter().enumerate() {
            if keep[i] {
                local[i] = rec.add(node.clone().map_children(|c| local[usize::from(c)]));
            }
        }
        let roots = roots.iter().map(|&r| local[usize::from(r)]).collect();
        Extracted { rec, roots }
    }
}

/// `id` or its negation `-id` (when `negated`), with the negation node not built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signed {
    pub id: Id,
    pub negated: bool,
}

impl Signed {
    /// `id` itself.
    pub(crate) fn plain(id: Id) -> Signed {
        Signed { id, negated: false }
    }

    /// The opposite value.
    pub(crate) fn negated(self) -> Signed {
        Signed {
            negated: !self.negated,
            ..self
        }
    }

    /// This value, negated when `sign` is a negation.
    pub(crate) fn times_sign_of(self, sign: Signed) -> Signed {
        if sign.negated {
            self.negated()
        } else {
            self
        }
    }
}

/// What [`Dag::extract`] returns.
pub(crate) struct Extracted {
    /// The nodes, children first.
    pub rec: RecExpr<Math>,
    /// The roots in `rec`.
    pub roots: Vec<Id>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dag_with(names: &[&str]) -> (Dag, Vec<Id>) {
        let mut dag = Dag::default();
        let ids = names
            .iter()
            .map(|n| dag.intern(Math::Var((*n).into())))
            .collect();
        (dag, ids)
    }

    #[test]
    fn identities_fold_while_building() {
        let (mut dag, v) = dag_with(&["x", "y"]);
        let (x, y) = (v[0], v[1]);
        let (zero, one, two, three) = (dag.num(0), dag.num(1), dag.num(2), dag.num(3));
        assert_eq!(dag.make(Math::Add([x, zero])), x);
        assert_eq!(dag.make(Math::Mul([one, y])), y);
        assert_eq!(dag.make(Math::Mul([y, zero])), zero);
        assert_eq!(dag.make(Math::Sub([x, x])), zero);
        let six_x = {
            let three_x = dag.make(Math::Mul([x, three]));
            dag.make(Math::Mul([two, three_x]))
        };
        let six = dag.num(6);
        assert_eq!(dag.node(six_x), &Math::Mul([six, x]));
        let neg_y = dag.make(Math::Neg(y));
        let difference = dag.make(Math::Add([x, neg_y]));
        assert_eq!(dag.node(difference), &Math::Sub([x, y]));
        assert_eq!(dag.make(Math::Neg(neg_y)), y);
        let five = dag.make(Math::Add([two, three]));
        assert_eq!(dag.constant(five).map(|c| c.to_string()), Some("5".into()));
        // Division by a constant zero is not folded.
        let q = dag.make(Math::Div([one, zero]));
        assert_eq!(dag.node(q), &Math::Div([one, zero]));
    }

    #[test]
    fn coefficients_move_to_the_adjoint_unless_the_product_is_the_inputs() {
        // The input holds `u`, `v`, `a` and `4*u`.
        let [u, v, a] = ["u", "v", "a"].map(symdiff_expr::var);
        let (mut dag, ids) = Dag::of(&[u, v, a, 4 * u]);
        let [u, v, a, four_u] = [ids[0], ids[1], ids[2], ids[3]];
        assert!(matches!(dag.node(four_u), Math::Mul([_, x]) if *x == u));
        // a * (2*u) and a * (2*v) share 2*a.
        let two = dag.num(2);
        let two_u = dag.make(Math::Mul([two, u]));
        let two_v = dag.make(Math::Mul([two, v]));
        let au = dag.make(Math::Mul([a, two_u]));
        let av = dag.make(Math::Mul([a, two_v]));
        let two_a = dag.make(Math::Mul([two, a]));
        assert_eq!(dag.node(au), &Math::Mul([two_a, u]));
        assert_eq!(dag.node(av), &Math::Mul([two_a, v]));
        // The input's own 4*u is used as it is.
        let a_four_u = dag.make(Math::Mul([a, four_u]));
        assert_eq!(dag.node(a_four_u), &Math::Mul([a, four_u]));
        // c / (k*x) is (c/k) / x; 0 / x is 0.
        let one = dag.num(1);
        let q = dag.make(Math::Div([one, two_u]));
        let half = dag.make(Math::Div([one, two]));
        assert_eq!(dag.node(q), &Math::Div([half, u]));
        let zero = dag.num(0);
        assert_eq!(dag.make(Math::Div([zero, two_u])), zero);
    }

    #[test]
    fn extract_keeps_only_what_the_roots_need() {
        let (mut dag, v) = dag_with(&["x", "y"]);
        let s = dag.make(Math::Sin(v[0]));
        let Extracted { rec, roots, .. } = dag.extract(&[s]);
        assert_eq!(rec.len(), 2);
        assert_eq!(rec.to_string(), "(sin x)");
        assert_eq!(roots, vec![Id::from(1usize)]);
    }
}
