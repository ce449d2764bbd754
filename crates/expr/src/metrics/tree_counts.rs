//! Exact tree counts of a DAG: how many nodes (of each class) the DAG has once unfolded into
//! trees. The one tree-count algorithm of the workspace: [`Metrics`](super::Metrics) and the
//! rewrite crate's `Size` both use it.
//!
//! The tree under a node is the node plus the trees under its children, so the counts are
//! summed bottom-up in one sweep over the DAG, children first: `t(v) = w(v) + sum t(child)`,
//! with `w(v)` 1 for the nodes counted, 0 for the others. A node's count is dropped after its
//! last parent has used it, so a chain keeps a few counts alive, not one per node.
//!
//! The counts fit in `u64` on most inputs and are then counted top-down instead, all classes in
//! one sweep (a node occurs once per root-to-node path, and its paths are its parents'). A deep shared DAG has
//! counts of thousands of bits (the logistic map at depth 10^4 has 3 * 2^10000 - 5 nodes, its
//! gradient about 2^20000), and adding big numbers at every node would cost the counts' words
//! times the edges. Most nodes' counts are small multiples of their children's plus a
//! constant, though (`t(4*l) = t(l) + 2`, `t(4*l*(1 - l)) = 2 t(l) + 5`), so counts are kept
//! as short sums of multiples of shared big numbers ([`Lazy`]), and a new big number is written
//! out only when such a sum grows past small bounds (on the logistic map, one node in several).
//! Writing out adds words of 56 bits without carries (see [`Base`]), which vectorises. Live
//! counts sit in reused slots, so the memory of the sweep stays small and hot.

use crate::language::Math;
use egg::{Id, Language};
use num_bigint::BigUint;
use smallvec::SmallVec;
use std::rc::Rc;

/// The tree counts of classes of nodes in `nodes` (a DAG whose children precede their
/// parents; node `i` is in class `class_of(i)`, below `classes`): entry `k` is how many nodes
/// of class `k` the trees rooted at `roots` have (a repeated root counts again). Exact; one
/// sweep over `nodes` for all classes when every node occurs at most `u64::MAX` times, else
/// one per class present.
///
/// ```
/// use symdiff_expr::egg::{Id, Language};
/// use symdiff_expr::metrics::tree_counts;
/// // (x + 1)*(x + 1) unfolded: 4 leaves (x, 1, x, 1) and 3 operators.
/// let rec = symdiff_expr::parse("(x + 1)*(x + 1)").unwrap().to_recexpr();
/// let nodes = rec.as_ref();
/// let root = Id::from(nodes.len() - 1);
/// let counts = tree_counts(nodes, &[root], 2, |i| usize::from(!nodes[i].is_leaf()));
/// assert_eq!(counts, [4u32.into(), 3u32.into()]);
/// ```
pub fn tree_counts(
    nodes: &[Math],
    roots: &[Id],
    classes: usize,
    class_of: impl Fn(usize) -> usize,
) -> Vec<BigUint> {
    if let Some(counts) = small_tree_counts(nodes, roots, classes, &class_of) {
        return counts.into_iter().map(BigUint::from).collect();
    }
    let uses = uses(nodes, roots);
    let mut present = vec![false; classes];
    for (i, &u) in uses.iter().enumerate() {
        if u > 0 {
            present[class_of(i)] = true;
        }
    }
    (0..classes)
        .map(|k| match present[k] {
            true => weighted_tree_size(nodes, roots, &uses, |i| class_of(i) == k).into(),
            false => BigUint::default(),
        })
        .collect()
}

/// [`tree_counts`] when every node's number of root-to-node paths fits in `u64` (a class's
/// count, the sum of those of its nodes, then fits in `u128`), in one sweep for all classes:
/// the paths to a node are those to its parents, counted top-down (a node's count is final
/// once every node after it has been swept). `None` as soon as a path count overflows.
fn small_tree_counts(
    nodes: &[Math],
    roots: &[Id],
    classes: usize,
    class_of: &impl Fn(usize) -> usize,
) -> Option<Vec<u128>> {
    let mut paths = vec![0u64; nodes.len()];
    for &r in roots {
        let p = &mut paths[usize::from(r)];
        *p = p.checked_add(1)?;
    }
    let mut counts = vec![0u128; classes];
    for (i, node) in nodes.iter().enumerate().rev() {
        let p = paths[i];
        if p == 0 {
            continue;
        }
        counts[class_of(i)] += u128::from(p);
        for &c in node.children() {
            let q = &mut paths[usize::from(c)];
            *q = q.checked_add(p)?;
        }
    }
    Some(counts)
}

