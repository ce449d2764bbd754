//! Infix text, defined once and written directly.
//!
//! [`infix_form`] is the syntax of one node: what its text is made of (its operator symbol, its
//! operands, which of them need parentheses, where a line may break, what is grouped and
//! nested) from its operands' [`Fact`]s (precedence and sign). [`InfixText`] writes whole
//! statements (`name = text;` bindings and entries) of a [`Layout`] into one buffer, breaking
//! lines that do not fit in the width exactly as the `pretty` crate would lay out the same
//! document (Wadler's algorithm: a group is printed flat when it and the text up to the next
//! possible break fit in the width), without building a document: each node's one-line length
//! and the length of its text up to its first possible break are computed once, children
//! first, so deciding whether a group fits costs O(1) plus the text after it up to the next
//! break. The `pretty` crate itself is the oracle of the tests (`pretty_only`), at every
//! width.

use crate::language::{BinOp, Shape};
use crate::precedence::{AND, ATOM, COMPARISON, NEGATION, NOT, OR, POWER, PRODUCT, SUM};
use crate::print::Layout;
use crate::Constant;
use egg::Id;

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
    fn flat_len(&self, operand: impl Fn(Id) -> u64, constant: u64) -> u64 {
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

    /// The node's [`Lead`], given each operand's (parentheses included) and its own one-line
    /// length.
    fn lead(&self, operand: impl Fn(&Operand) -> Lead, flat: u64) -> Lead {
        match self {
            Form::Text(_) | Form::Num(_) => Lead {
                len: flat,
                breaks: false,
            },
            Form::Prefix(p, a) => operand(a).after(p.len() as u64),
            // A line may break right after the left operand.
            Form::Spaced(l, ..) => Lead {
                len: operand(l).len,
                breaks: true,
            },
            Form::Tight(l, s, r) => {
                let left = operand(l);
                if left.breaks {
                    return left;
                }
                operand(r).after(left.len.saturating_add(s.len() as u64))
            }
            Form::Call(name, args, n) => {
                let first = operand(&Operand {
                    id: args[0],
                    wrap: false,
                })
                .after(name.len() as u64 + 1);
                match (first.breaks, *n) {
                    (true, _) => first,
                    // `)`, or `,` and the line that may break after it.
                    (false, n) => Lead {
                        len: first.len.saturating_add(1),
                        breaks: n > 1,
                    },
                }
            }
        }
    }
}

/// The text of a node up to its first possible line break (what Wadler's algorithm measures
/// after a group to decide whether the group fits): its length, and whether a break follows
/// (else `len` is the whole one-line text).
#[derive(Debug, Clone, Copy)]
struct Lead {
    len: u64,
    breaks: bool,
}

impl Lead {
    /// This lead preceded by `len` more characters of text.
    fn after(self, len: u64) -> Lead {
        Lead {
            len: self.len.saturating_add(len),
            ..self
        }
    }

    /// Text of `len` characters with no break in it.
    fn text(len: u64) -> Lead {
        Lead { len, breaks: false }
    }
}

/// Whether the content of a command is printed on one line (a group that fits) or may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Break,
    Flat,
}

/// What a command prints.
#[derive(Debug, Clone, Copy)]
enum Item {
    /// Fixed text.
    Text(&'static str),
    /// A space, or a line break and the command's indentation.
    Line,
    /// `name =`, the start of the binding of a node.
    Definition(Id),
    /// A node's own text (its form), whether or not it is bound.
    Node(Id),
    /// An operand: its name if it is bound, else its text, in parentheses if it needs them.
    Operand(Operand),
}

/// One command of the layout stack: what to print, at which indentation, in which mode.
#[derive(Debug, Clone, Copy)]
struct Command {
    indent: usize,
    mode: Mode,
    item: Item,
}

/// The infix text of a [`Layout`]: every node's [`Fact`], the length of its one-line text and
/// its [`Lead`] (an operand bound to a name counts as the name), computed once, children first.
pub(crate) struct InfixText<'a> {
    layout: &'a Layout,
    facts: Vec<Fact>,
    flat: Vec<u64>,
    leads: Vec<Lead>,
    /// The text of each constant: an index into `constants` per node (`u32::MAX` for others).
    constant: Vec<u32>,
    constants: Vec<String>,
}

