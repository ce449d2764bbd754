//! The public pipeline: `d`, `d_n`, `gradient`, `jacobian`, `hessian`, `simplify`.
//!
//! Every call runs the same three phases on one e-graph holding all requested results, so that
//! entries of a gradient, Jacobian or Hessian share their subexpressions:
//!
//! 1. **differentiate**: the input (already a DAG) plus one `d` node per requested derivative is
//!    added to the e-graph and the [differentiation rules](crate::DIFFERENTIATION) rewrite every
//!    `d` away. The result extracted now is the *raw* derivative.
//! 2. **simplify**: equality saturation with the [simplification rules](crate::SIMPLIFICATION)
//!    under a [`BackoffScheduler`] and the limits of [`Options`]. Hitting a limit is normal:
//!    every class still holds only correct expressions.
//! 3. **extract**: the smallest DAG found (see [`crate::extract`]). The result is never larger
//!    than the raw derivative, because the raw derivative is still in the e-graph and is kept
//!    if extraction finds nothing smaller.

use crate::analysis::{MathAnalysis, MathGraph};
use crate::dag::{Dag, Extracted};
use crate::differentiate::differentiate;
use crate::error::DiffError;
use crate::extract::{extract, Extraction, Preference};
use crate::normal_form::{prove_constants, NormalForms};
use crate::rules::simplification_rewrites;
use crate::stats::{EGraphStats, PhaseTimes, Size, Stats, StopReason};
use egg::{BackoffScheduler, Id, Language, Rewrite, Runner};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use symdiff_expr::{from_recexpr_roots, to_recexpr_many, try_var, Expr, Math};

static SIMPLIFY: LazyLock<Vec<Rewrite<Math, MathAnalysis>>> =
    LazyLock::new(simplification_rewrites);

/// Limits and choices of a call.
///
/// The defaults bound simplification to 4 iterations, 50,000 e-graph nodes and 100 ms;
/// differentiation and extraction are near-linear in the e-graph (a 20,000-deep chain of sines
/// takes ~0.4 s end to end). Four iterations is a measured choice: on the logistic map, 6 to 10
/// iterations gave *larger* extracted DAGs (greedy extraction does worse on a bigger e-graph)
/// and took 2-5x longer; keeping the best extraction of every iteration recovered the size but
/// not the time. Small results (at most 32 DAG nodes) then get further *rounds* on a fresh
/// e-graph with normal forms, each kept only if strictly smaller, up to 8 rounds and within the
/// same time limit: the work grows with the input's need, not with a fixed iteration count.
///
/// ```
/// use std::time::Duration;
/// let opts = symdiff_rewrite::Options { time_limit: Duration::from_millis(20), ..Default::default() };
/// assert_eq!(opts.iter_limit, symdiff_rewrite::Options::default().iter_limit);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Simplification iterations at most (default 4).
    pub iter_limit: usize,
    /// E-graph nodes at most during simplification (egg checks it between iterations, so the
    /// e-graph can overshoot it within one iteration).
    pub node_limit: usize,
    /// Wall-clock time for simplification at most.
    pub time_limit: Duration,
    /// E-graph nodes at most during differentiation (differentiation must finish to give a
    /// correct result, so this limit is an error, not a stop).
    pub diff_node_limit: usize,
    /// Which extractor picks the result.
    pub extraction: Extraction,
    /// Run the simplification phase at all (false: return the raw derivative).
    pub simplify: bool,
    /// Gradients, Jacobians, Hessians and products (built by symbolic sweeps, see
    /// [`crate::gradient`]) are simplified by equality saturation only when their raw DAG has
    /// at most this many nodes; larger results keep the cheap identities folded while they
    /// were built (like CasADi), so their cost stays linear (default 64). Measured on the scale
    /// benchmark's functions: saturating results of 65 to 1,000 nodes took 2–40 ms (the sweep
    /// itself 0.02–0.6 ms) to remove 0–35% of the nodes, and the unsaturated results are
    /// already no larger than CasADi's.
    pub saturation_limit: usize,
    /// Nodes at most in the DAG a symbolic sweep builds (the function plus every derivative
    /// built): past it, the call fails with [`DiffError::TooLarge`] rather than exhaust memory
    /// (default 20,000,000: a 10^6-node gradient builds ~2.1 million and peaks at ~220 MB).
    pub sweep_node_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            iter_limit: 4,
            node_limit: 50_000,
            time_limit: Duration::from_millis(100),
            diff_node_limit: 2_000_000,
            extraction: Extraction::Best,
            simplify: true,
            saturation_limit: 64,
            sweep_node_limit: 20_000_000,
        }
    }
}

