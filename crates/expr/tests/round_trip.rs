//! Round trips: for random expressions over every construct of the language, parsing what a
//! printer wrote gives back the same (hash-consed, hence `==`) expression, in every format that
//! can be read back: infix (plain, line-broken, with shared subexpressions bound to names),
//! s-expressions, JSON, and egg's `RecExpr` syntax.

use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use symdiff_expr::{parse, parse_sexp, var, BinOp, CmpOp, Constant, Expr, Func, Func2, Sharing};

/// Variable names, including ones that look like the printer's binding names (`t1`, `tmp1`).
const VARS: [&str; 8] = ["x", "y", "z", "x1", "theta", "x_2", "t1", "tmp1"];

fn big(text: &str) -> BigInt {
    text.parse().unwrap()
}

/// Constants of every printed form: integers (small, negative, huge), finite decimals (`0.125`,
/// `-2.5`, one with more fraction digits than the printer writes as a decimal) and fractions.
fn constant_strategy() -> impl Strategy<Value = Expr> {
    prop_oneof![
        (-20i64..=20).prop_map(Expr::from),
        any::<i64>().prop_map(Expr::from),
        (0u32..40, any::<bool>()).prop_map(|(k, neg)| {
            let v: BigInt = BigInt::from(10).pow(k) * 7 + 3;
            Expr::from(BigRational::from_integer(if neg { -v } else { v }))
        }),
        // Decimals: n / (2^a 5^b).
        (-10_000i64..10_000, 0u32..8, 0u32..8).prop_map(|(n, a, b)| {
            let d = BigInt::from(2).pow(a) * BigInt::from(5).pow(b);
            Expr::from(BigRational::new(n.into(), d))
        }),
        // A decimal too long to print as one (2^-40 has 40 fraction digits).
        (1i64..100)
            .prop_map(|n| { Expr::from(BigRational::new(n.into(), BigInt::from(2).pow(40))) }),
        // Fractions such as 1/3, -22/7, and a huge one.
        (-50i64..50, 1i64..50).prop_map(|(n, d)| Expr::from(BigRational::new(n.into(), d.into()))),
        Just(Expr::from(BigRational::new(
            big("-123456789012345678901234567890"),
            big("987654321098765432109")
        ))),
    ]
}

fn leaf_strategy() -> impl Strategy<Value = Expr> {
    prop_oneof![
        4 => prop::sample::select(&VARS[..]).prop_map(var),
        4 => constant_strategy(),
        1 => Just(Expr::pi()),
        1 => Just(Expr::e()),
    ]
}

const BINOPS: [BinOp; 5] = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Pow];

/// `a op b`, avoiding a constant divided by a constant zero (which no syntax can write: the
/// parser reports it as a division by zero).
fn binary(op: BinOp, a: Expr, b: Expr) -> Expr {
    let zero_divisor = b.as_constant().is_some_and(|c| c.is_zero());
    if op == BinOp::Div && zero_divisor && a.as_constant().is_some() {
        return Expr::binary(op, a, 7);
    }
    Expr::binary(op, a, b)
}

/// Conditions over numbers drawn from `inner`: comparisons combined with `and`, `or`, `not`.
fn condition_strategy(inner: BoxedStrategy<Expr>) -> impl Strategy<Value = Expr> {
    (prop::sample::select(&CmpOp::ALL[..]), inner.clone(), inner)
        .prop_map(|(op, a, b)| Expr::compare(op, a, b))
        .prop_recursive(2, 8, 2, |c| {
            prop_oneof![
                (c.clone(), c.clone()).prop_map(|(a, b)| a.and(b)),
                (c.clone(), c.clone()).prop_map(|(a, b)| a.or(b)),
                c.prop_map(|a| !a),
            ]
        })
}

fn expr_strategy() -> impl Strategy<Value = Expr> {
    leaf_strategy().prop_recursive(8, 96, 2, |inner| {
        prop_oneof![
            4 => (prop::sample::select(&BINOPS[..]), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| binary(op, a, b)),
            1 => inner.clone().prop_map(|a| -a),
            3 => (prop::sample::select(&Func::ALL[..]), inner.clone())
                .prop_map(|(f, a)| a.apply(f)),
            1 => (prop::sample::select(&Func2::ALL[..]), inner.clone(), inner.clone())
                .prop_map(|(f, a, b)| a.apply2(f, b)),
            1 => (condition_strategy(inner.clone()), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| Expr::if_else(c, a, b)),
            1 => (prop::sample::select(&VARS[..]), inner).prop_map(|(v, a)| a.derivative(var(v))),
        ]
    })
}

