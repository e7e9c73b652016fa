//! Inputs that used to pass (or hang) although nothing was checked.

use std::fs;
use wire_compat::_support::{Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Suite};

/// Only a reason makes a tombstone: `retired: false`, `retired: null` and an empty
/// reason used to keep an orphaned entry (and its codes) passing as if retired.
#[test]
fn retired_false_null_or_empty_is_not_a_tombstone() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("alpha.yaml"),
        "cases:\n  A:\n    message: \"a\"\n  Dead:\n    code: 7\n    retired: \"gone in 1.2\"\n  \
         Empty:\n    retired: \" \"\n  False:\n    retired: false\n  Null:\n    retired: null\n",
    )
    .unwrap();
    let results = Suite::new(&dir)
        .settings(Settings::from_values(Some("true"), None))
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || vec![Case::message("A", "a")]))
        .run_all();
    for (name, result) in &results {
        match name.as_str() {
            "alpha::A" | "alpha::Dead" => assert!(result.is_ok(), "{name}: {result:?}"),
            _ => {
                let msg = result.as_ref().expect_err(name);
                assert!(msg.contains("orphan golden"), "{name}: {msg}");
            }
        }
    }
    assert_eq!(results.len(), 5, "{results:?}");
}

/// `UPDATE_GOLDENS=1` passes a drifting trial on the promise of an update; when the
/// update turns out stale (the golden changed during the run, here while the catalog
/// renders) the run used to exit 0 with only a warning.
#[test]
fn update_goldens_with_a_stale_change_fails_the_run() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    let path = dir.join("alpha.yaml");
    fs::write(&path, "cases:\n  A:\n    message: \"old\"\n").unwrap();
    let during = path.clone();
    let results = Suite::new(&dir)
        .settings(Settings::from_values(None, Some("1")))
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", move || {
            // Someone else's edit (a checkout) lands while the suite runs.
            fs::write(&during, "cases:\n  A:\n    message: \"theirs\"\n").unwrap();
            vec![Case::message("A", "new")]
        }))
        .run_all();
    let finish = results
        .iter()
        .find(|(n, _)| n == "@finish")
        .unwrap_or_else(|| panic!("the run passed: {results:?}"));
    let msg = finish.1.as_ref().unwrap_err();
    assert!(msg.contains("alpha::A was not updated"), "{msg}");
    assert!(fs::read_to_string(&path).unwrap().contains("theirs"));
}
