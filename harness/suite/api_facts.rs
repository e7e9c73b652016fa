//! API facts of the wire types that no golden can hold, checked by `cargo test`.
//!
//! A golden pins what a value renders to; it cannot see an attribute, a trait bound or
//! a constant nobody renders. These tests pin those facts:
//!
//! * `SnapshotError` is `#[non_exhaustive]` and `wire_message()` is `#[must_use]`, as
//!   upstream declares them: `compile_fail` doctests in `src/api_facts.rs`, run by
//!   `cargo test`'s doc-test step against the library it has just built (no second
//!   build of the dependency tree); this file checks that their match names every
//!   variant, so they fail for the attribute and not for a missing arm;
//! * the five types are `Error + Send + Sync + 'static`, so they cross threads and box
//!   into `Box<dyn Error + Send + Sync>` (a compile-time bound below);
//! * the I/O variants of `SnapshotError` expose their `io::Error` as `source()`, and no
//!   other sample of any type has a source;
//! * every `pub const` declared in `src/` has a `const.` case in its type's golden.

use std::error::Error;
use std::io;
use std::path::Path;
use strum::VariantNames;
use wire_errors::{
    ErrorCode, FabricError, Sample, SnapshotError, TransferEngineError, VmRuntimeError,
};

/// The doctests of a file of `//!` docs, in order: each one's fence line (such as
/// "```compile_fail,E0004") and its lines, without the `//! ` prefix.
fn doctests(doc: &str) -> Vec<(&str, Vec<&str>)> {
    let mut blocks = Vec::new();
    let mut lines = doc
        .lines()
        .map(|l| l.strip_prefix("//!").unwrap_or(l).trim_start());
    while let Some(fence) = lines.by_ref().find(|l| l.starts_with("```")) {
        blocks.push((fence, lines.by_ref().take_while(|l| *l != "```").collect()));
    }
    blocks
}

/// The variant each `SnapshotError::Name ... =>` arm of a doctest names, in order.
fn match_arms<'a>(block: &[&'a str]) -> Vec<&'a str> {
    block
        .iter()
        .filter(|l| l.contains("=>"))
        .filter_map(|l| l.strip_prefix("SnapshotError::"))
        .map(|l| l.split(|c: char| !c.is_alphanumeric()).next().unwrap_or(""))
        .collect()
}

#[test]
fn non_exhaustive_doctest_matches_every_variant() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api_facts.rs");
    let doc = std::fs::read_to_string(&path).expect("src/api_facts.rs is readable");
    let blocks = doctests(&doc);
    let at = blocks
        .iter()
        .position(|(fence, _)| *fence == "```compile_fail,E0004")
        .expect("src/api_facts.rs: no doctest fenced ```compile_fail,E0004");
    let failing = &blocks[at].1;
    let twin = &blocks
        .get(at + 1)
        .expect("src/api_facts.rs: no twin after the compile_fail doctest")
        .1;
    assert_eq!(
        match_arms(failing),
        SnapshotError::VARIANTS,
        "src/api_facts.rs: the compile_fail match must name every SnapshotError variant \
         in declaration order, or it fails for a missing arm, not for #[non_exhaustive]"
    );
    assert_eq!(
        match_arms(twin),
        SnapshotError::VARIANTS,
        "src/api_facts.rs: the twin with a wildcard must name the same arms"
    );
    assert!(
        twin.iter().any(|l| l.starts_with("_ =>")),
        "src/api_facts.rs: the twin has no wildcard arm"
    );
}

/// Compiles only for a type that is a thread-safe, owned error.
fn assert_wire_error<T: Error + Send + Sync + 'static>() {}

#[test]
fn the_five_types_are_send_sync_static_errors() {
    assert_wire_error::<VmRuntimeError>();
    assert_wire_error::<SnapshotError>();
    assert_wire_error::<FabricError>();
    assert_wire_error::<TransferEngineError>();
    assert_wire_error::<ErrorCode>();
}

/// The `SnapshotError` variants that wrap an `io::Error` and expose it as `source()`.
const IO_VARIANTS: &[&str] = &["AtomicCommitFailed", "MemoryIo", "Io"];

#[test]
fn io_variants_expose_their_io_error_as_source() {
    for name in IO_VARIANTS {
        let err = match *name {
            "AtomicCommitFailed" => SnapshotError::AtomicCommitFailed(io::Error::other("cause")),
            "MemoryIo" => SnapshotError::MemoryIo(io::Error::other("cause")),
            _ => SnapshotError::from(io::Error::other("cause")),
        };
        assert_eq!(<&str>::from(&err), *name);
        let source = err
            .source()
            .unwrap_or_else(|| panic!("SnapshotError::{name} has no source()"));
        let io = source
            .downcast_ref::<io::Error>()
            .unwrap_or_else(|| panic!("SnapshotError::{name}'s source is not an io::Error"));
        assert_eq!(io.to_string(), "cause", "SnapshotError::{name}");
        assert!(
            source.source().is_none(),
            "SnapshotError::{name}: chain longer than one"
        );
    }
}

