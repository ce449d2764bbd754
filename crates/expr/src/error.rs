//! Errors: parsing (with position and a caret under the input) and evaluation.

use std::fmt;

/// What went wrong while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The input holds no expression.
    Empty,
    /// A token that cannot stand here.
    UnexpectedToken,
    /// The input ended too early.
    UnexpectedEnd,
    /// A character outside the language (`$`, a NUL byte, a non-ASCII letter, ...).
    InvalidCharacter(char),
    /// A malformed or out-of-range numeric literal.
    InvalidNumber(String),
    /// Two operands side by side, as in `2x`; the hint suggests `2*x`.
    ImplicitMultiplication,
    /// A call of a function the language does not have.
    UnknownFunction(String),
    /// A function called with the wrong number of arguments.
    WrongArity {
        /// The function.
        name: String,
        /// How many arguments it takes.
        expected: usize,
        /// How many it was given.
        found: usize,
    },
    /// The first argument of `d(var, expr)` is not a variable.
    NotAVariable(String),
    /// Nesting deeper than the parser's limit.
    TooDeep(usize),
    /// A constant division such as `1/0`.
    DivisionByZero,
    /// A condition (`x > 0`, `a and b`, ...) where a number is needed: conditions are valid only
    /// as the first argument of `if`.
    ConditionOutsideIf,
    /// A number where a condition is needed: the first argument of `if`, or an operand of
    /// `and`, `or`, `not`.
    ExpectedCondition,
    /// A chain of comparisons such as `a < b < c` (write `a < b and b < c`).
    ChainedComparison,
}

/// A parse error: what went wrong, where (byte offset, line and column, both 1-based), what was
/// found and what was expected. Its `Display` shows the input line with a caret under the culprit.
///
/// The details live behind one pointer (so `Result<_, ParseError>` stays small); read them as
/// fields, through [`ParseErrorDetails`].
///
/// ```
/// let err = symdiff_expr::parse("2x").unwrap_err();
/// assert_eq!((err.line, err.column), (1, 2));
/// assert_eq!(err.kind, symdiff_expr::ParseErrorKind::ImplicitMultiplication);
/// assert!(err.to_string().contains("2*x"));
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError(Box<ParseErrorDetails>);

/// The details of a [`ParseError`].
///
/// ```
/// let err = symdiff_expr::parse("sin(x, y)").unwrap_err();
/// let details: &symdiff_expr::ParseErrorDetails = &err;
/// assert_eq!(details.expected, "sin(x)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseErrorDetails {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// Byte offset of the culprit in the input.
    pub offset: usize,
    /// Length in bytes of the culprit (at least 1 for the caret).
    pub len: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What was found (a token, or "end of input").
    pub found: String,
    /// What was expected instead.
    pub expected: String,
    /// A suggestion, such as "write `2*x`".
    pub hint: Option<String>,
    /// The input line (or a window of it) holding the culprit, and the caret column in it.
    snippet: (String, usize),
}

impl std::ops::Deref for ParseError {
    type Target = ParseErrorDetails;
    fn deref(&self) -> &ParseErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for ParseError {
    fn deref_mut(&mut self) -> &mut ParseErrorDetails {
        &mut self.0
    }
}

impl fmt::Debug for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl ParseError {
    pub(crate) fn new(
        source: &str,
        kind: ParseErrorKind,
        offset: usize,
        len: usize,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        let offset = offset.min(source.len());
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = source[line_start..offset].chars().count() + 1;
        let line_end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i);
        // Show at most ~60 characters either side of the culprit.
        let window_start = floor_char_boundary(source, offset.saturating_sub(60).max(line_start));
        let window_end = floor_char_boundary(source, (offset + 60).min(line_end));
        let text: String = source[window_start..window_end]
            .chars()
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect();
        let caret = source[window_start..offset].chars().count();
        ParseError(Box::new(ParseErrorDetails {
            kind,
            offset,
            len: len.max(1),
            line,
            column,
            found: found.into(),
            expected: expected.into(),
            hint: None,
            snippet: (text, caret),
        }))
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.0.hint = Some(hint.into());
        self
    }
}

