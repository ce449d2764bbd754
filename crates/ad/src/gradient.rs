//! [`Gradient`]: a function value with its partial derivatives, by variable name.

use serde::Serialize;

/// A value and its partial derivatives with respect to every input of the program.
///
/// ```
/// use symdiff_ad::gradient;
/// use symdiff_expr::parse;
/// let g = gradient(parse("x1*x2 + x2 - ln(x1)").unwrap(), &"x1=3, x2=-4".parse().unwrap()).unwrap();
/// assert_eq!(g.vars, ["x1", "x2"]);
/// assert!((g.get("x1").unwrap() + 13.0 / 3.0).abs() < 1e-15);
/// assert_eq!(g.get("x2"), Some(4.0));
/// assert_eq!(g.get("z"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gradient {
    /// The function value.
    pub value: f64,
    /// The variables, in the order of `partials`.
    pub vars: Vec<String>,
    /// `∂f/∂vars[i]`.
    pub partials: Vec<f64>,
}

impl Gradient {
    /// The partial derivative with respect to `var`, if it is one of [`Gradient::vars`].
    ///
    /// ```
    /// let g = symdiff_ad::gradient(symdiff_expr::parse("3*x").unwrap(), &"x=1".parse().unwrap()).unwrap();
    /// assert_eq!((g.get("x"), g.get("y")), (Some(3.0), None));
    /// ```
    pub fn get(&self, var: &str) -> Option<f64> {
        self.vars
            .iter()
            .position(|v| v == var)
            .map(|i| self.partials[i])
    }
}
