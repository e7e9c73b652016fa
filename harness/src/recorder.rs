//! What a run does with mismatches: record them as pending, queue them as updates,
//! or leave everything untouched.

use crate::approve::{self, ApproveError};
use crate::approver::Approver;
use crate::env::WriteMode;
use crate::pending::{self, Change};
use std::collections::{HashMap, HashSet};
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

/// How many mismatches of one golden file a run reports in full and records as pending
/// changes. Past it, a failing trial says so in one line and writes nothing: one cause
/// (a golden of 100,000 orphaned entries, a reformatted file) used to write 100,000
/// pending files (394 MB) locally and print 65 MB in CI. `UPDATE_GOLDENS=1` still
/// applies every change; it has no reports to bound.
pub const MAX_REPORTS_PER_FILE: usize = 100;

/// Collects the side effects of a run; shared by all trials of one process.
pub struct Recorder {
    dir: PathBuf,
    mode: WriteMode,
    updates: Mutex<Vec<Change>>,
    /// Declarations to write under `UPDATE_GOLDENS=1`: stem, header of a new file, what.
    declared: Mutex<Vec<(String, Vec<String>, crate::golden::Declared)>>,
    /// Per golden file with pending records, the ids that have one.
    with_pending: Mutex<HashMap<String, HashSet<String>>>,
    /// Per golden file, the mismatches admitted so far (see [`MAX_REPORTS_PER_FILE`]).
    reported: Mutex<HashMap<String, usize>>,
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
            declared: Mutex::new(Vec::new()),
            with_pending: Mutex::new(HashMap::new()),
            reported: Mutex::new(HashMap::new()),
            recorded: Mutex::new((0, HashSet::new())),
            approve,
        }
    }

    /// Whether a golden file has pending changes on disk (its records are listed once
    /// and remembered, so that a passing trial removes its own stale record, if it has
    /// one, without a file-system call otherwise). When not, a passing trial of that file
    /// has nothing to do at all, so the suite settles it while building the checks. An
    /// empty folder (or a link, which is never followed) counts as none.
    pub fn has_pending(&self, stem: &str) -> bool {
        if self.mode != WriteMode::Pending {
            return false;
        }
        let ids = pending::recorded_ids(&self.dir, stem);
        if ids.is_empty() {
            return false;
        }
        self.with_pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(stem.to_owned(), ids);
        true
    }

    /// A case matches its golden: forget the pending change recorded for it earlier.
    pub fn matched(&self, stem: &str, id: &str) {
        let recorded = self
            .with_pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(stem)
            .is_some_and(|ids| ids.contains(id));
        if recorded {
            let _ = pending::discard(&self.dir, stem, id);
        }
    }

    /// Queues a catalog's declarations for writing at the end of an `UPDATE_GOLDENS=1`
    /// run, after the cases (see `suite::declared`).
    pub fn declare(&self, stem: &str, header: &[String], declared: crate::golden::Declared) {
        self.declared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((stem.to_owned(), header.to_vec(), declared));
    }

    /// Whether the run queues every change for writing (`UPDATE_GOLDENS=1`).
    pub fn will_update(&self) -> bool {
        self.mode == WriteMode::Update
    }

    /// Whether the next mismatch of `stem` gets a full report (and a pending record);
    /// false past [`MAX_REPORTS_PER_FILE`] of that file, then the trial fails with
    /// [`Recorder::overflow`] instead.
    pub fn admit(&self, stem: &str) -> bool {
        if self.will_update() {
            return true;
        }
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        let n = match reported.get_mut(stem) {
            Some(n) => n,
            None => reported.entry(stem.to_owned()).or_insert(0),
        };
        *n += 1;
        *n <= MAX_REPORTS_PER_FILE
    }

    /// The one-line failure of a mismatch that was not admitted.
    pub fn overflow(&self, trial: &str, shown_path: &str) -> String {
        format!(
            "{trial} does not match {shown_path}; not reported in full or recorded: more \
             than {MAX_REPORTS_PER_FILE} cases of this file failed in this run, usually from \
             one cause (a renamed type, a reformatted golden). Read the first reports and fix \
             the cause, or rewrite the file with `UPDATE_GOLDENS=1 cargo test` and review \
             `git diff`.\n"
        )
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
                "wire-compat: {changes} change{} pending in {files} golden file{}; {} `{}`",
                if changes == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" },
                match (&self.approve, changes) {
                    (Approver::Tool(_), 1) => "review it with",
                    (Approver::Tool(_), _) => "review them with",
                    (Approver::Rerun { .. }, 1) => "approve it with",
                    (Approver::Rerun { .. }, _) => "approve them all with",
                },
                self.approve.review_all()
            )
        })
    }

    /// Writes the queued updates (update mode) and removes their pending records.
    /// Returns the lines the runner shows after the run (what was written, what was
    /// stale) and whether every change was written: a stale change fails the run, since
    /// its trial passed on the promise of an update that did not happen. An error means
    /// some goldens were not updated.
    pub fn finish(&self) -> Result<(Vec<String>, bool), ApproveError> {
        let updates = std::mem::take(&mut *self.updates.lock().unwrap_or_else(|e| e.into_inner()));
        let declared =
            std::mem::take(&mut *self.declared.lock().unwrap_or_else(|e| e.into_inner()));
        if updates.is_empty() && declared.is_empty() {
            return Ok((self.pending_summary().into_iter().collect(), true));
        }
        let outcome = approve::apply(&self.dir, updates)?;
        let mut declared_files = 0;
        for (stem, header, declared) in &declared {
            if approve::apply_declared(&self.dir, stem, header, declared)?.is_some() {
                declared_files += 1;
            }
        }
        let mut by_stem: HashMap<&str, Vec<&str>> = HashMap::new();
        for change in &outcome.applied {
            by_stem.entry(&change.stem).or_default().push(&change.id);
        }
        for (stem, ids) in by_stem {
            let _ = pending::discard_all(&self.dir, stem, &ids);
        }
        let mut notes: Vec<String> = outcome
            .stale
            .iter()
            .map(|(change, now)| {
                format!(
                    "error: {} was not updated: its golden changed during the run (now {now})",
                    change.trial()
                )
            })
            .collect();
        notes.push(format!(
            "UPDATE_GOLDENS: {} case(s) approved in {} golden file(s); review with `git diff` and commit",
            outcome.applied.len(),
            outcome.files_written.len()
        ));
        if declared_files > 0 {
            notes.push(format!(
                "UPDATE_GOLDENS: declarations (field policies, variants) written to {declared_files} golden file(s)"
            ));
        }
        Ok((notes, outcome.stale.is_empty()))
    }
}
