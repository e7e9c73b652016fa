//! Workspace members are found as cargo finds them (`cargo metadata`), by the pending
//! commands and the gate alike: `[..]` globs, `exclude` by path, and a broken manifest
//! named in cargo's words without hiding anyone else's changes or blaming a member for
//! its root.

use crate::gate::{manifest, Repo, GOLDEN, GOLDEN_PATH};
use std::path::Path;
use std::process::Command;
use wire_compat::_support::{record, Change};
use wire_compat::Entry;

const MESSAGE: &str = "vm 'vm-7f3a' not found";

/// A workspace at `root` whose members are `crates/<m>` for each of `members`, each a
/// package with a target, goldens and one pending change of `vm_runtime_error`.
fn workspace(root: &Path, members_toml: &str, members: &[&str]) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        &format!("[workspace]\n{members_toml}\nresolver = \"2\"\n"),
    );
    for m in members {
        write(
            &format!("crates/{m}/Cargo.toml"),
            &manifest("1.0.0").replace("demo", m),
        );
        write(&format!("crates/{m}/src/lib.rs"), "");
        write(&format!("crates/{m}/{GOLDEN_PATH}"), GOLDEN);
        let change = Change {
            stem: "vm_runtime_error".into(),
            id: "VmNotFound".into(),
            old: Some(Entry::new().with("message", MESSAGE)),
            new: Some(Entry::new().with("message", format!("{m}: gone"))),
            header: Vec::new(),
        };
        record(&root.join(format!("crates/{m}/goldens")), &change).unwrap();
    }
}

/// `cargo wire-compat <args>` in `dir`: exit code, stdout, stderr.
fn tool(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    crate::support::scrub(&mut cmd);
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn pending_finds_members_by_cargo_globs_and_excludes_them_by_path() {
    let dir = tempfile::tempdir().unwrap();
    // `crates/[ac]*` is a glob the hand-written matcher skipped; `./crates/c` is
    // excluded by path, which string equality missed.
    workspace(
        dir.path(),
        "members = [\"crates/[ac]*\"]\nexclude = [\"./crates/c\"]",
        &["a", "b", "c"],
    );
    let (code, out, err) = tool(dir.path(), &["pending"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("crates/a/goldens/vm_runtime_error.yaml"),
        "{out}"
    );
    assert!(!out.contains("crates/b/"), "b is no member:\n{out}");
    assert!(!out.contains("crates/c/"), "c is excluded:\n{out}");
}

#[test]
fn a_broken_member_manifest_is_named_and_hides_no_other_members_pending_changes() {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), "members = [\"crates/*\"]", &["a", "b"]);
    std::fs::write(
        dir.path().join("crates/b/Cargo.toml"),
        "[package]\nname = \n",
    )
    .unwrap();
    let (code, out, err) = tool(dir.path(), &["pending"]);
    assert_eq!(code, Some(1), "a warning is not success:\n{out}{err}");
    assert!(
        err.contains("crates/b/Cargo.toml"),
        "names the file:\n{err}"
    );
    assert!(
        out.contains("crates/a/goldens/vm_runtime_error.yaml"),
        "a's change is still listed:\n{out}"
    );
    assert!(!out.contains("no pending changes"), "{out}");
    // Naming a member needs cargo's answer: that is an error, not a guess.
    let (code, _, err) = tool(dir.path(), &["pending", "-p", "a"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("crates/b/Cargo.toml"), "{err}");
}

#[test]
fn a_broken_root_manifest_is_not_blamed_on_a_member() {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), "members = [\"crates/*\"]", &["a"]);
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"crates/*\"\n",
    )
    .unwrap();
    let member = dir.path().join("crates/a");
    let (code, out, err) = tool(&member, &["pending"]);
    assert_eq!(code, Some(1), "{out}{err}");
    // Cargo names the root's Cargo.toml (relative to the member: `../../Cargo.toml`)
    // and its line; the member's own manifest is fine and goes unmentioned.
    assert!(err.contains("../../Cargo.toml:2"), "{err}");
    assert!(!err.contains("crates/a/Cargo.toml"), "{err}");
    assert!(out.contains("vm_runtime_error::VmNotFound"), "{out}");
}

/// A git repository of a workspace `members = ["crates/[ac]*"]`, members `a` and `c`
/// released at 1.0.0 with their own tags.
fn released_workspace(name: &str) -> Repo {
    let repo = Repo::folder(name);
    repo.git(&["init", "--quiet"]);
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/[ac]*\"]\nresolver = \"2\"\n",
    );
    for m in ["a", "c"] {
        repo.write(
            &format!("crates/{m}/Cargo.toml"),
            &manifest("1.0.0").replace("demo", m),
        );
        repo.write(&format!("crates/{m}/src/lib.rs"), "");
        repo.write(&format!("crates/{m}/{GOLDEN_PATH}"), GOLDEN);
    }
    repo.commit_all("release");
    repo.git(&["tag", "a-v1.0.0"]);
    repo.git(&["tag", "c-v1.0.0"]);
    repo
}

#[test]
fn the_gate_gates_members_a_cargo_glob_names() {
    let repo = released_workspace("glob-members");
    let golden = format!("crates/c/{GOLDEN_PATH}");
    let text = repo.read(&golden);
    repo.write(&golden, &text.replacen(MESSAGE, "no such vm", 1));
    repo.write(
        "crates/c/Cargo.toml",
        &manifest("1.0.1").replace("demo", "c"),
    );
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "c's patch release is refused:\n{run:?}");
    assert!(
        run.stdout
            .contains("c: 1 wire change since c-v1.0.0 needs a major bump"),
        "{run:?}"
    );
}

#[test]
fn the_gate_names_a_broken_member_manifest() {
    let repo = released_workspace("broken-member");
    repo.write("crates/c/Cargo.toml", "[package]\nname = \n");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("crates/c/Cargo.toml"), "{run:?}");
}

#[test]
fn the_gate_does_not_blame_a_member_for_a_broken_root_manifest() {
    let repo = released_workspace("broken-root");
    repo.write("Cargo.toml", "[workspace]\nmembers = [\"crates/[ac]*\"\n");
    let member = repo.dir.join("crates/a");
    let run = repo.gate_with(&[], |cmd| {
        cmd.current_dir(&member);
    });
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("../../Cargo.toml:2"),
        "the root is named:\n{run:?}"
    );
    assert!(!run.stderr.contains("crates/a/Cargo.toml"), "{run:?}");
}
