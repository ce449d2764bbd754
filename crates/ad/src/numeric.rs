//! Numeric differentiation: central differences, Richardson extrapolation and complex step.
//!
//! | method | formula | step | expected error of `f'(x)` |
//! |---|---|---|---|
//! | central difference | `(f(x+h) - f(x-h)) / 2h` | `h = ∛ε·max(1,|x|) ≈ 6.1e-6·max(1,|x|)` | truncation `h²|f'''|/6` + round-off `ε|f|/h`: about `4e-11·(|f'''| + |f|)`, so ~1e-10 relative when `f`, `f'''` and `f'` are of one size; worse near singularities or when `|f| ≫ |f'|` |
//! | Richardson | `(4 D(h/2) - D(h)) / 3` with `D` the central difference | `h = ε^(1/5)·max(1,|x|) ≈ 7.4e-4·max(1,|x|)` | truncation `O(h⁴ f⁽⁵⁾)` + round-off `1.5 ε|f|/h`: ~1e-12 relative for well-scaled `f` |
//! | complex step | `Im f(x + ih) / h` | `h = 1e-20` | no cancellation; truncation `h²|f'''|/6 ≈ 1e-40`, so rounding only: a few ulps times the conditioning, like forward AD |
//!
//! Central differences and Richardson also return an estimate of their own error: the
//! round-off from running error bounds of `f(x±h)` ([`Bounded`]) plus the truncation estimated by
//! repeating the difference at twice the step. The points `x ± 2h` must lie in the domain; near a
//! domain boundary the methods return the domain error instead of a wrong number.

use crate::bound::{Bounded, UNIT_ROUNDOFF};
use crate::error::AdError;
use crate::eval::Program;
use num_complex::Complex64;
use serde::Serialize;
use symdiff_expr::{Expr, Point};

/// The complex-step size.
pub const COMPLEX_STEP: f64 = 1e-20;

/// A numeric derivative with an estimate of its error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The derivative estimate.
    pub value: f64,
    /// An estimate of `|value - f'(x)|` (round-off bound plus estimated truncation).
    pub error: f64,
    /// The step `h` used.
    pub step: f64,
}

/// A central difference at step `s` with its round-off bound.
struct Difference {
    value: f64,
    roundoff: f64,
}

impl Program {
    fn shifted(&self, inputs: &[f64], var: usize, shift: f64) -> Result<(Bounded, f64), AdError> {
        let mut at: Vec<Bounded> = inputs.iter().map(|&x| Bounded::exact(x)).collect();
        let x = inputs[var];
        let moved = x + shift;
        at[var] = Bounded::exact(moved);
        Ok((self.eval(&at)?, moved))
    }

    fn difference(&self, inputs: &[f64], var: usize, h: f64) -> Result<Difference, AdError> {
        let (plus, xp) = self.shifted(inputs, var, h)?;
        let (minus, xm) = self.shifted(inputs, var, -h)?;
        let width = xp - xm; // exact: the steps actually taken
        let u = UNIT_ROUNDOFF;
        Ok(Difference {
            value: (plus.value - minus.value) / width,
            roundoff: (plus.error + minus.error + u * (plus.value.abs() + minus.value.abs()))
                / width,
        })
    }

    fn check_var(&self, inputs: &[f64], var: usize) -> Result<(), AdError> {
        self.check_inputs(inputs.len())?;
        if var >= inputs.len() {
            return Err(AdError::Length {
                what: "inputs (variable index out of range)",
                expected: var + 1,
                found: inputs.len(),
            });
        }
        Ok(())
    }

    /// `∂f/∂x_var` of the first output by a central difference with step
    /// `h = ∛ε·max(1,|x|)`, with an error estimate.
    ///
    /// ```
    /// use symdiff_ad::Program;
    /// let p = Program::new(symdiff_expr::parse("sin(x)").unwrap()).unwrap();
    /// let d = p.central_difference(&[1.0], 0).unwrap();
    /// assert!((d.value - 1f64.cos()).abs() < 1e-10);
    /// assert!((d.value - 1f64.cos()).abs() <= 3.0 * d.error);
    /// ```
    pub fn central_difference(&self, inputs: &[f64], var: usize) -> Result<Estimate, AdError> {
        self.check_var(inputs, var)?;
        let h = f64::EPSILON.cbrt() * inputs[var].abs().max(1.0);
        let d1 = self.difference(inputs, var, h)?;
        let d2 = self.difference(inputs, var, 2.0 * h)?;
        Ok(Estimate {
            value: d1.value,
            error: d1.roundoff + (d2.value - d1.value).abs() / 3.0,
            step: h,
        })
    }

    /// `∂f/∂x_var` of the first output by Richardson extrapolation of central differences
    /// (`(4 D(h/2) - D(h)) / 3`, `h = ε^(1/5)·max(1,|x|)`), with an error estimate.
    ///
    /// ```
    /// use symdiff_ad::Program;
    /// let p = Program::new(symdiff_expr::parse("exp(x)*sin(x)").unwrap()).unwrap();
    /// let d = p.richardson(&[0.5], 0).unwrap();
    /// let exact = 0.5f64.exp() * (0.5f64.sin() + 0.5f64.cos());
    /// assert!((d.value - exact).abs() < 1e-12);
    /// ```
    pub fn richardson(&self, inputs: &[f64], var: usize) -> Result<Estimate, AdError> {
        self.check_var(inputs, var)?;
        let h = f64::EPSILON.powf(0.2) * inputs[var].abs().max(1.0);
        let half = self.difference(inputs, var, h / 2.0)?;
        let one = self.difference(inputs, var, h)?;
        let two = self.difference(inputs, var, 2.0 * h)?;
        let r1 = (4.0 * half.value - one.value) / 3.0;
        let r2 = (4.0 * one.value - two.value) / 3.0;
        let roundoff = (4.0 * half.roundoff + one.roundoff) / 3.0;
        Ok(Estimate {
            value: r1,
            error: roundoff + (r2 - r1).abs() / 15.0,
            step: h,
        })
    }

