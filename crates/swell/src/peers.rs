//! The peer measurements (SymPy, SymEngine) written by `bench/peers/run.sh`, read back so the
//! report can put them beside symdiff's figures.
//!
//! Sizes there follow the same definitions as ours (see `bench/peers/measure.py`): leaves count
//! 1, an n-ary `Add`/`Mul` with m arguments counts m - 1 binary nodes, `tree` unfolds, `dag`
//! counts distinct subexpressions; `tree_native`/`dag_native` count every SymPy node as 1.

use crate::error::ReportError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The peers' CSV in this repository (`bench/peers/peers.csv`), as seen from the build.
///
/// ```
/// assert!(symdiff_swell::DEFAULT_PEERS_CSV.ends_with("bench/peers/peers.csv"));
/// ```
pub const DEFAULT_PEERS_CSV: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/peers/peers.csv");

/// One row of `peers.csv`: one engine, one stage (`input`, `diff`, `simplify`, `cse`), one member.
///
/// ```
/// use symdiff_swell::PeerRow;
/// let csv = "engine,version,stage,family,n,status,time_ms,tree,dag,tree_ops,dag_ops,tree_native,dag_native,cse_ops,cse_count_ops,note\n\
///            sympy,1.14.0,diff,logistic,12,ok,1059.5,467969,794,233984,769,390146,134,,,\n";
/// let rows = PeerRow::parse(csv.as_bytes()).unwrap();
/// assert_eq!(rows[0].tree_native, Some(390_146));
/// assert_eq!(rows[0].cse_ops, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRow {
    /// `sympy` or `symengine`.
    pub engine: String,
    /// The engine's version (empty when missing).
    pub version: String,
    /// `input`, `diff`, `simplify` or `cse`.
    pub stage: String,
    /// The family name (as [`Family::name`](crate::Family::name)).
    pub family: String,
    /// The member.
    pub n: Option<usize>,
    /// `ok`, `timeout`, `skipped`, `error` or `missing`.
    pub status: String,
    /// Wall-clock time of the stage.
    pub time_ms: Option<f64>,
    /// Tree size (binary counting).
    pub tree: Option<u64>,
    /// DAG size (binary counting).
    pub dag: Option<u64>,
    /// Operator nodes of the tree.
    pub tree_ops: Option<u64>,
    /// Distinct operator nodes.
    pub dag_ops: Option<u64>,
    /// Tree size, every SymPy node counted 1.
    pub tree_native: Option<u64>,
    /// Distinct SymPy nodes.
    pub dag_native: Option<u64>,
    /// Operations of the CSE'd program (binary counting), for stage `cse`.
    pub cse_ops: Option<u64>,
    /// SymPy's `count_ops` of the CSE'd program, for stage `cse`.
    pub cse_count_ops: Option<u64>,
    /// Why a stage has no figures.
    pub note: Option<String>,
}

impl PeerRow {
    /// Parses a `peers.csv`.
    ///
    /// # Errors
    /// A malformed file (the message says which record).
    ///
    /// ```
    /// assert!(symdiff_swell::PeerRow::parse("engine\nsympy\n".as_bytes()).is_err());
    /// ```
    pub fn parse(reader: impl std::io::Read) -> Result<Vec<PeerRow>, String> {
        csv::Reader::from_reader(reader)
            .deserialize()
            .collect::<Result<Vec<PeerRow>, _>>()
            .map_err(|e| e.to_string())
    }

    /// True when the stage produced figures.
    ///
    /// ```
    /// let peers = symdiff_swell::Peers::load(symdiff_swell::DEFAULT_PEERS_CSV.as_ref()).unwrap();
    /// assert!(peers.get("symengine", "diff", "logistic", 20).unwrap().is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

/// All peer measurements and where they came from.
///
/// ```
/// use symdiff_swell::Peers;
/// let peers = Peers::load(symdiff_swell::DEFAULT_PEERS_CSV.as_ref()).unwrap();
/// let d = peers.get("sympy", "diff", "logistic", 12).unwrap();
/// assert_eq!(d.tree_native, Some(390_146)); // DESIGN.md's figure
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peers {
    /// The CSV file read.
    pub path: PathBuf,
    /// Its rows.
    pub rows: Vec<PeerRow>,
}

impl Peers {
    /// Reads a `peers.csv`.
    ///
    /// # Errors
    /// [`ReportError::Peers`] naming the file when it cannot be read or parsed.
    ///
    /// ```
    /// let err = symdiff_swell::Peers::load("no/such/peers.csv".as_ref()).unwrap_err();
    /// assert!(err.to_string().contains("no/such/peers.csv"));
    /// ```
    pub fn load(path: &Path) -> Result<Peers, ReportError> {
        let error = |message: String| ReportError::Peers {
            path: path.to_path_buf(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| error(e.to_string()))?;
        // A directory opens on some systems and then reads as nothing.
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(error("not a file".to_string()));
        }
        let rows = PeerRow::parse(file).map_err(error)?;
        Ok(Peers {
            path: path.to_path_buf(),
            rows,
        })
    }

    /// The row of one engine, stage and member; for an engine that is missing altogether (a
    /// row with status `missing` and no family), that row.
    ///
    /// ```
    /// use symdiff_swell::{PeerRow, Peers};
    /// let csv = "engine,version,stage,family,n,status,time_ms,tree,dag,tree_ops,dag_ops,tree_native,dag_native,cse_ops,cse_count_ops,note\n\
    ///            sympy,,diff,,,missing,,,,,,,,,,python3 not found\n";
    /// let peers = Peers { path: "peers.csv".into(), rows: PeerRow::parse(csv.as_bytes()).unwrap() };
    /// assert_eq!(peers.get("sympy", "diff", "logistic", 3).unwrap().status, "missing");
    /// assert!(peers.get("symengine", "diff", "logistic", 3).is_none());
    /// ```
    pub fn get(&self, engine: &str, stage: &str, family: &str, n: usize) -> Option<&PeerRow> {
        self.rows
            .iter()
            .find(|r| {
                r.engine == engine && r.stage == stage && r.family == family && r.n == Some(n)
            })
            .or_else(|| {
                self.rows
                    .iter()
                    .find(|r| r.engine == engine && r.status == "missing" && r.family.is_empty())
            })
    }

    /// The engines present, with their versions (an empty version: the engine is missing).
    ///
    /// ```
    /// let peers = symdiff_swell::Peers::load(symdiff_swell::DEFAULT_PEERS_CSV.as_ref()).unwrap();
    /// assert_eq!(peers.engines().len(), 2);
    /// ```
    pub fn engines(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in &self.rows {
            if !out.iter().any(|(e, _)| *e == r.engine) {
                out.push((r.engine.clone(), r.version.clone()));
            }
        }
        out
    }

    /// Rows of a status other than `ok` for a stage and engine: (family, n, status).
    ///
    /// ```
    /// let peers = symdiff_swell::Peers::load(symdiff_swell::DEFAULT_PEERS_CSV.as_ref()).unwrap();
    /// assert!(peers.failures("symengine", "diff").is_empty());
    /// ```
    pub fn failures(&self, engine: &str, stage: &str) -> Vec<(&str, Option<usize>, &str)> {
        self.rows
            .iter()
            .filter(|r| r.engine == engine && r.stage == stage && !r.is_ok())
            .map(|r| (r.family.as_str(), r.n, r.status.as_str()))
            .collect()
    }
}
