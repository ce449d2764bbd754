//! Running the `symdiff` binary from the integration tests.

#![allow(dead_code)] // each test file uses its own subset

use std::process::{Command, Output};

/// Runs `symdiff ARGS` and captures its output.
pub fn symdiff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Succeeds with exit code 0 and nothing on stderr; returns stdout as printed.
pub fn ok_raw(args: &[&str]) -> String {
    let out = symdiff(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    assert_eq!(err, "");
    String::from_utf8(out.stdout).unwrap()
}

/// As [`ok_raw`], without the final newline.
pub fn ok(args: &[&str]) -> String {
    ok_raw(args).trim_end().to_string()
}

/// Fails with `code`, nothing on stdout, and an error (not a panic) on stderr; returns stderr.
pub fn fails(args: &[&str], code: i32) -> String {
    let out = symdiff(args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert!(!err.contains("panicked"), "{err}");
    err
}
