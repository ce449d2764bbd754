//! [`Trace`]: the evaluation trace of a program, one row per entry of the Wengert list, with its
//! primal value and its tangent (forward mode) or adjoint (reverse mode), as in the tables of
//! Baydin et al., *Automatic differentiation in machine learning: a survey* (2018).
//!
//! Inputs are numbered `v-(n-1) … v0` (in input order), other entries `v1, v2, …` in evaluation
//! order.

use crate::eval::{Op, WengertList};
use serde::Serialize;
use std::fmt;

/// Which derivative a trace carries.
///
/// ```
/// use symdiff_ad::{reverse_trace, TraceKind};
/// let t = reverse_trace(symdiff_expr::parse("x*x").unwrap(), &"x=3".parse().unwrap()).unwrap();
/// assert_eq!(t.kind, TraceKind::Reverse);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TraceKind {
    /// Primal and tangent (forward mode).
    Forward,
    /// Primal and adjoint (reverse mode).
    Reverse,
}

/// One entry of a trace.
///
/// ```
/// let t = symdiff_ad::reverse_trace(symdiff_expr::parse("x*x").unwrap(), &"x=3".parse().unwrap()).unwrap();
/// let square = &t.rows[1];
/// assert_eq!((square.definition.as_str(), square.expr.as_str()), ("v0*v0", "x*x"));
/// assert_eq!((square.value, square.derivative), (9.0, 1.0));
/// assert_eq!(t.rows[0].derivative, 6.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceRow {
    /// The entry's name: `v-1`, `v0`, `v1`, …
    pub name: String,
    /// What the entry computes, in terms of other entries: `x1`, `v-1*v0`, `ln(v-1)`.
    pub definition: String,
    /// The subexpression it stands for, in infix.
    pub expr: String,
    /// The primal value.
    pub value: f64,
    /// The tangent (forward) or adjoint (reverse).
    pub derivative: f64,
}

/// A forward (primal/tangent) or reverse (primal/adjoint) trace; `Display` prints it as a table
/// (reverse traces from the output back to the inputs, as the backward sweep runs).
///
/// ```
/// use symdiff_ad::forward_trace;
/// use symdiff_expr::parse;
/// let f = parse("x1*x2 + x2 - ln(x1)").unwrap();
/// let t = forward_trace(f, &"x1=3, x2=-4".parse().unwrap(), &"x1=1".parse().unwrap()).unwrap();
/// assert_eq!(t.rows[2].definition, "v-1*v0");
/// assert_eq!((t.rows[2].value, t.rows[2].derivative), (-12.0, -4.0));
/// assert!(t.to_string().contains("y = v4"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// Forward or reverse.
    pub kind: TraceKind,
    /// The point, as `x1=3,x2=-4`.
    pub point: String,
    /// The seed: the direction (forward) or the output cotangents (reverse).
    pub seed: String,
    /// The rows: inputs first, then the other entries in evaluation order.
    pub rows: Vec<TraceRow>,
    /// The row names of the outputs.
    pub outputs: Vec<String>,
}

