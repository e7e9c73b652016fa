//! The command line, declared with clap's derive: every subcommand, its options, its
//! help and its errors. The texts here are what `--help` shows.

use crate::select::Filter;
use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// What follows the command list in `cargo wire-compat --help`.
const AFTER_HELP: &str = "\
FILTER is a golden file (`vm_runtime_error`), one exact trial (`vm_runtime_error::VmNotFound`)
or a glob over trial names (`vm_runtime_error::VmNotFound*`: `*` any run, `?` one
character). It is never a part of a name, and one that matches nothing is an error. No
FILTER selects every pending change.

Pending changes are looked for in the `goldens/` of every member of the cargo workspace
around the current folder (or the nearest `goldens/` above); `-p <NAME>` keeps one member's,
`--goldens <DIR>` names one folder.

Nothing here writes when CI is set (CI=true and the like): approvals happen on a
developer's machine and are committed.

EXIT STATUS:
    0 done; 1 something was left undone (stale changes, tests failed, gate refused);
    2 could not run (bad arguments, a FILTER that matches nothing, no terminal).

Run `cargo wire-compat <COMMAND> --help` for one command.";

/// `cargo wire-compat`: review and approve golden changes of a compat suite, and gate
/// releases.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-wire-compat",
    bin_name = "cargo wire-compat",
    about = "cargo wire-compat: review and approve golden changes of a compat suite, and gate releases",
    after_help = AFTER_HELP,
    arg_required_else_help = true,
    disable_help_subcommand = false
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand and its arguments.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run `cargo test ARGS`, then settle what they recorded: list, review or accept.
    Test(TestArgs),
    /// Decide each pending change with one key, after its diff. Needs a terminal.
    Review(ReviewArgs),
    /// Accept pending changes without asking: write them into the goldens, drop the records.
    Accept(ApproveArgs),
    /// Drop pending changes, goldens untouched.
    Reject(RejectArgs),
    /// List pending changes; change nothing.
    Pending(PendingArgs),
    /// Refuse a release whose wire changes the version bump does not cover.
    Gate(crate::gate::Options),
    /// Print the wire contract (cases, field policies, tombstones) as one JSON document.
    Export(crate::export::ExportArgs),
    /// Print the version and the pending format this tool reads (as `--version`).
    #[command(hide = true)]
    Version,
}

/// Which pending changes a command works on.
#[derive(Debug, Args)]
pub struct Selection {
    /// A golden file, an exact `<file>::<case>`, or a glob (see `cargo wire-compat --help`).
    #[arg(value_name = "FILTER", value_parser = parse_filter)]
    pub filters: Vec<Filter>,
    /// Only this workspace member's pending changes (its package name).
    #[arg(
        short = 'p',
        long = "package",
        value_name = "NAME",
        conflicts_with = "goldens"
    )]
    pub package: Vec<String>,
    /// Only this goldens folder (default: every workspace member's `goldens/`).
    #[arg(long, value_name = "DIR")]
    pub goldens: Option<PathBuf>,
}

/// `cargo wire-compat test`.
#[derive(Debug, Args)]
#[command(after_help = "\
Runs `cargo test` with the arguments after `--` (for example `-- --test compat`), outside
UPDATE_GOLDENS, so every mismatch is recorded as a pending change. Then:
    (default)    lists the pending changes and exits 1 if there are any;
    --review     walks them as `cargo wire-compat review` does;
    --accept     runs the tests with drift passing (WIRE_COMPAT_FORCE_PASS=1), accepts
                 exactly what this run recorded, and exits 1 naming any test target that
                 failed for another reason; nothing is accepted when the build failed.")]
pub struct TestArgs {
    /// Review what the run recorded, one key per change.
    #[arg(long, conflicts_with = "accept")]
    pub review: bool,
    /// Accept what the run recorded.
    #[arg(long)]
    pub accept: bool,
    /// The test runner: `cargo test` (libtest) or `cargo nextest run`.
    #[arg(long, value_name = "RUNNER", default_value = "libtest", value_parser = ["libtest", "nextest"])]
    pub runner: String,
    /// Only this member: passed to cargo as `-p NAME`, and only its changes are settled.
    #[arg(
        short = 'p',
        long = "package",
        value_name = "NAME",
        conflicts_with = "goldens"
    )]
    pub package: Vec<String>,
    /// Only this goldens folder.
    #[arg(long, value_name = "DIR")]
    pub goldens: Option<PathBuf>,
    /// The arguments of `cargo test`, after `--`.
    #[arg(last = true, value_name = "CARGO TEST ARGS")]
    pub passthrough: Vec<OsString>,
}

/// `cargo wire-compat review`.
#[derive(Debug, Args)]
#[command(after_help = "\
For each change: the golden's path and line, the diff, then one key (no Enter):
    a accept   r reject   s skip   A/R/S the same for all the rest   q quit (skip the rest)
Keys typed before a change is on screen are discarded. Ctrl-C stops asking: the answers
already given are carried out, the rest stays pending.
Needs a terminal (works in tmux); without one use `pending --diff`, `accept`, `reject`.")]
pub struct ReviewArgs {
    /// Which changes.
    #[command(flatten)]
    pub select: Selection,
}

/// `cargo wire-compat accept`.
#[derive(Debug, Args)]
#[command(after_help = "\
Rewrites each golden in canonical form, atomically, under its lock, and drops the
records. A change whose golden changed since it was recorded is left (stale; exit 1).")]
pub struct ApproveArgs {
    /// Which changes.
    #[command(flatten)]
    pub select: Selection,
    /// Say what would be accepted; write nothing (--dry-run).
    #[arg(long)]
    pub dry_run: bool,
}

/// `cargo wire-compat reject`.
#[derive(Debug, Args)]
pub struct RejectArgs {
    /// Which changes.
    #[command(flatten)]
    pub select: Selection,
    /// Say what would be rejected; remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `cargo wire-compat pending`.
#[derive(Debug, Args)]
#[command(after_help = "\
Each line: the trial, what changed, and the golden's path with the case's line.
--format json prints one JSON object for tools; its fields are documented in CONTRIBUTING
(\"Approving a golden change\") and it carries a `version`.")]
pub struct PendingArgs {
    /// Which changes.
    #[command(flatten)]
    pub select: Selection,
    /// Show each change's diff against its golden (path and real line).
    #[arg(long)]
    pub diff: bool,
    /// `text`, or `json` for tools.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

/// A FILTER as clap hands it over.
fn parse_filter(text: &str) -> Result<Filter, String> {
    Filter::parse(text)
}
