//! Approvals never write a golden that does not load.

use std::fs;
use wire_compat::_support::{self as pending, apply, load, Approver, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Suite};

/// A case renamed by letter case only (`NotFound` -> `Notfound`) is a new case and an
/// orphan. Accepting the new case alone, as its report used to suggest, wrote a golden
/// holding both ids, which fails every case of the file.
#[test]
fn a_rename_by_letter_case_is_approved_whole_or_not_at_all() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    let path = dir.join("alpha.yaml");
    fs::write(&path, "cases:\n  NotFound:\n    message: \"nf\"\n").unwrap();
    let results = Suite::new(&dir)
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || {
            vec![Case::message("Notfound", "nf")]
        }))
        .run_all();
    let report = results
        .iter()
        .find(|(n, _)| n == "alpha::Notfound")
        .unwrap()
        .1
        .as_ref()
        .unwrap_err();
    assert!(
        report.contains("accept alpha::Notfound alpha::NotFound"),
        "the report asks for both approvals:\n{report}"
    );
    let changes: Vec<_> = pending::list(&dir)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    let (new, old): (Vec<_>, Vec<_>) = changes.into_iter().partition(|c| c.id == "Notfound");
    // The new id alone waits for the removal of the old one; the golden is untouched.
    let outcome = apply(&dir, new.clone()).unwrap();
    assert!(
        outcome.applied.is_empty() && outcome.stale.is_empty() && outcome.waiting.len() == 1,
        "{outcome:?}"
    );
    assert!(outcome.waiting[0].1.contains("NotFound"), "{outcome:?}");
    let file = load(&path).unwrap().unwrap();
    assert_eq!(file.cases.len(), 1);
    // Both together: a golden with the new id only, which loads.
    let both: Vec<_> = new.into_iter().chain(old).collect();
    let outcome = apply(&dir, both).unwrap();
    assert_eq!(outcome.applied.len(), 2, "{outcome:?}");
    let file = load(&path).unwrap().unwrap();
    let ids: Vec<&str> = file.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["Notfound"]);
}
