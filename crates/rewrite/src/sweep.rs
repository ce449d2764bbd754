//! Symbolic reverse and forward sweeps over a [`Dag`]: gradients, Jacobians, Hessians and the
//! products `jvp`, `vjp`, `hvp` in time linear in the part of the DAG each sweep touches.
//!
//! - A **reverse sweep** from seeds `(root, w)` visits the nodes the roots depend on, from the
//!   roots down (descending ids), and adds `adjoint(parent) × partial` to each child that depends
//!   on a requested variable. Every partial comes from [`crate::partials`] (the one rule table).
//!   All the adjoints are built in one [`Dag`], so they share subexpressions with each other and
//!   with the function: a gradient is a few times the function's size (Baur–Strassen).
//! - A **forward sweep** from seeds `(variable, tangent)` visits only the *ancestors* of the
//!   seeded variables (found through parent lists built once per region), children first, and
//!   sets each node's tangent from the same rule's right side.
//!
//! Work is proportional to the nodes a sweep visits: one sweep per output of a Jacobian (or one
//! per input, whichever is fewer), and for a Hessian one reverse sweep plus one forward sweep
//! per variable over only that variable's ancestors in the gradient — `O(non-zeros)` for
//! Rosenbrock-like, sparse problems. Structural zeros are never built: a node whose adjoint or
//! tangent folds to `0` is skipped.

use crate::dag::{Dag, Signed};
use crate::error::DiffError;
use crate::partials::{local_rules, LocalRules};
use egg::{Id, Language};
use smallvec::SmallVec;
use symdiff_expr::{Kind, Math};

/// Reusable marks and values for sweeps over the first `len` nodes of a DAG (the *region*).
pub(crate) struct Sweeps {
    /// Nodes that existed when the sweeps were set up; sweeps only visit these.
    len: usize,
    rules: &'static LocalRules,
    /// Per node: the epoch that last visited it.
    mark: Vec<u32>,
    /// Per node: the epoch in which it was found to depend on a seed/variable.
    active: Vec<u32>,
    epoch: u32,
    /// Per node: the adjoint or tangent of the current sweep (for adjoints, the sum of the
    /// contributions that are not negations).
    value: Vec<Option<Id>>,
    /// Per node, reverse sweeps only: the sum of the negated contributions `-c` (as `c`), so
    /// that an adjoint is `positive - negative` with no negation node (Rosenbrock's gradient:
    /// 9 operations per term, as CasADi's).
    negative: Vec<Option<Id>>,
    touched: Vec<usize>,
    /// Per node: its index among the requested variables (`NONE` if it is not one).
    var_slot: Vec<u32>,
    /// Parent lists (compressed rows) of the region, built on first use by a forward sweep.
    parents: Option<(Vec<usize>, Vec<Id>)>,
    /// The roots whose ancestors the forward sweeps may visit (the outputs of forward sweeps).
    forward_roots: Vec<Id>,
    /// Per node: the first output index it is the root of (`NONE` if none); `next_output`
    /// chains further outputs with the same root.
    output_slot: Vec<u32>,
    next_output: Vec<u32>,
    /// Nodes the DAG may hold at most ([`Options::sweep_node_limit`](crate::Options)).
    limit: usize,
}

impl Sweeps {
    /// Sweeps over `dag` as it is now, differentiating with respect to the nodes `vars`.
    pub(crate) fn new(dag: &Dag, vars: &[Id], limit: usize) -> Result<Sweeps, DiffError> {
        let len = dag.len();
        let mut var_slot = vec![NONE; len];
        for (j, &v) in vars.iter().enumerate() {
            var_slot[usize::from(v)] = j as u32;
        }
        Ok(Sweeps {
            len,
            rules: local_rules()?,
            mark: vec![0; len],
            active: vec![0; len],
            epoch: 0,
            value: vec![None; len],
            negative: vec![None; len],
            touched: Vec::new(),
            var_slot,
            parents: None,
            forward_roots: Vec::new(),
            output_slot: Vec::new(),
            next_output: Vec::new(),
            limit,
        })
    }

    fn next_epoch(&mut self) {
        self.epoch += 1;
        if self.epoch == u32::MAX {
            self.mark.fill(0);
            self.active.fill(0);
            self.epoch = 1;
        }
    }

