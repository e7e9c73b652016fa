//! End to end, on a crate generated outside this workspace: the moments a maintainer
//! lives through, with the real commands (`cargo test --test compat`, and this
//! package's `cargo-wire-compat` binary run in the crate's folder).

use crate::support::{edit, failed_trials, git, outcome, require_nextest, Adopter};
use std::process::Command;

/// Runs this package's `cargo-wire-compat` in the adopter's folder, outside CI.
fn compat(repo: &Adopter, args: &[&str]) -> (bool, String) {
    compat_in(repo, args)
}

/// [`compat`], with the adopter's target folder for the cargo runs it starts.
fn compat_in(repo: &Adopter, args: &[&str]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.args(args)
        .current_dir(&repo.root)
        .env("NO_COLOR", "1")
        .env("CARGO_TARGET_DIR", repo.target_dir());
    crate::support::scrub(&mut cmd);
    outcome(&cmd.output().unwrap())
}

/// The command under "approve it:" in the failure report of `trial`.
fn approval_command(output: &str, trial: &str) -> String {
    let header = format!("---- {trial} ----\n");
    let (_, report) = output
        .split_once(&header)
        .unwrap_or_else(|| panic!("no report of {trial} in:\n{output}"));
    let (_, after) = report
        .split_once("approve it:\n")
        .unwrap_or_else(|| panic!("no approval command in:\n{report}"));
    after.lines().next().unwrap().trim().to_owned()
}

#[test]
fn reword_fails_then_reject_keeps_red_then_accept_turns_green_with_a_minimal_diff() {
    let repo = Adopter::generate().init();
    let (ok, out) = repo.suite(&[]);
    assert!(ok, "the adopter starts green:\n{out}");

    // Reword one message: exactly that variant's cases fail, with old and new text.
    edit(
        &repo.root,
        "src/lib.rs",
        "user '{0}' not found",
        "user '{0}' was not found",
    );
    let (ok, out) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(
        failed_trials(&out),
        ["api_error::UserNotFound", "api_error::UserNotFound.empty"],
        "{out}"
    );
    assert!(
        out.contains("-    message: \"user 'ada' not found\""),
        "{out}"
    );
    assert!(
        out.contains("+    message: \"user 'ada' was not found\""),
        "{out}"
    );
    // The report's approval command works where it ran (the tool is not installed
    // in the adopter, so it is the UPDATE_GOLDENS re-run of that one trial), and the
    // run ends with one summary line.
    let approve = approval_command(&out, "api_error::UserNotFound");
    assert!(
        approve == "cargo wire-compat accept api_error::UserNotFound"
            || approve
                == "UPDATE_GOLDENS=1 cargo test -p adopter --test compat -- \
                    api_error::UserNotFound --exact",
        "{approve}\n{out}"
    );
    assert!(
        out.contains("wire-compat: 2 changes pending in 1 golden file; review them with `")
            || out.contains(
                "wire-compat: 2 changes pending in 1 golden file; approve them all with `"
            ),
        "{out}"
    );

    // Reject: goldens untouched, still red.
    let (ok, out) = compat(&repo, &["reject"]);
    assert!(ok, "{out}");
    assert!(out.contains("2 rejected"), "{out}");
    assert_eq!(repo.goldens_diff(), "");
    let (ok, _) = repo.suite(&[]);
    assert!(!ok, "rejecting does not make the suite pass");

    // The failing run recorded the changes again. The printed command approves
    // exactly its trial; the tool accepts the rest: green, small diff.
    let out = repo.shell(&approve);
    assert!(out.0, "{approve}: {}", out.1);
    let (ok, out) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(
        failed_trials(&out),
        ["api_error::UserNotFound.empty"],
        "{out}"
    );
    let (ok, accepted) = compat(&repo, &["accept"]);
    assert!(ok, "{accepted}");
    assert!(accepted.contains("1 accepted"), "{accepted}");
    let (ok, out) = repo.suite(&[]);
    assert!(ok, "{out}");
    let diff = repo.goldens_diff();
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("---"))
        .filter(|l| !l.starts_with("+++"))
        .collect();
    assert_eq!(
        changed.len(),
        4,
        "2 lines out, 2 in:\n{diff}\naccept said: {accepted}"
    );
    assert!(
        changed.iter().all(|l| l.contains("message: \"user '")),
        "{diff}"
    );

    // CI never writes: UPDATE_GOLDENS under CI fails and leaves everything as it was.
    git(&repo.root, &["commit", "-qam", "accepted"]);
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    let (ok, out) = repo.suite(&[("CI", "true"), ("UPDATE_GOLDENS", "1")]);
    assert!(!ok);
    assert!(out.contains("@settings::UPDATE_GOLDENS"), "{out}");
    assert!(
        failed_trials(&out).contains(&"api_error::Internal".to_owned()),
        "{out}"
    );
    assert_eq!(repo.goldens_diff(), "");
    assert!(
        !repo
            .root
            .join("goldens/.pending/api_error/Internal.yaml")
            .exists(),
        "CI wrote a pending change"
    );

    // UPDATE_GOLDENS=1 outside CI approves in one go; the rewrite is minimal too.
    let (ok, out) = repo.suite(&[("UPDATE_GOLDENS", "1")]);
    assert!(ok, "{out}");
    let diff = repo.goldens_diff();
    assert_eq!(
        diff.lines().filter(|l| l.starts_with("+    ")).count(),
        1,
        "{diff}"
    );
    let (ok, out) = repo.suite(&[("UPDATE_GOLDENS", "yes please")]);
    assert!(!ok && out.contains("accepted values"), "{out}");
}

