//! The compat suite of the feature-gated way: the same as the default way, with the
//! derives coming from the `variant-names` feature the dev-dependency turns on.

use adopt_feature_example::LeaseError;
use strum::VariantNames as _;
use wire_compat::{Case, Catalog, Entry, Suite};

fn main() -> std::process::ExitCode {
    let cases = || {
        LeaseError::samples()
            .into_iter()
            .map(|(id, e)| {
                let entry = Entry::new()
                    .with("message", e.to_string())
                    .with("code", e.code());
                Case::new(id, entry).of_variant((&e).into())
            })
            .collect()
    };
    Suite::new(concat!(env!("CARGO_MANIFEST_DIR"), "/goldens"))
        .catalog(
            Catalog::new("lease_error", cases)
                .about(&["lease_error: the message and code of every LeaseError (src/lib.rs)."])
                .variants(LeaseError::VARIANTS),
        )
        .run()
}
