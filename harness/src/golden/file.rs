//! A golden file as loaded: its cases, the error that names why one could not be
//! used, and the size limits every reader of goldens applies. The loader (`mod.rs`)
//! and its parsers (`fast`, `strict`) depend on this module, never the reverse.

use crate::entry::Entry;
use std::fmt;
use std::path::{Path, PathBuf};

/// The largest golden file the loader reads (32 MiB). A golden of 100,000 cases is
/// about 10 MB; anything far larger is a mistake (or an attack) and would only make
/// the suite slow, so it is refused with a message instead of being parsed.
pub const MAX_GOLDEN_BYTES: u64 = 32 * 1024 * 1024;

/// The largest golden the YAML parser reads (2 MiB): text that is not in canonical
/// form (a hand edit, another layout) and so cannot take the fast path.
///
/// The parser holds every event of a file before the first is used: up to 111 bytes
/// of memory per byte of hostile input (`{a,a,a,...}`); 32 MiB of such text took
/// 6.6 GB. At 2 MiB that is at most about 240 MB, below the largest canonical golden
/// (`MAX_GOLDEN_BYTES`, read by the fast path at under 13 bytes per byte).
pub const MAX_YAML_BYTES: usize = 2 * 1024 * 1024;

/// One case as a golden file records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenCase {
    /// The case id (the mapping key under `cases:`).
    pub id: String,
    /// The pinned fields.
    pub entry: Entry,
    /// The 1-based line of the case's key, so reports can point at it.
    pub line: usize,
}

impl GoldenCase {
    /// Whether the entry is a tombstone: a removed case kept (with a `retired`
    /// reason) so that its code stays reserved and the release gate allows the removal.
    ///
    /// Only a reason counts: `retired: false`, `retired: null` or an empty string say
    /// the opposite (or nothing), so such an entry is an ordinary one and fails as an
    /// orphan when no case renders it.
    pub fn is_retired(&self) -> bool {
        matches!(self.entry.get("retired"), Some(crate::entry::Value::Str(why)) if !why.trim().is_empty())
    }
}

/// A parsed golden file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenFile {
    /// The header comment lines, without their `# ` prefix; kept on rewrite.
    pub header: Vec<String>,
    /// The cases in file order.
    pub cases: Vec<GoldenCase>,
}

/// Why a golden file could not be used, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file that failed.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  fix: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// A golden over [`MAX_GOLDEN_BYTES`]: the one wording of the limit, wherever a
    /// golden is read (a suite, a pending record, the gate at a git ref).
    pub fn too_big(path: &Path, len: u64) -> LoadError {
        LoadError {
            path: path.to_owned(),
            line: None,
            column: None,
            message: format!(
                "is {len} bytes; golden files are limited to {MAX_GOLDEN_BYTES} bytes"
            ),
            hint: "split the catalog into several golden files, or restore the file from git"
                .to_owned(),
        }
    }
}

/// The fix most load errors share.
pub(crate) const REGENERATE: &str =
    "fix the YAML by hand (see `git diff` / `git checkout -- <file>`), \
     or delete the file and run `UPDATE_GOLDENS=1 cargo test` to regenerate it";
