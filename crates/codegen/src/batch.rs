//! Batch evaluation: one program over many points.
//!
//! Inputs are a structure of arrays (one slice per variable), outputs one slice per output.
//! This file checks their shapes, splits large batches over the rayon thread pool
//! ([`in_parallel`]), and holds the interpreter's batch loop ([`interpret`]): [`LANES`] points
//! at a time, each instruction over a row of `LANES` values, so interpretation overhead is paid
//! once per instruction per chunk instead of once per instruction per point. (The JIT compiles
//! its own loop over points.) Semantics are IEEE 754, as for
//! [`Compiled::call`](crate::Compiled::call).

use crate::error::BatchError;
use crate::instr::Output;
use crate::interpreter::execute;
use crate::program::Program;
use rayon::prelude::*;

/// Points per chunk of the interpreter's batch loop: each register holds this many values, and
/// each instruction runs over all of them before the next.
///
/// ```
/// assert_eq!(symdiff_codegen::LANES, 32);
/// ```
pub const LANES: usize = 32;

/// Points per parallel task of `eval_batch_par`.
///
/// ```
/// assert!(symdiff_codegen::PAR_BLOCK % symdiff_codegen::LANES == 0);
/// ```
pub const PAR_BLOCK: usize = 4096;

/// Batches with fewer points than this run on the calling thread even with `eval_batch_par`
/// (splitting them would cost more than it saves).
///
/// ```
/// assert_eq!(symdiff_codegen::PAR_MIN_POINTS, 2 * symdiff_codegen::PAR_BLOCK);
/// ```
pub const PAR_MIN_POINTS: usize = 2 * PAR_BLOCK;

/// Checks the shapes; returns the number of points (the length of the first output slice, or
/// of the first input slice when there are no outputs).
pub(crate) fn check(
    p: &Program,
    inputs: &[&[f64]],
    outputs: &[&mut [f64]],
) -> Result<usize, BatchError> {
    if inputs.len() != p.vars().len() {
        return Err(BatchError::InputCount {
            expected: p.vars().len(),
            found: inputs.len(),
        });
    }
    if outputs.len() != p.outputs().len() {
        return Err(BatchError::OutputCount {
            expected: p.outputs().len(),
            found: outputs.len(),
        });
    }
    let n = outputs
        .first()
        .map(|o| o.len())
        .or_else(|| inputs.first().map(|i| i.len()))
        .unwrap_or(0);
    for (index, o) in outputs.iter().enumerate() {
        if o.len() != n {
            return Err(BatchError::OutputLength {
                index,
                expected: n,
                found: o.len(),
            });
        }
    }
    for (var, i) in p.vars().iter().zip(inputs) {
        if i.len() != n {
            return Err(BatchError::InputLength {
                var: var.clone(),
                expected: n,
                found: i.len(),
            });
        }
    }
    Ok(n)
}

/// Runs `block` over blocks of [`PAR_BLOCK`] points on the rayon thread pool (on the calling
/// thread when there are fewer than [`PAR_MIN_POINTS`] points or one thread). The slices must
/// have been checked, `n` is their length.
pub(crate) fn in_parallel(
    n: usize,
    inputs: &[&[f64]],
    outputs: &mut [&mut [f64]],
    block: impl Fn(&[&[f64]], &mut [&mut [f64]]) + Sync,
) {
    if n < PAR_MIN_POINTS || rayon::current_num_threads() < 2 {
        return block(inputs, outputs);
    }
    let blocks = n.div_ceil(PAR_BLOCK);
    let mut per_block: Vec<Vec<&mut [f64]>> = (0..blocks)
        .map(|_| Vec::with_capacity(outputs.len()))
        .collect();
    for out in outputs.iter_mut() {
        for (b, chunk) in out.chunks_mut(PAR_BLOCK).enumerate() {
            per_block[b].push(chunk);
        }
    }
    per_block
        .into_par_iter()
        .enumerate()
        .for_each(|(b, mut outs)| {
            let start = b * PAR_BLOCK;
            let end = (start + PAR_BLOCK).min(n);
            let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..end]).collect();
            block(&ins, &mut outs);
        });
}

/// The interpreter over all points of checked slices, `LANES` at a time.
pub(crate) fn interpret(p: &Program, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    let n = outputs
        .first()
        .map(|o| o.len())
        .or_else(|| inputs.first().map(|i| i.len()))
        .unwrap_or(0);
    let mut regs = vec![[0.0; LANES]; p.registers()];
    let mut start = 0;
    while start < n {
        let len = LANES.min(n - start);
        for (row, input) in regs.iter_mut().zip(inputs) {
            row[..len].copy_from_slice(&input[start..start + len]);
            // Pad a partial chunk with a copy of the last point (its results are discarded).
            let last = row[len - 1];
            row[len..].fill(last);
        }
        execute(p.instructions(), &mut regs);
        for (out, o) in outputs.iter_mut().zip(p.outputs()) {
            let dst = &mut out[start..start + len];
            match *o {
                Output::Reg(r) => dst.copy_from_slice(&regs[r as usize][..len]),
                Output::Const(c) => dst.fill(c),
            }
        }
        start += len;
    }
}
