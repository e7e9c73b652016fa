//! Which crates the gate judges: every workspace member with goldens, or one.
//!
//! A release is per crate: in a workspace each member has its own version (maybe
//! inherited), its own goldens and its own tags, so each gets its own verdict. The
//! members are cargo's own answer (`cargo metadata`, [`crate::metadata`], the same
//! answer the pending-change commands use), so `[..]` globs, `exclude` by path and
//! nested workspaces mean what they mean to cargo; a member has goldens when
//! `<member>/goldens/` is a folder. A workspace cargo cannot read is an error in
//! cargo's words, which name the broken manifest (a member's or the root's).
//!
//! At a baseline ref the gate reads each of today's members at the same path: the
//! release being gated is today's workspace, and a member that did not exist at the
//! baseline has no goldens there, which the baseline's reading reports.

use super::error::{GateError, Result};
use super::manifest::{Manifest, Source};
use super::options::Options;
use crate::metadata;
use std::path::{Path, PathBuf};
use wire_compat::_support::shown;

/// One crate to gate, as found on disk today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crate {
    /// `[package] name` (the folder's name for an unreadable manifest; its version
    /// read then says what is wrong).
    pub name: String,
    /// Its Cargo.toml.
    pub manifest: PathBuf,
    /// Its goldens folder.
    pub goldens: PathBuf,
    /// The workspace root's Cargo.toml, when that is another file (for inheritance).
    pub root: Option<PathBuf>,
    /// Whether bare `vX.Y.Z` tags may be this crate's: it is the root package, or
    /// a member of a virtual workspace, or no workspace member at all.
    pub owns_bare_tags: bool,
}

/// Reads a manifest from disk; reports name it relative to the current folder.
pub fn read_source(path: &Path) -> Result<Source> {
    let shown = shown(path);
    let text = std::fs::read_to_string(path).map_err(|e| {
        GateError::io(
            &shown,
            e,
            "the crate version comes from it; pass --manifest <Cargo.toml>",
        )
    })?;
    Ok(Source { shown, text })
}

/// The crates `opts` asks for, in workspace order (root package first, then the
/// members by path).
pub fn crates(opts: &Options) -> Result<Vec<Crate>> {
    if opts.goldens.is_some() || opts.manifest.is_some() {
        return one_crate(opts).map(|c| vec![c]);
    }
    let cwd = std::env::current_dir().map_err(|e| GateError::io("the current folder", e, ""))?;
    let Some(nearest) = cwd
        .ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
    else {
        return one_crate(opts).map(|c| vec![c]);
    };
    // The manifests read here are parsed first, so a broken one is named with its
    // file and line (and annotated in `--format github`) as every manifest error is.
    let Some(root) = find_root(&nearest)? else {
        // A package of its own: no members to find.
        return one_crate(&Options {
            manifest: Some(nearest),
            ..opts.clone()
        })
        .map(|c| vec![c]);
    };
    Manifest::parse(&read_source(&root)?)?;
    let meta = metadata::read(&cwd).map_err(GateError::Workspace)?;
    let root = meta.root_manifest();
    let virtual_root = meta.root_package().is_none();
    let mut packages: Vec<&metadata::Package> = meta.packages.iter().collect();
    packages.sort_by_key(|p| (p.manifest_path != root, p.manifest_path.clone()));
    let mut out = Vec::new();
    for p in packages {
        let goldens = p.dir().join("goldens");
        if !goldens.is_dir() {
            continue;
        }
        let is_root = p.manifest_path == root;
        out.push(Crate {
            name: p.name.clone(),
            owns_bare_tags: is_root || virtual_root,
            root: (!is_root).then(|| root.clone()),
            manifest: p.manifest_path.clone(),
            goldens,
        });
    }
    if let Some(name) = &opts.package {
        let known = out.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        out.retain(|c| &c.name == name);
        if out.is_empty() {
            return Err(GateError::NoSuchPackage {
                name: name.clone(),
                known: if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                },
            });
        }
    }
    if out.is_empty() {
        return Err(GateError::NoGoldens(shown(&meta.workspace_root)));
    }
    Ok(out)
}

/// The crate of `--goldens`/`--manifest` (or of the nearest `goldens/` folder).
fn one_crate(opts: &Options) -> Result<Crate> {
    let goldens = match (&opts.goldens, &opts.manifest) {
        (Some(g), _) => crate::locate::find_goldens(Some(g)).map_err(GateError::Usage)?,
        (None, Some(m)) if parent(m).join("goldens").is_dir() => parent(m).join("goldens"),
        _ => crate::locate::find_goldens(None).map_err(GateError::Usage)?,
    };
    let manifest = match &opts.manifest {
        Some(m) => m.clone(),
        None => parent(&goldens).join("Cargo.toml"),
    };
    let root = if manifest.is_file() {
        find_root(&manifest)?
    } else {
        None
    };
    let virtual_root = match &root {
        Some(r) if *r != manifest => {
            let src = read_source(r)?;
            Manifest::parse(&src)?.package_name()?.is_none()
        }
        _ => false,
    };
    Ok(Crate {
        name: crate_name(&manifest).unwrap_or_else(|_| folder_name(&manifest)),
        owns_bare_tags: root.as_ref().is_none_or(|r| *r == manifest) || virtual_root,
        root: root.filter(|r| *r != manifest),
        manifest,
        goldens,
    })
}

/// The workspace root of `manifest`: itself when it has `[workspace]`, else the
/// nearest ancestor's Cargo.toml that has one, else none (a lone package).
fn find_root(manifest: &Path) -> Result<Option<PathBuf>> {
    let dir = parent(manifest);
    for candidate in dir.ancestors().map(|d| d.join("Cargo.toml")) {
        if !candidate.is_file() {
            continue;
        }
        let src = read_source(&candidate)?;
        // An unreadable ancestor is cargo's to judge: if it is this crate's workspace
        // root, cargo cannot read the workspace and says so, naming that file (the
        // crate is not blamed for its root); if cargo reads the crate without it, it
        // is no concern of ours.
        if candidate != manifest && Manifest::parse(&src).is_err() {
            metadata::read(&dir).map_err(GateError::Workspace)?;
            continue;
        }
        if Manifest::parse(&src)?.workspace().is_some() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// The package name of a manifest (the folder's for a virtual one).
fn crate_name(manifest: &Path) -> Result<String> {
    let src = read_source(manifest)?;
    Ok(Manifest::parse(&src)?
        .package_name()?
        .unwrap_or_else(|| folder_name(manifest)))
}

/// The name of a manifest's folder, a stand-in name for errors.
fn folder_name(manifest: &Path) -> String {
    let dir = parent(manifest);
    let abs = std::fs::canonicalize(&dir).unwrap_or(dir);
    abs.file_name()
        .map_or_else(|| "crate".into(), |n| n.to_string_lossy().into_owned())
}

/// The folder of a file (`.` for a bare file name).
pub fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}
