//! The straight-line program: lowering an expression DAG to register instructions.
//!
//! Lowering walks the DAG once in topological order (children before parents, each shared node
//! once) and emits SSA instructions with
//!
//! - **constant folding**: constants are pre-rounded to f64 and operations on constants are
//!   computed at compile time (with the same f64 functions the program would run, so results are
//!   bit-identical), unless the result is not finite (then the operation stays, so that
//!   [`try_call`](crate::Compiled::try_call) can report it);
//! - **immediate operands**: `x + 2`, `x * 0.5`, `1 / x`, `x ^ 2.5` carry their constant in the
//!   instruction; `x - c` becomes `x + (-c)` (identical in IEEE 754);
//! - **integer powers** `x^n` with `|n| ≤ 16` as multiplications by repeated squaring, in the
//!   exact order `f64::powi` uses (so results are bit-identical to the interpreter), negative
//!   exponents as one reciprocal; larger integer exponents call `powi`, others `powf`;
//! - **value numbering**: identical instructions (including those created by the power expansion,
//!   and `a + b` versus `b + a`) are computed once;
//! - **exact identities**: `x * 1`, `x / 1`, `x + (-0)`, `-(-x)`, and `x + 0` when `x` is known
//!   never to be `-0`, are `x` itself (bit for bit), which cleans up derivatives whose
//!   simplification stopped early (`0 + f' * 1 + 0 + 0`).
//!
//! Registers are then allocated by liveness: a register is reused as soon as the value in it is
//! dead, and an instruction never writes one of its own operands (which lets the batch evaluator
//! borrow source and destination rows separately).

use crate::error::CompileError;
use std::collections::HashMap;
use std::fmt;
use symdiff_expr::{egg, from_recexpr_roots, to_recexpr_many, BinOp, Expr, Func, Shape};

/// Largest `|n|` for which `x^n` is expanded into multiplications (larger exponents call
/// `powi`).
///
/// ```
/// use symdiff_codegen::{Program, MAX_EXPANDED_POWER};
/// let x = symdiff_expr::var("x");
/// let p = Program::new(&[x.pow(MAX_EXPANDED_POWER)], &["x"]).unwrap();
/// assert_eq!(p.instructions().len(), 4); // four squarings
/// ```
pub const MAX_EXPANDED_POWER: i32 = 16;

/// One instruction of a [`Program`]: `dst`, `a`, `b` are register indices; `imm` is a constant
/// operand already rounded to f64.
///
/// ```
/// use symdiff_codegen::{Instr, Program};
/// let p = Program::new(&[symdiff_expr::parse("x*y + 2").unwrap()], &["x", "y"]).unwrap();
/// assert!(matches!(p.instructions()[0], Instr::Mul { .. }));
/// assert!(matches!(p.instructions()[1], Instr::AddImm { imm, .. } if imm == 2.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)] // the fields are documented on the enum
pub enum Instr {
    /// `dst = a + b`
    Add { dst: u32, a: u32, b: u32 },
    /// `dst = a - b`
    Sub { dst: u32, a: u32, b: u32 },
    /// `dst = a * b`
    Mul { dst: u32, a: u32, b: u32 },
    /// `dst = a / b`
    Div { dst: u32, a: u32, b: u32 },
    /// `dst = a ^ b` ([`pow_f64`](symdiff_expr::pow_f64): `powi` for integral `b`, else `powf`)
    Pow { dst: u32, a: u32, b: u32 },
    /// `dst = a + imm`
    AddImm { dst: u32, a: u32, imm: f64 },
    /// `dst = imm - a`
    ImmSub { dst: u32, a: u32, imm: f64 },
    /// `dst = a * imm`
    MulImm { dst: u32, a: u32, imm: f64 },
    /// `dst = a / imm`
    DivImm { dst: u32, a: u32, imm: f64 },
    /// `dst = imm / a`
    ImmDiv { dst: u32, a: u32, imm: f64 },
    /// `dst = a.powf(imm)` (`imm` is not an integer that fits an `i32`)
    PowImm { dst: u32, a: u32, imm: f64 },
    /// `dst = imm ^ a` ([`pow_f64`](symdiff_expr::pow_f64))
    ImmPow { dst: u32, a: u32, imm: f64 },
    /// `dst = a.powi(n)` (`|n| >` [`MAX_EXPANDED_POWER`])
    Powi { dst: u32, a: u32, n: i32 },
    /// `dst = -a`
    Neg { dst: u32, a: u32 },
    /// `dst = sin(a)`
    Sin { dst: u32, a: u32 },
    /// `dst = cos(a)`
    Cos { dst: u32, a: u32 },
    /// `dst = tan(a)`
    Tan { dst: u32, a: u32 },
    /// `dst = asin(a)`
    Asin { dst: u32, a: u32 },
    /// `dst = acos(a)`
    Acos { dst: u32, a: u32 },
    /// `dst = atan(a)`
    Atan { dst: u32, a: u32 },
    /// `dst = sinh(a)`
    Sinh { dst: u32, a: u32 },
    /// `dst = cosh(a)`
    Cosh { dst: u32, a: u32 },
    /// `dst = tanh(a)`
    Tanh { dst: u32, a: u32 },
    /// `dst = exp(a)`
    Exp { dst: u32, a: u32 },
    /// `dst = ln(a)`
    Ln { dst: u32, a: u32 },
    /// `dst = sqrt(a)`
    Sqrt { dst: u32, a: u32 },
    /// `dst = imm` (only for constants that are not finite; finite ones are immediates)
    Const { dst: u32, imm: f64 },
}

