//! The gate's outcomes as one JSON document for tools (`--format json`).
//!
//! Written by hand (the harness has no JSON dependency and needs none for one small
//! document); `crate::json` escapes every string so any message survives. The shape is
//! versioned by `format_version` and documented field by field in CONTRIBUTING.md
//! ("Releasing"), because tools parse it and must learn of a change.

use super::change::Shown;
use super::report::{Gated, Outcome};
use crate::json::{entry as json_entry, string as json_str, value as json_value};
use std::fmt::Write as _;

/// The version of the document's shape. 1 was the unversioned single-crate object
/// before workspaces; 2 holds one object per crate under `crates`.
pub const FORMAT_VERSION: u32 = 2;

/// The outcomes as one JSON object (fields: CONTRIBUTING.md, "Releasing").
pub fn render(outcomes: &[Outcome], report_only: bool) -> String {
    let mut out = String::new();
    let covered = outcomes.iter().all(|o| match &o.result {
        Ok(Gated::Compared(r)) => r.ok(),
        Ok(Gated::FirstRelease { .. }) => true,
        Err(_) => false,
    });
    let _ = writeln!(out, "{{");
    let _ = writeln!(out, "  \"format_version\": {FORMAT_VERSION},");
    let _ = writeln!(out, "  \"ok\": {covered},");
    let _ = writeln!(out, "  \"report_only\": {report_only},");
    out.push_str("  \"crates\": [");
    for (i, o) in outcomes.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        crate_object(&mut out, o);
    }
    out.push_str(if outcomes.is_empty() {
        "]\n"
    } else {
        "\n  ]\n"
    });
    out.push_str("}\n");
    out
}

/// `null` or a JSON string.
fn opt(v: Option<String>) -> String {
    v.map_or("null".to_owned(), |s| json_str(&s))
}

/// One crate's object, indented for the `crates` array.
fn crate_object(out: &mut String, o: &Outcome) {
    let (status, report) = match &o.result {
        Ok(Gated::Compared(r)) if r.ok() => ("covered", Some(r)),
        Ok(Gated::Compared(r)) => ("refused", Some(r)),
        Ok(Gated::FirstRelease { .. }) => ("first-release", None),
        Err(_) => ("error", None),
    };
    let first_version = match &o.result {
        Ok(Gated::FirstRelease { version, .. }) => Some(version.to_string()),
        _ => None,
    };
    let (why, note) = match &o.result {
        Ok(Gated::Compared(r)) => (Some(r.why.clone()), r.note.clone()),
        Ok(Gated::FirstRelease { why, note, .. }) => (Some(why.clone()), note.clone()),
        Err(_) => (None, None),
    };
    let fields: Vec<(&str, String)> = vec![
        ("crate", json_str(&o.krate)),
        ("manifest", json_str(&o.manifest)),
        ("status", json_str(status)),
        ("ok", (status != "refused" && status != "error").to_string()),
        ("summary", json_str(&o.summary())),
        (
            "error",
            opt(o.result.as_ref().err().map(ToString::to_string)),
        ),
        ("baseline", opt(report.map(|r| r.baseline.clone()))),
        ("baseline_reason", opt(why)),
        ("note", opt(note)),
        (
            "baseline_version",
            opt(report.map(|r| r.bump.from.to_string())),
        ),
        (
            "version",
            opt(report.map(|r| r.bump.to.to_string()).or(first_version)),
        ),
        ("bump", opt(report.map(|r| r.bump.kind_name().to_owned()))),
        (
            "bump_level",
            opt(report.map(|r| r.bump.level.name().to_owned())),
        ),
        (
            "required",
            opt(report.map(|r| r.required.name().to_owned())),
        ),
        (
            "smallest_version",
            opt(report.and_then(|r| r.smallest()).map(|v| v.to_string())),
        ),
        (
            "warnings",
            format!(
                "[{}]",
                o.warnings()
                    .iter()
                    .map(|w| json_str(w))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    ];
    out.push_str("    {\n");
    for (k, v) in fields {
        let _ = writeln!(out, "      \"{k}\": {v},");
    }
    out.push_str("      \"changes\": [");
    let changes = report.map_or(&[][..], |r| &r.changes[..]);
    for (i, c) in changes.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let mut fields = vec![
            ("file", json_str(&c.file)),
            ("line", c.line.map_or("null".into(), |l| l.to_string())),
            ("old_file", json_str(&c.old_file)),
            (
                "old_line",
                c.old_line.map_or("null".into(), |l| l.to_string()),
            ),
            ("trial", json_str(&c.trial())),
            ("case", opt(c.case.clone())),
            ("field", opt(c.field.clone())),
            ("kind", json_str(c.kind.id())),
            ("description", json_str(&c.describe())),
            ("level", json_str(c.level().name())),
        ];
        if let Some(old) = &c.old {
            fields.push(("old", json_shown(old)));
        }
        if let Some(new) = &c.new {
            fields.push(("new", json_shown(new)));
        }
        let body: Vec<String> = fields
            .into_iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        let _ = write!(out, "        {{{}}}", body.join(", "));
    }
    out.push_str(if changes.is_empty() {
        "]\n"
    } else {
        "\n      ]\n"
    });
    out.push_str("    }");
}

/// One side of a change as JSON.
fn json_shown(s: &Shown) -> String {
    match s {
        Shown::Value(v) => json_value(v),
        Shown::Entry(e) => json_entry(e),
    }
}
