//! Extraction: choose one node per e-class so that the derivative is small *as a DAG*.
//!
//! [`dag_choices`] is a greedy DAG extractor in the spirit of extraction-gym's
//! `faster-greedy-dag`: a node's cost is the *set* of classes it needs (itself plus the union of
//! its children's sets), so a subexpression shared by both children counts once. The classic
//! tree-cost extractor ([`tree_choices`], as egg's `AstSize`, `d` forbidden) stays available;
//! both are heuristics, so [`extract`] runs both and keeps the smaller DAG. No extractor ever
//! picks a `d` node.

use crate::analysis::MathGraph;
use crate::stats::Size;
use egg::{Id, Language, RecExpr};
use num_rational::BigRational;
use num_traits::{One, Signed};
use std::collections::{HashMap, HashSet, VecDeque};
use symdiff_expr::{to_recexpr_many, BigUint, Constant, Expr, Math};

/// How results are compared, best first: no [range hazard](squares_hypot) (a result that
/// squares a `hypot` overflows where the derivative is representable), then fewer
/// *operations* (DAG nodes other than numbers and named constants, see [`is_constant_leaf`]),
/// then a smaller tree (what is written out). The derived order is lexicographic in that field
/// order.
///
/// ```
/// use symdiff_rewrite::extract::Preference;
/// let p = |s: &str| Preference::of(&[symdiff_expr::parse(s).unwrap()]);
/// assert_eq!(p("3*x^2"), p("x*(3*x)")); // 2 operations and x; 5 nodes as a tree
/// assert!(p("2*cos(x) - x*sin(x)") < p("cos(x) + (cos(x) - x*sin(x))"));
/// assert!(p("x*x + 1") < p("x*(x + 1) - x + 1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Preference {
    /// Nodes that square a `hypot` ([`squares_hypot`]).
    pub range_hazards: usize,
    /// DAG nodes that are not constants (shared subexpressions once).
    pub operations: usize,
    /// Tree nodes (shared subexpressions as often as they occur).
    pub tree: BigUint,
}

impl Preference {
    /// The preference of the expressions rooted at `roots` in `rec` (children before parents).
    pub fn of_rec(rec: &RecExpr<Math>, roots: &[Id]) -> Preference {
        let size = Size::of_rec(rec, roots);
        let nodes = rec.as_ref();
        let mut reached = vec![false; nodes.len()];
        for &r in roots {
            reached[usize::from(r)] = true;
        }
        let (mut constants, mut range_hazards) = (0, 0);
        for i in (0..nodes.len()).rev() {
            if reached[i] {
                constants += is_constant_leaf(&nodes[i]) as usize;
                let node = |id: Id| &nodes[usize::from(id)];
                range_hazards += squares_hypot(
                    &nodes[i],
                    |a, b| a == b,
                    |id| matches!(node(id), Math::Hypot(_)),
                    |id| match node(id) {
                        Math::Num(c) => Some(c),
                        _ => None,
                    },
                ) as usize;
                for &c in nodes[i].children() {
                    reached[usize::from(c)] = true;
                }
            }
        }
        Preference {
            range_hazards,
            operations: size.dag - constants,
            tree: size.tree,
        }
    }

    /// The preference of `exprs` (their shared DAG).
    pub fn of(exprs: &[Expr]) -> Preference {
        let (rec, roots) = to_recexpr_many(exprs);
        Preference::of_rec(&rec, &roots)
    }
}

/// Which extractor to use.
///
/// Greedy DAG extraction costs time and memory proportional to nodes × classes / 64 (more when
/// a class's cost improves and its ancestors are revisited); past [`MAX_DAG_EXTRACTION_WORK`]
/// it stops and the tree-cost choice is used instead, so extraction stays bounded on huge
/// e-graphs (a 20,000-deep `sin(sin(...))` chain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extraction {
    /// Greedy DAG extraction and tree-cost extraction; keep the smaller DAG (default).
    #[default]
    Best,
    /// Greedy DAG extraction only (tree-cost extraction past its work budget).
    Dag,
    /// Tree-cost extraction only (egg's `AstSize`, for comparison).
    Tree,
}

/// The work budget of greedy DAG extraction, in 64-bit words of class sets built or merged
/// (about 10-40 ms and at most ~80 MB).
pub const MAX_DAG_EXTRACTION_WORK: usize = 10_000_000;

