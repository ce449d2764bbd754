//! [`Expr`]: a copyable handle to a hash-consed expression DAG, and the builder API.
//!
//! Every node ever built lives once in a process-wide store (like egg's interned
//! [`Symbol`](egg::Symbol)s): building the same subexpression twice returns the same handle, so
//! structural equality is handle equality and sharing is automatic. Children are always stored
//! before their parents, so ascending ids are a topological order. The store only grows; see
//! `ARCHITECTURE.md` for that trade-off.

use crate::hash_index::HashIndex;
use crate::id_map::IdMap;
use crate::language::{BinOp, CmpOp, Func, Func2, Math, NamedConst};
use crate::mirror::Mirror;
use crate::name::{check_variable_name, NameError};
use crate::Constant;
use egg::{Id, Language, RecExpr, Symbol};
use num_rational::BigRational;
use parking_lot::Mutex;
use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::LazyLock;

/// The process-wide hash-consing store.
///
/// Lock discipline (invariant 4 of `ARCHITECTURE.md`): reading takes **no lock**. Nodes live in
/// an append-only concurrent vector ([`boxcar::Vec`]): a stored node never moves or changes, so
/// a `&Math` stays valid for the life of the process while other threads append. Building takes
/// one mutex, `index`, for the duration of a single intern (or one batch of them) and never
/// calls out while holding it. Nothing waits for a reader, so no interleaving of reads and
/// builds, on one thread or many, can deadlock.
struct Store {
    nodes: Nodes,
    index: Mutex<Index>,
}

/// The hash index from a node to its id; only interning touches it.
struct Index {
    table: HashIndex,
    hasher: hashbrown::DefaultHashBuilder,
}

/// Every stored node, indexed by id (`nodes[usize::from(id)]`); append-only.
pub(crate) struct Nodes(boxcar::Vec<Math>);

impl Nodes {
    /// How many nodes are stored (ids `0..len` are valid).
    pub(crate) fn len(&self) -> usize {
        self.0.count()
    }
}

impl std::ops::Index<usize> for Nodes {
    type Output = Math;
    fn index(&self, index: usize) -> &Math {
        &self.0[index]
    }
}

/// The smallest id of a stored node `c/0` ([`constant_division_by_zero`]), `u32::MAX` while
/// there is none. Written under the index mutex, read without a lock.
static FIRST_DIVISION_BY_ZERO: AtomicU32 = AtomicU32::new(u32::MAX);

static STORE: LazyLock<Store> = LazyLock::new(|| Store {
    nodes: Nodes(boxcar::Vec::new()),
    index: Mutex::new(Index {
        table: HashIndex::default(),
        hasher: Default::default(),
    }),
});

impl Index {
    /// Folds the two forms the printer cannot tell apart from a constant: negation of a
    /// constant and division of two constants (a divisor of zero stays symbolic).
    fn canonical(nodes: &Nodes, node: Math) -> Math {
        let num = |id: &Id| match &nodes[usize::from(*id)] {
            Math::Num(c) => Some(c.clone()),
            _ => None,
        };
        match &node {
            Math::Neg(a) => match num(a) {
                Some(c) => Math::Num(Constant::new(-c.value())),
                None => node,
            },
            Math::Div([a, b]) => match (num(a), num(b)) {
                (Some(a), Some(b)) if !b.is_zero() => {
                    Math::Num(Constant::new(a.value() / b.value()))
                }
                _ => node,
            },
            _ => node,
        }
    }

    /// Makes room for `additional` more nodes without growing the table while they are
    /// interned.
    fn reserve(&mut self, additional: usize) {
        self.table.reserve(additional);
    }

    /// Interns `node` (whose children are stored); the caller holds the index mutex, so ids
    /// are handed out in push order.
    fn intern(&mut self, nodes: &Nodes, node: Math) -> Id {
        let node = Index::canonical(nodes, node);
        let hash = self.hasher.hash_one(&node);
        let next = u32::try_from(nodes.len()).expect("the expression store holds 2^32 nodes");
        let id = self
            .table
            .find_or_insert(hash, next, |i| nodes[i as usize] == node);
        if id == next {
            if is_constant_division_by_zero(nodes, &node) {
                FIRST_DIVISION_BY_ZERO.fetch_min(id, Ordering::AcqRel);
            }
            let pushed = nodes.0.push(node);
            debug_assert_eq!(pushed, id as usize);
        }
        Id::from(id as usize)
    }
}

