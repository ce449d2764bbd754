//! The cross-check: symbolic partial derivatives against forward AD, reverse AD, complex step,
//! central differences and Richardson extrapolation at random points of the domain.
//!
//! Two layers: [`check_against`] takes the symbolic partials as given expressions (it needs only
//! `symdiff-expr`), [`check()`] differentiates with `symdiff-rewrite` first.
//!
//! # Points
//!
//! A [`Sampler`] draws points in widening boxes and keeps those where the function and its
//! forward-mode gradient are finite (strict semantics). If none is found the verdict is
//! [`Verdict::NoValidPoints`], never a vacuous pass. If the symbolic derivative cannot be
//! evaluated at a valid point (say it introduced `ln(x)` where the function allows `x < 0`),
//! that is a disagreement, reported with the point and the error.
//!
//! # Tolerances (honest, and why)
//!
//! Two correct ways of computing a derivative differ only by their rounding errors, and those
//! depend on the point: a derivative that is the small difference of large terms carries a large
//! *relative* error however it is computed. So the AD tolerance is not a fixed number but a
//! running error bound ([`Bounded`], [`BoundedDual`]) computed at each point:
//!
//! - **forward AD, reverse AD, complex step**: pass when
//!   `|s - m| ≤ ad_factor · (B_s + B_ad)`, where `B_s` bounds the rounding error of the symbolic
//!   derivative's evaluation and `B_ad` that of forward mode's tangent arithmetic (reverse mode
//!   and complex step perform the same chain-rule products, in another order or another
//!   arithmetic). `ad_factor = 8` covers the first-order nature of the bounds and libm functions
//!   a little worse than 1 ulp. Complex step adds `numeric_factor` times its underflow allowance
//!   (see [`WengertList::complex_step_estimate`]), which matters only for derivatives below ~1e-250. On well-conditioned points this is a few ulps; the report
//!   shows the errors actually reached (typically `1e-16` to `1e-14` relative).
//! - **central differences, Richardson**: pass when
//!   `|s - m| ≤ numeric_relative · max(|s|, |m|) + numeric_factor · E + ad_factor · B_s`,
//!   with `numeric_relative = 1e-6` and `E` the method's own error estimate (round-off bound
//!   plus truncation estimated from a second step, see [`crate::numeric`]); `numeric_factor = 4`.
//!   Typical errors reached: `1e-10` (central) and `1e-12` (Richardson) relative. A point where
//!   the difference step leaves the domain, or where the method's own error estimate exceeds 1%
//!   of its value (a step far outside the linear regime, as for `tan(sinh(1/y))` near 0), is
//!   *skipped* for that method (and counted); where central differences and Richardson
//!   contradict each other beyond their error estimates (a fast oscillation aliased by
//!   Richardson's larger steps), both are skipped.
//!
//! Overflow while evaluating the symbolic derivative (as `cosh(800)^2` in the derivative of
//! `tanh(x^-2)` at small `x`, whose true value is tiny), or a failure after an intermediate
//! underflowed to 0, is counted and reported but is not a disagreement: it is a property of the
//! formula in f64, not of its mathematics. Likewise the sampler rejects points where evaluating
//! the function underflows to 0 (see [`WengertList::underflows`]): `sqrt(-sinh(x)^-2)` has an empty
//! domain, though `sinh(x)^-2` rounds to 0 at `x = -456`.
//!
//! Where the chain rule is *singular* — an inner function constant, or locally constant, at a
//! point where the outer function has no finite derivative (`asin(if(c, x, -1))` where `c` is
//! false, `sqrt(atan2(if(c, y, 0), x))`) — the derivative exists (0 along the constant) but every
//! chain-rule formula for it holds `0 · ∞`: forward AD's structural zeros give the value, JAX
//! gives NaN, and a symbolic derivative is undefined. A symbolic failure at such a point is
//! counted and reported (`symbolic_singular`), not a disagreement; a symbolic failure anywhere
//! else is one.
//!
//! Relative errors in the report are `|s - m| / max(|s|, |m|)` (0 when both are 0); they are
//! reported, but pass/fail is decided by the tolerances above.

