//! `goldens/vm_runtime_error.yaml`: every `VmRuntimeError` message and `VmStatus` text.

use compat_harness::{Case, Catalog, Entry};
use strum::VariantNames;
use wire_errors::{VmRuntimeError, VmStatus};

pub fn catalog() -> Catalog {
    Catalog::new("vm_runtime_error", || {
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
        "vm_runtime_error: the Display text of every microvm-runtime VmRuntimeError variant",
        "(src/error.rs), byte for byte, and of each VmStatus (the `from` of InvalidTransition).",
        "Clients receive these strings verbatim; each case is one sample value.",
    ])
    .variants(VmRuntimeError::VARIANTS)
}
