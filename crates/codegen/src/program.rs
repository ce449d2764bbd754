//! The straight-line [`Program`]: lowering ([`lower`](crate::lower)), scheduling
//! ([`schedule`](crate::schedule)) and register allocation ([`regalloc`](crate::regalloc)), and
//! what the backends read from it.

use crate::error::CompileError;
use crate::instr::{Instr, Output};
use crate::{lower, regalloc, schedule};
use std::fmt;
use symdiff_expr::Expr;

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
        let mut lowered = lower::lower(exprs, &vars)?;
        schedule::schedule(&mut lowered);
        let allocated = regalloc::allocate(&lowered);
        Ok(Program {
            vars,
            instrs: allocated.instrs,
            checks: allocated.checks,
            outputs: allocated.outputs,
            registers: allocated.registers,
            used: lowered.used,
            roots: exprs.to_vec(),
        })
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
