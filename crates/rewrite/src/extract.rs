//! Extraction: choose one node per e-class so that the derivative is small *as a DAG*.
//!
//! [`dag_choices`] is a greedy DAG extractor in the spirit of extraction-gym's
//! `faster-greedy-dag`: a node's cost is the *set* of classes it needs (itself plus the union of
//! its children's sets), so a subexpression shared by both children counts once. The classic
//! tree-cost extractor ([`tree_choices`], egg's `AstSize` with `d` forbidden) stays available;
//! both are heuristics, so [`extract`] runs both and keeps the smaller DAG. No extractor ever
//! picks a `d` node.

use crate::analysis::MathGraph;
use egg::{CostFunction, Extractor, Id, Language, RecExpr};
use std::collections::{HashMap, HashSet, VecDeque};
use symdiff_expr::Math;

/// Which extractor to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extraction {
    /// Greedy DAG extraction and tree-cost extraction; keep the smaller DAG (default).
    #[default]
    Best,
    /// Greedy DAG extraction only.
    Dag,
    /// Tree-cost extraction only (egg's `AstSize`, for comparison).
    Tree,
}

/// A choice of node per canonical class.
pub type Choices = HashMap<Id, Math>;

/// Greedy DAG extraction: for every class with a finite cost, the node whose set of needed
/// classes is smallest (ties broken by depth).
pub fn dag_choices(egraph: &MathGraph) -> Choices {
    let classes: Vec<Id> = egraph.classes().map(|c| c.id).collect();
    let index: HashMap<Id, usize> = classes.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    // Nodes as (class index, node index); parents of each class.
    let mut parents: Vec<Vec<(usize, usize)>> = vec![Vec::new(); classes.len()];
    let mut queue: VecDeque<(usize, usize)> = VecDeque::new();
    for (ci, &id) in classes.iter().enumerate() {
        for (ni, node) in egraph[id].nodes.iter().enumerate() {
            if matches!(node, Math::D(_)) {
                continue;
            }
            if node.is_leaf() {
                queue.push_back((ci, ni));
            }
            for &c in node.children() {
                parents[index[&egraph.find(c)]].push((ci, ni));
            }
        }
    }
    struct Best {
        node: usize,
        needs: HashSet<usize>,
        depth: usize,
        style: u8,
    }
    let mut best: Vec<Option<Best>> = (0..classes.len()).map(|_| None).collect();
    let mut queued: HashSet<(usize, usize)> = queue.iter().copied().collect();
    while let Some((ci, ni)) = queue.pop_front() {
        queued.remove(&(ci, ni));
        let node = &egraph[classes[ci]].nodes[ni];
        let children: Vec<usize> = node
            .children()
            .iter()
            .map(|&c| index[&egraph.find(c)])
            .collect();
        if children.iter().any(|&c| best[c].is_none()) {
            continue;
        }
        // Start from the largest child set; add the others.
        let largest = children
            .iter()
            .copied()
            .max_by_key(|&c| best[c].as_ref().map_or(0, |b| b.needs.len()));
        let mut needs = largest.map_or_else(HashSet::new, |c| {
            best[c]
                .as_ref()
                .map(|b| b.needs.clone())
                .unwrap_or_default()
        });
        for &c in &children {
            if Some(c) != largest {
                needs.extend(
                    best[c]
                        .as_ref()
                        .map(|b| b.needs.iter().copied())
                        .into_iter()
                        .flatten(),
                );
            }
        }
        if needs.contains(&ci) {
            continue; // a cycle through this class
        }
        needs.insert(ci);
        let depth = 1 + children
            .iter()
            .map(|&c| best[c].as_ref().map_or(0, |b| b.depth))
            .max()
            .unwrap_or(0);
        let style = style_penalty(egraph, node);
        let better = match &best[ci] {
            None => true,
            Some(b) => (needs.len(), depth, style) < (b.needs.len(), b.depth, b.style),
        };
        if better {
            best[ci] = Some(Best {
                node: ni,
                needs,
                depth,
                style,
            });
            for &p in &parents[ci] {
                if queued.insert(p) {
                    queue.push_back(p);
                }
            }
        }
    }
    best.into_iter()
        .enumerate()
        .filter_map(|(ci, b)| b.map(|b| (classes[ci], egraph[classes[ci]].nodes[b.node].clone())))
        .collect()
}

