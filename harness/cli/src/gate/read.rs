//! Reading one side's goldens: from a folder (today, or `--baseline-dir`) or from a
//! git ref's objects (the baseline), into the [`GoldenSet`] the classifier compares.
//!
//! Both sides apply the suite's own rules of what a golden is (a `<stem>.yaml` with a
//! valid stem, a regular file within the size limit), so the gate never compares a
//! file the suite would not load.

use super::classify::{Golden, GoldenSet};
use super::error::{GateError, Result};
use super::git;
use std::path::Path;
use wire_compat::_support::{self as golden, check_stem, MAX_GOLDEN_BYTES};

/// The stem of a golden file name, or `None` for anything the suite does not treat
/// as a golden (hidden files, `README.md`, names it would reject).
fn golden_stem(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".yaml")?;
    (!name.starts_with('.') && check_stem(stem).is_ok()).then_some(stem)
}

/// Parses one golden; the harness's error already names the file, line and column.
fn parse_golden(shown: String, bytes: &[u8]) -> Result<Golden> {
    let file =
        golden::parse(Path::new(&shown), bytes).map_err(|e| GateError::Golden(e.to_string()))?;
    Ok(Golden {
        shown,
        text: String::from_utf8_lossy(bytes).into_owned(),
        file,
    })
}

/// Refuses a golden over the suite's size limit before it is read.
fn check_size(shown: &str, size: u64) -> Result<()> {
    if size > MAX_GOLDEN_BYTES {
        return Err(GateError::GoldenTooBig {
            shown: shown.to_owned(),
            size,
            limit: MAX_GOLDEN_BYTES,
        });
    }
    Ok(())
}

/// Reads the goldens of a folder; `shown_prefix` is how reports name the folder.
pub fn dir_set(dir: &Path, shown_prefix: &str) -> Result<GoldenSet> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| GateError::io(format!("the goldens folder {}", dir.display()), e, ""))?;
    let mut set = GoldenSet::new();
    for entry in entries {
        let entry = entry.map_err(|e| GateError::io(dir.display(), e, ""))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = golden_stem(&name) else {
            continue;
        };
        let path = entry.path();
        let shown = format!("{shown_prefix}{name}");
        let meta = std::fs::metadata(&path).map_err(|e| GateError::io(&shown, e, ""))?;
        if !meta.is_file() {
            continue;
        }
        check_size(&shown, meta.len())?;
        let bytes = std::fs::read(&path).map_err(|e| GateError::io(&shown, e, ""))?;
        set.insert(stem.to_owned(), parse_golden(shown, &bytes)?);
    }
    Ok(set)
}

/// Reads the goldens at `commit` (named `name` in reports) from git's objects;
/// `prefix` is the goldens folder inside the repository, with a trailing `/`.
/// `Ok(None)` when the ref has no golden files there.
pub fn ref_set(
    repo: &git::Repo,
    commit: &str,
    name: &str,
    prefix: &str,
) -> Result<Option<GoldenSet>> {
    let tree = match repo.entry(commit, prefix)? {
        Some(e) if e.kind == "tree" => e,
        _ => return Ok(None),
    };
    let files: Vec<(String, git::TreeEntry)> = repo
        .list(&tree.oid)?
        .into_iter()
        .filter(|e| e.kind == "blob" && e.mode != "120000")
        .filter_map(|e| golden_stem(&e.name).map(|s| (s.to_owned(), e.clone())))
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    for (_, e) in &files {
        check_size(&format!("{name}:{prefix}{}", e.name), e.size.unwrap_or(0))?;
    }
    let oids: Vec<String> = files.iter().map(|(_, e)| e.oid.clone()).collect();
    let blobs = repo.read_blobs(&oids)?;
    let mut set = GoldenSet::new();
    for ((stem, e), bytes) in files.into_iter().zip(blobs) {
        let shown = format!("{name}:{prefix}{}", e.name);
        set.insert(stem, parse_golden(shown, &bytes)?);
    }
    Ok(Some(set))
}
