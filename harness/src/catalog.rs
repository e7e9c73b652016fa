//! A catalog and its cases: everything the suite needs to know about one golden file.

use crate::entry::Entry;
use std::collections::BTreeMap;

type Render = Box<dyn Fn() -> Vec<Case> + Send + Sync>;

/// The cases of one wire type, checked against one golden file.
///
/// The framework knows nothing of the types it checks: a catalog is a name (the golden
/// file's stem), a few lines saying what the file pins, optionally the full list of
/// variant names (so a variant without a case fails the suite), and a function that
/// renders the cases. Rendering is deferred so that listing or running one trial does
/// not pay for catalogs it does not need.
pub struct Catalog {
    pub(crate) name: String,
    pub(crate) about: Vec<String>,
    pub(crate) variants: Option<Vec<&'static str>>,
    pub(crate) policy: BTreeMap<String, Policy>,
    pub(crate) render: Render,
}

/// What a catalog promises about one field, and so which release a change of its
/// values needs (the release gate reads it from the golden at both refs).
///
/// Declared per field with [`Catalog::field`]; a field a catalog does not declare is
/// [`Policy::Contract`], so forgetting a declaration never lets a change through.
/// Loosening a field (contract to informational) is itself a breaking change: clients
/// built against the old promise may rely on the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Policy {
    /// Clients may rely on the exact value: any change needs a major release.
    Contract,
    /// For people, not programs (a debug string under AIP-193): a change needs only a
    /// patch release, and clients must not match on it.
    Informational,
}

impl Policy {
    /// The word a golden stores (`contract`, `informational`).
    pub fn name(self) -> &'static str {
        match self {
            Policy::Contract => "contract",
            Policy::Informational => "informational",
        }
    }

    /// The policy a golden's word names, if any.
    pub fn from_name(name: &str) -> Option<Policy> {
        match name {
            "contract" => Some(Policy::Contract),
            "informational" => Some(Policy::Informational),
            _ => None,
        }
    }
}

impl Catalog {
    /// A catalog for `goldens/<name>.yaml` whose cases come from `render`.
    ///
    /// `name` must pass [`crate::id::check_stem`]; the suite reports a bad name as a
    /// failing trial rather than panicking.
    pub fn new(
        name: impl Into<String>,
        render: impl Fn() -> Vec<Case> + Send + Sync + 'static,
    ) -> Self {
        Catalog {
            name: name.into(),
            about: Vec::new(),
            variants: None,
            policy: BTreeMap::new(),
            render: Box::new(render),
        }
    }

    /// Lines for the golden file's header comment: what the file pins and where the
    /// facts come from. The approval instructions are added by the framework.
    #[must_use]
    pub fn about(mut self, lines: &[&str]) -> Self {
        self.about = lines.iter().map(|l| (*l).to_owned()).collect();
        self
    }

    /// Declares every variant of the type (e.g. strum's `VariantNames::VARIANTS`), so the
    /// suite fails on a variant that no case samples — a new variant nobody approved.
    ///
    /// The list is stored in the golden (`variants:`), and with it which case samples
    /// which variant: a case tagged [`Case::of_variant`] must be named `Variant` or
    /// `Variant.<label>`, and an untagged case must not start with a declared variant's
    /// name (the suite's `@catalog` trial fails otherwise), so a golden's ids say
    /// exactly what the catalog tagged and tools reading the golden need no catalog.
    #[must_use]
    pub fn variants(mut self, names: &[&'static str]) -> Self {
        self.variants = Some(names.to_vec());
        self
    }

    /// Declares what field `name` promises (see [`Policy`]); stored in the golden's
    /// `policy:` so that the release gate judges a change by the promise made at both
    /// releases. Undeclared fields are [`Policy::Contract`]; declaring one contract
    /// explicitly documents it for clients (the exported contract lists it).
    #[must_use]
    pub fn field(mut self, name: &str, policy: Policy) -> Self {
        self.policy.insert(name.to_owned(), policy);
        self
    }

    /// The golden file's stem.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renders the cases now.
    pub fn cases(&self) -> Vec<Case> {
        (self.render)()
    }
}

/// One rendered sample: the unit that gets one golden entry and one trial.
///
/// `id` names the case inside its golden file (`VmNotFound`, `VmNotFound.empty`,
/// `from_status.-3`); the trial is `<file>::<id>`. `variant` ties the case to the enum
/// variant it exercises, so the suite can prove every variant has at least one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The case's name inside its golden file; see `check_id` in the id rules for the allowed form.
    pub id: String,
    /// The enum variant this case samples, when the catalog tracks variants.
    pub variant: Option<&'static str>,
    /// The rendered wire facts, compared with the golden entry.
    pub entry: Entry,
}

impl Case {
    /// A case with the given id and rendered fields.
    pub fn new(id: impl Into<String>, entry: Entry) -> Self {
        Case {
            id: id.into(),
            variant: None,
            entry,
        }
    }

    /// A case whose only pinned fact is a wire message (the common case).
    pub fn message(id: impl Into<String>, message: impl Into<String>) -> Self {
        Case::new(id, Entry::new().with("message", message.into()))
    }

    /// Records which variant this case samples (for the variant-coverage check).
    #[must_use]
    pub fn of_variant(mut self, variant: &'static str) -> Self {
        self.variant = Some(variant);
        self
    }
}
