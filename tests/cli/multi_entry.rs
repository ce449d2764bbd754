//! `symdiff grad`, `jacobian` and `hessian` at scale, run as a user would: one block of shared
//! bindings for all entries (output linear in the result's DAG), text and JSON that read back,
//! sparsity patterns, `@path` for `--wrt` and `--at`, and bad input.

use crate::common;

use common::{fails, ok};
use std::io::Write;
use symdiff_expr::{parse_many, Point};

/// Rosenbrock with `n` variables `x0..x{n-1}`, as the scale benchmarks define it.
fn rosenbrock(n: usize) -> String {
    (0..n - 1)
        .map(|i| format!("100*(x{}-x{i}^2)^2 + (1-x{i})^2", i + 1))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// A file of the names `x0..x{n-1}` in their natural order (the default is sorted by name,
/// where `x10` comes before `x2`).
fn names(n: usize) -> tempfile::NamedTempFile {
    file(&(0..n).map(|i| format!("x{i}\n")).collect::<String>())
}

fn at(f: &tempfile::NamedTempFile) -> String {
    format!("@{}", f.path().display())
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(args)).unwrap()
}

/// The forward-difference-free reference: the exact Rosenbrock gradient at a point.
fn rosenbrock_gradient(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut g = vec![0.0; n];
    for i in 0..n - 1 {
        g[i] += -400.0 * x[i] * (x[i + 1] - x[i] * x[i]) - 2.0 * (1.0 - x[i]);
        g[i + 1] += 200.0 * (x[i + 1] - x[i] * x[i]);
    }
    g
}

#[test]
fn a_gradient_reads_back_entry_by_entry() {
    let n = 60;
    let f = file(&rosenbrock(n));
    let point: Vec<f64> = (0..n).map(|i| 0.5 + 0.01 * i as f64).collect();
    let at_text: String = point
        .iter()
        .enumerate()
        .map(|(i, v)| format!("x{i}={v}\n"))
        .collect();
    let at_file = file(&at_text);
    let wrt = names(n);
    let text = ok(&["grad", &at(&f), "--wrt", &at(&wrt), "--at", &at(&at_file)]);
    let entries = parse_many(&text).unwrap();
    assert_eq!(entries.len(), n);
    let p: Point = point
        .iter()
        .enumerate()
        .map(|(i, &v)| (format!("x{i}"), v))
        .collect::<Vec<_>>()
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let want = rosenbrock_gradient(&point);
    for (i, e) in entries.iter().enumerate() {
        let got = e.eval(&p).unwrap();
        assert!(
            (got - want[i]).abs() <= 1e-12 * want[i].abs().max(1.0),
            "entry {i}"
        );
        // The label carries the value at the point.
        assert!(text.contains(&format!("# d/dx{i} = {got}\n")), "x{i}");
    }
    // JSON: the same block, the values and the statistics.
    let j = json(&[
        "grad",
        &at(&f),
        "--wrt",
        &at(&wrt),
        "--at",
        &at(&at_file),
        "--format",
        "json",
    ]);
    assert_eq!(parse_many(j["text"].as_str().unwrap()).unwrap().len(), n);
    let values: Vec<f64> = j["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (v, w) in values.iter().zip(&want) {
        assert!((v - w).abs() <= 1e-12 * w.abs().max(1.0));
    }
    assert_eq!(j["variables"].as_array().unwrap().len(), n);
    assert_eq!(j["entries"], n);
    assert!(j["stats"]["simplified"]["dag"].as_u64().is_some());
}