    fn set(&mut self, id: Id, value: Id) {
        let i = usize::from(id);
        if self.value[i].is_none() {
            self.touched.push(i);
        }
        self.value[i] = Some(value);
    }

    fn clear_values(&mut self) {
        for i in self.touched.drain(..) {
            self.value[i] = None;
            self.negative[i] = None;
        }
    }

    /// Adds the contribution `c` to the adjoint of `id` (a negation `-d` to its negative part).
    fn accumulate(&mut self, dag: &mut Dag, id: Id, c: Signed) {
        let i = usize::from(id);
        if self.value[i].is_none() && self.negative[i].is_none() {
            self.touched.push(i);
        }
        let (negated, term) = match *dag.node(c.id) {
            Math::Neg(d) => (!c.negated, d),
            _ => (c.negated, c.id),
        };
        if negated {
            self.negative[i] = Some(dag.add_opt(self.negative[i], term));
        } else {
            self.value[i] = Some(dag.add_opt(self.value[i], term));
        }
    }

    /// The adjoint of node `i`: its positive part minus its negative part.
    /// (A negative part alone stays an unbuilt negation: the products with the partials absorb
    /// it, so a node `-n` would be dead.)
    fn adjoint(&self, dag: &mut Dag, i: usize) -> Option<Signed> {
        match (self.value[i], self.negative[i]) {
            (p, None) => p.map(Signed::plain),
            (None, Some(n)) => Some(Signed::plain(n).negated()),
            (Some(p), Some(n)) => Some(Signed::plain(dag.make(Math::Sub([p, n])))),
        }
    }

    /// Fails once the DAG holds more nodes than the limit.
    fn within_limit(&self, dag: &Dag) -> Result<(), DiffError> {
        if dag.len() > self.limit {
            return Err(DiffError::SweepTooLarge {
                nodes: dag.len(),
                limit: self.limit,
            });
        }
        Ok(())
    }

    fn check(&self, dag: &Dag, id: Id) -> Result<(), DiffError> {
        if usize::from(id) >= self.len {
            return Err(DiffError::Internal(
                "a sweep root outside its region".into(),
            ));
        }
        match dag.node(id) {
            Math::D(_) => Err(DiffError::Internal(
                "a derivative operator left in a sweep".into(),
            )),
            _ => Ok(()),
        }
    }

    /// One reverse sweep: `(variable index, adjoint)` for every requested variable whose
    /// adjoint is not structurally zero, given the seeds `(root, adjoint of root)`, sorted.
    ///
    /// Visits the nodes the roots depend on, each once, so it is linear in that part of the DAG
    /// (never in the number of variables).
    pub(crate) fn reverse(
        &mut self,
        dag: &mut Dag,
        seeds: &[(Id, Id)],
    ) -> Result<Vec<(usize, Id)>, DiffError> {
        let roots: Vec<Id> = seeds.iter().map(|s| s.0).collect();
        let order = self.depended_on(dag, roots)?;
        let order = self.in_id_order(order);
        let epoch = self.epoch;
        // Which of them depend on a requested variable (children first). A truth value has no
        // derivative: no adjoint flows into a condition (`d if(c, a, b)` never reads `d c`).
        for &id in &order {
            let i = usize::from(id);
            if dag.node(id).kind() == Kind::Condition {
                continue;
            }
            let varies = self.var_slot[i] != NONE
                || dag
                    .node(id)
                    .children()
                    .iter()
                    .any(|&c| self.active[usize::from(c)] == epoch);
            if varies {
                self.active[i] = epoch;
            }
        }
        for &(root, w) in seeds {
            if self.active[usize::from(root)] == epoch && !is_zero(dag, w) {
                self.accumulate(dag, root, Signed::plain(w));
            }
        }
        // Adjoints, parents before children.
        for &id in order.iter().rev() {
            let i = usize::from(id);
            if self.var_slot[i] != NONE {
                continue;
            }
            let Some(adjoint) = self.adjoint(dag, i) else {
                continue;
            };
            if is_zero(dag, adjoint.id) {
                continue;
            }
            self.within_limit(dag)?;
            let children: SmallVec<[Id; 3]> = SmallVec::from_slice(dag.node(id).children());
            for (k, &child) in children.iter().enumerate() {
                if self.active[usize::from(child)] != epoch {
                    continue;
                }
                let Some(partial) = self.rules.partial(dag, id, k, children.len())? else {
                    continue;
                };
                let contribution = dag
                    .times(adjoint.id, partial.id)
                    .times_sign_of(adjoint)
                    .times_sign_of(partial);
                if is_zero(dag, contribution.id) {
                    continue;
                }
                self.accumulate(dag, child, contribution);
            }
        }
        let mut result: Vec<(usize, Id)> = Vec::new();
        for &id in &order {
            let i = usize::from(id);
            let slot = self.var_slot[i];
            if slot == NONE {
                continue;
            }
            if let Some(a) = self.adjoint(dag, i).filter(|a| !is_zero(dag, a.id)) {
                result.push((slot as usize, dag.realize(a)));
            }
        }
        result.sort_unstable_by_key(|r| r.0);
        self.clear_values();
        Ok(result)
    }

