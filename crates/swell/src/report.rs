//! [`run_report`]: measure every family member and write `swell.md`, `swell.csv`, `swell.json`
//! and one SVG plot per family into a directory. The `symdiff report` subcommand is a thin
//! wrapper around it.

use crate::baydin::{baydin_rows, BaydinRow};
use crate::error::ReportError;
use crate::families::{Family, Mode};
use crate::findings::findings;
use crate::measure::measure;
use crate::peers::{Peers, DEFAULT_PEERS_CSV};
use crate::progress::progress_bar;
use crate::row::{Row, Status};
use crate::{csv_out, json_out, markdown, plot};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the peer measurements come from.
///
/// ```
/// let opts = symdiff_swell::ReportOptions::new("out");
/// assert_eq!(opts.peers, symdiff_swell::PeersSource::Auto);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PeersSource {
    /// `bench/peers/peers.csv` under the current directory if it exists, else the repository's
    /// ([`DEFAULT_PEERS_CSV`]); no peer columns when neither exists.
    #[default]
    Auto,
    /// This file (an error if it cannot be read).
    File(PathBuf),
    /// No peer columns.
    Off,
}

/// What [`run_report`] measures and where it writes.
///
/// ```
/// use symdiff_swell::{Mode, ReportOptions};
/// let opts = ReportOptions::new("reports").quick();
/// assert_eq!(opts.mode, Mode::Quick);
/// assert_eq!(opts.out, std::path::PathBuf::from("reports"));
/// ```
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The output directory (created if missing).
    pub out: PathBuf,
    /// Every member, or the quick subset.
    pub mode: Mode,
    /// The peer measurements to merge.
    pub peers: PeersSource,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    /// The derivative engine's limits (default: what `d` and `gradient` use).
    pub diff: symdiff_rewrite::Options,
    /// The families to measure (default: all).
    pub families: Vec<Family>,
}

impl ReportOptions {
    /// Full report of every family into `out`, peers auto-detected, progress bar on.
    ///
    /// ```
    /// let opts = symdiff_swell::ReportOptions::new("out");
    /// assert_eq!(opts.families.len(), symdiff_swell::Family::ALL.len());
    /// ```
    pub fn new(out: impl Into<PathBuf>) -> ReportOptions {
        ReportOptions {
            out: out.into(),
            mode: Mode::Full,
            peers: PeersSource::Auto,
            progress: true,
            diff: symdiff_rewrite::Options::default(),
            families: Family::ALL.to_vec(),
        }
    }

    /// The same options in [`Mode::Quick`].
    ///
    /// ```
    /// let opts = symdiff_swell::ReportOptions::new("out").quick();
    /// assert_eq!(opts.mode, symdiff_swell::Mode::Quick);
    /// ```
    pub fn quick(mut self) -> ReportOptions {
        self.mode = Mode::Quick;
        self
    }
}

/// The limits the derivatives were computed with, as recorded in the report.
///
/// ```
/// let limits = symdiff_swell::EngineLimits::of(&Default::default());
/// assert_eq!(limits.extraction, "Best");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngineLimits {
    /// Simplification iterations at most.
    pub iter_limit: usize,
    /// E-graph nodes at most.
    pub node_limit: usize,
    /// Simplification time at most, in milliseconds.
    pub time_limit_ms: f64,
    /// The extractor.
    pub extraction: String,
}

impl EngineLimits {
    /// The limits of an engine configuration.
    ///
    /// ```
    /// let l = symdiff_swell::EngineLimits::of(&Default::default());
    /// assert!(l.iter_limit > 0);
    /// ```
    pub fn of(options: &symdiff_rewrite::Options) -> EngineLimits {
        EngineLimits {
            iter_limit: options.iter_limit,
            node_limit: options.node_limit,
            time_limit_ms: options.time_limit.as_secs_f64() * 1e3,
            extraction: format!("{:?}", options.extraction),
        }
    }
}

/// Everything a report holds; `swell.json` is this value.
///
/// ```
/// let data = symdiff_swell::ReportData::empty();
/// assert!(data.peers.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// The crate and version that wrote it.
    pub generator: String,
    /// Quick or full.
    pub mode: Mode,
    /// The derivative engine's limits.
    pub limits: EngineLimits,
    /// One row per member, families in order, `n` ascending.
    pub rows: Vec<Row>,
    /// Baydin et al.'s Table 1 with symdiff's column.
    pub baydin: Vec<BaydinRow>,
    /// The peer measurements, when present.
    pub peers: Option<Peers>,
    /// Findings computed from the figures.
    pub findings: Vec<String>,
}

impl ReportData {
    /// A report without rows, Baydin table, peers or findings (default limits, full mode): a
    /// base for building one by hand.
    ///
    /// ```
    /// let data = symdiff_swell::ReportData::empty();
    /// assert!(data.rows.is_empty() && data.findings.is_empty());
    /// ```
    pub fn empty() -> ReportData {
        let diff = symdiff_rewrite::Options::default();
        ReportData {
            generator: format!("symdiff-swell {}", env!("CARGO_PKG_VERSION")),
            mode: Mode::Full,
            limits: EngineLimits::of(&diff),
            rows: Vec::new(),
            baydin: Vec::new(),
            peers: None,
            findings: Vec::new(),
        }
    }

