//! Forward mode: Jacobian-vector products with [`Dual`] numbers, single partial derivatives, the
//! whole gradient in one pass with [`DualVec`], and the primal/tangent trace.
//!
//! Cost: one forward-mode pass costs a small constant times one evaluation and gives one
//! directional derivative, so a gradient of `n` inputs takes `n` passes with [`Dual`] — or one
//! pass with [`DualVec`] whose every operation works on `n` tangents. Forward mode is the right
//! tool when inputs are few and outputs many.

use crate::dual::Dual;
use crate::dual_vec::DualVec;
use crate::error::AdError;
use crate::eval::WengertList;
use crate::gradient::Gradient;
use crate::trace::{Trace, TraceKind};
use serde::Serialize;
use symdiff_expr::{Expr, Point, Semantics};

/// A value and its directional derivative.
///
/// ```
/// let j = symdiff_ad::jvp(symdiff_expr::parse("x*y").unwrap(), &"x=2,y=3".parse().unwrap(), &"x=1,y=-1".parse().unwrap()).unwrap();
/// assert_eq!((j.value, j.tangent), (6.0, 1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Jvp {
    /// `f(x)`
    pub value: f64,
    /// `∇f(x) · v`
    pub tangent: f64,
}

impl WengertList {
    /// The first output's value and directional derivative along `direction` (one entry per
    /// input), in one forward pass.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("x*y").unwrap()).unwrap();
    /// let j = p.jvp(&[2.0, 3.0], &[1.0, 1.0]).unwrap();
    /// assert_eq!((j.value, j.tangent), (6.0, 5.0));
    /// ```
    pub fn jvp(&self, inputs: &[f64], direction: &[f64]) -> Result<Jvp, AdError> {
        self.check_inputs(inputs.len())?;
        if direction.len() != inputs.len() {
            return Err(AdError::Length {
                what: "direction entries",
                expected: inputs.len(),
                found: direction.len(),
            });
        }
        let duals: Vec<Dual> = inputs
            .iter()
            .zip(direction)
            .map(|(&x, &v)| Dual::new(x, v))
            .collect();
        let y = self.eval(&duals)?;
        Ok(Jvp {
            value: y.re,
            tangent: y.eps,
        })
    }

    /// The first output's value and gradient with respect to every input, in one pass of
    /// vector duals.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("x*y + y").unwrap()).unwrap();
    /// assert_eq!(p.forward_gradient(&[2.0, 3.0]).unwrap(), (9.0, vec![3.0, 3.0]));
    /// ```
    pub fn forward_gradient(&self, inputs: &[f64]) -> Result<(f64, Vec<f64>), AdError> {
        self.check_inputs(inputs.len())?;
        let n = inputs.len();
        let duals: Vec<DualVec> = inputs
            .iter()
            .enumerate()
            .map(|(i, &x)| DualVec::variable(x, i, n))
            .collect();
        let y = self.eval(&duals)?;
        let partials = (0..n).map(|i| y.tangent(i)).collect();
        Ok((y.re, partials))
    }
}

/// Reads a direction given as a point (`x=1, y=0.5`); variables it omits get 0, names the
/// program does not have are ignored (the function is constant along them).
fn direction_of(program: &WengertList, direction: &Point) -> Vec<f64> {
    program
        .vars()
        .iter()
        .map(|v| direction.get(v).unwrap_or(0.0))
        .collect()
}

/// `f(point)` and the directional derivative `∇f(point) · direction` by forward mode.
///
/// ```
/// use symdiff_ad::jvp;
/// use symdiff_expr::parse;
/// let f = parse("x1*x2 + x2 - ln(x1)").unwrap();
/// let j = jvp(f, &"x1=3, x2=-4".parse().unwrap(), &"x1=1".parse().unwrap()).unwrap();
/// assert!((j.value + 17.0986122886681).abs() < 1e-12);
/// assert!((j.tangent + 13.0 / 3.0).abs() < 1e-15);
/// ```
pub fn jvp(expr: Expr, point: &Point, direction: &Point) -> Result<Jvp, AdError> {
    let program = WengertList::new(expr)?;
    let inputs = program.inputs(point)?;
    program.jvp(&inputs, &direction_of(&program, direction))
}

/// `∂f/∂var` at `point` by forward mode (0 when `f` does not depend on `var`).
///
/// ```
/// use symdiff_ad::derivative;
/// use symdiff_expr::parse;
/// let f = parse("ln(x1) + x1*x2 - sin(x2)").unwrap();
/// let p = "x1=2, x2=5".parse().unwrap();
/// assert_eq!(derivative(f, &p, "x1").unwrap(), 5.5);
/// assert!((derivative(f, &p, "x2").unwrap() - (2.0 - 5f64.cos())).abs() < 1e-15);
/// assert_eq!(derivative(f, &p, "z").unwrap(), 0.0);
/// ```
pub fn derivative(expr: Expr, point: &Point, var: &str) -> Result<f64, AdError> {
    jvp(expr, point, &Point::new().with(var, 1.0)).map(|j| j.tangent)
}

/// The value and the whole gradient in one forward pass of vector duals.
///
/// ```
/// use symdiff_ad::forward_gradient;
/// use symdiff_expr::parse;
/// let g = forward_gradient(parse("x^2*y").unwrap(), &"x=3, y=2".parse().unwrap()).unwrap();
/// assert_eq!((g.value, g.partials.clone()), (18.0, vec![12.0, 9.0]));
/// ```
pub fn forward_gradient(expr: Expr, point: &Point) -> Result<Gradient, AdError> {
    let program = WengertList::new(expr)?;
    let inputs = program.inputs(point)?;
    let (value, partials) = program.forward_gradient(&inputs)?;
    Ok(Gradient {
        value,
        vars: program.vars().to_vec(),
        partials,
    })
}

/// The forward primal/tangent trace: every entry's value and tangent along `direction`.
///
/// ```
/// use symdiff_ad::forward_trace;
/// use symdiff_expr::parse;
/// let f = parse("ln(x1) + x1*x2 - sin(x2)").unwrap();
/// let t = forward_trace(f, &"x1=2, x2=5".parse().unwrap(), &"x1=1".parse().unwrap()).unwrap();
/// let y = t.row(&t.outputs[0]).unwrap();
/// assert!((y.value - 11.652071455223084).abs() < 1e-12);
/// assert_eq!(y.derivative, 5.5);
/// println!("{t}");
/// ```
pub fn forward_trace(expr: Expr, point: &Point, direction: &Point) -> Result<Trace, AdError> {
    let program = WengertList::new(expr)?;
    let inputs = program.inputs(point)?;
    let direction = direction_of(&program, direction);
    let duals: Vec<Dual> = inputs
        .iter()
        .zip(&direction)
        .map(|(&x, &v)| Dual::new(x, v))
        .collect();
    let values = program.node_values(&duals, Semantics::Strict)?;
    let primal: Vec<f64> = values.iter().map(|d| d.re).collect();
    let tangent: Vec<f64> = values.iter().map(|d| d.eps).collect();
    Ok(Trace::build(
        &program,
        TraceKind::Forward,
        program.point_string(&inputs),
        program.point_string(&direction),
        &primal,
        &tangent,
    ))
}
