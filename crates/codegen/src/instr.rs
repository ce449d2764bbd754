//! The instruction set of a [`Program`](crate::Program): straight-line register instructions
//! on f64 values.
//!
//! There is one instruction per *kind* of operation, never one per function: a function
//! application is [`Instr::Call`] carrying its [`Func`], an arithmetic operation carries its
//! [`BinOp`]. What each instruction computes is defined once, by [`Instr::apply`], in terms of
//! the semantics of `symdiff-expr` (`BinOp::apply`, `Func::apply`, `f64::powi`); every backend
//! (interpreter, batch, JIT) computes exactly that.

use std::fmt;
use symdiff_expr::{BinOp, Func};

/// One instruction: `dst`, `a`, `b` are register indices; `imm` is a constant operand already
/// rounded to f64.
///
/// ```
/// use symdiff_codegen::{Instr, Program};
/// use symdiff_expr::BinOp;
/// let p = Program::new(&[symdiff_expr::parse("x*y + 2").unwrap()], &["x", "y"]).unwrap();
/// assert!(matches!(p.instructions()[0], Instr::Binary { op: BinOp::Mul, .. }));
/// assert!(matches!(p.instructions()[1], Instr::BinaryImm { op: BinOp::Add, imm, .. } if imm == 2.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)] // the fields are documented on the enum
pub enum Instr {
    /// `dst = a op b` (`Pow` is [`pow_f64`](symdiff_expr::pow_f64))
    Binary { op: BinOp, dst: u32, a: u32, b: u32 },
    /// `dst = a op imm` (`Add`, `Mul`, `Div`, and `Pow` with an exponent that is not an `i32`)
    BinaryImm {
        op: BinOp,
        dst: u32,
        a: u32,
        imm: f64,
    },
    /// `dst = imm op a` (`Sub`, `Div`, `Pow`)
    ImmBinary {
        op: BinOp,
        dst: u32,
        imm: f64,
        a: u32,
    },
    /// `dst = a.powi(n)` (`|n| >` [`MAX_EXPANDED_POWER`](crate::MAX_EXPANDED_POWER))
    Powi { dst: u32, a: u32, n: i32 },
    /// `dst = -a`
    Neg { dst: u32, a: u32 },
    /// `dst = f(a)` ([`Func::apply`])
    Call { f: Func, dst: u32, a: u32 },
    /// `dst = imm` (only for constants that are not finite; finite ones are immediates)
    Const { dst: u32, imm: f64 },
}

impl Instr {
    /// The value this instruction computes from its operands' values (`a`, `b`; unused ones are
    /// ignored): the one definition every backend follows.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// use symdiff_expr::{BinOp, Func};
    /// assert_eq!(Instr::ImmBinary { op: BinOp::Sub, dst: 1, imm: 1.0, a: 0 }.apply(3.0, 0.0), -2.0);
    /// assert_eq!(Instr::Call { f: Func::Exp, dst: 1, a: 0 }.apply(0.0, 0.0), 1.0);
    /// ```
    #[inline(always)]
    pub fn apply(&self, a: f64, b: f64) -> f64 {
        match *self {
            Instr::Binary { op, .. } => op.apply(a, b),
            Instr::BinaryImm { op, imm, .. } => op.apply(a, imm),
            Instr::ImmBinary { op, imm, .. } => op.apply(imm, a),
            Instr::Powi { n, .. } => a.powi(n),
            Instr::Neg { .. } => -a,
            Instr::Call { f, .. } => f.apply(a),
            Instr::Const { imm, .. } => imm,
        }
    }

    /// The destination register.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// assert_eq!(Instr::Neg { dst: 3, a: 1 }.dst(), 3);
    /// ```
    pub fn dst(&self) -> u32 {
        match *self {
            Instr::Binary { dst, .. }
            | Instr::BinaryImm { dst, .. }
            | Instr::ImmBinary { dst, .. }
            | Instr::Powi { dst, .. }
            | Instr::Neg { dst, .. }
            | Instr::Call { dst, .. }
            | Instr::Const { dst, .. } => dst,
        }
    }

    /// The source registers: `[a, b]`, with `None` for operands the instruction does not have.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// use symdiff_expr::BinOp;
    /// assert_eq!(Instr::Binary { op: BinOp::Mul, dst: 2, a: 0, b: 1 }.sources(), [Some(0), Some(1)]);
    /// assert_eq!(Instr::Const { dst: 0, imm: f64::INFINITY }.sources(), [None, None]);
    /// ```
    pub fn sources(&self) -> [Option<u32>; 2] {
        match *self {
            Instr::Binary { a, b, .. } => [Some(a), Some(b)],
            Instr::BinaryImm { a, .. }
            | Instr::ImmBinary { a, .. }
            | Instr::Powi { a, .. }
            | Instr::Neg { a, .. }
            | Instr::Call { a, .. } => [Some(a), None],
            Instr::Const { .. } => [None, None],
        }
    }
}

impl fmt::Display for Instr {
    /// `r2 = r0 * r1`, `r3 = sin(r2)`, `r4 = r3 + 2.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.dst();
        match *self {
            Instr::Binary { op, a, b, .. } => write!(f, "r{d} = r{a} {} r{b}", op.symbol()),
            Instr::BinaryImm { op, a, imm, .. } => write!(f, "r{d} = r{a} {} {imm:?}", op.symbol()),
            Instr::ImmBinary { op, imm, a, .. } => write!(f, "r{d} = {imm:?} {} r{a}", op.symbol()),
            Instr::Powi { a, n, .. } => write!(f, "r{d} = powi(r{a}, {n})"),
            Instr::Neg { a, .. } => write!(f, "r{d} = -r{a}"),
            Instr::Call { f: func, a, .. } => write!(f, "r{d} = {}(r{a})", func.name()),
            Instr::Const { imm, .. } => write!(f, "r{d} = {imm:?}"),
        }
    }
}

/// Where an output of a [`Program`](crate::Program) is found after the instructions ran.
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
