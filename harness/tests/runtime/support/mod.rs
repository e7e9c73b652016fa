//! Helpers shared by the framework's tests: the runtime's test binary declares this
//! module, and the CLI's test binary includes the same file (`#[path]`), so each
//! helper exists once. Fixtures are generated here; nothing reads the repository's
//! own `src/` or `goldens/`.

#![allow(dead_code)] // each binary uses its own share of the helpers

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod fuzzing;

pub use fuzzing::{say, Rng};

/// Everything a command printed: stdout, then stderr.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Whether a command succeeded, and everything it printed.
pub fn outcome(out: &Output) -> (bool, String) {
    (out.status.success(), text(out))
}

/// The trial names listed under libtest's final `failures:` heading, sorted.
pub fn failed_trials(output: &str) -> Vec<String> {
    let Some((_, tail)) = output.rsplit_once("\nfailures:\n") else {
        return Vec::new();
    };
    let mut names: Vec<String> = tail
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_owned())
        .collect();
    names.sort();
    names
}

/// Whether an external tool runs (`tool args...` exits 0). When it does not, the
/// test that needs it says so loudly and returns: the README's test command passes
/// on a machine without it, and `ci/check` installs every such tool so that CI
/// skips nothing. The same rule for tmux, nextest, script and chattr.
pub fn tool_or_skip(test: &str, tool: &str, args: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        say(&format!(
            "SKIPPED {test}: `{tool}` is not installed here (ci/check installs it; \
             `bash ci/check` runs everything CI runs)"
        ));
    }
    ok
}

/// Whether cargo-nextest is installed (see [`tool_or_skip`]).
pub fn nextest_or_skip(test: &str) -> bool {
    tool_or_skip(test, &cargo(), &["nextest", "--version"])
}

/// The cargo that runs this test.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs git in `dir` and returns its stdout; panics with its stderr on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git is needed for these tests");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The framework's runtime crate (`harness/`), which generated crates depend on.
pub fn runtime_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The runtime's tests run in `harness/`, the CLI's in `harness/cli/`.
    if here.join("cli").is_dir() {
        here.to_owned()
    } else {
        here.parent().unwrap().to_owned()
    }
}

/// The workspace's lock file, copied into generated crates so that they build the
/// same dependency versions offline.
pub fn workspace_lock() -> PathBuf {
    runtime_dir().parent().unwrap().join("Cargo.lock")
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Replaces the first `from` in `root/rel` with `to`; panics if it is not there.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A crate generated in a temporary folder, outside this workspace, that adopts
/// the framework the way the README says: an error type with a message and a code
/// per variant, its samples, and a `harness = false` test target named `compat`.
/// Every adopter of one test binary builds into one target folder (serialised by a
/// lock), so only the first one compiles the dependencies.
pub struct Adopter {
    _serial: std::sync::MutexGuard<'static, ()>,
    _tmp: tempfile::TempDir,
    /// The crate's folder (a git repository with one commit once `init` ran).
    pub root: PathBuf,
}

static ADOPTER_TARGET: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The generated crate's error type; `variant()` is an exhaustive match, so a new
/// variant fails the build until it is named there.
pub const ADOPTER_LIB: &str = r#"//! A generated adopter of compat-harness.
#[derive(Debug)]
pub enum ApiError {
    UserNotFound(String),
    RateLimited(u32),
    Internal,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::UserNotFound(u) => write!(f, "user '{u}' not found"),
            ApiError::RateLimited(s) => write!(f, "rate limited, retry in {s} s"),
            ApiError::Internal => write!(f, "internal error"),
        }
    }
}

