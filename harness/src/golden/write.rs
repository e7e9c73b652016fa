//! The canonical text of a golden file: the one form every write produces.
//!
//! Canonical form is what makes approvals reviewable: cases in natural id order,
//! fields in name order, every string double-quoted with the same escapes, LF line
//! endings, one fact per line. Rewriting an unchanged golden therefore gives the same
//! bytes, and a reworded message shows in `git diff` as exactly its own line.

use super::file::{Declared, GOLDEN_FORMAT};
use crate::entry::write_quoted;
use crate::entry::{Entry, Value};
use crate::id::natural_cmp;
use std::fmt::Write as _;

/// How to approve a change; appended to every header so a reader of the file knows.
pub const APPROVAL_LINES: [&str; 3] = [
    "Generated and checked by the compat suite (`cargo test`); do not edit by hand.",
    "Approve an intended change with `cargo wire-compat review` (or `cargo wire-compat accept`,",
    "or `UPDATE_GOLDENS=1 cargo test`), then commit this file with the change.",
];

/// Renders a whole golden file of the current format: header comment, `format: 2`,
/// the declarations (`policy:` in field order, `variants:` in the catalog's order;
/// each left out when empty), then `cases:` in natural id order.
pub fn render_golden<'a>(
    declared: &Declared,
    header: &[String],
    cases: impl IntoIterator<Item = (&'a str, &'a Entry)>,
) -> String {
    let mut top = format!("format: {GOLDEN_FORMAT}\n");
    if !declared.policy.is_empty() {
        top.push_str("policy:\n");
        for (name, policy) in &declared.policy {
            top.push_str("  ");
            push_key(&mut top, name);
            let _ = writeln!(top, ": {}", policy.name());
        }
    }
    if !declared.variants.is_empty() {
        top.push_str("variants:\n");
        for name in &declared.variants {
            top.push_str("  - ");
            let _ = write_quoted(&mut top, name);
            top.push('\n');
        }
    }
    render_with(header, &top, cases)
}

/// Renders a file in golden form without declarations (format 1): what a pending
/// record is, and what tests use to write goldens of the first format.
///
/// `header` holds the comment lines without their `# ` prefix.
pub fn render_file<'a>(
    header: &[String],
    cases: impl IntoIterator<Item = (&'a str, &'a Entry)>,
) -> String {
    render_with(header, "", cases)
}

fn render_with<'a>(
    header: &[String],
    top: &str,
    cases: impl IntoIterator<Item = (&'a str, &'a Entry)>,
) -> String {
    let mut cases: Vec<_> = cases.into_iter().collect();
    cases.sort_by(|a, b| natural_cmp(a.0, b.0));
    let mut out = String::with_capacity(64 + cases.len() * 64);
    for line in header {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            // A comment ends at a line break, and YAML refuses some characters
            // anywhere: either in a header line would make the golden unloadable.
            let line: String = line
                .chars()
                .map(|c| if comment_safe(c) { c } else { '\u{fffd}' })
                .collect();
            let _ = writeln!(out, "# {line}");
        }
    }
    out.push_str(top);
    out.push_str("cases:\n");
    for (id, entry) in cases {
        out.push_str("  ");
        push_key(&mut out, id);
        out.push(':');
        render_entry_body(&mut out, entry, "    ");
    }
    out
}

/// Renders one entry as it appears in a golden file (id line plus field lines), used
/// by failure reports so their diff shows the very lines of the file.
pub fn render_entry(id: &str, entry: &Entry) -> String {
    let mut out = String::new();
    out.push_str("  ");
    push_key(&mut out, id);
    out.push(':');
    render_entry_body(&mut out, entry, "    ");
    out
}

fn render_entry_body(out: &mut String, entry: &Entry, indent: &str) {
    if entry.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push('\n');
    for (name, value) in entry.fields() {
        out.push_str(indent);
        push_key(out, name);
        out.push_str(": ");
        push_value(out, value);
        out.push('\n');
    }
}

/// Appends a scalar in canonical form.
pub fn push_value(out: &mut String, value: &Value) {
    match value {
        Value::Str(s) => {
            let _ = write_quoted(out, s);
        }
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
    }
}

/// Appends a mapping key: plain when that is unambiguous, else double-quoted.
pub fn push_key(out: &mut String, key: &str) {
    if is_plain_key(key) {
        out.push_str(key);
    } else {
        let _ = write_quoted(out, key);
    }
}

/// Whether a key is written unquoted: YAML reads it back as the same string.
pub(crate) fn is_plain_key(key: &str) -> bool {
    const RESERVED: [&str; 10] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    key.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'+' | b'-'))
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(key))
}

/// Whether `c` may stand in a comment: YAML-printable and not a line break.
fn comment_safe(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}')
        || matches!(c, '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_sorted_naturally_and_fields_by_name() {
        let a = Entry::new().with("status", -10).with("message", "ten");
        let b = Entry::new().with("message", "two");
        let text = render_file(&["pins x".into()], [("s.-10", &a), ("s.-2", &b)]);
        assert_eq!(
            text,
            "# pins x\ncases:\n  s.-2:\n    message: \"two\"\n  s.-10:\n    message: \"ten\"\n    status: -10\n"
        );
    }

    #[test]
    fn awkward_keys_are_quoted() {
        let e = Entry::new();
        let text = render_file(&[], [("true", &e), ("v1", &e), ("1x", &e)]);
        assert_eq!(text, "cases:\n  \"1x\": {}\n  \"true\": {}\n  v1: {}\n");
    }

    #[test]
    fn escapes_keep_one_fact_per_line() {
        let mut s = String::new();
        write_quoted(&mut s, "a\"b\\c\nd\te\0\u{7}é\u{2028}").unwrap();
        assert_eq!(s, r#""a\"b\\c\nd\te\0\x07é\L""#);
    }
}
