//! Errors of evaluation, differentiation and checking.

use symdiff_expr::EvalError;

/// An error from compiling or evaluating an expression: names the variable, or the operation
/// with its arguments and the point.
///
/// ```
/// use symdiff_ad::{gradient, AdError};
/// use symdiff_expr::{parse, EvalError, Point};
/// let err = gradient(parse("ln(x)").unwrap(), &Point::new().with("x", -1.0)).unwrap_err();
/// assert!(matches!(err, AdError::Eval { error: EvalError::Domain { .. }, .. }));
/// assert_eq!(err.to_string(), "ln(-1) is not a finite real number (not real) at x=-1");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdError {
    /// Evaluation failed — a variable without a value, a `d` left in the expression, or an
    /// operation with a non-finite or non-real result (or a non-finite derivative: `why` is
    /// then "derivative not finite", ...) — as [`EvalError`], the one definition of those
    /// errors in `symdiff-expr`, with the point where it happened when there is one.
    #[error("{error}{}", at_point(point))]
    Eval {
        /// What failed.
        error: EvalError,
        /// The point, as `x=-1,y=2` (`None` when the failure does not depend on a point).
        point: Option<String>,
    },
    /// A difference quotient would straddle a kink or a change of branch (`abs`, `sign`,
    /// `relu`, `min`, `max`, `if`): the function is not smooth across the step, so the numeric
    /// estimate would not be its derivative.
    #[error("the difference step at {point} crosses a kink or branch change of `{op}`: numeric differences do not apply there")]
    Kink {
        /// The non-smooth operation, such as `abs(x - 1)`.
        op: String,
        /// The point, as `x=-1,y=2`.
        point: String,
    },
    /// The expression still contains the derivative operator `d`.
    #[error("cannot evaluate the unevaluated derivative `{0}`: differentiate it first")]
    Derivative(String),
    /// A slice argument has the wrong length.
    #[error("expected {expected} {what}, got {found}")]
    Length {
        /// What the slice holds ("inputs", "cotangents", ...).
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A variable that the expression (or the requested variable list) does not have.
    #[error("`{0}` is not one of the variables {1}")]
    UnknownVariable(String, String),
}

/// ` at x=-1,y=2`, or nothing.
fn at_point(point: &Option<String>) -> String {
    point
        .as_ref()
        .map(|p| format!(" at {p}"))
        .unwrap_or_default()
}

impl From<EvalError> for AdError {
    /// An evaluation error that does not depend on a point (an unbound variable, a `d`).
    fn from(error: EvalError) -> AdError {
        AdError::Eval { error, point: None }
    }
}

/// An error that stops a [`check`](crate::check()) before any comparison (a disagreement is not
/// an error: it is a failing [`CheckReport`](crate::CheckReport)).
///
/// ```
/// use symdiff_ad::{check_against, CheckError, CheckOptions};
/// use symdiff_expr::parse;
/// let f = parse("x^2").unwrap();
/// let err = check_against(f, &["x", "y"], &[parse("2*x").unwrap()], &CheckOptions::default());
/// assert!(matches!(err, Err(CheckError::Mismatch { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckError {
    /// The expression or a symbolic derivative cannot be compiled (e.g. it contains `d`).
    #[error(transparent)]
    Ad(#[from] AdError),
    /// The number of symbolic derivatives differs from the number of variables.
    #[error("{vars} variables but {symbolic} symbolic derivatives")]
    Mismatch {
        /// How many variables.
        vars: usize,
        /// How many symbolic derivatives.
        symbolic: usize,
    },
    /// There is nothing to differentiate with respect to.
    #[error("no variables to differentiate with respect to: the expression is constant; name one with --wrt")]
    NoVariables,
    /// A variable name that is not a name.
    #[error("`{0}` is not a variable name")]
    BadVariable(String),
    /// A variable listed twice.
    #[error("variable `{0}` is listed twice")]
    DuplicateVariable(String),
    /// An option out of range.
    #[error("invalid option: {0}")]
    InvalidOption(String),
    /// The expression does not parse.
    #[error("{0}")]
    Parse(#[from] symdiff_expr::ParseError),
    /// The symbolic differentiator failed (or was asked for something that is not a variable).
    #[error("symbolic differentiation failed: {0}")]
    Symbolic(#[from] symdiff_rewrite::DiffError),
}
