//! [`Sizes`]: the size figures the report shows for one expression (or several sharing a DAG).
//!
//! The definitions are `symdiff-expr`'s [`metrics`](symdiff_expr::metrics): every operator and
//! every leaf is one node; operators are binary; `tree` unfolds shared subexpressions, `dag`
//! counts each distinct subexpression once.

use num_bigint::BigUint;
use num_traits::ToPrimitive;
use serde::{Serialize, Serializer};
use symdiff_expr::{metrics_many, Expr, Metrics};

/// Tree size, DAG size and depth (the same three figures as `symdiff_rewrite::Size`).
///
/// ```
/// use symdiff_expr::var;
/// use symdiff_swell::Sizes;
/// let x = var("x");
/// let s = Sizes::of(&[(x + 1) * (x + 1)]);
/// assert_eq!((s.tree.clone(), s.dag, s.depth), (7u32.into(), 4, 3));
/// assert_eq!(serde_json::to_value(&s).unwrap()["tree"], 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sizes {
    /// Nodes of the unfolded tree (exact; a JSON number up to 2^64, else a decimal string).
    #[serde(serialize_with = "serialize_biguint")]
    pub tree: BigUint,
    /// Distinct subexpressions.
    pub dag: usize,
    /// Nodes on the longest root-to-leaf path.
    pub depth: usize,
}

impl Sizes {
    /// The sizes of several expressions taken together (a gradient's entries share one DAG;
    /// their trees add up).
    ///
    /// ```
    /// use symdiff_expr::var;
    /// let x = var("x");
    /// let s = symdiff_swell::Sizes::of(&[x.sin(), x.sin() * x]);
    /// assert_eq!((s.dag, s.tree.clone()), (3, 6u32.into()));
    /// ```
    pub fn of(roots: &[Expr]) -> Sizes {
        Sizes::from(&metrics_many(roots))
    }

    /// The tree size as an `f64` (for ratios and plots; exact up to 2^53).
    ///
    /// ```
    /// let s = symdiff_swell::Sizes::of(&[symdiff_expr::var("x")]);
    /// assert_eq!(s.tree_f64(), 1.0);
    /// ```
    pub fn tree_f64(&self) -> f64 {
        self.tree.to_f64().unwrap_or(f64::INFINITY)
    }
}

impl From<&Metrics> for Sizes {
    fn from(m: &Metrics) -> Sizes {
        Sizes {
            tree: m.tree.clone(),
            dag: m.dag,
            depth: m.depth,
        }
    }
}

/// Serializes a big unsigned integer as a JSON number when it fits in u64, else as a string.
pub(crate) fn serialize_biguint<S: Serializer>(value: &BigUint, s: S) -> Result<S::Ok, S::Error> {
    match u64::try_from(value) {
        Ok(v) => s.serialize_u64(v),
        Err(_) => s.serialize_str(&value.to_string()),
    }
}
