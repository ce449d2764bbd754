//! The rewrite rules: differentiation and simplification, as one table each.
//!
//! Every rule is a [`RuleSpec`]: a name, egg patterns for both sides and a [`Guard`]. The same
//! table builds the egg [`Rewrite`]s and drives the soundness test, which samples every rule at
//! random points and checks both sides agree wherever the left side is defined.
//!
//! Soundness policy: a rule may only be added if its right side equals its left side wherever the
//! left side is a finite real number (`x/x → 1` is fine; `sqrt(x^2) → x`, `(x^a)^b → x^(a*b)` and
//! `ln(a^b) → b*ln(a)` are not). Guards are facts proved by the analysis (a constant that is not
//! zero, a variable that does not occur), never "not known to be zero".

use crate::analysis::{MathAnalysis, MathGraph};
use egg::{ConditionalApplier, ENodeOrVar, Id, Language, Pattern, Rewrite, Subst, Var};
use symdiff_expr::Math;

/// A fact a rule needs before it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard<V = &'static str> {
    /// Always applies.
    Always,
    /// The variable bound to the first pattern variable does not occur in the second.
    NotFree(V, V),
    /// The variable bound to the first pattern variable occurs in the second.
    Free(V, V),
    /// The pattern variable is bound to a class with a known constant value.
    Constant(V),
    /// The pattern variable is bound to a class with a known non-zero constant value.
    NonZeroConstant(V),
    /// The pattern variable is not bound to the constant zero. This guard only *blocks*: a
    /// rule such as `a/a → 1` is sound wherever `a/a` is defined, but a class known to be `0`
    /// makes `0/0`, which two such rules would turn into two different constants.
    NotZero(V),
    /// The pattern variable is bound to a class known to be the constant zero.
    Zero(V),
}

/// One rule: `lhs => rhs if guard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSpec {
    /// The rule's name.
    pub name: &'static str,
    /// The pattern searched for.
    pub lhs: &'static str,
    /// The pattern it is rewritten to.
    pub rhs: &'static str,
    /// What must hold first.
    pub guard: Guard,
}

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec {
        name,
        lhs,
        rhs,
        guard: Guard::Always,
    }
}

const fn guarded(
    name: &'static str,
    lhs: &'static str,
    rhs: &'static str,
    guard: Guard,
) -> RuleSpec {
    RuleSpec {
        name,
        lhs,
        rhs,
        guard,
    }
}

