//! The compat suite over a synthetic catalog: exactly what a `harness = false` test
//! of an adopting crate does (a `Suite` of catalogs, `Suite::run`, libtest-mimic), so
//! it takes the arguments `cargo test` passes (`--quiet`, `--exact`, filters...).

fn main() -> std::process::ExitCode {
    compat_bench::run_suite()
}
