//! Size metrics: exact tree size, DAG size, depth, per-operator counts, free variables.
//!
//! What counts as a node: every operator application (`+ - * / ^`, negation, each function,
//! `d`) and every leaf (rational constant, `pi`/`e`, variable) is one node. Operators are binary,
//! so a SymPy n-ary sum or product of m terms corresponds to m - 1 of our nodes.
//!
//! - `tree`: nodes of the expression unfolded into a tree (a shared subexpression counts each
//!   time it is reached). Exact, as a big integer: logistic-map derivatives exceed 2^64.
//! - `dag`: distinct subexpressions (each shared node once), leaves included.
//! - `tree_ops` / `dag_ops`: the same counts without leaves. `tree_ops` compares with SymPy's
//!   `count_ops` (up to n-ary versus binary operators); `dag_ops` is the operation count of a
//!   CSE'd straight-line program.
//! - `depth`: nodes on the longest root-to-leaf path (a leaf alone has depth 1).

use crate::expr::{reachable, to_recexpr_many, with_nodes, Expr};
use crate::language::Math;
use egg::{Id, Language};
use num_bigint::BigUint;
use num_traits::Zero;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::AddAssign;

/// Counts of one operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct OpCount {
    /// Distinct nodes with this operator.
    pub dag: usize,
    /// Nodes with this operator in the unfolded tree.
    #[serde(serialize_with = "serialize_biguint")]
    pub tree: BigUint,
}

/// Size metrics of one expression, or of several sharing one DAG (a gradient).
///
/// ```
/// use symdiff_expr::var;
/// let x = var("x");
/// let f = (x + 1) * (x + 1);
/// let m = f.metrics();
/// assert_eq!(m.tree, 7u32.into());
/// assert_eq!(m.dag, 4);
/// assert_eq!(m.depth, 3);
/// assert_eq!(m.dag_ops, 2);
/// assert_eq!(m.ops["+"].tree, 2u32.into());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metrics {
    /// Nodes of the unfolded tree (exact).
    #[serde(serialize_with = "serialize_biguint")]
    pub tree: BigUint,
    /// Distinct subexpressions.
    pub dag: usize,
    /// Nodes on the longest root-to-leaf path.
    pub depth: usize,
    /// Operator nodes of the unfolded tree (exact).
    #[serde(serialize_with = "serialize_biguint")]
    pub tree_ops: BigUint,
    /// Distinct operator nodes (a CSE'd program's operation count).
    pub dag_ops: usize,
    /// Counts per operator name (`+`, `neg`, `sin`, `num`, `var`, ...).
    pub ops: BTreeMap<&'static str, OpCount>,
    /// Variables that occur in the expression.
    pub free_vars: BTreeSet<String>,
}

/// Serializes a big unsigned integer as a JSON number when it fits in u64, else as a decimal
/// string: the one serialisation of every exact size in the workspace (use it with
/// `#[serde(serialize_with = "symdiff_expr::serialize_biguint")]`).
///
/// ```
/// use symdiff_expr::BigUint;
/// #[derive(serde::Serialize)]
/// struct Tree(#[serde(serialize_with = "symdiff_expr::serialize_biguint")] BigUint);
/// assert_eq!(serde_json::to_string(&Tree(7u32.into())).unwrap(), "7");
/// let big = BigUint::from(u64::MAX) + 1u32;
/// assert_eq!(serde_json::to_string(&Tree(big)).unwrap(), "\"18446744073709551616\"");
/// ```
pub fn serialize_biguint<S: serde::Serializer>(value: &BigUint, s: S) -> Result<S::Ok, S::Error> {
    match u64::try_from(value) {
        Ok(v) => s.serialize_u64(v),
        Err(_) => s.serialize_str(&value.to_string()),
    }
}

