//! Compiled functions: [`compile`] / [`compile_many`] and the scalar evaluator.
//!
//! The evaluator interprets a [`Program`]'s instructions in one tight loop over a small register
//! file (on the stack for small programs, a reused thread-local buffer for large ones). The
//! fast paths ([`Compiled::call`], the closures, the batch evaluators) follow IEEE 754: a domain
//! error gives NaN or an infinity, exactly as the interpreter in [`Semantics::Ieee`] would.
//! [`Compiled::try_call`] instead checks the arguments and every operation and reports the first
//! that is not a finite real number, like [`Expr::eval`] does.
//!
//! [`Semantics::Ieee`]: symdiff_expr::Semantics::Ieee

use crate::error::{BatchError, CallError, CompileError};
use crate::program::{Instr, Output, Program};
use std::cell::RefCell;
use symdiff_expr::{pow_f64, EvalError, Expr, Point};

/// Compiles `expr` into a function of `vars` (in that order).
///
/// # Errors
/// A variable of `expr` missing from `vars` ([`CompileError::UnknownVariable`], naming it), an
/// unevaluated derivative ([`CompileError::Derivative`]), a duplicate or invalid name in `vars`.
///
/// ```
/// use symdiff_codegen::compile;
/// let f = compile(&symdiff_expr::parse("x1*x2 + x2 - ln(x1)").unwrap(), &["x1", "x2"]).unwrap();
/// assert!((f.call(&[3.0, -4.0]) - (-17.0986122886681)).abs() < 1e-12);
/// assert!(compile(&symdiff_expr::parse("x*z").unwrap(), &["x"]).unwrap_err().to_string().contains("`z`"));
/// ```
pub fn compile(expr: &Expr, vars: &[&str]) -> Result<Compiled, CompileError> {
    Ok(Compiled {
        program: Program::new(std::slice::from_ref(expr), vars)?,
    })
}

/// Compiles several expressions of the same variables into one program that computes their
/// shared subexpressions once.
///
/// # Errors
/// As [`compile`].
///
/// ```
/// use symdiff_codegen::compile_many;
/// use symdiff_expr::parse;
/// let f = compile_many(&[parse("sin(x)*y").unwrap(), parse("sin(x)+y").unwrap()], &["x", "y"]).unwrap();
/// assert_eq!(f.program().instructions().len(), 3); // sin(x) once
/// assert_eq!(f.call(&[0.0, 2.0]), vec![0.0, 2.0]);
/// ```
pub fn compile_many(exprs: &[Expr], vars: &[&str]) -> Result<CompiledMany, CompileError> {
    Ok(CompiledMany {
        program: Program::new(exprs, vars)?,
    })
}

/// A compiled scalar function of several variables. Cheap to call from many threads at once
/// (`Send + Sync`, no interior state).
///
/// ```
/// use symdiff_codegen::compile;
/// use symdiff_expr::var;
/// let x = var("x");
/// let f = compile(&(4 * (x.cos() + 2 * x - x.exp()).pow(2)), &["x"]).unwrap();
/// assert_eq!(f.call(&[0.0]), 0.0);
/// let g = f.into_closure();
/// assert!((g(&[1.0]) - 4.0 * (1f64.cos() + 2.0 - 1f64.exp()).powi(2)).abs() < 1e-14);
/// ```
#[derive(Debug, Clone)]
pub struct Compiled {
    program: Program,
}

impl Compiled {
    /// The value at `args` (one per variable, in the order given to [`compile`]). Domain errors
    /// follow IEEE 754 (`ln(-1)` is NaN, `1/0` is infinite).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables: the message is
    /// "symdiff compiled function: expected N arguments (x, y), got M". Use
    /// [`try_call`](Self::try_call) to get an error instead.
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x/y").unwrap(), &["x", "y"]).unwrap();
    /// assert_eq!(f.call(&[1.0, 4.0]), 0.25);
    /// assert_eq!(f.call(&[1.0, 0.0]), f64::INFINITY);
    /// ```
    #[inline]
    pub fn call(&self, args: &[f64]) -> f64 {
        let mut out = [0.0];
        run(&self.program, args, &mut out);
        out[0]
    }

