//! `swell.csv`: one flat record per member (sizes exact, as decimal integers).

use crate::row::Row;
use symdiff_rewrite::Size;

/// The CSV header.
///
/// ```
/// assert_eq!(symdiff_swell::CSV_HEADER[0], "family");
/// ```
pub const CSV_HEADER: [&str; 32] = [
    "family",
    "n",
    "label",
    "vars",
    "status",
    "stop_reason",
    "input_tree",
    "input_dag",
    "input_depth",
    "naive_tree",
    "naive_dag",
    "raw_tree",
    "raw_dag",
    "raw_depth",
    "simplified_tree",
    "simplified_dag",
    "simplified_depth",
    "tape",
    "egraph_nodes",
    "egraph_classes",
    "egraph_iterations",
    "naive_ms",
    "differentiate_ms",
    "simplify_ms",
    "extract_ms",
    "total_ms",
    "ratio_dag",
    "ratio_raw_dag",
    "ratio_tree",
    "ratio_naive_tree_vs_dag",
    "error",
    "derivative",
];

/// Renders the rows as CSV.
///
/// ```
/// use symdiff_swell::{csv_render, measure, Family};
/// let row = measure(&Family::SeedLog.member(1).unwrap(), &Default::default());
/// let text = csv_render(&[row]);
/// let mut reader = csv::Reader::from_reader(text.as_bytes());
/// let record = reader.records().next().unwrap().unwrap();
/// assert_eq!(&record[0], "seed_log");
/// assert_eq!(&record[3], "x1 x2");
/// ```
pub fn render(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).expect("writing to memory");
    for r in rows {
        let mut record: Vec<String> = vec![
            r.family.to_string(),
            r.n.to_string(),
            r.label.clone(),
            r.vars.join(" "),
            r.status.as_str().to_string(),
            r.stop_reason.clone(),
        ];
        let sizes = |s: Option<&Size>, depth: bool| -> Vec<String> {
            let mut v = vec![
                s.map(|s| s.tree.to_string()).unwrap_or_default(),
                s.map(|s| s.dag.to_string()).unwrap_or_default(),
            ];
            if depth {
                v.push(s.map(|s| s.depth.to_string()).unwrap_or_default());
            }
            v
        };
        record.extend(sizes(Some(&r.input), true));
        record.extend(sizes(Some(&r.naive), false));
        record.extend(sizes(r.raw.as_ref(), true));
        record.extend(sizes(r.simplified.as_ref(), true));
        record.push(r.tape.to_string());
        let e = r.egraph.as_ref();
        record.push(e.map(|e| e.nodes.to_string()).unwrap_or_default());
        record.push(e.map(|e| e.classes.to_string()).unwrap_or_default());
        record.push(e.map(|e| e.iterations.to_string()).unwrap_or_default());
        let t = &r.time_ms;
        for v in [t.naive, t.differentiate, t.simplify, t.extract, t.total] {
            record.push(v.map(|v| format!("{v:.4}")).unwrap_or_default());
        }
        let q = &r.ratios;
        for v in [q.dag, q.raw_dag, q.tree, q.naive_tree_vs_dag] {
            record.push(v.map(|v| format!("{v:.6}")).unwrap_or_default());
        }
        record.push(r.error.clone().unwrap_or_default());
        record.push(r.derivative.clone().unwrap_or_default());
        w.write_record(&record).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
}
