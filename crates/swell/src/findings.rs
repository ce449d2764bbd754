//! The report's findings: a few sentences computed from the measured figures (nothing here is
//! hard-coded but the wording).

use crate::families::Family;
use crate::format::{big_f64, format_count, format_ms, format_ratio, format_usize};
use crate::report::ReportData;
use crate::row::{Row, Status};
use std::collections::BTreeMap;

/// The findings of a report, one sentence (or two) each.
///
/// ```
/// use symdiff_swell::{findings, measure, Family, ReportData};
/// let rows: Vec<_> = (1..=6)
///     .map(|k| measure(&Family::Logistic.member(k).unwrap(), &Default::default()))
///     .collect();
/// let data = ReportData { rows, ..ReportData::empty() };
/// let text = findings(&data).join(" ");
/// assert!(text.contains("logistic map at k = 6"));
/// ```
pub fn findings(data: &ReportData) -> Vec<String> {
    let mut out = Vec::new();
    logistic(data, &mut out);
    cheap_gradient(data, &mut out);
    simplification(data, &mut out);
    hash_consed_naive(data, &mut out);
    limits(data, &mut out);
    peers(data, &mut out);
    timing(data, &mut out);
    out
}

fn ok_rows(rows: &[&Row]) -> Vec<(usize, usize, usize, f64)> {
    // (n, input dag, simplified dag, naive tree)
    rows.iter()
        .filter_map(|r| {
            let s = r.simplified.as_ref()?;
            Some((r.n, r.input.dag, s.dag, big_f64(&r.naive.tree)))
        })
        .collect()
}

fn logistic(data: &ReportData, out: &mut Vec<String>) {
    let rows = data.family_rows(Family::Logistic);
    let measured = ok_rows(&rows);
    let Some(&(k_max, ..)) = measured.last() else {
        return;
    };
    let headline_k = if measured.iter().any(|m| m.0 == 12) {
        12
    } else {
        k_max
    };
    for k in [headline_k, k_max] {
        let Some(r) = rows.iter().find(|r| r.n == k) else {
            continue;
        };
        let (Some(raw), Some(s)) = (&r.raw, &r.simplified) else {
            continue;
        };
        out.push(format!(
            "For the logistic map at k = {k}, the derivative written out as a tree has {} nodes \
             (naive rules; symdiff's raw derivative unfolds to {}), while symdiff's simplified \
             derivative is a DAG of {} nodes: {} the input's DAG of {} nodes (2× the input is {}).",
            format_count(&r.naive.tree),
            format_count(&raw.tree),
            format_usize(s.dag),
            format_ratio(s.dag as f64 / r.input.dag as f64),
            format_usize(r.input.dag),
            format_usize(2 * r.input.dag),
        ));
        if k == k_max {
            break;
        }
    }
    let over: Vec<String> = measured
        .iter()
        .filter(|(_, input, dag, _)| *dag > 2 * input)
        .map(|(k, input, dag, _)| {
            format!("k = {k} ({})", format_ratio(*dag as f64 / *input as f64))
        })
        .collect();
    let worst = measured
        .iter()
        .map(|(_, input, dag, _)| *dag as f64 / *input as f64)
        .fold(0.0, f64::max);
    if over.is_empty() {
        out.push(format!(
            "Over k = 1..{k_max} the simplified derivative's DAG stays within 2× the input's DAG \
             for every k (largest ratio {}).",
            format_ratio(worst)
        ));
    } else {
        out.push(format!(
            "Over k = 1..{k_max} the simplified derivative's DAG exceeds 2× the input's DAG at {} \
             (largest ratio {}).",
            over.join(", "),
            format_ratio(worst)
        ));
    }
    // Tree: geometric growth per step over the upper half of k; DAG: least-squares slope over
    // every k (single steps are noisy: extraction is a heuristic).
    if measured.len() >= 3 {
        let (k1, _, _, t1) = measured[measured.len() - 1];
        let (k0, _, _, t0) = measured[measured.len() / 2];
        let n = measured.len() as f64;
        let mean_k = measured.iter().map(|m| m.0 as f64).sum::<f64>() / n;
        let mean_d = measured.iter().map(|m| m.2 as f64).sum::<f64>() / n;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for m in &measured {
            sxy += (m.0 as f64 - mean_k) * (m.2 as f64 - mean_d);
            sxx += (m.0 as f64 - mean_k).powi(2);
        }
        out.push(format!(
            "From k = {k0} to k = {k1} the naive derivative's tree grows {} per step, while over \
             k = 1..{k1} symdiff's DAG grows by {:.1} nodes per step (least squares): exponential \
             against linear.",
            format_ratio((t1 / t0).powf(1.0 / (k1 - k0) as f64)),
            sxy / sxx
        ));
    }
}