/// Differentiation rules, in priority order: for each derivative the first rule that matches is
/// applied once (see [`crate::differentiate`]). They cover every construct of the language, with
/// the chain rule for every function.
pub const DIFFERENTIATION: &[RuleSpec] = &[
    guarded("d-const", "(d ?x ?e)", "0", Guard::NotFree("?x", "?e")),
    rule("d-var", "(d ?x ?x)", "1"),
    // A term free of x contributes nothing: skipping it keeps a long sum's gradient linear.
    guarded(
        "d-add-const-right",
        "(d ?x (+ ?a ?c))",
        "(d ?x ?a)",
        Guard::NotFree("?x", "?c"),
    ),
    guarded(
        "d-add-const-left",
        "(d ?x (+ ?c ?a))",
        "(d ?x ?a)",
        Guard::NotFree("?x", "?c"),
    ),
    rule("d-add", "(d ?x (+ ?a ?b))", "(+ (d ?x ?a) (d ?x ?b))"),
    guarded(
        "d-sub-const-right",
        "(d ?x (- ?a ?c))",
        "(d ?x ?a)",
        Guard::NotFree("?x", "?c"),
    ),
    guarded(
        "d-sub-const-left",
        "(d ?x (- ?c ?a))",
        "(neg (d ?x ?a))",
        Guard::NotFree("?x", "?c"),
    ),
    rule("d-sub", "(d ?x (- ?a ?b))", "(- (d ?x ?a) (d ?x ?b))"),
    rule("d-neg", "(d ?x (neg ?a))", "(neg (d ?x ?a))"),
    guarded(
        "d-mul-const-left",
        "(d ?x (* ?c ?a))",
        "(* ?c (d ?x ?a))",
        Guard::NotFree("?x", "?c"),
    ),
    guarded(
        "d-mul-const-right",
        "(d ?x (* ?a ?c))",
        "(* (d ?x ?a) ?c)",
        Guard::NotFree("?x", "?c"),
    ),
    rule(
        "d-mul",
        "(d ?x (* ?a ?b))",
        "(+ (* (d ?x ?a) ?b) (* ?a (d ?x ?b)))",
    ),
    guarded(
        "d-div-const",
        "(d ?x (/ ?a ?c))",
        "(/ (d ?x ?a) ?c)",
        Guard::NotFree("?x", "?c"),
    ),
    rule(
        "d-div",
        "(d ?x (/ ?a ?b))",
        "(/ (- (* (d ?x ?a) ?b) (* ?a (d ?x ?b))) (^ ?b 2))",
    ),
    guarded(
        "d-pow-const",
        "(d ?x (^ ?a ?c))",
        "(* (* ?c (^ ?a (- ?c 1))) (d ?x ?a))",
        Guard::NotFree("?x", "?c"),
    ),
    // 0^g (g varying in x: d-pow-const comes first) is 0 where g > 0 and undefined where
    // g < 0, so its derivative is 0 wherever it exists; d-pow would give 0^g*(g'*ln(0) + ...),
    // undefined everywhere.
    guarded(
        "d-pow-zero-base",
        "(d ?x (^ ?a ?b))",
        "0",
        Guard::Zero("?a"),
    ),
    // f^g with g varying in x is real on an interval only where f > 0: the rule holds there.
    guarded(
        "d-pow",
        "(d ?x (^ ?a ?b))",
        "(* (^ ?a ?b) (+ (* (d ?x ?b) (ln ?a)) (/ (* ?b (d ?x ?a)) ?a)))",
        Guard::Free("?x", "?b"),
    ),
    rule("d-sin", "(d ?x (sin ?a))", "(* (cos ?a) (d ?x ?a))"),
    rule("d-cos", "(d ?x (cos ?a))", "(neg (* (sin ?a) (d ?x ?a)))"),
    rule("d-tan", "(d ?x (tan ?a))", "(/ (d ?x ?a) (^ (cos ?a) 2))"),
    rule(
        "d-asin",
        "(d ?x (asin ?a))",
        "(/ (d ?x ?a) (sqrt (- 1 (^ ?a 2))))",
    ),
    rule(
        "d-acos",
        "(d ?x (acos ?a))",
        "(neg (/ (d ?x ?a) (sqrt (- 1 (^ ?a 2)))))",
    ),
    // a'/(1 + a²) divided by hypot(1, a) twice: 1 + a² overflows for |a| > 1e154, where the
    // derivative is still a normal (or subnormal) number (issue 13, row 9).
    rule(
        "d-atan",
        "(d ?x (atan ?a))",
        "(/ (/ (d ?x ?a) (hypot 1 ?a)) (hypot 1 ?a))",
    ),
    rule("d-sinh", "(d ?x (sinh ?a))", "(* (cosh ?a) (d ?x ?a))"),
    rule("d-cosh", "(d ?x (cosh ?a))", "(* (sinh ?a) (d ?x ?a))"),
    // 1 - tanh² rather than 1/cosh²: cosh² overflows for |a| > 355 where the derivative is tiny.
    rule(
        "d-tanh",
        "(d ?x (tanh ?a))",
        "(* (- 1 (^ (tanh ?a) 2)) (d ?x ?a))",
    ),
    rule("d-exp", "(d ?x (exp ?a))", "(* (exp ?a) (d ?x ?a))"),
    rule("d-ln", "(d ?x (ln ?a))", "(/ (d ?x ?a) ?a)"),
    rule(
        "d-sqrt",
        "(d ?x (sqrt ?a))",
        "(/ (d ?x ?a) (* 2 (sqrt ?a)))",
    ),
    // --- Non-smooth, piecewise and further elementary functions (issue 11). ---------------
    // Conventions at kinks and ties (as JAX and PyTorch): d|a| = sign(a)·a' (0 at a = 0),
    // relu'(0) = 0, and max/min pass the derivative of the first argument on a tie. No
    // derivative flows into a condition: d if(c, a, b) = if(c, a', b').
    rule("d-abs", "(d ?x (abs ?a))", "(* (sign ?a) (d ?x ?a))"),
    rule("d-sign", "(d ?x (sign ?a))", "0"),
    rule("d-relu", "(d ?x (relu ?a))", "(if (> ?a 0) (d ?x ?a) 0)"),
    rule(
        "d-max",
        "(d ?x (max ?a ?b))",
        "(if (>= ?a ?b) (d ?x ?a) (d ?x ?b))",
    ),
    rule(
        "d-min",
        "(d ?x (min ?a ?b))",
        "(if (<= ?a ?b) (d ?x ?a) (d ?x ?b))",
    ),
    rule(
        "d-if",
        "(d ?x (if ?c ?a ?b))",
        "(if ?c (d ?x ?a) (d ?x ?b))",
    ),
    // (b a' - a b')/(a² + b²), dividing by hypot(a, b) twice (as d-atan): a² + b² overflows
    // for |a| or |b| > 1e154, where the derivative is still representable.
    rule(
        "d-atan2",
        "(d ?x (atan2 ?a ?b))",
        "(/ (/ (- (* ?b (d ?x ?a)) (* ?a (d ?x ?b))) (hypot ?a ?b)) (hypot ?a ?b))",
    ),
    rule(
        "d-hypot",
        "(d ?x (hypot ?a ?b))",
        "(/ (+ (* ?a (d ?x ?a)) (* ?b (d ?x ?b))) (hypot ?a ?b))",
    ),
    rule(
        "d-cbrt",
        "(d ?x (cbrt ?a))",
        "(/ (d ?x ?a) (* 3 (^ (cbrt ?a) 2)))",
    ),
    rule(
        "d-log10",
        "(d ?x (log10 ?a))",
        "(/ (d ?x ?a) (* ?a (ln 10)))",
    ),
    rule("d-log2", "(d ?x (log2 ?a))", "(/ (d ?x ?a) (* ?a (ln 2)))"),
    rule("d-log1p", "(d ?x (log1p ?a))", "(/ (d ?x ?a) (+ 1 ?a))"),
    rule("d-expm1", "(d ?x (expm1 ?a))", "(* (exp ?a) (d ?x ?a))"),
    // a'/sqrt(a² + 1) as a'/hypot(1, a), and a'/sqrt(a² - 1) as a'/(sqrt(a - 1)*sqrt(a + 1))
    // (equal where acosh is defined, a ≥ 1): a² overflows for |a| > 1e154 (issue 13, row 9).
    rule("d-asinh", "(d ?x (asinh ?a))", "(/ (d ?x ?a) (hypot 1 ?a))"),
    rule(
        "d-acosh",
        "(d ?x (acosh ?a))",
        "(/ (d ?x ?a) (* (sqrt (- ?a 1)) (sqrt (+ ?a 1))))",
    ),
    rule(
        "d-atanh",
        "(d ?x (atanh ?a))",
        "(/ (d ?x ?a) (- 1 (^ ?a 2)))",
    ),
    rule(
        "d-erf",
        "(d ?x (erf ?a))",
        "(* (/ 2 (sqrt pi)) (* (exp (neg (^ ?a 2))) (d ?x ?a)))",
    ),
    rule(
        "d-erfc",
        "(d ?x (erfc ?a))",
        "(neg (* (/ 2 (sqrt pi)) (* (exp (neg (^ ?a 2))) (d ?x ?a))))",
    ),
    // σ' = σ(a)(1 - σ(a)) written σ(a)σ(-a): the same number without the cancellation of
    // 1 - σ(a) for large a.
    rule(
        "d-sigmoid",
        "(d ?x (sigmoid ?a))",
        "(* (* (sigmoid ?a) (sigmoid (neg ?a))) (d ?x ?a))",
    ),
    rule(
        "d-softplus",
        "(d ?x (softplus ?a))",
        "(* (sigmoid ?a) (d ?x ?a))",
    ),
];

