//! [`Backend`]: which evaluator runs a compiled function.

/// Which evaluator runs a compiled function (chosen with [`compile_with`](crate::compile_with)
/// and its siblings; [`compile`](crate::compile) uses the default, [`Backend::Jit`]).
///
/// Both compute bit-identical results. The JIT needs an x86_64 or aarch64 host; elsewhere (or
/// when the environment variable `SYMDIFF_NO_JIT` is set when the first function is compiled)
/// asking for it silently gives the interpreter: the compiled function's `backend()` says which
/// one runs.
///
/// ```
/// use symdiff_codegen::{compile_with, Backend};
/// let f = compile_with(&symdiff_expr::parse("x*y").unwrap(), &["x", "y"], Backend::Interpreter).unwrap();
/// assert_eq!(f.backend(), Backend::Interpreter);
/// assert_eq!(f.call(&[2.0, 3.0]), 6.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Backend {
    /// Native code, compiled at run time with Cranelift (the default where the host supports
    /// it).
    #[default]
    Jit,
    /// The register-machine interpreter: the reference, and the fallback.
    Interpreter,
}

impl Backend {
    /// The backend that runs when `self` is asked for on this host.
    ///
    /// ```
    /// use symdiff_codegen::Backend;
    /// assert_eq!(Backend::Interpreter.effective(), Backend::Interpreter);
    /// ```
    pub fn effective(self) -> Backend {
        if self == Backend::Jit && crate::function::jit_available() {
            Backend::Jit
        } else {
            Backend::Interpreter
        }
    }
}
