//! Applying approved changes to golden files: locked, checked, canonical, atomic.

use crate::entry::Entry;
use crate::fs::{write_atomic, FileLock};
use crate::golden::{self, LoadError};
use crate::golden::{render_golden, Declared, APPROVAL_LINES};
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
    /// Golden files rewritten.
    pub files_written: Vec<PathBuf>,
}

/// Why a golden file could not be updated; nothing of that file was written.
#[derive(Debug)]
pub enum ApproveError {
    /// The golden does not parse; approving on top of it could lose data.
    Load(LoadError),
    /// Reading, locking or writing failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for ApproveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApproveError::Load(e) => write!(f, "{e}\n  nothing was written to this file"),
            ApproveError::Io(p, e) => write!(
                f,
                "{}: {e}\n  nothing was written to this file; check that the goldens folder is writable",
                p.display()
            ),
        }
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
/// written, the ones after are not touched, and the error says which.
pub fn apply(goldens: &Path, changes: Vec<Change>) -> Result<Outcome, ApproveError> {
    let mut by_stem: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for c in changes {
        by_stem.entry(c.stem.clone()).or_default().push(c);
    }
    let mut outcome = Outcome::default();
    for (stem, changes) in by_stem {
        apply_file(goldens, &stem, changes, &mut outcome)?;
    }
    Ok(outcome)
}

fn apply_file(
    goldens: &Path,
    stem: &str,
    changes: Vec<Change>,
    outcome: &mut Outcome,
) -> Result<(), ApproveError> {
    let path = goldens.join(format!("{stem}.yaml"));
    let lock_name = format!("{stem}.lock");
    let lock_path = goldens.join(PENDING_DIR).join(&lock_name);
    let _lock = FileLock::acquire(goldens, &[PENDING_DIR], &lock_name)
        .map_err(|e| ApproveError::Io(lock_path.clone(), e))?;
    remove_dead_temp_files(goldens, stem);
    let existing = golden::load(&path).map_err(ApproveError::Load)?;
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
        folded.entry(id.to_ascii_lowercase()).or_default().push(id);
    }
    let mut waiting = Vec::new();
    let mut kept = Vec::new();
    for (change, modified) in applied {
        let twins = folded
            .get(&change.id.to_ascii_lowercase())
            .filter(|t| t.len() > 1);
        match twins {
            Some(twins) if inserted.contains(&change.id) => {
                let other: Vec<&str> = twins.iter().copied().filter(|t| *t != change.id).collect();
                let now = format!(
                    "`{}`, which differs only in letter case; approve its removal together \
                     with this change (`accept {stem}::{}` as well)",
                    other.join("`, `"),
                    other[0]
                );
                waiting.push(change.id.clone());
                outcome.stale.push((change, now));
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
        golden::parse(&path, text.as_bytes()).map_err(ApproveError::Load)?;
        write_atomic(&path, text.as_bytes()).map_err(|e| ApproveError::Io(path.clone(), e))?;
        outcome.files_written.push(path);
    }
    Ok(())
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
) -> Result<Option<std::path::PathBuf>, ApproveError> {
    let path = goldens.join(format!("{stem}.yaml"));
    let lock_name = format!("{stem}.lock");
    let lock_path = goldens.join(PENDING_DIR).join(&lock_name);
    let _lock = FileLock::acquire(goldens, &[PENDING_DIR], &lock_name)
        .map_err(|e| ApproveError::Io(lock_path.clone(), e))?;
    remove_dead_temp_files(goldens, stem);
    let existing = golden::load(&path).map_err(ApproveError::Load)?;
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
    golden::parse(&path, text.as_bytes()).map_err(ApproveError::Load)?;
    write_atomic(&path, text.as_bytes()).map_err(|e| ApproveError::Io(path.clone(), e))?;
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
