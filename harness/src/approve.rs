//! Applying approved changes to golden files: locked, checked, canonical, atomic.

use crate::entry::Entry;
use crate::fs::{write_atomic, FileLock};
use crate::golden::{self, LoadError};
use crate::golden::{render_golden, Declared, APPROVAL_LINES};
use crate::id::fold_case;
use crate::pending::{Change, PENDING_DIR};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The result of applying a batch of changes.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Changes now in the goldens (including ones that already were).
    pub applied: Vec<Change>,
    /// Changes not applied because the golden moved on since they were recorded
    /// (e.g. a `git checkout`); the string says what the golden holds now.
    pub stale: Vec<(Change, String)>,
    /// Changes not applied because another change must be approved with them: the new
    /// id of a rename by letter case only waits for the removal of the old id (the
    /// golden did not move on; the string says which change to approve as well).
    pub waiting: Vec<(Change, String)>,
    /// Golden files rewritten.
    pub files_written: Vec<PathBuf>,
}

/// Why a golden file could not be updated; nothing of that file was written.
#[derive(Debug)]
pub enum Failure {
    /// The golden does not parse; approving on top of it could lose data.
    Load(LoadError),
    /// Reading, locking or writing failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Load(e) => write!(f, "{e}"),
            Failure::Io(p, e) => write!(
                f,
                "{}: {e}\n  check that the goldens folder is writable",
                p.display()
            ),
        }
    }
}

/// An approval that stopped at a golden file it could not update: nothing of that
/// file (nor of the files after it) was written, but the files before it were. Says
/// exactly which, so that a partly failed `accept` never reports "0 accepted" over a
/// golden it rewrote.
#[derive(Debug)]
pub struct ApproveError {
    /// What went wrong, with which file.
    pub failure: Box<Failure>,
    /// The golden file that was not updated.
    pub file: PathBuf,
    /// What was done before the failure: applied, stale and waiting changes, and the
    /// golden files written.
    pub done: Box<Outcome>,
    /// The changes not applied: those of the failing file and of every file after it.
    pub not_applied: Vec<Change>,
}