/// Interns `node`, whose children are store ids (the caller guarantees they are), in one
/// locked step.
pub(crate) fn intern_stored(node: Math) -> Expr {
    Expr(STORE.index.lock().intern(&STORE.nodes, node))
}

/// Makes room in the store's index for `additional` more nodes.
pub(crate) fn reserve_store(additional: usize) {
    STORE.index.lock().reserve(additional);
}

/// Runs `f` with every stored node (index = [`Expr::id`]). It takes no lock, so `f` may read
/// and build expressions freely; nodes stored while `f` runs are visible to it.
pub(crate) fn with_nodes<R>(f: impl FnOnce(&Nodes) -> R) -> R {
    f(&STORE.nodes)
}

/// A symbolic expression: a cheap, `Copy` handle to a node of a shared, hash-consed DAG.
///
/// Build expressions with [`var`], constants (`From<i64>`, `From<BigRational>`), the operators
/// `+ - * /` and unary `-`, [`Expr::pow`] and the function methods, or parse them with
/// [`parse`](crate::parse) / [`str::parse`].
///
/// ```
/// use symdiff_expr::{var, Expr};
/// let x = var("x");
/// let f = x * x.sin() + 3;
/// assert_eq!(f.to_string(), "x*sin(x) + 3");
/// assert_eq!(f, "x*sin(x) + 3".parse::<Expr>().unwrap()); // hash-consed: same handle
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Expr(Id);

/// A variable.
///
/// ```
/// let theta = symdiff_expr::var("theta");
/// assert_eq!(theta.to_string(), "theta");
/// ```
///
/// # Panics
/// If `name` is not a variable name (see [`check_variable_name`](crate::check_variable_name)):
/// a name the parser would not read back as this variable, such as `""`, `2x` or `sin`. Use
/// [`try_var`] for names that come from input.
pub fn var(name: &str) -> Expr {
    match try_var(name) {
        Ok(v) => v,
        Err(err) => panic!("symdiff_expr::var: {err}"),
    }
}

/// A variable, or an error if `name` is not a variable name (see
/// [`check_variable_name`](crate::check_variable_name)).
///
/// ```
/// use symdiff_expr::try_var;
/// assert_eq!(try_var("x_2").unwrap().to_string(), "x_2");
/// assert!(try_var("").is_err());
/// assert!(try_var("2x").is_err());
/// assert!(try_var("sin").is_err());
/// ```
pub fn try_var(name: &str) -> Result<Expr, NameError> {
    check_variable_name(name)?;
    Ok(Expr::from_node(Math::Var(Symbol::from(name))))
}

/// A rational constant.
///
/// ```
/// let half = symdiff_expr::constant(num_rational::BigRational::new(1.into(), 2.into()));
/// assert_eq!(half.to_string(), "1/2");
/// ```
pub fn constant(value: impl Into<Constant>) -> Expr {
    Expr::from_node(Math::Num(value.into()))
}

impl Expr {
    /// Interns a node whose children are handles' ids (see [`Expr::id`]).
    ///
    /// ```
    /// use symdiff_expr::{var, Expr, Math};
    /// let x = var("x");
    /// assert_eq!(Expr::from_node(Math::Sin(x.id())), x.sin());
    /// ```
    ///
    /// # Panics
    /// If a child id was not produced by this store (a programming error).
    pub fn from_node(node: Math) -> Expr {
        let nodes = &STORE.nodes;
        assert!(
            node.children()
                .iter()
                .all(|&c| usize::from(c) < nodes.len()),
            "Expr::from_node: child id not in the expression store"
        );
        intern_stored(node)
    }

