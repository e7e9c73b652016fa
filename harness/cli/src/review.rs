//! `cargo wire-compat review`: walk pending changes one by one, like `cargo insta review`.
//!
//! Each change shows its golden's path (relative to the current folder) and real line,
//! and its diff; one key press decides it (no Enter). The question loop reads keys
//! from a [`Keys`] source, so tests drive it without a terminal.
//!
//! Only keys typed after a change is on screen answer it: the terminal's input queue
//! is discarded before each prompt, so `git add -A⏎` typed while the tests ran cannot
//! accept a change nobody saw. Ctrl-C stops the questions; the answers already given
//! are carried out, and the report says so.

use crate::listing::{diff, golden_path, Lines};
use crate::select::{Names, Pending};
use crate::status::Status;
use crate::streams::Streams;
use std::io::{IsTerminal, Write};
use wire_compat::_support::Color;

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

/// The key that stops the questions (Ctrl-C), as [`Keys`] report it.
pub const INTERRUPT: char = '\u{3}';

/// Where answers come from: one key at a time; `None` at the end of input.
pub trait Keys {
    /// Discards whatever was typed before now (called before each prompt).
    fn discard_typeahead(&mut self) {}
    /// The next key pressed ([`INTERRUPT`] for Ctrl-C).
    fn key(&mut self) -> std::io::Result<Option<char>>;
}

/// The terminal: a key press is read at once, without waiting for Enter.
struct Terminal(console::Term);

impl Keys for Terminal {
    fn discard_typeahead(&mut self) {
        discard_terminal_input();
    }

    fn key(&mut self) -> std::io::Result<Option<char>> {
        use console::Key;
        // `read_key_raw` hands Ctrl-C over as a key instead of killing the process, so
        // the answers already given are not lost.
        Ok(match self.0.read_key_raw()? {
            Key::Char(c) => Some(c),
            Key::CtrlC => Some(INTERRUPT),
            Key::Enter => Some('\n'),
            Key::Escape => Some('q'),
            Key::UnknownEscSeq(_) | Key::Unknown => Some('?'),
            _ => Some('?'),
        })
    }
}

/// Drops the bytes typed on the terminal but not read yet (`tcflush(TCIFLUSH)`).
#[cfg(unix)]
fn discard_terminal_input() {
    // SAFETY: tcflush only reads its two integer arguments; on a descriptor that is
    // not a terminal it fails with ENOTTY, which changes nothing.
    unsafe {
        libc::tcflush(libc::STDIN_FILENO, libc::TCIFLUSH);
    }
}

/// Elsewhere the typeahead cannot be discarded; the prompt still waits for a key.
#[cfg(not(unix))]
fn discard_terminal_input() {}

#[cfg(test)]
/// Scripted answers (tests): each character is a key press; `|` marks where the
/// change went on screen, and what came before it is typeahead.
pub struct Script<'a> {
    keys: std::str::Chars<'a>,
}

#[cfg(test)]
impl<'a> Script<'a> {
    /// Keys as typed.
    pub fn new(keys: &'a str) -> Script<'a> {
        Script { keys: keys.chars() }
    }
}

#[cfg(test)]
impl Keys for Script<'_> {
    fn discard_typeahead(&mut self) {
        // Everything up to the next `|` was typed before the prompt.
        let rest = self.keys.as_str();
        if let Some(at) = rest.find('|') {
            self.keys = rest[at + 1..].chars();
        }
    }

    fn key(&mut self) -> std::io::Result<Option<char>> {
        Ok(self.keys.next())
    }
}

/// Runs an interactive review on the terminal; refuses without one.
pub fn run(items: Vec<Pending>, color: Color, io: &mut Streams<'_>) -> Status {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        let _ = writeln!(
            io.err,
            "cargo wire-compat review needs a terminal to ask questions, and this is not one.\n\
             Use `cargo wire-compat pending --diff` to see the changes, `cargo wire-compat accept \
             [FILTER]` or `cargo wire-compat reject [FILTER]` to decide without questions."
        );
        return Status::CouldNotRun;
    }
    let mut keys = Terminal(console::Term::stdout());
    let answers = match ask_all(&items, color, &mut keys, io.out) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            return Status::CouldNotRun;
        }
    };
    if answers.interrupted {
        let given = answers
            .decisions
            .iter()
            .take(answers.answered)
            .filter(|d| **d != Decision::Skip)
            .count();
        let _ = writeln!(
            io.out,
            "interrupted: carrying out the {given} answer(s) given; the rest stays pending."
        );
    }
    settle(items, &answers.decisions, io)
}

