//! `cargo wire-compat test`: run the tests, then review (or accept) what they recorded,
//! in one step (`cargo insta test --review`).
//!
//! `--accept` approves exactly what its own run recorded: the suites run with
//! `WIRE_COMPAT_FORCE_PASS=1` (drift is recorded, and the trial passes, as insta's
//! force-pass) and `WIRE_COMPAT_RUN=<a fresh token>` (the runtime stamps each record it
//! writes with it), so a failure left is "another reason", records of earlier runs
//! stay pending, and nothing is accepted when the build failed.

use crate::select::Pending;
use crate::status::Status;
use crate::streams::Streams;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// What to do with the changes the run recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// List them and say how to review (the default).
    Report,
    /// Walk them interactively.
    Review,
    /// Accept what this run recorded.
    Accept,
}

/// Which test runner drives the suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// `cargo test`.
    Libtest,
    /// `cargo nextest run`.
    Nextest,
}

impl Runner {
    /// The cargo subcommand's words.
    fn words(self) -> &'static [&'static str] {
        match self {
            Runner::Libtest => &["test"],
            Runner::Nextest => &["nextest", "run"],
        }
    }
}

/// The test run the user asked for.
#[derive(Debug, Clone)]
pub struct Run {
    /// The runner.
    pub runner: Runner,
    /// `-p` names, passed on to cargo.
    pub packages: Vec<String>,
    /// The arguments after `--`.
    pub args: Vec<OsString>,
}

impl Run {
    /// The cargo command line (after `cargo`), with `extra` before the user's
    /// arguments' own `--` (so `--no-run` reaches cargo, not the test binaries).
    fn command_line(&self, extra: &[&str]) -> Vec<OsString> {
        let mut line: Vec<OsString> = self.runner.words().iter().map(OsString::from).collect();
        for p in &self.packages {
            line.push("-p".into());
            line.push(p.into());
        }
        let split = self
            .args
            .iter()
            .position(|a| a == "--")
            .unwrap_or(self.args.len());
        line.extend(self.args[..split].iter().cloned());
        line.extend(extra.iter().map(OsString::from));
        line.extend(self.args[split..].iter().cloned());
        line
    }
}

