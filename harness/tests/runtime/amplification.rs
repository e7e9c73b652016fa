//! One cause, bounded effects: a golden of many orphaned entries, or a catalog whose
//! every case drifted, writes and prints a bounded amount, whatever the file's size.

use std::fs;
use wire_compat::_support::{load, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Entry, Suite};

const N: usize = 2_000;

fn suite(dir: &std::path::Path, settings: Settings) -> Suite {
    Suite::new(dir)
        .settings(settings)
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || {
            (0..N)
                .map(|i| Case::new(format!("Live{i}"), Entry::new().with("code", i as i64 + 1)))
                .collect()
        }))
}

/// `N` empty orphans and `N` drifting cases (the 100,000 orphans wrote
/// 100,000 pending files locally and printed 65 MB in CI).
fn fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    let mut text = String::from("cases:\n");
    for i in 0..N {
        text.push_str(&format!("  Live{i}:\n    code: 0\n"));
    }
    for i in 0..N {
        text.push_str(&format!("  Orphan{i}: {{}}\n"));
    }
    fs::write(dir.join("alpha.yaml"), text).unwrap();
    (root, dir)
}

#[test]
fn many_mismatches_of_one_file_write_and_print_a_bounded_amount() {
    let (_root, dir) = fixture();
    let results = suite(&dir, Settings::from_values(None, None)).run_all();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    // Every live case fails; the orphans are 100 trials and one summary.
    assert_eq!(failed, N + 100 + 1, "{}", results.len());
    let printed: usize = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().err())
        .map(String::len)
        .sum();
    let full: Vec<_> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().err())
        .filter(|m| m.contains("pending change recorded"))
        .collect();
    assert_eq!(full.len(), 100, "one file's full reports are bounded");
    let records = fs::read_dir(dir.join(".pending/alpha")).unwrap().count();
    assert_eq!(records, 100, "one file's pending records are bounded");
    // Full reports, then one line per other case: far below a report per case.
    assert!(printed < 100 * 2_000 + N * 400, "{printed} bytes");
    let summary = results
        .iter()
        .find(|(n, _)| n == "alpha::@orphans")
        .unwrap()
        .1
        .as_ref()
        .unwrap_err();
    assert!(
        summary.contains(&format!("{} more entries", N - 100)),
        "{summary}"
    );
}

#[test]
fn update_goldens_still_applies_every_change_past_the_bound() {
    let (_root, dir) = fixture();
    let results = suite(&dir, Settings::from_values(None, Some("1"))).run_all();
    assert!(
        results.iter().all(|(_, r)| r.is_ok()),
        "{:?}",
        &results[..3]
    );
    let file = load(&dir.join("alpha.yaml")).unwrap().unwrap();
    assert_eq!(file.cases.len(), N, "only the live cases are left");
    assert!(file
        .cases
        .iter()
        .all(|c| c.entry.get("code") != Some(&0.into())));
}
