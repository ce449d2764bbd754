//! Statistics of one call: sizes before and after, the e-graph, times per phase.

use serde::Serialize;
use std::time::Duration;
use symdiff_expr::{metrics_many, BigUint, Expr};

/// The size of an expression (or of several sharing one DAG): see `symdiff_expr::metrics` for
/// what counts as a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Size {
    /// Nodes of the unfolded tree (exact).
    #[serde(serialize_with = "serialize_biguint")]
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
        let m = metrics_many(exprs);
        Size {
            tree: m.tree,
            dag: m.dag,
            depth: m.depth,
        }
    }
}

fn serialize_biguint<S: serde::Serializer>(value: &BigUint, s: S) -> Result<S::Ok, S::Error> {
    match u64::try_from(value) {
        Ok(v) => s.serialize_u64(v),
        Err(_) => s.serialize_str(&value.to_string()),
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
    /// Times per phase (serialized in milliseconds).
    #[serde(rename = "time_ms")]
    pub time: PhaseTimes,
}
