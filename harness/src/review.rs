//! `cargo compat review`: walk pending changes one by one, like `cargo insta review`.

use crate::pending::Change;
use crate::report::{change_diff, Location};
use crate::style::Style;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// What the reviewer decided for one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Write it into the golden.
    Accept,
    /// Drop it; the golden stays.
    Reject,
    /// Leave it pending for later.
    Skip,
}

/// Runs an interactive review on the terminal; refuses without one.
pub fn run(goldens: &Path, changes: Vec<Change>, style: Style) -> i32 {
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "cargo compat review needs a terminal to ask questions, and stdin is not one.\n\
             Use `cargo compat pending` to list, `cargo compat accept [FILTER]` or \
             `cargo compat reject [FILTER]` to decide without questions."
        );
        return 2;
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = std::io::stdout();
    let decisions = match ask_all(goldens, &changes, style, &mut input, &mut output) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    settle(goldens, changes, &decisions)
}

/// Applies the decisions: accepted changes are written, rejected ones dropped,
/// skipped ones left pending. Returns the exit status.
pub fn settle(goldens: &Path, changes: Vec<Change>, decisions: &[Decision]) -> i32 {
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    let mut skipped = 0;
    for (c, d) in changes.into_iter().zip(decisions) {
        match d {
            Decision::Accept => accepted.push(c),
            Decision::Reject => rejected.push(c),
            Decision::Skip => skipped += 1,
        }
    }
    let mut code = 0;
    if !accepted.is_empty() {
        code = code.max(crate::cli::accept(goldens, accepted));
    }
    if !rejected.is_empty() {
        code = code.max(crate::cli::reject(goldens, &rejected));
    }
    if skipped > 0 {
        println!("{skipped} skipped; still pending.");
    }
    code
}

/// Asks about each change on `input`/`output`; returns one decision per change.
/// End of input skips the rest (nothing is decided by accident).
pub fn ask_all(
    goldens: &Path,
    changes: &[Change],
    style: Style,
    input: &mut impl BufRead,
    output: &mut impl Write,
) -> std::io::Result<Vec<Decision>> {
    let mut decisions = Vec::with_capacity(changes.len());
    let mut rest: Option<Decision> = None;
    let shown_dir = goldens.display().to_string();
    for (i, c) in changes.iter().enumerate() {
        if let Some(d) = rest {
            decisions.push(d);
            continue;
        }
        let trial = c.trial();
        let shown_path = format!("{shown_dir}/{}.yaml", c.stem);
        let loc = Location {
            trial: &trial,
            shown_path: &shown_path,
            line: None,
            approve: "cargo compat",
        };
        writeln!(
            output,
            "\n{} {}  ({})",
            style.paint("1", &format!("[{}/{}]", i + 1, changes.len())),
            style.paint("1", &trial),
            crate::cli::kind(c)
        )?;
        write!(
            output,
            "{}",
            change_diff(&loc, &c.id, c.old.as_ref(), c.new.as_ref(), style)
        )?;
        let d = loop {
            write!(
                output,
                "a accept, r reject, s skip; A/R/S: the same for all the rest; q quit (skip the rest) > "
            )?;
            output.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                writeln!(output)?;
                rest = Some(Decision::Skip);
                break Decision::Skip;
            }
            match line.trim() {
                "a" => break Decision::Accept,
                "r" => break Decision::Reject,
                "s" | "" => break Decision::Skip,
                "A" => {
                    rest = Some(Decision::Accept);
                    break Decision::Accept;
                }
                "R" => {
                    rest = Some(Decision::Reject);
                    break Decision::Reject;
                }
                "S" | "q" => {
                    rest = Some(Decision::Skip);
                    break Decision::Skip;
                }
                other => writeln!(output, "unknown answer {other:?}")?,
            }
        };
        decisions.push(d);
    }
    Ok(decisions)
}
