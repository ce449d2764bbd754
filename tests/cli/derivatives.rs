//! `symdiff d`, `grad` and `simplify`, run as a user would.

use crate::common;

use common::{fails, ok};
use symdiff_expr::{parse, parse_many, Point};

#[test]
fn d_json_has_the_derivative_its_value_and_the_statistics() {
    let text = ok(&[
        "d",
        "x1*x2 + x2 - ln(x1)",
        "x1",
        "--at",
        "x1=3,x2=-4",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let value = json["value"].as_f64().unwrap();
    assert!((value - (-13.0 / 3.0)).abs() < 1e-15, "{value}");
    // The derivative is infix that symdiff parses back, with the same value.
    let derivative = parse(json["derivative"].as_str().unwrap()).unwrap();
    let at: Point = "x1=3,x2=-4".parse().unwrap();
    assert_eq!(derivative.eval(&at).unwrap(), value);
    let stats = &json["stats"];
    for part in ["input", "raw", "simplified"] {
        for size in ["tree", "dag", "depth"] {
            assert!(
                stats[part][size].as_u64().is_some(),
                "{part}.{size} in {stats}"
            );
        }
    }
    for field in ["nodes", "classes", "iterations"] {
        assert!(stats["egraph"][field].as_u64().is_some(), "egraph.{field}");
    }
    assert!(stats["egraph"]["stop_reason"].is_string());
    assert!(stats["time_ms"]["total"].as_f64().is_some());
}

#[test]
fn d_text_with_stats() {
    let text = ok(&["d", "4*(cos(x) + 2*x - exp(x))^2", "x", "--stats"]);
    let first = text.lines().next().unwrap();
    let df = parse(first).unwrap();
    let x = 0.4f64;
    let want = 8.0 * (x.cos() + 2.0 * x - x.exp()) * (2.0 - x.sin() - x.exp());
    assert!((df.eval(&Point::new().with("x", x)).unwrap() - want).abs() < 1e-12);
    assert!(
        text.contains("raw") && text.contains("e-graph") && text.contains("stopped"),
        "{text}"
    );
}

#[test]
fn d_with_several_variables_is_a_mixed_partial() {
    let text = ok(&["d", "x^2*y^3", "x", "y", "--at", "x=2,y=3"]);
    assert!(text.ends_with("value at x=2,y=3: 108"), "{text}");
}

#[test]
fn d_formats() {
    assert!(ok(&["d", "sin(x)/x", "x", "--format", "latex"]).contains("\\frac"));
    assert!(ok(&["d", "sin(x)", "x", "--format", "sexp"]).starts_with("(cos x)"));
    let raw = ok(&["d", "x*x", "x", "--raw"]);
    assert!(parse(&raw).is_ok(), "{raw}");
}

#[test]
fn grad_prints_every_partial() {
    let text = ok(&["grad", "x1*x2 + x2 - ln(x1)", "--at", "x1=3,x2=-4"]);
    assert!(
        text.contains("# d/dx1 = -4.333333333333333\nx2 - 1/x1;")
            && text.contains("# d/dx2 = 4\nx1 + 1"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["grad", "x*y*z", "--wrt", "z,x", "--format", "json"])).unwrap();
    assert_eq!(json["variables"], serde_json::json!(["z", "x"]));
    let at: Point = "x=2,y=3,z=5".parse().unwrap();
    let values: Vec<f64> = parse_many(json["text"].as_str().unwrap())
        .unwrap()
        .iter()
        .map(|e| e.eval(&at).unwrap())
        .collect();
    assert_eq!(values, [6.0, 15.0]);
}

#[test]
fn simplify_never_grows() {
    assert_eq!(ok(&["simplify", "x*1 + 0*y - (x - x)"]), "x");
    // An input holding `d` is measured against its raw derivative (`3*x^2*1`), not against
    // the 4 nodes of `d(x, x^3)`: the textbook form may have more DAG nodes than the `d`.
    assert_eq!(ok(&["simplify", "d(x, x^3)"]), "3*x^2");
}

#[test]
fn bad_variables_and_expressions_exit_2() {
    assert!(fails(&["d", "x^2", "x+y"], 2).contains("`x+y`"));
    assert!(fails(&["d", "x^2", "2"], 2).contains("`2`"));
    assert!(fails(&["d", "x^2", ""], 2).contains("``"));
    assert!(fails(&["d", "x +", "x"], 2).contains("column"));
    assert!(fails(&["d", "x^2"], 2).contains("VAR"));
    assert!(fails(&["grad", "3"], 2).contains("no variables"));
    assert!(fails(&["d", "ln(x)", "x", "--at", "x=0"], 1).contains("1/0"));
}

/// `--at` values and results print in the shortest form that reads back, in scientific
/// notation when they are very large or small (not a 161-digit point, or 1e-320 as 320 zeros).
#[test]
fn values_at_extreme_points_print_in_scientific_notation() {
    let text = ok(&["d", "x^2", "x", "--at", "x=1e160"]);
    assert!(text.ends_with("value at x=1e160: 2e160"), "{text}");
    assert_eq!(ok(&["eval", "x", "--at", "x=1e-320"]), "1e-320");
    assert_eq!(ok(&["eval", "x*y", "--at", "x=1e8, y=1e8"]), "1e16");
    assert_eq!(ok(&["eval", "x/8", "--at", "x=8e15"]), "1000000000000000");
    let text = ok(&["grad", "x*y", "--at", "x=1e200,y=0.5"]);
    assert!(text.starts_with("# values at x=1e200,y=0.5\n"), "{text}");
    assert!(
        text.contains("# d/dx = 0.5\n") && text.contains("# d/dy = 1e200\n"),
        "{text}"
    );
    // What is printed reads back as the same point.
    let text = ok(&["d", "x", "x", "--at", "x=0.00001"]);
    assert!(text.ends_with("value at x=1e-5: 1"), "{text}");
}
