//! `cargo compat`: approve pending golden changes and gate releases.
//!
//! The command line is parsed by hand (no argument-parser dependency) because it is
//! small and the tool must build fast as a cargo alias in a fresh clone.

use crate::approve;
use crate::pending::{self, Change};
use crate::settings::flag_is_set;
use crate::style::Style;
use std::path::{Path, PathBuf};

/// The help text, listing every subcommand.
pub const HELP: &str = "\
cargo compat: approve golden changes of the compat suite, and gate releases

USAGE:
    cargo compat <COMMAND> [OPTIONS]

COMMANDS:
    review [FILTER...]     Walk each pending change (recorded by a failing `cargo test`):
                           show its diff and ask: accept, reject or skip it (or all the rest).
                           Needs a terminal; works in tmux.
    accept [FILTER...]     Accept pending changes without asking: rewrite the goldens
                           (canonical form, atomic) and drop the pending records.
    reject [FILTER...]     Drop pending changes without touching the goldens.
    pending [FILTER...]    List pending changes (one `file::case` per line), change nothing.
    gate [OPTIONS]         Check that the version bump covers the wire changes since a
                           release; see `cargo compat gate --help`.
    help                   Show this text.

FILTER selects changes by trial name `<file>::<case>`: a whole file (`vm_runtime_error`),
one case (`vm_runtime_error::VmNotFound`) or any part of the name, as `cargo test` filters
do. No filter selects every pending change.

OPTIONS:
    --goldens <DIR>        The goldens folder (default: `goldens/` of the nearest enclosing
                           folder that has one).
    -h, --help             Show help.

Nothing here writes when CI is set (CI=true and the like): approvals happen on a
developer's machine and are committed.

EXIT STATUS:
    0 done; 1 something was left undone (stale changes, gate refused); 2 could not run.
";

/// Runs the tool with the arguments after the program name; returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    // Installed as a cargo subcommand, cargo passes `compat` first; the alias does not.
    let args: Vec<String> = match args.first().map(String::as_str) {
        Some("compat") => args[1..].to_vec(),
        _ => args,
    };
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return 2;
    };
    match command.as_str() {
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            0
        }
        "gate" => crate::gate::cli(rest),
        "review" | "accept" | "reject" | "pending" => match Selection::parse(rest) {
            Ok(sel) if sel.help => {
                print!("{HELP}");
                0
            }
            Ok(sel) => run_pending_command(command, &sel),
            Err(e) => {
                eprintln!("error: {e}\n(see `cargo compat help`)");
                2
            }
        },
        other => {
            eprintln!("error: unknown command `{other}`\n\n{HELP}");
            2
        }
    }
}

struct Selection {
    goldens: Option<PathBuf>,
    filters: Vec<String>,
    help: bool,
}

impl Selection {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut sel = Selection {
            goldens: None,
            filters: Vec::new(),
            help: false,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-h" | "--help" => sel.help = true,
                "--goldens" => {
                    let dir = it.next().ok_or("--goldens needs a folder")?;
                    sel.goldens = Some(PathBuf::from(dir));
                }
                s if s.starts_with("--goldens=") => {
                    sel.goldens = Some(PathBuf::from(&s["--goldens=".len()..]));
                }
                s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
                s => sel.filters.push(s.to_owned()),
            }
        }
        Ok(sel)
    }

    /// Keeps the changes the filters select. A filter equal to a pending trial's full
    /// name selects just that trial (the command a failure report prints must approve
    /// exactly that case, not `VmNotFound.empty` too); any other filter selects a whole
    /// file by its name, or every trial whose name contains it.
    fn select(&self, changes: Vec<Change>) -> Vec<Change> {
        if self.filters.is_empty() {
            return changes;
        }
        let names: std::collections::HashSet<String> = changes.iter().map(Change::trial).collect();
        changes
            .into_iter()
            .filter(|c| {
                let trial = c.trial();
                self.filters.iter().any(|f| {
                    if names.contains(f) {
                        trial == *f
                    } else {
                        c.stem == *f || trial.contains(f.as_str())
                    }
                })
            })
            .collect()
    }
}

