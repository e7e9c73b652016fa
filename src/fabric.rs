//! The fabricBIOS host API's `FabricError` (grafOS SDK, `grafos_std::error`).
//!
//! fabricBIOS host functions return plain `i32` status codes; the SDK turns them into
//! [`FabricError`] with [`FabricError::from_status`]. Both sides of that translation are
//! wire-visible: a guest sees the integer a host function returned, and a client sees
//! the `Display` text of the error the SDK built from it. The variants, their order and
//! the status table below come from the upstream documentation.
//!
//! # Status code mapping (upstream)
//!
//! | Code | Variant |
//! |---|---|
//! | `0` | success (no error) |
//! | `-1` | [`FabricError::Disconnected`] |
//! | `-2` | [`FabricError::LeaseExpired`] |
//! | `-3` | [`FabricError::Fenced`] |
//! | `-4` | [`FabricError::CapacityExceeded`] |
//! | `-5` | [`FabricError::Unsupported`] |
//! | `-6` | [`FabricError::Revoked`] |
//! | other | [`FabricError::IoError`]`(code)` |
//!
//! # Decided here, not upstream
//!
//! Upstream publishes neither the `Display` strings, nor the inverse mapping
//! ([`FabricError::status`]), nor the full list of GPU `SESSION_STATUS_*` codes. This
//! crate therefore decides them, in thiserror style (lowercase, no trailing period):
//!
//! * the `Display` strings on each variant below;
//! * [`FabricError::status`], the inverse of [`FabricError::from_status`];
//! * [`FabricError::from_gpu_status`], which routes the positive status space of the
//!   `fabricbios_gpu_v1` hostcalls to [`FabricError::GpuSessionFailed`];
//! * only the two known session codes get a name ([`SESSION_STATUS_NO_CONTEXT`],
//!   [`SESSION_STATUS_INVALID_HANDLE`]); any other positive session code is carried
//!   through unnamed in [`FabricError::GpuSessionFailed`].
//!
//! Once decided, these are pinned by the golden `goldens/fabric_error.yaml`: changing
//! one is a wire change that must be approved like any upstream change.
//!
//! # Provenance
//!
//! Mirrors the grafOS SDK's `grafos_std::error` as its rustdoc page documents it. The
//! source is not public, so there is **no upstream revision** to name (page read on
//! 2026-11-26): the variants, their order, the status table and the two named session
//! codes are upstream's; the `Display` strings, [`FabricError::status`],
//! [`FabricError::from_gpu_status`] and every other `SESSION_STATUS_*` code are this
//! project's decision, as listed above. The golden's header says the same.

use crate::Sample;
use strum::{IntoStaticStr, VariantNames};
use thiserror::Error;

/// Host status for success. `from_status(STATUS_OK)` is `Ok(())`, never an error,
/// so no [`FabricError`] ever reports this code.
pub const STATUS_OK: i32 = 0;
/// Host status for [`FabricError::Disconnected`]; named so that callers and tests do not
/// scatter the magic number `-1` of the upstream table.
pub const STATUS_DISCONNECTED: i32 = -1;
/// Host status for [`FabricError::LeaseExpired`] (upstream table, `-2`).
pub const STATUS_LEASE_EXPIRED: i32 = -2;
/// Host status for [`FabricError::Fenced`] (upstream table, `-3`).
pub const STATUS_FENCED: i32 = -3;
/// Host status for [`FabricError::CapacityExceeded`] (upstream table, `-4`).
pub const STATUS_CAPACITY_EXCEEDED: i32 = -4;
/// Host status for [`FabricError::Unsupported`] (upstream table, `-5`).
pub const STATUS_UNSUPPORTED: i32 = -5;
/// Host status for [`FabricError::Revoked`] (upstream table, `-6`).
pub const STATUS_REVOKED: i32 = -6;

/// GPU session status `SESSION_STATUS_NO_CONTEXT` (`fabricbios_core::gpu_session`): the
/// daemon has no GPU context for the session. Named because upstream names it; it is
/// carried in [`FabricError::GpuSessionFailed`].
pub const SESSION_STATUS_NO_CONTEXT: u8 = 2;
/// GPU session status `SESSION_STATUS_INVALID_HANDLE` (`fabricbios_core::gpu_session`):
/// the session handle is unknown to the daemon. Named because upstream names it.
///
/// These two are the only session codes upstream publishes; any other positive code is
/// not given a name here and travels unnamed inside [`FabricError::GpuSessionFailed`].
pub const SESSION_STATUS_INVALID_HANDLE: u8 = 3;

