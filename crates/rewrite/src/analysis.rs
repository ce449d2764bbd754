//! The e-class analysis: exact constant folding over big rationals and a fixed-size summary of
//! the variables each class may depend on ([`VarMask`]).

use egg::{Analysis, DidMerge, EGraph, Id, Symbol};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use symdiff_expr::{Constant, Func, Func2, Math, Shape};

/// The e-graph of symdiff.
pub type MathGraph = EGraph<Math, MathAnalysis>;

/// The largest result, in bits, that constant folding of a power computes (`2^100000` stays
/// symbolic); defined in `symdiff-expr` with the exact power itself.
pub use symdiff_expr::MAX_FOLDED_BITS;

/// What the analysis knows about an e-class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassData {
    /// The exact rational value of the class, when it is a constant.
    pub constant: Option<Constant>,
    /// Variables the class's value may depend on, as a [`VarMask`]: the intersection over its
    /// members of their syntactic free variables (a class equal to `0` depends on nothing, even
    /// if it also holds `x - x`). One word per class, however many variables there are.
    pub free: VarMask,
}

/// A set of variables summarised in one 64-bit word: each variable name sets one bit (a hash of
/// the name), so the mask of an expression is a superset of its variables' bits. "Bit clear"
/// proves "does not depend"; "bit set" only means "may depend" (two names can share a bit).
/// Memory and work per e-class stay constant whatever the number of variables.
///
/// ```
/// use symdiff_rewrite::VarMask;
/// let (x, y) = (egg::Symbol::from("x"), egg::Symbol::from("y"));
/// let xy = VarMask::of(x).union(VarMask::of(y));
/// assert!(xy.may_contain(x) && xy.may_contain(y));
/// assert!(!VarMask::EMPTY.may_contain(x));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct VarMask(u64);

impl VarMask {
    /// No variable.
    pub const EMPTY: VarMask = VarMask(0);

    /// The mask of one variable (FNV-1a of its name, so it does not depend on interning order).
    pub fn of(name: Symbol) -> VarMask {
        let hash = name
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        VarMask(1 << (hash % 64))
    }

    /// Variables of either.
    pub fn union(self, other: VarMask) -> VarMask {
        VarMask(self.0 | other.0)
    }

    /// Variables of both.
    pub fn intersection(self, other: VarMask) -> VarMask {
        VarMask(self.0 & other.0)
    }

    /// False only if no variable of the set is `name`.
    pub fn may_contain(self, name: Symbol) -> bool {
        self.0 & VarMask::of(name).0 != 0
    }
}

/// Constant folding (never folding a division by zero, `0^negative`, or a non-rational result
/// such as `2^(1/2)`) plus free variables.
///
/// ```
/// use symdiff_rewrite::{MathAnalysis, MathGraph};
/// let mut egraph = MathGraph::new(MathAnalysis);
/// let id = egraph.add_expr(&"(+ (* 2 3) (/ 1 3))".parse().unwrap());
/// assert_eq!(egraph[id].data.constant.as_ref().unwrap().to_string(), "19/3");
/// let id = egraph.add_expr(&"(/ 1 0)".parse().unwrap());
/// assert!(egraph[id].data.constant.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct MathAnalysis;

/// Folds one node whose children have the given constant values, exactly.
///
/// ```
/// use symdiff_expr::{Constant, Math};
/// use symdiff_rewrite::fold;
/// let id = egg::Id::from(0usize);
/// let two = Constant::from(2);
/// assert_eq!(fold(&Math::Pow([id, id]), |_| Some(two.clone())), Some(Constant::from(4)));
/// assert_eq!(fold(&Math::Div([id, id]), |_| Some(Constant::from(0))), None);
/// ```
pub fn fold(node: &Math, value: impl Fn(Id) -> Option<Constant>) -> Option<Constant> {
    let v = |id: Id| value(id).map(|c| c.value().clone());
    let result: BigRational = match node.shape() {
        Shape::Num(c) => return Some(c.clone()),
        Shape::Named(_) | Shape::Var(_) | Shape::Derivative(..) => return None,
        Shape::Neg(a) => -v(a)?,
        Shape::Binary(op, a, b) => {
            let (a, b) = (v(a)?, v(b)?);
            match op {
                symdiff_expr::BinOp::Add => a + b,
                symdiff_expr::BinOp::Sub => a - b,
                symdiff_expr::BinOp::Mul => a * b,
                symdiff_expr::BinOp::Div => {
                    if b.is_zero() {
                        return None;
                    }
                    a / b
                }
                symdiff_expr::BinOp::Pow => fold_pow(&a, &b)?,
            }
        }
        Shape::Call(f, a) => fold_call(f, &v(a)?)?,
        Shape::Call2(f, a, b) => fold_call2(f, &v(a)?, &v(b)?)?,
        // Both branches the same constant.
        Shape::If(_, a, b) => {
            let (a, b) = (v(a)?, v(b)?);
            (a == b).then_some(a)?
        }
        // A condition is a truth value, never a number: it does not fold to a constant (the
        // class would be pruned to a number, which is not a condition).
        Shape::Compare(..) | Shape::And(..) | Shape::Or(..) | Shape::Not(_) => return None,
    };
    Some(Constant::new(result))
}

