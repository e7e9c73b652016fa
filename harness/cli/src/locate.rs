//! Where the goldens are when the tool is run from a folder: every workspace member's
//! `goldens/` (as cargo lists the members, [`crate::metadata`]), or the nearest one
//! above.
//!
//! A workspace cargo cannot read (one member's Cargo.toml is broken) does not hide the
//! other members' pending changes: cargo's error is passed on as a warning (the command
//! then exits 1), and every package folder with a `goldens/` under the workspace root
//! is looked at instead.

use crate::metadata;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One goldens folder the tool works on, and how to show it to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goldens {
    /// The folder.
    pub dir: PathBuf,
    /// The folder relative to the current one, as reports show paths.
    pub shown: String,
    /// The workspace member it belongs to, when cargo said so.
    pub package: Option<String>,
}

impl Goldens {
    pub fn new(dir: PathBuf, package: Option<String>) -> Goldens {
        let shown = wire_compat::_support::shown(&dir);
        Goldens {
            dir,
            shown,
            package,
        }
    }

    /// How reports name the member: its package, else its goldens folder.
    pub fn member(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.shown)
    }
}

/// The goldens folders found, and what went wrong on the way without stopping.
#[derive(Debug, Default)]
pub struct Found {
    /// The folders, in the workspace's order.
    pub folders: Vec<Goldens>,
    /// Warnings (a workspace cargo cannot read); any of them makes the exit status 1.
    pub warnings: Vec<String>,
}

/// Finds the goldens folder: the given one, or `goldens/` in the current folder or
/// the nearest ancestor that has one (so the tool works from any subfolder).
pub fn find_goldens(given: Option<&Path>) -> Result<PathBuf, String> {
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
/// `goldens/` of each member of the cargo workspace around the current folder (only
/// the members `packages` names, when it names any); else the nearest `goldens/`
/// above.
pub fn find_all(given: Option<&Path>, packages: &[String]) -> Result<Found, String> {
    let nearest = || -> Result<Found, String> {
        Ok(Found {
            folders: vec![Goldens::new(find_goldens(None)?, None)],
            warnings: Vec::new(),
        })
    };
    if given.is_some() {
        return Ok(Found {
            folders: vec![Goldens::new(find_goldens(given)?, None)],
            warnings: Vec::new(),
        });
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    if !metadata::in_a_package(&cwd) {
        if !packages.is_empty() {
            return Err(format!(
                "-p names a workspace member, but {} is in no cargo package",
                cwd.display()
            ));
        }
        return nearest();
    }
    let meta = match metadata::read(&cwd) {
        Ok(meta) => meta,
        Err(e) if packages.is_empty() => return unreadable_workspace(&cwd, e),
        Err(e) => return Err(e),
    };
    let with_goldens: Vec<Goldens> = meta
        .packages
        .iter()
        .filter(|p| p.dir().join("goldens").is_dir())
        .map(|p| Goldens::new(p.dir().join("goldens"), Some(p.name.clone())))
        .collect();
    if !packages.is_empty() {
        return pick(with_goldens, packages).map(|folders| Found {
            folders,
            warnings: Vec::new(),
        });
    }
    if with_goldens.is_empty() {
        return nearest();
    }
    Ok(Found {
        folders: with_goldens,
        warnings: Vec::new(),
    })
}

/// The members `packages` names; an unknown name is an error listing the known ones.
fn pick(with_goldens: Vec<Goldens>, packages: &[String]) -> Result<Vec<Goldens>, String> {
    let unknown: Vec<&String> = packages
        .iter()
        .filter(|n| !with_goldens.iter().any(|g| g.package.as_ref() == Some(*n)))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = with_goldens.iter().map(Goldens::member).collect();
        return Err(format!(
            "no workspace member named {} has a goldens/ folder (members with goldens: {})",
            unknown
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    }
    Ok(with_goldens
        .into_iter()
        .filter(|g| packages.iter().any(|n| g.package.as_ref() == Some(n)))
        .collect())
}

/// Cargo cannot read the workspace: pass its error on, and look at every package
/// folder with goldens under the workspace root (or the nearest goldens above), so
/// one broken member hides no one else's pending changes.
fn unreadable_workspace(cwd: &Path, error: String) -> Result<Found, String> {
    let mut found = match workspace_root(cwd) {
        Some(root) => {
            let mut folders = Vec::new();
            package_goldens(&root, 0, &mut folders);
            Found {
                folders: folders.into_iter().map(|d| Goldens::new(d, None)).collect(),
                warnings: Vec::new(),
            }
        }
        None => Found::default(),
    };
    if found.folders.is_empty() {
        found.folders = vec![Goldens::new(find_goldens(None)?, None)];
    }
    found.warnings.push(format!(
        "{error}\n(fix that manifest; meanwhile the pending changes of every package folder \
         with a goldens/ folder are shown)"
    ));
    Ok(found)
}

/// The workspace root cargo would use, when it can name one without reading every
/// member (`cargo locate-project --workspace`).
fn workspace_root(cwd: &Path) -> Option<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "locate-project",
            "--workspace",
            "--message-format",
            "plain",
            "--offline",
        ])
        .current_dir(cwd)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let manifest = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim_end());
    manifest.parent().map(Path::to_path_buf)
}

/// Folders up to this deep under the root are searched for packages with goldens.
const MAX_DEPTH: usize = 8;

/// Every `<package>/goldens` under `dir` (a package is a folder with a Cargo.toml),
/// skipping hidden folders, `target` and symbolic links.
fn package_goldens(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if dir.join("Cargo.toml").is_file() && dir.join("goldens").is_dir() {
        out.push(dir.join("goldens"));
    }
    if depth == MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && name != "target" && name != "goldens"
        })
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for d in subdirs {
        package_goldens(&d, depth + 1, out);
    }
}
