//! Numeric differentiation: central differences, Richardson extrapolation and complex step.
//!
//! | method | formula | step | expected error of `f'(x)` |
//! |---|---|---|---|
//! | central difference | `(f(x+h) - f(x-h)) / 2h` | `h = ∛ε·max(1,|x|) ≈ 6.1e-6·max(1,|x|)` | truncation `h²|f'''|/6` + round-off `ε|f|/h`: about `4e-11·(|f'''| + |f|)`, so ~1e-10 relative when `f`, `f'''` and `f'` are of one size; worse near singularities or when `|f| ≫ |f'|` |
//! | Richardson | `(4 D(h/2) - D(h)) / 3` with `D` the central difference | `h = ε^(1/5)·max(1,|x|) ≈ 7.4e-4·max(1,|x|)` | truncation `O(h⁴ f⁽⁵⁾)` + round-off `1.5 ε|f|/h`: ~1e-12 relative for well-scaled `f` |
//! | complex step | `Im f(x + ih) / h` | `h = 1e-60` ([`COMPLEX_STEP`]), adapted to `1e-150`, `1e-250` or `1e-20` ([`WengertList::complex_step_estimate`]) | no cancellation; truncation `h²|f'''|/6 ≈ 1e-120`, so rounding only: a few ulps times the conditioning, like forward AD |
//!
//! Non-smooth functions (`abs`, `sign`, `relu`, `min`, `max`, `if`): a difference quotient
//! across a kink or a change of branch is not a derivative, so central differences and
//! Richardson first check that every non-smooth operation stays on one side (the same sign of
//! its argument, the same argument chosen, the same truth of every condition) at both ends of
//! their widest step, `x ± 1.45h`, and return [`AdError::Kink`] otherwise: points are used only
//! away from kinks. The complex step does not apply to non-analytic functions (`abs(x + ih)`
//! is not `|x| + i·h·sign(x)`); this crate's complex numbers carry them, and every other
//! function without an analytic extension here (`atan2`, `hypot`, `erf`, ... and `a^b` at
//! `a ≤ 0`), to first order by their real derivative, so the complex step returns the AD
//! derivative for them, with AD's conventions at kinks (`|x|' = 0` at 0), not an independent
//! estimate.
//!
//! Central differences and Richardson also return an estimate of their own error: the
//! round-off from running error bounds of `f(x±h)` ([`Bounded`]) plus the truncation estimated by
//! repeating the method at 0.7 and at 1.45 times the step (the larger of the two estimates;
//! ratios that are not powers of 2, which a fast oscillation would alias consistently). The points `x ± 1.45h` must lie in the domain; near a
//! domain boundary the methods return the domain error instead of a wrong number.

use crate::bound::{Bounded, UNIT_ROUNDOFF};
use crate::error::AdError;
use crate::eval::{Op, WengertList};
use num_complex::Complex64;
use serde::Serialize;
use symdiff_expr::{truth, Expr, Func, Func2, Point, Semantics};

/// The complex-step size.
///
/// Complex step is exact to `O(h²)` only while `h·|f'|` stays small at every intermediate
/// (`sin(exp(47 + ih·270))` with `h = 1e-20` already has an imaginary part of ~760), and it
/// underflows when intermediate tangents fall below ~`1e-308/h`. `1e-60` keeps the linear regime
/// for intermediate derivatives up to ~`1e50` and underflows only for tangents below ~`1e-248`.
///
/// ```
/// assert_eq!(symdiff_ad::numeric::COMPLEX_STEP, 1e-60);
/// ```
pub const COMPLEX_STEP: f64 = 1e-60;

/// A numeric derivative with an estimate of its error.
///
/// ```
/// let e = symdiff_ad::central_difference(symdiff_expr::parse("exp(x)").unwrap(), &"x=0".parse().unwrap(), "x").unwrap();
/// assert!((e.value - 1.0).abs() <= 2.0 * e.error && e.error < 1e-9);
/// assert_eq!(e.step, f64::EPSILON.cbrt());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The derivative estimate.
    pub value: f64,
    /// An estimate of `|value - f'(x)|` (round-off bound plus estimated truncation).
    pub error: f64,
    /// The step `h` used.
    pub step: f64,
}

/// The smaller and the larger step of the truncation estimates, relative to the step `h`.
const LOW: f64 = 0.7;
const HIGH: f64 = 1.45;

/// A central difference at step `s` with its round-off bound.
struct Difference {
    value: f64,
    roundoff: f64,
}

impl WengertList {
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

