//! A catalog: everything the suite needs to know about one golden file's cases.

use crate::case::Case;

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
    pub(crate) render: Render,
}

impl Catalog {
    /// A catalog for `goldens/<name>.yaml` whose cases come from `render`.
    ///
    /// `name` must pass [`crate::case::check_stem`]; the suite reports a bad name as a
    /// failing trial rather than panicking.
    pub fn new(
        name: impl Into<String>,
        render: impl Fn() -> Vec<Case> + Send + Sync + 'static,
    ) -> Self {
        Catalog {
            name: name.into(),
            about: Vec::new(),
            variants: None,
            render: Box::new(render),
        }
    }

    /// Lines for the golden file's header comment: what the file pins and where the
    /// facts come from. The approval instructions are added by the framework.
    pub fn about(mut self, lines: &[&str]) -> Self {
        self.about = lines.iter().map(|l| (*l).to_owned()).collect();
        self
    }

    /// Declares every variant of the type (e.g. `wire_enum!`'s `VARIANTS`), so the
    /// suite fails on a variant that no case samples — a new variant nobody approved.
    pub fn variants(mut self, names: &[&'static str]) -> Self {
        self.variants = Some(names.to_vec());
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
