//! [`WengertList`]: an expression DAG compiled to a flat list of operations (a Wengert list), and the
//! one generic evaluator over any [`Scalar`].
//!
//! Compilation walks the DAG in topological order (children before parents, each shared node
//! once, as [`to_recexpr_many`] gives it), turns every node into an [`Op`] whose operands are
//! indices of earlier entries, decides the power semantics (see [`crate::scalar`]) and drops
//! entries no output needs (the constant exponent of `x^2`, for instance). Evaluation is one
//! pass over that list: no recursion, no hash maps, no allocation besides the value buffer.

use crate::error::AdError;
use crate::scalar::Scalar;
use egg::{Id, Language};
use std::collections::HashMap;
use symdiff_expr::{
    egg, exact_value, from_bool, from_recexpr_roots, to_recexpr_many, truth, BigRational, BinOp,
    CmpOp, Constant, EvalError, Expr, Func, Func2, Point, Semantics, Shape, Undefined,
};

/// One entry of a [`WengertList`]: an operation on earlier entries (by index).
///
/// ```
/// use symdiff_ad::{Op, WengertList};
/// let p = WengertList::new(symdiff_expr::parse("sin(x)^2").unwrap()).unwrap();
/// assert_eq!(p.ops(), [Op::Var(0), Op::Call(symdiff_expr::Func::Sin, 0), Op::PowI(1, 2)]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// A constant exactly representable in f64 (such as `2` or `0.5`).
    Const(f64),
    /// A constant rounded to the nearest f64 (such as `0.1`, `1/3`, `pi`, `e`).
    Rounded(f64),
    /// Input number `k` (index into [`WengertList::vars`]).
    Var(u32),
    /// `-a`
    Neg(u32),
    /// `a + b`
    Add(u32, u32),
    /// `a - b`
    Sub(u32, u32),
    /// `a * b`
    Mul(u32, u32),
    /// `a / b`
    Div(u32, u32),
    /// `a ^ n` for an integer constant `n` (defined for negative `a`).
    PowI(u32, i32),
    /// `a ^ c` for a non-integer constant `c` exactly representable in f64, such as `0.5`
    /// (needs `a > 0`, or `a = 0` with `c > 0`).
    PowF(u32, f64),
    /// `a ^ b` for a variable-free exponent `b` that is not an integer, such as `1/3` or `pi`:
    /// the semantics of [`Op::PowF`], with `b` kept as an entry so that its rounding is known.
    PowC(u32, u32),
    /// `a ^ b` with the semantics of `exp(b ln a)` (needs `a > 0`).
    Pow(u32, u32),
    /// `f(a)`
    Call(Func, u32),
    /// `f(a, b)` (`min`, `max`, `atan2`, `hypot`)
    Call2(Func2, u32, u32),
    /// `if(c, a, b)`: the value (and derivatives) of `a` where the condition `c` is true, else
    /// of `b`. No derivative flows into `c`; the branch not taken reports no domain error.
    If(u32, u32, u32),
    /// The condition `a op b`: `1.0` or `0.0`, a constant (no derivative).
    Compare(CmpOp, u32, u32),
    /// The condition `a and b`.
    And(u32, u32),
    /// The condition `a or b`.
    Or(u32, u32),
    /// The condition `not a`.
    Not(u32),
}

impl Op {
    /// The operand indices.
    ///
    /// ```
    /// use symdiff_ad::Op;
    /// assert_eq!(Op::Mul(0, 1).operands(), vec![0, 1]);
    /// assert!(Op::Const(1.0).operands().is_empty());
    /// ```
    pub fn operands(&self) -> Vec<u32> {
        match *self {
            Op::Const(_) | Op::Rounded(_) | Op::Var(_) => vec![],
            Op::Neg(a) | Op::PowI(a, _) | Op::PowF(a, _) | Op::Call(_, a) | Op::Not(a) => {
                vec![a]
            }
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::Pow(a, b)
            | Op::PowC(a, b)
            | Op::Call2(_, a, b)
            | Op::Compare(_, a, b)
            | Op::And(a, b)
            | Op::Or(a, b) => vec![a, b],
            Op::If(c, a, b) => vec![c, a, b],
        }
    }

