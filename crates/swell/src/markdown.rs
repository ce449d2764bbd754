//! `swell.md`: findings, the logistic-map headline table, Baydin et al.'s Table 1, one table and
//! one plot per family, and the side-by-side tables with SymPy and SymEngine.

use crate::families::Family;
use crate::format::{format_count, format_ms, format_ratio, format_usize};
use crate::peers::{PeerRow, Peers};
use crate::plot;
use crate::report::ReportData;
use crate::row::{Row, Status};
use std::fmt::Write;

/// How the sizes are counted (shown in the report).
///
/// ```
/// assert!(symdiff_swell::DEFINITIONS.contains("m - 1"));
/// ```
pub const DEFINITIONS: &str = "\
Every operator (`+ - * / ^`, negation, each function) and every leaf (constant, variable) is one \
node; symdiff's operators are binary. **tree** = nodes of the expression written out as a tree \
(a shared subexpression counts every time it is used; exact, however large); **DAG** = distinct \
subexpressions (each shared one once); **depth** = nodes on the longest root-to-leaf path. A \
gradient's entries are counted together: their DAGs share, their trees add up. \
**naive** = the textbook product/chain-rule derivative with only zeros and unit factors dropped \
(what a tree-based system computes before simplifying); **raw** = symdiff after the \
differentiation rules only; **simplified** = symdiff's result after equality saturation and DAG \
extraction; **tape** = entries of a straightforward reverse-mode tape (`symdiff_ad::Tape`), i.e. \
the input's DAG. For SymPy and SymEngine an n-ary sum or product with m arguments counts as m - 1 \
binary nodes and leaves count 1 (SymPy writes `a - b` as `a + (-1)*b` and `a/b` as `a*b^-1`, so \
it pays for those); *native* counts every SymPy node once (`len(preorder_traversal)`).";

/// Renders the whole report.
///
/// ```
/// let md = symdiff_swell::markdown_render(&symdiff_swell::ReportData::empty());
/// assert!(md.starts_with("# Expression swell"));
/// ```
pub fn render(data: &ReportData) -> String {
    let mut md = String::new();
    header(data, &mut md);
    logistic(data, &mut md);
    baydin(data, &mut md);
    families(data, &mut md);
    if let Some(peers) = &data.peers {
        side_by_side(data, peers, &mut md);
    }
    limits(data, &mut md);
    md
}

fn header(data: &ReportData, md: &mut String) {
    let l = &data.limits;
    let _ = writeln!(md, "# Expression swell: how large do derivatives get?\n");
    let _ = writeln!(
        md,
        "Written by `symdiff report` ({}, {} mode). Regenerate with \
         `cargo run --release -- report --out reports/`{}. Engine limits per \
         derivative: {} simplification iterations, {} e-graph nodes, {} ms, extraction `{}`.\n",
        data.generator,
        match data.mode {
            crate::Mode::Quick => "quick",
            crate::Mode::Full => "full",
        },
        if data.peers.is_some() {
            "; peer figures from `bench/peers/run.sh`"
        } else {
            "; no peer figures (run `bench/peers/run.sh` to add SymPy and SymEngine)"
        },
        l.iter_limit,
        format_usize(l.node_limit),
        format_ms(l.time_limit_ms),
        l.extraction,
    );
    let _ = writeln!(md, "## Findings\n");
    for f in &data.findings {
        let _ = writeln!(md, "- {f}");
    }
    let _ = writeln!(md, "\n## How sizes are counted\n\n{DEFINITIONS}\n");
}

fn size_cell(s: Option<&symdiff_rewrite::Size>, tree: bool) -> String {
    match s {
        Some(s) if tree => format_count(&s.tree),
        Some(s) => format_usize(s.dag),
        None => "–".into(),
    }
}

fn peer_cell(row: Option<&PeerRow>, value: impl Fn(&PeerRow) -> Option<String>) -> String {
    match row {
        None => "–".into(),
        Some(r) if r.is_ok() => value(r).unwrap_or_else(|| "–".into()),
        Some(r) => r.status.clone(),
    }
}

fn count(v: Option<u64>) -> Option<String> {
    v.map(|v| format_usize(v as usize))
}

