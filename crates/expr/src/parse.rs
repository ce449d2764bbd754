//! The infix parser: an operator-precedence (shunting-yard) parser over a hand-written lexer. It
//! keeps its own stack, so no input, however deeply nested, can overflow the call stack; nesting
//! beyond [`MAX_PARSE_DEPTH`] is refused so that later passes over the expression stay shallow.
//!
//! Grammar (lowest precedence first; `^` is right-associative and binds tighter than unary minus):
//!
//! ```text
//! program   = { ident "=" (sum | cond) ";" } sum      (bindings, as printed for shared DAGs)
//! cond      = conj { "or" conj }
//! conj      = negation { "and" negation }
//! negation  = "not" negation | sum cmp sum | "(" cond ")"
//! cmp       = "<" | "<=" | ">" | ">=" | "==" | "!="
//! sum       = product { ("+" | "-") product }
//! product   = unary { ("*" | "/") unary }
//! unary     = "-" unary | power
//! power     = primary [ "^" unary ]
//! primary   = number | "pi" | "e" | ident | "(" sum ")"
//!           | func "(" sum ")" | func2 "(" sum "," sum ")"
//!           | "if" "(" cond "," sum "," sum ")" | "d" "(" ident "," sum ")"
//! ```
//!
//! A condition is valid only as the first argument of `if` (or as a binding used there): `x +
//! (y > 0)` and a bare `x > 0` are errors saying so ([`ParseErrorKind::ConditionOutsideIf`]),
//! and so is a number where a condition is needed ([`ParseErrorKind::ExpectedCondition`]).
//! Comparisons do not chain: `a < b < c` is [`ParseErrorKind::ChainedComparison`]. `and`,
//! `or`, `not` and `if` are keywords, not variable names.
//!
//! Unary minus on a numeric literal and division of two numeric literals are folded into exact
//! constants (`-1/3` is the rational -1/3); a constant division by zero is an error.

use crate::error::{quote, ParseError, ParseErrorKind};
use crate::expr::{constant, var, Expr};
use crate::language::{BinOp, CmpOp, Func, Func2, Kind, Math, NamedConst, Shape};
use crate::name::{is_identifier_continue, is_identifier_start, KEYWORDS};
use crate::precedence;
use crate::Constant;
use hashbrown::HashMap;

/// The deepest nesting the infix parser accepts: open parentheses, calls, unary minus signs and
/// exponents (`x^x^x` nests twice) counted together. The parser itself does not recurse; the
/// limit is a policy that keeps parsed expressions shallow for later passes and refuses absurd
/// input with [`ParseErrorKind::TooDeep`].
///
/// ```
/// use symdiff_expr::{parse, ParseErrorKind, MAX_PARSE_DEPTH};
/// let ok = format!("{}x{}", "(".repeat(MAX_PARSE_DEPTH), ")".repeat(MAX_PARSE_DEPTH));
/// assert!(parse(&ok).is_ok());
/// let deep = format!("{}x", "-".repeat(MAX_PARSE_DEPTH + 1));
/// assert_eq!(parse(&deep).unwrap_err().kind, ParseErrorKind::TooDeep(MAX_PARSE_DEPTH));
/// ```
pub const MAX_PARSE_DEPTH: usize = 1_000;

/// Parses an infix expression.
///
/// ```
/// use symdiff_expr::{parse, var};
/// let x = var("x");
/// assert_eq!(parse("-x^2").unwrap(), -(x.pow(2)));
/// assert_eq!(parse("2^3^2").unwrap(), parse("2^(3^2)").unwrap());
/// assert!(parse("sin(x, y)").is_err());
/// ```
pub fn parse(source: &str) -> Result<Expr, ParseError> {
    Parser::new(source)?.program()
}

/// Parses a block of statements separated by `;`: bindings `name = expr` (visible in every later
/// statement, as in [`parse`]) and expressions, whose values are returned in order. `parse`
/// reads the same grammar with exactly one expression, last.
pub(crate) fn parse_statements(source: &str) -> Result<Vec<Expr>, ParseError> {
    Parser::new(source)?.statements()
}