    /// The same operation on other entries: each operand `k` becomes `m(k)`.
    fn map(self, m: impl Fn(u32) -> u32) -> Op {
        match self {
            Op::Const(_) | Op::Rounded(_) | Op::Var(_) => self,
            Op::Neg(a) => Op::Neg(m(a)),
            Op::Add(a, b) => Op::Add(m(a), m(b)),
            Op::Sub(a, b) => Op::Sub(m(a), m(b)),
            Op::Mul(a, b) => Op::Mul(m(a), m(b)),
            Op::Div(a, b) => Op::Div(m(a), m(b)),
            Op::PowI(a, n) => Op::PowI(m(a), n),
            Op::PowF(a, c) => Op::PowF(m(a), c),
            Op::PowC(a, b) => Op::PowC(m(a), m(b)),
            Op::Pow(a, b) => Op::Pow(m(a), m(b)),
            Op::Call(f, a) => Op::Call(f, m(a)),
            Op::Call2(f, a, b) => Op::Call2(f, m(a), m(b)),
            Op::If(c, a, b) => Op::If(m(c), m(a), m(b)),
            Op::Compare(op, a, b) => Op::Compare(op, m(a), m(b)),
            Op::And(a, b) => Op::And(m(a), m(b)),
            Op::Or(a, b) => Op::Or(m(a), m(b)),
            Op::Not(a) => Op::Not(m(a)),
        }
    }
}

/// An expression (or several sharing one DAG) compiled for evaluation: a Wengert list.
///
/// Inputs are the expression's variables in [`WengertList::vars`] order (sorted by name unless given
/// explicitly). Outputs are the roots, in the order given.
///
/// ```
/// use symdiff_ad::{Dual, WengertList};
/// use symdiff_expr::parse;
/// let p = WengertList::new(parse("x1*x2 + x2 - ln(x1)").unwrap()).unwrap();
/// assert_eq!(p.vars(), ["x1", "x2"]);
/// assert_eq!(p.len(), 6); // x1, x2, x1*x2, +x2, ln(x1), -
/// let y: f64 = p.eval(&[3.0, -4.0]).unwrap();
/// assert!((y + 17.0986122886681).abs() < 1e-12);
/// // the same program, forward mode: ∂y/∂x1
/// let dy = p.eval(&[Dual::variable(3.0), Dual::constant(-4.0)]).unwrap();
/// assert!((dy.eps + 13.0 / 3.0).abs() < 1e-14);
/// ```
#[derive(Debug, Clone)]
pub struct WengertList {
    pub(crate) ops: Vec<Op>,
    pub(crate) exprs: Vec<Expr>,
    pub(crate) vars: Vec<String>,
    pub(crate) roots: Vec<u32>,
    /// The program has an `if`: a strict error then travels with the value it spoils and
    /// counts only if an output depends on it through taken branches.
    pub(crate) has_if: bool,
}

impl WengertList {
    /// Compiles one expression; its inputs are its variables sorted by name.
    ///
    /// ```
    /// use symdiff_ad::{AdError, WengertList};
    /// use symdiff_expr::{parse, EvalError};
    /// assert_eq!(WengertList::new(parse("y + x").unwrap()).unwrap().vars(), ["x", "y"]);
    /// let err = WengertList::new(parse("d(x, x^2)").unwrap()).unwrap_err();
    /// assert!(matches!(err, AdError::Eval { error: EvalError::Derivative(_), .. }));
    /// ```
    pub fn new(expr: Expr) -> Result<WengertList, AdError> {
        WengertList::many(&[expr])
    }

    /// Compiles several expressions into one program sharing their common subexpressions
    /// (a gradient, a Jacobian); inputs are all their variables sorted by name.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// use symdiff_expr::parse;
    /// let p = WengertList::many(&[parse("sin(x)").unwrap(), parse("sin(x)*y").unwrap()]).unwrap();
    /// assert_eq!(p.len(), 4); // x, sin(x), y, sin(x)*y
    /// assert_eq!(p.outputs::<f64>(&[0.0, 2.0], Default::default()).unwrap(), vec![0.0, 0.0]);
    /// ```
    pub fn many(roots: &[Expr]) -> Result<WengertList, AdError> {
        compile(roots, None)
    }

