//! Measuring one family member: input sizes, the naive tree derivative, symdiff's raw and
//! simplified derivative (via `symdiff-rewrite`), the reverse-mode tape (via `symdiff-ad`), the
//! e-graph, and time per phase.

use crate::families::Member;
use crate::naive::naive_derivative;
use crate::row::{EGraphSize, Phases, Row, Status};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};
use symdiff_expr::{Expr, Sharing};
use symdiff_rewrite::{Options, Size, Stats, StopReason};

/// The largest simplified-derivative DAG whose text a row keeps ([`Row::derivative`]).
///
/// ```
/// use symdiff_swell::{measure, Family};
/// let row = measure(&Family::SeedLog.member(1).unwrap(), &Default::default());
/// assert!(row.derivative.unwrap().contains(';')); // two entries, both shown
/// ```
pub const MAX_SHOWN_DAG: usize = 200;

/// Measures `member`, differentiating with `options` (the report uses the defaults: what a user
/// of `d` and `gradient` gets).
///
/// Never panics and never drops the member: a derivative that stops at a limit is a row with
/// [`Status::Limit`] and the stop reason; an error (or a panic inside the engine) is a row with
/// [`Status::Error`] and the message.
///
/// ```
/// use symdiff_swell::{measure, Family, Status};
/// let row = measure(&Family::Logistic.member(3).unwrap(), &Default::default());
/// assert_eq!(row.input.dag, 9);
/// assert_ne!(row.status, Status::Error);
/// let simplified = row.simplified.unwrap();
/// assert!(simplified.dag <= row.raw.unwrap().dag);
/// assert_eq!(row.tape, 9); // one tape entry per distinct input node
/// ```
pub fn measure(member: &Member, options: &Options) -> Row {
    let input = Size::of(&[member.input]);

    let start = Instant::now();
    let naive: Vec<Expr> = member
        .vars
        .iter()
        .map(|v| naive_derivative(member.input, v))
        .collect();
    let naive_ms = ms(start.elapsed());
    let naive = Size::of(&naive);

    let tape = symdiff_ad::Tape::new(member.input)
        .map(|t| t.len())
        .unwrap_or(input.dag);

    let mut row = Row {
        family: member.family,
        n: member.n,
        label: member.label(),
        vars: member.vars.clone(),
        input,
        naive,
        raw: None,
        simplified: None,
        tape,
        egraph: None,
        status: Status::Error,
        stop_reason: String::new(),
        error: None,
        time_ms: Phases {
            naive: Some(naive_ms),
            ..Phases::default()
        },
        derivative: None,
        ratios: Default::default(),
    };

    match catch_unwind(AssertUnwindSafe(|| differentiate(member, options))) {
        Ok(Ok((entries, stats))) => {
            row.status = match stats.egraph.stop_reason {
                StopReason::Saturated | StopReason::Skipped => Status::Ok,
                _ => Status::Limit,
            };
            row.stop_reason = stats.egraph.stop_reason.to_string();
            row.raw = Some(stats.raw.clone());
            row.simplified = Some(stats.simplified.clone());
            row.egraph = Some(EGraphSize {
                nodes: stats.egraph.nodes,
                classes: stats.egraph.classes,
                iterations: stats.egraph.iterations,
            });
            row.time_ms.differentiate = Some(ms(stats.time.differentiate));
            row.time_ms.simplify = Some(ms(stats.time.simplify));
            row.time_ms.extract = Some(ms(stats.time.extract));
            row.time_ms.total = Some(ms(stats.time.total));
            if stats.simplified.dag <= MAX_SHOWN_DAG {
                row.derivative = Some(
                    entries
                        .iter()
                        .map(|e| e.to_infix(usize::MAX / 2, Sharing::Auto).replace('\n', " "))
                        .collect::<Vec<_>>()
                        .join("; "),
                );
            }
        }
        Ok(Err(e)) => {
            row.stop_reason = "error".into();
            row.error = Some(e.to_string());
        }
        Err(panic) => {
            row.stop_reason = "panic".into();
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            row.error = Some(format!("the derivative engine panicked: {message}"));
        }
    }
    row.compute_ratios();
    row
}

/// symdiff's derivative of the member: `d` for one variable, `gradient` (one e-graph, shared
/// entries) for several.
fn differentiate(
    member: &Member,
    options: &Options,
) -> Result<(Vec<Expr>, Stats), symdiff_rewrite::DiffError> {
    let vars = member.var_refs();
    if let [var] = vars.as_slice() {
        let d = symdiff_rewrite::d_with(&member.input, &[var], options)?;
        Ok((vec![d.expr], d.stats))
    } else {
        let g = symdiff_rewrite::jacobian_with(&[member.input], &vars, options)?;
        Ok((g.entries, g.stats))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