/// Finds the goldens folder: the given one, or `goldens/` in the current folder or
/// the nearest ancestor that has one (so the tool works from any subfolder).
pub fn find_goldens(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = given {
        return if dir.is_dir() {
            Ok(dir.to_owned())
        } else {
            Err(format!("{} is not a folder", dir.display()))
        };
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    cwd.ancestors()
        .map(|d| d.join("goldens"))
        .find(|d| d.is_dir())
        .ok_or_else(|| {
            format!(
                "no goldens/ folder in {} or above; pass --goldens <DIR>",
                cwd.display()
            )
        })
}

fn run_pending_command(command: &str, sel: &Selection) -> i32 {
    let goldens = match find_goldens(sel.goldens.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let ci = flag_is_set(std::env::var("CI").ok().as_deref());
    if ci && command != "pending" {
        eprintln!(
            "error: CI is set: `cargo compat {command}` never changes goldens in CI.\n\
             Approve changes on your machine and commit them."
        );
        return 2;
    }
    let mut unreadable = 0;
    let mut changes = Vec::new();
    for item in pending::list(&goldens) {
        match item {
            Ok(c) => changes.push(c),
            Err(e) => {
                unreadable += 1;
                eprintln!("warning: skipping an unreadable pending change: {e}");
            }
        }
    }
    let changes = sel.select(changes);
    if changes.is_empty() {
        println!(
            "no pending changes{} (a failing `cargo test` records them)",
            if sel.filters.is_empty() { "" } else { " match" }
        );
        return if unreadable > 0 { 1 } else { 0 };
    }
    let style = Style::from_env();
    let code = match command {
        "pending" => {
            for c in &changes {
                println!("{}  ({})", c.trial(), kind(c));
            }
            0
        }
        "accept" => accept(&goldens, changes),
        "reject" => reject(&goldens, &changes),
        _ => crate::review::run(&goldens, changes, style),
    };
    if unreadable > 0 {
        1
    } else {
        code
    }
}

/// A word for what a change does, for listings.
pub fn kind(c: &Change) -> &'static str {
    match (&c.old, &c.new) {
        (None, Some(_)) => "new case",
        (Some(_), None) => "removed case",
        _ => "changed",
    }
}

/// Applies changes and reports; 0 when all applied, 1 when some were stale, 2 on error.
pub fn accept(goldens: &Path, changes: Vec<Change>) -> i32 {
    match approve::apply(goldens, changes) {
        Ok(outcome) => {
            for c in &outcome.applied {
                if let Err(e) = pending::discard(goldens, &c.stem, &c.id) {
                    eprintln!(
                        "warning: accepted {}, but its pending record stays: {e}",
                        c.trial()
                    );
                }
                println!("accepted {}  ({})", c.trial(), kind(c));
            }
            for (c, now) in &outcome.stale {
                eprintln!(
                    "stale: {} was not accepted: its golden changed since the change was recorded\n  \
                     the golden now holds:\n{now}  re-run `cargo test` to record it again",
                    c.trial()
                );
            }
            println!(
                "{} accepted, {} stale; {} golden file(s) rewritten. Review with `git diff goldens/` and commit.",
                outcome.applied.len(),
                outcome.stale.len(),
                outcome.files_written.len()
            );
            i32::from(!outcome.stale.is_empty())
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Drops pending records; the goldens are not touched.
pub fn reject(goldens: &Path, changes: &[Change]) -> i32 {
    let mut failed = 0;
    for c in changes {
        match pending::discard(goldens, &c.stem, &c.id) {
            Ok(()) => println!("rejected {}  ({})", c.trial(), kind(c)),
            Err(e) => {
                failed += 1;
                eprintln!(
                    "error: could not drop the pending record of {}: {e}",
                    c.trial()
                );
            }
        }
    }
    println!(
        "{} rejected; goldens untouched. `cargo test` stays red until the source matches the goldens.",
        changes.len() - failed
    );
    if failed > 0 {
        2
    } else {
        0
    }
}
