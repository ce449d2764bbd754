//! The JIT backend: a [`Program`] compiled to machine code with Cranelift.
//!
//! A program is straight-line code, so each register maps to one Cranelift SSA value (the
//! latest written to it); Cranelift's own register allocator decides what lives in machine
//! registers. Arithmetic becomes `fadd`/`fsub`/`fmul`/`fdiv`/`fneg` (never fused: Cranelift
//! does not contract `a*b + c` into a fused multiply-add), constants are the program's
//! pre-rounded f64 bit patterns, and functions, `pow` and `powi` are calls to the
//! [`callees`](crate::callees) entry points, which wrap the definitions the interpreter uses.
//! Results are therefore bit-identical to the interpreter's.
//!
//! Arguments and constants are loaded or materialised where they are used, and reused by the
//! instructions that follow within a short window ([`REUSE`], [`REUSE_CONSTANT`]): keeping every
//! argument live across a long function made the register allocator spill thousands of values,
//! and loading at every use made the code (and its instruction fetch) larger. Each output is
//! stored as soon as its value is final.
//!
//! Compiled functions, all with the signature
//! `fn(args: *const f64, regs: *mut f64, outs: *const *mut f64) -> i64`:
//!
//! - **whole**: the program in one function; reads the arguments from `args` and stores output
//!   `k` of segment `s` at `outs[s][k]` (`regs` is unused);
//! - **chunks**: programs longer than [`CHUNK`] instructions are split into several functions,
//!   so compile time stays linear and memory bounded; each reads the arguments from `args`,
//!   stores the outputs that become final in it, and passes the registers it wrote on to the
//!   next chunks in the register file `regs`;
//! - **checked** variants (compiled on the first `try_call`) return a word whose sign bit is set
//!   when a value that completes a node of the source was not finite;
//! - **batch** (programs up to [`BATCH_MAX`] instructions; longer ones are evaluated point by
//!   point): `fn(inputs: *const *const f64, outs: *const *mut f64, n: usize)`, a loop over
//!   `n` points ([`BATCH_LANES`] at a time, `n` a multiple of it) reading `inputs[v][i]` and
//!   writing `outs[k][i]`. Every value is an `f64x2` vector holding two points: IEEE
//!   arithmetic lane by lane computes the same bits as on scalars, comparisons become lane
//!   masks and `if` a bitwise select, and a call of a Rust function is made once per lane. The
//!   addresses of the first [`HOIST`] input and output columns are loaded before the loop.
//!
//! Compiled code lives in its module, which is freed when the last handle drops.

use crate::callees::Callee;
use crate::instr::{Instr, Output};
use crate::interpreter::with_registers;
use crate::program::Program;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::Ieee64;
use cranelift_codegen::ir::{
    types, AbiParam, FuncRef, InstBuilder, MemFlagsData, Signature, StackSlot, StackSlotData,
    StackSlotKind, Type, Value,
};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};
use hashbrown::{HashMap, HashSet};
use std::mem::ManuallyDrop;
use std::sync::OnceLock;
use symdiff_expr::{BinOp, CmpOp, Func};

/// Instructions per compiled function; longer programs are split into chunks of this size.
pub(crate) const CHUNK: usize = 4_000;

/// Programs up to this many instructions get a native batch loop (longer ones are evaluated
/// point by point through their chunks). The loop is compiled on the first batch evaluation.
pub(crate) const BATCH_MAX: usize = 4 * CHUNK;

/// Points per iteration of the batch loop: one per lane of an `f64x2` vector.
pub(crate) const BATCH_LANES: usize = 2;

/// Most output segments a whole function writes (value, gradient, Hessian).
pub(crate) const MAX_SEGMENTS: usize = 3;

/// The host's instruction set, or `None` where the JIT cannot run (an unsupported host, or the
/// environment variable `SYMDIFF_NO_JIT` set when it is first needed).
///
/// Cranelift's mid-end optimizer is off (`opt_level = none`): programs arrive value-numbered,
/// constant-folded and scheduled, and it cost compile time without making them faster. The
/// register allocator is the backtracking one: once instructions are scheduled (short live
/// ranges) it doubles the compile time of the single-pass allocator, and its code ran the
/// Rosenbrock gradient about twice as fast (see BENCH.md).
fn isa() -> Option<OwnedTargetIsa> {
    static ISA: OnceLock<Option<OwnedTargetIsa>> = OnceLock::new();
    ISA.get_or_init(|| {
        if std::env::var_os("SYMDIFF_NO_JIT").is_some() {
            return None;
        }
        let verify = if cfg!(debug_assertions) {
            "true"
        } else {
            "false"
        };
        let mut flags = settings::builder();
        for (name, value) in [
            ("opt_level", "none"),
            ("regalloc_algorithm", "backtracking"),
            ("is_pic", "false"),
            ("use_colocated_libcalls", "false"),
            ("enable_verifier", verify),
        ] {
            flags.set(name, value).ok()?;
        }
        let isa = cranelift_native::builder().ok()?;
        isa.finish(settings::Flags::new(flags)).ok()
    })
    .clone()
}

/// Can the JIT run on this host?
pub(crate) fn available() -> bool {
    isa().is_some()
}

/// A finalized JIT module: its machine code lives until this is dropped.
struct Code {
    module: ManuallyDrop<JITModule>,
}

// SAFETY: after finalization the module is never touched again except by `drop`, which has
// exclusive access; the machine code it owns is immutable and may run on any thread.
unsafe impl Send for Code {}
// SAFETY: as above: shared references to a `Code` give no access to the module.
unsafe impl Sync for Code {}