    /// Compiles with an explicit input list: inputs are `vars` in that order (names the
    /// expressions do not use are inputs all the same; names they use but `vars` lacks are an
    /// error).
    ///
    /// ```
    /// use symdiff_ad::{AdError, WengertList};
    /// use symdiff_expr::parse;
    /// let f = parse("x*y").unwrap();
    /// let p = WengertList::with_vars(&[f], &["y", "x", "z"]).unwrap();
    /// assert_eq!(p.eval::<f64>(&[2.0, 3.0, 100.0]).unwrap(), 6.0);
    /// assert!(matches!(WengertList::with_vars(&[f], &["x"]), Err(AdError::UnknownVariable(..))));
    /// ```
    pub fn with_vars(roots: &[Expr], vars: &[&str]) -> Result<WengertList, AdError> {
        compile(roots, Some(vars))
    }

    /// The inputs' names, in input order.
    ///
    /// ```
    /// let p = symdiff_ad::WengertList::new(symdiff_expr::parse("z*a").unwrap()).unwrap();
    /// assert_eq!(p.vars(), ["a", "z"]);
    /// ```
    pub fn vars(&self) -> &[String] {
        &self.vars
    }

    /// The index of input `name`.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("b - a").unwrap()).unwrap();
    /// assert_eq!(p.var_index("b"), Some(1));
    /// assert_eq!(p.var_index("c"), None);
    /// ```
    pub fn var_index(&self, name: &str) -> Option<usize> {
        self.vars.iter().position(|v| v == name)
    }

    /// Entries of the list (inputs and constants included): the tape length.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// // x^2: the exponent is folded into the power, so the list is x, x^2
    /// assert_eq!(WengertList::new(symdiff_expr::parse("x^2").unwrap()).unwrap().len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// True for a program without entries (no outputs).
    ///
    /// ```
    /// assert!(symdiff_ad::WengertList::many(&[]).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Entries that are operations (neither inputs nor constants).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// assert_eq!(WengertList::new(symdiff_expr::parse("2*x + 1").unwrap()).unwrap().op_count(), 2);
    /// ```
    pub fn op_count(&self) -> usize {
        self.ops
            .iter()
            .filter(|op| !matches!(op, Op::Const(_) | Op::Rounded(_) | Op::Var(_)))
            .count()
    }

    /// The entries.
    ///
    /// ```
    /// use symdiff_ad::{Op, WengertList};
    /// let p = WengertList::new(symdiff_expr::parse("x + 1").unwrap()).unwrap();
    /// assert_eq!(p.ops(), [Op::Var(0), Op::Const(1.0), Op::Add(0, 1)]);
    /// ```
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The subexpression each entry computes.
    ///
    /// ```
    /// let p = symdiff_ad::WengertList::new(symdiff_expr::parse("x + 1").unwrap()).unwrap();
    /// assert_eq!(p.exprs()[2].to_string(), "x + 1");
    /// ```
    pub fn exprs(&self) -> &[Expr] {
        &self.exprs
    }

    /// The entry index of each output.
    ///
    /// ```
    /// let p = symdiff_ad::WengertList::many(&[symdiff_expr::parse("x + 1").unwrap(), symdiff_expr::var("x")]).unwrap();
    /// assert_eq!(p.roots(), [2, 0]);
    /// ```
    pub fn roots(&self) -> &[u32] {
        &self.roots
    }

    /// The inputs read from a point, in input order (extra names in the point are ignored).
    ///
    /// ```
    /// use symdiff_ad::{AdError, WengertList};
    /// let p = WengertList::new(symdiff_expr::parse("x + y").unwrap()).unwrap();
    /// assert_eq!(p.inputs(&"y=2, x=1, z=9".parse().unwrap()).unwrap(), vec![1.0, 2.0]);
    /// let err = p.inputs(&"x=1".parse().unwrap()).unwrap_err();
    /// assert_eq!(err, symdiff_expr::EvalError::UnboundVariable("y".into()).into());
    /// ```
    pub fn inputs(&self, point: &Point) -> Result<Vec<f64>, AdError> {
        self.vars
            .iter()
            .map(|v| {
                point
                    .get(v)
                    .ok_or_else(|| EvalError::UnboundVariable(v.clone()).into())
            })
            .collect()
    }