/// Errors returned by fabric resource operations.
///
/// Mirrors `grafos_std::error` (rustdoc only; the source is not public, so no revision:
/// see the [module docs](self#provenance)).
///
/// Each variant corresponds to a well-defined failure mode in the fabricBIOS host
/// API. The host functions return integer status codes which are translated into
/// these variants by [`FabricError::from_status`] (and, for the GPU hostcalls, by
/// [`FabricError::from_gpu_status`]). The `Display` strings are this crate's decision
/// (upstream does not publish them) and are pinned by `goldens/fabric_error.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, IntoStaticStr, VariantNames)]
pub enum FabricError {
    /// The lease for this resource has expired.
    ///
    /// Returned when an operation targets a resource whose lease has timed out at the
    /// control-plane level. The resource may have been reclaimed by the node.
    /// Host status [`STATUS_LEASE_EXPIRED`].
    #[error("lease expired")]
    LeaseExpired,
    /// The lease was explicitly revoked.
    ///
    /// Returned when the resource's lease has been forcibly revoked by the control
    /// plane (e.g. via `REVOKE_BROADCAST`, preemption, or `WITHDRAW`). Unlike
    /// [`FabricError::LeaseExpired`], this is non-recoverable — the resource was
    /// taken, not timed out. Host status [`STATUS_REVOKED`].
    #[error("lease revoked")]
    Revoked,
    /// The requested resource exceeds available capacity.
    ///
    /// Returned by builder `.acquire()` methods when the node cannot satisfy the
    /// minimum capacity constraint, or by block I/O when the LBA is out of range.
    /// Host status [`STATUS_CAPACITY_EXCEEDED`].
    #[error("capacity exceeded")]
    CapacityExceeded,
    /// The resource has been fenced due to a teardown failure.
    ///
    /// A fenced resource cannot accept new leases. This is a terminal state in the
    /// fabricBIOS lease model — the node detected that data-plane teardown did not
    /// complete cleanly and has locked the resource to prevent data corruption.
    /// Host status [`STATUS_FENCED`].
    #[error("resource fenced")]
    Fenced,
    /// The connection to the remote node was lost.
    ///
    /// Indicates a transport-level failure (QUIC connection closed, network timeout,
    /// or node crash). Retrying with a new connection may succeed if the node
    /// recovers. Host status [`STATUS_DISCONNECTED`].
    #[error("disconnected from remote node")]
    Disconnected,
    /// An I/O error with a host-specific status code.
    ///
    /// Wraps any status code not covered by the well-known variants above, so that
    /// no host status is ever lost. The inner `i32` is the raw status code returned
    /// by the host function (it may be positive).
    #[error("i/o error (status {0})")]
    IoError(i32),
    /// The requested operation is not supported.
    ///
    /// Returned by GPU and CPU modules whose host functions are not yet implemented,
    /// or by nodes that do not expose the requested resource type.
    /// Host status [`STATUS_UNSUPPORTED`].
    #[error("operation not supported")]
    Unsupported,
    /// A GPU session operation failed on the daemon side.
    ///
    /// The inner `u8` carries the raw `fabricbios_core::gpu_session::SESSION_STATUS_*`
    /// code (e.g. [`SESSION_STATUS_INVALID_HANDLE`] = 3, [`SESSION_STATUS_NO_CONTEXT`]
    /// = 2; other codes are carried through unnamed). Positive, non-zero status values
    /// returned by the `fabricbios_gpu_v1` hostcalls surface as this variant (see
    /// [`FabricError::from_gpu_status`]); transport- and lease-level failures still
    /// map to the other variants via [`FabricError::from_status`].
    #[error("gpu session failed (session status {0})")]
    GpuSessionFailed(u8),
}

/// The variants [`FabricError::from_status`] decodes a status to, each at its own
/// [`FabricError::status`]: the upstream table (see the module docs), declared once.
/// Every other non-zero code decodes to [`FabricError::IoError`]`(code)`.
const STATUS_TABLE: [FabricError; 6] = [
    FabricError::Disconnected,
    FabricError::LeaseExpired,
    FabricError::Fenced,
    FabricError::CapacityExceeded,
    FabricError::Unsupported,
    FabricError::Revoked,
];