/// Simplification rules. Only constants are distributed over sums (`4*(1 - 2*x)` becomes
/// `4 - 8*x`): distributing variable factors is what expands a compact derivative into a long,
/// cancellation-prone polynomial.
pub const SIMPLIFICATION: &[RuleSpec] = &[
    // Identities.
    rule("add-0", "(+ ?a 0)", "?a"),
    rule("add-comm", "(+ ?a ?b)", "(+ ?b ?a)"),
    rule("sub-0", "(- ?a 0)", "?a"),
    rule("0-sub", "(- 0 ?a)", "(neg ?a)"),
    rule("sub-self", "(- ?a ?a)", "0"),
    rule("mul-0", "(* ?a 0)", "0"),
    rule("mul-1", "(* ?a 1)", "?a"),
    rule("mul-neg1", "(* -1 ?a)", "(neg ?a)"),
    rule("mul-comm", "(* ?a ?b)", "(* ?b ?a)"),
    // One direction suffices: with mul-comm, (a*b)*c = c*(a*b) = (c*a)*b reaches every grouping.
    rule("mul-assoc", "(* ?a (* ?b ?c))", "(* (* ?a ?b) ?c)"),
    rule("div-1", "(/ ?a 1)", "?a"),
    guarded("div-self", "(/ ?a ?a)", "1", Guard::NotZero("?a")),
    guarded("zero-div", "(/ 0 ?a)", "0", Guard::NotZero("?a")),
    guarded(
        "div-const",
        "(/ ?a ?c)",
        "(* (/ 1 ?c) ?a)",
        Guard::NonZeroConstant("?c"),
    ),
    rule("mul-div", "(* ?a (/ ?b ?c))", "(/ (* ?a ?b) ?c)"),
    rule("div-div-num", "(/ (/ ?a ?b) ?c)", "(/ ?a (* ?b ?c))"),
    rule("div-div-den", "(/ ?a (/ ?b ?c))", "(/ (* ?a ?c) ?b)"),
    guarded("div-cancel", "(/ (* ?a ?b) ?b)", "?a", Guard::NotZero("?b")),
    guarded(
        "div-cancel-common",
        "(/ (* ?a ?b) (* ?a ?c))",
        "(/ ?b ?c)",
        Guard::NotZero("?a"),
    ),
    // Negation.
    rule("neg-neg", "(neg (neg ?a))", "?a"),
    rule("neg-sub", "(neg (- ?a ?b))", "(- ?b ?a)"),
    rule("add-neg", "(+ ?a (neg ?b))", "(- ?a ?b)"),
    rule("sub-neg", "(- ?a (neg ?b))", "(+ ?a ?b)"),
    rule("neg-sub-neg", "(- (neg ?a) ?b)", "(neg (+ ?a ?b))"),
    rule("mul-neg", "(* ?a (neg ?b))", "(neg (* ?a ?b))"),
    rule("div-neg-num", "(/ (neg ?a) ?b)", "(neg (/ ?a ?b))"),
    rule("div-neg-den", "(/ ?a (neg ?b))", "(neg (/ ?a ?b))"),
    // Collecting and factoring (never distributing).
    rule("add-self", "(+ ?a ?a)", "(* 2 ?a)"),
    rule("factor-add", "(+ (* ?a ?b) (* ?a ?c))", "(* ?a (+ ?b ?c))"),
    rule("factor-sub", "(- (* ?a ?b) (* ?a ?c))", "(* ?a (- ?b ?c))"),
    guarded(
        "distribute-const-add",
        "(* ?c (+ ?a ?b))",
        "(+ (* ?c ?a) (* ?c ?b))",
        Guard::Constant("?c"),
    ),
    guarded(
        "distribute-const-sub",
        "(* ?c (- ?a ?b))",
        "(- (* ?c ?a) (* ?c ?b))",
        Guard::Constant("?c"),
    ),
    rule("collect-add", "(+ (* ?b ?a) ?a)", "(* (+ ?b 1) ?a)"),
    rule("collect-sub", "(- (* ?b ?a) ?a)", "(* (- ?b 1) ?a)"),
    rule("collect-sub-rev", "(- ?a (* ?b ?a))", "(* (- 1 ?b) ?a)"),
    rule("sub-sub", "(- (- ?a ?b) ?c)", "(- ?a (+ ?b ?c))"),
    rule("sub-add-cancel", "(- (+ ?a ?b) ?b)", "?a"),
    rule("add-sub-cancel", "(+ (- ?a ?b) ?b)", "?a"),
    // Powers.
    rule("pow-0", "(^ ?a 0)", "1"),
    rule("pow-1", "(^ ?a 1)", "?a"),
    rule("pow-neg1", "(^ ?a -1)", "(/ 1 ?a)"),
    rule("mul-self", "(* ?a ?a)", "(^ ?a 2)"),
    rule("pow2-mul", "(^ ?a 2)", "(* ?a ?a)"),
    guarded(
        "mul-pow-self",
        "(* (^ ?a ?b) ?a)",
        "(^ ?a (+ ?b 1))",
        Guard::Constant("?b"),
    ),
    guarded(
        "mul-pow-pow",
        "(* (^ ?a ?b) (^ ?a ?c))",
        "(^ ?a (+ ?b ?c))",
        Guard::Constant("?b"),
    ),
    guarded(
        "div-pow-self",
        "(/ (^ ?a ?b) ?a)",
        "(^ ?a (- ?b 1))",
        Guard::Constant("?b"),
    ),
    rule("sqrt-sqrt-mul", "(* (sqrt ?a) (sqrt ?a))", "?a"),
    rule("sqrt-pow2", "(^ (sqrt ?a) 2)", "?a"),
    rule("pow-half", "(^ ?a 1/2)", "(sqrt ?a)"),
    rule("e-pow", "(^ e ?a)", "(exp ?a)"),
    // Exponential and logarithm.
    rule("ln-exp", "(ln (exp ?a))", "?a"),
    rule("exp-ln", "(exp (ln ?a))", "?a"),
    rule("exp-add", "(* (exp ?a) (exp ?b))", "(exp (+ ?a ?b))"),
    rule("ln-e", "(ln e)", "1"),
    // Trigonometric and hyperbolic identities that derivatives produce.
    rule("sin-neg", "(sin (neg ?a))", "(neg (sin ?a))"),
    rule("cos-neg", "(cos (neg ?a))", "(cos ?a)"),
    rule("sin-cos-tan", "(/ (sin ?a) (cos ?a))", "(tan ?a)"),
    rule("pythagoras", "(+ (^ (sin ?a) 2) (^ (cos ?a) 2))", "1"),
    rule("one-minus-sin2", "(- 1 (^ (sin ?a) 2))", "(^ (cos ?a) 2)"),
    rule("one-minus-cos2", "(- 1 (^ (cos ?a) 2))", "(^ (sin ?a) 2)"),
    rule(
        "one-plus-tan2",
        "(+ 1 (^ (tan ?a) 2))",
        "(/ 1 (^ (cos ?a) 2))",
    ),
    rule("cosh2-sinh2", "(- (^ (cosh ?a) 2) (^ (sinh ?a) 2))", "1"),
    // Double angles, quotients and exponentials in both directions: the normal form (see
    // `normal_form`) sees through the expanded side, extraction keeps the smaller one.
    rule(
        "sin-double",
        "(* (sin ?a) (cos ?a))",
        "(/ (sin (* 2 ?a)) 2)",
    ),
    rule(
        "sin-double-expand",
        "(sin (* 2 ?a))",
        "(* 2 (* (sin ?a) (cos ?a)))",
    ),
    rule(
        "cos-double",
        "(- (^ (cos ?a) 2) (^ (sin ?a) 2))",
        "(cos (* 2 ?a))",
    ),
    rule(
        "cos-double-expand",
        "(cos (* 2 ?a))",
        "(- (^ (cos ?a) 2) (^ (sin ?a) 2))",
    ),
    rule("tan-sin-cos", "(tan ?a)", "(/ (sin ?a) (cos ?a))"),
    rule("tanh-sinh-cosh", "(tanh ?a)", "(/ (sinh ?a) (cosh ?a))"),
    rule("cosh-plus-sinh", "(+ (cosh ?a) (sinh ?a))", "(exp ?a)"),
    rule(
        "cosh-minus-sinh",
        "(- (cosh ?a) (sinh ?a))",
        "(exp (neg ?a))",
    ),
    rule("exp-neg", "(exp (neg ?a))", "(/ 1 (exp ?a))"),
    rule("exp-sub", "(/ (exp ?a) (exp ?b))", "(exp (- ?a ?b))"),
    guarded(
        "exp-pow",
        "(^ (exp ?a) ?c)",
        "(exp (* ?c ?a))",
        Guard::Constant("?c"),
    ),
    // --- Non-smooth, piecewise and further elementary functions (issue 11). ---------------
    // Each holds wherever its left side is defined (kinks included: sign(0)*|0| = 0,
    // relu(0) - relu(-0) = 0). Rewrites toward a library function go in the direction of the
    // accurate form only (`1 - sigmoid(a)` becomes `sigmoid(-a)`, `ln(1 + a)` becomes
    // `log1p(a)`, never the reverse): both forms share the e-class, and extraction is never
    // offered a cancelling form the input did not have.
    rule("abs-abs", "(abs (abs ?a))", "(abs ?a)"),
    rule("abs-neg", "(abs (neg ?a))", "(abs ?a)"),
    rule("abs-pow2", "(^ (abs ?a) 2)", "(^ ?a 2)"),
    rule("abs-exp", "(abs (exp ?a))", "(exp ?a)"),
    rule("sqrt-pow2-abs", "(sqrt (^ ?a 2))", "(abs ?a)"),
    rule("sign-mul-abs", "(* (sign ?a) (abs ?a))", "?a"),
    rule("sign-mul-self", "(* (sign ?a) ?a)", "(abs ?a)"),
    rule("sign-sign", "(sign (sign ?a))", "(sign ?a)"),
    rule("relu-sub-relu-neg", "(- (relu ?a) (relu (neg ?a)))", "?a"),
    rule(
        "relu-add-relu-neg",
        "(+ (relu ?a) (relu (neg ?a)))",
        "(abs ?a)",
    ),
    rule("relu-relu", "(relu (relu ?a))", "(relu ?a)"),
    rule("max-self", "(max ?a ?a)", "?a"),
    rule("min-self", "(min ?a ?a)", "?a"),
    rule("if-same", "(if ?c ?a ?a)", "?a"),
    rule("if-not", "(if (not ?c) ?a ?b)", "(if ?c ?b ?a)"),
    rule("not-not", "(not (not ?c))", "?c"),
    rule(
        "sigmoid-complement",
        "(- 1 (sigmoid ?a))",
        "(sigmoid (neg ?a))",
    ),
    rule("sigmoid-sum", "(+ (sigmoid ?a) (sigmoid (neg ?a)))", "1"),
    rule("sigmoid-def", "(/ 1 (+ 1 (exp (neg ?a))))", "(sigmoid ?a)"),
    rule("log1p-def", "(ln (+ 1 ?a))", "(log1p ?a)"),
    rule("expm1-def", "(- (exp ?a) 1)", "(expm1 ?a)"),
    rule("softplus-def", "(log1p (exp ?a))", "(softplus ?a)"),
    rule("erfc-def", "(- 1 (erf ?a))", "(erfc ?a)"),
    rule("erf-neg", "(erf (neg ?a))", "(neg (erf ?a))"),
    rule("hypot-def", "(sqrt (+ (^ ?a 2) (^ ?b 2)))", "(hypot ?a ?b)"),
    rule("cbrt-pow3", "(^ (cbrt ?a) 3)", "?a"),
];