impl<'a> InfixText<'a> {
    /// Measures every node of `layout`, children first.
    pub(crate) fn new(layout: &'a Layout) -> InfixText<'a> {
        let n = layout.nodes.len();
        let mut text = InfixText {
            layout,
            facts: Vec::with_capacity(n),
            flat: Vec::with_capacity(n),
            leads: Vec::with_capacity(n),
            constant: vec![u32::MAX; n],
            constants: Vec::new(),
        };
        for i in 0..n {
            let id = Id::from(i);
            let (form, fact) = infix_form(layout.nodes[id].shape(), |c| text.operand_fact(c));
            if let Form::Num(c) = form {
                text.constant[i] = text.constants.len() as u32;
                text.constants.push(c.to_string());
            }
            let constant_len = text.constant_text(id).len() as u64;
            let flat = form.flat_len(|c| text.operand_len(c), constant_len);
            let lead = form.lead(|o| text.operand_lead(o), flat);
            text.facts.push(fact);
            text.flat.push(flat);
            text.leads.push(lead);
        }
        text
    }

    /// The fact of `id` as an operand: a bound node is printed as its name, an atom.
    fn operand_fact(&self, id: Id) -> Fact {
        if self.layout.is_bound(id) {
            Fact::ATOM
        } else {
            self.facts[usize::from(id)]
        }
    }

    /// The one-line length of `id` as an operand (without parentheses).
    fn operand_len(&self, id: Id) -> u64 {
        if self.layout.is_bound(id) {
            self.layout.name_len(id)
        } else {
            self.flat[usize::from(id)]
        }
    }

    /// The lead of an operand, parentheses included.
    fn operand_lead(&self, o: &Operand) -> Lead {
        if self.layout.is_bound(o.id) {
            return Lead::text(self.layout.name_len(o.id));
        }
        let inner = self.leads[usize::from(o.id)];
        match (o.wrap, inner.breaks) {
            (false, _) => inner,
            (true, true) => inner.after(1),
            (true, false) => inner.after(2),
        }
    }

    fn form(&self, id: Id) -> Form<'a> {
        infix_form(self.layout.nodes[id].shape(), |c| self.operand_fact(c)).0
    }

    fn constant_text(&self, id: Id) -> &str {
        self.constants
            .get(self.constant[usize::from(id)] as usize)
            .map_or("", String::as_str)
    }

    /// The lead of what a command prints.
    fn item_lead(&self, item: Item) -> Lead {
        match item {
            Item::Text(s) => Lead::text(s.len() as u64),
            Item::Line => Lead {
                len: 0,
                breaks: true,
            },
            Item::Definition(id) => Lead::text(self.layout.name_len(id) + 2),
            Item::Node(id) => self.leads[usize::from(id)],
            Item::Operand(o) => self.operand_lead(&o),
        }
    }

    /// The mode of a group of one-line length `flat` met at column `column` in mode `mode`,
    /// with `rest` still to print: flat if it and the rest up to the next possible break fit
    /// in `width` (the `pretty` crate's rule).
    fn group_mode(
        &self,
        mode: Mode,
        flat: u64,
        column: usize,
        rest: &[Command],
        width: usize,
    ) -> Mode {
        if mode == Mode::Flat {
            return Mode::Flat;
        }
        let width = width as u64;
        let mut end = (column as u64).saturating_add(flat);
        if end > width {
            return Mode::Break;
        }
        for command in rest.iter().rev() {
            let lead = self.item_lead(command.item);
            end = end.saturating_add(lead.len);
            if end > width {
                return Mode::Break;
            }
            if lead.breaks {
                break;
            }
        }
        Mode::Flat
    }