    /// The node behind this handle.
    ///
    /// ```
    /// use symdiff_expr::{var, Math};
    /// let x = var("x");
    /// assert_eq!((-x).node(), Math::Neg(x.id()));
    /// ```
    pub fn node(self) -> Math {
        with_nodes(|nodes| nodes[usize::from(self.0)].clone())
    }

    /// The handle of an id known to be in the store.
    pub(crate) fn from_stored_id(id: Id) -> Expr {
        Expr(id)
    }

    /// The node's id in the store; children of [`Expr::node`] are such ids.
    pub fn id(self) -> Id {
        self.0
    }

    /// The handle of a stored node id (as found among a node's children).
    ///
    /// ```
    /// use symdiff_expr::{var, Expr, Math};
    /// let x = var("x");
    /// let Math::Sin(arg) = x.sin().node() else { unreachable!() };
    /// assert_eq!(Expr::from_id(arg), x);
    /// ```
    ///
    /// # Panics
    /// If the id is not in the store.
    pub fn from_id(id: Id) -> Expr {
        assert!(
            usize::from(id) < STORE.nodes.len(),
            "Expr::from_id: unknown id"
        );
        Expr(id)
    }

    /// The children of the root node, as handles.
    ///
    /// ```
    /// use symdiff_expr::var;
    /// let (x, y) = (var("x"), var("y"));
    /// assert_eq!((x + y).children(), vec![x, y]);
    /// ```
    pub fn children(self) -> Vec<Expr> {
        self.node().children().iter().map(|&c| Expr(c)).collect()
    }

    /// Applies a binary operator.
    pub fn binary(op: BinOp, a: impl Into<Expr>, b: impl Into<Expr>) -> Expr {
        Expr::from_node(op.node(a.into().0, b.into().0))
    }

    /// Applies a function.
    ///
    /// ```
    /// use symdiff_expr::{var, Func};
    /// assert_eq!(var("x").apply(Func::Exp), var("x").exp());
    /// ```
    pub fn apply(self, func: Func) -> Expr {
        Expr::from_node(func.node(self.0))
    }

    /// Applies a two-argument function: `f(self, other)`.
    ///
    /// ```
    /// use symdiff_expr::{var, Func2};
    /// let (y, x) = (var("y"), var("x"));
    /// assert_eq!(y.apply2(Func2::Atan2, x).to_string(), "atan2(y, x)");
    /// ```
    pub fn apply2(self, func: Func2, other: impl Into<Expr>) -> Expr {
        Expr::from_node(func.node(self.0, other.into().0))
    }

    /// `max(self, other)` (a tie takes `self`).
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// assert_eq!(x.max(0).to_string(), "max(x, 0)");
    /// ```
    pub fn max(self, other: impl Into<Expr>) -> Expr {
        self.apply2(Func2::Max, other)
    }

    /// `min(self, other)` (a tie takes `self`).
    pub fn min(self, other: impl Into<Expr>) -> Expr {
        self.apply2(Func2::Min, other)
    }

    /// `atan2(self, x)`: the angle of the point `(x, self)`.
    pub fn atan2(self, x: impl Into<Expr>) -> Expr {
        self.apply2(Func2::Atan2, x)
    }

    /// `hypot(self, other) = sqrt(self^2 + other^2)`.
    pub fn hypot(self, other: impl Into<Expr>) -> Expr {
        self.apply2(Func2::Hypot, other)
    }

    /// The condition `a op b` (valid only as the first argument of [`Expr::if_else`]).
    ///
    /// ```
    /// use symdiff_expr::{var, CmpOp, Expr};
    /// let x = var("x");
    /// assert_eq!(Expr::compare(CmpOp::Le, x, 1).to_string(), "x <= 1");
    /// ```
    pub fn compare(op: CmpOp, a: impl Into<Expr>, b: impl Into<Expr>) -> Expr {
        Expr::from_node(op.node(a.into().0, b.into().0))
    }

    /// The condition `self and other`.
    pub fn and(self, other: Expr) -> Expr {
        Expr::from_node(Math::And([self.0, other.0]))
    }

    /// The condition `self or other`.
    pub fn or(self, other: Expr) -> Expr {
        Expr::from_node(Math::Or([self.0, other.0]))
    }

