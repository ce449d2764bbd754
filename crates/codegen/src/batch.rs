//! Batch evaluation: one program over many points.
//!
//! Inputs are a structure of arrays (one slice per variable), outputs one slice per output. The
//! evaluator processes [`LANES`] points at a time with the loop over instructions outside and
//! the loop over points inside: each register is a row of `LANES` values, and each instruction
//! is a fixed-length loop over rows that the compiler vectorises (arithmetic) or at least
//! pipelines (function calls). Interpretation overhead is paid once per instruction per chunk
//! instead of once per instruction per point. Semantics are IEEE 754, as for
//! [`Compiled::call`](crate::Compiled::call).
//!
//! [`Program::eval_batch_par`] splits large batches into blocks of [`PAR_BLOCK`] points over the
//! rayon thread pool.

use crate::error::BatchError;
use crate::program::{Instr, Output, Program};
use rayon::prelude::*;
use symdiff_expr::pow_f64;

/// Points per chunk of the batch evaluator: each register holds this many values, and each
/// instruction runs over all of them before the next.
///
/// ```
/// assert_eq!(symdiff_codegen::LANES, 32);
/// ```
pub const LANES: usize = 32;

/// Points per parallel task in [`Program::eval_batch_par`].
///
/// ```
/// assert!(symdiff_codegen::PAR_BLOCK % symdiff_codegen::LANES == 0);
/// ```
pub const PAR_BLOCK: usize = 4096;

/// Batches with fewer points than this run on the calling thread even with
/// [`Program::eval_batch_par`] (splitting them would cost more than it saves).
///
/// ```
/// assert_eq!(symdiff_codegen::PAR_MIN_POINTS, 2 * symdiff_codegen::PAR_BLOCK);
/// ```
pub const PAR_MIN_POINTS: usize = 2 * PAR_BLOCK;

type Row = [f64; LANES];