/// A derivative (or a simplified expression) with the statistics of the call.
#[derive(Debug, Clone)]
pub struct Derivative {
    /// The result.
    pub expr: Expr,
    /// What the call measured.
    pub stats: Stats,
}

/// A simplified expression with the statistics of the call.
pub type Simplified = Derivative;

/// Several results extracted together (a gradient, Jacobian or Hessian), row-major.
#[derive(Debug, Clone)]
pub struct Derivatives {
    /// The entries, row-major: `entries[i * cols + j]`.
    pub entries: Vec<Expr>,
    /// Rows (1 for a gradient).
    pub rows: usize,
    /// Columns (the number of variables).
    pub cols: usize,
    /// What the call measured; sizes count shared subexpressions once across all entries.
    pub stats: Stats,
}

impl Derivatives {
    /// The entry at row `i`, column `j`.
    ///
    /// ```
    /// let f = symdiff_expr::parse("x*y").unwrap();
    /// let h = symdiff_rewrite::hessian(&f, &["x", "y"]).unwrap();
    /// assert_eq!(h.get(0, 1).to_string(), "1");
    /// ```
    pub fn get(&self, i: usize, j: usize) -> Expr {
        self.entries[i * self.cols + j]
    }
}

/// Checks that `name` can be differentiated by: a variable name
/// ([`symdiff_expr::check_variable_name`]).
pub(crate) fn variable(name: &str) -> Result<Expr, DiffError> {
    try_var(name).map_err(|_| DiffError::NotAVariable(name.to_string()))
}

/// The derivative of `expr` with respect to `var`, simplified.
///
/// ```
/// let f = symdiff_expr::parse("x^3 - 7*x^2").unwrap();
/// let df = symdiff_rewrite::d(&f, "x").unwrap();
/// assert_eq!(df.expr.to_string(), "x*(3*x - 14)");
/// assert!(df.stats.simplified.dag <= df.stats.raw.dag);
/// assert!(symdiff_rewrite::d(&f, "x+y").is_err());
/// ```
pub fn d(expr: &Expr, var: &str) -> Result<Derivative, DiffError> {
    d_with(expr, &[var], &Options::default())
}

/// The successive partial derivative of `expr` by each of `vars` in turn (`["x", "y"]` is
/// ∂²f/∂x∂y, differentiating by `x` first), with explicit [`Options`].
///
/// ```
/// use symdiff_rewrite::{d_with, Options};
/// let f = symdiff_expr::parse("x^2*y^3").unwrap();
/// let fxy = d_with(&f, &["x", "y"], &Options::default()).unwrap();
/// let v = fxy.expr.eval(&"x=2,y=3".parse().unwrap()).unwrap();
/// assert!((v - 6.0 * 2.0 * 9.0).abs() < 1e-12);
/// ```
pub fn d_with(expr: &Expr, vars: &[&str], options: &Options) -> Result<Derivative, DiffError> {
    if vars.is_empty() {
        return Err(DiffError::Empty("no variable to differentiate by"));
    }
    let mut root = *expr;
    for v in vars {
        root = root.derivative(variable(v)?);
    }
    let (mut exprs, stats) = run(&[*expr], &[root], options)?;
    Ok(Derivative {
        expr: exprs.remove(0),
        stats,
    })
}

/// The `n`-th derivative of `expr` with respect to `var` (`n = 0` gives `expr` simplified).
///
/// ```
/// let f = symdiff_expr::parse("sin(2*x)").unwrap();
/// let d3 = symdiff_rewrite::d_n(&f, "x", 3).unwrap();
/// let v = d3.expr.eval(&"x=0.1".parse().unwrap()).unwrap();
/// assert!((v - (-8.0 * (0.2f64).cos())).abs() < 1e-12);
/// ```
pub fn d_n(expr: &Expr, var: &str, n: usize) -> Result<Derivative, DiffError> {
    if n == 0 {
        return simplify(expr);
    }
    d_with(expr, &vec![var; n], &Options::default())
}

