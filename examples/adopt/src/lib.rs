//! A small job-queue service's wire errors: the adopt example of the compat suite.
//!
//! This crate stands for any crate outside this repository that wants its wire
//! messages and codes pinned: it declares its error type as usual (thiserror), lists
//! one sample per case next to the type, and adopts the suite in one `harness = false`
//! test (`tests/compat.rs`) with its own `goldens/`. See "Adopting the suite in
//! another crate" in the repository's README.

#![forbid(unsafe_code)]

/// The errors the queue service sends to its clients, message and code.
///
/// Both are wire facts: clients match on the code and show (or parse) the message, so
/// `tests/compat.rs` pins each in `goldens/`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
// The suite's exhaustiveness: `QueueError::VARIANTS` lists every variant and
// `<&str>::from(&e)` names a value's variant, both generated, so a new variant fails
// the suite until it has a sample and an approved golden. Nothing to keep by hand.
#[derive(strum::VariantNames, strum::IntoStaticStr)]
#[non_exhaustive]
pub enum QueueError {
    /// The named queue does not exist.
    #[error("queue '{0}' not found")]
    NotFound(String),
    /// The queue refuses new jobs until some finish.
    #[error("queue '{name}' is full ({capacity} jobs)")]
    Full {
        /// The queue's name.
        name: String,
        /// How many jobs it holds at most.
        capacity: u32,
    },
    /// A job ran longer than its deadline.
    #[error("job {job} timed out after {after_ms} ms")]
    Timeout {
        /// The job's id.
        job: u64,
        /// The deadline that passed, in milliseconds.
        after_ms: u64,
    },
    /// The caller may not use this queue.
    #[error("permission denied")]
    Forbidden,
}

impl QueueError {
    /// The status code sent with the message; clients switch on it.
    pub fn code(&self) -> u16 {
        match self {
            QueueError::NotFound(_) => 404,
            QueueError::Full { .. } => 429,
            QueueError::Timeout { .. } => 504,
            QueueError::Forbidden => 403,
        }
    }

    /// The values the suite pins, as `(case id, value)`: one per variant plus the
    /// edge values that matter on the wire (empty and non-ASCII names).
    pub fn samples() -> Vec<(&'static str, QueueError)> {
        vec![
            ("NotFound", QueueError::NotFound("emails".into())),
            ("NotFound.empty", QueueError::NotFound(String::new())),
            ("NotFound.unicode", QueueError::NotFound("café-jobs".into())),
            (
                "Full",
                QueueError::Full {
                    name: "emails".into(),
                    capacity: 1024,
                },
            ),
            (
                "Timeout",
                QueueError::Timeout {
                    job: 42,
                    after_ms: 30_000,
                },
            ),
            ("Forbidden", QueueError::Forbidden),
        ]
    }
}

/// The README's "Adopting" section shows this example's suite file verbatim, so the
/// snippet a newcomer copies is code that compiles and runs here.
#[cfg(test)]
mod readme {
    #[test]
    fn the_readme_shows_this_suite_verbatim() {
        let readme = include_str!("../../../README.md");
        let suite = include_str!("../tests/adopt_compat.rs");
        assert!(
            readme.contains(suite),
            "README.md's Adopting section must hold examples/adopt/tests/adopt_compat.rs \
             verbatim; copy the file into it"
        );
    }
}