    /// `∂f/∂x_var` of the first output by complex step: `Im f(x + ih) / h` with `h = 1e-20`.
    ///
    /// ```
    /// use symdiff_ad::Program;
    /// let p = Program::new(symdiff_expr::parse("asin(x)*ln(x)").unwrap()).unwrap();
    /// let d = p.complex_step(&[0.5], 0).unwrap();
    /// let exact = 0.5f64.ln() / 0.75f64.sqrt() + 0.5f64.asin() / 0.5;
    /// assert!((d - exact).abs() < 1e-15);
    /// ```
    pub fn complex_step(&self, inputs: &[f64], var: usize) -> Result<f64, AdError> {
        self.check_var(inputs, var)?;
        let at: Vec<Complex64> = inputs
            .iter()
            .enumerate()
            .map(|(k, &x)| Complex64::new(x, if k == var { COMPLEX_STEP } else { 0.0 }))
            .collect();
        Ok(self.eval(&at)?.im / COMPLEX_STEP)
    }
}

fn program_at(expr: Expr, point: &Point, var: &str) -> Result<(Program, Vec<f64>, usize), AdError> {
    let program = Program::new(expr)?;
    let inputs = program.inputs(point)?;
    let index = program
        .var_index(var)
        .ok_or_else(|| AdError::UnknownVariable(var.to_string(), program.vars().join(", ")))?;
    Ok((program, inputs, index))
}

/// `∂f/∂var` at `point` by a central difference (see the module table for its error).
///
/// ```
/// use symdiff_ad::central_difference;
/// use symdiff_expr::parse;
/// let d = central_difference(parse("x1*x2 + x2 - ln(x1)").unwrap(), &"x1=3, x2=-4".parse().unwrap(), "x1").unwrap();
/// assert!((d.value + 13.0 / 3.0).abs() < 1e-9);
/// ```
pub fn central_difference(expr: Expr, point: &Point, var: &str) -> Result<Estimate, AdError> {
    let (program, inputs, index) = program_at(expr, point, var)?;
    program.central_difference(&inputs, index)
}

/// `∂f/∂var` at `point` by Richardson extrapolation (see the module table for its error).
///
/// ```
/// use symdiff_ad::richardson;
/// use symdiff_expr::parse;
/// let d = richardson(parse("ln(x1) + x1*x2 - sin(x2)").unwrap(), &"x1=2, x2=5".parse().unwrap(), "x2").unwrap();
/// assert!((d.value - (2.0 - 5f64.cos())).abs() < 1e-11);
/// ```
pub fn richardson(expr: Expr, point: &Point, var: &str) -> Result<Estimate, AdError> {
    let (program, inputs, index) = program_at(expr, point, var)?;
    program.richardson(&inputs, index)
}

/// `∂f/∂var` at `point` by complex step (see the module table for its error).
///
/// ```
/// use symdiff_ad::complex_step;
/// use symdiff_expr::parse;
/// let d = complex_step(parse("ln(x1) + x1*x2 - sin(x2)").unwrap(), &"x1=2, x2=5".parse().unwrap(), "x1").unwrap();
/// assert_eq!(d, 5.5);
/// ```
pub fn complex_step(expr: Expr, point: &Point, var: &str) -> Result<f64, AdError> {
    let (program, inputs, index) = program_at(expr, point, var)?;
    program.complex_step(&inputs, index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::parse;

    /// The documented error levels hold on smooth, well-scaled functions.
    #[test]
    fn documented_error_levels() {
        let cases = [
            ("sin(x)", 0.7, 0.7f64.cos()),
            ("exp(x)", 1.3, 1.3f64.exp()),
            ("x^3 - 2*x", -1.1, 3.0 * 1.21 - 2.0),
            ("atan(x)", 2.0, 0.2),
            ("sqrt(x)", 4.0, 0.25),
        ];
        for (src, x, exact) in cases {
            let p = Program::new(parse(src).unwrap()).unwrap();
            let c = p.central_difference(&[x], 0).unwrap();
            let r = p.richardson(&[x], 0).unwrap();
            let s = p.complex_step(&[x], 0).unwrap();
            let rel = |v: f64| (v - exact).abs() / exact.abs();
            assert!(rel(c.value) < 1e-9, "{src}: central {}", rel(c.value));
            assert!(rel(r.value) < 1e-11, "{src}: richardson {}", rel(r.value));
            assert!(rel(s) < 1e-15, "{src}: complex step {}", rel(s));
            assert!(
                (c.value - exact).abs() <= 2.0 * c.error,
                "{src}: central estimate"
            );
            assert!(
                (r.value - exact).abs() <= 2.0 * r.error,
                "{src}: richardson estimate"
            );
        }
    }

    #[test]
    fn steps_that_leave_the_domain_are_errors() {
        let p = Program::new(parse("ln(x)").unwrap()).unwrap();
        assert!(p.central_difference(&[1e-7], 0).is_err());
        assert!(p.richardson(&[1e-4], 0).is_err());
        assert!(p.complex_step(&[1e-7], 0).is_ok());
    }
}
