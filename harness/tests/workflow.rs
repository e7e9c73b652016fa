//! End to end, on a copy of this repository: the moments a maintainer lives through.
//!
//! Each test copies the workspace to a temporary folder (with its own git history),
//! edits the source the way a maintainer would, and runs the real commands:
//! `cargo test --test compat`, `cargo compat accept|reject`. The copies share one
//! target folder under cargo's test tmpdir, so only the first run builds dependencies.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Copy {
    _serial: std::sync::MutexGuard<'static, ()>,
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Serialises the tests of this file: the copies share one target folder, and cargo
/// names a workspace's artifacts independently of where the workspace lives, so two
/// copies building at once would run each other's test binaries.
static SHARED_TARGET: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Copies the tracked and untracked-but-not-ignored files of the repository.
fn copy_repo() -> Copy {
    let serial = SHARED_TARGET.lock().unwrap_or_else(|e| e.into_inner());
    let src = repo_root();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    let list = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&src)
        .output()
        .expect("git is needed for the end-to-end tests");
    assert!(list.status.success());
    for rel in list.stdout.split(|&b| b == 0).filter(|s| !s.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).unwrap());
        let from = src.join(rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = root.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&from, &to).unwrap();
    }
    let copy = Copy {
        _serial: serial,
        _tmp: tmp,
        root,
    };
    copy.git(&["init", "-q"]);
    copy.git(&["add", "-A"]);
    copy.git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "base",
    ]);
    copy
}

impl Copy {
    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs cargo in the copy, outside CI unless `ci` is given, writing nothing else.
    fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-target");
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("CI")
            .env_remove("UPDATE_GOLDENS")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    fn compat_suite(&self, env: &[(&str, &str)]) -> (bool, String) {
        let out = self.cargo(&["test", "--offline", "-q", "--test", "compat"], env);
        outcome(&out)
    }

    fn compat(&self, args: &[&str]) -> (bool, String) {
        let mut all = vec!["--offline", "compat"];
        all.extend_from_slice(args);
        let out = self.cargo(&all, &[]);
        outcome(&out)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn goldens_diff(&self) -> String {
        self.git(&["diff", "--", "goldens/"])
    }
}

/// Whether a command succeeded, and everything it printed (stdout, then stderr).
fn outcome(out: &Output) -> (bool, String) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The trial names listed under libtest's final `failures:` heading.
fn failed_trials(output: &str) -> Vec<String> {
    let tail = output.rsplit("\nfailures:\n").next().unwrap_or_default();
    let mut names: Vec<String> = tail
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn reword_fails_then_reject_keeps_red_then_accept_turns_green_with_a_minimal_diff() {
    let repo = copy_repo();
    let (ok, out) = repo.compat_suite(&[]);
    assert!(ok, "the copy starts green:\n{out}");

    // Reword one message: exactly that variant's cases fail, with old and new text.
    repo.edit(
        "src/vm_runtime.rs",
        "#[error(\"vm '{0}' not found\")]",
        "#[error(\"vm '{0}' was not found\")]",
    );
    let (ok, out) = repo.compat_suite(&[]);
    assert!(!ok);
    let failed = failed_trials(&out);
    assert_eq!(
        failed,
        [
            "vm_runtime_error::VmNotFound",
            "vm_runtime_error::VmNotFound.empty",
            "vm_runtime_error::VmNotFound.quotes",
            "vm_runtime_error::VmNotFound.spaces",
            "vm_runtime_error::VmNotFound.unicode",
        ],
        "{out}"
    );
    assert!(
        out.contains("-    message: \"vm 'vm-7f3a' not found\""),
        "{out}"
    );
    assert!(
        out.contains("+    message: \"vm 'vm-7f3a' was not found\""),
        "{out}"
    );
    assert!(
        out.contains("cargo compat accept vm_runtime_error::VmNotFound"),
        "{out}"
    );

    // Reject: goldens untouched, still red.
    let (ok, out) = repo.compat(&["reject"]);
    assert!(ok, "{out}");
    assert!(out.contains("5 rejected"), "{out}");
    assert_eq!(repo.goldens_diff(), "");
    let (ok, _) = repo.compat_suite(&[]);
    assert!(!ok, "rejecting does not make the suite pass");

    // The failing run recorded the changes again; accept them all: green, small diff.
    let (ok, accepted) = repo.compat(&["accept"]);
    assert!(ok, "{accepted}");
    let (ok, out) = repo.compat_suite(&[]);
    assert!(ok, "{out}");
    let diff = repo.goldens_diff();
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect();
    assert_eq!(
        changed.len(),
        10,
        "5 lines out, 5 in:\n{diff}\naccept said: {accepted}\nstatus: {}",
        repo.git(&["status", "--short"])
    );
    assert!(
        changed.iter().all(|l| l.contains("message: \"vm '")),
        "{diff}"
    );
    assert!(changed
        .iter()
        .filter(|l| l.starts_with('+'))
        .all(|l| l.contains("was not found")));

    // CI never writes: UPDATE_GOLDENS under CI fails and leaves everything as it was.
    repo.git(&["add", "-A"]);
    repo.git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "accepted",
    ]);
    repo.edit(
        "src/vm_runtime.rs",
        "#[error(\"jailer error: {0}\")]",
        "#[error(\"jailer failed: {0}\")]",
    );
    let (ok, out) = repo.compat_suite(&[("CI", "true"), ("UPDATE_GOLDENS", "1")]);
    assert!(!ok);
    assert!(out.contains("@settings::UPDATE_GOLDENS"), "{out}");
    assert!(
        failed_trials(&out).contains(&"vm_runtime_error::Jailer".to_owned()),
        "{out}"
    );
    assert_eq!(repo.goldens_diff(), "");
    assert!(
        !repo
            .root
            .join("goldens/.pending/vm_runtime_error/Jailer.yaml")
            .exists(),
        "CI wrote a pending change"
    );

