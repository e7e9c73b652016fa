//! Failure reports: what changed, where the golden is, and the command that fixes it.

use crate::approver::Approver;
use crate::entry::Entry;
use crate::env::Color;
use crate::golden::render_entry;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write as _;

/// Where a case lives, for the report's location line and approval command.
#[derive(Debug, Clone)]
pub struct Location<'a> {
    /// The trial name, `<file>::<case>`.
    pub trial: &'a str,
    /// The golden file as the user should see it (repository-relative when possible).
    pub shown_path: &'a str,
    /// The case's line in the golden file, when it has one.
    pub line: Option<usize>,
    /// How to approve the change where the suite runs.
    pub approve: &'a Approver,
}

impl Location<'_> {
    fn at(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.shown_path),
            None => self.shown_path.to_owned(),
        }
    }

    /// The closing paragraph: the command that approves the change. When the run
    /// records nothing (`unrecorded` says why: CI, `UPDATE_GOLDENS=0`), an `accept`
    /// would find nothing, so the paragraph says so and gives the command that
    /// reproduces the change on the user's machine and approves it there.
    fn approval(&self, out: &mut String, what: &str, unrecorded: Option<&str>) {
        match unrecorded {
            None => {
                let _ = writeln!(
                    out,
                    "\nIf {what} is intended, approve it:\n    {}\n{}",
                    self.approve.accept(self.trial),
                    self.approve.alternatives()
                );
            }
            Some(why) => {
                let _ = writeln!(
                    out,
                    "\nNothing was recorded ({why}). If {what} is intended, reproduce and \
                     approve it on your machine:\n    {}",
                    self.approve.accept(self.trial),
                );
            }
        }
    }
}

/// A case whose rendered facts differ from its golden entry; `unrecorded` says why the
/// run records nothing, if it does not.
pub fn drift(
    loc: &Location,
    id: &str,
    golden: &Entry,
    rendered: &Entry,
    color: Color,
    unrecorded: Option<&str>,
) -> String {
    let mut out = String::new();
    let fields = changed_fields(golden, rendered);
    let _ = writeln!(
        out,
        "wire drift: {} no longer matches its golden ({} changed)",
        loc.trial,
        fields.join(", ")
    );
    let _ = writeln!(out, "  golden: {}", loc.at());
    out.push('\n');
    let old = render_entry(id, golden);
    let new = render_entry(id, rendered);
    unified(&mut out, loc, &old, &new, color);
    loc.approval(&mut out, "the change", unrecorded);
    out.push_str("Otherwise restore the old text in the source.\n");
    out
}

/// A case with no golden entry: a new variant or sample nobody approved yet.
pub fn new_case(
    loc: &Location,
    id: &str,
    rendered: &Entry,
    file_exists: bool,
    color: Color,
    unrecorded: Option<&str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "unapproved case: {} has no golden entry", loc.trial);
    if file_exists {
        let _ = writeln!(out, "  golden file: {} (no entry `{id}`)", loc.shown_path);
    } else {
        let _ = writeln!(out, "  golden file: {} does not exist yet", loc.shown_path);
    }
    out.push('\n');
    unified(&mut out, loc, "", &render_entry(id, rendered), color);
    loc.approval(&mut out, "this new wire case", unrecorded);
    out
}

/// A golden entry whose case no longer exists: a removed or renamed variant.
pub fn orphan(
    loc: &Location,
    id: &str,
    golden: &Entry,
    color: Color,
    unrecorded: Option<&str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "orphan golden: {} is pinned but no case renders it any more (variant removed or renamed?)",
        loc.trial
    );
    let _ = writeln!(out, "  golden: {}", loc.at());
    out.push('\n');
    unified(&mut out, loc, &render_entry(id, golden), "", color);
    loc.approval(&mut out, "the removal", unrecorded);
    out.push_str(
        "Removing a wire case is a breaking change. To keep its code reserved instead, mark the\n\
         entry retired (add `retired: \"<why, since which version>\"`) and keep it in the file.\n",
    );
    out
}

/// A field name as reports show it: as the golden writes it (plain, or double-quoted
/// with escapes), so a name holding a line break or control character cannot start a
/// line of its own in a log (a CI runner would obey a `::error` line it injected).
pub fn shown_name(name: &str) -> String {
    let mut out = String::new();
    crate::golden::push_key(&mut out, name);
    out
}

fn changed_fields(golden: &Entry, rendered: &Entry) -> Vec<String> {
    let mut names: Vec<&str> = golden
        .fields()
        .chain(rendered.fields())
        .map(|(k, _)| k)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter(|n| golden.get(n) != rendered.get(n))
        .map(|n| format!("`{}`", shown_name(n)))
        .collect()
}

/// The diff of one change as `cargo wire-compat review` shows it: old entry (absent for a
/// new case) against new entry (absent for a removed case), with highlights.
pub fn change_diff(
    loc: &Location,
    id: &str,
    old: Option<&Entry>,
    new: Option<&Entry>,
    color: Color,
) -> String {
    let mut out = String::new();
    let old = old.map(|e| render_entry(id, e)).unwrap_or_default();
    let new = new.map(|e| render_entry(id, e)).unwrap_or_default();
    unified(&mut out, loc, &old, &new, color);
    out
}

/// Writes a unified diff of two entry renderings, with the changed characters
/// highlighted: in colour as inverse video, in plain text as a `^` marker line under
/// each changed line, so a CI log shows exactly which characters moved.
fn unified(out: &mut String, loc: &Location, old: &str, new: &str, color: Color) {
    let diff = TextDiff::from_lines(old, new);
    let start = loc.line.unwrap_or(1);
    let _ = writeln!(
        out,
        "{}",
        color.paint("1", &format!("--- golden   {}", loc.at()))
    );
    let _ = writeln!(out, "{}", color.paint("1", "+++ rendered from the source"));
    let (old_n, new_n) = (old.lines().count(), new.lines().count());
    let _ = writeln!(
        out,
        "{}",
        color.paint("36", &format!("@@ -{start},{old_n} +{start},{new_n} @@"))
    );
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let (sign, sgr) = match change.tag() {
                ChangeTag::Equal => (' ', ""),
                ChangeTag::Delete => ('-', "31"),
                ChangeTag::Insert => ('+', "32"),
            };
            let mut line = String::new();
            let mut marks = String::new();
            let mut any_mark = false;
            for (emph, text) in change.iter_strings_lossy() {
                let text = text.trim_end_matches('\n');
                let width = text.chars().count();
                if emph && change.tag() != ChangeTag::Equal {
                    any_mark = true;
                    marks.push_str(&"^".repeat(width));
                    line.push_str(&color.paint(&format!("{sgr};7"), text));
                } else {
                    marks.push_str(&" ".repeat(width));
                    line.push_str(&if sgr.is_empty() {
                        text.to_owned()
                    } else {
                        color.paint(sgr, text)
                    });
                }
            }
            let sign = if sgr.is_empty() {
                sign.to_string()
            } else {
                color.paint(sgr, &sign.to_string())
            };
            let _ = writeln!(out, "{sign}{line}");
            if any_mark && !color.is_on() {
                let _ = writeln!(out, " {}", marks.trim_end());
            }
        }
    }
}
