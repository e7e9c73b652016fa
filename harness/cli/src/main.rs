//! `cargo wire-compat`: approve pending golden changes and gate releases.
//!
//! The command line is declared with clap ([`args`]). This is the only part of the
//! tool that prints or exits: every command writes into the [`streams::Streams`] made
//! here and returns a [`status::Status`]. The commands themselves are the
//! `cargo_wire_compat` library beside this file.

use args::{Cli, Command, Selection};
use cargo_wire_compat::{
    approve, args, export, gate, listing, locate, review, run_tests, select, status, streams,
};
use clap::{CommandFactory as _, FromArgMatches as _};
use select::Pending;
use status::Status;
use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;
use streams::Streams;
use wire_compat::_support::{ci_from, list, Color, PENDING_FORMAT};

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    // Buffered: an accept of 10,000 changes is 10,000 lines. Commands flush before a
    // prompt or another process takes the terminal.
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let mut io = Streams {
        out: &mut out,
        err: &mut err,
    };
    let status = run(std::env::args_os().collect(), &mut io);
    io.flush();
    status.into()
}

/// The version line, a handshake the runtime checks before it prints this tool's
/// commands: `cargo-wire-compat <version> (reads pending format N)`.
fn version() -> String {
    format!(
        "{} (reads pending format {PENDING_FORMAT})",
        env!("CARGO_PKG_VERSION")
    )
}

/// Runs the tool with its whole command line (program name first).
fn run(mut args: Vec<OsString>, io: &mut Streams<'_>) -> Status {
    // Installed as a cargo subcommand, cargo passes `wire-compat` first; the alias does not.
    if args.get(1).is_some_and(|a| a == "wire-compat") {
        args.remove(1);
    }
    let matches = Cli::command()
        .version(version())
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match matches {
        Ok(cli) => cli,
        Err(e) => return usage(&e, &args, io),
    };
    match cli.command {
        Command::Version => {
            let _ = writeln!(io.out, "cargo-wire-compat {}", version());
            Status::Done
        }
        Command::Gate(opts) => gate::cli(&opts, io),
        Command::Export(opts) => export::cli(&opts, io),
        Command::Test(t) => {
            let then = if t.review {
                run_tests::Then::Review
            } else if t.accept {
                run_tests::Then::Accept
            } else {
                run_tests::Then::Report
            };
            if then != run_tests::Then::Report && refuse_in_ci("test", io) {
                return Status::CouldNotRun;
            }
            let runner = if t.runner == "nextest" {
                run_tests::Runner::Nextest
            } else {
                run_tests::Runner::Libtest
            };
            let request = run_tests::Run {
                runner,
                packages: t.package.clone(),
                args: t.passthrough,
            };
            let (goldens, packages) = (t.goldens, t.package);
            run_tests::run(
                &request,
                then,
                |io| find_pending(goldens.as_deref(), &packages, io),
                io,
            )
        }
        Command::Review(r) => with_pending("review", &r.select, io, |items, io| {
            review::run(items, Color::from_env(), io)
        }),
        Command::Accept(a) => {
            let command = if a.dry_run {
                "accept --dry-run"
            } else {
                "accept"
            };
            with_pending(command, &a.select, io, |items, io| {
                approve::accept(items, a.dry_run, io)
            })
        }
        Command::Reject(r) => {
            let command = if r.dry_run {
                "reject --dry-run"
            } else {
                "reject"
            };
            with_pending(command, &r.select, io, |items, io| {
                approve::reject(&items, r.dry_run, io)
            })
        }
        Command::Pending(p) => pending(&p, io),
    }
}

/// Reports a command line clap refused (or help and version, which clap renders as
/// errors too): help to stdout with status done, errors to stderr with status 2.
fn usage(e: &clap::Error, args: &[OsString], io: &mut Streams<'_>) -> Status {
    let text = e.render().to_string();
    if e.use_stderr() {
        let _ = write!(io.err, "{text}");
        // `gate --format github` in CI: the error is an annotation too.
        let github = args.iter().any(|a| a == "github" || a == "--format=github");
        if github && args.iter().any(|a| a == "gate") {
            let first = text.lines().next().unwrap_or_default();
            let _ = write!(io.out, "{}", gate::usage_annotation(first));
        }
    } else {
        let _ = write!(io.out, "{text}");
    }
    if e.exit_code() == 0 {
        Status::Done
    } else {
        Status::CouldNotRun
    }
}

