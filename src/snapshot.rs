//! squib's `SnapshotError` (`crates/snapshot/src/error.rs`), byte-exact, with the
//! snapshot format constants and the version-compatibility rule.
//!
//! The API layer copies [`SnapshotError::wire_message`] (= `to_string()`) verbatim into the
//! `fault_message` body of a failed snapshot request, so every `#[error(...)]` string here
//! is wire-visible. Upstream invariant I-RC-8: "SnapshotError variants map 1:1 to wire
//! fault_message strings; renaming a variant requires a compat-suite golden update."
//! The golden `goldens/snapshot_error.yaml` pins them.
//!
//! # Load order (documentation only)
//!
//! squib checks a snapshot file in this order, so the first failing check decides which
//! error a client sees:
//!
//! 1. size over [`SNAPSHOT_DESERIALIZATION_BYTES_LIMIT`] → [`SnapshotError::SizeLimitExceeded`];
//! 2. under 8 bytes (no room for the CRC trailer) → [`SnapshotError::TooShort`];
//! 3. CRC64 of the body ≠ trailer → [`SnapshotError::CrcMismatch`];
//! 4. bitcode decode fails → [`SnapshotError::Bitcode`];
//! 5. magic ≠ [`SNAPSHOT_MAGIC_AARCH64`] → [`SnapshotError::MagicMismatch`];
//! 6. version not loadable ([`check_version`]) → [`SnapshotError::VersionMismatch`];
//! 7. shape check (sysreg subset, GIC blob) fails → [`SnapshotError::Incompatible`].
//!
//! This crate does not implement the loader; the order is recorded so that whoever
//! wires these errors to a loader keeps the client-visible precedence.
//!
//! # Version rule, and our decision on pre-release and build metadata
//!
//! A snapshot is loadable when its major equals ours and its minor is not above ours;
//! the patch is unrestricted (squib's own test accepts `patch + 12345`).
//!
//! **Decided here (NOT FOUND upstream):** pre-release and build metadata are *ignored*.
//! The rule reads `major` and `minor` only, exactly as squib's check does, so under
//! 5.0.0 both `5.0.0-rc.1` and `5.0.3+build.7` load, while `5.1.0-alpha` is rejected
//! because its minor is above ours. Semver precedence (where `5.0.0-rc.1 < 5.0.0`) plays
//! no part. The golden pins this behaviour through the samples and the unit tests below.
//!
//! # Provenance
//!
//! Mirrors tyrchen/squib `crates/snapshot/src/error.rs` and `envelope.rs` at revision
//! `000bad5efb59ddcec7e1b980bf8e84281ba052fc` (13 variants, no `Capture`).
//! [`SnapshotError::Capture`] comes from the squib-snapshot 0.2.0 docs, and its `HVF {ctx}:
//! {e:?}` shape from `crates/hv/src/vcpu_save.rs` at `3122c1af2e63835796ae2783c4a747c7149dec7d`.
//! The published release squib-snapshot 0.2.0 has all 14 variants (`Capture` as
//! `snapshot capture/restore failure: {0}`), the constants and the version rule
//! (`envelope.rs`: major exact, minor not above ours; pre-release and build never read).
//! Verified on 2026-11-26; the goldens' headers name the same revisions.

use crate::Sample;
use std::path::PathBuf;
use strum::{IntoStaticStr, VariantNames};
use thiserror::Error;

/// The snapshot format version type, re-exported because it appears in
/// [`SnapshotError::VersionMismatch`] and callers must be able to build one without
/// depending on `semver` themselves (upstream uses `semver::Version` too).
pub use semver::Version;

/// The magic number at the head of every aarch64 squib snapshot; a file with any other
/// magic is not a squib/Firecracker-compatible state file ([`SnapshotError::MagicMismatch`]).
pub const SNAPSHOT_MAGIC_AARCH64: u64 = 0x0710_1984_AAAA_0000;

/// The snapshot format version this build writes and the reference for [`check_version`];
/// bumping it without updating the golden fixture fails the suite (upstream I-TEST-4).
pub const SNAPSHOT_VERSION: Version = Version::new(5, 0, 0);

