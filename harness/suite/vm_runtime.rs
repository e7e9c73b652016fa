//! `goldens/vm_runtime_error.yaml`: every `VmRuntimeError` message and `VmStatus` text.

use strum::VariantNames;
use wire_compat::{Case, Catalog, Entry};
use wire_errors::{VmRuntimeError, VmStatus};

pub fn catalog() -> Catalog {
    let catalog = Catalog::new("vm_runtime_error", || {
        let mut cases = crate::sampled(
            VmRuntimeError::samples(),
            |e| <&'static str>::from(e),
            |e| Entry::new().with("message", e.to_string()),
        );
        cases.extend(
            VmStatus::ALL
                .iter()
                .map(|s| Case::message(format!("VmStatus.{s}"), s.to_string())),
        );
        let all: Vec<String> = VmStatus::ALL.iter().map(ToString::to_string).collect();
        cases.push(Case::new(
            "const.VmStatus.ALL",
            Entry::new().with("value", all.join(", ")),
        ));
        cases
    })
    .about(&[
        "vm_runtime_error: the Display text of every microvm-runtime VmRuntimeError variant,",
        "byte for byte, and of each VmStatus (the `from` of InvalidTransition); `const.*`:",
        "constants. Clients receive these strings verbatim; each case is one sample value.",
        "Provenance: tangle-network/microvm-runtime src/error.rs at",
        "42c68a1503e369c071090e30764555e4a41ba122 and src/model.rs (VmStatus) at",
        "4bf2737419e95ee89277bba6161faf7f1ec71e33; the same as release 0.4.0-alpha.3;",
        "verified 2026-11-26.",
    ])
    .variants(VmRuntimeError::VARIANTS);
    // Every field is contract: clients parse messages (I-RC-8) as well as codes.
    crate::contract(catalog, &["message", "value"])
}