/// Expressions with heavy sharing: each step combines two earlier results, as in the logistic
/// map, so trees are exponentially larger than DAGs.
fn shared_strategy() -> impl Strategy<Value = Expr> {
    (
        prop::collection::vec(leaf_strategy(), 1..4),
        prop::collection::vec(
            (
                0u8..10,
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            ),
            1..40,
        ),
    )
        .prop_map(|(leaves, steps)| {
            let mut pool = leaves;
            for (kind, i, j) in steps {
                let (a, b) = (*i.get(&pool), *j.get(&pool));
                let e = match kind {
                    0..=4 => binary(BINOPS[kind as usize], a, b),
                    5 => -a,
                    6 => a.apply(Func::ALL[i.index(Func::ALL.len())]),
                    7 => a * (1 - b),
                    // a shared condition (bound to a name when printed with sharing)
                    8 => {
                        let c = Expr::compare(CmpOp::Lt, a, b);
                        Expr::if_else(c, a, b) * Expr::if_else(!c, a.max(b), b)
                    }
                    _ => a.apply2(Func2::ALL[j.index(Func2::ALL.len())], b),
                };
                pool.push(e);
            }
            *pool.last().unwrap()
        })
}

/// Deep expressions (a few hundred levels), beyond what the printer writes inline.
fn deep_strategy() -> impl Strategy<Value = Expr> {
    (
        leaf_strategy(),
        prop::collection::vec((0u8..10, leaf_strategy()), 60..300),
    )
        .prop_map(|(start, steps)| {
            steps
                .into_iter()
                .fold(start, |acc, (kind, leaf)| match kind {
                    0..=4 => binary(BINOPS[kind as usize], acc, leaf),
                    5 => binary(BinOp::Sub, leaf, acc),
                    6 => -acc,
                    7 => acc.sin(),
                    // `acc` once: a step that used it three times made trees of 3^k nodes.
                    8 => Expr::if_else(Expr::compare(CmpOp::Gt, leaf, leaf.sin()), acc, leaf)
                        .max(leaf),
                    _ => acc.derivative(var("x")),
                })
        })
}

/// Fails unless `back == e`, showing both as s-expressions (their infix may look the same).
fn same(back: Expr, e: Expr, what: &str, text: &str) -> Result<(), TestCaseError> {
    if back != e {
        return Err(TestCaseError::fail(format!(
            "{what} does not round-trip:\n  printed: {text}\n  read:    {}\n  wanted:  {}",
            back.to_sexp().unwrap_or_default(),
            e.to_sexp().unwrap_or_default()
        )));
    }
    Ok(())
}