impl Drop for Code {
    fn drop(&mut self) {
        let module = unsafe {
            // SAFETY: `self.module` is taken once, here, and never used afterwards.
            ManuallyDrop::take(&mut self.module)
        };
        // SAFETY: every pointer into this module's code is stored beside it (in the `Module`
        // that owns this `Code`) and dies with it; no call can be running, because calls borrow
        // that owner.
        unsafe { module.free_memory() }
    }
}

type EntryFn = unsafe extern "C" fn(*const f64, *mut f64, *const *mut f64) -> i64;
type BatchFn = unsafe extern "C" fn(*const *const f64, *const *mut f64, usize);

/// Which functions a module holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// The program (whole or in chunks), IEEE semantics.
    Fast,
    /// The same, returning the check word.
    Checked,
    /// The batch loop (whole programs only).
    Batch,
}

/// One compiled variant of a program.
struct Compiled {
    /// One function (whole) or several (chunks), run in order.
    entries: Vec<EntryFn>,
    batch: Option<BatchFn>,
    /// Declared last so that it is dropped after the pointers into it.
    _code: Code,
}

/// A program's native code: the fast variant, and the checked one once needed.
pub(crate) struct Native {
    fast: Compiled,
    checked: OnceLock<Option<Compiled>>,
    batch: OnceLock<Option<Compiled>>,
}

impl std::fmt::Debug for Native {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Native({} functions)", self.fast.entries.len())
    }
}

impl Native {
    /// Compiles `p` (outputs laid out in `segments`, whose lengths sum to the number of
    /// outputs). `None` when the JIT is unavailable or fails.
    pub(crate) fn new(p: &Program, segments: &[usize]) -> Option<Native> {
        Some(Native {
            fast: compile(p, segments, Variant::Fast)?,
            checked: OnceLock::new(),
            batch: OnceLock::new(),
        })
    }

    /// Runs the fast variant: IEEE semantics.
    ///
    /// The caller guarantees `args.len() == p.vars().len()` and that `segments` has the
    /// lengths given to [`Native::new`] (`p` is the program given there).
    #[inline]
    pub(crate) fn run(&self, p: &Program, args: &[f64], segments: &mut [&mut [f64]]) {
        run(&self.fast, p, args, segments);
    }

    /// Runs the checked variant (compiling it on first use): `false` when a value that
    /// completes a node of the source is not finite (the outputs are then unspecified).
    /// `None` when it could not be compiled. Same requirements as [`Native::run`].
    pub(crate) fn run_checked(
        &self,
        p: &Program,
        segment_lengths: &[usize],
        args: &[f64],
        segments: &mut [&mut [f64]],
    ) -> Option<bool> {
        let checked = self
            .checked
            .get_or_init(|| compile(p, segment_lengths, Variant::Checked))
            .as_ref()?;
        Some(run(checked, p, args, segments) >= 0)
    }

    /// Evaluates checked slices (`n` points) with the batch loop (compiled on first use), or
    /// point by point through the chunks (programs longer than [`BATCH_MAX`]).
    pub(crate) fn batch(
        &self,
        p: &Program,
        segment_lengths: &[usize],
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) {
        let n = outputs
            .first()
            .map(|o| o.len())
            .or_else(|| inputs.first().map(|i| i.len()))
            .unwrap_or(0);
        let batch = self
            .batch
            .get_or_init(|| {
                (p.instructions().len() <= BATCH_MAX)
                    .then(|| compile(p, segment_lengths, Variant::Batch))
                    .flatten()
            })
            .as_ref()
            .and_then(|c| c.batch);
        // The native loop takes the points in pairs; an odd last point (and every point of a
        // program without a batch loop) goes through the fast variant.
        let paired = match batch {
            Some(batch) => {
                let paired = n - n % BATCH_LANES;
                let ins: Vec<*const f64> = inputs.iter().map(|s| s.as_ptr()).collect();
                let outs: Vec<*mut f64> = outputs.iter_mut().map(|s| s.as_mut_ptr()).collect();
                // SAFETY: the batch function reads `inputs[v][i..i + BATCH_LANES]` and writes
                // `outs[k][i..i + BATCH_LANES]` (unaligned accesses) for `v < vars`,
                // `k < outputs` and `i + BATCH_LANES <= paired`, and the caller checked that
                // there are that many slices, each of length `n >= paired`.
                unsafe { batch(ins.as_ptr(), outs.as_ptr(), paired) };
                paired
            }
            None => 0,
        };
        if paired < n {
            self.point_by_point(p, segment_lengths, inputs, outputs, paired..n);
        }
    }

    /// Evaluates the points `range` of checked slices one at a time with the fast variant.
    fn point_by_point(
        &self,
        p: &Program,
        segment_lengths: &[usize],
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
        range: std::ops::Range<usize>,
    ) {
        let mut args = vec![0.0; inputs.len()];
        let mut point = vec![0.0; outputs.len()];
        let mut segments = Vec::with_capacity(segment_lengths.len());
        let mut rest = point.as_mut_slice();
        for &len in segment_lengths {
            let (segment, tail) = rest.split_at_mut(len);
            segments.push(segment);
            rest = tail;
        }
        for i in range {
            for (a, input) in args.iter_mut().zip(inputs) {
                *a = input[i];
            }
            run(&self.fast, p, &args, &mut segments);
            let values = segments.iter().flat_map(|s| s.iter());
            for (out, &v) in outputs.iter_mut().zip(values) {
                out[i] = v;
            }
        }
    }
}

