//! `cargo wire-compat pending`: what is waiting for review, as a list, with diffs
//! (`--diff`), or as JSON for tools (`--format json`; the fields are documented in
//! CONTRIBUTING, under "Approving a golden change").

use crate::approve::kind;
use crate::json::string;
use crate::select::Pending;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use wire_compat::_support::{
    change_diff, load, pending_path, shown, Approver, Color, Location, PENDING_FORMAT,
};
use wire_compat::Entry;

/// The version of the JSON listing; raised when a field changes meaning or goes.
pub(crate) const JSON_VERSION: u32 = 1;

/// The golden file of a pending change, as shown (relative to the current folder).
pub(crate) fn golden_path(p: &Pending) -> String {
    shown(&p.goldens.dir.join(format!("{}.yaml", p.change.stem)))
}

/// The lines of cases in their goldens today, each golden read once however many of
/// its changes are listed (reading it per change made a listing of 10,000 changes
/// read each golden a hundred times).
#[derive(Default)]
pub(crate) struct Lines(HashMap<PathBuf, HashMap<String, usize>>);

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
pub(crate) fn diff(p: &Pending, line: Option<usize>, color: Color) -> String {
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

/// The text listing: one line per change, each followed by its diff when asked.
pub(crate) fn text(items: &[Pending], with_diff: bool, color: Color) -> String {
    let mut out = String::new();
    let mut lines = Lines::default();
    for p in items {
        let _ = writeln!(
            out,
            "{}  ({})  {}",
            p.change.trial(),
            kind(&p.change),
            golden_path(p)
        );
        if with_diff {
            out.push_str(&diff(p, lines.of(p), color));
            out.push('\n');
        }
    }
    out
}

/// The JSON listing (see CONTRIBUTING for every field).
pub(crate) fn json(items: &[Pending]) -> String {
    let mut lines = Lines::default();
    let mut out = format!(
        "{{\"version\": {JSON_VERSION}, \"pending_format\": {PENDING_FORMAT}, \"changes\": ["
    );
    for (i, p) in items.iter().enumerate() {
        let c = &p.change;
        let record = shown(&pending_path(&p.goldens.dir, &c.stem, &c.id));
        let _ = write!(
            out,
            "{}\n  {{\"trial\": {}, \"file\": {}, \"case\": {}, \"kind\": {}, \"golden\": {}, \
             \"line\": {}, \"record\": {}, \"old\": {}, \"new\": {}}}",
            if i == 0 { "" } else { "," },
            string(&c.trial()),
            string(&c.stem),
            string(&c.id),
            string(kind(c)),
            string(&golden_path(p)),
            lines.of(p).map_or("null".to_owned(), |l| l.to_string()),
            string(&record),
            entry(c.old.as_ref()),
            entry(c.new.as_ref()),
        );
    }
    out.push_str(if items.is_empty() { "]}\n" } else { "\n]}\n" });
    out
}

fn entry(e: Option<&Entry>) -> String {
    e.map_or_else(|| "null".to_owned(), crate::json::entry)
}
