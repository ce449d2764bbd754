//! Lowering: an expression DAG to straight-line SSA instructions.
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
//! - **integer powers** `x^n` with `|n| <= 16` as multiplications by repeated squaring, in the
//!   exact order `f64::powi` uses (so results are bit-identical to the interpreter), negative
//!   exponents as one reciprocal; larger integer exponents call `powi`, others `powf`;
//! - **value numbering**: identical instructions (including those created by the power expansion,
//!   and `a + b` versus `b + a`) are computed once;
//! - **exact identities**: `x * 1`, `x / 1`, `x + (-0)`, `-(-x)`, and `x + 0` when `x` is known
//!   never to be `-0`, are `x` itself (bit for bit), which cleans up derivatives whose
//!   simplification stopped early (`0 + f' * 1 + 0 + 0`).
//!
//! Registers are allocated afterwards, by [`regalloc`](crate::regalloc).

use crate::error::CompileError;
use std::collections::HashMap;
use symdiff_expr::{
    egg, from_bool, from_recexpr_roots, to_recexpr_many, truth, BinOp, CmpOp, Expr, Func, Func2,
    Shape,
};

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

/// The lowered program: SSA values are the inputs `0..inputs`, then one per instruction.
pub(crate) struct Lowered {
    /// The number of inputs (variables).
    pub(crate) inputs: u32,
    /// The instructions, in order.
    pub(crate) insts: Vec<SsaInst>,
    /// The value of each root.
    pub(crate) outs: Vec<Operand>,
    /// Per variable: does the source mention it?
    pub(crate) used: Vec<bool>,
}

/// Lowers `exprs` (sharing their common subexpressions) over the arguments `vars`.
///
/// # Errors
/// [`CompileError::UnknownVariable`] or [`CompileError::Derivative`].
pub(crate) fn lower(exprs: &[Expr], vars: &[String]) -> Result<Lowered, CompileError> {
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
        memo: hashbrown::HashMap::new(),
        not_neg_zero: Vec::new(),
    };
    let mut vals: Vec<Operand> = Vec::with_capacity(rec.len());
    // Constant subexpressions are folded exactly and rounded once, as `Expr::eval` does.
    let mut exact: HashMap<egg::Id, symdiff_expr::Constant> = HashMap::new();
    for (i, node) in rec.as_ref().iter().enumerate() {
        let val = |id: egg::Id| vals[usize::from(id)];
        let folded = symdiff_expr::exact_value(node, &exact);
        let v = match node.shape() {
            _ if folded.is_some() => {
                let c = folded.expect("checked by the guard");
                let v = c.to_f64();
                exact.insert(egg::Id::from(i), c);
                if v.is_finite() {
                    Operand::imm(v)
                } else {
                    b.emit(SsaOp::Const, Operand::imm(v), NONE)
                }
            }
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
                        vars: vars.to_vec(),
                    })
                }
            },
            Shape::Neg(a) => b.emit(SsaOp::Neg, val(a), NONE),
            Shape::Call(f, a) => b.emit(SsaOp::Func(f), val(a), NONE),
            Shape::Call2(f, x, y) => b.emit(SsaOp::Func2(f), val(x), val(y)),
            Shape::Compare(op, x, y) => b.emit(SsaOp::Compare(op), val(x), val(y)),
            Shape::And(x, y) => b.emit(SsaOp::And, val(x), val(y)),
            Shape::Or(x, y) => b.emit(SsaOp::Or, val(x), val(y)),
            Shape::Not(x) => b.emit(SsaOp::Not, val(x), NONE),
            Shape::If(c, x, y) => b.select(val(c), val(x), val(y)),
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
    let outs = roots.iter().map(|&r| vals[usize::from(r)]).collect();
    Ok(Lowered {
        inputs: n_vars,
        insts: b.insts,
        outs,
        used,
    })
}

/// An SSA operand: a value (inputs first, then instruction results) or an f64 constant (bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operand {
    Val(u32),
    Imm(u64),
}

