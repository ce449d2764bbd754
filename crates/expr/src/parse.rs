//! The infix parser: a precedence-climbing parser over a hand-written lexer.
//!
//! Grammar (lowest precedence first; `^` is right-associative and binds tighter than unary minus):
//!
//! ```text
//! program  = { ident "=" sum ";" } sum          (bindings, as printed for shared DAGs)
//! sum      = product { ("+" | "-") product }
//! product  = unary { ("*" | "/") unary }
//! unary    = "-" unary | power
//! power    = primary [ "^" unary ]
//! primary  = number | "pi" | "e" | ident | func "(" sum ")" | "d" "(" ident "," sum ")" | "(" sum ")"
//! ```
//!
//! Unary minus on a numeric literal and division of two numeric literals are folded into exact
//! constants (`-1/3` is the rational -1/3); a constant division by zero is an error.

use crate::error::{ParseError, ParseErrorKind};
use crate::expr::{constant, var, Expr};
use crate::language::{BinOp, Func, Math, NamedConst};
use crate::Constant;
use std::collections::HashMap;

/// The deepest nesting (parentheses, calls, unary minus, powers) the parser accepts.
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
        Tok::Number => format!("number `{}`", &source[t.start..t.end]),
        Tok::Ident => format!("`{}`", &source[t.start..t.end]),
        _ => format!("`{}`", &source[t.start..t.end]),
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
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Ident,
                    start,
                    end: i,
                });
                continue;
            }
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
                    "an operator (+ - * / ^), a parenthesis, a number or an ASCII name",
                );
                if c.is_alphabetic() {
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
    bindings: HashMap<&'a str, Expr>,
}