    /// The value of the first output at `inputs`, with strict semantics (a non-finite or
    /// non-real intermediate is an [`AdError::Eval`] with [`EvalError::Domain`]).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("1/x").unwrap()).unwrap();
    /// assert_eq!(p.eval(&[4.0]).unwrap(), 0.25);
    /// let err = p.eval(&[0.0]).unwrap_err();
    /// assert_eq!(err.to_string(), "1/0 is not a finite real number (division by zero) at x=0");
    /// ```
    pub fn eval<S: Scalar>(&self, inputs: &[S]) -> Result<S, AdError> {
        self.eval_with(inputs, Semantics::Strict)
    }

    /// The value of the first output under the given [`Semantics`] (`Ieee`: NaN and infinities
    /// propagate silently).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// use symdiff_expr::Semantics;
    /// let p = WengertList::new(symdiff_expr::parse("ln(x)").unwrap()).unwrap();
    /// assert!(p.eval_with(&[-1.0], Semantics::Ieee).unwrap().is_nan());
    /// ```
    pub fn eval_with<S: Scalar>(&self, inputs: &[S], semantics: Semantics) -> Result<S, AdError> {
        let root = *self.roots.first().ok_or(AdError::Length {
            what: "outputs",
            expected: 1,
            found: 0,
        })?;
        let mut values = Vec::new();
        self.sweep(inputs, semantics, &mut values)?;
        Ok(values.swap_remove(root as usize))
    }

    /// The value of every output.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::many(&[symdiff_expr::parse("x*y").unwrap(), symdiff_expr::parse("x/y").unwrap()]).unwrap();
    /// assert_eq!(p.outputs::<f64>(&[6.0, 2.0], Default::default()).unwrap(), vec![12.0, 3.0]);
    /// ```
    pub fn outputs<S: Scalar>(
        &self,
        inputs: &[S],
        semantics: Semantics,
    ) -> Result<Vec<S>, AdError> {
        let mut values = Vec::new();
        self.sweep(inputs, semantics, &mut values)?;
        Ok(self
            .roots
            .iter()
            .map(|&r| values[r as usize].clone())
            .collect())
    }

    /// The value of every entry (for traces).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("(x + 1)*(x + 1)").unwrap()).unwrap();
    /// assert_eq!(p.node_values(&[2.0], Default::default()).unwrap(), vec![2.0, 1.0, 3.0, 9.0]);
    /// ```
    pub fn node_values<S: Scalar>(
        &self,
        inputs: &[S],
        semantics: Semantics,
    ) -> Result<Vec<S>, AdError> {
        let mut values = Vec::new();
        self.sweep(inputs, semantics, &mut values)?;
        Ok(values)
    }

    /// The value of every entry into a caller's buffer (no allocation once it is large enough).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("x*x").unwrap()).unwrap();
    /// let mut buffer = Vec::new();
    /// p.node_values_into(&[3.0], Default::default(), &mut buffer).unwrap();
    /// assert_eq!(buffer[p.roots()[0] as usize], 9.0);
    /// ```
    pub fn node_values_into<S: Scalar>(
        &self,
        inputs: &[S],
        semantics: Semantics,
        values: &mut Vec<S>,
    ) -> Result<(), AdError> {
        self.sweep(inputs, semantics, values)
    }

    /// True when some entry underflowed: a product, quotient, power or function of nonzero
    /// values that rounded to 0 (given every entry's value, as from [`WengertList::node_values`]).
    /// A point where that happens may lie in the domain only through floating point:
    /// `sqrt(-sinh(x)^-2)` is defined at `x = -456` because `sinh(x)^-2` rounds to 0.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// use symdiff_expr::{parse, Semantics};
    /// let p = WengertList::new(parse("sqrt(-sinh(x)^(-2))").unwrap()).unwrap();
    /// let values = p.node_values(&[-456.0], Semantics::Strict).unwrap();
    /// assert!(p.underflows(&values));
    /// let q = WengertList::new(parse("x*y - 1").unwrap()).unwrap();
    /// assert!(!q.underflows(&q.node_values(&[1.0, 1.0], Semantics::Strict).unwrap()));
    /// ```
    pub fn underflows(&self, values: &[f64]) -> bool {
        let v = |k: u32| values.get(k as usize).copied().unwrap_or(f64::NAN);
        self.ops.iter().zip(values).any(|(op, &r)| {
            r == 0.0
                && match *op {
                    Op::Mul(a, b) => v(a) != 0.0 && v(b) != 0.0,
                    Op::Div(a, _)
                    | Op::PowI(a, _)
                    | Op::PowF(a, _)
                    | Op::PowC(a, _)
                    | Op::Pow(a, _) => v(a) != 0.0,
                    Op::Call(Func::Exp | Func::Cosh, _) => true,
                    Op::Call(Func::Ln | Func::Acos | Func::Cos, _) => false,
                    Op::Call(_, a) => v(a) != 0.0,
                    _ => false,
                }
        })
    }