/// Simplifies `expr` (evaluating any `d(var, ...)` it contains first). The result is never
/// larger than the input as a DAG.
///
/// ```
/// let f = symdiff_expr::parse("x*1 + 0*y - (x - x)").unwrap();
/// assert_eq!(symdiff_rewrite::simplify(&f).unwrap().expr.to_string(), "x");
/// ```
pub fn simplify(expr: &Expr) -> Result<Simplified, DiffError> {
    simplify_with(expr, &Options::default())
}

/// [`simplify`] with explicit [`Options`].
pub fn simplify_with(expr: &Expr, options: &Options) -> Result<Simplified, DiffError> {
    let (mut exprs, stats) = run(&[*expr], &[*expr], options)?;
    Ok(Derivative {
        expr: exprs.remove(0),
        stats,
    })
}

/// Simplification rounds at most after the first (see [`run`]).
const MAX_ROUNDS: usize = 8;

/// The largest result (DAG nodes) whose rounds run the [normal-form pass](NormalForms): the
/// pass is bounded but not free, and on large derivatives (the logistic map) collected forms
/// are expansions that extraction rejects anyway.
const NORMAL_FORM_MAX_DAG: usize = 32;

/// Rule iterations of a normal-form round of `simplify`: the pass collects terms itself, so the
/// commutativity rules need fewer iterations to line terms up. The rounds of `d` run the pass
/// alone (no rule iterations): the first pass already ran the rules, and a derivative must stay
/// cheap (the seed example in well under a millisecond).
const ROUND_ITERATIONS: usize = 2;

/// The largest input e-graph (nodes) for which `simplify` runs the zero test
/// ([`prove_constants`](crate::normal_form::prove_constants)): it is bounded per node, but a
/// large input is rarely a constant, and on a 4,800-node sum the test alone took the whole time
/// limit (simplify 36 ms → 140 ms).
const ZERO_TEST_MAX_INPUT: usize = 2_000;

/// The largest e-graph (nodes) on which the zero test runs again after the last iteration.
const ZERO_TEST_MAX_NODES: usize = 10_000;

/// The passes [`saturate`] runs besides the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Passes {
    /// The [normal-form pass](NormalForms).
    normal_forms: bool,
    /// The zero test: classes whose value is provably a constant become that constant.
    zero_test: bool,
}

/// Runs the three phases for `roots` (which may contain `d` nodes); `inputs` are measured as
/// the input size. Then, while the result has at most [`NORMAL_FORM_MAX_DAG`] nodes, simplifies
/// it again on a fresh e-graph with the normal-form pass, keeping the new result only when it
/// is strictly better by [`Preference`] and no larger a DAG than the raw derivative (or, when
/// simplifying, the input) (at most [`MAX_ROUNDS`] rounds, within the time limit).
/// Each round depends only on its input, so such a result is a fixpoint: simplifying it again
/// reruns the round that was already rejected and returns it unchanged (unless a time limit
/// cut a round short). When simplifying (`roots == inputs`), the input itself is the first
/// candidate, and the first pass already uses normal forms when the input is small.
fn run(
    inputs: &[Expr],
    roots: &[Expr],
    options: &Options,
) -> Result<(Vec<Expr>, Stats), DiffError> {
    let (result, stats) = run_rounds(inputs, roots, options)?;
    Ok((defined(result)?, stats))
}

/// `exprs`, or [`DiffError::UndefinedEverywhere`] if one divides a constant by zero: a result
/// that is undefined at every point and that no syntax can write back.
fn defined(exprs: Vec<Expr>) -> Result<Vec<Expr>, DiffError> {
    match symdiff_expr::constant_division_by_zero(&exprs) {
        Some(bad) => Err(DiffError::UndefinedEverywhere(bad.to_string())),
        None => Ok(exprs),
    }
}

