//! Instruction scheduling: the order in which a lowered program's instructions run.
//!
//! Lowering emits the instructions of each root in turn, so a gradient program computes the
//! whole value first and every partial derivative afterwards: the intermediate values the
//! partials share with the value stay live across the whole program (thousands of them in a
//! Rosenbrock gradient), and the value's long dependency chain (a sum of 2,000 terms) runs
//! alone, at the latency of one addition per term.
//!
//! [`schedule`] reorders them so that each instruction runs as soon as its last operand is
//! computed: walking the instructions in their lowered order, emitting one makes its consumers
//! whose operands are now all computed ready, and those are emitted at once, depth first (a
//! consumer's own consumers before the next one), before the walk goes on; consumers that
//! need nothing more (all operands computed) are emitted first, breadth first, so that a chain
//! pulling in operands one step at a time (the value's sum) does not leave behind the values
//! those operands completed until it ends. Instructions whose
//! operands are all arguments or constants stay where lowering put them. The effect on a
//! gradient: each partial derivative is computed, and can be stored, right after the value's
//! terms it needs, so its operands die young, and the value's chain is interleaved with
//! independent work that the processor overlaps with it.
//!
//! Only the order changes: every instruction computes what it computed before, from the same
//! operands (no reassociation), so results are bit for bit those of the lowered order. Time and
//! memory are linear in the program (explicit stacks, no recursion).

use crate::lower::{Lowered, Operand, SsaInst};

/// The instruction operands (values that are not arguments) of `inst`, as instruction indices.
fn instruction_operands(inst: &SsaInst, inputs: u32) -> impl Iterator<Item = usize> + '_ {
    [inst.a, inst.b, inst.c]
        .into_iter()
        .filter_map(move |o| match o {
            Operand::Val(v) if v >= inputs => Some((v - inputs) as usize),
            _ => None,
        })
}

/// The most not-yet-computed instructions an instruction may pull in to run early (see the
/// module documentation).
const PULL: usize = 8;

/// Reorders `lowered`'s instructions as described in the module documentation, renumbering
/// every operand and output.
pub(crate) fn schedule(lowered: &mut Lowered) {
    let inputs = lowered.inputs;
    let insts = &lowered.insts;
    let n = insts.len();
    // Consumers of each instruction (CSR layout, in lowered order, each listed once per
    // operand occurrence: a repeated visit finds the consumer emitted and moves on).
    let mut first = vec![0usize; n + 1];
    for inst in insts {
        for o in instruction_operands(inst, inputs) {
            first[o + 1] += 1;
        }
    }
    for o in 0..n {
        first[o + 1] += first[o];
    }
    let mut fill = first.clone();
    let mut consumers = vec![0u32; first[n]];
    for (i, inst) in insts.iter().enumerate() {
        for o in instruction_operands(inst, inputs) {
            consumers[fill[o]] = i as u32;
            fill[o] += 1;
        }
    }
    let mut s = Scheduler {
        insts,
        inputs,
        first: &first,
        consumers: &consumers,
        examined: 0,
        emitted: vec![false; n],
        order: Vec::with_capacity(n),
        mark: vec![0; n],
        epoch: 0,
        cone: Vec::new(),
        dfs: Vec::new(),
    };
    // The walk, and the cascade from each emitted instruction to its consumers (depth first:
    // `stack` holds emitted instructions and how many of their consumers were examined).
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for start in 0..n {
        if s.emitted[start] {
            continue;
        }
        let from = s.order.len();
        s.emit(start);
        s.emit_ready();
        stack.extend(
            s.order[from..]
                .iter()
                .rev()
                .map(|&x| (x, first[x as usize])),
        );
        while let Some(top) = stack.last_mut() {
            let (i, cursor) = (top.0 as usize, top.1);
            if cursor == first[i + 1] {
                stack.pop();
                continue;
            }
            top.1 += 1;
            let c = consumers[cursor] as usize;
            if s.emitted[c] || !s.small_cone(c) {
                continue;
            }
            // The consumers of the pulled instructions (and of those that became ready) are
            // examined before those of `c`, so that the work they enable runs before a chain
            // through `c` goes on.
            let cone = std::mem::take(&mut s.cone);
            let from = s.order.len();
            for &x in &cone {
                s.emit(x as usize);
            }
            s.emit(c);
            s.emit_ready();
            stack.push((c as u32, first[c]));
            let others = s.order[from..].iter().filter(|&&x| x as usize != c);
            stack.extend(others.map(|&x| (x, first[x as usize])));
            s.cone = cone;
        }
    }
    debug_assert_eq!(s.order.len(), n, "every instruction is emitted once");
    // Renumber.
    let mut new_index = vec![0u32; n];
    for (new, &old) in s.order.iter().enumerate() {
        new_index[old as usize] = new as u32;
    }
    let rename = |o: Operand| match o {
        Operand::Val(v) if v >= inputs => Operand::Val(inputs + new_index[(v - inputs) as usize]),
        other => other,
    };
    let reordered: Vec<SsaInst> = s
        .order
        .iter()
        .map(|&old| {
            let inst = insts[old as usize];
            SsaInst {
                a: rename(inst.a),
                b: rename(inst.b),
                c: rename(inst.c),
                ..inst
            }
        })
        .collect();
    debug_assert!(
        (0..n).all(|k| instruction_operands(&reordered[k], inputs).all(|o| o < k)),
        "the schedule computes operands first"
    );
    lowered.insts = reordered;
    for o in &mut lowered.outs {
        *o = rename(*o);
    }
}

