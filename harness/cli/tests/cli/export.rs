//! `cargo wire-compat export`: the contract at a ref as one JSON document, on
//! generated repositories (the gate's helpers).

use super::gate::{manifest, Repo, Run, GOLDEN_PATH};

const DECLARED: &str = "\
# queue_error
format: 2
policy:
  code: contract
  message: informational
variants:
  - \"NotFound\"
  - \"Gone\"
cases:
  Gone:
    code: 410
    retired: \"removed in 1.3: use NotFound\"
  NotFound:
    code: 404
    message: \"queue 'a' not found\"
  NotFound.empty:
    code: 404
    message: \"queue '' not found\"
  from_code.404:
    decodes_to: \"NotFound\"
";

fn released() -> Repo {
    let repo = Repo::folder("export");
    repo.git(&["init", "--quiet"]);
    repo.write("Cargo.toml", &manifest("1.4.0"));
    repo.write(GOLDEN_PATH, DECLARED);
    repo.commit_all("release 1.4.0");
    repo.git(&["tag", "v1.4.0"]);
    repo
}

fn export(repo: &Repo, args: &[&str]) -> Run {
    let out = repo
        .command(env!("CARGO_BIN_EXE_cargo-wire-compat"))
        .arg("export")
        .args(args)
        .output()
        .expect("cargo-wire-compat runs");
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Validates `document` against this package's `export.schema.json`.
fn schema_errors(python: &str, document: &str) -> Option<String> {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("export.schema.json");
    crate::support::schema_errors(python, &schema, document)
}

#[test]
#[cfg_attr(
    not(has_tool = "jsonschema"),
    ignore = "needs Python's jsonschema (.ci/run installs it)"
)]
fn export_twice_gives_identical_bytes_that_validate_against_the_schema() {
    let repo = released();
    let (a, b) = (export(&repo, &[]), export(&repo, &["--at", "HEAD"]));
    assert_eq!((a.code, b.code), (0, 0), "{a:?}\n{b:?}");
    assert_eq!(
        a.stdout, b.stdout,
        "the working tree is HEAD: the same bytes"
    );
    assert_eq!(
        export(&repo, &[]).stdout,
        a.stdout,
        "a second run, the same bytes"
    );
    let doc = &a.stdout;
    for needle in [
        "\"format_version\": 1",
        "\"name\": \"demo\",\n    \"version\": \"1.4.0\"",
        "\"file\": \"goldens/vm_runtime_error.yaml\"",
        "\"message\": {\n          \"policy\": \"informational\",\n          \"declared\": true",
        "\"decodes_to\": {\n          \"policy\": \"contract\",\n          \"declared\": false",
        "\"id\": \"NotFound.empty\",\n          \"variant\": \"NotFound\"",
        "\"id\": \"from_code.404\",\n          \"variant\": null",
        "\"reason\": \"removed in 1.3: use NotFound\",\n          \"reserved\": {\n            \"code\": 410",
    ] {
        assert!(doc.contains(needle), "{needle} missing:\n{doc}");
    }
    {
        let python = crate::support::python_with_jsonschema(
            "export_twice_gives_identical_bytes_that_validate_against_the_schema",
        );
        assert_eq!(schema_errors(&python, doc), None);
        // The check can fail: a document off the schema is refused.
        let off = doc.replace("\"informational\"", "\"loose\"");
        assert!(schema_errors(&python, &off).is_some());
    }
}

#[test]
fn export_at_a_ref_reads_the_release_not_the_working_tree() {
    let repo = released();
    repo.edit_golden("queue 'a' not found", "no queue named 'a'");
    repo.write("Cargo.toml", &manifest("1.4.1"));
    let today = export(&repo, &[]);
    assert!(today.stdout.contains("no queue named 'a'"), "{today:?}");
    assert!(today.stdout.contains("\"version\": \"1.4.1\""), "{today:?}");
    let release = export(&repo, &["--at", "v1.4.0"]);
    assert_eq!(release.code, 0, "{release:?}");
    assert!(
        release.stdout.contains("queue 'a' not found"),
        "{release:?}"
    );
    assert!(
        release.stdout.contains("\"version\": \"1.4.0\""),
        "{release:?}"
    );
    // The gate's ref rules: an option-looking ref is refused before git runs.
    let bad = export(&repo, &["--at", "--upload-pack=x"]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

/// A golden of a format this tool does not read is refused by name.
#[test]
fn export_of_a_newer_golden_format_says_which_file_and_what_to_install() {
    let repo = released();
    repo.edit_golden("format: 2", "format: 3");
    let run = export(&repo, &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("goldens/vm_runtime_error.yaml:2: is golden format 3; this wire-compat"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("cargo install --locked cargo-wire-compat"),
        "{run:?}"
    );
    assert!(run.stdout.is_empty(), "{run:?}");
}