impl Operand {
    pub(crate) fn imm(v: f64) -> Operand {
        Operand::Imm(v.to_bits())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SsaOp {
    Bin(BinOp),
    Powi(i32),
    Neg,
    Func(Func),
    /// A two-argument function (both operands in registers).
    Func2(Func2),
    /// A comparison: `1.0` or `0.0` (both operands in registers).
    Compare(CmpOp),
    /// Conditions `a and b`, `a or b`, `not a` (operands in registers).
    And,
    Or,
    Not,
    /// `if(a, b, c)`: `b` when the condition `a` is true, else `c` (all in registers).
    Select,
    /// Materialise the immediate in `a` in a register.
    Const,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct SsaInst {
    pub(crate) op: SsaOp,
    pub(crate) a: Operand,
    pub(crate) b: Operand,
    /// The third operand (only `Select` has one; `NONE` otherwise).
    pub(crate) c: Operand,
    /// Does it complete a node of the source DAG (so `try_call` checks its result)?
    pub(crate) check: bool,
}

/// The SSA builder: value numbering and constant folding.
struct Builder {
    inputs: u32,
    insts: Vec<SsaInst>,
    /// Value numbering (a fast hasher: one lookup per node of the source).
    memo: hashbrown::HashMap<(SsaOp, Operand, Operand, Operand), u32>,
    /// Per instruction: is its result known never to be `-0.0`?
    not_neg_zero: Vec<bool>,
}

pub(crate) const NONE: Operand = Operand::Imm(0);

impl Builder {
    fn apply(op: SsaOp, a: f64, b: f64) -> f64 {
        match op {
            SsaOp::Bin(op) => op.apply(a, b),
            SsaOp::Powi(n) => a.powi(n),
            SsaOp::Neg => -a,
            SsaOp::Func(f) => f.apply(a),
            SsaOp::Func2(f) => f.apply(a, b),
            SsaOp::Compare(op) => from_bool(op.apply(a, b)),
            SsaOp::And => from_bool(truth(a) && truth(b)),
            SsaOp::Or => from_bool(truth(a) || truth(b)),
            SsaOp::Not => from_bool(!truth(a)),
            // Folded by `Builder::select`, never here.
            SsaOp::Select => unreachable!("select is not folded by apply"),
            SsaOp::Const => a,
        }
    }

    fn arity(op: SsaOp) -> usize {
        match op {
            SsaOp::Bin(_) | SsaOp::Func2(_) | SsaOp::Compare(_) | SsaOp::And | SsaOp::Or => 2,
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
        if let (SsaOp::Func2(_) | SsaOp::Compare(_) | SsaOp::And | SsaOp::Or, Operand::Imm(y)) =
            (op, b)
        {
            b = self.emit(SsaOp::Const, Operand::Imm(y), NONE);
        }
        if let Some(same) = self.identity(op, a, b) {
            return same;
        }
        let nz = |o: Operand| self.not_neg_zero(o);
        let not_neg_zero = match op {
            // a + b is -0 only if both are -0; a - b only if a is -0 (and b is +0).
            SsaOp::Bin(BinOp::Add) => nz(a) || nz(b),
            SsaOp::Bin(BinOp::Sub) => nz(a),
            SsaOp::Bin(BinOp::Mul) => a == b,
            SsaOp::Func(Func::Exp | Func::Cosh) => true,
            SsaOp::Compare(_) | SsaOp::And | SsaOp::Or | SsaOp::Not => true,
            SsaOp::Const => nz(a),
            _ => false,
        };
        self.push(op, [a, b, NONE], not_neg_zero)
    }

    /// Appends `op(operands)` unless an identical instruction exists (value numbering).
    fn push(&mut self, op: SsaOp, [a, b, c]: [Operand; 3], not_neg_zero: bool) -> Operand {
        let key = (op, a, b, c);
        if let Some(&v) = self.memo.get(&key) {
            return Operand::Val(v);
        }
        let v = self.inputs + self.insts.len() as u32;
        self.insts.push(SsaInst {
            op,
            a,
            b,
            c,
            check: false,
        });
        self.not_neg_zero.push(not_neg_zero);
        self.memo.insert(key, v);
        Operand::Val(v)
    }

    /// `if(cond, a, b)`: the taken branch itself when the condition is a constant or both
    /// branches are the same value, else a select over registers (both branches computed, the
    /// untaken one's value discarded).
    fn select(&mut self, cond: Operand, a: Operand, b: Operand) -> Operand {
        if let Operand::Imm(c) = cond {
            return if truth(f64::from_bits(c)) { a } else { b };
        }
        if a == b {
            return a;
        }
        let not_neg_zero = self.not_neg_zero(a) && self.not_neg_zero(b);
        let mut reg = |o: Operand| match o {
            Operand::Imm(x) => self.emit(SsaOp::Const, Operand::Imm(x), NONE),
            val => val,
        };
        let (a, b) = (reg(a), reg(b));
        self.push(SsaOp::Select, [cond, a, b], not_neg_zero)
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
