//! Printers: infix (with the minimum of parentheses, line-broken with the `pretty` crate), LaTeX
//! and s-expressions.
//!
//! Infix and LaTeX never unfold a DAG blindly: when sharing matters (the tree is more than twice
//! the DAG) shared subexpressions are printed once as bindings, `t1 = 1 - x; t2 = x*t1; 4*t2`,
//! a syntax [`parse`](crate::parse) reads back. Every printed piece is at most
//! [`MAX_INLINE_DEPTH`] deep, so printing never recurses deeply.

use crate::error::PrintError;
use crate::expr::{reachable_in, with_nodes, Expr};
use crate::language::{BinOp, Func, Math, NamedConst, Shape};
use crate::Constant;
use egg::{Id, Language};
use pretty::RcDoc;
use std::collections::HashMap;

/// The deepest subexpression printed inline; deeper parts are bound to names.
pub const MAX_INLINE_DEPTH: usize = 64;
/// The largest tree the s-expression printer unfolds.
pub const MAX_SEXP_TREE: u64 = 10_000_000;
/// Line width of `Display`.
pub const DEFAULT_WIDTH: usize = 100;

/// When to print shared subexpressions as bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sharing {
    /// Bind shared subexpressions when the tree is more than twice the DAG and has more than 40
    /// nodes (small results print as plain infix).
    #[default]
    Auto,
    /// Bind every non-leaf subexpression used more than once.
    Always,
    /// Never bind for sharing (only to bound the depth of what is printed inline).
    Never,
}

const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const NEGATION: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// Which nodes get a name, and in which order the bindings are printed.
struct Layout {
    names: HashMap<Id, String>,
    order: Vec<Id>,
}

impl Layout {
    fn plan(nodes: &[Math], roots: &[Id], sharing: Sharing) -> Layout {
        let order = reachable_in(nodes, roots);
        let mut uses: HashMap<Id, usize> = HashMap::with_capacity(order.len());
        for &id in &order {
            for &c in nodes[usize::from(id)].children() {
                *uses.entry(c).or_default() += 1;
            }
        }
        for r in roots {
            *uses.entry(*r).or_default() += 1;
        }
        let share = match sharing {
            Sharing::Always => true,
            Sharing::Never => false,
            Sharing::Auto => {
                // Count tree nodes (saturating) against DAG nodes.
                let mut paths: HashMap<Id, u64> = HashMap::with_capacity(order.len());
                for r in roots {
                    *paths.entry(*r).or_default() += 1;
                }
                for &id in order.iter().rev() {
                    let p = paths.get(&id).copied().unwrap_or(0);
                    for &c in nodes[usize::from(id)].children() {
                        let e = paths.entry(c).or_default();
                        *e = e.saturating_add(p);
                    }
                }
                let tree = paths.values().fold(0u64, |a, &b| a.saturating_add(b));
                tree > 40 && tree > 2 * order.len() as u64
            }
        };
        let mut bound: Vec<Id> = Vec::new();
        let mut is_bound: HashMap<Id, bool> = HashMap::new();
        let mut depth: HashMap<Id, usize> = HashMap::with_capacity(order.len());
        for &id in &order {
            let node = &nodes[usize::from(id)];
            let d = 1 + node
                .children()
                .iter()
                .map(|c| {
                    if is_bound.contains_key(c) {
                        1
                    } else {
                        depth[c]
                    }
                })
                .max()
                .unwrap_or(0);
            depth.insert(id, d);
            let is_root = roots.contains(&id);
            let shared = share && !node.is_leaf() && uses[&id] >= 2;
            let too_deep = d >= MAX_INLINE_DEPTH;
            if (shared || too_deep) && !(is_root && roots.len() == 1) {
                bound.push(id);
                is_bound.insert(id, true);
            }
        }
        let prefix = binding_prefix(nodes, &order);
        let names = bound
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, format!("{prefix}{}", i + 1)))
            .collect();
        Layout {
            names,
            order: bound,
        }
    }
}

/// A name prefix (`t`, `tmp`, ...) such that no variable of the expression is prefix+digits.
fn binding_prefix(nodes: &[Math], order: &[Id]) -> String {
    let vars: Vec<&str> = order
        .iter()
        .filter_map(|&id| match &nodes[usize::from(id)] {
            Math::Var(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    ["t", "tmp", "_t", "__t"]
        .iter()
        .map(|s| s.to_string())
        .chain((0..).map(|i| format!("_t{i}_")))
        .find(|p| {
            !vars.iter().any(|v| {
                v.strip_prefix(p.as_str()).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                })
            })
        })
        .expect("an unused prefix exists")
}

/// One printed piece: its document, its precedence, and whether its text starts with `-`.
struct Piece<D> {
    doc: D,
    prec: u8,
    negative: bool,
}

/// Integers as digits, other rationals as `p/q` in lowest terms (a quotient), as a CAS prints
/// them: `x^(3/2)`, `1/8`.
fn constant_text(c: &Constant) -> (String, u8) {
    let prec = if !c.value().is_integer() {
        PRODUCT
    } else if c.is_negative() {
        NEGATION
    } else {
        ATOM
    };
    (c.to_string(), prec)
}

fn binary_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Add | BinOp::Sub => SUM,
        BinOp::Mul | BinOp::Div => PRODUCT,
        BinOp::Pow => POWER,
    }
}

