//! Canonical form is a fixed point: rewriting an unchanged golden gives the same bytes,
//! so an approval's `git diff` shows only what changed.

use std::path::Path;
use wire_compat::_support as golden;

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