/// [`run`] before the check that the result is defined.
fn run_rounds(
    inputs: &[Expr],
    roots: &[Expr],
    options: &Options,
) -> Result<(Vec<Expr>, Stats), DiffError> {
    let start = Instant::now();
    // Differentiating, the first pass runs without normal forms (large raw derivatives keep
    // their factored, shared form); simplifying, every pass decides by the size it starts from.
    // An input that still holds `d` is not a result.
    let simplifying = roots == inputs
        && !inputs.iter().any(|e| {
            e.subexpressions()
                .iter()
                .any(|s| matches!(s.node(), Math::D(_)))
        });
    let first_forms = simplifying && Size::of(inputs).dag <= NORMAL_FORM_MAX_DAG;
    // `simplify` (even of an input holding `d`) proves constants; `d` alone stays cheap.
    let zero_test = roots == inputs;
    let passes = |normal_forms| Passes {
        normal_forms,
        zero_test,
    };
    let (mut result, mut stats, mut preference) =
        run_once(inputs, roots, options, passes(first_forms), None)?;
    if !options.simplify {
        return Ok((result, stats));
    }
    // No result is a larger DAG than the input (when simplifying) or the raw derivative.
    let bound = if simplifying {
        stats.input.dag
    } else {
        stats.raw.dag
    };
    if simplifying {
        let input = Preference::of(inputs);
        if preference >= input || stats.simplified.dag > bound {
            // The input is the best so far: the rounds continue from it (unless the first
            // pass was already the round they would run).
            result = inputs.to_vec();
            stats.simplified = stats.input.clone();
            preference = input;
            if first_forms {
                stats.time.total = start.elapsed();
                return Ok((result, stats));
            }
        }
    }
    for _ in 0..MAX_ROUNDS {
        let Some(remaining) = options.time_limit.checked_sub(start.elapsed()) else {
            break;
        };
        let round_options = Options {
            time_limit: remaining,
            iter_limit: if simplifying {
                options.iter_limit.min(ROUND_ITERATIONS)
            } else {
                0
            },
            ..options.clone()
        };
        if stats.simplified.dag > NORMAL_FORM_MAX_DAG {
            break;
        }
        let (again, round, round_preference) =
            run_once(&result, &result, &round_options, passes(true), Some(bound))?;
        if round_preference >= preference || round.simplified.dag > bound {
            break;
        }
        result = again;
        preference = round_preference;
        stats.simplified = round.simplified;
        stats.egraph.iterations += round.egraph.iterations;
        stats.time.simplify += round.time.simplify;
        stats.time.extract += round.time.extract;
    }
    stats.time.total = start.elapsed();
    Ok((result, stats))
}

/// One pass of the three phases, with the [normal-form pass](NormalForms) or without. The
/// simplified result is kept when it is no worse by [`Preference`] than the raw one and no
/// larger a DAG than `limit` (default, and at least: the raw one's); else the raw one is.
fn run_once(
    inputs: &[Expr],
    roots: &[Expr],
    options: &Options,
    passes: Passes,
    limit: Option<usize>,
) -> Result<(Vec<Expr>, Stats, Preference), DiffError> {
    let start = Instant::now();
    let input = Size::of(inputs);
    let (rec, rec_roots) = to_recexpr_many(roots);
    if rec.len() > options.diff_node_limit {
        return Err(DiffError::TooLarge {
            nodes: rec.len(),
            limit: options.diff_node_limit,
        });
    }
    let mut egraph = MathGraph::new(MathAnalysis);
    let mut ids: Vec<Id> = Vec::with_capacity(rec.len());
    for node in rec.as_ref() {
        ids.push(egraph.add(node.clone().map_children(|c| ids[usize::from(c)])));
    }
    let roots: Vec<Id> = rec_roots.iter().map(|&r| ids[usize::from(r)]).collect();
    let counts = differentiate(&mut egraph, &roots, options.diff_node_limit)?;
    let differentiate_time = start.elapsed();

    let extract_start = Instant::now();
    let raw = extract_exprs(&egraph, &roots, options.extraction)?;
    let mut extract_time = extract_start.elapsed();

    let simplify_start = Instant::now();
    let (egraph, iterations, stop_reason) = if options.simplify {
        saturate(egraph, options, passes, &roots)
    } else {
        (egraph, 0, StopReason::Skipped)
    };
    let simplify_time = simplify_start.elapsed();

    let extract_start = Instant::now();
    let raw_size = Size::of(&raw);
    let raw_preference = Preference::of(&raw);
    let limit = limit.unwrap_or(raw_size.dag).max(raw_size.dag);
    let (result, simplified_size, preference) = if options.simplify {
        let simplified = extract_exprs(&egraph, &roots, options.extraction)?;
        let size = Size::of(&simplified);
        let preference = Preference::of(&simplified);
        if size.dag <= limit && preference <= raw_preference {
            (simplified, size, preference)
        } else {
            (raw.clone(), raw_size.clone(), raw_preference)
        }
    } else {
        (raw.clone(), raw_size.clone(), raw_preference)
    };
    extract_time += extract_start.elapsed();

    let stats = Stats {
        input,
        raw: raw_size,
        simplified: simplified_size,
        egraph: EGraphStats {
            nodes: egraph.total_number_of_nodes(),
            classes: egraph.number_of_classes(),
            diff_rewrites: counts.rewrites,
            iterations,
            stop_reason,
        },
        nonzeros: None,
        time: PhaseTimes {
            differentiate: differentiate_time,
            simplify: simplify_time,
            extract: extract_time,
            total: start.elapsed(),
        },
    };
    Ok((result, stats, preference))
}

