//! Why the gate could not run (exit status 2), as one enum.
//!
//! Every message says where (a file and line, a ref, a folder) and what to do, because
//! it is read in a CI log by someone who did not write the release: "it failed" is not
//! enough to act on. [`GateError::location`] lets `--format github` put the error on
//! the file's line as an annotation, like every other finding of the gate.

use std::path::PathBuf;

/// A reason the gate cannot give a verdict.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// A bad command line; the text says which option and what it accepts.
    #[error("{0}\n(see `cargo wire-compat gate --help`)")]
    Usage(String),

    /// A ref given to `--against` that could be read as an option, or is no line.
    #[error("refusing ref {shown}: {why}")]
    RefusedRef {
        /// The ref as given (quoted when it has control characters).
        shown: String,
        /// What is wrong with it.
        why: &'static str,
    },

    /// A ref that names no commit in the repository.
    #[error(
        "unknown git ref `{0}`: no commit by that name in this repository.\n  fix: check the \
         spelling (`git tag --list`); fetch tags with `git fetch --tags` (in CI, check out with \
         `fetch-depth: 0`)"
    )]
    UnknownRef(String),

    /// A ref that names a blob (or another object that is no commit or tree).
    #[error(
        "git ref `{shown}` points at a {kind}, not a commit: it holds no goldens or \
         Cargo.toml to compare with.\n  fix: point the tag at the release commit (`git tag -f \
         <TAG> <COMMIT>`), or name another baseline with --against <REF>"
    )]
    NotACommit {
        /// The ref as given or picked.
        shown: String,
        /// Git's name for the object's type (`blob`).
        kind: String,
    },

    /// A shallow clone, where the baseline is picked from tags: an earlier release may
    /// be missing, and "first release" must never be a guess.
    #[error(
        "this clone is shallow, so its history and release tags may be incomplete and the \
         gate cannot tell which release came last.\n  fix: git fetch --unshallow --tags (in \
         CI, check out with fetch-depth: 0), or name the baseline with --against <REF>"
    )]
    Shallow,

    /// `--tag-pattern` matches none of the crate's tags while it has release tags of
    /// another shape: most likely a typo, and "first release" would pass anything.
    #[error(
        "--tag-pattern `{pattern}` matches none of the repository's {count} tag(s), but \
         {krate} has release tags of another shape ({examples}).\n  fix: correct the pattern \
         (`{{version}}` stands for X.Y.Z, `{{crate}}` for the crate's name), or drop it to use \
         those tags"
    )]
    TagPatternMatchesNothing {
        /// The pattern as given.
        pattern: String,
        /// How many tags the repository has.
        count: usize,
        /// The crate.
        krate: String,
        /// A few of its release-like tags.
        examples: String,
    },

    /// Git could not be run, or a plumbing command failed.
    #[error("{0}")]
    Git(String),

    /// Today's folder is not in a git work tree, and no `--baseline-dir` was given.
    #[error(
        "{dir} is not inside a git repository ({detail}); to compare with goldens outside git, \
         use --baseline-dir <DIR>"
    )]
    NotInGit {
        /// The folder.
        dir: PathBuf,
        /// Git's own words.
        detail: String,
    },

    /// The baseline ref has no golden files where today's are, yet had adopted the
    /// suite there (a goldens folder, or a dependency on the runtime): the goldens were
    /// deleted or moved, and passing would let every change since go unjudged.
    #[error(
        "no goldens at {at}: {at}:{dir} has no golden files, but {adopted}, so its goldens \
         were deleted or moved.\n  fix: restore them at {dir}, or pick a ref that has them \
         with --against <REF>"
    )]
    NoGoldensAt {
        /// The ref.
        at: String,
        /// The goldens folder inside the repository.
        dir: String,
        /// Why the ref counts as having adopted the suite.
        adopted: String,
    },

    /// A golden over the harness's size limit.
    #[error("{shown}: is {size} bytes; golden files are limited to {limit}")]
    GoldenTooBig {
        /// The golden as shown.
        shown: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },

    /// A golden that does not load (the harness's message names file, line and column).
    #[error("{0}")]
    Golden(String),

    /// A file or folder that cannot be read.
    #[error("cannot read {path}: {source}{hint}")]
    Io {
        /// The path as shown.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
        /// What to do, with a leading `; ` or `` (empty).
        hint: String,
    },

    /// A Cargo.toml that TOML (and therefore Cargo) cannot parse, or whose version
    /// cannot be read; `line` is 1-based when known.
    #[error("{file}{}: {what}\n  fix: {fix}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Manifest {
        /// The manifest as shown (`Cargo.toml`, `v1.4.0:crates/api/Cargo.toml`).
        file: String,
        /// The line of the problem.
        line: Option<usize>,
        /// What is wrong.
        what: String,
        /// What to do.
        fix: String,
    },

    /// No crate to gate: no member of the workspace has a `goldens/` folder.
    #[error(
        "no goldens/ folder in {0} or any of its workspace members; pass --goldens <DIR>, or \
         run from the crate that has the goldens"
    )]
    NoGoldens(String),

    /// `-p <name>` names no workspace member with goldens.
    #[error("no workspace member named `{name}` has goldens; members with goldens: {known}")]
    NoSuchPackage {
        /// The name given.
        name: String,
        /// The members that could be gated.
        known: String,
    },

    /// `--baseline-dir` with several crates: one folder cannot be every crate's baseline.
    #[error(
        "--baseline-dir is one crate's baseline, but {0} crates have goldens; pick one with \
         -p <crate>"
    )]
    BaselineDirNeedsOneCrate(usize),

    /// `--baseline-dir` without a version and without a Cargo.toml next to it.
    #[error(
        "no baseline version: pass --baseline-version X.Y.Z, or put the baseline's Cargo.toml \
         next to its goldens ({0} does not exist)"
    )]
    NoBaselineVersion(String),

    /// Cargo cannot read the workspace (`cargo metadata` failed); the text is cargo's
    /// own, which names the broken manifest, file and line.
    #[error("{0}")]
    Workspace(String),
}

impl GateError {
    /// Where the error is, for an annotation: a working-tree file and maybe a line.
    /// Files at a ref (`v1.4.0:Cargo.toml`) have no place in a pull request's diff.
    pub fn location(&self) -> Option<(&str, Option<usize>)> {
        match self {
            GateError::Manifest { file, line, .. } if !file.contains(':') => {
                Some((file.as_str(), *line))
            }
            _ => None,
        }
    }

    /// An I/O error on `path`, with an optional hint on what to do.
    pub fn io(path: impl std::fmt::Display, source: std::io::Error, hint: &str) -> GateError {
        GateError::Io {
            path: path.to_string(),
            source,
            hint: if hint.is_empty() {
                String::new()
            } else {
                format!("; {hint}")
            },
        }
    }
}

/// The gate's results.
pub type Result<T, E = GateError> = std::result::Result<T, E>;
