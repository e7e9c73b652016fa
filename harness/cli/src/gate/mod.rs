//! The release gate: `cargo wire-compat gate` refuses a release whose wire changes the
//! version bump does not cover (what cargo-semver-checks does for Rust APIs and
//! `buf breaking` for protobuf, for error messages and codes).
//!
//! For each crate with goldens ([`workspace`]) it finds the baseline, its previous
//! release by the crate's own tags ([`tags`]) or a given ref or folder, reads both
//! sides' goldens ([`read`]) and versions as Cargo reads them ([`manifest`]), compares
//! the parsed entries ([`classify`]) and weighs each difference against the bump by
//! Cargo's semver rules ([`semver`]) ([`baseline`] does one crate). Each crate gets a
//! [`report::Outcome`]; [`render`], [`json`] and [`github`] print them.

/// One crate against its baseline.
pub mod baseline;
/// A classified difference and its kind.
pub mod change;
/// Release notes (`--format changelog`).
pub mod changelog;
/// Comparing two sets of goldens.
pub mod classify;
/// One crate's goldens and version at a ref, for `export`.
pub mod contract;
/// Why the gate could not run.
pub mod error;
/// Reading a ref's objects through git plumbing.
pub mod git;
/// GitHub workflow annotations.
pub mod github;
/// The JSON document for tools.
pub mod json;
/// Versions as Cargo reads them.
pub mod manifest;
/// The command line.
pub mod options;
/// Golden sets from a folder or a ref.
pub mod read;
/// Text and markdown.
pub mod render;
/// Per-crate outcomes and the exit status.
pub mod report;
/// Semver levels and bumps by Cargo's rules.
pub mod semver;
/// Which tag is a crate's previous release.
pub mod tags;
/// Which crates are gated.
pub mod workspace;

use crate::status::Status;
use crate::streams::Streams;
pub use contract::{snapshot, Snapshot};
pub use options::{Format, Options};
use report::Outcome;

/// Runs `cargo wire-compat gate` with its parsed options, writing to `io`; returns the
/// worst of the crates' statuses (done: covered or nothing to compare; undone:
/// refused; could not run).
pub fn cli(opts: &Options, io: &mut Streams<'_>) -> Status {
    let outcomes = match opts.check().and_then(|()| run(opts)) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            if opts.format == Format::Github {
                let _ = write!(io.out, "{}", github::error(&e.to_string(), e.location()));
            }
            return Status::CouldNotRun;
        }
    };
    let several = outcomes.len() > 1;
    for o in &outcomes {
        if let Err(e) = &o.result {
            let _ = match several {
                true => writeln!(io.err, "error: {}: {e}", o.krate),
                false => writeln!(io.err, "error: {e}"),
            };
        }
    }
    // A lone crate that could not run prints its error on stderr only, except to tools:
    // the JSON document (status `error`) and the annotation always come.
    let lone_error = !several && outcomes.iter().all(|o| o.result.is_err());
    let out = match opts.format {
        Format::Github => github::render(&outcomes),
        Format::Json => json::render(&outcomes, opts.report_only),
        _ if lone_error => String::new(),
        Format::Text => render::text(&outcomes, wire_compat::_support::Color::from_env()),
        Format::Markdown => render::markdown(&outcomes),
        Format::Changelog => changelog::render(&outcomes),
    };
    let _ = write!(io.out, "{out}");
    outcomes
        .iter()
        .map(|o| match o.status() {
            0 => Status::Done,
            1 => Status::Undone,
            _ => Status::CouldNotRun,
        })
        .max()
        .unwrap_or(Status::Done)
}

/// The annotation `--format github` gets for a command line the gate could not read,
/// so the CI log shows the error where annotations are looked for.
pub fn usage_annotation(message: &str) -> String {
    github::error(message, None)
}

/// Gates every crate `opts` selects; a crate that cannot run does not stop the others.
pub fn run(opts: &Options) -> error::Result<Vec<Outcome>> {
    let crates = workspace::crates(opts)?;
    if opts.baseline_dir.is_some() && crates.len() > 1 {
        return Err(error::GateError::BaselineDirNeedsOneCrate(crates.len()));
    }
    Ok(crates
        .iter()
        .map(|c| Outcome {
            krate: c.name.clone(),
            manifest: wire_compat::_support::shown(&c.manifest),
            result: baseline::gate(opts, c),
        })
        .collect())
}
