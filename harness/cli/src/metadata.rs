//! The workspace's members, as cargo itself lists them (`cargo metadata`).
//!
//! One way to find members for every command: the pending-change commands and the
//! gate both ask cargo, so `members` globs (`crates/[ac]*`), `exclude` (matched by
//! path, and overridden by an explicit member) and nested manifests mean exactly what
//! they mean to cargo. The output is read as typed JSON; a failure is an error with
//! cargo's own words (they name the broken manifest, file and line), never "no
//! members".

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The part of `cargo metadata --format-version 1 --no-deps` the tool reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Metadata {
    /// The workspace members (with `--no-deps`, exactly the members).
    pub packages: Vec<Package>,
    /// The folder of the workspace root's Cargo.toml.
    pub workspace_root: PathBuf,
}

/// One member package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Package {
    /// `[package] name`.
    pub name: String,
    /// Its Cargo.toml, absolute.
    pub manifest_path: PathBuf,
}

impl Package {
    /// The package's folder.
    pub fn dir(&self) -> PathBuf {
        self.manifest_path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

impl Metadata {
    /// Parses cargo's JSON.
    pub fn parse(json: &[u8]) -> Result<Metadata, String> {
        serde_json::from_slice(json)
            .map_err(|e| format!("cannot read the output of `cargo metadata`: {e}"))
    }

    /// The root's Cargo.toml.
    pub fn root_manifest(&self) -> PathBuf {
        self.workspace_root.join("Cargo.toml")
    }

    /// The member whose manifest is the root's, if the root is a package.
    pub fn root_package(&self) -> Option<&Package> {
        let root = self.root_manifest();
        self.packages.iter().find(|p| p.manifest_path == root)
    }
}

/// Asks cargo for the workspace around `dir`; the error is cargo's own message.
pub fn read(dir: &Path) -> Result<Metadata, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run `cargo metadata`: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let said: Vec<&str> = said
            .lines()
            .filter(|l| !l.trim_start().starts_with("warning:") && !l.trim().is_empty())
            .collect();
        return Err(format!(
            "cargo cannot read the workspace (`cargo metadata` failed):\n{}",
            said.join("\n")
        ));
    }
    Metadata::parse(&out.stdout)
}

/// Whether `dir` or a folder above it has a Cargo.toml (so cargo has a workspace to
/// read there at all).
pub fn in_a_package(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join("Cargo.toml").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_from_cargo_metadata_as_typed_json() {
        let json = br#"{"packages":[{"name":"b","manifest_path":"/w/crates/b/Cargo.toml","id":"x"},
            {"name":"a","manifest_path":"/w/Cargo.toml"}],"workspace_root":"/w","version":1}"#;
        let m = Metadata::parse(json).unwrap();
        assert_eq!(m.packages.len(), 2);
        assert_eq!(m.packages[0].dir(), PathBuf::from("/w/crates/b"));
        assert_eq!(m.root_package().map(|p| p.name.as_str()), Some("a"));
    }

    #[test]
    fn cargo_metadata_that_does_not_parse_is_an_error_not_an_empty_workspace() {
        for bad in [&b"not json {"[..], b"{}", br#"{"packages": 3}"#] {
            let e = Metadata::parse(bad).unwrap_err();
            assert!(e.contains("cargo metadata"), "{e}");
        }
    }
}
