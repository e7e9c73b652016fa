//! Pending-record format 2: each record names the package whose suite wrote it and
//! the run (`WIRE_COMPAT_RUN`), and `WIRE_COMPAT_FORCE_PASS=1` records drift without
//! failing, so `cargo wire-compat test --accept` can approve exactly what one run saw.

use std::fs;
use std::path::Path;
use wire_compat::_support::{self as pending, Color, Settings, SuiteExt, PENDING_FORMAT};
use wire_compat::{Case, Catalog, Suite};

/// Settings outside CI with these variables of the tool set (and nothing else).
fn settings(vars: &[(&str, &str)]) -> Settings {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Settings::from_values(None, None)
        .with_run(move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
}

/// A goldens folder where `errors::Busy` drifted and `errors::Gone` matches.
fn drifted(dir: &Path, settings: Settings) -> Suite {
    fs::write(
        dir.join("errors.yaml"),
        "cases:\n  Busy:\n    message: \"busy\"\n  Gone:\n    message: \"gone\"\n",
    )
    .unwrap();
    Suite::new(dir)
        .settings(settings)
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("errors", || {
            vec![
                Case::message("Busy", "busy!"),
                Case::message("Gone", "gone"),
            ]
        }))
}

#[test]
fn records_carry_the_package_and_the_run_that_wrote_them() {
    let dir = tempfile::tempdir().unwrap();
    let vars = [("CARGO_PKG_NAME", "api"), ("WIRE_COMPAT_RUN", "run-7.a_b")];
    drifted(dir.path(), settings(&vars)).run_all();
    let records: Vec<_> = pending::list_records(dir.path())
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert_eq!(r.change.trial(), "errors::Busy");
    assert_eq!(r.origin.package.as_deref(), Some("api"));
    assert!(r.is_from_run("run-7.a_b") && !r.is_from_run("run-7"));
    assert!(r.is_of_package("api") && !r.is_of_package("ap"));
    let text = fs::read_to_string(dir.path().join(".pending/errors/Busy.yaml")).unwrap();
    assert!(
        text.contains(&format!("version: {PENDING_FORMAT}")),
        "{text}"
    );
    assert_eq!(PENDING_FORMAT, 2);
    // Without the variables: no run, no package (a binary started by hand).
    drifted(dir.path(), settings(&[])).run_all();
    let r = pending::list_records(dir.path()).pop().unwrap().unwrap();
    assert_eq!(r.origin, pending::Origin::default());
}

/// A tool of format 2 must not misread a record of format 1 (no package, no run):
/// it is refused by name, saying which formats meet.
#[test]
fn a_record_of_format_1_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    drifted(dir.path(), settings(&[])).run_all();
    let path = dir.path().join(".pending/errors/Busy.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let old = text.replace(&format!("version: {PENDING_FORMAT}"), "version: 1");
    assert_ne!(old, text);
    fs::write(&path, old).unwrap();
    let err = pending::list(dir.path())
        .pop()
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("pending format 1") && err.contains("reads format 2"),
        "{err}"
    );
}

#[test]
fn force_pass_records_the_drift_and_passes_the_trial() {
    let dir = tempfile::tempdir().unwrap();
    let vars = [("WIRE_COMPAT_FORCE_PASS", "1"), ("WIRE_COMPAT_RUN", "t1")];
    let (results, notes) = drifted(dir.path(), settings(&vars)).run_all_with_notes();
    assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:?}");
    let records: Vec<_> = pending::list_records(dir.path())
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), 1);
    assert!(records[0].is_from_run("t1"));
    assert!(notes[0].contains("1 change pending"), "{notes:?}");
    // Without the switch the same drift fails.
    let results = drifted(dir.path(), settings(&[])).run_all();
    assert!(results.iter().any(|(_, r)| r.is_err()));
}

/// A drift that could not be recorded cannot be approved later: it fails even when
/// the tool asks for drift to pass; so does any drift in CI, where nothing is recorded.
#[test]
fn force_pass_still_fails_what_it_could_not_record() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".pending"), "a file, not a folder").unwrap();
    let results = drifted(dir.path(), settings(&[("WIRE_COMPAT_FORCE_PASS", "1")])).run_all();
    let busy = &results.iter().find(|(n, _)| n == "errors::Busy").unwrap().1;
    assert!(busy.is_err(), "{results:?}");
    let dir = tempfile::tempdir().unwrap();
    let ci = Settings::from_values(Some("true"), None)
        .with_run(|k| (k == "WIRE_COMPAT_FORCE_PASS").then(|| "1".to_owned()));
    let results = drifted(dir.path(), ci).run_all();
    assert!(results.iter().any(|(_, r)| r.is_err()), "{results:?}");
    assert!(!dir.path().join(".pending").exists());
}

/// A mistyped switch must not silently pass or fail; a token that is not one must not
/// be written into records another run might match.
#[test]
fn a_mangled_run_token_or_switch_fails_the_run() {
    for vars in [
        [("WIRE_COMPAT_FORCE_PASS", "yes")],
        [("WIRE_COMPAT_RUN", "a b")],
        [("WIRE_COMPAT_RUN", "x\n::error::y")],
    ] {
        let s = settings(&vars);
        assert!(s.problem.is_some(), "{vars:?}");
        assert!(!s.force_pass && s.origin.run.is_none(), "{vars:?}");
        let dir = tempfile::tempdir().unwrap();
        let results = drifted(dir.path(), s).run_all();
        let settings_trial = results.iter().find(|(n, _)| n.starts_with("@settings"));
        assert!(
            settings_trial.is_some_and(|(_, r)| r.is_err()),
            "{vars:?}: {results:?}"
        );
    }
}
