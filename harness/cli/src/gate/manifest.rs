//! A crate's name and version from its `Cargo.toml`, read as Cargo reads them.
//!
//! The manifest is parsed by a real TOML parser (the `toml` crate, the one Cargo
//! builds on), so multi-line strings, literal strings, escapes and comments mean
//! what they mean to Cargo: a hand-written reader once found a different version
//! than the one Cargo builds, and the gate then judged the wrong release.
//! `version.workspace = true` is resolved from `[workspace.package]` of the workspace
//! root's manifest, read from the same place (the working tree, or the same git ref).
//! Anything unreadable is an error naming the file and line, never a guess.

use super::error::{GateError, Result};
use semver::Version;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A manifest's text and how reports name it (`Cargo.toml`, `v1.4.0:api/Cargo.toml`).
#[derive(Debug, Clone)]
pub struct Source {
    /// The name in reports and errors.
    pub shown: String,
    /// The file's text.
    pub text: String,
}

/// A parsed manifest, with spans to name lines in errors.
pub struct Manifest<'a> {
    src: &'a Source,
    top: DeTable<'a>,
}

/// The members of a `[workspace]` as written: paths and globs, relative to the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members {
    /// `members`.
    pub members: Vec<String>,
    /// `exclude`.
    pub exclude: Vec<String>,
}

impl<'a> Manifest<'a> {
    /// Parses `src`; a TOML error is named with its line, as Cargo would refuse it too.
    pub fn parse(src: &'a Source) -> Result<Manifest<'a>> {
        let top = DeTable::parse(&src.text).map_err(|e| GateError::Manifest {
            file: src.shown.clone(),
            line: e.span().map(|s| line_of(&src.text, s.start)),
            what: format!("not valid TOML: {}", e.message().trim_end()),
            fix: "fix the manifest; `cargo metadata` shows Cargo's own reading of it".into(),
        })?;
        Ok(Manifest {
            src,
            top: top.into_inner(),
        })
    }

    /// The `[package] name`, or `None` for a virtual manifest (no `[package]`).
    pub fn package_name(&self) -> Result<Option<String>> {
        let Some(package) = self.table("package") else {
            return Ok(None);
        };
        match package.get("name") {
            Some(v) => match v.get_ref() {
                DeValue::String(s) => Ok(Some(s.to_string())),
                _ => Err(self.error(v.span(), "`name` is not a string", "write name = \"...\"")),
            },
            None => Err(self.error(0..0, "[package] has no `name`", "give the package a name")),
        }
    }

    /// The `[workspace]` members, or `None` when this manifest is no workspace root.
    pub fn workspace(&self) -> Option<Members> {
        let ws = self.table("workspace")?;
        let list = |key: &str| -> Vec<String> {
            match ws.get(key).map(Spanned::get_ref) {
                Some(DeValue::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.get_ref().as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            }
        };
        Some(Members {
            members: list("members"),
            exclude: list("exclude"),
        })
    }

    /// `[package] version` as Cargo reads it; `version.workspace = true` is looked up
    /// in `root` (the workspace root's manifest from the same tree), or in this file
    /// when it is the root itself.
    pub fn version(&self, root: Option<&Manifest<'_>>) -> Result<Version> {
        let Some(package) = self.table("package") else {
            return Err(self.error(
                0..0,
                "no [package] section, so no crate version to gate (a virtual workspace root)",
                "run the gate in the workspace (it gates every member with goldens), or pick a \
                 member with -p <crate>",
            ));
        };
        let Some(v) = package.get("version") else {
            return Err(self.error(
                0..0,
                "no `version` in [package]",
                "give the crate an explicit version = \"X.Y.Z\" (the gate compares versions)",
            ));
        };
        match v.get_ref() {
            DeValue::String(s) => self.semver(s, v.span()),
            DeValue::Table(t) if is_true(t.get("workspace")) => {
                let root = root.unwrap_or(self);
                root.workspace_version(self, v.span())
            }
            _ => Err(self.error(
                v.span(),
                "cannot read the package version",
                "write `version = \"X.Y.Z\"` or `version.workspace = true`",
            )),
        }
    }

    /// `[workspace.package] version` of this (root) manifest, for `member`.
    fn workspace_version(&self, member: &Manifest<'_>, at: Range<usize>) -> Result<Version> {
        let found = self
            .table("workspace")
            .and_then(|w| w.get("package"))
            .and_then(|p| p.get_ref().as_table())
            .and_then(|p| p.get("version"));
        match found {
            Some(v) => match v.get_ref() {
                DeValue::String(s) => self.semver(s, v.span()),
                _ => Err(self.error(
                    v.span(),
                    "[workspace.package] version is not a string",
                    "write version = \"X.Y.Z\"",
                )),
            },
            None => Err(member.error(
                at,
                &format!(
                    "`version.workspace = true`, but the workspace root {} has no \
                     [workspace.package] version",
                    self.src.shown
                ),
                "add `version = \"X.Y.Z\"` under [workspace.package] of the workspace root",
            )),
        }
    }

    /// Whether any dependency table (`[dependencies]`, `[dev-dependencies]`,
    /// `[build-dependencies]`, their `[target.<cfg>.*]` forms) names one of `crates`,
    /// by key or by `package = "..."` (a renamed dependency): a crate that depends on
    /// the runtime has adopted the suite, so a baseline without goldens is then an
    /// error rather than "adopted since".
    pub fn depends_on(&self, crates: &[&str]) -> bool {
        let names = |t: &DeTable<'_>| {
            t.iter().any(|(key, value)| {
                crates.contains(&key.get_ref().as_ref())
                    || value
                        .get_ref()
                        .as_table()
                        .and_then(|d| d.get("package"))
                        .and_then(|p| p.get_ref().as_str())
                        .is_some_and(|p| crates.contains(&p))
            })
        };
        let in_tables = |t: &DeTable<'_>| {
            DEPENDENCY_TABLES.iter().any(|k| {
                t.get(*k)
                    .and_then(|d| d.get_ref().as_table())
                    .is_some_and(names)
            })
        };
        let targets = self.table("target").is_some_and(|targets| {
            targets
                .values()
                .filter_map(|cfg| cfg.get_ref().as_table())
                .any(in_tables)
        });
        in_tables(&self.top) || targets
    }

