//! `goldens/fabric_error.yaml`: FabricError messages and its status table both ways.

use compat_harness::{Case, Catalog, Entry};
use strum::VariantNames;
use wire_errors::FabricError;

/// Status codes whose decoding is pinned: the table, success, the fall-through on
/// both sides of it, a positive code and the extremes.
const STATUS_PROBES: &[i32] = &[
    0,
    -1,
    -2,
    -3,
    -4,
    -5,
    -6,
    -7,
    -100,
    1,
    3,
    i32::MIN,
    i32::MAX,
];

/// GPU hostcall statuses: success, the known and unknown session codes, the u8
/// boundary, and a lease-level failure that must keep its own variant.
const GPU_PROBES: &[i32] = &[0, 1, 2, 3, 200, 255, 256, -3, -7];

fn decoded(r: Result<(), FabricError>) -> String {
    match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("{e:?}"),
    }
}

pub fn catalog() -> Catalog {
    Catalog::new("fabric_error", || {
        let mut cases = crate::sampled(
            FabricError::samples(),
            |e| <&'static str>::from(e),
            |e| {
                Entry::new()
                    .with("message", e.to_string())
                    .with("status", e.status())
            },
        );
        cases.extend(STATUS_PROBES.iter().map(|&code| {
            Case::new(
                format!("from_status.{code}"),
                Entry::new().with("decodes_to", decoded(FabricError::from_status(code))),
            )
        }));
        cases.extend(GPU_PROBES.iter().map(|&code| {
            Case::new(
                format!("from_gpu_status.{code}"),
                Entry::new().with("decodes_to", decoded(FabricError::from_gpu_status(code))),
            )
        }));
        cases
    })
    .about(&[
        "fabric_error: fabricBIOS FabricError (grafos_std::error). For each variant sample:",
        "its Display `message` and the host `status` it encodes to; `from_status.N` and",
        "`from_gpu_status.N` pin the decoding of status N (0 = ok, other -> IoError(N)).",
        "Display strings were decided by this project (upstream publishes none).",
    ])
    .variants(FabricError::VARIANTS)
}
