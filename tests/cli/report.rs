//! `symdiff report`: the quick report into a temporary directory, and a bad `--out`.

use std::process::Command;

fn symdiff(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn quick_report_writes_files_that_parse() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("reports");
    let out = symdiff(&[
        "report".as_ref(),
        "--quick".as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("logistic map at k = 12"), "{stdout}");

    let md = std::fs::read_to_string(out_dir.join("swell.md")).unwrap();
    assert!(md.starts_with("# Expression swell"));
    for family in [
        "logistic",
        "seed_square",
        "seed_log",
        "prod_sin",
        "nested_sin",
        "exp_sin",
        "poly_pow",
        "rational",
        "neural",
        "rosenbrock",
        "relu_net",
    ] {
        assert!(md.contains(family), "{family} missing from swell.md");
    }

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("swell.json")).unwrap())
            .unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert!(rows.len() >= 30, "{}", rows.len());
    assert!(rows
        .iter()
        .all(|r| r["status"].is_string() && r["input"]["dag"].is_u64()));

    let mut csv = csv::Reader::from_path(out_dir.join("swell.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    assert_eq!(&headers[0], "family");
    let records: Vec<_> = csv.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(records.len(), rows.len());
    assert!(records.iter().all(|r| r.len() == headers.len()));

    let svgs: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    // One plot per family with more than one member (the seed examples and `rational` have one).
    assert_eq!(svgs.len(), 8, "{svgs:?}");
    for svg in svgs {
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(
            text.starts_with("<svg") && text.trim_end().ends_with("</svg>"),
            "{svg:?}"
        );
        assert_eq!(text.matches("<svg").count(), text.matches("</svg>").count());
    }
}

#[test]
fn an_out_dir_that_cannot_be_created_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let bad = file.join("reports");
    let out = symdiff(&[
        "report".as_ref(),
        "--quick".as_ref(),
        "--out".as_ref(),
        bad.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&*bad.to_string_lossy()), "{stderr}");
}