    /// The value at `args`, checking the number of arguments and reporting the first argument
    /// or operation that is not a finite real number (as [`Expr::eval`] does).
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Domain`].
    ///
    /// ```
    /// use symdiff_codegen::{compile, CallError};
    /// let f = compile(&symdiff_expr::parse("sqrt(x - 1)").unwrap(), &["x"]).unwrap();
    /// assert_eq!(f.try_call(&[5.0]), Ok(2.0));
    /// assert!(matches!(f.try_call(&[0.0]), Err(CallError::Domain { .. })));
    /// assert!(matches!(f.try_call(&[]), Err(CallError::Arity { expected: 1, found: 0 })));
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<f64, CallError> {
        let mut out = [0.0];
        try_run(&self.program, args, &mut out)?;
        Ok(out[0])
    }

    /// The function as a closure (panics like [`call`](Self::call) on a wrong number of
    /// arguments).
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x*y").unwrap(), &["x", "y"]).unwrap();
    /// let f = f.into_closure();
    /// let handle = std::thread::spawn(move || f(&[2.0, 3.0]));
    /// assert_eq!(handle.join().unwrap(), 6.0);
    /// ```
    pub fn into_closure(self) -> impl Fn(&[f64]) -> f64 + Send + Sync + Clone + 'static {
        move |args| self.call(args)
    }

    /// The underlying program.
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x^3").unwrap(), &["x"]).unwrap();
    /// assert_eq!(f.program().instructions().len(), 2);
    /// ```
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The argument names, in order.
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::var("x"), &["x", "y"]).unwrap();
    /// assert_eq!(f.vars(), &["x", "y"]);
    /// ```
    pub fn vars(&self) -> &[String] {
        self.program.vars()
    }

    /// Evaluates at many points: `inputs[v][i]` is variable `v` at point `i`; `out[i]` receives
    /// the value at point `i`. Vectorised over chunks of points; IEEE 754 semantics.
    ///
    /// # Errors
    /// [`BatchError`] when the number or lengths of the slices do not match.
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("x*y + 1").unwrap(), &["x", "y"]).unwrap();
    /// let (x, y) = ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]);
    /// let mut out = [0.0; 3];
    /// f.eval_batch(&[&x, &y], &mut out).unwrap();
    /// assert_eq!(out, [5.0, 11.0, 19.0]);
    /// ```
    pub fn eval_batch(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), BatchError> {
        self.program.eval_batch(inputs, &mut [out])
    }

    /// As [`eval_batch`](Self::eval_batch), split over the rayon thread pool when there are
    /// enough points (see [`PAR_MIN_POINTS`](crate::PAR_MIN_POINTS)).
    ///
    /// # Errors
    /// As [`eval_batch`](Self::eval_batch).
    ///
    /// ```
    /// let f = symdiff_codegen::compile(&symdiff_expr::parse("sin(x)").unwrap(), &["x"]).unwrap();
    /// let x: Vec<f64> = (0..100_000).map(|i| i as f64 * 1e-3).collect();
    /// let mut out = vec![0.0; x.len()];
    /// f.eval_batch_par(&[&x], &mut out).unwrap();
    /// assert_eq!(out[1234], (1.234f64).sin());
    /// ```
    pub fn eval_batch_par(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), BatchError> {
        self.program.eval_batch_par(inputs, &mut [out])
    }
}

/// Several compiled functions of the same variables, sharing their common work.
///
/// ```
/// use symdiff_codegen::compile_many;
/// use symdiff_expr::parse;
/// let f = compile_many(&[parse("x+y").unwrap(), parse("x*y").unwrap()], &["x", "y"]).unwrap();
/// let mut out = [0.0; 2];
/// f.call_into(&[2.0, 3.0], &mut out);
/// assert_eq!(out, [5.0, 6.0]);
/// ```
#[derive(Debug, Clone)]
pub struct CompiledMany {
    program: Program,
}

