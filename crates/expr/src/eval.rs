//! Evaluation in f64 at a point, over the DAG (each shared node once).

use crate::constant::{Constant, MAX_FOLDED_BITS};
use crate::error::{EvalError, PointError};
use crate::expr::{reachable, with_nodes, Expr};
use crate::language::{BinOp, Math, Shape};
use crate::name::check_variable_name;
use crate::semantics::{truth, Undefined};
use egg::Language;
use std::collections::{BTreeMap, HashMap};

/// Values of variables: `x=0.3, y=0.7`.
///
/// ```
/// use symdiff_expr::Point;
/// let p: Point = "x=0.3, y=0.7".parse().unwrap();
/// assert_eq!(p.get("y"), Some(0.7));
/// assert_eq!(Point::new().with("x", 0.3), "x=0.3".parse().unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Point(BTreeMap<String, f64>);

impl Point {
    /// The empty point.
    pub fn new() -> Self {
        Point::default()
    }

    /// This point with `name` set to `value`.
    pub fn with(mut self, name: &str, value: f64) -> Self {
        self.0.insert(name.to_string(), value);
        self
    }

    /// Sets `name` to `value`.
    pub fn set(&mut self, name: &str, value: f64) {
        self.0.insert(name.to_string(), value);
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.get(name).copied()
    }

    /// The variables and their values, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

impl<'a> FromIterator<(&'a str, f64)> for Point {
    fn from_iter<T: IntoIterator<Item = (&'a str, f64)>>(iter: T) -> Self {
        Point(iter.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

impl std::fmt::Display for Point {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
        f.write_str(&parts.join(","))
    }
}

impl std::str::FromStr for Point {
    type Err = PointError;

    /// Reads `name=value` pairs separated by commas (spaces allowed). A name must be a variable
    /// name, given once; a value must be a finite number.
    ///
    /// ```
    /// use symdiff_expr::{Point, PointError};
    /// assert!(matches!("x=inf".parse::<Point>(), Err(PointError::NotFinite { .. })));
    /// assert!(matches!("x=1e999".parse::<Point>(), Err(PointError::NotFinite { .. })));
    /// assert_eq!("x=1,x=2".parse::<Point>(), Err(PointError::Duplicate("x".into())));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut point = Point::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| PointError::Malformed(part.to_string()))?;
            let (name, value) = (name.trim(), value.trim());
            if check_variable_name(name).is_err() {
                return Err(PointError::BadName(name.to_string()));
            }
            let v: f64 = value.parse().map_err(|_| PointError::BadValue {
                name: name.to_string(),
                value: value.to_string(),
            })?;
            if !v.is_finite() {
                return Err(PointError::NotFinite {
                    name: name.to_string(),
                    value: value.to_string(),
                });
            }
            if point.get(name).is_some() {
                return Err(PointError::Duplicate(name.to_string()));
            }
            point.set(name, v);
        }
        Ok(point)
    }
}

/// How evaluation treats non-finite results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Semantics {
    /// A non-finite or non-real intermediate result is an [`EvalError::Domain`] naming the
    /// operation.
    #[default]
    Strict,
    /// IEEE 754: NaN and infinities propagate silently.
    Ieee,
}

/// Formats an f64 as the shortest decimal that round-trips (Rust's `Display` for f64).
fn num(v: f64) -> String {
    format!("{v}")
}

/// A node's value during strict evaluation: a number, or the index of the domain error that
/// made it undefined. Errors travel with values, so an error in the branch an `if` does not
/// take is never reported.
type Value = Result<f64, usize>;

impl Expr {
    /// The value at `point`; a non-finite or non-real result is an error naming the operation.
    ///
    /// ```
    /// use symdiff_expr::{parse, Point};
    /// let f = parse("x1*x2 + x2 - ln(x1)").unwrap();
    /// let y = f.eval(&"x1=3, x2=-4".parse().unwrap()).unwrap();
    /// assert!((y - (-17.0986122886681)).abs() < 1e-12);
    /// assert!(parse("1/x").unwrap().eval(&Point::new().with("x", 0.0)).is_err());
    /// // the branch not taken does not count
    /// let g = parse("if(x > 0, ln(x), 0)").unwrap();
    /// assert_eq!(g.eval(&Point::new().with("x", -1.0)).unwrap(), 0.0);
    /// ```
    pub fn eval(self, point: &Point) -> Result<f64, EvalError> {
        self.eval_with(point, Semantics::Strict)
    }