use crate::bound::{Bounded, BoundedDual};
use crate::dual_vec::DualVec;
use crate::error::{AdError, CheckError};
use crate::eval::WengertList;
use crate::numeric::Estimate;
use crate::reverse::Tape;
use crate::sample::Sampler;
use crate::scalar::singular_chain_rule;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use symdiff_expr::{EvalError, Expr, Semantics};

/// A numeric estimate whose own error estimate exceeds this fraction of its value is skipped.
const UNRELIABLE: f64 = 1e-2;

/// Tolerance parameters of [`check`](crate::check()) (see the module documentation).
///
/// ```
/// use symdiff_ad::{CheckOptions, Tolerances};
/// let strict = CheckOptions { tolerances: Tolerances { numeric_relative: 1e-9, ..Tolerances::default() }, ..CheckOptions::default() };
/// assert_eq!(strict.tolerances.ad_factor, 8.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tolerances {
    /// Safety factor on the running error bounds for AD and complex step.
    pub ad_factor: f64,
    /// Relative tolerance granted to numeric differences.
    pub numeric_relative: f64,
    /// Safety factor on the numeric methods' own error estimates.
    pub numeric_factor: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            ad_factor: 8.0,
            numeric_relative: 1e-6,
            numeric_factor: 4.0,
        }
    }
}

/// Options of [`check`](crate::check()) and [`check_against`].
///
/// ```
/// let o = symdiff_ad::CheckOptions::default();
/// assert_eq!((o.points, o.seed), (20, 0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckOptions {
    /// How many valid points to compare at.
    pub points: usize,
    /// The sampler's seed.
    pub seed: u64,
    /// The tolerances.
    pub tolerances: Tolerances,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            points: 20,
            seed: 0,
            tolerances: Tolerances::default(),
        }
    }
}

/// A differentiation method the symbolic derivative is compared with.
///
/// ```
/// use symdiff_ad::Method;
/// assert_eq!(Method::ALL.len(), 5);
/// assert_eq!(serde_json::to_string(&Method::ComplexStep).unwrap(), "\"complex-step\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Forward mode, vector duals.
    ForwardAd,
    /// Reverse mode, tape.
    ReverseAd,
    /// Complex step.
    ComplexStep,
    /// Central differences.
    Central,
    /// Richardson extrapolation of central differences.
    Richardson,
}

impl Method {
    /// Every method, in report order.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Method::ALL[0], symdiff_ad::Method::ForwardAd);
    /// ```
    pub const ALL: [Method; 5] = [
        Method::ForwardAd,
        Method::ReverseAd,
        Method::ComplexStep,
        Method::Central,
        Method::Richardson,
    ];

    /// A short human name.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Method::ReverseAd.name(), "reverse AD");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Method::ForwardAd => "forward AD",
            Method::ReverseAd => "reverse AD",
            Method::ComplexStep => "complex step",
            Method::Central => "central diff",
            Method::Richardson => "Richardson",
        }
    }
}

/// One comparison of a symbolic partial with a method's value.
///
/// ```
/// use symdiff_ad::{check_against, CheckOptions, Method};
/// use symdiff_expr::parse;
/// let f = parse("x^3").unwrap();
/// let report = check_against(f, &["x"], &[parse("3*x^2").unwrap()], &CheckOptions::default()).unwrap();
/// let forward = report.method(Method::ForwardAd).unwrap();
/// assert!(forward.passed && forward.compared == 20 && forward.max_ratio <= 1.0);
/// let worst = forward.worst.as_ref().unwrap();
/// assert!(worst.abs_error <= worst.tolerance);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The point.
    pub point: BTreeMap<String, f64>,
    /// The variable of the partial derivative.
    pub var: String,
    /// The symbolic derivative's value.
    pub symbolic: f64,
    /// The method's value.
    pub method: f64,
    /// `|symbolic - method|`.
    pub abs_error: f64,
    /// `|symbolic - method| / max(|symbolic|, |method|)`.
    pub rel_error: f64,
    /// The tolerance at this point.
    pub tolerance: f64,
}