    /// The nodes `found` (marked with the current epoch) in ascending id order: sorted, or
    /// read off the marks when they are a large part of the region (linear, sequential).
    fn in_id_order(&self, mut found: Vec<Id>) -> Vec<Id> {
        if found.len() * 16 < self.len {
            found.sort_unstable();
            return found;
        }
        let epoch = self.epoch;
        found.clear();
        found.extend(
            (0..self.len)
                .filter(|&i| self.mark[i] == epoch)
                .map(Id::from),
        );
        found
    }

    /// Forward sweeps will visit ancestors of their seeds among the nodes `roots` depend on.
    pub(crate) fn set_forward_roots(&mut self, dag: &Dag, roots: &[Id]) -> Result<(), DiffError> {
        self.output_slot = vec![NONE; self.len];
        self.next_output = vec![NONE; roots.len()];
        for (k, &r) in roots.iter().enumerate().rev() {
            self.check(dag, r)?;
            let slot = &mut self.output_slot[usize::from(r)];
            self.next_output[k] = *slot;
            *slot = k as u32;
        }
        self.forward_roots = roots.to_vec();
        self.parents = None;
        Ok(())
    }

    /// The nodes `roots` depend on (roots included), each once, in no particular order; starts
    /// a new epoch and marks them with it.
    fn depended_on(&mut self, dag: &Dag, mut stack: Vec<Id>) -> Result<Vec<Id>, DiffError> {
        self.next_epoch();
        let epoch = self.epoch;
        let mut found: Vec<Id> = Vec::new();
        while let Some(id) = stack.pop() {
            let i = usize::from(id);
            if self.mark[i] == epoch {
                continue;
            }
            self.check(dag, id)?;
            self.mark[i] = epoch;
            found.push(id);
            stack.extend(dag.node(id).children().iter().copied());
        }
        Ok(found)
    }