    /// A version string as semver, or an error at its line.
    fn semver(&self, s: &str, at: Range<usize>) -> Result<Version> {
        Version::parse(s).map_err(|e| {
            self.error(
                at,
                &format!("version {s:?} is not semver: {e}"),
                "write a version like 1.4.0",
            )
        })
    }

    /// A top-level table (`package`, `workspace`).
    fn table(&self, key: &str) -> Option<&DeTable<'a>> {
        self.top.get(key).and_then(|v| v.get_ref().as_table())
    }

    /// An error in this manifest at a span (no line for `0..0`).
    fn error(&self, at: Range<usize>, what: &str, fix: &str) -> GateError {
        GateError::Manifest {
            file: self.src.shown.clone(),
            line: (at != (0..0)).then(|| line_of(&self.src.text, at.start)),
            what: what.to_owned(),
            fix: fix.to_owned(),
        }
    }
}

/// The tables that list a package's dependencies, as Cargo accepts them (the
/// underscore forms are Cargo's deprecated spellings, still read).
const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
];

/// Whether a value is the boolean `true` (`workspace = true`).
fn is_true(v: Option<&Spanned<DeValue<'_>>>) -> bool {
    matches!(v.map(Spanned::get_ref), Some(DeValue::Boolean(true)))
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            shown: "Cargo.toml".into(),
            text: text.into(),
        }
    }

    fn v(text: &str) -> Result<String, String> {
        let s = src(text);
        let m = Manifest::parse(&s).map_err(|e| e.to_string())?;
        m.version(None)
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reads_the_package_version_and_nothing_else() {
        let text = "[workspace]\nmembers = [\".\",\n  \"harness\"]\n\n[workspace.package]\nversion = \"9.9.9\"\n\n\
                    [package]\nname = \"x\"  # the name\nversion = \"1.4.0\" # released\n\n[dependencies]\nsemver = { version = \"1\" }\n\
                    [package.metadata.x]\nversion = \"7.0.0\"\n";
        assert_eq!(v(text).unwrap(), "1.4.0");
        assert_eq!(
            v("[ package ]\nname='x'\nversion='0.3.0-rc.1'\n").unwrap(),
            "0.3.0-rc.1"
        );
    }

    #[test]
    fn tricky_toml_means_what_it_means_to_cargo() {
        // `"""` in a comment opens nothing; an escaped quote ends no string; a
        // literal string keeps its backslashes.
        let text = "[package]\nname = \"x\" # say \"\"\" here\ndescription = \"\"\"a \\\"\"\" b\nversion = \"9.0.0\"\n\"\"\"\nversion = '1.0.1'\n";
        assert_eq!(v(text).unwrap(), "1.0.1");
    }

    #[test]
    fn workspace_inheritance_is_resolved_from_the_root() {
        let text = "[package]\nname = \"x\"\nversion.workspace = true\n[workspace.package]\nversion = \"2.1.0\"\n";
        assert_eq!(v(text).unwrap(), "2.1.0");
        let root =
            src("[workspace]\nmembers = [\"m\"]\n[workspace.package]\nversion = \"3.0.0\"\n");
        let root = Manifest::parse(&root).unwrap();
        let member = src("[package]\nname = \"m\"\nversion = { workspace = true }\n");
        let member = Manifest::parse(&member).unwrap();
        assert_eq!(member.version(Some(&root)).unwrap().to_string(), "3.0.0");
        let err = v("[package]\nname = \"x\"\nversion.workspace = true\n").unwrap_err();
        assert!(
            err.starts_with("Cargo.toml:3: `version.workspace = true`"),
            "{err}"
        );
    }

    #[test]
    fn a_dependency_on_the_runtime_is_found_in_every_table_and_form() {
        let deps = |text: &str| {
            Manifest::parse(&src(text))
                .unwrap()
                .depends_on(&["wire-compat"])
        };
        assert!(deps("[dev-dependencies]\nwire-compat = \"0.1\"\n"));
        assert!(deps("[dependencies.wire-compat]\nversion = \"0.1\"\n"));
        assert!(deps(
            "[build-dependencies]\nwc = { package = \"wire-compat\", version = \"0.1\" }\n"
        ));
        assert!(deps(
            "[target.'cfg(unix)'.dev-dependencies]\nwire-compat.workspace = true\n"
        ));
        assert!(!deps(
            "[package]\nname = \"wire-compat\"\n[dependencies]\nserde = \"1\"\n"
        ));
        assert!(!deps("[dependencies]\nwire-compat-extra = \"1\"\n"));
    }

    #[test]
    fn missing_or_unreadable_versions_are_errors_with_a_line() {
        let err = v("[workspace]\nmembers = []\n").unwrap_err();
        assert!(err.contains("no [package] section"), "{err}");
        assert!(v("[package]\nname = \"x\"\n")
            .unwrap_err()
            .contains("no `version`"));
        let err = v("[package]\nname = \"x\"\nversion = \"one\"\n").unwrap_err();
        assert!(
            err.starts_with("Cargo.toml:3: version \"one\" is not semver"),
            "{err}"
        );
        let err = v("[package]\nversion = 1\n").unwrap_err();
        assert!(err.starts_with("Cargo.toml:2:"), "{err}");
        let err = v("[package]\nname = \"x\"\nversion = \"1.0.0\n").unwrap_err();
        assert!(err.starts_with("Cargo.toml:3: not valid TOML"), "{err}");
    }
}