impl std::str::FromStr for Expr {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Number,
    Ident,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    Equals,
    Semicolon,
    Compare(CmpOp),
    End,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn describe(source: &str, t: &Token) -> String {
    match t.tok {
        Tok::End => "end of input".to_string(),
        Tok::Number => format!("number {}", quote(&source[t.start..t.end])),
        _ => quote(&source[t.start..t.end]),
    }
}

const OPERAND: &str = "a number, a variable, a function call, `-` or `(`";

fn lex(source: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::with_capacity(source.len() / 2 + 1);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let tok = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'0'..=b'9' | b'.' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                // An exponent only when `e`/`E` is followed by a digit or a signed digit.
                if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                    let sign = matches!(bytes.get(i + 1), Some(b'+' | b'-')) as usize;
                    if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
                        i += 1 + sign;
                        while i < bytes.len() && bytes[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                tokens.push(Token {
                    tok: Tok::Number,
                    start,
                    end: i,
                });
                continue;
            }
            _ if is_identifier_start(b) => {
                while i < bytes.len() && is_identifier_continue(bytes[i]) {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Ident,
                    start,
                    end: i,
                });
                continue;
            }
            b'<' | b'>' | b'=' | b'!' if bytes.get(i + 1) == Some(&b'=') => {
                i += 2;
                let op = match b {
                    b'<' => CmpOp::Le,
                    b'>' => CmpOp::Ge,
                    b'=' => CmpOp::Eq,
                    _ => CmpOp::Ne,
                };
                tokens.push(Token {
                    tok: Tok::Compare(op),
                    start,
                    end: i,
                });
                continue;
            }
            b'<' => Tok::Compare(CmpOp::Lt),
            b'>' => Tok::Compare(CmpOp::Gt),
            b'+' => Tok::Plus,
            b'-' => Tok::Minus,
            b'*' => Tok::Star,
            b'/' => Tok::Slash,
            b'^' => Tok::Caret,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            b'=' => Tok::Equals,
            b';' => Tok::Semicolon,
            _ => {
                let c = source[i..].chars().next().unwrap_or('\u{fffd}');
                let mut err = ParseError::new(
                    source,
                    ParseErrorKind::InvalidCharacter(c),
                    i,
                    c.len_utf8(),
                    format!("{c:?}"),
                    "an operator (+ - * / ^ < <= > >= == !=), a parenthesis, a number or an ASCII name",
                );
                if c == '!' {
                    err = err.with_hint("negate a condition with `not`, as in `not x > 0`");
                } else if c.is_alphabetic() {
                    err = err.with_hint("names are ASCII: letters a-z, A-Z, digits and `_`");
                } else if c == '²' {
                    err = err.with_hint("write powers with `^`, as in `x^2`");
                }
                return Err(err);
            }
        };
        i += 1;
        tokens.push(Token { tok, start, end: i });
    }
    tokens.push(Token {
        tok: Tok::End,
        start: source.len(),
        end: source.len(),
    });
    Ok(tokens)
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// The bindings read so far, with the kind of their value.
    bindings: HashMap<&'a str, (Expr, Kind)>,
    /// Every variable, named constant and number read so far, by its text: a name or a literal
    /// is interned in the store once, however often it occurs.
    leaves: HashMap<&'a str, Expr>,
}

/// A parsed operand, whether it is a number or a condition, and the byte range of its text (for
/// errors about it).
#[derive(Debug, Clone, Copy)]
struct Val {
    expr: Expr,
    kind: Kind,
    start: usize,
    end: usize,
}

impl Val {
    /// A number that spans the text of the tokens `start..end`.
    fn number(expr: Expr, start: usize, end: usize) -> Val {
        Val {
            expr,
            kind: Kind::Number,
            start,
            end,
        }
    }

    fn kind(&self) -> Kind {
        self.kind
    }
}

