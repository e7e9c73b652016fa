//! `goldens/mooncake_store_error.yaml`: Mooncake Store ErrorCode both ways, and toString.

use strum::VariantNames;
use wire_compat::{Case, Catalog, Entry};
use wire_errors::mooncake_store::{ErrorCode, UNKNOWN_ERROR};

/// Ints that are not codes: toString gives `UNKNOWN_ERROR`, from_code gives none.
const UNKNOWN_PROBES: &[i32] = &[1, -2, -715, -1008, -9999, i32::MIN];

pub fn catalog() -> Catalog {
    let catalog = Catalog::new("mooncake_store_error", || {
        let mut cases = crate::sampled(
            ErrorCode::samples(),
            |e| <&'static str>::from(e),
            |e| {
                Entry::new()
                    .with("code", e.code())
                    .with("name", e.name())
                    .with("wire", e.wire_str())
                    .with("message", e.to_string())
            },
        );
        // Two decoders of one int: `from_code` (fallback `None`) and upstream's
        // `toString` (fallback `UNKNOWN_ERROR`); the sweep pins every input either of
        // them decodes, with both results.
        let codes = crate::sweep::decoded(|code| ErrorCode::from_code(code).is_some());
        let texts = crate::sweep::decoded(|code| ErrorCode::wire_str_of_int(code) != UNKNOWN_ERROR);
        cases.push(crate::sweep::summary("from_code", "null", codes.len()));
        cases.push(crate::sweep::summary(
            "wire_str_of_int",
            UNKNOWN_ERROR,
            texts.len(),
        ));
        let table = ErrorCode::samples().into_iter().map(|s| s.value.code());
        let probes: Vec<i32> = table
            .chain(UNKNOWN_PROBES.iter().copied())
            .chain(texts)
            .collect();
        cases.extend(
            crate::sweep::merged(&probes, &codes)
                .into_iter()
                .map(|code| {
                    Case::new(
                        format!("from_code.{code}"),
                        Entry::new()
                            .with("decodes_to", ErrorCode::from_code(code).map(|e| e.name()))
                            .with("wire", ErrorCode::wire_str_of_int(code)),
                    )
                }),
        );
        cases.push(Case::new(
            "const.UNKNOWN_ERROR",
            Entry::new().with("value", UNKNOWN_ERROR),
        ));
        cases
    })
    .about(&[
        "mooncake_store_error: Mooncake Store ErrorCode. Per code: `code`, enumerator `name`,",
        "`wire` = upstream toString() and `message` = Display. Quirk pinned on purpose:",
        "REPLICA_NOT_IN_LOCAL_MEMORY (-713) is missing from upstream's map, so its wire text is",
        "UNKNOWN_ERROR, like any unknown int. `from_code.N` pins decoding and text of N: every",
        "int the sweep (`sweep.*`) finds decoding has its own case. `const.*`: constants.",
        "Provenance: kvcache-ai/Mooncake mooncake-store/include/types.h and src/types.cpp at",
        "3b5a594133958449a1feaf1c9e0fc1b553e34a28 (2026-08-22), verified 2026-11-26.",
    ])
    .variants(ErrorCode::VARIANTS);
    // Every field is contract: clients parse messages (I-RC-8) as well as codes.
    let catalog = crate::contract(catalog, &crate::sweep::FIELDS);
    crate::contract(
        catalog,
        &["message", "wire", "code", "name", "decodes_to", "value"],
    )
}
