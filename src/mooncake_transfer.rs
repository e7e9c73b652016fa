//! Mooncake TransferEngine's error codes (`mooncake-transfer-engine/include/error.h`).
//!
//! Upstream declares them as `#define ERR_NAME (-N)` and returns them as plain `int`
//! from most TransferEngine APIs, `0` meaning success. The integers are the wire
//! contract: [`TransferEngineError::code`] and [`TransferEngineError::from_code`] map
//! them exactly, and the golden pins every one.
//!
//! The codes are grouped by hundreds (arguments, handshake, metadata/endpoint/context,
//! system), and there is **no `-5`**: upstream skips it between `ERR_BATCH_BUSY` (-4) and
//! `ERR_DEVICE_NOT_FOUND` (-6), so [`TransferEngineError::from_code`]`(-5)` is `None`.
//!
//! # Decided here, not upstream
//!
//! Upstream has no message function for these codes, only the descriptions in its
//! error-code documentation. The `Display` strings (short, lowercase, no trailing period)
//! are this crate's decision, derived from those descriptions, and are pinned by the
//! golden from now on. The upstream macro name is available as
//! [`TransferEngineError::name`] for logs that must match upstream's spelling.
//!
//! # Provenance
//!
//! Mirrors kvcache-ai/Mooncake `mooncake-transfer-engine/include/error.h` at revision
//! `3b5a594133958449a1feaf1c9e0fc1b553e34a28` (2026-08-22); the file last changed in
//! `64ddda46d44d6255ccc13e2c9afa1802b4bdec42`. The meanings are those of upstream's
//! error-code documentation. Verified on 2026-11-26; the golden's header names the same
//! revision.

use crate::Sample;
use strum::{IntoStaticStr, VariantNames};
use thiserror::Error;

/// The TransferEngine return value for success. It is not an error, so no
/// [`TransferEngineError`] variant has it and `from_code(SUCCESS)` is `None`; callers
/// check for it before decoding a failure.
pub const SUCCESS: i32 = 0;

/// A non-zero return value of a Mooncake TransferEngine API.
///
/// Mirrors Mooncake `mooncake-transfer-engine/include/error.h` at
/// `3b5a594133958449a1feaf1c9e0fc1b553e34a28` (see the [module docs](self#provenance)).
///
/// `#[repr(i32)]` with the exact upstream numbers as discriminants, so the
/// enum *is* the `error.h` table and [`TransferEngineError::code`] is a plain cast.
/// `Copy`/`Hash` because it is a bare code, cheap to pass around and to key on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, VariantNames)]
#[repr(i32)]
pub enum TransferEngineError {
    /// `ERR_INVALID_ARGUMENT`: input parameters are incorrect (and cannot be detailed
    /// into another item of the argument group).
    #[error("invalid argument")]
    InvalidArgument = -1,
    /// `ERR_TOO_MANY_REQUESTS`: the number of requests passed to `SubmitTransfer`
    /// exceeds the maximum given when the `BatchID` was allocated.
    #[error("too many requests in one batch")]
    TooManyRequests = -2,
    /// `ERR_ADDRESS_NOT_REGISTERED`: the source and/or target address of a request is
    /// not registered (including registered locally but not yet uploaded to the
    /// metadata server).
    #[error("address not registered")]
    AddressNotRegistered = -3,
    /// `ERR_BATCH_BUSY`: an attempt to reclaim a `BatchID` that still has requests in
    /// flight.
    #[error("batch still has outstanding requests")]
    BatchBusy = -4,
    /// `ERR_DEVICE_NOT_FOUND`: no RDMA device is available to execute the request.
    /// (Upstream has no `-5`; this code follows `-4` directly.)
    #[error("no rdma device available")]
    DeviceNotFound = -6,
    /// `ERR_ADDRESS_OVERLAPPED`: a memory area overlapping an already registered one
    /// was registered again.
    #[error("memory region overlaps an existing registration")]
    AddressOverlapped = -7,
    /// `ERR_DNS`: the local server name is not a valid DNS hostname or IP address, so
    /// other nodes cannot handshake with this node.
    #[error("invalid dns name or ip address for the local server")]
    Dns = -101,
    /// `ERR_SOCKET`: a TCP socket error during the handshake.
    #[error("socket error during handshake")]
    Socket = -102,
    /// `ERR_MALFORMED_JSON`: the data exchanged during the handshake is malformed.
    #[error("malformed json during handshake")]
    MalformedJson = -103,
    /// `ERR_REJECT_HANDSHAKE`: the peer rejected the handshake because of an error on
    /// its side.
    #[error("peer rejected the handshake")]
    RejectHandshake = -104,
    /// `ERR_METADATA`: communication with the metadata server failed.
    #[error("metadata server communication failed")]
    Metadata = -200,
    /// `ERR_ENDPOINT`: an exception while creating or using an endpoint object (the
    /// upstream table's description is cut off after "creation and use of").
    #[error("endpoint error")]
    Endpoint = -201,
    /// `ERR_CONTEXT`: an exception while creating or using a device context object
    /// (the upstream error-code table does not describe it; meaning taken from the
    /// name and its place next to `ERR_ENDPOINT`).
    #[error("context error")]
    Context = -202,
    /// `ERR_NUMA`: the system does not support the NUMA interface.
    #[error("numa interface not supported")]
    Numa = -300,
    /// `ERR_CLOCK`: the system does not support the clock interface the engine needs
    /// (the upstream table's description is cut off after "does not support").
    #[error("clock interface not supported")]
    Clock = -301,
    /// `ERR_MEMORY`: out of memory.
    #[error("out of memory")]
    Memory = -302,
    /// `ERR_NOT_IMPLEMENTED`: the operation is not implemented by this transport or
    /// build (not described in the upstream table; meaning taken from the name).
    #[error("not implemented")]
    NotImplemented = -303,
}

