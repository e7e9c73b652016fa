//! One classified difference between two sets of goldens: its [`Kind`], the level that
//! kind needs, and where it is in today's golden and in the baseline's.
//!
//! Kept apart from the comparison ([`super::classify`]) because every output format
//! reads changes, while only the classifier makes them.

use super::semver::Level;
use wire_compat::{Entry, Value};

/// What kind of difference a [`WireChange`] is; decides its level and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A contract field's value changed (undeclared fields are contract): a client
    /// relying on the old value breaks.
    ContractChanged,
    /// An informational field's value changed: clients were told not to rely on it,
    /// so a patch release carries it.
    InformationalChanged,
    /// A contract field of a live case is gone.
    FieldRemoved,
    /// An informational field of a live case is gone.
    InformationalRemoved,
    /// A field's declared policy went from contract to informational: the promise
    /// clients were given is withdrawn.
    PolicyLoosened,
    /// A field's declared policy went from informational to contract: a new promise.
    PolicyTightened,
    /// A live case gained a field.
    FieldAdded,
    /// A case of a variant the baseline did not have: a new variant on the wire.
    CaseAdded,
    /// A new sample or probe (`Variant.label`, `from_code.N`) of a variant or table the
    /// baseline already had: more test data, the same shipped wire.
    CoverageAdded,
    /// A live case was deleted without a tombstone.
    CaseRemoved,
    /// A live case became a tombstone (`retired` added, entry kept).
    CaseRetired,
    /// A tombstone came back to life: the case is on the wire again.
    CaseRevived,
    /// A tombstone was deleted: its codes are no longer reserved and may be reused.
    TombstoneRemoved,
    /// A tombstone for a case the baseline never had: reserves ids, changes no wire fact.
    TombstoneAdded,
    /// A tombstone stopped reserving one of its integer codes (changed or dropped).
    ReservationChanged,
    /// A live case uses an integer a tombstone of the same golden reserves (same field,
    /// same value): the suite's reserved-code check refuses it, and a client of the old
    /// release would read the code as the retired case.
    ReservedCodeReused,
    /// A tombstone's other fields (its reason, say) changed: no wire effect.
    TombstoneEdited,
    /// A golden file is new: a new wire type.
    FileAdded,
    /// A golden file is gone: a whole wire type was removed.
    FileRemoved,
    /// The file's text differs but every entry is the same (order, quoting, comments).
    Reformatted,
}

impl Kind {
    /// The bump this kind of change needs.
    pub fn level(self) -> Level {
        match self {
            Kind::ContractChanged
            | Kind::FieldRemoved
            | Kind::PolicyLoosened
            | Kind::CaseRemoved
            | Kind::TombstoneRemoved
            | Kind::ReservationChanged
            | Kind::ReservedCodeReused
            | Kind::FileRemoved => Level::Major,
            Kind::InformationalChanged | Kind::InformationalRemoved => Level::Patch,
            Kind::FieldAdded
            | Kind::PolicyTightened
            | Kind::CaseAdded
            | Kind::CaseRetired
            | Kind::CaseRevived
            | Kind::FileAdded => Level::Minor,
            Kind::CoverageAdded
            | Kind::TombstoneAdded
            | Kind::TombstoneEdited
            | Kind::Reformatted => Level::None,
        }
    }

    /// A stable machine name for JSON (`message-changed`).
    pub fn id(self) -> &'static str {
        match self {
            Kind::ContractChanged => "contract-changed",
            Kind::InformationalChanged => "informational-changed",
            Kind::FieldRemoved => "field-removed",
            Kind::InformationalRemoved => "informational-removed",
            Kind::PolicyLoosened => "policy-loosened",
            Kind::PolicyTightened => "policy-tightened",
            Kind::FieldAdded => "field-added",
            Kind::CaseAdded => "case-added",
            Kind::CoverageAdded => "coverage-added",
            Kind::CaseRemoved => "case-removed",
            Kind::CaseRetired => "case-retired",
            Kind::CaseRevived => "case-revived",
            Kind::TombstoneRemoved => "tombstone-removed",
            Kind::TombstoneAdded => "tombstone-added",
            Kind::ReservationChanged => "reservation-changed",
            Kind::ReservedCodeReused => "reserved-code-reused",
            Kind::TombstoneEdited => "tombstone-edited",
            Kind::FileAdded => "file-added",
            Kind::FileRemoved => "file-removed",
            Kind::Reformatted => "reformatted",
        }
    }
}

