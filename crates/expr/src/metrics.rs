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
use egg::Language;
use num_bigint::BigUint;
use num_traits::Zero;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod tree_counts;
pub use tree_counts::{dag_tree_size, tree_counts};

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

/// The variables that occur in any of `exprs`, sorted: one walk over their shared DAG (no size
/// counting, unlike [`metrics_many`]).
///
/// ```
/// use symdiff_expr::{metrics::free_vars_many, var};
/// let (x, y) = (var("x"), var("y"));
/// assert_eq!(free_vars_many(&[x.sin(), x * y]).into_iter().collect::<Vec<_>>(), ["x", "y"]);
/// ```
pub fn free_vars_many(exprs: &[Expr]) -> BTreeSet<String> {
    let order = reachable(exprs);
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
    // Tree counts per operator name (few names: a short list); the totals are their sums.
    let mut names: Vec<(&'static str, usize, bool)> = Vec::new(); // name, DAG nodes, leaf
    let class: Vec<usize> = nodes
        .iter()
        .map(|node| {
            let name = node.op_name();
            let k = names
                .iter()
                .position(|&(n, ..)| n == name)
                .unwrap_or_else(|| {
                    names.push((name, 0, node.is_leaf()));
                    names.len() - 1
                });
            names[k].1 += 1;
            k
        })
        .collect();
    let counts = tree_counts(nodes, &roots, names.len(), |i| class[i]);
    for ((name, dag, leaf), tree) in names.into_iter().zip(counts) {
        if !leaf {
            m.tree_ops += &tree;
        }
        m.tree += &tree;
        m.ops.insert(name, OpCount { dag, tree });
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
        free_vars_many(&[self])
    }
}