/// Runs a compiled variant; returns the check word (negative when a check failed).
#[inline]
fn run(c: &Compiled, p: &Program, args: &[f64], segments: &mut [&mut [f64]]) -> i64 {
    debug_assert_eq!(args.len(), p.vars().len());
    let mut outs = [std::ptr::null_mut(); MAX_SEGMENTS];
    for (o, s) in outs.iter_mut().zip(segments.iter_mut()) {
        *o = s.as_mut_ptr();
    }
    if let [whole] = c.entries[..] {
        // SAFETY: a whole function reads arguments `0..vars` from `args`, which holds `vars`
        // values, and never touches a register file; it writes output `k` of segment `s` at
        // `outs[s][k]`, and the caller guarantees each segment is that long.
        return unsafe { whole(args.as_ptr(), std::ptr::null_mut(), outs.as_ptr()) };
    }
    with_registers(p.registers(), |regs| {
        let file = regs.as_mut_ptr().cast::<f64>();
        let mut word = 0;
        for chunk in &c.entries {
            // SAFETY: as for a whole function, and a chunk also reads and writes registers
            // below `p.registers()` in `file`, which has at least that many (`[f64; 1]` has the
            // layout of `f64`).
            word |= unsafe { chunk(args.as_ptr(), file, outs.as_ptr()) };
        }
        word
    })
}

/// Compiles every function of a variant into one module.
fn compile(p: &Program, segments: &[usize], variant: Variant) -> Option<Compiled> {
    assert!(segments.len() <= MAX_SEGMENTS && segments.iter().sum::<usize>() == p.outputs().len());
    let isa = isa()?;
    let mut builder = JITBuilder::with_isa(isa, default_libcall_names());
    let mut seen = HashSet::new();
    let mut callees: Vec<Callee> = p
        .instructions()
        .iter()
        .filter_map(callee)
        .filter(|c| seen.insert(*c))
        .collect();
    if seen.contains(&Callee::Unary(Func::Sin)) && seen.contains(&Callee::Unary(Func::Cos)) {
        callees.push(Callee::SinCos);
    }
    if variant == Variant::Batch {
        let lanes = callees.iter().filter_map(|&c| match c {
            Callee::Unary(f) => Some(Callee::UnaryLanes(f)),
            Callee::SinCos => Some(Callee::SinCosLanes),
            _ => None,
        });
        callees.extend(lanes.collect::<Vec<_>>());
    }
    for c in &callees {
        builder.symbol(c.symbol(), c.address());
    }
    let mut module = JITModule::new(builder);
    let mut imports = HashMap::new();
    for c in callees {
        let sig = signature(&module, c);
        let id = module
            .declare_function(&c.symbol(), Linkage::Import, &sig)
            .ok()?;
        imports.insert(c, id);
    }
    let (ids, batch) = CONTEXTS.with_borrow_mut(|contexts| {
        let (ctx, fctx) =
            contexts.get_or_insert_with(|| (module.make_context(), FunctionBuilderContext::new()));
        define_all(&mut module, (ctx, fctx), &imports, p, segments, variant)
    })?;
    module.finalize_definitions().ok()?;
    let entries = ids
        .iter()
        .map(|&id| {
            let f = module.get_finalized_function(id);
            // SAFETY: `id` was defined with the signature of `EntryFn` (see `define`).
            unsafe { std::mem::transmute::<*const u8, EntryFn>(f) }
        })
        .collect();
    let batch = batch.map(|id| {
        let f = module.get_finalized_function(id);
        // SAFETY: the batch function was defined with the signature of `BatchFn`.
        unsafe { std::mem::transmute::<*const u8, BatchFn>(f) }
    });
    Some(Compiled {
        entries,
        batch,
        _code: Code {
            module: ManuallyDrop::new(module),
        },
    })
}

/// A compilation context and a function builder context, reused by every function this thread
/// compiles (their memory, the register allocator's above all, is allocated once).
type Contexts = (Context, FunctionBuilderContext);

thread_local! {
    static CONTEXTS: std::cell::RefCell<Option<Contexts>> = const { std::cell::RefCell::new(None) };
}

/// Defines the functions of `variant` in `module`: the entries (whole or chunks), and the batch
/// loop.
fn define_all(
    module: &mut JITModule,
    (ctx, fctx): (&mut Context, &mut FunctionBuilderContext),
    imports: &HashMap<Callee, FuncId>,
    p: &Program,
    segments: &[usize],
    variant: Variant,
) -> Option<(Vec<FuncId>, Option<FuncId>)> {
    let writes = Writes::of(p);
    let instrs = p.instructions();
    let checked = variant == Variant::Checked;
    let mut ids = Vec::new();
    let ranges: Vec<std::ops::Range<usize>> = match variant {
        Variant::Batch => Vec::new(),
        _ => (0..instrs.len().max(1))
            .step_by(CHUNK)
            .map(|start| start..(start + CHUNK).min(instrs.len()))
            .collect(),
    };
    for range in ranges {
        let shape = Shape::Range(segments);
        let id = define(
            module,
            (&mut *ctx, &mut *fctx),
            imports,
            (p, &writes),
            range,
            shape,
            checked,
        )?;
        ids.push(id);
    }
    let batch = if variant == Variant::Batch && instrs.len() <= BATCH_MAX {
        Some(define(
            module,
            (ctx, fctx),
            imports,
            (p, &writes),
            0..instrs.len(),
            Shape::Batch,
            false,
        )?)
    } else {
        None
    };
    Some((ids, batch))
}

