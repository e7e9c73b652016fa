//! The suite built once, archived, and run elsewhere in shards: CI's recipe
//! (`cargo nextest archive`, then `cargo nextest run --archive-file ... --workspace-remap
//! <sources> --partition hash:k/n` on other machines), end to end on a generated adopter.
//!
//! "Elsewhere" is a copy of the adopter's sources at another path while the build
//! tree's own `goldens/` is gone: the suite must read the copy's goldens, which it
//! finds at run time (`wire_compat::suite!("goldens")`).

use crate::support::{files_under, outcome, require_nextest, Adopter};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const SHARDS: usize = 3;

/// The adopter's golden with two messages that its source no longer renders.
const DRIFTED: [(&str, &str); 2] = [
    ("user 'ada' not found", "user 'ada' was not found"),
    ("internal error", "internal server error"),
];

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != ".git" && entry.file_name() != "target" {
                copy_tree(&src, &dst);
            }
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

fn drift(goldens: &Path) {
    let path = goldens.join("api_error.yaml");
    let mut text = fs::read_to_string(&path).unwrap();
    for (from, to) in DRIFTED {
        assert!(text.contains(from), "{from:?} not in\n{text}");
        text = text.replacen(from, to, 1);
    }
    fs::write(path, text).unwrap();
}

