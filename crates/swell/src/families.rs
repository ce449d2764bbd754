//! The expression families of the swell report, each parameterised by `n`.
//!
//! Every member is one scalar function ([`Member::input`], built with the hash-consing builder of
//! `symdiff-expr`, so repeated subexpressions are shared automatically) and the variables to
//! differentiate it by ([`Member::vars`]: one for `d/dx`, several for a gradient).
//!
//! The Python peer script `bench/peers/measure.py` builds the same members with SymPy and
//! SymEngine; keep both definitions in sync.
//!
//! | family | member `n` | differentiated by |
//! | --- | --- | --- |
//! | `logistic` | `l_1 = x`, `l_(k+1) = 4*l_k*(1 - l_k)`, `n = k = 1..20` | `x` |
//! | `seed_square` | `4*(cos(x) + 2*x - exp(x))^2` (only `n = 1`) | `x` |
//! | `seed_log` | `x1*x2 + x2 - ln(x1)` (only `n = 1`) | `x1`, `x2` |
//! | `prod_sin` | `sin(x)*sin(2*x)*...*sin(n*x)`, `n = 1..20` | `x` |
//! | `nested_sin` | `sin(sin(...sin(x)))` with `n` sines, `n = 1..20` | `x` |
//! | `exp_sin` | `exp(sin(exp(...(x))))`: `n` functions alternating, outermost `exp` | `x` |
//! | `poly_pow` | `(x^2 + 3*x + 1)^n` (the base itself for `n = 1`), `n = 1..50` | `x` |
//! | `rational` | `(x^2 + 1)/(x^3 - 2*x + 5)` (only `n = 1`) | `x` |
//! | `neural` | `sum_(i=1..n) w_i*sin(a_i*x + b_i*y)`, `n` up to 100 | `x`, `y` |
//! | `rosenbrock` | `sum_(i=1..n-1) 100*(x_(i+1) - x_i^2)^2 + (1 - x_i)^2`, `n` up to 100 | `x1..xn` |
//! | `relu_net` | `sigmoid(sum_(i=1..n) w_i*relu(a_i*x + b_i*y - c_i))`, `n` up to 100 | `x`, `y` |
//!
//! **The `neural` weights are exact numeric constants**, not symbols: `w_i = 1/(i+1)`,
//! `a_i = i + 1`, `b_i = 1/(i+1)`. A trained network's weights are fixed numbers when one asks for
//! the gradient with respect to its inputs; constants keep the input at `x` and `y` only (so the
//! gradient has exactly two entries and the peers compute the same thing); and rationals keep the
//! arithmetic exact. The formula avoids `0` and `1` so that no factor is trivially droppable.
//! `relu_net` (a ReLU hidden layer under a sigmoid output, the non-smooth functions of issue 11)
//! uses the same weights and biases `c_i = 1/(i+2)`; its derivative holds one `if` per unit.
//! The peers (SymPy, SymEngine) are not measured on it.
//!
//! Sums and products are built left-nested (`((t1 + t2) + t3) + ...`), as a parser reads them.

use num_bigint::BigInt;
use num_rational::BigRational;
use serde::Serialize;
use std::fmt;
use symdiff_expr::{constant, var, Expr};

/// Which subset of each family's `n` to run.
///
/// ```
/// use symdiff_swell::{Family, Mode};
/// assert_eq!(Family::Logistic.ns(Mode::Full), (1..=20).collect::<Vec<_>>());
/// assert!(Family::Logistic.ns(Mode::Quick).len() < 20);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A small subset of every family: the `--quick` report (well under 30 s).
    Quick,
    /// Every member.
    Full,
}

/// An expression family (see the [module docs](self) for the definitions).
///
/// ```
/// use symdiff_swell::Family;
/// assert_eq!(Family::ALL.len(), 11);
/// assert_eq!(Family::from_name("poly_pow"), Some(Family::PolyPow));
/// assert_eq!(Family::PolyPow.to_string(), "poly_pow");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// The logistic map `l_(k+1) = 4*l_k*(1 - l_k)`, `l_1 = x`.
    Logistic,
    /// The seed's `4*(cos(x) + 2*x - exp(x))^2`.
    SeedSquare,
    /// The seed's `x1*x2 + x2 - ln(x1)`, both partials.
    SeedLog,
    /// `prod_(k=1..n) sin(k*x)`.
    ProdSin,
    /// `sin(sin(...sin(x)))`.
    NestedSin,
    /// `exp(sin(exp(...(x))))`.
    ExpSin,
    /// `(x^2 + 3*x + 1)^n`.
    PolyPow,
    /// `(x^2 + 1)/(x^3 - 2*x + 5)`.
    Rational,
    /// `sum_i w_i*sin(a_i*x + b_i*y)`, gradient in `x`, `y`.
    Neural,
    /// The Rosenbrock function in `n` variables, gradient.
    Rosenbrock,
    /// `sigmoid(sum_i w_i*relu(a_i*x + b_i*y - c_i))`, gradient in `x`, `y`.
    ReluNet,
}

