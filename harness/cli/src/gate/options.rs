//! The gate's command line: its options, their help and their checks, declared with
//! clap's derive like the rest of `cargo wire-compat`.
//!
//! Values are taken as given even when they start with `-`, so a ref such as
//! `--upload-pack=x` is refused by name ([`Options::check`]) instead of read as
//! another option.

use super::error::Result;
use super::git;
use semver::Version;
use std::path::PathBuf;

/// The prose after the options in `cargo wire-compat gate --help`.
const AFTER_HELP: &str = "\
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
    In a workspace, every member (as `cargo metadata` lists them) with a `goldens/`
    folder next to its Cargo.toml is gated against its own baseline: one verdict each,
    and the worst decides the exit status. Versions are read as Cargo reads them (TOML,
    `version.workspace = true` from the workspace root's [workspace.package], at the
    baseline ref too). -p picks one member.

BASELINE:
    --against <REF> reads the ref's goldens and Cargo.toml files from git's objects; the
    working tree and the index are never touched. Default: the crate's newest release
    tag below today's version (see TAGS). No such tag in a complete history: the first
    release, which passes with \"nothing to compare\"; so does a baseline from before
    adopting the suite (no goldens folder, no wire-compat dependency). A shallow clone
    is an error (git fetch --unshallow --tags). --baseline-dir <DIR> takes its version
    from --baseline-version, else the [package] version of <DIR>/../Cargo.toml.

TAGS:
    A crate's releases are its tags `<crate>-vX.Y.Z` or `<crate>@X.Y.Z` (cargo-release,
    release-plz); when it has none, the root package (or every member of a virtual
    workspace) uses `vX.Y.Z` or `X.Y.Z`. The baseline is the newest by semver that is
    below today's version (pre-releases only when today's is one), or equal to it when
    that tag is not on HEAD (a pull request before the bump). A tag of today's version
    on HEAD is the release being gated (with every other tag of that version);
    uncommitted edits are gated with it, and the report says so. A release tag in HEAD's
    history above today's version is refused: a release must be above the last one.
    --tag-pattern replaces these shapes; matching no tag while the crate has
    `vX.Y.Z`-like ones is an error.

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
       or Cargo.toml (named with file:line), not a git repository, git missing";

/// The output formats of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text for a terminal or a CI log.
    #[default]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Options {
    /// A git ref (tag, branch, commit) as every gated crate's baseline.
    #[arg(
        long,
        value_name = "REF",
        allow_hyphen_values = true,
        conflicts_with = "baseline_dir"
    )]
    pub against: Option<String>,
    /// A folder of baseline goldens outside git (one crate).
    #[arg(long, value_name = "DIR", allow_hyphen_values = true)]
    pub baseline_dir: Option<PathBuf>,
    /// The baseline's version, overriding its Cargo.toml.
    #[arg(long, value_name = "X.Y.Z", allow_hyphen_values = true, value_parser = parse_version)]
    pub baseline_version: Option<Version>,
    /// Gate the crate of this goldens folder only (its Cargo.toml is the one next to it,
    /// or --manifest).
    #[arg(long, value_name = "DIR", allow_hyphen_values = true)]
    pub goldens: Option<PathBuf>,
    /// That crate's Cargo.toml; at a git ref the same path is read.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub manifest: Option<PathBuf>,
    /// Gate only this workspace member.
    #[arg(
        short = 'p',
        long = "package",
        value_name = "CRATE",
        allow_hyphen_values = true,
        conflicts_with_all = ["goldens", "manifest"]
    )]
    pub package: Option<String>,
    /// Only tags of this shape, `{version}` standing for X.Y.Z and `{crate}` for the
    /// crate's name: `release/{crate}/{version}`.
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true, value_parser = parse_tag_pattern)]
    pub tag_pattern: Option<String>,
    /// text (default), markdown (the verdict by level), json, github (workflow
    /// annotations: `::error` on each change the bump does not cover and on errors,
    /// `::notice` on the others), or changelog (release notes: breaking, new, retired,
    /// informational, coverage and formatting only; old -> new).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = parse_format)]
    pub format: Format,
    /// Report, but exit 0 even when the bump does not cover the changes (pull requests);
    /// `--format github` then annotates uncovered changes as `::warning`.
    #[arg(long)]
    pub report_only: bool,
}

impl Options {
    /// What clap cannot check: a ref git could read as an option, or that is empty
    /// or holds control characters, is refused by name.
    pub fn check(&self) -> Result<()> {
        if let Some(r) = &self.against {
            git::check_ref(r)?;
        }
        Ok(())
    }
}

/// `--format`'s value; the error names the value and what is accepted.
pub fn parse_format(value: &str) -> std::result::Result<Format, String> {
    Ok(match value {
        "text" => Format::Text,
        "markdown" | "md" => Format::Markdown,
        "json" => Format::Json,
        "github" => Format::Github,
        "changelog" => Format::Changelog,
        other => {
            return Err(format!(
                "unknown format `{other}`; use text, markdown, json, github or changelog"
            ))
        }
    })
}

/// `--baseline-version`: semver, with an optional leading `v`.
fn parse_version(v: &str) -> std::result::Result<Version, String> {
    Version::parse(v.strip_prefix('v').unwrap_or(v))
        .map_err(|e| format!("--baseline-version {v:?} is not semver: {e}"))
}

/// `--tag-pattern`: must hold `{version}` exactly once.
fn parse_tag_pattern(p: &str) -> std::result::Result<String, String> {
    if p.matches("{version}").count() == 1 {
        Ok(p.to_owned())
    } else {
        Err(format!(
            "--tag-pattern {p:?} must contain `{{version}}` once, e.g. `release/{{crate}}/{{version}}`"
        ))
    }
}