/// How one method compared.
///
/// ```
/// use symdiff_ad::{check_against, CheckOptions, Method};
/// use symdiff_expr::parse;
/// let f = parse("x^3").unwrap();
/// let report = check_against(f, &["x"], &[parse("3*x^2").unwrap()], &CheckOptions::default()).unwrap();
/// let forward = report.method(Method::ForwardAd).unwrap();
/// assert!(forward.passed && forward.compared == 20 && forward.max_ratio <= 1.0);
/// let worst = forward.worst.as_ref().unwrap();
/// assert!(worst.abs_error <= worst.tolerance);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodReport {
    /// The method.
    pub method: Method,
    /// Comparisons made (points × variables).
    pub compared: usize,
    /// Comparisons skipped because the method could not run (a difference step leaving the
    /// domain, a numeric difference whose own error estimate exceeds 1% of its value, reverse
    /// mode meeting an infinite local derivative) or because the error bound at the point is
    /// infinite (too ill-conditioned to judge).
    pub skipped: usize,
    /// The largest absolute error.
    pub max_abs_error: f64,
    /// The largest relative error.
    pub max_rel_error: f64,
    /// The largest error/tolerance ratio (≤ 1 passes).
    pub max_ratio: f64,
    /// The comparison with the largest ratio.
    pub worst: Option<Comparison>,
    /// True when every comparison is within tolerance.
    pub passed: bool,
}

impl MethodReport {
    fn new(method: Method) -> Self {
        MethodReport {
            method,
            compared: 0,
            skipped: 0,
            max_abs_error: 0.0,
            max_rel_error: 0.0,
            max_ratio: 0.0,
            worst: None,
            passed: true,
        }
    }

    fn record(&mut self, c: Comparison) {
        self.compared += 1;
        self.max_abs_error = self.max_abs_error.max(c.abs_error);
        self.max_rel_error = self.max_rel_error.max(c.rel_error);
        let ratio = if c.abs_error == 0.0 {
            0.0
        } else if c.tolerance > 0.0 {
            c.abs_error / c.tolerance
        } else {
            f64::INFINITY
        };
        let ratio = if ratio.is_nan() { f64::INFINITY } else { ratio };
        if ratio > 1.0 {
            self.passed = false;
        }
        if self.worst.is_none() || ratio > self.max_ratio {
            self.max_ratio = ratio;
            self.worst = Some(c);
        }
    }
}

/// A point where the function and AD are defined but the symbolic derivative is not.
///
/// ```
/// use symdiff_ad::{check_against, CheckOptions};
/// use symdiff_expr::parse;
/// // ln(x^2) is defined for x < 0; a "derivative" using ln(x) is not
/// let f = parse("ln(x^2)").unwrap();
/// let report = check_against(f, &["x"], &[parse("2/x + 0*ln(x)").unwrap()], &CheckOptions::default()).unwrap();
/// assert!(report.first_symbolic_failure.unwrap().error.starts_with("ln(-"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SymbolicFailure {
    /// The point.
    pub point: BTreeMap<String, f64>,
    /// The error evaluating the symbolic derivatives there.
    pub error: String,
}

/// The outcome of a check.
///
/// ```
/// use symdiff_ad::{check_str, CheckOptions, Verdict};
/// let report = check_str("sqrt(-1 - x^2)", None, &CheckOptions::default()).unwrap();
/// assert_eq!(report.verdict, Verdict::NoValidPoints);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every method agrees with the symbolic derivative at every point.
    Agree,
    /// Some method disagrees, or the symbolic derivative is undefined at a valid point.
    Disagree,
    /// No point of the domain was found: nothing was checked.
    NoValidPoints,
}