#[test]
fn remapped_code_and_deleted_golden_entry_each_fail() {
    let repo = Adopter::generate().init();
    edit(&repo.root, "src/lib.rs", "=> 429,", "=> 503,");
    let (ok, out) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(failed_trials(&out), ["api_error::RateLimited"], "{out}");
    assert!(
        out.contains("-    code: 429") && out.contains("+    code: 503"),
        "{out}"
    );
    git(&repo.root, &["checkout", "-q", "--", "src/lib.rs"]);

    let golden = repo.root.join("goldens/api_error.yaml");
    let text = std::fs::read_to_string(&golden).unwrap();
    let text = text.replace(
        "  Internal:\n    code: 500\n    message: \"internal error\"\n",
        "",
    );
    std::fs::write(&golden, text).unwrap();
    let (ok, out) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(failed_trials(&out), ["api_error::Internal"], "{out}");
    assert!(out.contains("unapproved case"), "{out}");
}

/// A new variant fails the suite (strum's `VARIANTS` lists it, no sample has it)
/// until it has a sample and an approved golden; `cargo wire-compat test --accept`
/// approves in one step.
#[test]
fn a_new_variant_fails_until_sampled_and_approved() {
    let repo = Adopter::generate().init();
    edit(
        &repo.root,
        "src/lib.rs",
        "    Internal,\n}",
        "    Internal,\n    #[error(\"brand new\")]\n    Brand,\n}",
    );
    edit(
        &repo.root,
        "src/lib.rs",
        "ApiError::Internal => 500,",
        "ApiError::Internal => 500,\n            ApiError::Brand => 501,",
    );
    let (ok, out) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(failed_trials(&out), ["api_error::@variants"], "{out}");
    assert!(out.contains("variant `Brand` has no sample"), "{out}");

    edit(
        &repo.root,
        "src/lib.rs",
        "(\"Internal\", ApiError::Internal),",
        "(\"Internal\", ApiError::Internal),\n            (\"Brand\", ApiError::Brand),",
    );
    let (ok, out) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(failed_trials(&out), ["api_error::Brand"], "{out}");

    // One step: run the suite, then accept what it recorded.
    let (ok, out) = compat_in(
        &repo,
        &["test", "--accept", "--", "--offline", "--test", "compat"],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("accepted api_error::Brand  (new case)"),
        "{out}"
    );
    let (ok, out) = repo.suite(&[]);
    assert!(ok, "{out}");
    assert!(
        repo.goldens_diff().contains("+  Brand:"),
        "{}",
        repo.goldens_diff()
    );
}

