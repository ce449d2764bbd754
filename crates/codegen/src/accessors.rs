//! The entry points with the default backend, and the accessors every public compiled type shares ([`Compiled`](crate::Compiled),
//! [`CompiledMany`](crate::CompiledMany), [`CompiledGradient`](crate::CompiledGradient),
//! [`CompiledJacobian`](crate::CompiledJacobian), [`CompiledHessian`](crate::CompiledHessian)),
//! written once: each delegates to the type's core [`Function`](crate::function::Function),
//! its field `f`.

/// Implements `program`, `vars` and `backend` for a compiled type with a field `f: Function`.
/// `$example` is an expression of that type in the variables `x` and `y`, for the doc examples.
macro_rules! compiled_accessors {
    ($ty:ident, $example:literal) => {
        impl $ty {
            /// The underlying program.
            ///
            /// ```
            #[doc = concat!("let f = ", $example, ";")]
            /// assert_eq!(f.program().vars(), f.vars());
            /// ```
            pub fn program(&self) -> &$crate::Program {
                self.f.program()
            }

            /// The argument names, in order.
            ///
            /// ```
            #[doc = concat!("let f = ", $example, ";")]
            /// assert_eq!(f.vars(), &["x", "y"]);
            /// ```
            pub fn vars(&self) -> &[String] {
                self.f.program().vars()
            }

            /// The backend that runs this function.
            ///
            /// ```
            #[doc = concat!("let f = ", $example, ";")]
            /// assert_eq!(f.backend(), symdiff_codegen::Backend::Jit.effective());
            /// ```
            pub fn backend(&self) -> $crate::Backend {
                self.f.backend()
            }
        }
    };
}

pub(crate) use compiled_accessors;

/// Defines a pair of entry points: `pub fn $with(args, $backend: Backend) -> Result<$ty,
/// CompileError>` with the given body, and `pub fn $name(args)`, the same with
/// `Backend::default()` (`Backend` and `CompileError` are the names in scope where it is used).
macro_rules! entry_points {
    (
        $(#[$doc:meta])* $name:ident,
        $(#[$doc_with:meta])*
        $with:ident($($arg:ident: $arg_ty:ty),*; $backend:ident) -> $ty:ty $body:block
    ) => {
        $(#[$doc])*
        pub fn $name($($arg: $arg_ty),*) -> Result<$ty, CompileError> {
            $with($($arg),*, Backend::default())
        }

        $(#[$doc_with])*
        pub fn $with(
            $($arg: $arg_ty,)*
            $backend: Backend,
        ) -> Result<$ty, CompileError> $body
    };
}

pub(crate) use entry_points;
