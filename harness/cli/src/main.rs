//! `cargo wire-compat`: approve pending golden changes and gate releases.
//!
//! The command line is parsed by hand (no argument-parser dependency) because it is
//! small and the tool must build fast as a cargo alias in a fresh clone. This is the
//! only part of the framework that prints or exits.

mod approve;
mod export;
mod gate;
mod glob;
mod json;
mod listing;
mod locate;
mod review;
mod run_tests;
mod select;

use select::{Filter, Pending};
use std::path::PathBuf;
use std::process::ExitCode;
use wire_compat::_support::{ci_from, list, Color, PENDING_FORMAT};

/// The help text, listing every subcommand.
const HELP: &str = "\
cargo wire-compat: review and approve golden changes of a compat suite, and gate releases

USAGE:
    cargo wire-compat <COMMAND> [OPTIONS] [FILTER...]

COMMANDS:
    test [--review|--accept] [-- ARGS]
                     Run `cargo test ARGS`, then review (or accept) what it recorded.
    review [FILTER...]
                     Walk each pending change: its diff, then one key: accept, reject,
                     skip (or the same for all the rest). Needs a terminal; works in tmux.
    accept [FILTER...] [--dry-run]
                     Accept pending changes without asking: rewrite the goldens
                     (canonical form, atomic) and drop the pending records.
    reject [FILTER...] [--dry-run]
                     Drop pending changes without touching the goldens.
    pending [FILTER...] [--diff] [--format text|json]
                     List pending changes, change nothing.
    gate [OPTIONS]   Check that the version bump covers the wire changes since a release.
    export [--at <REF>] [-p <CRATE>]
                     Print the wire contract (cases, field policies, tombstones) as JSON.
    help [COMMAND]   Show this text, or a command's.

FILTER is a golden file (`vm_runtime_error`), one exact trial (`vm_runtime_error::VmNotFound`)
or a glob over trial names (`vm_runtime_error::VmNotFound*`: `*` any run, `?` one
character). It is never a part of a name, and one that matches nothing is an error. No
FILTER selects every pending change.

Pending changes are looked for in the `goldens/` of every member of the cargo workspace
around the current folder (or the nearest `goldens/` above); `--goldens <DIR>` names one.

Nothing here writes when CI is set (CI=true and the like): approvals happen on a
developer's machine and are committed.

EXIT STATUS:
    0 done; 1 something was left undone (stale changes, tests failed, gate refused);
    2 could not run (bad arguments, a FILTER that matches nothing, no terminal).

Run `cargo wire-compat <COMMAND> --help` for one command.
";

const HELP_TEST: &str = "\
cargo wire-compat test: run the tests, then settle what they recorded

USAGE:
    cargo wire-compat test [--review | --accept] [--goldens <DIR>] [-- <cargo test arguments>]

Runs `cargo test` with the arguments after `--` (for example `-- --test compat`), outside
UPDATE_GOLDENS, so every mismatch is recorded as a pending change. Then:
    (default)    lists the pending changes and exits 1 if there are any;
    --review     walks them as `cargo wire-compat review` does;
    --accept     accepts them all, as `cargo wire-compat accept` does.
";

const HELP_REVIEW: &str = "\
cargo wire-compat review: decide each pending change with one key

USAGE:
    cargo wire-compat review [FILTER...] [--goldens <DIR>]

For each change: the golden's path and line, the diff, then one key (no Enter):
    a accept   r reject   s skip   A/R/S the same for all the rest   q quit (skip the rest)
Needs a terminal (works in tmux); without one use `pending --diff`, `accept`, `reject`.
FILTER: see `cargo wire-compat --help`.
";

const HELP_ACCEPT: &str = "\
cargo wire-compat accept: write pending changes into the goldens

USAGE:
    cargo wire-compat accept [FILTER...] [--dry-run] [--goldens <DIR>]