fn logistic(data: &ReportData, md: &mut String) {
    let rows = data.family_rows(Family::Logistic);
    if rows.is_empty() {
        return;
    }
    let peers = data.peers.as_ref();
    let _ = writeln!(
        md,
        "## The logistic map: l_1 = x, l_(k+1) = 4*l_k*(1 - l_k), d/dx\n\n\
         The tree grows exponentially with k; the DAG that symdiff keeps grows linearly. A \
         simplified DAG above 2× the input's is in bold.\n"
    );
    let _ = writeln!(
        md,
        "| k | input DAG | 2× input DAG | naive tree | raw tree | raw DAG | simplified tree | \
         simplified DAG | DAG / input | SymPy tree (native) | SymPy DAG (native) | \
         SymEngine tree (native) | symdiff ms |"
    );
    let _ = writeln!(md, "|{}", "---:|".repeat(13));
    for r in rows {
        let sympy = peers.and_then(|p| p.get("sympy", "diff", "logistic", r.n));
        let symengine = peers.and_then(|p| p.get("symengine", "diff", "logistic", r.n));
        let simplified_dag = match &r.simplified {
            Some(s) if s.dag > 2 * r.input.dag => format!("**{}**", format_usize(s.dag)),
            other => size_cell(other.as_ref(), false),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.n,
            format_usize(r.input.dag),
            format_usize(2 * r.input.dag),
            format_count(&r.naive.tree),
            size_cell(r.raw.as_ref(), true),
            size_cell(r.raw.as_ref(), false),
            size_cell(r.simplified.as_ref(), true),
            simplified_dag,
            r.ratios.dag.map_or("–".into(), format_ratio),
            peer_cell(sympy, |p| count(p.tree_native)),
            peer_cell(sympy, |p| count(p.dag_native)),
            peer_cell(symengine, |p| count(p.tree_native)),
            r.time_ms.total.map_or("–".into(), format_ms),
        );
    }
    let _ = writeln!(
        md,
        "\n![logistic map: size against k](./{})\n",
        plot::file_name(Family::Logistic)
    );
}

fn baydin(data: &ReportData, md: &mut String) {
    if data.baydin.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "## Baydin et al. (2018), Table 1, with symdiff's column\n\n\
         Iterations of the logistic map, their naive symbolic derivative (the textbook rules, \
         written out as a tree), the derivative a computer algebra system's simplifier gives \
         (expanded into monomials), and symdiff's derivative. Sizes are nodes (ops = operations, \
         leaves excluded). The paper prints the last coefficient of l_4' as -1024; the exact \
         expansion has -2048.\n"
    );
    let _ = writeln!(
        md,
        "| n | l_n | naive d/dx | tree (ops) | expanded d/dx | tree (ops) | symdiff d/dx | symdiff DAG (tree) |"
    );
    let _ = writeln!(md, "|---:|---|---|---:|---|---:|---|---:|");
    for b in &data.baydin {
        let (ours, ours_size) = match &b.symdiff {
            Some(s) => (
                code(&s.text),
                format!(
                    "{} ({})",
                    format_usize(s.sizes.dag),
                    format_count(&s.sizes.tree)
                ),
            ),
            None => (
                b.error.clone().unwrap_or_else(|| "error".into()),
                "–".into(),
            ),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} ({}) | {} | {} ({}) | {} | {} |",
            b.n,
            code(&b.function.text),
            code(&b.naive.text),
            format_count(&b.naive.sizes.tree),
            format_count(&b.naive.tree_ops),
            code(&b.expanded.text),
            format_count(&b.expanded.sizes.tree),
            format_count(&b.expanded.tree_ops),
            ours,
            ours_size,
        );
    }
    let _ = writeln!(md);
}

/// Inline code, safe inside a table cell.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|").replace('\n', " "))
}

