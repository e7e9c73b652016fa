//! The gate's report in four formats: text for people, markdown for release notes,
//! JSON for tools, and GitHub workflow annotations for pull requests and tags.
//!
//! JSON is written by hand (the harness has no JSON dependency and needs none for one
//! flat document); [`json_str`] escapes every string so any message survives.

use super::classify::{Change, Kind, Shown};
use super::semver::Level;
use super::Report;
use compat_harness::_support::Color;
use compat_harness::{Entry, Value};
use std::fmt::Write as _;

/// The report as plain text: the summary line, then one line per change with its
/// old and new values, then what to do when refused.
pub fn text(r: &Report, color: Color) -> String {
    let mut out = String::new();
    let sgr = if r.ok() { "1;32" } else { "1;31" };
    let _ = writeln!(out, "{}", color.paint(sgr, &r.summary()));
    for c in &r.changes {
        let _ = writeln!(
            out,
            "{}  {}  {} ({})",
            c.location(),
            c.trial(),
            c.describe(),
            c.level()
        );
        for (sign, line) in value_lines(c) {
            let painted = color.paint(
                if sign == '-' { "31" } else { "32" },
                &format!("{sign} {line}"),
            );
            let _ = writeln!(out, "    {painted}");
        }
    }
    for line in advice(r) {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// What to do next, when the gate refuses (or would, in report-only mode).
fn advice(r: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    if r.ok() {
        return lines;
    }
    let what = if r.required == Level::Major {
        "what breaks"
    } else {
        "the additions"
    };
    let them = match r.changes.iter().filter(|c| c.level() > Level::None).count() {
        1 => "this change",
        _ => "these changes",
    };
    match r.smallest() {
        Some(v) => lines.push(format!(
            "to release {them}, set the version to {v} or later (Cargo.toml), or undo {what}."
        )),
        None => lines.push(format!("undo {what}, or bump the version.")),
    }
    if r.changes.iter().any(|c| c.kind == Kind::CaseRemoved) {
        lines.push(
            "to remove a case without a major bump, keep its entry as a tombstone: add \
             `retired: \"<why, since which version>\"` (CONTRIBUTING.md, \"Retiring a case\")."
                .into(),
        );
    }
    if r.report_only {
        lines.push("(report only: not failing)".into());
    }
    lines
}

/// The `-`/`+` lines of a change: one per value, or one per field of an entry
/// (only the differing fields when both sides are entries).
fn value_lines(c: &Change) -> Vec<(char, String)> {
    let mut lines = Vec::new();
    match (&c.old, &c.new) {
        (Some(Shown::Entry(o)), Some(Shown::Entry(n))) => {
            for (name, value) in o.fields().filter(|(k, v)| n.get(k) != Some(*v)) {
                lines.push(('-', format!("{name}: {value}")));
            }
            for (name, value) in n.fields().filter(|(k, v)| o.get(k) != Some(*v)) {
                lines.push(('+', format!("{name}: {value}")));
            }
        }
        (old, new) => {
            for (sign, side) in [('-', old), ('+', new)] {
                match side {
                    Some(Shown::Value(v)) => lines.push((sign, v.to_string())),
                    Some(Shown::Entry(e)) => {
                        for (name, value) in e.fields() {
                            lines.push((sign, format!("{name}: {value}")));
                        }
                    }
                    None => {}
                }
            }
        }
    }
    lines
}

/// One side of a change on one line: the value, or `{name: value, ...}`.
fn inline(side: &Option<Shown>) -> Option<String> {
    match side {
        Some(Shown::Value(v)) => Some(v.to_string()),
        Some(Shown::Entry(e)) => Some(format!(
            "{{{}}}",
            e.fields()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => None,
    }
}

/// `old -> new`, `removed: old` or `new`, for one-line formats.
fn inline_change(c: &Change) -> Option<String> {
    match (inline(&c.old), inline(&c.new)) {
        (Some(o), Some(n)) if matches!(c.old, Some(Shown::Value(_))) => Some(format!("{o} -> {n}")),
        (Some(_), Some(_)) => value_lines(c)
            .into_iter()
            .map(|(s, l)| format!("{s}{l}"))
            .reduce(|a, b| format!("{a}; {b}")),
        (Some(o), None) => Some(format!("was {o}")),
        (None, Some(n)) => Some(n),
        (None, None) => None,
    }
}

/// The report as markdown for release notes: a heading, the verdict, and the
/// changes grouped by level.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Wire changes since {}\n", md_escape(&r.baseline));
    let verdict = if r.ok() { "OK" } else { "Refused" };
    let _ = writeln!(out, "**{verdict}:** {}\n", md_escape(&r.summary()));
    let groups = [
        (Level::Major, "Breaking (major)"),
        (Level::Minor, "Additive (minor)"),
        (Level::None, "No wire effect"),
    ];
    for (level, title) in groups {
        let changes: Vec<&Change> = r.changes.iter().filter(|c| c.level() == level).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in changes {
            let _ = write!(
                out,
                "- {}: {} ({})",
                md_code(&c.trial()),
                md_escape(&c.describe()),
                md_code(&c.location())
            );
            if let Some(detail) = inline_change(c) {
                let _ = write!(out, ": {}", md_code(&detail));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    // The advice is this module's own text, already valid markdown (code spans).
    for line in advice(r) {
        let _ = writeln!(out, "{line}\n");
    }
    out
}

/// Escapes the characters markdown would read as formatting.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A markdown code span that shows `s` verbatim, backticks included.
fn md_code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// The report as one JSON object (see `cargo compat gate --help` for its fields).
pub fn json(r: &Report) -> String {
    let mut out = String::new();
    let opt = |v: Option<String>| v.map_or("null".to_owned(), |s| json_str(&s));
    let _ = writeln!(out, "{{");
    let _ = writeln!(out, "  \"ok\": {},", r.ok());
    let _ = writeln!(out, "  \"report_only\": {},", r.report_only);
    let _ = writeln!(out, "  \"summary\": {},", json_str(&r.summary()));
    let _ = writeln!(out, "  \"baseline\": {},", json_str(&r.baseline));
    let _ = writeln!(
        out,
        "  \"baseline_version\": {},",
        json_str(&r.bump.from.to_string())
    );
    let _ = writeln!(out, "  \"version\": {},", json_str(&r.bump.to.to_string()));
    let _ = writeln!(out, "  \"bump\": {},", json_str(r.bump.kind_name()));
    let _ = writeln!(out, "  \"bump_level\": {},", json_str(r.bump.level.name()));
    let _ = writeln!(out, "  \"required\": {},", json_str(r.required.name()));
    let _ = writeln!(
        out,
        "  \"smallest_version\": {},",
        opt(r.smallest().map(|v| v.to_string()))
    );
    out.push_str("  \"changes\": [");
    for (i, c) in r.changes.iter().enumerate() {
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
        let _ = write!(out, "    {{{}}}", body.join(", "));
    }
    out.push_str(if r.changes.is_empty() {
        "]\n"
    } else {
        "\n  ]\n"
    });
    out.push_str("}\n");
    out
}

fn json_value(v: &Value) -> String {
    match v {
        Value::Str(s) => json_str(s),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
    }
}

fn json_entry(e: &Entry) -> String {
    let body: Vec<String> = e
        .fields()
        .map(|(k, v)| format!("{}: {}", json_str(k), json_value(v)))
        .collect();
    format!("{{{}}}", body.join(", "))
}

fn json_shown(s: &Shown) -> String {
    match s {
        Shown::Value(v) => json_value(v),
        Shown::Entry(e) => json_entry(e),
    }
}

/// A JSON string literal: quotes, backslashes and every control character escaped.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The report as GitHub workflow commands: the summary, then one annotation per wire
/// change on its golden line. Changes the bump does not cover are `::error` (or
/// `::warning` with `--report-only`, where the job does not fail); the others are
/// `::notice`. Changes without wire effect are not annotated.
pub fn github(r: &Report) -> String {
    let mut out = String::new();
    let uncovered = if r.report_only { "warning" } else { "error" };
    let summary_cmd = if r.ok() { "notice" } else { uncovered };
    let _ = writeln!(
        out,
        "::{summary_cmd} title=Release gate::{}",
        gh_data(&r.summary())
    );
    for c in r.changes.iter().filter(|c| c.level() > Level::None) {
        let cmd = if r.bump.covers(c.level()) {
            "notice"
        } else {
            uncovered
        };
        let mut props = Vec::new();
        if c.kind != Kind::FileRemoved {
            props.push(format!("file={}", gh_prop(&c.file)));
            if let Some(line) = c.line {
                props.push(format!("line={line}"));
            }
        }
        props.push(format!(
            "title={}",
            gh_prop(&format!("{} ({})", c.describe(), c.level()))
        ));
        let mut msg = format!("{}: {} needs a {} bump", c.trial(), c.describe(), c.level());
        if c.line.is_none() {
            let _ = write!(msg, " (at {})", c.location());
        }
        if let Some(detail) = inline_change(c) {
            let _ = write!(msg, ": {detail}");
        }
        let _ = writeln!(out, "::{cmd} {}::{}", props.join(","), gh_data(&msg));
    }
    for line in advice(r) {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Escapes a workflow command's message.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_everything_json_forbids() {
        assert_eq!(
            json_str("a\"b\\c\nd\te\u{1}é\u{2028}"),
            r#""a\"b\\c\nd\te\u0001é\u2028""#
        );
    }

    #[test]
    fn github_commands_escape_their_separators() {
        assert_eq!(gh_data("50%\nx::y"), "50%25%0Ax::y");
        assert_eq!(gh_prop("a,b: c"), "a%2Cb%3A c");
    }

    #[test]
    fn markdown_code_spans_survive_backticks() {
        assert_eq!(md_code("a"), "`a`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_escape("a|b_c~1"), "a\\|b\\_c\\~1");
    }
}