impl Guard {
    /// The guard with its pattern variables parsed, ready to check matches.
    ///
    /// # Panics
    /// If a name is not a pattern variable such as `?x` (a bug in a rule table).
    ///
    /// ```
    /// use symdiff_rewrite::Guard;
    /// assert!(matches!(Guard::Constant("?c").compile(), Guard::Constant(v) if v.to_string() == "?c"));
    /// ```
    pub fn compile(self) -> Guard<Var> {
        let var = |v: &str| {
            v.parse::<Var>()
                .unwrap_or_else(|e| panic!("guard variable {v}: {e}"))
        };
        match self {
            Guard::Always => Guard::Always,
            Guard::NotFree(x, e) => Guard::NotFree(var(x), var(e)),
            Guard::Free(x, e) => Guard::Free(var(x), var(e)),
            Guard::Constant(c) => Guard::Constant(var(c)),
            Guard::NonZeroConstant(c) => Guard::NonZeroConstant(var(c)),
            Guard::NotZero(c) => Guard::NotZero(var(c)),
            Guard::Zero(c) => Guard::Zero(var(c)),
        }
    }
}

impl Guard<Var> {
    /// Whether the guard holds for a match.
    pub fn holds(&self, egraph: &MathGraph, subst: &Subst) -> bool {
        let class = |v: Var| egraph.find(subst[v]);
        let constant = |v: Var| egraph[class(v)].data.constant.as_ref();
        match *self {
            Guard::Always => true,
            Guard::NotFree(x, e) => {
                var_of(egraph, class(x)).is_some_and(|s| !may_depend_on(egraph, class(e), s))
            }
            Guard::Free(x, e) => {
                var_of(egraph, class(x)).is_some_and(|s| depends_on(egraph, class(e), s))
            }
            Guard::Constant(c) => constant(c).is_some(),
            Guard::NotZero(c) => !constant(c).is_some_and(|k| k.is_zero()),
            Guard::Zero(c) => constant(c).is_some_and(|k| k.is_zero()),
            Guard::NonZeroConstant(c) => constant(c).is_some_and(|k| !k.is_zero()),
        }
    }
}