    // UPDATE_GOLDENS=1 outside CI approves in one go; the rewrite is minimal too.
    let (ok, out) = repo.compat_suite(&[("UPDATE_GOLDENS", "1")]);
    assert!(ok, "{out}");
    let diff = repo.goldens_diff();
    assert_eq!(
        diff.lines().filter(|l| l.starts_with("+    ")).count(),
        1,
        "{diff}"
    );
    let (ok, out) = repo.compat_suite(&[("UPDATE_GOLDENS", "yes please")]);
    assert!(!ok && out.contains("accepted values"), "{out}");
}

#[test]
fn remapped_code_and_deleted_golden_entry_each_fail() {
    let repo = copy_repo();
    repo.edit(
        "src/fabric.rs",
        "pub const STATUS_FENCED: i32 = -3;",
        "pub const STATUS_FENCED: i32 = -9;",
    );
    let (ok, out) = repo.compat_suite(&[]);
    assert!(!ok);
    let failed = failed_trials(&out);
    for trial in ["fabric_error::Fenced", "fabric_error::from_status.-3"] {
        assert!(
            failed.contains(&trial.to_owned()),
            "{trial} did not fail:\n{out}"
        );
    }
    repo.git(&["checkout", "-q", "--", "src/fabric.rs"]);

    let golden = repo.root.join("goldens/vm_runtime_error.yaml");
    let text = fs::read_to_string(&golden).unwrap();
    let text = text.replace(
        "  StatePoisoned:\n    message: \"provider state lock poisoned\"\n",
        "",
    );
    fs::write(&golden, text).unwrap();
    let (ok, out) = repo.compat_suite(&[]);
    assert!(!ok);
    assert_eq!(
        failed_trials(&out),
        ["vm_runtime_error::StatePoisoned"],
        "{out}"
    );
    assert!(out.contains("unapproved case"), "{out}");
}

/// A new variant, in any of the five types (the `#[non_exhaustive]` SnapshotError
/// included), fails the build or the suite until it has a sample and a golden.
#[test]
fn a_new_variant_fails_until_sampled_and_approved() {
    let repo = copy_repo();
    let additions = [
        (
            "src/vm_runtime.rs",
            "        StatePoisoned,\n",
            "        StatePoisoned,\n        #[error(\"new\")]\n        Brand,\n",
        ),
        (
            "src/snapshot.rs",
            "        CrcMismatch,\n",
            "        CrcMismatch,\n        #[error(\"new\")]\n        Brand,\n",
        ),
        (
            "src/fabric.rs",
            "        Fenced,\n",
            "        Fenced,\n        #[error(\"new\")]\n        Brand,\n",
        ),
        (
            "src/mooncake_transfer.rs",
            "        BatchBusy = -4,\n",
            "        BatchBusy = -4,\n        #[error(\"new\")]\n        Brand = -5,\n",
        ),
        (
            "src/mooncake_store.rs",
            "        InternalError = -1,\n",
            "        InternalError = -1,\n        Brand = -2,\n",
        ),
    ];
    for (file, anchor, with) in additions {
        repo.edit(file, anchor, with);
        let (ok, out) = repo.compat_suite(&[]);
        assert!(!ok, "adding a variant to {file} went unnoticed:\n{out}");
        let build_failed = out.contains("error[E0004]") || out.contains("could not compile");
        let suite_failed = failed_trials(&out)
            .iter()
            .any(|t| t.ends_with("::@variants"));
        assert!(
            build_failed || suite_failed,
            "{file}: neither the build nor @variants failed:\n{out}"
        );
        repo.git(&["checkout", "-q", "--", file]);
    }
}

/// nextest runs every trial in its own process, many at once. Approvals from all of
/// them must land: `UPDATE_GOLDENS=1` serialises each process's write under the
/// golden's lock, and pending records are one file per case.
#[test]
fn nextest_processes_never_lose_each_others_updates() {
    let repo = copy_repo();
    repo.edit(
        "src/vm_runtime.rs",
        "#[error(\"vm '{0}' not found\")]",
        "#[error(\"vm '{0}' is unknown\")]",
    );
    repo.edit(
        "src/vm_runtime.rs",
        "#[error(\"rootfs: {0}\")]",
        "#[error(\"rootfs error: {0}\")]",
    );
    repo.edit(
        "src/snapshot.rs",
        "snapshot CRC64 mismatch",
        "snapshot CRC-64 mismatch",
    );
    let nextest = |env: &[(&str, &str)]| {
        let out = repo.cargo(
            &[
                "nextest",
                "run",
                "--offline",
                "--test",
                "compat",
                "--no-fail-fast",
                "--test-threads",
                "8",
            ],
            env,
        );
        outcome(&out)
    };
    let (ok, out) = nextest(&[("UPDATE_GOLDENS", "1")]);
    assert!(ok, "{out}");
    let diff = repo.goldens_diff();
    let added = diff.lines().filter(|l| l.starts_with("+    ")).count();
    assert_eq!(
        added, 7,
        "5 VmNotFound cases, Rootfs and CrcMismatch:\n{diff}"
    );
    let (ok, out) = repo.compat_suite(&[]);
    assert!(ok, "every update landed:\n{out}");

    // Pending mode under nextest: each process records its own case; accept takes all.
    repo.git(&["checkout", "-q", "--", "goldens/"]);
    let (ok, _) = nextest(&[]);
    assert!(!ok);
    let (ok, out) = repo.compat(&["accept"]);
    assert!(ok && out.contains("7 accepted"), "{out}");
    let (ok, out) = repo.compat_suite(&[]);
    assert!(ok, "{out}");
}