/// A choice of node per canonical class.
pub type Choices = HashMap<Id, Math>;

/// What a cost function says of one node, given its children's costs.
enum Step<C> {
    /// The node's cost.
    Cost(C),
    /// The node cannot be chosen (it closes a cycle through its own class).
    Skip,
    /// Give up: the work budget is spent.
    Abort,
}

/// The e-graph indexed once for the extractors: classes and nodes by position, each node's
/// children as class positions, the parents of each class, and what the costs read of a node
/// (its style penalty, whether it is a range hazard or a constant leaf), so that the several
/// extractions of one call share one pass over the e-graph's hash maps.
struct Indexed<'g> {
    classes: Vec<Id>,
    nodes: Vec<IndexedNode<'g>>,
    /// The children of every node, as class positions (`IndexedNode::children` ranges).
    children: Vec<usize>,
    /// For each class, the nodes that have it as a child.
    parents: Vec<Vec<usize>>,
}

struct IndexedNode<'g> {
    class: usize,
    node: &'g Math,
    children: std::ops::Range<usize>,
    style: u8,
    hazard: bool,
    constant_leaf: bool,
}

impl<'g> Indexed<'g> {
    /// Every node but `d` nodes (never chosen).
    fn new(egraph: &'g MathGraph) -> Self {
        let classes: Vec<Id> = egraph.classes().map(|c| c.id).collect();
        let ids = classes
            .iter()
            .map(|&id| usize::from(id) + 1)
            .max()
            .unwrap_or(0);
        let mut position = vec![usize::MAX; ids];
        for (ci, &id) in classes.iter().enumerate() {
            position[usize::from(id)] = ci;
        }
        let mut nodes = Vec::new();
        let mut children = Vec::new();
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
        for (ci, class) in egraph.classes().enumerate() {
            for node in &class.nodes {
                if matches!(node, Math::D(_)) {
                    continue;
                }
                let start = children.len();
                for &c in node.children() {
                    let cc = position[usize::from(egraph.find(c))];
                    children.push(cc);
                    parents[cc].push(nodes.len());
                }
                nodes.push(IndexedNode {
                    class: ci,
                    node,
                    children: start..children.len(),
                    style: style_penalty(egraph, node),
                    hazard: range_hazard(egraph, node),
                    constant_leaf: is_constant_leaf(node),
                });
            }
        }
        Indexed {
            classes,
            nodes,
            children,
            parents,
        }
    }

