//! One case's check: what a trial is, what the checks of one golden file share, how a
//! case stands against its golden (decided once, while building), and the one place
//! that reports a case that does not match and settles it with the run's recorder.

use crate::approver::Approver;
use crate::catalog::Case;
use crate::entry::Entry;
use crate::env::Color;
use crate::golden::{GoldenCase, GoldenFile, LoadError};
use crate::pending::Change;
use crate::recorder::{Recorder, Verdict};
use crate::report::{self, Location};
use std::sync::Arc;

/// What one check does when run: `Err` carries the full failure report.
pub(crate) type CheckFn = Box<dyn FnOnce() -> Result<(), String> + Send>;

/// One named check; becomes one libtest-mimic trial.
pub(crate) struct Check {
    /// The trial name: `<file>::<case>`, or `<file>::@<what>` for file-level checks.
    pub name: String,
    /// The check itself.
    pub run: CheckFn,
}

/// What every trial of one golden file shares.
pub(crate) struct FileCtx {
    pub(crate) stem: String,
    pub(crate) shown_path: String,
    pub(crate) approve: Approver,
    pub(crate) color: Color,
    pub(crate) golden: Result<Option<GoldenFile>, LoadError>,
    pub(crate) recorder: Arc<Recorder>,
    pub(crate) header: Vec<String>,
    /// Why the run records nothing (CI, `UPDATE_GOLDENS=0`), when it does not.
    pub(crate) unrecorded: Option<&'static str>,
}

/// Lookups the trials of a file need.
impl FileCtx {
    /// The golden case at `index` (resolved when the checks were built).
    pub(crate) fn golden_case(&self, index: Option<usize>) -> Option<&GoldenCase> {
        let file = self.golden.as_ref().ok()?.as_ref()?;
        index.map(|i| &file.cases[i])
    }

    pub(crate) fn location<'a>(&'a self, trial: &'a str, line: Option<usize>) -> Location<'a> {
        Location {
            trial,
            shown_path: &self.shown_path,
            line,
            approve: &self.approve,
        }
    }

    fn header_if_missing(&self) -> Vec<String> {
        match &self.golden {
            Ok(None) => self.header.clone(),
            _ => Vec::new(),
        }
    }
}

/// How a case stands against its golden, decided once while the checks are built
/// (see `standings` in the plan); its trial acts on it without comparing again.
pub(crate) enum Standing {
    /// The golden entry holds exactly the rendered facts.
    Matches,
    /// The golden entry at this index differs.
    Drifted(usize),
    /// The golden entry at this index is a tombstone: the id is retired.
    Retired(usize),
    /// No entry has this id; `twin` is one whose id differs only in letter case.
    New {
        /// The index of an entry whose id differs only in letter case (a rename).
        twin: Option<usize>,
    },
    /// The golden file cannot be read.
    Unreadable,
}

/// The trial of one case: passes a match (forgetting a stale pending record),
/// otherwise reports the drift, new case or reused id and settles it with the run's
/// recorder.
pub(crate) fn check_case(ctx: &FileCtx, case: Case, standing: Standing) -> Result<(), String> {
    match standing {
        Standing::Matches => {
            ctx.recorder.matched(&ctx.stem, &case.id);
            Ok(())
        }
        failing => mismatch(ctx, case, failing),
    }
}

/// The failing half of [`check_case`]: the report of a case that does not match, and
/// the recorder's verdict on it.
fn mismatch(ctx: &FileCtx, case: Case, standing: Standing) -> Result<(), String> {
    // Only a failure needs the trial's name (a passing case allocates nothing).
    let trial = format!("{}::{}", ctx.stem, case.id);
    let golden = |i: usize| ctx.golden_case(Some(i));
    match standing {
        Standing::Matches => Ok(()),
        // The error already names the file as the user knows it (see `golden_file`).
        Standing::Unreadable => Err(match &ctx.golden {
            Err(e) => format!("cannot check {trial}: its golden file is unusable\n{e}"),
            Ok(_) => format!("cannot check {trial}: its golden file is unusable"),
        }),
        Standing::Retired(i) => {
            let Some(g) = golden(i) else {
                return Err(format!("cannot check {trial}: its golden entry is gone"));
            };
            // Recorded like any change, so the approval it names finds it.
            let text = format!(
                "retired case reused: {trial} is marked retired in {}:{} but the source renders it again.\n\
                 A retired id (and its code) stays reserved: give the new case another name, or, if \
                 bringing it back is intended, approve it: {}\n",
                ctx.shown_path,
                g.line,
                ctx.approve.accept(&trial)
            );
            settle(ctx, &trial, text, Some(g.entry.clone()), Some(case))
        }
        _ if !ctx.recorder.admit(&ctx.stem) => Err(ctx.recorder.overflow(&trial, &ctx.shown_path)),
        Standing::Drifted(i) => {
            let Some(g) = golden(i) else {
                return Err(format!("cannot check {trial}: its golden entry is gone"));
            };
            let text = report::drift(
                &ctx.location(&trial, Some(g.line)),
                &case.id,
                &g.entry,
                &case.entry,
                ctx.color,
                ctx.unrecorded,
            );
            settle(ctx, &trial, text, Some(g.entry.clone()), Some(case))
        }
        Standing::New { twin } => {
            let exists = matches!(ctx.golden, Ok(Some(_)));
            let mut text = report::new_case(
                &ctx.location(&trial, None),
                &case.id,
                &case.entry,
                exists,
                ctx.color,
                ctx.unrecorded,
            );
            if let Some(old) = twin.and_then(golden) {
                // Approving only the new id would leave both in the golden.
                let removed = format!("{}::{}", ctx.stem, old.id);
                text.push_str(&format!(
                    "Note: the golden holds `{0}` ({1}:{2}), which differs from `{3}` only in \
                     letter case. If this is a rename, approve both changes together:\n    {4}\n",
                    old.id,
                    ctx.shown_path,
                    old.line,
                    case.id,
                    ctx.approve.accept_rename(&removed, &trial)
                ));
            }
            settle(ctx, &trial, text, None, Some(case))
        }
    }
}

fn settle(
    ctx: &FileCtx,
    trial: &str,
    text: String,
    old: Option<Entry>,
    case: Option<Case>,
) -> Result<(), String> {
    let id = case.as_ref().map(|c| c.id.clone());
    let change = Change {
        stem: ctx.stem.clone(),
        id: id.unwrap_or_else(|| trial.rsplit("::").next().unwrap_or_default().to_owned()),
        old,
        new: case.map(|c| c.entry),
        header: ctx.header_if_missing(),
    };
    match ctx.recorder.mismatch(change) {
        Verdict::Pass => Ok(()),
        Verdict::Fail(note) => Err(format!("{text}{note}")),
    }
}