/// The nodes of the trees rooted at `roots` in `nodes` (a DAG whose children precede their
/// parents), exact: [`tree_counts`] with one class.
///
/// ```
/// use symdiff_expr::metrics::dag_tree_size;
/// let rec = symdiff_expr::parse("(x + 1)*(x + 1)").unwrap().to_recexpr();
/// let root = symdiff_expr::egg::Id::from(rec.as_ref().len() - 1);
/// assert_eq!(dag_tree_size(rec.as_ref(), &[root]), 7u32.into());
/// assert_eq!(dag_tree_size(rec.as_ref(), &[root, root]), 14u32.into());
/// ```
pub fn dag_tree_size(nodes: &[Math], roots: &[Id]) -> BigUint {
    let [size] = <[BigUint; 1]>::try_from(tree_counts(nodes, roots, 1, |_| 0))
        .expect("one class, one count");
    size
}

/// How many times each node is used: by its reachable parents (once per occurrence among
/// their children) and as a root. Zero for nodes unreachable from `roots`.
fn uses(nodes: &[Math], roots: &[Id]) -> Vec<u32> {
    let mut uses = vec![0u32; nodes.len()];
    for &r in roots {
        uses[usize::from(r)] += 1;
    }
    for i in (0..nodes.len()).rev() {
        if uses[i] > 0 {
            for &c in nodes[i].children() {
                uses[usize::from(c)] += 1;
            }
        }
    }
    uses
}

/// The nodes `v` with `counted(v)` in the trees rooted at `roots`, summed bottom-up: each
/// node's count is its own (0 or 1) plus its children's. `uses` is [`uses`] of the same DAG.
fn weighted_tree_size(
    nodes: &[Math],
    roots: &[Id],
    uses: &[u32],
    counted: impl Fn(usize) -> bool,
) -> Lazy {
    let mut left = uses.to_vec(); // uses not made yet
                                  // The counts of the nodes computed and not used up yet, in slots reused once free (a
                                  // chain keeps a few: the memory stays small and hot).
    let mut slot = vec![u32::MAX; nodes.len()];
    let mut counts: Vec<Lazy> = Vec::new();
    let mut free: Vec<u32> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if uses[i] == 0 {
            continue;
        }
        let mut count = Lazy::default();
        for &c in node.children() {
            let c = usize::from(c);
            let s = slot[c] as usize;
            count.add(&counts[s]);
            left[c] -= 1;
            if left[c] == 0 {
                counts[s] = Lazy::default(); // used up: free it
                free.push(s as u32);
            }
        }
        if counted(i) {
            count.increment();
        }
        count.finish(uses[i] > 1);
        slot[i] = match free.pop() {
            Some(s) => {
                counts[s as usize] = count;
                s
            }
            None => {
                counts.push(count);
                (counts.len() - 1) as u32
            }
        };
    }
    let mut total = Lazy::default();
    for &r in roots {
        total.add(&counts[slot[usize::from(r)] as usize]);
        total.finish(false);
    }
    total
}

/// Payload bits per word of a [`Base`].
const BITS: u32 = 56;
const MASK: u64 = (1 << BITS) - 1;
/// The most settled words a word may be the sum of: 255 words below `2^56 + 2^8` sum below
/// `2^64`.
const MAX_LOAD: u64 = 255;
/// A [`Lazy`] count is written out ([`Lazy::materialize`]) when it has more terms than this
/// (its writing out costs a pass over each term's words), ...
const MAX_TERMS: usize = 3;
/// ... when a coefficient exceeds this (a pass adds up to 254 multiples of a base) ...
const MAX_COEFFICIENT: u64 = 254;
/// ... or when its constant reaches this (the constant enters the pass as two words).
const MAX_CONSTANT: u64 = 1 << BITS;

/// A big natural number, `sum words[j] * 2^(56 j)`, settled: every word below `2^56 + 2^8`
/// (not quite canonical, so that settling needs no carry chain), shared by the counts that
/// are multiples of it.
type Base = Rc<[u64]>;

/// A count as a short sum of multiples of big numbers plus a constant, `sum c_i * base_i +
/// constant`. Adding two merges their terms, so a node whose children's counts are multiples
/// of the same big number (a chain: `t(4*l) = t(l) + 2`, `t(l * (1 - l)) = 2 t(l) + 5`) costs
/// no work on big numbers at all; the count is written out as a new big number only when its
/// terms, coefficients or constant grow past small bounds, and then in one pass over the terms'
/// words that adds them without carries (vector multiply-adds).
#[derive(Default, Clone)]
struct Lazy {
    terms: SmallVec<[(Base, u64); 2]>,
    constant: u64,
}

