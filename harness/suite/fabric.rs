//! `goldens/fabric_error.yaml`: FabricError messages and its status table both ways.

use strum::VariantNames;
use wire_compat::{Case, Catalog, Entry};
use wire_errors::fabric::{
    FabricError, SESSION_STATUS_INVALID_HANDLE, SESSION_STATUS_NO_CONTEXT,
    STATUS_CAPACITY_EXCEEDED, STATUS_DISCONNECTED, STATUS_FENCED, STATUS_LEASE_EXPIRED, STATUS_OK,
    STATUS_REVOKED, STATUS_UNSUPPORTED,
};

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
    let catalog = Catalog::new("fabric_error", || {
        let mut cases = crate::sampled(
            FabricError::samples(),
            |e| <&'static str>::from(e),
            |e| {
                Entry::new()
                    .with("message", e.to_string())
                    .with("status", e.status())
            },
        );
        // The fallback of both decoders is `IoError(code)`: every other result is a
        // table entry, pinned one case per input by the sweep.
        let table = |decode: fn(i32) -> Result<(), FabricError>| {
            crate::sweep::decoded(move |code| decode(code) != Err(FabricError::IoError(code)))
        };
        for (decoder, decode, probes) in [
            (
                "from_status",
                FabricError::from_status as fn(_) -> _,
                STATUS_PROBES,
            ),
            ("from_gpu_status", FabricError::from_gpu_status, GPU_PROBES),
        ] {
            let hits = table(decode);
            cases.push(crate::sweep::summary(decoder, "IoError(N)", hits.len()));
            cases.extend(crate::sweep::merged(probes, &hits).into_iter().map(|code| {
                Case::new(
                    format!("{decoder}.{code}"),
                    Entry::new().with("decodes_to", decoded(decode(code))),
                )
            }));
        }
        cases.extend(
            [
                ("STATUS_OK", STATUS_OK),
                ("STATUS_DISCONNECTED", STATUS_DISCONNECTED),
                ("STATUS_LEASE_EXPIRED", STATUS_LEASE_EXPIRED),
                ("STATUS_FENCED", STATUS_FENCED),
                ("STATUS_CAPACITY_EXCEEDED", STATUS_CAPACITY_EXCEEDED),
                ("STATUS_UNSUPPORTED", STATUS_UNSUPPORTED),
                ("STATUS_REVOKED", STATUS_REVOKED),
                (
                    "SESSION_STATUS_NO_CONTEXT",
                    i32::from(SESSION_STATUS_NO_CONTEXT),
                ),
                (
                    "SESSION_STATUS_INVALID_HANDLE",
                    i32::from(SESSION_STATUS_INVALID_HANDLE),
                ),
            ]
            .map(|(name, value)| {
                Case::new(format!("const.{name}"), Entry::new().with("value", value))
            }),
        );
        cases
    })
    .about(&[
        "fabric_error: fabricBIOS FabricError (grafos_std::error). For each variant sample:",
        "its Display `message` and the host `status` it encodes to; `from_status.N` and",
        "`from_gpu_status.N` pin the decoding of status N (0 = ok, other -> IoError(N)): every",
        "status the sweep (`sweep.*`) finds not falling through to IoError(N) has its own case.",
        "`const.*` pin the module's constants. GpuSessionFailed(0) is pinned as status 0 (ok).",
        "Provenance: the grafOS SDK's rustdoc page only; the source is not public, so there is",
        "no upstream revision. Display strings, status(), from_gpu_status and SESSION_STATUS_*",
        "other than 2 and 3 are this project's decision.",
    ])
    .variants(FabricError::VARIANTS);
    // Every field is contract: clients parse messages (I-RC-8) as well as codes.
    let catalog = crate::contract(catalog, &crate::sweep::FIELDS);
    crate::contract(catalog, &["message", "status", "decodes_to", "value"])
}
