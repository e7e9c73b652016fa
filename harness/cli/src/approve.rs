//! `accept` and `reject`: apply pending changes to the goldens, or drop them, or
//! (with `--dry-run`) say what either would do.

use crate::select::Pending;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use wire_compat::_support::{apply, discard_all, Change};

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

/// What `--dry-run` prints: each change the command would take, and how many.
fn say_dry_run(out: &mut impl std::io::Write, items: &[Pending], verb: &str, nothing: &str) -> i32 {
    for p in items {
        let _ = writeln!(
            out,
            "would {verb} {}  ({})",
            p.change.trial(),
            kind(&p.change)
        );
    }
    let _ = writeln!(
        out,
        "{} would be {verb}ed (--dry-run: {nothing}).",
        items.len()
    );
    0
}

/// Applies changes and reports; 0 when all applied, 1 when some were stale, 2 on error.
pub(crate) fn accept(items: Vec<Pending>, dry_run: bool) -> i32 {
    // One line per change: buffered, since 10,000 accepted changes are 10,000 lines.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if dry_run {
        return say_dry_run(&mut out, &items, "accept", "nothing written");
    }
    let (mut applied, mut stale, mut files, mut code) = (0, 0, 0, 0);
    for (dir, (shown, changes)) in by_folder(items) {
        match apply(&dir, changes) {
            Ok(outcome) => {
                for (c, e) in drop_records(&dir, &outcome.applied) {
                    eprintln!(
                        "warning: accepted {}, but its pending record stays: {e}",
                        c.trial()
                    );
                }
                for c in &outcome.applied {
                    let _ = writeln!(out, "accepted {}  ({})", c.trial(), kind(c));
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
    let _ = writeln!(
        out,
        "{applied} accepted, {stale} stale; {files} golden file(s) rewritten. Review with \
         `git diff` and commit."
    );
    code
}

/// Drops pending records; the goldens are not touched.
pub(crate) fn reject(items: &[Pending], dry_run: bool) -> i32 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if dry_run {
        return say_dry_run(&mut out, items, "reject", "nothing removed");
    }
    let mut failed = 0;
    let groups = by_folder(items.to_vec());
    for (dir, (_, changes)) in &groups {
        let errors = drop_records(dir, changes);
        for (c, e) in &errors {
            eprintln!(
                "error: could not drop the pending record of {}: {e}",
                c.trial()
            );
        }
        failed += errors.len();
        for c in changes {
            if !errors.iter().any(|(f, _)| std::ptr::eq(*f, c)) {
                let _ = writeln!(out, "rejected {}  ({})", c.trial(), kind(c));
            }
        }
    }
    let _ = writeln!(
        out,
        "{} rejected; goldens untouched. `cargo test` stays red until the source matches the goldens.",
        items.len() - failed
    );
    if failed > 0 {
        2
    } else {
        0
    }
}
