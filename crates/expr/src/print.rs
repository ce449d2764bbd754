//! Printers: infix (with the minimum of parentheses, line-broken with the `pretty` crate), LaTeX
//! and s-expressions.
//!
//! Infix and LaTeX never unfold a DAG blindly: when sharing matters (the tree is more than twice
//! the DAG) shared subexpressions are printed once as bindings, `t1 = 1 - x; t2 = x*t1; 4*t2`,
//! a syntax [`parse`](crate::parse) reads back. Every printed piece is at most
//! [`MAX_INLINE_DEPTH`] deep.
//!
//! No printer recurses on the expression: [`Layout::walk`] visits the reachable nodes once,
//! children before parents, and builds each node's piece from its children's finished pieces;
//! the s-expression printer runs an explicit stack.

use crate::error::PrintError;
use crate::expr::{reachable_in, with_nodes, Expr, Nodes};
use crate::language::{BinOp, CmpOp, Func, Func2, Math, NamedConst, Shape};
use crate::Constant;
use egg::{Id, Language};
use hashbrown::HashMap;
use pretty::RcDoc;

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

use crate::precedence::{AND, ATOM, COMPARISON, NEGATION, NOT, OR, POWER, PRODUCT, SUM};

/// The reachable nodes in their canonical order (children first), which of them get a name,
/// and in which order the bindings are printed. Per-node facts are dense vectors indexed by a
/// node's position in `reach`.
struct Layout {
    /// Every reachable node, children first.
    reach: Vec<Id>,
    /// A node's position in `reach`.
    local: HashMap<Id, usize>,
    /// The binding name of each node, if it has one.
    names: Vec<Option<String>>,
    /// Positions of the named nodes, in binding order.
    order: Vec<usize>,
    /// How many times each node is an operand of a reachable node.
    parents: Vec<u32>,
    /// The operands' positions of node `i`: `kids[starts[i]..starts[i + 1]]`.
    kids: Vec<usize>,
    starts: Vec<usize>,
}

impl Layout {
    fn plan(nodes: &Nodes, roots: &[Id], sharing: Sharing) -> Layout {
        let reach = reachable_in(nodes, roots);
        let local: HashMap<Id, usize> = reach.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let node = |i: usize| &nodes[usize::from(reach[i])];
        let is_root: Vec<bool> = {
            let mut r = vec![false; reach.len()];
            for id in roots {
                r[local[id]] = true;
            }
            r
        };
        let mut starts = Vec::with_capacity(reach.len() + 1);
        let mut kids = Vec::with_capacity(2 * reach.len());
        for i in 0..reach.len() {
            starts.push(kids.len());
            kids.extend(node(i).children().iter().map(|c| local[c]));
        }
        starts.push(kids.len());
        let children = |i: usize| &kids[starts[i]..starts[i + 1]];
        let mut parents = vec![0u32; reach.len()];
        for &c in &kids {
            parents[c] += 1;
        }
        let share = match sharing {
            Sharing::Always => true,
            Sharing::Never => false,
            Sharing::Auto => {
                // Count tree nodes (saturating) against DAG nodes.
                let mut paths = vec![0u64; reach.len()];
                for id in roots {
                    paths[local[id]] += 1;
                }
                for i in (0..reach.len()).rev() {
                    let p = paths[i];
                    for &c in children(i) {
                        let e = &mut paths[c];
                        *e = e.saturating_add(p);
                    }
                }
                let tree = paths.iter().fold(0u64, |a, &b| a.saturating_add(b));
                tree > 40 && tree > 2 * reach.len() as u64
            }
        };
        let mut order = Vec::new();
        let mut bound = vec![false; reach.len()];
        let mut depth = vec![0usize; reach.len()];
        for i in 0..reach.len() {
            let n = node(i);
            let d = 1 + children(i)
                .iter()
                .map(|&c| if bound[c] { 1 } else { depth[c] })
                .max()
                .unwrap_or(0);
            depth[i] = d;
            let uses = parents[i] + is_root[i] as u32;
            let shared = share && !n.is_leaf() && uses >= 2;
            let too_deep = d >= MAX_INLINE_DEPTH;
            if (shared || too_deep) && !(is_root[i] && roots.len() == 1) {
                order.push(i);
                bound[i] = true;
            }
        }
        let prefix = binding_prefix(nodes, &reach);
        let mut names = vec![None; reach.len()];
        for (k, &i) in order.iter().enumerate() {
            names[i] = Some(format!("{prefix}{}", k + 1));
        }
        Layout {
            reach,
            local,
            names,
            order,
            parents,
            kids,
            starts,
        }
    }