    /// The shared bottom-up worklist of the extractors: every node gets a cost once all its
    /// children have one; a class keeps its cheapest node (by `better`), and an improvement
    /// re-queues the class's parents. Linear in the nodes when costs do not improve (unlike
    /// egg's `Extractor`, whose fixpoint sweeps are quadratic on deep chains).
    fn bottom_up<C>(
        &self,
        mut cost: impl FnMut(&IndexedNode<'g>, &[&C]) -> Step<C>,
        better: impl Fn(&C, &C) -> bool,
    ) -> Option<Choices> {
        let mut queue: VecDeque<usize> = (0..self.nodes.len())
            .filter(|&n| self.nodes[n].children.is_empty())
            .collect();
        let mut queued = vec![false; self.nodes.len()];
        for &n in &queue {
            queued[n] = true;
        }
        let mut best: Vec<Option<(usize, C)>> = (0..self.classes.len()).map(|_| None).collect();
        while let Some(n) = queue.pop_front() {
            queued[n] = false;
            let node = &self.nodes[n];
            let c = {
                let mut children: Vec<&C> = Vec::with_capacity(node.children.len());
                let mut ready = true;
                for &cc in &self.children[node.children.clone()] {
                    match &best[cc] {
                        Some((_, cost)) => children.push(cost),
                        None => {
                            ready = false;
                            break;
                        }
                    }
                }
                if !ready {
                    continue; // a child has no cost yet
                }
                match cost(node, &children) {
                    Step::Cost(c) => c,
                    Step::Skip => continue,
                    Step::Abort => return None,
                }
            };
            let ci = node.class;
            if best[ci].as_ref().is_none_or(|(_, old)| better(&c, old)) {
                best[ci] = Some((n, c));
                for &p in &self.parents[ci] {
                    if !queued[p] {
                        queued[p] = true;
                        queue.push_back(p);
                    }
                }
            }
        }
        Some(
            best.into_iter()
                .enumerate()
                .filter_map(|(ci, b)| {
                    b.map(|(n, _)| (self.classes[ci], self.nodes[n].node.clone()))
                })
                .collect(),
        )
    }

    /// Greedy DAG extraction (see [`dag_choices`]).
    fn greedy_dag(&self, constants: Constants) -> Option<Choices> {
        struct DagCost {
            hazard: bool,
            needs: ClassSet,
            depth: usize,
            style: u8,
        }
        let classes = self.classes.len();
        let words = classes.div_ceil(64);
        let mut work = 0usize;
        self.bottom_up(
            |node, children: &[&DagCost]| {
                work += words * (1 + children.len());
                if work > MAX_DAG_EXTRACTION_WORK {
                    return Step::Abort;
                }
                let mut needs = match children.split_first() {
                    Some((first, rest)) => {
                        let mut needs = first.needs.clone();
                        for c in rest {
                            needs.union_with(&c.needs);
                        }
                        needs
                    }
                    None => ClassSet::new(classes),
                };
                if needs.contains(node.class) {
                    return Step::Skip;
                }
                if constants == Constants::Counted || !node.constant_leaf {
                    needs.insert(node.class);
                }
                Step::Cost(DagCost {
                    hazard: node.hazard || children.iter().any(|c| c.hazard),
                    needs,
                    depth: 1 + children.iter().map(|c| c.depth).max().unwrap_or(0),
                    style: node.style,
                })
            },
            |a, b| {
                (a.hazard, a.needs.len(), a.depth, a.style)
                    < (b.hazard, b.needs.len(), b.depth, b.style)
            },
        )
    }

    /// Tree-cost extraction (see [`tree_choices`]).
    fn tree(&self) -> Choices {
        self.bottom_up(
            |node, children: &[&(bool, u64)]| {
                Step::Cost((
                    node.hazard || children.iter().any(|c| c.0),
                    children.iter().fold(1u64, |sum, c| sum.saturating_add(c.1)),
                ))
            },
            |a, b| a < b,
        )
        .expect("tree extraction has no budget to exhaust")
    }
}

/// Greedy DAG extraction: for every class with a finite cost, the node whose set of needed
/// classes is smallest (`None` past [`MAX_DAG_EXTRACTION_WORK`]); ties go to the shallower,
/// then to the conventional order of operands. (Breaking ties by tree size was measured to lose
/// sharing upstream: the logistic map's derivative grew from 13 to 16 nodes at n = 4.)
///
/// ```
/// use symdiff_rewrite::{extract::dag_choices, MathAnalysis, MathGraph};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let root = egraph.add_expr(&"(+ (sin x) (sin x))".parse().unwrap());
/// egraph.rebuild();
/// assert!(dag_choices(&egraph).unwrap().contains_key(&egraph.find(root)));
/// ```
pub fn dag_choices(egraph: &MathGraph) -> Option<Choices> {
    Indexed::new(egraph).greedy_dag(Constants::Counted)
}

/// Whether greedy DAG extraction counts constant leaves ([`is_constant_leaf`]) as nodes.
/// Counting them makes forms that share a constant (`4*x` and `4 - 4*x`) cheaper, which keeps
/// sharing on chains such as the logistic map; not counting them prices `x^2` as `x*x` and
/// `2*cos(x)` as `cos(x)`, which the textbook forms need. [`extract`] tries both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Constants {
    Counted,
    Free,
}

/// A set of class indices as a bitset: unions cost one pass over `classes / 64` words.
#[derive(Clone)]
struct ClassSet {
    words: Vec<u64>,
    len: usize,
}

impl ClassSet {
    fn new(classes: usize) -> Self {
        ClassSet {
            words: vec![0; classes.div_ceil(64)],
            len: 0,
        }
    }

