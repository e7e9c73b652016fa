//! `goldens/snapshot_error.yaml`: squib's SnapshotError wire messages and constants.

use strum::VariantNames;
use wire_compat::{Case, Catalog, Entry};
use wire_errors::snapshot::{
    SnapshotError, SNAPSHOT_DESERIALIZATION_BYTES_LIMIT, SNAPSHOT_MAGIC_AARCH64, SNAPSHOT_VERSION,
};

pub fn catalog() -> Catalog {
    let catalog = Catalog::new("snapshot_error", || {
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
        "snapshot_error: squib SnapshotError. `message` is wire_message(), the fault_message",
        "body, byte for byte (I-RC-8); `const.*` pin the snapshot format constants, so a",
        "format version bump fails here (I-TEST-4).",
        "Provenance: tyrchen/squib crates/snapshot/src/error.rs at",
        "000bad5efb59ddcec7e1b980bf8e84281ba052fc (13 variants); Capture from the published",
        "squib-snapshot 0.2.0, its `HVF {ctx}: {e:?}` shape from crates/hv/src/vcpu_save.rs at",
        "3122c1af2e63835796ae2783c4a747c7149dec7d; verified 2026-11-26.",
    ])
    .variants(SnapshotError::VARIANTS);
    // Every field is contract: clients parse messages (I-RC-8) as well as codes.
    crate::contract(catalog, &["message", "value"])
}
