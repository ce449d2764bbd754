//! Reverse mode: a [`Tape`] (Wengert list) recorded from the expression DAG, one forward sweep
//! that stores every entry's value, and one backward sweep that accumulates adjoints
//! `v̄ᵢ = ∂y/∂vᵢ` from the output back to the inputs.
//!
//! Cost: the forward sweep is exactly one evaluation; the backward sweep visits only the entries
//! that depend on an input (precompiled when the tape is recorded) and computes each local
//! partial from the stored values when it needs it (for `*` the other operand, for `sin` a
//! `cos`): one or two multiply-adds per entry plus one elementary function per function call.
//! The whole gradient costs a small constant times one evaluation, whatever the number of inputs
//! (the cheap-gradient principle; see `BENCH.md` for measured ratios). Reverse mode is the right
//! tool when outputs are few and inputs many.

use crate::error::AdError;
use crate::eval::{domain_error_f64, Op, WengertList};
use crate::gradient::Gradient;
use crate::scalar::{curvature2, pow_partials, powf_slopes, powi_tangent, slope};
use crate::trace::{Trace, TraceKind};
use serde::Serialize;
use symdiff_expr::{truth, Expr, Func, Point, Semantics};

/// A Wengert list ready for reverse sweeps.
///
/// ```
/// use symdiff_ad::Tape;
/// use symdiff_expr::parse;
/// let tape = Tape::new(parse("x1*x2 + x2 - ln(x1)").unwrap()).unwrap();
/// assert_eq!(tape.len(), 6);
/// let g = tape.gradient(&"x1=3, x2=-4".parse().unwrap()).unwrap();
/// assert!((g.value + 17.0986122886681).abs() < 1e-12);
/// assert!((g.partials[0] + 13.0 / 3.0).abs() < 1e-15);
/// assert_eq!(g.partials[1], 4.0);
/// ```
#[derive(Debug, Clone)]
pub struct Tape {
    program: WengertList,
    /// The entry of each input (`None` when the outputs do not use it).
    input_entry: Vec<Option<u32>>,
    /// The backward sweep: entries that depend on an input and are operations, last first.
    steps: Vec<Step>,
}

/// One entry of the backward sweep: the entry, its operation, and which operands depend on an
/// input (only those receive adjoints).
#[derive(Debug, Clone, Copy)]
struct Step {
    entry: u32,
    op: Op,
    first: bool,
    second: bool,
}

/// Reusable buffers for [`Tape::gradient_into`]: no allocation per gradient once warmed up.
///
/// ```
/// use symdiff_ad::{Tape, TapeBuffers};
/// let tape = Tape::new(symdiff_expr::parse("x*y").unwrap()).unwrap();
/// let (mut buffers, mut g) = (TapeBuffers::default(), [0.0; 2]);
/// for x in [1.0, 2.0, 3.0] {
///     tape.gradient_into(&[x, 5.0], &mut buffers, &mut g).unwrap();
///     assert_eq!(g, [5.0, x]);
/// }
/// ```
#[derive(Debug, Clone, Default)]
pub struct TapeBuffers {
    values: Vec<f64>,
    adjoints: Vec<f64>,
}

/// Outputs and the vector-Jacobian product `cᵀ J` (one entry per input).
///
/// ```
/// let f = [symdiff_expr::parse("x + y").unwrap(), symdiff_expr::parse("x - y").unwrap()];
/// let v = symdiff_ad::vjp(&f, &"x=1,y=2".parse().unwrap(), &[1.0, 1.0]).unwrap();
/// assert_eq!((v.outputs, v.cotangent), (vec![3.0, -1.0], vec![2.0, 0.0]));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vjp {
    /// The value of every output.
    pub outputs: Vec<f64>,
    /// `Σ_k c_k ∂y_k/∂x_i` for every input `i`.
    pub cotangent: Vec<f64>,
}

impl Tape {
    /// Records the tape of one expression (inputs: its variables sorted by name).
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::new(symdiff_expr::parse("x*sin(x)").unwrap()).unwrap();
    /// assert_eq!(tape.vars(), ["x"]);
    /// ```
    pub fn new(expr: Expr) -> Result<Tape, AdError> {
        Ok(Tape::from_program(WengertList::new(expr)?))
    }

