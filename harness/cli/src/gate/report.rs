//! What the gate found for one crate: a comparison with its baseline ([`Report`]),
//! the first release with nothing to compare, or an error; and the exit status.
//!
//! Every output format renders these, so the verdict and its one summary line are
//! decided here once and read the same in a terminal, release notes, JSON and CI.

use super::change::WireChange;
use super::error::GateError;
use super::semver::{self, Bump, BumpKind, Level};
use ::semver::Version;

/// What the gate found for one crate.
#[derive(Debug)]
pub struct Outcome {
    /// The crate's name.
    pub krate: String,
    /// Its manifest, as shown.
    pub manifest: String,
    /// The comparison, or why there is none.
    pub result: Result<Gated, GateError>,
}

/// A crate the gate could judge.
#[derive(Debug, Clone)]
pub enum Gated {
    /// Compared with a baseline.
    Compared(Report),
    /// No earlier release: nothing to compare, so nothing to refuse.
    FirstRelease {
        /// Today's version.
        version: Version,
        /// Which tags were looked for.
        why: String,
        /// What else the user should know (a tagged HEAD with local edits).
        note: Option<String>,
        /// The baseline that predates adopting the suite, when there is one: it has
        /// no goldens folder and no dependency on the runtime, so nothing to compare.
        adopted_since: Option<String>,
    },
}

impl Outcome {
    /// 0 covered or nothing to compare, 1 refused (unless report-only), 2 error.
    pub fn status(&self) -> i32 {
        match &self.result {
            Err(_) => 2,
            Ok(Gated::Compared(r)) => i32::from(!r.ok() && !r.report_only),
            Ok(Gated::FirstRelease { .. }) => 0,
        }
    }

    /// The one summary line (an error's first line for a crate that could not run).
    pub fn summary(&self) -> String {
        match &self.result {
            Ok(Gated::Compared(r)) => r.summary(),
            Ok(Gated::FirstRelease {
                adopted_since: Some(tag),
                ..
            }) => format!(
                "{tag} predates adopting the wire suite in {}: nothing to compare",
                self.krate
            ),
            Ok(Gated::FirstRelease { .. }) => {
                format!("no earlier release of {}: nothing to compare", self.krate)
            }
            Err(e) => e.to_string().lines().next().unwrap_or_default().to_owned(),
        }
    }

    /// The report's warnings (none without a comparison).
    pub fn warnings(&self) -> &[String] {
        match &self.result {
            Ok(Gated::Compared(r)) => &r.warnings,
            _ => &[],
        }
    }

    /// Why that baseline (or none), and any note, as lines under the summary.
    pub fn details(&self) -> Vec<String> {
        let (why, note) = match &self.result {
            Ok(Gated::Compared(r)) => (format!("baseline {}: {}", r.baseline, r.why), &r.note),
            Ok(Gated::FirstRelease {
                version,
                why,
                note,
                adopted_since,
            }) => {
                let first = match adopted_since {
                    Some(_) => "the first release since adopting",
                    None => "the first release",
                };
                (format!("{version} is {first}: {why}"), note)
            }
            Err(_) => return Vec::new(),
        };
        std::iter::once(why).chain(note.clone()).collect()
    }
}

/// The outcome of a gate run: what changed since which baseline, and the bump.
#[derive(Debug, Clone)]
pub struct Report {
    /// The baseline as the summary names it (`v1.4.0`, or a folder).
    pub baseline: String,
    /// Why this baseline (`given with --against`, `the newest tag ...`).
    pub why: String,
    /// What else is compared, e.g. uncommitted edits on a tagged HEAD.
    pub note: Option<String>,
    /// From the baseline's version to today's.
    pub bump: Bump,
    /// Every difference, wire-relevant or not.
    pub changes: Vec<WireChange>,
    /// The highest level among the changes.
    pub required: Level,
    /// Whether `--report-only` was given (the exit status ignores the verdict).
    pub report_only: bool,
    /// What the gate doubts but did not stop for (a tag whose name and Cargo.toml
    /// disagree on the version), for every format to show.
    pub warnings: Vec<String>,
}

impl Report {
    /// Builds the report; the required level is the highest of the changes'.
    pub fn new(
        (baseline, why, note): (String, String, Option<String>),
        bump: Bump,
        changes: Vec<WireChange>,
        report_only: bool,
    ) -> Report {
        let required = changes
            .iter()
            .map(WireChange::level)
            .max()
            .unwrap_or(Level::None);
        Report {
            baseline,
            why,
            note,
            bump,
            changes,
            required,
            report_only,
            warnings: Vec::new(),
        }
    }

    /// Whether the bump covers every change. A version below the baseline's covers
    /// nothing: it is no release after it (0.9.0 after 1.0.0, 1.0.0-rc.1 after 1.0.0).
    pub fn ok(&self) -> bool {
        self.bump.kind != BumpKind::Lower && self.bump.covers(self.required)
    }

    /// The smallest version that would cover the changes (for the advice line).
    pub fn smallest(&self) -> Option<Version> {
        semver::smallest_covering(&self.bump.from, self.required)
    }

    /// The one summary line every format starts with.
    pub fn summary(&self) -> String {
        let wire: Vec<&WireChange> = self
            .changes
            .iter()
            .filter(|c| c.level() > Level::None)
            .collect();
        let to = &self.bump.to;
        if self.bump.kind == BumpKind::Lower {
            return format!(
                "{to} is {}: {} already released {}, so a release must be above it",
                self.bump.phrase(),
                self.baseline,
                self.bump.from
            );
        }
        if wire.is_empty() {
            return format!(
                "no wire changes since {} ({to} is {})",
                self.baseline,
                self.bump.phrase()
            );
        }
        let n = wire.len();
        let (plural, verb) = if n == 1 { ("", "needs") } else { ("s", "need") };
        let breaking = wire.iter().filter(|c| c.level() == Level::Major).count();
        let counts = if breaking > 0 && breaking < n {
            format!(" ({breaking} breaking, {} additive)", n - breaking)
        } else {
            String::new()
        };
        let verdict = if self.ok() {
            format!("covered by {to} ({})", self.bump.phrase())
        } else {
            format!("{to} is {}", self.bump.phrase())
        };
        format!(
            "{n} wire change{plural} since {} {verb} a {} bump{counts}; {verdict}",
            self.baseline, self.required
        )
    }
}