Rewrites each golden in canonical form, atomically, under its lock, and drops the
records. A change whose golden changed since it was recorded is left (stale; exit 1).
--dry-run    say what would be accepted; write nothing.
FILTER: see `cargo wire-compat --help`.
";

const HELP_REJECT: &str = "\
cargo wire-compat reject: drop pending changes, goldens untouched

USAGE:
    cargo wire-compat reject [FILTER...] [--dry-run] [--goldens <DIR>]

--dry-run    say what would be rejected; remove nothing.
FILTER: see `cargo wire-compat --help`.
";

const HELP_PENDING: &str = "\
cargo wire-compat pending: list pending changes

USAGE:
    cargo wire-compat pending [FILTER...] [--diff] [--format text|json] [--goldens <DIR>]

--diff           show each change's diff against its golden (path and real line)
--format json    one JSON object for tools; its fields are documented in CONTRIBUTING
                 (\"Approving a golden change\") and it carries a `version`.
FILTER: see `cargo wire-compat --help`.
";

fn main() -> ExitCode {
    let args = std::env::args().skip(1).collect();
    ExitCode::from(u8::try_from(run(args)).unwrap_or(2))
}

/// Runs the tool with the arguments after the program name; returns the exit status.
fn run(args: Vec<String>) -> i32 {
    // Installed as a cargo subcommand, cargo passes `wire-compat` first; the alias does not.
    let args: Vec<String> = match args.first().map(String::as_str) {
        Some("wire-compat") => args[1..].to_vec(),
        _ => args,
    };
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return 2;
    };
    match command.as_str() {
        "-h" | "--help" => {
            print!("{HELP}");
            0
        }
        "help" => match rest.first().map(String::as_str) {
            None => {
                print!("{HELP}");
                0
            }
            Some("gate") => gate::cli(&["--help".to_owned()]),
            Some("export") => export::cli(&["--help".to_owned()]),
            Some(cmd) => match help_of(cmd) {
                Some(text) => {
                    print!("{text}");
                    0
                }
                None => unknown(cmd),
            },
        },
        "-V" | "--version" | "version" => {
            println!(
                "cargo-wire-compat {} (reads pending format {PENDING_FORMAT})",
                env!("CARGO_PKG_VERSION")
            );
            0
        }
        "gate" => gate::cli(rest),
        "export" => export::cli(rest),
        "test" | "review" | "accept" | "reject" | "pending" => {
            match Options::parse(command, rest) {
                Ok(opts) if opts.help => {
                    print!("{}", help_of(command).unwrap_or(HELP));
                    0
                }
                Ok(opts) => run_command(command, &opts),
                Err(e) => {
                    eprintln!("error: {e}\n(see `cargo wire-compat {command} --help`)");
                    2
                }
            }
        }
        other => unknown(other),
    }
}

fn unknown(command: &str) -> i32 {
    eprintln!("error: unknown command `{command}`\n\n{HELP}");
    2
}

fn help_of(command: &str) -> Option<&'static str> {
    Some(match command {
        "test" => HELP_TEST,
        "review" => HELP_REVIEW,
        "accept" => HELP_ACCEPT,
        "reject" => HELP_REJECT,
        "pending" => HELP_PENDING,
        _ => return None,
    })
}

/// The parsed arguments of a pending-change command.
#[derive(Debug, Default)]
struct Options {
    goldens: Option<PathBuf>,
    filters: Vec<Filter>,
    dry_run: bool,
    diff: bool,
    json: bool,
    review: bool,
    accept: bool,
    help: bool,
    /// After `--` (for `test`): the arguments of `cargo test`.
    passthrough: Vec<String>,
}

