//! The infix syntax of one node, defined once: [`infix_form`] says what a node's text is made
//! of (its operator symbol, its operands, which of them need parentheses, where a line may
//! break) from its operands' [`Fact`]s (precedence and sign), and two renderers follow it:
//!
//! - [`Form::doc`], a `pretty` document (groups, nesting, breakable spaces), for a statement
//!   that does not fit on one line;
//! - [`write_flat`], the same text on one line, written straight into the output buffer with an
//!   explicit stack (no document, no intermediate string), for every statement that fits.
//!
//! A statement whose one-line text fits in the width is printed by the `pretty` crate exactly as
//! that one line (every breakable space sits in a group, and a group that fits is flat), so the
//! two renderers print the same text; [`Form::flat_len`] decides which one runs.

use crate::language::{BinOp, Shape};
use crate::precedence::{AND, ATOM, COMPARISON, NEGATION, NOT, OR, POWER, PRODUCT, SUM};
use crate::Constant;
use egg::Id;
use pretty::RcDoc;

/// What a parent needs to know about a printed operand: its precedence and whether its text
/// starts with `-`. A name bound to a subexpression is an [`Fact::ATOM`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fact {
    pub(crate) prec: u8,
    pub(crate) negative: bool,
}

impl Fact {
    /// A variable, a call, a binding's name: never parenthesized, never negative.
    pub(crate) const ATOM: Fact = Fact {
        prec: ATOM,
        negative: false,
    };
}

/// An operand of a node and whether it is printed in parentheses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operand {
    pub(crate) id: Id,
    pub(crate) wrap: bool,
}

