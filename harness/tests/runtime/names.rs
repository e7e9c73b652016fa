//! Names that come from the file system or a golden reach trial names and logs only
//! escaped: a line break must not split a trial name (`cargo nextest list` reads one
//! per line) or start a line of its own in a report (a CI runner obeys `::error`).

use std::fs;
use wire_compat::_support::{Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Suite};

fn run(dir: &std::path::Path) -> Vec<(String, Result<(), String>)> {
    Suite::new(dir)
        .settings(Settings::from_values(Some("true"), None))
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || vec![Case::message("A", "a")]))
        .run_all()
}

#[cfg(unix)]
#[test]
fn odd_file_names_are_distinct_one_line_trials() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("alpha.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    for name in [
        &b"\xff.yaml"[..],
        b"\xfe.yaml",
        b"a\nb.yaml",
        b"a\\x0Ab.yaml",
    ] {
        fs::write(dir.join(OsStr::from_bytes(name)), "cases:\n").unwrap();
    }
    let results = run(&dir);
    let files: Vec<&str> = results
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| n.ends_with("::@file"))
        .collect();
    assert_eq!(files.len(), 4, "one trial per entry: {files:?}");
    let mut distinct = files.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{files:?}");
    for (name, result) in &results {
        assert!(!name.contains(['\n', '\r', '\u{fffd}']), "{name:?}");
        if let Err(msg) = result {
            assert!(!msg.contains('\u{fffd}'), "{msg}");
        }
    }
}

#[test]
fn a_field_name_cannot_inject_a_line_into_the_log() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("alpha.yaml"),
        "cases:\n  A:\n    message: \"a\"\n    \"x\\n::error::injected\": 1\n",
    )
    .unwrap();
    let results = run(&dir);
    let msg = results[0].1.as_ref().unwrap_err();
    assert!(msg.contains("wire drift"), "{msg}");
    for line in msg.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "injected line in:\n{msg}"
        );
    }
}