type PResult = Result<Val, ParseError>;

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Result<Self, ParseError> {
        Ok(Parser {
            source,
            tokens: lex(source)?,
            pos: 0,
            bindings: HashMap::new(),
            leaves: HashMap::new(),
        })
    }

    fn peek(&self) -> Token {
        self.tokens[self.pos]
    }

    fn peek_at(&self, ahead: usize) -> Token {
        self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.tokens[self.pos];
        if t.tok != Tok::End {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: Token) -> &'a str {
        &self.source[t.start..t.end]
    }

    fn error_at(&self, t: Token, kind: ParseErrorKind, expected: &str) -> ParseError {
        let kind = match (kind, t.tok) {
            (ParseErrorKind::UnexpectedToken, Tok::End) => ParseErrorKind::UnexpectedEnd,
            (kind, _) => kind,
        };
        ParseError::new(
            self.source,
            kind,
            t.start,
            t.end - t.start,
            describe(self.source, &t),
            expected,
        )
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        let t = self.peek();
        let after = self.pos.checked_sub(1).map(|p| self.tokens[p]);
        // Two operands side by side: `2x`, `x y`, `(x)(y)`, `2 sin(x)`.
        let starts_operand = matches!(t.tok, Tok::Number | Tok::Ident | Tok::LParen);
        let ends_operand =
            after.is_some_and(|a| matches!(a.tok, Tok::Number | Tok::Ident | Tok::RParen));
        if starts_operand && ends_operand && expected.contains("operator") {
            let a = after.unwrap();
            let left = self.text(a);
            let right = self.text(t);
            return ParseError::new(
                self.source,
                ParseErrorKind::ImplicitMultiplication,
                t.start,
                t.end - t.start,
                describe(self.source, &t),
                expected,
            )
            .with_hint(format!(
                "multiplication is explicit: write `{left}*{right}`"
            ));
        }
        let mut err = self.error_at(t, ParseErrorKind::UnexpectedToken, expected);
        if t.tok == Tok::Ident && KEYWORDS.contains(&self.text(t)) {
            err = err.with_hint(format!(
                "`{}` is a keyword: conditions are written `x > 0 and y < 1`, `x < 0 or y < 0`, \
                 `not x == 0`, and only as the first argument of `if(condition, a, b)`",
                self.text(t)
            ));
        }
        err
    }

    fn expect(&mut self, tok: Tok, expected: &str) -> Result<Token, ParseError> {
        if self.peek().tok == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected))
        }
    }

    /// An error about a parsed operand, with the caret under its whole text.
    fn error_on(&self, val: Val, kind: ParseErrorKind, expected: &str) -> ParseError {
        ParseError::new(
            self.source,
            kind,
            val.start,
            val.end - val.start,
            quote(&self.source[val.start..val.end]),
            expected,
        )
    }

    /// Checks that `val` is a number (`context` says where it stands, for the message).
    fn number_operand(&self, val: Val) -> Result<(), ParseError> {
        if val.kind() == Kind::Number {
            return Ok(());
        }
        Err(self
            .error_on(
                val,
                ParseErrorKind::ConditionOutsideIf,
                "a number: a condition such as `x > 0` is only valid as the first argument of \
                 `if(condition, a, b)`",
            )
            .with_hint("to use a condition as a number, write `if(condition, 1, 0)`"))
    }

    /// Checks that `val` is a condition (the operand of `and`/`or`/`not`, or of `if`).
    fn condition_operand(&self, val: Val, context: &str) -> Result<(), ParseError> {
        if val.kind() == Kind::Condition {
            return Ok(());
        }
        Err(self.error_on(
            val,
            ParseErrorKind::ExpectedCondition,
            &format!(
                "a condition {context}: a comparison such as `x > 0` or `x <= y`, possibly \
                 combined with `and`, `or`, `not`"
            ),
        ))
    }

    fn program(mut self) -> Result<Expr, ParseError> {
        if self.peek().tok == Tok::End {
            let t = self.peek();
            return Err(self.error_at(t, ParseErrorKind::Empty, OPERAND));
        }
        self.program_inner()
    }

    /// A block of statements (see [`parse_statements`]): the value of every statement that is
    /// not a binding, in order.
    fn statements(mut self) -> Result<Vec<Expr>, ParseError> {
        if self.peek().tok == Tok::End {
            let t = self.peek();
            return Err(self.error_at(t, ParseErrorKind::Empty, OPERAND));
        }
        let mut entries = Vec::new();
        loop {
            self.bindings()?;
            let entry = self.expression()?;
            let last = match self.peek().tok {
                Tok::Semicolon => {
                    self.bump();
                    false
                }
                Tok::End => true,
                _ => return Err(self.end_of_program("`;`, an operator or end of input")),
            };
            self.number_operand(entry)?;
            entries.push(entry.expr);
            if last {
                return Ok(entries);
            }
        }
    }

    fn program_inner(&mut self) -> Result<Expr, ParseError> {
        self.bindings()?;
        let result = self.expression()?;
        match self.peek().tok {
            Tok::End => {
                self.number_operand(result)?;
                Ok(result.expr)
            }
            _ => Err(self.end_of_program("an operator or end of input")),
        }
    }

    /// The error for a token that cannot follow a complete expression at the outermost level.
    fn end_of_program(&self, expected: &str) -> ParseError {
        match self.peek().tok {
            Tok::RParen => self.error_at(
                self.peek(),
                ParseErrorKind::UnexpectedToken,
                &format!("{expected} (this `)` closes nothing)"),
            ),
            _ => self.unexpected(expected),
        }
    }

    /// Reads `name = expr;` bindings while the next tokens are an identifier and `=`.
    fn bindings(&mut self) -> Result<(), ParseError> {
        while self.peek().tok == Tok::Ident && self.peek_at(1).tok == Tok::Equals {
            let name_tok = self.bump();
            let name = self.text(name_tok);
            if Func::from_name(name).is_some()
                || Func2::from_name(name).is_some()
                || KEYWORDS.contains(&name)
                || name.parse::<NamedConst>().is_ok()
                || name == "d"
            {
                return Err(self.error_at(
                    name_tok,
                    ParseErrorKind::UnexpectedToken,
                    "a binding name that is not a function, a keyword or a constant",
                ));
            }
            self.bump(); // `=`
                         // A binding may hold a condition (the printer binds shared ones); where it is used
                         // decides whether that is valid.
            let value = self.expression()?;
            self.expect(Tok::Semicolon, "`;` after a binding, or an operator")?;
            self.bindings.insert(name, (value.expr, value.kind));
        }
        Ok(())
    }

    /// Parses one expression with an explicit operator stack (shunting-yard): no recursion, so
    /// no input can overflow the call stack. It stops before the first token that cannot
    /// continue the expression at the outermost level (end of input, `;`, an unmatched `)`,
    /// ...), which the caller judges.
    fn expression(&mut self) -> PResult {
        let mut ops: Vec<Op> = Vec::new();
        let mut vals: Vec<Val> = Vec::new();
        let mut depth = 0usize;
        loop {
            // Operand position.
            let t = self.peek();
            match t.tok {
                Tok::Minus => {
                    self.bump();
                    self.nest(t, &mut depth)?;
                    ops.push(Op::Prefix(Prefix::Neg, t));
                    continue;
                }
                Tok::Ident if self.text(t) == "not" => {
                    self.bump();
                    self.nest(t, &mut depth)?;
                    ops.push(Op::Prefix(Prefix::Not, t));
                    continue;
                }
                Tok::LParen => {
                    self.bump();
                    self.nest(t, &mut depth)?;
                    ops.push(Op::Paren(t));
                    continue;
                }
                Tok::Number => {
                    self.bump();
                    vals.push(self.number(t)?);
                }
                Tok::Ident => {
                    self.bump();
                    match self.identifier(t)? {
                        Atom::Done(e) => vals.push(e),
                        Atom::Call(callee) => {
                            let open = self.bump();
                            self.nest(open, &mut depth)?;
                            ops.push(Op::Call(t, callee, vals.len()));
                            continue;
                        }
                        Atom::Derivative => {
                            let open = self.bump();
                            self.nest(open, &mut depth)?;
                            ops.push(Op::Call(t, Callee::D(self.peek()), vals.len()));
                            continue;
                        }
                    }
                }
                Tok::RParen => match ops.last() {
                    // `f()`: a call without arguments.
                    Some(&Op::Call(name, callee, _)) if self.previous_is(Tok::LParen) => {
                        return Err(self.arity_error(name, callee, 0));
                    }
                    _ => return Err(self.unexpected(OPERAND)),
                },
                _ => return Err(self.unexpected(OPERAND)),
            }
            // Operator position: an operand has just been read.
            loop {
                let t = self.peek();
                let op = match t.tok {
                    Tok::Plus => Infix::Arith(BinOp::Add),
                    Tok::Minus => Infix::Arith(BinOp::Sub),
                    Tok::Star => Infix::Arith(BinOp::Mul),
                    Tok::Slash => Infix::Arith(BinOp::Div),
                    Tok::Caret => Infix::Arith(BinOp::Pow),
                    Tok::Compare(op) => Infix::Compare(op),
                    Tok::Ident if self.text(t) == "and" => Infix::And,
                    Tok::Ident if self.text(t) == "or" => Infix::Or,
                    Tok::RParen | Tok::Comma => {
                        // Finish everything since the innermost open parenthesis or call.
                        while let Some(&Op::Prefix(..) | &Op::Infix(..)) = ops.last() {
                            self.reduce(&mut ops, &mut vals, &mut depth)?;
                        }
                        match (ops.last().copied(), t.tok) {
                            // At the outermost level the caller reports the stray token.
                            (None, _) => return Ok(single(vals)),
                            (Some(Op::Paren(open)), Tok::RParen) => {
                                self.bump();
                                ops.pop();
                                depth -= 1;
                                let inner = vals.last_mut().expect("a parenthesized operand");
                                (inner.start, inner.end) = (open.start, t.end);
                                continue;
                            }
                            (Some(Op::Paren(_)), _) => {
                                return Err(self.unexpected("`)` or an operator"))
                            }
                            (Some(Op::Call(..)), Tok::Comma) => {
                                self.bump();
                                break; // the next argument
                            }
                            (Some(Op::Call(name, callee, first)), _) => {
                                self.bump();
                                ops.pop();
                                depth -= 1;
                                let args = vals.split_off(first);
                                let expr = self.call(name, callee, &args)?;
                                vals.push(Val::number(expr, name.start, t.end));
                                continue;
                            }
                            (Some(_), _) => unreachable!("operators were reduced"),
                        }
                    }
                    _ => {
                        while let Some(&Op::Prefix(..) | &Op::Infix(..)) = ops.last() {
                            self.reduce(&mut ops, &mut vals, &mut depth)?;
                        }
                        return match ops.last() {
                            None => Ok(single(vals)),
                            Some(&Op::Paren(open)) => Err(self.unclosed(open)),
                            Some(&Op::Call(name, ..)) => Err(self.bad_argument_separator(name)),
                            Some(_) => unreachable!("operators were reduced"),
                        };
                    }
                };
                // A binary operator: first apply the pending operators that bind at least as
                // tightly (`^` is right-associative: nothing pending binds tighter).
                let prec = op.prec();
                let right_assoc = op == Infix::Arith(BinOp::Pow);
                while let Some(&top) = ops.last() {
                    let pending = match top {
                        Op::Prefix(p, _) => p.prec(),
                        Op::Infix(o, _) => o.prec(),
                        Op::Paren(_) | Op::Call(..) => break,
                    };
                    if pending < prec || (right_assoc && pending == prec) {
                        break;
                    }
                    self.reduce(&mut ops, &mut vals, &mut depth)?;
                }
                self.bump();
                if right_assoc {
                    self.nest(t, &mut depth)?;
                }
                ops.push(Op::Infix(op, t));
                break;
            }
        }
    }

    /// Enters one more level of nesting (a parenthesis, a call, a unary minus or `not`, or an
    /// exponent).
    fn nest(&self, t: Token, depth: &mut usize) -> Result<(), ParseError> {
        *depth += 1;
        if *depth > MAX_PARSE_DEPTH {
            return Err(self.error_at(t, ParseErrorKind::TooDeep(MAX_PARSE_DEPTH), "less nesting"));
        }
        Ok(())
    }

    /// Applies the operator on top of the stack to the operands on top of the value stack,
    /// checking that each operand is of the kind (number or condition) the operator needs.
    fn reduce(
        &self,
        ops: &mut Vec<Op>,
        vals: &mut Vec<Val>,
        depth: &mut usize,
    ) -> Result<(), ParseError> {
        let value = match ops.pop() {
            Some(Op::Prefix(prefix, t)) => {
                *depth -= 1;
                let a = vals.pop().expect("an operand");
                let (expr, kind) = match prefix {
                    Prefix::Neg => {
                        self.number_operand(a)?;
                        (-a.expr, Kind::Number)
                    }
                    Prefix::Not => {
                        self.condition_operand(a, "after `not`")?;
                        (!a.expr, Kind::Condition)
                    }
                };
                Val {
                    expr,
                    kind,
                    start: t.start,
                    end: a.end,
                }
            }
            Some(Op::Infix(op, t)) => {
                let rhs = vals.pop().expect("an operand");
                let lhs = vals.pop().expect("an operand");
                let expr = match op {
                    Infix::Arith(op) => {
                        self.number_operand(lhs)?;
                        self.number_operand(rhs)?;
                        if op == BinOp::Pow {
                            *depth -= 1;
                        }
                        if op == BinOp::Div && is_constant_division_by_zero(lhs.expr, rhs.expr) {
                            let mut err = self.error_at(
                                t,
                                ParseErrorKind::DivisionByZero,
                                "a non-zero divisor",
                            );
                            err.found = quote(&format!("{}/0", lhs.expr));
                            return Err(err);
                        }
                        Expr::binary(op, lhs.expr, rhs.expr)
                    }
                    Infix::Compare(cmp) => {
                        if matches!(lhs.expr.node().shape(), Shape::Compare(..)) {
                            let middle = lhs.expr.children()[1];
                            return Err(self
                                .error_at(
                                    t,
                                    ParseErrorKind::ChainedComparison,
                                    "`and`, `or`, `,` or `)` after a comparison",
                                )
                                .with_hint(format!(
                                    "write `{} and {middle} {} {}`",
                                    &self.source[lhs.start..lhs.end],
                                    cmp.symbol(),
                                    &self.source[rhs.start..rhs.end],
                                )));
                        }
                        self.number_operand(lhs)?;
                        self.number_operand(rhs)?;
                        Expr::compare(cmp, lhs.expr, rhs.expr)
                    }
                    Infix::And | Infix::Or => {
                        let context = if op == Infix::And {
                            "on each side of `and`"
                        } else {
                            "on each side of `or`"
                        };
                        self.condition_operand(lhs, context)?;
                        self.condition_operand(rhs, context)?;
                        if op == Infix::And {
                            lhs.expr.and(rhs.expr)
                        } else {
                            lhs.expr.or(rhs.expr)
                        }
                    }
                };
                let kind = match op {
                    Infix::Arith(_) => Kind::Number,
                    Infix::Compare(_) | Infix::And | Infix::Or => Kind::Condition,
                };
                Val {
                    expr,
                    kind,
                    start: lhs.start,
                    end: rhs.end,
                }
            }
            _ => unreachable!("only operators are reduced"),
        };
        vals.push(value);
        Ok(())
    }

    fn previous_is(&self, tok: Tok) -> bool {
        self.pos > 0 && self.tokens[self.pos - 1].tok == tok
    }

    fn number(&mut self, t: Token) -> PResult {
        let text = self.text(t);
        if let Some(&known) = self.leaves.get(text) {
            return Ok(Val::number(known, t.start, t.end));
        }
        match text.parse::<Constant>() {
            Ok(value) => {
                let expr = constant(value);
                self.leaves.insert(text, expr);
                Ok(Val::number(expr, t.start, t.end))
            }
            Err(e) => Err(self.error_at(
                t,
                ParseErrorKind::InvalidNumber(e.to_string()),
                "a number such as 2, 0.5 or 1e-3",
            )),
        }
    }

    /// Resolves an identifier (already consumed): a binding, a variable, `pi`/`e`, or the start
    /// of a call (the `(` is next).
    fn identifier(&mut self, t: Token) -> Result<Atom, ParseError> {
        let name = self.text(t);
        let is_call = self.peek().tok == Tok::LParen;
        let done = |expr| Ok(Atom::Done(Val::number(expr, t.start, t.end)));
        if !is_call {
            if let Some(&(expr, kind)) = self.bindings.get(name) {
                return Ok(Atom::Done(Val {
                    expr,
                    kind,
                    start: t.start,
                    end: t.end,
                }));
            }
            // A name read before passed every check below: it is a variable or a constant.
            if let Some(&known) = self.leaves.get(name) {
                return done(known);
            }
        }
        if name == "d" && is_call {
            return Ok(Atom::Derivative);
        }
        let callee = if let Some(func) = Func::from_name(name) {
            Some(Callee::Func(func))
        } else if let Some(func) = Func2::from_name(name) {
            Some(Callee::Func2(func))
        } else if name == "if" {
            Some(Callee::If)
        } else {
            None
        };
        if let Some(callee) = callee {
            if !is_call {
                return Err(self.error_at(
                    self.peek(),
                    ParseErrorKind::UnexpectedToken,
                    &format!(
                        "`(` and {} after {}`{name}`",
                        callee.arguments(),
                        if matches!(callee, Callee::If) {
                            ""
                        } else {
                            "the function "
                        }
                    ),
                ));
            }
            return Ok(Atom::Call(callee));
        }
        if KEYWORDS.contains(&name) {
            // `and`/`or` in operand position (`not` and `if` are handled above).
            return Err(self
                .error_at(t, ParseErrorKind::UnexpectedToken, OPERAND)
                .with_hint(format!(
                    "`{name}` combines two conditions, as in `x > 0 {name} y > 0`"
                )));
        }
        if is_call {
            let known: Vec<&str> = Func::ALL
                .iter()
                .map(|f| f.name())
                .chain(Func2::ALL.iter().map(|f| f.name()))
                .collect();
            return Err(ParseError::new(
                self.source,
                ParseErrorKind::UnknownFunction(name.to_string()),
                t.start,
                t.end - t.start,
                quote(name),
                format!("one of the functions {}, log, if or d", known.join(", ")),
            )
            .with_hint(format!(
                "if `{name}` is a variable, multiplication is explicit: `{name}*(...)`"
            )));
        }
        let expr = match name.parse::<NamedConst>() {
            Ok(NamedConst::Pi) => Expr::pi(),
            Ok(NamedConst::E) => Expr::e(),
            Err(_) => var(name),
        };
        self.leaves.insert(name, expr);
        done(expr)
    }

    /// Builds a call once its `)` is read.
    fn call(&self, name: Token, callee: Callee, args: &[Val]) -> Result<Expr, ParseError> {
        if args.len() != callee.arity() {
            return Err(self.arity_error(name, callee, args.len()));
        }
        match callee {
            Callee::Func(func) => {
                self.number_operand(args[0])?;
                Ok(args[0].expr.apply(func))
            }
            Callee::Func2(func) => {
                self.number_operand(args[0])?;
                self.number_operand(args[1])?;
                Ok(args[0].expr.apply2(func, args[1].expr))
            }
            Callee::If => {
                self.condition_operand(args[0], "as the first argument of `if`")?;
                self.number_operand(args[1])?;
                self.number_operand(args[2])?;
                Ok(Expr::if_else(args[0].expr, args[1].expr, args[2].expr))
            }
            Callee::D(var_tok) => {
                if !matches!(args[0].expr.node(), Math::Var(_)) {
                    return Err(self.error_at(
                        var_tok,
                        ParseErrorKind::NotAVariable(args[0].expr.to_string()),
                        "a variable name such as `x`",
                    ));
                }
                self.number_operand(args[1])?;
                Ok(args[1].expr.derivative(args[0].expr))
            }
        }
    }

    /// The error for a `(` whose `)` is missing.
    fn unclosed(&self, open: Token) -> ParseError {
        let mut err = self.unexpected("`)` or an operator");
        if self.peek().tok == Tok::End {
            let (line, column) = line_column(self.source, open.start);
            err.expected = format!("`)` to close the `(` at line {line}, column {column}");
        }
        err
    }

    fn bad_argument_separator(&self, name: Token) -> ParseError {
        let fname = self.text(name);
        self.unexpected(&format!("`,`, `)` or an operator in the call of `{fname}`"))
    }

    fn arity_error(&self, t: Token, callee: Callee, found: usize) -> ParseError {
        let name = self.text(t);
        ParseError::new(
            self.source,
            ParseErrorKind::WrongArity {
                name: name.to_string(),
                expected: callee.arity(),
                found,
            },
            t.start,
            t.end - t.start,
            format!(
                "`{name}` with {found} argument{}",
                if found == 1 { "" } else { "s" }
            ),
            callee.usage(name),
        )
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The one value left when an expression is complete.
fn single(mut vals: Vec<Val>) -> Val {
    debug_assert_eq!(vals.len(), 1);
    vals.pop().expect("a complete expression has a value")
}

/// An entry of the parser's operator stack.
#[derive(Debug, Clone, Copy)]
enum Op {
    /// Unary minus or `not`, and its token.
    Prefix(Prefix, Token),
    /// A binary operator and its token.
    Infix(Infix, Token),
    /// An open parenthesis.
    Paren(Token),
    /// An open call: the name's token, what is called, and where its arguments start on the
    /// value stack.
    Call(Token, Callee, usize),
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    /// `-a`
    Neg,
    /// `not c`
    Not,
}

/// A binary operator of the infix syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Infix {
    /// `+ - * / ^`
    Arith(BinOp),
    /// `< <= > >= == !=`
    Compare(CmpOp),
    /// `and`
    And,
    /// `or`
    Or,
}