/// What a node's infix text is made of.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Form<'n> {
    /// A variable, a named constant, or a function-free piece of text.
    Text(&'static str),
    /// A rational constant (printed with [`Constant`]'s `Display`: `3`, `-3`, `1/3`).
    Num(&'n Constant),
    /// `-a`, `not a`: the prefix, then the operand.
    Prefix(&'static str, Operand),
    /// `a + b`, `a < b`, `a and b`: a line may break before the operator (a group).
    Spaced(Operand, &'static str, Operand),
    /// `a*b`, `a/b`, `a^b`: no spaces, no break.
    Tight(Operand, &'static str, Operand),
    /// `f(a, b, c)`: the first `len` arguments, a line may break after each comma (a group,
    /// arguments nested by 2).
    Call(&'static str, [Id; 3], usize),
}

/// The precedence of a binary operator.
fn binary_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Add | BinOp::Sub => SUM,
        BinOp::Mul | BinOp::Div => PRODUCT,
        BinOp::Pow => POWER,
    }
}

/// Whether a binary operator's operands need parentheses, given their facts.
pub(crate) fn wrap_operands(op: BinOp, left: Fact, right: Fact) -> (bool, bool) {
    let p = binary_prec(op);
    let (left_min, right_min) = if op == BinOp::Pow {
        (ATOM, POWER)
    } else {
        (p, p + 1)
    };
    (
        left.prec < left_min,
        right.prec < right_min || right.negative,
    )
}

/// The fact of a binary operator's result, given its operands' facts and whether the left one
/// is wrapped.
pub(crate) fn binary_fact(op: BinOp, left: Fact, wrap_left: bool) -> Fact {
    Fact {
        prec: binary_prec(op),
        negative: left.negative && !wrap_left,
    }
}

/// A constant's fact: integers are atoms (negative ones a negation), other rationals are
/// quotients `p/q`, as a CAS prints them (`x^(3/2)`, `1/8`).
pub(crate) fn constant_fact(c: &Constant) -> Fact {
    let prec = if !c.value().is_integer() {
        PRODUCT
    } else if c.is_negative() {
        NEGATION
    } else {
        ATOM
    };
    Fact {
        prec,
        negative: c.is_negative(),
    }
}

/// Whether the operand of a unary minus needs parentheses.
pub(crate) fn wrap_negated(inner: Fact) -> bool {
    inner.prec < POWER || inner.negative
}

/// Whether the operand of `not` needs parentheses.
pub(crate) fn wrap_not(inner: Fact) -> bool {
    inner.prec < NOT
}

/// Whether the operands of a left-associative operator of precedence `prec` (a comparison,
/// `and`, `or`) need parentheses.
pub(crate) fn wrap_left_associative(prec: u8, left: Fact, right: Fact) -> (bool, bool) {
    (left.prec < prec, right.prec <= prec)
}

/// The form of a node of shape `shape` and its own fact, given each operand's fact.
pub(crate) fn infix_form<'n>(shape: Shape<'n>, fact: impl Fn(Id) -> Fact) -> (Form<'n>, Fact) {
    let operand = |id, wrap| Operand { id, wrap };
    let spaced = |symbol, prec, l, r| {
        let (wl, wr) = wrap_left_associative(prec, fact(l), fact(r));
        (
            Form::Spaced(operand(l, wl), symbol, operand(r, wr)),
            Fact {
                prec,
                negative: false,
            },
        )
    };
    let call = |name, args: &[Id]| {
        let mut ids = [Id::from(0usize); 3];
        ids[..args.len()].copy_from_slice(args);
        (Form::Call(name, ids, args.len()), Fact::ATOM)
    };
    match shape {
        Shape::Var(s) => (Form::Text(s.as_str()), Fact::ATOM),
        Shape::Named(n) => (Form::Text(n.name()), Fact::ATOM),
        Shape::Num(c) => (Form::Num(c), constant_fact(c)),
        Shape::Neg(a) => (
            Form::Prefix("-", operand(a, wrap_negated(fact(a)))),
            Fact {
                prec: NEGATION,
                negative: true,
            },
        ),
        Shape::Not(a) => (
            Form::Prefix("not ", operand(a, wrap_not(fact(a)))),
            Fact {
                prec: NOT,
                negative: false,
            },
        ),
        Shape::Call(f, a) => call(f.name(), &[a]),
        Shape::Call2(f, a, b) => call(f.name(), &[a, b]),
        Shape::If(c, a, b) => call("if", &[c, a, b]),
        Shape::Derivative(v, e) => call("d", &[v, e]),
        Shape::Compare(op, l, r) => spaced(op.symbol(), COMPARISON, l, r),
        Shape::And(l, r) => spaced("and", AND, l, r),
        Shape::Or(l, r) => spaced("or", OR, l, r),
        Shape::Binary(op, l, r) => {
            let (left, right) = (fact(l), fact(r));
            let (wl, wr) = wrap_operands(op, left, right);
            let (l, r) = (operand(l, wl), operand(r, wr));
            let form = match op {
                BinOp::Add | BinOp::Sub => Form::Spaced(l, op.symbol(), r),
                BinOp::Mul | BinOp::Div | BinOp::Pow => Form::Tight(l, op.symbol(), r),
            };
            (form, binary_fact(op, left, wl))
        }
    }
}

impl Form<'_> {
    /// The length of the one-line text, given each operand's (saturating: a tree printed
    /// without sharing can be astronomically long) and, for a constant, its text's.
    pub(crate) fn flat_len(&self, operand: impl Fn(Id) -> u64, constant: u64) -> u64 {
        let of = |o: &Operand| operand(o.id).saturating_add(2 * o.wrap as u64);
        let text = |s: &str| s.len() as u64;
        match self {
            Form::Text(s) => text(s),
            Form::Num(_) => constant,
            Form::Prefix(p, a) => text(p).saturating_add(of(a)),
            Form::Spaced(l, s, r) => of(l).saturating_add(text(s) + 2).saturating_add(of(r)),
            Form::Tight(l, s, r) => of(l).saturating_add(text(s)).saturating_add(of(r)),
            Form::Call(name, args, n) => args[..*n]
                .iter()
                .fold(text(name) + 2 + 2 * (*n as u64 - 1), |sum, &a| {
                    sum.saturating_add(operand(a))
                }),
        }
    }

    /// The `pretty` document, given each operand's.
    pub(crate) fn doc(
        &self,
        num_text: &str,
        operand: impl Fn(Id) -> RcDoc<'static>,
    ) -> RcDoc<'static> {
        let of = |o: &Operand| parenthesize(operand(o.id), o.wrap);
        match *self {
            Form::Text(s) => RcDoc::text(s),
            Form::Num(_) => RcDoc::text(num_text.to_string()),
            Form::Prefix(p, ref a) => RcDoc::text(p).append(of(a)),
            Form::Spaced(ref l, s, ref r) => of(l)
                .append(RcDoc::line())
                .append(RcDoc::text(s))
                .append(RcDoc::space())
                .append(of(r))
                .group(),
            Form::Tight(ref l, s, ref r) => of(l).append(RcDoc::text(s)).append(of(r)),
            Form::Call(name, args, n) => {
                let args = args[..n].iter().map(|&a| operand(a));
                let args = RcDoc::intersperse(args, RcDoc::text(",").append(RcDoc::line()));
                RcDoc::text(name)
                    .append(RcDoc::text("("))
                    .append(args.nest(2))
                    .append(RcDoc::text(")"))
                    .group()
            }
        }
    }
}

