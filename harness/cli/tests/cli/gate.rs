//! `cargo wire-compat gate` end to end, on real throwaway git repositories.
//!
//! Each test builds a tiny repository under the system temp folder: a Cargo.toml
//! with a version, one golden in canonical form (a few real cases of
//! `vm_runtime_error`), a commit and a release tag. It then edits the working tree
//! the way a maintainer would and runs the built `cargo-wire-compat` binary in it.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) const GOLDEN: &str = "\
# vm_runtime_error: the Display text of every VmRuntimeError variant, byte for byte.
#
# Generated and checked by the compat suite (`cargo test`); do not edit by hand.
cases:
  Jailer:
    message: \"jailer error: chroot /srv/jailer/firecracker/vm 01/root: permission denied\"
  VmNotFound:
    message: \"vm 'vm-7f3a' not found\"
  VmNotFound.empty:
    message: \"vm '' not found\"
";

pub(crate) const GOLDEN_PATH: &str = "goldens/vm_runtime_error.yaml";

/// The line of `VmNotFound`'s message in [`GOLDEN`].
const MESSAGE_LINE: usize = 8;

pub(crate) struct Repo {
    pub(crate) dir: PathBuf,
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub(crate) fn manifest(version: &str) -> String {
    format!("[package]\nname = \"demo\"\nversion = \"{version}\"\nedition = \"2021\"\n")
}

impl Repo {
    /// An empty folder (no git yet) named after the test.
    pub(crate) fn folder(name: &str) -> Repo {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "compat-gate-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Repo { dir }
    }

    /// A repository whose only commit holds [`GOLDEN`] at `version`, tagged `v<version>`.
    pub(crate) fn released(name: &str, version: &str) -> Repo {
        let repo = Repo::folder(name);
        repo.git(&["init", "--quiet"]);
        repo.write("Cargo.toml", &manifest(version));
        repo.write(GOLDEN_PATH, GOLDEN);
        repo.commit_all(&format!("release {version}"));
        repo.git(&["tag", &format!("v{version}")]);
        repo
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap()
    }

    /// Replaces text in the golden, insisting it was there.
    pub(crate) fn edit_golden(&self, from: &str, to: &str) {
        let text = self.read(GOLDEN_PATH);
        assert!(text.contains(from), "{from:?} not in the golden");
        self.write(GOLDEN_PATH, &text.replacen(from, to, 1));
    }

    pub(crate) fn set_version(&self, version: &str) {
        self.write("Cargo.toml", &manifest(version));
    }

    pub(crate) fn commit_all(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git_as_t(&["commit", "--quiet", "--no-gpg-sign", "-m", msg]);
    }

    /// Runs a git command that records an identity (commit, annotated tag).
    pub(crate) fn git_as_t(&self, args: &[&str]) -> String {
        let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@t"];
        all.extend_from_slice(args);
        self.git(&all)
    }

    pub(crate) fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.dir)
            // Neither the machine's git configuration nor an enclosing git process
            // (a hook running `cargo test`) may change what these tests see.
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.dir.join(".no-such-gitconfig"))
            .env("GIT_CEILING_DIRECTORIES", self.dir.parent().unwrap())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env("NO_COLOR", "1");
        cmd
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = self.command("git").args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn gate_with(&self, args: &[&str], tweak: impl FnOnce(&mut Command)) -> Run {
        let mut cmd = self.command(env!("CARGO_BIN_EXE_cargo-wire-compat"));
        cmd.arg("gate").args(args);
        tweak(&mut cmd);
        let out = cmd.output().expect("cargo-wire-compat runs");
        Run {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub(crate) fn gate(&self, args: &[&str]) -> Run {
        self.gate_with(args, |_| {})
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

#[test]
fn a_reworded_message_with_a_patch_bump_is_refused() {
    let repo = Repo::released("reword-patch", "1.4.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("1.4.1");
    // (`git status` may refresh the index, so it runs before the snapshot.)
    let status = repo.git(&["status", "--porcelain"]);
    let index = std::fs::read(repo.dir.join(".git/index")).unwrap();
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v1.4.0 needs a major bump; 1.4.1 is a patch bump",
        "{run:?}"
    );
    let expected = format!(
        "{GOLDEN_PATH}:{MESSAGE_LINE}  vm_runtime_error::VmNotFound  contract field `message` changed (major)\n\
         \x20   - \"vm 'vm-7f3a' not found\"\n\
         \x20   + \"no vm named 'vm-7f3a'\"\n"
    );
    assert!(run.stdout.contains(&expected), "{run:?}");
    assert!(
        run.stdout.contains("set the version to 2.0.0 or later"),
        "{run:?}"
    );
    // The gate read the baseline from git's objects: working tree and index untouched.
    assert_eq!(std::fs::read(repo.dir.join(".git/index")).unwrap(), index);
    assert_eq!(repo.git(&["status", "--porcelain"]), status);
}

/// A golden of the generated crate whose catalog declares `message` informational and
/// `code` contract (format 2), released as 1.4.0.
fn declared_release(name: &str, message_policy: &str) -> Repo {
    let repo = Repo::folder(name);
    repo.git(&["init", "--quiet"]);
    repo.write("Cargo.toml", &manifest("1.4.0"));
    repo.write(
        GOLDEN_PATH,
        &format!(
            "# vm_runtime_error\nformat: 2\npolicy:\n  code: contract\n  message: {message_policy}\n\
             variants:\n  - \"VmNotFound\"\ncases:\n  VmNotFound:\n    code: 404\n\
             \x20   message: \"vm 'vm-7f3a' not found\"\n"
        ),
    );
    repo.commit_all("release 1.4.0");
    repo.git(&["tag", "v1.4.0"]);
    repo
}

/// Issue 19: the gate judges a change by the policy the baseline's golden declares,
/// not by the field's name. An informational message reworded in a patch release
/// passes; the same reword of a contract message, or a changed code, is refused; and
/// loosening a policy is itself reported as breaking.
#[test]
fn a_declared_informational_message_reworded_in_a_patch_release_passes() {
    let repo = declared_release("informational", "informational");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "vm_runtime_error::VmNotFound  informational field `message` changed (patch)"
        ),
        "{run:?}"
    );

    let repo = declared_release("contract", "contract");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("vm_runtime_error::VmNotFound  contract field `message` changed (major)"),
        "{run:?}"
    );

    let repo = declared_release("code", "informational");
    repo.edit_golden("code: 404", "code: 410");
    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("vm_runtime_error::VmNotFound  contract field `code` changed (major)"),
        "{run:?}"
    );

    let repo = declared_release("loosened", "contract");
    repo.edit_golden("message: contract", "message: informational");
    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(&format!(
            "{GOLDEN_PATH}:5  vm_runtime_error  field `message` loosened from contract to informational (major)"
        )),
        "{run:?}"
    );
}

