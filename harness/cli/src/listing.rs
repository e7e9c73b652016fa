//! `cargo wire-compat pending`: what is waiting for review, as a list, with diffs
//! (`--diff`), or as JSON for tools (`--format json`; the fields are documented in
//! CONTRIBUTING, under "Approving a golden change").

use crate::approve::kind;
use crate::json::{to_text, Fields};
use crate::select::{Names, Pending};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use wire_compat::_support::{
    change_diff, load, pending_path, shown, Approver, Color, Location, PENDING_FORMAT,
};

/// The version of the JSON listing; raised when a field changes meaning or goes.
pub const JSON_VERSION: u32 = 1;

/// `pending --format json`: the documented schema (CONTRIBUTING, "Approving a golden
/// change") as a type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// The shape of this document.
    pub version: u32,
    /// The pending-record format this tool reads.
    pub pending_format: i64,
    /// One object per pending change, in the suite's order.
    pub changes: Vec<Listed>,
}

/// One pending change in the JSON listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listed {
    /// `<file>::<case>`, a FILTER that selects exactly it.
    pub trial: String,
    /// The golden file's stem.
    pub file: String,
    /// The case id.
    pub case: String,
    /// `changed`, `new case` or `removed case`.
    pub kind: String,
    /// The golden file, relative to the current folder.
    pub golden: String,
    /// The case's line in that golden today, or `null`.
    pub line: Option<usize>,
    /// The pending record's path, relative to the current folder.
    pub record: String,
    /// The entry before, or `null` for a new case.
    pub old: Option<Fields>,
    /// The entry after, or `null` for a removed case.
    pub new: Option<Fields>,
}

/// The golden file of a pending change, as shown (relative to the current folder).
pub fn golden_path(p: &Pending) -> String {
    shown(&p.goldens.dir.join(format!("{}.yaml", p.change.stem)))
}

/// The lines of cases in their goldens today, each golden read once however many of
/// its changes are listed (reading it per change made a listing of 10,000 changes
/// read each golden a hundred times).
#[derive(Default)]
pub struct Lines(HashMap<PathBuf, HashMap<String, usize>>);

impl Lines {
    /// The line of the change's case in its golden, if it has one.
    pub fn of(&mut self, p: &Pending) -> Option<usize> {
        let path = p.goldens.dir.join(format!("{}.yaml", p.change.stem));
        let lines = self
            .0
            .entry(path)
            .or_insert_with_key(|path| match load(path) {
                Ok(Some(file)) => file.cases.into_iter().map(|c| (c.id, c.line)).collect(),
                _ => HashMap::new(),
            });
        lines.get(&p.change.id).copied()
    }
}

/// A change's diff against its golden, with the golden's path and real line.
pub fn diff(p: &Pending, line: Option<usize>, color: Color) -> String {
    let trial = p.change.trial();
    let path = golden_path(p);
    let approver = Approver::Tool("cargo wire-compat".into());
    let loc = Location {
        trial: &trial,
        shown_path: &path,
        line,
        approve: &approver,
    };
    let c = &p.change;
    change_diff(&loc, &c.id, c.old.as_ref(), c.new.as_ref(), color)
}

/// The text listing: one line per change (the trial, what changed, the golden and
/// the case's line in it), each followed by its diff when asked.
pub fn text(items: &[Pending], with_diff: bool, color: Color) -> String {
    let mut out = String::new();
    let mut lines = Lines::default();
    let names = Names::of(items);
    for p in items {
        let line = lines.of(p);
        let at = match line {
            Some(l) => format!("{}:{l}", golden_path(p)),
            None => golden_path(p),
        };
        let _ = writeln!(out, "{}  ({})  {at}", names.trial(p), kind(&p.change));
        if with_diff {
            out.push_str(&diff(p, line, color));
            out.push('\n');
        }
    }
    out
}

/// The JSON listing as a typed document.
pub fn listing(items: &[Pending]) -> Listing {
    let mut lines = Lines::default();
    let changes = items
        .iter()
        .map(|p| {
            let c = &p.change;
            Listed {
                trial: c.trial(),
                file: c.stem.clone(),
                case: c.id.clone(),
                kind: kind(c).to_owned(),
                golden: golden_path(p),
                line: lines.of(p),
                record: shown(&pending_path(&p.goldens.dir, &c.stem, &c.id)),
                old: c.old.as_ref().map(Fields::from),
                new: c.new.as_ref().map(Fields::from),
            }
        })
        .collect();
    Listing {
        version: JSON_VERSION,
        pending_format: PENDING_FORMAT,
        changes,
    }
}

/// The JSON listing's text (see CONTRIBUTING for every field).
pub fn json(items: &[Pending]) -> String {
    to_text(&listing(items), 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::documented;
    use crate::locate::Goldens;
    use wire_compat::_support::{record, Change};
    use wire_compat::Entry;

    fn items(dir: &std::path::Path) -> Vec<Pending> {
        std::fs::write(
            dir.join("errors.yaml"),
            "cases:\n  A:\n    message: \"a\"\n    code: 3\n",
        )
        .unwrap();
        let changes = [
            Change {
                stem: "errors".into(),
                id: "A".into(),
                old: Some(Entry::new().with("message", "a").with("code", 3)),
                new: Some(
                    Entry::new()
                        .with("message", "a \"quoted\"\n")
                        .with("code", 4),
                ),
                header: Vec::new(),
            },
            Change {
                stem: "errors".into(),
                id: "B".into(),
                old: None,
                new: Some(Entry::new().with("ok", true)),
                header: Vec::new(),
            },
        ];
        changes
            .into_iter()
            .map(|change| {
                record(dir, &change).unwrap();
                Pending {
                    goldens: Goldens::new(dir.to_owned(), None),
                    change,
                }
            })
            .collect()
    }

    #[test]
    fn the_pending_json_listing_reads_back_into_its_type_and_matches_its_documentation() {
        let dir = tempfile::tempdir().unwrap();
        let items = items(dir.path());
        let text = json(&items);
        let back: Listing = serde_json::from_str(&text).unwrap();
        assert_eq!(back, listing(&items));
        assert_eq!(back.changes[0].line, Some(2));
        assert_eq!(back.changes[1].old, None);
        // Every field the documentation lists, and no other.
        let Some(doc) = documented::contributing() else {
            eprintln!("skipped the documentation check: no CONTRIBUTING.md beside the package");
            return;
        };
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            documented::fields(&doc, "pending --format json` prints one object"),
            documented::keys(&value),
        );
    }
}