    /// The piecewise expression `if(condition, then, otherwise)`.
    ///
    /// ```
    /// use symdiff_expr::{var, CmpOp, Expr};
    /// let x = var("x");
    /// let relu = Expr::if_else(Expr::compare(CmpOp::Gt, x, 0), x, 0);
    /// assert_eq!(relu.to_string(), "if(x > 0, x, 0)");
    /// let g = Expr::if_else(!Expr::compare(CmpOp::Gt, x, 0), 0, x);
    /// assert_eq!(g, "if(not x > 0, 0, x)".parse().unwrap());
    /// ```
    pub fn if_else(condition: Expr, then: impl Into<Expr>, otherwise: impl Into<Expr>) -> Expr {
        Expr::from_node(Math::If([condition.0, then.into().0, otherwise.into().0]))
    }

    /// `self ^ exponent`.
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// assert_eq!(x.pow(2).to_string(), "x^2");
    /// ```
    pub fn pow(self, exponent: impl Into<Expr>) -> Expr {
        Expr::binary(BinOp::Pow, self, exponent)
    }

    /// The unevaluated derivative `d(var, self)`, which `symdiff-rewrite` rewrites away.
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// assert_eq!(x.pow(2).derivative(x).to_string(), "d(x, x^2)");
    /// ```
    pub fn derivative(self, var: Expr) -> Expr {
        Expr::from_node(Math::D([var.0, self.0]))
    }

    /// The named constant π.
    pub fn pi() -> Expr {
        Expr::from_node(Math::Named(NamedConst::Pi))
    }

    /// The named constant e.
    pub fn e() -> Expr {
        Expr::from_node(Math::Named(NamedConst::E))
    }

    /// The constant's value, if this is a rational constant.
    ///
    /// ```
    /// use symdiff_expr::Expr;
    /// assert_eq!(Expr::from(3).as_constant().unwrap().to_f64(), 3.0);
    /// ```
    pub fn as_constant(self) -> Option<Constant> {
        match self.node() {
            Math::Num(c) => Some(c),
            _ => None,
        }
    }

    /// The variable's name, if this is a variable.
    ///
    /// ```
    /// assert_eq!(symdiff_expr::var("x").as_var().as_deref(), Some("x"));
    /// ```
    pub fn as_var(self) -> Option<String> {
        match self.node() {
            Math::Var(s) => Some(s.as_str().to_string()),
            _ => None,
        }
    }

    /// Every distinct subexpression (root included), children before parents.
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// let f = x * x + x;
    /// assert_eq!(f.subexpressions().len(), 3); // x, x*x, x*x + x
    /// ```
    pub fn subexpressions(self) -> Vec<Expr> {
        reachable(&[self]).into_iter().map(Expr).collect()
    }

    /// The DAG as an egg [`RecExpr`] (shared nodes once, root last).
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// let f = (x + 1) * (x + 1);
    /// assert_eq!(f.to_recexpr().len(), 4);
    /// assert_eq!(f.to_recexpr().to_string(), "(* (+ x 1) (+ x 1))");
    /// ```
    pub fn to_recexpr(self) -> RecExpr<Math> {
        let (rec, _) = to_recexpr_many(&[self]);
        rec
    }

    /// Builds an expression from an egg [`RecExpr`] (its last node is the root).
    ///
    /// ```
    /// use symdiff_expr::{var, Expr};
    /// let rec: egg::RecExpr<symdiff_expr::Math> = "(* x (sin x))".parse().unwrap();
    /// assert_eq!(Expr::from_recexpr(&rec), var("x") * var("x").sin());
    /// ```
    ///
    /// # Panics
    /// If the `RecExpr` is empty.
    pub fn from_recexpr(rec: &RecExpr<Math>) -> Expr {
        let root = rec.root();
        from_recexpr_roots(rec, &[root])[0]
    }
}