/// The function an instruction calls, if any.
fn callee(i: &Instr) -> Option<Callee> {
    match *i {
        Instr::Binary { op, .. } | Instr::BinaryImm { op, .. } | Instr::ImmBinary { op, .. } => {
            (op == BinOp::Pow).then_some(Callee::Pow)
        }
        Instr::Powi { .. } => Some(Callee::Powi),
        Instr::Call { f, .. } => Some(Callee::Unary(f)),
        Instr::Call2 { f, .. } => Some(Callee::Binary(f)),
        Instr::Neg { .. }
        | Instr::Const { .. }
        | Instr::Compare { .. }
        | Instr::And { .. }
        | Instr::Or { .. }
        | Instr::Not { .. }
        | Instr::Select { .. } => None,
    }
}

/// The Cranelift condition computing [`CmpOp::apply`] (IEEE 754: ordered, except `!=`).
fn float_cc(op: CmpOp) -> FloatCC {
    match op {
        CmpOp::Lt => FloatCC::LessThan,
        CmpOp::Le => FloatCC::LessThanOrEqual,
        CmpOp::Gt => FloatCC::GreaterThan,
        CmpOp::Ge => FloatCC::GreaterThanOrEqual,
        CmpOp::Eq => FloatCC::Equal,
        CmpOp::Ne => FloatCC::NotEqual,
    }
}

fn signature(module: &JITModule, c: Callee) -> Signature {
    let mut sig = module.make_signature();
    let s = c.signature();
    for _ in 0..s.floats {
        sig.params.push(AbiParam::new(types::F64));
    }
    if s.int {
        sig.params.push(AbiParam::new(types::I32));
    }
    if s.pointer {
        sig.params
            .push(AbiParam::new(module.target_config().pointer_type()));
    }
    if s.returns {
        sig.returns.push(AbiParam::new(types::F64));
    }
    sig
}

/// What kind of function [`define`] builds.
#[derive(Clone, Copy)]
enum Shape<'a> {
    /// A range of the program's instructions (all of them, or a chunk), outputs written to
    /// these segments as soon as they are final, and (chunks) the registers a later chunk may
    /// read passed on in the register file.
    Range(&'a [usize]),
    /// The whole program in a loop over points.
    Batch,
}

/// Where a register that this function has not written yet is read from.
#[derive(Clone, Copy)]
enum Source {
    /// `args[r]` while `r` still holds argument `r`, else the register file, `regs[r]`.
    File { args: Value, regs: Value },
    /// `inputs[r][i]` (`offset` is `8 i`).
    Points { inputs: Value, offset: Value },
}

/// Where each register is written in the whole program.
struct Writes {
    /// The index of the first instruction writing each register (`usize::MAX`: none).
    first: Vec<usize>,
    /// The index of the last one (`None`: none).
    last: Vec<Option<usize>>,
}

impl Writes {
    fn of(p: &Program) -> Writes {
        let mut first = vec![usize::MAX; p.registers()];
        let mut last = vec![None; p.registers()];
        for (i, instr) in p.instructions().iter().enumerate() {
            let r = instr.dst() as usize;
            first[r] = first[r].min(i);
            last[r] = Some(i);
        }
        Writes { first, last }
    }

    /// The instruction after which output `o` is final (`None`: from the start, an argument or
    /// a constant).
    fn final_write(&self, o: Output) -> Option<usize> {
        match o {
            Output::Reg(r) => self.last[r as usize],
            Output::Const(_) => None,
        }
    }
}

/// Builds one function over `range` of the program's instructions.
fn define(
    module: &mut JITModule,
    (ctx, fctx): (&mut Context, &mut FunctionBuilderContext),
    imports: &HashMap<Callee, FuncId>,
    (p, writes): (&Program, &Writes),
    range: std::ops::Range<usize>,
    shape: Shape,
    checked: bool,
) -> Option<FuncId> {
    let ptr = module.target_config().pointer_type();
    module.clear_context(ctx);
    let sig = &mut ctx.func.signature;
    match shape {
        Shape::Range(_) => {
            sig.params.extend([AbiParam::new(ptr); 3]);
            sig.returns.push(AbiParam::new(types::I64));
        }
        Shape::Batch => sig.params.extend([AbiParam::new(ptr); 3]),
    }
    let id = module
        .declare_anonymous_function(&ctx.func.signature)
        .ok()?;
    {
        let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        b.seal_block(entry);
        let params = b.block_params(entry).to_vec();
        let mut e = Emitter {
            refs: HashMap::new(),
            imports,
            module,
            vals: vec![None; p.registers()],
            source: Source::File {
                args: params[0],
                regs: params[1],
            },
            args_until: range.start,
            vars: p.vars().len(),
            writes,
            flag: checked.then_some(()).map(|_| b.ins().iconst(types::I64, 0)),
            at: range.start,
            fresh_from: range.start,
            loaded: vec![None; p.registers()],
            constants: HashMap::new(),
            ty: match shape {
                Shape::Range(_) => types::F64,
                Shape::Batch => types::F64X2,
            },
            columns: Vec::new(),
            out_columns: Vec::new(),
            versions: vec![usize::MAX; p.registers()],
            sin_cos_pairs: sin_cos_pairs(p, range.clone()),
            partners: HashMap::new(),
            slot: None,
            lanes_slot: None,
            b,
        };
        match shape {
            Shape::Range(segments) => {
                let mut dests = e.segment_dests(p, params[2], segments, range.clone());
                if range.end < p.instructions().len() {
                    // A chunk followed by others: pass on the registers it writes.
                    let last: HashMap<u32, usize> = range
                        .clone()
                        .map(|i| (p.instructions()[i].dst(), i))
                        .collect();
                    dests.extend(last.into_iter().map(|(r, i)| {
                        let at = Dest::At(params[1], offset_of(r as usize));
                        (Some(i), Output::Reg(r), at)
                    }));
                }
                e.body(p, range, dests);
                let word = e.word();
                e.b.ins().return_(&[word]);
            }
            Shape::Batch => {
                let (first, outs, n) = (params[0], params[1], params[2]);
                // The addresses of the first few columns stay in registers across the loop.
                let flags = MemFlagsData::trusted();
                e.columns = (0..p.vars().len().min(HOIST))
                    .map(|v| e.b.ins().load(ptr, flags, first, offset_of(v)))
                    .collect();
                e.out_columns = (0..p.outputs().len().min(HOIST))
                    .map(|k| e.b.ins().load(ptr, flags, outs, offset_of(k)))
                    .collect();
                let header = e.b.create_block();
                let body = e.b.create_block();
                let exit = e.b.create_block();
                let i = e.b.append_block_param(header, ptr);
                let zero = e.b.ins().iconst(ptr, 0);
                e.b.ins().jump(header, &[zero.into()]);
                e.b.switch_to_block(header);
                let more = e.b.ins().icmp(IntCC::UnsignedLessThan, i, n);
                e.b.ins().brif(more, body, &[], exit, &[]);
                e.b.switch_to_block(body);
                let offset = e.b.ins().imul_imm_s(i, 8);
                e.source = Source::Points {
                    inputs: first,
                    offset,
                };
                let dests = p
                    .outputs()
                    .iter()
                    .enumerate()
                    .map(|(k, &o)| (writes.final_write(o), o, Dest::Point { outs, k, offset }))
                    .collect();
                e.body(p, range, dests);
                let next = e.b.ins().iadd_imm_s(i, BATCH_LANES as i64);
                e.b.ins().jump(header, &[next.into()]);
                e.b.switch_to_block(exit);
                e.b.ins().return_(&[]);
                e.b.seal_all_blocks();
            }
        }
        let config = e.module.target_config();
        e.b.finalize(config);
    }
    module.define_function(id, ctx).ok()?;
    module.clear_context(ctx);
    Some(id)
}

