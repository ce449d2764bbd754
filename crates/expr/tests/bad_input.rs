//! Bad input: every case gives a clear error (kind, position, culprit), never a panic, a hang or a
//! stack overflow.

use std::time::{Duration, Instant};
use symdiff_expr::{parse, parse_sexp, Expr, ParseError, ParseErrorKind, MAX_PARSE_DEPTH};

/// Parses `source`, expecting an error; checks that the rendered message states the error's
/// line and column, and that the caret sits under the reported column of the quoted line.
fn error(source: &str) -> ParseError {
    check(
        source,
        parse(source).expect_err("the input must be refused"),
    )
}

fn sexp_error(source: &str) -> ParseError {
    check(
        source,
        parse_sexp(source).expect_err("the input must be refused"),
    )
}

fn check(source: &str, err: ParseError) -> ParseError {
    let text = err.to_string();
    let position = format!("line {}, column {}", err.line, err.column);
    assert!(
        text.contains(&position),
        "message does not name the position `{position}`:\n{text}"
    );
    assert!(err.offset <= source.len());
    // The caret line: `  | ` then spaces up to the culprit.
    let caret_line = text
        .lines()
        .find(|l| l.trim_start_matches("  | ").trim_start().starts_with('^'))
        .unwrap_or_else(|| panic!("no caret line in:\n{text}"));
    assert!(caret_line.starts_with("  | "), "{text}");
    err
}

fn at(err: &ParseError, line: usize, column: usize) {
    assert_eq!(
        (err.line, err.column),
        (line, column),
        "wrong position in:\n{err}"
    );
}

fn says(err: &ParseError, words: &[&str]) {
    let text = err.to_string();
    for w in words {
        assert!(text.contains(w), "message lacks `{w}`:\n{text}");
    }
}

/// Runs `f` on a thread with a 2 MiB stack (Rust's default for spawned threads, smaller than a
/// main thread's): a stack overflow would abort the whole test binary.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn empty_input() {
    let err = error("");
    assert_eq!(err.kind, ParseErrorKind::Empty);
    at(&err, 1, 1);
    says(&err, &["empty input", "expected a number, a variable"]);
}

#[test]
fn blank_input() {
    let err = error("   ");
    assert_eq!(err.kind, ParseErrorKind::Empty);
    at(&err, 1, 4);
    says(&err, &["empty input"]);
    let err = error(" \n\t ");
    assert_eq!(err.kind, ParseErrorKind::Empty);
    at(&err, 2, 3);
}

#[test]
fn dangling_operator() {
    let err = error("x +");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    at(&err, 1, 4);
    assert_eq!(err.found, "end of input");
    says(
        &err,
        &["unexpected end of input", "expected a number, a variable"],
    );
}

#[test]
fn unclosed_parenthesis() {
    let err = error("(x");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    at(&err, 1, 3);
    says(&err, &["`)` to close the `(` at line 1, column 1"]);
    // The opening parenthesis is located by line and column, not by byte.
    let err = error("x +\n  sin(é");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('é'));
    let err = error("1 +\n  (x + 2");
    at(&err, 2, 9);
    says(&err, &["`(` at line 2, column 3"]);
    let err = error("sin(x");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    says(&err, &["in the call of `sin`"]);
}

#[test]
fn unmatched_closing_parenthesis() {
    let err = error("x)");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 2);
    assert_eq!(err.found, "`)`");
    says(&err, &["unexpected `)`", "closes nothing"]);
    let err = error("(x))");
    at(&err, 1, 4);
}

#[test]
fn implicit_multiplication() {
    let err = error("2x");
    assert_eq!(err.kind, ParseErrorKind::ImplicitMultiplication);
    at(&err, 1, 2);
    says(&err, &["missing operator before `x`", "write `2*x`"]);
    // Also inside parentheses and calls, and for `(x)(y)`.
    for (source, hint) in [
        ("(2 x)", "`2*x`"),
        ("sin(2x)", "`2*x`"),
        ("(x)(y)", "`)*(`"),
        ("x sin(x)", "`x*sin`"),
    ] {
        let err = error(source);
        assert_eq!(err.kind, ParseErrorKind::ImplicitMultiplication, "{source}");
        says(&err, &[hint]);
    }
}

#[test]
fn function_without_arguments() {
    let err = error("sin");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    at(&err, 1, 4);
    says(&err, &["`(` and an argument after the function `sin`"]);
    let err = error("sin + 1");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 5);
}