/// Among equally small choices, the conventional order: `3*x` rather than `x*3`, `x + 1` rather
/// than `1 + x`.
fn style_penalty(egraph: &MathGraph, node: &Math) -> u8 {
    let constant = |id: Id| egraph[id].data.constant.is_some();
    match *node {
        Math::Mul([a, b]) => (constant(b) && !constant(a)) as u8,
        Math::Add([a, b]) => (constant(a) && !constant(b)) as u8,
        _ => 0,
    }
}

/// Tree size with `d` forbidden.
struct TreeSize;

impl CostFunction<Math> for TreeSize {
    type Cost = usize;
    fn cost<C: FnMut(Id) -> usize>(&mut self, enode: &Math, mut costs: C) -> usize {
        if matches!(enode, Math::D(_)) {
            return usize::MAX;
        }
        enode.fold(1usize, |sum, id| sum.saturating_add(costs(id)))
    }
}

/// Tree-cost extraction (egg's `Extractor` with tree size, `d` forbidden).
pub fn tree_choices(egraph: &MathGraph, roots: &[Id]) -> Choices {
    let extractor = Extractor::new(egraph, TreeSize);
    let mut choices = Choices::new();
    let mut stack: Vec<Id> = roots.iter().map(|&r| egraph.find(r)).collect();
    while let Some(id) = stack.pop() {
        if choices.contains_key(&id) || extractor.find_best_cost(id) == usize::MAX {
            continue;
        }
        let node = extractor.find_best_node(id).clone();
        stack.extend(node.children().iter().map(|&c| egraph.find(c)));
        choices.insert(id, node);
    }
    choices
}

/// Builds the DAG the choices describe for `roots` (each class once, children first); `None` if
/// some needed class has no choice (it holds only `d` nodes, or only cycles).
pub fn build(
    egraph: &MathGraph,
    choices: &Choices,
    roots: &[Id],
) -> Option<(RecExpr<Math>, Vec<Id>)> {
    let mut rec = RecExpr::default();
    let mut built: HashMap<Id, Id> = HashMap::new();
    let mut visiting: HashSet<Id> = HashSet::new();
    let mut stack: Vec<Id> = roots.iter().rev().map(|&r| egraph.find(r)).collect();
    while let Some(&id) = stack.last() {
        if built.contains_key(&id) {
            stack.pop();
            continue;
        }
        let node = choices.get(&id)?;
        let pending: Vec<Id> = node
            .children()
            .iter()
            .map(|&c| egraph.find(c))
            .filter(|c| !built.contains_key(c))
            .collect();
        if pending.is_empty() {
            let new = rec.add(node.clone().map_children(|c| built[&egraph.find(c)]));
            built.insert(id, new);
            stack.pop();
        } else {
            if !visiting.insert(id) {
                return None; // the choices form a cycle
            }
            stack.extend(pending);
        }
    }
    let ids = roots.iter().map(|&r| built[&egraph.find(r)]).collect();
    Some((rec, ids))
}

/// Extracts `roots` together (entries share subexpressions) with the chosen extractor; returns
/// the DAG and the root ids in it.
pub fn extract(
    egraph: &MathGraph,
    roots: &[Id],
    how: Extraction,
) -> Option<(RecExpr<Math>, Vec<Id>)> {
    let dag = || build(egraph, &dag_choices(egraph), roots);
    let tree = || build(egraph, &tree_choices(egraph, roots), roots);
    match how {
        Extraction::Dag => dag(),
        Extraction::Tree => tree(),
        Extraction::Best => match (dag(), tree()) {
            (Some(a), Some(b)) => Some(if b.0.len() < a.0.len() { b } else { a }),
            (a, b) => a.or(b),
        },
    }
}
