//! [`Function`]: the one core under every public compiled type: a [`Program`], its native code
//! when the JIT is used, and the layout of its outputs in segments (the value, the gradient,
//! ...), with `call`, `try_call` and the batch evaluators written once.

use crate::backend::Backend;
use crate::batch;
use crate::error::{BatchError, CallError};
use crate::interpreter;
use crate::program::Program;
use std::sync::Arc;

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
use crate::jit::Native;

/// Where the JIT cannot be built, nothing is native.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
#[derive(Debug)]
enum Native {}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
impl Native {
    fn new(_: &Program, _: &[usize]) -> Option<Native> {
        None
    }
    fn run(&self, _: &Program, _: &[f64], _: &mut [&mut [f64]]) {
        match *self {}
    }
    fn run_checked(
        &self,
        _: &Program,
        _: &[usize],
        _: &[f64],
        _: &mut [&mut [f64]],
    ) -> Option<bool> {
        match *self {}
    }
    fn batch(&self, _: &Program, _: &[usize], _: &[&[f64]], _: &mut [&mut [f64]]) {
        match *self {}
    }
}

/// Can the JIT run on this host?
pub(crate) fn jit_available() -> bool {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    return crate::jit::available();
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    return false;
}

/// A compiled program whose outputs are read as consecutive segments (for example the value,
/// then the gradient). Cloning shares the program and the machine code.
#[derive(Debug, Clone)]
pub(crate) struct Function {
    /// The number of variables (kept here for the argument check of every call).
    arity: usize,
    program: Arc<Program>,
    native: Option<Arc<Native>>,
    /// The length of each output segment (they sum to the number of outputs).
    segments: Vec<usize>,
}

impl Function {
    /// Compiles `program` for `backend`, its outputs split into segments of these lengths.
    pub(crate) fn new(program: Program, segments: Vec<usize>, backend: Backend) -> Function {
        debug_assert_eq!(segments.iter().sum::<usize>(), program.outputs().len());
        let native = match backend.effective() {
            Backend::Jit => Native::new(&program, &segments).map(Arc::new),
            Backend::Interpreter => None,
        };
        Function {
            arity: program.vars().len(),
            program: Arc::new(program),
            native,
            segments,
        }
    }

    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// The backend that runs this function.
    pub(crate) fn backend(&self) -> Backend {
        match self.native {
            Some(_) => Backend::Jit,
            None => Backend::Interpreter,
        }
    }

    /// The number of variables.
    pub(crate) fn arity(&self) -> usize {
        self.arity
    }

    /// The one output of a function whose only segment has length 1, at `args` (IEEE
    /// semantics): [`call`](Self::call) without the check of the segments.
    ///
    /// # Panics
    /// On a wrong number of arguments.
    #[inline]
    pub(crate) fn call_scalar(&self, args: &[f64]) -> f64 {
        debug_assert_eq!(self.segments, [1]);
        if args.len() != self.arity {
            self.arity_panic(args.len());
        }
        let mut out = [0.0];
        match &self.native {
            Some(native) => native.run(&self.program, args, &mut [&mut out]),
            None => interpreter::run(&self.program, args, &mut [&mut out]),
        }
        out[0]
    }

    /// The outputs at `args` (IEEE semantics), one slice per segment.
    ///
    /// # Panics
    /// On a wrong number of arguments, or of segments or their lengths.
    #[inline]
    pub(crate) fn call(&self, args: &[f64], segments: &mut [&mut [f64]]) {
        if args.len() != self.arity() {
            self.arity_panic(args.len());
        }
        self.check_segments(segments);
        match &self.native {
            Some(native) => native.run(&self.program, args, segments),
            None => interpreter::run(&self.program, args, segments),
        }
    }

    /// The outputs at `args`, or the first argument or operation that is not a finite real
    /// number. Native code runs first; only when it saw a value that is not finite does the
    /// interpreter run again to name it.
    ///
    /// # Panics
    /// On a wrong number of segments or their lengths (the arity is an error).
    pub(crate) fn try_call(
        &self,
        args: &[f64],
        segments: &mut [&mut [f64]],
    ) -> Result<(), CallError> {
        if args.len() != self.arity() {
            return Err(CallError::Arity {
                expected: self.arity(),
                found: args.len(),
            });
        }
        self.check_segments(segments);
        if let Some(native) = &self.native {
            if interpreter::bad_argument(&self.program, args) {
                return Err(interpreter::describe_domain_error(&self.program, args));
            }
            if native.run_checked(&self.program, &self.segments, args, segments) == Some(true) {
                return Ok(());
            }
        }
        interpreter::try_run(&self.program, args, segments)
    }

    /// Evaluates every output at many points (see `Compiled::eval_batch`).
    pub(crate) fn eval_batch(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        batch::check(&self.program, inputs, outputs)?;
        self.batch_block(inputs, outputs);
        Ok(())
    }

    /// As [`eval_batch`](Self::eval_batch), on the rayon thread pool for large inputs.
    pub(crate) fn eval_batch_par(
        &self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> Result<(), BatchError> {
        let n = batch::check(&self.program, inputs, outputs)?;
        batch::in_parallel(n, inputs, outputs, |i, o| self.batch_block(i, o));
        Ok(())
    }

    fn batch_block(&self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        match &self.native {
            Some(native) => native.batch(&self.program, &self.segments, inputs, outputs),
            None => batch::interpret(&self.program, inputs, outputs),
        }
    }

    #[inline(always)]
    fn check_segments(&self, segments: &[&mut [f64]]) {
        let ok = segments.len() == self.segments.len()
            && segments
                .iter()
                .zip(&self.segments)
                .all(|(s, &len)| s.len() == len);
        if !ok {
            self.segments_panic(segments);
        }
    }

    #[cold]
    #[inline(never)]
    fn arity_panic(&self, found: usize) -> ! {
        panic!(
            "symdiff compiled function: expected {} arguments ({}), got {found}",
            self.arity(),
            self.program.vars().join(", ")
        )
    }

    #[cold]
    #[inline(never)]
    fn segments_panic(&self, segments: &[&mut [f64]]) -> ! {
        let found: Vec<usize> = segments.iter().map(|s| s.len()).collect();
        panic!(
            "symdiff compiled function: the output slices must have {:?} elements, got {found:?}",
            self.segments
        )
    }
}