impl Options {
    fn parse(command: &str, args: &[String]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = args.iter();
        let allowed = |flag: &str, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "`{flag}` is not an option of `cargo wire-compat {command}`"
                ))
            }
        };
        while let Some(a) = it.next() {
            match a.as_str() {
                "-h" | "--help" => o.help = true,
                "--goldens" => {
                    let dir = it.next().ok_or("--goldens needs a folder")?;
                    o.goldens = Some(PathBuf::from(dir));
                }
                s if s.starts_with("--goldens=") => {
                    o.goldens = Some(PathBuf::from(&s["--goldens=".len()..]));
                }
                "--dry-run" => {
                    allowed(a, matches!(command, "accept" | "reject"))?;
                    o.dry_run = true;
                }
                "--diff" => {
                    allowed(a, command == "pending")?;
                    o.diff = true;
                }
                "--format" | "--format=text" | "--format=json" => {
                    allowed("--format", command == "pending")?;
                    let value = match a.split_once('=') {
                        Some((_, v)) => v.to_owned(),
                        None => it.next().ok_or("--format needs `text` or `json`")?.clone(),
                    };
                    o.json = match value.as_str() {
                        "json" => true,
                        "text" => false,
                        other => return Err(format!("unknown format `{other}` (text or json)")),
                    };
                }
                "--review" => {
                    allowed(a, command == "test")?;
                    o.review = true;
                }
                "--accept" => {
                    allowed(a, command == "test")?;
                    o.accept = true;
                }
                "--" if command == "test" => {
                    o.passthrough = it.by_ref().cloned().collect();
                }
                s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
                s if command == "test" => {
                    return Err(format!(
                    "`{s}`: cargo test's arguments go after `--` (cargo wire-compat test -- {s})"
                ))
                }
                s => o.filters.push(Filter::parse(s)?),
            }
        }
        if o.review && o.accept {
            return Err("--review and --accept exclude each other".into());
        }
        Ok(o)
    }
}

/// Every pending change in the goldens folders the options name.
fn find_pending(goldens: Option<&std::path::Path>) -> Result<(Vec<Pending>, usize), String> {
    let mut unreadable = 0;
    let mut items = Vec::new();
    for g in locate::find_all(goldens)? {
        for item in list(&g.dir) {
            match item {
                Ok(change) => items.push(Pending {
                    goldens: g.clone(),
                    change,
                }),
                Err(e) => {
                    unreadable += 1;
                    eprintln!("warning: skipping a pending change: {e}");
                }
            }
        }
    }
    Ok((items, unreadable))
}

fn run_command(command: &str, opts: &Options) -> i32 {
    let ci = ci_from(|k| std::env::var(k).ok());
    let writes = match command {
        "accept" | "reject" => !opts.dry_run,
        "review" => true,
        "test" => opts.review || opts.accept,
        _ => false,
    };
    if ci && writes {
        eprintln!(
            "error: this is CI (CI or another CI service's variable is set): `cargo wire-compat \
             {command}` never changes goldens in CI.\n\
             Approve changes on your machine and commit them."
        );
        return 2;
    }
    if command == "test" {
        let then = if opts.review {
            run_tests::Then::Review
        } else if opts.accept {
            run_tests::Then::Accept
        } else {
            run_tests::Then::Report
        };
        let goldens = opts.goldens.clone();
        return run_tests::run(&opts.passthrough, then, move || {
            find_pending(goldens.as_deref()).map(|(items, _)| items)
        });
    }
    let (items, unreadable) = match find_pending(opts.goldens.as_deref()) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let items = match select::select(&opts.filters, items) {
        Ok(items) => items,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let color = Color::from_env();
    if command == "pending" && opts.json {
        print!("{}", listing::json(&items));
        return i32::from(unreadable > 0);
    }
    if items.is_empty() {
        println!("no pending changes (a failing `cargo test` records them)");
        return i32::from(unreadable > 0);
    }
    let code = match command {
        "pending" => {
            print!("{}", listing::text(&items, opts.diff, color));
            0
        }
        "accept" => approve::accept(items, opts.dry_run),
        "reject" => approve::reject(&items, opts.dry_run),
        _ => review::run(items, color),
    };
    if unreadable > 0 {
        code.max(1)
    } else {
        code
    }
}
