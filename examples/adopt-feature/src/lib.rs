//! A lease service's wire errors, adopting the compat suite without a new public
//! dependency: strum's derives exist only under the `variant-names` feature, which the
//! crate's own dev-dependency on itself turns on for its tests.

#![forbid(unsafe_code)]

/// The errors the lease service sends, message and code.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(
    feature = "variant-names",
    derive(strum::VariantNames, strum::IntoStaticStr)
)]
#[non_exhaustive]
pub enum LeaseError {
    /// Another holder has the lease.
    #[error("lease '{0}' is held by another client")]
    Held(String),
    /// The lease ran out before it was renewed.
    #[error("lease '{0}' expired")]
    Expired(String),
}

impl LeaseError {
    /// The status code sent with the message.
    pub fn code(&self) -> u16 {
        match self {
            LeaseError::Held(_) => 409,
            LeaseError::Expired(_) => 410,
        }
    }

    /// The values the suite pins, as `(case id, value)`.
    pub fn samples() -> Vec<(&'static str, LeaseError)> {
        vec![
            ("Held", LeaseError::Held("db-primary".into())),
            ("Expired", LeaseError::Expired("db-primary".into())),
            ("Expired.empty", LeaseError::Expired(String::new())),
        ]
    }
}