/// Whether the class `id` may depend on the variable `x`: "no" is a fact, from the class's
/// [`VarMask`] or, for a variable's class, its name; "yes" may be wrong when another name shares
/// `x`'s bit (so `NotFree` then does not apply, and a more general rule does: slower, never
/// wrong). Constant time.
///
/// [`VarMask`]: crate::VarMask
fn may_depend_on(egraph: &MathGraph, id: Id, x: egg::Symbol) -> bool {
    egraph[id].data.free.may_contain(x) && var_of(egraph, id).is_none_or(|s| s == x)
}

/// Whether the class `id` depends on the variable `x`, exactly for what its nodes mention: the
/// mask rules out most classes; otherwise the e-graph below the class is searched for `x`
/// (classes whose mask rules `x` out are not entered).
fn depends_on(egraph: &MathGraph, id: Id, x: egg::Symbol) -> bool {
    if !egraph[id].data.free.may_contain(x) {
        return false;
    }
    if let Some(s) = var_of(egraph, id) {
        return s == x;
    }
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        let id = egraph.find(id);
        if !seen.insert(id) || !egraph[id].data.free.may_contain(x) {
            continue;
        }
        for node in &egraph[id].nodes {
            match node {
                Math::Var(s) if *s == x => return true,
                _ => stack.extend(node.children().iter().copied()),
            }
        }
    }
    false
}