impl FabricError {
    /// Translates a fabricBIOS host status code, as the SDK does after every host call.
    ///
    /// `0` is success; `-1..=-6` map per the upstream table (see the module docs); every
    /// other code — including positive ones — becomes [`FabricError::IoError`]`(code)`,
    /// so an unexpected status is reported verbatim instead of being dropped.
    ///
    /// It searches its table of the six named variants for the one whose
    /// [`FabricError::status`] is `code` instead of matching codes itself, so it cannot
    /// decode a code to a named variant other than at that variant's own status, which
    /// the compat suite pins for every variant: a code far outside the suite's sweep
    /// cannot gain a decoding unseen (as the Mooncake decoders search their variants).
    pub fn from_status(code: i32) -> Result<(), FabricError> {
        if code == STATUS_OK {
            return Ok(());
        }
        match STATUS_TABLE.into_iter().find(|e| e.status() == code) {
            Some(named) => Err(named),
            None => Err(FabricError::IoError(code)),
        }
    }

    /// The host status code this error stands for: the inverse of
    /// [`FabricError::from_status`], so an error can be handed back across the host
    /// boundary (upstream does not publish an inverse; this one is decided here).
    ///
    /// `from_status(e.status())` returns `Err(e)` for every error `from_status`
    /// produces: the six named variants, and `IoError(c)` for any `c` outside
    /// `-6..=0`. It is not a round trip for `IoError(c)` with `c` in `-6..=0`, which
    /// `from_status` never builds.
    ///
    /// [`FabricError::GpuSessionFailed`]`(c)` returns `c as i32`, a positive code of the
    /// *GPU session* status space: it round-trips through
    /// [`FabricError::from_gpu_status`], not through `from_status` (which would read a
    /// positive code as `IoError`).
    ///
    /// **Decided here: `GpuSessionFailed(0)` returns `0`**, the success code. The variant
    /// carries a `u8` as upstream declares it, so `0` can be built, but it is not a wire
    /// value: [`FabricError::from_gpu_status`]`(0)` is `Ok(())` and never produces it. We
    /// return the carried code verbatim rather than invent another number, because any
    /// other code already means something on the wire (`-1` is `Disconnected`, a
    /// positive one another session status); the price is that this one value reads as
    /// success if handed back to a host, so never build `GpuSessionFailed(0)`. The golden
    /// pins it (`GpuSessionFailed.zero`: status 0).
    pub fn status(&self) -> i32 {
        match *self {
            FabricError::LeaseExpired => STATUS_LEASE_EXPIRED,
            FabricError::Revoked => STATUS_REVOKED,
            FabricError::CapacityExceeded => STATUS_CAPACITY_EXCEEDED,
            FabricError::Fenced => STATUS_FENCED,
            FabricError::Disconnected => STATUS_DISCONNECTED,
            FabricError::IoError(code) => code,
            FabricError::Unsupported => STATUS_UNSUPPORTED,
            FabricError::GpuSessionFailed(code) => i32::from(code),
        }
    }

    /// Translates the status code of a `fabricbios_gpu_v1` hostcall.
    ///
    /// GPU hostcalls share the negative transport/lease codes with every other host
    /// function but add a positive space for daemon-side session failures. Decided here
    /// (upstream only describes it in prose): `0` is success; `1..=255` (a `u8`
    /// `SESSION_STATUS_*`) becomes [`FabricError::GpuSessionFailed`]; everything else —
    /// negative codes and codes above 255, which cannot be a session status — goes
    /// through [`FabricError::from_status`], so nothing is lost.
    pub fn from_gpu_status(code: i32) -> Result<(), FabricError> {
        match u8::try_from(code) {
            Ok(0) => Ok(()),
            Ok(session) => Err(FabricError::GpuSessionFailed(session)),
            Err(_) => FabricError::from_status(code),
        }
    }

