//! The gate's outcomes as one JSON document for tools (`--format json`).
//!
//! The documented shape (CONTRIBUTING.md, "Releasing", `format_version` 2) is the type
//! [`Document`]: serde_json writes it and escapes every string, and tests read it back
//! into the same type. Tools parse it and must learn of a change, so a change of shape
//! raises [`FORMAT_VERSION`].

use super::change::Shown;
use super::report::{Gated, Outcome};
use crate::json::{to_text, FieldValue, Fields};
use serde::{Deserialize, Serialize};

/// The version of the document's shape. 1 was the unversioned single-crate object
/// before workspaces; 2 holds one object per crate under `crates`.
pub const FORMAT_VERSION: u32 = 2;

/// The whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Every crate covered or had nothing to compare.
    pub ok: bool,
    /// `--report-only` was given.
    pub report_only: bool,
    /// One object per gated crate.
    pub crates: Vec<CrateJson>,
}

/// One crate's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateJson {
    /// The package name.
    #[serde(rename = "crate")]
    pub krate: String,
    /// Its Cargo.toml as shown.
    pub manifest: String,
    /// `covered`, `refused`, `first-release` or `error`.
    pub status: String,
    /// `status` is `covered` or `first-release`.
    pub ok: bool,
    /// The verdict line.
    pub summary: String,
    /// The full error message.
    pub error: Option<String>,
    /// The ref or folder compared with.
    pub baseline: Option<String>,
    /// Why it was picked.
    pub baseline_reason: Option<String>,
    /// What else to know.
    pub note: Option<String>,
    /// The baseline's version.
    pub baseline_version: Option<String>,
    /// Today's version.
    pub version: Option<String>,
    /// Which number moved.
    pub bump: Option<String>,
    /// What that bump is worth.
    pub bump_level: Option<String>,
    /// The highest level among the changes.
    pub required: Option<String>,
    /// The lowest version that would cover the changes.
    pub smallest_version: Option<String>,
    /// What the gate warns about (a tag whose name and Cargo.toml disagree, ...).
    pub warnings: Vec<String>,
    /// Every difference.
    pub changes: Vec<ChangeJson>,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeJson {
    /// Today's golden.
    pub file: String,
    /// The changed field's line today.
    pub line: Option<usize>,
    /// The baseline's golden.
    pub old_file: String,
    /// The line there.
    pub old_line: Option<usize>,
    /// `<file>::<case>`.
    pub trial: String,
    /// The case id.
    pub case: Option<String>,
    /// The field.
    pub field: Option<String>,
    /// The kind's id.
    pub kind: String,
    /// The kind in words.
    pub description: String,
    /// The bump it needs.
    pub level: String,
    /// The value or entry before; absent when that side has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<ShownJson>,
    /// The value or entry after; absent when that side has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<ShownJson>,
}

/// One side of a change: a field's value, or a whole entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ShownJson {
    /// A field's value.
    Value(FieldValue),
    /// A whole entry.
    Entry(Fields),
}

impl From<&Shown> for ShownJson {
    fn from(s: &Shown) -> ShownJson {
        match s {
            Shown::Value(v) => ShownJson::Value(v.into()),
            Shown::Entry(e) => ShownJson::Entry(e.into()),
        }
    }
}

/// The outcomes as the typed document.
pub fn document(outcomes: &[Outcome], report_only: bool) -> Document {
    let ok = outcomes.iter().all(|o| match &o.result {
        Ok(Gated::Compared(r)) => r.ok(),
        Ok(Gated::FirstRelease { .. }) => true,
        Err(_) => false,
    });
    Document {
        format_version: FORMAT_VERSION,
        ok,
        report_only,
        crates: outcomes.iter().map(crate_json).collect(),
    }
}

/// The outcomes as one JSON object (fields: CONTRIBUTING.md, "Releasing").
pub fn render(outcomes: &[Outcome], report_only: bool) -> String {
    to_text(&document(outcomes, report_only), 4)
}