/// The variable in a class (the first argument of `d` is always one).
fn var_of(egraph: &MathGraph, id: Id) -> Option<egg::Symbol> {
    egraph[id].nodes.iter().find_map(|n| match n {
        Math::Var(s) => Some(*s),
        _ => None,
    })
}

/// A rule compiled for egg.
pub struct CompiledRule {
    /// The rule it came from.
    pub spec: RuleSpec,
    /// The left side.
    pub lhs: Pattern<Math>,
    /// The right side.
    pub rhs: Pattern<Math>,
    /// The guard, with its variables parsed.
    pub guard: Guard<Var>,
    /// For a rule whose right side is just `(d ?x ?v)` (a term free of `x` is dropped), `?v`.
    pub forward: Option<Var>,
}

impl RuleSpec {
    /// The rule's patterns, parsed.
    ///
    /// # Panics
    /// If a pattern of the built-in tables does not parse (a bug caught by the tests).
    pub fn compile(&self) -> CompiledRule {
        let parse = |p: &str| {
            p.parse::<Pattern<Math>>()
                .unwrap_or_else(|e| panic!("rule {}: {e}", self.name))
        };
        let rhs = parse(self.rhs);
        let forward = match rhs.ast.as_ref() {
            [ENodeOrVar::Var(_), ENodeOrVar::Var(v), ENodeOrVar::ENode(Math::D(_))] => Some(*v),
            _ => None,
        };
        CompiledRule {
            spec: *self,
            lhs: parse(self.lhs),
            rhs,
            guard: self.guard.compile(),
            forward,
        }
    }