/// Which column table of the batch loop an address comes from.
#[derive(Clone, Copy)]
enum Columns {
    Inputs,
    Outputs,
}

/// Flags of the batch loop's loads and stores of points: never trapping, but only 8-byte
/// aligned (a pair of points starts anywhere in a slice of `f64`).
fn lane_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// Where a value is stored once it is final.
#[derive(Clone, Copy)]
enum Dest {
    /// `*(base + offset)`.
    At(Value, i32),
    /// `outs[k][i]` in the batch loop (`offset` is `8 i`).
    Point {
        outs: Value,
        k: usize,
        offset: Value,
    },
}

/// The byte offset of f64 (or pointer) number `k`.
fn offset_of(k: usize) -> i32 {
    i32::try_from(8 * k).expect("register files and output lists stay below 2^28 entries")
}

/// Emits the instructions of one function.
struct Emitter<'a, 'f> {
    b: FunctionBuilder<'f>,
    module: &'a mut JITModule,
    imports: &'a HashMap<Callee, FuncId>,
    /// The callees imported into this function.
    refs: HashMap<Callee, FuncRef>,
    /// Per register: its current value in this function.
    vals: Vec<Option<Value>>,
    source: Source,
    /// Registers below `vars` not written before instruction `args_until` still hold their
    /// argument.
    args_until: usize,
    vars: usize,
    writes: &'a Writes,
    /// The check word (checked variants): bit 63 is set once a checked value is not finite.
    flag: Option<Value>,
    /// The index of the instruction being emitted.
    at: usize,
    /// Per register not yet written here: its last load, and the instruction that last used it.
    loaded: Vec<Option<(Value, usize)>>,
    /// Per constant (bits): its value, and the instruction that last used it.
    constants: HashMap<u64, (Value, usize)>,
    /// Loads and constants last used before this instruction are not reused: a call came
    /// in between, and every floating-point register is caller-saved, so reusing one would
    /// cost a spill and a reload instead of one load.
    fresh_from: usize,
    /// The type of every value: `F64`, or `F64X2` in the batch loop (one point per lane).
    ty: Type,
    /// The batch loop: the addresses of the first input columns, `inputs[v]`, loaded before
    /// the loop (the others are loaded where they are read).
    columns: Vec<Value>,
    /// The same for the output columns, `outs[k]`.
    out_columns: Vec<Value>,
    /// Per register: the instruction that last wrote it in this function (`usize::MAX`: none).
    versions: Vec<usize>,
    /// The values whose sine and cosine this function takes ([`sin_cos_pairs`]).
    sin_cos_pairs: HashSet<Version>,
    /// The sine or cosine computed with the other one, until its instruction comes.
    partners: HashMap<Version, Value>,
    /// The stack slot [`Callee::SinCos`] stores the cosine in.
    slot: Option<StackSlot>,
    /// The stack slot of the lanes callees (32 bytes).
    lanes_slot: Option<StackSlot>,
}

/// A register's value at one point of a function: the register, and the index of the
/// instruction that wrote it there (`usize::MAX`: written before the function).
type Version = (u32, usize);

