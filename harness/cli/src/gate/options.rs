//! The gate's command line: its help text, its options and their parsing.
//!
//! Parsed by hand like the rest of `cargo wire-compat` (no argument-parser dependency); a
//! value is taken as given even when it starts with `-`, so a ref such as
//! `--upload-pack=x` is refused by name instead of read as another option.

use super::error::{GateError, Result};
use super::git;
use semver::Version;
use std::path::PathBuf;

/// `cargo wire-compat gate --help`.
pub const HELP: &str = "\
cargo wire-compat gate: refuse a release whose wire changes the version bump does not cover

USAGE:
    cargo wire-compat gate [-p <CRATE>] [--against <REF> | --baseline-dir <DIR>] [OPTIONS]

Compares the goldens of a baseline release with today's goldens (the working tree,
committed or not), classifies every difference, and checks that the crate version
moved far enough, by Cargo's semver rules:

    breaking (major)  a contract field changed or removed, a field's policy loosened
                      from contract to informational, a case removed (without a
                      tombstone), a tombstone removed or its reserved code freed, a
                      golden file removed
    additive (minor)  a new variant or a new case of no declared variant, a field added,
                      a policy tightened, a case retired with a tombstone, a retired
                      case revived, a golden file added
    patch             an informational field changed or removed
    none              coverage added (a new sample of a declared variant the baseline
                      shipped), reordering, requoting, comments

Each field's policy (contract or informational; undeclared is contract) and the type's
variants are read from the goldens' declarations at both sides, never from names.

A 1.x bump covers what its name says (patch < minor < major). For 0.y.z a minor bump
(0.3.0 -> 0.4.0) is major-level and a patch bump minor-level; any 0.0.z bump is
major-level. A pre-release (2.0.0-rc.1), or the step out of one, counts as major.
A version that did not grow covers only changes without wire effect.

WHICH CRATES:
    In a workspace, every member with a `goldens/` folder next to its Cargo.toml is gated
    against its own baseline: one verdict each, and the worst decides the exit status.
    Versions are read as Cargo reads them (TOML, `version.workspace = true` from the
    workspace root's [workspace.package], at the baseline ref too).
    -p, --package <CRATE>      Gate only this member.

BASELINE (one of):
    --against <REF>            A git ref (tag, branch, commit) for every gated crate. Its
                               goldens and Cargo.toml files are read from git's objects;
                               the working tree and the index are never touched.
                               Default: the crate's newest release tag below today's
                               version (see TAGS). No such tag: the first release, which
                               passes with \"nothing to compare\".
    --baseline-dir <DIR>       A folder of baseline goldens outside git (one crate). Its
                               version is --baseline-version, else the [package] version of
                               the Cargo.toml next to it (<DIR>/../Cargo.toml).
    --baseline-version <X.Y.Z> The baseline's version, overriding its Cargo.toml.

TAGS:
    A crate's releases are its tags `<crate>-vX.Y.Z` or `<crate>@X.Y.Z` (cargo-release,
    release-plz); when it has none, the root package (or every member of a virtual
    workspace) uses `vX.Y.Z` or `X.Y.Z`. The baseline is the newest by semver that is
    below today's version (pre-releases only when today's is one), or equal to it when
    that tag is not on HEAD (a pull request before the bump). A tag of today's version
    on HEAD is the release being gated; uncommitted edits are gated with it, and the
    report says so.
    --tag-pattern <PATTERN>    Only tags of this shape, `{version}` standing for X.Y.Z and
                               `{crate}` for the crate's name: `release/{crate}/{version}`.

OPTIONS:
    --goldens <DIR>            Gate the crate of this goldens folder only (its Cargo.toml is
                               the one next to it, or --manifest).
    --manifest <FILE>          That crate's Cargo.toml; at a git ref the same path is read.
    --format <FORMAT>          text (default), markdown (the verdict by level), json,
                               github (workflow annotations: `::error` on each change the
                               bump does not cover and on errors, `::notice` on the
                               others), or changelog (release notes: breaking, new,
                               retired, informational, coverage and formatting only;
                               old -> new).
    --report-only              Report, but exit 0 even when the bump does not cover the
                               changes (pull requests); `--format github` then annotates
                               uncovered changes as `::warning`.
    -h, --help                 Show this text.

OUTPUT:
    Per crate one summary line, e.g. `1 wire change since v1.4.0 needs a major bump; 1.4.1
    is a patch bump`, the baseline and why it was picked, then each change:
    `<golden>:<line>  <file>::<case>  <what> (<level>)` with its old (-) and new (+)
    values. The line is the changed field's line today; for a change that has no line
    today, the baseline's (`v1.4.0:goldens/x.yaml:12`). With several crates each summary
    starts with `<crate>: `. JSON: see CONTRIBUTING.md, \"Releasing\" (format_version 2).