fn families(data: &ReportData, md: &mut String) {
    let _ = writeln!(
        md,
        "## Every family\n\n\
         *stop* is the e-graph runner's stop reason (`saturated`, or the limit that stopped \
         simplification; the derivative is correct either way). Times in milliseconds: \
         differentiation rules, simplification, extraction, total.\n"
    );
    let single: Vec<&Row> = data.rows.iter().filter(|r| r.family.is_single()).collect();
    let mut groups: Vec<(String, Vec<&Row>, Option<Family>)> = Vec::new();
    if !single.is_empty() {
        groups.push(("Fixed functions".into(), single, None));
    }
    for family in Family::ALL.into_iter().filter(|f| !f.is_single()) {
        let rows = data.family_rows(family);
        if !rows.is_empty() {
            groups.push((
                format!("`{}`: {}", family.name(), family.formula()),
                rows,
                Some(family),
            ));
        }
    }
    for (title, rows, family) in groups {
        let _ = writeln!(md, "### {title}\n");
        if family.is_none() {
            for r in &rows {
                let _ = writeln!(md, "- `{}`: {}", r.label, r.family.formula());
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(
            md,
            "| member | input tree / DAG / depth | naive tree | raw tree / DAG | simplified tree / DAG / depth | \
             tape | e-graph nodes | stop | diff / simp / extract / total ms | DAG / input | raw tree / simplified tree |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        for r in rows {
            let t = &r.time_ms;
            let times = [t.differentiate, t.simplify, t.extract, t.total]
                .map(|v| v.map_or("–".into(), format_ms))
                .join(" / ");
            let stop = match r.status {
                Status::Error => format!("error: {}", r.error.clone().unwrap_or_default()),
                _ => r.stop_reason.clone(),
            };
            let _ = writeln!(
                md,
                "| {} | {} / {} / {} | {} | {} / {} | {} | {} | {} | {} | {} | {} | {} |",
                r.label,
                format_count(&r.input.tree),
                format_usize(r.input.dag),
                r.input.depth,
                format_count(&r.naive.tree),
                size_cell(r.raw.as_ref(), true),
                size_cell(r.raw.as_ref(), false),
                match &r.simplified {
                    Some(s) => format!(
                        "{} / {} / {}",
                        format_count(&s.tree),
                        format_usize(s.dag),
                        s.depth
                    ),
                    None => "–".into(),
                },
                format_usize(r.tape),
                r.egraph
                    .as_ref()
                    .map_or("–".into(), |e| format_usize(e.nodes)),
                stop.replace('|', "\\|"),
                times,
                r.ratios.dag.map_or("–".into(), format_ratio),
                r.ratios.tree.map_or("–".into(), format_ratio),
            );
        }
        if let Some(f) = family {
            let _ = writeln!(
                md,
                "\n![{}: size against n](./{})",
                f.name(),
                plot::file_name(f)
            );
        }
        let _ = writeln!(md);
    }
}

fn side_by_side(data: &ReportData, peers: &Peers, md: &mut String) {
    let engines: Vec<String> = peers
        .engines()
        .into_iter()
        .map(|(e, v)| {
            if v.is_empty() {
                let why = peers
                    .rows
                    .iter()
                    .find(|r| r.engine == e && r.status == "missing")
                    .and_then(|r| r.note.clone())
                    .unwrap_or_else(|| "not installed".into());
                format!("{e}: missing, {why}")
            } else {
                format!("{e} {v}")
            }
        })
        .collect();
    let _ = writeln!(
        md,
        "## Side by side with SymPy and SymEngine\n\n\
         Measured by `bench/peers/run.sh` ({}; file `{}`). Same families, same size definitions \
         (binary counting; see above). SymPy's `diff` runs with a cold cache; `simplify` and \
         `cse` run on its result under a time limit. A cell reads `timeout` when the engine did \
         not finish, `skipped` when a smaller n already timed out, `missing` when the engine is \
         not installed, and – when not measured.\n",
        engines.join(", "),
        peers.path.display(),
    );
    let mut current = None;
    for r in &data.rows {
        let group = if r.family.is_single() {
            None
        } else {
            Some(r.family)
        };
        if current != Some(group) {
            if current.is_some() {
                let _ = writeln!(md);
            }
            current = Some(group);
            let _ = writeln!(
                md,
                "### {}\n\n\
                 | member | symdiff DAG | symdiff tree | symdiff ms | SymPy tree | SymPy DAG | SymPy ms | \
                 SymPy CSE ops | SymPy simplify tree | SymPy simplify ms | SymEngine tree | SymEngine DAG | SymEngine ms |\n\
                 |---|{}",
                group.map_or("Fixed functions", Family::name),
                "---:|".repeat(12)
            );
        }
        let get = |engine: &str, stage: &str| peers.get(engine, stage, r.family.name(), r.n);
        let ms = |p: &PeerRow| p.time_ms.map(format_ms);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.label,
            size_cell(r.simplified.as_ref(), false),
            size_cell(r.simplified.as_ref(), true),
            r.time_ms.total.map_or("–".into(), format_ms),
            peer_cell(get("sympy", "diff"), |p| count(p.tree)),
            peer_cell(get("sympy", "diff"), |p| count(p.dag)),
            peer_cell(get("sympy", "diff"), ms),
            peer_cell(get("sympy", "cse"), |p| count(p.cse_ops)),
            peer_cell(get("sympy", "simplify"), |p| count(p.tree)),
            peer_cell(get("sympy", "simplify"), ms),
            peer_cell(get("symengine", "diff"), |p| count(p.tree)),
            peer_cell(get("symengine", "diff"), |p| count(p.dag)),
            peer_cell(get("symengine", "diff"), ms),
        );
    }
    let _ = writeln!(md);
}

fn limits(data: &ReportData, md: &mut String) {
    let stopped: Vec<&Row> = data
        .rows
        .iter()
        .filter(|r| r.status != Status::Ok)
        .collect();
    let _ = writeln!(md, "## Members that stopped at a limit or failed\n");
    if stopped.is_empty() {
        let _ = writeln!(md, "None: simplification saturated for every member.");
        return;
    }
    for r in stopped {
        let what = match r.status {
            Status::Error => format!("error: {}", r.error.clone().unwrap_or_default()),
            _ => format!("stopped at {}", r.stop_reason),
        };
        let _ = writeln!(md, "- `{}`: {what}", r.label);
    }
}
