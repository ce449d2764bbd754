//! The expression language as an egg [`Language`](egg::Language): operators, functions, the
//! derivative operator, exact constants, the named constants `pi` and `e`, and variables.

use crate::Constant;
use egg::{define_language, Id, Language, Symbol};
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
    /// `(max a b)`, `(if (< x 0) a b)`, `(d x e)` (derivative of `e` with respect to the
    /// variable `x`). Conditions (`<`, `<=`, `>`, `>=`, `==`, `!=`, `and`, `or`, `not`) are
    /// truth values: the parsers accept them only as the first operand of `if` (see
    /// [`Kind`]).
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
        "abs" = Abs(Id),
        "sign" = Sign(Id),
        "relu" = Relu(Id),
        "cbrt" = Cbrt(Id),
        "log10" = Log10(Id),
        "log2" = Log2(Id),
        "log1p" = Log1p(Id),
        "expm1" = Expm1(Id),
        "asinh" = Asinh(Id),
        "acosh" = Acosh(Id),
        "atanh" = Atanh(Id),
        "erf" = Erf(Id),
        "erfc" = Erfc(Id),
        "sigmoid" = Sigmoid(Id),
        "softplus" = Softplus(Id),
        "min" = Min([Id; 2]),
        "max" = Max([Id; 2]),
        "atan2" = Atan2([Id; 2]),
        "hypot" = Hypot([Id; 2]),
        "if" = If([Id; 3]),
        "<" = Less([Id; 2]),
        "<=" = LessEq([Id; 2]),
        ">" = Greater([Id; 2]),
        ">=" = GreaterEq([Id; 2]),
        "==" = Equal([Id; 2]),
        "!=" = NotEqual([Id; 2]),
        "and" = And([Id; 2]),
        "or" = Or([Id; 2]),
        "not" = Not(Id),
        "d" = D([Id; 2]),
        Num(Constant),
        Named(NamedConst),
        Var(Symbol),
    }
}

/// Declares [`Func`] from one table: variant, `Math` variant, name, doc.
macro_rules! functions {
    ($($variant:ident = $name:literal, $doc:literal;)*) => {
        /// A one-argument function of the language.
        ///
        /// ```
        /// use symdiff_expr::Func;
        /// assert_eq!(Func::from_name("log"), Some(Func::Ln));
        /// assert_eq!(Func::Sin.name(), "sin");
        /// assert_eq!(Func::from_name("softplus"), Some(Func::Softplus));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Func {
            $(#[doc = $doc] $variant,)*
        }

        impl Func {
            /// Every function, in the order of the language.
            pub const ALL: [Func; [$(Func::$variant),*].len()] = [$(Func::$variant),*];

            /// The function's name as written in the language.
            ///
            /// ```
            /// use symdiff_expr::Func;
            /// assert_eq!(Func::Sqrt.name(), "sqrt");
            /// assert_eq!(Func::Log1p.name(), "log1p");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    $(Func::$variant => $name,)*
                }
            }

            /// The node applying this function to `arg`.
            ///
            /// ```
            /// use symdiff_expr::{Func, Math};
            /// let id = egg::Id::from(0usize);
            /// assert_eq!(Func::Exp.node(id), Math::Exp(id));
            /// assert_eq!(Func::Relu.node(id), Math::Relu(id));
            /// ```
            pub fn node(self, arg: Id) -> Math {
                match self {
                    $(Func::$variant => Math::$variant(arg),)*
                }
            }

            /// The function of a node, if it is a one-argument function application.
            fn of(node: &Math) -> Option<(Func, Id)> {
                match *node {
                    $(Math::$variant(a) => Some((Func::$variant, a)),)*
                    _ => None,
                }
            }
        }
    };
}

