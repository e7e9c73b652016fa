//! The tool's command line as a user meets it: help per command, the version,
//! dry runs, listings as diff and JSON, and filters that select nothing.

use crate::support::{outcome, text};
use std::path::Path;
use std::process::Command;
use wire_compat::_support::{record, Change};
use wire_compat::Entry;

const GOLDEN: &str =
    "cases:\n  Full:\n    message: \"full\"\n  Full.zero:\n    message: \"full (0)\"\n";

/// A goldens folder with two pending changes of `queue_error` and one of
/// `queue_error_code` (a file whose name starts with the other's).
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path();
    std::fs::write(g.join("queue_error.yaml"), GOLDEN).unwrap();
    std::fs::write(
        g.join("queue_error_code.yaml"),
        "cases:\n  Full:\n    code: 429\n",
    )
    .unwrap();
    let change = |stem: &str, id: &str, field: &str, old: &str, new: &str| Change {
        stem: stem.into(),
        id: id.into(),
        old: Some(Entry::new().with(field, old)),
        new: Some(Entry::new().with(field, new)),
        header: Vec::new(),
    };
    for c in [
        change("queue_error", "Full", "message", "full", "queue full"),
        change(
            "queue_error",
            "Full.zero",
            "message",
            "full (0)",
            "queue full (0)",
        ),
        change("queue_error_code", "Full", "code", "429", "503"),
    ] {
        record(g, &c).unwrap();
    }
    dir
}

fn tool(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.args(args)
        .arg("--goldens")
        .arg(dir)
        .env("NO_COLOR", "1");
    crate::support::scrub(&mut cmd);
    let out = cmd.output().unwrap();
    (out.status.code(), text(&out))
}

#[test]
fn every_command_has_its_own_help_and_the_tool_a_version() {
    let bin = env!("CARGO_BIN_EXE_cargo-wire-compat");
    for (cmd, says) in [
        ("test", "then settle what they recorded"),
        ("review", "one key"),
        ("accept", "--dry-run"),
        ("reject", "goldens untouched"),
        ("pending", "--format json"),
        ("gate", "--against"),
    ] {
        for args in [vec![cmd, "--help"], vec!["help", cmd]] {
            let (ok, out) = outcome(&Command::new(bin).args(&args).output().unwrap());
            assert!(ok, "{args:?}: {out}");
            assert!(out.contains(says), "{args:?} does not say {says:?}:\n{out}");
            assert!(
                !out.contains("COMMANDS:"),
                "{args:?} printed the global help"
            );
        }
    }
    let (ok, out) = outcome(&Command::new(bin).arg("--version").output().unwrap());
    assert!(ok && out.starts_with("cargo-wire-compat 0."), "{out}");
}

