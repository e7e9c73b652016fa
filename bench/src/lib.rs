//! Synthetic catalogs for `ci/bench`: the same cases for every checker it times.
//!
//! A benchmark of N cases spreads them over [`FILES`] golden files (catalogs), each
//! case a message of 40 to 120 characters. Every binary of this crate regenerates the
//! messages from the case number with the functions below, the way a real suite
//! renders its samples from the source, so the harness, the serde_yaml floor and insta
//! all check exactly the same facts and pay the same price to produce them.

#![forbid(unsafe_code)]

use std::ops::Range;
use std::path::PathBuf;

/// How many golden files (catalogs) the cases are spread over.
pub const FILES: usize = 100;

/// The stem of golden file `file` (`synth_007`): one catalog, one `<stem>.yaml`.
pub fn stem(file: usize) -> String {
    format!("synth_{file:03}")
}

/// The case numbers that file `file` holds when `total` cases are spread over [`FILES`].
pub fn file_range(total: usize, file: usize) -> Range<usize> {
    total * file / FILES..total * (file + 1) / FILES
}

/// The id of case `i` inside its golden file.
pub fn id(i: usize) -> String {
    format!("Case{i}")
}

/// The wire message of case `i`: 40 to 120 characters of error-like text.
///
/// Deterministic (a SplitMix64 stream seeded by `i`), so any binary can regenerate it.
/// About one message in eight quotes a name with `"` (escaped in the golden), one in
/// eight holds a non-ASCII character, like real messages that name user input.
pub fn message(i: usize) -> String {
    const WORDS: [&str; 24] = [
        "queue", "transfer", "segment", "replica", "handle", "buffer", "lease", "peer", "not",
        "found", "failed", "timed", "out", "after", "retry", "invalid", "state", "for", "the",
        "rejected", "while", "closing", "expected", "got",
    ];
    let mut rng = SplitMix(i as u64);
    let len = 40 + (rng.next() % 81) as usize;
    let mut out = String::with_capacity(len + 16);
    match rng.next() % 8 {
        0 => out.push_str(&format!("object \"obj-{i}\" ")),
        1 => out.push_str(&format!("nœud '{i}' ")),
        _ => out.push_str(&format!("{} '{i}' ", WORDS[(rng.next() % 8) as usize])),
    }
    // Words and separators are ASCII: count the prefix's characters once.
    let mut chars = out.chars().count();
    while chars < len {
        let word = WORDS[(rng.next() % WORDS.len() as u64) as usize];
        out.push_str(word);
        out.push(if rng.next().is_multiple_of(7) {
            ':'
        } else {
            ' '
        });
        chars += word.len() + 1;
    }
    let cut = out.char_indices().nth(len).map_or(out.len(), |(at, _)| at);
    out.truncate(cut);
    out
}

/// The message of case `i` as a changed source renders it: with `BENCH_DRIFT_EVERY=k`
/// (k > 0) every k-th case is reworded, so the workflow benchmarks (accepting pending
/// changes, the release gate) have real drift to work on.
pub fn drifted_message(i: usize) -> String {
    let every: usize = std::env::var("BENCH_DRIFT_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut m = message(i);
    if every > 0 && i.is_multiple_of(every) {
        m.push_str(" (reworded)");
    }
    m
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Where a run's data lives and how many cases it has: `BENCH_DIR` (holding
/// `goldens/` and `snapshots/`) and `BENCH_CASES`. Environment variables rather than
/// arguments, because the harness binaries take libtest's arguments.
pub fn from_env() -> (PathBuf, usize) {
    let dir = std::env::var_os("BENCH_DIR").expect("set BENCH_DIR to the benchmark's data folder");
    let cases = std::env::var("BENCH_CASES")
        .expect("set BENCH_CASES to the number of cases")
        .parse()
        .expect("BENCH_CASES is a number");
    (PathBuf::from(dir), cases)
}

/// The synthetic suite of `$BENCH_DIR` and `$BENCH_CASES`: exactly what a
/// `harness = false` test of an adopting crate does (a `Suite` of catalogs, one per
/// golden file, and `Suite::run`, libtest-mimic included). The `bench-harness` binary
/// and the `bench_suite` test target (for nextest) both run it.
pub fn run_suite() -> std::process::ExitCode {
    let (dir, total) = from_env();
    let mut suite = wire_compat::Suite::new(dir.join("goldens"));
    for f in 0..FILES {
        suite = suite.catalog(wire_compat::Catalog::new(stem(f), move || {
            file_range(total, f)
                .map(|i| wire_compat::Case::message(id(i), drifted_message(i)))
                .collect()
        }));
    }
    suite.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_40_to_120_chars_and_stable() {
        for i in 0..5000 {
            let m = message(i);
            let n = m.chars().count();
            assert!((40..=120).contains(&n), "{n}: {m:?}");
            assert_eq!(m, message(i));
        }
        assert!((0..100).any(|i| message(i).contains('"')));
        assert!((0..100).any(|i| !message(i).is_ascii()));
    }

    #[test]
    fn files_partition_the_cases() {
        for total in [1000, 10_000, 100_000, 999] {
            let mut next = 0;
            for f in 0..FILES {
                let r = file_range(total, f);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, total);
        }
    }
}
