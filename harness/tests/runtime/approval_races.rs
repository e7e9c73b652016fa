//! Approvals beside other processes and over awkward folders: a revived retired case,
//! half a rename, a record rewritten while it is approved, a linked goldens folder,
//! lock files of deleted goldens, and an approval that fails half-way.

use std::fs;
use std::path::Path;
use wire_compat::_support::{
    self as pending, apply, load, Approver, Change, Color, FileLock, Settings, SuiteExt,
};
use wire_compat::{Case, Catalog, Entry, Suite};

fn suite(dir: &Path, settings: Settings, cases: Vec<Case>) -> Suite {
    Suite::new(dir)
        .settings(settings)
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", move || cases.clone()))
}

fn change(stem: &str, id: &str, old: Option<&str>, new: &str) -> Change {
    Change {
        stem: stem.into(),
        id: id.into(),
        old: old.map(|o| Entry::new().with("message", o)),
        new: Some(Entry::new().with("message", new)),
        header: Vec::new(),
    }
}

fn goldens() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    (root, dir)
}

/// Reviving a retired case printed `accept alpha::Old`, which then said "no pending
/// change matches": nothing was recorded. Now it is, and both ways of approving work.
#[test]
fn reviving_a_retired_case_records_what_its_approval_accepts() {
    for update in [false, true] {
        let (_root, dir) = goldens();
        let path = dir.join("alpha.yaml");
        fs::write(
            &path,
            "cases:\n  Old:\n    message: \"old\"\n    retired: \"gone in 2.0\"\n",
        )
        .unwrap();
        let cases = vec![Case::message("Old", "back")];
        if update {
            let results = suite(&dir, Settings::from_values(None, Some("1")), cases).run_all();
            assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:?}");
        } else {
            let results = suite(&dir, Settings::from_values(None, None), cases).run_all();
            let report = results[0].1.as_ref().unwrap_err();
            assert!(
                report.contains("cargo wire-compat accept alpha::Old"),
                "{report}"
            );
            let changes: Vec<Change> = pending::list(&dir)
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(changes.len(), 1, "the approval it prints finds nothing");
            let outcome = apply(&dir, changes).unwrap();
            assert_eq!(outcome.applied.len(), 1, "{outcome:?}");
        }
        let file = load(&path).unwrap().unwrap();
        assert_eq!(file.cases[0].entry, Entry::new().with("message", "back"));
    }
}

/// Accepting only the new id of a rename by letter case was reported as stale, "its
/// golden changed since the change was recorded", which is false: it waits for the
/// removal of the old id.
#[test]
fn accepting_only_the_new_id_of_a_rename_says_it_waits_for_the_removal() {
    let (_root, dir) = goldens();
    fs::write(
        dir.join("alpha.yaml"),
        "cases:\n  NotFound:\n    message: \"nf\"\n",
    )
    .unwrap();
    let outcome = apply(&dir, vec![change("alpha", "Notfound", None, "nf")]).unwrap();
    assert!(outcome.stale.is_empty(), "{outcome:?}");
    assert_eq!(outcome.waiting.len(), 1, "{outcome:?}");
    let why = &outcome.waiting[0].1;
    assert!(
        why.contains("`NotFound`") && why.contains("accept alpha::NotFound"),
        "{why}"
    );
}

