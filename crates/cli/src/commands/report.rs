//! `symdiff report [--out DIR] [--quick]`: the expression-swell report (a thin wrapper around
//! `symdiff_swell::run_report`).

use crate::error::CliError;
use crate::output;
use std::path::PathBuf;

/// Arguments of `symdiff report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The directory to write `swell.md`, `swell.csv`, `swell.json` and the SVG plots into
    /// (created if missing).
    #[arg(long, short, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
    /// Measure a small subset of every family (well under 30 s) instead of every member.
    #[arg(long)]
    pub quick: bool,
    /// Merge these peer measurements (default: `bench/peers/peers.csv` when present).
    #[arg(long, value_name = "CSV")]
    pub peers: Option<PathBuf>,
    /// Leave out the SymPy and SymEngine columns.
    #[arg(long, conflicts_with = "peers")]
    pub no_peers: bool,
}

/// Runs `symdiff report`: writes the files, then prints the findings and what was written.
pub fn run(args: Args) -> Result<(), CliError> {
    let mut options = symdiff_swell::ReportOptions::new(&args.out);
    if args.quick {
        options = options.quick();
    }
    options.peers = match (args.peers, args.no_peers) {
        (Some(path), _) => symdiff_swell::PeersSource::File(path),
        (None, true) => symdiff_swell::PeersSource::Off,
        (None, false) => symdiff_swell::PeersSource::Auto,
    };
    let summary = symdiff_swell::run_report(&options).map_err(|e| match e {
        // The user named a directory that cannot be made, or a peer file that cannot be read.
        symdiff_swell::ReportError::CreateDir { .. } | symdiff_swell::ReportError::Peers { .. } => {
            CliError::input(e.to_string())
        }
        _ => CliError::failed(e.to_string()),
    })?;
    let mut lines: Vec<String> = summary.findings.iter().map(|f| format!("- {f}")).collect();
    lines.push(format!(
        "{} members ({} stopped at a limit, {} failed) in {:.1} s; wrote {} files to {}",
        summary.members,
        summary.limited,
        summary.errors,
        summary.elapsed.as_secs_f64(),
        summary.files.len(),
        summary.out.display(),
    ));
    output::print(&lines.join("\n"))
}