/// The first subexpression of `roots` (children first) that divides a constant by the constant
/// zero, such as the `1/0` that `1/(x - x)` simplifies to. No syntax writes it (both parsers
/// refuse `1/0`), and evaluating it fails at every point.
///
/// ```
/// use symdiff_expr::{constant_division_by_zero, parse, var, Expr};
/// let x = var("x");
/// let bad = Expr::from(1) / Expr::from(0);
/// assert_eq!(constant_division_by_zero(&[x + bad]), Some(bad));
/// assert_eq!(constant_division_by_zero(&[parse("1/(x - x)").unwrap()]), None);
/// ```
pub fn constant_division_by_zero(roots: &[Expr]) -> Option<Expr> {
    // Such a node is rare: the store remembers the smallest id of one, and a node with a
    // smaller id cannot contain one (children have smaller ids than their parents).
    let floor = FIRST_DIVISION_BY_ZERO.load(Ordering::Acquire);
    if floor == u32::MAX {
        return None;
    }
    let roots: Vec<Id> = roots.iter().map(|r| r.0).collect();
    with_nodes(|nodes| {
        let (order, _) = postorder(nodes, &roots, floor as usize);
        order
            .into_iter()
            .find(|&id| is_constant_division_by_zero(nodes, &nodes[usize::from(id)]))
            .map(Expr)
    })
}

/// Whether `node` is `c/0` for constants `c` and `0`.
fn is_constant_division_by_zero(nodes: &Nodes, node: &Math) -> bool {
    let num = |id: &Id| match &nodes[usize::from(*id)] {
        Math::Num(c) => Some(c.is_zero()),
        _ => None,
    };
    matches!(node, Math::Div([a, b]) if num(a).is_some() && num(b) == Some(true))
}

/// Ids reachable from `roots` in a canonical topological order (children first): depth-first,
/// left child before right, roots in order. The order depends only on the expressions, never on
/// when their nodes were first stored, so everything built on it (e-graph ids, extraction
/// tie-breaks, binding names) is reproducible.
pub(crate) fn reachable(roots: &[Expr]) -> Vec<Id> {
    let roots: Vec<Id> = roots.iter().map(|r| r.0).collect();
    with_nodes(|nodes| reachable_in(nodes, &roots))
}

/// [`reachable`] over a node slice.
pub(crate) fn reachable_in(nodes: &Nodes, roots: &[Id]) -> Vec<Id> {
    postorder(nodes, roots, 0).0
}

/// The canonical order of [`reachable`] over the nodes with ids at least `floor` (a node
/// below it is not entered), and each id's position in that order.
pub(crate) fn postorder(nodes: &Nodes, roots: &[Id], floor: usize) -> (Vec<Id>, IdMap) {
    let key = |id: Id| usize::from(id) as u32;
    let mut done = IdMap::with_capacity(roots.len() * 16);
    let mut out = Vec::new();
    // (id, children already pushed)
    let mut stack: Vec<(Id, bool)> = roots
        .iter()
        .rev()
        .filter(|&&r| usize::from(r) >= floor)
        .map(|&r| (r, false))
        .collect();
    while let Some((id, expanded)) = stack.pop() {
        if expanded {
            if done.insert(key(id), out.len() as u32) {
                out.push(id);
            }
            continue;
        }
        if done.contains(key(id)) {
            continue;
        }
        stack.push((id, true));
        let children = nodes[usize::from(id)].children();
        stack.extend(
            children
                .iter()
                .rev()
                .filter(|&&c| usize::from(c) >= floor && !done.contains(key(c)))
                .map(|&c| (c, false)),
        );
    }
    (out, done)
}

/// Several expressions as one [`RecExpr`] sharing their common subexpressions; returns the
/// `RecExpr` and the id of each root in it.
///
/// ```
/// use symdiff_expr::{to_recexpr_many, var};
/// let x = var("x");
/// let (rec, roots) = to_recexpr_many(&[x.sin(), x.sin() * x]);
/// assert_eq!(rec.len(), 3);
/// assert_eq!(roots.len(), 2);
/// ```
pub fn to_recexpr_many(roots: &[Expr]) -> (RecExpr<Math>, Vec<Id>) {
    let (mirror, roots) = Mirror::of(roots);
    (mirror.into_rec(), roots)
}