/// A one-argument f64 function, as applied by [`Instr::call`].
pub type Unary = fn(f64) -> f64;

impl Instr {
    /// For a function application (`sin` ... `sqrt`): the destination, the argument register and
    /// the function.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// let (dst, a, f) = Instr::Exp { dst: 2, a: 0 }.call().unwrap();
    /// assert_eq!((dst, a, f(0.0)), (2, 0, 1.0));
    /// assert!(Instr::Neg { dst: 1, a: 0 }.call().is_none());
    /// ```
    pub fn call(&self) -> Option<(u32, u32, Unary)> {
        use Instr::*;
        let (dst, a, f): (u32, u32, Unary) = match *self {
            Sin { dst, a } => (dst, a, f64::sin),
            Cos { dst, a } => (dst, a, f64::cos),
            Tan { dst, a } => (dst, a, f64::tan),
            Asin { dst, a } => (dst, a, f64::asin),
            Acos { dst, a } => (dst, a, f64::acos),
            Atan { dst, a } => (dst, a, f64::atan),
            Sinh { dst, a } => (dst, a, f64::sinh),
            Cosh { dst, a } => (dst, a, f64::cosh),
            Tanh { dst, a } => (dst, a, f64::tanh),
            Exp { dst, a } => (dst, a, f64::exp),
            Ln { dst, a } => (dst, a, f64::ln),
            Sqrt { dst, a } => (dst, a, f64::sqrt),
            _ => return None,
        };
        Some((dst, a, f))
    }

    /// The destination register.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// assert_eq!(Instr::Neg { dst: 3, a: 1 }.dst(), 3);
    /// ```
    pub fn dst(&self) -> u32 {
        use Instr::*;
        match *self {
            Add { dst, .. } | Sub { dst, .. } | Mul { dst, .. } | Div { dst, .. } => dst,
            Pow { dst, .. } | AddImm { dst, .. } | ImmSub { dst, .. } | MulImm { dst, .. } => dst,
            DivImm { dst, .. } | ImmDiv { dst, .. } | PowImm { dst, .. } | ImmPow { dst, .. } => {
                dst
            }
            Powi { dst, .. } | Neg { dst, .. } | Sin { dst, .. } | Cos { dst, .. } => dst,
            Tan { dst, .. } | Asin { dst, .. } | Acos { dst, .. } | Atan { dst, .. } => dst,
            Sinh { dst, .. } | Cosh { dst, .. } | Tanh { dst, .. } | Exp { dst, .. } => dst,
            Ln { dst, .. } | Sqrt { dst, .. } | Const { dst, .. } => dst,
        }
    }

