//! `accept` and `reject`: apply pending changes to the goldens, or drop them.

use compat_harness::_support::{apply, discard, Change};
use std::path::Path;

/// A word for what a change does, for listings.
pub(crate) fn kind(c: &Change) -> &'static str {
    match (&c.old, &c.new) {
        (None, Some(_)) => "new case",
        (Some(_), None) => "removed case",
        _ => "changed",
    }
}

/// Applies changes and reports; 0 when all applied, 1 when some were stale, 2 on error.
pub(crate) fn accept(goldens: &Path, changes: Vec<Change>) -> i32 {
    match apply(goldens, changes) {
        Ok(outcome) => {
            for c in &outcome.applied {
                if let Err(e) = discard(goldens, &c.stem, &c.id) {
                    eprintln!(
                        "warning: accepted {}, but its pending record stays: {e}",
                        c.trial()
                    );
                }
                println!("accepted {}  ({})", c.trial(), kind(c));
            }
            for (c, now) in &outcome.stale {
                eprintln!(
                    "stale: {} was not accepted: its golden changed since the change was recorded\n  \
                     the golden now holds:\n{now}  re-run `cargo test` to record it again",
                    c.trial()
                );
            }
            println!(
                "{} accepted, {} stale; {} golden file(s) rewritten. Review with `git diff goldens/` and commit.",
                outcome.applied.len(),
                outcome.stale.len(),
                outcome.files_written.len()
            );
            i32::from(!outcome.stale.is_empty())
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Drops pending records; the goldens are not touched.
pub(crate) fn reject(goldens: &Path, changes: &[Change]) -> i32 {
    let mut failed = 0;
    for c in changes {
        match discard(goldens, &c.stem, &c.id) {
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
        changes.len() - failed
    );
    if failed > 0 {
        2
    } else {
        0
    }
}
