//! `goldens/mooncake_transfer_error.yaml`: TransferEngine codes both ways, and messages.

use strum::VariantNames;
use wire_compat::{Case, Catalog, Entry};
use wire_errors::mooncake_transfer::{TransferEngineError, SUCCESS};

/// Codes whose decoding is pinned besides the table: success, the -5 gap, codes just
/// outside each group, and a positive one.
const EXTRA_PROBES: &[i32] = &[0, -5, -8, -100, -105, -203, -304, 1];

pub fn catalog() -> Catalog {
    let catalog = Catalog::new("mooncake_transfer_error", || {
        let mut cases = crate::sampled(
            TransferEngineError::samples(),
            |e| <&'static str>::from(e),
            |e| {
                Entry::new()
                    .with("code", e.code())
                    .with("name", e.name())
                    .with("message", e.to_string())
            },
        );
        // The fallback is `None`; the sweep pins every input that decodes to a variant.
        let hits = crate::sweep::decoded(|code| TransferEngineError::from_code(code).is_some());
        cases.push(crate::sweep::summary("from_code", "null", hits.len()));
        let table = TransferEngineError::samples()
            .into_iter()
            .map(|s| s.value.code());
        let probes: Vec<i32> = table.chain(EXTRA_PROBES.iter().copied()).collect();
        cases.extend(
            crate::sweep::merged(&probes, &hits)
                .into_iter()
                .map(|code| {
                    Case::new(
                        format!("from_code.{code}"),
                        Entry::new().with(
                            "decodes_to",
                            TransferEngineError::from_code(code).map(|e| e.name()),
                        ),
                    )
                }),
        );
        cases.push(Case::new(
            "const.SUCCESS",
            Entry::new().with("value", SUCCESS),
        ));
        cases
    })
    .about(&[
        "mooncake_transfer_error: Mooncake TransferEngine error codes. Per variant: its `code`,",
        "upstream macro `name` and Rust Display `message` (decided here; upstream has no",
        "message function). `from_code.N` pins decoding (null: none): every int the sweep",
        "(`sweep.*`) finds decoding has its own case. `const.SUCCESS`: the success code.",
        "Provenance: kvcache-ai/Mooncake mooncake-transfer-engine/include/error.h at",
        "3b5a594133958449a1feaf1c9e0fc1b553e34a28 (2026-08-22), verified 2026-11-26.",
    ])
    .variants(TransferEngineError::VARIANTS);
    // Every field is contract: clients parse messages (I-RC-8) as well as codes.
    let catalog = crate::contract(catalog, &crate::sweep::FIELDS);
    crate::contract(catalog, &["message", "code", "name", "decodes_to", "value"])
}
