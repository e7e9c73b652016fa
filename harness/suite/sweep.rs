//! The input sweep every integer decoder of the wire types is run over.
//!
//! A decoder's table is only pinned if the suite notices a decoding that was added
//! (say `from_status(1000)` suddenly meaning `Disconnected`) as well as one that was
//! lost. Probing a handful of codes next to the table cannot see either far from it, so
//! each catalog runs its decoders over [`inputs`] and emits one case per input that does
//! *not* fall through to the decoder's fallback: a new decoding is a new case without a
//! golden, a lost one an orphaned golden entry, and both fail under the input's own
//! name (`fabric_error::from_status.1000`). [`summary`] pins the sweep itself and the
//! size of the decoded set, so shrinking the sweep is a golden change too.
//!
//! About 74,000 inputs per decoder: a few milliseconds in the debug build.

use wire_compat::{Case, Entry};

/// Every value in this window is swept: it covers each table (codes down to -1702,
/// GPU session codes up to 255) with a wide margin on both sides.
const WINDOW: std::ops::RangeInclusive<i32> = -4096..=4096;
/// How many values at each end of `i32` are swept, where sign and overflow bugs live.
const ENDS: i32 = 256;
/// A prime stride from `i32::MIN` to `i32::MAX`, so every region of the range is
/// sampled and the samples do not line up with round table codes.
const STRIDE: usize = 65_521;

/// The swept inputs, ascending and without duplicates.
pub fn inputs() -> Vec<i32> {
    let mut all: Vec<i32> = WINDOW.collect();
    all.extend(i32::MIN..i32::MIN + ENDS);
    all.extend(i32::MAX - ENDS + 1..=i32::MAX);
    all.extend((i32::MIN..=i32::MAX).step_by(STRIDE));
    all.sort_unstable();
    all.dedup();
    all
}

/// The inputs for which `decodes` holds (the decoder does not fall through).
pub fn decoded(decodes: impl Fn(i32) -> bool) -> Vec<i32> {
    inputs().into_iter().filter(|&code| decodes(code)).collect()
}

/// The fields of a [`summary`] case, for the catalogs that declare them.
pub const FIELDS: [&str; 4] = ["swept", "inputs", "fallback", "decoded"];

/// The case `sweep.<decoder>`: what was swept, what the fallback is, and how many
/// inputs decoded to something else, so the sweep cannot quietly shrink.
pub fn summary(decoder: &str, fallback: &str, decoded: usize) -> Case {
    Case::new(
        format!("sweep.{decoder}"),
        Entry::new()
            .with(
                "swept",
                format!(
                    "every code in {}..={}, {ENDS} at each end of i32, and a stride of {STRIDE} from i32::MIN",
                    WINDOW.start(),
                    WINDOW.end()
                ),
            )
            .with("inputs", inputs().len() as i64)
            .with("fallback", fallback)
            .with("decoded", decoded as i64),
    )
}

/// `probes` and `decoded` merged, ascending and without duplicates, so a code that is
/// both an explicit probe and a sweep hit yields one case.
pub fn merged(probes: &[i32], decoded: &[i32]) -> Vec<i32> {
    let mut all: Vec<i32> = probes.iter().chain(decoded).copied().collect();
    all.sort_unstable();
    all.dedup();
    all
}