/// The values of `range` whose sine and cosine are both taken: those get one
/// [`Callee::SinCos`] call.
fn sin_cos_pairs(p: &Program, range: std::ops::Range<usize>) -> HashSet<Version> {
    let mut versions = vec![usize::MAX; p.registers()];
    let mut wanted: HashMap<Version, [bool; 2]> = HashMap::new();
    for i in range {
        let instr = &p.instructions()[i];
        if let Instr::Call { f, a, .. } = *instr {
            let which = [Func::Sin, Func::Cos].iter().position(|&g| g == f);
            if let Some(k) = which {
                wanted.entry((a, versions[a as usize])).or_default()[k] = true;
            }
        }
        versions[instr.dst() as usize] = i;
    }
    wanted
        .into_iter()
        .filter(|(_, both)| both == &[true, true])
        .map(|(v, _)| v)
        .collect()
}

/// The batch loop keeps the addresses of at most this many input (and output) columns in
/// registers.
const HOIST: usize = 4;

/// A loaded argument or a materialised constant is reused by the instructions that follow its
/// last use by at most this many (beyond, it is loaded again: a load is cheaper than keeping a
/// value live across a long function, and a reuse saves an instruction).
const REUSE: usize = 12;

/// The same for constants: a program uses few distinct ones, so they may stay longer (reusing
/// one from a register is shorter code than loading it again, on x86_64 by 5 bytes).
const REUSE_CONSTANT: usize = 64;

impl Emitter<'_, '_> {
    /// The current value of register `r`: the value this function wrote to it, else a load
    /// (reused within [`REUSE`] instructions of its last use).
    fn get(&mut self, r: u32) -> Value {
        if let Some(v) = self.vals[r as usize] {
            return v;
        }
        if let Some((v, used)) = self.loaded[r as usize] {
            if self.at - used <= REUSE && used >= self.fresh_from {
                self.loaded[r as usize] = Some((v, self.at));
                return v;
            }
        }
        let flags = MemFlagsData::trusted();
        let v = match self.source {
            Source::File { args, regs } => {
                let from_args =
                    (r as usize) < self.vars && self.writes.first[r as usize] >= self.args_until;
                let base = if from_args { args } else { regs };
                self.b
                    .ins()
                    .load(types::F64, flags, base, offset_of(r as usize))
            }
            Source::Points { inputs, offset } => {
                let base = self.column(inputs, r as usize, Columns::Inputs);
                let at = self.b.ins().iadd(base, offset);
                self.b.ins().load(self.ty, lane_flags(), at, 0)
            }
        };
        self.loaded[r as usize] = Some((v, self.at));
        v
    }

    /// The address of input (or output) column `k` in the batch loop: `table[k]`.
    fn column(&mut self, table: Value, k: usize, which: Columns) -> Value {
        let hoisted = match which {
            Columns::Inputs => &self.columns,
            Columns::Outputs => &self.out_columns,
        };
        if let Some(&c) = hoisted.get(k) {
            return c;
        }
        let ptr = self.module.target_config().pointer_type();
        self.b
            .ins()
            .load(ptr, MemFlagsData::trusted(), table, offset_of(k))
    }

    fn constant(&mut self, c: f64) -> Value {
        let bits = c.to_bits();
        if let Some(&(v, used)) = self.constants.get(&bits) {
            if self.at - used <= REUSE_CONSTANT && used >= self.fresh_from {
                self.constants.insert(bits, (v, self.at));
                return v;
            }
        }
        let mut v = self.b.ins().f64const(Ieee64::with_bits(bits));
        if self.ty.is_vector() {
            v = self.b.ins().splat(self.ty, v);
        }
        self.constants.insert(bits, (v, self.at));
        v
    }

    /// A call of `c`; in the batch loop, one call per lane (the same function on each point,
    /// so the same bits as one point at a time).
    fn call(&mut self, c: Callee, args: &[Value]) -> Value {
        if !self.ty.is_vector() {
            return self.call_scalar(c, args);
        }
        if let (Callee::Unary(f), [x]) = (c, args) {
            return self.call_lanes(Callee::UnaryLanes(f), *x, 1)[0];
        }
        let mut lanes = [None; BATCH_LANES];
        for (lane, result) in lanes.iter_mut().enumerate() {
            let lane_args: Vec<Value> = args
                .iter()
                .map(|&a| {
                    if self.b.func.dfg.value_type(a).is_vector() {
                        self.b.ins().extractlane(a, lane as u8)
                    } else {
                        a
                    }
                })
                .collect();
            *result = Some(self.call_scalar(c, &lane_args));
        }
        self.vector_of(lanes.map(|l| l.expect("every lane was called")))
    }