#[test]
fn function_with_empty_call() {
    let err = error("sin()");
    assert_eq!(
        err.kind,
        ParseErrorKind::WrongArity {
            name: "sin".into(),
            expected: 1,
            found: 0
        }
    );
    at(&err, 1, 1);
    says(&err, &["`sin` takes 1 argument but was given 0", "sin(x)"]);
}

#[test]
fn function_with_two_arguments() {
    let err = error("sin(x, y)");
    assert_eq!(
        err.kind,
        ParseErrorKind::WrongArity {
            name: "sin".into(),
            expected: 1,
            found: 2
        }
    );
    at(&err, 1, 1);
    says(&err, &["`sin` takes 1 argument but was given 2"]);
    // The derivative operator takes two.
    let err = error("d(x)");
    assert!(matches!(
        err.kind,
        ParseErrorKind::WrongArity {
            expected: 2,
            found: 1,
            ..
        }
    ));
    says(&err, &["d(var, expr)"]);
    let err = error("d(2, x)");
    assert_eq!(err.kind, ParseErrorKind::NotAVariable("2".into()));
    at(&err, 1, 3);
    // An empty argument.
    let err = error("d(x,)");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 5);
}

#[test]
fn unknown_function() {
    let err = error("foo(x)");
    assert_eq!(err.kind, ParseErrorKind::UnknownFunction("foo".into()));
    at(&err, 1, 1);
    says(
        &err,
        &[
            "unknown function `foo`",
            "sin, cos, tan",
            "sqrt",
            "`foo*(...)`",
        ],
    );
}

#[test]
fn doubled_operator() {
    let err = error("x ^^ 2");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 4);
    assert_eq!(err.found, "`^`");
    says(&err, &["unexpected `^`"]);
    let err = error("x */ 2");
    at(&err, 1, 4);
}

#[test]
fn malformed_number() {
    let err = error("1..2");
    assert!(matches!(err.kind, ParseErrorKind::InvalidNumber(_)));
    at(&err, 1, 1);
    assert_eq!(err.len, 4);
    says(&err, &["invalid number", "`1..2`"]);
    let err = error("x + 1.2.3");
    assert!(matches!(err.kind, ParseErrorKind::InvalidNumber(_)));
    at(&err, 1, 5);
}

#[test]
fn invalid_character() {
    let err = error("x $ y");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('$'));
    at(&err, 1, 3);
    says(&err, &["invalid character '$'"]);
}

#[test]
fn nul_byte() {
    let err = error("x + \0");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('\0'));
    at(&err, 1, 5);
    says(&err, &["U+0000"]);
    // The control character is not echoed raw to a terminal.
    assert!(!err.to_string().contains('\0'));
}

#[test]
fn non_ascii_letters() {
    let err = error("x + é");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('é'));
    at(&err, 1, 5);
    says(&err, &["'é'", "names are ASCII"]);
    // Columns count characters, not bytes.
    let err = error("2*x + ñ*ü");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('ñ'));
    at(&err, 1, 7);
    let err = error("θ + 1");
    at(&err, 1, 1);
    let err = error("x²");
    says(&err, &["`x^2`"]);
}

#[test]
fn division_of_constants_by_zero() {
    let err = error("1/0");
    assert_eq!(err.kind, ParseErrorKind::DivisionByZero);
    at(&err, 1, 2);
    says(&err, &["division by zero", "`1/0`"]);
    // A symbolic divisor is the evaluator's business, not the parser's.
    assert!(parse("1/(x - x)").is_ok());
}

fn nested_parentheses(n: usize) -> String {
    format!("{}x{}", "(".repeat(n), ")".repeat(n))
}

#[test]
fn hundred_thousand_nested_parentheses_are_refused_without_overflow() {
    let err = on_small_stack(|| {
        let source = nested_parentheses(100_000);
        check(&source, parse(&source).unwrap_err())
    });
    assert_eq!(err.kind, ParseErrorKind::TooDeep(MAX_PARSE_DEPTH));
    // The culprit is the first parenthesis beyond the limit.
    at(&err, 1, MAX_PARSE_DEPTH + 1);
    says(&err, &["nested deeper than 1000 levels"]);
}

