//! The gate's outcomes as GitHub workflow commands (`--format github`): annotations
//! on the golden lines of a pull request or a release tag's run.
//!
//! Errors are annotations too: a job log that only says "exit 2" hides why a release
//! stopped, while an `::error` shows on the run's summary page.

use super::change::Kind;
use super::render::{advice, inline_change};
use super::report::{Gated, Outcome};
use super::semver::Level;
use std::fmt::Write as _;

/// The outcomes as GitHub workflow commands: per crate the summary, then one
/// annotation per wire change on its golden line. Changes the bump does not cover are
/// `::error` (or `::warning` with `--report-only`, where the job does not fail); the
/// others are `::notice`. Changes without wire effect are not annotated. A crate that
/// could not run is an `::error` (on its manifest line when the error has one).
pub fn render(outcomes: &[Outcome]) -> String {
    let several = outcomes.len() > 1;
    let mut out = String::new();
    for o in outcomes {
        let title = if several {
            format!("Release gate ({})", o.krate)
        } else {
            "Release gate".to_owned()
        };
        let r = match &o.result {
            Err(e) => {
                out.push_str(&error(&format!("{}{e}", prefix(o, several)), e.location()));
                continue;
            }
            Ok(Gated::FirstRelease { .. }) => {
                let _ = writeln!(
                    out,
                    "::notice title={}::{}",
                    gh_prop(&title),
                    gh_data(&o.summary())
                );
                details(&mut out, o);
                continue;
            }
            Ok(Gated::Compared(r)) => r,
        };
        let uncovered = if r.report_only { "warning" } else { "error" };
        let summary_cmd = if r.ok() { "notice" } else { uncovered };
        let _ = writeln!(
            out,
            "::{summary_cmd} title={}::{}",
            gh_prop(&title),
            gh_data(&r.summary())
        );
        details(&mut out, o);
        for w in o.warnings() {
            let _ = writeln!(out, "::warning title={}::{}", gh_prop(&title), gh_data(w));
        }
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
    }
    out
}

/// `<crate>: ` when several crates share the log.
fn prefix(o: &Outcome, several: bool) -> String {
    super::render::crate_prefix(o, several)
}

/// Why that baseline, as plain log lines (not annotations: they are no finding).
fn details(out: &mut String, o: &Outcome) {
    for line in o.details() {
        let _ = writeln!(out, "  ({line})");
    }
}

/// An error as an `::error` annotation, on its file and line when it has them.
pub fn error(message: &str, at: Option<(&str, Option<usize>)>) -> String {
    let mut props = Vec::new();
    if let Some((file, line)) = at {
        props.push(format!("file={}", gh_prop(file)));
        if let Some(l) = line {
            props.push(format!("line={l}"));
        }
    }
    props.push("title=Release gate could not run".to_owned());
    format!("::error {}::{}\n", props.join(","), gh_data(message))
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
    fn github_commands_escape_their_separators() {
        assert_eq!(gh_data("50%\nx::y"), "50%25%0Ax::y");
        assert_eq!(gh_prop("a,b: c"), "a%2Cb%3A c");
    }
}
