//! The failure reports users act on, pinned as insta snapshots: each kind of failure
//! is shown to fail, and its text (location, diff, approval command) is fixed here.

use std::fs;
use std::path::Path;
use wire_compat::_support::{Approver, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Entry, Suite};

const HEADER: &str = "# test golden\n";

/// A suite over a fresh goldens folder holding `files`, plain output, writing nothing.
fn suite(files: &[(&str, &str)]) -> (tempfile::TempDir, Suite) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let suite = Suite::new(dir.path())
        .settings(Settings::from_values(Some("true"), None))
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .shown_dir("goldens");
    (dir, suite)
}

fn messages(name: &'static str, cases: &'static [(&'static str, &'static str)]) -> Catalog {
    Catalog::new(name, move || {
        cases
            .iter()
            .map(|(id, m)| Case::message(*id, *m).of_variant(id.split('.').next().unwrap_or(id)))
            .collect()
    })
}

/// Runs the suite; returns the failing checks' names and reports, and how many passed.
fn failures(suite: &Suite) -> (Vec<(String, String)>, usize) {
    let mut failed = Vec::new();
    let mut passed = 0;
    for (name, result) in suite.run_all() {
        match result {
            Ok(()) => passed += 1,
            Err(report) => failed.push((name, report)),
        }
    }
    (failed, passed)
}

fn only_failure(suite: &Suite) -> (String, String) {
    let (mut failed, _) = failures(suite);
    assert_eq!(
        failed.len(),
        1,
        "expected exactly one failing trial: {failed:#?}"
    );
    failed.remove(0)
}

const ERRORS: &str = "# test golden\ncases:\n  NotFound:\n    message: \"vm 'a' not found\"\n  Poisoned:\n    message: \"state lock poisoned\"\n";

#[test]
fn matching_goldens_pass() {
    let (_dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let suite = suite.catalog(
        messages(
            "errors",
            &[
                ("NotFound", "vm 'a' not found"),
                ("Poisoned", "state lock poisoned"),
            ],
        )
        .variants(&["NotFound", "Poisoned"]),
    );
    let (failed, passed) = failures(&suite);
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, 3, "two cases and the variant-coverage check");
}

#[test]
fn drifted_message_fails_with_a_diff_and_the_approval_command() {
    let (_dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let suite = suite.catalog(messages(
        "errors",
        &[
            ("NotFound", "vm 'a' was not found"),
            ("Poisoned", "state lock poisoned"),
        ],
    ));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "errors::NotFound");
    assert!(report.contains("-    message: \"vm 'a' not found\""));
    assert!(report.contains("+    message: \"vm 'a' was not found\""));
    insta::assert_snapshot!("drift", report);
}

#[test]
fn case_without_golden_entry_fails_as_unapproved() {
    let (_dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let suite = suite.catalog(messages(
        "errors",
        &[
            ("NotFound", "vm 'a' not found"),
            ("Poisoned", "state lock poisoned"),
            ("Fenced", "resource fenced"),
        ],
    ));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "errors::Fenced");
    insta::assert_snapshot!("new_case", report);
}

#[test]
fn case_without_golden_file_fails_as_unapproved() {
    let (_dir, suite) = suite(&[]);
    let suite = suite.catalog(messages("errors", &[("Fenced", "resource fenced")]));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "errors::Fenced");
    insta::assert_snapshot!("new_file", report);
}

#[test]
fn golden_entry_without_case_fails_as_orphan() {
    let (_dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let suite = suite.catalog(messages("errors", &[("NotFound", "vm 'a' not found")]));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "errors::Poisoned");
    insta::assert_snapshot!("orphan", report);
}

#[test]
fn remapped_code_fails_in_the_direction_that_broke() {
    let golden = "cases:\n  Fenced:\n    message: \"resource fenced\"\n    status: -3\n  from_status.-3:\n    decodes_to: \"Fenced\"\n";
    let (_dir, suite) = suite(&[("fabric.yaml", golden)]);
    // Encoding still says -3 but decoding -3 now yields Revoked: only that direction fails.
    let suite = suite.catalog(Catalog::new("fabric", || {
        vec![
            Case::new(
                "Fenced",
                Entry::new()
                    .with("message", "resource fenced")
                    .with("status", -3),
            ),
            Case::new("from_status.-3", Entry::new().with("decodes_to", "Revoked")),
        ]
    }));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "fabric::from_status.-3");
    insta::assert_snapshot!("code_decoding", report);

    let (_dir, suite) = self::suite(&[("fabric.yaml", golden)]);
    let suite = suite.catalog(Catalog::new("fabric", || {
        vec![
            Case::new(
                "Fenced",
                Entry::new()
                    .with("message", "resource fenced")
                    .with("status", -9),
            ),
            Case::new("from_status.-3", Entry::new().with("decodes_to", "Fenced")),
        ]
    }));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "fabric::Fenced");
    insta::assert_snapshot!("code_encoding", report);
}

#[test]
fn broken_version_rule_case_fails() {
    let golden = "cases:\n  v5.1.0_vs_5.0.0:\n    accepted: false\n    found: \"5.1.0\"\n    message: \"snapshot version 5.1.0 is incompatible with squib's 5.0.0\"\n    ours: \"5.0.0\"\n";
    let (_dir, suite) = suite(&[("rule.yaml", golden)]);
    let suite = suite.catalog(Catalog::new("rule", || {
        vec![Case::new(
            "v5.1.0_vs_5.0.0",
            Entry::new()
                .with("found", "5.1.0")
                .with("ours", "5.0.0")
                .with("accepted", true)
                .with("message", None::<String>),
        )]
    }));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "rule::v5.1.0_vs_5.0.0");
    insta::assert_snapshot!("rule", report);
}

