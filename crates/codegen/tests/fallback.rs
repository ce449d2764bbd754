//! A host without JIT support silently uses the interpreter. Forced here with the environment
//! variable `SYMDIFF_NO_JIT`, read when the first function is compiled (this file is its own
//! process, so no other test has compiled anything yet).

use symdiff_codegen::{compile, compile_gradient, Backend};
use symdiff_expr::parse;

#[test]
fn without_the_jit_the_interpreter_runs() {
    std::env::set_var("SYMDIFF_NO_JIT", "1");
    assert_eq!(Backend::Jit.effective(), Backend::Interpreter);
    let f = compile(&parse("x*y + sin(x)").unwrap(), &["x", "y"]).unwrap();
    assert_eq!(f.backend(), Backend::Interpreter);
    assert_eq!(f.call(&[0.5, 2.0]), 0.5 * 2.0 + 0.5f64.sin());
    assert!(f.try_call(&[f64::NAN, 1.0]).is_err());
    let g = compile_gradient(&parse("x^2*y").unwrap(), &["x", "y"]).unwrap();
    assert_eq!(g.backend(), Backend::Interpreter);
    assert_eq!(g.call(&[3.0, 2.0]), (18.0, vec![12.0, 9.0]));
    let mut out = [0.0; 3];
    f.eval_batch(&[&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0]], &mut out)
        .unwrap();
    assert_eq!(out[2], 3.0 + 3f64.sin());
}
