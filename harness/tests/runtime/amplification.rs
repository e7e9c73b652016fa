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

/// A CI run over a golden of orphans copied every orphan past the first 100 into the
/// `@orphans` trial, on top of the loaded golden: a 32 MiB golden of orphans peaked at
/// 666 MB in CI against 374 MB for its load. The trial now points into the loaded
/// golden. Counted, not measured: the bytes the run holds at its peak (one thread, one
/// catalog) against the bytes loading the same golden holds.
#[test]
fn a_ci_run_over_a_golden_of_orphans_holds_no_second_copy_of_it() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    let mut text = String::from("cases:\n  Live:\n    message: \"live\"\n");
    // Many small fields: what a golden holds in memory is then far more than its
    // text, so a copy of it shows over the text read while loading.
    for i in 0..2_000 {
        text.push_str(&format!("  Orphan{i}:\n"));
        for field in [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        ] {
            text.push_str(&format!("    {field}: \"x\"\n"));
        }
    }
    let path = dir.join("alpha.yaml");
    fs::write(&path, text).unwrap();
    let (loaded, load_peak) = crate::meter::peak_of(|| load(&path).unwrap().unwrap());
    assert_eq!(loaded.cases.len(), 2_001);
    drop(loaded);
    let suite = Suite::new(&dir)
        .settings(Settings::from_values(Some("true"), None))
        .color(Color::Off)
        .shown_dir("goldens")
        .catalog(Catalog::new("alpha", || {
            vec![Case::new("Live", Entry::new().with("message", "live"))]
        }));
    let (results, run_peak) = crate::meter::peak_of(|| suite.run_all());
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    assert_eq!(
        failed, 101,
        "100 orphans reported, then one `@orphans` trial"
    );
    assert!(
        run_peak < load_peak + load_peak / 4,
        "the run held {run_peak} bytes at its peak, loading the golden {load_peak}"
    );
}
