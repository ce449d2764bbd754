//! The interpreter: the reference backend, and the fallback where the JIT is unavailable.
//!
//! It runs a [`Program`]'s instructions in order over a register file whose registers are rows
//! of `L` values: `L = 1` for one point ([`run`], [`try_run`]), `L = LANES` for the batch
//! evaluator (each instruction then runs over a row of points, which the compiler vectorises).
//! Every instruction computes [`Instr::apply`], the one definition of its value. The code is
//! safe Rust: register indices are bounds-checked, and rows are copied in and out.

use crate::error::CallError;
use crate::instr::{Instr, Output};
use crate::program::Program;
use std::cell::RefCell;
use symdiff_expr::{EvalError, Point};

/// Runs `instrs` over `regs` (each register a row of `L` points).
#[inline]
pub(crate) fn execute<const L: usize>(instrs: &[Instr], regs: &mut [[f64; L]]) {
    for instr in instrs {
        step(instr, regs);
    }
}

/// Runs one instruction; returns the row it wrote.
#[inline(always)]
fn step<const L: usize>(instr: &Instr, regs: &mut [[f64; L]]) -> [f64; L] {
    let [a, b, c] = instr.sources();
    let row = |r: Option<u32>| r.map_or([0.0; L], |r| regs[r as usize]);
    let (x, y, z) = (row(a), row(b), row(c));
    let mut out = [0.0; L];
    for l in 0..L {
        out[l] = instr.apply(x[l], y[l], z[l]);
    }
    regs[instr.dst() as usize] = out;
    out
}

/// Reads the outputs of a finished run into `segments` (consecutive outputs fill each segment
/// in turn; the caller has checked the lengths).
pub(crate) fn read_outputs(p: &Program, regs: &[[f64; 1]], segments: &mut [&mut [f64]]) {
    let mut outputs = p.outputs().iter();
    for segment in segments.iter_mut() {
        for (slot, o) in segment.iter_mut().zip(&mut outputs) {
            *slot = match *o {
                Output::Reg(r) => regs[r as usize][0],
                Output::Const(c) => c,
            };
        }
    }
}

/// Registers on the stack up to this many; beyond, a reused thread-local buffer.
const STACK_REGISTERS: usize = 64;

thread_local! {
    static SCRATCH: RefCell<Vec<[f64; 1]>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with a register file of at least `n` registers.
#[inline]
pub(crate) fn with_registers<R>(n: usize, f: impl FnOnce(&mut [[f64; 1]]) -> R) -> R {
    if n <= 16 {
        f(&mut [[0.0]; 16])
    } else if n <= STACK_REGISTERS {
        f(&mut [[0.0]; STACK_REGISTERS])
    } else {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut regs) => {
                if regs.len() < n {
                    regs.resize(n, [0.0]);
                }
                f(&mut regs)
            }
            Err(_) => f(&mut vec![[0.0]; n]),
        })
    }
}

/// The fast path (IEEE semantics) for already checked arguments and segments.
pub(crate) fn run(p: &Program, args: &[f64], segments: &mut [&mut [f64]]) {
    with_registers(p.registers(), |regs| {
        for (r, &a) in regs.iter_mut().zip(args) {
            *r = [a];
        }
        execute(p.instructions(), regs);
        read_outputs(p, regs, segments);
    })
}

/// The checked path: every argument the program uses and every value that completes a node of
/// the source must be finite, otherwise the error names the culprit (as [`Expr::eval`] does).
///
/// [`Expr::eval`]: symdiff_expr::Expr::eval
pub(crate) fn try_run(
    p: &Program,
    args: &[f64],
    segments: &mut [&mut [f64]],
) -> Result<(), CallError> {
    let finite = !bad_argument(p, args)
        && with_registers(p.registers(), |regs| {
            for (r, &a) in regs.iter_mut().zip(args) {
                *r = [a];
            }
            for (instr, &check) in p.instructions().iter().zip(p.checks()) {
                let [value] = step(instr, regs);
                if check && !value.is_finite() {
                    return false;
                }
            }
            read_outputs(p, regs, segments);
            true
        });
    if finite {
        Ok(())
    } else if !bad_argument(p, args) {
        // The value found not finite may be a branch not taken (also one whose `if` lowering
        // folded away, leaving its instructions): the reference evaluator, for which errors
        // travel with values and the untaken branch drops them, decides. When it succeeds, the
        // IEEE run computes its values.
        if let Some(e) = first_domain_error(p, args) {
            return Err(e);
        }
        run(p, args, segments);
        Ok(())
    } else {
        Err(describe_domain_error(p, args))
    }
}

/// Is an argument the program uses not finite?
pub(crate) fn bad_argument(p: &Program, args: &[f64]) -> bool {
    args.iter()
        .zip(p.used())
        .any(|(v, &used)| used && !v.is_finite())
}

/// Names the failing argument or operation, using the reference evaluator of `symdiff-expr`
/// (a cold path; the program computes the same values, so that evaluator fails at the same
/// node).
#[cold]
pub(crate) fn describe_domain_error(p: &Program, args: &[f64]) -> CallError {
    first_domain_error(p, args).unwrap_or_else(|| {
        CallError::Eval(EvalError::Domain {
            op: "an intermediate result".into(),
            why: "not finite",
        })
    })
}

/// The error of the first root the reference evaluator of `symdiff-expr` fails on, if any.
#[cold]
fn first_domain_error(p: &Program, args: &[f64]) -> Option<CallError> {
    let point: Point = p
        .vars()
        .iter()
        .zip(args)
        .map(|(v, &x)| (v.as_str(), x))
        .collect();
    for root in p.roots() {
        if let Err(error) = root.eval(&point) {
            return Some(CallError::Eval(error));
        }
    }
    None
}