/// Whether `command` writes and this is CI: then it refuses, saying so.
fn refuse_in_ci(command: &str, io: &mut Streams<'_>) -> bool {
    let ci = ci_from(|k| std::env::var(k).ok());
    if ci {
        let _ = writeln!(
            io.err,
            "error: this is CI (CI or another CI service's variable is set): `cargo wire-compat \
             {command}` never changes goldens in CI.\n\
             Approve changes on your machine and commit them."
        );
    }
    ci
}

/// Every pending change in the goldens folders the options name. Records that cannot
/// be read, and a workspace cargo cannot read, are warnings, and make the status 1.
fn find_pending(
    goldens: Option<&Path>,
    packages: &[String],
    io: &mut Streams<'_>,
) -> Result<Vec<Pending>, String> {
    find_pending_noting(goldens, packages, io).map(|(items, _)| items)
}

/// [`find_pending`], and whether anything was skipped.
fn find_pending_noting(
    goldens: Option<&Path>,
    packages: &[String],
    io: &mut Streams<'_>,
) -> Result<(Vec<Pending>, bool), String> {
    let found = locate::find_all(goldens, packages)?;
    let mut skipped = !found.warnings.is_empty();
    for w in &found.warnings {
        let _ = writeln!(io.err, "warning: {w}");
    }
    let mut items = Vec::new();
    for g in found.folders {
        for item in list(&g.dir) {
            match item {
                Ok(change) => items.push(Pending {
                    goldens: g.clone(),
                    change,
                }),
                Err(e) => {
                    skipped = true;
                    let _ = writeln!(io.err, "warning: skipping a pending change: {e}");
                }
            }
        }
    }
    Ok((items, skipped))
}

/// The pending changes `select` names, or the status to stop with.
fn selected(select: &Selection, io: &mut Streams<'_>) -> Result<(Vec<Pending>, bool), Status> {
    let (items, skipped) = find_pending_noting(select.goldens.as_deref(), &select.package, io)
        .map_err(|e| {
            let _ = writeln!(io.err, "error: {e}");
            Status::CouldNotRun
        })?;
    let items = select::select(&select.filters, items).map_err(|e| {
        let _ = writeln!(io.err, "error: {e}");
        Status::CouldNotRun
    })?;
    Ok((items, skipped))
}

/// Runs a command that settles pending changes: refused in CI unless it is a dry run;
/// with nothing selected, says so.
fn with_pending(
    command: &str,
    select: &Selection,
    io: &mut Streams<'_>,
    settle: impl FnOnce(Vec<Pending>, &mut Streams<'_>) -> Status,
) -> Status {
    if !command.ends_with("--dry-run") && refuse_in_ci(command, io) {
        return Status::CouldNotRun;
    }
    let (items, skipped) = match selected(select, io) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let status = if items.is_empty() {
        let _ = writeln!(
            io.out,
            "no pending changes (a failing `cargo test` records them)"
        );
        Status::Done
    } else {
        settle(items, io)
    };
    status.max(Status::undone_if(skipped))
}

/// `cargo wire-compat pending`.
fn pending(p: &args::PendingArgs, io: &mut Streams<'_>) -> Status {
    let (items, skipped) = match selected(&p.select, io) {
        Ok(found) => found,
        Err(status) => return status,
    };
    if p.format == "json" {
        let _ = write!(io.out, "{}", listing::json(&items));
    } else if items.is_empty() {
        let _ = writeln!(
            io.out,
            "no pending changes (a failing `cargo test` records them)"
        );
    } else {
        let _ = write!(
            io.out,
            "{}",
            listing::text(&items, p.diff, Color::from_env())
        );
    }
    Status::undone_if(skipped)
}
