//! The benchmark's suite as a test target, for ci/bench's nextest rows: nextest runs
//! test targets only. The same suite as the `bench-harness` binary; `test = false` in
//! the manifest, so plain `cargo test` skips it (it needs `BENCH_DIR` and
//! `BENCH_CASES`) and ci/bench names it with `--test bench_suite`.

fn main() -> std::process::ExitCode {
    compat_bench::run_suite()
}
