//! Statistics of one call: sizes before and after, the e-graph, times per phase.

use egg::{Id, Language, RecExpr};
use serde::Serialize;
use std::time::Duration;
use symdiff_expr::metrics::dag_tree_size;
use symdiff_expr::{to_recexpr_many, BigUint, Expr, Math, Metrics};

/// The size of an expression (or of several sharing one DAG): see `symdiff_expr::metrics` for
/// what counts as a node. The workspace's one size type (the swell report uses it too).
///
/// ```
/// use symdiff_rewrite::Size;
/// let s = Size::of(&[symdiff_expr::parse("(x + 1)*(x + 1)").unwrap()]);
/// assert_eq!((s.tree.clone(), s.dag, s.depth), (7u32.into(), 4, 3));
/// assert_eq!(serde_json::to_value(&s).unwrap()["tree"], 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Size {
    /// Nodes of the unfolded tree (exact).
    #[serde(serialize_with = "symdiff_expr::serialize_biguint")]
    pub tree: BigUint,
    /// Distinct subexpressions.
    pub dag: usize,
    /// Nodes on the longest root-to-leaf path.
    pub depth: usize,
}

impl Size {
    /// The size of expressions taken together.
    ///
    /// ```
    /// use symdiff_rewrite::Size;
    /// let x = symdiff_expr::var("x");
    /// assert_eq!(Size::of(&[x * x]).dag, 2);
    /// ```
    pub fn of(exprs: &[Expr]) -> Size {
        let (rec, roots) = to_recexpr_many(exprs);
        Size::of_rec(&rec, &roots)
    }
}

/// The three size figures of full [`Metrics`].
///
/// ```
/// use symdiff_rewrite::Size;
/// let f = symdiff_expr::parse("sin(x)*x").unwrap();
/// assert_eq!(Size::from(&f.metrics()), Size::of(&[f]));
/// ```
impl From<&Metrics> for Size {
    fn from(m: &Metrics) -> Size {
        Size {
            tree: m.tree.clone(),
            dag: m.dag,
            depth: m.depth,
        }
    }
}

impl Size {
    /// The size of the expressions rooted at `roots` in `rec` (a DAG whose children precede
    /// their parents), in time linear in `rec` (times the tree size's words when it exceeds
    /// `u64`): the same figures as [`Size::of`] without building them in the expression store.
    /// The tree size is [`symdiff_expr::metrics::dag_tree_size`], exact.
    ///
    /// ```
    /// use symdiff_rewrite::Size;
    /// let rec = symdiff_expr::parse("(x + 1)*(x + 1)").unwrap().to_recexpr();
    /// let size = Size::of_rec(&rec, &[egg::Id::from(3usize)]);
    /// assert_eq!((size.dag, size.depth), (4, 3));
    /// assert_eq!(size.tree, 7u32.into());
    /// ```
    pub fn of_rec(rec: &RecExpr<Math>, roots: &[Id]) -> Size {
        let nodes = rec.as_ref();
        let mut reached = vec![false; nodes.len()];
        for &r in roots {
            reached[usize::from(r)] = true;
        }
        for i in (0..nodes.len()).rev() {
            if reached[i] {
                for &c in nodes[i].children() {
                    reached[usize::from(c)] = true;
                }
            }
        }
        let mut depth = vec![0usize; nodes.len()];
        for i in 0..nodes.len() {
            if reached[i] {
                depth[i] = 1 + nodes[i]
                    .children()
                    .iter()
                    .map(|&c| depth[usize::from(c)])
                    .max()
                    .unwrap_or(0);
            }
        }
        Size {
            tree: dag_tree_size(nodes, roots),
            dag: reached.iter().filter(|&&r| r).count(),
            depth: roots
                .iter()
                .map(|&r| depth[usize::from(r)])
                .max()
                .unwrap_or(0),
        }
    }
}