    pub(crate) fn check_inputs(&self, found: usize) -> Result<(), AdError> {
        if found == self.vars.len() {
            Ok(())
        } else {
            Err(AdError::Length {
                what: "inputs",
                expected: self.vars.len(),
                found,
            })
        }
    }

    /// The one evaluator: each entry once, in order.
    ///
    /// Strict errors: without `if`, the first entry outside its domain (or not finite) is the
    /// error. With `if`, an error travels with the entry it spoils (to every entry computed
    /// from it, and through an `if` only from the condition and the branch taken) and is
    /// reported only if it reaches an output: the branch not taken reports none, as in
    /// `Expr::eval`. When several errors reach the outputs, the earliest entry's is reported,
    /// so both ways report the same error for a program without `if`.
    fn sweep<S: Scalar>(
        &self,
        inputs: &[S],
        semantics: Semantics,
        values: &mut Vec<S>,
    ) -> Result<(), AdError> {
        self.check_inputs(inputs.len())?;
        let strict = semantics == Semantics::Strict;
        let travel = strict && self.has_if;
        // per entry, when `travel`: the earliest erroneous entry it depends on, and why
        let mut spoiled: Vec<Option<(u32, &'static str)>> = Vec::new();
        values.clear();
        values.reserve(self.ops.len());
        for (i, op) in self.ops.iter().enumerate() {
            let at = |k: u32| &values[k as usize];
            let inherited = if travel {
                let from = |k: u32| spoiled[k as usize];
                match *op {
                    Op::If(c, a, b) => {
                        let taken = if truth(at(c).value()) { a } else { b };
                        earliest(from(c), from(taken))
                    }
                    _ => op.operands().into_iter().map(from).fold(None, earliest),
                }
            } else {
                None
            };
            let mut error = None;
            if strict && inherited.is_none() {
                error = domain(op, |k| at(k).value());
            }
            let r: S = match *op {
                Op::Const(c) => S::from_f64(c),
                Op::Rounded(c) => S::from_rounded(c),
                Op::Var(k) => inputs[k as usize].clone(),
                Op::Neg(a) => -at(a).clone(),
                Op::Add(a, b) => at(a).clone() + at(b).clone(),
                Op::Sub(a, b) => at(a).clone() - at(b).clone(),
                Op::Mul(a, b) => at(a).clone() * at(b).clone(),
                Op::Div(a, b) => S::quotient(at(a), at(b)),
                Op::PowI(a, n) => at(a).powi(n),
                Op::PowF(a, c) => at(a).powf(c),
                Op::PowC(a, b) => at(a).powc(at(b)),
                Op::Pow(a, b) => at(a).pow(at(b)),
                Op::Call(f, a) => at(a).apply(f),
                Op::Call2(f, a, b) => at(a).apply2(f, at(b)),
                Op::If(c, a, b) => {
                    if truth(at(c).value()) {
                        at(a).clone()
                    } else {
                        at(b).clone()
                    }
                }
                Op::Compare(op, a, b) => condition(op.apply(at(a).value(), at(b).value())),
                Op::And(a, b) => condition(truth(at(a).value()) && truth(at(b).value())),
                Op::Or(a, b) => condition(truth(at(a).value()) || truth(at(b).value())),
                Op::Not(a) => condition(!truth(at(a).value())),
            };
            if strict && inherited.is_none() && error.is_none() && !r.is_finite() {
                let v = r.value();
                error = Some(if matches!(op, Op::Var(_)) {
                    Undefined::NotFinite.reason()
                } else if v.is_nan() {
                    Undefined::NotReal.reason()
                } else if v.is_infinite() {
                    Undefined::Overflow.reason()
                } else {
                    "derivative not finite"
                });
            }
            if travel {
                spoiled.push(inherited.or(error.map(|why| (i as u32, why))));
            } else if let Some(why) = error {
                return Err(self.domain_error(i, why, values, inputs));
            }
            values.push(r);
        }
        let reached = self
            .roots
            .iter()
            .filter_map(|&r| spoiled.get(r as usize).copied().flatten())
            .fold(None, |e, s| earliest(e, Some(s)));
        match reached {
            Some((i, why)) => Err(self.domain_error(i as usize, why, values, inputs)),
            None => Ok(()),
        }
    }

    /// The domain error of entry `i`, whose operands are in `values`.
    #[cold]
    pub(crate) fn domain_error<S: Scalar>(
        &self,
        i: usize,
        why: &'static str,
        values: &[S],
        inputs: &[S],
    ) -> AdError {
        let primals: Vec<f64> = values.iter().map(Scalar::value).collect();
        let point: Vec<f64> = inputs.iter().map(Scalar::value).collect();
        domain_error_f64(self, i, why, &primals, &point)
    }

    /// The point `x=1,y=2` of the given inputs.
    pub(crate) fn point_string(&self, inputs: &[f64]) -> String {
        let parts: Vec<String> = self
            .vars
            .iter()
            .zip(inputs)
            .map(|(name, v)| format!("{name}={v}"))
            .collect();
        parts.join(",")
    }
}

/// The domain error of entry `i` from primal values.
#[cold]
pub(crate) fn domain_error_f64(
    program: &WengertList,
    i: usize,
    why: &'static str,
    values: &[f64],
    inputs: &[f64],
) -> AdError {
    let v = |k: u32| values.get(k as usize).copied().unwrap_or(f64::NAN);
    let arg = |k: u32| {
        let x = v(k);
        if x < 0.0 {
            format!("({x})")
        } else {
            format!("{x}")
        }
    };
    let op = match program.ops[i] {
        Op::Const(c) | Op::Rounded(c) => format!("{c}"),
        Op::Var(k) => program.vars[k as usize].clone(),
        Op::Neg(a) => format!("-{}", arg(a)),
        Op::Add(a, b) => format!("{}+{}", v(a), arg(b)),
        Op::Sub(a, b) => format!("{}-{}", v(a), arg(b)),
        Op::Mul(a, b) => format!("{}*{}", v(a), arg(b)),
        Op::Div(a, b) => format!("{}/{}", v(a), arg(b)),
        Op::PowI(a, n) => format!(
            "{}^{}",
            arg(a),
            if n < 0 {
                format!("({n})")
            } else {
                n.to_string()
            }
        ),
        Op::PowF(a, c) => format!(
            "{}^{}",
            arg(a),
            if c < 0.0 {
                format!("({c})")
            } else {
                c.to_string()
            }
        ),
        Op::Pow(a, b) | Op::PowC(a, b) => format!("{}^{}", arg(a), arg(b)),
        Op::Call(f, a) => format!("{}({})", f.name(), v(a)),
        Op::Call2(f, a, b) => format!("{}({}, {})", f.name(), v(a), v(b)),
        Op::If(c, a, b) => format!("if({}, {}, {})", v(c), v(a), v(b)),
        Op::Compare(op, a, b) => format!("{} {} {}", v(a), op.symbol(), v(b)),
        Op::And(a, b) => format!("{} and {}", v(a), v(b)),
        Op::Or(a, b) => format!("{} or {}", v(a), v(b)),
        Op::Not(a) => format!("not {}", v(a)),
    };
    AdError::Eval {
        error: EvalError::Domain { op, why },
        point: Some(program.point_string(inputs)),
    }
}

/// The earlier of two errors (by entry index).
fn earliest(
    a: Option<(u32, &'static str)>,
    b: Option<(u32, &'static str)>,
) -> Option<(u32, &'static str)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.0 < x.0 { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// A truth value as a number: a constant, `1.0` or `0.0` ([`from_bool`]).
fn condition<S: Scalar>(b: bool) -> S {
    S::from_f64(from_bool(b))
}

/// Why entry `op` is outside its real domain, judged from its operands' primal values: the
/// language's one definition ([`Func::domain`], [`BinOp::domain`], [`Func2::domain`]), with
/// the reason spelled out for powers. A non-finite operand is caught where it arose.
#[inline]
pub(crate) fn domain(op: &Op, value: impl Fn(u32) -> f64) -> Option<&'static str> {
    let why = match *op {
        Op::Div(a, b) => BinOp::Div.domain(value(a), value(b)),
        Op::PowI(a, n) => BinOp::Pow.domain(value(a), n as f64),
        Op::PowF(a, c) => BinOp::Pow.domain(value(a), c),
        Op::PowC(a, b) | Op::Pow(a, b) => BinOp::Pow.domain(value(a), value(b)),
        Op::Call(f, a) => f.domain(value(a)),
        Op::Call2(f, a, b) => f.domain(value(a), value(b)),
        _ => None,
    }?;
    Some(match (op, why) {
        (Op::PowF(..) | Op::PowC(..) | Op::Pow(..), Undefined::NotReal) => {
            "not real: a negative base needs an integer exponent"
        }
        _ => why.reason(),
    })
}

fn compile(roots: &[Expr], given: Option<&[&str]>) -> Result<WengertList, AdError> {
    let (rec, root_ids) = to_recexpr_many(roots);
    let n = rec.len();
    let ids: Vec<Id> = (0..n).map(Id::from).collect();
    let exprs = from_recexpr_roots(&rec, &ids);
    let nodes = rec.as_ref();

    let vars: Vec<String> = match given {
        Some(list) => list.iter().map(|s| s.to_string()).collect(),
        None => {
            let mut names: Vec<String> = nodes
                .iter()
                .filter_map(|node| match node.shape() {
                    Shape::Var(s) => Some(s.as_str().to_string()),
                    _ => None,
                })
                .collect();
            names.sort();
            names.dedup();
            names
        }
    };
    let var_slot: HashMap<&str, u32> = vars
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i as u32))
        .collect();

    let ix = |id: Id| usize::from(id) as u32;
    let mut has_var = vec![false; n];
    let mut has_if = false;
    let mut ops = Vec::with_capacity(n);
    // constant subexpressions, computed exactly (as `Expr::eval` does) and rounded once
    let mut exact: HashMap<Id, Constant> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        if let Some(c) = exact_value(node, &exact) {
            let v = c.to_f64();
            let exactly =
                v.is_finite() && BigRational::from_float(v).is_some_and(|r| &r == c.value());
            ops.push(if exactly {
                Op::Const(v)
            } else {
                Op::Rounded(v)
            });
            exact.insert(Id::from(i), c);
            continue;
        }
        let op = match node.shape() {
            Shape::Num(_) => unreachable!("a number is an exact value"),
            Shape::Named(k) => Op::Rounded(k.value()),
            Shape::Var(s) => {
                has_var[i] = true;
                let slot = var_slot.get(s.as_str()).ok_or_else(|| {
                    AdError::UnknownVariable(s.as_str().to_string(), vars.join(", "))
                })?;
                Op::Var(*slot)
            }
            Shape::Neg(a) => Op::Neg(ix(a)),
            Shape::Call(f, a) => Op::Call(f, ix(a)),
            Shape::Binary(op, a, b) => {
                let (a, b) = (ix(a), ix(b));
                match op {
                    BinOp::Add => Op::Add(a, b),
                    BinOp::Sub => Op::Sub(a, b),
                    BinOp::Mul => Op::Mul(a, b),
                    BinOp::Div => Op::Div(a, b),
                    BinOp::Pow => power(a, b, &has_var, &exprs),
                }
            }
            Shape::Derivative(..) => return Err(EvalError::Derivative(exprs[i].to_string()).into()),
            Shape::Call2(f, a, b) => Op::Call2(f, ix(a), ix(b)),
            Shape::If(c, a, b) => {
                has_if = true;
                Op::If(ix(c), ix(a), ix(b))
            }
            Shape::Compare(op, a, b) => Op::Compare(op, ix(a), ix(b)),
            Shape::And(a, b) => Op::And(ix(a), ix(b)),
            Shape::Or(a, b) => Op::Or(ix(a), ix(b)),
            Shape::Not(a) => Op::Not(ix(a)),
        };
        if !has_var[i] {
            has_var[i] = node.children().iter().any(|&c| has_var[usize::from(c)]);
        }
        ops.push(op);
    }

