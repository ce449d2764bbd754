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

use crate::expr::{reachable, with_nodes, Expr};
use crate::language::Math;
use egg::{Id, Language};
use num_bigint::BigUint;
use num_traits::Zero;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    let order = reachable(roots);
    with_nodes(|nodes| {
        let index: HashMap<Id, usize> = order.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let node = |i: usize| &nodes[usize::from(order[i])];
        // Depth: children before parents.
        let mut depth = vec![0usize; order.len()];
        for i in 0..order.len() {
            depth[i] = 1 + node(i)
                .children()
                .iter()
                .map(|c| depth[index[c]])
                .max()
                .unwrap_or(0);
        }
        // Paths from the roots to each node = how often it appears in the tree.
        let mut paths = vec![BigUint::zero(); order.len()];
        for r in roots {
            paths[index[&r.id()]] += 1u32;
        }
        for i in (0..order.len()).rev() {
            if paths[i].is_zero() {
                continue;
            }
            let p = paths[i].clone();
            for c in node(i).children() {
                paths[index[c]] += &p;
            }
        }
        let mut m = Metrics {
            tree: BigUint::zero(),
            dag: order.len(),
            depth: roots
                .iter()
                .map(|r| depth[index[&r.id()]])
                .max()
                .unwrap_or(0),
            tree_ops: BigUint::zero(),
            dag_ops: 0,
            ops: BTreeMap::new(),
            free_vars: BTreeSet::new(),
        };
        for (i, p) in paths.iter().enumerate() {
            let n = node(i);
            m.tree += p;
            if !n.is_leaf() {
                m.tree_ops += p;
                m.dag_ops += 1;
            }
            if let Math::Var(s) = n {
                m.free_vars.insert(s.as_str().to_string());
            }
            let count = m.ops.entry(n.op_name()).or_default();
            count.dag += 1;
            count.tree += p;
        }
        m
    })
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
