//! Every command a report prints, run through `sh`, approves exactly the changes its
//! sentence names; the tool is named only when the binary cargo would run answers
//! with our handshake, and that is checked only when a report needs it.
//!
//! `sh` runs each printed command with a `cargo` (and `git`) of the test's own on
//! `PATH` that logs its arguments and environment; the logged `cargo test` arguments
//! after `--` are then given to the suite, as cargo would give them to the test
//! binary, under `UPDATE_GOLDENS=1`. So the shell's reading of the quoting, the `&&`
//! chains and libtest's reading of the filters are the real ones.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use wire_compat::_support::{load, Approver, Color, Settings, SuiteExt, PENDING_FORMAT};
use wire_compat::{Case, Catalog, Suite};

const PACKAGE: &str = "adopter";
const TARGET: &str = "compat";
/// How the suites run inside these tests print: libtest-mimic writes to the real
/// stdout, past the test harness's capture, and `ci/check` sums every `test result:`
/// line of the log; JSON lines are neither counted nor mistaken for this binary's.
const QUIET: &str = "--format=json";

/// A package folder `root` with `goldens/`: `error` has `A` and `AB` reworded and
/// `NotFound` renamed to `Notfound`; `queue_error::A` is reworded too (a trial name
/// that contains `error::A`).
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("error.yaml"),
        "cases:\n  A:\n    message: \"a\"\n  AB:\n    message: \"ab\"\n  NotFound:\n    message: \"nf\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("queue_error.yaml"),
        "cases:\n  A:\n    message: \"qa\"\n",
    )
    .unwrap();
    (root, dir)
}

fn suite(dir: &Path, settings: Settings, approver: Approver) -> Suite {
    Suite::new(dir)
        .settings(settings)
        .color(Color::Off)
        .approver(approver)
        .shown_dir("goldens")
        .catalog(Catalog::new("error", || {
            vec![
                Case::message("A", "a2"),
                Case::message("AB", "ab2"),
                Case::message("Notfound", "nf"),
            ]
        }))
        .catalog(Catalog::new("queue_error", || {
            vec![Case::message("A", "qa2")]
        }))
}

fn rerun() -> Approver {
    Approver::Rerun {
        package: Some(PACKAGE.into()),
        target: Some(TARGET.into()),
    }
}

/// Every golden entry, as `file::id` -> rendered message.
fn goldens(dir: &Path) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for stem in ["error", "queue_error"] {
        let file = load(&dir.join(format!("{stem}.yaml"))).unwrap().unwrap();
        for case in file.cases {
            all.insert(format!("{stem}::{}", case.id), format!("{:?}", case.entry));
        }
    }
    all
}

/// The trials whose golden entry differs between two snapshots (added, removed, changed).
fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect()
}

