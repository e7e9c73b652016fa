//! `goldens/snapshot_error.yaml`: squib's SnapshotError wire messages and constants.

use compat_harness::{Case, Catalog, Entry};
use strum::VariantNames;
use wire_errors::snapshot::{
    SnapshotError, SNAPSHOT_DESERIALIZATION_BYTES_LIMIT, SNAPSHOT_MAGIC_AARCH64, SNAPSHOT_VERSION,
};

pub fn catalog() -> Catalog {
    Catalog::new("snapshot_error", || {
        let mut cases = crate::sampled(
            SnapshotError::samples(),
            |e| <&'static str>::from(e),
            |e| Entry::new().with("message", e.wire_message()),
        );
        cases.extend([
            Case::new(
                "const.SNAPSHOT_VERSION",
                Entry::new().with("value", SNAPSHOT_VERSION.to_string()),
            ),
            Case::new(
                "const.SNAPSHOT_MAGIC_AARCH64",
                Entry::new().with("value", format!("{SNAPSHOT_MAGIC_AARCH64:#x}")),
            ),
            Case::new(
                "const.SNAPSHOT_DESERIALIZATION_BYTES_LIMIT",
                Entry::new().with("value", SNAPSHOT_DESERIALIZATION_BYTES_LIMIT as i64),
            ),
        ]);
        cases
    })
    .about(&[
        "snapshot_error: squib SnapshotError (crates/snapshot/src/error.rs). `message` is",
        "wire_message(), the fault_message body, byte for byte (I-RC-8); `const.*` pin the",
        "snapshot format constants, so a format version bump fails here (I-TEST-4).",
    ])
    .variants(SnapshotError::VARIANTS)
}