impl Family {
    /// Every family, in report order.
    ///
    /// ```
    /// assert_eq!(symdiff_swell::Family::ALL[0], symdiff_swell::Family::Logistic);
    /// ```
    pub const ALL: [Family; 11] = [
        Family::Logistic,
        Family::SeedSquare,
        Family::SeedLog,
        Family::ProdSin,
        Family::NestedSin,
        Family::ExpSin,
        Family::PolyPow,
        Family::Rational,
        Family::Neural,
        Family::Rosenbrock,
        Family::ReluNet,
    ];

    /// The family's identifier (as in the CSV files and `bench/peers/measure.py`).
    ///
    /// ```
    /// assert_eq!(symdiff_swell::Family::ExpSin.name(), "exp_sin");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Family::Logistic => "logistic",
            Family::SeedSquare => "seed_square",
            Family::SeedLog => "seed_log",
            Family::ProdSin => "prod_sin",
            Family::NestedSin => "nested_sin",
            Family::ExpSin => "exp_sin",
            Family::PolyPow => "poly_pow",
            Family::Rational => "rational",
            Family::Neural => "neural",
            Family::Rosenbrock => "rosenbrock",
            Family::ReluNet => "relu_net",
        }
    }

    /// Looks a family up by [`Family::name`].
    ///
    /// ```
    /// use symdiff_swell::Family;
    /// assert_eq!(Family::from_name("rosenbrock"), Some(Family::Rosenbrock));
    /// assert_eq!(Family::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == name)
    }

    /// A one-line formula of the family, for report headings.
    ///
    /// ```
    /// assert!(symdiff_swell::Family::Logistic.formula().contains("4*l"));
    /// ```
    pub fn formula(self) -> &'static str {
        match self {
            Family::Logistic => "l_1 = x, l_(k+1) = 4*l_k*(1 - l_k); d/dx",
            Family::SeedSquare => "4*(cos(x) + 2*x - exp(x))^2; d/dx",
            Family::SeedLog => "x1*x2 + x2 - ln(x1); gradient (x1, x2)",
            Family::ProdSin => "sin(x)*sin(2*x)*...*sin(n*x); d/dx",
            Family::NestedSin => "sin(sin(...sin(x))), n sines; d/dx",
            Family::ExpSin => "exp(sin(exp(...(x)))), n functions, outermost exp; d/dx",
            Family::PolyPow => "(x^2 + 3*x + 1)^n; d/dx",
            Family::Rational => "(x^2 + 1)/(x^3 - 2*x + 5); d/dx",
            Family::Neural => {
                "sum_(i=1..n) w_i*sin(a_i*x + b_i*y), w_i = 1/(i+1), a_i = i+1, b_i = 1/(i+1); gradient (x, y)"
            }
            Family::Rosenbrock => {
                "sum_(i=1..n-1) 100*(x_(i+1) - x_i^2)^2 + (1 - x_i)^2; gradient (x1..xn)"
            }
            Family::ReluNet => {
                "sigmoid(sum_(i=1..n) w_i*relu(a_i*x + b_i*y - c_i)), w_i = 1/(i+1), a_i = i+1, b_i = 1/(i+1), c_i = 1/(i+2); gradient (x, y)"
            }
        }
    }

    /// The values of `n` a report of the given mode runs, ascending.
    ///
    /// ```
    /// use symdiff_swell::{Family, Mode};
    /// assert_eq!(Family::Rational.ns(Mode::Full), vec![1]);
    /// assert_eq!(*Family::Rosenbrock.ns(Mode::Full).last().unwrap(), 100);
    /// ```
    pub fn ns(self, mode: Mode) -> Vec<usize> {
        let quick = mode == Mode::Quick;
        match self {
            Family::Logistic if quick => vec![1, 2, 3, 4, 6, 8, 10, 12],
            Family::Logistic => (1..=20).collect(),
            Family::SeedSquare | Family::SeedLog | Family::Rational => vec![1],
            Family::ProdSin | Family::NestedSin | Family::ExpSin if quick => vec![1, 2, 5, 10],
            Family::ProdSin | Family::NestedSin | Family::ExpSin => (1..=20).collect(),
            Family::PolyPow if quick => vec![1, 2, 5, 10, 20],
            Family::PolyPow => (1..=50).collect(),
            Family::Neural | Family::ReluNet if quick => vec![1, 5, 10],
            Family::Neural | Family::ReluNet => vec![1, 2, 3, 5, 10, 20, 30, 50, 75, 100],
            Family::Rosenbrock if quick => vec![2, 5, 10],
            Family::Rosenbrock => vec![2, 3, 4, 5, 10, 20, 30, 50, 75, 100],
        }
    }

    /// The largest `n` the family is defined for (a fixed function has only `n = 1`).
    ///
    /// ```
    /// assert_eq!(symdiff_swell::Family::PolyPow.max_n(), 50);
    /// ```
    pub fn max_n(self) -> usize {
        *self
            .ns(Mode::Full)
            .last()
            .expect("every family has a member")
    }

    /// True for the families with a single member (`n = 1`).
    ///
    /// ```
    /// use symdiff_swell::Family;
    /// assert!(Family::SeedLog.is_single());
    /// assert!(!Family::Logistic.is_single());
    /// ```
    pub fn is_single(self) -> bool {
        self.max_n() == 1
    }

    /// Builds member `n`, or `None` when `n` is outside `1..=max_n` (`2..=max_n` for Rosenbrock,
    /// which needs two variables).
    ///
    /// ```
    /// use symdiff_swell::Family;
    /// let m = Family::Logistic.member(3).unwrap();
    /// assert_eq!(m.input.to_string(), "4*(4*x*(1 - x))*(1 - 4*x*(1 - x))");
    /// assert_eq!(m.vars, ["x"]);
    /// assert!(Family::Logistic.member(0).is_none());
    /// assert!(Family::Logistic.member(21).is_none());
    /// ```
    pub fn member(self, n: usize) -> Option<Member> {
        let min = if self == Family::Rosenbrock { 2 } else { 1 };
        if n < min || n > self.max_n() {
            return None;
        }
        let x = var("x");
        let (input, vars): (Expr, Vec<String>) = match self {
            Family::Logistic => {
                let mut l = x;
                for _ in 1..n {
                    l = 4 * l * (1 - l);
                }
                (l, vec!["x".into()])
            }
            Family::SeedSquare => (4 * (x.cos() + 2 * x - x.exp()).pow(2), vec!["x".into()]),
            Family::SeedLog => {
                let (x1, x2) = (var("x1"), var("x2"));
                (x1 * x2 + x2 - x1.ln(), vec!["x1".into(), "x2".into()])
            }
            Family::ProdSin => {
                let mut f = x.sin();
                for k in 2..=n as i64 {
                    f = f * (constant(k) * x).sin();
                }
                (f, vec!["x".into()])
            }
            Family::NestedSin => {
                let mut f = x;
                for _ in 0..n {
                    f = f.sin();
                }
                (f, vec!["x".into()])
            }
            Family::ExpSin => {
                let mut f = x;
                for i in (0..n).rev() {
                    f = if i % 2 == 0 { f.exp() } else { f.sin() };
                }
                (f, vec!["x".into()])
            }
            Family::PolyPow => {
                let p = x.pow(2) + 3 * x + 1;
                let f = if n == 1 { p } else { p.pow(constant(n as i64)) };
                (f, vec!["x".into()])
            }
            Family::Rational => ((x.pow(2) + 1) / (x.pow(3) - 2 * x + 5), vec!["x".into()]),
            Family::Neural => {
                let y = var("y");
                let mut f: Option<Expr> = None;
                for i in 1..=n as i64 {
                    let w = ratio(1, i + 1);
                    let a = constant(i + 1);
                    let b = ratio(1, i + 1);
                    let term = w * (a * x + b * y).sin();
                    f = Some(f.map_or(term, |f| f + term));
                }
                (f.expect("n >= 1 terms"), vec!["x".into(), "y".into()])
            }
            Family::ReluNet => {
                let y = var("y");
                let mut z: Option<Expr> = None;
                for i in 1..=n as i64 {
                    let (w, a, b, c) = (
                        ratio(1, i + 1),
                        constant(i + 1),
                        ratio(1, i + 1),
                        ratio(1, i + 2),
                    );
                    let term = w * (a * x + b * y - c).relu();
                    z = Some(z.map_or(term, |z| z + term));
                }
                (
                    z.expect("n >= 1 units").sigmoid(),
                    vec!["x".into(), "y".into()],
                )
            }
            Family::Rosenbrock => {
                let xs: Vec<Expr> = (1..=n).map(|i| var(&format!("x{i}"))).collect();
                let mut f: Option<Expr> = None;
                for i in 0..n - 1 {
                    let term = 100 * (xs[i + 1] - xs[i].pow(2)).pow(2) + (1 - xs[i]).pow(2);
                    f = Some(f.map_or(term, |f| f + term));
                }
                (
                    f.expect("n >= 2 gives a term"),
                    (1..=n).map(|i| format!("x{i}")).collect(),
                )
            }
        };
        Some(Member {
            family: self,
            n,
            input,
            vars,
        })
    }

    /// Every member of the given mode, in order.
    ///
    /// ```
    /// use symdiff_swell::{Family, Mode};
    /// assert_eq!(Family::NestedSin.members(Mode::Full).len(), 20);
    /// ```
    pub fn members(self, mode: Mode) -> Vec<Member> {
        self.ns(mode)
            .into_iter()
            .filter_map(|n| self.member(n))
            .collect()
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `p/q` as an exact constant.
fn ratio(p: i64, q: i64) -> Expr {
    constant(BigRational::new(BigInt::from(p), BigInt::from(q)))
}

/// One member of a family: the function and the variables to differentiate it by.
///
/// ```
/// use symdiff_swell::Family;
/// let m = Family::SeedLog.member(1).unwrap();
/// assert_eq!(m.input.to_string(), "x1*x2 + x2 - ln(x1)");
/// assert_eq!(m.vars, ["x1", "x2"]);
/// assert_eq!(m.label(), "seed_log");
/// assert_eq!(symdiff_swell::Family::Logistic.member(12).unwrap().label(), "logistic(12)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The family.
    pub family: Family,
    /// The parameter.
    pub n: usize,
    /// The function (a DAG: repeated subexpressions are shared).
    pub input: Expr,
    /// The variables to differentiate by; several mean a gradient.
    pub vars: Vec<String>,
}

