//! `cargo compat review`: walk pending changes one by one, like `cargo insta review`.

use compat_harness::_support::{change_diff, Approver, Change, Color, Location};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// What the reviewer decided for one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Write it into the golden.
    Accept,
    /// Drop it; the golden stays.
    Reject,
    /// Leave it pending for later.
    Skip,
}

/// Runs an interactive review on the terminal; refuses without one.
pub(crate) fn run(goldens: &Path, changes: Vec<Change>, color: Color) -> i32 {
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
    let decisions = match ask_all(goldens, &changes, color, &mut input, &mut output) {
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
pub(crate) fn settle(goldens: &Path, changes: Vec<Change>, decisions: &[Decision]) -> i32 {
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
        code = code.max(crate::approve::accept(goldens, accepted));
    }
    if !rejected.is_empty() {
        code = code.max(crate::approve::reject(goldens, &rejected));
    }
    if skipped > 0 {
        println!("{skipped} skipped; still pending.");
    }
    code
}

/// Asks about each change on `input`/`output`; returns one decision per change.
/// End of input skips the rest (nothing is decided by accident).
pub(crate) fn ask_all(
    goldens: &Path,
    changes: &[Change],
    color: Color,
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
            approve: &Approver::Tool("cargo compat".into()),
        };
        writeln!(
            output,
            "\n{} {}  ({})",
            color.paint("1", &format!("[{}/{}]", i + 1, changes.len())),
            color.paint("1", &trial),
            crate::approve::kind(c)
        )?;
        write!(
            output,
            "{}",
            change_diff(&loc, &c.id, c.old.as_ref(), c.new.as_ref(), color)
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

#[cfg(test)]
mod tests {
    use super::*;
    use compat_harness::_support::{self as pending};
    use compat_harness::Entry;
    use std::fs;

    const GOLDEN: &str = "# test golden\ncases:\n  A:\n    message: \"a\"\n  B:\n    message: \"b\"\n  C:\n    message: \"c\"\n  D:\n    message: \"d\"\n";

    fn change(id: &str, old: &str, new: &str) -> Change {
        Change {
            stem: "errors".into(),
            id: id.into(),
            old: Some(Entry::new().with("message", old)),
            new: Some(Entry::new().with("message", new)),
            header: Vec::new(),
        }
    }

    fn setup() -> (tempfile::TempDir, Vec<Change>) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("errors.yaml"), GOLDEN).unwrap();
        let changes: Vec<Change> = ["A", "B", "C", "D"]
            .iter()
            .map(|id| change(id, &id.to_lowercase(), &format!("{} v2", id.to_lowercase())))
            .collect();
        for c in &changes {
            pending::record(dir.path(), c).unwrap();
        }
        (dir, changes)
    }

    fn ask(dir: &Path, changes: &[Change], answers: &str) -> (Vec<Decision>, String) {
        let mut out = Vec::new();
        let d = ask_all(dir, changes, Color::Off, &mut answers.as_bytes(), &mut out).unwrap();
        (d, String::from_utf8(out).unwrap())
    }

    #[test]
    fn answers_map_to_decisions_and_all_the_rest_shortcuts_apply() {
        use Decision::*;
        let (dir, changes) = setup();
        let (d, shown) = ask(dir.path(), &changes, "a\nr\n\nA\n");
        assert_eq!(d, [Accept, Reject, Skip, Accept]);
        assert!(shown.contains("[1/4] errors::A  (changed)"), "{shown}");
        assert!(shown.contains("\n-    message: \"a\"\n"), "{shown}");
        assert!(shown.contains("\n+    message: \"a v2\"\n"), "{shown}");
        let (d, _) = ask(dir.path(), &changes, "s\nR\n");
        assert_eq!(d, [Skip, Reject, Reject, Reject]);
        let (d, _) = ask(dir.path(), &changes, "a\nS\n");
        assert_eq!(d, [Accept, Skip, Skip, Skip]);
        let (d, _) = ask(dir.path(), &changes, "a\nq\n");
        assert_eq!(d, [Accept, Skip, Skip, Skip]);
        let (d, shown) = ask(dir.path(), &changes, "what\na\n");
        assert_eq!(d[0], Accept);
        assert!(shown.contains("unknown answer \"what\""));
        // End of input decides nothing by accident: everything left is skipped.
        let (d, _) = ask(dir.path(), &changes, "a\n");
        assert_eq!(d, [Accept, Skip, Skip, Skip]);
    }

    #[test]
    fn decisions_are_carried_out_and_skipped_changes_stay_pending() {
        use Decision::*;
        let (dir, changes) = setup();
        let code = settle(dir.path(), changes, &[Accept, Reject, Skip, Accept]);
        assert_eq!(code, 0);
        let text = fs::read_to_string(dir.path().join("errors.yaml")).unwrap();
        assert!(text.contains("message: \"a v2\"") && text.contains("message: \"d v2\""));
        assert!(text.contains("message: \"b\"") && text.contains("message: \"c\""));
        let left: Vec<String> = pending::list(dir.path())
            .into_iter()
            .map(|c| c.unwrap().trial())
            .collect();
        assert_eq!(
            left,
            ["errors::C"],
            "only the skipped change is still pending"
        );
    }
}
