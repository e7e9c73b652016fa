//! Mooncake Store's `ErrorCode` (`mooncake-store/include/types.h`, `src/types.cpp`).
//!
//! Upstream declares `enum class ErrorCode : int32_t`; store APIs return it, RPCs carry it
//! as its `int32_t` value (`toInt`), and logs and clients see its `toString` text. Both
//! are wire contracts, so this module reproduces the numbers exactly
//! ([`ErrorCode::code`]) and the text exactly ([`ErrorCode::wire_str`]), and the golden
//! pins every one.
//!
//! # The `toString` quirk, pinned on purpose
//!
//! Upstream's `toString(ErrorCode)` looks the code up in a map of names and falls back
//! to `"UNKNOWN_ERROR"`. That map has **no entry for `REPLICA_NOT_IN_LOCAL_MEMORY`
//! (-713)**, so upstream renders that perfectly valid code as `UNKNOWN_ERROR`. A compat
//! suite pins what is on the wire, quirk included: [`ErrorCode::wire_str`] (and therefore
//! `Display`) returns `"UNKNOWN_ERROR"` for [`ErrorCode::ReplicaNotInLocalMemory`].
//! [`ErrorCode::name`] still gives the real enumerator name for diagnostics. If upstream
//! ever adds the missing map entry, the golden must change with it, deliberately.
//!
//! # Where we differ: `fromInt` is checked
//!
//! Upstream's `fromInt` is a `static_cast<ErrorCode>` of any `int32_t`, producing an
//! enumerator-less value for an unknown code — legal but UB-adjacent in C++ (any `switch`
//! over it is unhandled), and impossible in safe Rust, where an enum value outside its
//! variants is undefined behaviour. [`ErrorCode::from_code`] therefore returns `None` for
//! an unknown code; [`ErrorCode::wire_str_of_int`] still reproduces upstream's text for
//! such a code (`UNKNOWN_ERROR`).
//!
//! # Provenance
//!
//! Mirrors kvcache-ai/Mooncake `mooncake-store/include/types.h` (the codes and, in each
//! variant's doc, upstream's own description) and `src/types.cpp` (`toString`) at revision
//! `3b5a594133958449a1feaf1c9e0fc1b553e34a28` (2026-08-22); the files last changed in
//! `41a9917065317e16306ecd0c45931ec64b3c9eb3` (`types.h`) and
//! `6cc13f0ed484d8bea87bda65be0c5fa996ec8dd3` (`types.cpp`, whose map holds 71 codes: no
//! -713, so the quirk above stands). Verified on 2026-11-26; the golden's header names the
//! same revision.

use crate::Sample;
use std::fmt;
use strum::{IntoStaticStr, VariantNames};

/// What upstream's `toString` returns for a code its map does not know (including, by
/// the quirk above, `REPLICA_NOT_IN_LOCAL_MEMORY`); a const so tests and callers compare
/// against one spelling.
pub const UNKNOWN_ERROR: &str = "UNKNOWN_ERROR";