fn cheap_gradient(data: &ReportData, out: &mut Vec<String>) {
    let mut ratios: Vec<(f64, &Row)> = data
        .rows
        .iter()
        .filter_map(|r| Some((r.ratios.dag?, r)))
        .collect();
    if ratios.is_empty() {
        return;
    }
    ratios.sort_by(|a, b| a.0.total_cmp(&b.0));
    let median = ratios[ratios.len() / 2].0;
    let (worst, worst_row) = ratios[ratios.len() - 1];
    let over3 = ratios.iter().filter(|(r, _)| *r > 3.0).count();
    let mut sentence = format!(
        "Across all {} measured members, the simplified derivative's DAG is at most {} the \
         input's (worst: {}), median {}; {} of them exceed the cheap-gradient bound of 3×",
        ratios.len(),
        format_ratio(worst),
        worst_row.label,
        format_ratio(median),
        over3,
    );
    if over3 > 0 {
        let names: Vec<&str> = ratios
            .iter()
            .rev()
            .filter(|(r, _)| *r > 3.0)
            .take(5)
            .map(|(_, row)| row.label.as_str())
            .collect();
        sentence.push_str(&format!(" (largest: {})", names.join(", ")));
    }
    sentence.push('.');
    out.push(sentence);
}

fn simplification(data: &ReportData, out: &mut Vec<String>) {
    let pairs: Vec<(usize, usize)> = data
        .rows
        .iter()
        .filter_map(|r| Some((r.raw.as_ref()?.dag, r.simplified.as_ref()?.dag)))
        .collect();
    if pairs.is_empty() {
        return;
    }
    let smaller = pairs.iter().filter(|(raw, s)| s < raw).count();
    let larger = pairs.iter().filter(|(raw, s)| s > raw).count();
    let mut savings: Vec<f64> = pairs
        .iter()
        .map(|(raw, s)| *raw as f64 / (*s).max(1) as f64)
        .collect();
    savings.sort_by(f64::total_cmp);
    out.push(format!(
        "Simplification made the DAG smaller than the raw derivative's in {smaller} of {} members \
         (median raw/simplified DAG {}, best {}){}.",
        pairs.len(),
        format_ratio(savings[savings.len() / 2]),
        format_ratio(savings[savings.len() - 1]),
        if larger == 0 {
            "; it never made one larger".to_string()
        } else {
            format!("; it made {larger} larger")
        }
    ));
}

/// The naive derivative built with hash-consing is itself a DAG (Laue's point that swell is
/// unfolding, not differentiation): how does symdiff's result compare with it?
fn hash_consed_naive(data: &ReportData, out: &mut Vec<String>) {
    let pairs: Vec<(&Row, usize)> = data
        .rows
        .iter()
        .filter_map(|r| Some((r, r.simplified.as_ref()?.dag)))
        .collect();
    if pairs.is_empty() {
        return;
    }
    let smaller = pairs.iter().filter(|(r, d)| *d < r.naive.dag).count();
    let mut larger: Vec<(f64, &Row, usize)> = pairs
        .iter()
        .filter(|(r, d)| *d > r.naive.dag)
        .map(|(r, d)| (*d as f64 / r.naive.dag as f64, *r, *d))
        .collect();
    larger.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut sentence = format!(
        "The naive derivative built with hash-consing is already a DAG; symdiff's simplified DAG \
         is smaller than that in {smaller} of {} members and larger in {}",
        pairs.len(),
        larger.len()
    );
    if !larger.is_empty() {
        let worst: Vec<String> = larger
            .iter()
            .take(3)
            .map(|(_, r, d)| {
                format!(
                    "{}: {} against {}",
                    r.label,
                    format_usize(*d),
                    format_usize(r.naive.dag)
                )
            })
            .collect();
        sentence.push_str(&format!(" (largest: {})", worst.join("; ")));
    }
    sentence.push('.');
    out.push(sentence);
}