EXIT STATUS:
    0  every bump covers its changes, or nothing to compare (or --report-only)
    1  a bump does not cover its changes
    2  could not run: bad option or ref, no goldens at the baseline, a malformed golden
       or Cargo.toml (named with file:line), not a git repository, git missing
";

/// The output formats of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a terminal or a CI log.
    Text,
    /// Markdown for release notes and job summaries.
    Markdown,
    /// One JSON object for tools.
    Json,
    /// GitHub workflow annotations.
    Github,
    /// Markdown release notes grouped for readers (issue 19).
    Changelog,
}

/// The gate's command line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--against`: the baseline git ref (default: each crate's previous release tag).
    pub against: Option<String>,
    /// `--baseline-dir`: baseline goldens outside git.
    pub baseline_dir: Option<PathBuf>,
    /// `--baseline-version`: the baseline's version, overriding its manifest.
    pub baseline_version: Option<Version>,
    /// `--goldens`: gate only the crate of this goldens folder.
    pub goldens: Option<PathBuf>,
    /// `--manifest`: that crate's Cargo.toml.
    pub manifest: Option<PathBuf>,
    /// `-p`/`--package`: gate only this workspace member.
    pub package: Option<String>,
    /// `--tag-pattern`: the shape of release tags, with `{version}` and `{crate}`.
    pub tag_pattern: Option<String>,
    /// `--format`.
    pub format: Format,
    /// `--report-only`: never exit 1.
    pub report_only: bool,
    /// `-h`/`--help`.
    pub help: bool,
}

impl Options {
    /// Parses the arguments after `gate`. Options take `--name value` or `--name=value`;
    /// a value is taken as given even when it starts with `-`, so that `--against
    /// --upload-pack=x` is refused as a ref, by name, instead of read as another option.
    pub fn parse(args: &[String]) -> Result<Options> {
        let usage = GateError::Usage;
        let mut o = Options {
            against: None,
            baseline_dir: None,
            baseline_version: None,
            goldens: None,
            manifest: None,
            package: None,
            tag_pattern: None,
            format: Format::Text,
            report_only: false,
            help: false,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
                _ => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| usage(format!("{name} needs a value")))
            };
            match name {
                "-h" | "--help" => o.help = true,
                "--report-only" => o.report_only = true,
                "--against" => o.against = Some(value()?),
                "--baseline-dir" => o.baseline_dir = Some(PathBuf::from(value()?)),
                "--goldens" => o.goldens = Some(PathBuf::from(value()?)),
                "--manifest" => o.manifest = Some(PathBuf::from(value()?)),
                "-p" | "--package" => o.package = Some(value()?),
                "--tag-pattern" => {
                    let p = value()?;
                    if p.matches("{version}").count() != 1 {
                        return Err(usage(format!(
                            "--tag-pattern {p:?} must contain `{{version}}` once, e.g. \
                             `release/{{crate}}/{{version}}`"
                        )));
                    }
                    o.tag_pattern = Some(p);
                }
                "--baseline-version" => {
                    let v = value()?;
                    let parsed = Version::parse(v.strip_prefix('v').unwrap_or(&v)).map_err(|e| {
                        usage(format!("--baseline-version {v:?} is not semver: {e}"))
                    })?;
                    o.baseline_version = Some(parsed);
                }
                "--format" => {
                    o.format = match value()?.as_str() {
                        "text" => Format::Text,
                        "markdown" | "md" => Format::Markdown,
                        "json" => Format::Json,
                        "github" => Format::Github,
                        "changelog" => Format::Changelog,
                        other => {
                            return Err(usage(format!(
                                "unknown format `{other}`; use text, markdown, json, github or changelog"
                            )))
                        }
                    }
                }
                other if other.starts_with('-') => {
                    return Err(usage(format!("unknown option `{other}`")))
                }
                other => {
                    return Err(usage(format!(
                        "unexpected argument `{other}`; the baseline ref is given with --against {other}"
                    )))
                }
            }
        }
        if o.against.is_some() && o.baseline_dir.is_some() {
            return Err(usage(
                "--against and --baseline-dir both name a baseline; give one".into(),
            ));
        }
        if o.package.is_some() && (o.goldens.is_some() || o.manifest.is_some()) {
            return Err(usage(
                "-p picks a workspace member; --goldens/--manifest name one crate directly; give one"
                    .into(),
            ));
        }
        if let Some(r) = &o.against {
            git::check_ref(r)?;
        }
        Ok(o)
    }
}