    /// `Err(AdError::Kink)` when some non-smooth operation is on another side (another piece)
    /// at `x_var ± step` than at `x`: a kink or branch change lies within the step.
    fn smooth_across(&self, inputs: &[f64], var: usize, step: f64) -> Result<(), AdError> {
        let non_smooth = |op: &Op| {
            matches!(
                op,
                Op::Call(Func::Abs | Func::Sign | Func::Relu, _)
                    | Op::Call2(Func2::Min | Func2::Max, ..)
                    | Op::Compare(..)
            )
        };
        if !self.ops.iter().any(non_smooth) {
            return Ok(()); // smooth everywhere
        }
        let values_at = |shift: f64| -> Result<Vec<f64>, AdError> {
            let mut at = inputs.to_vec();
            at[var] += shift;
            self.node_values(&at, Semantics::Ieee)
        };
        let center = values_at(0.0)?;
        for shift in [-step, step] {
            let moved = values_at(shift)?;
            let changed = (0..self.ops.len())
                .find(|&i| piece(&self.ops[i], i, &center) != piece(&self.ops[i], i, &moved));
            if let Some(i) = changed {
                return Err(AdError::Kink {
                    op: self.exprs[i].to_string(),
                    point: self.point_string(inputs),
                });
            }
        }
        Ok(())
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
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("sin(x)").unwrap()).unwrap();
    /// let d = p.central_difference(&[1.0], 0).unwrap();
    /// assert!((d.value - 1f64.cos()).abs() < 1e-10);
    /// assert!((d.value - 1f64.cos()).abs() <= 3.0 * d.error);
    /// ```
    pub fn central_difference(&self, inputs: &[f64], var: usize) -> Result<Estimate, AdError> {
        self.check_var(inputs, var)?;
        let h = f64::EPSILON.cbrt() * inputs[var].abs().max(1.0);
        self.smooth_across(inputs, var, HIGH * h)?;
        let one = self.difference(inputs, var, h)?;
        let low = self.difference(inputs, var, LOW * h)?;
        let high = self.difference(inputs, var, HIGH * h)?;
        // D(s) = f' + c s², so D(h) - D(rh) = c h² (1 - r²): two estimates of the truncation
        // c h², from step ratios that are not powers of 2, so that a fast oscillation aliased
        // at one step (tan(S x) with S h near a multiple of π) is not aliased alike at the
        // others, as it would be at h/2, h and 2h.
        let truncation = ((one.value - low.value).abs() / (1.0 - LOW * LOW))
            .max((high.value - one.value).abs() / (HIGH * HIGH - 1.0));
        Ok(Estimate {
            value: one.value,
            error: one.roundoff + truncation,
            step: h,
        })
    }