    /// Prints the commands of `stack` (the last first) into `out`, starting at column 0.
    /// Iterative: the stack holds a few commands per level of the printed piece.
    fn print(&self, mut stack: Vec<Command>, width: usize, out: &mut String) {
        let mut column = 0usize;
        while let Some(Command { indent, mode, item }) = stack.pop() {
            let at = |item| Command { indent, mode, item };
            match item {
                Item::Text(s) => {
                    out.push_str(s);
                    column += s.len();
                }
                Item::Line => match mode {
                    Mode::Flat => {
                        out.push(' ');
                        column += 1;
                    }
                    Mode::Break => {
                        out.push('\n');
                        out.extend(std::iter::repeat_n(' ', indent));
                        column = indent;
                    }
                },
                Item::Definition(id) => {
                    self.layout.write_name(id, out);
                    out.push_str(" =");
                    column += self.layout.name_len(id) as usize + 2;
                }
                Item::Operand(o) if self.layout.is_bound(o.id) => {
                    self.layout.write_name(o.id, out);
                    column += self.layout.name_len(o.id) as usize;
                }
                Item::Operand(o) if o.wrap => {
                    let flat = self.flat[usize::from(o.id)].saturating_add(2);
                    let mode = self.group_mode(mode, flat, column, &stack, width);
                    stack.push(Command {
                        indent,
                        mode,
                        item: Item::Text(")"),
                    });
                    stack.push(Command {
                        indent: indent + 1,
                        mode,
                        item: Item::Node(o.id),
                    });
                    stack.push(Command {
                        indent,
                        mode,
                        item: Item::Text("("),
                    });
                }
                Item::Operand(o) => stack.push(at(Item::Node(o.id))),
                Item::Node(id) => match self.form(id) {
                    Form::Text(s) => {
                        out.push_str(s);
                        column += s.len();
                    }
                    Form::Num(_) => {
                        let s = self.constant_text(id);
                        out.push_str(s);
                        column += s.len();
                    }
                    Form::Prefix(p, a) => {
                        out.push_str(p);
                        column += p.len();
                        stack.push(at(Item::Operand(a)));
                    }
                    Form::Tight(l, s, r) => {
                        stack.push(at(Item::Operand(r)));
                        stack.push(at(Item::Text(s)));
                        stack.push(at(Item::Operand(l)));
                    }
                    Form::Spaced(l, s, r) => {
                        let flat = self.flat[usize::from(id)];
                        let mode = self.group_mode(mode, flat, column, &stack, width);
                        let at = |item| Command { indent, mode, item };
                        stack.push(at(Item::Operand(r)));
                        stack.push(at(Item::Text(" ")));
                        stack.push(at(Item::Text(s)));
                        stack.push(at(Item::Line));
                        stack.push(at(Item::Operand(l)));
                    }
                    Form::Call(name, args, n) => {
                        let flat = self.flat[usize::from(id)];
                        let mode = self.group_mode(mode, flat, column, &stack, width);
                        let at = |indent, item| Command { indent, mode, item };
                        stack.push(at(indent, Item::Text(")")));
                        for (k, &a) in args[..n].iter().enumerate().rev() {
                            stack.push(at(
                                indent + 2,
                                Item::Operand(Operand { id: a, wrap: false }),
                            ));
                            if k > 0 {
                                stack.push(at(indent + 2, Item::Line));
                                stack.push(at(indent + 2, Item::Text(",")));
                            }
                        }
                        out.push_str(name);
                        out.push('(');
                        column += name.len() + 1;
                    }
                },
            }
        }
    }