/// A Mooncake Store result code (`mooncake::ErrorCode`), success included.
///
/// Mirrors Mooncake `mooncake-store/include/types.h` and `src/types.cpp` at
/// `3b5a594133958449a1feaf1c9e0fc1b553e34a28` (see the [module docs](self#provenance)).
///
/// `#[repr(i32)]` with upstream's exact numbers as discriminants, so the enum *is*
/// the `types.h` table and [`ErrorCode::code`] is upstream's `toInt`. Its `Display` is
/// upstream's `toString` ([`ErrorCode::wire_str`]), quirk included. Only `Debug`,
/// `Clone`, `Copy`, `PartialEq`, `Eq` and `Hash` are derived (plus strum's variant
/// names for the compat suite): it is a bare code.
///
/// Each variant's doc quotes upstream's own `///<` description of the code, verbatim
/// from `types.h` at the revision named in the [module docs](self#provenance), so the
/// meaning a caller reads here is upstream's, not a paraphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, VariantNames)]
#[repr(i32)]
pub enum ErrorCode {
    /// `OK` (0), upstream: "Operation successful."
    ///
    /// Upstream keeps success in the same enum, so it is a value here too (wire text `OK`)
    /// rather than the absence of an error.
    Ok = 0,
    /// `INTERNAL_ERROR` (-1), upstream: "Internal error occurred."
    InternalError = -1,
    /// `BUFFER_OVERFLOW` (-10), upstream: "Insufficient buffer space."
    BufferOverflow = -10,
    /// `SHARD_INDEX_OUT_OF_RANGE` (-100), upstream: "Shard index is out of bounds."
    ShardIndexOutOfRange = -100,
    /// `SEGMENT_NOT_FOUND` (-101), upstream: "No available segments found."
    SegmentNotFound = -101,
    /// `SEGMENT_ALREADY_EXISTS` (-102), upstream: "Segment already exists."
    SegmentAlreadyExists = -102,
    /// `CLIENT_NOT_FOUND` (-103), upstream: "Client not found."
    ClientNotFound = -103,
    /// `NO_AVAILABLE_HANDLE` (-200), upstream: "Memory allocation failed due to insufficient
    /// space."
    NoAvailableHandle = -200,
    /// `INVALID_VERSION` (-300), upstream: "Invalid version."
    InvalidVersion = -300,
    /// `INVALID_KEY` (-400), upstream: "Invalid key."
    InvalidKey = -400,
    /// `WRITE_FAIL` (-500), upstream: "Write operation failed."
    WriteFail = -500,
    /// `INVALID_PARAMS` (-600), upstream: "Invalid parameters."
    InvalidParams = -600,
    /// `ILLEGAL_CLIENT` (-601), upstream: "Illegal client to do the operation."
    IllegalClient = -601,
    /// `INVALID_WRITE` (-700), upstream: "Invalid write operation."
    InvalidWrite = -700,
    /// `INVALID_READ` (-701), upstream: "Invalid read operation."
    InvalidRead = -701,
    /// `INVALID_REPLICA` (-702), upstream: "Invalid replica operation."
    InvalidReplica = -702,
    /// `REPLICA_IS_NOT_READY` (-703), upstream: "Replica is not ready."
    ReplicaIsNotReady = -703,
    /// `OBJECT_NOT_FOUND` (-704), upstream: "Object not found."
    ObjectNotFound = -704,
    /// `OBJECT_ALREADY_EXISTS` (-705), upstream: "Object already exists."
    ObjectAlreadyExists = -705,
    /// `OBJECT_HAS_LEASE` (-706), upstream: "Object has lease."
    ObjectHasLease = -706,
    /// `LEASE_EXPIRED` (-707), upstream: "Lease expired before data transfer completed."
    LeaseExpired = -707,
    /// `OBJECT_HAS_REPLICATION_TASK` (-708), upstream: "Object has ongoing replication task."
    ObjectHasReplicationTask = -708,
    /// `OBJECT_NO_REPLICATION_TASK` (-709), upstream: "Object does not have ongoing replication
    /// task."
    ObjectNoReplicationTask = -709,
    /// `REPLICA_NOT_FOUND` (-710), upstream: "Replica not found."
    ReplicaNotFound = -710,
    /// `REPLICA_ALREADY_EXISTS` (-711), upstream: "Replica already exists."
    ReplicaAlreadyExists = -711,
    /// `REPLICA_IS_GONE` (-712), upstream: "Replica existed once, but is gone now."
    ReplicaIsGone = -712,
    /// `REPLICA_NOT_IN_LOCAL_MEMORY` (-713), upstream: "Replica does not reside in current node
    /// memory."
    ///
    /// **Wire quirk:** upstream's `toString` map has no entry for this code, so its wire
    /// text is `UNKNOWN_ERROR`, not its name (see [`ErrorCode::wire_str`]).
    ReplicaNotInLocalMemory = -713,
    /// `OBJECT_REPLICA_BUSY` (-714), upstream: "Object replicas have non-zero refcnt."
    ObjectReplicaBusy = -714,
    /// `TRANSFER_FAIL` (-800), upstream: "Transfer operation failed."
    TransferFail = -800,
    /// `CHECKSUM_MISMATCH` (-801), upstream: "Store checksum verification failed."
    ChecksumMismatch = -801,
    /// `RPC_FAIL` (-900), upstream: "RPC operation failed."
    RpcFail = -900,
    /// `RPC_TIMEOUT` (-901), upstream: "RPC call timed out (client-side deadline hit)."
    RpcTimeout = -901,
    /// `ETCD_OPERATION_ERROR` (-1000), upstream: "etcd operation failed."
    EtcdOperationError = -1000,
    /// `ETCD_KEY_NOT_EXIST` (-1001), upstream: "key not found in etcd."
    EtcdKeyNotExist = -1001,
    /// `ETCD_TRANSACTION_FAIL` (-1002), upstream: "etcd transaction failed."
    EtcdTransactionFail = -1002,
    /// `ETCD_CTX_CANCELLED` (-1003), upstream: "etcd context cancelled."
    EtcdCtxCancelled = -1003,
    /// `OPLOG_ENTRY_NOT_FOUND` (-1004), upstream: "OpLog entry not found (backend-agnostic)."
    OplogEntryNotFound = -1004,
    /// `K8S_LEASE_OPERATION_ERROR` (-1005), upstream: "K8s Lease operation failed."
    K8sLeaseOperationError = -1005,
    /// `K8S_LEASE_NOT_FOUND` (-1006), upstream: "K8s Lease not found."
    K8sLeaseNotFound = -1006,
    /// `INCOMPLETE_OPLOG_CATCH_UP` (-1007), upstream: "Promotion catch-up could not prove all
    /// durable OpLog entries were applied, or unresolved skipped/missing gaps remain after final
    /// catch-up + second gap resolution."
    IncompleteOplogCatchUp = -1007,
    /// `UNAVAILABLE_IN_CURRENT_STATUS` (-1010), upstream: "Request cannot be done in current
    /// status."
    UnavailableInCurrentStatus = -1010,
    /// `UNAVAILABLE_IN_CURRENT_MODE` (-1011), upstream: "Request cannot be done in current mode."
    UnavailableInCurrentMode = -1011,
    /// `NOT_SUPPORTED` (-1012), upstream: "Operation is not supported in current mode."
    NotSupported = -1012,
    /// `FILE_NOT_FOUND` (-1100), upstream: "File not found."
    FileNotFound = -1100,
    /// `FILE_OPEN_FAIL` (-1101), upstream: "Error open file or write to a exist file."
    FileOpenFail = -1101,
    /// `FILE_READ_FAIL` (-1102), upstream: "Error reading file."
    FileReadFail = -1102,
    /// `FILE_WRITE_FAIL` (-1103), upstream: "Error writing file."
    FileWriteFail = -1103,
    /// `FILE_INVALID_BUFFER` (-1104), upstream: "File buffer is wrong."
    FileInvalidBuffer = -1104,
    /// `FILE_LOCK_FAIL` (-1105), upstream: "File lock operation failed."
    FileLockFail = -1105,
    /// `FILE_INVALID_HANDLE` (-1106), upstream: "Invalid file handle."
    FileInvalidHandle = -1106,
    /// `BUCKET_NOT_FOUND` (-1200), upstream: "Bucket not found."
    BucketNotFound = -1200,
    /// `BUCKET_ALREADY_EXISTS` (-1201), upstream: "Bucket already exists."
    BucketAlreadyExists = -1201,
    /// `KEYS_EXCEED_BUCKET_LIMIT` (-1202), upstream: "Keys exceed bucket limit."
    KeysExceedBucketLimit = -1202,
    /// `KEYS_ULTRA_LIMIT` (-1203), upstream: "Keys ultra limit."
    KeysUltraLimit = -1203,
    /// `UNABLE_OFFLOAD` (-1300), upstream: "The offload functionality is not enabled"
    UnableOffload = -1300,
    /// `UNABLE_OFFLOADING` (-1301), upstream: "Unable offloading."
    UnableOffloading = -1301,
    /// `TASK_NOT_FOUND` (-1400), upstream: "Task not found."
    TaskNotFound = -1400,
    /// `TASK_PENDING_LIMIT_EXCEEDED` (-1401), upstream: "Total pending tasks exceed the limit."
    TaskPendingLimitExceeded = -1401,
    /// `JOB_NOT_FOUND` (-1402), upstream: "Job not found."
    JobNotFound = -1402,
    /// `SERIALIZE_UNSUPPORTED` (-1500), upstream: "Serialization unsupported."
    SerializeUnsupported = -1500,
    /// `SERIALIZE_FAIL` (-1501), upstream: "Serialization failed."
    SerializeFail = -1501,
    /// `DESERIALIZE_FAIL` (-1502), upstream: "Deserialization failed."
    DeserializeFail = -1502,
    /// `PERSISTENT_FAIL` (-1503), upstream: "Persistent failed."
    PersistentFail = -1503,
    /// `DFS_NETWORK_TIMEOUT` (-1600), upstream: "DFS network timeout."
    DfsNetworkTimeout = -1600,
    /// `DFS_SERVICE_UNAVAILABLE` (-1601), upstream: "DFS service unavailable."
    DfsServiceUnavailable = -1601,
    /// `DFS_QUOTA_EXCEEDED` (-1602), upstream: "DFS quota exceeded."
    DfsQuotaExceeded = -1602,
    /// `DFS_PERMISSION_DENIED` (-1603), upstream: "DFS permission denied."
    DfsPermissionDenied = -1603,
    /// `DFS_STALE_HANDLE` (-1604), upstream: "DFS file handle expired."
    DfsStaleHandle = -1604,
    /// `DFS_PARTIAL_WRITE` (-1605), upstream: "DFS partial write success."
    DfsPartialWrite = -1605,
    /// `TENANT_QUOTA_EXCEEDED` (-1700), upstream: "Tenant memory quota exceeded."
    TenantQuotaExceeded = -1700,
    /// `TENANT_NOT_REGISTERED` (-1701), upstream: "Tenant has no quota policy."
    TenantNotRegistered = -1701,
    /// `TENANT_NOT_EMPTY` (-1702), upstream: "Tenant still owns objects or quota."
    TenantNotEmpty = -1702,
}

