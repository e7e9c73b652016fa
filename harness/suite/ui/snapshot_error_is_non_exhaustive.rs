//! `SnapshotError` is `#[non_exhaustive]`, as upstream declares it: squib may add a
//! failure mode in a minor release, so a crate matching every variant without a
//! wildcard must not compile. If this file compiles, the attribute was removed.

use wire_errors::SnapshotError;

fn kind(err: &SnapshotError) -> &'static str {
    match err {
        SnapshotError::QuiesceTimeout => "quiesce",
        SnapshotError::MagicMismatch { .. } => "magic",
        SnapshotError::VersionMismatch { .. } => "version",
        SnapshotError::CrcMismatch => "crc",
        SnapshotError::TooShort => "short",
        SnapshotError::Incompatible => "incompatible",
        SnapshotError::AtomicCommitFailed(_) => "commit",
        SnapshotError::AtomicCommitCrossFs { .. } => "cross-fs",
        SnapshotError::InvalidPath(_) => "path",
        SnapshotError::Bitcode(_) => "bitcode",
        SnapshotError::SizeLimitExceeded { .. } => "size",
        SnapshotError::MemoryIo(_) => "memory-io",
        SnapshotError::Io(_) => "io",
        SnapshotError::Capture(_) => "capture",
    }
}

fn main() {
    let _ = kind(&SnapshotError::CrcMismatch);
}
