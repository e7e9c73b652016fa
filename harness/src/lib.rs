#![doc = include_str!("../README.md")]
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

pub use catalog::{Case, Catalog, Policy};
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
    pub use crate::approve::{apply, apply_declared, ApproveError, Failure, Outcome};
    pub use crate::approver::{install_command, shell_quote, Approver, Detect};
    pub use crate::env::{ci_from, flag_is_set, Color, Settings, WriteMode, CI_VARIABLES};
    pub use crate::fs::{is_temp_name, shown, write_atomic, FileLock};
    pub use crate::golden::{
        load, parse, push_key, push_value, render_entry, render_file, render_golden, too_deep_at,
        Declared, GoldenCase, GoldenFile, LoadError, APPROVAL_LINES, EXPANSION_LIMIT,
        GOLDEN_FORMAT, MAX_GOLDEN_BYTES, MAX_NESTING, MAX_YAML_BYTES,
    };
    pub use crate::id::{check_id, check_stem, fold_case, hash_folded, natural_cmp, same_folded};
    pub use crate::pending::{
        discard, discard_all, discard_approved, list, list_records, pending_path, record,
        record_from, remove_stale_locks, Change, Origin, Record, PENDING_DIR, PENDING_FORMAT,
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
        /// Runs the suite under libtest-mimic as [`crate::Suite::run`] does, with these
        /// command-line arguments (after `--`) instead of the process's; returns whether
        /// everything passed and the closing notes.
        fn run_with_args(self, args: &[&str]) -> (bool, Vec<String>);
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
        fn run_with_args(self, args: &[&str]) -> (bool, Vec<String>) {
            let argv = std::iter::once("suite").chain(args.iter().copied());
            self.run_with(libtest_mimic::Arguments::from_iter(argv))
        }
    }
}