    /// Records one tape for several outputs sharing their subexpressions.
    ///
    /// ```
    /// use symdiff_ad::Tape;
    /// use symdiff_expr::parse;
    /// let tape = Tape::many(&[parse("x*y").unwrap(), parse("x + y").unwrap()]).unwrap();
    /// let v = tape.vjp(&[2.0, 3.0], &[1.0, 10.0]).unwrap();
    /// assert_eq!(v.outputs, vec![6.0, 5.0]);
    /// assert_eq!(v.cotangent, vec![3.0 + 10.0, 2.0 + 10.0]);
    /// ```
    pub fn many(outputs: &[Expr]) -> Result<Tape, AdError> {
        Ok(Tape::from_program(WengertList::many(outputs)?))
    }

    /// The tape of a compiled program.
    ///
    /// ```
    /// use symdiff_ad::{WengertList, Tape};
    /// let p = WengertList::with_vars(&[symdiff_expr::parse("x").unwrap()], &["x", "unused"]).unwrap();
    /// let tape = Tape::from_program(p);
    /// assert_eq!(tape.gradient_at(&[1.0, 2.0]).unwrap().1, vec![1.0, 0.0]);
    /// ```
    pub fn from_program(program: WengertList) -> Tape {
        let mut input_entry = vec![None; program.vars().len()];
        let mut active = Vec::with_capacity(program.len());
        let mut steps = Vec::new();
        for (i, op) in program.ops().iter().enumerate() {
            let operands = op.operands();
            let is_active = match op {
                Op::Var(k) => {
                    input_entry[*k as usize] = Some(i as u32);
                    true
                }
                // no derivative flows into a condition
                Op::Compare(..) | Op::And(..) | Op::Or(..) | Op::Not(_) => false,
                _ => operands.iter().any(|&k| active[k as usize]),
            };
            active.push(is_active);
            if is_active && !operands.is_empty() {
                steps.push(Step {
                    entry: i as u32,
                    op: *op,
                    first: active[operands[0] as usize],
                    second: operands.get(1).is_some_and(|&k| active[k as usize]),
                });
            }
        }
        steps.reverse();
        Tape {
            program,
            input_entry,
            steps,
        }
    }

    /// The number of entries (inputs and constants included): AD's "size" of a function, to
    /// compare with the symbolic derivative's DAG.
    ///
    /// ```
    /// // logistic map, 10 steps: a tape of ~4 entries per step, not a tree of 2^10 leaves
    /// let x = symdiff_expr::var("x");
    /// let mut l = x;
    /// for _ in 0..10 {
    ///     l = 4 * l * (1 - l);
    /// }
    /// assert!(symdiff_ad::Tape::new(l).unwrap().len() <= 4 * 10 + 3);
    /// ```
    pub fn len(&self) -> usize {
        self.program.len()
    }