#[test]
fn deepest_allowed_nesting_fits_a_small_stack() {
    let results = on_small_stack(|| {
        let n = MAX_PARSE_DEPTH;
        let shapes = [
            nested_parentheses(n),
            format!("{}x", "-".repeat(n)),
            format!("{}x{}", "sin(".repeat(n), ")".repeat(n)),
            format!("{}x{}", "d(x, ".repeat(n), ")".repeat(n)),
            format!("{}x", "x^".repeat(n)),
            // Four levels per repetition: two parentheses, an exponent, a unary minus.
            format!("{}x{}", "(1 + 2*x^-(".repeat(n / 4), "))".repeat(n / 4)),
        ];
        let mut results = Vec::new();
        for source in &shapes {
            let e = parse(source).expect("the deepest allowed nesting parses");
            // Print and parse back on the small stack as well.
            let again = parse(&e.to_string()).expect("printed text parses");
            results.push((e, again, e.depth()));
        }
        // One level more is refused, for each kind of nesting.
        for source in [
            nested_parentheses(n + 1),
            format!("{}x", "-".repeat(n + 1)),
            format!("{}x{}", "sin(".repeat(n + 1), ")".repeat(n + 1)),
            format!("{}x", "x^".repeat(n + 1)),
            format!("{}x{}", "(1 + 2*x^-(".repeat(n / 4), "))".repeat(n / 4))
                .replacen('(', "((", 1)
                + ")",
        ] {
            let err = parse(&source).unwrap_err();
            assert_eq!(err.kind, ParseErrorKind::TooDeep(MAX_PARSE_DEPTH));
        }
        results
    });
    for (e, again, _) in &results {
        assert_eq!(e, again);
    }
    let depths: Vec<usize> = results.iter().map(|r| r.2).collect();
    assert_eq!(depths[..5], [1, n1(), n1(), n1(), n1()]);
    fn n1() -> usize {
        MAX_PARSE_DEPTH + 1
    }
}

#[test]
fn moderate_nesting_parses() {
    let e = on_small_stack(|| parse(&format!("{}x{}", "sqrt(".repeat(300), ")".repeat(300))));
    let e = e.unwrap();
    assert_eq!(e.depth(), 301);
}

/// A 10 MB expression mixing every kind of token; parsing it must take linear time.
fn big_expression(bytes: usize) -> String {
    let piece = "sin(x1)*x2 + 3.25*x3^2 - exp(-y/7) + ln(x1 + 1/3)*(y - 0.5) + ";
    let mut s = String::with_capacity(bytes + piece.len());
    let mut i = 0u64;
    while s.len() < bytes {
        s.push_str(piece);
        // Distinct constants keep the hash-consed DAG from collapsing.
        s.push_str(&(i % 1000).to_string());
        s.push_str("*x2 + ");
        i += 1;
    }
    s.push('x');
    s
}

#[test]
fn ten_megabyte_expression_parses_in_linear_time() {
    let small = big_expression(1_000_000);
    let large = big_expression(10_000_000);
    assert!(large.len() >= 10_000_000);
    let t0 = Instant::now();
    let e_small = parse(&small).unwrap();
    let t_small = t0.elapsed();
    let t1 = Instant::now();
    let e_large = parse(&large).unwrap();
    let t_large = t1.elapsed();
    assert!(e_large.dag_size() > e_small.dag_size());
    // 10x the input: at most ~10x the time (with slack for noise), never quadratic.
    assert!(
        t_large < t_small * 30 + Duration::from_millis(500),
        "1 MB in {t_small:?}, 10 MB in {t_large:?}"
    );
    assert!(t_large < Duration::from_secs(20), "10 MB in {t_large:?}");
    // A syntax error at the very end of 10 MB is reported with its position.
    let broken = format!("{large} +");
    let err = error(&broken);
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    assert_eq!(err.offset, broken.len());
}

#[test]
fn integer_with_100000_digits_is_exact() {
    let digits: String = (0..100_000)
        .map(|i| char::from(b'1' + (i % 9) as u8))
        .collect();
    let e = parse(&digits).unwrap();
    let c = e.as_constant().unwrap();
    assert!(c.value().is_integer());
    assert!(c.to_string() == digits, "the constant is not exact");
    // It prints (and reads back) exactly, without a line break inside the literal.
    assert!(e.to_string() == digits, "printed differently");
    let sum = parse(&format!("x*{digits} - {digits}")).unwrap();
    let printed = sum.to_string();
    assert!(printed.lines().any(|l| l.contains(&digits)));
    assert!(parse(&printed).unwrap() == sum, "does not read back");
    // Its f64 value saturates: 1.2e99999 is beyond f64.
    assert_eq!(c.to_f64(), f64::INFINITY);
}

