//! The compat suite of the hand-kept way, for a type whose crate you cannot (or will
//! not) change: the variant names live here, in an exhaustive `match` and a list.
//!
//! What it costs: the names are typed twice (the `match` and `VARIANTS`), and the
//! `match` is exhaustive only because `ProbeError` is not `#[non_exhaustive]`. For a
//! `#[non_exhaustive]` type of another crate the `match` needs a wildcard arm, and a
//! variant upstream adds is then caught by nothing.

use adopt_by_hand_example::ProbeError;
use wire_compat::{Case, Catalog, Entry, Suite};

/// Every variant, by hand; kept complete by `variant` below (a name there that is
/// missing here fails the suite's `@variants` trial).
const VARIANTS: &[&str] = &["Timeout", "Unexpected"];

/// The variant of a value. Exhaustive: a new variant fails to compile until it is
/// named here (and, through `VARIANTS`, sampled).
fn variant(e: &ProbeError) -> &'static str {
    match e {
        ProbeError::Timeout(_) => "Timeout",
        ProbeError::Unexpected { .. } => "Unexpected",
    }
}

fn samples() -> Vec<(&'static str, ProbeError)> {
    vec![
        ("Timeout", ProbeError::Timeout("10.0.0.7:80".into())),
        (
            "Unexpected",
            ProbeError::Unexpected {
                target: "10.0.0.7:80".into(),
                got: "HTTP/1.0 500".into(),
            },
        ),
    ]
}

fn main() -> std::process::ExitCode {
    let cases = || {
        samples()
            .into_iter()
            .map(|(id, e)| {
                Case::new(id, Entry::new().with("message", e.to_string())).of_variant(variant(&e))
            })
            .collect()
    };
    Suite::new(concat!(env!("CARGO_MANIFEST_DIR"), "/goldens"))
        .catalog(
            Catalog::new("probe_error", cases)
                .about(&["probe_error: the Display text of every ProbeError (src/lib.rs)."])
                .variants(VARIANTS),
        )
        .run()
}