/// The report of [`check`](crate::check()) / [`check_against`]; `Display` prints a table,
/// [`CheckReport::to_json`] a JSON object.
///
/// ```
/// use symdiff_ad::{check_str, CheckOptions};
/// let report = check_str("x*exp(y)", None, &CheckOptions { points: 5, ..Default::default() }).unwrap();
/// assert!(report.passed());
/// assert_eq!((report.points, report.vars.len()), (5, 2));
/// println!("{report}");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// The function.
    pub expr: String,
    /// The variables differentiated with respect to.
    pub vars: Vec<String>,
    /// The symbolic partial derivatives, one per variable.
    pub symbolic: Vec<String>,
    /// Points asked for.
    pub requested_points: usize,
    /// Valid points found and compared at.
    pub points: usize,
    /// Candidate points drawn.
    pub attempts: usize,
    /// The sampler's seed.
    pub seed: u64,
    /// Per method.
    pub methods: Vec<MethodReport>,
    /// Valid points where the symbolic derivative could not be evaluated because an operation
    /// left its real domain (`ln` of a negative number, division by zero, ...): disagreements.
    pub symbolic_failures: usize,
    /// The first of them.
    pub first_symbolic_failure: Option<SymbolicFailure>,
    /// Valid points where evaluating the symbolic derivative left f64's range: it overflowed
    /// (say `cosh(800)^2` in a derivative whose value is tiny), or failed after an intermediate
    /// underflowed to 0. A weakness of the symbolic form in floating point, reported but not a
    /// disagreement; those points are not compared.
    pub symbolic_range_errors: usize,
    /// Valid points where the symbolic derivative is undefined because the chain rule is
    /// singular there: an inner function is (locally) constant where the outer one has no
    /// finite derivative (`asin(if(c, x, -1))` where `c` is false), so every chain-rule formula
    /// holds `0 · ∞`. Forward AD's structural zero gives the derivative (0 along the constant);
    /// JAX gives NaN. Reported but not a disagreement; those points are not compared.
    pub symbolic_singular: usize,
    /// The tolerances used.
    pub tolerances: Tolerances,
    /// The outcome.
    pub verdict: Verdict,
}

impl CheckReport {
    /// True when the verdict is [`Verdict::Agree`].
    ///
    /// ```
    /// let r = symdiff_ad::check_str("x^2", None, &Default::default()).unwrap();
    /// assert!(r.passed());
    /// ```
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Agree
    }

    /// The report of one method.
    ///
    /// ```
    /// use symdiff_ad::Method;
    /// let r = symdiff_ad::check_str("x^2", None, &Default::default()).unwrap();
    /// assert_eq!(r.method(Method::Richardson).unwrap().compared, 20);
    /// ```
    pub fn method(&self, method: Method) -> Option<&MethodReport> {
        self.methods.iter().find(|m| m.method == method)
    }

    /// The report as pretty-printed JSON (non-finite numbers become `null`).
    ///
    /// ```
    /// let r = symdiff_ad::check_str("x^2", None, &Default::default()).unwrap();
    /// let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    /// assert_eq!(json["verdict"], "agree");
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

fn point_text(point: &BTreeMap<String, f64>) -> String {
    let parts: Vec<String> = point
        .iter()
        .map(|(k, v)| format!("{k}={}", num(*v)))
        .collect();
    parts.join(",")
}

