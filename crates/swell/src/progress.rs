//! The progress bar of a report run: drawn on standard error when it is a terminal, hidden
//! otherwise (pipes, CI, tests).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar over `len` steps; hidden unless `enabled` and standard error is a terminal.
///
/// ```
/// let bar = symdiff_swell::progress_bar(3, false);
/// assert!(bar.is_hidden());
/// bar.inc(1);
/// bar.finish_and_clear();
/// ```
pub fn progress_bar(len: u64, enabled: bool) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30.cyan/blue} {pos}/{len} {msg}",
    ) {
        bar.set_style(style);
    }
    bar
}
