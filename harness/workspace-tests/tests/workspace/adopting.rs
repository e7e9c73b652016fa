//! The two ways to adopt the suite without changing a type's public dependencies
//! (`examples/adopt-feature`, `examples/adopt-by-hand`), beside the default
//! (`examples/adopt`): what each costs a dependent, and that each still catches a new
//! variant.

use crate::support::{cargo, outcome, scrub, write};
use crate::workspace_root;
use std::path::Path;
use std::process::Command;

/// `cargo tree` of one workspace package's normal dependencies, one name a line.
fn normal_dependencies(package: &str, features: &[&str]) -> String {
    let mut cmd = Command::new(cargo());
    cmd.args([
        "tree",
        "--offline",
        "-e",
        "normal",
        "--prefix",
        "none",
        "-p",
        package,
    ])
    .args(features)
    .current_dir(workspace_root());
    scrub(&mut cmd);
    let (ok, out) = outcome(&cmd.output().unwrap());
    assert!(ok, "cargo tree -p {package} failed:\n{out}");
    out
}

#[test]
fn the_feature_gated_way_gives_a_dependent_no_strum() {
    let plain = normal_dependencies("adopt-feature-example", &[]);
    assert!(
        !plain.contains("strum"),
        "a plain dependent builds strum:\n{plain}"
    );
    assert!(plain.contains("thiserror"), "{plain}");
    let asked = normal_dependencies("adopt-feature-example", &["--features", "variant-names"]);
    assert!(
        asked.contains("strum"),
        "the feature brings the derives:\n{asked}"
    );
    // The default way, for comparison: strum is a normal dependency of the library.
    let default = normal_dependencies("adopt-example", &[]);
    assert!(default.contains("strum"), "{default}");
}

/// Copies an example crate into a scratch workspace of its own, pointing at the
/// runtime by path, and returns the scratch folder (kept alive by `tmp`).
fn scratch_copy(example: &str, tmp: &Path) -> std::path::PathBuf {
    let from = workspace_root().join("examples").join(example);
    let to = tmp.join(example);
    for rel in ["src/lib.rs", "tests/compat.rs"] {
        write(&to, rel, &std::fs::read_to_string(from.join(rel)).unwrap());
    }
    for entry in std::fs::read_dir(from.join("goldens")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        write(
            &to,
            &format!("goldens/{name}"),
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
    let runtime = workspace_root().join("harness");
    let manifest = std::fs::read_to_string(from.join("Cargo.toml"))
        .unwrap()
        .replace("edition.workspace = true", "edition = \"2021\"")
        .replace("rust-version.workspace = true\n", "")
        .replace("license.workspace = true\n", "")
        .replace(
            "wire-compat = { path = \"../../harness\" }",
            &format!(
                "wire-compat = {{ path = {:?} }}",
                runtime.display().to_string()
            ),
        );
    write(&to, "Cargo.toml", &format!("{manifest}\n[workspace]\n"));
    std::fs::copy(workspace_root().join("Cargo.lock"), to.join("Cargo.lock")).unwrap();
    to
}

/// `cargo test` in a scratch crate, into the shared scratch target folder.
fn cargo_test(dir: &Path) -> (bool, String) {
    let target = std::env::current_exe()
        .unwrap()
        .ancestors()
        .nth(3)
        .unwrap()
        .join("tmp")
        .join("adopting-target");
    let mut cmd = Command::new(cargo());
    cmd.args(["test", "--offline", "-q"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("NO_COLOR", "1")
        .env("CI", "true");
    scrub(&mut cmd);
    cmd.env("CI", "true");
    outcome(&cmd.output().unwrap())
}

#[test]
fn each_way_catches_a_new_variant() {
    let tmp = tempfile::tempdir().unwrap();
    // Feature-gated derives: a variant without a sample fails `@variants`.
    let feature = scratch_copy("adopt-feature", tmp.path());
    let (ok, out) = cargo_test(&feature);
    assert!(ok, "the copy passes as it is:\n{out}");
    let lib = feature.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        text.replace(
            "    #[error(\"lease '{0}' expired\")]",
            "    /// New.\n    #[error(\"lease revoked\")]\n    Revoked,\n    #[error(\"lease '{0}' expired\")]",
        )
        .replace("LeaseError::Expired(_) => 410,", "LeaseError::Expired(_) => 410,\n            LeaseError::Revoked => 401,"),
    )
    .unwrap();
    let (ok, out) = cargo_test(&feature);
    assert!(!ok, "a new variant without a sample passed:\n{out}");
    assert!(out.contains("lease_error::@variants"), "{out}");
    assert!(out.contains("Revoked"), "{out}");

    // A hand list: the exhaustive `match` in the test stops the build.
    let by_hand = scratch_copy("adopt-by-hand", tmp.path());
    let lib = by_hand.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        text.replace(
            "    /// The target did not answer in time.",
            "    /// New.\n    #[error(\"probe refused\")]\n    Refused,\n    /// The target did not answer in time.",
        ),
    )
    .unwrap();
    let (ok, out) = cargo_test(&by_hand);
    assert!(!ok, "a new variant compiled:\n{out}");
    assert!(out.contains("E0004") && out.contains("Refused"), "{out}");
}