type PResult = Result<Expr, Box<ParseError>>;

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Result<Self, ParseError> {
        Ok(Parser {
            source,
            tokens: lex(source)?,
            pos: 0,
            bindings: HashMap::new(),
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

    fn error_at(&self, t: Token, kind: ParseErrorKind, expected: &str) -> Box<ParseError> {
        let kind = match (kind, t.tok) {
            (ParseErrorKind::UnexpectedToken, Tok::End) => ParseErrorKind::UnexpectedEnd,
            (kind, _) => kind,
        };
        Box::new(ParseError::new(
            self.source,
            kind,
            t.start,
            t.end - t.start,
            describe(self.source, &t),
            expected,
        ))
    }

    fn unexpected(&self, expected: &str) -> Box<ParseError> {
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
            return Box::new(
                ParseError::new(
                    self.source,
                    ParseErrorKind::ImplicitMultiplication,
                    t.start,
                    t.end - t.start,
                    describe(self.source, &t),
                    expected,
                )
                .with_hint(format!(
                    "multiplication is explicit: write `{left}*{right}`"
                )),
            );
        }
        self.error_at(t, ParseErrorKind::UnexpectedToken, expected)
    }

    fn expect(&mut self, tok: Tok, expected: &str) -> Result<Token, Box<ParseError>> {
        if self.peek().tok == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn program(mut self) -> Result<Expr, ParseError> {
        if self.peek().tok == Tok::End {
            let t = self.peek();
            return Err(*self.error_at(t, ParseErrorKind::Empty, OPERAND));
        }
        self.program_inner().map_err(|e| *e)
    }

    fn program_inner(&mut self) -> PResult {
        while self.peek().tok == Tok::Ident && self.peek_at(1).tok == Tok::Equals {
            let name_tok = self.bump();
            let name = self.text(name_tok);
            if Func::from_name(name).is_some() || name.parse::<NamedConst>().is_ok() || name == "d"
            {
                return Err(self.error_at(
                    name_tok,
                    ParseErrorKind::UnexpectedToken,
                    "a binding name that is not a function or a constant",
                ));
            }
            self.bump(); // `=`
            let value = self.sum(0)?;
            self.expect(Tok::Semicolon, "`;` after a binding, or an operator")?;
            self.bindings.insert(name, value);
        }
        let result = self.sum(0)?;
        match self.peek().tok {
            Tok::End => Ok(result),
            Tok::RParen => Err(self.error_at(
                self.peek(),
                ParseErrorKind::UnexpectedToken,
                "an operator or end of input (this `)` closes nothing)",
            )),
            _ => Err(self.unexpected("an operator or end of input")),
        }
    }

    fn check_depth(&self, depth: usize) -> Result<(), Box<ParseError>> {
        if depth > MAX_PARSE_DEPTH {
            let t = self.peek();
            return Err(self.error_at(t, ParseErrorKind::TooDeep(MAX_PARSE_DEPTH), "less nesting"));
        }
        Ok(())
    }

    fn sum(&mut self, depth: usize) -> PResult {
        let mut lhs = self.product(depth)?;
        loop {
            let op = match self.peek().tok {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.bump();
            let rhs = self.product(depth)?;
            lhs = Expr::binary(op, lhs, rhs);
        }
    }

    fn product(&mut self, depth: usize) -> PResult {
        let mut lhs = self.unary(depth)?;
        loop {
            let op_tok = self.peek();
            let op = match op_tok.tok {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                _ => return Ok(lhs),
            };
            self.bump();
            let rhs = self.unary(depth)?;
            if op == BinOp::Div
                && lhs.as_constant().is_some()
                && rhs.as_constant().is_some_and(|c| c.is_zero())
            {
                let mut err =
                    self.error_at(op_tok, ParseErrorKind::DivisionByZero, "a non-zero divisor");
                err.found = format!("`{}/0`", lhs);
                return Err(err);
            }
            lhs = Expr::binary(op, lhs, rhs);
        }
    }

    fn unary(&mut self, depth: usize) -> PResult {
        self.check_depth(depth)?;
        if self.peek().tok == Tok::Minus {
            self.bump();
            let operand = self.unary(depth + 1)?;
            return Ok(-operand);
        }
        self.power(depth)
    }

    fn power(&mut self, depth: usize) -> PResult {
        let base = self.primary(depth)?;
        if self.peek().tok == Tok::Caret {
            self.bump();
            let exponent = self.unary(depth + 1)?;
            return Ok(base.pow(exponent));
        }
        Ok(base)
    }

    fn primary(&mut self, depth: usize) -> PResult {
        let t = self.peek();
        match t.tok {
            Tok::Number => {
                self.bump();
                let text = self.text(t);
                let value: Constant = text.parse().map_err(|e: crate::ConstantError| {
                    self.error_at(
                        t,
                        ParseErrorKind::InvalidNumber(e.to_string()),
                        "a number such as 2, 0.5 or 1e-3",
                    )
                })?;
                Ok(constant(value))
            }
            Tok::Ident => {
                self.bump();
                let name = self.text(t);
                let is_call = self.peek().tok == Tok::LParen;
                if let Some(&bound) = self.bindings.get(name) {
                    if !is_call {
                        return Ok(bound);
                    }
                }
                if name == "d" && is_call {
                    return self.derivative(t, depth);
                }
                if let Some(func) = Func::from_name(name) {
                    if !is_call {
                        return Err(self.error_at(
                            self.peek(),
                            ParseErrorKind::UnexpectedToken,
                            &format!("`(` and an argument after the function `{name}`"),
                        ));
                    }
                    let args = self.arguments(t, depth)?;
                    if args.len() != 1 {
                        return Err(self.arity_error(t, name, 1, args.len()));
                    }
                    return Ok(args[0].apply(func));
                }
                if is_call {
                    let known: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
                    return Err(Box::new(
                        ParseError::new(
                            self.source,
                            ParseErrorKind::UnknownFunction(name.to_string()),
                            t.start,
                            t.end - t.start,
                            format!("`{name}`"),
                            format!("one of the functions {}, log or d", known.join(", ")),
                        )
                        .with_hint(format!(
                            "if `{name}` is a variable, multiplication is explicit: `{name}*(...)`"
                        )),
                    ));
                }
                Ok(match name.parse::<NamedConst>() {
                    Ok(NamedConst::Pi) => Expr::pi(),
                    Ok(NamedConst::E) => Expr::e(),
                    Err(_) => var(name),
                })
            }
            Tok::LParen => {
                self.bump();
                self.check_depth(depth + 1)?;
                let inner = self.sum(depth + 1)?;
                if self.peek().tok != Tok::RParen {
                    let mut err = self.unexpected("`)` or an operator");
                    if self.peek().tok == Tok::End {
                        err.expected = format!("`)` to close the `(` at column {}", t.start + 1);
                    }
                    return Err(err);
                }
                self.bump();
                Ok(inner)
            }
            _ => Err(self.unexpected(OPERAND)),
        }
    }

    /// Parses `( arg {, arg} )` after a function name; returns the arguments.
    fn arguments(&mut self, name: Token, depth: usize) -> Result<Vec<Expr>, Box<ParseError>> {
        self.bump(); // `(`
        self.check_depth(depth + 1)?;
        let mut args = Vec::new();
        if self.peek().tok == Tok::RParen {
            self.bump();
            return Ok(args);
        }
        loop {
            args.push(self.sum(depth + 1)?);
            match self.peek().tok {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    return Ok(args);
                }
                _ => {
                    let fname = self.text(name);
                    return Err(self.unexpected(&format!("`,` or `)` in the call of `{fname}`")));
                }
            }
        }
    }

    fn arity_error(&self, t: Token, name: &str, expected: usize, found: usize) -> Box<ParseError> {
        let usage = if name == "d" {
            "d(var, expr)".to_string()
        } else {
            format!("{name}(x)")
        };
        Box::new(ParseError::new(
            self.source,
            ParseErrorKind::WrongArity {
                name: name.to_string(),
                expected,
                found,
            },
            t.start,
            t.end - t.start,
            format!(
                "`{name}` with {found} argument{}",
                if found == 1 { "" } else { "s" }
            ),
            usage,
        ))
    }

    fn derivative(&mut self, t: Token, depth: usize) -> PResult {
        let var_tok = self.peek_at(1);
        let args = self.arguments(t, depth)?;
        if args.len() != 2 {
            return Err(self.arity_error(t, "d", 2, args.len()));
        }
        if !matches!(args[0].node(), Math::Var(_)) {
            return Err(self.error_at(
                var_tok,
                ParseErrorKind::NotAVariable(args[0].to_string()),
                "a variable name such as `x`",
            ));
        }
        Ok(args[1].derivative(args[0]))
    }
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
}