    /// A call of a lanes callee ([`Callee::UnaryLanes`], [`Callee::SinCosLanes`]) on the pair
    /// `x`, through a stack slot: the `results` vectors it leaves there.
    fn call_lanes(&mut self, c: Callee, x: Value, results: usize) -> [Value; 2] {
        let slot = *self.lanes_slot.get_or_insert_with(|| {
            self.b
                .create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 32, 4))
        });
        let ptr = self.module.target_config().pointer_type();
        let at = self.b.ins().stack_addr(ptr, slot, 0);
        self.b.ins().store(lane_flags(), x, at, 0);
        self.call_refs(c, &[at]);
        let mut out = [x; 2];
        for (k, v) in out.iter_mut().enumerate().take(results) {
            *v = self
                .b
                .ins()
                .load(self.ty, lane_flags(), at, offset_of(2 * k));
        }
        out
    }

    /// The vector of one value per lane.
    fn vector_of(&mut self, [first, second]: [Value; BATCH_LANES]) -> Value {
        let v = self.b.ins().scalar_to_vector(self.ty, first);
        self.b.ins().insertlane(v, second, 1)
    }

    /// `f(x)` for `f` the sine or the cosine of register `r`'s value `x`: where the function
    /// takes both of that value, the first one's instruction computes the two with one
    /// [`Callee::SinCos`] call and the second one's takes the result.
    fn sin_or_cos(&mut self, f: Func, r: u32, x: Value) -> Value {
        let key = (r, self.versions[r as usize]);
        if let Some(v) = self.partners.remove(&key) {
            return v;
        }
        if !self.sin_cos_pairs.contains(&key) {
            return self.call(Callee::Unary(f), &[x]);
        }
        let (sin, cos) = if self.ty.is_vector() {
            let [sin, cos] = self.call_lanes(Callee::SinCosLanes, x, 2);
            (sin, cos)
        } else {
            self.sin_cos(x)
        };
        let (mine, other) = if f == Func::Sin {
            (sin, cos)
        } else {
            (cos, sin)
        };
        self.partners.insert(key, other);
        mine
    }

    /// The sine and cosine of a scalar `x`, with one call.
    fn sin_cos(&mut self, x: Value) -> (Value, Value) {
        let slot = *self.slot.get_or_insert_with(|| {
            self.b
                .create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3))
        });
        let ptr = self.module.target_config().pointer_type();
        let at = self.b.ins().stack_addr(ptr, slot, 0);
        let sin = self.call_scalar(Callee::SinCos, &[x, at]);
        let cos = self
            .b
            .ins()
            .load(types::F64, MemFlagsData::trusted(), at, 0);
        (sin, cos)
    }

    fn call_scalar(&mut self, c: Callee, args: &[Value]) -> Value {
        let call = self.call_refs(c, args);
        self.b.inst_results(call)[0]
    }

    /// A call instruction of `c`; no value is reused across it.
    fn call_refs(&mut self, c: Callee, args: &[Value]) -> cranelift_codegen::ir::Inst {
        let f = match self.refs.get(&c) {
            Some(&f) => f,
            None => {
                let f = self
                    .module
                    .declare_func_in_func(self.imports[&c], self.b.func);
                self.refs.insert(c, f);
                f
            }
        };
        let call = self.b.ins().call(f, args);
        self.fresh_from = self.at + 1;
        call
    }

    /// A comparison as a mask: an `i8` flag, or in the batch loop an `F64X2` with all bits
    /// of a lane set where it holds.
    fn compare(&mut self, cc: FloatCC, x: Value, y: Value) -> Value {
        let t = self.b.ins().fcmp(cc, x, y);
        if self.ty.is_vector() {
            self.b.ins().bitcast(self.ty, MemFlagsData::new(), t)
        } else {
            t
        }
    }

    /// The negation of [`symdiff_expr::truth`] as a mask: `c` is `0` or NaN. (Built from the
    /// comparisons every host has for vectors: `==` and unordered.)
    fn falsity(&mut self, c: Value) -> Value {
        let zero = self.constant(0.0);
        if !self.ty.is_vector() {
            return self.compare(FloatCC::UnorderedOrEqual, c, zero);
        }
        let is_zero = self.compare(FloatCC::Equal, c, zero);
        let is_nan = self.compare(FloatCC::Unordered, c, c);
        self.b.ins().bor(is_zero, is_nan)
    }

    /// `if mask { a } else { b }`, lane by lane.
    fn choose(&mut self, mask: Value, a: Value, b: Value) -> Value {
        if self.ty.is_vector() {
            self.b.ins().bitselect(mask, a, b)
        } else {
            self.b.ins().select(mask, a, b)
        }
    }

    /// [`symdiff_expr::from_bool`] of the negation of a mask: `0.0` where it is set, else
    /// `1.0`.
    fn false_where(&mut self, mask: Value) -> Value {
        let (one, zero) = (self.constant(1.0), self.constant(0.0));
        self.choose(mask, zero, one)
    }

    fn binary(&mut self, op: BinOp, x: Value, y: Value) -> Value {
        match op {
            BinOp::Add => self.b.ins().fadd(x, y),
            BinOp::Sub => self.b.ins().fsub(x, y),
            BinOp::Mul => self.b.ins().fmul(x, y),
            BinOp::Div => self.b.ins().fdiv(x, y),
            BinOp::Pow => self.call(Callee::Pow, &[x, y]),
        }
    }

    /// Emits `range` of the program's instructions, and stores each `(after, output, dest)`
    /// as soon as its value is final: once instruction `after` ran (`None`: before the first),
    /// so that no value stays live to the end of the function just to be stored.
    fn body(
        &mut self,
        p: &Program,
        range: std::ops::Range<usize>,
        mut dests: Vec<(Option<usize>, Output, Dest)>,
    ) {
        dests.sort_by_key(|d| d.0);
        let mut dests = dests.into_iter().peekable();
        while let Some((_, o, d)) = dests.next_if(|d| d.0.is_none()) {
            self.store(o, d);
        }
        for i in range {
            self.at = i;
            let (instr, check) = (&p.instructions()[i], p.checks()[i]);
            let [a, b, c] = instr.sources();
            let x = a.map(|r| self.get(r));
            let y = b.map(|r| self.get(r));
            let z = c.map(|r| self.get(r));
            let operand = |v: Option<Value>| v.expect("the instruction has this operand");
            let v = match *instr {
                Instr::Binary { op, .. } => self.binary(op, operand(x), operand(y)),
                Instr::BinaryImm { op, imm, .. } => {
                    let c = self.constant(imm);
                    self.binary(op, operand(x), c)
                }
                Instr::ImmBinary { op, imm, .. } => {
                    let c = self.constant(imm);
                    self.binary(op, c, operand(x))
                }
                Instr::Powi { n, .. } => {
                    // Narrow immediates are zero-extended bit patterns.
                    let n = self.b.ins().iconst(types::I32, i64::from(n as u32));
                    self.call(Callee::Powi, &[operand(x), n])
                }
                Instr::Neg { .. } => self.b.ins().fneg(operand(x)),
                Instr::Call { f, a, .. } if f == Func::Sin || f == Func::Cos => {
                    self.sin_or_cos(f, a, operand(x))
                }
                Instr::Call { f, .. } => self.call(Callee::Unary(f), &[operand(x)]),
                Instr::Call2 { f, .. } => self.call(Callee::Binary(f), &[operand(x), operand(y)]),
                Instr::Compare { op, .. } => {
                    let t = self.compare(float_cc(op), operand(x), operand(y));
                    let (one, zero) = (self.constant(1.0), self.constant(0.0));
                    self.choose(t, one, zero)
                }
                // `a and b` is false where either is; `a or b` where both are.
                Instr::And { .. } => {
                    let (p, q) = (self.falsity(operand(x)), self.falsity(operand(y)));
                    let f = self.b.ins().bor(p, q);
                    self.false_where(f)
                }
                Instr::Or { .. } => {
                    let (p, q) = (self.falsity(operand(x)), self.falsity(operand(y)));
                    let f = self.b.ins().band(p, q);
                    self.false_where(f)
                }
                Instr::Not { .. } => {
                    let f = self.falsity(operand(x));
                    let (one, zero) = (self.constant(1.0), self.constant(0.0));
                    self.choose(f, one, zero)
                }
                Instr::Select { .. } => {
                    let f = self.falsity(operand(x));
                    self.choose(f, operand(z), operand(y))
                }
                Instr::Const { imm, .. } => self.constant(imm),
            };
            if check {
                self.check(v);
            }
            self.vals[instr.dst() as usize] = Some(v);
            self.versions[instr.dst() as usize] = i;
            while let Some((_, o, d)) = dests.next_if(|d| d.0 == Some(i)) {
                self.store(o, d);
            }
        }
    }

    fn store(&mut self, o: Output, d: Dest) {
        let v = self.output(o);
        let flags = MemFlagsData::trusted();
        match d {
            Dest::At(base, offset) => {
                self.b.ins().store(flags, v, base, offset);
            }
            Dest::Point { outs, k, offset } => {
                let base = self.column(outs, k, Columns::Outputs);
                let at = self.b.ins().iadd(base, offset);
                self.b.ins().store(lane_flags(), v, at, 0);
            }
        }
    }

    /// The destinations of the outputs that become final in `range` (and, in the first
    /// function, those final from the start): consecutive outputs fill each segment `outs[s]` in
    /// turn (the addresses of the segments this function writes are loaded at its start).
    fn segment_dests(
        &mut self,
        p: &Program,
        outs: Value,
        segments: &[usize],
        range: std::ops::Range<usize>,
    ) -> Vec<(Option<usize>, Output, Dest)> {
        let ptr = self.module.target_config().pointer_type();
        let mut outputs = p.outputs().iter();
        let mut dests = Vec::new();
        for (s, &len) in segments.iter().enumerate() {
            let mut base = None;
            for (j, &o) in (&mut outputs).take(len).enumerate() {
                let after = self.writes.final_write(o);
                let here = match after {
                    Some(i) => range.contains(&i),
                    None => range.start == 0,
                };
                if !here {
                    continue;
                }
                let base = *base.get_or_insert_with(|| {
                    let flags = MemFlagsData::trusted();
                    self.b.ins().load(ptr, flags, outs, offset_of(s))
                });
                dests.push((after, o, Dest::At(base, offset_of(j))));
            }
        }
        dests
    }

    /// Checked variants: sets bit 63 of the flag when `v` is not finite: the exponent bits of a
    /// non-finite f64 are all ones, and adding one unit of the exponent then carries into bit 63
    /// (finite values stay below it).
    fn check(&mut self, v: Value) {
        let Some(flag) = self.flag else { return };
        let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), v);
        let exponent = self
            .b
            .ins()
            .band_imm_s(bits, 0x7ff0_0000_0000_0000u64 as i64);
        let carried = self.b.ins().iadd_imm_s(exponent, 1i64 << 52);
        self.flag = Some(self.b.ins().bor(flag, carried));
    }

    fn word(&mut self) -> Value {
        match self.flag {
            Some(f) => f,
            None => self.b.ins().iconst(types::I64, 0),
        }
    }

    fn output(&mut self, o: Output) -> Value {
        match o {
            Output::Reg(r) => self.get(r),
            Output::Const(c) => self.constant(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of instruction has a lane-wise form: the batch loop compiles (a failure
    /// would silently fall back to one point at a time).
    #[test]
    fn every_instruction_compiles_in_the_batch_loop() {
        if !available() {
            return;
        }
        let e = symdiff_expr::parse(
            "if(x < y and not(x >= 1) or x != y, sin(x)^y + atan2(x, y), x^7 - 1/y) + x^123 + (-x) + y*3 + x^0.5",
        )
        .unwrap();
        let p = Program::new(&[e, symdiff_expr::var("y")], &["x", "y"]).unwrap();
        let kinds = [
            "Binary",
            "BinaryImm",
            "ImmBinary",
            "Powi",
            "Neg",
            "Call {",
            "Call2",
            "Compare",
            "And",
            "Or",
            "Not",
            "Select",
        ];
        let listing = format!("{:?}", p.instructions());
        for kind in kinds {
            assert!(listing.contains(kind), "{kind} missing from {listing}");
        }
        let batch = compile(&p, &[2], Variant::Batch).expect("the batch loop compiles");
        assert!(batch.batch.is_some());
    }
}