impl Trace {
    /// Builds the trace from per-entry values and derivatives.
    pub(crate) fn build(
        program: &WengertList,
        kind: TraceKind,
        point: String,
        seed: String,
        values: &[f64],
        derivatives: &[f64],
    ) -> Trace {
        let n_vars = program.vars().len() as i64;
        let mut next = 0i64;
        let names: Vec<String> = program
            .ops()
            .iter()
            .map(|op| match op {
                Op::Var(k) => format!("v{}", *k as i64 - n_vars + 1),
                _ => {
                    next += 1;
                    format!("v{next}")
                }
            })
            .collect();
        let name = |k: u32| names[k as usize].as_str();
        let definition = |op: &Op| match *op {
            Op::Const(c) | Op::Rounded(c) => format!("{c}"),
            Op::Var(k) => program.vars()[k as usize].clone(),
            Op::Neg(a) => format!("-{}", name(a)),
            Op::Add(a, b) => format!("{} + {}", name(a), name(b)),
            Op::Sub(a, b) => format!("{} - {}", name(a), name(b)),
            Op::Mul(a, b) => format!("{}*{}", name(a), name(b)),
            Op::Div(a, b) => format!("{}/{}", name(a), name(b)),
            Op::PowI(a, n) => format!("{}^{n}", name(a)),
            Op::PowF(a, c) => format!("{}^{c}", name(a)),
            Op::Pow(a, b) | Op::PowC(a, b) => format!("{}^{}", name(a), name(b)),
            Op::Call(f, a) => format!("{}({})", f.name(), name(a)),
            Op::Call2(f, a, b) => format!("{}({}, {})", f.name(), name(a), name(b)),
            Op::If(c, a, b) => format!("if({}, {}, {})", name(c), name(a), name(b)),
            Op::Compare(op, a, b) => format!("{} {} {}", name(a), op.symbol(), name(b)),
            Op::And(a, b) => format!("{} and {}", name(a), name(b)),
            Op::Or(a, b) => format!("{} or {}", name(a), name(b)),
            Op::Not(a) => format!("not {}", name(a)),
        };
        let row = |i: usize| TraceRow {
            name: names[i].clone(),
            definition: definition(&program.ops()[i]),
            expr: program.exprs()[i].to_string(),
            value: values[i],
            derivative: derivatives[i],
        };
        let mut order: Vec<usize> = (0..program.len()).collect();
        order.sort_by_key(|&i| match program.ops()[i] {
            Op::Var(k) => (0, k as usize),
            _ => (1, i),
        });
        Trace {
            kind,
            point,
            seed,
            rows: order.into_iter().map(row).collect(),
            outputs: program
                .roots()
                .iter()
                .map(|&r| names[r as usize].clone())
                .collect(),
        }
    }

    /// The row named `name`.
    ///
    /// ```
    /// use symdiff_ad::reverse_trace;
    /// let t = reverse_trace(symdiff_expr::parse("x*y").unwrap(), &"x=2,y=3".parse().unwrap()).unwrap();
    /// assert_eq!(t.row("v-1").unwrap().derivative, 3.0); // ∂(xy)/∂x = y
    /// ```
    pub fn row(&self, name: &str) -> Option<&TraceRow> {
        self.rows.iter().find(|r| r.name == name)
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (title, column) = match self.kind {
            TraceKind::Forward => ("forward mode (primal and tangent trace)", "tangent"),
            TraceKind::Reverse => ("reverse mode (primal and adjoint trace)", "adjoint"),
        };
        writeln!(f, "{title} at {}, seed {}", self.point, self.seed)?;
        let width = |get: &dyn Fn(&TraceRow) -> usize, min: usize| {
            self.rows.iter().map(get).max().unwrap_or(0).max(min)
        };
        let wn = width(&|r| r.name.len(), 4);
        let wd = width(&|r| r.definition.chars().count(), 10);
        let wv = width(&|r| format_number(r.value).len(), 5);
        writeln!(
            f,
            "{:<wn$}  {:<wd$}  {:>wv$}  {column}",
            "node", "definition", "value"
        )?;
        let rows: Vec<&TraceRow> = match self.kind {
            TraceKind::Forward => self.rows.iter().collect(),
            TraceKind::Reverse => self.rows.iter().rev().collect(),
        };
        for r in rows {
            writeln!(
                f,
                "{:<wn$}  {:<wd$}  {:>wv$}  {}",
                r.name,
                r.definition,
                format_number(r.value),
                format_number(r.derivative)
            )?;
        }
        let outputs: Vec<String> = self.outputs.iter().map(|o| format!("y = {o}")).collect();
        write!(f, "{}", outputs.join(", "))
    }
}

/// A compact, readable number: up to 6 significant digits, trailing zeros dropped.
fn format_number(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() || v.abs() >= 1e7 || v.abs() < 1e-4 {
        return format!("{v:.5e}");
    }
    let digits = (5 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(format_number(-17.098612288668), "-17.0986");
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-13.0 / 3.0), "-4.33333");
        assert_eq!(format_number(1e-9), "1.00000e-9");
    }
}
