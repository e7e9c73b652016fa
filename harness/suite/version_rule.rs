//! `goldens/snapshot_version_rule.yaml`: the snapshot version rule as a table of cases.

use wire_compat::{Case, Catalog, Entry, Policy};
use wire_errors::snapshot::{check_version_against, Version};

/// (found, ours) pairs: equal, minor below/equal/above, major mismatch both ways,
/// major 0, huge patch and minor, and pre-release / build metadata (ignored by the
/// rule: a decision of this project, documented on `check_version_against`).
const CASES: &[(&str, &str)] = &[
    ("5.0.0", "5.0.0"),
    ("5.0.1", "5.0.0"),
    ("5.0.12345", "5.0.0"),
    ("5.0.18446744073709551615", "5.0.0"),
    ("5.1.0", "5.0.0"),
    ("5.18446744073709551615.0", "5.0.0"),
    ("5.0.0", "5.2.0"),
    ("5.1.7", "5.2.0"),
    ("5.2.0", "5.2.0"),
    ("5.2.99", "5.2.0"),
    ("5.3.0", "5.2.0"),
    ("5.10.0", "5.2.0"),
    ("4.0.0", "5.0.0"),
    ("4.2.0", "5.2.0"),
    ("6.0.0", "5.0.0"),
    ("6.0.0", "5.2.0"),
    ("0.3.0", "0.3.0"),
    ("0.2.5", "0.3.0"),
    ("0.3.9999", "0.3.0"),
    ("0.4.0", "0.3.0"),
    ("1.3.0", "0.3.0"),
    ("0.3.0", "1.3.0"),
    ("0.0.1", "0.0.1"),
    ("0.0.2", "0.0.1"),
    ("0.1.0", "0.0.1"),
    ("5.0.0-rc.1", "5.0.0"),
    ("5.0.0", "5.0.0-rc.1"),
    ("5.2.0-alpha.3", "5.2.0"),
    ("5.1.0-alpha", "5.0.0"),
    ("4.0.0-rc.1", "5.0.0"),
    ("6.0.0-alpha", "5.0.0"),
    ("5.0.0+build.7", "5.0.0"),
    ("5.0.3+sha.0a1b2c", "5.0.0"),
    ("5.1.0+b", "5.0.0"),
    ("5.0.0", "5.0.0+ours.1"),
    ("5.0.0-rc.1+build.9", "5.0.0"),
];

pub fn catalog() -> Catalog {
    Catalog::new("snapshot_version_rule", || {
        CASES
            .iter()
            .map(|&(found, ours)| {
                let parse = |v: &str| Version::parse(v).expect("the table holds valid versions");
                let verdict = check_version_against(&parse(found), &parse(ours));
                Case::new(
                    format!("v{found}_vs_{ours}"),
                    Entry::new()
                        .with("found", found)
                        .with("ours", ours)
                        .with("accepted", verdict.is_ok())
                        .with("message", verdict.err().map(|e| e.wire_message())),
                )
            })
            .collect()
    })
    .about(&[
        "snapshot_version_rule: squib's snapshot version rule, one case per (found, ours) pair.",
        "A snapshot loads iff found.major == ours.major and found.minor <= ours.minor; patch is",
        "free. Pre-release and build metadata are ignored (decided here: upstream is silent).",
        "`message` is the VersionMismatch wire text of a rejection, null when accepted.",
        "Provenance: tyrchen/squib crates/snapshot/src/envelope.rs at",
        "000bad5efb59ddcec7e1b980bf8e84281ba052fc and the published squib-snapshot 0.2.0",
        "(pre-release and build are never read there), verified 2026-11-26.",
    ])
    // Every field is contract: a changed verdict or message judges a pair anew.
    .field("found", Policy::Contract)
    .field("ours", Policy::Contract)
    .field("accepted", Policy::Contract)
    .field("message", Policy::Contract)
}