/// A value on one side of a change: one field's value, or a whole entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// One field's value.
    Value(Value),
    /// A whole case (added, removed, retired).
    Entry(Entry),
}

/// One classified difference of the wire contract between two releases, located in
/// today's golden and in the baseline's (named apart from a pending `Change`, which is
/// one case a test run saw differ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireChange {
    /// The golden's stem, the `<file>` of the trial name.
    pub stem: String,
    /// Today's golden path as shown (present even when the file is gone, for annotations).
    pub file: String,
    /// The line in today's file (the changed field's line when there is one).
    pub line: Option<usize>,
    /// The baseline's golden path as shown (`v1.4.0:goldens/x.yaml`).
    pub old_file: String,
    /// The line in the baseline's file, for changes that no longer have a line today.
    pub old_line: Option<usize>,
    /// The case id, or `None` for a whole-file change.
    pub case: Option<String>,
    /// The field, for field-level changes.
    pub field: Option<String>,
    /// What happened.
    pub kind: Kind,
    /// The baseline's side, when it has one.
    pub old: Option<Shown>,
    /// Today's side, when it has one.
    pub new: Option<Shown>,
}

impl WireChange {
    /// The bump this change needs.
    pub fn level(&self) -> Level {
        self.kind.level()
    }

    /// `<file>::<case>`, the name the compat suite's trial has (or the file's stem).
    pub fn trial(&self) -> String {
        match &self.case {
            Some(id) => format!("{}::{id}", self.stem),
            None => self.stem.clone(),
        }
    }

    /// What happened, in words: `message changed`, `field \`x\` removed`, ...
    pub fn describe(&self) -> String {
        // A field name is data from a golden: shown as a YAML key (quoted and escaped
        // unless plain), so no newline or control character of it reaches a report.
        let field = key(self.field.as_deref().unwrap_or("?"));
        match self.kind {
            Kind::ContractChanged => format!("contract field `{field}` changed"),
            Kind::InformationalChanged => format!("informational field `{field}` changed"),
            Kind::FieldRemoved => format!("field `{field}` removed"),
            Kind::InformationalRemoved => format!("informational field `{field}` removed"),
            Kind::PolicyLoosened => {
                format!("field `{field}` loosened from contract to informational")
            }
            Kind::PolicyTightened => {
                format!("field `{field}` tightened from informational to contract")
            }
            Kind::FieldAdded => format!("field `{field}` added"),
            Kind::CaseAdded => "case added".into(),
            Kind::CoverageAdded => "coverage added (a sample of a shipped variant)".into(),
            Kind::CaseRemoved => "case removed without a tombstone".into(),
            Kind::CaseRetired => "case retired".into(),
            Kind::CaseRevived => "retired case revived".into(),
            Kind::TombstoneRemoved => "tombstone removed (its codes are free again)".into(),
            Kind::TombstoneAdded => "tombstone added".into(),
            Kind::ReservationChanged => format!("reserved code `{field}` changed"),
            Kind::ReservedCodeReused => {
                format!("field `{field}` reuses a code a tombstone reserves")
            }
            Kind::TombstoneEdited => "tombstone edited".into(),
            Kind::FileAdded => "golden file added".into(),
            Kind::FileRemoved => "golden file removed".into(),
            Kind::Reformatted => "formatting only".into(),
        }
    }

    /// Where to look: today's `file:line`, else the baseline's (`v1.4.0:goldens/x.yaml:12`).
    pub fn location(&self) -> String {
        match (self.line, self.old_line) {
            (Some(l), _) => format!("{}:{l}", self.file),
            (None, Some(l)) => format!("{}:{l}", self.old_file),
            (None, None) if self.kind == Kind::FileRemoved => self.old_file.clone(),
            (None, None) => self.file.clone(),
        }
    }
}

/// A field name as the golden writes it: plain when that is unambiguous, else
/// double-quoted with every control character escaped (`"a\n::error"`).
pub fn key(name: &str) -> String {
    let mut out = String::new();
    wire_compat::_support::push_key(&mut out, name);
    out
}
