//! End-to-end: a small report into a temporary directory; bad output directories.

use symdiff_swell::{run_report, Family, PeersSource, ReportError, ReportOptions};

#[test]
fn quick_report_of_three_families_writes_parseable_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = ReportOptions::new(dir.path().join("out")).quick();
    options.families = vec![Family::Logistic, Family::SeedLog, Family::NestedSin];
    options.progress = false;
    let summary = run_report(&options).unwrap();
    assert_eq!(summary.members, 8 + 1 + 4);
    assert_eq!(summary.errors, 0);

    let out = dir.path().join("out");
    let md = std::fs::read_to_string(out.join("swell.md")).unwrap();
    assert!(md.contains("## Findings"));
    assert!(md.contains("Baydin"));
    assert!(md.contains("| 12 |"));

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("swell.json")).unwrap()).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 13);
    assert_eq!(json["baydin"].as_array().unwrap().len(), 4);

    let mut csv = csv::Reader::from_path(out.join("swell.csv")).unwrap();
    assert_eq!(csv.records().count(), 13);

    for family in ["logistic", "nested_sin"] {
        let svg = std::fs::read_to_string(out.join(format!("swell_{family}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
    // A single-member family has no plot.
    assert!(!out.join("swell_seed_log.svg").exists());
}

#[test]
fn an_output_directory_that_cannot_be_created_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let out = file.join("reports");
    let err = run_report(&ReportOptions::new(&out)).unwrap_err();
    assert!(matches!(err, ReportError::CreateDir { .. }), "{err:?}");
    assert!(err.to_string().contains(&*out.to_string_lossy()), "{err}");
}

#[test]
fn an_explicit_peer_file_that_is_missing_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = ReportOptions::new(dir.path());
    options.peers = PeersSource::File(dir.path().join("nope.csv"));
    let err = run_report(&options).unwrap_err();
    assert!(err.to_string().contains("nope.csv"), "{err}");
}
