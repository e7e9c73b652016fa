//! The suite under cargo-nextest, end to end.
//!
//! CI shards the suite with `cargo nextest run --partition hash:K/N` and nextest runs
//! every trial in its own process as `<binary> --exact <file>::<case>`. Two promises
//! follow, and each is tested here against real binaries:
//!
//! - the shards of `--partition hash:1/2` and `hash:2/2` together run every compat
//!   trial exactly once (from `cargo nextest list --message-format json`);
//! - `--exact <file>::<case>` reads the one golden file that trial needs and no other,
//!   so a process per trial does not pay for the whole goldens folder.
//!
//! The binaries are built by a nested cargo into `<target>/nextest-e2e`: the outer
//! cargo (`cargo test` or `cargo nextest run`) holds the build lock of `<target>`, so a
//! nested build there would wait for it forever.

use crate::support::{require_nextest, scrub, text};
use crate::workspace_root;
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The package whose tests are listed: the adopt example, the framework's own fixture
/// (the repository's suite is not the framework's to test).
const PACKAGES: [&str; 1] = ["adopt-example"];

/// `<target>/nextest-e2e`, next to the outer build's own folders.
fn nested_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp")
        .join("nextest-e2e")
}

/// Serialises the nested cargo runs of this file, so that its tests report their
/// own progress instead of "Blocking waiting for file lock" from each other.
static NESTED_CARGO: Mutex<()> = Mutex::new(());

/// Runs cargo on the workspace, building into the nested target folder.
fn cargo(args: &[&str]) -> Output {
    cargo_with(args, &[])
}

/// [`cargo`] with extra environment variables.
fn cargo_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let _serial = NESTED_CARGO.lock().unwrap_or_else(|e| e.into_inner());
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .arg("--target-dir")
        .arg(nested_target_dir())
        .current_dir(workspace_root())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_TARGET_DIR");
    // When this test itself runs under nextest, its variables must not steer the
    // nested nextest (profile, run id, ...).
    scrub(&mut cmd);
    cmd.envs(env.iter().copied());
    cmd.output().expect("cargo runs")
}

/// The tests of one binary as `cargo nextest list` reports them.
struct Binary {
    /// Every test of the binary, and whether the listing's filters select it.
    tests: BTreeMap<String, bool>,
}