impl Prefix {
    fn prec(self) -> u8 {
        match self {
            Prefix::Neg => precedence::NEGATION,
            Prefix::Not => precedence::NOT,
        }
    }
}

impl Infix {
    fn prec(self) -> u8 {
        match self {
            Infix::Or => precedence::OR,
            Infix::And => precedence::AND,
            Infix::Compare(_) => precedence::COMPARISON,
            Infix::Arith(BinOp::Add | BinOp::Sub) => precedence::SUM,
            Infix::Arith(BinOp::Mul | BinOp::Div) => precedence::PRODUCT,
            Infix::Arith(BinOp::Pow) => precedence::POWER,
        }
    }
}

/// What an open call applies.
#[derive(Debug, Clone, Copy)]
enum Callee {
    /// A one-argument function.
    Func(Func),
    /// A two-argument function.
    Func2(Func2),
    /// `if(condition, then, otherwise)`.
    If,
    /// The derivative operator; the token of its first argument (for errors).
    D(Token),
}

impl Callee {
    fn arity(self) -> usize {
        match self {
            Callee::Func(_) => 1,
            Callee::Func2(_) | Callee::D(_) => 2,
            Callee::If => 3,
        }
    }

    /// The expected form, for messages: `sin(x)`, `atan2(y, x)`, `if(condition, a, b)`.
    fn usage(self, name: &str) -> String {
        match self {
            Callee::Func(_) => format!("{name}(x)"),
            Callee::Func2(f) => format!("{name}({}, {})", f.params()[0], f.params()[1]),
            Callee::If => "if(condition, a, b)".to_string(),
            Callee::D(_) => "d(var, expr)".to_string(),
        }
    }

