//! Arbitrary text never panics any reader: it parses, or it is an error with a position inside
//! the input.

use proptest::prelude::*;
use symdiff_expr::{parse, parse_sexp, Expr, Point};

/// Text drawn mostly from the language's own alphabet, so that near-misses are common.
fn near_miss() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("x".to_string()),
        Just("y1".to_string()),
        Just("sin".to_string()),
        Just("d".to_string()),
        Just("pi".to_string()),
        Just("e".to_string()),
        Just("1.5e-3".to_string()),
        Just("2".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just("=".to_string()),
        Just(";".to_string()),
        Just(" ".to_string()),
        Just("neg".to_string()),
        "[-+*/^.]",
        "\\PC",
    ];
    prop::collection::vec(piece, 0..30).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn infix_reader_never_panics(text in prop_oneof![near_miss(), any::<String>()]) {
        match parse(&text) {
            Ok(e) => {
                // What parses prints back to the same expression.
                prop_assert_eq!(parse(&e.to_string()).unwrap(), e);
                let _ = e.eval(&Point::new().with("x", 0.5).with("y1", 0.25));
            }
            Err(err) => {
                prop_assert!(err.offset <= text.len());
                prop_assert!(err.line >= 1 && err.column >= 1);
                prop_assert!(!err.to_string().is_empty());
            }
        }
    }

    #[test]
    fn sexp_reader_never_panics(text in prop_oneof![near_miss(), any::<String>()]) {
        if let Err(err) = parse_sexp(&text) {
            prop_assert!(err.offset <= text.len());
        }
        let _ = text.parse::<Expr>();
    }
}