impl Program {
    /// Evaluates every output at many points: `inputs[v][i]` is variable `v` at point `i`, and
    /// `outputs[k][i]` receives output `k` at point `i`.
    ///
    /// # Errors
    /// [`BatchError`] when the number of slices or their lengths do not match (the number of
    /// points is the length of the first output slice).
    ///
    /// ```
    /// use symdiff_codegen::Program;
    /// let p = Program::new(&[symdiff_expr::parse("x^2 + y").unwrap()], &["x", "y"]).unwrap();
    /// let x: Vec<f64> = (0..100).map(f64::from).collect();
    /// let y = vec![1.0; 100];
    /// let mut out = vec![0.0; 100];
    /// p.eval_batch(&[&x, &y], &mut [&mut out]).unwrap();
    /// assert_eq!(out[99], 99.0 * 99.0 + 1.0);
    /// ```
    pub fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.check_batch(inputs, outputs)?;
        let mut regs = vec![[0.0; LANES]; self.registers()];
        run_block(self, inputs, outputs, &mut regs);
        Ok(())
    }

    /// As [`eval_batch`](Self::eval_batch), in blocks of [`PAR_BLOCK`] points on the rayon
    /// thread pool when there are at least [`PAR_MIN_POINTS`] points.
    ///
    /// # Errors
    /// As [`eval_batch`](Self::eval_batch).
    ///
    /// ```
    /// use symdiff_codegen::Program;
    /// let p = Program::new(&[symdiff_expr::parse("exp(x)").unwrap()], &["x"]).unwrap();
    /// let x = vec![0.0; 20_000];
    /// let mut out = vec![f64::NAN; 20_000];
    /// p.eval_batch_par(&[&x], &mut [&mut out]).unwrap();
    /// assert!(out.iter().all(|&v| v == 1.0));
    /// ```
    pub fn eval_batch_par(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        let n = self.check_batch(inputs, outputs)?;
        if n < PAR_MIN_POINTS || rayon::current_num_threads() < 2 {
            let mut regs = vec![[0.0; LANES]; self.registers()];
            run_block(self, inputs, outputs, &mut regs);
            return Ok(());
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
        per_block.into_par_iter().enumerate().for_each_init(
            || vec![[0.0; LANES]; self.registers()],
            |regs, (b, mut outs)| {
                let start = b * PAR_BLOCK;
                let end = (start + PAR_BLOCK).min(n);
                let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..end]).collect();
                run_block(self, &ins, &mut outs, regs);
            },
        );
        Ok(())
    }

    /// Checks the shapes; returns the number of points.
    fn check_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<usize, BatchError> {
        if inputs.len() != self.vars().len() {
            return Err(BatchError::InputCount {
                expected: self.vars().len(),
                found: inputs.len(),
            });
        }
        if outputs.len() != self.outputs().len() {
            return Err(BatchError::OutputCount {
                expected: self.outputs().len(),
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
        for (var, i) in self.vars().iter().zip(inputs) {
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
}

/// Evaluates all points of already checked slices, `LANES` at a time.
fn run_block(p: &Program, inputs: &[&[f64]], outputs: &mut [&mut [f64]], regs: &mut [Row]) {
    let n = outputs.first().map_or(0, |o| o.len());
    let mut start = 0;
    while start < n {
        let len = LANES.min(n - start);
        for (row, input) in regs.iter_mut().zip(inputs) {
            row[..len].copy_from_slice(&input[start..start + len]);
            // Pad a partial chunk with a copy of the last point (its results are discarded).
            let last = row[len - 1];
            row[len..].fill(last);
        }
        execute_lanes(p, regs);
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

#[inline(always)]
fn unary(d: &mut Row, a: &Row, f: impl Fn(f64) -> f64) {
    for i in 0..LANES {
        d[i] = f(a[i]);
    }
}

#[inline(always)]
fn binary(d: &mut Row, a: &Row, b: &Row, f: impl Fn(f64, f64) -> f64) {
    for i in 0..LANES {
        d[i] = f(a[i], b[i]);
    }
}

/// Runs every instruction over `LANES` points.
fn execute_lanes(p: &Program, regs: &mut [Row]) {
    assert!(regs.len() >= p.registers(), "register file too small");
    let base = regs.as_mut_ptr();
    // SAFETY (for both macros): every register index of a `Program` is below `registers()` <=
    // `regs.len()`, and no instruction's destination is one of its sources (both checked when
    // the program is built), so the `&mut` row never aliases a `&` row.
    macro_rules! un {
        ($dst:expr, $a:expr, $f:expr) => {{
            let (d, a) = unsafe { (&mut *base.add($dst as usize), &*base.add($a as usize)) };
            unary(d, a, $f)
        }};
    }
    macro_rules! bin {
        ($dst:expr, $a:expr, $b:expr, $f:expr) => {{
            let (d, a, b) = unsafe {
                (
                    &mut *base.add($dst as usize),
                    &*base.add($a as usize),
                    &*base.add($b as usize),
                )
            };
            binary(d, a, b, $f)
        }};
    }
    for instr in p.instructions() {
        match *instr {
            Instr::Add { dst, a, b } => bin!(dst, a, b, |x, y| x + y),
            Instr::Sub { dst, a, b } => bin!(dst, a, b, |x, y| x - y),
            Instr::Mul { dst, a, b } => bin!(dst, a, b, |x, y| x * y),
            Instr::Div { dst, a, b } => bin!(dst, a, b, |x, y| x / y),
            Instr::Pow { dst, a, b } => bin!(dst, a, b, pow_f64),
            Instr::AddImm { dst, a, imm } => un!(dst, a, |x| x + imm),
            Instr::ImmSub { dst, a, imm } => un!(dst, a, |x| imm - x),
            Instr::MulImm { dst, a, imm } => un!(dst, a, |x| x * imm),
            Instr::DivImm { dst, a, imm } => un!(dst, a, |x| x / imm),
            Instr::ImmDiv { dst, a, imm } => un!(dst, a, |x| imm / x),
            Instr::PowImm { dst, a, imm } => un!(dst, a, |x| x.powf(imm)),
            Instr::ImmPow { dst, a, imm } => un!(dst, a, |x| pow_f64(imm, x)),
            Instr::Powi { dst, a, n } => un!(dst, a, |x| x.powi(n)),
            Instr::Neg { dst, a } => un!(dst, a, |x| -x),
            Instr::Sin { dst, a } => un!(dst, a, f64::sin),
            Instr::Cos { dst, a } => un!(dst, a, f64::cos),
            Instr::Tan { dst, a } => un!(dst, a, f64::tan),
            Instr::Asin { dst, a } => un!(dst, a, f64::asin),
            Instr::Acos { dst, a } => un!(dst, a, f64::acos),
            Instr::Atan { dst, a } => un!(dst, a, f64::atan),
            Instr::Sinh { dst, a } => un!(dst, a, f64::sinh),
            Instr::Cosh { dst, a } => un!(dst, a, f64::cosh),
            Instr::Tanh { dst, a } => un!(dst, a, f64::tanh),
            Instr::Exp { dst, a } => un!(dst, a, f64::exp),
            Instr::Ln { dst, a } => un!(dst, a, f64::ln),
            Instr::Sqrt { dst, a } => un!(dst, a, f64::sqrt),
            // SAFETY: `dst` is in bounds (see above).
            Instr::Const { dst, imm } => unsafe { &mut *base.add(dst as usize) }.fill(imm),
        }
    }
}
