"""A client's own parser of the wire errors, as a team outside Rust writes it.

It is hand-written on purpose, from the exported contract of a release (see
README.md): status codes to the fabric error they mean, Mooncake codes to their names
and variants, and a pattern per message that tells which variant sent it. The test
next to it (`test_client.py`) checks it against every case of the committed contract,
so a reworded message or a remapped code breaks the test exactly where this parser
relied on the old text. Standard library only.
"""

import re

# fabricBIOS host status codes (FabricError::from_status): 0 is success, any other
# code not in the table is an I/O error carrying the code.
FABRIC_STATUS = {
    -1: "Disconnected",
    -2: "LeaseExpired",
    -3: "Fenced",
    -4: "CapacityExceeded",
    -5: "Unsupported",
    -6: "Revoked",
}

# GPU hostcall session statuses (FabricError::from_gpu_status): 0 is success, lease
# level codes keep their own variant, anything else is a failed session.
def decode_fabric_status(code):
    """The `decodes_to` text of `from_status(code)`: `ok`, `Fenced`, `IoError(-7)`."""
    if code == 0:
        return "ok"
    variant = FABRIC_STATUS.get(code)
    return variant if variant else f"IoError({code})"


def decode_fabric_gpu_status(code):
    """The `decodes_to` text of `from_gpu_status(code)`."""
    if code == 0:
        return "ok"
    if code in FABRIC_STATUS:
        return FABRIC_STATUS[code]
    if 0 < code <= 255:
        return f"GpuSessionFailed({code})"
    return f"IoError({code})"


def camel(upper_snake):
    """`OBJECT_NOT_FOUND` -> `ObjectNotFound`, how the Rust variants are named."""
    return "".join(part.capitalize() for part in upper_snake.split("_"))


# Mooncake TransferEngine: code -> name (upstream's ERR_* constants).
TRANSFER_NAMES = {
    -1: "ERR_INVALID_ARGUMENT", -2: "ERR_TOO_MANY_REQUESTS", -3: "ERR_ADDRESS_NOT_REGISTERED",
    -4: "ERR_BATCH_BUSY", -6: "ERR_DEVICE_NOT_FOUND", -7: "ERR_ADDRESS_OVERLAPPED",
    -101: "ERR_DNS", -102: "ERR_SOCKET", -103: "ERR_MALFORMED_JSON",
    -104: "ERR_REJECT_HANDSHAKE", -200: "ERR_METADATA", -201: "ERR_ENDPOINT",
    -202: "ERR_CONTEXT", -300: "ERR_NUMA", -301: "ERR_CLOCK", -302: "ERR_MEMORY",
    -303: "ERR_NOT_IMPLEMENTED",
}

