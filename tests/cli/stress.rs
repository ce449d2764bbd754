//! Stress and regression tests of the command line (issue 13): hostile sizes, endless input,
//! duplicate names, non-finite points, and a fuzzer over the argument surface. Every run of the
//! binary has a deadline: a hang fails the test instead of stalling CI.

use crate::common;

use proptest::prelude::*;
use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `symdiff ARGS` (with `stdin` piped in, if any), killing it after `limit`.
fn run_within(
    args: &[&str],
    stdin: Option<Box<dyn FnOnce(std::process::ChildStdin) + Send>>,
    limit: Duration,
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let feeder = stdin.map(|feed| {
        let pipe = child.stdin.take().expect("piped stdin");
        std::thread::spawn(move || feed(pipe))
    });
    // Drain both pipes while waiting, or a large output would block the child forever.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).ok();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            panic!("symdiff {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(f) = feeder {
        f.join().ok();
    }
    Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    }
}

/// Exit code `code`, a one-line error on stderr (never a panic or an abort); returns stderr.
fn refused(out: &Output, code: i32) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
    err
}

/// Row 3: a huge `--points` was a capacity overflow or an allocation abort.
#[test]
fn huge_point_counts_are_refused_up_front() {
    for n in ["1152921504606846976", "1000000000000", "100001"] {
        let out = run_within(
            &["check", "x^2", "--points", n],
            None,
            Duration::from_secs(30),
        );
        assert!(refused(&out, 2).contains("too many points"));
    }
}

/// Row 4: `@/dev/zero` and an endless pipe were read forever.
#[test]
fn endless_input_is_refused_after_the_limit() {
    let limit = Duration::from_secs(60);
    let out = run_within(
        &["parse", "@/dev/zero", "--max-input-bytes", "1000000"],
        None,
        limit,
    );
    assert!(refused(&out, 2).contains("larger than the input limit of 1000000 bytes"));
    let endless: Box<dyn FnOnce(std::process::ChildStdin) + Send> = Box::new(|mut pipe| {
        let chunk = "x+".repeat(4096);
        while pipe.write_all(chunk.as_bytes()).is_ok() {}
    });
    let out = run_within(
        &["parse", "-", "--max-input-bytes", "1000000"],
        Some(endless),
        limit,
    );
    assert!(refused(&out, 2).contains("standard input is larger than the input limit"));
    // The default limit is generous, and also applies to EXPR itself.
    let out = run_within(&["parse", "x+1", "--max-input-bytes", "2"], None, limit);
    assert!(refused(&out, 2).contains("EXPR is larger"));
    assert_eq!(common::ok(&["parse", "x+1"]), "x + 1");
}

/// Row 2: the 70,000-factor product overflowed the stack while printing its derivative.
#[test]
fn a_long_product_differentiates_and_prints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.txt");
    std::fs::write(&path, vec!["x"; 70_000].join("*")).unwrap();
    let arg = format!("@{}", path.display());
    let out = run_within(&["d", &arg, "x"], None, Duration::from_secs(300));
    assert_eq!(refused(&out, 0), "");
    let text = String::from_utf8(out.stdout).unwrap();
    let df = symdiff_expr::parse(&text).unwrap();
    let at = symdiff_expr::Point::new().with("x", 1.0);
    assert_eq!(df.eval(&at).unwrap(), 70_000.0);
}

/// Row 6: a non-finite point was reported as `x=NaN` with exit code 1.
#[test]
fn non_finite_points_are_bad_input() {
    for (at, text) in [
        ("x=inf", "`inf`"),
        ("x=1e999", "`1e999`"),
        ("x=NaN", "`NaN`"),
    ] {
        let err = common::fails(&["eval", "x", "--at", at], 2);
        assert!(
            err.contains("not a finite number") && err.contains(text),
            "{err}"
        );
    }
}

/// Row 7: `d` was a variable for `eval` but not for `d`.
#[test]
fn d_is_a_variable_everywhere() {
    assert_eq!(common::ok(&["eval", "d*2", "--at", "d=3"]), "6");
    assert_eq!(common::ok(&["d", "d^2", "d"]), "2*d");
    assert_eq!(common::ok(&["grad", "d*x"]), "# d/dd\nx;\n# d/dx\nd");
}

/// Row 11: a `--peers` path without a peer file gave a report without peers and exit 0.
#[test]
fn a_missing_peer_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let peers = dir.path().to_str().unwrap();
    let err = common::fails(&["report", "--quick", "--peers", peers, "--out", out], 2);
    assert!(err.contains(peers), "{err}");
    let missing = dir.path().join("none.csv");
    let missing = missing.to_str().unwrap();
    let err = common::fails(&["report", "--quick", "--peers", missing, "--out", out], 2);
    assert!(err.contains("none.csv"), "{err}");
}

/// Row 12: duplicates were silently accepted by `--at` and `grad --wrt`.
#[test]
fn duplicate_names_are_errors_everywhere() {
    for args in [
        &["eval", "x", "--at", "x=1,x=2"][..],
        &["grad", "x*y", "--at", "x=1,y=2,x=3"],
        &["grad", "x*y", "--wrt", "x,x"],
    ] {
        let err = common::fails(args, 2);
        assert!(err.contains("`x`") && err.contains("twice"), "{err}");
    }
    assert!(common::fails(&["compile", "x*y", "--wrt", "x,x"], 2).contains("`x`"));
    assert!(common::fails(&["check", "x*y", "--wrt", "x,x"], 2).contains("`x`"));
}

/// Every subcommand but `report` (slow, and fuzzed by its own tests).
const SUBCOMMANDS: [&str; 10] = [
    "parse", "eval", "stats", "d", "grad", "jacobian", "hessian", "simplify", "compile", "check",
];
const WORDS: [&str; 30] = [
    "x",
    "y",
    "x*y",
    "sin(x)/x",
    "x^2 + y",
    "-x",
    "1/(x-x)",
    "0^x",
    "d(x, x)",
    "(",
    "x +",
    "",
    "--at",
    "x=1",
    "x=1,y=2",
    "x=inf",
    "x=1,x=2",
    "--wrt",
    "x,x",
    "x,y",
    "--points",
    "0",
    "99999999999999999999",
    "--format",
    "json",
    "latex",
    "--seed",
    "-1",
    "@/nonexistent",
    "--raw",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any argument vector built from subcommands, flags and hostile values ends in time with
    /// exit code 0, 1 or 2 and never a panic, an abort or a backtrace.
    #[test]
    fn the_argument_surface_never_panics(
        sub in prop::sample::select(&SUBCOMMANDS[..]),
        rest in prop::collection::vec(prop::sample::select(&WORDS[..]), 0..6),
    ) {
        let mut args = vec![sub];
        args.extend(rest);
        let out = run_within(&args, None, Duration::from_secs(60));
        let err = String::from_utf8_lossy(&out.stderr);
        prop_assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}: {:?} {err}", out.status);
        prop_assert!(!err.contains("panicked") && !err.contains("internal error"), "{args:?}: {err}");
    }
}