    /// The source registers (zero, one or two).
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// assert_eq!(Instr::Mul { dst: 2, a: 0, b: 1 }.sources(), vec![0, 1]);
    /// assert!(Instr::Const { dst: 0, imm: f64::INFINITY }.sources().is_empty());
    /// ```
    pub fn sources(&self) -> Vec<u32> {
        use Instr::*;
        match *self {
            Add { a, b, .. } | Sub { a, b, .. } | Mul { a, b, .. } | Div { a, b, .. } => {
                vec![a, b]
            }
            Pow { a, b, .. } => vec![a, b],
            Const { .. } => vec![],
            AddImm { a, .. } | ImmSub { a, .. } | MulImm { a, .. } | DivImm { a, .. } => vec![a],
            ImmDiv { a, .. } | PowImm { a, .. } | ImmPow { a, .. } | Powi { a, .. } => vec![a],
            Neg { a, .. } | Sin { a, .. } | Cos { a, .. } | Tan { a, .. } | Asin { a, .. } => {
                vec![a]
            }
            Acos { a, .. } | Atan { a, .. } | Sinh { a, .. } | Cosh { a, .. } => vec![a],
            Tanh { a, .. } | Exp { a, .. } | Ln { a, .. } | Sqrt { a, .. } => vec![a],
        }
    }

    /// True for calls of transcendental functions, `powf` and `powi` (the expensive
    /// instructions; the rest are single floating-point operations).
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// assert!(Instr::Exp { dst: 1, a: 0 }.is_call());
    /// assert!(!Instr::Neg { dst: 1, a: 0 }.is_call());
    /// ```
    pub fn is_call(&self) -> bool {
        use Instr::*;
        !matches!(
            self,
            Add { .. }
                | Sub { .. }
                | Mul { .. }
                | Div { .. }
                | AddImm { .. }
                | ImmSub { .. }
                | MulImm { .. }
                | DivImm { .. }
                | ImmDiv { .. }
                | Neg { .. }
                | Sqrt { .. }
                | Const { .. }
        )
    }

    /// The instruction applying `func`, if the instruction set has one.
    fn func(func: Func, dst: u32, a: u32) -> Option<Instr> {
        Some(match func {
            Func::Sin => Instr::Sin { dst, a },
            Func::Cos => Instr::Cos { dst, a },
            Func::Tan => Instr::Tan { dst, a },
            Func::Asin => Instr::Asin { dst, a },
            Func::Acos => Instr::Acos { dst, a },
            Func::Atan => Instr::Atan { dst, a },
            Func::Sinh => Instr::Sinh { dst, a },
            Func::Cosh => Instr::Cosh { dst, a },
            Func::Tanh => Instr::Tanh { dst, a },
            Func::Exp => Instr::Exp { dst, a },
            Func::Ln => Instr::Ln { dst, a },
            Func::Sqrt => Instr::Sqrt { dst, a },
            _ => return None,
        })
    }
}

impl fmt::Display for Instr {
    /// `r2 = r0 * r1`, `r3 = sin(r2)`, `r4 = r3 + 2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Instr::*;
        let d = self.dst();
        match *self {
            Add { a, b, .. } => write!(f, "r{d} = r{a} + r{b}"),
            Sub { a, b, .. } => write!(f, "r{d} = r{a} - r{b}"),
            Mul { a, b, .. } => write!(f, "r{d} = r{a} * r{b}"),
            Div { a, b, .. } => write!(f, "r{d} = r{a} / r{b}"),
            Pow { a, b, .. } => write!(f, "r{d} = r{a} ^ r{b}"),
            AddImm { a, imm, .. } => write!(f, "r{d} = r{a} + {imm:?}"),
            ImmSub { a, imm, .. } => write!(f, "r{d} = {imm:?} - r{a}"),
            MulImm { a, imm, .. } => write!(f, "r{d} = r{a} * {imm:?}"),
            DivImm { a, imm, .. } => write!(f, "r{d} = r{a} / {imm:?}"),
            ImmDiv { a, imm, .. } => write!(f, "r{d} = {imm:?} / r{a}"),
            PowImm { a, imm, .. } => write!(f, "r{d} = r{a} ^ {imm:?}"),
            ImmPow { a, imm, .. } => write!(f, "r{d} = {imm:?} ^ r{a}"),
            Powi { a, n, .. } => write!(f, "r{d} = powi(r{a}, {n})"),
            Neg { a, .. } => write!(f, "r{d} = -r{a}"),
            Const { imm, .. } => write!(f, "r{d} = {imm:?}"),
            Sin { a, .. } => write!(f, "r{d} = sin(r{a})"),
            Cos { a, .. } => write!(f, "r{d} = cos(r{a})"),
            Tan { a, .. } => write!(f, "r{d} = tan(r{a})"),
            Asin { a, .. } => write!(f, "r{d} = asin(r{a})"),
            Acos { a, .. } => write!(f, "r{d} = acos(r{a})"),
            Atan { a, .. } => write!(f, "r{d} = atan(r{a})"),
            Sinh { a, .. } => write!(f, "r{d} = sinh(r{a})"),
            Cosh { a, .. } => write!(f, "r{d} = cosh(r{a})"),
            Tanh { a, .. } => write!(f, "r{d} = tanh(r{a})"),
            Exp { a, .. } => write!(f, "r{d} = exp(r{a})"),
            Ln { a, .. } => write!(f, "r{d} = ln(r{a})"),
            Sqrt { a, .. } => write!(f, "r{d} = sqrt(r{a})"),
        }
    }
}

