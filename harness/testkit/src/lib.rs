//! Test fixtures shared by the tests of `wire-compat` and `cargo-wire-compat`: command
//! output helpers, adopter crates generated in temporary folders, and the fuzz
//! generators. A package of its own so that each of those packages builds its tests
//! from what it ships (a `#[path]` into another package's folder is not shipped).
//! Nothing here reads this repository's own `src/` or `goldens/`.
//!
//! Internal to the framework's tests: no stability promise, any release may change it.

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

/// Fails `test`, which needs `tool` and found it missing.
///
/// Where the build finds a tool missing, the tests that need it are ignored, with the
/// reason (`#[cfg_attr(not(has_tool = "..."), ignore = "...")]`; the package's build
/// script sets `has_tool`, see `harness/test_tools.rs`), so this runs only in CI, where
/// every tool counts as present and `ci/check` installs them, or when the tool went
/// missing after the build. Either way the test did not test: it must not pass.
pub fn missing_tool(test: &str, tool: &str) -> ! {
    panic!(
        "{test} needs {tool}, which is missing here: `bash ci/check` installs every tool the \
         tests drive; outside CI a test whose tool the build did not find is ignored"
    )
}

/// Whether `program args...` runs and exits 0.
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Checks that an external tool runs (`tool args...` exits 0); fails `test` when it does
/// not (see [`missing_tool`]).
pub fn require_tool(test: &str, tool: &str, args: &[&str]) {
    if !runs(tool, args) {
        missing_tool(test, &format!("`{tool}`"));
    }
}

/// Checks that cargo-nextest runs (see [`require_tool`]).
pub fn require_nextest(test: &str) {
    if !runs(&cargo(), &["nextest", "--version"]) {
        missing_tool(test, "cargo-nextest");
    }
}

/// The Python that has `jsonschema` (`WIRE_COMPAT_PYTHON`, else `python3`; `.ci/run`
/// installs the module); fails `test` when it has not (see [`missing_tool`]).
pub fn python_with_jsonschema(test: &str) -> String {
    let python = std::env::var("WIRE_COMPAT_PYTHON").unwrap_or_else(|_| "python3".into());
    if !runs(&python, &["-c", "import jsonschema"]) {
        missing_tool(test, &format!("`{python}` with the `jsonschema` module"));
    }
    python
}

/// Validates `document` against the JSON Schema in `schema` (Draft 2020-12) with
/// Python's `jsonschema`; returns its complaint, if any.
pub fn schema_errors(python: &str, schema: &Path, document: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("document.json");
    std::fs::write(&doc, document).unwrap();
    let out = Command::new(python)
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.Draft202012Validator.check_schema(schema)\n\
             jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))\n",
        ])
        .arg(schema)
        .arg(&doc)
        .output()
        .expect("python runs");
    (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
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

/// The framework's runtime crate, which generated crates depend on by path: the
/// folder `WIRE_COMPAT_RUNTIME_DIR` names (set it when the packages are unpacked side
/// by side, outside this workspace), else the parent of this package's folder
/// (`harness/` in the workspace).
pub fn runtime_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WIRE_COMPAT_RUNTIME_DIR") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the testkit lives in the runtime's folder")
        .to_owned()
}

/// The lock file generated crates copy so that they build the same dependency
/// versions offline: the nearest `Cargo.lock` at or above the runtime's folder (the
/// workspace's, or the one a packaged runtime ships).
pub fn workspace_lock() -> PathBuf {
    runtime_dir()
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|lock| lock.is_file())
        .expect("a Cargo.lock at or above the runtime's folder")
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file under `root` (lock files aside) with its bytes, by path: what a test
/// compares before and after to prove nothing was written.
pub fn files_under(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with(".lock") {
                let bytes = std::fs::read(&p).unwrap();
                out.insert(p, bytes);
            }
        }
    }
    out
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

/// The generated crate's error type, as the README's "Adopting" section writes one:
/// thiserror for the messages, strum's derives for the variant list and names.
pub const ADOPTER_LIB: &str = r#"//! A generated adopter of wire-compat.
#[derive(Debug, thiserror::Error, strum::VariantNames, strum::IntoStaticStr)]
#[non_exhaustive]
pub enum ApiError {
    #[error("user '{0}' not found")]
    UserNotFound(String),
    #[error("rate limited, retry in {0} s")]
    RateLimited(u32),
    #[error("internal error")]
    Internal,
}

