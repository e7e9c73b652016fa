//! Canonical form is a fixed point: rewriting an unchanged golden gives the same bytes,
//! so an approval's `git diff` shows only what changed.

use std::path::Path;
use wire_compat::_support as golden;
use wire_compat::_support::{render_file, render_golden, GOLDEN_FORMAT};

#[test]
fn the_example_goldens_are_canonical_and_rewrite_byte_identical() {
    // The framework's own fixture: the adopt example's goldens, written by the writer.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/adopt/goldens");
    let mut checked = 0;
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
    assert!(checked >= 1, "no golden found in {}", dir.display());
}

#[test]
fn crlf_and_bom_read_as_the_same_golden() {
    let lf = "# h\ncases:\n  A:\n    message: \"a\\r\"\n";
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let p = Path::new("x.yaml");
    assert_eq!(
        golden::parse(p, lf.as_bytes()).unwrap(),
        golden::parse(p, crlf.as_bytes()).unwrap()
    );
}