    fn contains(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    fn insert(&mut self, i: usize) {
        if !self.contains(i) {
            self.words[i / 64] |= 1 << (i % 64);
            self.len += 1;
        }
    }

    fn union_with(&mut self, other: &ClassSet) {
        let mut len = 0;
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
            len += a.count_ones() as usize;
        }
        self.len = len;
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// Among equally small choices, what people write: `3*x` rather than `x*3`, `x + 1` rather
/// than `1 + x`, `a^2` rather than `a*a`, `b - a` rather than `-a + b`, `x + 4` rather than
/// `x - (-4)`.
fn style_penalty(egraph: &MathGraph, node: &Math) -> u8 {
    let constant = |id: Id| egraph[id].data.constant.is_some();
    let negated = |id: Id| egraph[id].nodes.iter().all(|n| matches!(n, Math::Neg(_)));
    let negative = |id: Id| {
        egraph[id]
            .data
            .constant
            .as_ref()
            .is_some_and(|c| c.is_negative())
    };
    // `a*(k*a)`: a factor repeated inside the other instead of a power.
    let repeats = |a: Id, b: Id| {
        let a = egraph.find(a);
        egraph[b]
            .nodes
            .iter()
            .any(|n| matches!(n, Math::Mul([c, d]) if egraph.find(*c) == a || egraph.find(*d) == a))
    };
    match *node {
        Math::Mul([a, b]) if egraph.find(a) == egraph.find(b) => 2,
        Math::Mul([a, b]) if repeats(a, b) || repeats(b, a) => 2,
        Math::Mul([a, b]) => (constant(b) && !constant(a)) as u8,
        Math::Add([a, b]) => {
            (constant(a) && !constant(b)) as u8 + negated(a) as u8 + 2 * negative(b) as u8
        }
        Math::Sub([_, b]) => 2 * negative(b) as u8,
        _ => 0,
    }
}

/// A range hazard: `h*h` or `h^c` (`|c| > 1`) for a `hypot` `h`. `hypot(a, b)` is how a
/// derivative avoids forming `a² + b²`, which overflows for `|a| > 1e154` where the derivative
/// (`d atan(a) = a'/hypot(1, a)/hypot(1, a)`, `d atan2(a, b)` divided by `hypot(a, b)` twice,
/// `d asinh(a) = a'/hypot(1, a)`) is still representable; its square undoes that.
/// The fact, given how to compare classes, recognise a `hypot` and read a constant.
fn squares_hypot<'c>(
    node: &Math,
    same: impl Fn(Id, Id) -> bool,
    is_hypot: impl Fn(Id) -> bool,
    constant: impl Fn(Id) -> Option<&'c Constant>,
) -> bool {
    match *node {
        Math::Mul([a, b]) => same(a, b) && is_hypot(a),
        Math::Pow([a, c]) => {
            is_hypot(a) && constant(c).is_some_and(|c| c.value().abs() > BigRational::one())
        }
        _ => false,
    }
}

/// [`squares_hypot`] in the e-graph.
fn range_hazard(egraph: &MathGraph, node: &Math) -> bool {
    squares_hypot(
        node,
        |a, b| egraph.find(a) == egraph.find(b),
        |id| egraph[id].nodes.iter().any(|n| matches!(n, Math::Hypot(_))),
        |id| egraph[id].data.constant.as_ref(),
    )
}

/// Numbers and named constants: compiled code holds them as immediates, so the DAG cost does
/// not count them (`x^2` costs what `x*x` costs).
fn is_constant_leaf(node: &Math) -> bool {
    matches!(node, Math::Num(_) | Math::Named(_))
}

/// Tree-cost extraction: for every class, the node with the smallest tree (saturating), as
/// egg's `AstSize` would choose, `d` forbidden.
///
/// ```
/// use symdiff_rewrite::{extract::tree_choices, MathAnalysis, MathGraph};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let root = egraph.add_expr(&"(* x (+ x 1))".parse().unwrap());
/// egraph.rebuild();
/// assert_eq!(tree_choices(&egraph).len(), 4); // x, 1, x + 1, the product
/// ```
pub fn tree_choices(egraph: &MathGraph) -> Choices {
    Indexed::new(egraph).tree()
}

/// Builds the DAG the choices describe for `roots` (each class once, children first); `None` if
/// some needed class has no choice (it holds only `d` nodes, or only cycles).
///
/// ```
/// use symdiff_rewrite::{extract::{build, dag_choices}, MathAnalysis, MathGraph};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let root = egraph.add_expr(&"(* (+ x 1) (+ x 1))".parse().unwrap());
/// egraph.rebuild();
/// let (rec, roots) = build(&egraph, &dag_choices(&egraph).unwrap(), &[root]).unwrap();
/// assert_eq!((rec.len(), roots.len()), (4, 1)); // x, 1, x + 1 (once), the product
/// ```
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
///
/// ```
/// use symdiff_rewrite::{extract::{extract, Extraction}, MathAnalysis, MathGraph};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let a = egraph.add_expr(&"(sin (+ x 1))".parse().unwrap());
/// let b = egraph.add_expr(&"(cos (+ x 1))".parse().unwrap());
/// egraph.rebuild();
/// let (rec, roots) = extract(&egraph, &[a, b], Extraction::Best).unwrap();
/// assert_eq!((rec.len(), roots.len()), (5, 2)); // x + 1 is shared by both roots
/// ```
pub fn extract(
    egraph: &MathGraph,
    roots: &[Id],
    how: Extraction,
) -> Option<(RecExpr<Math>, Vec<Id>)> {
    let indexed = Indexed::new(egraph);
    let candidate = |choices: Choices| {
        let (rec, ids) = build(egraph, &choices, roots)?;
        let preference = Preference::of_rec(&rec, &ids);
        Some(Candidate {
            choices,
            rec,
            ids,
            preference,
        })
    };
    let dag = |constants| indexed.greedy_dag(constants).and_then(candidate);
    let tree = || candidate(indexed.tree());
    let candidates = match how {
        Extraction::Dag => {
            let dags = vec![dag(Constants::Free), dag(Constants::Counted)];
            if dags.iter().any(Option::is_some) {
                dags
            } else {
                vec![tree()]
            }
        }
        Extraction::Tree => vec![tree()],
        Extraction::Best => vec![dag(Constants::Free), dag(Constants::Counted), tree()],
    };
    let best = candidates
        .into_iter()
        .flatten()
        .min_by(|a, b| a.preference.cmp(&b.preference))?;
    let best = if how != Extraction::Tree && best.rec.len() <= MAX_REFINED_NODES {
        refine(egraph, roots, best)
    } else {
        best
    };
    Some((best.rec, best.ids))
}

/// An extraction: the choices and the DAG they build for the roots.
struct Candidate {
    choices: Choices,
    rec: RecExpr<Math>,
    ids: Vec<Id>,
    preference: Preference,
}

/// The largest extracted DAG (nodes) that [`refine`] improves: the results people read.
const MAX_REFINED_NODES: usize = 32;

/// Passes of [`refine`] at most.
const REFINE_PASSES: usize = 3;

/// Local search on an extraction: for every class the DAG uses, tries each other node of the
/// class (the rest of the choices unchanged) and keeps a change that makes the whole DAG
/// better by [`Preference`]. Greedy extraction chooses each class alone, so it misses a node
/// whose children another part of the result already needs (`8*x*(4 - 4*x)` beside `4 - 8*x`
/// shares `8*x`); this sees the whole result. Each try builds the (small) DAG once.
fn refine(egraph: &MathGraph, roots: &[Id], mut best: Candidate) -> Candidate {
    for _ in 0..REFINE_PASSES {
        let mut improved = false;
        let used: Vec<Id> = used_classes(egraph, &best.choices, roots);
        for class in used {
            let current = best.choices[&class].clone();
            for node in &egraph[class].nodes {
                if *node == current || matches!(node, Math::D(_)) {
                    continue;
                }
                best.choices.insert(class, node.clone());
                let better = build(egraph, &best.choices, roots)
                    .map(|(rec, ids)| {
                        let preference = Preference::of_rec(&rec, &ids);
                        (rec, ids, preference)
                    })
                    .filter(|(_, _, preference)| *preference < best.preference);
                match better {
                    Some((rec, ids, preference)) => {
                        (best.rec, best.ids, best.preference) = (rec, ids, preference);
                        improved = true;
                        break;
                    }
                    // A cycle, a child without a choice, or no better.
                    None => {
                        best.choices.insert(class, current.clone());
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    best
}

/// The classes the choices reach from `roots`.
fn used_classes(egraph: &MathGraph, choices: &Choices, roots: &[Id]) -> Vec<Id> {
    let mut seen: HashSet<Id> = HashSet::new();
    let mut order = Vec::new();
    let mut stack: Vec<Id> = roots.iter().map(|&r| egraph.find(r)).collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        order.push(id);
        if let Some(node) = choices.get(&id) {
            stack.extend(node.children().iter().map(|&c| egraph.find(c)));
        }
    }
    order
}
