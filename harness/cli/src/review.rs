//! `cargo wire-compat review`: walk pending changes one by one, like `cargo insta review`.
//!
//! Each change shows its golden's path (relative to the current folder) and real line,
//! and its diff; one key press decides it (no Enter). The question loop reads keys
//! from a [`Keys`] source, so tests drive it without a terminal.

use crate::listing::{diff, golden_path, Lines};
use crate::select::Pending;
use std::io::{IsTerminal, Write};
use wire_compat::_support::Color;

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

/// Where answers come from: one key at a time; `None` at the end of input.
pub(crate) trait Keys {
    /// The next key pressed.
    fn key(&mut self) -> std::io::Result<Option<char>>;
}

/// The terminal: a key press is read at once, without waiting for Enter.
struct Terminal(console::Term);

impl Keys for Terminal {
    fn key(&mut self) -> std::io::Result<Option<char>> {
        use console::Key;
        Ok(match self.0.read_key()? {
            Key::Char(c) => Some(c),
            Key::Enter => Some('\n'),
            Key::Escape => Some('q'),
            Key::UnknownEscSeq(_) | Key::Unknown => Some('?'),
            _ => Some('?'),
        })
    }
}

/// Scripted answers (tests): each character is a key press.
impl Keys for std::str::Chars<'_> {
    fn key(&mut self) -> std::io::Result<Option<char>> {
        Ok(self.next())
    }
}

/// Runs an interactive review on the terminal; refuses without one.
pub(crate) fn run(items: Vec<Pending>, color: Color) -> i32 {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!(
            "cargo wire-compat review needs a terminal to ask questions, and this is not one.\n\
             Use `cargo wire-compat pending --diff` to see the changes, `cargo wire-compat accept \
             [FILTER]` or `cargo wire-compat reject [FILTER]` to decide without questions."
        );
        return 2;
    }
    let mut keys = Terminal(console::Term::stdout());
    let mut output = std::io::stdout();
    let decisions = match ask_all(&items, color, &mut keys, &mut output) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    settle(items, &decisions)
}

/// Applies the decisions: accepted changes are written, rejected ones dropped,
/// skipped ones left pending. Returns the exit status.
pub(crate) fn settle(items: Vec<Pending>, decisions: &[Decision]) -> i32 {
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    let mut skipped = 0;
    for (p, d) in items.into_iter().zip(decisions) {
        match d {
            Decision::Accept => accepted.push(p),
            Decision::Reject => rejected.push(p),
            Decision::Skip => skipped += 1,
        }
    }
    let mut code = 0;
    if !accepted.is_empty() {
        code = code.max(crate::approve::accept(accepted, false));
    }
    if !rejected.is_empty() {
        code = code.max(crate::approve::reject(&rejected, false));
    }
    if skipped > 0 {
        println!("{skipped} skipped; still pending.");
    }
    code
}

const PROMPT: &str =
    "a accept · r reject · s skip · A/R/S the same for all the rest · q quit (one key) ";

