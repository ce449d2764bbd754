//! [`Row`]: everything the report measured about one family member.

use crate::families::Family;
use num_traits::ToPrimitive;
use serde::Serialize;
use symdiff_rewrite::Size;

/// How the derivative computation of a member ended.
///
/// ```
/// use symdiff_swell::Status;
/// assert_eq!(Status::Limit.as_str(), "limit");
/// assert_eq!(serde_json::to_value(Status::Ok).unwrap(), "ok");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Simplification saturated: the e-graph held every rewrite's consequence.
    Ok,
    /// Simplification stopped at a limit (iterations, nodes or time); the derivative is still
    /// correct, perhaps less simplified. [`Row::stop_reason`] says which limit.
    Limit,
    /// The derivative could not be computed; [`Row::error`] says why.
    Error,
}

impl Status {
    /// `ok`, `limit` or `error`.
    ///
    /// ```
    /// assert_eq!(symdiff_swell::Status::Ok.as_str(), "ok");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Limit => "limit",
            Status::Error => "error",
        }
    }
}

/// The e-graph at the end of simplification: the figures of `symdiff_rewrite::EGraphStats` the
/// report shows.
///
/// ```
/// use symdiff_swell::{measure, Family};
/// let row = measure(&Family::Rational.member(1).unwrap(), &Default::default());
/// assert!(row.egraph.unwrap().nodes > 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EGraphSize {
    /// E-nodes.
    pub nodes: usize,
    /// E-classes.
    pub classes: usize,
    /// Equality-saturation iterations.
    pub iterations: usize,
}

/// Wall-clock time per phase in milliseconds (`None`: the phase did not run).
///
/// ```
/// use symdiff_swell::{measure, Family};
/// let row = measure(&Family::SeedSquare.member(1).unwrap(), &Default::default());
/// let t = row.time_ms;
/// assert!(t.total.unwrap() >= t.simplify.unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Phases {
    /// The naive tree differentiator ([`naive_derivative`](crate::naive_derivative)).
    pub naive: Option<f64>,
    /// symdiff: differentiation rules.
    pub differentiate: Option<f64>,
    /// symdiff: simplification by equality saturation.
    pub simplify: Option<f64>,
    /// symdiff: DAG extraction.
    pub extract: Option<f64>,
    /// symdiff: end to end.
    pub total: Option<f64>,
}

/// The swell ratios of a member.
///
/// ```
/// use symdiff_swell::{measure, Family};
/// let row = measure(&Family::Logistic.member(10).unwrap(), &Default::default());
/// assert!(row.ratios.tree.unwrap() > 1.0);          // simplification shrank the tree
/// assert!(row.ratios.naive_tree_vs_dag.unwrap() > 100.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Ratios {
    /// Simplified derivative DAG / input DAG (the cheap-gradient principle bounds it near 3).
    pub dag: Option<f64>,
    /// Raw derivative DAG / input DAG.
    pub raw_dag: Option<f64>,
    /// Raw derivative tree / simplified derivative tree: what simplification saved.
    pub tree: Option<f64>,
    /// Naive derivative tree / simplified derivative DAG: what a tree-based system holds
    /// compared with what symdiff keeps.
    pub naive_tree_vs_dag: Option<f64>,
}

/// One family member's measurements. Rows are never dropped: a member whose derivative hit a
/// limit or failed is a row with [`Status::Limit`] or [`Status::Error`].
///
/// ```
/// use symdiff_swell::{measure, Family, Status};
/// let row = measure(&Family::Neural.member(2).unwrap(), &Default::default());
/// assert_eq!(row.label, "neural(2)");
/// assert_eq!(row.vars, ["x", "y"]);
/// assert_ne!(row.status, Status::Error);
/// assert_eq!(row.tape, row.input.dag);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The family.
    pub family: Family,
    /// The parameter.
    pub n: usize,
    /// `family(n)`.
    pub label: String,
    /// The variables differentiated by (several: a gradient).
    pub vars: Vec<String>,
    /// The input function.
    pub input: Size,
    /// The naive tree derivative (textbook rules, zeros and unit factors dropped).
    pub naive: Size,
    /// symdiff's raw derivative (differentiation rules only), if computed.
    pub raw: Option<Size>,
    /// symdiff's simplified derivative, if computed.
    pub simplified: Option<Size>,
    /// Reverse-mode tape length for the gradient (entries of a straightforward tape).
    pub tape: usize,
    /// The e-graph at the end, if a derivative was computed.
    pub egraph: Option<EGraphSize>,
    /// How the derivative computation ended.
    pub status: Status,
    /// The e-graph runner's stop reason (`Saturated`, a limit, or the error's kind).
    pub stop_reason: String,
    /// The error message when `status` is [`Status::Error`].
    pub error: Option<String>,
    /// Time per phase.
    pub time_ms: Phases,
    /// The simplified derivative as parseable infix (entries joined by `; ` for a gradient),
    /// when its DAG is small enough to be worth showing.
    pub derivative: Option<String>,
    /// The swell ratios.
    pub ratios: Ratios,
}

impl Row {
    /// Fills [`Row::ratios`] from the sizes.
    ///
    /// ```
    /// use symdiff_swell::{measure, Family};
    /// let mut row = measure(&Family::Logistic.member(4).unwrap(), &Default::default());
    /// row.ratios = Default::default();
    /// row.compute_ratios();
    /// assert_eq!(row.ratios.dag.unwrap(), row.simplified.as_ref().unwrap().dag as f64 / 12.0);
    /// ```
    pub fn compute_ratios(&mut self) {
        let per = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        let input = self.input.dag;
        self.ratios = Ratios {
            dag: self.simplified.as_ref().and_then(|s| per(s.dag, input)),
            raw_dag: self.raw.as_ref().and_then(|r| per(r.dag, input)),
            tree: match (&self.raw, &self.simplified) {
                (Some(r), Some(s)) => ratio_big(&r.tree, &s.tree),
                _ => None,
            },
            naive_tree_vs_dag: self
                .simplified
                .as_ref()
                .and_then(|s| ratio_big(&self.naive.tree, &s.dag.into())),
        };
    }
}

/// `a / b` of two big integers as f64 (`None` when `b` is 0).
fn ratio_big(a: &num_bigint::BigUint, b: &num_bigint::BigUint) -> Option<f64> {
    let (a, b) = (a.to_f64()?, b.to_f64()?);
    (b > 0.0).then(|| a / b)
}
