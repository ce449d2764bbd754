//! Evaluation in f64 at a point, over the DAG (each shared node once).

use crate::constant::{Constant, MAX_FOLDED_BITS};
use crate::error::{EvalError, PointError};
use crate::expr::{reachable, with_nodes, Expr};
use crate::language::{pow_f64, BinOp, Math, Shape};
use crate::name::check_variable_name;
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

impl Expr {
    /// The value at `point`; a non-finite or non-real result is an error naming the operation.
    ///
    /// ```
    /// use symdiff_expr::{parse, Point};
    /// let f = parse("x1*x2 + x2 - ln(x1)").unwrap();
    /// let y = f.eval(&"x1=3, x2=-4".parse().unwrap()).unwrap();
    /// assert!((y - (-17.0986122886681)).abs() < 1e-12);
    /// assert!(parse("1/x").unwrap().eval(&Point::new().with("x", 0.0)).is_err());
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
        with_nodes(|nodes| {
            let mut values: HashMap<egg::Id, f64> = HashMap::with_capacity(order.len());
            let mut exact: HashMap<egg::Id, Constant> = HashMap::new();
            for &id in &order {
                let node = &nodes[usize::from(id)];
                if let Some(c) = exact_value(node, &exact) {
                    // Rounded once, at the end: `(-2)^((1/7)^(-2))` is `(-2)^49`, not a
                    // non-real power of 49.00000000000001.
                    let value = c.to_f64();
                    if semantics == Semantics::Strict && !value.is_finite() {
                        return Err(domain_error(node, &values, value));
                    }
                    values.insert(id, value);
                    exact.insert(id, c);
                    continue;
                }
                let v = |c: egg::Id| values[&c];
                let value = match node.shape() {
                    Shape::Num(c) => c.to_f64(),
                    Shape::Named(n) => n.value(),
                    Shape::Var(s) => point
                        .get(s.as_str())
                        .ok_or_else(|| EvalError::UnboundVariable(s.to_string()))?,
                    Shape::Neg(a) => -v(a),
                    Shape::Call(f, a) => f.apply(v(a)),
                    Shape::Binary(op, a, b) => op.apply(v(a), v(b)),
                    Shape::Derivative(..) => {
                        return Err(EvalError::Derivative(Expr::from_id(id).to_string()));
                    }
                };
                if semantics == Semantics::Strict && !value.is_finite() {
                    return Err(domain_error(node, &values, value));
                }
                values.insert(id, value);
            }
            Ok(values[&self.id()])
        })
    }
}

/// The exact value of a node whose operands are exact rationals (`exact`), computed with
/// rational arithmetic and [`Constant::checked_pow`]; `None` when it is not rational (`2^(1/2)`,
/// a function), undefined (`1/0`), or larger than [`MAX_FOLDED_BITS`] bits (then f64 takes
/// over, so the cost of exactness stays bounded).
fn exact_value(node: &Math, exact: &HashMap<egg::Id, Constant>) -> Option<Constant> {
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

/// The error for `node`, whose operands have `values` and whose own value is the non-finite
/// `value`.
fn domain_error(node: &Math, values: &HashMap<egg::Id, f64>, value: f64) -> EvalError {
    let v = |c: egg::Id| num(values[&c]);
    match node.shape() {
        Shape::Call(f, a) => {
            let why = if f.apply(values[&a]).is_nan() {
                "not real"
            } else {
                "overflow or pole"
            };
            EvalError::Domain {
                op: format!("{}({})", f.name(), v(a)),
                why,
            }
        }
        Shape::Binary(op, a, b) => {
            let (x, y) = (values[&a], values[&b]);
            let why = match op.symbol() {
                "/" if y == 0.0 => "division by zero",
                "^" if x == 0.0 && y < 0.0 => "division by zero",
                "^" if pow_f64(x, y).is_nan() => "not real",
                _ => "overflow",
            };
            EvalError::Domain {
                op: format!("{}{}{}", v(a), op.symbol(), v(b)),
                why,
            }
        }
        Shape::Num(c) => EvalError::Domain {
            op: c.to_string(),
            why: "overflow",
        },
        Shape::Var(s) => EvalError::Domain {
            op: format!("{s}={}", num(value)),
            why: "not finite",
        },
        _ => EvalError::Domain {
            op: node.op_name().to_string(),
            why: "overflow",
        },
    }
}