/// Metrics of several expressions taken together: shared subexpressions count once in `dag`;
/// `tree` sums the trees.
///
/// ```
/// use symdiff_expr::{metrics_many, var};
/// let x = var("x");
/// let m = metrics_many(&[x.sin(), x.sin() * x]);
/// assert_eq!(m.dag, 3);
/// assert_eq!(m.tree, 6u32.into()); // (sin x) + (* (sin x) x)
/// ```
pub fn metrics_many(roots: &[Expr]) -> Metrics {
    // The reachable nodes children first, numbered by position (no map from store ids).
    let (rec, roots) = to_recexpr_many(roots);
    let nodes = rec.as_ref();
    let mut depth = vec![0usize; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        depth[i] = 1 + node
            .children()
            .iter()
            .map(|&c| depth[usize::from(c)])
            .max()
            .unwrap_or(0);
    }
    let mut m = Metrics {
        tree: BigUint::zero(),
        dag: nodes.len(),
        depth: roots
            .iter()
            .map(|&r| depth[usize::from(r)])
            .max()
            .unwrap_or(0),
        tree_ops: BigUint::zero(),
        dag_ops: nodes.iter().filter(|n| !n.is_leaf()).count(),
        ops: BTreeMap::new(),
        free_vars: BTreeSet::new(),
    };
    // Tree counts: machine integers while every node's count fits in 64 bits (sums of at most
    // 2^32 of them fit in 128), exact big integers otherwise.
    match paths::<u128>(nodes, &roots, |p| *p <= u128::from(u64::MAX)) {
        Some(paths) => tally(nodes, &paths, &mut m),
        None => {
            let paths = paths::<BigUint>(nodes, &roots, |_| true).expect("big integers fit");
            tally(nodes, &paths, &mut m)
        }
    }
    m.free_vars = nodes
        .iter()
        .filter_map(|n| match n {
            Math::Var(s) => Some(s.as_str().to_string()),
            _ => None,
        })
        .collect();
    m
}

/// How many times each node occurs in the unfolded trees of `roots` (the number of paths from
/// a root to it), children last; `None` if a count does not satisfy `fits`.
fn paths<C>(nodes: &[Math], roots: &[Id], fits: impl Fn(&C) -> bool) -> Option<Vec<C>>
where
    C: Clone + Zero + From<u8> + for<'a> AddAssign<&'a C>,
{
    let mut paths = vec![C::zero(); nodes.len()];
    for &r in roots {
        paths[usize::from(r)] += &C::from(1);
    }
    for i in (0..nodes.len()).rev() {
        let p = paths[i].clone();
        if !fits(&p) {
            return None;
        }
        for &c in nodes[i].children() {
            paths[usize::from(c)] += &p;
        }
    }
    Some(paths)
}

/// Adds the tree counts (`paths[i]`: occurrences of node `i`) to `m`: total, operators, per
/// operator name.
fn tally<C>(nodes: &[Math], paths: &[C], m: &mut Metrics)
where
    C: Clone + Zero + for<'a> AddAssign<&'a C> + Into<BigUint>,
{
    // Per operator name: distinct nodes and tree count (few names: a short list).
    let mut ops: Vec<(&'static str, usize, C)> = Vec::new();
    let (mut tree, mut tree_ops) = (C::zero(), C::zero());
    for (node, p) in nodes.iter().zip(paths) {
        tree += p;
        if !node.is_leaf() {
            tree_ops += p;
        }
        let name = node.op_name();
        match ops.iter_mut().find(|(n, ..)| *n == name) {
            Some((_, dag, count)) => {
                *dag += 1;
                *count += p;
            }
            None => ops.push((name, 1, p.clone())),
        }
    }
    m.tree = tree.into();
    m.tree_ops = tree_ops.into();
    for (name, dag, tree) in ops {
        m.ops.insert(
            name,
            OpCount {
                dag,
                tree: tree.into(),
            },
        );
    }
}

impl Expr {
    /// All size metrics (see the [module docs](crate::metrics) for what counts as a node).
    pub fn metrics(self) -> Metrics {
        metrics_many(&[self])
    }

    /// Nodes of the unfolded tree, exact.
    ///
    /// ```
    /// use symdiff_expr::var;
    /// let x = var("x");
    /// let mut l = x;
    /// for _ in 0..3 { l = 4 * l * (1 - l); }
    /// assert_eq!(l.tree_size(), 43u32.into());
    /// ```
    pub fn tree_size(self) -> BigUint {
        self.metrics().tree
    }

    /// Distinct subexpressions.
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// assert_eq!((x * x).dag_size(), 2);
    /// ```
    pub fn dag_size(self) -> usize {
        reachable(&[self]).len()
    }

    /// Nodes on the longest root-to-leaf path.
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// assert_eq!(x.sin().sin().depth(), 3);
    /// ```
    pub fn depth(self) -> usize {
        self.metrics().depth
    }

    /// The variables that occur in the expression, sorted.
    ///
    /// ```
    /// let f: symdiff_expr::Expr = "x1*x2 + x2 - ln(x1) + pi".parse().unwrap();
    /// assert_eq!(f.free_vars().into_iter().collect::<Vec<_>>(), ["x1", "x2"]);
    /// ```
    pub fn free_vars(self) -> BTreeSet<String> {
        let order = reachable(&[self]);
        with_nodes(|nodes| {
            order
                .iter()
                .filter_map(|&id| match &nodes[usize::from(id)] {
                    Math::Var(s) => Some(s.as_str().to_string()),
                    _ => None,
                })
                .collect()
        })
    }
}
