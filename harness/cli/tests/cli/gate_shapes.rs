//! `cargo wire-compat gate` on the shapes real projects have: a workspace with inherited
//! versions and per-crate tags, no release yet, a tagged HEAD with local edits, new
//! samples versus new variants, and manifests only a real TOML parser reads right.
//! Each runs the built binary on a throwaway git repository (see `gate.rs`).

use crate::gate::{first_line, json, manifest, Repo, GOLDEN, GOLDEN_PATH};
use std::process::Command;

/// A message of [`GOLDEN`] that tests reword.
const MESSAGE: &str = "vm 'vm-7f3a' not found";

/// A virtual workspace: `api` inherits the workspace version, `cli` has its own, and
/// `docs` has no goldens. Released as `api-v1.2.0` (release-plz) and `cli@0.3.0`.
fn workspace(name: &str) -> Repo {
    let repo = Repo::folder(name);
    repo.git(&["init", "--quiet"]);
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n\
         [workspace.package]\nversion = \"1.2.0\"\nedition = \"2021\"\n",
    );
    repo.write(
        "crates/api/Cargo.toml",
        "[package]\nname = \"api\"\nversion.workspace = true\nedition.workspace = true\n",
    );
    repo.write(
        "crates/cli/Cargo.toml",
        "[package]\nname = \"cli\"\nversion = \"0.3.0\"\nedition = \"2021\"\n",
    );
    repo.write("crates/docs/Cargo.toml", &manifest("5.0.0"));
    // Members are what `cargo metadata` lists, and cargo needs a target in each.
    for member in ["api", "cli", "docs"] {
        repo.write(&format!("crates/{member}/src/lib.rs"), "");
    }
    for member in ["api", "cli"] {
        repo.write(&format!("crates/{member}/{GOLDEN_PATH}"), GOLDEN);
    }
    repo.commit_all("release");
    repo.git(&["tag", "api-v1.2.0"]);
    repo.git(&["tag", "cli@0.3.0"]);
    repo
}

/// Replaces text in a file of the repository, insisting it was there.
fn edit(repo: &Repo, rel: &str, from: &str, to: &str) {
    let text = repo.read(rel);
    assert!(text.contains(from), "{from:?} not in {rel}");
    repo.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn each_workspace_member_is_gated_against_its_own_tag() {
    let repo = workspace("ws");
    // api: a new variant (minor), covered by the inherited bump to 1.3.0.
    edit(
        &repo,
        &format!("crates/api/{GOLDEN_PATH}"),
        "  VmNotFound:\n",
        "  Metrics:\n    message: \"metrics: gone\"\n  VmNotFound:\n",
    );
    edit(&repo, "Cargo.toml", "1.2.0", "1.3.0");
    // cli: a reworded message (major), not bumped.
    edit(
        &repo,
        &format!("crates/cli/{GOLDEN_PATH}"),
        MESSAGE,
        "no vm 'vm-7f3a'",
    );
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(&"api: 1 wire change since api-v1.2.0 needs a minor bump; covered by 1.3.0 (a minor bump)"),
        "{run:?}"
    );
    assert!(
        lines.contains(
            &"cli: 1 wire change since cli@0.3.0 needs a major bump; 0.3.0 is not a bump"
        ),
        "{run:?}"
    );
    assert!(
        run.stdout.contains(
            "(baseline api-v1.2.0: the newest tag `api-v{version}` or `api@{version}` below 1.3.0"
        ),
        "{run:?}"
    );
    assert!(!run.stdout.contains("docs"), "{run:?}");

    // One member with -p; the other's verdict does not count.
    let run = repo.gate(&["-p", "api"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        first_line(&run.stdout).starts_with("1 wire change since api-v1.2.0"),
        "{run:?}"
    );
    // Following the old advice (--manifest of the member) works: the inherited
    // version comes from the workspace root, today and at the tag.
    let run = repo.gate(&["--manifest", "crates/api/Cargo.toml"]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = repo.gate(&["-p", "nope"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("members with goldens: api, cli"),
        "{run:?}"
    );

    // JSON: one object per crate, and the overall verdict.
    let run = repo.gate(&["--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    json::validate(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    for needle in [
        "\"format_version\": 2",
        "\"ok\": false",
        "\"crate\": \"api\"",
        "\"status\": \"covered\"",
        "\"crate\": \"cli\"",
        "\"status\": \"refused\"",
        "\"file\": \"crates/cli/goldens/vm_runtime_error.yaml\"",
    ] {
        assert!(run.stdout.contains(needle), "{needle}: {}", run.stdout);
    }
}

#[test]
fn a_member_without_its_own_tags_does_not_borrow_the_roots() {
    // The shape of this repository: a root package tagged `v0.1.0` and a member
    // (examples/adopt) that was never released on its own.
    let repo = Repo::folder("root-and-member");
    repo.git(&["init", "--quiet"]);
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\".\", \"examples/adopt\"]\n\n[package]\nname = \"root\"\nversion = \"0.1.0\"\n",
    );
    repo.write(GOLDEN_PATH, GOLDEN);
    repo.write(
        "examples/adopt/Cargo.toml",
        &manifest("0.1.0").replace("demo", "adopt"),
    );
    repo.write(&format!("examples/adopt/{GOLDEN_PATH}"), GOLDEN);
    // Members are what `cargo metadata` lists, and cargo needs a target in each.
    repo.write("src/lib.rs", "");
    repo.write("examples/adopt/src/lib.rs", "");
    repo.commit_all("release");
    repo.git(&["tag", "v0.1.0"]);
    repo.git_as_t(&[
        "commit",
        "--quiet",
        "--no-gpg-sign",
        "--allow-empty",
        "-m",
        "later",
    ]);
    edit(
        &repo,
        &format!("examples/adopt/{GOLDEN_PATH}"),
        MESSAGE,
        "gone",
    );
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("root: no wire changes since v0.1.0"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("adopt: no earlier release of adopt: nothing to compare"),
        "{run:?}"
    );
}

#[test]
fn the_pull_request_job_is_green_without_any_tag() {
    // A new adopter's first pull request: no release tag exists yet.
    let repo = Repo::folder("pr-job");
    repo.git(&["init", "--quiet"]);
    repo.write("Cargo.toml", &manifest("0.1.0"));
    repo.write(GOLDEN_PATH, GOLDEN);
    repo.commit_all("first");
    // The job's script, as CI runs it: bash -e, `cargo wire-compat` on PATH.
    let workflow = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/ci/github-workflow.yml"
    ))
    .unwrap();
    let job = &workflow[workflow.find("wire-report:").expect("wire-report job")..];
    let script = job[job.find("run: |").expect("a run block") + "run: |".len()..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("          ") || l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(script.contains("cargo wire-compat gate"), "{script}");
    let bin = repo.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let shim = bin.join("cargo");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\n[ \"$1\" = wire-compat ] || exit 99\nshift\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_cargo-wire-compat")
        ),
    )
    .unwrap();
    make_executable(&shim);
    let summary = repo.dir.join("step-summary.md");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = repo
        .command("bash")
        .args(["-e", "-c", &script])
        .env("PATH", path)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("CI", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.starts_with(
            "::notice title=Release gate::no earlier release of demo: nothing to compare"
        ),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(summary.contains("nothing to compare"), "{summary}");
}

#[cfg(unix)]
fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_: &std::path::Path) {}

