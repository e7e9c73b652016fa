//! Where the goldens are when the tool is run from a folder: every workspace member's
//! `goldens/` (as `cargo metadata` lists the members), or the nearest one above.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One goldens folder the tool works on, and how to show it to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Goldens {
    /// The folder.
    pub dir: PathBuf,
    /// The folder relative to the current one, as reports show paths.
    pub shown: String,
}

impl Goldens {
    fn new(dir: PathBuf) -> Goldens {
        let shown = wire_compat::_support::shown(&dir);
        Goldens { dir, shown }
    }
}

/// Finds the goldens folder: the given one, or `goldens/` in the current folder or
/// the nearest ancestor that has one (so the tool works from any subfolder).
pub(crate) fn find_goldens(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = given {
        return if dir.is_dir() {
            Ok(dir.to_owned())
        } else {
            Err(format!("{} is not a folder", dir.display()))
        };
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    cwd.ancestors()
        .map(|d| d.join("goldens"))
        .find(|d| d.is_dir())
        .ok_or_else(|| {
            format!(
                "no goldens/ folder in {} or above; pass --goldens <DIR>",
                cwd.display()
            )
        })
}

/// Every goldens folder the pending-change commands look at: the given one; else the
/// `goldens/` of each member of the cargo workspace around the current folder (so
/// `cargo wire-compat pending` at a workspace root, or in any member, sees every member's
/// changes); else the nearest `goldens/` above.
pub(crate) fn find_all(given: Option<&Path>) -> Result<Vec<Goldens>, String> {
    if given.is_some() {
        return find_goldens(given).map(|d| vec![Goldens::new(d)]);
    }
    let members = workspace_members();
    let found: Vec<Goldens> = members
        .into_iter()
        .map(|m| m.join("goldens"))
        .filter(|d| d.is_dir())
        .map(Goldens::new)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    find_goldens(None).map(|d| vec![Goldens::new(d)])
}

/// The folders of the workspace's member packages, in `cargo metadata`'s order; none
/// outside a cargo project (or without cargo).
fn workspace_members() -> Vec<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let Ok(out) = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .output()
    else {
        return Vec::new();
    };
    if !out.status.success() {
        return Vec::new();
    }
    members_of(&out.stdout)
}

/// The member folders in `cargo metadata --no-deps` output (JSON, which the YAML
/// parser reads).
fn members_of(json: &[u8]) -> Vec<PathBuf> {
    let Ok(doc) = serde_yaml::from_slice::<serde_yaml::Value>(json) else {
        return Vec::new();
    };
    let Some(packages) = doc["packages"].as_sequence() else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = packages
        .iter()
        .filter_map(|p| p["manifest_path"].as_str())
        .filter_map(|m| Path::new(m).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_from_cargo_metadata() {
        let json = br#"{"packages":[{"name":"b","manifest_path":"/w/crates/b/Cargo.toml"},
            {"name":"a","manifest_path":"/w/Cargo.toml"}],"workspace_root":"/w"}"#;
        assert_eq!(
            members_of(json),
            [PathBuf::from("/w"), PathBuf::from("/w/crates/b")]
        );
        assert!(members_of(b"not json {").is_empty());
        assert!(members_of(b"{}").is_empty());
    }
}