    /// What the argument list holds, for messages.
    fn arguments(self) -> &'static str {
        match self {
            Callee::Func(_) => "an argument",
            Callee::Func2(_) | Callee::D(_) => "two arguments",
            Callee::If => "a condition and two values",
        }
    }
}

/// What an identifier turned out to be.
enum Atom {
    /// A complete operand.
    Done(Val),
    /// A function or `if`; its argument list follows.
    Call(Callee),
    /// The derivative operator; `(var, expr)` follows.
    Derivative,
}

/// `c / 0` with `c` a constant: refused, since a constant division is folded into one number.
fn is_constant_division_by_zero(lhs: Expr, rhs: Expr) -> bool {
    matches!(rhs.node(), Math::Num(ref c) if c.is_zero()) && matches!(lhs.node(), Math::Num(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        let x = var("x");
        let y = var("y");
        assert_eq!(parse("x + y*x").unwrap(), x + y * x);
        assert_eq!(parse("-x*y").unwrap(), (-x) * y);
        assert_eq!(parse("x - y - x").unwrap(), (x - y) - x);
        assert_eq!(parse("x^-2").unwrap(), x.pow(-2));
        assert_eq!(parse("-3").unwrap(), Expr::from(-3));
        assert_eq!(
            parse("1/3").unwrap().as_constant().unwrap().to_string(),
            "1/3"
        );
        assert_eq!(parse("log(x)").unwrap(), x.ln());
        assert_eq!(parse("d(x, x^2)").unwrap(), x.pow(2).derivative(x));
        assert_eq!(parse("t = x + 1; t*t").unwrap(), (x + 1) * (x + 1));
    }

    #[test]
    fn unary_minus_and_powers() {
        let (x, y, z) = (var("x"), var("y"), var("z"));
        assert_eq!(parse("x^-2*y").unwrap(), x.pow(-2) * y);
        assert_eq!(parse("-x^-y*z").unwrap(), (-(x.pow(-y))) * z);
        assert_eq!(parse("2^-x^2").unwrap(), Expr::from(2).pow(-(x.pow(2))));
        assert_eq!(parse("x*-y + z").unwrap(), x * (-y) + z);
        assert_eq!(parse("x - -y").unwrap(), x - (-y));
        assert_eq!(parse("--x").unwrap(), -(-x));
        assert_eq!(parse("x/y/z").unwrap(), (x / y) / z);
        assert_eq!(parse("x^y^z").unwrap(), x.pow(y.pow(z)));
        assert_eq!(parse("(x^y)^z").unwrap(), (x.pow(y)).pow(z));
        assert_eq!(parse("sin(x)^2").unwrap(), x.sin().pow(2));
        assert_eq!(parse("-sin(-x)^-2").unwrap(), -((-x).sin().pow(-2)));
        assert_eq!(
            parse("d(x, -x^2 + sin(y)*2)").unwrap(),
            (-(x.pow(2)) + y.sin() * 2).derivative(x)
        );
        assert_eq!(parse("1 + 2*3 - 4/5^6").unwrap(), {
            let c = |v: i64| Expr::from(v);
            (c(1) + c(2) * c(3)) - c(4) / c(5).pow(6)
        });
    }
}