functions! {
    Sin = "sin", "sine";
    Cos = "cos", "cosine";
    Tan = "tan", "tangent";
    Asin = "asin", "arcsine";
    Acos = "acos", "arccosine";
    Atan = "atan", "arctangent";
    Sinh = "sinh", "hyperbolic sine";
    Cosh = "cosh", "hyperbolic cosine";
    Tanh = "tanh", "hyperbolic tangent";
    Exp = "exp", "exponential";
    Ln = "ln", "natural logarithm (`log` is an alias)";
    Sqrt = "sqrt", "square root";
    Abs = "abs", "absolute value `|x|`";
    Sign = "sign", "sign: -1, 0 or 1 (`sign(0) = 0`)";
    Relu = "relu", "rectified linear unit `max(x, 0)`";
    Cbrt = "cbrt", "real cube root (defined for negative numbers)";
    Log10 = "log10", "base-10 logarithm";
    Log2 = "log2", "base-2 logarithm";
    Log1p = "log1p", "`ln(1 + x)`, accurate near 0";
    Expm1 = "expm1", "`exp(x) - 1`, accurate near 0";
    Asinh = "asinh", "inverse hyperbolic sine";
    Acosh = "acosh", "inverse hyperbolic cosine (x ≥ 1)";
    Atanh = "atanh", "inverse hyperbolic tangent (|x| < 1)";
    Erf = "erf", "error function";
    Erfc = "erfc", "complementary error function `1 - erf(x)`";
    Sigmoid = "sigmoid", "logistic function `1/(1 + exp(-x))`";
    Softplus = "softplus", "`ln(1 + exp(x))`";
}

impl Func {
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
}

/// A two-argument function of the language.
///
/// ```
/// use symdiff_expr::Func2;
/// assert_eq!(Func2::from_name("atan2"), Some(Func2::Atan2));
/// assert_eq!(Func2::Max.apply(1.0, 2.0), 2.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Func2 {
    /// the smaller argument (a tie takes the first)
    Min,
    /// the larger argument (a tie takes the first)
    Max,
    /// `atan2(y, x)`: the angle of the point `(x, y)`, in `(-π, π]`
    Atan2,
    /// `hypot(x, y) = sqrt(x^2 + y^2)` without overflow
    Hypot,
}

impl Func2 {
    /// Every two-argument function, in the order of the language.
    pub const ALL: [Func2; 4] = [Func2::Min, Func2::Max, Func2::Atan2, Func2::Hypot];

    /// The function's name as written in the language.
    ///
    /// ```
    /// assert_eq!(symdiff_expr::Func2::Hypot.name(), "hypot");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Func2::Min => "min",
            Func2::Max => "max",
            Func2::Atan2 => "atan2",
            Func2::Hypot => "hypot",
        }
    }

    /// Looks a two-argument function up by name.
    ///
    /// ```
    /// use symdiff_expr::Func2;
    /// assert_eq!(Func2::from_name("min"), Some(Func2::Min));
    /// assert_eq!(Func2::from_name("sin"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Func2> {
        Func2::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The names of the two arguments, for messages: `atan2(y, x)`.
    ///
    /// ```
    /// assert_eq!(symdiff_expr::Func2::Atan2.params(), ["y", "x"]);
    /// ```
    pub fn params(self) -> [&'static str; 2] {
        match self {
            Func2::Atan2 => ["y", "x"],
            Func2::Hypot => ["x", "y"],
            Func2::Min | Func2::Max => ["a", "b"],
        }
    }

    /// The node applying this function to `a` and `b`.
    ///
    /// ```
    /// use symdiff_expr::{Func2, Math};
    /// let (a, b) = (egg::Id::from(0usize), egg::Id::from(1usize));
    /// assert_eq!(Func2::Min.node(a, b), Math::Min([a, b]));
    /// ```
    pub fn node(self, a: Id, b: Id) -> Math {
        match self {
            Func2::Min => Math::Min([a, b]),
            Func2::Max => Math::Max([a, b]),
            Func2::Atan2 => Math::Atan2([a, b]),
            Func2::Hypot => Math::Hypot([a, b]),
        }
    }
}

/// A comparison: the condition `a < b`, `a <= b`, ... (only valid as the first argument of
/// `if`).
///
/// ```
/// use symdiff_expr::CmpOp;
/// assert_eq!(CmpOp::Le.symbol(), "<=");
/// assert!(CmpOp::Ne.apply(1.0, 2.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CmpOp {
    /// `a < b`
    Lt,
    /// `a <= b`
    Le,
    /// `a > b`
    Gt,
    /// `a >= b`
    Ge,
    /// `a == b`
    Eq,
    /// `a != b`
    Ne,
}

