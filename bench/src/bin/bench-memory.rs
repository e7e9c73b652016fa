//! Peak memory of the shapes the loader's limits are documented for (`ci/bench
//! --memory` times this binary with `/usr/bin/time -f %M`). Generating an input and
//! measuring it are separate runs, so the peak measured is the loader's alone:
//!
//! - `bench-memory gen SHAPE DIR` writes `DIR/goldens/*.yaml` for one shape:
//!   - `canonical`: one canonical golden just under `MAX_GOLDEN_BYTES`, 26 one-letter
//!     string fields per case (the worst canonical form measured);
//!   - `qkeys`: `MAX_YAML_BYTES` of `? ` (YAML complex keys, nested on one line);
//!   - `dashes`: `MAX_YAML_BYTES` of `- ` (block sequences, nested on one line);
//!   - `flow`: `MAX_YAML_BYTES` of `cases: {a,a,...}` (the worst text serde still reads);
//!   - `parallel`: one file per core of the `flow` shape, each just under the size
//!     above which goldens load one at a time;
//!   - `orphans`: one canonical golden just under `MAX_GOLDEN_BYTES` of empty entries
//!     no case renders (`Orphan0: {}` ...).
//! - `bench-memory load FILE...` loads every file at once, one thread each, through
//!   the loader the suite uses, and prints what each load gave.
//! - `BENCH_DIR=DIR bench-memory [libtest arguments]` runs a whole suite over
//!   `DIR/goldens` (one catalog per golden, each rendering one case), as `cargo test`
//!   runs an adopter's suite; with `CI=1` it is a CI run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wire_compat::_support::{load, MAX_GOLDEN_BYTES, MAX_YAML_BYTES};

/// Goldens at most this large may load in parallel (`SERIAL_LOAD_BYTES` in the loader).
const PARALLEL_BYTES: usize = 1024 * 1024;

fn main() -> ExitCode {
    if let Some(dir) = std::env::var_os("BENCH_DIR") {
        return suite(Path::new(&dir));
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen", shape, dir] => generate(shape, Path::new(dir)),
        ["load", files @ ..] if !files.is_empty() => load_all(files),
        _ => {
            eprintln!(
                "usage: bench-memory gen canonical|qkeys|dashes|flow|parallel|orphans DIR\n       \
                 bench-memory load FILE...\n       BENCH_DIR=DIR bench-memory [libtest args]"
            );
            ExitCode::from(2)
        }
    }
}

fn generate(shape: &str, dir: &Path) -> ExitCode {
    let goldens = dir.join("goldens");
    let _ = std::fs::remove_dir_all(&goldens);
    std::fs::create_dir_all(&goldens).expect("create the goldens folder");
    let canonical_limit = MAX_GOLDEN_BYTES as usize - 4096;
    let files: Vec<(String, String)> = match shape {
        "canonical" => {
            let mut text = String::from("cases:\n");
            let mut i = 0;
            while text.len() < canonical_limit {
                text.push_str(&format!("  Case{i}:\n"));
                for f in b'a'..=b'z' {
                    // `n` and `y` are booleans to YAML 1.1: the writer quotes them.
                    let q = if matches!(f, b'n' | b'y') { "\"" } else { "" };
                    text.push_str(&format!("    {q}{}{q}: \"x\"\n", f as char));
                }
                i += 1;
            }
            vec![("canonical".into(), text)]
        }
        "qkeys" => vec![("qkeys".into(), "? ".repeat(MAX_YAML_BYTES / 2))],
        "dashes" => vec![("dashes".into(), "- ".repeat(MAX_YAML_BYTES / 2))],
        "flow" => vec![("flow".into(), flow(MAX_YAML_BYTES))],
        "parallel" => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            (0..cores)
                .map(|c| (format!("parallel{c}"), flow(PARALLEL_BYTES)))
                .collect()
        }
        "orphans" => {
            let mut text = String::from("cases:\n  Live:\n    message: \"live\"\n");
            let mut i = 0;
            while text.len() < canonical_limit {
                text.push_str(&format!("  Orphan{i}: {{}}\n"));
                i += 1;
            }
            vec![("orphans".into(), text)]
        }
        other => {
            eprintln!("bench-memory: unknown shape {other}");
            return ExitCode::from(2);
        }
    };
    for (stem, text) in files {
        let path = goldens.join(format!("{stem}.yaml"));
        std::fs::write(&path, text).expect("write a golden");
        println!("{}", path.display());
    }
    ExitCode::SUCCESS
}

/// `cases: {a,a,...}` of at most `bytes` bytes.
fn flow(bytes: usize) -> String {
    let mut text = String::from("cases: {");
    text.push_str(&"a,".repeat((bytes - text.len() - 1) / 2));
    text.push('}');
    text
}

fn load_all(files: &[&str]) -> ExitCode {
    let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    let results: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .iter()
            .map(|p| {
                scope.spawn(move || match load(p) {
                    Ok(Some(golden)) => format!("{}: {} cases", p.display(), golden.cases.len()),
                    Ok(None) => format!("{}: missing", p.display()),
                    Err(e) => format!("{}: refused: {e}", p.display()),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a load panicked"))
            .collect()
    });
    for line in results {
        println!("{}", line.lines().next().unwrap_or_default());
    }
    ExitCode::SUCCESS
}

fn suite(dir: &Path) -> ExitCode {
    let goldens = dir.join("goldens");
    let mut stems: Vec<String> = std::fs::read_dir(&goldens)
        .expect("read the goldens folder")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".yaml").map(str::to_owned)
        })
        .collect();
    stems.sort();
    let mut suite = wire_compat::Suite::new(goldens);
    for stem in stems {
        suite = suite.catalog(wire_compat::Catalog::new(stem, || {
            vec![wire_compat::Case::message("Live", "live")]
        }));
    }
    suite.run()
}