    /// The binding name of `id`, if it has one.
    fn name(&self, id: Id) -> Option<&str> {
        self.names[self.local[&id]].as_deref()
    }

    /// Builds the piece of every reachable node from its children's pieces, children first,
    /// without recursion, and hands each bound node's and each root's piece to `emit` in that
    /// order (so bindings come out before their uses). A child bound to a name is printed as the
    /// name; any other child's piece is kept until its last parent is built, then dropped.
    fn walk<N: Notation>(
        &self,
        nodes: &Nodes,
        roots: &[Id],
        notation: &N,
        mut emit: impl FnMut(Id, Piece<N::Doc>),
    ) {
        let mut pieces: Vec<Option<Piece<N::Doc>>> = vec![None; self.reach.len()];
        let mut pending = self.parents.clone();
        let roots: hashbrown::HashSet<Id> = roots.iter().copied().collect();
        for (i, &id) in self.reach.iter().enumerate() {
            let node = &nodes[usize::from(id)];
            let kids = &self.kids[self.starts[i]..self.starts[i + 1]];
            let piece = notation.node(node.shape(), &|c: Id| {
                // An operand's position among the node's (at most three) children.
                let at = node.children().iter().position(|&k| k == c);
                let c = kids[at.expect("an operand of the node")];
                match &self.names[c] {
                    Some(name) => notation.name(name),
                    None => pieces[c].clone().expect("children are built first"),
                }
            });
            for &c in kids {
                pending[c] -= 1;
                if pending[c] == 0 {
                    pieces[c] = None;
                }
            }
            let named = self.names[i].is_some();
            if named || roots.contains(&id) {
                emit(id, piece.clone());
            }
            if !named && pending[i] > 0 {
                pieces[i] = Some(piece);
            }
        }
    }
}

/// How one notation (infix, LaTeX) prints a node, given its children's pieces.
trait Notation {
    /// A printed piece's text or document; cloning it must be cheap or rare.
    type Doc: Clone;
    /// The piece for a binding's name.
    fn name(&self, name: &str) -> Piece<Self::Doc>;
    /// The piece for a node of shape `shape`; `child` gives each operand's piece.
    fn node(&self, shape: Shape, child: &dyn Fn(Id) -> Piece<Self::Doc>) -> Piece<Self::Doc>;
}

