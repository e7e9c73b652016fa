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
mod baseline;
/// A classified difference and its kind.
mod change;
/// Release notes (`--format changelog`).
mod changelog;
/// Comparing two sets of goldens.
mod classify;
/// One crate's goldens and version at a ref, for `export`.
mod contract;
/// Why the gate could not run.
mod error;
/// The classifier under the framework's fuzz generators.
#[cfg(test)]
mod fuzz;
/// Reading a ref's objects through git plumbing.
mod git;
/// GitHub workflow annotations.
mod github;
/// The JSON document for tools.
mod json;
/// Versions as Cargo reads them.
mod manifest;
/// The command line.
mod options;
/// Golden sets from a folder or a ref.
mod read;
/// Text and markdown.
mod render;
/// Per-crate outcomes and the exit status.
mod report;
/// Semver levels and bumps by Cargo's rules.
mod semver;
/// Which tag is a crate's previous release.
mod tags;
/// Which crates are gated.
mod workspace;

pub use contract::{snapshot, Snapshot};
pub use options::HELP;
use options::{Format, Options};
use report::Outcome;

/// Runs `cargo wire-compat gate` with its arguments; returns the exit status: the worst of
/// the crates' (0 covered or nothing to compare, 1 refused, 2 could not run).
pub fn cli(args: &[String]) -> i32 {
    let opts = match Options::parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            if args.iter().any(|a| a == "github" || a == "--format=github") {
                print!("{}", github::error(&e.to_string(), None));
            }
            return 2;
        }
    };
    if opts.help {
        print!("{HELP}");
        return 0;
    }
    let outcomes = match run(&opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            if opts.format == Format::Github {
                print!("{}", github::error(&e.to_string(), e.location()));
            }
            return 2;
        }
    };
    let several = outcomes.len() > 1;
    for o in &outcomes {
        if let Err(e) = &o.result {
            match several {
                true => eprintln!("error: {}: {e}", o.krate),
                false => eprintln!("error: {e}"),
            }
        }
    }
    // A lone crate that could not run prints nothing on stdout but its annotation.
    let lone_error = !several && outcomes.iter().all(|o| o.result.is_err());
    let out = match opts.format {
        Format::Github => github::render(&outcomes),
        _ if lone_error => String::new(),
        Format::Text => render::text(&outcomes, wire_compat::_support::Color::from_env()),
        Format::Markdown => render::markdown(&outcomes),
        Format::Json => json::render(&outcomes, opts.report_only),
        Format::Changelog => changelog::render(&outcomes),
    };
    print!("{out}");
    outcomes.iter().map(Outcome::status).max().unwrap_or(0)
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
