//! `accept` and `reject`: apply pending changes to the goldens, or drop them, or
//! (with `--dry-run`) say what either would do.

use crate::select::{Names, Pending};
use crate::status::Status;
use crate::streams::Streams;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wire_compat::_support::{apply, discard_all, Change};

/// A word for what a change does, for listings.
pub fn kind(c: &Change) -> &'static str {
    match (&c.old, &c.new) {
        (None, Some(_)) => "new case",
        (Some(_), None) => "removed case",
        _ => "changed",
    }
}

/// The changes of one goldens folder: how the folder and its member are shown.
struct Group {
    shown: String,
    member: String,
    changes: Vec<Change>,
}

/// The changes grouped by goldens folder, in the order given.
fn by_folder(items: Vec<Pending>) -> BTreeMap<PathBuf, Group> {
    let mut groups: BTreeMap<PathBuf, Group> = BTreeMap::new();
    for p in items {
        let member = p.goldens.member().to_owned();
        groups
            .entry(p.goldens.dir)
            .or_insert_with(|| Group {
                shown: p.goldens.shown,
                member,
                changes: Vec::new(),
            })
            .changes
            .push(p.change);
    }
    groups
}

/// Drops the records of `changes` (all in `dir`), one folder check per golden file;
/// returns, per change, the error that kept its record.
fn drop_records<'c>(dir: &Path, changes: &'c [Change]) -> Vec<(&'c Change, std::io::Error)> {
    let mut by_stem: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in changes {
        by_stem.entry(c.stem.as_str()).or_default().push(c);
    }
    let mut failed = Vec::new();
    for (stem, group) in by_stem {
        let ids: Vec<&str> = group.iter().map(|c| c.id.as_str()).collect();
        for (c, result) in group.into_iter().zip(discard_all(dir, stem, &ids)) {
            if let Err(e) = result {
                failed.push((c, e));
            }
        }
    }
    failed
}

/// How a trial of `member` is named in a report, given which trials are shared.
fn named(names: &Names, member: &str, c: &Change) -> String {
    let trial = c.trial();
    if names.shared(&trial) {
        format!("{member}: {trial}")
    } else {
        trial
    }
}

/// `N <verb>` or, across several members, `N <verb> (alpha: 1, beta: 1)`, so a
/// count says whose changes it counts.
fn count_by_member(counts: &BTreeMap<String, usize>, verb: &str) -> String {
    let total: usize = counts.values().sum();
    if counts.len() < 2 {
        return format!("{total} {verb}");
    }
    let per: Vec<String> = counts.iter().map(|(m, n)| format!("{m}: {n}")).collect();
    format!("{total} {verb} ({})", per.join(", "))
}

/// What `--dry-run` prints: each change the command would take, and how many.
fn say_dry_run(io: &mut Streams<'_>, items: &[Pending], verb: &str, nothing: &str) -> Status {
    let names = Names::of(items);
    for p in items {
        let _ = writeln!(
            io.out,
            "would {verb} {}  ({})",
            names.trial(p),
            kind(&p.change)
        );
    }
    let _ = writeln!(
        io.out,
        "{} would be {verb}ed (--dry-run: {nothing}).",
        items.len()
    );
    Status::Done
}

/// Applies changes and reports; done when all applied, undone when some were stale,
/// could not run on an error.
pub fn accept(items: Vec<Pending>, dry_run: bool, io: &mut Streams<'_>) -> Status {
    if dry_run {
        return say_dry_run(io, &items, "accept", "nothing written");
    }
    let names = Names::of(&items);
    let (mut accepted, mut stale, mut files) = (BTreeMap::new(), 0, 0);
    let mut status = Status::Done;
    for (dir, group) in by_folder(items) {
        match apply(&dir, group.changes) {
            Ok(outcome) => {
                for (c, e) in drop_records(&dir, &outcome.applied) {
                    let _ = writeln!(
                        io.err,
                        "warning: accepted {}, but its pending record stays: {e}",
                        named(&names, &group.member, c)
                    );
                }
                for c in &outcome.applied {
                    let _ = writeln!(
                        io.out,
                        "accepted {}  ({})",
                        named(&names, &group.member, c),
                        kind(c)
                    );
                }
                for (c, now) in &outcome.stale {
                    let _ = writeln!(
                        io.err,
                        "stale: {} was not accepted: its golden changed since the change was \
                         recorded\n  the golden now holds:\n{now}  re-run `cargo test` to record \
                         it again",
                        named(&names, &group.member, c)
                    );
                }
                if !outcome.applied.is_empty() {
                    *accepted.entry(group.member.clone()).or_insert(0) += outcome.applied.len();
                }
                stale += outcome.stale.len();
                files += outcome.files_written.len();
                status = status.max(Status::undone_if(!outcome.stale.is_empty()));
            }
            Err(e) => {
                let _ = writeln!(io.err, "error: {}: {e}", group.shown);
                status = Status::CouldNotRun;
            }
        }
    }
    let _ = writeln!(
        io.out,
        "{}, {stale} stale; {files} golden file(s) rewritten. Review with `git diff` and \
         commit.",
        count_by_member(&accepted, "accepted")
    );
    status
}

/// Drops pending records; the goldens are not touched.
pub fn reject(items: &[Pending], dry_run: bool, io: &mut Streams<'_>) -> Status {
    if dry_run {
        return say_dry_run(io, items, "reject", "nothing removed");
    }
    let names = Names::of(items);
    let mut failed = 0;
    let mut rejected = BTreeMap::new();
    for (dir, group) in &by_folder(items.to_vec()) {
        let errors = drop_records(dir, &group.changes);
        for (c, e) in &errors {
            let _ = writeln!(
                io.err,
                "error: could not drop the pending record of {}: {e}",
                named(&names, &group.member, c)
            );
        }
        failed += errors.len();
        for c in &group.changes {
            if !errors.iter().any(|(f, _)| std::ptr::eq(*f, c)) {
                let _ = writeln!(
                    io.out,
                    "rejected {}  ({})",
                    named(&names, &group.member, c),
                    kind(c)
                );
                *rejected.entry(group.member.clone()).or_insert(0) += 1;
            }
        }
    }
    let _ = writeln!(
        io.out,
        "{}; goldens untouched. `cargo test` stays red until the source matches the goldens.",
        count_by_member(&rejected, "rejected")
    );
    if failed > 0 {
        Status::CouldNotRun
    } else {
        Status::Done
    }
}
