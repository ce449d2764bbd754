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
use egg::{Id, Language};
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
///
/// ```
/// use symdiff_rewrite::{differentiate, MathAnalysis, MathGraph};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let root = egraph.add_expr(&"(d x (* x (sin x)))".parse().unwrap());
/// let counts = differentiate(&mut egraph, &[root], 10_000).unwrap();
/// assert!(counts.rewrites >= 3); // d(x*sin x), d(x), d(sin x), ...
/// let found = egraph.lookup_expr(&"(+ (* 1 (sin x)) (* x (* (cos x) 1)))".parse().unwrap());
/// assert_eq!(found.map(|id| egraph.find(id)), Some(egraph.find(root)));
/// ```
pub fn differentiate(
    egraph: &mut MathGraph,
    roots: &[Id],
    node_limit: usize,
) -> Result<DiffCounts, DiffError> {
    let mut counts = DiffCounts::default();
    // Each derivative `d x e` (by canonical ids) is rewritten once.
    let mut done: HashSet<(Id, Id)> = HashSet::new();
    // Derivatives written in the input, innermost first: ids of a RecExpr-built e-graph grow
    // from children to parents, so ascending ids are a topological order.
    let mut pending: Vec<Id> = input_derivatives(egraph, roots);
    pending.sort_unstable();
    for start in pending {
        let mut queue: Vec<(Id, Id, Id)> = egraph[start]
            .nodes
            .iter()
            .filter_map(|n| match *n {
                Math::D([x, e]) => Some((start, x, e)),
                _ => None,
            })
            .collect();
        while let Some((class, x, e)) = queue.pop() {
            if !done.insert((egraph.find(x), egraph.find(e))) {
                continue;
            }
            if egraph.total_size() > node_limit {
                return Err(DiffError::TooLarge {
                    nodes: egraph.total_size(),
                    limit: node_limit,
                });
            }
            if let Some(created) = rewrite_once(egraph, class, x, e) {
                counts.rewrites += 1;
                queue.extend(created);
            }
        }
    }
    egraph.rebuild();
    Ok(counts)
}

/// Applies the first differentiation rule that matches the derivative `d x e` of `class` (one
/// match only); returns the `d` nodes its right side created.
///
/// Matching is [`CompiledRule::match_derivative`], not egg's searcher: egg searches clean
/// e-graphs only, and rebuilding after every rewrite costs time proportional to the whole
/// e-graph (quadratic overall). The e-graph is rebuilt once, at the end.
fn rewrite_once(egraph: &mut MathGraph, class: Id, x: Id, e: Id) -> Option<Vec<(Id, Id, Id)>> {
    let (rule, subst) = first_match(egraph, x, e)?;
    if rule.forward.is_some() {
        // `d x (a + c)` with `c` free of x is `d x a`: follow such steps down a long sum to the
        // first term that holds x, and create one `d` there instead of one per term skipped
        // (a gradient of an n-term sum would otherwise make n² derivative nodes).
        let mut target = e;
        let mut step = Some((rule, subst));
        while let Some((rule, subst)) = step.take() {
            let Some(v) = rule.forward else { break };
            target = egraph.find(subst[v]);
            step = first_match(egraph, x, target);
        }
        let derivative = egraph.add(Math::D([x, target]));
        egraph.union(class, derivative);
        return Some(vec![(derivative, x, target)]);
    }
    rule.apply(egraph, class, &subst)
}

/// The first differentiation rule (in priority order) whose left side matches `d x e` and whose
/// guard holds, with its match.
fn first_match(egraph: &MathGraph, x: Id, e: Id) -> Option<(&'static CompiledRule, egg::Subst)> {
    RULES.iter().find_map(|rule| {
        rule.match_derivative(egraph, x, e)
            .into_iter()
            .find(|subst| rule.guard.holds(egraph, subst))
            .map(|subst| (rule, subst))
    })
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