/// Asks about each change; returns one decision per change. End of input skips the
/// rest (nothing is decided by accident).
pub(crate) fn ask_all(
    items: &[Pending],
    color: Color,
    keys: &mut dyn Keys,
    output: &mut dyn Write,
) -> std::io::Result<Vec<Decision>> {
    let mut decisions = Vec::with_capacity(items.len());
    let mut rest: Option<Decision> = None;
    let mut lines = Lines::default();
    for (i, p) in items.iter().enumerate() {
        if let Some(d) = rest {
            decisions.push(d);
            continue;
        }
        let line = lines.of(p);
        let at = match line {
            Some(line) => format!("{}:{line}", golden_path(p)),
            None => golden_path(p),
        };
        writeln!(
            output,
            "\n{} {}  ({})  {at}",
            color.paint("1", &format!("[{}/{}]", i + 1, items.len())),
            color.paint("1", &p.change.trial()),
            crate::approve::kind(&p.change)
        )?;
        write!(output, "{}", diff(p, line, color))?;
        let d = loop {
            write!(output, "{PROMPT}")?;
            output.flush()?;
            let Some(key) = keys.key()? else {
                writeln!(output)?;
                rest = Some(Decision::Skip);
                break Decision::Skip;
            };
            writeln!(output, "{}", key.escape_debug())?;
            match key {
                'a' => break Decision::Accept,
                'r' => break Decision::Reject,
                's' | '\n' | ' ' => break Decision::Skip,
                'A' => {
                    rest = Some(Decision::Accept);
                    break Decision::Accept;
                }
                'R' => {
                    rest = Some(Decision::Reject);
                    break Decision::Reject;
                }
                'S' | 'q' => {
                    rest = Some(Decision::Skip);
                    break Decision::Skip;
                }
                other => writeln!(output, "unknown key {other:?}")?,
            }
        };
        decisions.push(d);
    }
    Ok(decisions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locate::Goldens;
    use std::fs;
    use wire_compat::_support::{self as pending, Change};
    use wire_compat::Entry;

    const GOLDEN: &str = "# test golden\ncases:\n  A:\n    message: \"a\"\n  B:\n    message: \"b\"\n  C:\n    message: \"c\"\n  D:\n    message: \"d\"\n";

    fn setup() -> (tempfile::TempDir, Vec<Pending>) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("errors.yaml"), GOLDEN).unwrap();
        let goldens = Goldens {
            dir: dir.path().to_owned(),
            shown: "goldens".into(),
        };
        let items: Vec<Pending> = ["A", "B", "C", "D"]
            .iter()
            .map(|id| {
                let low = id.to_lowercase();
                let change = Change {
                    stem: "errors".into(),
                    id: (*id).into(),
                    old: Some(Entry::new().with("message", low.as_str())),
                    new: Some(Entry::new().with("message", format!("{low} v2"))),
                    header: Vec::new(),
                };
                pending::record(dir.path(), &change).unwrap();
                Pending {
                    goldens: goldens.clone(),
                    change,
                }
            })
            .collect();
        (dir, items)
    }

    fn ask(items: &[Pending], answers: &str) -> (Vec<Decision>, String) {
        let mut out = Vec::new();
        let d = ask_all(items, Color::Off, &mut answers.chars(), &mut out).unwrap();
        (d, String::from_utf8(out).unwrap())
    }

    #[test]
    fn one_key_decides_and_all_the_rest_shortcuts_apply() {
        use Decision::*;
        let (_dir, items) = setup();
        let (d, shown) = ask(&items, "ar A");
        assert_eq!(d, [Accept, Reject, Skip, Accept]);
        assert!(shown.contains("[1/4] errors::A  (changed)"), "{shown}");
        // The golden's real line, not `@@ -1`: case B is on line 5 of the file.
        assert!(shown.contains("errors::B  (changed)  "), "{shown}");
        assert!(shown.contains(".yaml:5\n"), "{shown}");
        assert!(shown.contains("@@ -5,2 +5,2 @@"), "{shown}");
        assert!(shown.contains("\n-    message: \"a\"\n"), "{shown}");
        assert!(shown.contains("\n+    message: \"a v2\"\n"), "{shown}");
        assert!(shown.contains("(one key)"), "{shown}");
        assert_eq!(ask(&items, "sR").0, [Skip, Reject, Reject, Reject]);
        assert_eq!(ask(&items, "aS").0, [Accept, Skip, Skip, Skip]);
        assert_eq!(ask(&items, "aq").0, [Accept, Skip, Skip, Skip]);
        let (d, shown) = ask(&items, "xa");
        assert_eq!(d[0], Accept);
        assert!(shown.contains("unknown key 'x'"), "{shown}");
        // End of input decides nothing by accident: everything left is skipped.
        assert_eq!(ask(&items, "a").0, [Accept, Skip, Skip, Skip]);
    }

    #[test]
    fn decisions_are_carried_out_and_skipped_changes_stay_pending() {
        use Decision::*;
        let (dir, items) = setup();
        let code = settle(items, &[Accept, Reject, Skip, Accept]);
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
