//! Printers: infix (with the minimum of parentheses, line-broken as the `pretty` crate would),
//! LaTeX and s-expressions.
//!
//! Infix and LaTeX never unfold a DAG blindly: when sharing matters (the tree is more than twice
//! the DAG) shared subexpressions are printed once as bindings, `t1 = 1 - x; t2 = x*t1; 4*t2`,
//! a syntax [`parse`](crate::parse) reads back. Every printed piece is at most
//! [`MAX_INLINE_DEPTH`] deep.
//!
//! No printer recurses on the expression. [`Layout::plan`] numbers the reachable nodes once,
//! children first, and decides which get names. Infix is then written statement by statement
//! straight into one buffer by `crate::infix` (no document, no string per statement); LaTeX
//! builds each node's piece from its children's ([`Layout::walk_latex`]); the s-expression
//! printer runs an explicit stack.

use crate::error::PrintError;
use crate::expr::{to_recexpr_many, with_nodes, Expr};
use crate::infix::{
    binary_fact, wrap_left_associative, wrap_negated, wrap_not, wrap_operands, Fact, InfixText,
};
use crate::language::{BinOp, CmpOp, Func, Func2, Math, NamedConst, Shape};
use egg::{Id, Language, RecExpr};

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

use crate::precedence::{AND, ATOM, COMPARISON, NEGATION, NOT, OR, PRODUCT};

/// The reachable nodes in their canonical order (children first), which of them get a name,
/// and in which order the bindings are printed. Nodes are numbered by their position in that
/// order (a node's children are positions too), and per-node facts are dense vectors.
pub(crate) struct Layout {
    /// Every reachable node, children first; children are positions in this list.
    pub(crate) nodes: RecExpr<Math>,
    /// The roots' positions.
    pub(crate) roots: Vec<Id>,
    /// The binding number of each node (its name is `prefix` and the number), 0 if it has none.
    binding: Vec<u32>,
    /// Positions of the named nodes, in binding order.
    pub(crate) order: Vec<Id>,
    /// How many times each node is an operand of a reachable node.
    parents: Vec<u32>,
    /// The prefix of binding names: no variable of the expression is the prefix and digits.
    prefix: String,
}

impl Layout {
    pub(crate) fn plan(roots: &[Expr], sharing: Sharing) -> Layout {
        let (nodes, roots) = to_recexpr_many(roots);
        let n = nodes.len();
        let node = |i: usize| &nodes[Id::from(i)];
        let mut is_root = vec![false; n];
        for &r in &roots {
            is_root[usize::from(r)] = true;
        }
        let mut parents = vec![0u32; n];
        for i in 0..n {
            for &c in node(i).children() {
                parents[usize::from(c)] += 1;
            }
        }
        let share = match sharing {
            Sharing::Always => true,
            Sharing::Never => false,
            Sharing::Auto => {
                // Count tree nodes (saturating) against DAG nodes.
                let mut paths = vec![0u64; n];
                for &r in &roots {
                    paths[usize::from(r)] += 1;
                }
                for i in (0..n).rev() {
                    let p = paths[i];
                    for &c in node(i).children() {
                        let e = &mut paths[usize::from(c)];
                        *e = e.saturating_add(p);
                    }
                }
                let tree = paths.iter().fold(0u64, |a, &b| a.saturating_add(b));
                tree > 40 && tree > 2 * n as u64
            }
        };
        let mut order = Vec::new();
        let mut binding = vec![0u32; n];
        let mut depth = vec![0usize; n];
        for i in 0..n {
            let d = 1 + node(i)
                .children()
                .iter()
                .map(|&c| {
                    let c = usize::from(c);
                    if binding[c] > 0 {
                        1
                    } else {
                        depth[c]
                    }
                })
                .max()
                .unwrap_or(0);
            depth[i] = d;
            let uses = parents[i] + is_root[i] as u32;
            let shared = share && !node(i).is_leaf() && uses >= 2;
            let too_deep = d >= MAX_INLINE_DEPTH;
            if (shared || too_deep) && !(is_root[i] && roots.len() == 1) {
                order.push(Id::from(i));
                binding[i] = u32::try_from(order.len()).expect("fewer than 2^32 bindings");
            }
        }
        let prefix = binding_prefix(nodes.as_ref());
        Layout {
            nodes,
            roots,
            binding,
            order,
            parents,
            prefix,
        }
    }