    /// Representative values of every variant, with edge samples for the two variants
    /// that embed a number (extremes, positive and unnamed codes). The compat suite pins
    /// the `Display` of each; `VARIANTS` guarantees none is forgotten.
    pub fn samples() -> Vec<Sample<Self>> {
        use FabricError as E;
        vec![
            Sample::main(E::LeaseExpired),
            Sample::main(E::Revoked),
            Sample::main(E::CapacityExceeded),
            Sample::main(E::Fenced),
            Sample::main(E::Disconnected),
            Sample::main(E::IoError(-7)),
            Sample::edge("positive", E::IoError(5)),
            Sample::edge("min", E::IoError(i32::MIN)),
            Sample::edge("max", E::IoError(i32::MAX)),
            Sample::edge("minus-1000", E::IoError(-1000)),
            Sample::main(E::Unsupported),
            Sample::main(E::GpuSessionFailed(SESSION_STATUS_INVALID_HANDLE)),
            Sample::edge("no-context", E::GpuSessionFailed(SESSION_STATUS_NO_CONTEXT)),
            Sample::edge("unnamed", E::GpuSessionFailed(200)),
            Sample::edge("max", E::GpuSessionFailed(u8::MAX)),
            Sample::edge("zero", E::GpuSessionFailed(0)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_table_matches_upstream() {
        assert_eq!(FabricError::from_status(0), Ok(()));
        assert_eq!(FabricError::from_status(-1), Err(FabricError::Disconnected));
        assert_eq!(FabricError::from_status(-2), Err(FabricError::LeaseExpired));
        assert_eq!(FabricError::from_status(-3), Err(FabricError::Fenced));
        assert_eq!(
            FabricError::from_status(-4),
            Err(FabricError::CapacityExceeded)
        );
        assert_eq!(FabricError::from_status(-5), Err(FabricError::Unsupported));
        assert_eq!(FabricError::from_status(-6), Err(FabricError::Revoked));
        assert_eq!(FabricError::from_status(-7), Err(FabricError::IoError(-7)));
        assert_eq!(FabricError::from_status(5), Err(FabricError::IoError(5)));
        assert_eq!(
            FabricError::from_status(i32::MIN),
            Err(FabricError::IoError(i32::MIN))
        );
    }

    /// The decoder's table holds every variant that has a code of its own (all but the
    /// two that carry one) exactly once, at distinct non-zero codes.
    #[test]
    fn status_table_holds_each_named_variant_once() {
        use strum::VariantNames;
        let named: Vec<&str> = STATUS_TABLE.iter().map(<&str>::from).collect();
        let expected: Vec<&str> = FabricError::VARIANTS
            .iter()
            .copied()
            .filter(|v| !["IoError", "GpuSessionFailed"].contains(v))
            .collect();
        let mut sorted = named.clone();
        sorted.sort_unstable();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort_unstable();
        assert_eq!(sorted, expected_sorted);
        let mut codes: Vec<i32> = STATUS_TABLE.iter().map(FabricError::status).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), STATUS_TABLE.len(), "two variants share a code");
        assert!(
            !codes.contains(&STATUS_OK),
            "a variant decodes from success"
        );
    }

    #[test]
    fn status_round_trips_through_from_status() {
        let codes = [
            -1000,
            -7,
            -6,
            -5,
            -4,
            -3,
            -2,
            -1,
            1,
            255,
            256,
            i32::MIN,
            i32::MAX,
        ];
        for code in codes {
            let err = FabricError::from_status(code).unwrap_err();
            assert_eq!(err.status(), code, "{err:?}");
            assert_eq!(FabricError::from_status(err.status()), Err(err));
        }
    }

    #[test]
    fn gpu_session_failed_zero_is_not_a_round_trip() {
        let err = FabricError::GpuSessionFailed(0);
        assert_eq!(err.status(), STATUS_OK);
        assert_eq!(FabricError::from_gpu_status(err.status()), Ok(()));
        assert_eq!(err.to_string(), "gpu session failed (session status 0)");
    }

    #[test]
    fn gpu_status_space() {
        assert_eq!(FabricError::from_gpu_status(0), Ok(()));
        assert_eq!(
            FabricError::from_gpu_status(3),
            Err(FabricError::GpuSessionFailed(SESSION_STATUS_INVALID_HANDLE))
        );
        assert_eq!(
            FabricError::from_gpu_status(255),
            Err(FabricError::GpuSessionFailed(255))
        );
        assert_eq!(
            FabricError::from_gpu_status(256),
            Err(FabricError::IoError(256))
        );
        assert_eq!(FabricError::from_gpu_status(-3), Err(FabricError::Fenced));
        assert_eq!(
            FabricError::from_gpu_status(-9),
            Err(FabricError::IoError(-9))
        );
        for code in 1..=255 {
            let err = FabricError::from_gpu_status(code).unwrap_err();
            assert_eq!(err.status(), code);
        }
    }

    #[test]
    fn display_strings() {
        assert_eq!(FabricError::Fenced.to_string(), "resource fenced");
        assert_eq!(
            FabricError::IoError(-7).to_string(),
            "i/o error (status -7)"
        );
        assert_eq!(
            FabricError::GpuSessionFailed(2).to_string(),
            "gpu session failed (session status 2)"
        );
    }

    #[test]
    fn samples_cover_every_variant() {
        let samples = FabricError::samples();
        for name in FabricError::VARIANTS {
            assert!(
                samples
                    .iter()
                    .any(|s| s.label.is_empty() && <&str>::from(&s.value) == *name),
                "no main sample for {name}"
            );
        }
    }
}
