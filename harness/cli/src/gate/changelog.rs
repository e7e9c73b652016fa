//! `gate --format changelog`: release notes a release page can carry (oasdiff's
//! changelog is the model), from the same outcomes as `--format json`.
//!
//! Per crate a heading with today's version and the baseline, then the changes in
//! groups a reader of release notes asks about: what breaks, what is new, what was
//! retired, which informational texts changed, and what only added coverage or
//! formatting. Each change names its case, old -> new, and the bump it forced. Empty
//! groups are left out. Every name and value is escaped or inside a code span: no
//! golden text reaches the page as markdown.

use super::change::{Kind, WireChange};
use super::render::{inline_change, md_code, md_escape};
use super::report::{Gated, Outcome};
use super::semver::Level;
use std::fmt::Write as _;

/// The groups, in the order release notes read them.
const GROUPS: [&str; 5] = [
    "Breaking",
    "New",
    "Retired",
    "Informational",
    "Coverage and formatting only",
];

/// Which group a change belongs to (an index into [`GROUPS`]).
fn group(c: &WireChange) -> usize {
    match c.kind {
        Kind::CaseRetired | Kind::TombstoneAdded | Kind::TombstoneEdited => 2,
        _ if c.level() == Level::Major => 0,
        _ if c.level() == Level::Minor => 1,
        Kind::InformationalChanged | Kind::InformationalRemoved => 3,
        _ => 4,
    }
}

/// The release notes of every gated crate.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let krate = md_escape(&o.krate);
        match &o.result {
            Ok(Gated::Compared(r)) => {
                let _ = writeln!(
                    out,
                    "## {krate} {}\n\nWire changes since {}.\n",
                    md_escape(&r.bump.to.to_string()),
                    md_escape(&r.baseline)
                );
                if r.changes.is_empty() {
                    out.push_str("No wire changes.\n\n");
                }
                for (i, title) in GROUPS.iter().enumerate() {
                    let changes: Vec<&WireChange> =
                        r.changes.iter().filter(|c| group(c) == i).collect();
                    if changes.is_empty() {
                        continue;
                    }
                    let _ = writeln!(out, "### {title}\n");
                    for c in changes {
                        let _ = write!(
                            out,
                            "- {}: {}",
                            md_code(&c.trial()),
                            md_escape(&c.describe())
                        );
                        if let Some(detail) = inline_change(c) {
                            let _ = write!(out, ": {}", md_code(&detail));
                        }
                        let _ = writeln!(out, " ({})", c.level());
                    }
                    out.push('\n');
                }
            }
            Ok(Gated::FirstRelease { version, .. }) => {
                let _ = writeln!(
                    out,
                    "## {krate} {}\n\nFirst release: no earlier release to compare with.\n",
                    md_escape(&version.to_string())
                );
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "## {krate}\n\nNo release notes: the gate could not run ({}).\n",
                    md_escape(&e.to_string().replace('\n', " "))
                );
            }
        }
    }
    out
}