/// Applies the decisions: accepted changes are written, rejected ones dropped,
/// skipped ones left pending.
pub fn settle(items: Vec<Pending>, decisions: &[Decision], io: &mut Streams<'_>) -> Status {
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
    let mut status = Status::Done;
    if !accepted.is_empty() {
        status = status.max(crate::approve::accept(accepted, false, io));
    }
    if !rejected.is_empty() {
        status = status.max(crate::approve::reject(&rejected, false, io));
    }
    if skipped > 0 {
        let _ = writeln!(io.out, "{skipped} skipped; still pending.");
    }
    status
}

/// The reviewer's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// One decision per change.
    pub decisions: Vec<Decision>,
    /// How many changes got a key of their own (or a for-all-the-rest).
    pub answered: usize,
    /// Whether Ctrl-C ended the questions.
    pub interrupted: bool,
}

const PROMPT: &str =
    "a accept · r reject · s skip · A/R/S the same for all the rest · q quit (one key) ";

/// Asks about each change; returns one decision per change. End of input or Ctrl-C
/// skips the rest (nothing is decided by accident).
pub fn ask_all(
    items: &[Pending],
    color: Color,
    keys: &mut dyn Keys,
    output: &mut dyn Write,
) -> std::io::Result<Answers> {
    let mut decisions = Vec::with_capacity(items.len());
    let mut rest: Option<Decision> = None;
    let mut lines = Lines::default();
    let names = Names::of(items);
    let mut interrupted = false;
    let mut answered = 0;
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
            color.paint("1", &names.trial(p)),
            crate::approve::kind(&p.change)
        )?;
        write!(output, "{}", diff(p, line, color))?;
        answered += 1;
        let d = loop {
            // Discard what was typed before the question is asked, and only then ask:
            // a key typed once the prompt is on screen is always an answer.
            output.flush()?;
            keys.discard_typeahead();
            write!(output, "{PROMPT}")?;
            output.flush()?;
            let Some(key) = keys.key()? else {
                writeln!(output)?;
                rest = Some(Decision::Skip);
                break Decision::Skip;
            };
            if key == INTERRUPT {
                writeln!(output, "^C")?;
                interrupted = true;
                answered -= 1;
                rest = Some(Decision::Skip);
                break Decision::Skip;
            }
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
    Ok(Answers {
        decisions,
        answered,
        interrupted,
    })
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
        let goldens = Goldens::new(dir.path().to_owned(), None);
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
        let d = ask_all(items, Color::Off, &mut Script::new(answers), &mut out).unwrap();
        (d.decisions, String::from_utf8(out).unwrap())
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
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut io = Streams {
            out: &mut out,
            err: &mut err,
        };
        let status = settle(items, &[Accept, Reject, Skip, Accept], &mut io);
        assert_eq!(status, Status::Done);
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

    #[test]
    fn keys_typed_before_a_change_is_on_screen_answer_nothing() {
        use Decision::*;
        let (_dir, items) = setup();
        // `git add -A⏎` typed while the tests ran, then `s` for the first change.
        let (d, _) = ask(&items, "git add -A\n|s|r");
        assert_eq!(d, [Skip, Reject, Skip, Skip]);
    }

    #[test]
    fn ctrl_c_in_review_keeps_the_answers_already_given() {
        use Decision::*;
        let (_dir, items) = setup();
        let mut out = Vec::new();
        let keys = format!("|a|r|{INTERRUPT}|a");
        let answers = ask_all(&items, Color::Off, &mut Script::new(&keys), &mut out).unwrap();
        assert_eq!(answers.decisions, [Accept, Reject, Skip, Skip]);
        assert_eq!(answers.answered, 2);
        assert!(answers.interrupted);
    }
}
