//! What a run does with mismatches: record them as pending, queue them as updates,
//! or leave everything untouched.

use crate::approve::{self, ApproveError};
use crate::approver::Approver;
use crate::env::WriteMode;
use crate::pending::{self, Change};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How a mismatch ends for its trial.
pub enum Verdict {
    /// `UPDATE_GOLDENS=1`: the change will be written after the run; the trial passes.
    WillUpdate,
    /// The trial fails; the string is appended to its report (where the pending
    /// change was recorded, or why it was not).
    Fail(String),
}

/// Collects the side effects of a run; shared by all trials of one process.
pub struct Recorder {
    dir: PathBuf,
    mode: WriteMode,
    updates: Mutex<Vec<Change>>,
    with_pending: Mutex<HashSet<String>>,
    /// Pending changes recorded by this run, and their golden files.
    recorded: Mutex<(usize, HashSet<String>)>,
    approve: Approver,
}

impl Recorder {
    /// A recorder for the goldens in `dir`.
    pub fn new(dir: &Path, mode: WriteMode, approve: Approver) -> Self {
        Recorder {
            dir: dir.to_owned(),
            mode,
            updates: Mutex::new(Vec::new()),
            with_pending: Mutex::new(HashSet::new()),
            recorded: Mutex::new((0, HashSet::new())),
            approve,
        }
    }

    /// Whether a golden file has pending changes on disk (looked up once per file and
    /// remembered, so that passing trials clean up stale records without a file-system
    /// call each). When not, a passing trial of that file has nothing to do at all, so
    /// the suite settles it while building the checks.
    pub fn has_pending(&self, stem: &str) -> bool {
        let pending = self.mode == WriteMode::Pending
            && self.dir.join(pending::PENDING_DIR).join(stem).is_dir();
        if pending {
            self.with_pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(stem.to_owned());
        }
        pending
    }

    /// A case matches its golden: forget any pending change recorded for it earlier.
    pub fn matched(&self, stem: &str, id: &str) {
        if self
            .with_pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(stem)
        {
            let _ = pending::discard(&self.dir, stem, id);
        }
    }

    /// A case differs from its golden: act according to the write mode.
    pub fn mismatch(&self, change: Change) -> Verdict {
        match self.mode {
            WriteMode::Update => {
                self.updates
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(change);
                Verdict::WillUpdate
            }
            WriteMode::Nothing => Verdict::Fail(String::new()),
            WriteMode::Pending => match pending::record(&self.dir, &change) {
                Ok(path) => {
                    let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
                    recorded.0 += 1;
                    recorded.1.insert(change.stem.clone());
                    Verdict::Fail(format!(
                        "(pending change recorded in {})\n",
                        crate::fs::shown_in_workspace(&path)
                    ))
                }
                Err(e) => Verdict::Fail(format!(
                    "(could not record this change in {}: {e}\n\
                     The `accept` above will not find it: make that folder writable and run \
                     the test again, or approve without a record: {})\n",
                    crate::fs::shown_in_workspace(&change.path(&self.dir)),
                    Approver::Rerun {
                        package: None,
                        target: None
                    }
                    .review_all(),
                )),
            },
        }
    }

    /// The closing line of a run that recorded pending changes: how many, in how many
    /// golden files, and the one command that reviews them (insta ends the same way).
    fn pending_summary(&self) -> Option<String> {
        let recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        let (changes, files) = (recorded.0, recorded.1.len());
        (changes > 0).then(|| {
            format!(
                "compat: {changes} change{} pending in {files} golden file{}; review them with `{}`",
                if changes == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" },
                self.approve.review_all()
            )
        })
    }

    /// Writes the queued updates (update mode) and removes their pending records.
    /// Returns the lines the runner shows after the run (what was written, what was
    /// stale); an error means some goldens were not updated.
    pub fn finish(&self) -> Result<Vec<String>, ApproveError> {
        let updates = std::mem::take(&mut *self.updates.lock().unwrap_or_else(|e| e.into_inner()));
        if updates.is_empty() {
            return Ok(self.pending_summary().into_iter().collect());
        }
        let outcome = approve::apply(&self.dir, updates)?;
        for change in &outcome.applied {
            let _ = pending::discard(&self.dir, &change.stem, &change.id);
        }
        let mut notes: Vec<String> = outcome
            .stale
            .iter()
            .map(|(change, now)| {
                format!(
                    "warning: {} was not updated: its golden changed during the run (now {now})",
                    change.trial()
                )
            })
            .collect();
        notes.push(format!(
            "UPDATE_GOLDENS: {} case(s) approved in {} golden file(s); review with `git diff` and commit",
            outcome.applied.len(),
            outcome.files_written.len()
        ));
        Ok(notes)
    }
}
