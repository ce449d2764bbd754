//! What the process-wide expression store holds, for the memory test and benchmark.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use symdiff_expr::var;

/// `_store_nodes()`: the number of nodes in the process-wide expression store (which never
/// frees; see ARCHITECTURE.md). Read as the id of a freshly interned probe variable, since ids
/// are dense and ascending; so each call adds that one probe node. Diagnostics, not API.
#[pyfunction]
pub fn _store_nodes() -> usize {
    static PROBE: AtomicU64 = AtomicU64::new(0);
    let n = PROBE.fetch_add(1, Ordering::Relaxed);
    usize::from(var(&format!("_store_probe_{n}")).id())
}