/// Why simplification stopped (serialized as its `Display` text, e.g. `"iteration limit (10)"`).
#[derive(Debug, Clone, PartialEq)]
pub enum StopReason {
    /// No rule could add anything new: the result is as simple as the rules can make it.
    Saturated,
    /// The iteration limit was reached.
    IterationLimit(usize),
    /// The e-graph node limit was reached.
    NodeLimit(usize),
    /// The time limit was reached.
    TimeLimit(f64),
    /// Simplification was not run.
    Skipped,
    /// Simplification was not run because the raw result (this many DAG nodes) is larger than
    /// [`Options::saturation_limit`](crate::Options::saturation_limit); it keeps the cheap
    /// identities folded while it was built.
    TooLarge(usize),
    /// Something else stopped the runner.
    Other(String),
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopReason::Saturated => write!(f, "saturated"),
            StopReason::IterationLimit(n) => write!(f, "iteration limit ({n})"),
            StopReason::NodeLimit(n) => write!(f, "node limit ({n})"),
            StopReason::TimeLimit(s) => write!(f, "time limit ({:.0} ms)", s * 1000.0),
            StopReason::Skipped => write!(f, "skipped"),
            StopReason::TooLarge(n) => write!(f, "skipped ({n} nodes, past the saturation limit)"),
            StopReason::Other(why) => write!(f, "{why}"),
        }
    }
}

impl Serialize for StopReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<&egg::StopReason> for StopReason {
    fn from(r: &egg::StopReason) -> Self {
        match r {
            egg::StopReason::Saturated => StopReason::Saturated,
            egg::StopReason::IterationLimit(n) => StopReason::IterationLimit(*n),
            egg::StopReason::NodeLimit(n) => StopReason::NodeLimit(*n),
            egg::StopReason::TimeLimit(s) => StopReason::TimeLimit(*s),
            egg::StopReason::Other(s) => StopReason::Other(s.clone()),
        }
    }
}

/// The e-graph at the end of the call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EGraphStats {
    /// E-nodes.
    pub nodes: usize,
    /// E-classes.
    pub classes: usize,
    /// Derivatives rewritten by the differentiation phase.
    pub diff_rewrites: usize,
    /// Iterations of the simplification phase.
    pub iterations: usize,
    /// Why simplification stopped.
    pub stop_reason: StopReason,
}

/// Wall-clock time per phase.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct PhaseTimes {
    /// Building the e-graph and applying the differentiation rules.
    #[serde(serialize_with = "serialize_ms")]
    pub differentiate: Duration,
    /// Equality saturation with the simplification rules.
    #[serde(serialize_with = "serialize_ms")]
    pub simplify: Duration,
    /// Extraction (raw and simplified) and conversion back to expressions.
    #[serde(serialize_with = "serialize_ms")]
    pub extract: Duration,
    /// The whole call.
    #[serde(serialize_with = "serialize_ms")]
    pub total: Duration,
}

fn serialize_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1000.0)
}

/// Everything a call measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The input expression(s).
    pub input: Size,
    /// The result after the differentiation rules only (before simplification).
    pub raw: Size,
    /// The returned result.
    pub simplified: Size,
    /// The e-graph.
    pub egraph: EGraphStats,
    /// Structurally non-zero entries of a gradient, Jacobian or Hessian: the size of its
    /// sparsity pattern (absent for `d` and `simplify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonzeros: Option<usize>,
    /// Times per phase (serialized in milliseconds).
    #[serde(rename = "time_ms")]
    pub time: PhaseTimes,
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::metrics_many;

    #[test]
    fn exact_tree_sizes_past_u64_agree_with_the_metrics() {
        let x = symdiff_expr::var("x");
        let mut l = x;
        let mut sizes = Vec::new();
        for depth in 1..=300 {
            l = 4 * l * (1 - l);
            if depth % 20 == 0 || depth < 5 || depth == 63 || depth == 64 {
                let e = l * l.sin() + x;
                let rec = e.to_recexpr();
                let root = Id::from(rec.len() - 1);
                sizes.push((
                    Size::of_rec(&rec, &[root, root]),
                    Size::from(&metrics_many(&[e, e])),
                ));
            }
        }
        assert!(sizes.last().unwrap().1.tree.bits() > 256, "several words");
        for (fast, metrics) in sizes {
            assert_eq!(fast, metrics);
        }
    }
}
