//! The instruction set of a [`Program`](crate::Program): straight-line register instructions
//! on f64 values.
//!
//! There is one instruction per *kind* of operation, never one per function: a function
//! application is [`Instr::Call`] carrying its [`Func`], an arithmetic operation carries its
//! [`BinOp`]. What each instruction computes is defined once, by [`Instr::apply`], in terms of
//! the semantics of `symdiff-expr` (`BinOp::apply`, `Func::apply`, `f64::powi`); every backend
//! (interpreter, batch, JIT) computes exactly that.

use std::fmt;
use symdiff_expr::{from_bool, select, truth, BinOp, CmpOp, Func, Func2};

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
    /// `dst = f(a, b)` ([`Func2::apply`])
    Call2 { f: Func2, dst: u32, a: u32, b: u32 },
    /// `dst = a op b` as `1.0` (true) or `0.0` (false) ([`CmpOp::apply`])
    Compare { op: CmpOp, dst: u32, a: u32, b: u32 },
    /// `dst = a and b` (conditions, [`truth`] values)
    And { dst: u32, a: u32, b: u32 },
    /// `dst = a or b`
    Or { dst: u32, a: u32, b: u32 },
    /// `dst = not a`
    Not { dst: u32, a: u32 },
    /// `dst = if(c, a, b)` ([`select`]: both branches were computed; the untaken one's value is
    /// discarded)
    Select { dst: u32, c: u32, a: u32, b: u32 },
    /// `dst = imm` (only for constants that are not finite; finite ones are immediates)
    Const { dst: u32, imm: f64 },
}

impl Instr {
    /// The value this instruction computes from its operands' values, in the order of
    /// [`sources`](Instr::sources) (unused ones are ignored): the one definition every backend
    /// follows.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// use symdiff_expr::{from_bool, select, truth, BinOp, CmpOp, Func, Func2};
    /// assert_eq!(Instr::ImmBinary { op: BinOp::Sub, dst: 1, imm: 1.0, a: 0 }.apply(3.0, 0.0, 0.0), -2.0);
    /// assert_eq!(Instr::Call { f: Func::Exp, dst: 1, a: 0 }.apply(0.0, 0.0, 0.0), 1.0);
    /// assert_eq!(Instr::Select { dst: 3, c: 0, a: 1, b: 2 }.apply(0.0, f64::NAN, 5.0), 5.0);
    /// ```
    #[inline(always)]
    pub fn apply(&self, a: f64, b: f64, c: f64) -> f64 {
        match *self {
            Instr::Compare { op, .. } => from_bool(op.apply(a, b)),
            Instr::And { .. } => from_bool(truth(a) && truth(b)),
            Instr::Or { .. } => from_bool(truth(a) || truth(b)),
            Instr::Not { .. } => from_bool(!truth(a)),
            Instr::Select { .. } => select(a, b, c),
            Instr::Binary { op, .. } => op.apply(a, b),
            Instr::BinaryImm { op, imm, .. } => op.apply(a, imm),
            Instr::ImmBinary { op, imm, .. } => op.apply(imm, a),
            Instr::Powi { n, .. } => a.powi(n),
            Instr::Neg { .. } => -a,
            Instr::Call { f, .. } => f.apply(a),
            Instr::Call2 { f, .. } => f.apply(a, b),
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
            | Instr::Call2 { dst, .. }
            | Instr::Compare { dst, .. }
            | Instr::And { dst, .. }
            | Instr::Or { dst, .. }
            | Instr::Not { dst, .. }
            | Instr::Select { dst, .. }
            | Instr::Const { dst, .. } => dst,
        }
    }

    /// The source registers: `[a, b, c]` (`[c, a, b]` for a select), with `None` for operands
    /// the instruction does not have.
    ///
    /// ```
    /// use symdiff_codegen::Instr;
    /// use symdiff_expr::BinOp;
    /// assert_eq!(Instr::Binary { op: BinOp::Mul, dst: 2, a: 0, b: 1 }.sources(), [Some(0), Some(1), None]);
    /// assert_eq!(Instr::Const { dst: 0, imm: f64::INFINITY }.sources(), [None, None, None]);
    /// ```
    pub fn sources(&self) -> [Option<u32>; 3] {
        match *self {
            Instr::Binary { a, b, .. }
            | Instr::Call2 { a, b, .. }
            | Instr::Compare { a, b, .. }
            | Instr::And { a, b, .. }
            | Instr::Or { a, b, .. } => [Some(a), Some(b), None],
            Instr::BinaryImm { a, .. }
            | Instr::ImmBinary { a, .. }
            | Instr::Powi { a, .. }
            | Instr::Neg { a, .. }
            | Instr::Not { a, .. }
            | Instr::Call { a, .. } => [Some(a), None, None],
            Instr::Select { c, a, b, .. } => [Some(c), Some(a), Some(b)],
            Instr::Const { .. } => [None, None, None],
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
            Instr::Call2 { f: func, a, b, .. } => {
                write!(f, "r{d} = {}(r{a}, r{b})", func.name())
            }
            Instr::Compare { op, a, b, .. } => write!(f, "r{d} = r{a} {} r{b}", op.symbol()),
            Instr::And { a, b, .. } => write!(f, "r{d} = r{a} and r{b}"),
            Instr::Or { a, b, .. } => write!(f, "r{d} = r{a} or r{b}"),
            Instr::Not { a, .. } => write!(f, "r{d} = not r{a}"),
            Instr::Select { c, a, b, .. } => write!(f, "r{d} = if(r{c}, r{a}, r{b})"),
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