/// Fails naming each sample whose `source()` presence is not `expected(variant)`.
fn check_sources<T: Error>(
    type_name: &str,
    samples: Vec<Sample<T>>,
    expected: impl Fn(&str) -> bool,
) where
    for<'a> &'a T: Into<&'static str>,
{
    for s in samples {
        let variant: &'static str = (&s.value).into();
        assert_eq!(
            s.value.source().is_some(),
            expected(variant),
            "{type_name}::{variant} (sample `{}`): source() presence changed",
            s.label
        );
    }
}

#[test]
fn only_the_io_variants_have_a_source() {
    check_sources("SnapshotError", SnapshotError::samples(), |v| {
        IO_VARIANTS.contains(&v)
    });
    check_sources("VmRuntimeError", VmRuntimeError::samples(), |_| false);
    check_sources("FabricError", FabricError::samples(), |_| false);
    check_sources(
        "TransferEngineError",
        TransferEngineError::samples(),
        |_| false,
    );
    check_sources("ErrorCode", ErrorCode::samples(), |_| false);
}

/// The golden each source file's constants are pinned in.
const GOLDEN_OF: &[(&str, &str)] = &[
    ("fabric.rs", "fabric_error"),
    ("mooncake_store.rs", "mooncake_store_error"),
    ("mooncake_transfer.rs", "mooncake_transfer_error"),
    ("snapshot.rs", "snapshot_error"),
    ("vm_runtime.rs", "vm_runtime_error"),
];

/// The public constants a source file declares, as golden case ids: `const.NAME` at
/// module level, `const.Type.NAME` inside an inherent `impl Type`. Reads only
/// `pub const NAME:` / `pub static NAME:` lines (rustfmt's layout), which is what
/// this crate writes; `pub const fn` is a function, not a constant.
fn declared_constants(source: &str) -> Vec<String> {
    let mut owner: Option<&str> = None;
    let mut ids = Vec::new();
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("impl") {
            // `impl Type {` (possibly generic); a trait impl's constants are not items.
            let words: Vec<&str> = rest.split_whitespace().collect();
            owner = match words.as_slice() {
                [.., ty, "{"] if !words.contains(&"for") => ty.split('<').next(),
                _ => None,
            };
        } else if line == "}" {
            owner = None;
        }
        let item = line.trim_start();
        let Some(rest) = item
            .strip_prefix("pub const ")
            .or_else(|| item.strip_prefix("pub static "))
        else {
            continue;
        };
        if rest.starts_with("fn ") || rest.starts_with("unsafe ") {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        ids.push(match owner {
            Some(ty) => format!("const.{ty}.{name}"),
            None => format!("const.{name}"),
        });
    }
    ids
}

#[test]
fn scanner_reads_module_and_associated_constants() {
    let src = "pub const A: i32 = 1;\nconst HIDDEN: u8 = 0;\nimpl T {\n    pub const B: u8 = 2;\n    pub const fn f() {}\n}\nimpl fmt::Display for T {\n}\npub static C: &str = \"\";\n";
    assert_eq!(declared_constants(src), ["const.A", "const.T.B", "const.C"]);
}

#[test]
fn every_public_constant_has_a_golden_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("src"))
        .expect("src/ is readable")
        .map(|e| e.expect("src/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    assert!(files.len() > GOLDEN_OF.len(), "src/ not found");
    for path in files {
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let ids = declared_constants(&std::fs::read_to_string(&path).unwrap());
        let Some((_, stem)) = GOLDEN_OF.iter().find(|(f, _)| *f == file) else {
            assert!(
                ids.is_empty(),
                "src/{file} declares {ids:?} but has no golden: map it in GOLDEN_OF"
            );
            continue;
        };
        let golden = std::fs::read_to_string(root.join(format!("goldens/{stem}.yaml")))
            .unwrap_or_else(|e| panic!("goldens/{stem}.yaml: {e}"));
        for id in ids {
            if !golden.contains(&format!("\n  {id}:\n")) {
                missing.push(format!("src/{file}: {id} (goldens/{stem}.yaml)"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "public constants without a golden case; render each as a `const.` case in its \
         catalog (harness/suite/) and approve it:\n  {}",
        missing.join("\n  ")
    );
}