/// The largest snapshot state file squib will deserialize, in bytes; a bigger file is
/// refused before decoding ([`SnapshotError::SizeLimitExceeded`]) so a hostile or corrupt
/// file cannot make the decoder allocate without bound.
pub const SNAPSHOT_DESERIALIZATION_BYTES_LIMIT: usize = 10_000_000;

/// Errors produced by the snapshot subsystem.
///
/// Mirrors squib `crates/snapshot/src/error.rs` at `000bad5efb59ddcec7e1b980bf8e84281ba052fc`
/// plus `Capture` from squib-snapshot 0.2.0 (see the [module docs](self#provenance)).
///
/// Variants and their `Display` shapes are wire-stable per I-RC-8: the API layer
/// surfaces `to_string()` verbatim into the `fault_message` body. Renaming a variant
/// or its message is a compat-suite golden change. `#[non_exhaustive]` as upstream,
/// so squib can add failure modes without a breaking release.
#[derive(Debug, Error, IntoStaticStr, VariantNames)]
#[non_exhaustive]
pub enum SnapshotError {
    /// A vCPU did not acknowledge the quiesce request within the timeout.
    ///
    /// Surfaces as 503 Service Unavailable on `PUT /snapshot/create`. The save is
    /// aborted; the previous on-disk pair (if any) is untouched.
    #[error("a vCPU did not ack quiesce within the timeout")]
    QuiesceTimeout,
    /// Snapshot magic mismatch — the file is not a squib-/Firecracker-compatible
    /// state file.
    #[error("snapshot magic mismatch (file: {found:#x}, expected: {expected:#x})")]
    MagicMismatch {
        /// The magic number read from the file.
        found: u64,
        /// The magic number this build accepts ([`SNAPSHOT_MAGIC_AARCH64`]).
        expected: u64,
    },
    /// Snapshot version is not loadable by this squib build.
    ///
    /// The compat rule mirrors upstream: major must match exactly; minor must be
    /// ≤ ours; patch is unrestricted (see [`check_version_against`]).
    #[error("snapshot version {found} is incompatible with squib's {expected}")]
    VersionMismatch {
        /// The version recorded in the snapshot file.
        found: Version,
        /// The version of this build ([`SNAPSHOT_VERSION`]).
        expected: Version,
    },
    /// CRC64 of the file body does not match its trailing checksum, so the file was
    /// corrupted or truncated after it was written.
    #[error("snapshot CRC64 mismatch")]
    CrcMismatch,
    /// The file is shorter than the trailing 8-byte CRC, so it cannot even be
    /// checksummed.
    #[error("snapshot file is too short to contain a CRC trailer")]
    TooShort,
    /// Snapshot deserializes to a structurally compatible state, but the contents
    /// (sysreg subset, GIC blob shape) are from a different VMM.
    #[error("snapshot is from a different VMM (sysreg or GIC blob shape mismatch)")]
    Incompatible,
    /// Atomic-commit failed: the temp file wrote successfully but `rename(2)` did not
    /// complete. The previous destination pair (if any) is left untouched.
    #[error("atomic commit (rename) failed: {0}")]
    AtomicCommitFailed(#[source] std::io::Error),
    /// The user-supplied destination path and the temp-file directory live on
    /// different filesystems, so `rename(2)` could not be atomic.
    ///
    /// Pre-flight check; surfaces before any data is written. The remediation is for
    /// the operator to point the snapshot at a path on the same filesystem as the
    /// temp directory (or vice-versa). Both paths render with `Debug`, so quotes and
    /// control characters in them are escaped on the wire.
    #[error("snapshot temp-file path is on a different filesystem from the destination (dest={dest:?}, temp_dir={temp_dir:?}); rename(2) cannot be atomic across mounts")]
    AtomicCommitCrossFs {
        /// The destination path the operator asked for.
        dest: PathBuf,
        /// The directory squib writes the temp file into before renaming it.
        temp_dir: PathBuf,
    },
    /// Operator handed the API a path that did not pass boundary validation (NUL
    /// byte, oversized, traversal). The path is rendered raw (`Display`), unescaped.
    #[error("invalid snapshot path: {0}")]
    InvalidPath(String),
    /// bitcode failed to encode or decode the snapshot envelope.
    ///
    /// Carries the bitcode error's text (see [`SnapshotError::bitcode`]) rather than
    /// the error itself, so this crate needs no bitcode dependency. `Display` matches
    /// [`SnapshotError::wire_message`], so the API server's `fault_message` body is
    /// byte-equal to the rendered `to_string()`.
    #[error("snapshot encoding error: {0}")]
    Bitcode(String),
    /// The file is larger than the squib deserialization size limit.
    #[error("snapshot exceeds {limit} byte deserialization limit")]
    SizeLimitExceeded {
        /// The limit that was exceeded, in bytes
        /// (normally [`SNAPSHOT_DESERIALIZATION_BYTES_LIMIT`]).
        limit: usize,
    },
    /// Memory file write failed (sparse pwrite, full dump, or fsync); kept apart from
    /// [`SnapshotError::Io`] because the memory file has its own remediation.
    #[error("memory file I/O error: {0}")]
    MemoryIo(#[source] std::io::Error),
    /// Generic I/O error during state file read/write or fsync. `From<io::Error>`
    /// produces this variant, as upstream, so `?` on state-file I/O lands here.
    #[error("snapshot I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A host-side capture or restore step failed (HVF call returned an error, MMDS
    /// handle was poisoned, etc.). The string is the underlying cause for the
    /// `fault_message`; the variant exists to keep host-FFI failures out of
    /// [`SnapshotError::Bitcode`] and [`SnapshotError::Io`] (both of which connote
    /// different remediations). See [`SnapshotError::capture`].
    #[error("snapshot capture/restore failure: {0}")]
    Capture(String),
}

impl SnapshotError {
    /// The exact `fault_message` body string this error surfaces to the API.
    ///
    /// Stable per I-RC-8 — renaming a variant or its `Display` shape is a compat-suite
    /// golden change. Single source of truth: this delegates to `Display`, so the two
    /// cannot drift.
    #[must_use]
    pub fn wire_message(&self) -> String {
        self.to_string()
    }

    /// Wraps a bitcode encode/decode error as [`SnapshotError::Bitcode`]`(err.to_string())`,
    /// as upstream's `From<bitcode::Error>` does; it takes any `Display` because this
    /// crate has no bitcode dependency, and the wire only ever sees the text.
    pub fn bitcode(err: impl std::fmt::Display) -> Self {
        SnapshotError::Bitcode(err.to_string())
    }

    /// Builds [`SnapshotError::Capture`] the way squib does for a failed HVF call:
    /// `HVF {ctx}: {err:?}`, where `ctx` names the host call (e.g. `hv_vcpu_get_reg`)
    /// and `err` is its `Debug`-rendered return value. Centralised here so every call
    /// site produces the same wire shape.
    pub fn capture(ctx: &str, err: impl std::fmt::Debug) -> Self {
        SnapshotError::Capture(format!("HVF {ctx}: {err:?}"))
    }

    /// Representative values of every variant, with the edge samples that matter for
    /// messages embedding a value (extreme magic numbers, pre-release and build versions,
    /// paths with spaces, quotes, unicode, NUL, traversal). The compat suite pins the
    /// `Display` of each; `VARIANTS` guarantees none is forgotten. I/O errors are built
    /// only with explicit text, never from OS error codes, whose text is
    /// platform-dependent.
    pub fn samples() -> Vec<Sample<Self>> {
        use std::io;
        use SnapshotError as E;

        /// A stand-in for an HVF return code, so the `Capture` sample shows the `Debug`
        /// rendering squib puts on the wire.
        #[derive(Debug)]
        enum HvReturn {
            BadArgument,
        }

        let s = |v: &str| v.to_owned();
        let v = |v: &str| Version::parse(v).expect("sample versions are valid semver");
        let p = |v: &str| PathBuf::from(v);
        vec![
            Sample::main(E::QuiesceTimeout),
            Sample::main(E::MagicMismatch {
                found: 0xDEAD_BEEF_0000_0001,
                expected: SNAPSHOT_MAGIC_AARCH64,
            }),
            Sample::edge(
                "zero",
                E::MagicMismatch {
                    found: 0,
                    expected: SNAPSHOT_MAGIC_AARCH64,
                },
            ),
            Sample::edge(
                "max",
                E::MagicMismatch {
                    found: u64::MAX,
                    expected: SNAPSHOT_MAGIC_AARCH64,
                },
            ),
            Sample::main(E::VersionMismatch {
                found: v("6.0.0"),
                expected: SNAPSHOT_VERSION,
            }),
            Sample::edge(
                "minor-above",
                E::VersionMismatch {
                    found: v("5.1.0"),
                    expected: SNAPSHOT_VERSION,
                },
            ),
            Sample::edge(
                "prerelease",
                E::VersionMismatch {
                    found: v("6.0.0-rc.1"),
                    expected: SNAPSHOT_VERSION,
                },
            ),
            Sample::edge(
                "build",
                E::VersionMismatch {
                    found: v("4.2.0+build.5"),
                    expected: SNAPSHOT_VERSION,
                },
            ),
            Sample::main(E::CrcMismatch),
            Sample::main(E::TooShort),
            Sample::main(E::Incompatible),
            Sample::main(E::AtomicCommitFailed(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "rename /var/lib/squib/vm.snap.tmp -> /var/lib/squib/vm.snap: permission denied",
            ))),
            Sample::main(E::AtomicCommitCrossFs {
                dest: p("/mnt/nfs/snapshots/vm.snap"),
                temp_dir: p("/var/lib/squib/tmp"),
            }),
            Sample::edge(
                "spaces",
                E::AtomicCommitCrossFs {
                    dest: p("/mnt/backup disk/my vm.snap"),
                    temp_dir: p("/var/lib/squib/tmp dir"),
                },
            ),
            Sample::edge(
                "quotes",
                E::AtomicCommitCrossFs {
                    dest: p("/mnt/nfs/vm \"prod\" it's.snap"),
                    temp_dir: p("/var/lib/squib/tmp"),
                },
            ),
            Sample::edge(
                "unicode",
                E::AtomicCommitCrossFs {
                    dest: p("/mnt/données/スナップ.snap"),
                    temp_dir: p("/var/lib/squib/tmp"),
                },
            ),
            Sample::main(E::InvalidPath(s("/var/lib/squib/snapshots/vm.snap/"))),
            Sample::edge("empty", E::InvalidPath(s(""))),
            Sample::edge("nul", E::InvalidPath(s("/var/lib/squib/vm\0.snap"))),
            Sample::edge("traversal", E::InvalidPath(s("../../etc/passwd"))),
            Sample::main(E::bitcode("EOF")),
            Sample::main(E::SizeLimitExceeded {
                limit: SNAPSHOT_DESERIALIZATION_BYTES_LIMIT,
            }),
            Sample::edge("zero", E::SizeLimitExceeded { limit: 0 }),
            Sample::main(E::MemoryIo(io::Error::other(
                "pwrite /var/lib/squib/vm.mem at offset 0x40000000: no space left on device",
            ))),
            Sample::main(E::from(io::Error::other(
                "fsync /var/lib/squib/vm.state: input/output error",
            ))),
            Sample::main(E::capture("hv_vcpu_get_reg", HvReturn::BadArgument)),
            Sample::edge("empty", E::Capture(String::new())),
        ]
    }
}

/// Checks whether a snapshot written at version `found` is loadable by a build at
/// version `ours`, so the rule can be tested against versions other than
/// [`SNAPSHOT_VERSION`].
///
/// Rejects with [`SnapshotError::VersionMismatch`]` { found, expected: ours }` when
/// `found.major != ours.major || found.minor > ours.minor`; the patch is unrestricted.
///
/// **Our decision (NOT FOUND upstream):** pre-release and build metadata are ignored —
/// only `major` and `minor` are read, exactly as squib's check does. Under 5.0.0,
/// `5.0.0-rc.1` and `5.0.3+build.7` load; `5.1.0-alpha` is rejected (minor above ours).
/// Major 0 gets no special semver treatment: `0.1.x` loads under `0.1.0`, `0.2.0` does not.
pub fn check_version_against(found: &Version, ours: &Version) -> Result<(), SnapshotError> {
    if found.major != ours.major || found.minor > ours.minor {
        return Err(SnapshotError::VersionMismatch {
            found: found.clone(),
            expected: ours.clone(),
        });
    }
    Ok(())
}

/// Checks whether a snapshot written at version `found` is loadable by this build, i.e.
/// [`check_version_against`]`(found, &SNAPSHOT_VERSION)`; this is the check squib's loader
/// runs after the magic check.
pub fn check_version(found: &Version) -> Result<(), SnapshotError> {
    check_version_against(found, &SNAPSHOT_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;
    use std::io;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn loads(found: &str, ours: &str) -> bool {
        check_version_against(&v(found), &v(ours)).is_ok()
    }

    #[test]
    fn version_equal_and_minor() {
        assert!(loads("5.0.0", "5.0.0"));
        assert!(loads("5.2.0", "5.3.0"), "minor below loads");
        assert!(loads("5.3.0", "5.3.0"), "minor equal loads");
        assert!(!loads("5.4.0", "5.3.0"), "minor above is rejected");
        assert!(!loads("4.0.0", "5.0.0"), "major below is rejected");
        assert!(!loads("6.0.0", "5.0.0"), "major above is rejected");
    }

    #[test]
    fn version_major_zero_and_patch() {
        assert!(loads("0.1.0", "0.1.0"));
        assert!(loads("0.1.7", "0.1.0"));
        assert!(!loads("0.2.0", "0.1.0"));
        assert!(
            check_version(&v("5.0.12345")).is_ok(),
            "patch is unrestricted"
        );
    }

    #[test]
    fn version_prerelease_and_build_are_ignored() {
        assert!(check_version(&v("5.0.0-rc.1")).is_ok());
        assert!(check_version(&v("5.0.3+build.7")).is_ok());
        assert!(check_version(&v("5.0.0-alpha+build.1")).is_ok());
        assert!(check_version(&v("5.1.0-alpha")).is_err());
        assert!(check_version(&v("4.9.0-rc.1")).is_err());
    }

    #[test]
    fn version_rejection_carries_found_and_expected() {
        match check_version(&v("6.0.0-rc.1")) {
            Err(SnapshotError::VersionMismatch { found, expected }) => {
                assert_eq!(found, v("6.0.0-rc.1"));
                assert_eq!(expected, SNAPSHOT_VERSION);
            }
            other => panic!("expected VersionMismatch, got {other:?}"),
        }
        let err = check_version_against(&v("1.2.3"), &v("2.0.0")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "snapshot version 1.2.3 is incompatible with squib's 2.0.0"
        );
    }

    #[test]
    fn wire_message_is_display() {
        for sample in SnapshotError::samples() {
            assert_eq!(sample.value.wire_message(), sample.value.to_string());
        }
    }

    #[test]
    fn messages_and_sources() {
        let err = SnapshotError::MagicMismatch {
            found: 0,
            expected: SNAPSHOT_MAGIC_AARCH64,
        };
        assert_eq!(
            err.to_string(),
            "snapshot magic mismatch (file: 0x0, expected: 0x7101984aaaa0000)"
        );

        let err = SnapshotError::from(io::Error::other("boom"));
        assert!(matches!(err, SnapshotError::Io(_)));
        assert_eq!(err.to_string(), "snapshot I/O error: boom");
        assert_eq!(err.source().unwrap().to_string(), "boom");

        let err = SnapshotError::MemoryIo(io::Error::other("disk full"));
        assert_eq!(err.source().unwrap().to_string(), "disk full");

        let err = SnapshotError::AtomicCommitCrossFs {
            dest: PathBuf::from("/a \"b\""),
            temp_dir: PathBuf::from("/tmp"),
        };
        let msg = err.to_string();
        assert!(!msg.contains('\n'));
        assert!(msg.contains(r#"dest="/a \"b\"""#), "{msg}");
    }

    #[test]
    fn helpers_build_upstream_shapes() {
        assert_eq!(
            SnapshotError::capture("hv_vcpu_run", (1, "busy")).to_string(),
            "snapshot capture/restore failure: HVF hv_vcpu_run: (1, \"busy\")"
        );
        assert!(matches!(
            SnapshotError::bitcode("EOF"),
            SnapshotError::Bitcode(ref m) if m == "EOF"
        ));
    }

    #[test]
    fn samples_cover_every_variant() {
        let samples = SnapshotError::samples();
        for name in SnapshotError::VARIANTS {
            assert!(
                samples
                    .iter()
                    .any(|s| s.label.is_empty() && <&str>::from(&s.value) == *name),
                "no main sample for {name}"
            );
        }
    }
}
