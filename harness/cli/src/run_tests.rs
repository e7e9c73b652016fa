//! `cargo wire-compat test`: run the tests, then review (or accept) what they recorded,
//! in one step (`cargo insta test --review`).

use crate::select::Pending;
use std::process::Command;

/// What to do with the changes the run recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Then {
    /// List them and say how to review (the default).
    Report,
    /// Walk them interactively.
    Review,
    /// Accept them all.
    Accept,
}

/// Runs `cargo test <args>` (outside `UPDATE_GOLDENS`, so mismatches are recorded as
/// pending), then settles the pending changes as asked. The exit status is that of
/// the review or acceptance when there was something to settle, else the tests'.
pub(crate) fn run(
    args: &[String],
    then: Then,
    find: impl Fn() -> Result<Vec<Pending>, String>,
) -> i32 {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    println!("== cargo test {}", args.join(" "));
    let status = Command::new(cargo)
        .arg("test")
        .args(args)
        .env_remove("UPDATE_GOLDENS")
        .status();
    let tests_passed = match status {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("error: cannot run cargo test: {e}");
            return 2;
        }
    };
    let items = match find() {
        Ok(items) => items,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if items.is_empty() {
        println!(
            "== no pending changes{}",
            if tests_passed {
                ""
            } else {
                "; the tests failed for another reason (see above)"
            }
        );
        return if tests_passed { 0 } else { 1 };
    }
    println!("== {} pending change(s)", items.len());
    match then {
        Then::Review => crate::review::run(items, wire_compat::_support::Color::from_env()),
        Then::Accept => crate::approve::accept(items, false),
        Then::Report => {
            print!(
                "{}",
                crate::listing::text(&items, false, wire_compat::_support::Color::from_env())
            );
            println!(
                "review them with `cargo wire-compat review`, or accept all: `cargo wire-compat accept`"
            );
            1
        }
    }
}
