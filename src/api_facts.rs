//! API facts no golden can hold, pinned as doctests (compiled only by `cargo test`'s
//! doc-test step, `cfg(doctest)`; nothing here is part of the library).
//!
//! A golden pins what a value renders to; it cannot see an attribute. These doctests
//! compile against the library `cargo test` has just built, so pinning an attribute
//! costs one `rustc` run, not a second build of the dependency tree. Each fact is a
//! pair: a `compile_fail` doctest that must fail (with the error code rustdoc checks,
//! where the failure has one) and a twin that differs only in what the fact forbids
//! and must compile, so the first fails for the fact's reason and no other. The
//! `api_facts` test checks that the exhaustive match below names every variant
//! `SnapshotError::VARIANTS` declares, so a new variant cannot make it fail for a
//! missing arm instead of for the attribute.
//!
//! # `SnapshotError` is `#[non_exhaustive]`
//!
//! As upstream declares it: squib may add a failure mode in a minor release, so a crate
//! matching every variant without a wildcard must not compile (E0004). If this example
//! compiles, the attribute was removed.
//!
//! ```compile_fail,E0004
//! use wire_errors::SnapshotError;
//!
//! fn kind(err: &SnapshotError) -> &'static str {
//!     match err {
//!         SnapshotError::QuiesceTimeout => "quiesce",
//!         SnapshotError::MagicMismatch { .. } => "magic",
//!         SnapshotError::VersionMismatch { .. } => "version",
//!         SnapshotError::CrcMismatch => "crc",
//!         SnapshotError::TooShort => "short",
//!         SnapshotError::Incompatible => "incompatible",
//!         SnapshotError::AtomicCommitFailed(_) => "commit",
//!         SnapshotError::AtomicCommitCrossFs { .. } => "cross-fs",
//!         SnapshotError::InvalidPath(_) => "path",
//!         SnapshotError::Bitcode(_) => "bitcode",
//!         SnapshotError::SizeLimitExceeded { .. } => "size",
//!         SnapshotError::MemoryIo(_) => "memory-io",
//!         SnapshotError::Io(_) => "io",
//!         SnapshotError::Capture(_) => "capture",
//!     }
//! }
//! # let _ = kind(&SnapshotError::CrcMismatch);
//! ```
//!
//! The same match with a wildcard arm compiles:
//!
//! ```
//! use wire_errors::SnapshotError;
//!
//! fn kind(err: &SnapshotError) -> &'static str {
//!     match err {
//!         SnapshotError::QuiesceTimeout => "quiesce",
//!         SnapshotError::MagicMismatch { .. } => "magic",
//!         SnapshotError::VersionMismatch { .. } => "version",
//!         SnapshotError::CrcMismatch => "crc",
//!         SnapshotError::TooShort => "short",
//!         SnapshotError::Incompatible => "incompatible",
//!         SnapshotError::AtomicCommitFailed(_) => "commit",
//!         SnapshotError::AtomicCommitCrossFs { .. } => "cross-fs",
//!         SnapshotError::InvalidPath(_) => "path",
//!         SnapshotError::Bitcode(_) => "bitcode",
//!         SnapshotError::SizeLimitExceeded { .. } => "size",
//!         SnapshotError::MemoryIo(_) => "memory-io",
//!         SnapshotError::Io(_) => "io",
//!         SnapshotError::Capture(_) => "capture",
//!         _ => "a variant added later",
//!     }
//! }
//! assert_eq!(kind(&SnapshotError::CrcMismatch), "crc");
//! ```
//!
//! # `SnapshotError::wire_message()` is `#[must_use]`
//!
//! As upstream declares it: building the `fault_message` body and dropping it is a bug.
//! An unused result is a lint (`unused_must_use`), which has no error code: denying it
//! makes the dropped call fail to compile. If this example compiles, the attribute was
//! removed.
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//! let err = wire_errors::SnapshotError::CrcMismatch;
//! err.wire_message();
//! ```
//!
//! The same call with its result used compiles under the same lint level:
//!
//! ```
//! #![deny(unused_must_use)]
//! let err = wire_errors::SnapshotError::CrcMismatch;
//! let _ = err.wire_message();
//! ```