/// Where an output of a [`Program`] is found after the instructions ran.
///
/// ```
/// use symdiff_codegen::{Output, Program};
/// let p = Program::new(&[symdiff_expr::parse("2*pi").unwrap()], &[]).unwrap();
/// assert_eq!(p.outputs(), &[Output::Const(2.0 * std::f64::consts::PI)]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Output {
    /// In a register.
    Reg(u32),
    /// A constant (the whole output folded at compile time).
    Const(f64),
}

/// A straight-line program computing one or more expressions of the same variables.
///
/// Registers `0..vars().len()` receive the arguments; the instructions run in order; each output
/// is then read from its register (or is a constant). Built by [`Program::new`] (and by
/// [`compile`](crate::compile) / [`compile_many`](crate::compile_many), which wrap it).
///
/// ```
/// use symdiff_codegen::Program;
/// use symdiff_expr::parse;
/// // x^5 as three multiplications; sin(x) computed once for both outputs.
/// let p = Program::new(&[parse("x^5 + sin(x)").unwrap(), parse("sin(x)*y").unwrap()], &["x", "y"]).unwrap();
/// assert_eq!(p.instructions().len(), 6);
/// assert_eq!(p.to_string(), "\
/// r2 = r0 * r0
/// r3 = r2 * r2
/// r2 = r0 * r3
/// r3 = sin(r0)
/// r0 = r2 + r3
/// r2 = r1 * r3
/// out[0] = r0
/// out[1] = r2
/// ");
/// ```
#[derive(Debug, Clone)]
pub struct Program {
    vars: Vec<String>,
    instrs: Vec<Instr>,
    /// Per instruction: does it complete a node of the source DAG (so
    /// [`try_call`](crate::Compiled::try_call) checks its result)?
    checks: Vec<bool>,
    outputs: Vec<Output>,
    registers: usize,
    /// Per variable: does the source DAG mention it (so `try_call` checks the argument)?
    used: Vec<bool>,
    roots: Vec<Expr>,
    /// The instructions encoded for the scalar evaluator.
    fast: Vec<crate::compile::Fast>,
}

/// An SSA operand: a value (inputs first, then instruction results) or an f64 constant (bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Operand {
    Val(u32),
    Imm(u64),
}