#[test]
fn a_dry_run_says_what_it_would_do_and_changes_nothing() {
    let dir = fixture();
    let before = std::fs::read_to_string(dir.path().join("queue_error.yaml")).unwrap();
    let (code, out) = tool(dir.path(), &["accept", "queue_error", "--dry-run"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("would accept queue_error::Full  (changed)"),
        "{out}"
    );
    assert!(out.contains("2 would be accepted"), "{out}");
    let (code, out) = tool(dir.path(), &["reject", "--dry-run"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("3 would be rejected"), "{out}");
    let after = std::fs::read_to_string(dir.path().join("queue_error.yaml")).unwrap();
    assert_eq!(before, after);
    assert_eq!(wire_compat::_support::list(dir.path()).len(), 3);
}

#[test]
fn a_whole_file_filter_stays_in_its_file_and_a_filter_that_selects_nothing_fails() {
    let dir = fixture();
    let (code, out) = tool(dir.path(), &["accept", "queue_error"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("2 accepted"), "{out}");
    let left: Vec<String> = wire_compat::_support::list(dir.path())
        .into_iter()
        .map(|c| c.unwrap().trial())
        .collect();
    assert_eq!(left, ["queue_error_code::Full"]);
    // The printed `accept <trial>` run again finds nothing (and never a neighbour).
    for args in [
        &["accept", "queue_error::Full"][..],
        &["accept", "queue_err"],
        &["reject", "nope::*"],
    ] {
        let (code, out) = tool(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {out}");
        assert!(out.contains("no pending change matches"), "{out}");
    }
    let (code, out) = tool(dir.path(), &["accept", ""]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("empty FILTER"), "{out}");
    assert_eq!(wire_compat::_support::list(dir.path()).len(), 1);
}

#[test]
fn pending_shows_diffs_at_the_goldens_real_lines_and_json_for_tools() {
    let dir = fixture();
    let (code, out) = tool(dir.path(), &["pending", "queue_error", "--diff"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("queue_error::Full.zero  (changed)"), "{out}");
    assert!(
        out.contains("queue_error.yaml:4"),
        "the case's real line:\n{out}"
    );
    assert!(out.contains("@@ -4,2 +4,2 @@"), "{out}");
    assert!(out.contains("+    message: \"queue full (0)\""), "{out}");

    let (code, json) = tool(dir.path(), &["pending", "--format", "json"]);
    assert_eq!(code, Some(0), "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["version"].as_u64(), Some(1));
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3);
    let first = &changes[0];
    for field in [
        "trial", "file", "case", "kind", "golden", "line", "record", "old", "new",
    ] {
        assert!(
            !first[field].is_null() || field == "line",
            "{field} missing: {json}"
        );
    }
    assert_eq!(first["trial"].as_str(), Some("queue_error::Full"));
    assert_eq!(first["new"]["message"].as_str(), Some("queue full"));
    assert_eq!(changes[2]["new"]["code"].as_str(), Some("503"));
}

#[test]
fn pending_text_gives_each_changes_golden_line() {
    let dir = fixture();
    let (code, out) = tool(dir.path(), &["pending"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("queue_error::Full.zero  (changed)  ") && out.contains("queue_error.yaml:4\n"),
        "{out}"
    );
    assert!(out.contains("queue_error_code.yaml:2\n"), "{out}");
}

#[test]
fn installed_as_a_cargo_subcommand_the_first_argument_wire_compat_is_skipped() {
    let dir = fixture();
    let (code, out) = tool(dir.path(), &["wire-compat", "pending", "queue_error_code"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("queue_error_code::Full"), "{out}");
    let bin = env!("CARGO_BIN_EXE_cargo-wire-compat");
    for args in [
        &["wire-compat", "--version"][..],
        &["--version"],
        &["version"],
    ] {
        let (ok, out) = outcome(&Command::new(bin).args(args).output().unwrap());
        assert!(ok, "{args:?}: {out}");
        assert_eq!(
            out.trim_end(),
            format!(
                "cargo-wire-compat {} (reads pending format {})",
                env!("CARGO_PKG_VERSION"),
                wire_compat::_support::PENDING_FORMAT
            ),
            "the version line is the runtime's handshake"
        );
    }
}

#[test]
fn bad_arguments_exit_2_naming_the_argument() {
    let dir = fixture();
    for (args, says) in [
        (&["pending", "--format", "yaml"][..], "yaml"),
        (&["accept", "--diff"], "--diff"),
        (&["frobnicate"], "frobnicate"),
        (&["test", "--review", "--accept"], "--accept"),
        (&["pending", "-p"], "--package"),
    ] {
        let (code, out) = tool(dir.path(), args);
        assert_eq!(code, Some(2), "{args:?}: {out}");
        assert!(out.contains(says), "{args:?} does not name {says:?}: {out}");
        assert!(!out.contains("panicked"), "{out}");
    }
}

#[cfg(unix)]
#[test]
fn a_non_utf8_argument_is_a_clear_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let dir = fixture();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.arg("accept")
        .arg(std::ffi::OsStr::from_bytes(b"queue_\xff"))
        .arg("--goldens")
        .arg(dir.path());
    crate::support::scrub(&mut cmd);
    let out = cmd.output().unwrap();
    let text = text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("UTF-8"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    assert_eq!(wire_compat::_support::list(dir.path()).len(), 3);
}

/// Issue 20 (low): a lone crate's gate error printed nothing on stdout in `--format
/// json`, where a workspace got `"status": "error"`.
#[test]
fn a_lone_crates_gate_error_is_still_a_json_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"lone\"\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("goldens")).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.args(["gate", "--format", "json"])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap());
    crate::support::scrub(&mut cmd);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["crates"][0]["crate"], "lone");
    assert_eq!(doc["crates"][0]["status"], "error");
    assert!(
        doc["crates"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("not inside a git repository")),
        "{doc}"
    );
}