/// Shortest round-trip text, in scientific notation outside `[1e-4, 1e15)`.
fn num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// An error/tolerance ratio: 3 decimals, scientific when large.
fn ratio(r: f64) -> String {
    if r < 1e4 {
        format!("{r:.3}")
    } else {
        format!("{r:.3e}")
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "check of {}", self.expr)?;
        for (v, s) in self.vars.iter().zip(&self.symbolic) {
            writeln!(f, "  d/d{v} = {s}")?;
        }
        writeln!(
            f,
            "points: {} of {} requested ({} candidates drawn, seed {})",
            self.points, self.requested_points, self.attempts, self.seed
        )?;
        if self.verdict == Verdict::NoValidPoints {
            return write!(
                f,
                "verdict: NO VALID POINTS: no point where the function and its derivative are finite real numbers was found; nothing was checked"
            );
        }
        writeln!(
            f,
            "{:<13} {:>8} {:>8} {:>12} {:>12} {:>10}  result",
            "method", "compared", "skipped", "max abs err", "max rel err", "err/tol"
        )?;
        for m in &self.methods {
            writeln!(
                f,
                "{:<13} {:>8} {:>8} {:>12.3e} {:>12.3e} {:>10}  {}",
                m.method.name(),
                m.compared,
                m.skipped,
                m.max_abs_error,
                m.max_rel_error,
                ratio(m.max_ratio),
                if m.passed { "ok" } else { "FAIL" }
            )?;
        }
        for m in self.methods.iter().filter(|m| !m.passed) {
            if let Some(w) = &m.worst {
                writeln!(
                    f,
                    "  {} worst at {}: d/d{} symbolic {} vs {}, error {:.3e} > tolerance {:.3e}",
                    m.method.name(),
                    point_text(&w.point),
                    w.var,
                    num(w.symbolic),
                    num(w.method),
                    w.abs_error,
                    w.tolerance
                )?;
            }
        }
        if self.symbolic_range_errors > 0 {
            writeln!(
                f,
                "  note: evaluating the symbolic derivative overflowed or underflowed at {} point(s); not compared there",
                self.symbolic_range_errors
            )?;
        }
        if self.symbolic_singular > 0 {
            writeln!(
                f,
                "  note: the symbolic derivative is undefined at {} point(s) where the chain rule is singular (0 times an infinite local derivative); not compared there",
                self.symbolic_singular
            )?;
        }
        if let Some(failure) = &self.first_symbolic_failure {
            writeln!(
                f,
                "  the symbolic derivative is undefined at {} valid point(s), e.g. {}: {}",
                self.symbolic_failures,
                point_text(&failure.point),
                failure.error
            )?;
        }
        write!(
            f,
            "verdict: {}",
            match self.verdict {
                Verdict::Agree => "all methods agree with the symbolic derivative",
                Verdict::Disagree => "DISAGREEMENT",
                Verdict::NoValidPoints => unreachable!(),
            }
        )
    }
}

/// Central difference and Richardson estimates worth comparing with: each is dropped when its
/// own error estimate exceeds 1% of its value, and both when they contradict each other beyond
/// their error estimates (a step far outside the linear regime, aliasing a fast oscillation, can
/// make one of them consistently wrong).
fn numeric_estimates(
    f: &WengertList,
    p: &[f64],
    w: usize,
    tol: &Tolerances,
) -> (Option<Estimate>, Option<Estimate>) {
    let reliable = |e: &Estimate| e.error <= UNRELIABLE * e.value.abs();
    let central = f.central_difference(p, w).ok().filter(reliable);
    let richardson = f.richardson(p, w).ok().filter(reliable);
    if let (Some(c), Some(r)) = (central, richardson) {
        let scale = c.value.abs().max(r.value.abs());
        let gap = (c.value - r.value).abs();
        if gap > tol.numeric_relative * scale + tol.numeric_factor * (c.error + r.error) {
            return (None, None);
        }
    }
    (central, richardson)
}

/// The most points [`check_against`] compares at (more is refused up front: the point list
/// and the per-point work are sized by it).
///
/// ```
/// use symdiff_ad::{check_str, CheckOptions, MAX_CHECK_POINTS};
/// let options = CheckOptions { points: MAX_CHECK_POINTS + 1, ..Default::default() };
/// assert!(check_str("x^2", None, &options).unwrap_err().to_string().contains("too many points"));
/// ```
pub const MAX_CHECK_POINTS: usize = 100_000;

/// Validates the variable list.
pub(crate) fn validate_vars(vars: &[&str]) -> Result<(), CheckError> {
    if vars.is_empty() {
        return Err(CheckError::NoVariables);
    }
    let mut seen = std::collections::HashSet::with_capacity(vars.len());
    for v in vars {
        if symdiff_expr::check_variable_name(v).is_err() {
            return Err(CheckError::BadVariable(v.to_string()));
        }
        if !seen.insert(*v) {
            return Err(CheckError::DuplicateVariable(v.to_string()));
        }
    }
    Ok(())
}