impl Operand {
    fn imm(v: f64) -> Operand {
        Operand::Imm(v.to_bits())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SsaOp {
    Bin(BinOp),
    Powi(i32),
    Neg,
    Func(Func),
    /// Materialise the immediate in `a` in a register.
    Const,
}

#[derive(Debug, Clone, Copy)]
struct SsaInst {
    op: SsaOp,
    a: Operand,
    b: Operand,
    check: bool,
}

/// The SSA builder: value numbering and constant folding.
struct Builder {
    inputs: u32,
    insts: Vec<SsaInst>,
    memo: HashMap<(SsaOp, Operand, Operand), u32>,
    /// Per instruction: is its result known never to be `-0.0`?
    not_neg_zero: Vec<bool>,
}

const NONE: Operand = Operand::Imm(0);

impl Builder {
    fn apply(op: SsaOp, a: f64, b: f64) -> f64 {
        match op {
            SsaOp::Bin(op) => op.apply(a, b),
            SsaOp::Powi(n) => a.powi(n),
            SsaOp::Neg => -a,
            SsaOp::Func(f) => f.apply(a),
            SsaOp::Const => a,
        }
    }

    fn arity(op: SsaOp) -> usize {
        match op {
            SsaOp::Bin(_) => 2,
            _ => 1,
        }
    }

    /// Emits `op(a, b)` (b ignored for unary ops), folding constants and reusing an identical
    /// earlier instruction.
    fn emit(&mut self, op: SsaOp, a: Operand, b: Operand) -> Operand {
        let binary = Self::arity(op) == 2;
        let b = if binary { b } else { NONE };
        if let (Operand::Imm(x), Operand::Imm(y)) = (a, b) {
            if op != SsaOp::Const {
                let v = Self::apply(op, f64::from_bits(x), f64::from_bits(y));
                if v.is_finite() {
                    return Operand::imm(v);
                }
            }
        }
        // Every instruction form needs its first operand in a register, except `Const` and the
        // forms with an immediate on the left (handled by swapping or by `Imm*` forms below).
        let (mut a, mut b) = (a, b);
        if let SsaOp::Bin(BinOp::Add | BinOp::Mul) = op {
            // Commutative: canonical order (immediates right, lower value first).
            let swap = match (a, b) {
                (Operand::Imm(_), Operand::Val(_)) => true,
                (Operand::Val(x), Operand::Val(y)) => x > y,
                _ => false,
            };
            if swap {
                std::mem::swap(&mut a, &mut b);
            }
        }
        let needs_reg_a = match op {
            SsaOp::Const => false,
            SsaOp::Bin(BinOp::Sub | BinOp::Div | BinOp::Pow) => matches!(b, Operand::Imm(_)),
            _ => true,
        };
        if needs_reg_a {
            if let Operand::Imm(x) = a {
                a = self.emit(SsaOp::Const, Operand::Imm(x), NONE);
            }
        }
        if let Some(same) = self.identity(op, a, b) {
            return same;
        }
        let key = (op, a, b);
        if let Some(&v) = self.memo.get(&key) {
            return Operand::Val(v);
        }
        let v = self.inputs + self.insts.len() as u32;
        let nz = |o: Operand| self.not_neg_zero(o);
        let not_neg_zero = match op {
            // a + b is -0 only if both are -0; a - b only if a is -0 (and b is +0).
            SsaOp::Bin(BinOp::Add) => nz(a) || nz(b),
            SsaOp::Bin(BinOp::Sub) => nz(a),
            SsaOp::Bin(BinOp::Mul) => a == b,
            SsaOp::Func(Func::Exp | Func::Cosh) => true,
            SsaOp::Const => nz(a),
            _ => false,
        };
        self.insts.push(SsaInst {
            op,
            a,
            b,
            check: false,
        });
        self.not_neg_zero.push(not_neg_zero);
        self.memo.insert(key, v);
        Operand::Val(v)
    }

    /// Is the operand known never to be `-0.0`?
    fn not_neg_zero(&self, o: Operand) -> bool {
        match o {
            Operand::Imm(bits) => bits != (-0.0f64).to_bits(),
            Operand::Val(v) => v >= self.inputs && self.not_neg_zero[(v - self.inputs) as usize],
        }
    }

    /// Identities that hold bit for bit in IEEE 754 (so the result is the operand itself):
    /// `x * 1`, `x / 1`, `x + (-0)`, `x + 0` when `x` is never `-0`, and `-(-x)`. They matter
    /// for derivatives whose simplification stopped early (`0 + ... + 0`, `f'*1`).
    fn identity(&self, op: SsaOp, a: Operand, b: Operand) -> Option<Operand> {
        let Operand::Val(x) = a else { return None };
        let imm = match b {
            Operand::Imm(bits) => Some(f64::from_bits(bits)),
            Operand::Val(_) => None,
        };
        match (op, imm) {
            (SsaOp::Bin(BinOp::Mul | BinOp::Div), Some(1.0)) => Some(a),
            (SsaOp::Bin(BinOp::Add), Some(c)) if c == 0.0 => {
                (c.is_sign_negative() || self.not_neg_zero(a)).then_some(a)
            }
            (SsaOp::Neg, _) if x >= self.inputs => {
                let inst = self.insts[(x - self.inputs) as usize];
                (inst.op == SsaOp::Neg).then_some(inst.a)
            }
            _ => None,
        }
    }

    fn binary(&mut self, op: BinOp, a: Operand, b: Operand) -> Operand {
        match (op, a, b) {
            (BinOp::Sub, _, Operand::Imm(c)) => {
                // x - c == x + (-c) exactly in IEEE 754.
                self.emit(SsaOp::Bin(BinOp::Add), a, Operand::imm(-f64::from_bits(c)))
            }
            (BinOp::Mul, Operand::Imm(c), Operand::Val(_))
            | (BinOp::Mul, Operand::Val(_), Operand::Imm(c))
                if f64::from_bits(c) == -1.0 =>
            {
                let x = if matches!(a, Operand::Val(_)) { a } else { b };
                self.emit(SsaOp::Neg, x, NONE)
            }
            (BinOp::Pow, _, Operand::Imm(c)) => {
                let c = f64::from_bits(c);
                // The same branch as `pow_f64`: integral exponents use `powi`.
                if c.fract() == 0.0 && c.abs() <= i32::MAX as f64 {
                    self.powi(a, c as i32)
                } else {
                    self.emit(SsaOp::Bin(BinOp::Pow), a, Operand::imm(c))
                }
            }
            _ => self.emit(SsaOp::Bin(op), a, b),
        }
    }

    /// `x.powi(n)`, expanded for small `|n|` in the order compiler-builtins' `__powidf2` uses:
    /// `r = 1; loop { if n odd { r *= x } n >>= 1; if n == 0 { break } x *= x }`, then `1/r` if
    /// the exponent is negative.
    fn powi(&mut self, x: Operand, n: i32) -> Operand {
        if n.unsigned_abs() > MAX_EXPANDED_POWER as u32 {
            return self.emit(SsaOp::Powi(n), x, NONE);
        }
        if n == 0 {
            return Operand::imm(1.0);
        }
        let mut base = x;
        let mut acc: Option<Operand> = None;
        let mut p = n.unsigned_abs();
        loop {
            if p & 1 == 1 {
                acc = Some(match acc {
                    None => base,
                    Some(r) => self.emit(SsaOp::Bin(BinOp::Mul), r, base),
                });
            }
            p >>= 1;
            if p == 0 {
                break;
            }
            base = self.emit(SsaOp::Bin(BinOp::Mul), base, base);
        }
        let r = acc.expect("n != 0 has a set bit");
        if n < 0 {
            self.emit(SsaOp::Bin(BinOp::Div), Operand::imm(1.0), r)
        } else {
            r
        }
    }
}

impl Program {
    /// Lowers `exprs` (sharing their common subexpressions) to a program whose arguments are
    /// `vars`, in order.
    ///
    /// # Errors
    /// [`CompileError::UnknownVariable`] names a variable of `exprs` missing from `vars`;
    /// [`CompileError::Derivative`] an unevaluated `d(var, expr)`;
    /// [`CompileError::DuplicateVariable`] and [`CompileError::InvalidVariable`] reject bad
    /// argument lists.
    ///
    /// ```
    /// use symdiff_codegen::{CompileError, Program};
    /// use symdiff_expr::parse;
    /// let p = Program::new(&[parse("(x+1)^2 * (x+1)^2").unwrap()], &["x"]).unwrap();
    /// assert_eq!(p.instructions().len(), 3); // x+1, its square, the product
    /// let err = Program::new(&[parse("d(x, x^2)").unwrap()], &["x"]).unwrap_err();
    /// assert!(matches!(err, CompileError::Derivative(_)));
    /// ```
    pub fn new(exprs: &[Expr], vars: &[&str]) -> Result<Program, CompileError> {
        let vars = check_vars(vars)?;
        let (rec, roots) = to_recexpr_many(exprs);
        let n_vars = vars.len() as u32;
        let index: HashMap<&str, u32> = vars
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i as u32))
            .collect();
        let mut used = vec![false; vars.len()];
        let mut b = Builder {
            inputs: n_vars,
            insts: Vec::new(),
            memo: HashMap::new(),
            not_neg_zero: Vec::new(),
        };
        let mut vals: Vec<Operand> = Vec::with_capacity(rec.len());
        for (i, node) in rec.as_ref().iter().enumerate() {
            let val = |id: egg::Id| vals[usize::from(id)];
            let v = match node.shape() {
                Shape::Num(c) => {
                    let v = c.to_f64();
                    if v.is_finite() {
                        Operand::imm(v)
                    } else {
                        b.emit(SsaOp::Const, Operand::imm(v), NONE)
                    }
                }
                Shape::Named(n) => Operand::imm(n.value()),
                Shape::Var(s) => match index.get(s.as_str()) {
                    Some(&k) => {
                        used[k as usize] = true;
                        Operand::Val(k)
                    }
                    None => {
                        return Err(CompileError::UnknownVariable {
                            name: s.to_string(),
                            vars: vars.clone(),
                        })
                    }
                },
                Shape::Neg(a) => b.emit(SsaOp::Neg, val(a), NONE),
                Shape::Call(f, _) if Instr::func(f, 0, 0).is_none() => {
                    return Err(CompileError::Unsupported(f.name()));
                }
                Shape::Call(f, a) => b.emit(SsaOp::Func(f), val(a), NONE),
                Shape::Call2(..)
                | Shape::If(..)
                | Shape::Compare(..)
                | Shape::And(..)
                | Shape::Or(..)
                | Shape::Not(_) => return Err(CompileError::Unsupported(node.op_name())),
                Shape::Binary(op, x, y) => b.binary(op, val(x), val(y)),
                Shape::Derivative(..) => {
                    let e = from_recexpr_roots(&rec, &[egg::Id::from(i)])[0];
                    return Err(CompileError::Derivative(e.to_string()));
                }
            };
            if let Operand::Val(k) = v {
                if k >= n_vars {
                    b.insts[(k - n_vars) as usize].check = true;
                }
            }
            vals.push(v);
        }
        let outs: Vec<Operand> = roots.iter().map(|&r| vals[usize::from(r)]).collect();
        Ok(allocate(vars, b, &outs, used, exprs.to_vec()))
    }