/// `cargo nextest list --message-format json` of [`PACKAGES`], by binary id
/// (`adopt-example::adopt_compat`), one trial per case (`WIRE_COMPAT_TRIALS=per-case`:
/// per case, the sharding is over many trials). JSON is YAML, so the harness's YAML
/// parser reads it.
fn nextest_list(extra: &[&str]) -> BTreeMap<String, Binary> {
    let mut args = vec!["nextest", "list", "--message-format", "json"];
    for p in PACKAGES {
        args.extend(["--package", p]);
    }
    args.extend_from_slice(extra);
    let out = cargo_with(&args, &[("WIRE_COMPAT_TRIALS", "per-case")]);
    assert!(
        out.status.success(),
        "cargo {args:?} failed:\n{}",
        text(&out)
    );
    let doc: Value = serde_yaml::from_slice(&out.stdout).expect("nextest prints JSON");
    let suites = doc["rust-suites"].as_mapping().expect("rust-suites");
    suites
        .iter()
        .map(|(id, suite)| {
            let tests = suite["testcases"]
                .as_mapping()
                .map(|cases| {
                    cases
                        .iter()
                        .map(|(name, case)| {
                            let matched =
                                case["filter-match"]["status"].as_str() == Some("matches");
                            (name.as_str().unwrap().to_owned(), matched)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let binary = Binary { tests };
            (id.as_str().unwrap().to_owned(), binary)
        })
        .collect()
}

#[test]
#[cfg_attr(not(has_tool = "nextest"), ignore = "needs cargo-nextest")]
fn partitions_hash_1_and_2_of_2_together_run_every_compat_trial_exactly_once() {
    require_nextest("partitions_hash_1_and_2_of_2_together_run_every_compat_trial_exactly_once");
    let all = nextest_list(&[]);
    let shards = [
        nextest_list(&["--partition", "hash:1/2"]),
        nextest_list(&["--partition", "hash:2/2"]),
    ];
    let mut checked = 0;
    for suite in ["adopt-example::adopt_compat"] {
        let trials = &all
            .get(suite)
            .unwrap_or_else(|| panic!("{suite} is not listed"))
            .tests;
        assert!(
            trials.values().all(|&m| m),
            "without --partition every trial of {suite} is selected"
        );
        let mut per_shard = [0; 2];
        for trial in trials.keys() {
            let runs: Vec<usize> = (0..2)
                .filter(|&k| shards[k][suite].tests.get(trial) == Some(&true))
                .collect();
            assert_eq!(
                runs.len(),
                1,
                "{suite} {trial} runs in shards {runs:?}, not exactly one"
            );
            per_shard[runs[0]] += 1;
        }
        for (k, shard) in shards.iter().enumerate() {
            let extra: Vec<&String> = shard[suite]
                .tests
                .keys()
                .filter(|t| !trials.contains_key(*t))
                .collect();
            assert!(
                extra.is_empty(),
                "shard {} lists trials the full list lacks: {extra:?}",
                k + 1
            );
        }
        assert!(
            per_shard.iter().all(|&n| n > 0),
            "{suite}: a shard got no trial at all ({per_shard:?}), so nothing was sharded"
        );
        checked += trials.len();
    }
    // The example's goldens pin 8 cases (plus its coverage check); fewer means the
    // listing lost some.
    assert!(checked >= 8, "only {checked} compat trials listed");
}

/// Marks a file as not read since it was written: under `relatime` (Linux's default)
/// and `strictatime`, the next read of a file whose access time is older than its
/// modification time sets the access time to now.
fn mark_unread(path: &Path) {
    let file = fs::File::options().write(true).open(path).unwrap();
    let times = fs::FileTimes::new().set_accessed(SystemTime::UNIX_EPOCH + Duration::from_secs(1));
    file.set_times(times).unwrap();
}

fn was_read(path: &Path) -> bool {
    fs::metadata(path).unwrap().accessed().unwrap()
        > SystemTime::UNIX_EPOCH + Duration::from_secs(1)
}

/// The adopt example's suite binary, built into the nested target folder.
fn adopt_compat_binary() -> PathBuf {
    let out = cargo(&[
        "test",
        "--no-run",
        "--package",
        "adopt-example",
        "--test",
        "adopt_compat",
        "--message-format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "building adopt_compat failed:\n{}",
        text(&out)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_yaml::from_str::<Value>(line).ok())
        .filter(|msg| msg["target"]["name"].as_str() == Some("adopt_compat"))
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .expect("cargo reports the adopt_compat executable")
}

/// The trials libtest's closing `failures:` list names, sorted.
fn failed_trials(out: &str) -> Vec<String> {
    let Some(list) = out
        .rsplit("\nfailures:\n")
        .next()
        .filter(|_| out.contains("\nfailures:\n"))
    else {
        return Vec::new();
    };
    let mut names: Vec<String> = list
        .lines()
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim().to_owned())
        .collect();
    names.sort();
    names
}

/// Runs the suite binary as a runner would for a package in `package` (its goldens in
/// `package/goldens`): the runner names the package folder in `CARGO_MANIFEST_DIR`.
fn run_suite(binary: &Path, package: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(binary)
        .args(args)
        .env("CARGO_MANIFEST_DIR", package)
        .env("CI", "true") // writes nothing, whatever fails
        .env_remove("UPDATE_GOLDENS")
        .env("NO_COLOR", "1")
        .output()
        .expect("the suite binary runs");
    (out.status.success(), text(&out))
}

#[test]
fn exact_reads_only_the_golden_file_its_trial_needs() {
    let binary = adopt_compat_binary();
    let tmp = tempfile::tempdir().unwrap();
    let package = tmp.path();
    let goldens = &package.join("goldens");
    fs::create_dir(goldens).unwrap();
    let needed = goldens.join("queue_error.yaml");
    let other = goldens.join("queue_error_code.yaml");
    let stray = goldens.join("stray.yaml");
    fs::copy(
        workspace_root().join("examples/adopt/goldens/queue_error.yaml"),
        &needed,
    )
    .unwrap();
    // Every other golden file is malformed: reading it would fail its trials.
    fs::write(&other, "cases:\n  Full: [code: 429\n  NotFound: {\n").unwrap();
    fs::write(&stray, ": not yaml : [\n").unwrap();
    for f in [&needed, &other, &stray] {
        mark_unread(f);
    }

    let (ok, out) = run_suite(&binary, package, &["--exact", "queue_error::Full"]);
    assert!(ok, "the --exact trial failed:\n{out}");
    assert!(out.contains("1 passed; 0 failed"), "{out}");
    if was_read(&needed) {
        for f in [&other, &stray] {
            assert!(
                !was_read(f),
                "--exact queue_error::Full read {}",
                f.display()
            );
        }
    } else {
        // A noatime mount records no reads; the malformed files still show that
        // their trials were not among those run.
        println!("note: this file system does not record reads; checked results only");
    }
    let (ok, out) = run_suite(&binary, package, &["--exact", "queue_error::@variants"]);
    assert!(ok && out.contains("1 passed; 0 failed"), "{out}");

    // The same binary and folder without --exact: the malformed files fail, each as
    // the trials that need it, with file and line.
    let (ok, out) = run_suite(&binary, package, &[]);
    assert!(!ok, "a full run over malformed goldens passed:\n{out}");
    let expected = [
        "queue_error_code::Forbidden",
        "queue_error_code::Full",
        "queue_error_code::NotFound",
        "queue_error_code::NotFound.empty",
        "queue_error_code::NotFound.unicode",
        "queue_error_code::Timeout",
        "stray::@file",
    ];
    assert_eq!(failed_trials(&out), expected, "{out}");
    assert!(
        out.contains("queue_error_code.yaml:"),
        "no file:line for the bad golden:\n{out}"
    );
    // And --exact of a trial that needs a malformed file fails on it.
    let (ok, out) = run_suite(&binary, package, &["--exact", "queue_error_code::Full"]);
    assert!(!ok && out.contains("queue_error_code.yaml:"), "{out}");
}

/// Started by hand (no runner names the package folder), a suite written with
/// `wire_compat::suite!("goldens")` falls back to the folder it was built in, wherever
/// it is started from; a runner's folder wins over it (see `run_suite`).
#[test]
fn without_a_runner_the_goldens_folder_is_the_one_compiled_in() {
    let binary = adopt_compat_binary();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(&binary)
        .current_dir(elsewhere.path())
        .env_remove("CARGO_MANIFEST_DIR")
        .env("CI", "true")
        .env_remove("UPDATE_GOLDENS")
        .env_remove("WIRE_COMPAT_TRIALS")
        .env_remove("NEXTEST_EXECUTION_MODE")
        .env("NO_COLOR", "1")
        .output()
        .expect("the suite binary runs");
    let text = text(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("13 passed; 0 failed"), "{text}");
}
