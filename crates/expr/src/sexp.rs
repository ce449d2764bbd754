//! The s-expression reader (egg's syntax: `(+ x (* 2 y))`, `(neg x)`, `(d x e)`), iterative so
//! that nesting depth never overflows the stack.

use crate::error::{quote, ParseError, ParseErrorKind};
use crate::expr::{constant, var, Expr};
use crate::language::{CmpOp, Func, Func2, Kind, Math, NamedConst};
use crate::name::{is_identifier, is_identifier_continue};
use crate::Constant;
use egg::{FromOp, Id};

/// Parses an s-expression.
///
/// ```
/// use symdiff_expr::{parse, parse_sexp};
/// assert_eq!(parse_sexp("(* x (sin (+ x 1/3)))").unwrap(), parse("x*sin(x + 1/3)").unwrap());
/// assert!(parse_sexp("(sin x y)").is_err());
/// ```
pub fn parse_sexp(source: &str) -> Result<Expr, ParseError> {
    let err = |kind, start: usize, end: usize, expected: &str| {
        let found = if start >= source.len() {
            "end of input".to_string()
        } else {
            quote(&source[start..end])
        };
        ParseError::new(source, kind, start, end - start, found, expected)
    };
    // Frames of open lists: (operator, its span, children so far).
    let mut frames: Vec<Frame> = Vec::new();
    let mut result: Option<Expr> = None;
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                if result.is_some() && frames.is_empty() {
                    return Err(err(
                        ParseErrorKind::UnexpectedToken,
                        start,
                        i,
                        "end of input",
                    ));
                }
                frames.push((None, start, Vec::new()));
                continue;
            }
            b')' => {
                i += 1;
                let Some((op, open, children)) = frames.pop() else {
                    return Err(err(
                        ParseErrorKind::UnexpectedToken,
                        start,
                        i,
                        "end of input (this `)` closes nothing)",
                    ));
                };
                let Some((op, op_start, op_end)) = op else {
                    return Err(err(
                        ParseErrorKind::UnexpectedToken,
                        start,
                        i,
                        "an operator after `(`",
                    ));
                };
                let node = build(source, &op, op_start, op_end, children, open)?;
                push(&mut frames, &mut result, node, source, start, i)?;
                continue;
            }
            _ => {}
        }
        while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | b'(' | b')') {
            i += 1;
        }
        let atom = &source[start..i];
        if let Some(frame) = frames.last_mut() {
            if frame.0.is_none() {
                frame.0 = Some((atom.to_string(), start, i));
                continue;
            }
        }
        let leaf = leaf(source, atom, start)?;
        push(&mut frames, &mut result, leaf, source, start, i)?;
    }
    if let Some(&(_, open, _)) = frames.last() {
        let at = ParseError::new(source, ParseErrorKind::UnexpectedEnd, open, 1, "", "");
        return Err(err(
            ParseErrorKind::UnexpectedEnd,
            source.len(),
            source.len(),
            &format!(
                "`)` to close the `(` at line {}, column {}",
                at.line, at.column
            ),
        ));
    }
    result.ok_or_else(|| {
        err(
            ParseErrorKind::Empty,
            0,
            0,
            "an s-expression such as (+ x 1)",
        )
    })
}

/// An open list: its operator with its byte span (once read), the offset of its `(`, and the
/// children read so far.
type Frame = (Option<(String, usize, usize)>, usize, Vec<Expr>);

fn push(
    frames: &mut [Frame],
    result: &mut Option<Expr>,
    node: Expr,
    source: &str,
    start: usize,
    end: usize,
) -> Result<(), ParseError> {
    match frames.last_mut() {
        Some(frame) => frame.2.push(node),
        None if result.is_some() => {
            return Err(ParseError::new(
                source,
                ParseErrorKind::UnexpectedToken,
                start,
                end - start,
                quote(&source[start..end]),
                "end of input (one expression only)",
            ))
        }
        None => *result = Some(node),
    }
    Ok(())
}