/// How a command line is shown: each word quoted for the shell.
pub fn shown_command(words: &[OsString]) -> String {
    std::iter::once("cargo".to_owned())
        .chain(words.iter().map(|w| shell_quote(&w.to_string_lossy())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word as a POSIX shell reads it back: bare when it is plain, else in single
/// quotes (a `'` inside written as `'\''`).
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A token no earlier run used: the process id and the clock, in hex.
fn fresh_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("wc{:x}{nanos:x}", std::process::id())
}

/// What one cargo invocation did.
struct Ran {
    passed: bool,
    /// The test targets cargo says failed (`--test compat`, `--lib`).
    failed_targets: Vec<String>,
}

/// Runs cargo with `words`, passing its stderr on to `io` line by line and noting
/// the targets it says failed.
fn cargo(words: &[OsString], env: &[(&str, &str)], io: &mut Streams<'_>) -> Result<Ran, String> {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(program);
    cmd.args(words)
        .env_remove("UPDATE_GOLDENS")
        .env_remove("WIRE_COMPAT_FORCE_PASS")
        .env_remove("WIRE_COMPAT_RUN")
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    io.flush();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", shown_command(words)))?;
    let mut failed_targets = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        let mut in_list = false;
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            let _ = io.err.write_all(&line);
            let _ = io.err.write_all(b"\n");
            let text = String::from_utf8_lossy(&line);
            failed_targets.extend(failed_target(&text, &mut in_list));
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for {}: {e}", shown_command(words)))?;
    Ok(Ran {
        passed: status.success(),
        failed_targets,
    })
}

/// The target a line of cargo's stderr names as failed: `error: test failed, to rerun
/// pass `--test compat``, or an indented `` `--lib` `` under `error: N targets failed:`.
fn failed_target(line: &str, in_list: &mut bool) -> Option<String> {
    if let Some((_, rest)) = line.split_once("to rerun pass `") {
        *in_list = false;
        return rest.split_once('`').map(|(t, _)| t.to_owned());
    }
    if line.starts_with("error:") && line.contains("targets failed") {
        *in_list = true;
        return None;
    }
    let item = line.trim();
    if *in_list && item.starts_with('`') && item.ends_with('`') && item.len() > 2 {
        return Some(item[1..item.len() - 1].to_owned());
    }
    *in_list = false;
    None
}

/// The record file of `p`.
fn record_of(p: &Pending) -> std::path::PathBuf {
    wire_compat::_support::pending_path(&p.goldens.dir, &p.change.stem, &p.change.id)
}

/// Whether `p`'s record carries `token` (the runtime stamps `run: "<token>"`).
fn carries(p: &Pending, token: &str) -> bool {
    std::fs::read_to_string(record_of(p)).is_ok_and(|text| text.contains(token))
}

/// When each pending record was last written, before a run.
type Snapshot = std::collections::HashMap<std::path::PathBuf, Option<std::time::SystemTime>>;

/// The records of `items` and when each was written.
fn snapshot(items: &[Pending]) -> Snapshot {
    items
        .iter()
        .map(|p| {
            let path = record_of(p);
            let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            (path, written)
        })
        .collect()
}

/// Keeps the changes this run recorded: those whose record carries its token; when
/// none does (a runtime that does not stamp records yet), those whose record is new
/// or was rewritten since `before` was taken.
fn recorded_by(items: Vec<Pending>, token: &str, before: &Snapshot) -> Vec<Pending> {
    if items.iter().any(|p| carries(p, token)) {
        return items.into_iter().filter(|p| carries(p, token)).collect();
    }
    let now = snapshot(&items);
    items
        .into_iter()
        .filter(|p| {
            let path = record_of(p);
            before.get(&path) != now.get(&path)
        })
        .collect()
}

/// Runs the tests, then settles the pending changes as asked. The status is that of
/// the review or acceptance when there was something to settle, else the tests'; for
/// `--accept`, a failure for another reason leaves the status at least undone.
pub fn run(
    run: &Run,
    then: Then,
    find: impl Fn(&mut Streams<'_>) -> Result<Vec<Pending>, String>,
    io: &mut Streams<'_>,
) -> Status {
    let token = fresh_token();
    let env: Vec<(&str, &str)> = match then {
        Then::Accept => vec![("WIRE_COMPAT_FORCE_PASS", "1"), ("WIRE_COMPAT_RUN", &token)],
        _ => Vec::new(),
    };
    if then == Then::Accept {
        // Build first: when the build fails nothing ran, so nothing is accepted.
        let build = run.command_line(&["--no-run"]);
        let _ = writeln!(io.out, "== {}", shown_command(&build));
        match cargo(&build, &env, io) {
            Ok(ran) if ran.passed => {}
            Ok(_) => {
                let _ = writeln!(
                    io.err,
                    "error: the build failed; nothing was accepted (fix it and run `cargo \
                     wire-compat test --accept` again)"
                );
                return Status::CouldNotRun;
            }
            Err(e) => {
                let _ = writeln!(io.err, "error: {e}");
                return Status::CouldNotRun;
            }
        }
    }
    let before = match then {
        Then::Accept => match find(io) {
            Ok(items) => snapshot(&items),
            Err(e) => {
                let _ = writeln!(io.err, "error: {e}");
                return Status::CouldNotRun;
            }
        },
        _ => Snapshot::new(),
    };
    let words = run.command_line(&[]);
    let _ = writeln!(io.out, "== {}", shown_command(&words));
    let ran = match cargo(&words, &env, io) {
        Ok(ran) => ran,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            return Status::CouldNotRun;
        }
    };
    let mut items = match find(io) {
        Ok(items) => items,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            return Status::CouldNotRun;
        }
    };
    if then == Then::Accept {
        let found = items.len();
        items = recorded_by(items, &token, &before);
        if found > items.len() {
            let _ = writeln!(
                io.out,
                "== {} pending change(s) from earlier runs left pending (`cargo wire-compat \
                 pending` lists them)",
                found - items.len()
            );
        }
    }
    let mut other_failure = failure_note(&ran, then);
    if items.is_empty() {
        let _ = match &other_failure {
            Some(note) => writeln!(io.out, "== no pending changes; {note}"),
            None => writeln!(io.out, "== no pending changes"),
        };
        return Status::undone_if(!ran.passed);
    }
    let _ = writeln!(io.out, "== {} pending change(s)", items.len());
    let color = wire_compat::_support::Color::from_env();
    let status = match then {
        Then::Review => crate::review::run(items, color, io),
        Then::Accept => crate::approve::accept(items, false, io),
        Then::Report => {
            let _ = write!(io.out, "{}", crate::listing::text(&items, false, color));
            let _ = writeln!(
                io.out,
                "review them with `cargo wire-compat review`, or accept all: `cargo wire-compat accept`"
            );
            Status::Undone
        }
    };
    if then == Then::Accept && other_failure.is_some() {
        // The run failed: run again now that its drift is accepted, and say which
        // targets still fail (a runtime that records drift without failing makes
        // this the same answer as the first run's; an older one failed on drift too).
        let again = run.command_line(&[]);
        let _ = writeln!(
            io.out,
            "== {} (again, with the changes accepted)",
            shown_command(&again)
        );
        let token = fresh_token();
        let env = [
            ("WIRE_COMPAT_FORCE_PASS", "1"),
            ("WIRE_COMPAT_RUN", token.as_str()),
        ];
        other_failure = match cargo(&again, &env, io) {
            Ok(ran) => failure_note(&ran, then),
            Err(e) => Some(e),
        };
    }
    match (then, other_failure) {
        (Then::Accept, Some(note)) => {
            let _ = writeln!(io.err, "error: {note}");
            status.max(Status::Undone)
        }
        _ => status,
    }
}

/// What to say when the tests failed for a reason other than recorded drift.
fn failure_note(ran: &Ran, then: Then) -> Option<String> {
    if ran.passed {
        return None;
    }
    let targets = if ran.failed_targets.is_empty() {
        String::new()
    } else {
        format!(
            ": {} failed",
            ran.failed_targets
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(match then {
        Then::Accept => format!(
            "the tests failed for another reason{targets} (drift passes under --accept; see above)"
        ),
        _ => format!("the tests failed for another reason{targets} (see above)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_failure_lines_name_the_targets() {
        let mut in_list = false;
        let lines = [
            "error: test failed, to rerun pass `--test compat`",
            "error: 2 targets failed:",
            "    `--lib`",
            "    `--test api_facts`",
            "error: something else",
        ];
        let found: Vec<String> = lines
            .iter()
            .filter_map(|l| failed_target(l, &mut in_list))
            .collect();
        assert_eq!(found, ["--test compat", "--lib", "--test api_facts"]);
    }

    #[test]
    fn printed_commands_are_quoted_for_the_shell() {
        let run = Run {
            runner: Runner::Libtest,
            packages: vec!["alpha".into()],
            args: vec![
                "--test".into(),
                "compat".into(),
                "--".into(),
                "a b's".into(),
            ],
        };
        assert_eq!(
            shown_command(&run.command_line(&["--no-run"])),
            r"cargo test -p alpha --test compat --no-run -- 'a b'\''s'"
        );
        let nextest = Run {
            runner: Runner::Nextest,
            packages: Vec::new(),
            args: vec!["$(touch x)".into()],
        };
        assert_eq!(
            shown_command(&nextest.command_line(&[])),
            "cargo nextest run '$(touch x)'"
        );
    }
}