impl CompiledMany {
    /// The number of outputs.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::var("x"); 3], &["x"]).unwrap();
    /// assert_eq!(f.outputs(), 3);
    /// ```
    pub fn outputs(&self) -> usize {
        self.program.outputs().len()
    }

    /// All outputs at `args` (IEEE 754 semantics).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables (see [`Compiled::call`]).
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x^2").unwrap(), symdiff_expr::parse("-x").unwrap()], &["x"]).unwrap();
    /// assert_eq!(f.call(&[3.0]), vec![9.0, -3.0]);
    /// ```
    pub fn call(&self, args: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.outputs()];
        run(&self.program, args, &mut out);
        out
    }

    /// All outputs at `args`, written to `out` (no allocation for small programs).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of variables or `out.len()` from the number of
    /// outputs.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x+1").unwrap(), symdiff_expr::parse("x-1").unwrap()], &["x"]).unwrap();
    /// let mut out = [0.0; 2];
    /// f.call_into(&[1.0], &mut out);
    /// assert_eq!(out, [2.0, 0.0]);
    /// ```
    #[inline]
    pub fn call_into(&self, args: &[f64], out: &mut [f64]) {
        run(&self.program, args, out);
    }

    /// All outputs at `args`, checking arguments and every operation (see
    /// [`Compiled::try_call`]).
    ///
    /// # Errors
    /// [`CallError::Arity`] or [`CallError::Domain`].
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x").unwrap(), symdiff_expr::parse("1/x").unwrap()], &["x"]).unwrap();
    /// assert_eq!(f.try_call(&[2.0]), Ok(vec![2.0, 0.5]));
    /// assert!(f.try_call(&[0.0]).unwrap_err().to_string().contains("division by zero"));
    /// ```
    pub fn try_call(&self, args: &[f64]) -> Result<Vec<f64>, CallError> {
        let mut out = vec![0.0; self.outputs()];
        try_run(&self.program, args, &mut out)?;
        Ok(out)
    }

    /// The functions as one closure returning all outputs (panics like [`call`](Self::call)).
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x*2").unwrap(), symdiff_expr::parse("x*3").unwrap()], &["x"]).unwrap();
    /// let f = f.into_closure();
    /// assert_eq!(f(&[1.0]), vec![2.0, 3.0]);
    /// ```
    pub fn into_closure(self) -> impl Fn(&[f64]) -> Vec<f64> + Send + Sync + Clone + 'static {
        move |args| self.call(args)
    }

    /// The underlying program.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::var("x")], &["x"]).unwrap();
    /// assert!(f.program().instructions().is_empty());
    /// ```
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The argument names, in order.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[], &["a", "b"]).unwrap();
    /// assert_eq!(f.vars(), &["a", "b"]);
    /// ```
    pub fn vars(&self) -> &[String] {
        self.program.vars()
    }

    /// Evaluates every output at many points: `inputs[v][i]` is variable `v` at point `i`;
    /// `outputs[k][i]` receives output `k` at point `i`.
    ///
    /// # Errors
    /// [`BatchError`] when the number or lengths of the slices do not match.
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x+1").unwrap(), symdiff_expr::parse("2*x").unwrap()], &["x"]).unwrap();
    /// let (mut a, mut b) = ([0.0; 2], [0.0; 2]);
    /// f.eval_batch(&[&[1.0, 2.0]], &mut [&mut a, &mut b]).unwrap();
    /// assert_eq!((a, b), ([2.0, 3.0], [2.0, 4.0]));
    /// ```
    pub fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.program.eval_batch(inputs, outputs)
    }

    /// As [`eval_batch`](Self::eval_batch), on the rayon thread pool for large inputs.
    ///
    /// # Errors
    /// As [`eval_batch`](Self::eval_batch).
    ///
    /// ```
    /// let f = symdiff_codegen::compile_many(&[symdiff_expr::parse("x+1").unwrap()], &["x"]).unwrap();
    /// let x = vec![1.0; 50_000];
    /// let mut y = vec![0.0; 50_000];
    /// f.eval_batch_par(&[&x], &mut [&mut y]).unwrap();
    /// assert!(y.iter().all(|&v| v == 2.0));
    /// ```
    pub fn eval_batch_par(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        self.program.eval_batch_par(inputs, outputs)
    }
}