/// The release gate on the adopter: a reworded message in a patch release is refused,
/// and the same change in a major release passes.
#[test]
fn the_gate_refuses_a_reworded_message_in_a_patch_release() {
    let repo = Adopter::generate().init();
    git(&repo.root, &["tag", "v1.0.0"]);
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    let (ok, out) = repo.suite(&[("UPDATE_GOLDENS", "1")]);
    assert!(ok, "{out}");
    edit(
        &repo.root,
        "Cargo.toml",
        "version = \"1.0.0\"",
        "version = \"1.0.1\"",
    );
    git(&repo.root, &["commit", "-qam", "reword"]);
    let (ok, out) = compat(&repo, &["gate"]);
    assert!(!ok, "{out}");
    assert!(out.contains("api_error::Internal"), "{out}");
    assert!(out.contains("major"), "{out}");
    edit(
        &repo.root,
        "Cargo.toml",
        "version = \"1.0.1\"",
        "version = \"2.0.0\"",
    );
    git(&repo.root, &["commit", "-qam", "major"]);
    let (ok, out) = compat(&repo, &["gate"]);
    assert!(ok, "{out}");
}

/// nextest runs every trial in its own process, many at once. Approvals from all of
/// them must land: `UPDATE_GOLDENS=1` serialises each process's write under the
/// golden's lock, and pending records are one file per case.
#[test]
#[cfg_attr(not(has_tool = "nextest"), ignore = "needs cargo-nextest")]
fn nextest_processes_never_lose_each_others_updates() {
    require_nextest("nextest_processes_never_lose_each_others_updates");
    let repo = Adopter::generate().init();
    edit(
        &repo.root,
        "src/lib.rs",
        "user '{0}' not found",
        "user '{0}' is unknown",
    );
    edit(
        &repo.root,
        "src/lib.rs",
        "retry in {0} s",
        "retry after {0} s",
    );
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    let nextest = |env: &[(&str, &str)]| {
        let args = [
            "nextest",
            "run",
            "--offline",
            "--test",
            "compat",
            "--no-fail-fast",
        ];
        outcome(&repo.cargo(&[&args[..], &["--test-threads", "8"]].concat(), env))
    };
    let (ok, out) = nextest(&[("UPDATE_GOLDENS", "1")]);
    assert!(ok, "{out}");
    let diff = repo.goldens_diff();
    let added = diff.lines().filter(|l| l.starts_with("+    ")).count();
    assert_eq!(
        added, 4,
        "2 UserNotFound cases, RateLimited and Internal:\n{diff}"
    );
    let (ok, out) = repo.suite(&[]);
    assert!(ok, "every update landed:\n{out}");

    // Pending mode under nextest: each process records its own case; accept takes all.
    git(&repo.root, &["checkout", "-q", "--", "goldens/"]);
    let (ok, _) = nextest(&[]);
    assert!(!ok);
    let (ok, out) = compat(&repo, &["accept"]);
    assert!(ok && out.contains("4 accepted"), "{out}");
    let (ok, out) = repo.suite(&[]);
    assert!(ok, "{out}");
}