/// `accept` listed a record, a test run then recorded a newer change of the same case,
/// and `accept` deleted it with the one it approved (28 of 30 rounds). An approval now
/// deletes a record only while it holds what was approved.
#[test]
fn an_approval_never_deletes_a_record_newer_than_what_it_approved() {
    let (_root, dir) = goldens();
    fs::write(dir.join("alpha.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    pending::record(&dir, &change("alpha", "A", Some("a"), "b")).unwrap();
    pending::record(&dir, &change("alpha", "B", None, "x")).unwrap();
    let listed: Vec<Change> = pending::list(&dir)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    // The test run beside it: `A` drifted again.
    pending::record(&dir, &change("alpha", "A", Some("a"), "c")).unwrap();
    let outcome = apply(&dir, listed.clone()).unwrap();
    let approved: Vec<&Change> = outcome.applied.iter().collect();
    let results = pending::discard_approved(&dir, &approved);
    let gone: Vec<bool> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(gone, [false, true]);
    let left: Vec<Change> = pending::list(&dir)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(left, [change("alpha", "A", Some("a"), "c")]);
    // Nothing of the exchange is left behind.
    let names: Vec<_> = fs::read_dir(dir.join(".pending/alpha"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["A.yaml"]);
}

/// A member whose `goldens/` is a symbolic link got its records and approvals written
/// at the link's target, outside the workspace.
#[cfg(unix)]
#[test]
fn a_linked_goldens_folder_gets_no_records_or_approvals() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(
        outside.join("alpha.yaml"),
        "cases:\n  A:\n    message: \"a\"\n",
    )
    .unwrap();
    let dir = root.path().join("goldens");
    std::os::unix::fs::symlink(&outside, &dir).unwrap();
    let results = suite(
        &dir,
        Settings::from_values(None, None),
        vec![Case::message("A", "b")],
    )
    .run_all();
    let report = results[0].1.as_ref().unwrap_err();
    assert!(report.contains("is a symbolic link"), "{report}");
    assert!(
        !outside.join(".pending").exists(),
        "a record was written through the link"
    );
    let err = apply(&dir, vec![change("alpha", "A", Some("a"), "b")]).unwrap_err();
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
    assert_eq!(
        fs::read_to_string(outside.join("alpha.yaml")).unwrap(),
        "cases:\n  A:\n    message: \"a\"\n"
    );
    assert!(!outside.join(".pending").exists());
    let listed = pending::list(&dir);
    assert!(matches!(&listed[..], [Err(_)]), "{listed:?}");
}

/// `.lock` files stayed in `goldens/.pending/` for goldens that no longer exist. An
/// approval removes them, but never one that is held, nor one whose golden exists or
/// still has records.
#[cfg(unix)]
#[test]
fn lock_files_of_goldens_that_no_longer_exist_are_removed() {
    let (_root, dir) = goldens();
    fs::write(dir.join("alpha.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    let pend = dir.join(".pending");
    fs::create_dir(&pend).unwrap();
    for stem in ["gone", "held", "recorded"] {
        fs::write(pend.join(format!("{stem}.lock")), "").unwrap();
    }
    pending::record(&dir, &change("recorded", "X", None, "x")).unwrap();
    let held = FileLock::acquire(&dir, &[".pending"], "held.lock").unwrap();
    apply(&dir, vec![change("alpha", "A", Some("a"), "b")]).unwrap();
    let mut names: Vec<String> = fs::read_dir(&pend)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["alpha.lock", "held.lock", "recorded", "recorded.lock"]
    );
    // A lock removed while another waited on it: the waiter locks the new file.
    drop(held);
    let removed = pending::remove_stale_locks(&dir);
    assert_eq!(removed, [pend.join("held.lock")]);
    let again = FileLock::acquire(&dir, &[".pending"], "held.lock").unwrap();
    assert!(pend.join("held.lock").is_file());
    drop(again);
}

/// A partly failed `accept` (second golden unparseable) reported "0 accepted; 0 golden
/// file(s) rewritten" although the first golden was rewritten. The error now carries
/// what was written and what was not.
#[test]
fn a_partly_failed_approval_says_what_was_written_and_what_was_not() {
    let (_root, dir) = goldens();
    fs::write(dir.join("alpha.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    fs::write(dir.join("beta.yaml"), "cases:\n  A: [unclosed\n").unwrap();
    fs::write(dir.join("gamma.yaml"), "cases:\n  A:\n    message: \"a\"\n").unwrap();
    let err = apply(
        &dir,
        vec![
            change("gamma", "A", Some("a"), "g"),
            change("alpha", "A", Some("a"), "b"),
            change("beta", "A", Some("a"), "b"),
        ],
    )
    .unwrap_err();
    assert_eq!(err.done.files_written, [dir.join("alpha.yaml")]);
    assert_eq!(err.done.applied, [change("alpha", "A", Some("a"), "b")]);
    assert_eq!(err.file, dir.join("beta.yaml"));
    let left: Vec<String> = err.not_applied.iter().map(Change::trial).collect();
    assert_eq!(left, ["beta::A", "gamma::A"]);
    let text = err.to_string();
    assert!(
        text.contains("nothing was written to this file")
            && text.contains("beta.yaml")
            && text.contains("written before it:")
            && text.contains("alpha.yaml (1 change(s) approved)")
            && text.contains("not attempted: gamma"),
        "{text}"
    );
    assert!(fs::read_to_string(dir.join("alpha.yaml"))
        .unwrap()
        .contains("\"b\""));
    assert!(fs::read_to_string(dir.join("gamma.yaml"))
        .unwrap()
        .contains("\"a\""));
}

/// The same race, run for real: a writer records 50 successive changes of one case
/// while an approver lists and drops what it listed, 30 rounds. At the end the case's
/// last change is either still pending or was itself approved: never lost.
#[test]
fn records_written_during_an_approval_are_never_lost() {
    for round in 0..30 {
        let (_root, dir) = goldens();
        let writer = {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for v in 1..=50 {
                    let c = change("alpha", "A", Some("a"), &format!("v{v}"));
                    pending::record(&dir, &c).unwrap();
                }
            })
        };
        let mut approved = Vec::new();
        let drop_listed = |approved: &mut Vec<Change>| {
            let listed: Vec<Change> = pending::list(&dir).into_iter().flatten().collect();
            let refs: Vec<&Change> = listed.iter().collect();
            for (c, gone) in listed.iter().zip(pending::discard_approved(&dir, &refs)) {
                if gone.unwrap() {
                    approved.push(c.clone());
                }
            }
        };
        while !writer.is_finished() {
            drop_listed(&mut approved);
        }
        writer.join().unwrap();
        let last = change("alpha", "A", Some("a"), "v50");
        let left: Vec<Change> = pending::list(&dir)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(
            left == [last.clone()] || (left.is_empty() && approved.contains(&last)),
            "round {round}: left {left:?}, approved {} changes",
            approved.len()
        );
    }
}