    /// The rule as an egg [`Rewrite`] (guards become a [`ConditionalApplier`]).
    ///
    /// ```
    /// let rewrites: Vec<_> = symdiff_rewrite::SIMPLIFICATION.iter().map(|r| r.rewrite()).collect();
    /// assert_eq!(rewrites.len(), symdiff_rewrite::SIMPLIFICATION.len());
    /// ```
    pub fn rewrite(&self) -> Rewrite<Math, MathAnalysis> {
        let compiled = self.compile();
        let guard = compiled.guard;
        let condition =
            move |egraph: &mut MathGraph, _id: Id, subst: &Subst| guard.holds(egraph, subst);
        Rewrite::new(
            self.name,
            compiled.lhs,
            ConditionalApplier {
                condition,
                applier: compiled.rhs,
            },
        )
        .unwrap_or_else(|e| panic!("rule {}: {e}", self.name))
    }
}

impl CompiledRule {
    /// Matches a differentiation rule's left side, `(d ?x ?e)`, `(d ?x ?x)` or
    /// `(d ?x (op ?a ...))` with distinct variables, at the derivative node `d x e`. Unlike egg's
    /// searcher it works on an e-graph with pending unions (it canonicalizes as it goes).
    ///
    /// # Panics
    /// If the left side has another shape (the tests run every rule of [`DIFFERENTIATION`]).
    ///
    /// ```
    /// use symdiff_expr::Math;
    /// use symdiff_rewrite::{MathAnalysis, MathGraph, DIFFERENTIATION};
    /// let mut egraph = MathGraph::new(MathAnalysis);
    /// let d = egraph.add_expr(&"(d x (sin (* 2 x)))".parse().unwrap());
    /// let Math::D([x, e]) = egraph[d].nodes[0] else { unreachable!() };
    /// let sin = DIFFERENTIATION.iter().find(|r| r.name == "d-sin").unwrap().compile();
    /// assert_eq!(sin.match_derivative(&egraph, x, e).len(), 1);
    /// let cos = DIFFERENTIATION.iter().find(|r| r.name == "d-cos").unwrap().compile();
    /// assert!(cos.match_derivative(&egraph, x, e).is_empty());
    /// ```
    pub fn match_derivative(&self, egraph: &MathGraph, x: Id, e: Id) -> Vec<Subst> {
        let ast = self.lhs.ast.as_ref();
        let shape_error = || panic!("rule {}: not of the form (d ?x ...)", self.spec.name);
        let Some(ENodeOrVar::ENode(Math::D([xv, ev]))) = ast.last() else {
            shape_error()
        };
        let ENodeOrVar::Var(x_var) = ast[usize::from(*xv)] else {
            shape_error()
        };
        let (x, e) = (egraph.find(x), egraph.find(e));
        let mut subst = Subst::default();
        subst.insert(x_var, x);
        match &ast[usize::from(*ev)] {
            ENodeOrVar::Var(v) if *v == x_var => (x == e).then_some(subst).into_iter().collect(),
            ENodeOrVar::Var(v) => {
                subst.insert(*v, e);
                vec![subst]
            }
            ENodeOrVar::ENode(pattern) => egraph[e]
                .nodes
                .iter()
                .filter(|n| pattern.matches(n))
                .map(|candidate| {
                    let mut s = subst.clone();
                    for (p, &c) in pattern.children().iter().zip(candidate.children()) {
                        let ENodeOrVar::Var(v) = ast[usize::from(*p)] else {
                            shape_error()
                        };
                        if s.insert(v, egraph.find(c)).is_some() {
                            shape_error();
                        }
                    }
                    s
                })
                .collect(),
        }
    }

