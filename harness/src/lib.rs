//! A golden-file compat suite for wire-visible messages and codes.
//!
//! Error messages and status codes that cross a wire are an API: clients parse them.
//! This crate pins them in YAML goldens and fails `cargo test` on any drift, with a
//! report a person can act on and a safe way to approve intended changes (the
//! `cargo-wire-compat` tool reviews, accepts and gates releases).
//!
//! The framework knows nothing of the types it checks. A [`Catalog`] lists the cases
//! of one type (each a [`Case`]: an id and the [`Entry`] of [`Value`]s it renders); a
//! [`Suite`] checks catalogs against a goldens folder, one libtest-mimic trial per case:
//!
//! ```no_run
//! use wire_compat::{Case, Catalog};
//!
//! fn main() -> std::process::ExitCode {
//!     wire_compat::suite!("goldens")
//!         .catalog(Catalog::new("my_error", || {
//!             vec![Case::message("NotFound", "thing 'x' not found")]
//!         }))
//!         .run()
//! }
//! ```
//!
//! ## Where the goldens are
//!
//! `suite!("goldens")` is `Suite::new("goldens").compiled_in(env!("CARGO_MANIFEST_DIR"))`:
//! the relative folder is looked up at run time in the package folder the test runner
//! names (`CARGO_MANIFEST_DIR`, set by `cargo test` and by nextest, and remapped by
//! `cargo nextest run --workspace-remap`), and only when no runner names one, in the
//! package folder the binary was built in. So a suite archived on one machine
//! (`cargo nextest archive`) and run from a copy of the sources at another path reads
//! the copy's goldens. A path baked in with `concat!(env!("CARGO_MANIFEST_DIR"),
//! "/goldens")` still works, but only where it was built. The macro exists because
//! only the calling crate can name its own build-time folder (insta's assertion
//! macros capture it the same way and let the run-time value win).
//!
//! ## Trials under cargo-nextest
//!
//! libtest runs every trial of a binary in one process; nextest starts the binary once
//! per trial. So under nextest (`NEXTEST_EXECUTION_MODE=process-per-test`, which it
//! sets when listing and running) a suite lists one trial per golden file,
//! `<file>.yaml`, plus `@goldens` for files no catalog owns: listing renders nothing,
//! and each file's catalog is rendered once. A file's trial still reports every
//! failing case on its own (diff, golden line, the command that approves that case
//! alone) and records each as its own pending change. It gives up nextest's per-case
//! filters and JUnit rows; `WIRE_COMPAT_TRIALS=per-case` restores them (at one
//! catalog rendering per case), `WIRE_COMPAT_TRIALS=per-file` forces files anywhere.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Without the `_support` feature (an adopter's build) the internals only the tool,
// the benchmark and the tests reach through `_support` are unused; with it (every
// build of this workspace, where clippy runs) dead code is still reported.
#![cfg_attr(not(feature = "_support"), allow(dead_code, unused_imports))]

mod approve;
mod approver;
mod catalog;
mod entry;
mod env;
mod fs;
mod golden;
mod id;
mod pending;
mod recorder;
mod report;
mod suite;

pub use catalog::{Case, Catalog};
pub use entry::{Entry, Value};
pub use suite::Suite;

/// A [`Suite`] over the goldens folder `$dir` (relative, usually `"goldens"`) of the
/// calling package, found at run time: see [Where the goldens are](crate#where-the-goldens-are).
#[macro_export]
macro_rules! suite {
    ($dir:expr) => {
        $crate::Suite::new($dir).compiled_in(env!("CARGO_MANIFEST_DIR"))
    };
}

/// Internals shared with the `cargo-wire-compat` tool, the benchmark and the framework's
/// own tests. Not part of the API: no stability promise, any release may change it
/// (the pattern of insta's `_cargo_insta_support`). Compiled only with the `_support`
/// feature, which only those three turn on, so an adopter's suite neither sees nor
/// builds it.
#[cfg(feature = "_support")]
#[doc(hidden)]
pub mod _support {
    pub use crate::approve::{apply, Outcome};
    pub use crate::approver::Approver;
    pub use crate::env::{ci_from, Color, Settings, CI_VARIABLES};
    pub use crate::fs::{is_temp_name, shown};
    pub use crate::golden::{
        load, parse, push_key, push_value, render_file, too_deep_at, GoldenCase, GoldenFile,
        LoadError, APPROVAL_LINES, EXPANSION_LIMIT, MAX_GOLDEN_BYTES, MAX_NESTING, MAX_YAML_BYTES,
    };
    pub use crate::id::{check_id, check_stem, natural_cmp};
    pub use crate::pending::{
        discard, discard_all, list, pending_path, record, Change, PENDING_FORMAT,
    };
    pub use crate::report::{change_diff, Location};
    pub use crate::suite::TrialResult;

    /// What tests and benchmarks set on a [`crate::Suite`] instead of reading the
    /// environment, and how they run it in one thread.
    pub trait SuiteExt {
        /// Settings given instead of read from `CI` and `UPDATE_GOLDENS`.
        #[must_use]
        fn settings(self, settings: Settings) -> Self;
        /// Colours given instead of decided from the terminal.
        #[must_use]
        fn color(self, color: Color) -> Self;
        /// How reports tell to approve (default: decided from the environment).
        #[must_use]
        fn approver(self, approver: Approver) -> Self;
        /// How reports show the goldens folder (default: relative to the current one).
        #[must_use]
        fn shown_dir(self, shown: &str) -> Self;
        /// Runs every check in this thread and writes approved updates; returns each
        /// trial's name and result.
        fn run_all(&self) -> Vec<(String, Result<(), String>)>;
        /// [`SuiteExt::run_all`], and the closing notes the runner prints after the
        /// trials (the pending summary, what `UPDATE_GOLDENS` wrote).
        fn run_all_with_notes(&self) -> (Vec<TrialResult>, Vec<String>);
    }

    impl SuiteExt for crate::Suite {
        fn settings(mut self, settings: Settings) -> Self {
            self.settings = settings;
            self
        }
        fn color(mut self, color: Color) -> Self {
            self.color = color;
            self
        }
        fn approver(mut self, approver: Approver) -> Self {
            self.approve = approver;
            self
        }
        fn shown_dir(mut self, shown: &str) -> Self {
            self.shown_dir = shown.to_owned();
            self
        }
        fn run_all(&self) -> Vec<(String, Result<(), String>)> {
            crate::Suite::run_all(self).0
        }
        fn run_all_with_notes(&self) -> (Vec<TrialResult>, Vec<String>) {
            crate::Suite::run_all(self)
        }
    }
}