/// Every round trip, with a message naming the format and the text that failed.
fn check_round_trips(e: Expr) -> Result<(), TestCaseError> {
    let text = e.to_string();
    let back = parse(&text).map_err(|err| TestCaseError::fail(format!("{text}\n{err}")))?;
    same(back, e, "Display", &text)?;
    prop_assert_eq!(text.parse::<Expr>().unwrap(), e);

    for width in [8, 30] {
        for sharing in [Sharing::Auto, Sharing::Always, Sharing::Never] {
            let text = e.to_infix(width, sharing);
            let back = parse(&text).map_err(|err| {
                TestCaseError::fail(format!("width {width}, {sharing:?}:\n{text}\n{err}"))
            })?;
            same(back, e, &format!("to_infix({width}, {sharing:?})"), &text)?;
        }
    }

    let sexp = e.to_sexp().expect("small enough for an s-expression");
    let back = parse_sexp(&sexp).map_err(|err| TestCaseError::fail(format!("{sexp}\n{err}")))?;
    same(back, e, "to_sexp", &sexp)?;

    let json = e.to_json();
    same(
        Expr::from_json(&json).unwrap(),
        e,
        "to_json",
        &json.to_string(),
    )?;
    let reread: serde_json::Value = serde_json::from_str(&json.to_string()).unwrap();
    prop_assert_eq!(Expr::from_json(&reread).unwrap(), e);

    let rec = e.to_recexpr().to_string();
    let back: egg::RecExpr<symdiff_expr::Math> = rec.parse().unwrap();
    same(Expr::from_recexpr(&back), e, "RecExpr", &rec)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn random_expressions_round_trip(e in expr_strategy()) {
        check_round_trips(e)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shared_expressions_round_trip(e in shared_strategy()) {
        // The s-expression printer unfolds the DAG: keep to trees it accepts.
        prop_assume!(e.tree_size() <= 200_000u32.into());
        check_round_trips(e)?;
    }

    #[test]
    fn deep_expressions_round_trip(e in deep_strategy()) {
        check_round_trips(e)?;
        // Whatever the depth, no printed line nests deeper than the inline limit.
        let text = e.to_string();
        let deepest = text.lines().map(|l| {
            l.chars().scan(0i64, |d, c| { *d += (c == '(') as i64 - (c == ')') as i64; Some(*d) })
                .max().unwrap_or(0)
        }).max().unwrap();
        prop_assert!(deepest <= symdiff_expr::MAX_INLINE_DEPTH as i64, "{}", text);
    }
}

/// Every construct appears in the generated expressions (so the property covers them all).
#[test]
fn generator_covers_every_construct() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = expr_strategy();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..1500 {
        let e = strategy.new_tree(&mut runner).unwrap().current();
        for op in e.metrics().ops.keys() {
            seen.insert(op.to_string());
        }
        if e.subexpressions().iter().any(|s| {
            s.as_constant()
                .is_some_and(|c| !c.value().is_integer() && c.to_decimal(30).is_some())
        }) {
            seen.insert("decimal".into());
        }
        if e.subexpressions().iter().any(|s| {
            s.as_constant()
                .is_some_and(|c| !c.value().is_integer() && c.to_decimal(30).is_none())
        }) {
            seen.insert("fraction".into());
        }
        if e.subexpressions()
            .iter()
            .any(|s| s.as_constant().is_some_and(|c| c.is_negative()))
        {
            seen.insert("negative".into());
        }
    }
    let mut expected: Vec<String> = ["+", "-", "*", "/", "^", "neg", "d", "num", "const", "var"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    expected.extend(Func::ALL.iter().map(|f| f.name().to_string()));
    expected.extend(Func2::ALL.iter().map(|f| f.name().to_string()));
    expected.extend(CmpOp::ALL.iter().map(|c| c.symbol().to_string()));
    expected.extend(["if", "and", "or", "not"].map(String::from));
    expected.extend(["decimal", "fraction", "negative"].map(String::from));
    for op in expected {
        assert!(seen.contains(&op), "never generated: {op}");
    }
}

/// Line breaking happens at small widths and still reads back.
#[test]
fn narrow_widths_break_lines() {
    let e =
        parse("4*(cos(x) + 2*x - exp(x))^2 + x1*x2 + x2 - ln(x1) + sin(theta)/(1 + x_2)").unwrap();
    let text = e.to_infix(12, Sharing::Never);
    assert!(text.lines().count() > 3, "{text}");
    assert_eq!(parse(&text).unwrap(), e);
    let c = Constant::from(3);
    assert_eq!(parse(&c.to_string()).unwrap(), Expr::from(c));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Several entries printed as one block (shared bindings once, then the entries) read back
    /// as the same entries, in order, at every width and sharing mode, with and without labels.
    #[test]
    fn blocks_of_entries_round_trip(
        entries in prop::collection::vec(
            prop_oneof![expr_strategy(), shared_strategy(), deep_strategy()], 1..6),
    ) {
        let labels: Vec<String> = (0..entries.len()).map(|i| format!("entry {i}")).collect();
        for width in [8, 100] {
            for sharing in [Sharing::Auto, Sharing::Always, Sharing::Never] {
                for labels in [&labels[..], &[]] {
                    let text = symdiff_expr::to_infix_many_with(&entries, labels, width, sharing);
                    let back = symdiff_expr::parse_many(&text).map_err(|err| {
                        TestCaseError::fail(format!("{width}, {sharing:?}:\n{text}\n{err}"))
                    })?;
                    prop_assert_eq!(&back, &entries, "{}", text);
                }
            }
        }
    }
}
