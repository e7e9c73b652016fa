//! What a run does with mismatches: record them as pending, queue them as updates,
//! or leave everything untouched.

use crate::approve::{self, ApproveError};
use crate::approver::Approver;
use crate::env::{Settings, WriteMode};
use crate::pending::{self, Change, Origin};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How a mismatch ends for its trial.
pub enum Verdict {
    /// The trial passes: the change will be written after the run (`UPDATE_GOLDENS=1`),
    /// or it was recorded and the tool asked for drift to pass (`WIRE_COMPAT_FORCE_PASS`).
    Pass,
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
    /// The trials whose changes this run recorded, and their golden files.
    recorded: Mutex<(Vec<String>, HashSet<String>)>,
    /// Whether a mismatch went unrecorded (past the per-file bound, or a failed write):
    /// a re-run of the whole target would then approve more than the records.
    unrecorded: std::sync::atomic::AtomicBool,
    /// Whether the run selected some trials only (a filter or `--skip`).
    filtered: std::sync::atomic::AtomicBool,
    force_pass: bool,
    origin: Origin,
    approve: Approver,
}

impl Recorder {
    /// A recorder for the goldens in `dir`.
    pub fn new(dir: &Path, settings: &Settings, approve: Approver) -> Self {
        Recorder {
            dir: dir.to_owned(),
            mode: settings.mode,
            updates: Mutex::new(Vec::new()),
            declared: Mutex::new(Vec::new()),
            with_pending: Mutex::new(HashMap::new()),
            reported: Mutex::new(HashMap::new()),
            recorded: Mutex::new((Vec::new(), HashSet::new())),
            unrecorded: Default::default(),
            filtered: Default::default(),
            force_pass: settings.force_pass,
            origin: settings.origin.clone(),
            approve,
        }
    }

    /// Notes that the run selects some trials only, so that its closing line does not
    /// offer a re-run of the whole target as approving "them all".
    pub fn set_filtered(&self, filtered: bool) {
        self.filtered
            .store(filtered, std::sync::atomic::Ordering::Relaxed);
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
        let admitted = *n <= MAX_REPORTS_PER_FILE;
        if !admitted {
            self.unrecorded
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        admitted
    }

    /// The one-line failure of a mismatch that was not admitted.
    pub fn overflow(&self, trial: &str, shown_path: &str) -> String {
        format!(
            "{trial} does not match {shown_path}; not reported in full or recorded: more \
             than {MAX_REPORTS_PER_FILE} cases of this file failed in this run, usually from \
             one cause (a renamed type, a reformatted golden). Read the first reports and fix \
             the cause, or rewrite every drifted golden entry of this test target with `{}` \
             and review `git diff`.\n",
            self.approve.rewrite_target()
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
                Verdict::Pass
            }
            WriteMode::Nothing => Verdict::Fail(String::new()),
            WriteMode::Pending => match pending::record_from(&self.dir, &change, &self.origin) {
                Ok(path) => {
                    let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
                    recorded.0.push(change.trial());
                    recorded.1.insert(change.stem.clone());
                    if self.force_pass {
                        return Verdict::Pass;
                    }
                    Verdict::Fail(format!(
                        "(pending change recorded in {})\n",
                        crate::fs::shown_in_workspace(&path)
                    ))
                }
                Err(e) => {
                    self.unrecorded
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                    Verdict::Fail(format!(
                        "(could not record this change in {}: {e}\n\
                         The `accept` above will not find it: make that folder writable and \
                         run the test again, or approve without a record: `{}`)\n",
                        crate::fs::shown_in_workspace(&change.path(&self.dir)),
                        self.approve.without_tool().accept(&change.trial()),
                    ))
                }
            },
        }
    }

    /// The closing line of a run that recorded pending changes: how many, in how many
    /// golden files, and the one command that reviews them (insta ends the same way).
    /// Without the tool, the command approves exactly the recorded changes: the one
    /// trial's re-run, or the whole target's when the run checked it all and recorded
    /// every mismatch; otherwise each report's own command.
    fn pending_summary(&self) -> Option<String> {
        use std::sync::atomic::Ordering::Relaxed;
        let recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        let (changes, files) = (recorded.0.len(), recorded.1.len());
        if changes == 0 {
            return None;
        }
        let how = match (self.approve.review(), changes) {
            (Some(review), 1) => format!("review it with `{review}`"),
            (Some(review), _) => format!("review them with `{review}`"),
            (None, 1) => format!("approve it with `{}`", self.approve.accept(&recorded.0[0])),
            (None, _) if !self.filtered.load(Relaxed) && !self.unrecorded.load(Relaxed) => {
                format!("approve them all with `{}`", self.approve.rewrite_target())
            }
            (None, _) => "approve each with the command its report prints".to_owned(),
        };
        Some(format!(
            "wire-compat: {changes} change{} pending in {files} golden file{}; {how}",
            if changes == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" },
        ))
    }

    /// Drops the pending records of changes an update wrote.
    fn drop_records(&self, applied: &[Change]) {
        let mut by_stem: HashMap<&str, Vec<&str>> = HashMap::new();
        for change in applied {
            by_stem.entry(&change.stem).or_default().push(&change.id);
        }
        for (stem, ids) in by_stem {
            let _ = pending::discard_all(&self.dir, stem, &ids);
        }
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
        let outcome = match approve::apply(&self.dir, updates) {
            Ok(outcome) => outcome,
            Err(e) => {
                // What was written before the failure is approved: drop its records.
                self.drop_records(&e.done.applied);
                return Err(e);
            }
        };
        self.drop_records(&outcome.applied);
        let mut declared_files = 0;
        for (stem, header, declared) in &declared {
            match approve::apply_declared(&self.dir, stem, header, declared) {
                Ok(Some(_)) => declared_files += 1,
                Ok(None) => {}
                Err(failure) => {
                    return Err(ApproveError {
                        failure: Box::new(failure),
                        file: self.dir.join(format!("{stem}.yaml")),
                        done: Box::new(outcome),
                        not_applied: Vec::new(),
                    })
                }
            }
        }
        let mut notes: Vec<String> =
            outcome
                .stale
                .iter()
                .map(|(change, now)| {
                    format!(
                        "error: {} was not updated: its golden changed during the run (now {now})",
                        change.trial()
                    )
                })
                .chain(outcome.waiting.iter().map(|(change, why)| {
                    format!("error: {} was not updated: {why}", change.trial())
                }))
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
        Ok((
            notes,
            outcome.stale.is_empty() && outcome.waiting.is_empty(),
        ))
    }
}