/// A folder holding a fake `cargo` and `git` that log each call to `log`: one line
/// with the `UPDATE_GOLDENS` value, one line per argument, then `--end--`.
fn fake_tools(log: &Path) -> tempfile::TempDir {
    let bin = tempfile::tempdir().unwrap();
    for tool in ["cargo", "git"] {
        let path = bin.path().join(tool);
        fs::write(
            &path,
            format!(
                "#!/bin/sh\n{{ printf '%s\\n' \"{tool} UPDATE_GOLDENS=${{UPDATE_GOLDENS-unset}}\"; \
                 for a in \"$@\"; do printf '%s\\n' \"$a\"; done; printf -- '--end--\\n'; }} >> '{}'\n",
                log.display()
            ),
        )
        .unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// Runs `command` with `sh -c` in `cwd`, the fake tools first on `PATH`; returns each
/// logged call (tool and `UPDATE_GOLDENS` first, then its arguments).
fn through_sh(command: &str, cwd: &Path) -> Vec<Vec<String>> {
    let logdir = tempfile::tempdir().unwrap();
    let log = logdir.path().join("calls");
    let bin = fake_tools(&log);
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .env("PATH", path)
        .env_remove("UPDATE_GOLDENS")
        .output()
        .unwrap();
    assert!(out.status.success(), "{command}: {out:?}");
    let text = fs::read_to_string(&log).unwrap_or_default();
    text.split("--end--\n")
        .filter(|c| !c.is_empty())
        .map(|c| c.lines().map(str::to_owned).collect())
        .collect()
}

/// Runs a printed approval: through `sh`, then each logged `cargo test -p adopter
/// --test compat -- ARGS` as the suite under `UPDATE_GOLDENS=1` with ARGS. Returns the
/// trials whose golden entry it changed.
fn approve_with(command: &str, root: &Path, dir: &Path) -> Vec<String> {
    let before = goldens(dir);
    let calls = through_sh(command, root);
    assert!(!calls.is_empty(), "{command} ran nothing");
    for call in calls {
        assert_eq!(call[0], "cargo UPDATE_GOLDENS=1", "{command}: {call:?}");
        let dash = call.iter().position(|a| a == "--").unwrap_or(call.len());
        assert_eq!(
            call[1..dash],
            ["test", "-p", PACKAGE, "--test", TARGET],
            "{command}: the package and the target are named"
        );
        let args: Vec<&str> = call[(dash + 1).min(call.len())..]
            .iter()
            .map(String::as_str)
            .chain([QUIET])
            .collect();
        let settings = Settings::from_values(None, Some("1"));
        let (passed, notes) = suite(dir, settings, rerun()).run_with_args(&args);
        assert!(passed, "{command}: {notes:?}");
    }
    changed(&before, &goldens(dir))
}

/// The command on the line after `lead` in a report.
fn command_after(report: &str, lead: &str) -> String {
    let (_, rest) = report
        .split_once(lead)
        .unwrap_or_else(|| panic!("no {lead:?} in:\n{report}"));
    rest.lines().nth(1).unwrap().trim().to_owned()
}

fn report_of(results: &[(String, Result<(), String>)], trial: &str) -> String {
    results
        .iter()
        .find(|(n, _)| n == trial)
        .unwrap_or_else(|| panic!("no trial {trial}: {results:?}"))
        .1
        .clone()
        .unwrap_err()
}

fn pending_run(dir: &Path) -> Vec<(String, Result<(), String>)> {
    suite(dir, Settings::from_values(None, None), rerun()).run_all()
}

#[test]
fn a_reports_approval_approves_its_one_trial() {
    let (root, dir) = fixture();
    let results = pending_run(&dir);
    let cmd = command_after(&report_of(&results, "error::A"), "approve it:");
    assert_eq!(approve_with(&cmd, root.path(), &dir), ["error::A"], "{cmd}");
}

/// The rename's approval used to be `UPDATE_GOLDENS=1 cargo test -- error::`, a
/// substring filter that approved `error::A`, `error::AB` and `queue_error::A` too.
#[test]
fn a_letter_case_renames_approval_approves_the_rename_and_nothing_else() {
    let (root, dir) = fixture();
    let results = pending_run(&dir);
    let report = report_of(&results, "error::Notfound");
    let cmd = command_after(&report, "approve both changes together:");
    assert_eq!(
        approve_with(&cmd, root.path(), &dir),
        ["error::NotFound", "error::Notfound"],
        "{cmd}"
    );
}

/// After `cargo test -- error::A` (a filter: 3 trials drifted) the closing line said
/// "approve them all with `UPDATE_GOLDENS=1 cargo test ...`", which also approved the
/// rename the run never showed. Now its command approves exactly what the run
/// recorded, or it names none.
#[test]
fn the_closing_line_approves_exactly_what_the_run_recorded() {
    for args in [&["error::A"][..], &["--exact", "error::A"], &[]] {
        let (root, dir) = fixture();
        let (_, notes) = suite(&dir, Settings::from_values(None, None), rerun())
            .run_with_args(&args.iter().copied().chain([QUIET]).collect::<Vec<_>>());
        let recorded: Vec<String> = wire_compat::_support::list(&dir)
            .into_iter()
            .map(|c| c.unwrap().trial())
            .collect();
        let line = notes.last().unwrap();
        assert!(
            line.starts_with(&format!("wire-compat: {} change", recorded.len())),
            "{args:?}: {line}"
        );
        match line.split('`').nth(1) {
            Some(cmd) => {
                let mut approved = approve_with(cmd, root.path(), &dir);
                let mut want = recorded.clone();
                approved.sort();
                want.sort();
                assert_eq!(approved, want, "{args:?}: {line}");
            }
            None => assert!(
                line.ends_with("approve each with the command its report prints"),
                "{args:?}: {line}"
            ),
        }
    }
}

/// Past 100 failures of one file the report said "rewrite the file with
/// `UPDATE_GOLDENS=1 cargo test`", which rewrote every file. The sentence now names
/// what the command rewrites: every drifted entry of the test target.
#[test]
fn past_the_report_bound_the_sentence_names_what_its_command_rewrites() {
    let (root, dir) = fixture();
    let many: String = (0..105)
        .map(|i| format!("  N{i}:\n    message: \"n\"\n"))
        .collect();
    fs::write(dir.join("error.yaml"), format!("cases:\n{many}")).unwrap();
    let results = pending_run(&dir);
    let overflow = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().err())
        .find(|r| r.contains("not reported in full"))
        .expect("an overflow report");
    let (sentence, rest) = overflow.split_once('`').unwrap();
    assert!(
        sentence.ends_with("rewrite every drifted golden entry of this test target with "),
        "{overflow}"
    );
    let cmd = rest.split('`').next().unwrap();
    approve_with(cmd, root.path(), &dir);
    let after = pending_run(&dir);
    assert!(after.iter().all(|(_, r)| r.is_ok()), "{after:?}");
}

/// The `git rm` a report suggests for a stray golden file was pasted unquoted: for a
/// file named `x$(touch PWNED).yaml` the shell ran `touch PWNED`.
#[test]
fn the_git_rm_for_a_stray_golden_file_is_quoted_for_the_shell() {
    let (root, dir) = fixture();
    let name = "x$(touch PWNED) 'q'.yaml";
    fs::write(dir.join(name), "cases: {}\n").unwrap();
    let results = pending_run(&dir);
    let report = report_of(&results, "x$(touch PWNED) 'q'::@file");
    let cmd = report
        .split_once("(`")
        .and_then(|(_, r)| r.split_once("`)"))
        .map(|(c, _)| c)
        .unwrap();
    let calls = through_sh(cmd, root.path());
    assert!(!root.path().join("PWNED").exists(), "{cmd} ran a command");
    assert_eq!(
        calls,
        [vec![
            "git UPDATE_GOLDENS=unset".to_owned(),
            "rm".into(),
            "--".into(),
            format!("goldens/{name}"),
        ]],
        "{cmd}"
    );
}

/// A `cargo-wire-compat` in `bin` that prints `version` and appends a line to `log`
/// each time it runs.
fn fake_tool(bin: &Path, version: &str, log: &Path) {
    let path = bin.join("cargo-wire-compat");
    fs::write(
        &path,
        format!(
            "#!/bin/sh\necho called >> '{}'\necho '{version}'\n",
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// A file named `cargo-wire-compat` used to be enough for reports to print `cargo
/// wire-compat accept ...` (another crate publishes a binary of that name).
#[test]
fn a_stranger_named_cargo_wire_compat_is_not_taken_for_the_tool() {
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("log");
    for stranger in [
        "cargo-wire-compat 0.1.3".to_owned(),
        format!(
            "cargo-wire-compat 0.1.0 (reads pending format {})",
            PENDING_FORMAT - 1
        ),
    ] {
        fake_tool(bin.path(), &stranger, &log);
        let approver = Approver::detect(
            vec![bin.path().to_owned()],
            Some("api".into()),
            Some("compat".into()),
        );
        assert_eq!(
            approver.accept("a::B"),
            "UPDATE_GOLDENS=1 cargo test -p api --test compat -- a::B --exact",
            "{stranger}"
        );
    }
    let ours = format!("cargo-wire-compat 9.9.9 (reads pending format {PENDING_FORMAT})");
    fake_tool(bin.path(), &ours, &log);
    let approver = Approver::detect(vec![bin.path().to_owned()], Some("api".into()), None);
    assert_eq!(
        approver.accept("a::B"),
        "cargo wire-compat accept -p api a::B"
    );
    assert_eq!(approver.review_all(), "cargo wire-compat review -p api");
}

/// The handshake runs a process: only when a report prints a command, once per
/// suite however many reports, never in a run where everything matches (nextest
/// starts one process per trial).
#[test]
fn the_tool_is_checked_only_when_a_report_prints_and_once() {
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("log");
    let ours = format!("cargo-wire-compat 9.9.9 (reads pending format {PENDING_FORMAT})");
    fake_tool(bin.path(), &ours, &log);
    let calls = || fs::read_to_string(&log).map_or(0, |t| t.lines().count());
    let approver = || Approver::detect(vec![bin.path().to_owned()], Some(PACKAGE.into()), None);

    let (_root, dir) = fixture();
    let quiet = Suite::new(&dir)
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .approver(approver())
        .catalog(Catalog::new("queue_error", || {
            vec![Case::message("A", "qa")]
        }));
    assert!(quiet.run_with_args(&[QUIET, "--exact", "queue_error::A"]).0);
    assert_eq!(calls(), 0, "a run where nothing drifts ran the tool");

    let results = suite(&dir, Settings::from_values(None, None), approver()).run_all();
    assert!(results.iter().filter(|(_, r)| r.is_err()).count() >= 4);
    assert_eq!(calls(), 1, "one check per suite");
    assert!(
        report_of(&results, "error::A").contains("cargo wire-compat accept -p adopter error::A"),
        "{results:?}"
    );
}

/// Every name a printed command may carry reads back unchanged in a shell, and stays
/// on one line: `$(...)`, quotes, spaces, a line break, bytes that are not UTF-8.
/// (`$'...'` is bash's, zsh's and POSIX.1-2024's; checked with bash when there is one.)
#[test]
fn shell_quoting_reads_back_every_name_unchanged() {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let names: Vec<std::ffi::OsString> = vec![
        "plain::Name.x-1".into(),
        "x$(touch PWNED).yaml".into(),
        "it's a \"name\"; `rm` *".into(),
        "".into(),
        "line\nbreak\t::error::x".into(),
        std::ffi::OsString::from_vec(b"bad\xff\x01'q'\\".to_vec()),
    ];
    let bash = Command::new("bash")
        .arg("-c")
        .arg("true")
        .output()
        .is_ok_and(|o| o.status.success());
    for name in names {
        let quoted = wire_compat::_support::shell_quote(&name);
        assert!(!quoted.contains('\n'), "{quoted}");
        let printable = name
            .to_str()
            .is_some_and(|t| !t.chars().any(char::is_control));
        let shells: &[&str] = match (printable, bash) {
            (true, true) => &["sh", "bash"],
            (true, false) => &["sh"],
            (false, true) => &["bash"],
            (false, false) => &[],
        };
        for shell in shells {
            let out = Command::new(shell)
                .arg("-c")
                .arg(format!("printf '%s' {quoted}"))
                .output()
                .unwrap();
            assert_eq!(out.stdout, name.as_bytes(), "{shell}: {quoted}");
        }
    }
}