    /// The value at `point` under the given [`Semantics`].
    ///
    /// ```
    /// use symdiff_expr::{parse, Point, Semantics};
    /// let v = parse("ln(x)").unwrap().eval_with(&Point::new().with("x", -1.0), Semantics::Ieee).unwrap();
    /// assert!(v.is_nan());
    /// ```
    pub fn eval_with(self, point: &Point, semantics: Semantics) -> Result<f64, EvalError> {
        let order = reachable(&[self]);
        let strict = semantics == Semantics::Strict;
        with_nodes(|nodes| {
            let mut values: HashMap<egg::Id, Value> = HashMap::with_capacity(order.len());
            let mut errors: Vec<EvalError> = Vec::new();
            let mut exact: HashMap<egg::Id, Constant> = HashMap::new();
            for &id in &order {
                let node = &nodes[usize::from(id)];
                if let Some(c) = exact_value(node, &exact) {
                    // Rounded once, at the end: `(-2)^((1/7)^(-2))` is `(-2)^49`, not a
                    // non-real power of 49.00000000000001.
                    let value = c.to_f64();
                    let value = if strict && !value.is_finite() {
                        errors.push(EvalError::Domain {
                            op: c.to_string(),
                            why: Undefined::Overflow.reason(),
                        });
                        Err(errors.len() - 1)
                    } else {
                        Ok(value)
                    };
                    values.insert(id, value);
                    exact.insert(id, c);
                    continue;
                }
                let v = |c: egg::Id| values[&c];
                let args = |cs: &[egg::Id]| -> Result<Vec<f64>, usize> {
                    cs.iter().map(|&c| values[&c]).collect()
                };
                let value: Value = match node.shape() {
                    Shape::Derivative(..) => {
                        return Err(EvalError::Derivative(Expr::from_id(id).to_string()));
                    }
                    Shape::Var(s) => {
                        let x = point
                            .get(s.as_str())
                            .ok_or_else(|| EvalError::UnboundVariable(s.to_string()))?;
                        if strict && !x.is_finite() {
                            errors.push(EvalError::Domain {
                                op: format!("{s}={}", num(x)),
                                why: Undefined::NotFinite.reason(),
                            });
                            Err(errors.len() - 1)
                        } else {
                            Ok(x)
                        }
                    }
                    Shape::If(c, a, b) => v(c).and_then(|c| if truth(c) { v(a) } else { v(b) }),
                    shape => match args(node.children()) {
                        Err(e) => Err(e),
                        Ok(xs) => match strict_value(&shape, &xs, strict) {
                            Ok(x) => Ok(x),
                            Err(why) => {
                                errors.push(EvalError::Domain {
                                    op: operation_text(node, &shape, &xs),
                                    why: why.reason(),
                                });
                                Err(errors.len() - 1)
                            }
                        },
                    },
                };
                values.insert(id, value);
            }
            values[&self.id()].map_err(|e| errors.swap_remove(e))
        })
    }
}

/// The exact value of a node whose operands are exact rationals (`exact`), computed with
/// rational arithmetic and [`Constant::checked_pow`]; `None` when it is not rational (`2^(1/2)`,
/// a function), undefined (`1/0`), or larger than [`MAX_FOLDED_BITS`] bits (then f64 takes
/// over, so the cost of exactness stays bounded).
///
/// Every evaluator that folds constants (this one, codegen's lowering) uses this, so they round
/// the same exact value once.
///
/// ```
/// use std::collections::HashMap;
/// use symdiff_expr::{exact_value, Constant, Math};
/// let (a, b) = (egg::Id::from(0usize), egg::Id::from(1usize));
/// let exact = HashMap::from([(a, Constant::from(5)), (b, Constant::from(2))]);
/// assert_eq!(exact_value(&Math::Div([b, a]), &exact).map(|c| c.to_string()), Some("2/5".into()));
/// ```
pub fn exact_value(node: &Math, exact: &HashMap<egg::Id, Constant>) -> Option<Constant> {
    let value = match node.shape() {
        Shape::Num(c) => return Some(c.clone()),
        Shape::Neg(a) => -exact.get(&a)?.value(),
        Shape::Binary(op, a, b) => {
            let (a, b) = (exact.get(&a)?, exact.get(&b)?);
            match op {
                BinOp::Add => a.value() + b.value(),
                BinOp::Sub => a.value() - b.value(),
                BinOp::Mul => a.value() * b.value(),
                BinOp::Div if b.is_zero() => return None,
                BinOp::Div => a.value() / b.value(),
                BinOp::Pow => return a.checked_pow(b),
            }
        }
        _ => return None,
    };
    let bits = value.numer().bits().max(value.denom().bits());
    (bits <= MAX_FOLDED_BITS).then(|| Constant::new(value))
}

/// The value of an operation at its operands' values, from the one definition in
/// `semantics.rs`; strict semantics reports why a result is undefined.
fn strict_value(shape: &Shape<'_>, xs: &[f64], strict: bool) -> Result<f64, Undefined> {
    let value = shape.apply(xs).expect("an operation or a constant");
    if strict && !matches!(shape, Shape::Named(_)) {
        crate::strict(xs, shape.domain(xs), value)
    } else {
        Ok(value)
    }
}

/// The operation with its arguments, as error messages show it: `ln(-1)`, `1/0`,
/// `atan2(0, 0)`.
fn operation_text(node: &Math, shape: &Shape<'_>, xs: &[f64]) -> String {
    match *shape {
        Shape::Num(c) => c.to_string(),
        Shape::Binary(op, ..) => format!("{}{}{}", num(xs[0]), op.symbol(), num(xs[1])),
        _ => {
            let args: Vec<String> = xs.iter().map(|&x| num(x)).collect();
            format!("{}({})", node.op_name(), args.join(", "))
        }
    }
}
