//! Baydin et al. (2018), "Automatic differentiation in machine learning: a survey", Table 1:
//! the logistic map `l_(n+1) = 4*l_n*(1 - l_n)`, `l_1 = x`, for `n = 1..4`, its naive symbolic
//! derivative, and the derivative a computer algebra system's simplifier gives (expanded into
//! monomials) — next to symdiff's derivative and its DAG size.
//!
//! Note: the paper prints the last coefficient of `l_4'` as `-1024*x^7`; the exact expansion
//! (checked below) is `-2048*x^7` (`l_4` has leading term `-16384*x^8`).

use crate::families::Family;
use crate::naive::naive_derivative;
use crate::poly::Poly;
use num_bigint::BigUint;
use serde::Serialize;
use symdiff_expr::Expr;
use symdiff_rewrite::Size;

/// The largest tree printed in full in the table; larger expressions print as bindings.
const PRINT_TREE_LIMIT: u32 = 400;

/// An expression of the table: its text and its sizes.
///
/// ```
/// let e = symdiff_swell::Shown::new(symdiff_expr::var("x"));
/// assert_eq!((e.text.as_str(), e.sizes.dag), ("x", 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Infix text that `symdiff_expr::parse` reads back (shared parts as bindings when large).
    pub text: String,
    /// Its sizes.
    pub sizes: Size,
    /// Operations (non-leaf nodes) of its unfolded tree, as Baydin et al. count them.
    #[serde(serialize_with = "symdiff_expr::serialize_biguint")]
    pub tree_ops: BigUint,
}

impl Shown {
    /// The text and sizes of `e`.
    ///
    /// ```
    /// let s = symdiff_swell::Shown::new(symdiff_expr::parse("x*(1 - x)").unwrap());
    /// assert_eq!((s.text.as_str(), s.sizes.dag, s.tree_ops.clone()), ("x*(1 - x)", 4, 2u32.into()));
    /// ```
    pub fn new(e: Expr) -> Shown {
        let metrics = e.metrics();
        let sizes = Size::from(&metrics);
        let sharing = if sizes.tree <= PRINT_TREE_LIMIT.into() {
            symdiff_expr::Sharing::Never
        } else {
            symdiff_expr::Sharing::Auto
        };
        Shown {
            text: e.to_infix(usize::MAX / 2, sharing),
            sizes,
            tree_ops: metrics.tree_ops,
        }
    }
}

/// One row of Baydin et al.'s Table 1, with symdiff's column.
///
/// ```
/// let rows = symdiff_swell::baydin_rows(&Default::default());
/// assert_eq!(rows.len(), 4);
/// assert_eq!(rows[1].naive.text, "4*(1 - x) - 4*x");
/// assert_eq!(rows[1].expanded.text, "4*(1 - 2*x)");
/// let ours = rows[3].symdiff.as_ref().unwrap();
/// assert!(ours.sizes.dag < rows[3].naive.sizes.dag);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaydinRow {
    /// `n` of `l_n`.
    pub n: usize,
    /// `l_n`, built as a DAG (`l_(n+1)` shares `l_n`).
    pub function: Shown,
    /// The naive derivative: textbook rules, only zeros and unit factors dropped
    /// ([`naive_derivative`]).
    pub naive: Shown,
    /// The derivative expanded into monomials ([`Poly`]): the "simplified" column of the paper.
    pub expanded: Shown,
    /// symdiff's simplified derivative (`None` with the error when the engine failed).
    pub symdiff: Option<Shown>,
    /// symdiff's raw derivative DAG size (differentiation rules only).
    pub symdiff_raw_dag: Option<usize>,
    /// The engine's error, if any.
    pub error: Option<String>,
}

/// The rows of Table 1 for `n = 1..4`, symdiff's derivatives computed with `options`.
///
/// ```
/// let rows = symdiff_swell::baydin_rows(&Default::default());
/// assert_eq!(rows.iter().map(|r| r.n).collect::<Vec<_>>(), [1, 2, 3, 4]);
/// ```
pub fn baydin_rows(options: &symdiff_rewrite::Options) -> Vec<BaydinRow> {
    (1..=4)
        .map(|n| {
            let l = Family::Logistic
                .member(n)
                .expect("the logistic family has n = 1..4")
                .input;
            let expanded = Poly::from_expr(l, "x")
                .expect("l_n is a polynomial")
                .derivative()
                .to_expr("x");
            let ours = symdiff_rewrite::d_with(&l, &["x"], options);
            BaydinRow {
                n,
                function: Shown::new(l),
                naive: Shown::new(naive_derivative(l, "x")),
                expanded: Shown::new(expanded),
                symdiff: ours.as_ref().ok().map(|d| Shown::new(d.expr)),
                symdiff_raw_dag: ours.as_ref().ok().map(|d| d.stats.raw.dag),
                error: ours.err().map(|e| e.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_derivative_of_l4_is_tens_of_operations_as_a_tree() {
        let rows = baydin_rows(&Default::default());
        let l4 = &rows[3];
        let ops = u64::try_from(&l4.naive.tree_ops).unwrap();
        assert!((50..=120).contains(&ops), "{ops}");
        assert!(l4.naive.sizes.dag < 40);
        assert!(l4.expanded.text.starts_with("64*(1 - 42*x"));
    }
}
