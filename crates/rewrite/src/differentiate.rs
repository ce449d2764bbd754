//! The differentiation phase: every `d` node is rewritten by the first matching
//! [differentiation rule](crate::DIFFERENTIATION), once, working from the outside in.
//!
//! Saturating the same rules with a [`Runner`](egg::Runner) would need one iteration per level
//! of the expression, each searching the whole e-graph (quadratic). Applying them per derivative,
//! in the order the derivatives appear, does the same rewrites in time linear in the DAG: each
//! `d x e` class is rewritten once, and the `d` nodes its right side creates are queued.

use crate::analysis::MathGraph;
use crate::error::DiffError;
use crate::rules::{CompiledRule, DIFFERENTIATION};
use egg::{Id, Language, Searcher};
use std::collections::HashSet;
use std::sync::LazyLock;
use symdiff_expr::Math;

static RULES: LazyLock<Vec<CompiledRule>> =
    LazyLock::new(|| DIFFERENTIATION.iter().map(|r| r.compile()).collect());

/// Counts of the differentiation phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffCounts {
    /// Derivatives rewritten (one rule application each).
    pub rewrites: usize,
}

/// Rewrites every `d` node reachable from `roots` (inner derivatives first), until none is
/// left. Fails with [`DiffError::TooLarge`] if the e-graph grows past `node_limit`.
pub fn differentiate(
    egraph: &mut MathGraph,
    roots: &[Id],
    node_limit: usize,
) -> Result<DiffCounts, DiffError> {
    let mut counts = DiffCounts::default();
    let mut done: HashSet<Id> = HashSet::new();
    // Derivatives written in the input, innermost first: ids of a RecExpr-built e-graph grow
    // from children to parents, so ascending ids are a topological order.
    let mut pending: Vec<Id> = input_derivatives(egraph, roots);
    pending.sort_unstable();
    for start in pending {
        let mut queue = vec![start];
        while let Some(class) = queue.pop() {
            let class = egraph.find(class);
            if !done.insert(class) {
                continue;
            }
            if egraph.total_size() > node_limit {
                return Err(DiffError::TooLarge {
                    nodes: egraph.total_size(),
                    limit: node_limit,
                });
            }
            if let Some(created) = rewrite_once(egraph, class) {
                counts.rewrites += 1;
                queue.extend(created);
            }
        }
    }
    egraph.rebuild();
    Ok(counts)
}

/// Applies the first differentiation rule that matches in `class` (one match only); returns
/// the `d` classes its right side created.
fn rewrite_once(egraph: &mut MathGraph, class: Id) -> Option<Vec<Id>> {
    // egg searches clean e-graphs only; rebuilding is incremental (just the pending unions).
    egraph.rebuild();
    let class = egraph.find(class);
    for rule in RULES.iter() {
        let Some(matches) = rule.lhs.search_eclass(egraph, class) else {
            continue;
        };
        for subst in &matches.substs {
            if let Some(created) = rule.apply(egraph, class, subst) {
                return Some(created);
            }
        }
    }
    None
}

/// The classes of `d` nodes written in the input reachable from `roots`.
fn input_derivatives(egraph: &MathGraph, roots: &[Id]) -> Vec<Id> {
    let mut seen = HashSet::new();
    let mut stack: Vec<Id> = roots.iter().map(|&r| egraph.find(r)).collect();
    let mut found = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for node in &egraph[id].nodes {
            if matches!(node, Math::D(_)) {
                found.push(id);
            }
            stack.extend(node.children().iter().map(|&c| egraph.find(c)));
        }
    }
    found
}