#[test]
fn a_major_bump_covers_a_reworded_message() {
    let repo = Repo::released("reword-major", "1.4.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("2.0.0");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v1.4.0 needs a major bump; covered by 2.0.0 (a major bump)"
    );
    assert!(run
        .stdout
        .contains("vm_runtime_error::VmNotFound  contract field `message` changed (major)"));
}

#[test]
fn an_added_case_needs_a_minor_bump() {
    let repo = Repo::released("add-case", "1.4.0");
    repo.edit_golden(
        "  VmNotFound:\n",
        "  Metrics:\n    message: \"metrics: open /run/fc/metrics.fifo: No such file or directory\"\n  VmNotFound:\n",
    );
    repo.set_version("1.5.0");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("vm_runtime_error::Metrics  case added (minor)"),
        "{run:?}"
    );

    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v1.4.0 needs a minor bump; 1.4.1 is a patch bump"
    );
    assert!(
        run.stdout.contains("set the version to 1.5.0 or later"),
        "{run:?}"
    );
}

#[test]
fn reformatting_alone_needs_no_bump() {
    let repo = Repo::released("reformat", "1.4.0");
    // Other header, cases reordered, other quoting and layout: the same entries.
    repo.write(
        GOLDEN_PATH,
        "# a different header comment\ncases:\n  VmNotFound.empty: {message: \"vm '' not found\"}\n\n  \
         VmNotFound:\n    # why this case exists\n    message: 'vm ''vm-7f3a'' not found'\n  \
         Jailer:\n    message: \"jailer error: chroot /srv/jailer/firecracker/vm 01/root: permission denied\"\n",
    );
    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "no wire changes since v1.4.0 (1.4.1 is a patch bump)"
    );
    assert!(
        run.stdout
            .contains("vm_runtime_error  formatting only (none)"),
        "{run:?}"
    );
    // Not even a version bump is needed for that.
    repo.set_version("1.4.0");
    assert_eq!(repo.gate(&["--against", "v1.4.0"]).code, 0);
}

#[test]
fn removing_a_case_needs_a_major_bump_unless_a_tombstone_stays() {
    let repo = Repo::released("retire", "1.4.0");
    repo.edit_golden(
        "  VmNotFound.empty:\n    message: \"vm '' not found\"\n",
        "",
    );
    repo.set_version("1.5.0");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(
            "v1.4.0:goldens/vm_runtime_error.yaml:9  vm_runtime_error::VmNotFound.empty  \
             case removed without a tombstone (major)"
        ),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("keep its entry as a tombstone"),
        "{run:?}"
    );

    repo.write(GOLDEN_PATH, GOLDEN);
    repo.edit_golden(
        "    message: \"vm '' not found\"\n",
        "    message: \"vm '' not found\"\n    retired: \"empty ids are rejected before lookup since 1.5.0\"\n",
    );
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "goldens/vm_runtime_error.yaml:11  vm_runtime_error::VmNotFound.empty  case retired (minor)\n\
             \x20   + retired: \"empty ids are rejected before lookup since 1.5.0\"\n"
        ),
        "{run:?}"
    );
}