/// Equality saturation with the simplification rules under the limits of `options`, with the
/// [normal-form pass](NormalForms) and the zero test before the first iteration (the rules then
/// work on collected forms) and after the last (two passes, not one per iteration), or
/// without them. When the passes before the first iteration prove every root a constant, the
/// rules do not run (the result cannot get smaller).
fn saturate(
    egraph: MathGraph,
    options: &Options,
    passes: Passes,
    roots: &[Id],
) -> (MathGraph, usize, StopReason) {
    let Passes {
        normal_forms,
        zero_test,
    } = passes;
    let zero_test = zero_test && egraph.total_number_of_nodes() <= ZERO_TEST_MAX_INPUT;
    let deadline = Instant::now() + options.time_limit;
    let forms = Rc::new(RefCell::new(NormalForms::default()));
    let hook_forms = Rc::clone(&forms);
    let hook_roots = roots.to_vec();
    let mut runner = Runner::default()
        .with_egraph(egraph)
        .with_iter_limit(options.iter_limit)
        .with_node_limit(options.node_limit)
        .with_time_limit(options.time_limit)
        .with_scheduler(BackoffScheduler::default())
        .with_hook(move |runner| {
            if runner.iterations.is_empty() {
                // The zero test first: it decides on the expressions as given (the
                // collected and normal forms' candidates only add ways to write them).
                if zero_test {
                    prove_constants(&mut runner.egraph, Some(deadline));
                }
                if normal_forms {
                    hook_forms
                        .borrow_mut()
                        .apply(&mut runner.egraph, Some(deadline));
                }
                if all_constant(&runner.egraph, &hook_roots) {
                    return Err(CONSTANT_ROOTS.to_string());
                }
            }
            Ok(())
        })
        .run(SIMPLIFY.iter());
    // The last iteration's new classes get their normal forms and zero tests too, by a quarter
    // of the time limit past it at most (and not when the roots are already constants).
    let finish_by = Some(deadline + options.time_limit / 4);
    if normal_forms && !all_constant(&runner.egraph, roots) {
        forms.borrow_mut().apply(&mut runner.egraph, finish_by);
    }
    if zero_test
        && !all_constant(&runner.egraph, roots)
        && runner.egraph.total_number_of_nodes() <= ZERO_TEST_MAX_NODES
    {
        prove_constants(&mut runner.egraph, finish_by);
    }
    let reason = match runner.stop_reason.as_ref().map(StopReason::from) {
        None => StopReason::Saturated,
        // Nothing is left to simplify.
        Some(StopReason::Other(s)) if s == CONSTANT_ROOTS => StopReason::Saturated,
        // egg reports the size reached; report the limit, as for the other limits.
        Some(StopReason::NodeLimit(_)) => StopReason::NodeLimit(options.node_limit),
        Some(reason) => reason,
    };
    let iterations = runner.iterations.len();
    (runner.egraph, iterations, reason)
}