/// A workspace of two adopters: `cargo test` at the root runs both suites, and
/// `cargo wire-compat` run at the root or inside a member finds every member's pending
/// changes, with paths relative to where it runs.
#[test]
fn a_workspace_of_two_adopters_is_reviewed_from_anywhere_in_it() {
    let ws = Adopter::workspace(&["api", "queue"]).init();
    for member in ["api", "queue"] {
        edit(
            &ws.root.join(member),
            "src/lib.rs",
            "internal error",
            "internal failure",
        );
    }
    let out = ws.cargo(
        &["test", "--offline", "-q", "--workspace", "--no-fail-fast"],
        &[],
    );
    let (ok, out) = outcome(&out);
    assert!(!ok, "{out}");
    assert!(out.contains("api/goldens/api_error.yaml"), "{out}");

    let (ok, out) = compat(&ws, &["pending"]);
    assert!(ok, "{out}");
    assert!(out.contains("api/goldens/api_error.yaml"), "{out}");
    assert!(out.contains("queue/goldens/api_error.yaml"), "{out}");

    // From inside a member, paths are relative to that folder, and both are found.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.args(["pending", "--format", "json"])
        .current_dir(ws.root.join("queue"))
        .env("NO_COLOR", "1");
    crate::support::scrub(&mut cmd);
    let (ok, json) = outcome(&cmd.output().unwrap());
    assert!(ok, "{json}");
    assert!(
        json.contains("\"golden\": \"goldens/api_error.yaml\""),
        "{json}"
    );
    assert!(
        json.contains("\"golden\": \"../api/goldens/api_error.yaml\""),
        "{json}"
    );

    let (ok, out) = compat(&ws, &["accept"]);
    assert!(ok && out.contains("2 accepted"), "{out}");
    let out = ws.cargo(&["test", "--offline", "-q", "--workspace"], &[]);
    let (ok, out) = outcome(&out);
    assert!(ok, "{out}");
}

/// Issue 16/20: two members with a catalog of the same name. The listing qualifies the
/// shared trial by member, an exact FILTER naming both is refused, counts say whose
/// changes they count, and `-p` picks one member.
#[test]
fn two_members_with_a_catalog_of_the_same_name_are_told_apart() {
    let ws = Adopter::workspace(&["api", "queue"]).init();
    let drift = || {
        for member in ["api", "queue"] {
            let lib = ws.root.join(member).join("src/lib.rs");
            let text = std::fs::read_to_string(&lib).unwrap();
            if text.contains("internal error") {
                edit(
                    &ws.root.join(member),
                    "src/lib.rs",
                    "internal error",
                    "internal failure",
                );
            }
        }
        let out = ws.cargo(
            &["test", "--offline", "-q", "--workspace", "--no-fail-fast"],
            &[],
        );
        assert!(!outcome(&out).0);
    };
    drift();
    let (ok, out) = compat(&ws, &["pending"]);
    assert!(ok, "{out}");
    assert!(out.contains("api: api_error::Internal  (changed)"), "{out}");
    assert!(
        out.contains("queue: api_error::Internal  (changed)"),
        "{out}"
    );

    let (ok, out) = compat(&ws, &["accept", "api_error::Internal"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("2 workspace members (api, queue)") && out.contains("-p"),
        "{out}"
    );

    let (ok, out) = compat(&ws, &["reject"]);
    assert!(ok, "{out}");
    assert!(out.contains("rejected api: api_error::Internal"), "{out}");
    assert!(out.contains("2 rejected (api: 1, queue: 1)"), "{out}");

    drift();
    let (ok, out) = compat(&ws, &["accept", "-p", "api", "api_error::Internal"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("accepted api_error::Internal  (changed)"),
        "{out}"
    );
    assert!(out.contains("1 accepted, 0 stale"), "{out}");
    let (ok, out) = compat(&ws, &["pending"]);
    assert!(ok, "{out}");
    assert!(out.contains("queue/goldens/api_error.yaml"), "{out}");
    assert!(
        !out.contains("api/goldens/api_error.yaml"),
        "api's was accepted:\n{out}"
    );
    let (ok, out) = compat(&ws, &["pending", "-p", "nope"]);
    assert!(
        !ok && out.contains("members with goldens: api, queue"),
        "{out}"
    );
}

/// A unit test of the adopter that asserts the old text: another reason to fail.
const UNIT_TEST: &str = "\n#[cfg(test)]\nmod unit {\n    #[test]\n    fn \
                         internal_text() {\n        assert_eq!(super::ApiError::Internal.to_string(), \
                         \"internal error\");\n    }\n}\n";

/// Issue 16: `test --accept -- --no-fail-fast` exited 0 beside another failing target.
#[test]
fn test_accept_exits_non_zero_naming_another_failing_target() {
    let repo = Adopter::generate().init();
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    let lib = repo.root.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}{UNIT_TEST}")).unwrap();
    let (ok, out) = compat_in(
        &repo,
        &["test", "--accept", "--", "--offline", "--no-fail-fast"],
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("accepted api_error::Internal  (changed)"),
        "{out}"
    );
    assert!(
        out.contains("the tests failed for another reason: `--lib` failed"),
        "{out}"
    );
    assert!(
        !out.contains("`--test compat` failed"),
        "drift is not the reason:\n{out}"
    );
}

/// Issue 20: with the build broken nothing ran, so nothing is accepted.
#[test]
fn test_accept_accepts_nothing_when_the_build_failed() {
    let repo = Adopter::generate().init();
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    let (ok, _) = repo.suite(&[]);
    assert!(!ok);
    assert_eq!(
        wire_compat::_support::list(&repo.root.join("goldens")).len(),
        1
    );
    let lib = repo.root.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}\nfn broken( {{\n")).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"));
    cmd.args(["test", "--accept", "--", "--offline"])
        .current_dir(&repo.root)
        .env("CARGO_TARGET_DIR", repo.target_dir());
    crate::support::scrub(&mut cmd);
    let out = cmd.output().unwrap();
    let said = crate::support::text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("the build failed; nothing was accepted"),
        "{said}"
    );
    assert_eq!(repo.goldens_diff(), "", "no golden changed");
    assert_eq!(
        wire_compat::_support::list(&repo.root.join("goldens")).len(),
        1
    );
}

