//! Forward and reverse traces (the example lives in `crates/ad/examples/forward_reverse.rs`).
//!
//! Run with `cargo run --example forward_reverse`.

include!("../crates/ad/examples/forward_reverse.rs");