impl ParseErrorDetails {
    /// The first line of the message, without the position.
    ///
    /// ```
    /// let err = symdiff_expr::parse("x $ y").unwrap_err();
    /// assert_eq!(err.headline(), "invalid character '$' (U+0024)");
    /// ```
    pub fn headline(&self) -> String {
        match &self.kind {
            ParseErrorKind::Empty => "empty input: there is no expression".into(),
            ParseErrorKind::UnexpectedToken => format!("unexpected {}", self.found),
            ParseErrorKind::UnexpectedEnd => "unexpected end of input".into(),
            ParseErrorKind::InvalidCharacter(c) => {
                format!("invalid character {c:?} (U+{:04X})", *c as u32)
            }
            ParseErrorKind::InvalidNumber(why) => format!("invalid number: {why}"),
            ParseErrorKind::ImplicitMultiplication => {
                format!("missing operator before {}", self.found)
            }
            ParseErrorKind::UnknownFunction(name) => format!("unknown function {}", quote(name)),
            ParseErrorKind::WrongArity {
                name,
                expected,
                found,
            } => format!(
                "`{name}` takes {expected} argument{} but was given {found}",
                if *expected == 1 { "" } else { "s" }
            ),
            ParseErrorKind::NotAVariable(what) => {
                format!(
                    "d(var, expr) differentiates with respect to a variable, not {}",
                    quote(what)
                )
            }
            ParseErrorKind::TooDeep(limit) => {
                format!("expression nested deeper than {limit} levels")
            }
            ParseErrorKind::DivisionByZero => {
                format!("division by zero in the constant {}", self.found)
            }
            ParseErrorKind::ConditionOutsideIf => format!(
                "the condition {} is only valid as the first argument of `if`",
                self.found
            ),
            ParseErrorKind::ExpectedCondition => format!("{} is not a condition", self.found),
            ParseErrorKind::ChainedComparison => {
                "comparisons do not chain: `a < b < c` is not defined".into()
            }
        }
    }
}

/// Quotes a culprit in backticks, shortening it to its first and last characters when long (a
/// 100,000-digit literal is not echoed whole).
pub(crate) fn quote(text: &str) -> String {
    const KEEP: usize = 24;
    let count = text.chars().count();
    if count <= 2 * KEEP + 10 {
        return format!("`{text}`");
    }
    let head: String = text.chars().take(KEEP).collect();
    let tail: String = text.chars().skip(count - KEEP).collect();
    format!("`{head}...{tail}` ({count} characters)")
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} at line {}, column {}",
            self.headline(),
            self.line,
            self.column
        )?;
        let (text, caret) = &self.snippet;
        writeln!(f, "  | {text}")?;
        let carets = self.len.clamp(1, 40);
        write!(f, "  | {}{}", " ".repeat(*caret), "^".repeat(carets))?;
        if !self.expected.is_empty() {
            write!(f, "\n  = expected {}", self.expected)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// An evaluation error: names the variable or the operation and its arguments.
///
/// ```
/// use symdiff_expr::{parse, EvalError, Point};
/// let err = parse("ln(x)").unwrap().eval(&Point::new().with("x", -1.0)).unwrap_err();
/// assert!(matches!(err, EvalError::Domain { .. }));
/// assert!(err.to_string().contains("ln(-1)"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The point gives no value to a variable of the expression.
    #[error("no value for variable `{0}`: give it one, as in `{0}=0.5`")]
    UnboundVariable(String),
    /// An operation gave a non-finite or non-real result.
    #[error("{op} is not a finite real number ({why})")]
    Domain {
        /// The operation with its arguments, such as `ln(-1)` or `1/0`.
        op: String,
        /// Why: "not real", "division by zero", "overflow".
        why: &'static str,
    },
    /// The expression still contains the derivative operator `d`.
    #[error("cannot evaluate the unevaluated derivative `{0}`: differentiate it first")]
    Derivative(String),
}

/// Errors from reading points such as `x=0.3,y=0.7`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointError {
    /// An entry without `=`.
    #[error("`{0}` is not of the form name=value")]
    Malformed(String),
    /// A value that is not a number.
    #[error("value of `{name}` is not a number: `{value}`")]
    BadValue {
        /// The variable.
        name: String,
        /// The offending text.
        value: String,
    },
    /// A name that is not a variable name.
    #[error("`{0}` is not a variable name")]
    BadName(String),
    /// A value that is infinite or NaN (`inf`, `nan`, `1e999`): no point of any domain.
    #[error("value of `{name}` is not a finite number: `{value}`")]
    NotFinite {
        /// The variable.
        name: String,
        /// The offending text.
        value: String,
    },
    /// The same variable given twice (`x=1,x=2`).
    #[error("`{0}` is given more than once")]
    Duplicate(String),
}

/// Errors from printers that refuse absurd outputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The tree form would be too large to print.
    #[error("the expression's tree has {tree} nodes, more than the {limit} this format prints; use the infix form, which prints shared subexpressions once")]
    TooLarge {
        /// The tree size.
        tree: String,
        /// The limit.
        limit: usize,
    },
}

/// Errors reading the JSON DAG format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// Not valid JSON, or not of the expected shape.
    #[error("invalid expression JSON: {0}")]
    Invalid(String),
}