/// Every code in declaration order, so `samples()`, [`ErrorCode::from_code`] and the
/// tests walk one list (a test checks it against `VARIANTS`).
const ALL: [ErrorCode; 72] = [
    ErrorCode::Ok,
    ErrorCode::InternalError,
    ErrorCode::BufferOverflow,
    ErrorCode::ShardIndexOutOfRange,
    ErrorCode::SegmentNotFound,
    ErrorCode::SegmentAlreadyExists,
    ErrorCode::ClientNotFound,
    ErrorCode::NoAvailableHandle,
    ErrorCode::InvalidVersion,
    ErrorCode::InvalidKey,
    ErrorCode::WriteFail,
    ErrorCode::InvalidParams,
    ErrorCode::IllegalClient,
    ErrorCode::InvalidWrite,
    ErrorCode::InvalidRead,
    ErrorCode::InvalidReplica,
    ErrorCode::ReplicaIsNotReady,
    ErrorCode::ObjectNotFound,
    ErrorCode::ObjectAlreadyExists,
    ErrorCode::ObjectHasLease,
    ErrorCode::LeaseExpired,
    ErrorCode::ObjectHasReplicationTask,
    ErrorCode::ObjectNoReplicationTask,
    ErrorCode::ReplicaNotFound,
    ErrorCode::ReplicaAlreadyExists,
    ErrorCode::ReplicaIsGone,
    ErrorCode::ReplicaNotInLocalMemory,
    ErrorCode::ObjectReplicaBusy,
    ErrorCode::TransferFail,
    ErrorCode::ChecksumMismatch,
    ErrorCode::RpcFail,
    ErrorCode::RpcTimeout,
    ErrorCode::EtcdOperationError,
    ErrorCode::EtcdKeyNotExist,
    ErrorCode::EtcdTransactionFail,
    ErrorCode::EtcdCtxCancelled,
    ErrorCode::OplogEntryNotFound,
    ErrorCode::K8sLeaseOperationError,
    ErrorCode::K8sLeaseNotFound,
    ErrorCode::IncompleteOplogCatchUp,
    ErrorCode::UnavailableInCurrentStatus,
    ErrorCode::UnavailableInCurrentMode,
    ErrorCode::NotSupported,
    ErrorCode::FileNotFound,
    ErrorCode::FileOpenFail,
    ErrorCode::FileReadFail,
    ErrorCode::FileWriteFail,
    ErrorCode::FileInvalidBuffer,
    ErrorCode::FileLockFail,
    ErrorCode::FileInvalidHandle,
    ErrorCode::BucketNotFound,
    ErrorCode::BucketAlreadyExists,
    ErrorCode::KeysExceedBucketLimit,
    ErrorCode::KeysUltraLimit,
    ErrorCode::UnableOffload,
    ErrorCode::UnableOffloading,
    ErrorCode::TaskNotFound,
    ErrorCode::TaskPendingLimitExceeded,
    ErrorCode::JobNotFound,
    ErrorCode::SerializeUnsupported,
    ErrorCode::SerializeFail,
    ErrorCode::DeserializeFail,
    ErrorCode::PersistentFail,
    ErrorCode::DfsNetworkTimeout,
    ErrorCode::DfsServiceUnavailable,
    ErrorCode::DfsQuotaExceeded,
    ErrorCode::DfsPermissionDenied,
    ErrorCode::DfsStaleHandle,
    ErrorCode::DfsPartialWrite,
    ErrorCode::TenantQuotaExceeded,
    ErrorCode::TenantNotRegistered,
    ErrorCode::TenantNotEmpty,
];