/// Builds the expressions rooted at `roots` of a [`RecExpr`] (children must precede parents,
/// as in every `RecExpr`).
///
/// ```
/// use symdiff_expr::{from_recexpr_roots, var};
/// let rec: egg::RecExpr<symdiff_expr::Math> = "(+ x 1)".parse().unwrap();
/// let roots = from_recexpr_roots(&rec, &[egg::Id::from(0usize), egg::Id::from(2usize)]);
/// assert_eq!(roots, vec![var("x"), var("x") + 1]);
/// ```
pub fn from_recexpr_roots(rec: &RecExpr<Math>, roots: &[Id]) -> Vec<Expr> {
    let nodes = &STORE.nodes;
    let mut index = STORE.index.lock();
    index.reserve(rec.len());
    let mut global: Vec<Id> = Vec::with_capacity(rec.len());
    for node in rec.as_ref() {
        let stored = node.clone().map_children(|c| global[usize::from(c)]);
        global.push(index.intern(nodes, stored));
    }
    roots
        .iter()
        .map(|&r| Expr(global[usize::from(r)]))
        .collect()
}

impl From<i64> for Expr {
    fn from(value: i64) -> Self {
        constant(value)
    }
}

impl From<i32> for Expr {
    fn from(value: i32) -> Self {
        constant(value as i64)
    }
}

impl From<BigRational> for Expr {
    fn from(value: BigRational) -> Self {
        constant(value)
    }
}

impl From<Constant> for Expr {
    fn from(value: Constant) -> Self {
        constant(value)
    }
}

macro_rules! binary_operator {
    ($trait:ident, $method:ident, $op:expr) => {
        impl<T: Into<Expr>> std::ops::$trait<T> for Expr {
            type Output = Expr;
            fn $method(self, rhs: T) -> Expr {
                Expr::binary($op, self, rhs)
            }
        }
        impl std::ops::$trait<Expr> for i32 {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                Expr::binary($op, self, rhs)
            }
        }
    };
}

binary_operator!(Add, add, BinOp::Add);
binary_operator!(Sub, sub, BinOp::Sub);
binary_operator!(Mul, mul, BinOp::Mul);
binary_operator!(Div, div, BinOp::Div);

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        Expr::from_node(Math::Neg(self.0))
    }
}

/// `!c` is the condition `not c`.
impl std::ops::Not for Expr {
    type Output = Expr;
    fn not(self) -> Expr {
        Expr::from_node(Math::Not(self.0))
    }
}

macro_rules! function_methods {
    ($($name:ident => $func:ident),* $(,)?) => {
        impl Expr {
            $(
                #[doc = concat!("`", stringify!($name), "(self)`.")]
                pub fn $name(self) -> Expr {
                    self.apply(Func::$func)
                }
            )*
        }
    };
}

function_methods!(
    sin => Sin, cos => Cos, tan => Tan, asin => Asin, acos => Acos, atan => Atan,
    sinh => Sinh, cosh => Cosh, tanh => Tanh, exp => Exp, ln => Ln, sqrt => Sqrt,
    abs => Abs, sign => Sign, relu => Relu, cbrt => Cbrt, log10 => Log10, log2 => Log2,
    log1p => Log1p, expm1 => Expm1, asinh => Asinh, acosh => Acosh, atanh => Atanh,
    erf => Erf, erfc => Erfc, sigmoid => Sigmoid, softplus => Softplus,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_consing_shares_equal_subexpressions() {
        let x = var("x");
        assert_eq!(x + 1, var("x") + 1);
        assert_ne!(x + 1, 1 + x);
        let f = (x + 1).sin() * (x + 1).sin();
        assert_eq!(f.subexpressions().len(), 5);
    }

    #[test]
    fn recexpr_round_trip_keeps_sharing() {
        let x = var("x");
        let mut l = x;
        for _ in 0..10 {
            l = 4 * l * (1 - l);
        }
        let rec = l.to_recexpr();
        assert_eq!(rec.len(), l.subexpressions().len());
        assert_eq!(Expr::from_recexpr(&rec), l);
    }
}
