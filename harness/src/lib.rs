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
//! use wire_compat::{Case, Catalog, Suite};
//!
//! fn main() -> std::process::ExitCode {
//!     Suite::new(concat!(env!("CARGO_MANIFEST_DIR"), "/goldens"))
//!         .catalog(Catalog::new("my_error", || {
//!             vec![Case::message("NotFound", "thing 'x' not found")]
//!         }))
//!         .run()
//! }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

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

/// Internals shared with the `cargo-wire-compat` tool, the benchmark and the framework's
/// own tests. Not part of the API: no stability promise, any release may change it
/// (the pattern of insta's `_cargo_insta_support`).
#[doc(hidden)]
pub mod _support {
    pub use crate::approve::{apply, apply_declared, ApproveError, Outcome};
    pub use crate::approver::{install_command, Approver};
    pub use crate::env::{ci_from, flag_is_set, Color, Settings, WriteMode, CI_VARIABLES};
    pub use crate::fs::{is_temp_name, shown, write_atomic, FileLock};
    pub use crate::golden::{
        load, parse, push_key, push_value, render_entry, render_file, render_golden, too_deep_at,
        Declared, GoldenCase, GoldenFile, LoadError, APPROVAL_LINES, EXPANSION_LIMIT,
        GOLDEN_FORMAT, MAX_GOLDEN_BYTES, MAX_NESTING, MAX_YAML_BYTES,
    };
    pub use crate::id::{check_id, check_stem, natural_cmp};
    pub use crate::pending::{
        discard, discard_all, list, pending_path, record, Change, PENDING_DIR, PENDING_FORMAT,
    };
    pub use crate::report::{change_diff, Location};
    pub use crate::suite::TrialResult;

    /// What tests and benchmarks set on a [`crate::Suite`] instead of reading the
    /// environment, and how they run it in one thread.
    pub trait SuiteExt {
        /// Settings given instead of read from `CI` and `UPDATE_GOLDENS`.
        fn settings(self, settings: Settings) -> Self;
        /// Colours given instead of decided from the terminal.
        fn color(self, color: Color) -> Self;
        /// How reports tell to approve (default: decided from the environment).
        fn approver(self, approver: Approver) -> Self;
        /// How reports show the goldens folder (default: relative to the current one).
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
