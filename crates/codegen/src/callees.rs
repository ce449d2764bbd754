//! The Rust functions compiled code calls: one `extern "C"` entry point per elementary
//! function of the language (generated from [`Func::ALL`] and [`Func2::ALL`], never listed by
//! hand), plus `pow` and `powi`.
//!
//! Where a program needs both the sine and the cosine of one value, [`Callee::SinCos`] computes
//! them in one call (as rustc does for `x.sin()` and `x.cos()`: the C library's `sincos`).
//!
//! Each entry point is a thin wrapper around the single definition in `symdiff-expr`
//! ([`Func::apply`], [`Func2::apply`], [`BinOp::apply`]) or `f64::powi`, which the interpreter calls too, so the
//! JIT and the interpreter compute bit-identical results. The JIT declares them as imported
//! symbols under [`Callee::symbol`].

use symdiff_expr::{BinOp, Func, Func2};

/// An imported function of compiled code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Callee {
    /// `f(x)`.
    Unary(Func),
    /// `f(a, b)`.
    Binary(Func2),
    /// `pow_f64(a, b)`.
    Pow,
    /// `a.powi(n)` (`n` an `i32`).
    Powi,
    /// `sin(x)`, storing `cos(x)` through a pointer.
    SinCos,
    /// `f` on both lanes of a pair of points, in place: `p[k] = f(p[k])` for `k < 2` (the
    /// batch loop: one call per pair instead of one per point).
    UnaryLanes(Func),
    /// The sine and cosine of both lanes, in place: `p[0..2]` the arguments, then the sines,
    /// and `p[2..4]` the cosines.
    SinCosLanes,
}

/// Room for this many unary functions; the language must not outgrow it.
const MAX_FUNCS: usize = 64;
const _: () = assert!(Func::ALL.len() <= MAX_FUNCS, "raise MAX_FUNCS");

/// `Func::ALL[I].apply(x)`: one monomorphic entry point per function index.
extern "C" fn unary<const I: usize>(x: f64) -> f64 {
    match Func::ALL.get(I) {
        Some(f) => f.apply(x),
        None => f64::NAN, // not a function: never referenced (see `Callee::address`)
    }
}

/// Room for this many two-argument functions.
const MAX_FUNCS2: usize = 16;
const _: () = assert!(Func2::ALL.len() <= MAX_FUNCS2, "raise MAX_FUNCS2");

/// `Func2::ALL[I].apply(a, b)`: one monomorphic entry point per function index.
extern "C" fn binary<const I: usize>(a: f64, b: f64) -> f64 {
    match Func2::ALL.get(I) {
        Some(f) => f.apply(a, b),
        None => f64::NAN, // not a function: never referenced (see `Callee::address`)
    }
}

extern "C" fn pow(a: f64, b: f64) -> f64 {
    BinOp::Pow.apply(a, b)
}

extern "C" fn powi(a: f64, n: i32) -> f64 {
    a.powi(n)
}

/// `Func::Sin.apply(x)`, and `Func::Cos.apply(x)` stored at `cos`. Optimised builds compute
/// both with one call of the C library's `sincos` (LLVM folds the pair), whose results are
/// those of `sin` and `cos` (checked by a test).
extern "C" fn sin_cos(x: f64, cos: *mut f64) -> f64 {
    let (s, c) = (Func::Sin.apply(x), Func::Cos.apply(x));
    // SAFETY: compiled code passes the address of an 8-byte stack slot of its own, aligned for
    // an f64, and reads it only after this call returns.
    unsafe { cos.write(c) };
    s
}

/// `Func::ALL[I].apply` on both lanes at `p`.
extern "C" fn unary_lanes<const I: usize>(p: *mut [f64; 2]) {
    // SAFETY: compiled code passes the address of a 16-byte stack slot of its own, aligned for
    // f64, and reads it only after this call returns.
    let lanes = unsafe { &mut *p };
    for x in lanes {
        *x = unary::<I>(*x);
    }
}

/// [`sin_cos`] on both lanes at `p`: the arguments in `p[0..2]` become their sines, and
/// `p[2..4]` receives the cosines.
extern "C" fn sin_cos_lanes(p: *mut [f64; 4]) {
    // SAFETY: compiled code passes the address of a 32-byte stack slot of its own, aligned for
    // f64, and reads it only after this call returns.
    let p = unsafe { &mut *p };
    for k in 0..2 {
        let mut cos = 0.0;
        p[k] = sin_cos(p[k], &mut cos);
        p[2 + k] = cos;
    }
}

type UnaryFn = extern "C" fn(f64) -> f64;
type LanesFn = extern "C" fn(*mut [f64; 2]);

/// `[$f::<0> as $ty, .., $f::<63> as $ty]`.
macro_rules! unary_table {
    ($f:ident as $ty:ty) => {
        unary_table!($f as $ty;
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59
            60 61 62 63)
    };
    ($f:ident as $ty:ty; $($i:literal)*) => { [$($f::<$i> as $ty),*] };
}

static UNARY: [UnaryFn; MAX_FUNCS] = unary_table!(unary as UnaryFn);
static UNARY_LANES: [LanesFn; MAX_FUNCS] = unary_table!(unary_lanes as LanesFn);

type BinaryFn = extern "C" fn(f64, f64) -> f64;

macro_rules! binary_table {
    ($($i:literal)*) => { [$(binary::<$i> as BinaryFn),*] };
}

static BINARY: [BinaryFn; MAX_FUNCS2] = binary_table!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);

/// The index of `f` in [`Func2::ALL`].
fn index2(f: Func2) -> usize {
    Func2::ALL
        .iter()
        .position(|&g| g == f)
        .expect("Func2::ALL lists every function")
}