/// Whether a binary operator's operands need parentheses, given their precedence and sign.
fn wrap_operands(op: BinOp, left: (u8, bool), right: (u8, bool)) -> (bool, bool) {
    let p = binary_prec(op);
    let (left_min, right_min) = if op == BinOp::Pow {
        (ATOM, POWER)
    } else {
        (p, p + 1)
    };
    (left.0 < left_min, right.0 < right_min || right.1)
}

struct Infix<'a> {
    nodes: &'a [Math],
    layout: &'a Layout,
}

impl Infix<'_> {
    fn piece(&self, id: Id) -> Piece<RcDoc<'static>> {
        if let Some(name) = self.layout.names.get(&id) {
            return Piece {
                doc: RcDoc::text(name.clone()),
                prec: ATOM,
                negative: false,
            };
        }
        self.node(id)
    }

    fn node(&self, id: Id) -> Piece<RcDoc<'static>> {
        let atom = |doc| Piece {
            doc,
            prec: ATOM,
            negative: false,
        };
        match self.nodes[usize::from(id)].shape() {
            Shape::Var(s) => atom(RcDoc::text(s.as_str().to_string())),
            Shape::Named(n) => atom(RcDoc::text(n.name())),
            Shape::Num(c) => {
                let (text, prec) = constant_text(c);
                Piece {
                    doc: RcDoc::text(text),
                    prec,
                    negative: c.is_negative(),
                }
            }
            Shape::Neg(a) => {
                let inner = self.piece(a);
                let doc = parenthesize(inner.doc, inner.prec < POWER || inner.negative);
                Piece {
                    doc: RcDoc::text("-").append(doc),
                    prec: NEGATION,
                    negative: true,
                }
            }
            Shape::Call(f, a) => atom(call(f.name(), vec![self.piece(a).doc])),
            Shape::Derivative(v, e) => atom(call("d", vec![self.piece(v).doc, self.piece(e).doc])),
            Shape::Binary(op, l, r) => {
                let (left, right) = (self.piece(l), self.piece(r));
                let (wl, wr) =
                    wrap_operands(op, (left.prec, left.negative), (right.prec, right.negative));
                let negative = left.negative && !wl;
                let (ld, rd) = (parenthesize(left.doc, wl), parenthesize(right.doc, wr));
                let doc = match op {
                    BinOp::Add | BinOp::Sub => ld
                        .append(RcDoc::line())
                        .append(RcDoc::text(op.symbol()))
                        .append(RcDoc::space())
                        .append(rd)
                        .group(),
                    _ => ld.append(RcDoc::text(op.symbol())).append(rd),
                };
                Piece {
                    doc,
                    prec: binary_prec(op),
                    negative,
                }
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

fn call(name: &'static str, args: Vec<RcDoc<'static>>) -> RcDoc<'static> {
    let args = RcDoc::intersperse(args, RcDoc::text(",").append(RcDoc::line()));
    RcDoc::text(name)
        .append(RcDoc::text("("))
        .append(args.nest(2))
        .append(RcDoc::text(")"))
        .group()
}

fn render(doc: RcDoc<'static>, width: usize) -> String {
    let mut out = Vec::new();
    doc.render(width, &mut out)
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the printer writes UTF-8")
}

impl Expr {
    /// Infix text, line-broken to `width` columns, with shared subexpressions bound to names as
    /// `sharing` says. The result parses back to the same expression.
    ///
    /// ```
    /// use symdiff_expr::{parse, var, Sharing};
    /// let x = var("x");
    /// let mut l = x;
    /// for _ in 0..6 { l = 4 * l * (1 - l); }
    /// let text = l.to_infix(80, Sharing::Auto);
    /// assert!(text.starts_with("t1 = 4*x*(1 - x);"));
    /// assert_eq!(parse(&text).unwrap(), l);
    /// assert_eq!((x * (1 - x)).to_infix(80, Sharing::Auto), "x*(1 - x)");
    /// ```
    pub fn to_infix(self, width: usize, sharing: Sharing) -> String {
        with_nodes(|nodes| {
            let layout = Layout::plan(nodes, &[self.id()], sharing);
            let printer = Infix {
                nodes,
                layout: &layout,
            };
            let mut doc = RcDoc::nil();
            for id in &layout.order {
                let binding = RcDoc::text(format!("{} =", layout.names[id]))
                    .append(RcDoc::line().append(printer.node(*id).doc).nest(2))
                    .append(RcDoc::text(";"))
                    .group();
                doc = doc.append(binding).append(RcDoc::hardline());
            }
            render(doc.append(printer.node(self.id()).doc), width)
        })
    }

    /// LaTeX, with `\frac`, `\sin`, `^{}`; shared subexpressions (as for [`Expr::to_infix`]) are
    /// printed as an `aligned` block of bindings.
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// assert_eq!(parse("sin(x)^2/(1 + x1)").unwrap().to_latex(), r"\frac{\sin\left(x\right)^{2}}{1 + x_{1}}");
    /// ```
    pub fn to_latex(self) -> String {
        with_nodes(|nodes| {
            let layout = Layout::plan(nodes, &[self.id()], Sharing::Auto);
            let printer = Latex {
                nodes,
                layout: &layout,
            };
            let result = printer.node(self.id()).doc;
            if layout.order.is_empty() {
                return result;
            }
            let mut out = String::from("\\begin{aligned}\n");
            for id in &layout.order {
                out += &format!(
                    "{} &= {} \\\\\n",
                    latex_name(&layout.names[id]),
                    printer.node(*id).doc
                );
            }
            out += &format!("& {result}\n\\end{{aligned}}");
            out
        })
    }

    /// The s-expression form used by egg, e.g. `(* 4 (+ x 1))`. It unfolds the DAG into a tree,
    /// so a tree larger than [`MAX_SEXP_TREE`] nodes is refused.
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// assert_eq!(parse("-x^2 + 1/3").unwrap().to_sexp().unwrap(), "(+ (neg (^ x 2)) 1/3)");
    /// ```
    pub fn to_sexp(self) -> Result<String, PrintError> {
        let tree = self.tree_size();
        if tree > MAX_SEXP_TREE.into() {
            return Err(PrintError::TooLarge {
                tree: tree.to_string(),
                limit: MAX_SEXP_TREE as usize,
            });
        }
        enum Step {
            Visit(Id),
            Close,
        }
        Ok(with_nodes(|nodes| {
            let mut out = String::new();
            let mut stack = vec![Step::Visit(self.id())];
            while let Some(step) = stack.pop() {
                match step {
                    Step::Close => out.push(')'),
                    Step::Visit(id) => {
                        if !out.is_empty() && !out.ends_with('(') {
                            out.push(' ');
                        }
                        let node = &nodes[usize::from(id)];
                        if node.is_leaf() {
                            out += &node.to_string();
                        } else {
                            out.push('(');
                            out += &node.to_string();
                            stack.push(Step::Close);
                            stack.extend(node.children().iter().rev().map(|&c| Step::Visit(c)));
                        }
                    }
                }
            }
            out
        }))
    }
}

impl std::fmt::Display for Expr {
    /// Infix at [`DEFAULT_WIDTH`] columns with [`Sharing::Auto`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_infix(DEFAULT_WIDTH, Sharing::Auto))
    }
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({self})")
    }
}