#[cold]
#[inline(never)]
fn arity_panic(p: &Program, found: usize) -> ! {
    panic!(
        "symdiff compiled function: expected {} arguments ({}), got {found}",
        p.vars().len(),
        p.vars().join(", ")
    )
}

#[cold]
#[inline(never)]
fn outputs_panic(p: &Program, found: usize) -> ! {
    panic!(
        "symdiff compiled function: the output slice must have {} elements, got {found}",
        p.outputs().len()
    )
}

/// Registers on the stack up to this many; beyond, a reused thread-local buffer.
const STACK_REGISTERS: usize = 64;

thread_local! {
    static SCRATCH: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with a register file of at least `n` registers.
#[inline]
fn with_registers<R>(n: usize, f: impl FnOnce(&mut [f64]) -> R) -> R {
    if n <= 16 {
        f(&mut [0.0; 16])
    } else if n <= STACK_REGISTERS {
        f(&mut [0.0; STACK_REGISTERS])
    } else {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut regs) => {
                if regs.len() < n {
                    regs.resize(n, 0.0);
                }
                f(&mut regs)
            }
            Err(_) => f(&mut vec![0.0; n]),
        })
    }
}

/// The fast path: IEEE semantics, panics on wrong lengths.
#[inline]
pub(crate) fn run(p: &Program, args: &[f64], out: &mut [f64]) {
    if out.len() != p.outputs().len() {
        outputs_panic(p, out.len());
    }
    run_with(p, args, |k, v| out[k] = v);
}

/// The fast path, handing output `k` to `sink(k, value)`.
#[inline]
pub(crate) fn run_with(p: &Program, args: &[f64], sink: impl FnMut(usize, f64)) {
    let n = p.vars().len();
    if args.len() != n {
        arity_panic(p, args.len());
    }
    with_registers(p.registers(), |regs| {
        regs[..n].copy_from_slice(args);
        execute(p, regs);
        read_outputs(p, regs, sink);
    });
}

#[inline]
fn read_outputs(p: &Program, regs: &[f64], mut sink: impl FnMut(usize, f64)) {
    for (k, o) in p.outputs().iter().enumerate() {
        sink(
            k,
            match *o {
                Output::Reg(r) => regs[r as usize],
                Output::Const(c) => c,
            },
        );
    }
}

/// The checked path: arity and domain errors are reported.
pub(crate) fn try_run(p: &Program, args: &[f64], out: &mut [f64]) -> Result<(), CallError> {
    debug_assert_eq!(out.len(), p.outputs().len());
    try_run_with(p, args, |k, v| out[k] = v)
}

/// The checked path, handing output `k` to `sink(k, value)` (only when there is no error).
pub(crate) fn try_run_with(
    p: &Program,
    args: &[f64],
    sink: impl FnMut(usize, f64),
) -> Result<(), CallError> {
    let n = p.vars().len();
    if args.len() != n {
        return Err(CallError::Arity {
            expected: n,
            found: args.len(),
        });
    }
    let bad_arg = args
        .iter()
        .zip(p.used())
        .any(|(v, &used)| used && !v.is_finite());
    let ok = !bad_arg
        && with_registers(p.registers(), |regs| {
            regs[..n].copy_from_slice(args);
            assert!(regs.len() >= p.registers(), "register file too small");
            let r = regs.as_mut_ptr();
            for (instr, &check) in p.instructions().iter().zip(p.checks()) {
                // SAFETY: as in `execute`: every index is below `registers()` <= `regs.len()`.
                let value = unsafe { step(instr, r) };
                if check && !value.is_finite() {
                    return false;
                }
            }
            read_outputs(p, regs, sink);
            true
        });
    if ok {
        Ok(())
    } else {
        Err(describe_domain_error(p, args))
    }
}

