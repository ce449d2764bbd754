//! `swell.json`: the whole [`ReportData`] (sizes that exceed 2^64 are decimal strings).

use crate::report::ReportData;

/// Renders the report data as pretty-printed JSON.
///
/// ```
/// let data = symdiff_swell::ReportData::empty();
/// let text = symdiff_swell::json_render(&data);
/// let value: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert!(value["rows"].as_array().unwrap().is_empty());
/// ```
pub fn render(data: &ReportData) -> String {
    let mut text = serde_json::to_string_pretty(data).expect("report data serializes");
    text.push('\n');
    text
}
