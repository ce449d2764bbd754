//! The expression language as an egg [`Language`](egg::Language): operators, functions, the
//! derivative operator, exact constants, the named constants `pi` and `e`, and variables.

use crate::Constant;
use egg::{define_language, Id, Symbol};
use std::fmt;
use std::str::FromStr;

/// A named mathematical constant: not a variable (its derivative is 0), but evaluation knows its
/// value.
///
/// ```
/// use symdiff_expr::NamedConst;
/// assert_eq!("pi".parse::<NamedConst>().unwrap(), NamedConst::Pi);
/// assert_eq!(NamedConst::E.value(), std::f64::consts::E);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NamedConst {
    /// π = 3.14159…
    Pi,
    /// Euler's number e = 2.71828…
    E,
}

impl NamedConst {
    /// The constant's f64 value.
    ///
    /// ```
    /// use symdiff_expr::NamedConst;
    /// assert_eq!(NamedConst::Pi.value(), std::f64::consts::PI);
    /// ```
    pub fn value(self) -> f64 {
        match self {
            NamedConst::Pi => std::f64::consts::PI,
            NamedConst::E => std::f64::consts::E,
        }
    }

    /// The name as written in the language.
    ///
    /// ```
    /// use symdiff_expr::NamedConst;
    /// assert_eq!(NamedConst::E.name(), "e");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            NamedConst::Pi => "pi",
            NamedConst::E => "e",
        }
    }
}

impl fmt::Display for NamedConst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for NamedConst {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pi" => Ok(NamedConst::Pi),
            "e" => Ok(NamedConst::E),
            _ => Err(format!("`{s}` is not a named constant")),
        }
    }
}

define_language! {
    /// One node of an expression. Children are [`Id`]s into a [`RecExpr`](egg::RecExpr), an
    /// e-graph, or the global expression store behind [`Expr`](crate::Expr).
    ///
    /// The operator strings are the s-expression names: `(+ x 1)`, `(neg x)`, `(sin x)`,
    /// `(d x e)` (derivative of `e` with respect to the variable `x`).
    #[allow(missing_docs)] // the variants are the operators listed above
    pub enum Math {
        "+" = Add([Id; 2]),
        "-" = Sub([Id; 2]),
        "*" = Mul([Id; 2]),
        "/" = Div([Id; 2]),
        "^" = Pow([Id; 2]),
        "neg" = Neg(Id),
        "sin" = Sin(Id),
        "cos" = Cos(Id),
        "tan" = Tan(Id),
        "asin" = Asin(Id),
        "acos" = Acos(Id),
        "atan" = Atan(Id),
        "sinh" = Sinh(Id),
        "cosh" = Cosh(Id),
        "tanh" = Tanh(Id),
        "exp" = Exp(Id),
        "ln" = Ln(Id),
        "sqrt" = Sqrt(Id),
        "d" = D([Id; 2]),
        Num(Constant),
        Named(NamedConst),
        Var(Symbol),
    }
}

/// A one-argument function of the language.
///
/// ```
/// use symdiff_expr::Func;
/// assert_eq!(Func::from_name("log"), Some(Func::Ln));
/// assert_eq!(Func::Sin.name(), "sin");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Func {
    /// sine
    Sin,
    /// cosine
    Cos,
    /// tangent
    Tan,
    /// arcsine
    Asin,
    /// arccosine
    Acos,
    /// arctangent
    Atan,
    /// hyperbolic sine
    Sinh,
    /// hyperbolic cosine
    Cosh,
    /// hyperbolic tangent
    Tanh,
    /// exponential
    Exp,
    /// natural logarithm (`log` is an alias)
    Ln,
    /// square root
    Sqrt,
}

impl Func {
    /// Every function, in the order of the language.
    pub const ALL: [Func; 12] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Asin,
        Func::Acos,
        Func::Atan,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Exp,
        Func::Ln,
        Func::Sqrt,
    ];

    /// The function's name as written in the language.
    ///
    /// ```
    /// use symdiff_expr::Func;
    /// assert_eq!(Func::Sqrt.name(), "sqrt");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sqrt => "sqrt",
        }
    }

    /// Looks a function up by name (`log` is `ln`).
    ///
    /// ```
    /// use symdiff_expr::Func;
    /// assert_eq!(Func::from_name("tanh"), Some(Func::Tanh));
    /// assert_eq!(Func::from_name("foo"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Func> {
        if name == "log" {
            return Some(Func::Ln);
        }
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The node applying this function to `arg`.
    ///
    /// ```
    /// use symdiff_expr::{Func, Math};
    /// let id = egg::Id::from(0usize);
    /// assert_eq!(Func::Exp.node(id), Math::Exp(id));
    /// ```
    pub fn node(self, arg: Id) -> Math {
        match self {
            Func::Sin => Math::Sin(arg),
            Func::Cos => Math::Cos(arg),
            Func::Tan => Math::Tan(arg),
            Func::Asin => Math::Asin(arg),
            Func::Acos => Math::Acos(arg),
            Func::Atan => Math::Atan(arg),
            Func::Sinh => Math::Sinh(arg),
            Func::Cosh => Math::Cosh(arg),
            Func::Tanh => Math::Tanh(arg),
            Func::Exp => Math::Exp(arg),
            Func::Ln => Math::Ln(arg),
            Func::Sqrt => Math::Sqrt(arg),
        }
    }

    /// Applies the function to an f64 (IEEE semantics: may be NaN or infinite).
    ///
    /// ```
    /// use symdiff_expr::Func;
    /// assert_eq!(Func::Sqrt.apply(9.0), 3.0);
    /// ```
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Asin => x.asin(),
            Func::Acos => x.acos(),
            Func::Atan => x.atan(),
            Func::Sinh => x.sinh(),
            Func::Cosh => x.cosh(),
            Func::Tanh => x.tanh(),
            Func::Exp => x.exp(),
            Func::Ln => x.ln(),
            Func::Sqrt => x.sqrt(),
        }
    }
}