/// Names the failing argument or operation, using the reference interpreter (a cold path; the
/// compiled program computes the same values, so the interpreter fails at the same node).
#[cold]
fn describe_domain_error(p: &Program, args: &[f64]) -> CallError {
    let point: Point = p
        .vars()
        .iter()
        .zip(args)
        .map(|(v, &x)| (v.as_str(), x))
        .collect();
    for root in p.roots() {
        match root.eval(&point) {
            Err(EvalError::Domain { op, why }) => return CallError::Domain { op, why },
            Err(other) => {
                return CallError::Domain {
                    op: other.to_string(),
                    why: "not finite",
                }
            }
            Ok(_) => {}
        }
    }
    CallError::Domain {
        op: "an intermediate result".into(),
        why: "not finite",
    }
}

/// Runs the program's instructions over the register file.
///
/// # Panics
/// If `regs` is shorter than [`Program::registers`].
#[inline]
pub(crate) fn execute(p: &Program, regs: &mut [f64]) {
    assert!(regs.len() >= p.registers(), "register file too small");
    let r = regs.as_mut_ptr();
    let mut acc = 0.0;
    for f in p.fast() {
        // SAFETY: every register index in a `Program` is below `Program::registers` (the
        // lowering allocates them so, and a `Program` cannot be built otherwise); `regs` is at
        // least that long (asserted above).
        acc = unsafe { fast_step(f, r, acc) };
    }
}

/// The scalar evaluator's encoding of an [`Instr`]: the same operations, plus forms whose first
/// operand is the previous instruction's result, which the evaluator keeps in a machine
/// register (`acc`) instead of reloading it from the register file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fast {
    Add { dst: u32, a: u32, b: u32 },
    Sub { dst: u32, a: u32, b: u32 },
    Mul { dst: u32, a: u32, b: u32 },
    Div { dst: u32, a: u32, b: u32 },
    Pow { dst: u32, a: u32, b: u32 },
    AddImm { dst: u32, a: u32, imm: f64 },
    ImmSub { dst: u32, a: u32, imm: f64 },
    MulImm { dst: u32, a: u32, imm: f64 },
    DivImm { dst: u32, a: u32, imm: f64 },
    ImmDiv { dst: u32, a: u32, imm: f64 },
    PowImm { dst: u32, a: u32, imm: f64 },
    ImmPow { dst: u32, a: u32, imm: f64 },
    Powi { dst: u32, a: u32, n: i32 },
    Neg { dst: u32, a: u32 },
    Call { dst: u32, a: u32, f: fn(f64) -> f64 },
    Const { dst: u32, imm: f64 },
    AddA { dst: u32, b: u32 },
    SubA { dst: u32, b: u32 },
    RSubA { dst: u32, b: u32 },
    MulA { dst: u32, b: u32 },
    DivA { dst: u32, b: u32 },
    RDivA { dst: u32, b: u32 },
    AddImmA { dst: u32, imm: f64 },
    ImmSubA { dst: u32, imm: f64 },
    MulImmA { dst: u32, imm: f64 },
    DivImmA { dst: u32, imm: f64 },
    ImmDivA { dst: u32, imm: f64 },
    NegA { dst: u32 },
}