#[test]
fn integer_with_100001_digits_is_refused() {
    let digits = "7".repeat(100_001);
    let source = format!("x + {digits}");
    let err = error(&source);
    assert!(matches!(err.kind, ParseErrorKind::InvalidNumber(_)));
    at(&err, 1, 5);
    says(&err, &["100001 digits", "at most 100000"]);
    // The message quotes the culprit without echoing 100,001 digits.
    assert!(err.to_string().len() < 1_000, "{}", err.to_string().len());
}

#[test]
fn huge_exponent_is_refused() {
    let err = error("1e999999");
    assert!(matches!(err.kind, ParseErrorKind::InvalidNumber(_)));
    says(&err, &["exponent"]);
}

#[test]
fn bad_bindings() {
    let err = error("t1 = x + 1 t1*t1");
    assert_eq!(err.kind, ParseErrorKind::ImplicitMultiplication);
    let err = error("sin = x; sin");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 1);
    let err = error("t1 = x; t1 = ");
    assert!(matches!(
        err.kind,
        ParseErrorKind::UnexpectedToken | ParseErrorKind::UnexpectedEnd
    ));
    let err = error("x = 1; (x = 2)");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 11);
}

#[test]
fn errors_on_later_lines_name_the_line() {
    let err = error("x +\ny *\n  $");
    at(&err, 3, 3);
    says(&err, &["line 3, column 3"]);
}

// --- s-expressions ---------------------------------------------------------------------------

#[test]
fn sexp_empty() {
    for source in ["", "   "] {
        let err = sexp_error(source);
        assert_eq!(err.kind, ParseErrorKind::Empty);
        says(&err, &["empty input"]);
    }
}

#[test]
fn sexp_unbalanced() {
    let err = sexp_error("(+ x 1");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedEnd);
    at(&err, 1, 7);
    says(&err, &["`)` to close the `(` at line 1, column 1"]);
    let err = sexp_error("(+ x 1))");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 8);
    says(&err, &["closes nothing"]);
    let err = sexp_error("()");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 2);
}

#[test]
fn sexp_arity_and_unknown_operators() {
    let err = sexp_error("(+ x)");
    assert_eq!(
        err.kind,
        ParseErrorKind::WrongArity {
            name: "+".into(),
            expected: 2,
            found: 1
        }
    );
    at(&err, 1, 1);
    says(&err, &["`+` takes 2 arguments but was given 1", "(+ _ _)"]);
    let err = sexp_error("(sin x y)");
    assert!(matches!(
        err.kind,
        ParseErrorKind::WrongArity { found: 2, .. }
    ));
    let err = sexp_error("(foo x)");
    assert_eq!(err.kind, ParseErrorKind::UnknownFunction("foo".into()));
    at(&err, 1, 2);
    says(&err, &["unknown function `foo`"]);
    let err = sexp_error("(d (+ x 1) x)");
    assert!(matches!(err.kind, ParseErrorKind::NotAVariable(_)));
    let err = sexp_error("sin");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    says(&err, &["`(sin ...)`"]);
}

#[test]
fn sexp_bad_atoms() {
    let err = sexp_error("(+ 1..2 x)");
    assert!(matches!(err.kind, ParseErrorKind::InvalidNumber(_)));
    at(&err, 1, 4);
    says(&err, &["`1..2`"]);
    let err = sexp_error("(+ x $)");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('$'));
    at(&err, 1, 6);
    let err = sexp_error("(* x \0)");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('\0'));
    let err = sexp_error("(* 2 é)");
    assert_eq!(err.kind, ParseErrorKind::InvalidCharacter('é'));
    at(&err, 1, 6);
    let err = sexp_error("(/ 1 0)");
    assert_eq!(err.kind, ParseErrorKind::DivisionByZero);
    let err = sexp_error("1/0");
    assert!(matches!(err.kind, ParseErrorKind::InvalidNumber(_)));
    let err = sexp_error(&"9".repeat(100_001));
    says(&err, &["100001 digits"]);
}

#[test]
fn sexp_trailing_input() {
    let err = sexp_error("(+ x 1) y");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
    at(&err, 1, 9);
    says(&err, &["one expression only"]);
    let err = sexp_error("x (+ x 1)");
    assert_eq!(err.kind, ParseErrorKind::UnexpectedToken);
}

#[test]
fn sexp_deep_nesting_is_iterative() {
    let n = 100_000;
    let e: Expr = on_small_stack(move || {
        parse_sexp(&format!("{}x{}", "(sin ".repeat(n), ")".repeat(n))).unwrap()
    });
    assert_eq!(e.depth(), n + 1);
}
