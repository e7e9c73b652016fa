//! Wire-stable error types of five systems, exactly as their upstream specs give them.
//!
//! Each type's `Display` text (and, where it has one, its integer code) is what a client
//! sees on the wire: an API copies `to_string()` into a `fault_message` body, a host
//! function returns `-3` for "fenced". Clients parse these, so they must never drift by
//! accident. The compat suite in `harness/` pins every message and code in `goldens/`
//! and fails `cargo test` on any change that nobody approved.
//!
//! Every wire enum derives strum's `VariantNames` (the trait [`strum::VariantNames`] gives
//! `T::VARIANTS`, every variant name in declaration order) and `IntoStaticStr`
//! (`<&'static str>::from(&value)` is the value's variant name, unrenamed), and lists
//! representative values of each variant in a `samples()` function next to it. Rust
//! cannot list an enum's variants at run time, so these derives are what lets the suite
//! check that every declared variant has a sample and every sample a golden: a new
//! variant cannot ship unreviewed.
//!
//! Each module's docs end with a *Provenance* section naming the upstream file and
//! revision the type mirrors (or saying the source is not public and which texts are
//! this project's decision); the type's golden header names the same.
//!
//! This crate depends on `thiserror`, `semver` and `strum` only: a crate that depends on
//! it never compiles the suite's dependencies.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Doctests pinning `#[non_exhaustive]` and `#[must_use]` (see the module's docs).
#[cfg(doctest)]
mod api_facts;
pub mod fabric;
pub mod mooncake_store;
pub mod mooncake_transfer;
pub mod snapshot;
pub mod vm_runtime;

pub use fabric::FabricError;
pub use mooncake_store::ErrorCode;
pub use mooncake_transfer::TransferEngineError;
pub use snapshot::{SnapshotError, Version};
pub use vm_runtime::{VmRuntimeError, VmRuntimeResult, VmStatus};

/// One representative value of a wire type, as the compat suite renders it.
///
/// `label` tells apart several samples of the same variant: the empty label is the
/// variant's main sample (case id `Variant`), any other label an edge sample (case id
/// `Variant.label`), such as an empty string or a path with spaces. Labels use only
/// ASCII letters, digits, `_` and `-`, so case ids stay safe as file names.
#[derive(Debug)]
pub struct Sample<T> {
    /// Distinguishes edge samples of one variant; empty for the main sample.
    pub label: &'static str,
    /// The value whose wire form the golden pins.
    pub value: T,
}

impl<T> Sample<T> {
    /// The main sample of a variant (case id = the variant name).
    pub fn main(value: T) -> Self {
        Sample { label: "", value }
    }

    /// An edge sample of a variant (case id = `Variant.label`).
    pub fn edge(label: &'static str, value: T) -> Self {
        Sample { label, value }
    }
}