    /// Applies the rule's right side for one match, after checking the guard: adds the
    /// instantiated right side and unions it with `eclass`. Returns `None` if the guard does not
    /// hold, else the `d` nodes of the right side as `(class, variable, expression)`.
    ///
    /// ```
    /// use symdiff_expr::Math;
    /// use symdiff_rewrite::{MathAnalysis, MathGraph, DIFFERENTIATION};
    /// let mut egraph = MathGraph::new(MathAnalysis);
    /// let d = egraph.add_expr(&"(d x (sin (* 2 x)))".parse().unwrap());
    /// let Math::D([x, e]) = egraph[d].nodes[0] else { unreachable!() };
    /// let rule = DIFFERENTIATION.iter().find(|r| r.name == "d-sin").unwrap().compile();
    /// let subst = rule.match_derivative(&egraph, x, e).remove(0);
    /// let created = rule.apply(&mut egraph, d, &subst).unwrap();
    /// assert_eq!(created.len(), 1); // d(x, 2*x), still to be rewritten
    /// ```
    pub fn apply(
        &self,
        egraph: &mut MathGraph,
        eclass: Id,
        subst: &Subst,
    ) -> Option<Vec<(Id, Id, Id)>> {
        if !self.guard.holds(egraph, subst) {
            return None;
        }
        let mut ids: Vec<Id> = Vec::with_capacity(self.rhs.ast.len());
        let mut derivatives = Vec::new();
        for node in self.rhs.ast.as_ref() {
            let id = match node {
                ENodeOrVar::Var(v) => subst[*v],
                ENodeOrVar::ENode(n) => {
                    let n = n.clone().map_children(|c| ids[usize::from(c)]);
                    let derivative = match n {
                        Math::D([x, e]) => Some((x, e)),
                        _ => None,
                    };
                    let id = egraph.add(n);
                    if let Some((x, e)) = derivative {
                        derivatives.push((id, x, e));
                    }
                    id
                }
            };
            ids.push(id);
        }
        let root = *ids.last().expect("a pattern is never empty");
        egraph.union(eclass, root);
        Some(derivatives)
    }
}

/// The differentiation rules as egg rewrites, for use in a plain [`egg::Runner`] (symdiff's own
/// driver applies them once per derivative instead; the results agree).
///
/// ```
/// use egg::Runner;
/// use symdiff_rewrite::{differentiation_rewrites, MathAnalysis};
/// let expr = "(d x (* x x))".parse().unwrap();
/// let runner = Runner::<_, MathAnalysis>::new(MathAnalysis).with_expr(&expr).run(&differentiation_rewrites());
/// let root = runner.roots[0];
/// let derivative = "(+ (* 1 x) (* x 1))".parse().unwrap();
/// assert_eq!(runner.egraph.lookup_expr(&derivative).map(|id| runner.egraph.find(id)), Some(runner.egraph.find(root)));
/// ```
pub fn differentiation_rewrites() -> Vec<Rewrite<Math, MathAnalysis>> {
    DIFFERENTIATION.iter().map(RuleSpec::rewrite).collect()
}

/// The simplification rules as egg rewrites.
///
/// ```
/// use egg::Runner;
/// use symdiff_rewrite::{simplification_rewrites, MathAnalysis};
/// let runner = Runner::<_, MathAnalysis>::new(MathAnalysis)
///     .with_expr(&"(+ (* x 1) 0)".parse().unwrap())
///     .with_iter_limit(5)
///     .run(&simplification_rewrites());
/// let x = runner.egraph.lookup_expr(&"x".parse().unwrap()).unwrap();
/// assert_eq!(runner.egraph.find(x), runner.egraph.find(runner.roots[0]));
/// ```
pub fn simplification_rewrites() -> Vec<Rewrite<Math, MathAnalysis>> {
    SIMPLIFICATION.iter().map(RuleSpec::rewrite).collect()
}