    /// True for a tape without entries.
    ///
    /// ```
    /// assert!(symdiff_ad::Tape::many(&[]).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.program.is_empty()
    }

    /// Entries that are operations (neither inputs nor constants).
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::new(symdiff_expr::parse("x1*x2 + x2 - ln(x1)").unwrap()).unwrap();
    /// assert_eq!((tape.len(), tape.op_count()), (6, 4));
    /// ```
    pub fn op_count(&self) -> usize {
        self.program.op_count()
    }

    /// The inputs' names, in input order.
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::new(symdiff_expr::parse("b*a").unwrap()).unwrap();
    /// assert_eq!(tape.vars(), ["a", "b"]);
    /// ```
    pub fn vars(&self) -> &[String] {
        self.program.vars()
    }

    /// The compiled program behind the tape.
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::new(symdiff_expr::parse("x^2").unwrap()).unwrap();
    /// assert_eq!(tape.program().eval::<f64>(&[3.0]).unwrap(), 9.0);
    /// ```
    pub fn program(&self) -> &WengertList {
        &self.program
    }

    /// The first output's value and gradient at a point.
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::new(symdiff_expr::parse("x*y").unwrap()).unwrap();
    /// assert_eq!(tape.gradient(&"x=2,y=3".parse().unwrap()).unwrap().partials, vec![3.0, 2.0]);
    /// ```
    pub fn gradient(&self, point: &Point) -> Result<Gradient, AdError> {
        let inputs = self.program.inputs(point)?;
        let (value, partials) = self.gradient_at(&inputs)?;
        Ok(Gradient {
            value,
            vars: self.vars().to_vec(),
            partials,
        })
    }

    /// The first output's value and gradient at `inputs` (one per input).
    ///
    /// ```
    /// use symdiff_ad::Tape;
    /// let tape = Tape::new(symdiff_expr::parse("sin(x)*y").unwrap()).unwrap();
    /// let (v, g) = tape.gradient_at(&[0.0, 2.0]).unwrap();
    /// assert_eq!((v, g), (0.0, vec![2.0, 0.0]));
    /// ```
    pub fn gradient_at(&self, inputs: &[f64]) -> Result<(f64, Vec<f64>), AdError> {
        let mut buffers = TapeBuffers::default();
        let mut gradient = vec![0.0; inputs.len()];
        let value = self.gradient_into(inputs, &mut buffers, &mut gradient)?;
        Ok((value, gradient))
    }

    /// The first output's gradient written into `gradient`, reusing `buffers`; returns the value.
    ///
    /// ```
    /// use symdiff_ad::{Tape, TapeBuffers};
    /// let tape = Tape::new(symdiff_expr::parse("x*x*y").unwrap()).unwrap();
    /// let (mut buffers, mut g) = (TapeBuffers::default(), [0.0; 2]);
    /// assert_eq!(tape.gradient_into(&[3.0, 2.0], &mut buffers, &mut g).unwrap(), 18.0);
    /// assert_eq!(g, [12.0, 9.0]);
    /// ```
    pub fn gradient_into(
        &self,
        inputs: &[f64],
        buffers: &mut TapeBuffers,
        gradient: &mut [f64],
    ) -> Result<f64, AdError> {
        let root = *self.program.roots().first().ok_or(AdError::Length {
            what: "outputs",
            expected: 1,
            found: 0,
        })?;
        if gradient.len() != inputs.len() {
            return Err(AdError::Length {
                what: "gradient entries",
                expected: inputs.len(),
                found: gradient.len(),
            });
        }
        self.forward_sweep(inputs, Semantics::Strict, buffers)?;
        self.backward_sweep(&[(root, 1.0)], inputs, Semantics::Strict, buffers)?;
        self.collect(&buffers.adjoints, gradient);
        Ok(buffers.values[root as usize])
    }

    /// All outputs and the vector-Jacobian product `cotangentsᵀ J` (strict semantics).
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::many(&[symdiff_expr::parse("x*y").unwrap(), symdiff_expr::parse("y").unwrap()]).unwrap();
    /// assert_eq!(tape.vjp(&[2.0, 3.0], &[1.0, -1.0]).unwrap().cotangent, vec![3.0, 1.0]);
    /// ```
    pub fn vjp(&self, inputs: &[f64], cotangents: &[f64]) -> Result<Vjp, AdError> {
        self.vjp_with(inputs, cotangents, Semantics::Strict)
    }

    /// [`Tape::vjp`] under the given [`Semantics`].
    ///
    /// ```
    /// use symdiff_ad::Tape;
    /// use symdiff_expr::Semantics;
    /// let tape = Tape::new(symdiff_expr::parse("sqrt(x)").unwrap()).unwrap();
    /// assert!(tape.vjp(&[0.0], &[1.0]).is_err()); // the derivative is infinite
    /// let v = tape.vjp_with(&[0.0], &[1.0], Semantics::Ieee).unwrap();
    /// assert_eq!(v.cotangent, vec![f64::INFINITY]);
    /// ```
    pub fn vjp_with(
        &self,
        inputs: &[f64],
        cotangents: &[f64],
        semantics: Semantics,
    ) -> Result<Vjp, AdError> {
        let roots = self.program.roots();
        if cotangents.len() != roots.len() {
            return Err(AdError::Length {
                what: "cotangents",
                expected: roots.len(),
                found: cotangents.len(),
            });
        }
        let mut buffers = TapeBuffers::default();
        self.forward_sweep(inputs, semantics, &mut buffers)?;
        let seeds: Vec<(u32, f64)> = roots
            .iter()
            .copied()
            .zip(cotangents.iter().copied())
            .collect();
        self.backward_sweep(&seeds, inputs, semantics, &mut buffers)?;
        let mut cotangent = vec![0.0; inputs.len()];
        self.collect(&buffers.adjoints, &mut cotangent);
        Ok(Vjp {
            outputs: roots.iter().map(|&r| buffers.values[r as usize]).collect(),
            cotangent,
        })
    }

    /// The reverse primal/adjoint trace of the first output.
    ///
    /// ```
    /// let tape = symdiff_ad::Tape::new(symdiff_expr::parse("x*y").unwrap()).unwrap();
    /// let t = tape.trace(&"x=2,y=3".parse().unwrap()).unwrap();
    /// assert_eq!((t.row("v-1").unwrap().derivative, t.row("v0").unwrap().derivative), (3.0, 2.0));
    /// ```
    pub fn trace(&self, point: &Point) -> Result<Trace, AdError> {
        let inputs = self.program.inputs(point)?;
        let root = *self.program.roots().first().ok_or(AdError::Length {
            what: "outputs",
            expected: 1,
            found: 0,
        })?;
        let mut buffers = TapeBuffers::default();
        self.forward_sweep(&inputs, Semantics::Strict, &mut buffers)?;
        self.backward_sweep(&[(root, 1.0)], &inputs, Semantics::Strict, &mut buffers)?;
        Ok(Trace::build(
            &self.program,
            TraceKind::Reverse,
            self.program.point_string(&inputs),
            format!("ȳ = 1 on {}", self.program.exprs()[root as usize]),
            &buffers.values,
            &buffers.adjoints,
        ))
    }

    /// Every entry's value: one evaluation.
    fn forward_sweep(
        &self,
        inputs: &[f64],
        semantics: Semantics,
        b: &mut TapeBuffers,
    ) -> Result<(), AdError> {
        self.program
            .node_values_into(inputs, semantics, &mut b.values)
    }

    /// Adjoints of every entry, from the seeded outputs back to the inputs. Only entries that
    /// depend on an input receive adjoints, so an infinite local partial inside a constant
    /// subexpression (`asin(1) + x`) is never touched. Under strict semantics a non-finite
    /// input adjoint is an error naming the first entry whose contribution was not finite
    /// (non-finite adjoints cannot vanish on their way to the inputs: `inf·0` is NaN).
    fn backward_sweep(
        &self,
        seeds: &[(u32, f64)],
        inputs: &[f64],
        semantics: Semantics,
        b: &mut TapeBuffers,
    ) -> Result<(), AdError> {
        let (values, adjoints) = (&b.values, &mut b.adjoints);
        adjoints.clear();
        adjoints.resize(values.len(), 0.0);
        for &(root, c) in seeds {
            adjoints[root as usize] += c;
        }
        self.sweep_steps(adjoints, values);
        self.rescue_underflow(seeds, values, adjoints);
        if semantics == Semantics::Strict {
            let finite = self
                .input_entry
                .iter()
                .all(|e| e.is_none_or(|e| adjoints[e as usize].is_finite()));
            if !finite {
                return Err(self.locate_non_finite(seeds, inputs, values));
            }
        }
        Ok(())
    }

    fn sweep_steps(&self, adjoints: &mut [f64], values: &[f64]) {
        for step in &self.steps {
            let g = adjoints[step.entry as usize];
            if g != 0.0 {
                propagate(step, g, values, adjoints);
            }
        }
    }

    /// Adjoints are `∂y/∂v` for every intermediate `v`, and can underflow where the gradient
    /// does not (in `sinh(x^-3)^-3` at `x = -0.16`, `∂y/∂sinh ≈ 1e-392` but `∂y/∂x ≈ 4e-291`).
    /// When an input's adjoint comes out zero or subnormal, the sweep is redone with the seeds
    /// scaled by a power of two that lifts the largest adjoint to ~2¹⁰⁰⁰, and scaled back:
    /// exact, since scaling by a power of two rounds nothing.
    #[cold]
    fn rescue_underflow(&self, seeds: &[(u32, f64)], values: &[f64], adjoints: &mut [f64]) {
        let suspicious = self.input_entry.iter().flatten().any(|&e| {
            let a = adjoints[e as usize];
            a.is_finite() && a.abs() < f64::MIN_POSITIVE
        });
        if !suspicious {
            return;
        }
        let largest = adjoints
            .iter()
            .filter(|a| a.is_finite())
            .fold(0.0f64, |m, a| m.max(a.abs()));
        if largest == 0.0 {
            return;
        }
        let k = (1000.0 - largest.log2()).floor().min(1000.0);
        if k < 64.0 {
            return;
        }
        let (up, down) = (2f64.powi(k as i32), 2f64.powi(-(k as i32)));
        adjoints.iter_mut().for_each(|a| *a = 0.0);
        for &(root, c) in seeds {
            adjoints[root as usize] += c * up;
        }
        self.sweep_steps(adjoints, values);
        adjoints.iter_mut().for_each(|a| *a *= down);
    }

    /// The slow path of a failed backward sweep: redo it, checking every contribution.
    #[cold]
    fn locate_non_finite(&self, seeds: &[(u32, f64)], inputs: &[f64], values: &[f64]) -> AdError {
        let mut adjoints = vec![0.0; values.len()];
        for &(root, c) in seeds {
            adjoints[root as usize] += c;
        }
        for step in &self.steps {
            let g = adjoints[step.entry as usize];
            if g == 0.0 {
                continue;
            }
            propagate(step, g, values, &mut adjoints);
            let ok = step
                .op
                .operands()
                .iter()
                .all(|&k| adjoints[k as usize].is_finite());
            if !ok || !g.is_finite() {
                let why = "derivative not finite";
                return domain_error_f64(&self.program, step.entry as usize, why, values, inputs);
            }
        }
        let why = "derivative not finite";
        domain_error_f64(&self.program, self.program.len() - 1, why, values, inputs)
    }

    /// The inputs' adjoints.
    fn collect(&self, adjoints: &[f64], out: &mut [f64]) {
        for (slot, entry) in out.iter_mut().zip(&self.input_entry) {
            *slot = entry.map_or(0.0, |e| adjoints[e as usize]);
        }
    }
}

