//! Pending records as a failing run leaves them: the closing summary, the order the
//! tool shows them in, their format check, and a record that cannot be written.

use std::fs;
use wire_compat::_support::{self as pending, Approver, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Suite};

const GOLDEN: &str = "cases:\n  Busy:\n    message: \"busy\"\n  Busy.unicode:\n    message: \"occupé\"\n  Gone:\n    message: \"gone\"\n";

/// A suite outside CI (pending mode) where every case of `errors` drifted.
fn drifted(dir: &std::path::Path, approver: Approver) -> Suite {
    fs::write(dir.join("errors.yaml"), GOLDEN).unwrap();
    Suite::new(dir)
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .approver(approver)
        .shown_dir("goldens")
        .catalog(Catalog::new("errors", || {
            vec![
                Case::message("Busy", "busy!"),
                Case::message("Busy.unicode", "occupé!"),
                Case::message("Gone", "gone!"),
            ]
        }))
}

#[test]
fn a_failing_run_ends_with_one_line_that_counts_and_names_the_review_command() {
    let dir = tempfile::tempdir().unwrap();
    let suite = drifted(dir.path(), Approver::Tool("cargo wire-compat".into()));
    let (results, notes) = suite.run_all_with_notes();
    assert_eq!(results.iter().filter(|(_, r)| r.is_err()).count(), 3);
    assert_eq!(
        notes,
        ["wire-compat: 3 changes pending in 1 golden file; review them with `cargo wire-compat review`"]
    );
    // Without the tool, the line names the command that needs nothing.
    let suite = drifted(
        dir.path(),
        Approver::Rerun {
            package: Some("api".into()),
            target: Some("compat".into()),
        },
    );
    let (_, notes) = suite.run_all_with_notes();
    assert_eq!(
        notes,
        [
            "wire-compat: 3 changes pending in 1 golden file; approve them all with \
          `UPDATE_GOLDENS=1 cargo test -p api --test compat`"
        ]
    );
}

#[test]
fn pending_changes_are_listed_in_the_suites_natural_order() {
    let dir = tempfile::tempdir().unwrap();
    drifted(dir.path(), Approver::Tool("cargo wire-compat".into())).run_all();
    let ids: Vec<String> = pending::list(dir.path())
        .into_iter()
        .map(|c| c.unwrap().id)
        .collect();
    assert_eq!(ids, ["Busy", "Busy.unicode", "Gone"]);
}

#[test]
fn a_record_of_another_format_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    drifted(dir.path(), Approver::Tool("cargo wire-compat".into())).run_all();
    let record = dir.path().join(".pending/errors/Gone.yaml");
    let text = fs::read_to_string(&record).unwrap();
    let version = format!("version: {}", pending::PENDING_FORMAT);
    assert!(text.contains(&version), "{text}");
    let newer = text
        .replace(&version, "version: 99")
        .replace(env!("CARGO_PKG_VERSION"), "9.9.9");
    fs::write(&record, newer).unwrap();
    let listed = pending::list(dir.path());
    assert_eq!(listed.len(), 3, "the other records still list");
    let err = listed
        .into_iter()
        .find_map(Result::err)
        .expect("the foreign record is an error")
        .to_string();
    assert!(err.contains("Gone.yaml"), "{err}");
    assert!(
        err.contains("wire-compat 9.9.9 (pending format 99)"),
        "{err}"
    );
    assert!(err.contains("install the cargo-wire-compat"), "{err}");
}

#[test]
fn a_change_that_cannot_be_recorded_names_the_path_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    // `.pending/errors` is a file, so no record can be created under it (whoever runs).
    fs::create_dir(dir.path().join(".pending")).unwrap();
    fs::write(dir.path().join(".pending/errors"), "not a folder").unwrap();
    let (results, notes) =
        drifted(dir.path(), Approver::Tool("cargo wire-compat".into())).run_all_with_notes();
    let report = results
        .iter()
        .find(|(name, _)| name == "errors::Gone")
        .and_then(|(_, r)| r.clone().err())
        .unwrap();
    assert!(
        report.contains("could not record this change in "),
        "{report}"
    );
    assert!(report.contains(".pending/errors/Gone.yaml"), "{report}");
    assert!(report.contains("will not find it"), "{report}");
    assert!(report.contains("UPDATE_GOLDENS=1 cargo test"), "{report}");
    assert!(notes.is_empty(), "nothing was recorded: {notes:?}");
}
