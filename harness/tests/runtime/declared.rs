//! Declared field policies and variants (golden format 2): stored in the golden by
//! `UPDATE_GOLDENS=1`, checked by the `<file>::@declared` trial, read back by both
//! parsers, and a golden of a newer format refused by name.

use std::fs;
use wire_compat::_support::{load, parse, Approver, Color, Settings, SuiteExt, GOLDEN_FORMAT};
use wire_compat::{Case, Catalog, Entry, Policy, Suite};

fn catalog() -> Catalog {
    Catalog::new("alpha", || {
        vec![
            Case::new(
                "NotFound",
                Entry::new().with("message", "not found").with("code", 404),
            )
            .of_variant("NotFound"),
            Case::new(
                "NotFound.empty",
                Entry::new().with("message", "").with("code", 404),
            )
            .of_variant("NotFound"),
            Case::new("from_code.404", Entry::new().with("decodes_to", "NotFound")),
        ]
    })
    .variants(&["NotFound"])
    .field("message", Policy::Informational)
    .field("code", Policy::Contract)
}

fn suite(dir: &std::path::Path, update: Option<&str>) -> Suite {
    Suite::new(dir)
        .settings(Settings::from_values(None, update))
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .shown_dir("goldens")
        .catalog(catalog())
}

const FORMAT_1: &str = "cases:\n  NotFound:\n    code: 404\n    message: \"not found\"\n  NotFound.empty:\n    code: 404\n    message: \"\"\n  from_code.404:\n    decodes_to: \"NotFound\"\n";

/// A catalog that declares a field informational fails against a golden that does
/// not say so (the gate would judge the field by the golden), with the command that
/// writes the declaration; `UPDATE_GOLDENS=1` writes it, and the suite then passes.
#[test]
fn declarations_are_written_by_update_goldens_and_checked_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alpha.yaml");
    fs::write(&path, FORMAT_1).unwrap();
    let results = suite(dir.path(), Some("0")).run_all();
    let failed: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    assert_eq!(failed.len(), 1, "{results:#?}");
    let (name, report) = (&failed[0].0, failed[0].1.as_ref().unwrap_err());
    assert_eq!(name, "alpha::@declared");
    assert!(
        report.contains(
            "policy of field message: golden contract (undeclared) -> catalog informational"
        ),
        "{report}"
    );
    assert!(
        report.contains("-- alpha::@declared --exact")
            && report.contains("UPDATE_GOLDENS=1 cargo test"),
        "{report}"
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        FORMAT_1,
        "nothing written"
    );

    let results = suite(dir.path(), Some("1")).run_all();
    assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:#?}");
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        format!(
            "format: {GOLDEN_FORMAT}\npolicy:\n  code: contract\n  message: informational\nvariants:\n  - \"NotFound\"\n{FORMAT_1}"
        )
    );
    let file = load(&path).unwrap().unwrap();
    assert_eq!(file.format, GOLDEN_FORMAT);
    assert_eq!(file.declared.policy_of("message"), Policy::Informational);
    assert_eq!(file.declared.policy_of("decodes_to"), Policy::Contract);
    assert_eq!(file.declared.variant_of("NotFound.empty"), Some("NotFound"));
    assert_eq!(file.declared.variant_of("from_code.404"), None);
    let results = suite(dir.path(), Some("0")).run_all();
    assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:#?}");
    assert!(results.iter().all(|(n, _)| n != "alpha::@declared"));
}

/// Upgrading the runtime must not fail a suite: a golden of the first format (all
/// contract) passes while its catalog declares nothing informational.
#[test]
fn a_first_format_golden_passes_while_nothing_is_loosened() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("alpha.yaml"), FORMAT_1).unwrap();
    let strict = Catalog::new("alpha", catalog_cases).variants(&["NotFound"]);
    let results = Suite::new(dir.path())
        .settings(Settings::from_values(None, Some("0")))
        .color(Color::Off)
        .catalog(strict)
        .run_all();
    assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:#?}");
}

fn catalog_cases() -> Vec<Case> {
    catalog().cases()
}

/// Which case samples which variant is read from the golden, so the suite holds the
/// catalog to the naming tools rely on.
#[test]
fn a_tagged_case_named_after_another_variant_fails_the_variants_trial() {
    let dir = tempfile::tempdir().unwrap();
    let odd = Catalog::new("alpha", || {
        vec![
            Case::message("Missing", "x").of_variant("NotFound"),
            Case::message("NotFound.untagged", "y"),
        ]
    })
    .variants(&["NotFound"]);
    let results = Suite::new(dir.path())
        .settings(Settings::from_values(None, Some("0")))
        .color(Color::Off)
        .catalog(odd)
        .run_all();
    let report = results
        .iter()
        .find(|(n, _)| n == "alpha::@variants")
        .and_then(|(_, r)| r.as_ref().err())
        .expect("the variants trial fails");
    assert!(
        report.contains("case `Missing` samples variant `NotFound` but is not named"),
        "{report}"
    );
    assert!(
        report.contains(
            "case `NotFound.untagged` is named after variant `NotFound` but does not sample it"
        ),
        "{report}"
    );
}

/// A golden written by a newer wire-compat is refused by name: the file, the format
/// found and what to install, before anything else of it is read.
#[test]
fn a_newer_golden_format_is_refused_by_name() {
    for text in [
        "# h\nformat: 3\nwhatever: {}\ncases:\n  A: {}\n",
        "format: \"two\"\ncases:\n  A: {}\n",
    ] {
        let err = parse(std::path::Path::new("goldens/x.yaml"), text.as_bytes()).unwrap_err();
        let shown = err.to_string();
        assert!(shown.starts_with("goldens/x.yaml:"), "{shown}");
        assert!(shown.contains("is golden format "), "{shown}");
        assert!(shown.contains("reads formats 1 to 2"), "{shown}");
        assert!(
            shown.contains("cargo install --locked cargo-wire-compat"),
            "{shown}"
        );
    }
    // Declarations without `format: 2` are refused rather than half-read.
    let err = parse(
        std::path::Path::new("x.yaml"),
        b"policy:\n  message: informational\ncases:\n  A: {}\n",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("does not say `format: 2`"),
        "{err}"
    );
    // An unknown policy word is refused with its field.
    let err = parse(
        std::path::Path::new("x.yaml"),
        b"format: 2\npolicy:\n  message: loose\ncases:\n  A: {}\n",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("field `message` has policy \"loose\""),
        "{err}"
    );
}

/// Both parsers read the declarations alike; a hand-written (non-canonical) form is
/// read by serde to the same result.
#[test]
fn both_parsers_read_the_declarations_alike() {
    let canonical = "format: 2\npolicy:\n  code: contract\n  \"odd name\": informational\nvariants:\n  - \"B\"\n  - \"A\"\ncases:\n  A: {}\n  B: {}\n";
    let hand = "cases: {A: {}, B: {}}\nvariants: [B, A]\npolicy: {\"odd name\": informational, code: contract}\nformat: 2\n";
    let a = parse(std::path::Path::new("x.yaml"), canonical.as_bytes()).unwrap();
    let b = parse(std::path::Path::new("x.yaml"), hand.as_bytes()).unwrap();
    assert_eq!(a.declared, b.declared);
    assert_eq!(a.declared.variants, ["B", "A"]);
    assert_eq!(a.declared.policy_of("odd name"), Policy::Informational);
    assert_eq!((a.format, b.format), (2, 2));
}