    /// The argument names, in order.
    ///
    /// ```
    /// let p = symdiff_codegen::Program::new(&[symdiff_expr::var("x")], &["x", "y"]).unwrap();
    /// assert_eq!(p.vars(), &["x", "y"]);
    /// ```
    pub fn vars(&self) -> &[String] {
        &self.vars
    }

    /// The instructions, in execution order.
    ///
    /// ```
    /// let p = symdiff_codegen::Program::new(&[symdiff_expr::parse("sin(x)^2").unwrap()], &["x"]).unwrap();
    /// assert_eq!(p.instructions().len(), 2); // sin, then one multiplication
    /// ```
    pub fn instructions(&self) -> &[Instr] {
        &self.instrs
    }

    /// Where each output is found.
    ///
    /// ```
    /// use symdiff_codegen::{Output, Program};
    /// let p = Program::new(&[symdiff_expr::var("y")], &["x", "y"]).unwrap();
    /// assert_eq!(p.outputs(), &[Output::Reg(1)]);
    /// ```
    pub fn outputs(&self) -> &[Output] {
        &self.outputs
    }

    /// The number of registers (arguments included) the program needs.
    ///
    /// ```
    /// use symdiff_expr::var;
    /// let x = var("x");
    /// let mut l = x;
    /// for _ in 0..20 { l = 4 * l * (1 - l); }
    /// let p = symdiff_codegen::Program::new(&[l], &["x"]).unwrap();
    /// assert_eq!(p.instructions().len(), 60);
    /// assert!(p.registers() <= 3); // registers are reused along the chain
    /// ```
    pub fn registers(&self) -> usize {
        self.registers
    }