# Mooncake Store: code -> name (upstream's ErrorCode toString).
STORE_NAMES = {
    0: "OK", -1: "INTERNAL_ERROR", -10: "BUFFER_OVERFLOW",
    -100: "SHARD_INDEX_OUT_OF_RANGE", -101: "SEGMENT_NOT_FOUND",
    -102: "SEGMENT_ALREADY_EXISTS", -103: "CLIENT_NOT_FOUND", -200: "NO_AVAILABLE_HANDLE",
    -300: "INVALID_VERSION", -400: "INVALID_KEY", -500: "WRITE_FAIL", -600: "INVALID_PARAMS",
    -601: "ILLEGAL_CLIENT", -700: "INVALID_WRITE", -701: "INVALID_READ",
    -702: "INVALID_REPLICA", -703: "REPLICA_IS_NOT_READY", -704: "OBJECT_NOT_FOUND",
    -705: "OBJECT_ALREADY_EXISTS", -706: "OBJECT_HAS_LEASE", -707: "LEASE_EXPIRED",
    -708: "OBJECT_HAS_REPLICATION_TASK", -709: "OBJECT_NO_REPLICATION_TASK",
    -710: "REPLICA_NOT_FOUND", -711: "REPLICA_ALREADY_EXISTS", -712: "REPLICA_IS_GONE",
    -713: "REPLICA_NOT_IN_LOCAL_MEMORY", -714: "OBJECT_REPLICA_BUSY", -800: "TRANSFER_FAIL",
    -801: "CHECKSUM_MISMATCH", -900: "RPC_FAIL", -901: "RPC_TIMEOUT",
    -1000: "ETCD_OPERATION_ERROR", -1001: "ETCD_KEY_NOT_EXIST",
    -1002: "ETCD_TRANSACTION_FAIL", -1003: "ETCD_CTX_CANCELLED",
    -1004: "OPLOG_ENTRY_NOT_FOUND", -1005: "K8S_LEASE_OPERATION_ERROR",
    -1006: "K8S_LEASE_NOT_FOUND", -1007: "INCOMPLETE_OPLOG_CATCH_UP",
    -1010: "UNAVAILABLE_IN_CURRENT_STATUS", -1011: "UNAVAILABLE_IN_CURRENT_MODE",
    -1012: "NOT_SUPPORTED", -1100: "FILE_NOT_FOUND", -1101: "FILE_OPEN_FAIL",
    -1102: "FILE_READ_FAIL", -1103: "FILE_WRITE_FAIL", -1104: "FILE_INVALID_BUFFER",
    -1105: "FILE_LOCK_FAIL", -1106: "FILE_INVALID_HANDLE", -1200: "BUCKET_NOT_FOUND",
    -1201: "BUCKET_ALREADY_EXISTS", -1202: "KEYS_EXCEED_BUCKET_LIMIT",
    -1203: "KEYS_ULTRA_LIMIT", -1300: "UNABLE_OFFLOAD", -1301: "UNABLE_OFFLOADING",
    -1400: "TASK_NOT_FOUND", -1401: "TASK_PENDING_LIMIT_EXCEEDED", -1402: "JOB_NOT_FOUND",
    -1500: "SERIALIZE_UNSUPPORTED", -1501: "SERIALIZE_FAIL", -1502: "DESERIALIZE_FAIL",
    -1503: "PERSISTENT_FAIL", -1600: "DFS_NETWORK_TIMEOUT", -1601: "DFS_SERVICE_UNAVAILABLE",
    -1602: "DFS_QUOTA_EXCEEDED", -1603: "DFS_PERMISSION_DENIED", -1604: "DFS_STALE_HANDLE",
    -1605: "DFS_PARTIAL_WRITE", -1700: "TENANT_QUOTA_EXCEEDED",
    -1701: "TENANT_NOT_REGISTERED", -1702: "TENANT_NOT_EMPTY",
}


def transfer_name(code):
    """The ERR_* name of a TransferEngine code, or None for an unknown code."""
    return TRANSFER_NAMES.get(code)


def store_name(code):
    """The Store's name of a code; unknown codes read as UNKNOWN_ERROR, as upstream."""
    return STORE_NAMES.get(code, "UNKNOWN_ERROR")


def store_variant(name):
    """The Rust variant a Store name stands for (`OBJECT_NOT_FOUND` -> `ObjectNotFound`)."""
    return camel(name) if name in STORE_NAMES.values() else None


def transfer_variant(name):
    """The Rust variant an ERR_* name stands for (`ERR_DNS` -> `Dns`)."""
    return camel(name[len("ERR_"):]) if name in TRANSFER_NAMES.values() else None


