//! # symdiff
//!
//! Symbolic differentiation in an e-graph. This facade re-exports the public API of the
//! workspace's crates.
//!
//! ```
//! let f = symdiff::parse("x1*x2 + x2 - ln(x1)").unwrap();
//! assert_eq!(f.free_vars().len(), 2);
//! ```

pub use symdiff_expr::*;