/// The value of a node that is constant whatever its non-constant operands are (where it is
/// defined): `a - a = 0`, `a/a = 1`, `a*0 = 0`, `0/a = 0`, `a^0 = 1`, `0^c = 0` for `c > 0` (a positive rational, `pi` or `e`).
/// Folding these before differentiating means `d/dx asin(x/x)` is `0` by `d-const`, instead of
/// a chain rule through `0/0`. A class known to be `0` is never divided by.
fn identity(egraph: &MathGraph, enode: &Math) -> Option<Constant> {
    let constant = |id: Id| egraph[id].data.constant.clone();
    let is_zero = |id: Id| constant(id).is_some_and(|c| c.is_zero());
    let same = |a: Id, b: Id| egraph.find(a) == egraph.find(b);
    // Known positive: a positive constant, pi or e.
    let positive = |id: Id| {
        constant(id).is_some_and(|c| !c.is_negative() && !c.is_zero())
            || egraph[id].nodes.iter().any(|n| matches!(n, Math::Named(_)))
    };
    let value = match *enode {
        Math::Sub([a, b]) if same(a, b) => 0,
        Math::Div([a, b]) if same(a, b) && !is_zero(b) => 1,
        Math::Div([a, b]) if is_zero(a) && !is_zero(b) => 0,
        Math::Mul([a, b]) if is_zero(a) || is_zero(b) => 0,
        Math::Pow([_, b]) if is_zero(b) => 1,
        Math::Pow([a, b]) if is_zero(a) && positive(b) => 0,
        _ => return None,
    };
    Some(Constant::from(value))
}

/// `a^b` when it is rational and not absurdly large ([`Constant::checked_pow`]).
fn fold_pow(a: &BigRational, b: &BigRational) -> Option<BigRational> {
    let (a, b) = (Constant::new(a.clone()), Constant::new(b.clone()));
    a.checked_pow(&b).map(|c| c.value().clone())
}

/// Functions at the arguments where their value is rational.
fn fold_call(f: Func, a: &BigRational) -> Option<BigRational> {
    let zero = BigRational::zero();
    let one = BigRational::one();
    match f {
        Func::Sin | Func::Tan | Func::Asin | Func::Atan | Func::Sinh | Func::Tanh
            if a.is_zero() =>
        {
            Some(zero)
        }
        Func::Cos | Func::Cosh | Func::Exp if a.is_zero() => Some(one),
        Func::Ln if a.is_one() => Some(zero),
        Func::Acos if a.is_one() => Some(zero),
        Func::Sqrt if !a.is_negative() => {
            let (n, d) = (exact_sqrt(a.numer())?, exact_sqrt(a.denom())?);
            Some(BigRational::new(n, d))
        }
        Func::Abs => Some(a.abs()),
        Func::Sign => Some(a.signum()),
        Func::Relu => Some(if a.is_negative() { zero } else { a.clone() }),
        Func::Cbrt | Func::Log1p | Func::Expm1 | Func::Asinh | Func::Atanh | Func::Erf
            if a.is_zero() =>
        {
            Some(zero)
        }
        Func::Log10 | Func::Log2 | Func::Acosh if a.is_one() => Some(zero),
        Func::Erfc if a.is_zero() => Some(one),
        Func::Sigmoid if a.is_zero() => Some(BigRational::new(1.into(), 2.into())),
        _ => None,
    }
}