#[test]
fn a_tagged_head_with_local_edits_says_what_is_compared() {
    let repo = Repo::released("tagged-head", "1.4.0");
    // Clean, the tagged HEAD is the release being gated; nothing came before it.
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "no earlier release of demo: nothing to compare"
    );
    assert!(
        run.stdout
            .contains("v1.4.0 tags HEAD: it is the release being gated"),
        "{run:?}"
    );
    // Edited, the edits are not in v1.4.0: they are compared with it, and it says so
    // (it used to skip v1.4.0 and send the user to `git fetch --tags`).
    repo.edit_golden(MESSAGE, "no vm named 'vm-7f3a'");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v1.4.0 needs a major bump; 1.4.0 is not a bump"
    );
    assert!(
        run.stdout.contains(&format!(
            "v1.4.0 tags HEAD, but the working tree has uncommitted edits ({GOLDEN_PATH}): they \
             are not in v1.4.0, so the working tree is compared with v1.4.0 itself"
        )),
        "{run:?}"
    );
    assert!(!run.stderr.contains("git fetch --tags"), "{run:?}");
}

#[test]
fn a_new_sample_is_coverage_a_new_variant_minor_a_reworded_message_major() {
    let repo = Repo::released("weigh", "1.4.0");
    // Which case samples which variant is declared in the golden, never read from ids.
    repo.edit_golden(
        "cases:\n",
        "format: 2\nvariants:\n  - \"Jailer\"\n  - \"VmNotFound\"\n  - \"Rootfs\"\ncases:\n",
    );
    repo.commit_all("declare the variants");
    repo.git(&["tag", "--force", "v1.4.0"]);
    repo.edit_golden(
        "  VmNotFound.empty:\n",
        "  VmNotFound.unicode:\n    message: \"vm 'vm-ü' not found\"\n  VmNotFound.empty:\n",
    );
    let run = repo.gate(&[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "no wire changes since v1.4.0 (1.4.0 is not a bump)"
    );
    assert!(
        run.stdout.contains("vm_runtime_error::VmNotFound.unicode  coverage added (a sample of a shipped variant) (none)"),
        "{run:?}"
    );
    repo.edit_golden(
        "  VmNotFound:\n",
        "  Rootfs.big:\n    message: \"rootfs: too big\"\n  VmNotFound:\n",
    );
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        first_line(&run.stdout).starts_with("1 wire change since v1.4.0 needs a minor bump"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("vm_runtime_error::Rootfs.big  case added (minor)"),
        "{run:?}"
    );
    repo.edit_golden(MESSAGE, "no vm 'vm-7f3a'");
    repo.set_version("1.5.0");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        first_line(&run.stdout).contains("need a major bump (1 breaking, 1 additive)"),
        "{run:?}"
    );
}

#[test]
fn tricky_toml_is_read_as_cargo_metadata_reads_it() {
    let repo = Repo::released("tricky-toml", "1.0.0");
    repo.edit_golden(MESSAGE, "no vm named 'vm-7f3a'");
    // `"""` in a comment, an escaped quote in a multi-line string holding a decoy
    // version line, and the real version as a literal string.
    let tricky = "[package]\nname = \"demo\" # not a \"\"\" string\nedition = \"2021\"\n\
                  description = \"\"\"\nsays \\\"\"\" and\nversion = \"2.0.0\"\n\"\"\"\n\
                  version = '1.0.1'\n";
    repo.write("Cargo.toml", tricky);
    repo.write("src/lib.rs", "");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&repo.dir)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let metadata = String::from_utf8_lossy(&out.stdout);
    assert!(metadata.contains("\"version\":\"1.0.1\""), "{metadata}");
    let run = repo.gate(&[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        first_line(&run.stdout),
        "1 wire change since v1.0.0 needs a major bump; 1.0.1 is a patch bump"
    );
    // A manifest TOML cannot read stops the gate with its line.
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.0.1\n",
    );
    let run = repo.gate(&["--format", "github"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: Cargo.toml:3: not valid TOML"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .starts_with("::error file=Cargo.toml,line=3,title=Release gate could not run::"),
        "{run:?}"
    );
}