impl fmt::Display for ApproveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The failure names the file (its path, or the loader's file:line).
        write!(f, "{}\n  nothing was written to this file", self.failure)?;
        let written: Vec<String> = self
            .done
            .files_written
            .iter()
            .map(|p| crate::fs::shown(p))
            .collect();
        if written.is_empty() {
            write!(f, "; no golden file was written")?;
        } else {
            write!(
                f,
                "; written before it: {} ({} change(s) approved)",
                written.join(", "),
                self.done.applied.len()
            )?;
        }
        let failed_stem = self
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let mut later: Vec<&str> = self
            .not_applied
            .iter()
            .map(|c| c.stem.as_str())
            .filter(|s| *s != failed_stem)
            .collect();
        later.dedup();
        if !later.is_empty() {
            write!(f, "; not attempted: {}", later.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApproveError {}

/// The header of a golden file created by an approval when its catalog gave none.
pub fn default_header(stem: &str) -> Vec<String> {
    let mut h = vec![
        format!("{stem}: wire facts pinned by the compat suite."),
        String::new(),
    ];
    h.extend(APPROVAL_LINES.iter().map(|l| (*l).to_owned()));
    h
}

/// Applies changes to their golden files, one file at a time under that file's lock.
///
/// A change applies only if the golden still holds what the change saw (`old`);
/// if it already holds `new` the change counts as applied (re-running an interrupted
/// approval is safe); otherwise it is stale and left for the user. Each file is
/// rewritten in canonical form with one atomic rename, so a kill at any point leaves
/// it either old or new. Errors stop at the file they concern: the files before it are
/// written, the ones after are not touched, and the error says which (with the
/// outcome so far and the changes left, see [`ApproveError`]).
///
/// The records of the approved changes are not dropped here (see
/// [`crate::pending::discard_approved`]). Lock files of golden files that no longer
/// exist are removed on the way out (see [`crate::pending::remove_stale_locks`]).
pub fn apply(goldens: &Path, changes: Vec<Change>) -> Result<Outcome, ApproveError> {
    let mut by_stem: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for c in changes {
        by_stem.entry(c.stem.clone()).or_default().push(c);
    }
    let mut outcome = Outcome::default();
    let mut files = by_stem.into_iter();
    while let Some((stem, changes)) = files.next() {
        match apply_file(goldens, &stem, changes) {
            Ok(file) => {
                outcome.applied.extend(file.applied);
                outcome.stale.extend(file.stale);
                outcome.waiting.extend(file.waiting);
                outcome.files_written.extend(file.files_written);
            }
            Err((failure, mut not_applied)) => {
                not_applied.extend(files.flat_map(|(_, c)| c));
                return Err(ApproveError {
                    failure,
                    file: goldens.join(format!("{stem}.yaml")),
                    done: Box::new(outcome),
                    not_applied,
                });
            }
        }
    }
    crate::pending::remove_stale_locks(goldens);
    Ok(outcome)
}

/// One golden file's part of [`apply`]: what it did, all or nothing. On failure,
/// returns the file's changes with it (none of them applied).
fn apply_file(
    goldens: &Path,
    stem: &str,
    changes: Vec<Change>,
) -> Result<Outcome, (Box<Failure>, Vec<Change>)> {
    let path = goldens.join(format!("{stem}.yaml"));
    let lock_name = format!("{stem}.lock");
    let lock_path = goldens.join(PENDING_DIR).join(&lock_name);
    let _lock = match FileLock::acquire(goldens, &[PENDING_DIR], &lock_name) {
        Ok(lock) => lock,
        Err(e) => return Err((Box::new(Failure::Io(lock_path, e)), changes)),
    };
    remove_dead_temp_files(goldens, stem);
    let existing = match golden::load(&path) {
        Ok(existing) => existing,
        Err(e) => return Err((Box::new(Failure::Load(e)), changes)),
    };
    let mut outcome = Outcome::default();
    // An approval keeps the file's format: a golden of the first format gets its
    // declarations from `UPDATE_GOLDENS=1` (the `@declared` trial), never an empty set
    // that would then contradict its catalog.
    type Parts = (Vec<String>, BTreeMap<String, Entry>, Option<Declared>);
    let (header, mut entries, declared): Parts = match existing {
        Some(file) => (
            file.header,
            file.cases.into_iter().map(|c| (c.id, c.entry)).collect(),
            (file.format >= crate::golden::GOLDEN_FORMAT).then_some(file.declared),
        ),
        None => {
            let header = changes
                .iter()
                .find(|c| !c.header.is_empty())
                .map(|c| c.header.clone())
                .unwrap_or_else(|| default_header(stem));
            (header, BTreeMap::new(), None)
        }
    };
    let mut applied: Vec<(Change, bool)> = Vec::new();
    let mut inserted = HashSet::new();
    for change in changes {
        let current = entries.get(&change.id);
        if current == change.new.as_ref() {
            applied.push((change, false));
        } else if current == change.old.as_ref() {
            match &change.new {
                Some(new) => {
                    if entries.insert(change.id.clone(), new.clone()).is_none() {
                        inserted.insert(change.id.clone());
                    }
                }
                None => {
                    entries.remove(&change.id);
                }
            };
            applied.push((change, true));
        } else {
            let now = match current {
                Some(e) => crate::golden::render_entry(&change.id, e),
                None => "no entry".to_owned(),
            };
            outcome.stale.push((change, now));
        }
    }
    // A case renamed by letter case only (`NotFound` -> `Notfound`) is two changes:
    // the new id and the removal of the old one. Approving the first alone would write
    // a golden holding both, which does not load; it waits for the other instead.
    let mut folded: HashMap<String, Vec<&str>> = HashMap::new();
    for id in entries.keys() {
        folded.entry(fold_case(id)).or_default().push(id);
    }
    let mut waiting = Vec::new();
    let mut kept = Vec::new();
    for (change, modified) in applied {
        let twins = folded.get(&fold_case(&change.id)).filter(|t| t.len() > 1);
        match twins {
            Some(twins) if inserted.contains(&change.id) => {
                let other: Vec<&str> = twins.iter().copied().filter(|t| *t != change.id).collect();
                let why = format!(
                    "the golden holds `{}`, which differs only in letter case; approve its \
                     removal together with this change (`accept {stem}::{}` as well)",
                    other.join("`, `"),
                    other[0]
                );
                waiting.push(change.id.clone());
                outcome.waiting.push((change, why));
            }
            _ => kept.push((change, modified)),
        }
    }
    for id in &waiting {
        entries.remove(id);
    }
    let dirty = kept.iter().any(|(_, modified)| *modified);
    outcome.applied.extend(kept.into_iter().map(|(c, _)| c));
    if dirty {
        let cases = entries.iter().map(|(k, v)| (k.as_str(), v));
        let text = match &declared {
            Some(declared) => render_golden(declared, &header, cases),
            None => crate::golden::render_file(&header, cases),
        };
        // Whatever the changes, never replace a golden with one that does not load.
        let written = golden::parse(&path, text.as_bytes())
            .map_err(Failure::Load)
            .and_then(|_| {
                write_atomic(&path, text.as_bytes()).map_err(|e| Failure::Io(path.clone(), e))
            });
        if let Err(failure) = written {
            let changes = outcome
                .applied
                .into_iter()
                .chain(outcome.stale.into_iter().map(|(c, _)| c))
                .chain(outcome.waiting.into_iter().map(|(c, _)| c))
                .collect();
            return Err((Box::new(failure), changes));
        }
        outcome.files_written.push(path);
    }
    Ok(outcome)
}

/// Writes a catalog's declarations (field policies, variants) into its golden, under
/// the file's lock, keeping every case; creates the golden (with `header`) when it
/// does not exist. Returns the path when the file changed.
///
/// Declarations are approved by `UPDATE_GOLDENS=1` (the `<file>::@declared` trial):
/// unlike a case, loosening a policy is one decision about the whole file.
pub fn apply_declared(
    goldens: &Path,
    stem: &str,
    header: &[String],
    declared: &Declared,
) -> Result<Option<PathBuf>, Failure> {
    let path = goldens.join(format!("{stem}.yaml"));
    let lock_name = format!("{stem}.lock");
    let lock_path = goldens.join(PENDING_DIR).join(&lock_name);
    let _lock = FileLock::acquire(goldens, &[PENDING_DIR], &lock_name)
        .map_err(|e| Failure::Io(lock_path.clone(), e))?;
    remove_dead_temp_files(goldens, stem);
    let existing = golden::load(&path).map_err(Failure::Load)?;
    let text = match &existing {
        Some(file) if file.declared == *declared && file.format == crate::golden::GOLDEN_FORMAT => {
            return Ok(None)
        }
        Some(file) => render_golden(
            declared,
            &file.header,
            file.cases.iter().map(|c| (c.id.as_str(), &c.entry)),
        ),
        None => render_golden(declared, header, []),
    };
    golden::parse(&path, text.as_bytes()).map_err(Failure::Load)?;
    write_atomic(&path, text.as_bytes()).map_err(|e| Failure::Io(path.clone(), e))?;
    Ok(Some(path))
}

/// Removes the temporary files of `goldens/<stem>.yaml` that a killed approval left
/// behind (`.<stem>.yaml.tmp.<pid>.<n>`). Only the holder of the file's lock writes
/// them, so while it is held any that exist are dead; without this they would pile
/// up next to the goldens, where git shows them as untracked files.
fn remove_dead_temp_files(goldens: &Path, stem: &str) {
    let prefix = format!(".{stem}.yaml.tmp.");
    let Ok(entries) = std::fs::read_dir(goldens) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(&prefix))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