/// Checks given symbolic partial derivatives `symbolic[i] = ∂expr/∂vars[i]` against forward AD,
/// reverse AD, complex step, central differences and Richardson extrapolation at
/// `options.points` random points of the domain (see the module documentation for the points
/// and the tolerances).
///
/// ```
/// use symdiff_ad::{check_against, CheckOptions, Verdict};
/// use symdiff_expr::parse;
/// let f = parse("x*sin(y) + ln(x)").unwrap();
/// let right = [parse("sin(y) + 1/x").unwrap(), parse("x*cos(y)").unwrap()];
/// let report = check_against(f, &["x", "y"], &right, &CheckOptions::default()).unwrap();
/// assert!(report.passed(), "{report}");
/// assert_eq!(report.points, 20);
///
/// let wrong = [parse("sin(y) + 1/x").unwrap(), parse("-x*cos(y)").unwrap()];
/// let report = check_against(f, &["x", "y"], &wrong, &CheckOptions::default()).unwrap();
/// assert_eq!(report.verdict, Verdict::Disagree);
///
/// let empty = parse("ln(-x^2 - 1)").unwrap();
/// let report = check_against(empty, &["x"], &[parse("-2*x/(-x^2 - 1)").unwrap()], &CheckOptions::default()).unwrap();
/// assert_eq!(report.verdict, Verdict::NoValidPoints);
/// assert!(!report.passed());
/// ```
pub fn check_against(
    expr: Expr,
    vars: &[&str],
    symbolic: &[Expr],
    options: &CheckOptions,
) -> Result<CheckReport, CheckError> {
    validate_vars(vars)?;
    if symbolic.len() != vars.len() {
        return Err(CheckError::Mismatch {
            vars: vars.len(),
            symbolic: symbolic.len(),
        });
    }
    if options.points == 0 {
        return Err(CheckError::InvalidOption(
            "points must be at least 1".into(),
        ));
    }
    if options.points > MAX_CHECK_POINTS {
        return Err(CheckError::InvalidOption(format!(
            "too many points: {} (max {MAX_CHECK_POINTS})",
            options.points
        )));
    }
    let tol = options.tolerances;

    // One input list for everything: the variables of f and of the partials, and `vars`.
    let mut roots = vec![expr];
    roots.extend_from_slice(symbolic);
    let mut all: Vec<String> = WengertList::many(&roots)?.vars().to_vec();
    all.extend(vars.iter().map(|v| v.to_string()));
    all.sort();
    all.dedup();
    let names: Vec<&str> = all.iter().map(String::as_str).collect();
    let f = WengertList::with_vars(&[expr], &names)?;
    let s = WengertList::with_vars(symbolic, &names)?;
    let tape = Tape::from_program(f.clone());
    // Every var is in `names` (added above), so the error is never returned; it stands where
    // `unwrap_or(0)` would silently differentiate by the first input instead.
    let position: HashMap<&str, usize> = names.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let wrt: Vec<usize> = vars
        .iter()
        .map(|&v| {
            position
                .get(v)
                .copied()
                .ok_or_else(|| CheckError::BadVariable(v.to_string()))
        })
        .collect::<Result<_, _>>()?;
    let k = wrt.len();

    let forward = |p: &[f64]| -> Option<DualVec> {
        let seeded: Vec<DualVec> = p
            .iter()
            .enumerate()
            .map(|(i, &x)| match wrt.iter().position(|&w| w == i) {
                Some(j) => DualVec::variable(x, j, k),
                None => DualVec::constant(x),
            })
            .collect();
        f.eval(&seeded).ok()
    };
    let sample = Sampler::new(options.seed).sample(all.len(), options.points, |p| {
        f.node_values::<f64>(p, Semantics::Strict)
            .is_ok_and(|values| !f.underflows(&values))
            && forward(p).is_some()
    });

    let mut methods: Vec<MethodReport> =
        Method::ALL.iter().map(|&m| MethodReport::new(m)).collect();
    let mut symbolic_failures = 0;
    let mut symbolic_range_errors = 0;
    let mut symbolic_singular = 0;
    let mut first_symbolic_failure = None;
    for p in &sample.points {
        let point: BTreeMap<String, f64> = all.iter().cloned().zip(p.iter().copied()).collect();
        let (fwd, singular) = singular_chain_rule(|| forward(p));
        let Some(fwd) = fwd else { continue };
        let sym: Vec<f64> = match s.outputs::<f64>(p, Semantics::Strict) {
            Ok(v) => v,
            Err(AdError::Eval {
                error: EvalError::Domain {
                    why: "overflow", ..
                },
                ..
            }) => {
                symbolic_range_errors += 1;
                continue;
            }
            Err(_)
                if s.node_values::<f64>(p, Semantics::Ieee)
                    .is_ok_and(|values| s.underflows(&values)) =>
            {
                symbolic_range_errors += 1;
                continue;
            }
            Err(_) if singular => {
                symbolic_singular += 1;
                continue;
            }
            Err(e) => {
                symbolic_failures += 1;
                first_symbolic_failure.get_or_insert(SymbolicFailure {
                    point: point.clone(),
                    error: e.to_string(),
                });
                continue;
            }
        };
        let exact: Vec<Bounded> = p.iter().map(|&x| Bounded::exact(x)).collect();
        let sym_bound: Vec<f64> = s
            .outputs(&exact, Semantics::Ieee)
            .map(|v| v.iter().map(|b| b.error).collect())
            .unwrap_or_else(|_| vec![f64::INFINITY; k]);
        let reverse = tape.gradient_at(p).ok();
        for (j, &w) in wrt.iter().enumerate() {
            let seeded: Vec<BoundedDual> = p
                .iter()
                .enumerate()
                .map(|(i, &x)| BoundedDual::variable(x, if i == w { 1.0 } else { 0.0 }))
                .collect();
            let ad_bound = f
                .eval_with(&seeded, Semantics::Ieee)
                .map(|b| b.tangent_error)
                .unwrap_or(f64::INFINITY);
            let (sv, sb) = (sym[j], sym_bound[j]);
            let numeric = numeric_estimates(&f, p, w, &tol);
            let ad_tol = tol.ad_factor * (sb + ad_bound);
            let compare = |value: f64, tolerance: f64| {
                let abs_error = (sv - value).abs();
                let scale = sv.abs().max(value.abs());
                Comparison {
                    point: point.clone(),
                    var: vars[j].to_string(),
                    symbolic: sv,
                    method: value,
                    abs_error,
                    rel_error: if abs_error == 0.0 {
                        0.0
                    } else {
                        abs_error / scale
                    },
                    tolerance,
                }
            };
            for report in methods.iter_mut() {
                let value = match report.method {
                    Method::ForwardAd => Some((fwd.tangent(j), ad_tol)),
                    Method::ReverseAd => reverse.as_ref().map(|(_, g)| (g[w], ad_tol)),
                    Method::ComplexStep => f
                        .complex_step_estimate(p, w)
                        .ok()
                        .map(|e| (e.value, ad_tol + tol.numeric_factor * e.error)),
                    Method::Central | Method::Richardson => {
                        let e = if report.method == Method::Central {
                            numeric.0
                        } else {
                            numeric.1
                        };
                        e.map(|e| {
                            let scale = sv.abs().max(e.value.abs());
                            let t = tol.numeric_relative * scale
                                + tol.numeric_factor * e.error
                                + tol.ad_factor * sb;
                            (e.value, t)
                        })
                    }
                };
                // An infinite tolerance means the point is too ill-conditioned to judge.
                match value {
                    Some((v, t)) if t.is_finite() => report.record(compare(v, t)),
                    _ => report.skipped += 1,
                }
            }
        }
    }

    let verdict = if sample.points.is_empty() {
        Verdict::NoValidPoints
    } else if symbolic_failures > 0 || methods.iter().any(|m| !m.passed) {
        Verdict::Disagree
    } else {
        Verdict::Agree
    };
    Ok(CheckReport {
        expr: expr.to_string(),
        vars: vars.iter().map(|v| v.to_string()).collect(),
        symbolic: symbolic.iter().map(|e| e.to_string()).collect(),
        requested_points: options.points,
        points: sample.points.len(),
        attempts: sample.attempts,
        seed: options.seed,
        methods,
        symbolic_failures,
        first_symbolic_failure,
        symbolic_range_errors,
        symbolic_singular,
        tolerances: tol,
        verdict,
    })
}
