//! insta with one named file snapshot per case (`assert_snapshot!(name, value)`,
//! `$BENCH_DIR/snapshots/<file>/<case>.snap`), each its own trial, run by
//! libtest-mimic like the harness (so both pay the same per-trial runner cost).
//! The snapshots are spread over one folder per golden file, as a project would
//! spread them over test modules: insta lists the snapshot's folder on every
//! assertion, so one folder of 100,000 files would make it quadratic.
//! Run once with `INSTA_UPDATE=always` to write the snapshots, then timed with
//! `INSTA_UPDATE=no`.

use compat_bench::{file_range, from_env, id, message, stem, FILES};
use libtest_mimic::{Arguments, Trial};

fn main() {
    let (dir, total) = from_env();
    let mut trials = Vec::with_capacity(total);
    for f in 0..FILES {
        let stem = stem(f);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir.join("snapshots").join(&stem));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        for i in file_range(total, f) {
            let settings = settings.clone();
            trials.push(Trial::test(format!("{stem}::{}", id(i)), move || {
                settings.bind(|| insta::assert_snapshot!(id(i), message(i)));
                Ok(())
            }));
        }
    }
    libtest_mimic::run(&Arguments::from_args(), trials).exit()
}
