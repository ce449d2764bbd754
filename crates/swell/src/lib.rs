//! # symdiff-swell
//!
//! How large does a derivative get? This crate holds the expression families of symdiff's swell
//! analysis and the report that measures them: input, naive, raw and simplified derivative sizes
//! (tree and DAG), the reverse-mode tape, the e-graph, times per phase, Baydin et al.'s Table 1,
//! and SymPy's and SymEngine's figures side by side, as markdown, CSV, JSON and SVG plots.
//!
//! ```
//! use symdiff_rewrite::Size;
//! use symdiff_swell::{measure, Family};
//! let l12 = Family::Logistic.member(12).unwrap();
//! let s = Size::of(&[l12.input]);
//! assert_eq!(s.dag, 36);                     // the map built as a DAG: linear in k
//! assert_eq!(s.tree, 12_283u32.into());      // written out as a tree: exponential
//! let row = measure(&l12, &Default::default());
//! assert!(row.naive.tree > 100_000u32.into()); // the textbook derivative, as a tree
//! assert!(row.simplified.unwrap().dag < 3 * 36); // symdiff's DAG
//! ```
//!
//! The whole report: [`run_report`] (the `symdiff report` subcommand wraps it).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod baydin;
mod csv_out;
mod error;
mod families;
mod findings;
mod format;
mod json_out;
mod markdown;
mod measure;
mod naive;
mod peers;
mod plot;
mod poly;
mod progress;
mod report;
mod row;

pub use baydin::{baydin_rows, BaydinRow, Shown};
pub use csv_out::{render as csv_render, CSV_HEADER};
pub use error::ReportError;
pub use families::{Family, Member, Mode};
pub use findings::findings;
pub use format::{format_count, format_ms, format_ratio, format_usize};
pub use json_out::render as json_render;
pub use markdown::{render as markdown_render, DEFINITIONS};
pub use measure::{measure, MAX_SHOWN_DAG};
pub use naive::naive_derivative;
pub use peers::{PeerRow, Peers, DEFAULT_PEERS_CSV};
pub use plot::{file_name as plot_file_name, render as plot_render};
pub use poly::{Poly, MAX_DEGREE};
pub use progress::progress_bar;
pub use report::{run_report, EngineLimits, PeersSource, ReportData, ReportOptions, ReportSummary};
pub use row::{EGraphSize, Phases, Ratios, Row, Status};
