//! Baydin et al. (2018), "Automatic differentiation in machine learning: a survey", Table 1:
//! the logistic map `l_(n+1) = 4*l_n*(1 - l_n)`, `l_1 = x`, for `n = 1..4`, its naive symbolic
//! derivative, and the derivative a computer algebra system's simplifier gives (expanded into
//! monomials) — to which the swell report adds symdiff's derivative and its DAG size.

use crate::families::Family;
use crate::naive::naive_derivative;
use crate::poly::Poly;
use crate::sizes::Sizes;
use serde::Serialize;
use symdiff_expr::Expr;

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
    pub sizes: Sizes,
}

impl Shown {
    /// The text and sizes of `e`.
    pub fn new(e: Expr) -> Shown {
        let sizes = Sizes::of(&[e]);
        let sharing = if sizes.tree <= PRINT_TREE_LIMIT.into() {
            symdiff_expr::Sharing::Never
        } else {
            symdiff_expr::Sharing::Auto
        };
        Shown {
            text: e.to_infix(usize::MAX / 2, sharing),
            sizes,
        }
    }
}

/// One row of Baydin et al.'s Table 1 (symdiff's own column is added by the report from its
/// measured derivative of the same member).
///
/// ```
/// let rows = symdiff_swell::baydin_rows();
/// assert_eq!(rows.len(), 4);
/// assert_eq!(rows[1].naive.text, "4*(1 - x) - 4*x");
/// assert_eq!(rows[1].expanded.text, "4*(1 - 2*x)");
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
}

/// The rows of Table 1 for `n = 1..4`.
pub fn baydin_rows() -> Vec<BaydinRow> {
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
            BaydinRow {
                n,
                function: Shown::new(l),
                naive: Shown::new(naive_derivative(l, "x")),
                expanded: Shown::new(expanded),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_derivative_of_l4_is_tens_of_operations_as_a_tree() {
        let rows = baydin_rows();
        let l4 = &rows[3];
        let ops = u64::try_from(&l4.naive.sizes.tree_ops).unwrap();
        assert!((50..=120).contains(&ops), "{ops}");
        assert!(l4.naive.sizes.dag < 40);
        assert!(l4.expanded.text.starts_with("64*(1 - 42*x"));
    }
}