fn parenthesize(doc: RcDoc<'static>, wrap: bool) -> RcDoc<'static> {
    if wrap {
        RcDoc::text("(")
            .append(doc.nest(1))
            .append(RcDoc::text(")"))
            .group()
    } else {
        doc
    }
}

/// One step of [`write_flat`]'s stack.
enum Step {
    /// Write this text.
    Text(&'static str),
    /// Write this node's text (its form, expanded).
    Node(Id),
    /// Write this operand: its name if it is bound, else its text.
    Operand(Id),
}

/// Writes the one-line text of `top`'s form into `out`, expanding operands that are not bound
/// to names (`name` writes the name of a bound one and returns `true`). `form` gives a node's
/// form, `num` writes a constant. Iterative: the stack holds at most a few steps per level of
/// the printed piece.
pub(crate) fn write_flat<'n>(
    out: &mut String,
    top: Id,
    form: impl Fn(Id) -> Form<'n>,
    mut name: impl FnMut(Id, &mut String) -> bool,
    mut num: impl FnMut(Id, &mut String),
) {
    let mut stack = vec![Step::Node(top)];
    while let Some(step) = stack.pop() {
        let id = match step {
            Step::Text(s) => {
                out.push_str(s);
                continue;
            }
            Step::Operand(id) => {
                if name(id, out) {
                    continue;
                }
                id
            }
            Step::Node(id) => id,
        };
        // Pushes an operand (and its parentheses), to be written in stack order.
        let push = |stack: &mut Vec<Step>, o: Operand| {
            if o.wrap {
                stack.push(Step::Text(")"));
                stack.push(Step::Operand(o.id));
                stack.push(Step::Text("("));
            } else {
                stack.push(Step::Operand(o.id));
            }
        };
        match form(id) {
            Form::Text(s) => out.push_str(s),
            Form::Num(_) => num(id, out),
            Form::Prefix(p, a) => {
                out.push_str(p);
                push(&mut stack, a);
            }
            Form::Spaced(l, s, r) => {
                push(&mut stack, r);
                stack.push(Step::Text(" "));
                stack.push(Step::Text(s));
                stack.push(Step::Text(" "));
                push(&mut stack, l);
            }
            Form::Tight(l, s, r) => {
                push(&mut stack, r);
                stack.push(Step::Text(s));
                push(&mut stack, l);
            }
            Form::Call(f, args, n) => {
                out.push_str(f);
                out.push('(');
                stack.push(Step::Text(")"));
                for (k, &a) in args[..n].iter().enumerate().rev() {
                    stack.push(Step::Operand(a));
                    if k > 0 {
                        stack.push(Step::Text(", "));
                    }
                }
            }
        }
    }
}
