//! Every golden in this repository (its own suite's and each example's) is in the
//! canonical form the writer makes: rewriting an unchanged golden gives the same bytes,
//! so an approval's `git diff` shows only what changed.

use crate::workspace_root;
use wire_compat::_support::{self as golden, render_file, render_golden, GOLDEN_FORMAT};

#[test]
fn every_golden_of_the_workspace_is_canonical_and_rewrites_byte_identical() {
    let mut checked = 0;
    for dir in [
        "goldens",
        "examples/adopt/goldens",
        "examples/adopt-feature/goldens",
        "examples/adopt-by-hand/goldens",
    ] {
        let dir = workspace_root().join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let file = golden::parse(&path, &bytes).unwrap();
            let cases = file.cases.iter().map(|c| (c.id.as_str(), &c.entry));
            let again = match file.format {
                GOLDEN_FORMAT => render_golden(&file.declared, &file.header, cases),
                _ => render_file(&file.header, cases),
            };
            assert!(
                again.as_bytes() == bytes.as_slice(),
                "{} is not in canonical form; rewrite it with `UPDATE_GOLDENS=1 cargo test`",
                path.display()
            );
            let reparsed = golden::parse(&path, again.as_bytes()).unwrap();
            assert_eq!(reparsed, file);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} goldens found");
}
