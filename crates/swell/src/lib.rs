//! # symdiff-swell
//!
//! How large does a derivative get? This crate holds the expression families of symdiff's swell
//! analysis and the report that measures them.
//!
//! ```
//! use symdiff_swell::{Family, Sizes};
//! let l12 = Family::Logistic.member(12).unwrap();
//! let s = Sizes::of(&[l12.input]);
//! assert_eq!(s.dag, 36);                     // the map built as a DAG: linear in k
//! assert_eq!(s.tree, 12_283u32.into());      // written out as a tree: exponential
//! ```

mod baydin;
mod families;
mod naive;
mod poly;
mod sizes;

pub use baydin::{baydin_rows, BaydinRow, Shown};
pub use families::{Family, Member, Mode};
pub use naive::naive_derivative;
pub use poly::{Poly, MAX_DEGREE};
pub use sizes::Sizes;