# One pattern per message, by the type that sends it. The payload parts are `.*`
# (they may hold quotes, spaces, line breaks); the fixed text is what the client
# relies on, and so what the contract's test guards.
MESSAGES = {
    "vm_runtime_error": [
        ("VmAlreadyExists", r"vm '.*' already exists"),
        ("VmNotFound", r"vm '.*' not found"),
        ("InvalidTransition", r"invalid vm transition for '.*': \w+ -> \w+"),
        ("SnapshotAlreadyExists", r"snapshot '.*' already exists for vm '.*'"),
        ("SnapshotNotFound", r"snapshot '.*' not found for vm '.*'"),
        ("StatePoisoned", r"provider state lock poisoned"),
        ("Unsupported", r"backend unsupported: .*"),
        ("Metrics", r"metrics: .*"),
        ("Shutdown", r"shutdown failed: .*"),
        ("Firewall", r"firewall error: .*"),
        ("Jailer", r"jailer error: .*"),
        ("NetworkConfig", r"network config invalid: .*"),
        ("NetworkSetup", r"network setup failed: .*"),
        ("Rootfs", r"rootfs: .*"),
        ("Uffd", r"uffd error: .*"),
        ("GuestMetadata", r"guest metadata: .*"),
    ],
    "fabric_error": [
        ("Disconnected", r"disconnected from remote node"),
        ("LeaseExpired", r"lease expired"),
        ("Fenced", r"resource fenced"),
        ("CapacityExceeded", r"capacity exceeded"),
        ("Unsupported", r"operation not supported"),
        ("Revoked", r"lease revoked"),
        ("GpuSessionFailed", r"gpu session failed \(session status \d+\)"),
        ("IoError", r"i/o error \(status -?\d+\)"),
    ],
    "snapshot_error": [
        ("AtomicCommitCrossFs", r"snapshot temp-file path is on a different filesystem "
                                r"from the destination \(dest=\".*\", temp_dir=\".*\"\); "
                                r"rename\(2\) cannot be atomic across mounts"),
        ("AtomicCommitFailed", r"atomic commit \(rename\) failed: .*"),
        ("Bitcode", r"snapshot encoding error: .*"),
        ("Capture", r"snapshot capture/restore failure: .*"),
        ("CrcMismatch", r"snapshot CRC64 mismatch"),
        ("Incompatible", r"snapshot is from a different VMM \(.*\)"),
        ("InvalidPath", r"invalid snapshot path: .*"),
        ("Io", r"snapshot I/O error: .*"),
        ("MagicMismatch", r"snapshot magic mismatch \(file: 0x[0-9a-f]+, expected: 0x[0-9a-f]+\)"),
        ("MemoryIo", r"memory file I/O error: .*"),
        ("QuiesceTimeout", r"a vCPU did not ack quiesce within the timeout"),
        ("SizeLimitExceeded", r"snapshot exceeds \d+ byte deserialization limit"),
        ("TooShort", r"snapshot file is too short to contain a CRC trailer"),
        ("VersionMismatch", r"snapshot version \S+ is incompatible with squib's \S+"),
    ],
    "mooncake_transfer_error": [
        ("InvalidArgument", r"invalid argument"),
        ("TooManyRequests", r"too many requests in one batch"),
        ("AddressNotRegistered", r"address not registered"),
        ("BatchBusy", r"batch still has outstanding requests"),
        ("DeviceNotFound", r"no rdma device available"),
        ("AddressOverlapped", r"memory region overlaps an existing registration"),
        ("Dns", r"invalid dns name or ip address for the local server"),
        ("Socket", r"socket error during handshake"),
        ("MalformedJson", r"malformed json during handshake"),
        ("RejectHandshake", r"peer rejected the handshake"),
        ("Metadata", r"metadata server communication failed"),
        ("Endpoint", r"endpoint error"),
        ("Context", r"context error"),
        ("Numa", r"numa interface not supported"),
        ("Clock", r"clock interface not supported"),
        ("Memory", r"out of memory"),
        ("NotImplemented", r"not implemented"),
    ],
}

_COMPILED = {
    golden: [(variant, re.compile(pattern, re.DOTALL)) for variant, pattern in patterns]
    for golden, patterns in MESSAGES.items()
}


def recognise(golden, message):
    """The variant that sent `message` (a Display text of the type `golden` pins), or
    None when the client does not recognise it. Store messages are their names."""
    if golden == "mooncake_store_error":
        return store_variant(message)
    for variant, pattern in _COMPILED.get(golden, []):
        if pattern.fullmatch(message):
            return variant
    return None
