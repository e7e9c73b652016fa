//! One crate's goldens and version at one point: a git ref (read from git's objects,
//! as the gate reads a baseline) or the working tree. What `cargo wire-compat export`
//! turns into the contract document; it lives here to reuse the gate's reading.

use super::baseline::{ref_version, today_version};
use super::classify::GoldenSet;
use super::error::{GateError, Result};
use super::git::Repo;
use super::options::Options;
use super::read;
use super::workspace::{self, Crate};
use semver::Version;
use std::path::Path;

/// A crate's goldens and version, read at one point.
#[derive(Debug)]
pub struct Snapshot {
    /// `[package] name`.
    pub krate: String,
    /// Its version at that point, as Cargo reads it.
    pub version: Version,
    /// The goldens folder inside the repository (`goldens/`, with a trailing `/`;
    /// the folder as shown when outside git).
    pub dir: String,
    /// The goldens, by stem.
    pub goldens: GoldenSet,
}

/// Reads the crate `package` picks (or the only crate with goldens, or the one whose
/// manifest is nearest the current folder) at `at`: a git ref (the gate's syntax),
/// or the working tree when `None` (committed or not).
pub fn snapshot(package: Option<&str>, at: Option<&str>) -> Result<Snapshot> {
    let opts = Options {
        package: package.map(str::to_owned),
        ..Options::default()
    };
    let crates = workspace::crates(&opts)?;
    let c = pick(crates)?;
    match at {
        None => {
            let prefix = Repo::open(&c.goldens)
                .map(|(_, p)| p)
                .unwrap_or_else(|_| format!("{}/", wire_compat::_support::shown(&c.goldens)));
            Ok(Snapshot {
                version: today_version(&c)?,
                goldens: read::dir_set(&c.goldens, &prefix)?,
                dir: prefix,
                krate: c.name,
            })
        }
        Some(r) => {
            super::git::check_ref(r)?;
            let (repo, prefix) = Repo::open(&c.goldens)?;
            let commit = repo.resolve(r)?;
            Ok(Snapshot {
                version: ref_version(&repo, &commit, r, &c)?,
                goldens: read::ref_set(&repo, &commit, r, &prefix)?.ok_or_else(|| {
                    let dir = prefix.trim_end_matches('/');
                    let dir = if dir.is_empty() { "." } else { dir };
                    GateError::Usage(format!(
                        "{r}:{dir} has no golden files, so there is no contract to export \
                         there; pick a ref where the suite had been adopted with --at <REF>"
                    ))
                })?,
                dir: prefix,
                krate: c.name,
            })
        }
    }
}

/// One crate: the only one, else the one whose manifest is the nearest above the
/// current folder; several without one of them here is a usage error naming them.
fn pick(mut crates: Vec<Crate>) -> Result<Crate> {
    if crates.len() == 1 {
        return Ok(crates.remove(0));
    }
    let cwd = std::env::current_dir().map_err(|e| GateError::io("the current folder", e, ""))?;
    let nearest = cwd
        .ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file());
    let same = |a: &Path, b: &Path| {
        std::fs::canonicalize(a)
            .ok()
            .is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if let Some(n) = nearest {
        if let Some(i) = crates.iter().position(|c| same(&c.manifest, &n)) {
            return Ok(crates.remove(i));
        }
    }
    let names: Vec<String> = crates.iter().map(|c| c.name.clone()).collect();
    Err(GateError::Usage(format!(
        "{} crates have goldens here ({}); pick one with -p <CRATE>",
        names.len(),
        names.join(", ")
    )))
}
