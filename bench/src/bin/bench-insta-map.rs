//! insta with one snapshot for everything: `assert_yaml_snapshot!` of a single map
//! from `<file>::<case>` to message (`$BENCH_DIR/snapshots/all_cases.snap`). One
//! assertion, so a drift fails it as a whole; timed as the cheapest way insta can
//! hold every case. Write the snapshot first with `INSTA_UPDATE=always`.

use compat_bench::{file_range, from_env, id, message, stem, FILES};
use std::collections::BTreeMap;

fn main() {
    let (dir, total) = from_env();
    let mut all = BTreeMap::new();
    for f in 0..FILES {
        let stem = stem(f);
        for i in file_range(total, f) {
            all.insert(format!("{stem}::{}", id(i)), message(i));
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_yaml_snapshot!("all_cases", all));
    println!("insta map: {total} cases matched");
}