    /// The expressions this program computes.
    ///
    /// ```
    /// let x = symdiff_expr::var("x");
    /// let p = symdiff_codegen::Program::new(&[x.sin()], &["x"]).unwrap();
    /// assert_eq!(p.roots(), &[x.sin()]);
    /// ```
    pub fn roots(&self) -> &[Expr] {
        &self.roots
    }

    /// Does instruction `i` complete a node of the source DAG (and so is checked by `try_call`)?
    pub(crate) fn checks(&self) -> &[bool] {
        &self.checks
    }

    /// The instructions encoded for the scalar evaluator.
    pub(crate) fn fast(&self) -> &[crate::compile::Fast] {
        &self.fast
    }

    /// Does the source mention argument `i`?
    pub(crate) fn used(&self) -> &[bool] {
        &self.used
    }
}

impl fmt::Display for Program {
    /// One instruction per line, then `out[k] = rN` lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for i in &self.instrs {
            writeln!(f, "{i}")?;
        }
        for (k, o) in self.outputs.iter().enumerate() {
            match o {
                Output::Reg(r) => writeln!(f, "out[{k}] = r{r}")?,
                Output::Const(c) => writeln!(f, "out[{k}] = {c:?}")?,
            }
        }
        Ok(())
    }
}

/// Validates the argument list.
fn check_vars(vars: &[&str]) -> Result<Vec<String>, CompileError> {
    let mut seen = std::collections::HashSet::new();
    for v in vars {
        let valid = v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(CompileError::InvalidVariable(v.to_string()));
        }
        if !seen.insert(*v) {
            return Err(CompileError::DuplicateVariable(v.to_string()));
        }
    }
    Ok(vars.iter().map(|v| v.to_string()).collect())
}