/// Issue 20: `test --accept -- ARGS` accepted every pending record, also ones an
/// earlier run had left; now only what its own run recorded.
#[test]
fn test_accept_accepts_only_what_its_own_run_recorded() {
    let repo = Adopter::generate().init();
    edit(
        &repo.root,
        "src/lib.rs",
        "user '{0}' not found",
        "user '{0}' is gone",
    );
    let (ok, _) = repo.suite(&[]);
    assert!(!ok);
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    // Only the Internal trial runs now; UserNotFound's records are an earlier run's.
    let (ok, out) = compat_in(
        &repo,
        &[
            "test",
            "--accept",
            "--",
            "--offline",
            "--test",
            "compat",
            "--",
            "api_error::Internal",
            "--exact",
        ],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("accepted api_error::Internal  (changed)"),
        "{out}"
    );
    assert!(!out.contains("accepted api_error::UserNotFound"), "{out}");
    assert!(
        out.contains("2 pending change(s) from earlier runs left pending"),
        "{out}"
    );
    let left: Vec<String> = wire_compat::_support::list(&repo.root.join("goldens"))
        .into_iter()
        .map(|c| c.unwrap().trial())
        .collect();
    assert_eq!(
        left,
        ["api_error::UserNotFound", "api_error::UserNotFound.empty"]
    );
}

/// `cargo wire-compat test --runner nextest` drives nextest as it drives libtest.
#[test]
#[cfg_attr(not(has_tool = "nextest"), ignore = "needs cargo-nextest")]
fn test_runner_nextest_runs_the_suites_under_nextest() {
    require_nextest("test_runner_nextest_runs_the_suites_under_nextest");
    let repo = Adopter::generate().init();
    edit(
        &repo.root,
        "src/lib.rs",
        "internal error",
        "internal failure",
    );
    let (ok, out) = compat_in(&repo, &["test", "--runner", "nextest", "--", "--offline"]);
    assert!(!ok, "pending changes: exit 1\n{out}");
    assert!(out.contains("== cargo nextest run --offline"), "{out}");
    assert!(out.contains("api_error::Internal  (changed)"), "{out}");
    let (ok, out) = compat_in(
        &repo,
        &["test", "--runner", "nextest", "--accept", "--", "--offline"],
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("== cargo nextest run --offline --no-run"),
        "{out}"
    );
    assert!(
        out.contains("accepted api_error::Internal  (changed)"),
        "{out}"
    );
    let (ok, out) = repo.suite(&[]);
    assert!(ok, "{out}");
}
