//! `cargo compat`: approve pending golden changes and gate releases.
//!
//! The command line is parsed by hand (no argument-parser dependency) because it is
//! small and the tool must build fast as a cargo alias in a fresh clone. This is the
//! only part of the framework that prints or exits.

mod approve;
mod gate;
mod locate;
mod review;
mod select;

use compat_harness::_support::{flag_is_set, list, Color};
use select::Selection;
use std::process::ExitCode;

/// The help text, listing every subcommand.
const HELP: &str = "\
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

fn main() -> ExitCode {
    let args = std::env::args().skip(1).collect();
    ExitCode::from(u8::try_from(run(args)).unwrap_or(2))
}

/// Runs the tool with the arguments after the program name; returns the exit status.
fn run(args: Vec<String>) -> i32 {
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
        "gate" => gate::cli(rest),
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

fn run_pending_command(command: &str, sel: &Selection) -> i32 {
    let goldens = match locate::find_goldens(sel.goldens.as_deref()) {
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
    for item in list(&goldens) {
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
    let color = Color::from_env();
    let code = match command {
        "pending" => {
            for c in &changes {
                println!("{}  ({})", c.trial(), approve::kind(c));
            }
            0
        }
        "accept" => approve::accept(&goldens, changes),
        "reject" => approve::reject(&goldens, &changes),
        _ => review::run(&goldens, changes, color),
    };
    if unreadable > 0 {
        1
    } else {
        code
    }
}