/// Two-argument functions at the arguments where their value is rational (`max` ties take the
/// first argument, which is the same number).
fn fold_call2(f: Func2, a: &BigRational, b: &BigRational) -> Option<BigRational> {
    match f {
        Func2::Min => Some(if a <= b { a.clone() } else { b.clone() }),
        Func2::Max => Some(if a >= b { a.clone() } else { b.clone() }),
        Func2::Atan2 if a.is_zero() && b.is_positive() => Some(BigRational::zero()),
        Func2::Hypot => {
            let square = a * a + b * b;
            let (n, d) = (exact_sqrt(square.numer())?, exact_sqrt(square.denom())?);
            Some(BigRational::new(n, d))
        }
        _ => None,
    }
}

fn exact_sqrt(n: &BigInt) -> Option<BigInt> {
    let root = n.sqrt();
    (&root * &root == *n).then_some(root)
}

impl Analysis<Math> for MathAnalysis {
    type Data = ClassData;

    fn make(egraph: &mut MathGraph, enode: &Math, _id: Id) -> ClassData {
        let constant =
            fold(enode, |c| egraph[c].data.constant.clone()).or_else(|| identity(egraph, enode));
        let free = match enode {
            Math::Var(s) => VarMask::of(*s),
            _ if constant.is_some() => VarMask::EMPTY,
            _ => egg::Language::children(enode)
                .iter()
                .fold(VarMask::EMPTY, |m, &c| m.union(egraph[c].data.free)),
        };
        ClassData { constant, free }
    }

    fn merge(&mut self, to: &mut ClassData, from: ClassData) -> DidMerge {
        let mut changed_to = false;
        let mut changed_from = false;
        match (&to.constant, from.constant) {
            (None, Some(c)) => {
                to.constant = Some(c);
                changed_to = true;
            }
            // Two different constants can only meet in a class that is undefined everywhere
            // (such as `0/0`, which is both `0/a` and `a/a`): any value is sound there.
            (Some(a), Some(b)) => changed_from = *a != b,
            (Some(_), None) => changed_from = true,
            (None, None) => {}
        }
        let both = to.free.intersection(from.free);
        changed_to |= both != to.free;
        changed_from |= both != from.free;
        to.free = both;
        DidMerge(changed_to, changed_from)
    }

    fn modify(egraph: &mut MathGraph, id: Id) {
        if let Some(c) = egraph[id].data.constant.clone() {
            let added = egraph.add(Math::Num(c));
            egraph.union(id, added);
            // A constant class needs nothing but its constant.
            egraph[id].nodes.retain(|n| matches!(n, Math::Num(_)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use symdiff_expr::{var, Point};

    /// Two variable names that share a bit of [`VarMask`].
    fn colliding_names() -> (String, String) {
        let names: Vec<String> = (0..100).map(|i| format!("v{i}")).collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                if VarMask::of(Symbol::from(a.as_str())) == VarMask::of(Symbol::from(b.as_str())) {
                    return (a.clone(), b.clone());
                }
            }
        }
        unreachable!("100 names in 64 bits must collide")
    }

    #[test]
    fn names_that_share_a_bit_still_differentiate_correctly() {
        let (a, b) = colliding_names();
        let (x, y) = (var(&a), var(&b));
        // y^3 and y^x look x-dependent to the mask: the general rules must still be right.
        let f = x.pow(2) * y.pow(3) + y.pow(x) + (y + 1).sin();
        let df = crate::d(&f, &a).unwrap();
        let at: Point = format!("{a}=0.7,{b}=1.3").parse().unwrap();
        let (xv, yv) = (0.7f64, 1.3f64);
        let expected = 2.0 * xv * yv.powi(3) + yv.powf(xv) * yv.ln();
        let got = df.expr.eval(&at).unwrap();
        assert!((got - expected).abs() < 1e-12, "{} = {got}", df.expr);
        let dg = crate::d(&f, &b).unwrap().expr.eval(&at).unwrap();
        let expected = 3.0 * xv * xv * yv * yv + xv * yv.powf(xv - 1.0) + (yv + 1.0).cos();
        assert!((dg - expected).abs() < 1e-12);
    }
}