    /// `∂f/∂x_var` of the first output by Richardson extrapolation of central differences
    /// (`(4 D(h/2) - D(h)) / 3`, `h = ε^(1/5)·max(1,|x|)`), with an error estimate.
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("exp(x)*sin(x)").unwrap()).unwrap();
    /// let d = p.richardson(&[0.5], 0).unwrap();
    /// let exact = 0.5f64.exp() * (0.5f64.sin() + 0.5f64.cos());
    /// assert!((d.value - exact).abs() < 1e-12);
    /// ```
    pub fn richardson(&self, inputs: &[f64], var: usize) -> Result<Estimate, AdError> {
        self.check_var(inputs, var)?;
        let h = f64::EPSILON.powf(0.2) * inputs[var].abs().max(1.0);
        self.smooth_across(inputs, var, HIGH * h)?;
        // R(s) = (4 D(s/2) - D(s)) / 3 = f' + c s⁴
        let at = |s: f64| -> Result<(f64, f64), AdError> {
            let half = self.difference(inputs, var, s / 2.0)?;
            let one = self.difference(inputs, var, s)?;
            Ok((
                (4.0 * half.value - one.value) / 3.0,
                (4.0 * half.roundoff + one.roundoff) / 3.0,
            ))
        };
        let (r, roundoff) = at(h)?;
        let (low, _) = at(LOW * h)?;
        let (high, _) = at(HIGH * h)?;
        // two estimates of the truncation c h⁴, from step ratios that are not powers of 2
        // (see central_difference)
        let truncation =
            ((r - low).abs() / (1.0 - LOW.powi(4))).max((high - r).abs() / (HIGH.powi(4) - 1.0));
        Ok(Estimate {
            value: r,
            error: roundoff + truncation,
            step: h,
        })
    }

    /// `∂f/∂x_var` of the first output by complex step: `Im f(x + ih) / h` with
    /// `h =` [`COMPLEX_STEP`] (see [`WengertList::complex_step_estimate`] for the step rule).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// let p = WengertList::new(symdiff_expr::parse("asin(x)*ln(x)").unwrap()).unwrap();
    /// let d = p.complex_step(&[0.5], 0).unwrap();
    /// let exact = 0.5f64.ln() / 0.75f64.sqrt() + 0.5f64.asin() / 0.5;
    /// assert!((d - exact).abs() < 1e-15);
    /// ```
    pub fn complex_step(&self, inputs: &[f64], var: usize) -> Result<f64, AdError> {
        self.complex_step_estimate(inputs, var).map(|e| e.value)
    }

    /// Complex step with its step and an allowance for underflow.
    ///
    /// `Im f(x + ih) ≈ h·f'(x)` holds while `h` times every intermediate derivative is small;
    /// for tiny derivatives `Im f` leaves the normal range. So the step adapts: first
    /// [`COMPLEX_STEP`] `= 1e-60`; if the real part strays from `f(x)` (by more than `1e-6`
    /// relative plus 16 times the rounding-error bound of `f(x)`, or an operation leaves its
    /// domain) the step was outside the linear regime and
    /// `1e-150`, then `1e-250`, is tried; if `|Im f| < 1e-250` it underflowed and `1e-20` is tried. Each of the
    /// program's operations may lose up to `η/h` (η = 2⁻¹⁰⁷⁴) to underflow: that sum is the
    /// returned `error`. Rounding errors otherwise are those of forward AD (see
    /// [`BoundedDual`](crate::BoundedDual)).
    ///
    /// ```
    /// use symdiff_ad::WengertList;
    /// // (5^(x^-3))^2 at x = -0.17 has a derivative of ~1e-291
    /// let p = WengertList::new(symdiff_expr::parse("(5^x^(-3))^2").unwrap()).unwrap();
    /// let e = p.complex_step_estimate(&[-0.16852064713073234], 0).unwrap();
    /// assert_eq!(e.step, 1e-20);
    /// assert!(e.error < 1e-300);
    /// // sin(exp(x^-2)) at x = 0.1: intermediate derivatives of ~1e46, still linear at 1e-60
    /// let p = WengertList::new(symdiff_expr::parse("sin(exp(x^(-2)))").unwrap()).unwrap();
    /// assert_eq!(p.complex_step_estimate(&[0.1], 0).unwrap().step, 1e-60);
    /// // tan(exp(x^-2)) at x = 0.049: intermediates of ~1e183 need 1e-250
    /// let p = WengertList::new(symdiff_expr::parse("tan(exp(x^(-2)))").unwrap()).unwrap();
    /// assert_eq!(p.complex_step_estimate(&[0.049], 0).unwrap().step, 1e-250);
    /// ```
    pub fn complex_step_estimate(&self, inputs: &[f64], var: usize) -> Result<Estimate, AdError> {
        self.check_var(inputs, var)?;
        let exact: Vec<Bounded> = inputs.iter().map(|&x| Bounded::exact(x)).collect();
        let f0: Bounded = self.eval(&exact)?;
        // The real part of f(x+ih) is f(x) - h²f''/2: it strays from f(x) (beyond the rounding
        // of an ill-conditioned value) only when h is outside the linear regime.
        let linear = |z: &Complex64| {
            (z.re - f0.value).abs() <= 1e-6 * f0.value.abs() + 16.0 * f0.error + 1e-300
        };
        let estimate = |z: Complex64, h: f64| Estimate {
            value: z.im / h,
            error: self.len() as f64 * f64::from_bits(1) / h,
            step: h,
        };
        let first = self.complex_step_at(inputs, var, COMPLEX_STEP);
        match first {
            Ok(z) if linear(&z) && z.im.abs() >= 1e-250 => Ok(estimate(z, COMPLEX_STEP)),
            Ok(z) if linear(&z) => match self.complex_step_at(inputs, var, 1e-20) {
                Ok(w) if linear(&w) => Ok(estimate(w, 1e-20)),
                _ => Ok(estimate(z, COMPLEX_STEP)),
            },
            _ => {
                let z = self.complex_step_at(inputs, var, 1e-150);
                match z {
                    Ok(z) if linear(&z) => Ok(estimate(z, 1e-150)),
                    _ => {
                        let z = self.complex_step_at(inputs, var, 1e-250)?;
                        Ok(estimate(z, 1e-250))
                    }
                }
            }
        }
    }

    fn complex_step_at(&self, inputs: &[f64], var: usize, h: f64) -> Result<Complex64, AdError> {
        let at: Vec<Complex64> = inputs
            .iter()
            .enumerate()
            .map(|(k, &x)| Complex64::new(x, if k == var { h } else { 0.0 }))
            .collect();
        self.eval(&at)
    }
}

/// The piece of a non-smooth operation (entry `i`, given every entry's value): the sign of the
/// argument of `abs`, `sign`, `relu`; the argument `min`/`max` choose; the truth of a condition
/// (so the branch an `if` takes). `None` for smooth operations.
fn piece(op: &Op, i: usize, values: &[f64]) -> Option<i8> {
    let value = |k: u32| values[k as usize];
    match *op {
        Op::Call(Func::Abs | Func::Sign | Func::Relu, a) => {
            let x = value(a);
            Some(if x > 0.0 {
                1
            } else if x < 0.0 {
                -1
            } else {
                0
            })
        }
        Op::Call2(f, a, b) => f.selected(value(a), value(b)).map(|k| k as i8),
        Op::Compare(..) | Op::And(..) | Op::Or(..) | Op::Not(_) => Some(truth(values[i]) as i8),
        _ => None,
    }
}

fn program_at(
    expr: Expr,
    point: &Point,
    var: &str,
) -> Result<(WengertList, Vec<f64>, usize), AdError> {
    let program = WengertList::new(expr)?;
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
            let p = WengertList::new(parse(src).unwrap()).unwrap();
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
        let p = WengertList::new(parse("ln(x)").unwrap()).unwrap();
        assert!(p.central_difference(&[1e-7], 0).is_err());
        assert!(p.richardson(&[1e-4], 0).is_err());
        assert!(p.complex_step(&[1e-7], 0).is_ok());
    }
}