impl ErrorCode {
    /// The upstream integer of this code (upstream `toInt`, a plain cast), as an RPC
    /// carries it.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// Decodes an integer into a code — a *checked* version of upstream's `fromInt`.
    ///
    /// Returns `None` for any integer that is not one of upstream's codes, where upstream's
    /// unchecked `static_cast` would produce a value outside the enum (see the module docs
    /// for why Rust cannot, and should not, do that). `0` decodes to [`ErrorCode::Ok`].
    ///
    /// A search of the declared variants, not a second table: the discriminants are the
    /// only copy of upstream's numbers, so decoding cannot disagree with [`ErrorCode::code`]
    /// and no stray entry can decode an int that no variant has.
    pub fn from_code(code: i32) -> Option<Self> {
        ALL.into_iter().find(|c| c.code() == code)
    }

    /// The enumerator's name as declared upstream (e.g. `"REPLICA_NOT_IN_LOCAL_MEMORY"`),
    /// for diagnostics that need the real name even where the wire text differs (see
    /// [`ErrorCode::wire_str`]).
    pub fn name(self) -> &'static str {
        use ErrorCode as E;
        match self {
            E::Ok => "OK",
            E::InternalError => "INTERNAL_ERROR",
            E::BufferOverflow => "BUFFER_OVERFLOW",
            E::ShardIndexOutOfRange => "SHARD_INDEX_OUT_OF_RANGE",
            E::SegmentNotFound => "SEGMENT_NOT_FOUND",
            E::SegmentAlreadyExists => "SEGMENT_ALREADY_EXISTS",
            E::ClientNotFound => "CLIENT_NOT_FOUND",
            E::NoAvailableHandle => "NO_AVAILABLE_HANDLE",
            E::InvalidVersion => "INVALID_VERSION",
            E::InvalidKey => "INVALID_KEY",
            E::WriteFail => "WRITE_FAIL",
            E::InvalidParams => "INVALID_PARAMS",
            E::IllegalClient => "ILLEGAL_CLIENT",
            E::InvalidWrite => "INVALID_WRITE",
            E::InvalidRead => "INVALID_READ",
            E::InvalidReplica => "INVALID_REPLICA",
            E::ReplicaIsNotReady => "REPLICA_IS_NOT_READY",
            E::ObjectNotFound => "OBJECT_NOT_FOUND",
            E::ObjectAlreadyExists => "OBJECT_ALREADY_EXISTS",
            E::ObjectHasLease => "OBJECT_HAS_LEASE",
            E::LeaseExpired => "LEASE_EXPIRED",
            E::ObjectHasReplicationTask => "OBJECT_HAS_REPLICATION_TASK",
            E::ObjectNoReplicationTask => "OBJECT_NO_REPLICATION_TASK",
            E::ReplicaNotFound => "REPLICA_NOT_FOUND",
            E::ReplicaAlreadyExists => "REPLICA_ALREADY_EXISTS",
            E::ReplicaIsGone => "REPLICA_IS_GONE",
            E::ReplicaNotInLocalMemory => "REPLICA_NOT_IN_LOCAL_MEMORY",
            E::ObjectReplicaBusy => "OBJECT_REPLICA_BUSY",
            E::TransferFail => "TRANSFER_FAIL",
            E::ChecksumMismatch => "CHECKSUM_MISMATCH",
            E::RpcFail => "RPC_FAIL",
            E::RpcTimeout => "RPC_TIMEOUT",
            E::EtcdOperationError => "ETCD_OPERATION_ERROR",
            E::EtcdKeyNotExist => "ETCD_KEY_NOT_EXIST",
            E::EtcdTransactionFail => "ETCD_TRANSACTION_FAIL",
            E::EtcdCtxCancelled => "ETCD_CTX_CANCELLED",
            E::OplogEntryNotFound => "OPLOG_ENTRY_NOT_FOUND",
            E::K8sLeaseOperationError => "K8S_LEASE_OPERATION_ERROR",
            E::K8sLeaseNotFound => "K8S_LEASE_NOT_FOUND",
            E::IncompleteOplogCatchUp => "INCOMPLETE_OPLOG_CATCH_UP",
            E::UnavailableInCurrentStatus => "UNAVAILABLE_IN_CURRENT_STATUS",
            E::UnavailableInCurrentMode => "UNAVAILABLE_IN_CURRENT_MODE",
            E::NotSupported => "NOT_SUPPORTED",
            E::FileNotFound => "FILE_NOT_FOUND",
            E::FileOpenFail => "FILE_OPEN_FAIL",
            E::FileReadFail => "FILE_READ_FAIL",
            E::FileWriteFail => "FILE_WRITE_FAIL",
            E::FileInvalidBuffer => "FILE_INVALID_BUFFER",
            E::FileLockFail => "FILE_LOCK_FAIL",
            E::FileInvalidHandle => "FILE_INVALID_HANDLE",
            E::BucketNotFound => "BUCKET_NOT_FOUND",
            E::BucketAlreadyExists => "BUCKET_ALREADY_EXISTS",
            E::KeysExceedBucketLimit => "KEYS_EXCEED_BUCKET_LIMIT",
            E::KeysUltraLimit => "KEYS_ULTRA_LIMIT",
            E::UnableOffload => "UNABLE_OFFLOAD",
            E::UnableOffloading => "UNABLE_OFFLOADING",
            E::TaskNotFound => "TASK_NOT_FOUND",
            E::TaskPendingLimitExceeded => "TASK_PENDING_LIMIT_EXCEEDED",
            E::JobNotFound => "JOB_NOT_FOUND",
            E::SerializeUnsupported => "SERIALIZE_UNSUPPORTED",
            E::SerializeFail => "SERIALIZE_FAIL",
            E::DeserializeFail => "DESERIALIZE_FAIL",
            E::PersistentFail => "PERSISTENT_FAIL",
            E::DfsNetworkTimeout => "DFS_NETWORK_TIMEOUT",
            E::DfsServiceUnavailable => "DFS_SERVICE_UNAVAILABLE",
            E::DfsQuotaExceeded => "DFS_QUOTA_EXCEEDED",
            E::DfsPermissionDenied => "DFS_PERMISSION_DENIED",
            E::DfsStaleHandle => "DFS_STALE_HANDLE",
            E::DfsPartialWrite => "DFS_PARTIAL_WRITE",
            E::TenantQuotaExceeded => "TENANT_QUOTA_EXCEEDED",
            E::TenantNotRegistered => "TENANT_NOT_REGISTERED",
            E::TenantNotEmpty => "TENANT_NOT_EMPTY",
        }
    }

    /// The wire text of this code: exactly what upstream's `toString(ErrorCode)` returns.
    ///
    /// That is the enumerator name for every code **except**
    /// [`ErrorCode::ReplicaNotInLocalMemory`] (-713), which upstream's map lacks and
    /// therefore renders as `"UNKNOWN_ERROR"`. We pin what is on the wire, quirk included.
    pub fn wire_str(self) -> &'static str {
        match self {
            ErrorCode::ReplicaNotInLocalMemory => UNKNOWN_ERROR,
            other => other.name(),
        }
    }

    /// Upstream's `toString` of an arbitrary integer (as `toString(fromInt(code))` would
    /// render it): the [`ErrorCode::wire_str`] of a known code, `"UNKNOWN_ERROR"` for any
    /// other integer. Lets a client render a code it received without first deciding
    /// whether it knows it.
    pub fn wire_str_of_int(code: i32) -> &'static str {
        ErrorCode::from_code(code).map_or(UNKNOWN_ERROR, ErrorCode::wire_str)
    }

    /// One main sample per variant (the variants carry no data, so there are no edges).
    /// The compat suite pins the wire text and the code of each; `VARIANTS` guarantees
    /// none is forgotten.
    pub fn samples() -> Vec<Sample<Self>> {
        ALL.into_iter().map(Sample::main).collect()
    }
}