/// One crate's object.
fn crate_json(o: &Outcome) -> CrateJson {
    let (status, report) = match &o.result {
        Ok(Gated::Compared(r)) if r.ok() => ("covered", Some(r)),
        Ok(Gated::Compared(r)) => ("refused", Some(r)),
        Ok(Gated::FirstRelease { .. }) => ("first-release", None),
        Err(_) => ("error", None),
    };
    let first_version = match &o.result {
        Ok(Gated::FirstRelease { version, .. }) => Some(version.to_string()),
        _ => None,
    };
    let (why, note) = match &o.result {
        Ok(Gated::Compared(r)) => (Some(r.why.clone()), r.note.clone()),
        Ok(Gated::FirstRelease { why, note, .. }) => (Some(why.clone()), note.clone()),
        Err(_) => (None, None),
    };
    let changes = report.map_or(&[][..], |r| &r.changes[..]);
    CrateJson {
        krate: o.krate.clone(),
        manifest: o.manifest.clone(),
        status: status.to_owned(),
        ok: status != "refused" && status != "error",
        summary: o.summary(),
        error: o.result.as_ref().err().map(ToString::to_string),
        baseline: report.map(|r| r.baseline.clone()),
        baseline_reason: why,
        note,
        baseline_version: report.map(|r| r.bump.from.to_string()),
        version: report.map(|r| r.bump.to.to_string()).or(first_version),
        bump: report.map(|r| r.bump.kind_name().to_owned()),
        bump_level: report.map(|r| r.bump.level.name().to_owned()),
        required: report.map(|r| r.required.name().to_owned()),
        smallest_version: report.and_then(|r| r.smallest()).map(|v| v.to_string()),
        warnings: o.warnings().to_vec(),
        changes: changes
            .iter()
            .map(|c| ChangeJson {
                file: c.file.clone(),
                line: c.line,
                old_file: c.old_file.clone(),
                old_line: c.old_line,
                trial: c.trial(),
                case: c.case.clone(),
                field: c.field.clone(),
                kind: c.kind.id().to_owned(),
                description: c.describe(),
                level: c.level().name().to_owned(),
                old: c.old.as_ref().map(ShownJson::from),
                new: c.new.as_ref().map(ShownJson::from),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::classify::{compare, Golden, GoldenSet};
    use crate::gate::error::GateError;
    use crate::gate::report::Report;
    use crate::gate::semver::Bump;
    use crate::json::documented;
    use semver::Version;

    fn set(text: &str) -> GoldenSet {
        let file =
            wire_compat::_support::parse(std::path::Path::new("x.yaml"), text.as_bytes()).unwrap();
        let golden = Golden {
            shown: "goldens/x.yaml".into(),
            text: text.into(),
            file,
        };
        GoldenSet::from([("x".to_owned(), golden)])
    }

    fn outcomes() -> Vec<Outcome> {
        let old = set("cases:\n  A:\n    message: \"a\"\n  B:\n    code: 1\n");
        let new = set("cases:\n  A:\n    message: \"a\\n::error::x\"\n  C:\n    code: 2\n");
        let changes = compare(&old, &new, &|stem| format!("goldens/{stem}.yaml"));
        let bump = Bump::between(&Version::new(1, 4, 0), &Version::new(1, 4, 1));
        let report = Report::new(
            ("v1.4.0".into(), "given with --against".into(), None),
            bump,
            changes,
            false,
        );
        vec![
            Outcome {
                krate: "api".into(),
                manifest: "Cargo.toml".into(),
                result: Ok(Gated::Compared(report)),
            },
            Outcome {
                krate: "cli".into(),
                manifest: "cli/Cargo.toml".into(),
                result: Err(GateError::Usage("bad".into())),
            },
        ]
    }

    #[test]
    fn the_gate_json_reads_back_into_its_type_and_matches_its_documentation() {
        let outcomes = outcomes();
        let text = render(&outcomes, false);
        let back: Document = serde_json::from_str(&text).unwrap();
        assert_eq!(back, document(&outcomes, false));
        assert_eq!(back.format_version, 2);
        assert!(!back.ok);
        let api = &back.crates[0];
        assert_eq!(api.status, "refused");
        assert!(api.changes.iter().any(|c| c.kind == "contract-changed"
            && c.new == Some(ShownJson::Value(FieldValue::Str("a\n::error::x".into())))));
        assert!(api
            .changes
            .iter()
            .any(|c| c.old.is_none() && matches!(c.new, Some(ShownJson::Entry(_)))));
        assert_eq!(back.crates[1].status, "error");
        let Some(doc) = documented::contributing() else {
            eprintln!("skipped the documentation check: no CONTRIBUTING.md beside the package");
            return;
        };
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            documented::fields(&doc, "### `--format json`"),
            documented::keys(&value),
        );
    }
}