impl CmpOp {
    /// Every comparison.
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ];

    /// The operator symbol (also its s-expression name).
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    /// Looks a comparison up by its symbol.
    ///
    /// ```
    /// assert_eq!(symdiff_expr::CmpOp::from_symbol(">="), Some(symdiff_expr::CmpOp::Ge));
    /// ```
    pub fn from_symbol(symbol: &str) -> Option<CmpOp> {
        CmpOp::ALL.into_iter().find(|c| c.symbol() == symbol)
    }

    /// The node comparing `a` with `b`.
    pub fn node(self, a: Id, b: Id) -> Math {
        match self {
            CmpOp::Lt => Math::Less([a, b]),
            CmpOp::Le => Math::LessEq([a, b]),
            CmpOp::Gt => Math::Greater([a, b]),
            CmpOp::Ge => Math::GreaterEq([a, b]),
            CmpOp::Eq => Math::Equal([a, b]),
            CmpOp::Ne => Math::NotEqual([a, b]),
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
    /// A one-argument function application.
    Call(Func, Id),
    /// A two-argument function application.
    Call2(Func2, Id, Id),
    /// `if(condition, then, otherwise)`.
    If(Id, Id, Id),
    /// A comparison (a condition).
    Compare(CmpOp, Id, Id),
    /// `a and b` (a condition).
    And(Id, Id),
    /// `a or b` (a condition).
    Or(Id, Id),
    /// `not a` (a condition).
    Not(Id),
    /// The derivative operator `d(var, expr)`.
    Derivative(Id, Id),
    /// A rational constant.
    Num(&'a Constant),
    /// `pi` or `e`.
    Named(NamedConst),
    /// A variable.
    Var(Symbol),
}

/// What a node stands for: a number, or a condition (a truth value, only valid as the first
/// operand of `if`).
///
/// ```
/// use symdiff_expr::{parse, Kind};
/// let f = parse("if(x > 0, x, 0)").unwrap();
/// assert_eq!(f.node().kind(), Kind::Number);
/// assert_eq!(f.children()[0].node().kind(), Kind::Condition);
/// assert_eq!(f.node().operand_kind(0), Kind::Condition);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A real number.
    Number,
    /// A truth value: a comparison or `and`/`or`/`not` of conditions.
    Condition,
}

impl Math {
    /// The node's shape.
    pub fn shape(&self) -> Shape<'_> {
        if let Some((f, a)) = Func::of(self) {
            return Shape::Call(f, a);
        }
        match self {
            Math::Add([a, b]) => Shape::Binary(BinOp::Add, *a, *b),
            Math::Sub([a, b]) => Shape::Binary(BinOp::Sub, *a, *b),
            Math::Mul([a, b]) => Shape::Binary(BinOp::Mul, *a, *b),
            Math::Div([a, b]) => Shape::Binary(BinOp::Div, *a, *b),
            Math::Pow([a, b]) => Shape::Binary(BinOp::Pow, *a, *b),
            Math::Neg(a) => Shape::Neg(*a),
            Math::Min([a, b]) => Shape::Call2(Func2::Min, *a, *b),
            Math::Max([a, b]) => Shape::Call2(Func2::Max, *a, *b),
            Math::Atan2([a, b]) => Shape::Call2(Func2::Atan2, *a, *b),
            Math::Hypot([a, b]) => Shape::Call2(Func2::Hypot, *a, *b),
            Math::If([c, a, b]) => Shape::If(*c, *a, *b),
            Math::Less([a, b]) => Shape::Compare(CmpOp::Lt, *a, *b),
            Math::LessEq([a, b]) => Shape::Compare(CmpOp::Le, *a, *b),
            Math::Greater([a, b]) => Shape::Compare(CmpOp::Gt, *a, *b),
            Math::GreaterEq([a, b]) => Shape::Compare(CmpOp::Ge, *a, *b),
            Math::Equal([a, b]) => Shape::Compare(CmpOp::Eq, *a, *b),
            Math::NotEqual([a, b]) => Shape::Compare(CmpOp::Ne, *a, *b),
            Math::And([a, b]) => Shape::And(*a, *b),
            Math::Or([a, b]) => Shape::Or(*a, *b),
            Math::Not(a) => Shape::Not(*a),
            Math::D([v, e]) => Shape::Derivative(*v, *e),
            Math::Num(c) => Shape::Num(c),
            Math::Named(n) => Shape::Named(*n),
            Math::Var(s) => Shape::Var(*s),
            _ => unreachable!("every one-argument function is a `Func`"),
        }
    }

    /// A short name for the operator, used in per-operator counts and error messages
    /// (`+`, `neg`, `sin`, `max`, `if`, `<`, `and`, `d`, `num`, `const`, `var`).
    pub fn op_name(&self) -> &'static str {
        match self.shape() {
            Shape::Binary(op, ..) => op.symbol(),
            Shape::Neg(_) => "neg",
            Shape::Call(f, _) => f.name(),
            Shape::Call2(f, ..) => f.name(),
            Shape::If(..) => "if",
            Shape::Compare(op, ..) => op.symbol(),
            Shape::And(..) => "and",
            Shape::Or(..) => "or",
            Shape::Not(_) => "not",
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

    /// Whether the node is a number or a condition.
    ///
    /// ```
    /// use symdiff_expr::{Kind, Math};
    /// let (a, b) = (egg::Id::from(0usize), egg::Id::from(1usize));
    /// assert_eq!(Math::Less([a, b]).kind(), Kind::Condition);
    /// assert_eq!(Math::Max([a, b]).kind(), Kind::Number);
    /// ```
    pub fn kind(&self) -> Kind {
        match self.shape() {
            Shape::Compare(..) | Shape::And(..) | Shape::Or(..) | Shape::Not(_) => Kind::Condition,
            _ => Kind::Number,
        }
    }

    /// The kind operand `index` must have: a condition for the first operand of `if` and the
    /// operands of `and`, `or`, `not`; a number everywhere else.
    ///
    /// ```
    /// use symdiff_expr::{Kind, Math};
    /// let (c, a, b) = (egg::Id::from(0usize), egg::Id::from(1usize), egg::Id::from(2usize));
    /// assert_eq!(Math::If([c, a, b]).operand_kind(0), Kind::Condition);
    /// assert_eq!(Math::If([c, a, b]).operand_kind(1), Kind::Number);
    /// ```
    pub fn operand_kind(&self, index: usize) -> Kind {
        match self.shape() {
            Shape::If(..) if index == 0 => Kind::Condition,
            Shape::And(..) | Shape::Or(..) | Shape::Not(_) => Kind::Condition,
            _ => Kind::Number,
        }
    }

    /// The first operand whose kind is wrong, given the kind of each node id: its index and
    /// the kind it should have. Both readers (infix and s-expression) and the JSON reader
    /// refuse such nodes; the builder API does not check.
    ///
    /// ```
    /// use symdiff_expr::{Kind, Math};
    /// let (x, cond) = (egg::Id::from(0usize), egg::Id::from(1usize));
    /// let kind = |id: egg::Id| if id == cond { Kind::Condition } else { Kind::Number };
    /// assert_eq!(Math::Add([x, cond]).misplaced_operand(kind), Some((1, Kind::Number)));
    /// assert_eq!(Math::If([cond, x, x]).misplaced_operand(kind), None);
    /// ```
    pub fn misplaced_operand(&self, kind_of: impl Fn(Id) -> Kind) -> Option<(usize, Kind)> {
        if matches!(self, Math::D(_)) {
            // `d(var, expr)`: the variable is checked separately; the body is a number.
            let body = self.children()[1];
            return (kind_of(body) != Kind::Number).then_some((1, Kind::Number));
        }
        self.children()
            .iter()
            .enumerate()
            .find(|&(i, &c)| kind_of(c) != self.operand_kind(i))
            .map(|(i, _)| (i, self.operand_kind(i)))
    }
}