/// Dead-code elimination, liveness and register allocation; selects the instruction forms.
fn allocate(
    vars: Vec<String>,
    b: Builder,
    outs: &[Operand],
    used: Vec<bool>,
    roots: Vec<Expr>,
) -> Program {
    let n_vars = b.inputs as usize;
    let insts = b.insts;
    let total = n_vars + insts.len();
    let operands = |inst: &SsaInst| {
        [inst.a, inst.b].into_iter().filter_map(|o| match o {
            Operand::Val(v) => Some(v as usize),
            Operand::Imm(_) => None,
        })
    };
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
    // Allocation, forwards. Arguments own registers 0..n_vars; unused ones are free at once.
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
        let r = |o: Operand| match o {
            Operand::Val(u) => reg[u as usize],
            Operand::Imm(_) => u32::MAX,
        };
        let imm = |o: Operand| match o {
            Operand::Imm(bits) => f64::from_bits(bits),
            Operand::Val(_) => f64::NAN,
        };
        let (a, b) = (inst.a, inst.b);
        let is_imm = |o: Operand| matches!(o, Operand::Imm(_));
        let instr = match inst.op {
            SsaOp::Const => Instr::Const { dst, imm: imm(a) },
            SsaOp::Neg => Instr::Neg { dst, a: r(a) },
            SsaOp::Func(f) => Instr::func(f, dst, r(a)).expect("checked when lowering"),
            SsaOp::Powi(n) => Instr::Powi { dst, a: r(a), n },
            SsaOp::Bin(op) => match (op, is_imm(a), is_imm(b)) {
                (BinOp::Add, false, false) => Instr::Add {
                    dst,
                    a: r(a),
                    b: r(b),
                },
                (BinOp::Sub, false, false) => Instr::Sub {
                    dst,
                    a: r(a),
                    b: r(b),
                },
                (BinOp::Mul, false, false) => Instr::Mul {
                    dst,
                    a: r(a),
                    b: r(b),
                },
                (BinOp::Div, false, false) => Instr::Div {
                    dst,
                    a: r(a),
                    b: r(b),
                },
                (BinOp::Pow, false, false) => Instr::Pow {
                    dst,
                    a: r(a),
                    b: r(b),
                },
                (BinOp::Add, false, true) => Instr::AddImm {
                    dst,
                    a: r(a),
                    imm: imm(b),
                },
                (BinOp::Mul, false, true) => Instr::MulImm {
                    dst,
                    a: r(a),
                    imm: imm(b),
                },
                (BinOp::Div, false, true) => Instr::DivImm {
                    dst,
                    a: r(a),
                    imm: imm(b),
                },
                (BinOp::Pow, false, true) => Instr::PowImm {
                    dst,
                    a: r(a),
                    imm: imm(b),
                },
                (BinOp::Sub, true, false) => Instr::ImmSub {
                    dst,
                    a: r(b),
                    imm: imm(a),
                },
                (BinOp::Div, true, false) => Instr::ImmDiv {
                    dst,
                    a: r(b),
                    imm: imm(a),
                },
                (BinOp::Pow, true, false) => Instr::ImmPow {
                    dst,
                    a: r(b),
                    imm: imm(a),
                },
                // The builder never leaves these shapes (x - c is x + (-c); commutative
                // operations have their immediate on the right; two immediates are folded or
                // materialised).
                _ => unreachable!("unselectable instruction {:?}", inst),
            },
        };
        instrs.push(instr);
        checks.push(inst.check);
        // Free operands whose last use is here (after choosing dst: dst never aliases them).
        let mut previous = None;
        for u in operands(inst) {
            if last_use[u] == Some(i) && previous != Some(u) {
                free.push(reg[u]);
            }
            previous = Some(u);
        }
        if last_use[v].is_none() {
            free.push(dst); // a checked but otherwise dead value
        }
    }
    // The evaluators rely on these invariants for their unchecked register accesses.
    for instr in &instrs {
        let (dst, sources) = (instr.dst(), instr.sources());
        assert!(
            (dst as usize) < registers && sources.iter().all(|&s| (s as usize) < registers),
            "register index out of range in {instr}"
        );
        assert!(
            !sources.contains(&dst),
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
    Program {
        vars,
        fast: crate::compile::encode(&instrs),
        instrs,
        checks,
        outputs,
        registers,
        used,
        roots,
    }
}