/// Encodes instructions for [`execute`].
pub(crate) fn encode(instrs: &[Instr]) -> Vec<Fast> {
    let mut prev: Option<u32> = None;
    let mut out = Vec::with_capacity(instrs.len());
    for &i in instrs {
        let is = |r: u32| prev == Some(r);
        let f = match i {
            Instr::Add { dst, a, b } if is(a) => Fast::AddA { dst, b },
            Instr::Add { dst, a, b } if is(b) => Fast::AddA { dst, b: a },
            Instr::Mul { dst, a, b } if is(a) => Fast::MulA { dst, b },
            Instr::Mul { dst, a, b } if is(b) => Fast::MulA { dst, b: a },
            Instr::Sub { dst, a, b } if is(a) => Fast::SubA { dst, b },
            Instr::Sub { dst, a, b } if is(b) => Fast::RSubA { dst, b: a },
            Instr::Div { dst, a, b } if is(a) => Fast::DivA { dst, b },
            Instr::Div { dst, a, b } if is(b) => Fast::RDivA { dst, b: a },
            Instr::AddImm { dst, a, imm } if is(a) => Fast::AddImmA { dst, imm },
            Instr::ImmSub { dst, a, imm } if is(a) => Fast::ImmSubA { dst, imm },
            Instr::MulImm { dst, a, imm } if is(a) => Fast::MulImmA { dst, imm },
            Instr::DivImm { dst, a, imm } if is(a) => Fast::DivImmA { dst, imm },
            Instr::ImmDiv { dst, a, imm } if is(a) => Fast::ImmDivA { dst, imm },
            Instr::Neg { dst, a } if is(a) => Fast::NegA { dst },
            Instr::Add { dst, a, b } => Fast::Add { dst, a, b },
            Instr::Sub { dst, a, b } => Fast::Sub { dst, a, b },
            Instr::Mul { dst, a, b } => Fast::Mul { dst, a, b },
            Instr::Div { dst, a, b } => Fast::Div { dst, a, b },
            Instr::Pow { dst, a, b } => Fast::Pow { dst, a, b },
            Instr::AddImm { dst, a, imm } => Fast::AddImm { dst, a, imm },
            Instr::ImmSub { dst, a, imm } => Fast::ImmSub { dst, a, imm },
            Instr::MulImm { dst, a, imm } => Fast::MulImm { dst, a, imm },
            Instr::DivImm { dst, a, imm } => Fast::DivImm { dst, a, imm },
            Instr::ImmDiv { dst, a, imm } => Fast::ImmDiv { dst, a, imm },
            Instr::PowImm { dst, a, imm } => Fast::PowImm { dst, a, imm },
            Instr::ImmPow { dst, a, imm } => Fast::ImmPow { dst, a, imm },
            Instr::Powi { dst, a, n } => Fast::Powi { dst, a, n },
            Instr::Neg { dst, a } => Fast::Neg { dst, a },
            Instr::Const { dst, imm } => Fast::Const { dst, imm },
            call => {
                let (dst, a, f) = call
                    .call()
                    .expect("every other instruction is matched above");
                Fast::Call { dst, a, f }
            }
        };
        prev = Some(i.dst());
        out.push(f);
    }
    out
}

/// Executes one encoded instruction; `acc` is the previous instruction's result. Returns this
/// instruction's result.
///
/// # Safety
/// Every register index of `f` must be in bounds of the register file at `r`.
#[inline(always)]
unsafe fn fast_step(f: &Fast, r: *mut f64, acc: f64) -> f64 {
    macro_rules! get {
        ($i:expr) => {
            // SAFETY: the caller guarantees the index is in bounds.
            unsafe { *r.add($i as usize) }
        };
    }
    let (dst, v) = match *f {
        Fast::AddA { dst, b } => (dst, acc + get!(b)),
        Fast::SubA { dst, b } => (dst, acc - get!(b)),
        Fast::RSubA { dst, b } => (dst, get!(b) - acc),
        Fast::MulA { dst, b } => (dst, acc * get!(b)),
        Fast::DivA { dst, b } => (dst, acc / get!(b)),
        Fast::RDivA { dst, b } => (dst, get!(b) / acc),
        Fast::AddImmA { dst, imm } => (dst, acc + imm),
        Fast::ImmSubA { dst, imm } => (dst, imm - acc),
        Fast::MulImmA { dst, imm } => (dst, acc * imm),
        Fast::DivImmA { dst, imm } => (dst, acc / imm),
        Fast::ImmDivA { dst, imm } => (dst, imm / acc),
        Fast::NegA { dst } => (dst, -acc),
        Fast::Add { dst, a, b } => (dst, get!(a) + get!(b)),
        Fast::Sub { dst, a, b } => (dst, get!(a) - get!(b)),
        Fast::Mul { dst, a, b } => (dst, get!(a) * get!(b)),
        Fast::Div { dst, a, b } => (dst, get!(a) / get!(b)),
        Fast::Pow { dst, a, b } => (dst, pow_f64(get!(a), get!(b))),
        Fast::AddImm { dst, a, imm } => (dst, get!(a) + imm),
        Fast::ImmSub { dst, a, imm } => (dst, imm - get!(a)),
        Fast::MulImm { dst, a, imm } => (dst, get!(a) * imm),
        Fast::DivImm { dst, a, imm } => (dst, get!(a) / imm),
        Fast::ImmDiv { dst, a, imm } => (dst, imm / get!(a)),
        Fast::PowImm { dst, a, imm } => (dst, get!(a).powf(imm)),
        Fast::ImmPow { dst, a, imm } => (dst, pow_f64(imm, get!(a))),
        Fast::Powi { dst, a, n } => (dst, get!(a).powi(n)),
        Fast::Neg { dst, a } => (dst, -get!(a)),
        Fast::Call { dst, a, f } => (dst, f(get!(a))),
        Fast::Const { dst, imm } => (dst, imm),
    };
    // SAFETY: the caller guarantees the index is in bounds.
    unsafe { *r.add(dst as usize) = v };
    v
}