    // Keep only what some output needs (drops folded exponents).
    let roots: Vec<u32> = root_ids.iter().map(|&r| ix(r)).collect();
    let mut live = vec![false; n];
    for &r in &roots {
        live[r as usize] = true;
    }
    for i in (0..n).rev() {
        if live[i] {
            for k in ops[i].operands() {
                live[k as usize] = true;
            }
        }
    }
    let mut new_index = vec![u32::MAX; n];
    let mut kept_ops = Vec::with_capacity(n);
    let mut kept_exprs = Vec::with_capacity(n);
    for i in 0..n {
        if live[i] {
            new_index[i] = kept_ops.len() as u32;
            kept_ops.push(ops[i].map(|k| new_index[k as usize]));
            kept_exprs.push(exprs[i]);
        }
    }
    Ok(WengertList {
        ops: kept_ops,
        exprs: kept_exprs,
        vars,
        roots: roots.iter().map(|&r| new_index[r as usize]).collect(),
        has_if,
    })
}

/// True for a rational constant exactly representable in f64.
fn exact_constant(e: Expr) -> bool {
    e.as_constant().is_some_and(|c| {
        let v = c.to_f64();
        v.is_finite() && BigRational::from_float(v).is_some_and(|r| &r == c.value())
    })
}

/// Chooses the power semantics: integer constant, other constant, or general.
fn power(a: u32, b: u32, has_var: &[bool], exprs: &[Expr]) -> Op {
    if has_var[b as usize] {
        return Op::Pow(a, b);
    }
    match exprs[b as usize].eval(&Point::new()) {
        Ok(c) if c.fract() == 0.0 && c.abs() <= i32::MAX as f64 => Op::PowI(a, c as i32),
        Ok(c) if exact_constant(exprs[b as usize]) => Op::PowF(a, c),
        Ok(_) => Op::PowC(a, b),
        Err(_) => Op::Pow(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::parse;

    fn eval(src: &str, point: &str) -> Result<f64, AdError> {
        let p = WengertList::new(parse(src).unwrap())?;
        let inputs = p.inputs(&point.parse().unwrap())?;
        p.eval(&inputs)
    }

    #[test]
    fn integer_powers_of_negative_numbers() {
        assert_eq!(eval("x^3", "x=-2").unwrap(), -8.0);
        assert_eq!(eval("x^(-2)", "x=-2").unwrap(), 0.25);
        assert_eq!(eval("x^(4/2)", "x=-3").unwrap(), 9.0);
        assert_eq!(eval("x^(2*3)", "x=-1").unwrap(), 1.0);
    }

    #[test]
    fn domain_errors_name_operation_and_point() {
        let msg = |s: &str, p: &str| eval(s, p).unwrap_err().to_string();
        assert_eq!(
            msg("sqrt(x)", "x=-1"),
            "sqrt(-1) is not a finite real number (not real) at x=-1"
        );
        assert_eq!(
            msg("ln(x - y)", "x=1,y=1"),
            "ln(0) is not a finite real number (pole) at x=1,y=1"
        );
        assert!(msg("x^0.5", "x=-4").starts_with("(-4)^0.5 is not a finite real number"));
        // one power for every path: (-2)^y is real at integer y only
        assert_eq!(eval("x^y", "x=-2,y=3").unwrap(), -8.0);
        assert!(msg("x^y", "x=-2,y=0.5").contains("negative base needs an integer exponent"));
        assert!(msg("x^(-1)", "x=0").contains("division by zero"));
        assert!(msg("asin(x)", "x=2").starts_with("asin(2)"));
        assert!(msg("exp(x)", "x=1000").contains("overflow"));
    }

    #[test]
    fn unbound_and_derivative() {
        assert_eq!(
            eval("x + y", "x=1").unwrap_err(),
            EvalError::UnboundVariable("y".into()).into()
        );
        assert!(matches!(
            eval("d(x, x^2)", "x=1"),
            Err(AdError::Eval {
                error: EvalError::Derivative(_),
                ..
            })
        ));
    }

    #[test]
    fn zero_to_positive_constant_powers() {
        assert_eq!(eval("x^2.5", "x=0").unwrap(), 0.0);
        assert!(eval("x^(-0.5)", "x=0").is_err());
    }

    #[test]
    fn shared_nodes_are_evaluated_once() {
        let x = symdiff_expr::var("x");
        let mut l = x;
        for _ in 0..30 {
            l = 4 * l * (1 - l);
        }
        let p = WengertList::new(l).unwrap();
        assert!(p.len() < 4 * 30 + 3);
        assert!(p.eval(&[0.3]).unwrap().abs() <= 1.0);
    }
}
