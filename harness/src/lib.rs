//! A golden-file compat suite for wire-visible messages and codes.
//!
//! Error messages and status codes that cross a wire are an API: clients parse them.
//! This crate pins them in YAML goldens and fails `cargo test` on any drift, with a
//! report a person can act on, a safe way to approve intended changes, and a release
//! gate that checks the version bump covers the wire changes.
//!
//! The framework knows nothing of the types it checks. A [`Catalog`] lists the cases
//! of one type (each a [`Case`]: an id and the [`Entry`] of facts it renders); a
//! [`Suite`] checks catalogs against a goldens folder, one libtest-mimic trial per case:
//!
//! ```no_run
//! use compat_harness::{Case, Catalog, Suite};
//!
//! fn main() {
//!     Suite::new(concat!(env!("CARGO_MANIFEST_DIR"), "/goldens"))
//!         .catalog(Catalog::new("my_error", || {
//!             vec![Case::message("NotFound", "thing 'x' not found")]
//!         }))
//!         .main()
//! }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod approve;
pub mod atomic;
pub mod canonical;
pub mod case;
pub mod catalog;
pub mod cli;
pub mod gate;
pub mod golden;
pub mod pending;
pub mod recorder;
pub mod report;
pub mod review;
pub mod settings;
pub mod style;
pub mod suite;
pub mod value;

pub use case::Case;
pub use catalog::Catalog;
pub use settings::{Settings, WriteMode};
pub use style::Style;
pub use suite::Suite;
pub use value::{Entry, Value};