    /// The rows of one family.
    ///
    /// ```
    /// use symdiff_swell::{measure, Family, ReportData};
    /// let rows = vec![measure(&Family::Rational.member(1).unwrap(), &Default::default())];
    /// let data = ReportData { rows, ..ReportData::empty() };
    /// assert_eq!(data.family_rows(Family::Rational).len(), 1);
    /// assert!(data.family_rows(Family::Logistic).is_empty());
    /// ```
    pub fn family_rows(&self, family: Family) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.family == family).collect()
    }
}

/// What a report run wrote.
///
/// ```
/// let dir = std::env::temp_dir().join("symdiff-swell-doc-summary");
/// let mut opts = symdiff_swell::ReportOptions::new(&dir).quick();
/// opts.families = vec![symdiff_swell::Family::SeedSquare];
/// let summary = symdiff_swell::run_report(&opts).unwrap();
/// assert_eq!((summary.members, summary.errors), (1, 0));
/// assert!(summary.files.iter().any(|f| f.ends_with("swell.md")));
/// ```
#[derive(Debug, Clone)]
pub struct ReportSummary {
    /// The output directory.
    pub out: PathBuf,
    /// Every file written.
    pub files: Vec<PathBuf>,
    /// Members measured.
    pub members: usize,
    /// Members whose simplification stopped at a limit.
    pub limited: usize,
    /// Members whose derivative failed.
    pub errors: usize,
    /// The peer CSV merged, if any.
    pub peers: Option<PathBuf>,
    /// The findings (as in `swell.md`).
    pub findings: Vec<String>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

/// Measures the families and writes the report files into `options.out`.
///
/// A member that hits a limit or fails is reported with its stop reason, never dropped.
///
/// ```no_run
/// let summary = symdiff_swell::run_report(&symdiff_swell::ReportOptions::new("reports").quick())?;
/// println!("{} members, files: {:?}", summary.members, summary.files);
/// # Ok::<(), symdiff_swell::ReportError>(())
/// ```
///
/// # Errors
/// [`ReportError`] naming the path when the output directory cannot be created or a file cannot
/// be written, or when an explicitly given peer CSV cannot be read.
pub fn run_report(options: &ReportOptions) -> Result<ReportSummary, ReportError> {
    let start = Instant::now();
    prepare_dir(&options.out)?;
    let peers = load_peers(&options.peers)?;

    let members: Vec<_> = options
        .families
        .iter()
        .flat_map(|f| f.members(options.mode))
        .collect();
    let bar = progress_bar(members.len() as u64 + 1, options.progress);
    let mut rows = Vec::with_capacity(members.len());
    for member in &members {
        bar.set_message(member.label());
        rows.push(measure(member, &options.diff));
        bar.inc(1);
    }
    bar.set_message("Baydin et al. Table 1");
    let baydin = baydin_rows(&options.diff);
    bar.inc(1);
    bar.finish_and_clear();

    let mut data = ReportData {
        mode: options.mode,
        limits: EngineLimits::of(&options.diff),
        rows,
        baydin,
        peers,
        ..ReportData::empty()
    };
    data.findings = findings(&data);

    let out = &options.out;
    let mut files = Vec::new();
    let mut write = |name: &str, contents: String| -> Result<(), ReportError> {
        let path = out.join(name);
        std::fs::write(&path, contents).map_err(|source| ReportError::Write {
            path: path.clone(),
            source,
        })?;
        files.push(path);
        Ok(())
    };
    write("swell.md", markdown::render(&data))?;
    write("swell.csv", csv_out::render(&data.rows))?;
    write("swell.json", json_out::render(&data))?;
    for family in &options.families {
        if let Some(svg) = plot::render(&data, *family, out)? {
            write(&plot::file_name(*family), svg)?;
        }
    }

    Ok(ReportSummary {
        out: out.clone(),
        files,
        members: data.rows.len(),
        limited: data
            .rows
            .iter()
            .filter(|r| r.status == Status::Limit)
            .count(),
        errors: data
            .rows
            .iter()
            .filter(|r| r.status == Status::Error)
            .count(),
        peers: data.peers.as_ref().map(|p| p.path.clone()),
        findings: data.findings,
        elapsed: start.elapsed(),
    })
}

/// Creates the output directory and checks that a file can be written there, before any
/// measuring (so an unwritable `--out` fails at once, naming the path).
fn prepare_dir(dir: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let probe = dir.join(".swell-write-check");
    std::fs::write(&probe, b"").map_err(|source| ReportError::Write {
        path: probe.clone(),
        source,
    })?;
    // Best effort: the probe is empty and hidden if it cannot be removed.
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn load_peers(source: &PeersSource) -> Result<Option<Peers>, ReportError> {
    match source {
        PeersSource::Off => Ok(None),
        PeersSource::File(path) => Peers::load(path).map(Some),
        PeersSource::Auto => {
            let local = Path::new("bench/peers/peers.csv");
            let path = if local.is_file() {
                local.to_path_buf()
            } else {
                PathBuf::from(DEFAULT_PEERS_CSV)
            };
            // A present but unreadable CSV in auto mode still gives a report, without peers.
            Ok(path
                .is_file()
                .then(|| Peers::load(&path).ok())
                .flatten()
                .map(|mut peers| {
                    // Recorded repository-relative, not as this machine's absolute path.
                    peers.path = PathBuf::from("bench/peers/peers.csv");
                    peers
                }))
        }
    }
}