#[test]
fn zero_major_versions_follow_cargo_rules() {
    let repo = Repo::released("zero", "0.3.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("0.3.1");
    let run = repo.gate(&["--against", "v0.3.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v0.3.0 needs a major bump; \
         0.3.1 is a patch bump, minor-level under Cargo's 0.y.z rules"
    );
    assert!(
        run.stdout.contains("set the version to 0.4.0 or later"),
        "{run:?}"
    );

    repo.set_version("0.4.0");
    let run = repo.gate(&["--against", "v0.3.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("covered by 0.4.0 (a minor bump, major-level"),
        "{run:?}"
    );
}

#[test]
fn a_pre_release_covers_a_breaking_change() {
    let repo = Repo::released("prerelease", "1.4.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("2.0.0-rc.1");
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        first_line(&run.stdout)
            .ends_with("covered by 2.0.0-rc.1 (a pre-release, which counts as a major bump)"),
        "{run:?}"
    );
}

#[test]
fn an_unknown_ref_cannot_run() {
    let repo = Repo::released("unknown-ref", "1.4.0");
    let run = repo.gate(&["--against", "v9.9.9"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: unknown git ref `v9.9.9`: no commit by that name"),
        "{run:?}"
    );
    assert!(run.stderr.contains("git fetch --tags"), "{run:?}");
}

#[test]
fn a_ref_that_looks_like_an_option_is_refused_before_git_runs() {
    let repo = Repo::released("option-ref", "1.4.0");
    let no_git = repo.dir.join("empty-path");
    std::fs::create_dir_all(&no_git).unwrap();
    for args in [
        &["--against", "--upload-pack=touch pwned"][..],
        &["--against=--upload-pack=touch pwned"][..],
    ] {
        // With no git on PATH, any git call would fail with "cannot run git".
        let run = repo.gate_with(args, |cmd| {
            cmd.env("PATH", &no_git);
        });
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains(
                "refusing ref `--upload-pack=touch pwned`: a ref must not start with '-'"
            ),
            "{run:?}"
        );
        assert!(!run.stderr.contains("cannot run git"), "{run:?}");
    }
    assert!(!repo.dir.join("pwned").exists());
}

#[test]
fn the_default_baseline_is_the_newest_release_tag_by_semver() {
    let repo = Repo::released("default-ref", "1.2.0");
    // v1.9.0 reworded a message; v1.10.0 reworded it back. Text order would pick
    // v1.9.0 and see a change; semver order picks v1.10.0 and sees none.
    repo.edit_golden("vm 'vm-7f3a' not found", "vm 'vm-7f3a' is gone");
    repo.set_version("1.9.0");
    repo.commit_all("1.9.0");
    repo.git(&["tag", "v1.9.0"]);
    repo.write(GOLDEN_PATH, GOLDEN);
    repo.set_version("1.10.0");
    repo.commit_all("1.10.0");
    repo.git_as_t(&["tag", "-a", "--no-sign", "-m", "annotated", "v1.10.0"]);
    // A pre-release and a non-version tag on a commit with another change: skipped.
    repo.edit_golden("vm '' not found", "vm '' missing");
    repo.commit_all("experiment");
    repo.git(&["tag", "v1.10.1-rc.1"]);
    repo.git(&["tag", "nightly"]);
    repo.write(GOLDEN_PATH, GOLDEN);
    repo.set_version("1.10.1");

    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "no wire changes since v1.10.0 (1.10.1 is a patch bump)",
        "{run:?}"
    );

    // On the release commit itself, its own tag is not the baseline.
    repo.commit_all("1.10.1");
    repo.git(&["tag", "v1.10.1"]);
    let run = repo.gate(&[]);
    assert!(first_line(&run.stdout).contains("since v1.10.0"), "{run:?}");
}

#[test]
fn no_release_tag_is_the_first_release_in_every_format() {
    // Before the first release there is nothing to compare: the gate passes (it used
    // to exit 2, which failed every pull request of a new adopter).
    let repo = Repo::released("no-tag", "1.4.0");
    repo.git(&["tag", "-d", "v1.4.0"]);
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    let said = "no earlier release of demo: nothing to compare";
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(first_line(&run.stdout), said, "{run:?}");
    assert!(
        run.stdout
            .contains("no tag `v{version}` or `{version}` in the repository's complete history"),
        "{run:?}"
    );
    for format in ["markdown", "json", "github"] {
        let run = repo.gate(&["--format", format]);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        assert!(run.stdout.contains(said), "{format}: {run:?}");
    }
    let run = repo.gate(&["--format", "github", "--report-only"]);
    assert!(
        run.stdout
            .starts_with(&format!("::notice title=Release gate::{said}")),
        "{run:?}"
    );
    let run = repo.gate(&["--format", "json"]);
    assert!(json::validate(&run.stdout).is_ok(), "{run:?}");
    assert!(
        run.stdout.contains("\"status\": \"first-release\""),
        "{run:?}"
    );
    // An explicit ref that does not exist is still an error.
    assert_eq!(repo.gate(&["--against", "v1.3.0"]).code, 2);
}

#[test]
fn the_json_report_is_valid_json_with_every_field() {
    let repo = Repo::released("json", "1.4.0");
    repo.edit_golden(
        "vm 'vm-7f3a' not found",
        "vm \\\"vm-7f3a\\\" not found\\n\\tat C:\\\\vms",
    );
    repo.set_version("1.4.1");
    let run = repo.gate(&["--against", "v1.4.0", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    if let Err(e) = json::validate(&run.stdout) {
        panic!("not JSON ({e}):\n{}", run.stdout);
    }
    for needle in [
        "\"ok\": false",
        "\"baseline\": \"v1.4.0\"",
        "\"version\": \"1.4.1\"",
        "\"bump\": \"patch\"",
        "\"required\": \"major\"",
        "\"smallest_version\": \"2.0.0\"",
        "\"trial\": \"vm_runtime_error::VmNotFound\"",
        "\"kind\": \"contract-changed\"",
        "\"level\": \"major\"",
        &format!("\"file\": \"{GOLDEN_PATH}\", \"line\": {MESSAGE_LINE}"),
        "\"old\": \"vm 'vm-7f3a' not found\"",
        r#""new": "vm \"vm-7f3a\" not found\n\tat C:\\vms""#,
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle} missing:\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_github_format_annotates_each_uncovered_change() {
    let repo = Repo::released("github", "1.4.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.edit_golden(
        "  VmNotFound:\n",
        "  Rootfs:\n    message: \"rootfs: sha256 mismatch for ubuntu-24.04.ext4\"\n  VmNotFound:\n",
    );
    repo.set_version("1.5.0");
    let run = repo.gate(&["--against", "v1.4.0", "--format", "github"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "::error title=Release gate::2 wire changes since v1.4.0 need a major bump \
         (1 breaking, 1 additive); 1.5.0 is a minor bump"
    );
    assert!(
        lines.contains(&"::notice file=goldens/vm_runtime_error.yaml,line=7,title=case added (minor)::\
             vm_runtime_error::Rootfs: case added needs a minor bump: {message: \"rootfs: sha256 mismatch for ubuntu-24.04.ext4\"}"),
        "{run:?}"
    );
    assert!(
        lines.contains(
            &"::error file=goldens/vm_runtime_error.yaml,line=10,title=contract field `message` changed (major)::\
             vm_runtime_error::VmNotFound: contract field `message` changed needs a major bump: \
             \"vm 'vm-7f3a' not found\" -> \"no vm named 'vm-7f3a'\""
        ),
        "{run:?}"
    );

    // For pull requests: the same findings as warnings, and the job passes.
    let run = repo.gate(&["--against", "v1.4.0", "--format", "github", "--report-only"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("::warning title=Release gate::"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("::error"), "{run:?}");
}

#[test]
fn the_markdown_report_groups_changes_by_level() {
    let repo = Repo::released("markdown", "1.4.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("2.0.0");
    let run = repo.gate(&["--against", "v1.4.0", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .starts_with("## Wire changes since v1.4.0\n\n**OK:** 1 wire change"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains(
            "### Breaking (major)\n\n- `vm_runtime_error::VmNotFound`: contract field \\`message\\` changed \
             (`goldens/vm_runtime_error.yaml:8`): `\"vm 'vm-7f3a' not found\" -> \"no vm named 'vm-7f3a'\"`\n"
        ),
        "{run:?}"
    );
}

#[test]
fn report_only_never_fails_on_the_verdict() {
    let repo = Repo::released("report-only", "1.4.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    let run = repo.gate(&["--against", "v1.4.0", "--report-only"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v1.4.0 needs a major bump; 1.4.0 is not a bump"
    );
    assert!(
        run.stdout.ends_with("(report only: not failing)\n"),
        "{run:?}"
    );
    // It still cannot run without a baseline.
    assert_eq!(repo.gate(&["--against", "nope", "--report-only"]).code, 2);
}

#[test]
fn a_malformed_golden_cannot_run_and_is_named_with_its_line() {
    let repo = Repo::released("malformed", "1.4.0");
    repo.edit_golden(
        "message: \"vm '' not found\"",
        "message: [\"vm\", \"not found\"]",
    );
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: goldens/vm_runtime_error.yaml:10:"),
        "{run:?}"
    );
    assert!(run.stderr.contains("expected a string"), "{run:?}");

    // A malformed golden at the ref is named by the ref.
    repo.commit_all("broken");
    repo.git(&["tag", "v1.4.1"]);
    repo.write(GOLDEN_PATH, GOLDEN);
    let run = repo.gate(&["--against", "v1.4.1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: v1.4.1:goldens/vm_runtime_error.yaml:10:"),
        "{run:?}"
    );
}

#[test]
fn a_ref_without_goldens_cannot_run() {
    // v0.1.0 had adopted (it depends on the runtime) but has no goldens: an error.
    let repo = Repo::folder("no-goldens");
    repo.git(&["init", "--quiet"]);
    let adopted = manifest("0.1.0") + "[dev-dependencies]\nwire-compat = \"0.1\"\n";
    repo.write("Cargo.toml", &adopted);
    repo.commit_all("skeleton");
    repo.git(&["tag", "v0.1.0"]);
    repo.write(GOLDEN_PATH, GOLDEN);
    let run = repo.gate(&["--against", "v0.1.0"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: no goldens at v0.1.0: v0.1.0:goldens has no golden files"),
        "{run:?}"
    );
}

#[test]
fn outside_git_only_a_baseline_folder_works() {
    let repo = Repo::folder("no-git");
    repo.write("Cargo.toml", &manifest("1.5.0"));
    repo.write(GOLDEN_PATH, GOLDEN);
    let run = repo.gate(&["--against", "v1.4.0"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("is not inside a git repository"),
        "{run:?}"
    );
    assert!(run.stderr.contains("--baseline-dir"), "{run:?}");

    // A baseline folder with its Cargo.toml next to it.
    repo.write("old/Cargo.toml", &manifest("1.4.0"));
    repo.write(
        "old/goldens/vm_runtime_error.yaml",
        &GOLDEN.replace("vm '' not found", "vm '' was not found"),
    );
    let run = repo.gate(&["--baseline-dir", "old/goldens"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since old/goldens needs a major bump; 1.5.0 is a minor bump"
    );
    assert!(
        run.stdout
            .contains("goldens/vm_runtime_error.yaml:10  vm_runtime_error::VmNotFound.empty"),
        "{run:?}"
    );
    // --baseline-version overrides it.
    let run = repo.gate(&[
        "--baseline-dir",
        "old/goldens",
        "--baseline-version",
        "0.9.0",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn help_explains_the_gate() {
    let repo = Repo::folder("help");
    let run = repo.gate(&["--help"]);
    assert_eq!(run.code, 0, "{run:?}");
    for needle in [
        "--against <REF>",
        "--baseline-dir <DIR>",
        "--baseline-version",
        "--format <FORMAT>",
        "--report-only",
        "EXIT STATUS",
        "0.y.z",
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle} missing:\n{}",
            run.stdout
        );
    }
    let run = repo.gate(&["--format", "yaml"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("unknown format `yaml`"), "{run:?}");
}

/// A strict JSON syntax check (RFC 8259), enough to prove the hand-written output
/// parses; the repository has no JSON dependency to lean on.
pub(crate) mod json {
    pub fn validate(s: &str) -> Result<(), String> {
        let mut p = Parser {
            b: s.as_bytes(),
            i: 0,
        };
        p.ws();
        p.value()?;
        p.ws();
        if p.i != p.b.len() {
            return Err(format!("trailing text at byte {}", p.i));
        }
        Ok(())
    }

    struct Parser<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while self.i < self.b.len() && b" \t\r\n".contains(&self.b[self.i]) {
                self.i += 1;
            }
        }

        fn eat(&mut self, c: u8) -> Result<(), String> {
            if self.b.get(self.i) == Some(&c) {
                self.i += 1;
                Ok(())
            } else {
                Err(format!("expected {:?} at byte {}", c as char, self.i))
            }
        }

        fn value(&mut self) -> Result<(), String> {
            match self.b.get(self.i) {
                Some(b'{') => self.seq(b'}', true),
                Some(b'[') => self.seq(b']', false),
                Some(b'"') => self.string(),
                Some(b't') => self.word("true"),
                Some(b'f') => self.word("false"),
                Some(b'n') => self.word("null"),
                Some(b'-' | b'0'..=b'9') => {
                    self.i += 1;
                    while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
                        self.i += 1;
                    }
                    Ok(())
                }
                _ => Err(format!("unexpected byte at {}", self.i)),
            }
        }

        fn seq(&mut self, close: u8, object: bool) -> Result<(), String> {
            self.i += 1;
            self.ws();
            if self.b.get(self.i) == Some(&close) {
                self.i += 1;
                return Ok(());
            }
            loop {
                self.ws();
                if object {
                    self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                }
                self.value()?;
                self.ws();
                if self.b.get(self.i) == Some(&close) {
                    self.i += 1;
                    return Ok(());
                }
                self.eat(b',')?;
            }
        }

        fn string(&mut self) -> Result<(), String> {
            self.eat(b'"')?;
            loop {
                match self.b.get(self.i) {
                    None => return Err("unterminated string".into()),
                    Some(b'"') => {
                        self.i += 1;
                        return Ok(());
                    }
                    Some(b'\\') => match self.b.get(self.i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 2,
                        Some(b'u')
                            if self.b.len() >= self.i + 6
                                && self.b[self.i + 2..self.i + 6]
                                    .iter()
                                    .all(u8::is_ascii_hexdigit) =>
                        {
                            self.i += 6
                        }
                        _ => return Err(format!("bad escape at byte {}", self.i)),
                    },
                    Some(c) if *c < 0x20 => {
                        return Err(format!("raw control character at byte {}", self.i))
                    }
                    Some(_) => self.i += 1,
                }
            }
        }

        fn word(&mut self, w: &str) -> Result<(), String> {
            if self.b[self.i..].starts_with(w.as_bytes()) {
                self.i += w.len();
                Ok(())
            } else {
                Err(format!("bad literal at byte {}", self.i))
            }
        }
    }

    #[test]
    fn the_checker_itself_rejects_broken_json() {
        assert!(validate("{\"a\": [1, -2, true, null, \"x\\n\"]}").is_ok());
        for bad in [
            "{\"a\": 1,}",
            "{\"a\" 1}",
            "\"raw\nnewline\"",
            "{\"a\": \"\\q\"}",
            "[1] x",
        ] {
            assert!(validate(bad).is_err(), "{bad:?} was accepted");
        }
    }
}

/// A git hook runs the gate with `GIT_DIR` set relative to the repository's top (a
/// pre-push hook gets `GIT_DIR=.git`); the gate still reads the right repository.
#[test]
fn a_relative_git_dir_from_a_hook_is_honoured() {
    let repo = Repo::released("hook", "1.0.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "vm 'vm-7f3a' is gone");
    repo.set_version("1.0.1");
    repo.commit_all("patch");
    let run = repo.gate_with(&[], |cmd| {
        cmd.env("GIT_DIR", ".git");
    });
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("v1.0.0"), "{run:?}");
}

/// A tag may point at a tree rather than a commit; its goldens and manifest are
/// read the same, not reported as an unknown ref.
#[test]
fn a_tag_that_points_at_a_tree_is_a_baseline_like_any_other() {
    let repo = Repo::released("tree-tag", "1.0.0");
    repo.git(&["tag", "tree-1.0.0", "HEAD^{tree}"]);
    repo.edit_golden("vm 'vm-7f3a' not found", "vm 'vm-7f3a' is gone");
    repo.set_version("1.0.1");
    repo.commit_all("patch");
    let run = repo.gate(&["--against", "tree-1.0.0"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stderr.contains("unknown"), "{run:?}");
    assert!(run.stdout.contains("VmNotFound"), "{run:?}");
}

/// A squib-like crate that released before adopting: `v0.2.0` has neither goldens nor
/// a dependency on the runtime. Adopting (goldens, dev-dependency) and bumping to 0.3.0
/// is its first gated release: "adopted since", exit 0 in every format, with how to
/// compare with the adoption commit instead.
fn squib_adopted_after_v0_2_0(name: &str) -> Repo {
    let repo = Repo::folder(name);
    repo.git(&["init", "--quiet"]);
    let squib = |version: &str, adopted: bool| {
        let mut m = format!(
            "[package]\nname = \"squib\"\nversion = \"{version}\"\nedition = \"2021\"\n\n\
             [dependencies]\nserde = \"1\"\n"
        );
        if adopted {
            m.push_str("\n[dev-dependencies]\nwire-compat = \"0.1\"\n");
        }
        m
    };
    repo.write("Cargo.toml", &squib("0.2.0", false));
    repo.write("src/lib.rs", "pub fn fire() {}\n");
    repo.commit_all("release 0.2.0");
    repo.git(&["tag", "v0.2.0"]);
    repo.write("Cargo.toml", &squib("0.3.0", true));
    repo.write(GOLDEN_PATH, GOLDEN);
    repo.commit_all("adopt the wire suite; release 0.3.0");
    repo
}

#[test]
fn a_release_before_adopting_means_adopted_since_in_every_format() {
    let repo = squib_adopted_after_v0_2_0("adopted-since");
    let said = "v0.2.0 predates adopting the wire suite in squib: nothing to compare";
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(first_line(&run.stdout), said, "{run:?}");
    assert!(
        run.stdout
            .contains("0.3.0 is the first release since adopting: v0.2.0 has no goldens folder"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains(
            "pass --against <COMMIT>, the first commit with goldens: git log --format=%h \
             --diff-filter=A -- goldens/ | tail -n 1)"
        ),
        "{run:?}"
    );
    for format in ["markdown", "json", "github"] {
        let run = repo.gate(&["--format", format]);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        assert!(run.stdout.contains(said), "{format}: {run:?}");
        assert!(run.stdout.contains("--against"), "{format}: {run:?}");
    }
    // The hint's command finds the adoption commit, and gating against it works.
    let adoption = repo.git(&["log", "--format=%h", "--diff-filter=A", "--", "goldens/"]);
    let adoption = adoption.lines().last().unwrap().to_owned();
    let run = repo.gate(&["--against", &adoption]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("no wire changes since"), "{run:?}");
    // Explicitly naming the pre-adoption tag says the same.
    let run = repo.gate(&["--against", "v0.2.0"]);
    assert_eq!((run.code, first_line(&run.stdout)), (0, said), "{run:?}");
}

#[test]
fn ci_release_gate_passes_the_first_release_after_adopting() {
    let repo = squib_adopted_after_v0_2_0("adopted-since-ci");
    repo.git(&["tag", "v0.3.0"]);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/release-gate");
    repo.write("ci/release-gate", &std::fs::read_to_string(script).unwrap());
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_owned()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = repo
        .command("bash")
        .arg("ci/release-gate")
        .env("PATH", path)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("RELEASE_TAG")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("v0.2.0 predates adopting the wire suite in squib"),
        "{stdout}{stderr}"
    );
}

#[test]
fn a_baseline_that_had_adopted_but_lost_its_goldens_cannot_run() {
    // The dependency says v0.2.0 had adopted: its goldens were deleted or moved.
    let repo = squib_adopted_after_v0_2_0("adopted-lost");
    repo.git(&["tag", "-d", "v0.2.0"]);
    repo.git(&["checkout", "--quiet", "HEAD~1"]);
    let adopted = repo.read("Cargo.toml") + "\n[dev-dependencies]\nwire-compat = \"0.1\"\n";
    repo.write("Cargo.toml", &adopted);
    repo.commit_all("release 0.2.0 with the dependency, goldens elsewhere");
    repo.git(&["tag", "v0.2.0"]);
    repo.git(&["checkout", "--quiet", "-"]);
    for format in ["text", "markdown", "json", "github"] {
        let run = repo.gate(&["--format", format]);
        assert_eq!(run.code, 2, "{format}: {run:?}");
        assert!(
            run.stderr.starts_with(
                "error: no goldens at v0.2.0: v0.2.0:goldens has no golden files, but \
                 v0.2.0:Cargo.toml depends on wire-compat, so its goldens were deleted or moved"
            ),
            "{format}: {run:?}"
        );
    }
    // An empty goldens folder (kept by a placeholder) also says it had adopted.
    let repo = squib_adopted_after_v0_2_0("adopted-empty");
    repo.git(&["tag", "-d", "v0.2.0"]);
    repo.git(&["checkout", "--quiet", "HEAD~1"]);
    repo.write("goldens/.gitkeep", "");
    repo.commit_all("release 0.2.0 with an empty goldens folder");
    repo.git(&["tag", "v0.2.0"]);
    repo.git(&["checkout", "--quiet", "-"]);
    let run = repo.gate(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("but v0.2.0:goldens exists there"),
        "{run:?}"
    );
}

#[test]
fn a_version_below_the_last_release_is_refused() {
    // 0.9.0 after v1.0.0 used to find no tag "at or below" it: "first release", exit 0.
    let repo = Repo::released("below", "1.0.0");
    repo.set_version("0.9.0");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "0.9.0 is lower than 1.0.0, not a bump: v1.0.0 already released 1.0.0, so a release \
         must be above it",
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("set the version above 1.0.0 (at least 1.0.1, Cargo.toml)"),
        "{run:?}"
    );
    for format in ["markdown", "json", "github"] {
        assert_eq!(repo.gate(&["--format", format]).code, 1, "{format}");
    }
    let run = repo.gate(&["--format", "json"]);
    assert!(run.stdout.contains("\"status\": \"refused\""), "{run:?}");
    // With an older release beside it, the newer one still decides.
    repo.commit_all("0.9.0");
    repo.git(&["tag", "v0.8.0", "HEAD~1"]);
    assert_eq!(repo.gate(&[]).code, 1);
    // A pre-release of the version already released is below it too.
    repo.set_version("1.0.0-rc.1");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with("1.0.0-rc.1 is lower than 1.0.0"),
        "{run:?}"
    );
    // So is an explicit baseline above today's version.
    repo.set_version("0.9.0");
    assert_eq!(repo.gate(&["--against", "v1.0.0"]).code, 1);
}

#[test]
fn a_maintenance_release_ignores_a_newer_release_off_its_history() {
    let repo = Repo::released("maintenance", "1.4.0");
    repo.set_version("2.0.0");
    repo.commit_all("2.0.0");
    repo.git(&["tag", "v2.0.0"]);
    repo.git(&["checkout", "--quiet", "-b", "maint-1.4", "v1.4.0"]);
    repo.set_version("1.4.1");
    repo.commit_all("1.4.1");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("no wire changes since v1.4.0"),
        "{run:?}"
    );
}

#[test]
fn the_same_version_tagged_twice_does_not_pass_a_breaking_patch() {
    // `1.0.1` on the breaking commit and `v1.0.1` on HEAD name one release: HEAD used
    // to be compared with `1.0.1` (no change, "not a bump"), exit 0.
    let repo = Repo::released("twice", "1.0.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("1.0.1");
    repo.commit_all("breaking patch");
    repo.git(&["tag", "1.0.1"]);
    repo.write("README.md", "docs\n");
    repo.commit_all("docs");
    repo.git(&["tag", "v1.0.1"]);
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .starts_with("1 wire change since v1.0.0 needs a major bump; 1.0.1 is a patch bump"),
        "{run:?}"
    );
}

#[test]
fn a_release_after_only_pre_releases_is_compared_not_first() {
    let repo = Repo::released("after-rc", "1.0.0-rc.1");
    repo.set_version("1.0.0");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with("no wire changes since v1.0.0-rc.1"),
        "{run:?}"
    );
}

#[test]
fn a_shallow_clone_is_an_error_with_the_fix() {
    let origin = Repo::released("shallow-origin", "1.0.0");
    repo_commit_patch(&origin);
    let clone = Repo::folder("shallow");
    let url = format!("file://{}", origin.dir.display());
    clone.git(&["clone", "--quiet", "--depth", "1", &url, "."]);
    clone.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    for format in ["text", "json", "github"] {
        let run = clone.gate(&["--format", format]);
        assert_eq!(run.code, 2, "{format}: {run:?}");
        assert!(
            run.stderr.starts_with("error: this clone is shallow")
                && run.stderr.contains("fix: git fetch --unshallow --tags"),
            "{format}: {run:?}"
        );
    }
    clone.git(&["fetch", "--quiet", "--unshallow", "--tags"]);
    assert_eq!(clone.gate(&[]).code, 1);
}

/// Commits a patch release 1.0.1 with no wire change on top of a released repository.
fn repo_commit_patch(repo: &Repo) {
    repo.set_version("1.0.1");
    repo.commit_all("1.0.1");
}

#[test]
fn a_tag_pattern_matching_none_of_the_crates_tags_is_an_error() {
    let repo = Repo::released("pattern", "1.0.0");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm named 'vm-7f3a'");
    repo.set_version("1.0.1");
    let run = repo.gate(&["--tag-pattern", "release-{version}"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with(
            "error: --tag-pattern `release-{version}` matches none of the repository's 1 \
             tag(s), but demo has release tags of another shape (`v1.0.0`)"
        ),
        "{run:?}"
    );
    // The right pattern gates; without any release-like tag, a pattern is a first release.
    assert_eq!(repo.gate(&["--tag-pattern", "v{version}"]).code, 1);
    repo.git(&["tag", "-d", "v1.0.0"]);
    assert_eq!(repo.gate(&["--tag-pattern", "release-{version}"]).code, 0);
}

#[test]
fn a_new_case_taking_a_reserved_code_needs_a_major_bump() {
    let repo = Repo::folder("reserved");
    repo.git(&["init", "--quiet"]);
    repo.write("Cargo.toml", &manifest("1.0.0"));
    let golden = "cases:\n  Gone:\n    retired: \"removed in 1.0.0\"\n    status: 7\n  \
                  Live:\n    status: 1\n";
    repo.write("goldens/code.yaml", golden);
    repo.commit_all("1.0.0");
    repo.git(&["tag", "v1.0.0"]);
    repo.write(
        "goldens/code.yaml",
        &format!("{golden}  Fresh:\n    status: 7\n"),
    );
    repo.set_version("1.1.0");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(
            "goldens/code.yaml:8  code::Fresh  field `status` reuses a code a tombstone \
             reserves (major)"
        ),
        "{run:?}"
    );
    // An existing case moved onto the reserved code is the same finding.
    repo.write(
        "goldens/code.yaml",
        &golden.replace("status: 1", "status: 7"),
    );
    let run = repo.gate(&[]);
    assert!(
        run.stdout
            .contains("reuses a code a tombstone reserves (major)"),
        "{run:?}"
    );
}

#[test]
fn a_tag_that_points_at_a_blob_is_reported_as_such() {
    let repo = Repo::released("blob-tag", "1.0.0");
    let blob = repo.git(&["hash-object", "-w", "Cargo.toml"]);
    repo.git(&["tag", "blobby", blob.trim()]);
    let run = repo.gate(&["--against", "blobby"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: git ref `blobby` points at a blob, not a commit"),
        "{run:?}"
    );
    // The same when the release tag picked by default is one.
    repo.git(&["tag", "-f", "v1.0.0", blob.trim()]);
    repo.set_version("1.0.1");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("points at a blob"), "{run:?}");
    assert!(!run.stderr.contains("unknown"), "{run:?}");
}

#[test]
fn a_field_name_cannot_forge_a_github_annotation_in_text_or_markdown() {
    let repo = Repo::released("forged", "1.0.0");
    let forged = "\"x\\n::error file=src/lib.rs,line=1::forged\\n\\n```\\n# owned\"";
    repo.edit_golden(
        "    message: \"vm 'vm-7f3a' not found\"\n",
        &format!("    message: \"vm 'vm-7f3a' not found\"\n    {forged}: 1\n"),
    );
    repo.edit_golden(
        "  Jailer:\n",
        &format!("  Jailer:\n    {forged}: \"v\\n::error::v\"\n"),
    );
    repo.set_version("1.0.1");
    for format in ["text", "markdown", "github", "json"] {
        let run = repo.gate(&["--format", format]);
        assert_eq!(run.code, 1, "{format}: {run:?}");
        for line in run.stdout.lines().chain(run.stderr.lines()) {
            assert!(
                !line.trim_start().starts_with("::error file=src")
                    && !line.trim_start().starts_with("::error::v")
                    && !line.starts_with("# owned")
                    && !line.starts_with("```"),
                "{format}: a forged line {line:?} in\n{run:?}"
            );
        }
    }
    let run = repo.gate(&[]);
    assert!(
        run.stdout.contains(
            "field `\"x\\n::error file=src/lib.rs,line=1::forged\\n\\n```\\n# owned\"` added"
        ),
        "{run:?}"
    );
}

#[test]
fn a_lone_crates_error_is_a_json_document_in_json_format() {
    let repo = Repo::released("json-error", "1.0.0");
    repo.set_version("1.0.1");
    let run = repo.gate(&["--format", "json", "--against", "no-such-ref"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(json::validate(&run.stdout).is_ok(), "{run:?}");
    for needle in [
        "\"ok\": false",
        "\"crate\": \"demo\"",
        "\"status\": \"error\"",
        "\"error\": \"unknown git ref `no-such-ref`",
    ] {
        assert!(run.stdout.contains(needle), "{needle}: {run:?}");
    }
    assert!(run.stderr.starts_with("error: unknown git ref"), "{run:?}");
}

#[test]
fn the_tag_version_warning_reaches_every_format() {
    // Printed on stderr alone, it never reached `--format json` or `github`.
    let repo = Repo::released("warning", "1.0.0");
    repo.git(&["tag", "v1.0.5"]);
    repo.set_version("1.1.0");
    let said = "v1.0.5 names version 1.0.5, but its Cargo.toml says 1.0.0; gating against 1.0.0";
    for (format, shown) in [
        ("text", format!("\nwarning: {said}\n")),
        ("markdown", format!("\n**Warning:** {said}\n")),
        (
            "github",
            format!("\n::warning title=Release gate::{said}\n"),
        ),
        (
            "json",
            format!("\"warnings\": [\n        \"{said}\"\n      ]"),
        ),
    ] {
        let run = repo.gate(&["--format", format]);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        assert!(run.stdout.contains(&shown), "{format}: {run:?}");
    }
    let run = repo.gate(&["--format", "json"]);
    assert!(json::validate(&run.stdout).is_ok(), "{run:?}");
}

/// Issue 19: `--format changelog` is release notes: per group (breaking, new,
/// retired, informational, coverage only; empty ones left out) each change with its
/// case, old -> new and the bump it forced, every golden text inside a code span or
/// escaped; the same changes as `--format json`.
#[test]
fn the_changelog_groups_each_change_with_old_and_new_text() {
    let repo = declared_release("changelog", "informational");
    repo.edit_golden("vm 'vm-7f3a' not found", "no vm *named* `vm-7f3a` <b>|</b>");
    repo.edit_golden("code: 404", "code: 410");
    repo.edit_golden(
        "cases:\n",
        "cases:\n  Rootfs:\n    code: 500\n  VmGone:\n    code: 499\n    retired: \"gone in *2.0*\"\n  VmNotFound.empty:\n    code: 404\n",
    );
    repo.set_version("2.0.0");
    let run = repo.gate(&["--against", "v1.4.0", "--format", "changelog"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "## demo 2.0.0\n\n\
         Wire changes since v1.4.0.\n\n\
         ### Breaking\n\n\
         - `vm_runtime_error::VmNotFound`: contract field \\`code\\` changed: `404 -> 410` (major)\n\n\
         ### New\n\n\
         - `vm_runtime_error::Rootfs`: case added: `{code: 500}` (minor)\n\n\
         ### Retired\n\n\
         - `vm_runtime_error::VmGone`: tombstone added: `{code: 499, retired: \"gone in *2.0*\"}` (none)\n\n\
         ### Informational\n\n\
         - `vm_runtime_error::VmNotFound`: informational field \\`message\\` changed: \
         ``\"vm 'vm-7f3a' not found\" -> \"no vm *named* `vm-7f3a` <b>|</b>\"`` (patch)\n\n\
         ### Coverage and formatting only\n\n\
         - `vm_runtime_error::VmNotFound.empty`: coverage added (a sample of a shipped variant): `{code: 404}` (none)\n\n",
        "{run:?}"
    );
    let json = repo.gate(&["--against", "v1.4.0", "--format", "json"]);
    assert_eq!(json.stdout.matches("\"kind\":").count(), 5, "{json:?}");
    // Nothing to say: no empty group headings.
    let quiet = declared_release("changelog-quiet", "contract");
    let run = quiet.gate(&["--against", "v1.4.0", "--format", "changelog"]);
    assert_eq!(
        run.stdout,
        "## demo 1.4.0\n\nWire changes since v1.4.0.\n\nNo wire changes.\n\n"
    );
}