impl Lazy {
    /// Adds `other`.
    fn add(&mut self, other: &Lazy) {
        for (base, c) in &other.terms {
            match self.terms.iter_mut().find(|(b, _)| Rc::ptr_eq(b, base)) {
                Some((_, k)) => *k += c,
                None => self.terms.push((base.clone(), *c)),
            }
        }
        match self.constant.checked_add(other.constant) {
            Some(sum) => self.constant = sum,
            None => {
                self.materialize();
                self.constant = other.constant;
            }
        }
    }

    /// Adds one.
    fn increment(&mut self) {
        if self.constant == u64::MAX {
            self.materialize();
        }
        self.constant += 1;
    }

    /// Writes the count out if it has grown past the bounds (half the bounds if `shared`:
    /// called once the count is complete, before it is added to its parents', to more than one
    /// or more than once if `shared`).
    fn finish(&mut self, shared: bool) {
        // A count added to several parents is written out before it makes each of them write
        // it out (the same work twice): at half the bounds.
        let slack = if shared { 2 } else { 1 };
        let largest = self.terms.iter().map(|&(_, c)| c).max().unwrap_or(0);
        if self.terms.len() * slack > MAX_TERMS
            || largest * slack as u64 > MAX_COEFFICIENT
            || self.constant >= MAX_CONSTANT
        {
            self.materialize();
        }
    }

    /// Writes the count out as one new big number (its only term, coefficient 1).
    fn materialize(&mut self) {
        SCRATCH.with_borrow_mut(|words| {
            let len = self.terms.iter().map(|(b, _)| b.len()).max().unwrap_or(0);
            words.clear();
            words.resize(len.max(2) + 1, 0);
            // The constant as two settled words; `load` bounds the words as a number of
            // settled words added up.
            words[0] = self.constant & MASK;
            words[1] = self.constant >> BITS;
            let mut load = 1;
            for (base, c) in &self.terms {
                let mut c = *c;
                while c > 0 {
                    if load == MAX_LOAD {
                        settle(words);
                        load = 1;
                    }
                    let k = c.min(MAX_LOAD - load);
                    for (w, b) in words.iter_mut().zip(base.iter()) {
                        *w += k * b;
                    }
                    load += k;
                    c -= k;
                }
            }
            settle(words);
            while words.last() == Some(&0) {
                words.pop();
            }
            self.terms.clear();
            self.constant = 0;
            if !words.is_empty() {
                self.terms.push((Rc::from(&words[..]), 1));
            }
        });
    }
}

thread_local! {
    /// Where [`Lazy::materialize`] adds up (reused: one allocation per new number, its own).
    static SCRATCH: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Moves each word's bits above 56 to the next word, in one pass without a carry chain: each
/// word becomes its low 56 bits plus the previous word's high bits (below `2^56 + 2^8`).
fn settle(words: &mut Vec<u64>) {
    let mut high = 0;
    for w in words.iter_mut() {
        let next = *w >> BITS;
        *w = (*w & MASK) + high;
        high = next;
    }
    if high != 0 {
        words.push(high);
    }
}

impl From<Lazy> for BigUint {
    /// Writes the count out, propagates the carries once and packs the 56-bit words into
    /// 32-bit digits.
    fn from(mut n: Lazy) -> BigUint {
        n.materialize();
        let words: &[u64] = n.terms.first().map_or(&[], |(b, _)| b);
        let mut digits = vec![0u32; (words.len() * BITS as usize).div_ceil(32) + 4];
        let mut pack = |j: usize, word: u64| {
            let bit = j * BITS as usize;
            let shifted = u128::from(word) << (bit % 32);
            for (k, digit) in digits[bit / 32..bit / 32 + 3].iter_mut().enumerate() {
                *digit |= (shifted >> (32 * k)) as u32;
            }
        };
        let mut carry = 0u64;
        let mut j = 0;
        for &w in words {
            let v = (w & MASK) + carry;
            carry = (w >> BITS) + (v >> BITS);
            pack(j, v & MASK);
            j += 1;
        }
        while carry != 0 {
            pack(j, carry & MASK);
            carry >>= BITS;
            j += 1;
        }
        BigUint::new(digits)
    }
}