impl ApiError {
    pub const VARIANTS: &'static [&'static str] = &["UserNotFound", "RateLimited", "Internal"];

    pub fn variant(&self) -> &'static str {
        match self {
            ApiError::UserNotFound(_) => "UserNotFound",
            ApiError::RateLimited(_) => "RateLimited",
            ApiError::Internal => "Internal",
        }
    }

    pub fn code(&self) -> i64 {
        match self {
            ApiError::UserNotFound(_) => 404,
            ApiError::RateLimited(_) => 429,
            ApiError::Internal => 500,
        }
    }

    pub fn samples() -> Vec<(&'static str, ApiError)> {
        vec![
            ("UserNotFound", ApiError::UserNotFound("ada".into())),
            ("UserNotFound.empty", ApiError::UserNotFound(String::new())),
            ("RateLimited", ApiError::RateLimited(30)),
            ("Internal", ApiError::Internal),
        ]
    }
}
"#;

const ADOPTER_TEST: &str = r#"use adopter::ApiError;
use compat_harness::{Case, Catalog, Entry, Suite};

fn main() -> std::process::ExitCode {
    Suite::new(concat!(env!("CARGO_MANIFEST_DIR"), "/goldens"))
        .catalog(
            Catalog::new("api_error", || {
                ApiError::samples()
                    .into_iter()
                    .map(|(id, e)| {
                        let entry = Entry::new().with("message", e.to_string()).with("code", e.code());
                        Case::new(id, entry).of_variant(e.variant())
                    })
                    .collect()
            })
            .about(&["api_error: the message and code of every ApiError."])
            .variants(ApiError::VARIANTS),
        )
        .run()
}
"#;

impl Adopter {
    /// Generates the crate (version 1.0.0) with no goldens yet.
    pub fn generate() -> Adopter {
        let serial = ADOPTER_TARGET.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("adopter");
        let manifest = format!(
            "[package]\nname = \"adopter\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n\
             [workspace]\n\n[dev-dependencies]\ncompat-harness = {{ path = {:?} }}\n\n\
             [[test]]\nname = \"compat\"\npath = \"tests/compat.rs\"\nharness = false\n",
            runtime_dir().display().to_string()
        );
        write(&root, "Cargo.toml", &manifest);
        write(&root, "src/lib.rs", ADOPTER_LIB);
        write(&root, "tests/compat.rs", ADOPTER_TEST);
        write(&root, ".gitignore", "/target\n/goldens/.pending/\n");
        std::fs::copy(workspace_lock(), root.join("Cargo.lock")).unwrap();
        Adopter {
            _serial: serial,
            _tmp: tmp,
            root,
        }
    }

    /// Creates the goldens (`UPDATE_GOLDENS=1`) and commits everything.
    pub fn init(self) -> Adopter {
        let (ok, out) = self.suite(&[("UPDATE_GOLDENS", "1")]);
        assert!(ok, "the first run creates the goldens:\n{out}");
        git(&self.root, &["init", "-q"]);
        git(&self.root, &["add", "-A"]);
        git(&self.root, &["commit", "-qm", "base"]);
        self
    }

    /// Runs cargo in the crate, outside CI unless `env` says so, plain output.
    pub fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("adopter-target");
        let mut cmd = Command::new(cargo());
        cmd.args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target)
            .env("NO_COLOR", "1")
            .env("CARGO_TERM_COLOR", "never");
        scrub(&mut cmd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// `cargo test --test compat`: whether it passed, and its output.
    pub fn suite(&self, env: &[(&str, &str)]) -> (bool, String) {
        outcome(&self.cargo(&["test", "--offline", "-q", "--test", "compat"], env))
    }

    /// `git diff` of the goldens folder.
    pub fn goldens_diff(&self) -> String {
        git(&self.root, &["diff", "--", "goldens/"])
    }
}

/// Removes what the outer run's environment would steer a command with: CI,
/// approval and colour variables, nextest's own variables.
pub fn scrub(cmd: &mut Command) {
    for (key, _) in compat_harness::_support::CI_VARIABLES {
        cmd.env_remove(key);
    }
    for key in [
        "UPDATE_GOLDENS",
        "CLICOLOR_FORCE",
        "GIT_DIR",
        "GIT_WORK_TREE",
    ] {
        cmd.env_remove(key);
    }
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("NEXTEST") {
            cmd.env_remove(key);
        }
    }
}
