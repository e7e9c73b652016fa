//! A probe service's wire errors, adopted by the compat suite without touching the
//! type: no derive, no feature. The suite's test keeps the variant list by hand.

#![forbid(unsafe_code)]

/// The errors the probe service sends. Not `#[non_exhaustive]`, so the suite's `match`
/// in another crate (the test) can be exhaustive and a new variant fails to compile.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The target did not answer in time.
    #[error("probe of {0} timed out")]
    Timeout(String),
    /// The target answered with something else than the probe expects.
    #[error("probe of {target} got {got:?}")]
    Unexpected {
        /// The probed address.
        target: String,
        /// What came back.
        got: String,
    },
}