#[test]
fn malformed_yaml_fails_its_cases_with_file_line_column_and_spares_other_files() {
    let broken = "cases:\n  NotFound:\n    message: \"unterminated\n  Poisoned: [\n";
    let (_dir, suite) = suite(&[
        ("errors.yaml", broken),
        ("other.yaml", "cases:\n  Ok:\n    message: \"fine\"\n"),
    ]);
    let suite = suite
        .catalog(messages("errors", &[("NotFound", "vm 'a' not found")]))
        .catalog(messages("other", &[("Ok", "fine")]));
    let (failed, passed) = failures(&suite);
    assert_eq!(passed, 1, "the other file's trial still runs and passes");
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].0, "errors::NotFound");
    insta::assert_snapshot!("malformed", failed[0].1);
}

#[test]
fn variant_without_sample_fails_the_coverage_check() {
    let (_dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let suite = suite.catalog(
        messages(
            "errors",
            &[
                ("NotFound", "vm 'a' not found"),
                ("Poisoned", "state lock poisoned"),
            ],
        )
        .variants(&["NotFound", "Poisoned", "Fenced"]),
    );
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "errors::@variants");
    insta::assert_snapshot!("variants", report);
}

#[test]
fn golden_file_without_catalog_fails() {
    let (_dir, suite) = suite(&[("errors.yaml", ERRORS), ("gone.yaml", ERRORS)]);
    let suite = suite.catalog(messages(
        "errors",
        &[
            ("NotFound", "vm 'a' not found"),
            ("Poisoned", "state lock poisoned"),
        ],
    ));
    let (name, report) = only_failure(&suite);
    assert_eq!(name, "gone::@file");
    insta::assert_snapshot!("orphan_file", report);
}

#[test]
fn retired_entry_passes_but_keeps_its_code_reserved() {
    let golden = "cases:\n  Fenced:\n    message: \"resource fenced\"\n    status: -3\n  Old:\n    message: \"old\"\n    retired: \"removed in 1.2.0\"\n    status: -5\n";
    let (_dir, suite) = suite(&[("fabric.yaml", golden)]);
    let fine = suite.catalog(Catalog::new("fabric", || {
        vec![Case::new(
            "Fenced",
            Entry::new()
                .with("message", "resource fenced")
                .with("status", -3),
        )]
    }));
    let (failed, passed) = failures(&fine);
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(passed, 2);

    let (_dir, suite) = self::suite(&[("fabric.yaml", golden)]);
    let reuse = suite.catalog(Catalog::new("fabric", || {
        vec![
            Case::new(
                "Fenced",
                Entry::new()
                    .with("message", "resource fenced")
                    .with("status", -3),
            ),
            Case::new(
                "New",
                Entry::new().with("message", "new").with("status", -5),
            ),
        ]
    }));
    let (failed, _) = failures(&reuse);
    let names: Vec<&str> = failed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fabric::Old", "fabric::New"], "{failed:#?}");
    insta::assert_snapshot!("reserved_code", failed[0].1);
}

#[test]
fn ci_with_update_goldens_fails_and_writes_nothing() {
    let (dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let before = fs::read(dir.path().join("errors.yaml")).unwrap();
    let suite = suite
        .settings(Settings::from_values(Some("true"), Some("1")))
        .catalog(messages("errors", &[("NotFound", "vm 'a' was not found")]));
    let (failed, _) = failures(&suite);
    let names: Vec<&str> = failed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "@settings::UPDATE_GOLDENS",
            "errors::Poisoned",
            "errors::NotFound"
        ]
    );
    assert_eq!(fs::read(dir.path().join("errors.yaml")).unwrap(), before);
    assert!(
        !dir.path().join(".pending").exists(),
        "CI must not write pending changes"
    );
    insta::assert_snapshot!("ci_update", failed[0].1);
}

#[test]
fn update_mode_rewrites_only_what_changed_and_passes() {
    let (dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let suite = suite
        .settings(Settings::from_values(None, Some("1")))
        .catalog(messages(
            "errors",
            &[
                ("NotFound", "vm 'a' was not found"),
                ("Fenced", "resource fenced"),
            ],
        ));
    let (failed, _) = failures(&suite);
    assert!(failed.is_empty(), "{failed:#?}");
    let text = fs::read_to_string(dir.path().join("errors.yaml")).unwrap();
    assert_eq!(
        text,
        // `UPDATE_GOLDENS=1` also brings the golden to the current format.
        "# test golden\nformat: 2\ncases:\n  Fenced:\n    message: \"resource fenced\"\n  NotFound:\n    message: \"vm 'a' was not found\"\n"
    );
    assert!(HEADER.len() < text.len());
}

#[test]
fn failing_run_records_pending_changes_and_a_passing_run_clears_them() {
    let (dir, suite) = suite(&[("errors.yaml", ERRORS)]);
    let drifted = suite
        .settings(Settings::from_values(None, None))
        .catalog(messages(
            "errors",
            &[
                ("NotFound", "vm 'a' was not found"),
                ("Poisoned", "state lock poisoned"),
            ],
        ));
    let (failed, _) = failures(&drifted);
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].1.contains("pending change recorded in"),
        "{}",
        failed[0].1
    );
    let pending = dir.path().join(".pending/errors/NotFound.yaml");
    assert!(pending.is_file());

    let fixed = Suite::new(dir.path())
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .catalog(messages(
            "errors",
            &[
                ("NotFound", "vm 'a' not found"),
                ("Poisoned", "state lock poisoned"),
            ],
        ));
    let (failed, _) = failures(&fixed);
    assert!(failed.is_empty());
    assert!(
        !Path::new(&pending).exists(),
        "a matching case drops its stale pending change"
    );
}