impl ApiError {
    pub fn code(&self) -> u16 {
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
use wire_compat::{Case, Catalog, Entry};
use strum::VariantNames as _;

fn main() -> std::process::ExitCode {
    wire_compat::suite!("goldens")
        .catalog(
            Catalog::new("api_error", || {
                ApiError::samples()
                    .into_iter()
                    .map(|(id, e)| {
                        let entry = Entry::new().with("message", e.to_string()).with("code", e.code());
                        Case::new(id, entry).of_variant((&e).into())
                    })
                    .collect()
            })
            .about(&["api_error: the message and code of every ApiError."])
            .variants(ApiError::VARIANTS),
        )
        .run()
}
"#;

/// Writes one adopter package named `name` in `dir`; `extra` goes into its manifest
/// after `[package]` (a `[workspace]` table for a lone crate).
fn write_member(dir: &Path, name: &str, extra: &str) {
    let manifest = format!(
        "[package]\nname = {name:?}\nversion = \"1.0.0\"\nedition = \"2021\"\n\n{extra}\
         [dependencies]\nthiserror = \"2\"\n\
         strum = {{ version = \"0.28\", features = [\"derive\"] }}\n\n\
         [dev-dependencies]\nwire-compat = {{ path = {:?} }}\n\n\
         [[test]]\nname = \"compat\"\npath = \"tests/compat.rs\"\nharness = false\n",
        runtime_dir().display().to_string()
    );
    write(dir, "Cargo.toml", &manifest);
    write(dir, "src/lib.rs", ADOPTER_LIB);
    write(
        dir,
        "tests/compat.rs",
        &ADOPTER_TEST.replace("adopter::", &format!("{name}::")),
    );
}

impl Adopter {
    /// Generates the crate (version 1.0.0) with no goldens yet.
    pub fn generate() -> Adopter {
        let serial = ADOPTER_TARGET.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("adopter");
        write_member(&root, "adopter", "[workspace]\n\n");
        write(&root, ".gitignore", "/target\n/goldens/.pending/\n");
        std::fs::copy(workspace_lock(), root.join("Cargo.lock")).unwrap();
        Adopter {
            _serial: serial,
            _tmp: tmp,
            root,
        }
    }

    /// A workspace of several such crates (`members`, each in its own folder with its
    /// own goldens and suite) under one virtual root.
    pub fn workspace(members: &[&str]) -> Adopter {
        let serial = ADOPTER_TARGET.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("workspace");
        let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
        write(
            &root,
            "Cargo.toml",
            &format!(
                "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
                list.join(", ")
            ),
        );
        for m in members {
            write_member(&root.join(m), m, "");
        }
        write(&root, ".gitignore", "/target\n.pending/\n");
        std::fs::copy(workspace_lock(), root.join("Cargo.lock")).unwrap();
        Adopter {
            _serial: serial,
            _tmp: tmp,
            root,
        }
    }

    /// Creates the goldens (`UPDATE_GOLDENS=1`) and commits everything.
    #[must_use]
    pub fn init(self) -> Adopter {
        let out = self.cargo(
            &["test", "--offline", "-q", "--workspace"],
            &[("UPDATE_GOLDENS", "1")],
        );
        let (ok, out) = outcome(&out);
        assert!(ok, "the first run creates the goldens:\n{out}");
        git(&self.root, &["init", "-q"]);
        git(&self.root, &["add", "-A"]);
        git(&self.root, &["commit", "-qm", "base"]);
        self
    }

    /// The target folder every adopter of this test binary builds into.
    pub fn target_dir(&self) -> PathBuf {
        // The test binary runs from `<target>/<profile>/deps/`; its crates build in
        // `<target>/tmp/adopter-target`, beside cargo's own CARGO_TARGET_TMPDIR.
        let exe = std::env::current_exe().expect("the test binary's path");
        let target = exe
            .ancestors()
            .nth(3)
            .expect("a test binary inside a target folder");
        target.join("tmp").join("adopter-target")
    }

    /// Runs cargo in the crate, outside CI unless `env` says so, plain output.
    pub fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let target = self.target_dir();
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

    /// Runs a command line a report printed, through `sh`, as the user would.
    pub fn shell(&self, line: &str) -> (bool, String) {
        let target = self.target_dir();
        let mut cmd = Command::new("sh");
        cmd.args(["-c", line])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target)
            .env("NO_COLOR", "1");
        scrub(&mut cmd);
        outcome(&cmd.output().unwrap())
    }

    /// `git diff` of the goldens folder.
    pub fn goldens_diff(&self) -> String {
        git(&self.root, &["diff", "--", "goldens/"])
    }
}

/// The variables that make a run count as CI, as the runtime reads them
/// (`wire_compat::_support::CI_VARIABLES`; the runtime's tests check the two agree).
/// Listed here because this package must not depend on the runtime: the runtime's
/// tests depend on it, and a dependency cycle cannot be packaged.
pub const CI_VARIABLES: [&str; 5] = [
    "CI",
    "TF_BUILD",
    "JENKINS_URL",
    "TEAMCITY_VERSION",
    "CODEBUILD_BUILD_ID",
];

/// Removes what the outer run's environment would steer a command with: CI,
/// approval and colour variables, nextest's own variables.
pub fn scrub(cmd: &mut Command) {
    for key in CI_VARIABLES {
        cmd.env_remove(key);
    }
    for key in [
        "UPDATE_GOLDENS",
        "WIRE_COMPAT_TRIALS",
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