/// Writes [`ErrorCode::wire_str`], so `to_string()` is byte-equal to upstream's
/// `toString`, including its `UNKNOWN_ERROR` for `REPLICA_NOT_IN_LOCAL_MEMORY`.
impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_str())
    }
}

/// Written by hand (not with thiserror) because the `Display` is a lookup, not a format
/// string; lets an `ErrorCode` travel through `?` and `Box<dyn Error>` like any error.
impl std::error::Error for ErrorCode {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// `REPLICA_NOT_IN_LOCAL_MEMORY` -> `ReplicaNotInLocalMemory`, to check that every
    /// variant's `name()` is its own enumerator and not a neighbour's.
    fn camel(name: &str) -> String {
        name.split('_')
            .map(|w| {
                let mut c = w.chars();
                let first = c.next().unwrap();
                first.to_string() + &c.as_str().to_lowercase()
            })
            .collect()
    }

    #[test]
    fn every_upstream_code_is_declared_once() {
        assert_eq!(ALL.len(), 72);
        assert_eq!(ErrorCode::VARIANTS.len(), ALL.len());
        let codes: HashSet<i32> = ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ALL.len(), "duplicate discriminant");
        for (c, v) in ALL.iter().zip(ErrorCode::VARIANTS) {
            assert_eq!(<&str>::from(c), *v, "ALL is out of declaration order");
            assert_eq!(camel(c.name()), *v);
        }
    }

    #[test]
    fn codes_round_trip() {
        for c in ALL {
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
        }
        assert_eq!(ErrorCode::from_code(0), Some(ErrorCode::Ok));
        assert_eq!(ErrorCode::from_code(-2), None);
        assert_eq!(ErrorCode::from_code(-715), None);
        assert_eq!(ErrorCode::from_code(1), None);
        assert_eq!(ErrorCode::from_code(i32::MIN), None);
    }

    #[test]
    fn spot_check_numbers() {
        assert_eq!(ErrorCode::BufferOverflow.code(), -10);
        assert_eq!(ErrorCode::ClientNotFound.code(), -103);
        assert_eq!(ErrorCode::ReplicaNotInLocalMemory.code(), -713);
        assert_eq!(ErrorCode::ObjectReplicaBusy.code(), -714);
        assert_eq!(ErrorCode::IncompleteOplogCatchUp.code(), -1007);
        assert_eq!(ErrorCode::NotSupported.code(), -1012);
        assert_eq!(ErrorCode::KeysUltraLimit.code(), -1203);
        assert_eq!(ErrorCode::DfsPartialWrite.code(), -1605);
        assert_eq!(ErrorCode::TenantNotEmpty.code(), -1702);
    }

    #[test]
    fn wire_text_pins_the_replica_quirk() {
        assert_eq!(
            ErrorCode::ReplicaNotInLocalMemory.name(),
            "REPLICA_NOT_IN_LOCAL_MEMORY"
        );
        assert_eq!(
            ErrorCode::ReplicaNotInLocalMemory.wire_str(),
            "UNKNOWN_ERROR"
        );
        assert_eq!(
            ErrorCode::ReplicaNotInLocalMemory.to_string(),
            "UNKNOWN_ERROR"
        );
        assert_eq!(ErrorCode::wire_str_of_int(-713), "UNKNOWN_ERROR");
        assert_eq!(ErrorCode::wire_str_of_int(-704), "OBJECT_NOT_FOUND");
        assert_eq!(ErrorCode::wire_str_of_int(0), "OK");
        assert_eq!(ErrorCode::wire_str_of_int(12345), "UNKNOWN_ERROR");
        for c in ALL {
            if c != ErrorCode::ReplicaNotInLocalMemory {
                assert_eq!(c.to_string(), c.name());
            }
        }
    }

    #[test]
    fn is_a_std_error() {
        let boxed: Box<dyn std::error::Error> = Box::new(ErrorCode::RpcTimeout);
        assert_eq!(boxed.to_string(), "RPC_TIMEOUT");
    }
}
