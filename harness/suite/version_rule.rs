//! `goldens/snapshot_version_rule.yaml`: the snapshot version rule as a table of cases.

use wire_compat::{Case, Catalog, Entry};
use wire_errors::snapshot::{
    check_version, check_version_against, SnapshotError, Version, SNAPSHOT_VERSION,
};

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

/// The versions around this build's own ([`SNAPSHOT_VERSION`]) that `check_version`
/// is asked about, named by how they differ from it: each major and minor neighbour,
/// the next patch, pre-release and build metadata on ours and on a neighbour. The
/// table above pins the rule with explicit versions; these pin which version the
/// loader applies it against, so a `check_version` that compared against anything but
/// `SNAPSHOT_VERSION` changes this golden (and the release gate sees it).
fn around_this_build() -> Vec<(&'static str, Version)> {
    let Version {
        major,
        minor,
        patch,
        ..
    } = SNAPSHOT_VERSION;
    let v = |text: String| Version::parse(&text).expect("a neighbour is a valid version");
    let mut found = vec![
        ("equal", SNAPSHOT_VERSION),
        ("patch_above", Version::new(major, minor, patch + 1)),
        ("minor_above", Version::new(major, minor + 1, 0)),
        ("major_above", Version::new(major + 1, 0, 0)),
        ("prerelease", v(format!("{SNAPSHOT_VERSION}-rc.1"))),
        ("build", v(format!("{SNAPSHOT_VERSION}+build.7"))),
        (
            "minor_above_prerelease",
            v(format!("{major}.{}.0-alpha", minor + 1)),
        ),
        (
            "major_above_prerelease",
            v(format!("{}.0.0-rc.1", major + 1)),
        ),
        (
            "minor_above_build",
            v(format!("{major}.{}.0+build.7", minor + 1)),
        ),
    ];
    if let Some(below) = minor.checked_sub(1) {
        found.push(("minor_below", Version::new(major, below, 0)));
    }
    if let Some(below) = major.checked_sub(1) {
        found.push(("major_below", Version::new(below, minor, patch)));
    }
    found
}

/// A case of the rule: what was found, against which version, and the verdict.
fn verdict_case(
    id: String,
    found: &Version,
    ours: &Version,
    verdict: Result<(), SnapshotError>,
) -> Case {
    Case::new(
        id,
        Entry::new()
            .with("found", found.to_string())
            .with("ours", ours.to_string())
            .with("accepted", verdict.is_ok())
            .with("message", verdict.err().map(|e| e.wire_message())),
    )
}

pub fn catalog() -> Catalog {
    let catalog = Catalog::new("snapshot_version_rule", || {
        let parse = |v: &str| Version::parse(v).expect("the table holds valid versions");
        let table = CASES.iter().map(|&(found, ours)| {
            let (found, ours) = (parse(found), parse(ours));
            let verdict = check_version_against(&found, &ours);
            verdict_case(format!("v{found}_vs_{ours}"), &found, &ours, verdict)
        });
        let this_build = around_this_build().into_iter().map(|(name, found)| {
            let verdict = check_version(&found);
            verdict_case(
                format!("this_build.{name}"),
                &found,
                &SNAPSHOT_VERSION,
                verdict,
            )
        });
        table.chain(this_build).collect()
    })
    .about(&[
        "snapshot_version_rule: squib's snapshot version rule, one case per (found, ours) pair.",
        "A snapshot loads iff found.major == ours.major and found.minor <= ours.minor; patch is",
        "free. Pre-release and build metadata are ignored (decided here: upstream is silent).",
        "`message` is the VersionMismatch wire text of a rejection, null when accepted.",
        "`this_build.*`: check_version (the loader's check, against SNAPSHOT_VERSION) asked",
        "about the versions around ours: each major and minor neighbour, pre-release, build.",
        "Provenance: tyrchen/squib crates/snapshot/src/envelope.rs at",
        "000bad5efb59ddcec7e1b980bf8e84281ba052fc and the published squib-snapshot 0.2.0",
        "(pre-release and build are never read there), verified 2026-11-26.",
    ]);
    // Every field is contract: a changed verdict or message judges a pair anew.
    crate::contract(catalog, &["found", "ours", "accepted", "message"])
}
