//! Nothing under the goldens folder is followed through a symbolic link: a link in
//! `.pending` (committed with `git add -f`, or two worktrees sharing one folder) must
//! not make a passing run delete, a failing run write, an approval delete, or a lock
//! create a file anywhere else. Each test plants a link to an `outside` folder holding
//! bait files named as the harness would name them, runs the suite or an approval, and
//! checks that `outside` is byte for byte what it was.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use wire_compat::_support::{self as pending, apply, Change, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Entry, Suite};

/// A goldens folder whose `alpha.yaml` pins `A` (passing) and `B` (drifting, so a
/// pending run records it), and an `outside` folder next to it.
fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    let outside = root.path().join("outside");
    fs::create_dir(&dir).unwrap();
    fs::create_dir(&outside).unwrap();
    fs::write(
        dir.join("alpha.yaml"),
        "cases:\n  A:\n    message: \"a\"\n  B:\n    message: \"old b\"\n",
    )
    .unwrap();
    (root, dir, outside)
}

fn suite(dir: &Path) -> Suite {
    Suite::new(dir)
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || {
            vec![Case::message("A", "a"), Case::message("B", "new b")]
        }))
}

/// Every file under `dir` with its bytes (links as their target), for before/after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir_like(dir) {
        let meta = fs::symlink_metadata(&e).unwrap();
        let bytes = if meta.file_type().is_symlink() {
            fs::read_link(&e)
                .unwrap()
                .into_os_string()
                .into_encoded_bytes()
        } else if meta.is_file() {
            fs::read(&e).unwrap()
        } else {
            b"<dir>".to_vec()
        };
        out.insert(e.strip_prefix(dir).unwrap().to_owned(), bytes);
    }
    out
}

fn walkdir_like(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            out.extend(walkdir_like(&p));
        }
        out.push(p);
    }
    out
}

/// Bait named like pending records of `alpha` and its lock.
fn bait(outside: &Path) {
    fs::create_dir_all(outside.join("alpha")).unwrap();
    fs::write(outside.join("alpha/A.yaml"), "precious a").unwrap();
    fs::write(outside.join("alpha/B.yaml"), "precious b").unwrap();
    fs::write(outside.join("A.yaml"), "precious top a").unwrap();
    fs::write(outside.join("B.yaml"), "precious top b").unwrap();
}

fn b_result(results: &[(String, Result<(), String>)]) -> &Result<(), String> {
    &results.iter().find(|(n, _)| n == "alpha::B").unwrap().1
}

#[test]
fn a_linked_pending_folder_is_neither_written_nor_deleted_through() {
    let (_root, dir, outside) = fixture();
    bait(&outside);
    symlink(&outside, dir.join(".pending")).unwrap();
    let before = snapshot(&outside);
    // A run where A passes (it used to delete `<link>/alpha/A.yaml`) and B fails (it
    // used to overwrite `<link>/alpha/B.yaml`).
    let results = suite(&dir).run_all();
    let b = b_result(&results).as_ref().unwrap_err();
    assert!(
        b.contains("could not record") && b.contains("symbolic link"),
        "{b}"
    );
    assert_eq!(
        snapshot(&outside),
        before,
        "a run changed the linked folder"
    );
    // An approval of B, then a discard of A's record.
    let change = Change {
        stem: "alpha".into(),
        id: "B".into(),
        old: Some(Entry::new().with("message", "old b")),
        new: Some(Entry::new().with("message", "new b")),
        header: Vec::new(),
    };
    assert!(pending::record(&dir, &change).is_err());
    assert!(
        apply(&dir, vec![change]).is_err(),
        "the lock is in the link"
    );
    assert!(pending::discard(&dir, "alpha", "A").is_err());
    let listed = pending::list(&dir);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let e = listed[0].as_ref().unwrap_err().to_string();
    assert!(e.contains("symbolic link"), "{e}");
    assert_eq!(
        snapshot(&outside),
        before,
        "an approval changed the linked folder"
    );
}

#[test]
fn a_linked_folder_of_one_golden_file_is_neither_written_nor_deleted_through() {
    let (_root, dir, outside) = fixture();
    bait(&outside);
    fs::create_dir(dir.join(".pending")).unwrap();
    symlink(outside.join("alpha"), dir.join(".pending/alpha")).unwrap();
    let before = snapshot(&outside);
    let results = suite(&dir).run_all();
    assert!(b_result(&results)
        .as_ref()
        .unwrap_err()
        .contains("symbolic link"));
    assert!(pending::discard(&dir, "alpha", "A").is_err());
    let listed = pending::list(&dir);
    assert!(
        listed.len() == 1 && listed[0].is_err(),
        "the link is one error: {listed:?}"
    );
    assert_eq!(snapshot(&outside), before);
}

#[test]
fn a_linked_record_is_replaced_or_removed_as_a_link_never_followed() {
    let (_root, dir, outside) = fixture();
    bait(&outside);
    fs::create_dir_all(dir.join(".pending/alpha")).unwrap();
    symlink(outside.join("A.yaml"), dir.join(".pending/alpha/A.yaml")).unwrap();
    symlink(outside.join("B.yaml"), dir.join(".pending/alpha/B.yaml")).unwrap();
    let before = snapshot(&outside);
    let listed = pending::list(&dir);
    assert!(
        listed.iter().all(|r| r.is_err()),
        "links are not read: {listed:?}"
    );
    let results = suite(&dir).run_all();
    assert!(b_result(&results).is_err());
    assert_eq!(snapshot(&outside), before);
    // B's link was replaced by a real record; A's link was removed as a link.
    let b = fs::symlink_metadata(dir.join(".pending/alpha/B.yaml")).unwrap();
    assert!(b.is_file(), "B's record is a file of its own now");
    assert!(!dir.join(".pending/alpha/A.yaml").exists());
}

#[test]
fn a_linked_lock_file_creates_nothing_outside() {
    let (_root, dir, outside) = fixture();
    fs::create_dir(dir.join(".pending")).unwrap();
    let target = outside.join("created-by-the-lock");
    symlink(&target, dir.join(".pending/alpha.lock")).unwrap();
    let change = Change {
        stem: "alpha".into(),
        id: "B".into(),
        old: Some(Entry::new().with("message", "old b")),
        new: Some(Entry::new().with("message", "new b")),
        header: Vec::new(),
    };
    let e = apply(&dir, vec![change]).unwrap_err().to_string();
    assert!(e.contains("symbolic link"), "{e}");
    assert!(!target.exists(), "the lock created a file through its link");
    let golden = fs::read_to_string(dir.join("alpha.yaml")).unwrap();
    assert!(
        golden.contains("old b"),
        "nothing was approved without the lock"
    );
}