fn limits(data: &ReportData, out: &mut Vec<String>) {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for r in data.rows.iter().filter(|r| r.status == Status::Limit) {
        // "time limit (104 ms)" and "time limit (100 ms)" are the same limit.
        let kind = r.stop_reason.split(" (").next().unwrap_or(&r.stop_reason);
        *reasons.entry(kind.to_string()).or_default() += 1;
    }
    let errors: Vec<&str> = data
        .rows
        .iter()
        .filter(|r| r.status == Status::Error)
        .map(|r| r.label.as_str())
        .collect();
    let saturated = data.rows.iter().filter(|r| r.status == Status::Ok).count();
    let mut sentence = format!(
        "Simplification saturated for {saturated} of {} members",
        data.rows.len()
    );
    if !reasons.is_empty() {
        let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        sentence.push_str(&format!(
            "; the others stopped at a limit ({}) and still return a correct derivative",
            list.join(", ")
        ));
    }
    if errors.is_empty() {
        sentence.push_str("; no member failed.");
    } else {
        sentence.push_str(&format!(
            "; {} failed: {}.",
            errors.len(),
            errors.join(", ")
        ));
    }
    out.push(sentence);
}

fn peers(data: &ReportData, out: &mut Vec<String>) {
    let Some(peers) = &data.peers else {
        return;
    };
    for (engine, version) in peers.engines() {
        if version.is_empty() {
            let why = peers
                .get(&engine, "diff", "", 0)
                .and_then(|r| r.note.clone())
                .unwrap_or_else(|| "not installed".into());
            out.push(format!(
                "No figures for {engine}: it is missing ({why}); run bench/peers/run.sh where it \
                 can be installed."
            ));
        }
    }
    let ours = data.family_rows(Family::Logistic);
    let k = 12;
    let sympy = peers
        .get("sympy", "diff", "logistic", k)
        .filter(|r| r.is_ok());
    let symengine = peers
        .get("symengine", "diff", "logistic", k)
        .filter(|r| r.is_ok());
    let cse = peers
        .get("sympy", "cse", "logistic", k)
        .filter(|r| r.is_ok());
    let mine = ours
        .iter()
        .find(|r| r.n == k)
        .and_then(|r| r.simplified.as_ref());
    if let (Some(sp), Some(mine)) = (sympy, mine) {
        let mut s = format!(
            "At k = {k}, SymPy's derivative is a tree of {} nodes by SymPy's own count ({} with \
             n-ary sums and products counted as binary nodes), whose distinct subexpressions \
             number {}",
            opt(sp.tree_native),
            opt(sp.tree),
            opt(sp.dag_native),
        );
        if let Some(se) = symengine {
            s.push_str(&format!(
                "; SymEngine's is the same size ({} nodes, {} ms against SymPy's {} ms)",
                opt(se.tree_native),
                se.time_ms.map_or("?".into(), format_ms),
                sp.time_ms.map_or("?".into(), format_ms),
            ));
        }
        if let Some(c) = cse {
            s.push_str(&format!(
                "; SymPy's CSE of it has {} operations (count_ops)",
                opt(c.cse_count_ops)
            ));
        }
        s.push_str(&format!(
            ". symdiff's simplified derivative: a DAG of {} nodes.",
            format_usize(mine.dag)
        ));
        out.push(s);
    }
    for (engine, stage, what) in [
        ("sympy", "diff", "SymPy's diff"),
        ("sympy", "simplify", "SymPy's simplify"),
    ] {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for (family, n, status) in peers.failures(engine, stage) {
            if status == "timeout" {
                if let Some(n) = n {
                    first.entry(family).or_insert(n);
                }
            }
        }
        if !first.is_empty() {
            let list: Vec<String> = first
                .iter()
                .map(|(f, n)| format!("{f} at n = {n}"))
                .collect();
            out.push(format!(
                "{what} hit its time limit on {} (larger n not attempted).",
                list.join(", ")
            ));
        }
    }
}

fn timing(data: &ReportData, out: &mut Vec<String>) {
    let times: Vec<(f64, &Row)> = data
        .rows
        .iter()
        .filter_map(|r| Some((r.time_ms.total?, r)))
        .collect();
    let Some((slowest, row)) = times.iter().max_by(|a, b| a.0.total_cmp(&b.0)) else {
        return;
    };
    let total: f64 = times.iter().map(|t| t.0).sum();
    out.push(format!(
        "symdiff computed all {} derivatives in {} ms in total; the slowest was {} at {} ms.",
        times.len(),
        format_ms(total),
        row.label,
        format_ms(*slowest),
    ));
}

fn opt(v: Option<u64>) -> String {
    v.map_or_else(|| "?".to_string(), |v| format_usize(v as usize))
}