struct Latex<'a> {
    nodes: &'a [Math],
    layout: &'a Layout,
}

const GREEK: [&str; 22] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];

/// `x1` → `x_{1}`, `x_2` → `x_{2}`, `theta` → `\theta`, `rate` → `\mathrm{rate}`.
fn latex_name(name: &str) -> String {
    let (stem, sub) = match name.find('_').filter(|&i| i > 0) {
        Some(i) => (&name[..i], Some(&name[i + 1..])),
        None => {
            let split = name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            if split > 0 && split < name.len() {
                (&name[..split], Some(&name[split..]))
            } else {
                (name, None)
            }
        }
    };
    let stem = if GREEK.contains(&stem) {
        format!("\\{stem}")
    } else if stem.len() > 1 {
        format!("\\mathrm{{{}}}", stem.replace('_', "\\_"))
    } else {
        stem.to_string()
    };
    match sub {
        Some(sub) if !sub.is_empty() => format!("{stem}_{{{}}}", sub.replace('_', "\\_")),
        _ => stem,
    }
}

fn latex_paren(text: String, wrap: bool) -> String {
    if wrap {
        format!("\\left({text}\\right)")
    } else {
        text
    }
}

impl Latex<'_> {
    fn piece(&self, id: Id) -> Piece<String> {
        if let Some(name) = self.layout.names.get(&id) {
            return Piece {
                doc: latex_name(name),
                prec: ATOM,
                negative: false,
            };
        }
        self.node(id)
    }

    fn node(&self, id: Id) -> Piece<String> {
        let atom = |doc| Piece {
            doc,
            prec: ATOM,
            negative: false,
        };
        match self.nodes[usize::from(id)].shape() {
            Shape::Var(s) => atom(latex_name(s.as_str())),
            Shape::Named(NamedConst::Pi) => atom("\\pi".into()),
            Shape::Named(NamedConst::E) => atom("e".into()),
            Shape::Num(c) => {
                let v = c.value();
                if v.is_integer() {
                    let prec = if c.is_negative() { NEGATION } else { ATOM };
                    Piece {
                        doc: v.numer().to_string(),
                        prec,
                        negative: c.is_negative(),
                    }
                } else {
                    let sign = if c.is_negative() { "-" } else { "" };
                    let doc = format!("{sign}\\frac{{{}}}{{{}}}", v.numer().magnitude(), v.denom());
                    Piece {
                        doc,
                        prec: if c.is_negative() { NEGATION } else { PRODUCT },
                        negative: c.is_negative(),
                    }
                }
            }
            Shape::Neg(a) => {
                let inner = self.piece(a);
                let doc = latex_paren(inner.doc, inner.prec < POWER || inner.negative);
                Piece {
                    doc: format!("-{doc}"),
                    prec: NEGATION,
                    negative: true,
                }
            }
            Shape::Call(f, a) => {
                let arg = self.piece(a).doc;
                atom(match f {
                    Func::Sqrt => format!("\\sqrt{{{arg}}}"),
                    Func::Exp => format!("e^{{{arg}}}"),
                    Func::Asin | Func::Acos | Func::Atan => {
                        format!("\\arc{}\\left({arg}\\right)", &f.name()[1..])
                    }
                    _ => format!("\\{}\\left({arg}\\right)", f.name()),
                })
            }
            Shape::Derivative(v, e) => atom(format!(
                "\\frac{{\\partial}}{{\\partial {}}}\\left({}\\right)",
                self.piece(v).doc,
                self.piece(e).doc
            )),
            Shape::Binary(BinOp::Div, l, r) => atom(format!(
                "\\frac{{{}}}{{{}}}",
                self.piece(l).doc,
                self.piece(r).doc
            )),
            Shape::Binary(op, l, r) => {
                let (left, right) = (self.piece(l), self.piece(r));
                let (wl, wr) =
                    wrap_operands(op, (left.prec, left.negative), (right.prec, right.negative));
                let negative = left.negative && !wl;
                let (ld, rd) = (latex_paren(left.doc, wl), latex_paren(right.doc, wr));
                let doc = match op {
                    BinOp::Add => format!("{ld} + {rd}"),
                    BinOp::Sub => format!("{ld} - {rd}"),
                    BinOp::Mul => format!("{ld} \\cdot {rd}"),
                    // The exponent is set in braces: it needs no parentheses.
                    BinOp::Pow => format!("{ld}^{{{}}}", self.piece(r).doc),
                    BinOp::Div => unreachable!("handled above"),
                };
                Piece {
                    doc,
                    prec: binary_prec(op),
                    negative,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, var};

    #[test]
    fn minimal_parentheses() {
        for text in [
            "x*(1 - x)",
            "x - (y - z)",
            "x^y^z",
            "(x^y)^z",
            "-x^2",
            "(-x)^2",
            "x + (-y)",
            "x*(-3)",
            "(-3)^x",
            "x^(-2)",
            "x*(1/3)",
            "1/3*x",
            "x/(y*z)",
            "-(x*y)",
            "-x*y",
            "sin(x)^2",
            "d(x, x^2)",
        ] {
            assert_eq!(parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn long_sums_break_lines() {
        let x = var("x");
        let mut f = x;
        for k in 1..40 {
            f = f + x.pow(k);
        }
        let text = f.to_infix(60, Sharing::Never);
        assert!(text.lines().count() > 1);
        assert!(text.lines().all(|l| l.len() <= 60));
        assert_eq!(parse(&text).unwrap(), f);
    }

    #[test]
    fn latex_forms() {
        assert_eq!(
            parse("asin(theta)").unwrap().to_latex(),
            r"\arcsin\left(\theta\right)"
        );
        assert_eq!(
            parse("exp(-x)*sqrt(x)").unwrap().to_latex(),
            r"e^{-x} \cdot \sqrt{x}"
        );
        assert_eq!(
            parse("(x+1)^2").unwrap().to_latex(),
            r"\left(x + 1\right)^{2}"
        );
    }
}