/// A binary operator of the language.
///
/// ```
/// use symdiff_expr::BinOp;
/// assert_eq!(BinOp::Pow.symbol(), "^");
/// assert_eq!(BinOp::Div.apply(1.0, 4.0), 0.25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BinOp {
    /// `a + b`
    Add,
    /// `a - b`
    Sub,
    /// `a * b`
    Mul,
    /// `a / b`
    Div,
    /// `a ^ b`
    Pow,
}

impl BinOp {
    /// The operator symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
        }
    }

    /// The node applying this operator.
    pub fn node(self, a: Id, b: Id) -> Math {
        match self {
            BinOp::Add => Math::Add([a, b]),
            BinOp::Sub => Math::Sub([a, b]),
            BinOp::Mul => Math::Mul([a, b]),
            BinOp::Div => Math::Div([a, b]),
            BinOp::Pow => Math::Pow([a, b]),
        }
    }

    /// Applies the operator to f64s (IEEE semantics).
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a / b,
            BinOp::Pow => pow_f64(a, b),
        }
    }
}

/// `a^b` in f64, with integer exponents done by `powi` when they fit (so `(-2)^3 = -8`).
///
/// ```
/// assert_eq!(symdiff_expr::pow_f64(-2.0, 3.0), -8.0);
/// assert!(symdiff_expr::pow_f64(-2.0, 0.5).is_nan());
/// ```
pub fn pow_f64(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() <= i32::MAX as f64 {
        a.powi(b as i32)
    } else {
        a.powf(b)
    }
}

/// A node seen by its shape: what most algorithms over the language match on.
///
/// ```
/// use symdiff_expr::{Math, Shape, BinOp};
/// let (a, b) = (egg::Id::from(0usize), egg::Id::from(1usize));
/// assert!(matches!(Math::Mul([a, b]).shape(), Shape::Binary(BinOp::Mul, _, _)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape<'a> {
    /// A binary operator.
    Binary(BinOp, Id, Id),
    /// Negation.
    Neg(Id),
    /// A function application.
    Call(Func, Id),
    /// The derivative operator `d(var, expr)`.
    Derivative(Id, Id),
    /// A rational constant.
    Num(&'a Constant),
    /// `pi` or `e`.
    Named(NamedConst),
    /// A variable.
    Var(Symbol),
}

impl Math {
    /// The node's shape.
    pub fn shape(&self) -> Shape<'_> {
        use Math::*;
        match self {
            Add([a, b]) => Shape::Binary(BinOp::Add, *a, *b),
            Sub([a, b]) => Shape::Binary(BinOp::Sub, *a, *b),
            Mul([a, b]) => Shape::Binary(BinOp::Mul, *a, *b),
            Div([a, b]) => Shape::Binary(BinOp::Div, *a, *b),
            Pow([a, b]) => Shape::Binary(BinOp::Pow, *a, *b),
            Neg(a) => Shape::Neg(*a),
            Sin(a) => Shape::Call(Func::Sin, *a),
            Cos(a) => Shape::Call(Func::Cos, *a),
            Tan(a) => Shape::Call(Func::Tan, *a),
            Asin(a) => Shape::Call(Func::Asin, *a),
            Acos(a) => Shape::Call(Func::Acos, *a),
            Atan(a) => Shape::Call(Func::Atan, *a),
            Sinh(a) => Shape::Call(Func::Sinh, *a),
            Cosh(a) => Shape::Call(Func::Cosh, *a),
            Tanh(a) => Shape::Call(Func::Tanh, *a),
            Exp(a) => Shape::Call(Func::Exp, *a),
            Ln(a) => Shape::Call(Func::Ln, *a),
            Sqrt(a) => Shape::Call(Func::Sqrt, *a),
            D([v, e]) => Shape::Derivative(*v, *e),
            Num(c) => Shape::Num(c),
            Named(n) => Shape::Named(*n),
            Var(s) => Shape::Var(*s),
        }
    }

    /// A short name for the operator, used in per-operator counts and error messages
    /// (`+`, `neg`, `sin`, `d`, `num`, `const`, `var`).
    pub fn op_name(&self) -> &'static str {
        match self.shape() {
            Shape::Binary(op, ..) => op.symbol(),
            Shape::Neg(_) => "neg",
            Shape::Call(f, _) => f.name(),
            Shape::Derivative(..) => "d",
            Shape::Num(_) => "num",
            Shape::Named(_) => "const",
            Shape::Var(_) => "var",
        }
    }

    /// True for constants, named constants and variables.
    pub fn is_leaf(&self) -> bool {
        matches!(self, Math::Num(_) | Math::Named(_) | Math::Var(_))
    }
}