/// The index of `f` in [`Func::ALL`].
fn index(f: Func) -> usize {
    Func::ALL
        .iter()
        .position(|&g| g == f)
        .expect("Func::ALL lists every function")
}

/// The number of `f64` arguments, whether an `i32` or a pointer follows, and whether an `f64`
/// is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signature {
    pub(crate) floats: usize,
    pub(crate) int: bool,
    pub(crate) pointer: bool,
    pub(crate) returns: bool,
}

impl Callee {
    /// The symbol under which the JIT imports the function.
    pub(crate) fn symbol(self) -> String {
        match self {
            Callee::Unary(f) => format!("symdiff_{}", f.name()),
            Callee::UnaryLanes(f) => format!("symdiff_{}_lanes", f.name()),
            Callee::SinCosLanes => "symdiff_sin_cos_lanes".into(),
            Callee::Binary(f) => format!("symdiff_{}", f.name()),
            Callee::Pow => "symdiff_pow".into(),
            Callee::Powi => "symdiff_powi".into(),
            Callee::SinCos => "symdiff_sin_cos".into(),
        }
    }

    /// The function's address.
    pub(crate) fn address(self) -> *const u8 {
        match self {
            Callee::Unary(f) => UNARY[index(f)] as *const u8,
            Callee::Binary(f) => BINARY[index2(f)] as *const u8,
            Callee::Pow => pow as extern "C" fn(f64, f64) -> f64 as *const u8,
            Callee::Powi => powi as extern "C" fn(f64, i32) -> f64 as *const u8,
            Callee::SinCos => sin_cos as extern "C" fn(f64, *mut f64) -> f64 as *const u8,
            Callee::UnaryLanes(f) => UNARY_LANES[index(f)] as *const u8,
            Callee::SinCosLanes => sin_cos_lanes as extern "C" fn(*mut [f64; 4]) as *const u8,
        }
    }

    /// Its parameters (every callee returns one `f64`).
    pub(crate) fn signature(self) -> Signature {
        match self {
            Callee::Unary(_) => Signature {
                floats: 1,
                int: false,
                pointer: false,
                returns: true,
            },
            Callee::Binary(_) | Callee::Pow => Signature {
                floats: 2,
                int: false,
                pointer: false,
                returns: true,
            },
            Callee::Powi => Signature {
                floats: 1,
                int: true,
                pointer: false,
                returns: true,
            },
            Callee::SinCos => Signature {
                floats: 1,
                int: false,
                pointer: true,
                returns: true,
            },
            Callee::UnaryLanes(_) | Callee::SinCosLanes => Signature {
                floats: 0,
                int: false,
                pointer: true,
                returns: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_point_is_its_function() {
        for f in Func::ALL {
            let g = UNARY[index(f)];
            for x in [-2.5, -0.5, 0.0, 0.3, 1.0, 7.0] {
                let (a, b) = (g(x), f.apply(x));
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{f:?}"
                );
            }
        }
        for f in Func2::ALL {
            let g = BINARY[index2(f)];
            for (a, b) in [
                (-1.5, 2.0),
                (0.0, -0.0),
                (-0.0, 0.0),
                (3.0, 3.0),
                (f64::NAN, 1.0),
            ] {
                let (x, y) = (g(a, b), f.apply(a, b));
                assert!(
                    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                    "{f:?}"
                );
            }
        }
        let mut pair = [0.5, -3.0];
        UNARY_LANES[index(Func::Exp)](&mut pair);
        assert_eq!(pair, [0.5f64.exp(), (-3f64).exp()]);
        let mut four = [0.5, -3.0, 0.0, 0.0];
        sin_cos_lanes(&mut four);
        assert_eq!(
            four,
            [0.5f64.sin(), (-3f64).sin(), 0.5f64.cos(), (-3f64).cos()]
        );
        let mut cos = 0.0;
        assert_eq!(sin_cos(0.5, &mut cos), 0.5f64.sin());
        assert_eq!(cos, 0.5f64.cos());
        assert_eq!(pow(-2.0, 3.0), -8.0);
        assert_eq!(powi(2.0, -2), 0.25);
    }
}

#[cfg(test)]
mod sin_cos_tests {
    use super::*;

    /// The one-call sine and cosine are bit for bit the separate ones (the JIT uses it where
    /// the interpreter calls `sin` and `cos`), over a wide range of magnitudes.
    #[test]
    fn sin_cos_equals_sin_and_cos() {
        // Opaque to the optimiser: `sin_cos` is not inlined here, and the reference sine and
        // cosine are separate calls (rustc folds a sine and a cosine of one value in one block
        // into `sincos`, which would make the comparison vacuous).
        let sin_cos = std::hint::black_box(sin_cos as extern "C" fn(f64, *mut f64) -> f64);
        let (sin, cos) = (
            std::hint::black_box(Func::Sin),
            std::hint::black_box(Func::Cos),
        );
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..200_000 {
            // xorshift: mantissa and sign random, magnitudes 2^-30 to 2^60.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let exponent = 1023 - 30 + (i % 90) as u64;
            let x = f64::from_bits((state & 0x800f_ffff_ffff_ffff) | (exponent << 52));
            let mut c = 0.0;
            let s = sin_cos(x, &mut c);
            assert_eq!(s.to_bits(), sin.apply(x).to_bits(), "sin {x:e}");
            assert_eq!(c.to_bits(), cos.apply(x).to_bits(), "cos {x:e}");
        }
        for x in [0.0, -0.0, f64::INFINITY, f64::NAN, f64::MIN_POSITIVE, 1e300] {
            let mut c = 0.0;
            let s = sin_cos(x, &mut c);
            let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
            assert!(same(s, sin.apply(x)) && same(c, cos.apply(x)), "{x}");
        }
    }
}
