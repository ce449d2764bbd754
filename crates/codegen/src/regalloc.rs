//! Register allocation: dead-code elimination, liveness, and the choice of instruction forms.
//!
//! A register is reused as soon as the value in it is dead, and an instruction never writes one
//! of its own operands (which lets the batch evaluator borrow source and destination rows
//! separately). Arguments own registers `0..vars`; an unused argument's register is free at once.

use crate::instr::{Instr, Output};
use crate::lower::{Lowered, Operand, SsaInst, SsaOp};

/// The allocated instructions.
pub(crate) struct Allocated {
    pub(crate) instrs: Vec<Instr>,
    /// Per instruction: does it complete a node of the source DAG?
    pub(crate) checks: Vec<bool>,
    pub(crate) outputs: Vec<Output>,
    pub(crate) registers: usize,
}

fn operands(inst: &SsaInst) -> impl Iterator<Item = usize> {
    [inst.a, inst.b, inst.c]
        .into_iter()
        .filter_map(|o| match o {
            Operand::Val(v) => Some(v as usize),
            Operand::Imm(_) => None,
        })
}

/// Allocates registers for `lowered`.
pub(crate) fn allocate(lowered: &Lowered) -> Allocated {
    let n_vars = lowered.inputs as usize;
    let insts = &lowered.insts;
    let outs = &lowered.outs;
    let total = n_vars + insts.len();
    // Liveness, backwards. Checked instructions stay even when dead (try_call observes them).
    const END: usize = usize::MAX;
    let mut live = vec![false; total];
    let mut last_use: Vec<Option<usize>> = vec![None; total];
    for o in outs {
        if let Operand::Val(v) = *o {
            live[v as usize] = true;
            last_use[v as usize] = Some(END);
        }
    }
    for (i, inst) in insts.iter().enumerate().rev() {
        let v = n_vars + i;
        if !(live[v] || inst.check) {
            continue;
        }
        live[v] = true;
        for u in operands(inst) {
            live[u] = true;
            if last_use[u].is_none() {
                last_use[u] = Some(i);
            }
        }
    }
    // Allocation, forwards.
    let mut reg = vec![u32::MAX; total];
    let mut free: Vec<u32> = Vec::new();
    for (v, r) in reg.iter_mut().enumerate().take(n_vars) {
        *r = v as u32;
    }
    for v in (0..n_vars).rev() {
        if last_use[v].is_none() {
            free.push(v as u32);
        }
    }
    let mut registers = n_vars;
    let mut instrs = Vec::with_capacity(insts.len());
    let mut checks = Vec::with_capacity(insts.len());
    for (i, inst) in insts.iter().enumerate() {
        let v = n_vars + i;
        if !live[v] {
            continue;
        }
        let dst = free.pop().unwrap_or_else(|| {
            registers += 1;
            (registers - 1) as u32
        });
        reg[v] = dst;
        instrs.push(select(inst, dst, &reg));
        checks.push(inst.check);
        // Free operands whose last use is here (after choosing dst: dst never aliases them).
        let mut freed: [Option<usize>; 3] = [None; 3];
        for (k, u) in operands(inst).enumerate() {
            if last_use[u] == Some(i) && !freed.contains(&Some(u)) {
                free.push(reg[u]);
            }
            freed[k] = Some(u);
        }
        if last_use[v].is_none() {
            free.push(dst); // a checked but otherwise dead value
        }
    }
    // The evaluators rely on these invariants for their unchecked register accesses.
    for instr in &instrs {
        let (dst, sources) = (instr.dst(), instr.sources());
        assert!(
            (dst as usize) < registers
                && sources.iter().flatten().all(|&s| (s as usize) < registers),
            "register index out of range in {instr}"
        );
        assert!(
            !sources.contains(&Some(dst)),
            "instruction {instr} overwrites a source"
        );
    }
    let outputs = outs
        .iter()
        .map(|o| match *o {
            Operand::Val(v) => Output::Reg(reg[v as usize]),
            Operand::Imm(bits) => Output::Const(f64::from_bits(bits)),
        })
        .collect();
    Allocated {
        instrs,
        checks,
        outputs,
        registers,
    }
}

/// The instruction form of `inst` writing `dst`.
fn select(inst: &SsaInst, dst: u32, reg: &[u32]) -> Instr {
    let r = |o: Operand| match o {
        Operand::Val(u) => Some(reg[u as usize]),
        Operand::Imm(_) => None,
    };
    let imm = |o: Operand| match o {
        Operand::Imm(bits) => Some(f64::from_bits(bits)),
        Operand::Val(_) => None,
    };
    let (a, b) = (inst.a, inst.b);
    let unary = || r(a).expect("a unary operand is in a register");
    match inst.op {
        SsaOp::Const => Instr::Const {
            dst,
            imm: imm(a).expect("a constant is an immediate"),
        },
        SsaOp::Neg => Instr::Neg { dst, a: unary() },
        SsaOp::Func(f) => Instr::Call { f, dst, a: unary() },
        SsaOp::Compare(op) => Instr::Compare {
            op,
            dst,
            a: unary(),
            b: r(b).expect("both operands of a comparison are in registers"),
        },
        SsaOp::And => Instr::And {
            dst,
            a: unary(),
            b: r(b).expect("both operands of `and` are in registers"),
        },
        SsaOp::Or => Instr::Or {
            dst,
            a: unary(),
            b: r(b).expect("both operands of `or` are in registers"),
        },
        SsaOp::Not => Instr::Not { dst, a: unary() },
        SsaOp::Select => Instr::Select {
            dst,
            c: unary(),
            a: r(b).expect("the branches of a select are in registers"),
            b: r(inst.c).expect("the branches of a select are in registers"),
        },
        SsaOp::Func2(f) => Instr::Call2 {
            f,
            dst,
            a: unary(),
            b: r(b).expect("both operands of a two-argument function are in registers"),
        },
        SsaOp::Powi(n) => Instr::Powi { dst, a: unary(), n },
        SsaOp::Bin(op) => match (r(a), r(b), imm(a), imm(b)) {
            (Some(a), Some(b), _, _) => Instr::Binary { op, dst, a, b },
            (Some(a), None, _, Some(imm)) => Instr::BinaryImm { op, dst, a, imm },
            (None, Some(a), Some(imm), _) => Instr::ImmBinary { op, dst, imm, a },
            // The builder folds or materialises two immediates.
            _ => unreachable!("unselectable instruction {inst:?}"),
        },
    }
}
