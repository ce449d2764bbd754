//! [`check()`]: the cross-check with the symbolic derivative computed by `symdiff-rewrite`.

use crate::check::{check_against, validate_vars, CheckOptions, CheckReport};
use crate::error::CheckError;
use crate::eval::WengertList;
use symdiff_expr::{parse, Expr};

/// Differentiates `expr` symbolically with respect to each of `vars` (one
/// [`symdiff_rewrite::gradient`] call, simplified) and checks the partials against forward AD,
/// reverse AD, complex step, central differences and Richardson extrapolation at random domain
/// points (see [`check_against`] and the [tolerances](crate::Tolerances)). An empty `vars`
/// means every variable of `expr`.
///
/// ```
/// use symdiff_ad::{check, CheckOptions};
/// use symdiff_expr::parse;
/// let f = parse("x1*x2 + x2 - ln(x1)").unwrap();
/// let report = check(f, &[], &CheckOptions::default()).unwrap();
/// assert!(report.passed(), "{report}");
/// assert_eq!(report.vars, ["x1", "x2"]);
/// ```
pub fn check(expr: Expr, vars: &[&str], options: &CheckOptions) -> Result<CheckReport, CheckError> {
    let own: Vec<String>;
    let vars: Vec<&str> = if vars.is_empty() {
        own = WengertList::new(expr)?.vars().to_vec();
        own.iter().map(String::as_str).collect()
    } else {
        vars.to_vec()
    };
    validate_vars(&vars)?;
    let symbolic = symdiff_rewrite::gradient(&expr, &vars)?;
    check_against(expr, &vars, &symbolic.entries, options)
}

/// [`check()`] from text: parses `source`, and `wrt` as a comma-separated variable list
/// (`None` or empty: every variable). This is the entry point of `symdiff check`.
///
/// ```
/// use symdiff_ad::{check_str, CheckError, CheckOptions, Verdict};
/// let report = check_str("sqrt(x)*y", Some("x,y"), &CheckOptions::default()).unwrap();
/// assert_eq!(report.verdict, Verdict::Agree);
/// assert!(matches!(check_str("2x", None, &CheckOptions::default()), Err(CheckError::Parse(_))));
/// assert!(matches!(check_str("3", None, &CheckOptions::default()), Err(CheckError::NoVariables)));
/// ```
pub fn check_str(
    source: &str,
    wrt: Option<&str>,
    options: &CheckOptions,
) -> Result<CheckReport, CheckError> {
    let expr = parse(source)?;
    let vars: Vec<&str> = wrt
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    check(expr, &vars, options)
}