    /// Parent lists of the nodes the forward roots depend on (compressed rows), built once.
    fn build_parents(&mut self, dag: &Dag) -> Result<(), DiffError> {
        if self.parents.is_some() {
            return Ok(());
        }
        let region = self.depended_on(dag, self.forward_roots.clone())?;
        let mut start = vec![0usize; self.len + 1];
        for &id in &region {
            for &c in dag.node(id).children() {
                start[usize::from(c) + 1] += 1;
            }
        }
        for i in 0..self.len {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut parents = vec![Id::from(0usize); start[self.len]];
        for &id in &region {
            for &c in dag.node(id).children() {
                let slot = &mut fill[usize::from(c)];
                parents[*slot] = id;
                *slot += 1;
            }
        }
        self.parents = Some((start, parents));
        Ok(())
    }

    /// One forward sweep: `(output index, tangent)` for every forward root whose tangent is not
    /// structurally zero, given the seeds `(variable, tangent)`, sorted. Visits only the
    /// ancestors of the seeded variables among the nodes the forward roots depend on (never all
    /// the outputs).
    pub(crate) fn forward(
        &mut self,
        dag: &mut Dag,
        seeds: &[(Id, Id)],
    ) -> Result<Vec<(usize, Id)>, DiffError> {
        self.build_parents(dag)?;
        self.next_epoch();
        let epoch = self.epoch;
        let (start, parents) = self.parents.as_ref().expect("built above");
        // Ancestors of the seeds.
        let mut order: Vec<Id> = Vec::new();
        let mut stack: Vec<Id> = seeds.iter().map(|s| s.0).collect();
        while let Some(id) = stack.pop() {
            let i = usize::from(id);
            if i >= self.len || self.mark[i] == epoch {
                continue;
            }
            self.mark[i] = epoch;
            order.push(id);
            stack.extend_from_slice(&parents[start[i]..start[i + 1]]);
        }
        let order = self.in_id_order(order);
        for &(v, t) in seeds {
            if usize::from(v) < self.len && !is_zero(dag, t) {
                let sum = dag.add_opt(self.value[usize::from(v)], t);
                self.set(v, sum);
            }
        }
        let mut active: Vec<bool> = Vec::with_capacity(3);
        for &id in &order {
            let i = usize::from(id);
            if self.value[i].is_some() {
                continue; // a seed
            }
            if dag.node(id).kind() == Kind::Condition {
                continue; // a truth value has no derivative: `d if(c, a, b)` never reads it
            }
            let children: SmallVec<[Id; 3]> = SmallVec::from_slice(dag.node(id).children());
            active.clear();
            active.extend(
                children
                    .iter()
                    .map(|&c| self.value[usize::from(c)].is_some()),
            );
            if !active.contains(&true) {
                continue;
            }
            self.within_limit(dag)?;
            let tangents: SmallVec<[Option<Id>; 3]> = children
                .iter()
                .map(|&c| self.value[usize::from(c)])
                .collect();
            if let Some(t) = self.rules.instantiate(dag, id, &active, |k| tangents[k])? {
                self.set(id, t);
            }
        }
        let mut result: Vec<(usize, Id)> = Vec::new();
        for &id in &order {
            let i = usize::from(id);
            if let Some(t) = self.value[i] {
                let mut k = self.output_slot[i];
                while k != NONE {
                    result.push((k as usize, t));
                    k = self.next_output[k as usize];
                }
            }
        }
        result.sort_unstable_by_key(|r| r.0);
        self.clear_values();
        Ok(result)
    }
}

/// No slot.
const NONE: u32 = u32::MAX;

fn is_zero(dag: &Dag, id: Id) -> bool {
    dag.constant(id).is_some_and(|c| c.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::parse;

    /// The nodes a reverse sweep built (past the input) that no adjoint uses.
    fn dead_nodes_of_gradient(f: &str, vars: &[&str]) -> Vec<String> {
        let f = parse(f).unwrap();
        let (mut dag, roots) = Dag::of(&[f]);
        let input = dag.len();
        let vars: Vec<Id> = vars
            .iter()
            .map(|v| dag.adopt(symdiff_expr::var(v)))
            .collect();
        let mut sweeps = Sweeps::new(&dag, &vars, usize::MAX).unwrap();
        let one = dag.num(1);
        let gradient = sweeps.reverse(&mut dag, &[(roots[0], one)]).unwrap();
        let nodes = dag.rec().as_ref();
        let mut used = vec![false; nodes.len()];
        for &(_, g) in &gradient {
            used[usize::from(g)] = true;
        }
        for i in (0..nodes.len()).rev() {
            if used[i] {
                for &c in nodes[i].children() {
                    used[usize::from(c)] = true;
                }
            }
        }
        (input..nodes.len())
            .filter(|&i| !used[i] && !nodes[i].is_leaf())
            .map(|i| dag.handle(Id::from(i)).to_string())
            .collect()
    }

    #[test]
    fn reverse_sweeps_leave_no_dead_negations() {
        // Subtractions, a negated cosine partial and an adjoint made only of negative parts:
        // every sign is carried, none is built and dropped.
        let dead = dead_nodes_of_gradient(
            "(1 - x)^2 + 100*(y - x^2)^2 + cos(x*y) - exp(-(x*y))",
            &["x", "y"],
        );
        assert!(
            dead.iter().all(|d| !d.starts_with('-')),
            "dead negations: {dead:?}"
        );
        // What is left: partials `k*c` the product refolds as `(k*a)*c` (see `Dag::product`).
        assert_eq!(dead, ["2*(y - x^2)", "2*x"]);
    }
}