/// Executes one instruction; returns its result.
///
/// # Safety
/// Every register index of `instr` must be in bounds of the register file at `r`.
#[inline(always)]
pub(crate) unsafe fn step(instr: &Instr, r: *mut f64) -> f64 {
    macro_rules! get {
        ($i:expr) => {
            // SAFETY: the caller guarantees the index is in bounds.
            unsafe { *r.add($i as usize) }
        };
    }
    macro_rules! set {
        ($i:expr, $v:expr) => {
            ($i, $v)
        };
    }
    let (dst, v) = match *instr {
        Instr::Add { dst, a, b } => set!(dst, get!(a) + get!(b)),
        Instr::Sub { dst, a, b } => set!(dst, get!(a) - get!(b)),
        Instr::Mul { dst, a, b } => set!(dst, get!(a) * get!(b)),
        Instr::Div { dst, a, b } => set!(dst, get!(a) / get!(b)),
        Instr::Pow { dst, a, b } => set!(dst, pow_f64(get!(a), get!(b))),
        Instr::AddImm { dst, a, imm } => set!(dst, get!(a) + imm),
        Instr::ImmSub { dst, a, imm } => set!(dst, imm - get!(a)),
        Instr::MulImm { dst, a, imm } => set!(dst, get!(a) * imm),
        Instr::DivImm { dst, a, imm } => set!(dst, get!(a) / imm),
        Instr::ImmDiv { dst, a, imm } => set!(dst, imm / get!(a)),
        Instr::PowImm { dst, a, imm } => set!(dst, get!(a).powf(imm)),
        Instr::ImmPow { dst, a, imm } => set!(dst, pow_f64(imm, get!(a))),
        Instr::Powi { dst, a, n } => set!(dst, get!(a).powi(n)),
        Instr::Neg { dst, a } => set!(dst, -get!(a)),
        Instr::Sin { dst, a } => set!(dst, get!(a).sin()),
        Instr::Cos { dst, a } => set!(dst, get!(a).cos()),
        Instr::Tan { dst, a } => set!(dst, get!(a).tan()),
        Instr::Asin { dst, a } => set!(dst, get!(a).asin()),
        Instr::Acos { dst, a } => set!(dst, get!(a).acos()),
        Instr::Atan { dst, a } => set!(dst, get!(a).atan()),
        Instr::Sinh { dst, a } => set!(dst, get!(a).sinh()),
        Instr::Cosh { dst, a } => set!(dst, get!(a).cosh()),
        Instr::Tanh { dst, a } => set!(dst, get!(a).tanh()),
        Instr::Exp { dst, a } => set!(dst, get!(a).exp()),
        Instr::Ln { dst, a } => set!(dst, get!(a).ln()),
        Instr::Sqrt { dst, a } => set!(dst, get!(a).sqrt()),
        Instr::Const { dst, imm } => set!(dst, imm),
    };
    // SAFETY: the caller guarantees the index is in bounds.
    unsafe { *r.add(dst as usize) = v };
    v
}