/// Adds one entry's contributions `g·∂v/∂operand` to its active operands' adjoints, the local
/// partials computed from the stored values.
#[inline]
fn propagate(step: &Step, g: f64, v: &[f64], adjoints: &mut [f64]) {
    let i = step.entry as usize;
    let x = |k: u32| v[k as usize];
    let mut add = |k: u32, d: f64| adjoints[k as usize] += d;
    match step.op {
        Op::Const(_) | Op::Rounded(_) | Op::Var(_) => {}
        Op::Neg(a) => add(a, -g),
        Op::Add(a, b) => {
            if step.first {
                add(a, g);
            }
            if step.second {
                add(b, g);
            }
        }
        Op::Sub(a, b) => {
            if step.first {
                add(a, g);
            }
            if step.second {
                add(b, -g);
            }
        }
        Op::Mul(a, b) => {
            if step.first {
                add(a, g * x(b));
            }
            if step.second {
                add(b, g * x(a));
            }
        }
        Op::Div(a, b) => {
            let r = g / x(b);
            if step.first {
                add(a, r);
            }
            if step.second {
                add(b, -r * v[i]);
            }
        }
        Op::PowI(a, n) => add(a, powi_tangent(x(a), n, v[i], g)),
        Op::PowF(a, c) => add(a, g * power_slope(x(a), c, v[i])),
        Op::PowC(a, b) => add(a, g * power_slope(x(a), x(b), v[i])),
        Op::Pow(a, b) => {
            let (da, db) = pow_partials(x(a), x(b), v[i]);
            if step.first {
                add(a, g * da);
            }
            if step.second {
                add(b, g * db);
            }
        }
        Op::Call(f, a) => add(a, g * slope_at(f, x(a), v[i])),
        Op::Call2(f, a, b) => {
            let (_, d, _) = curvature2(f, x(a), x(b));
            if step.first {
                add(a, g * d[0]);
            }
            if step.second {
                add(b, g * d[1]);
            }
        }
        // the adjoint goes to the branch taken, none into the condition
        Op::If(c, a, b) => add(if truth(x(c)) { a } else { b }, g),
        Op::Compare(..) | Op::And(..) | Op::Or(..) | Op::Not(_) => {}
    }
}

