//! The life of pending records: what a killed run leaves is cleaned up, an approved
//! file leaves no folder, and a listing never reports a record another process is
//! accepting or replacing at that moment.

use std::fs;
use std::time::{Duration, SystemTime};
use wire_compat::_support::{self as pending, Change, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Entry, Suite};

fn change(id: &str, new: &str) -> Change {
    Change {
        stem: "alpha".into(),
        id: id.into(),
        old: Some(Entry::new().with("message", "old")),
        new: Some(Entry::new().with("message", new)),
        header: Vec::new(),
    }
}

fn run(dir: &std::path::Path) -> Vec<(String, Result<(), String>)> {
    Suite::new(dir)
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || vec![Case::message("A", "a")]))
        .run_all()
}

#[test]
fn dead_temp_files_of_killed_runs_are_removed_and_live_ones_kept() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("alpha.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    pending::record(&dir, &change("B", "b")).unwrap();
    let folder = dir.join(".pending/alpha");
    let dead = folder.join(".A.yaml.tmp.4242.0");
    let live = folder.join(".A.yaml.tmp.4243.0");
    fs::write(&dead, "half").unwrap();
    fs::write(&live, "being written").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&dead)
        .unwrap()
        .set_modified(old)
        .unwrap();
    run(&dir);
    assert!(
        !dead.exists(),
        "a killed run's temporary file stays forever"
    );
    assert!(live.exists(), "a live writer's temporary file was removed");
}

#[test]
fn the_last_discard_removes_the_folder_and_an_empty_folder_costs_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("alpha.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    pending::record(&dir, &change("A", "x")).unwrap();
    pending::record(&dir, &change("B", "y")).unwrap();
    pending::discard(&dir, "alpha", "A").unwrap();
    assert!(dir.join(".pending/alpha").is_dir(), "B is still pending");
    pending::discard(&dir, "alpha", "B").unwrap();
    assert!(
        !dir.join(".pending/alpha").exists(),
        "an empty folder was left"
    );
    // An empty folder (from an older version) is no pending change: nothing to do.
    fs::create_dir(dir.join(".pending/alpha")).unwrap();
    let results = run(&dir);
    assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:?}");
    assert!(pending::list(&dir).is_empty());
}

/// Two approvals at once: one accepts (discards) and rewrites records while the other
/// lists them. The listing sees each record whole or not at all, never "unreadable"
/// (4 of 60 rounds of two concurrent `accept`s used to exit 1 on it).
#[test]
fn a_listing_racing_with_discards_and_rewrites_reports_no_error() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    let writer_dir = dir.clone();
    let writer = std::thread::spawn(move || {
        for round in 0..400 {
            for id in ["A", "B", "C"] {
                pending::record(&writer_dir, &change(id, &format!("{round}"))).unwrap();
            }
            for id in ["A", "B", "C"] {
                pending::discard(&writer_dir, "alpha", id).unwrap();
            }
        }
    });
    let mut seen = 0;
    while !writer.is_finished() {
        for record in pending::list(&dir) {
            let change = record.unwrap_or_else(|e| panic!("a racing record was reported: {e}"));
            assert!(change.new.is_some());
            seen += 1;
        }
    }
    writer.join().unwrap();
    assert!(pending::list(&dir).is_empty());
    let _ = seen;
}