#[test]
fn shared_bindings_are_printed_once() {
    // Every partial of a deep logistic-map composition shares the whole chain.
    let mut l = symdiff_expr::var("x") * symdiff_expr::var("y");
    for _ in 0..12 {
        l = 4 * l * (1 - l);
    }
    let block = ok(&["grad", &l.to_string(), "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&block).unwrap();
    let text = j["text"].as_str().unwrap();
    let entries = parse_many(text).unwrap();
    let dag = j["dag_nodes"].as_u64().unwrap() as usize;
    assert_eq!(dag, symdiff_expr::metrics_many(&entries).dag);
    // Output linear in the DAG: a few dozen bytes per node, however large the tree.
    assert!(
        text.len() < 40 * dag,
        "{} bytes for {dag} nodes",
        text.len()
    );
    let tree = symdiff_expr::metrics_many(&entries).tree;
    assert!(
        tree > (100 * dag).into(),
        "the tree ({tree}) dwarfs the DAG ({dag})"
    );
}

#[test]
fn gradient_output_grows_linearly() {
    // Bytes per node of the result's DAG, with 50 and 400 variables.
    let bytes_per_node = |n: usize| {
        let f = file(&rosenbrock(n));
        let j = json(&["grad", &at(&f), "--format", "json"]);
        let text = ok(&["grad", &at(&f)]);
        text.len() as f64 / j["dag_nodes"].as_f64().unwrap()
    };
    let (small, large) = (bytes_per_node(50), bytes_per_node(400));
    // Longer variable names (x123 against x12) explain a little growth, nothing more.
    assert!(
        large < 1.3 * small,
        "{small:.1} -> {large:.1} bytes per node"
    );
}

#[test]
fn jacobian_rows_are_the_expressions_and_zeros_are_left_out() {
    let j = json(&[
        "jacobian",
        "t = x*y; sin(t); x + 1; z",
        "--at",
        "x=1,y=2,z=3",
        "--format",
        "json",
    ]);
    assert_eq!(j["variables"], serde_json::json!(["x", "y", "z"]));
    let s = &j["sparsity"];
    assert_eq!((s["rows"].as_u64(), s["cols"].as_u64()), (Some(3), Some(3)));
    assert_eq!(
        s["pattern"],
        serde_json::json!([[0, 0], [0, 1], [1, 0], [2, 2]])
    );
    assert_eq!(s["nnz"], 4);
    let entries = parse_many(j["text"].as_str().unwrap()).unwrap();
    let p: Point = "x=1,y=2,z=3".parse().unwrap();
    let want = [2.0 * 2f64.cos(), 2f64.cos(), 1.0, 1.0];
    for (k, e) in entries.iter().enumerate() {
        assert!((e.eval(&p).unwrap() - want[k]).abs() < 1e-15);
        assert!((j["value"][k].as_f64().unwrap() - want[k]).abs() < 1e-15);
    }
    // Text: one labelled block that reads back to the same entries.
    let text = ok(&["jacobian", "t = x*y; sin(t); x + 1; z"]);
    assert!(text.contains("# (2, 2) d/dz\n1"), "{text}");
    assert_eq!(parse_many(&text).unwrap(), entries);
}

#[test]
fn hessian_prints_the_sparse_upper_triangle() {
    let n = 30;
    let f = file(&rosenbrock(n));
    let j = json(&[
        "hessian",
        &at(&f),
        "--wrt",
        &at(&names(n)),
        "--format",
        "json",
    ]);
    let s = &j["sparsity"];
    assert_eq!(s["symmetric"], true);
    // Rosenbrock's Hessian is tridiagonal: 3n - 2 non-zeros, n + (n - 1) in the upper triangle.
    assert_eq!(s["nnz"], 3 * n - 2);
    assert_eq!(s["pattern"].as_array().unwrap().len(), 2 * n - 1);
    for pair in s["pattern"].as_array().unwrap() {
        let (i, j) = (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap());
        assert!(j == i || j == i + 1, "({i}, {j})");
    }
    let entries = parse_many(j["text"].as_str().unwrap()).unwrap();
    assert_eq!(entries.len(), 2 * n - 1);
    // d²f/dx0dx1 = -400*x0.
    let p = Point::new().with("x0", 0.7).with("x1", 0.2);
    assert!((entries[1].eval(&p).unwrap() + 400.0 * 0.7).abs() < 1e-12);
    let text = ok(&["hessian", "x*y + x^3"]);
    assert_eq!(text, "# (0, 0) d/dx d/dx\n6*x;\n# (0, 1) d/dx d/dy\n1");
    assert_eq!(
        ok(&["hessian", "x + y"]),
        "# every entry is structurally zero"
    );
}

#[test]
fn wrt_reads_a_file_of_names() {
    let names = file("x2\nx0, x1\n");
    let text = ok(&["grad", "x0*x1*x2", "--wrt", &at(&names)]);
    let p = Point::new().with("x0", 2.0).with("x1", 3.0).with("x2", 5.0);
    let values: Vec<f64> = parse_many(&text)
        .unwrap()
        .iter()
        .map(|e| e.eval(&p).unwrap())
        .collect();
    assert_eq!(values, [6.0, 15.0, 10.0]);
    assert!(text.starts_with("# d/dx2\n"), "{text}");
}

#[test]
fn bad_paths_and_repeated_names_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let missing = format!("@{}", missing.display());
    let dir_arg = format!("@{}", dir.path().display());
    for cmd in ["grad", "jacobian", "hessian"] {
        for flag in ["--wrt", "--at"] {
            let err = fails(&[cmd, "x*y", flag, &missing], 2);
            assert!(err.contains("missing.txt"), "{err}");
            let err = fails(&[cmd, "x*y", flag, &dir_arg], 2);
            assert!(err.contains("not a file"), "{err}");
        }
        let err = fails(&[cmd, "x*y", "--wrt", "x,y,x"], 2);
        assert!(err.contains("`x`"), "{err}");
        let err = fails(&[cmd, "x*y", "--at", "x=1,y=2,y=3"], 2);
        assert!(err.contains("`y`"), "{err}");
        let err = fails(&[cmd, "x^2*y^2", "--at", "x=1"], 2);
        assert!(err.contains("`y`"), "{err}");
    }
    let names = file("a b a");
    assert!(fails(&["grad", "a*b", "--wrt", &at(&names)], 2).contains("`a`"));
    assert!(fails(&["jacobian", "x; ", "--wrt", "x"], 2).contains("column"));
    assert!(fails(&["grad", "ln(x)", "--at", "x=0"], 1).contains("1/0"));
    assert!(fails(&["hessian", "sqrt(x)", "--at", "x=-1"], 1).contains("not a finite real"));
}