/// `c x^(c-1)` given `p = x^c`: `c p / x` (one division) away from 0.
#[inline]
fn power_slope(x: f64, c: f64, p: f64) -> f64 {
    if x > 0.0 && p != 0.0 && p.is_finite() {
        c * p / x
    } else {
        powf_slopes(x, c).0
    }
}

/// `f'(x)` given the stored `v = f(x)`, reusing `v` where that is as accurate.
#[inline]
fn slope_at(f: Func, x: f64, v: f64) -> f64 {
    match f {
        Func::Sin => x.cos(),
        Func::Cos => -x.sin(),
        Func::Sinh => x.cosh(),
        Func::Cosh => x.sinh(),
        Func::Exp => v,
        Func::Sqrt => 0.5 / v,
        Func::Tan => 1.0 + v * v,
        _ => slope(f, x).1,
    }
}

/// The value and gradient of `expr` at `point` by reverse mode (one forward and one backward
/// sweep).
///
/// ```
/// use symdiff_ad::gradient;
/// use symdiff_expr::parse;
/// let g = gradient(parse("ln(x1) + x1*x2 - sin(x2)").unwrap(), &"x1=2, x2=5".parse().unwrap()).unwrap();
/// assert_eq!(g.partials[0], 5.5);
/// assert!((g.partials[1] - 1.7163378145367738).abs() < 1e-15);
/// ```
pub fn gradient(expr: Expr, point: &Point) -> Result<Gradient, AdError> {
    Tape::new(expr)?.gradient(point)
}

