//! The compat suite over a synthetic catalog: exactly what a `harness = false` test
//! of an adopting crate does (a `Suite` of catalogs, `Suite::run`, libtest-mimic), so
//! it takes the arguments `cargo test` passes (`--quiet`, `--exact`, filters...).

use compat_bench::{drifted_message, file_range, from_env, id, stem, FILES};
use wire_compat::{Case, Catalog, Suite};

fn main() -> std::process::ExitCode {
    let (dir, total) = from_env();
    let mut suite = Suite::new(dir.join("goldens"));
    for f in 0..FILES {
        suite = suite.catalog(Catalog::new(stem(f), move || {
            file_range(total, f)
                .map(|i| Case::message(id(i), drifted_message(i)))
                .collect()
        }));
    }
    suite.run()
}