struct Scheduler<'a> {
    insts: &'a [SsaInst],
    inputs: u32,
    /// The consumers of instruction `i` are `consumers[first[i]..first[i + 1]]`.
    first: &'a [usize],
    consumers: &'a [u32],
    /// The instructions of `order` before this one had their ready consumers emitted.
    examined: usize,
    emitted: Vec<bool>,
    /// The new order (lowered indices).
    order: Vec<u32>,
    /// Per instruction: the epoch of the last cone search that visited it.
    mark: Vec<u32>,
    epoch: u32,
    /// The cone found by the last successful [`Scheduler::small_cone`], operands first.
    cone: Vec<u32>,
    /// The search stack: an instruction and whether its operands were pushed.
    dfs: Vec<(u32, bool)>,
}

impl Scheduler<'_> {
    fn emit(&mut self, i: usize) {
        debug_assert!(!self.emitted[i]);
        self.emitted[i] = true;
        self.order.push(i as u32);
    }

    /// Emits every consumer whose operands are all computed, at once (and theirs, in turn):
    /// a value that only waited for its last operand (a partial derivative whose terms are
    /// both known) is computed before a chain that needs more pulling goes on, so its operands
    /// die young. (Depth first, such a value would wait until the chain that emitted its
    /// operands ended, possibly the whole program later.)
    fn emit_ready(&mut self) {
        while self.examined < self.order.len() {
            let x = self.order[self.examined] as usize;
            self.examined += 1;
            for k in self.first[x]..self.first[x + 1] {
                let c = self.consumers[k] as usize;
                let ready =
                    instruction_operands(&self.insts[c], self.inputs).all(|o| self.emitted[o]);
                if !self.emitted[c] && ready {
                    self.emit(c);
                }
            }
        }
    }

    /// Are at most [`PULL`] instructions not yet emitted among the ancestors of `c`? If so they
    /// are left in `self.cone` in an order that computes operands first.
    fn small_cone(&mut self, c: usize) -> bool {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.mark.fill(0);
            self.epoch = 1;
        }
        let epoch = self.epoch;
        self.cone.clear();
        self.dfs.clear();
        self.mark[c] = epoch;
        self.dfs.push((c as u32, false));
        let mut found = 0;
        while let Some((i, expanded)) = self.dfs.pop() {
            if expanded {
                if i as usize != c {
                    self.cone.push(i);
                }
                continue;
            }
            if i as usize != c {
                // Marked when expanded (not when pushed), so that an instruction reached along
                // two paths is finished before anything that depends on it.
                if self.mark[i as usize] == epoch {
                    continue;
                }
                self.mark[i as usize] = epoch;
                found += 1;
                if found > PULL {
                    return false;
                }
            }
            self.dfs.push((i, true));
            for o in instruction_operands(&self.insts[i as usize], self.inputs) {
                if !self.emitted[o] && self.mark[o] != epoch {
                    self.dfs.push((o as u32, false));
                }
            }
        }
        true
    }
}
