//! `goldens/mooncake_store_error.yaml`: Mooncake Store ErrorCode both ways, and toString.

use compat_harness::{Case, Catalog, Entry};
use strum::VariantNames;
use wire_errors::ErrorCode;

/// Ints that are not codes: toString gives `UNKNOWN_ERROR`, from_code gives none.
const UNKNOWN_PROBES: &[i32] = &[1, -2, -715, -1008, -9999, i32::MIN];

pub fn catalog() -> Catalog {
    Catalog::new("mooncake_store_error", || {
        let mut cases = crate::sampled(
            ErrorCode::samples(),
            |e| <&'static str>::from(e),
            |e| {
                Entry::new()
                    .with("code", e.code())
                    .with("name", e.name())
                    .with("wire", e.wire_str())
            },
        );
        let table = ErrorCode::samples().into_iter().map(|s| s.value.code());
        cases.extend(table.chain(UNKNOWN_PROBES.iter().copied()).map(|code| {
            Case::new(
                format!("from_code.{code}"),
                Entry::new()
                    .with("decodes_to", ErrorCode::from_code(code).map(|e| e.name()))
                    .with("wire", ErrorCode::wire_str_of_int(code)),
            )
        }));
        cases
    })
    .about(&[
        "mooncake_store_error: Mooncake Store ErrorCode (include/types.h, src/types.cpp).",
        "Per code: `code`, enumerator `name`, and `wire` = upstream toString(). Quirk pinned on",
        "purpose: REPLICA_NOT_IN_LOCAL_MEMORY (-713) is missing from upstream's map, so its",
        "wire text is UNKNOWN_ERROR, like any unknown int. `from_code.N` pins decoding.",
    ])
    .variants(ErrorCode::VARIANTS)
}
