//! The commands of `cargo wire-compat`, as a library its binary (`main.rs`) drives.
//!
//! Not an API: nothing here is promised to stay, any release may change it. It is a
//! library so that the framework's fuzz targets (`harness/fuzz`, a package that is
//! never published) can drive the gate's classifier from outside `src/`, as the
//! runtime's `_support` lets the CLI drive the runtime. Nothing here prints to the
//! terminal or exits: every command writes into the streams `main` hands it and
//! returns a [`status::Status`].

#![doc(hidden)]

pub mod approve;
pub mod args;
pub mod export;
pub mod gate;
pub mod glob;
pub mod json;
pub mod listing;
pub mod locate;
pub mod metadata;
pub mod review;
pub mod run_tests;
pub mod select;
pub mod status;
pub mod streams;
