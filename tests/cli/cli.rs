//! The `symdiff` binary, run as a user would: outputs, stderr messages and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use symdiff_expr::{parse, Expr, Point};

fn symdiff(args: &[&str]) -> Output {
    symdiff_with_stdin(args, "")
}

fn symdiff_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Succeeds with exit code 0 and nothing on stderr; returns stdout without the final newline.
fn ok(args: &[&str]) -> String {
    let out = symdiff(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    assert_eq!(stderr(&out), "", "{args:?}");
    let text = stdout(&out);
    assert!(text.ends_with('\n'), "{text:?}");
    text.trim_end_matches('\n').to_string()
}

/// Fails with `code`, nothing on stdout, and an error (not a panic) on stderr; returns stderr.
fn fails(args: &[&str], code: i32) -> String {
    fails_with_stdin(args, "", code)
}

fn fails_with_stdin(args: &[&str], stdin: &str, code: i32) -> String {
    let out = symdiff_with_stdin(args, stdin);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert_eq!(stdout(&out), "", "{args:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
    assert!(!err.is_empty());
    err
}

const SEED_1: &str = "4*(cos(x) + 2*x - exp(x))^2";
const SEED_2: &str = "x1*x2 + x2 - ln(x1)";

#[test]
fn parse_prints_text_by_default() {
    assert_eq!(ok(&["parse", SEED_1]), SEED_1);
    assert_eq!(ok(&["parse", "x1*x2+x2-log(x1)"]), SEED_2);
    assert_eq!(ok(&["parse", "((x))*(y^(2))"]), "x*y^2");
    // An expression may start with a minus without being taken for an option.
    assert_eq!(ok(&["parse", "-x^2"]), "-x^2");
    assert_eq!(ok(&["parse", "--format", "text", "-1/3*x"]), "-1/3*x");
}

#[test]
fn parse_prints_every_format() {
    assert_eq!(
        ok(&["parse", "sin(x)^2/(1 + x1)", "--format", "latex"]),
        r"\frac{\sin\left(x\right)^{2}}{1 + x_{1}}"
    );
    assert_eq!(
        ok(&["parse", SEED_2, "-f", "sexp"]),
        "(- (+ (* x1 x2) x2) (ln x1))"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["parse", SEED_1, "--format", "json"])).unwrap();
    assert_eq!(json["infix"], SEED_1);
    assert_eq!(Expr::from_json(&json).unwrap(), parse(SEED_1).unwrap());
}

#[test]
fn parse_output_reads_back_for_shared_dags() {
    // The logistic map at k = 12: the text binds shared subexpressions instead of unfolding
    // a 12,283-node tree, and `symdiff parse` reads its own output back.
    let mut l = symdiff_expr::var("x");
    for _ in 1..12 {
        l = 4 * l * (1 - l);
    }
    let printed = ok(&["parse", &l.to_string()]);
    assert!(printed.starts_with("t1 = 4*x*(1 - x);"), "{printed}");
    assert_eq!(parse(&printed).unwrap(), l);
    let narrow = ok(&["parse", &l.to_string(), "--width", "12"]);
    assert!(narrow.lines().count() > printed.lines().count());
    assert_eq!(parse(&narrow).unwrap(), l);
}

#[test]
fn parse_reads_stdin_and_files() {
    let out = symdiff_with_stdin(&["parse", "-"], "x1*x2 +\n  x2 - ln(x1)\n");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), format!("{SEED_2}\n"));

    let path = std::env::temp_dir().join(format!("symdiff-cli-test-{}.txt", std::process::id()));
    std::fs::write(&path, SEED_1).unwrap();
    let arg = format!("@{}", path.display());
    assert_eq!(ok(&["parse", &arg]), SEED_1);
    std::fs::remove_file(&path).unwrap();

    let err = fails(&["parse", "@/nonexistent/symdiff/expr.txt"], 2);
    assert!(
        err.contains("cannot read `/nonexistent/symdiff/expr.txt`"),
        "{err}"
    );
}

#[test]
fn parse_errors_exit_2_with_position_and_caret() {
    let err = fails(&["parse", "2x"], 2);
    assert!(
        err.starts_with("symdiff: error: cannot parse EXPR"),
        "{err}"
    );
    assert!(err.contains("line 1, column 2"), "{err}");
    assert!(err.contains("  | 2x\n  |  ^"), "{err}");
    assert!(err.contains("write `2*x`"), "{err}");

    let err = fails(&["parse", "foo(x)"], 2);
    assert!(err.contains("unknown function `foo`"), "{err}");
    let err = fails(&["eval", "sin(x, y)", "--at", "x=1,y=2"], 2);
    assert!(
        err.contains("`sin` takes 1 argument but was given 2"),
        "{err}"
    );
    let err = fails(&["stats", ""], 2);
    assert!(err.contains("empty input"), "{err}");

    let err = fails_with_stdin(&["parse", "-"], "x +\n y $", 2);
    assert!(err.contains("cannot parse standard input"), "{err}");
    assert!(err.contains("line 2, column 4"), "{err}");
}

