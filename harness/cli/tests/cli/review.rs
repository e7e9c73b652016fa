//! `cargo wire-compat review`: the answers it understands, what it does with them, that it
//! refuses politely without a terminal, and that it works for real inside tmux.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wire_compat::_support::{self as pending, Change};
use wire_compat::Entry;

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

#[test]
fn review_without_a_terminal_refuses_politely_and_changes_nothing() {
    let (dir, _) = setup();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"))
        .args(["review", "--goldens"])
        .arg(dir.path())
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("cargo wire-compat accept"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("errors.yaml")).unwrap(),
        GOLDEN
    );
    assert_eq!(pending::list(dir.path()).len(), 4);
}

#[test]
fn approving_refuses_under_ci() {
    let (dir, _) = setup();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"))
        .args(["accept", "--goldens"])
        .arg(dir.path())
        .env("CI", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never changes goldens in CI"));
    assert_eq!(
        fs::read_to_string(dir.path().join("errors.yaml")).unwrap(),
        GOLDEN
    );
}

/// The real thing: `cargo wire-compat review` in a tmux pane, answered with send-keys.
#[test]
#[cfg_attr(not(has_tool = "tmux"), ignore = "needs tmux")]
fn review_works_in_tmux() {
    let (dir, _) = setup();
    let cmd = format!(
        "env -u CI NO_COLOR=1 {} review --goldens {}; echo REVIEW-EXIT=$?; sleep 30",
        env!("CARGO_BIN_EXE_cargo-wire-compat"),
        dir.path().display()
    );
    let pane = Pane::start("review_works_in_tmux", &cmd);
    pane.wait_for("[1/4] errors::A");
    pane.wait_for_prompt(1);
    pane.keys(&["a"]);
    pane.wait_for("[2/4] errors::B");
    pane.wait_for_prompt(2);
    pane.keys(&["r"]);
    pane.wait_for("[3/4] errors::C");
    pane.wait_for_prompt(3);
    pane.keys(&["S"]);
    let s = pane.wait_for("REVIEW-EXIT=");
    drop(pane);
    assert!(s.contains("REVIEW-EXIT=0"), "{s}");
    assert!(
        s.contains("accepted errors::A") && s.contains("rejected errors::B"),
        "{s}"
    );
    let text = fs::read_to_string(dir.path().join("errors.yaml")).unwrap();
    assert!(
        text.contains("\"a v2\"") && text.contains("\"b\"") && text.contains("\"c\""),
        "{text}"
    );
    assert_eq!(
        pending::list(dir.path()).len(),
        2,
        "C and D skipped, still pending"
    );
}

/// A tmux server of its own running one command in a pane named `review`.
struct Pane {
    socket: String,
}

impl Pane {
    /// Starts `cmd` (a shell line) in a 200x60 pane; fails `test` when tmux is missing.
    fn start(test: &str, cmd: &str) -> Pane {
        crate::support::require_tool(test, "tmux", &["-V"]);
        let pane = Pane {
            socket: format!("compat-{test}-{}", std::process::id()),
        };
        let started = pane.tmux(&[
            "new-session",
            "-d",
            "-s",
            "review",
            "-x",
            "200",
            "-y",
            "60",
            cmd,
        ]);
        assert!(
            started.status.success(),
            "{}",
            String::from_utf8_lossy(&started.stderr)
        );
        pane
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "review"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-t", "review", "-S", "-200"])
                .stdout,
        )
        .into_owned()
    }

    /// Waits until the screen passes `done`, and returns it. The deadline is a bound on
    /// waiting, not an assertion about speed: it only fails a test that hangs.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows `what`.
    fn wait_for(&self, what: &str) -> String {
        self.wait_until(&format!("{what:?}"), |s| s.contains(what))
    }

    /// Waits until the `n`th question's prompt is on screen: a key typed before it
    /// is discarded (typeahead), as the review must.
    fn wait_for_prompt(&self, n: usize) {
        self.wait_until(&format!("prompt {n}"), |s| {
            s.matches("(one key)").count() >= n
        });
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Issue 20 (high): keys typed while the tests were still running (`git add -A⏎`,
/// `vim Cargo.toml⏎`) accepted changes nobody had seen. Here they are typed into the
/// terminal before `review` starts; it must discard them and wait for a key typed
/// once the change is on screen.
#[test]
#[cfg_attr(not(has_tool = "tmux"), ignore = "needs tmux")]
fn keys_typed_before_the_first_prompt_answer_nothing() {
    let (dir, _) = setup();
    let flag = dir.path().join("go");
    let cmd = format!(
        "echo WAITING; while [ ! -e {flag} ]; do sleep 0.05; done; env -u CI NO_COLOR=1 {bin} \
         review --goldens {dir}; echo REVIEW-EXIT=$?; sleep 30",
        flag = flag.display(),
        bin = env!("CARGO_BIN_EXE_cargo-wire-compat"),
        dir = dir.path().display()
    );
    let pane = Pane::start("typeahead", &cmd);
    pane.wait_for("WAITING");
    // Typed before any change is on screen: `A` would accept them all.
    pane.keys(&["git add -A", "Enter", "vim Cargo.toml", "Enter", "A"]);
    fs::write(&flag, "").unwrap();
    pane.wait_for("[1/4] errors::A");
    pane.wait_for_prompt(1);
    pane.keys(&["q"]);
    let s = pane.wait_for("REVIEW-EXIT=");
    assert!(s.contains("REVIEW-EXIT=0"), "{s}");
    assert!(!s.contains("accepted errors::"), "{s}");
    assert_eq!(
        fs::read_to_string(dir.path().join("errors.yaml")).unwrap(),
        GOLDEN,
        "nothing accepted"
    );
    assert_eq!(pending::list(dir.path()).len(), 4);
}

/// Issue 16: Ctrl-C in `review` silently dropped the answers already given.
#[test]
#[cfg_attr(not(has_tool = "tmux"), ignore = "needs tmux")]
fn ctrl_c_in_review_carries_out_the_answers_already_given() {
    let (dir, _) = setup();
    let cmd = format!(
        "env -u CI NO_COLOR=1 {} review --goldens {}; echo REVIEW-EXIT=$?; sleep 30",
        env!("CARGO_BIN_EXE_cargo-wire-compat"),
        dir.path().display()
    );
    let pane = Pane::start("ctrl-c", &cmd);
    pane.wait_for("[1/4] errors::A");
    pane.wait_for_prompt(1);
    pane.keys(&["a"]);
    pane.wait_for("[2/4] errors::B");
    pane.wait_for_prompt(2);
    pane.keys(&["r"]);
    pane.wait_for("[3/4] errors::C");
    pane.wait_for_prompt(3);
    pane.keys(&["C-c"]);
    let s = pane.wait_for("REVIEW-EXIT=");
    assert!(
        s.contains("interrupted: carrying out the 2 answer(s) given"),
        "{s}"
    );
    assert!(
        s.contains("accepted errors::A") && s.contains("rejected errors::B"),
        "{s}"
    );
    assert!(s.contains("REVIEW-EXIT=0"), "{s}");
    let text = fs::read_to_string(dir.path().join("errors.yaml")).unwrap();
    assert!(
        text.contains("\"a v2\"") && text.contains("\"b\""),
        "{text}"
    );
    assert_eq!(pending::list(dir.path()).len(), 2, "C and D stay pending");
}