    /// Whether `id` is bound to a name.
    pub(crate) fn is_bound(&self, id: Id) -> bool {
        self.binding[usize::from(id)] > 0
    }

    /// Appends the binding name of `id`, if it has one; returns whether it has.
    pub(crate) fn write_name(&self, id: Id, out: &mut String) -> bool {
        let k = self.binding[usize::from(id)];
        if k == 0 {
            return false;
        }
        out.push_str(&self.prefix);
        push_decimal(out, k);
        true
    }

    /// The binding name of `id` (which has one).
    pub(crate) fn name(&self, id: Id) -> String {
        let mut name = String::new();
        self.write_name(id, &mut name);
        name
    }

    /// The length of the binding name of `id` (which has one).
    pub(crate) fn name_len(&self, id: Id) -> u64 {
        let digits = self.binding[usize::from(id)].checked_ilog10().unwrap_or(0) + 1;
        (self.prefix.len() + digits as usize) as u64
    }
}

/// Appends the decimal digits of `k`.
fn push_decimal(out: &mut String, mut k: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (k % 10) as u8;
        k /= 10;
        if k == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

/// A name prefix (`t`, `tmp`, ...) such that no variable of the expression is prefix+digits.
fn binding_prefix(nodes: &[Math]) -> String {
    let vars: Vec<&str> = nodes
        .iter()
        .filter_map(|node| match node {
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

/// Appends the infix text of several roots that share one set of bindings to `out`: the
/// bindings (`t1 = ...;`, in order, definitions before uses), each on its own line, then the
/// roots, separated by `;` and a line break, `label(i, out)` writing anything that precedes root
/// `i`. Each statement is laid out on its own at `width` columns (one that does not fit is
/// broken into lines as the `pretty` crate would). A lone root is printed inline; with several
/// roots, a root that is itself shared or too deep is bound and its entry is the binding's
/// name. Linear in the DAG of the roots (and in the text printed).
pub(crate) fn write_infix_block(
    out: &mut String,
    roots: &[Expr],
    width: usize,
    sharing: Sharing,
    mut label: impl FnMut(usize, &mut String),
) {
    if roots.is_empty() {
        return;
    }
    let layout = Layout::plan(roots, sharing);
    let text = InfixText::new(&layout);
    out.reserve(text.estimated_len().min(1 << 30));
    for &id in &layout.order {
        text.write_binding(id, width, out);
        out.push('\n');
    }
    let last = layout.roots.len() - 1;
    for (k, &id) in layout.roots.iter().enumerate() {
        label(k, out);
        text.write_entry(id, width, out);
        if k < last {
            out.push_str(";\n");
        }
    }
}

impl Layout {
    /// Builds the LaTeX piece of every reachable node from its children's pieces, children
    /// first, without recursion, and hands each bound node's and each root's piece to `emit` in
    /// that order (so bindings come out before their uses). A child bound to a name is printed
    /// as the name; any other child's piece is kept until its last parent is built, then
    /// dropped.
    fn walk_latex(&self, mut emit: impl FnMut(Id, Piece)) {
        let n = self.nodes.len();
        let mut pieces: Vec<Option<Piece>> = vec![None; n];
        let mut pending = self.parents.clone();
        let mut is_root = vec![false; n];
        for &r in &self.roots {
            is_root[usize::from(r)] = true;
        }
        for i in 0..n {
            let node = &self.nodes[Id::from(i)];
            let piece = Latex.node(node.shape(), &|c: Id| {
                if self.is_bound(c) {
                    Latex.name(&self.name(c))
                } else {
                    pieces[usize::from(c)]
                        .clone()
                        .expect("children are built first")
                }
            });
            for &c in node.children() {
                let c = usize::from(c);
                pending[c] -= 1;
                if pending[c] == 0 {
                    pieces[c] = None;
                }
            }
            let named = self.binding[i] > 0;
            if named || is_root[i] {
                emit(Id::from(i), piece.clone());
            }
            if !named && pending[i] > 0 {
                pieces[i] = Some(piece);
            }
        }
    }
}

/// One printed LaTeX piece: its text and its [`Fact`] (precedence, leading `-`).
#[derive(Clone)]
struct Piece {
    doc: String,
    fact: Fact,
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
        let mut out = String::new();
        write_infix_block(&mut out, &[self], width, sharing, |_, _| {});
        out
    }

    /// LaTeX, with `\frac`, `\sin`, `^{}`; shared subexpressions (as for [`Expr::to_infix`]) are
    /// printed as an `aligned` block of bindings.
    ///
    /// ```
    /// use symdiff_expr::parse;
    /// assert_eq!(parse("sin(x)^2/(1 + x1)").unwrap().to_latex(), r"\frac{\sin\left(x\right)^{2}}{1 + x_{1}}");
    /// ```
    pub fn to_latex(self) -> String {
        let layout = Layout::plan(&[self], Sharing::Auto);
        let root = layout.roots[0];
        let mut bindings = String::new();
        let mut result = String::new();
        layout.walk_latex(|id, piece| {
            if id == root {
                result = piece.doc;
            } else {
                bindings += &format!("{} &= {} \\\\\n", latex_name(&layout.name(id)), piece.doc);
            }
        });
        if layout.order.is_empty() {
            return result;
        }
        format!("\\begin{{aligned}}\n{bindings}& {result}\n\\end{{aligned}}")
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

/// LaTeX text.
struct Latex;

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

/// A left-associative infix operator of precedence `prec` (a comparison, `and`, `or`).
fn latex_infix(symbol: &str, prec: u8, left: Piece, right: Piece) -> Piece {
    let (wl, wr) = wrap_left_associative(prec, left.fact, right.fact);
    Piece {
        doc: format!(
            "{} {symbol} {}",
            latex_paren(left.doc, wl),
            latex_paren(right.doc, wr)
        ),
        fact: Fact {
            prec,
            negative: false,
        },
    }
}

fn latex_paren(text: String, wrap: bool) -> String {
    if wrap {
        format!("\\left({text}\\right)")
    } else {
        text
    }
}

impl Latex {
    /// The piece for a binding's name.
    fn name(&self, name: &str) -> Piece {
        Piece {
            doc: latex_name(name),
            fact: Fact::ATOM,
        }
    }

    /// The piece for a node of shape `shape`; `child` gives each operand's piece.
    fn node(&self, shape: Shape, child: &dyn Fn(Id) -> Piece) -> Piece {
        let atom = |doc| Piece {
            doc,
            fact: Fact::ATOM,
        };
        match shape {
            Shape::Var(s) => atom(latex_name(s.as_str())),
            Shape::Named(NamedConst::Pi) => atom("\\pi".into()),
            Shape::Named(NamedConst::E) => atom("e".into()),
            Shape::Num(c) => {
                let v = c.value();
                if v.is_integer() {
                    let prec = if c.is_negative() { NEGATION } else { ATOM };
                    Piece {
                        doc: v.numer().to_string(),
                        fact: Fact {
                            prec,
                            negative: c.is_negative(),
                        },
                    }
                } else {
                    let sign = if c.is_negative() { "-" } else { "" };
                    let doc = format!("{sign}\\frac{{{}}}{{{}}}", v.numer().magnitude(), v.denom());
                    Piece {
                        doc,
                        fact: Fact {
                            prec: if c.is_negative() { NEGATION } else { PRODUCT },
                            negative: c.is_negative(),
                        },
                    }
                }
            }
            Shape::Neg(a) => {
                let inner = child(a);
                let doc = latex_paren(inner.doc, wrap_negated(inner.fact));
                Piece {
                    doc: format!("-{doc}"),
                    fact: Fact {
                        prec: NEGATION,
                        negative: true,
                    },
                }
            }
            Shape::Call(f, a) => {
                let arg = child(a).doc;
                atom(match f {
                    Func::Sqrt => format!("\\sqrt{{{arg}}}"),
                    Func::Cbrt => format!("\\sqrt[3]{{{arg}}}"),
                    Func::Exp => format!("e^{{{arg}}}"),
                    Func::Abs => format!("\\lvert {arg}\\rvert"),
                    Func::Asin | Func::Acos | Func::Atan => {
                        format!("\\arc{}\\left({arg}\\right)", &f.name()[1..])
                    }
                    Func::Log10 => format!("\\log_{{10}}\\left({arg}\\right)"),
                    Func::Log2 => format!("\\log_{{2}}\\left({arg}\\right)"),
                    Func::Sin
                    | Func::Cos
                    | Func::Tan
                    | Func::Sinh
                    | Func::Cosh
                    | Func::Tanh
                    | Func::Ln => format!("\\{}\\left({arg}\\right)", f.name()),
                    Func::Sign => format!("\\operatorname{{sgn}}\\left({arg}\\right)"),
                    _ => format!("\\operatorname{{{}}}\\left({arg}\\right)", f.name()),
                })
            }
            Shape::Call2(f, a, b) => {
                let (a, b) = (child(a).doc, child(b).doc);
                let name = match f {
                    Func2::Min | Func2::Max => format!("\\{}", f.name()),
                    Func2::Atan2 | Func2::Hypot => format!("\\operatorname{{{}}}", f.name()),
                };
                atom(format!("{name}\\left({a}, {b}\\right)"))
            }
            Shape::If(c, a, b) => atom(format!(
                "\\begin{{cases}} {} & \\text{{if }} {} \\\\ {} & \\text{{otherwise}} \\end{{cases}}",
                child(a).doc,
                child(c).doc,
                child(b).doc
            )),
            Shape::Compare(op, l, r) => {
                let symbol = match op {
                    CmpOp::Lt => "<",
                    CmpOp::Le => "\\le",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => "\\ge",
                    CmpOp::Eq => "=",
                    CmpOp::Ne => "\\ne",
                };
                latex_infix(symbol, COMPARISON, child(l), child(r))
            }
            Shape::And(l, r) => latex_infix("\\land", AND, child(l), child(r)),
            Shape::Or(l, r) => latex_infix("\\lor", OR, child(l), child(r)),
            Shape::Not(a) => {
                let inner = child(a);
                Piece {
                    doc: format!("\\lnot {}", latex_paren(inner.doc, wrap_not(inner.fact))),
                    fact: Fact {
                        prec: NOT,
                        negative: false,
                    },
                }
            }
            Shape::Derivative(v, e) => atom(format!(
                "\\frac{{\\partial}}{{\\partial {}}}\\left({}\\right)",
                child(v).doc,
                child(e).doc
            )),
            Shape::Binary(BinOp::Div, l, r) => {
                atom(format!("\\frac{{{}}}{{{}}}", child(l).doc, child(r).doc))
            }
            Shape::Binary(op, l, r) => {
                let (left, right) = (child(l), child(r));
                let (wl, wr) = wrap_operands(op, left.fact, right.fact);
                let fact = binary_fact(op, left.fact, wl);
                let exponent = right.doc.clone();
                let (ld, rd) = (latex_paren(left.doc, wl), latex_paren(right.doc, wr));
                let doc = match op {
                    BinOp::Add => format!("{ld} + {rd}"),
                    BinOp::Sub => format!("{ld} - {rd}"),
                    BinOp::Mul => format!("{ld} \\cdot {rd}"),
                    // The exponent is set in braces: it needs no parentheses.
                    BinOp::Pow => format!("{ld}^{{{exponent}}}"),
                    BinOp::Div => unreachable!("handled above"),
                };
                Piece { doc, fact }
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