#[test]
fn absurd_input_is_refused_cleanly() {
    let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let err = fails_with_stdin(&["stats", "-"], &deep, 2);
    assert!(err.contains("nested deeper than 1000 levels"), "{err}");
    let err = fails_with_stdin(&["parse", "-"], "x \u{0} y", 2);
    assert!(err.contains("U+0000"), "{err}");
}

#[test]
fn eval_prints_the_shortest_round_trip_decimal() {
    let expected = parse(SEED_2)
        .unwrap()
        .eval(&Point::new().with("x1", 3.0).with("x2", -4.0))
        .unwrap();
    let printed = ok(&["eval", SEED_2, "--at", "x1=3,x2=-4"]);
    assert_eq!(printed, format!("{expected}"));
    assert_eq!(printed.parse::<f64>().unwrap(), expected);
    assert_eq!(printed, "-17.09861228866811");

    // Constants are exact rationals, folded exactly and rounded once: 1/10 + 2/10 = 3/10.
    assert_eq!(ok(&["eval", "0.1 + 0.2"]), "0.3");
    assert_eq!(ok(&["eval", "x*y", "--at", "x=0.3, y=0.7"]), "0.21");
    assert_eq!(ok(&["eval", "2^10"]), "1024");
    assert_eq!(ok(&["eval", "cos(pi)"]), "-1");
    assert_eq!(ok(&["eval", SEED_1, "--at", "x=0"]), "0");
}

#[test]
fn eval_errors() {
    // Outside the domain: a failure (1) naming the operation.
    let err = fails(&["eval", "ln(x)", "--at", "x=-1"], 1);
    assert!(err.contains("ln(-1)"), "{err}");
    let err = fails(&["eval", "1/(x - 1)", "--at", "x=1"], 1);
    assert!(err.contains("division by zero"), "{err}");
    // ... unless IEEE semantics are asked for.
    assert_eq!(ok(&["eval", "ln(x)", "--at", "x=-1", "--ieee"]), "NaN");
    // A missing variable or a malformed point is bad usage (2).
    let err = fails(&["eval", "x + y", "--at", "x=1"], 2);
    assert!(err.contains("`y`"), "{err}");
    let err = fails(&["eval", "x", "--at", "x=abc"], 2);
    assert!(err.contains("bad --at") && err.contains("abc"), "{err}");
    let err = fails(&["eval", "x", "--at", "x"], 2);
    assert!(err.contains("name=value"), "{err}");
}

#[test]
fn stats_text() {
    let text = ok(&["stats", SEED_1]);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).map(str::trim))
            .unwrap_or_else(|| panic!("no {name} in\n{text}"))
            .to_string()
    };
    assert_eq!(field("tree "), "13");
    assert_eq!(field("dag "), "10");
    assert_eq!(field("depth "), "6");
    assert_eq!(field("tree_ops "), "7");
    assert_eq!(field("dag_ops "), "7");
    assert_eq!(field("free_vars "), "x");
    let cos = field("cos ");
    assert_eq!(cos.split_whitespace().collect::<Vec<_>>(), ["1", "1"]);
    let var = field("var ");
    assert_eq!(var.split_whitespace().collect::<Vec<_>>(), ["1", "3"]);
}

#[test]
fn stats_json() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["stats", SEED_2, "--format", "json"])).unwrap();
    assert_eq!(json["tree"], 8);
    assert_eq!(json["dag"], 6);
    assert_eq!(json["depth"], 4);
    assert_eq!(json["tree_ops"], 4);
    assert_eq!(json["dag_ops"], 4);
    assert_eq!(json["free_vars"], serde_json::json!(["x1", "x2"]));
    assert_eq!(json["ops"]["var"]["tree"], 4);
    assert_eq!(json["ops"]["var"]["dag"], 2);
    assert_eq!(json["ops"]["ln"]["dag"], 1);
}

#[test]
fn stats_of_a_huge_tree_is_exact() {
    // The logistic map at k = 70, written with bindings: its tree exceeds 2^64.
    let mut l = symdiff_expr::var("x");
    for _ in 1..70 {
        l = 4 * l * (1 - l);
    }
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["stats", &l.to_string(), "-f", "json"])).unwrap();
    assert_eq!(json["tree"], "3541774862152233910267"); // 3 * 2^70 - 5
    assert_eq!(json["dag"], 210);
}

#[test]
fn usage_errors_exit_2() {
    let err = fails(&[], 2);
    assert!(err.contains("Usage"), "{err}");
    let err = fails(&["frobnicate"], 2);
    assert!(err.contains("frobnicate"), "{err}");
    let err = fails(&["parse"], 2);
    assert!(err.contains("<EXPR>"), "{err}");
    let err = fails(&["parse", "x", "--format", "pdf"], 2);
    assert!(err.contains("pdf"), "{err}");
    let err = fails(&["stats", "x", "--format", "latex"], 2);
    assert!(err.contains("latex"), "{err}");
}

#[test]
fn help_and_version_succeed() {
    let help = ok(&["--help"]);
    for word in ["parse", "eval", "stats", "Exit codes"] {
        assert!(help.contains(word), "{help}");
    }
    assert!(ok(&["eval", "--help"]).contains("--at"));
    assert!(ok(&["--version"]).starts_with("symdiff "));
}