/// Every variant in declaration order, so [`TransferEngineError::from_code`],
/// `samples()` and the tests walk one list (a test checks it against `VARIANTS`).
const ALL: [TransferEngineError; 17] = [
    TransferEngineError::InvalidArgument,
    TransferEngineError::TooManyRequests,
    TransferEngineError::AddressNotRegistered,
    TransferEngineError::BatchBusy,
    TransferEngineError::DeviceNotFound,
    TransferEngineError::AddressOverlapped,
    TransferEngineError::Dns,
    TransferEngineError::Socket,
    TransferEngineError::MalformedJson,
    TransferEngineError::RejectHandshake,
    TransferEngineError::Metadata,
    TransferEngineError::Endpoint,
    TransferEngineError::Context,
    TransferEngineError::Numa,
    TransferEngineError::Clock,
    TransferEngineError::Memory,
    TransferEngineError::NotImplemented,
];

impl TransferEngineError {
    /// The upstream integer for this error (the `#define` value), i.e. what a
    /// TransferEngine API returns; always negative.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// Decodes an integer returned by a TransferEngine API.
    ///
    /// Returns `None` for [`SUCCESS`] (`0` is not an error), for `-5` (a gap upstream
    /// never assigned) and for any code upstream does not define, so an unknown or newer
    /// code is never silently mistaken for a known one; the caller decides how to report
    /// it (typically with the raw integer).
    ///
    /// A search of the declared variants, not a second table: the discriminants are the
    /// only copy of upstream's numbers, so decoding cannot disagree with
    /// [`TransferEngineError::code`] and no stray entry can decode an unknown code.
    pub fn from_code(code: i32) -> Option<Self> {
        ALL.into_iter().find(|e| e.code() == code)
    }

    /// The upstream macro name (`"ERR_INVALID_ARGUMENT"`, …), so logs and diagnostics can
    /// use the spelling operators find in Mooncake's sources and docs.
    pub fn name(self) -> &'static str {
        use TransferEngineError as E;
        match self {
            E::InvalidArgument => "ERR_INVALID_ARGUMENT",
            E::TooManyRequests => "ERR_TOO_MANY_REQUESTS",
            E::AddressNotRegistered => "ERR_ADDRESS_NOT_REGISTERED",
            E::BatchBusy => "ERR_BATCH_BUSY",
            E::DeviceNotFound => "ERR_DEVICE_NOT_FOUND",
            E::AddressOverlapped => "ERR_ADDRESS_OVERLAPPED",
            E::Dns => "ERR_DNS",
            E::Socket => "ERR_SOCKET",
            E::MalformedJson => "ERR_MALFORMED_JSON",
            E::RejectHandshake => "ERR_REJECT_HANDSHAKE",
            E::Metadata => "ERR_METADATA",
            E::Endpoint => "ERR_ENDPOINT",
            E::Context => "ERR_CONTEXT",
            E::Numa => "ERR_NUMA",
            E::Clock => "ERR_CLOCK",
            E::Memory => "ERR_MEMORY",
            E::NotImplemented => "ERR_NOT_IMPLEMENTED",
        }
    }

    /// One main sample per variant (the variants carry no data, so there are no edges).
    /// The compat suite pins the `Display` and the code of each; `VARIANTS` guarantees
    /// none is forgotten.
    pub fn samples() -> Vec<Sample<Self>> {
        ALL.into_iter().map(Sample::main).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<TransferEngineError> {
        TransferEngineError::samples()
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    #[test]
    fn codes_round_trip() {
        let errors = all();
        assert_eq!(errors.len(), TransferEngineError::VARIANTS.len());
        for (e, v) in ALL.iter().zip(TransferEngineError::VARIANTS) {
            assert_eq!(<&str>::from(e), *v, "ALL is out of declaration order");
        }
        for e in errors {
            assert_eq!(TransferEngineError::from_code(e.code()), Some(e));
            assert!(e.code() < 0);
        }
    }

    #[test]
    fn upstream_numbers_and_names() {
        assert_eq!(TransferEngineError::InvalidArgument.code(), -1);
        assert_eq!(TransferEngineError::DeviceNotFound.code(), -6);
        assert_eq!(TransferEngineError::RejectHandshake.code(), -104);
        assert_eq!(TransferEngineError::Context.code(), -202);
        assert_eq!(TransferEngineError::NotImplemented.code(), -303);
        assert_eq!(
            TransferEngineError::AddressNotRegistered.name(),
            "ERR_ADDRESS_NOT_REGISTERED"
        );
        for e in all() {
            assert!(e.name().starts_with("ERR_"));
        }
    }

    #[test]
    fn gaps_and_success_are_not_errors() {
        assert_eq!(TransferEngineError::from_code(SUCCESS), None);
        assert_eq!(TransferEngineError::from_code(-5), None);
        assert_eq!(TransferEngineError::from_code(-8), None);
        assert_eq!(TransferEngineError::from_code(-203), None);
        assert_eq!(TransferEngineError::from_code(1), None);
        assert_eq!(TransferEngineError::from_code(i32::MIN), None);
    }

    #[test]
    fn display_is_short_and_lowercase() {
        assert_eq!(
            TransferEngineError::BatchBusy.to_string(),
            "batch still has outstanding requests"
        );
        for e in all() {
            let msg = e.to_string();
            assert!(!msg.is_empty() && !msg.ends_with('.'), "{msg}");
            assert_eq!(msg, msg.to_lowercase());
        }
    }
}