/// Why [`saturate`] stops before the first iteration.
const CONSTANT_ROOTS: &str = "every root is a constant";

/// True when every root's class holds a constant.
fn all_constant(egraph: &MathGraph, roots: &[Id]) -> bool {
    roots
        .iter()
        .all(|&r| egraph[egraph.find(r)].data.constant.is_some())
}

/// A result built by symbolic sweeps, before simplification: what [`finish`] needs.
pub(crate) struct Built {
    /// The DAG holding the raw result (every node already in the expression store).
    pub dag: Dag,
    /// The entries' roots in `dag`.
    pub roots: Vec<Id>,
    /// The size of the input.
    pub input: Size,
    /// When the call started.
    pub start: Instant,
    /// Time spent building the raw result.
    pub differentiate: Duration,
    /// Structurally non-zero entries.
    pub nonzeros: Option<usize>,
}

/// Simplifies (when the raw result is at most [`Options::saturation_limit`] nodes) and extracts
/// a result built by sweeps; never returns a larger DAG than the raw one.
pub(crate) fn finish(built: Built, options: &Options) -> Result<(Vec<Expr>, Stats), DiffError> {
    let Built {
        dag,
        roots,
        input,
        start,
        differentiate,
        nonzeros,
    } = built;
    let raw_size = Size::of_rec(dag.rec(), &roots);
    let raw = || roots.iter().map(|&r| dag.handle(r)).collect::<Vec<Expr>>();
    let simplify_start = Instant::now();
    let mut extract_time = Duration::ZERO;
    let (result, simplified, egraph_stats) =
        if options.simplify && raw_size.dag <= options.saturation_limit {
            let Extracted { rec, roots } = dag.extract(&roots);
            let mut egraph = MathGraph::new(MathAnalysis);
            let mut ids: Vec<Id> = Vec::with_capacity(rec.len());
            for node in rec.as_ref() {
                ids.push(egraph.add(node.clone().map_children(|c| ids[usize::from(c)])));
            }
            egraph.rebuild();
            let eroots: Vec<Id> = roots.iter().map(|&r| ids[usize::from(r)]).collect();
            let normal_forms = raw_size.dag <= NORMAL_FORM_MAX_DAG;
            let passes = Passes {
                normal_forms,
                zero_test: false,
            };
            let (egraph, iterations, stop_reason) = saturate(egraph, options, passes, &eroots);
            let extract_start = Instant::now();
            let candidate = extract_exprs(&egraph, &eroots, options.extraction)?;
            let size = Size::of(&candidate);
            extract_time = extract_start.elapsed();
            let stats = EGraphStats {
                nodes: egraph.total_number_of_nodes(),
                classes: egraph.number_of_classes(),
                diff_rewrites: 0,
                iterations,
                stop_reason,
            };
            if size.dag <= raw_size.dag {
                (candidate, size, stats)
            } else {
                (raw(), raw_size.clone(), stats)
            }
        } else {
            let reason = if options.simplify {
                StopReason::TooLarge(raw_size.dag)
            } else {
                StopReason::Skipped
            };
            let stats = EGraphStats {
                nodes: 0,
                classes: 0,
                diff_rewrites: 0,
                iterations: 0,
                stop_reason: reason,
            };
            (raw(), raw_size.clone(), stats)
        };
    let simplify_time = simplify_start.elapsed().saturating_sub(extract_time);
    let stats = Stats {
        input,
        raw: raw_size,
        simplified,
        egraph: egraph_stats,
        nonzeros,
        time: PhaseTimes {
            differentiate,
            simplify: simplify_time,
            extract: extract_time,
            total: start.elapsed(),
        },
    };
    Ok((defined(result)?, stats))
}

fn extract_exprs(
    egraph: &MathGraph,
    roots: &[Id],
    how: Extraction,
) -> Result<Vec<Expr>, DiffError> {
    let (rec, ids) = extract(egraph, roots, how).ok_or(DiffError::Extraction)?;
    Ok(from_recexpr_roots(&rec, &ids))
}