    /// Appends the statement `name = text;` for the bound node `id`, at `width` columns: one
    /// line if it fits, else `name =` and the text on the next lines, indented by 2.
    pub(crate) fn write_binding(&self, id: Id, width: usize, out: &mut String) {
        let flat = self.layout.name_len(id) + 3 + self.flat[usize::from(id)].saturating_add(1);
        let mode = self.group_mode(Mode::Break, flat, 0, &[], width);
        let at = |indent, item| Command { indent, mode, item };
        let stack = vec![
            at(0, Item::Text(";")),
            at(2, Item::Node(id)),
            at(2, Item::Line),
            at(0, Item::Definition(id)),
        ];
        self.print(stack, width, out);
    }

    /// Appends the text of the root `id`: its name if it is bound, else its text at `width`
    /// columns.
    pub(crate) fn write_entry(&self, id: Id, width: usize, out: &mut String) {
        let item = Item::Operand(Operand { id, wrap: false });
        let command = Command {
            indent: 0,
            mode: Mode::Break,
            item,
        };
        self.print(vec![command], width, out);
    }

    /// The length of the whole block with one line per statement (an estimate of its size).
    pub(crate) fn estimated_len(&self) -> usize {
        let layout = self.layout;
        let bindings = layout
            .order
            .iter()
            .map(|&id| self.flat[usize::from(id)].saturating_add(layout.name_len(id) + 5));
        let entries = layout
            .roots
            .iter()
            .map(|&id| self.operand_len(id).saturating_add(2));
        let total = bindings.chain(entries).fold(0u64, u64::saturating_add);
        usize::try_from(total).unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    //! The `pretty` crate is the oracle: the same statements built as its documents and
    //! rendered by it must give the same text at every width.

    use super::*;
    use crate::language::{CmpOp, Func, Func2};
    use crate::print::{write_infix_block, Sharing};
    use crate::{parse, var, Expr};
    use egg::Language;
    use hashbrown::HashMap;
    use pretty::RcDoc;

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

    /// A node's `pretty` document, given each operand's: the printer's syntax, written as
    /// documents.
    fn form_doc(
        form: Form,
        constant: &str,
        operand: impl Fn(Id) -> RcDoc<'static>,
    ) -> RcDoc<'static> {
        let of = |o: &Operand| parenthesize(operand(o.id), o.wrap);
        match form {
            Form::Text(s) => RcDoc::text(s),
            Form::Num(_) => RcDoc::text(constant.to_string()),
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

    /// The document of `top`'s own text (operands bound to names as their names).
    fn node_doc(text: &InfixText, top: Id) -> RcDoc<'static> {
        let layout = text.layout;
        let mut docs: HashMap<Id, RcDoc<'static>> = HashMap::new();
        let mut stack = vec![(top, false)];
        let inline = |c: &Id| !layout.is_bound(*c);
        while let Some((id, expanded)) = stack.pop() {
            if docs.contains_key(&id) {
                continue;
            }
            if !expanded {
                stack.push((id, true));
                let operands = layout.nodes[id].children();
                stack.extend(operands.iter().filter(|c| inline(c)).map(|&c| (c, false)));
                continue;
            }
            let doc = form_doc(text.form(id), text.constant_text(id), |c| {
                match inline(&c) {
                    true => docs[&c].clone(),
                    false => RcDoc::text(layout.name(c)),
                }
            });
            docs.insert(id, doc);
        }
        docs.remove(&top).expect("the top is built last")
    }

    fn render(doc: RcDoc<'static>, width: usize) -> String {
        let mut out = Vec::new();
        doc.render(width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The block as the `pretty` crate prints it: every statement a document.
    fn pretty_only(roots: &[Expr], width: usize, sharing: Sharing) -> String {
        let layout = Layout::plan(roots, sharing);
        let text = InfixText::new(&layout);
        let mut out = String::new();
        for &id in &layout.order {
            let binding = RcDoc::text(format!("{} =", layout.name(id)))
                .append(RcDoc::line().append(node_doc(&text, id)).nest(2))
                .append(RcDoc::text(";"))
                .group();
            out += &render(binding, width);
            out.push('\n');
        }
        let entries: Vec<String> = layout
            .roots
            .iter()
            .map(|&id| match layout.is_bound(id) {
                true => layout.name(id),
                false => render(node_doc(&text, id), width),
            })
            .collect();
        out + &entries.join(";\n")
    }

    /// Random expressions over every construct, with shared subexpressions (a fixed-seed
    /// generator: each new node combines earlier ones).
    fn random_pool(seed: u64, size: usize) -> Vec<Expr> {
        let mut state = seed;
        let mut next = move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        };
        let mut pool: Vec<Expr> = ["x", "y", "long_variable_name_", "t1"]
            .iter()
            .map(|v| var(v))
            .chain([-3, 0, 2, 100].map(Expr::from))
            .chain([Expr::pi(), parse("1/3").unwrap(), parse("-22/7").unwrap()])
            .collect();
        let mut conditions = vec![Expr::compare(CmpOp::Lt, pool[0], pool[1])];
        for _ in 0..size {
            let (a, b) = (pool[next(pool.len())], pool[next(pool.len())]);
            let c = conditions[next(conditions.len())];
            let e = match next(12) {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                3 if b.as_constant().is_none_or(|c| !c.is_zero()) => a / b,
                4 => a.pow(b),
                5 => -a,
                6 => a.apply(Func::ALL[next(Func::ALL.len())]),
                7 => a.apply2(Func2::ALL[next(Func2::ALL.len())], b),
                8 => Expr::if_else(c, a, b),
                9 => {
                    let op = CmpOp::ALL[next(CmpOp::ALL.len())];
                    let d = match next(4) {
                        0 => c.and(Expr::compare(op, a, b)),
                        1 => c.or(Expr::compare(op, a, b)),
                        2 => !c,
                        _ => Expr::compare(op, a, b),
                    };
                    conditions.push(d);
                    continue;
                }
                10 => b.derivative(pool[0]),
                _ => a * 4 * (1 - a),
            };
            pool.push(e);
        }
        pool
    }

    #[test]
    fn statements_are_laid_out_as_pretty_lays_them_out() {
        // Every width up to 120 (so statements exactly as long as the width are met) on some
        // seeds, a few widths on the others.
        let mut broken = 0;
        for seed in 0..40 {
            let pool = random_pool(seed, 120);
            let tail = &pool[pool.len() - 12..];
            let widths: Vec<usize> = match seed < 8 {
                true => (1..=120).collect(),
                false => vec![1, 8, 16, 30, 60, 100, 250],
            };
            for width in widths {
                for sharing in [Sharing::Auto, Sharing::Always, Sharing::Never] {
                    for roots in [&tail[11..], &tail[..5], tail] {
                        let mut ours = String::new();
                        write_infix_block(&mut ours, roots, width, sharing, |_, _| {});
                        let theirs = pretty_only(roots, width, sharing);
                        assert_eq!(ours, theirs, "seed {seed}, width {width}, {sharing:?}");
                        broken += ours.lines().filter(|l| l.starts_with(' ')).count();
                    }
                }
            }
        }
        // The comparison covered line breaks, not only one-line statements.
        assert!(broken > 10_000, "{broken}");
    }

    #[test]
    fn a_long_sum_of_calls_breaks_like_pretty() {
        // The shape of a hidden unit of a network: `tanh(w0*in0 + ... + w9*in9 + b)`.
        let terms: Vec<String> = (0..10).map(|i| format!("w0_{i}*in{i}")).collect();
        let e = parse(&format!("v0*tanh({} + b0)", terms.join(" + "))).unwrap();
        for width in [20, 60, 80, 100] {
            let mut ours = String::new();
            write_infix_block(&mut ours, &[e, e.sin()], width, Sharing::Always, |_, _| {});
            assert_eq!(ours, pretty_only(&[e, e.sin()], width, Sharing::Always));
        }
    }
}
