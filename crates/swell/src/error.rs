//! [`ReportError`]: why a report could not be written.

use std::path::PathBuf;

/// Why [`run_report`](crate::run_report) failed. A family member that hits a limit is *not* an
/// error: it is a row with its stop reason.
///
/// ```
/// use symdiff_swell::ReportError;
/// let e = ReportError::Write {
///     path: "/nope/swell.md".into(),
///     source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
/// };
/// assert_eq!(e.to_string(), "cannot write /nope/swell.md: denied");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The output directory could not be created.
    #[error("cannot create output directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An output file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A plot could not be drawn.
    #[error("cannot draw plot {path}: {message}")]
    Plot {
        /// The SVG file.
        path: PathBuf,
        /// What plotters said.
        message: String,
    },
    /// The peer measurements exist but cannot be read.
    #[error("cannot read peer measurements {path}: {message}")]
    Peers {
        /// The CSV file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}