/// A name prefix (`t`, `tmp`, ...) such that no variable of the expression is prefix+digits.
fn binding_prefix(nodes: &Nodes, order: &[Id]) -> String {
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
#[derive(Clone)]
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

/// Infix text as a `pretty` document.
struct Infix;

impl Notation for Infix {
    type Doc = RcDoc<'static>;

    fn name(&self, name: &str) -> Piece<RcDoc<'static>> {
        Piece {
            doc: RcDoc::text(name.to_string()),
            prec: ATOM,
            negative: false,
        }
    }

    fn node(
        &self,
        shape: Shape,
        child: &dyn Fn(Id) -> Piece<RcDoc<'static>>,
    ) -> Piece<RcDoc<'static>> {
        let atom = |doc| Piece {
            doc,
            prec: ATOM,
            negative: false,
        };
        match shape {
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
                let inner = child(a);
                let doc = parenthesize(inner.doc, inner.prec < POWER || inner.negative);
                Piece {
                    doc: RcDoc::text("-").append(doc),
                    prec: NEGATION,
                    negative: true,
                }
            }
            Shape::Call(f, a) => atom(call(f.name(), vec![child(a).doc])),
            Shape::Call2(f, a, b) => atom(call(f.name(), vec![child(a).doc, child(b).doc])),
            Shape::If(c, a, b) => atom(call("if", vec![child(c).doc, child(a).doc, child(b).doc])),
            Shape::Compare(op, l, r) => infix(op.symbol(), COMPARISON, child(l), child(r)),
            Shape::And(l, r) => infix("and", AND, child(l), child(r)),
            Shape::Or(l, r) => infix("or", OR, child(l), child(r)),
            Shape::Not(a) => {
                let inner = child(a);
                Piece {
                    doc: RcDoc::text("not ").append(parenthesize(inner.doc, inner.prec < NOT)),
                    prec: NOT,
                    negative: false,
                }
            }
            Shape::Derivative(v, e) => atom(call("d", vec![child(v).doc, child(e).doc])),
            Shape::Binary(op, l, r) => {
                let (left, right) = (child(l), child(r));
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

/// A left-associative infix operator of precedence `prec` (a comparison, `and`, `or`),
/// breakable before the operator like a sum.
fn infix(
    symbol: &'static str,
    prec: u8,
    left: Piece<RcDoc<'static>>,
    right: Piece<RcDoc<'static>>,
) -> Piece<RcDoc<'static>> {
    let doc = parenthesize(left.doc, left.prec < prec)
        .append(RcDoc::line())
        .append(RcDoc::text(symbol))
        .append(RcDoc::space())
        .append(parenthesize(right.doc, right.prec <= prec))
        .group();
    Piece {
        doc,
        prec,
        negative: false,
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

/// Infix text of several roots that share one set of bindings: the bindings (`t1 = ...;`, in
/// order, definitions before uses) and the text of each root, each rendered on its own at
/// `width` columns (no document spans the whole output, so none is deeper than one piece). A
/// lone root is printed inline; with several roots, a root that is itself shared or too deep is
/// bound and its entry is the binding's name. Linear in the DAG of the roots.
pub(crate) fn infix_statements(
    roots: &[Expr],
    width: usize,
    sharing: Sharing,
) -> (Vec<String>, Vec<String>) {
    let roots: Vec<Id> = roots.iter().map(|r| r.id()).collect();
    with_nodes(|nodes| {
        let layout = Layout::plan(nodes, &roots, sharing);
        let mut bindings = Vec::with_capacity(layout.order.len());
        let mut entries: HashMap<Id, String> = HashMap::with_capacity(roots.len());
        layout.walk(nodes, &roots, &Infix, |id, piece| match layout.name(id) {
            Some(name) => {
                let binding = RcDoc::text(format!("{name} ="))
                    .append(RcDoc::line().append(piece.doc).nest(2))
                    .append(RcDoc::text(";"))
                    .group();
                bindings.push(render(binding, width));
                entries.insert(id, name.to_string());
            }
            None => {
                entries.insert(id, render(piece.doc, width));
            }
        });
        let entries = roots.iter().map(|id| entries[id].clone()).collect();
        (bindings, entries)
    })
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
        let (bindings, entries) = infix_statements(&[self], width, sharing);
        let mut out = String::new();
        for binding in bindings {
            out += &binding;
            out.push('\n');
        }
        out + &entries[0]
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
            let root = self.id();
            let layout = Layout::plan(nodes, &[root], Sharing::Auto);
            let mut bindings = String::new();
            let mut result = String::new();
            layout.walk(nodes, &[root], &Latex, |id, piece| {
                if id == root {
                    result = piece.doc;
                } else {
                    bindings += &format!(
                        "{} &= {} \\\\\n",
                        latex_name(layout.name(id).expect("a binding has a name")),
                        piece.doc
                    );
                }
            });
            if layout.order.is_empty() {
                return result;
            }
            format!("\\begin{{aligned}}\n{bindings}& {result}\n\\end{{aligned}}")
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
fn latex_infix(symbol: &str, prec: u8, left: Piece<String>, right: Piece<String>) -> Piece<String> {
    Piece {
        doc: format!(
            "{} {symbol} {}",
            latex_paren(left.doc, left.prec < prec),
            latex_paren(right.doc, right.prec <= prec)
        ),
        prec,
        negative: false,
    }
}

fn latex_paren(text: String, wrap: bool) -> String {
    if wrap {
        format!("\\left({text}\\right)")
    } else {
        text
    }
}

impl Notation for Latex {
    type Doc = String;

    fn name(&self, name: &str) -> Piece<String> {
        Piece {
            doc: latex_name(name),
            prec: ATOM,
            negative: false,
        }
    }

    fn node(&self, shape: Shape, child: &dyn Fn(Id) -> Piece<String>) -> Piece<String> {
        let atom = |doc| Piece {
            doc,
            prec: ATOM,
            negative: false,
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
                let inner = child(a);
                let doc = latex_paren(inner.doc, inner.prec < POWER || inner.negative);
                Piece {
                    doc: format!("-{doc}"),
                    prec: NEGATION,
                    negative: true,
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
                    doc: format!("\\lnot {}", latex_paren(inner.doc, inner.prec < NOT)),
                    prec: NOT,
                    negative: false,
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
                let (wl, wr) =
                    wrap_operands(op, (left.prec, left.negative), (right.prec, right.negative));
                let negative = left.negative && !wl;
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
