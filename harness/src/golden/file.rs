//! A golden file as loaded: its cases, the error that names why one could not be
//! used, and the size limits every reader of goldens applies. The loader (`mod.rs`)
//! and its parsers (`fast`, `strict`) depend on this module, never the reverse.

use crate::catalog::Policy;
use crate::entry::Entry;
use std::collections::BTreeMap;
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

/// The golden format this runtime writes: `format: 2` at the top of every golden.
///
/// Format 1 (no `format:` key) is read as well: it declares nothing, so every field is
/// contract and no variant is known. A golden of a format above this one is refused by
/// name (file, the format found, what to install), never misread.
pub const GOLDEN_FORMAT: i64 = 2;

/// What a catalog declared, as its golden stores it: each field's [`Policy`] and the
/// type's variants. Tools that read goldens (the release gate, the exported contract)
/// learn from it what each field promises without the catalog's code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// Declared fields and their policy; an undeclared field is contract.
    pub policy: BTreeMap<String, Policy>,
    /// The declared variants, in the catalog's order (empty: none declared).
    pub variants: Vec<String>,
}

impl Declared {
    /// The policy of `field`: its declaration, else [`Policy::Contract`].
    pub fn policy_of(&self, field: &str) -> Policy {
        self.policy.get(field).copied().unwrap_or(Policy::Contract)
    }

    /// The declared variant case `id` samples: its id up to the first `.` when that is
    /// a declared variant (the suite enforces the naming, see `Catalog::variants`).
    pub fn variant_of(&self, id: &str) -> Option<&str> {
        let head = id.split('.').next().unwrap_or(id);
        self.variants
            .iter()
            .map(String::as_str)
            .find(|v| *v == head)
    }
}

/// A parsed golden file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenFile {
    /// The header comment lines, without their `# ` prefix; kept on rewrite.
    pub header: Vec<String>,
    /// The file's format: 1 (no `format:` key, nothing declared) or [`GOLDEN_FORMAT`].
    pub format: i64,
    /// The catalog's declarations as stored (empty in format 1).
    pub declared: Declared,
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

/// The words of a golden whose format this runtime does not read: which format, and
/// what to install. Shared by the pre-scan and the strict reading.
pub(crate) fn unknown_format_text(found: &str) -> (String, &'static str) {
    (
        format!(
            "is golden format {found}; this wire-compat {} reads formats 1 to {GOLDEN_FORMAT}",
            env!("CARGO_PKG_VERSION")
        ),
        "the file was written by a newer wire-compat: update the `wire-compat` \
         dev-dependency (`cargo update -p wire-compat`) and the tool (`cargo install --locked \
         cargo-wire-compat`) to the release that wrote it",
    )
}

impl LoadError {
    /// A golden of a format this runtime does not read: says which, and what to install.
    pub fn unknown_format(path: &Path, line: Option<usize>, found: &str) -> LoadError {
        let (message, hint) = unknown_format_text(found);
        LoadError {
            path: path.to_owned(),
            line,
            column: None,
            message,
            hint: hint.to_owned(),
        }
    }
}
