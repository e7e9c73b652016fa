//! The adopt example's compat suite: every `QueueError` message and code, pinned in
//! `goldens/`. This file is all it takes to adopt the framework.

use adopt_example::QueueError;
use strum::VariantNames as _;
use wire_compat::{Case, Catalog, Entry};

/// One case per sample (tagged with its variant), its fields rendered by `render`.
fn cases(render: fn(&QueueError) -> Entry) -> impl Fn() -> Vec<Case> + Send + Sync {
    move || {
        let samples = QueueError::samples().into_iter();
        samples
            .map(|(id, e)| Case::new(id, render(&e)).of_variant((&e).into()))
            .collect()
    }
}

fn main() -> std::process::ExitCode {
    let messages = cases(|e| Entry::new().with("message", e.to_string()));
    let codes = cases(|e| Entry::new().with("code", e.code()));
    // `goldens/` next to Cargo.toml, found at run time (also from an archived build).
    wire_compat::suite!("goldens")
        .catalog(
            Catalog::new("queue_error", messages)
                .about(&["queue_error: the Display text of every QueueError (src/lib.rs)."])
                .variants(QueueError::VARIANTS),
        )
        .catalog(
            Catalog::new("queue_error_code", codes)
                .about(&["queue_error_code: the status code each QueueError is sent with."]),
        )
        .run()
}