impl Member {
    /// `family(n)`, or just the family's name for single-member families.
    ///
    /// ```
    /// let m = symdiff_swell::Family::ProdSin.member(3).unwrap();
    /// assert_eq!(m.label(), "prod_sin(3)");
    /// ```
    pub fn label(&self) -> String {
        if self.family.is_single() {
            self.family.name().to_string()
        } else {
            format!("{}({})", self.family, self.n)
        }
    }

    /// The variables as string slices (the form `gradient` takes).
    ///
    /// ```
    /// let m = symdiff_swell::Family::Neural.member(2).unwrap();
    /// assert_eq!(m.var_refs(), ["x", "y"]);
    /// ```
    pub fn var_refs(&self) -> Vec<&str> {
        self.vars.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_builds_and_has_its_variables() {
        for family in Family::ALL {
            for n in family.ns(Mode::Full) {
                let m = family.member(n).unwrap_or_else(|| panic!("{family}({n})"));
                let free = m.input.free_vars();
                for v in &m.vars {
                    assert!(free.contains(v), "{}: {v} not free", m.label());
                }
            }
            for n in family.ns(Mode::Quick) {
                assert!(family.ns(Mode::Full).contains(&n), "{family}: quick n={n}");
            }
        }
    }

    #[test]
    fn logistic_input_is_a_linear_dag() {
        // x, 4, 1, then three nodes per step: 4*l, 1 - l, (4*l)*(1 - l).
        for k in 1..=20 {
            let m = Family::Logistic.member(k).unwrap();
            let expect = if k == 1 { 1 } else { 3 + 3 * (k - 1) };
            assert_eq!(m.input.dag_size(), expect, "k = {k}");
        }
        // l_4 as a tree: 43 nodes (the expr crate's doc example).
        assert_eq!(
            Family::Logistic.member(4).unwrap().input.tree_size(),
            43u32.into()
        );
    }

    #[test]
    fn definitions_match_the_documented_formulas() {
        let show = |f: Family, n| f.member(n).unwrap().input.to_string();
        assert_eq!(show(Family::ProdSin, 3), "sin(x)*sin(2*x)*sin(3*x)");
        assert_eq!(show(Family::NestedSin, 3), "sin(sin(sin(x)))");
        assert_eq!(show(Family::ExpSin, 3), "exp(sin(exp(x)))");
        assert_eq!(show(Family::PolyPow, 1), "x^2 + 3*x + 1");
        assert_eq!(show(Family::PolyPow, 7), "(x^2 + 3*x + 1)^7");
        assert_eq!(show(Family::Rational, 1), "(x^2 + 1)/(x^3 - 2*x + 5)");
        assert_eq!(show(Family::SeedSquare, 1), "4*(cos(x) + 2*x - exp(x))^2");
        assert_eq!(
            show(Family::Rosenbrock, 3),
            "100*(x2 - x1^2)^2 + (1 - x1)^2 + (100*(x3 - x2^2)^2 + (1 - x2)^2)"
        );
        assert_eq!(
            show(Family::ReluNet, 2),
            "sigmoid(1/2*relu(2*x + 1/2*y - 1/3) + 1/3*relu(3*x + 1/3*y - 1/4))"
        );
        let neural = Family::Neural.member(2).unwrap().input;
        assert_eq!(
            neural,
            symdiff_expr::parse("1/2*sin(2*x + 1/2*y) + 1/3*sin(3*x + 1/3*y)").unwrap()
        );
    }
}