/// All outputs and `cotangentsᵀ J` at `point` (inputs: the outputs' variables sorted by name).
///
/// ```
/// use symdiff_ad::vjp;
/// use symdiff_expr::parse;
/// let f = [parse("x*y").unwrap(), parse("sin(x)").unwrap()];
/// let v = vjp(&f, &"x=0, y=2".parse().unwrap(), &[1.0, 1.0]).unwrap();
/// assert_eq!(v.cotangent, vec![2.0 + 1.0, 0.0]);
/// ```
pub fn vjp(outputs: &[Expr], point: &Point, cotangents: &[f64]) -> Result<Vjp, AdError> {
    let tape = Tape::many(outputs)?;
    let inputs = tape.program().inputs(point)?;
    tape.vjp(&inputs, cotangents)
}

/// The reverse primal/adjoint trace of `expr` at `point`.
///
/// ```
/// use symdiff_ad::reverse_trace;
/// use symdiff_expr::parse;
/// let t = reverse_trace(parse("x1*x2 + x2 - ln(x1)").unwrap(), &"x1=3, x2=-4".parse().unwrap()).unwrap();
/// assert!((t.row("v-1").unwrap().derivative + 13.0 / 3.0).abs() < 1e-15); // x̄1
/// assert_eq!(t.row("v0").unwrap().derivative, 4.0); // x̄2
/// println!("{t}");
/// ```
pub fn reverse_trace(expr: Expr, point: &Point) -> Result<Trace, AdError> {
    Tape::new(expr)?.trace(point)
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::parse;

    /// ∂y/∂sinh ≈ 1e-392 underflows, ∂y/∂x ≈ 4e-291 does not: the rescaled sweep finds it.
    #[test]
    fn underflowing_adjoints_are_rescued() {
        let tape = Tape::new(parse("sinh(x^(-3))^(-3)").unwrap()).unwrap();
        let x = -0.16381663166072302;
        let (_, g) = tape.gradient_at(&[x]).unwrap();
        let (_, f) = tape.program().forward_gradient(&[x]).unwrap();
        assert!(f[0] != 0.0 && f[0].abs() < 1e-280);
        assert!(
            (g[0] - f[0]).abs() <= 1e-12 * f[0].abs(),
            "{} vs {}",
            g[0],
            f[0]
        );
    }

    #[test]
    fn constant_subexpressions_with_infinite_slopes_are_harmless() {
        let tape = Tape::new(parse("asin(cosh(0)) + x*sqrt(0)").unwrap()).unwrap();
        assert_eq!(tape.gradient_at(&[2.0]).unwrap().1, vec![0.0]);
    }
}