fn leaf(source: &str, atom: &str, start: usize) -> Result<Expr, ParseError> {
    let first = atom.as_bytes()[0];
    let numeric =
        first.is_ascii_digit() || first == b'.' || (matches!(first, b'-' | b'+') && atom.len() > 1);
    if numeric {
        return atom.parse::<Constant>().map(constant).map_err(|e| {
            ParseError::new(
                source,
                ParseErrorKind::InvalidNumber(e.to_string()),
                start,
                atom.len(),
                quote(atom),
                "a number",
            )
        });
    }
    if !is_identifier(atom) {
        let c = atom
            .chars()
            .find(|c| !(c.is_ascii() && is_identifier_continue(*c as u8)))
            .unwrap_or('?');
        return Err(ParseError::new(
            source,
            ParseErrorKind::InvalidCharacter(c),
            start,
            atom.len(),
            quote(atom),
            "a number, a variable or a list",
        ));
    }
    let keyword = matches!(atom, "if" | "and" | "or" | "not");
    if Func::from_name(atom).is_some() || Func2::from_name(atom).is_some() || keyword {
        return Err(ParseError::new(
            source,
            ParseErrorKind::UnexpectedToken,
            start,
            atom.len(),
            format!("`{atom}`"),
            format!("`({atom} ...)`: a function is applied inside a list"),
        ));
    }
    Ok(match atom.parse::<NamedConst>() {
        Ok(NamedConst::Pi) => Expr::pi(),
        Ok(NamedConst::E) => Expr::e(),
        Err(_) => var(atom),
    })
}

fn build(
    source: &str,
    op: &str,
    start: usize,
    end: usize,
    children: Vec<Expr>,
    open: usize,
) -> Result<Expr, ParseError> {
    let n = children.len();
    let op = if op == "log" { "ln" } else { op };
    let op = if op == "-" && n == 1 { "neg" } else { op };
    let ids: Vec<Id> = children.iter().map(|c| c.id()).collect();
    let expected_arity = match op {
        "+" | "-" | "*" | "/" | "^" | "d" | "and" | "or" => Some(2),
        "neg" | "not" => Some(1),
        "if" => Some(3),
        _ if Func::from_name(op).is_some() => Some(1),
        _ if Func2::from_name(op).is_some() || CmpOp::from_symbol(op).is_some() => Some(2),
        _ => None,
    };
    let Some(arity) = expected_arity else {
        return Err(ParseError::new(
            source,
            ParseErrorKind::UnknownFunction(op.to_string()),
            start,
            end - start,
            quote(op),
            "an operator: + - * / ^ neg d, a function name, if, a comparison (< <= > >= == !=), and, or, not",
        ));
    };
    if n != arity {
        return Err(ParseError::new(
            source,
            ParseErrorKind::WrongArity {
                name: op.to_string(),
                expected: arity,
                found: n,
            },
            open,
            end - open,
            format!("`{op}` with {n} arguments"),
            format!("({op}{})", " _".repeat(arity)),
        ));
    }
    if op == "d" && !matches!(children[0].node(), Math::Var(_)) {
        return Err(ParseError::new(
            source,
            ParseErrorKind::NotAVariable(children[0].to_string()),
            open,
            end - open,
            quote(&children[0].to_string()),
            "(d var expr)",
        ));
    }
    if op == "/"
        && children[0].as_constant().is_some()
        && children[1].as_constant().is_some_and(|c| c.is_zero())
    {
        {
            return Err(ParseError::new(
                source,
                ParseErrorKind::DivisionByZero,
                open,
                end - open,
                quote(&format!("{}/0", children[0])),
                "a non-zero divisor",
            ));
        }
    }
    let node = Math::from_op(op, ids).expect("operator and arity were checked");
    if let Some((i, kind)) = node.misplaced_operand(|id| Expr::from_id(id).node().kind()) {
        let (kind_error, expected) = match kind {
            Kind::Number => (
                ParseErrorKind::ConditionOutsideIf,
                "a number: a condition is only valid as the first operand of `if`".to_string(),
            ),
            Kind::Condition => (
                ParseErrorKind::ExpectedCondition,
                format!(
                    "a condition such as `(< x 0)` as operand {} of `{op}`",
                    i + 1
                ),
            ),
        };
        return Err(ParseError::new(
            source,
            kind_error,
            open,
            end - open,
            quote(&children[i].to_string()),
            expected,
        ));
    }
    Ok(Expr::from_node(node))
}
