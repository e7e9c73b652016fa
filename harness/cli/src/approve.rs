//! `accept` and `reject`: apply pending changes to the goldens, or drop them, or
//! (with `--dry-run`) say what either would do.

use crate::select::Pending;
use compat_harness::_support::{apply, discard, Change};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A word for what a change does, for listings.
pub(crate) fn kind(c: &Change) -> &'static str {
    match (&c.old, &c.new) {
        (None, Some(_)) => "new case",
        (Some(_), None) => "removed case",
        _ => "changed",
    }
}

/// The changes grouped by goldens folder, in the order given.
fn by_folder(items: Vec<Pending>) -> BTreeMap<PathBuf, (String, Vec<Change>)> {
    let mut groups: BTreeMap<PathBuf, (String, Vec<Change>)> = BTreeMap::new();
    for p in items {
        groups
            .entry(p.goldens.dir)
            .or_insert_with(|| (p.goldens.shown, Vec::new()))
            .1
            .push(p.change);
    }
    groups
}

/// Applies changes and reports; 0 when all applied, 1 when some were stale, 2 on error.
pub(crate) fn accept(items: Vec<Pending>, dry_run: bool) -> i32 {
    if dry_run {
        for p in &items {
            println!("would accept {}  ({})", p.change.trial(), kind(&p.change));
        }
        println!(
            "{} would be accepted (--dry-run: nothing written).",
            items.len()
        );
        return 0;
    }
    let (mut applied, mut stale, mut files, mut code) = (0, 0, 0, 0);
    for (dir, (shown, changes)) in by_folder(items) {
        match apply(&dir, changes) {
            Ok(outcome) => {
                for c in &outcome.applied {
                    if let Err(e) = discard(&dir, &c.stem, &c.id) {
                        eprintln!(
                            "warning: accepted {}, but its pending record stays: {e}",
                            c.trial()
                        );
                    }
                    println!("accepted {}  ({})", c.trial(), kind(c));
                }
                for (c, now) in &outcome.stale {
                    eprintln!(
                        "stale: {} was not accepted: its golden changed since the change was \
                         recorded\n  the golden now holds:\n{now}  re-run `cargo test` to record \
                         it again",
                        c.trial()
                    );
                }
                applied += outcome.applied.len();
                stale += outcome.stale.len();
                files += outcome.files_written.len();
                code = code.max(i32::from(!outcome.stale.is_empty()));
            }
            Err(e) => {
                eprintln!("error: {shown}: {e}");
                code = 2;
            }
        }
    }
    println!(
        "{applied} accepted, {stale} stale; {files} golden file(s) rewritten. Review with \
         `git diff` and commit."
    );
    code
}

/// Drops pending records; the goldens are not touched.
pub(crate) fn reject(items: &[Pending], dry_run: bool) -> i32 {
    if dry_run {
        for p in items {
            println!("would reject {}  ({})", p.change.trial(), kind(&p.change));
        }
        println!(
            "{} would be rejected (--dry-run: nothing removed).",
            items.len()
        );
        return 0;
    }
    let mut failed = 0;
    for p in items {
        let c = &p.change;
        match discard(&p.goldens.dir, &c.stem, &c.id) {
            Ok(()) => println!("rejected {}  ({})", c.trial(), kind(c)),
            Err(e) => {
                failed += 1;
                eprintln!(
                    "error: could not drop the pending record of {}: {e}",
                    c.trial()
                );
            }
        }
    }
    println!(
        "{} rejected; goldens untouched. `cargo test` stays red until the source matches the goldens.",
        items.len() - failed
    );
    if failed > 0 {
        2
    } else {
        0
    }
}
