//! The gate's outcomes for people: text for a terminal or CI log, markdown for
//! release notes and job summaries; and the pieces of a change's description that
//! every format shares ([`advice`], [`inline_change`]).

use super::change::{key, Kind, Shown, WireChange};
use super::report::{Gated, Outcome, Report};
use super::semver::{BumpKind, Level};
use ::semver::Version;
use std::fmt::Write as _;
use wire_compat::_support::Color;

/// `<crate>: ` before a summary when several crates are gated, so each verdict says
/// whose it is; nothing for one crate.
pub fn crate_prefix(o: &Outcome, several: bool) -> String {
    if several {
        format!("{}: ", o.krate)
    } else {
        String::new()
    }
}

/// The outcomes as plain text: per crate the summary line, why that baseline, then
/// one line per change with its old and new values, then what to do when refused.
pub fn text(outcomes: &[Outcome], color: Color) -> String {
    let several = outcomes.len() > 1;
    let mut out = String::new();
    for o in outcomes {
        let prefix = crate_prefix(o, several);
        let sgr = if o.status() == 0 { "1;32" } else { "1;31" };
        let summary = match &o.result {
            Err(_) => format!("{prefix}could not run: {}", one_line(&o.summary())),
            Ok(_) => format!("{prefix}{}", one_line(&o.summary())),
        };
        let _ = writeln!(out, "{}", color.paint(sgr, &summary));
        for line in o.details() {
            let _ = writeln!(out, "  ({})", one_line(&line));
        }
        for w in o.warnings() {
            let _ = writeln!(
                out,
                "{}",
                color.paint("1;33", &format!("warning: {}", one_line(w)))
            );
        }
        if let Ok(Gated::Compared(r)) = &o.result {
            text_changes(&mut out, r, color);
        }
    }
    out
}

/// The changes of one report and the advice, for [`text`].
fn text_changes(out: &mut String, r: &Report, color: Color) {
    for c in &r.changes {
        let _ = writeln!(
            out,
            "{}  {}  {} ({})",
            one_line(&c.location()),
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
}

/// What to do next, when the gate refuses (or would, in report-only mode).
pub fn advice(r: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    if r.ok() {
        return lines;
    }
    let what = match r.required {
        Level::Major => "what breaks",
        Level::Minor => "the additions",
        _ => "the informational changes",
    };
    let them = match r.changes.iter().filter(|c| c.level() > Level::None).count() {
        1 => "this change",
        _ => "these changes",
    };
    if r.bump.kind == BumpKind::Lower {
        let next = Version::new(r.bump.from.major, r.bump.from.minor, r.bump.from.patch + 1);
        let v = r.smallest().unwrap_or(next);
        lines.push(format!(
            "set the version above {} (at least {v}, Cargo.toml), or gate against another \
             baseline with `--against <REF>`.",
            r.bump.from
        ));
        if r.report_only {
            lines.push("(report only: not failing)".into());
        }
        return lines;
    }
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
fn value_lines(c: &WireChange) -> Vec<(char, String)> {
    let mut lines = Vec::new();
    match (&c.old, &c.new) {
        (Some(Shown::Entry(o)), Some(Shown::Entry(n))) => {
            for (name, value) in o.fields().filter(|(k, v)| n.get(k) != Some(*v)) {
                lines.push(('-', format!("{}: {value}", key(name))));
            }
            for (name, value) in n.fields().filter(|(k, v)| o.get(k) != Some(*v)) {
                lines.push(('+', format!("{}: {value}", key(name))));
            }
        }
        (old, new) => {
            for (sign, side) in [('-', old), ('+', new)] {
                match side {
                    Some(Shown::Value(v)) => lines.push((sign, v.to_string())),
                    Some(Shown::Entry(e)) => {
                        for (name, value) in e.fields() {
                            lines.push((sign, format!("{}: {value}", key(name))));
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
                .map(|(k, v)| format!("{}: {v}", key(k)))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => None,
    }
}

/// `old -> new`, `removed: old` or `new`, for one-line formats.
pub fn inline_change(c: &WireChange) -> Option<String> {
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

/// The outcomes as markdown for release notes: per crate a heading, the verdict, why
/// that baseline, and the changes grouped by level.
pub fn markdown(outcomes: &[Outcome]) -> String {
    let several = outcomes.len() > 1;
    let mut out = String::new();
    for o in outcomes {
        let prefix = md_escape(&crate_prefix(o, several));
        let r = match &o.result {
            Ok(Gated::Compared(r)) => r,
            Ok(Gated::FirstRelease { .. }) | Err(_) => {
                let verdict = if o.status() == 0 {
                    "OK"
                } else {
                    "Could not run"
                };
                let _ = writeln!(out, "## {prefix}Wire changes\n");
                let _ = writeln!(out, "**{verdict}:** {}\n", md_escape(&o.summary()));
                for line in o.details() {
                    let _ = writeln!(out, "{}\n", md_escape(&line));
                }
                continue;
            }
        };
        let _ = writeln!(
            out,
            "## {prefix}Wire changes since {}\n",
            md_escape(&r.baseline)
        );
        let verdict = if r.ok() { "OK" } else { "Refused" };
        let _ = writeln!(out, "**{verdict}:** {}\n", md_escape(&r.summary()));
        for line in o.details() {
            let _ = writeln!(out, "{}\n", md_escape(&line));
        }
        for w in o.warnings() {
            let _ = writeln!(out, "**Warning:** {}\n", md_escape(w));
        }
        md_changes(&mut out, r);
    }
    out
}

/// The changes of one report grouped by level, and the advice, for [`markdown`].
fn md_changes(out: &mut String, r: &Report) {
    let groups = [
        (Level::Major, "Breaking (major)"),
        (Level::Minor, "Additive (minor)"),
        (Level::Patch, "Informational (patch)"),
        (Level::None, "No wire effect"),
    ];
    for (level, title) in groups {
        let changes: Vec<&WireChange> = r.changes.iter().filter(|c| c.level() == level).collect();
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
}

/// `s` on one line: every control character (line breaks, escape sequences, the
/// Unicode line and paragraph separators) written as a visible escape, `\n`, `\u{1b}`,
/// so text from a golden, a path or git cannot start a line of its own in a log (where
/// `::error ...` at a line's start is a GitHub annotation) or move the terminal's cursor.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes the characters markdown would read as formatting (on one line).
pub(super) fn md_escape(s: &str) -> String {
    let s = one_line(s);
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

/// A markdown code span that shows `s` verbatim, backticks included (on one line: a
/// line break would end the list item, a blank line the span).
pub(super) fn md_code(s: &str) -> String {
    let s = &one_line(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_code_spans_survive_backticks() {
        assert_eq!(md_code("a"), "`a`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_escape("a|b_c~1"), "a\\|b\\_c\\~1");
    }
}