struct Archived {
    repo: Adopter,
    archive: PathBuf,
    /// The copy of the sources the archive runs against.
    copy: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Archived {
    /// `cargo nextest <args> --archive-file ... --workspace-remap <copy>`, from the copy.
    fn nextest(&self, args: &[&str], env: &[(&str, &str)]) -> (bool, String, Vec<u8>) {
        let mut all = vec!["nextest"];
        all.extend_from_slice(args);
        let (archive, copy) = (self.archive.to_str().unwrap(), self.copy.to_str().unwrap());
        all.extend(["--archive-file", archive, "--workspace-remap", copy]);
        let out = self.repo.cargo(&all, env);
        let stdout = out.stdout.clone();
        let (ok, text) = outcome(&out);
        (ok, text, stdout)
    }

    /// The trials nextest selects, by name, from `list --message-format json`.
    fn selected(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["list", "--message-format", "json"];
        args.extend_from_slice(extra);
        let (ok, text, stdout) = self.nextest(&args, &[("CI", "true")]);
        assert!(ok, "nextest list {extra:?} failed:\n{text}");
        let doc: Value = serde_yaml::from_slice(&stdout).expect("nextest prints JSON");
        let mut names = Vec::new();
        for (_, suite) in doc["rust-suites"].as_mapping().unwrap() {
            for (name, case) in suite["testcases"].as_mapping().unwrap() {
                if case["filter-match"]["status"].as_str() == Some("matches") {
                    names.push(name.as_str().unwrap().to_owned());
                }
            }
        }
        names.sort();
        names
    }
}

/// Builds and archives the adopter, copies its sources elsewhere and removes the
/// build tree's goldens.
fn archived() -> Archived {
    let repo = Adopter::generate().init();
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("tests.tar.zst");
    let out = repo.cargo(
        &[
            "nextest",
            "archive",
            "--offline",
            "--archive-file",
            archive.to_str().unwrap(),
        ],
        &[],
    );
    let (ok, text) = outcome(&out);
    assert!(ok, "cargo nextest archive failed:\n{text}");
    let copy = tmp.path().join("elsewhere").join("adopter");
    copy_tree(&repo.root, &copy);
    fs::remove_dir_all(repo.root.join("goldens")).unwrap();
    Archived {
        repo,
        archive,
        copy,
        _tmp: tmp,
    }
}

#[test]
#[cfg_attr(not(has_tool = "nextest"), ignore = "needs cargo-nextest")]
fn an_archived_suite_runs_in_partitions_against_sources_at_another_path() {
    require_nextest("an_archived_suite_runs_in_partitions_against_sources_at_another_path");
    let run = archived();

    // The shards add up to the suite, each trial in exactly one, for both kinds.
    let all = run.selected(&[]);
    assert_eq!(
        all,
        ["@goldens", "api_error.yaml"],
        "one trial per golden file"
    );
    for kind in ["hash", "slice"] {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for k in 1..=SHARDS {
            for name in run.selected(&["--partition", &format!("{kind}:{k}/{SHARDS}")]) {
                *seen.entry(name).or_default() += 1;
            }
        }
        let once: Vec<&String> = seen
            .iter()
            .filter(|(_, n)| **n == 1)
            .map(|(t, _)| t)
            .collect();
        assert_eq!(once, all.iter().collect::<Vec<_>>(), "{kind}: {seen:?}");
    }

    // Every shard passes under CI, reading the copy's goldens.
    let shard = |k: usize| {
        let partition = format!("hash:{k}/{SHARDS}");
        let args = ["run", "--no-tests=pass", "--partition", partition.as_str()];
        run.nextest(&args, &[("CI", "true"), ("NO_COLOR", "1")])
    };
    for k in 1..=SHARDS {
        let (ok, text, _) = shard(k);
        assert!(ok, "shard {k} failed:\n{text}");
    }

    // A drift in that setting: each case reported once over all shards, nothing
    // recorded, and the command printed for it works on the developer's machine.
    drift(&run.copy.join("goldens"));
    let before = files_under(&run.copy);
    let mut logs = String::new();
    let mut failed = 0;
    for k in 1..=SHARDS {
        let (ok, text, _) = shard(k);
        failed += usize::from(!ok);
        logs.push_str(&text);
    }
    assert_eq!(failed, 1, "the one file's shard fails:\n{logs}");
    assert_eq!(files_under(&run.copy), before, "CI wrote something");
    let mut commands = Vec::new();
    for id in ["UserNotFound", "Internal"] {
        let drifted = format!("wire drift: api_error::{id} no longer matches its golden");
        assert_eq!(logs.matches(&drifted).count(), 1, "{drifted}:\n{logs}");
        let lines: Vec<&str> = logs.lines().map(str::trim).collect();
        let at = lines.iter().position(|l| l.starts_with(&drifted)).unwrap();
        let note = lines[at..]
            .iter()
            .position(|l| l.starts_with("Nothing was recorded (CI never writes)."))
            .unwrap_or_else(|| panic!("no 'nothing recorded' note for {id}:\n{logs}"));
        let command = lines[at + note + 1].to_owned();
        assert_eq!(
            command,
            format!(
                "UPDATE_GOLDENS=1 cargo test -p adopter --test compat -- api_error::{id} --exact"
            ),
            "{logs}"
        );
        commands.push(command);
    }

    // Locally (the same sources and goldens), the first command approves its case,
    // and only it.
    crate::support::git(&run.repo.root, &["checkout", "--", "goldens"]);
    drift(&run.repo.root.join("goldens"));
    let (ok, text) = run.repo.shell(&commands[0]);
    assert!(ok, "{}:\n{text}", commands[0]);
    let golden = fs::read_to_string(run.repo.root.join("goldens/api_error.yaml")).unwrap();
    assert!(golden.contains(DRIFTED[0].0), "not approved:\n{golden}");
    assert!(
        golden.contains(DRIFTED[1].1),
        "approved more than named:\n{golden}"
    );
}

/// Shards run one after another on a developer's machine record every pending change:
/// each shard records the cases it ran and touches no other case's record.
#[test]
#[cfg_attr(not(has_tool = "nextest"), ignore = "needs cargo-nextest")]
fn partitions_run_one_after_another_lose_no_pending_change() {
    require_nextest("partitions_run_one_after_another_lose_no_pending_change");
    let repo = Adopter::generate().init();
    drift(&repo.root.join("goldens"));
    for trials in ["per-case", "per-file"] {
        let _ = fs::remove_dir_all(repo.root.join("goldens/.pending"));
        for k in 1..=SHARDS {
            let partition = format!("hash:{k}/{SHARDS}");
            let args = [
                "nextest",
                "run",
                "--offline",
                "--no-tests=pass",
                "--no-fail-fast",
                "--partition",
                partition.as_str(),
            ];
            let _ = repo.cargo(&args, &[("WIRE_COMPAT_TRIALS", trials)]);
        }
        let mut recorded: Vec<String> = fs::read_dir(repo.root.join("goldens/.pending/api_error"))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        recorded.sort();
        assert_eq!(
            recorded,
            ["Internal.yaml", "UserNotFound.yaml"],
            "{trials}: pending records after {SHARDS} shards"
        );
    }
}
