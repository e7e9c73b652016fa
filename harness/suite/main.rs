//! The compat suite of this repository: the five wire types against `goldens/`.
//!
//! Run by plain `cargo test` (a `harness = false` test target). Each catalog module
//! renders the samples of one type; the framework in `wire_compat` does the rest.

mod fabric;
mod mooncake_store;
mod mooncake_transfer;
mod snapshot;
mod sweep;
mod version_rule;
mod vm_runtime;

use wire_compat::Case;
use wire_errors::Sample;

/// Turns a type's samples into message cases named `Variant` / `Variant.label`,
/// tagged with their variant for the coverage check.
pub(crate) fn sampled<T>(
    samples: Vec<Sample<T>>,
    variant: impl Fn(&T) -> &'static str,
    render: impl Fn(&T) -> wire_compat::Entry,
) -> Vec<Case> {
    samples
        .iter()
        .map(|s| {
            let v = variant(&s.value);
            let id = if s.label.is_empty() {
                v.to_owned()
            } else {
                format!("{v}.{}", s.label)
            };
            Case::new(id, render(&s.value)).of_variant(v)
        })
        .collect()
}

/// Declares every field in `fields` contract: in this repository clients parse the
/// messages (I-RC-8) as well as the codes, so no field is informational.
pub(crate) fn contract(catalog: wire_compat::Catalog, fields: &[&str]) -> wire_compat::Catalog {
    fields.iter().fold(catalog, |c, field| {
        c.field(field, wire_compat::Policy::Contract)
    })
}

fn main() -> std::process::ExitCode {
    wire_compat::suite!("goldens")
        // `cargo wire-compat` is this repository's cargo alias (`.cargo/config.toml`).
        .approve_command("cargo wire-compat")
        .catalog(vm_runtime::catalog())
        .catalog(fabric::catalog())
        .catalog(snapshot::catalog())
        .catalog(version_rule::catalog())
        .catalog(mooncake_transfer::catalog())
        .catalog(mooncake_store::catalog())
        .run()
}
