//! Sets the `has_tool` cfgs these tests read, by the rule the runtime's and the CLI's
//! build scripts share (`../test_tools.rs`): a test whose tool is missing is listed as
//! ignored, with the reason, and fails in CI. This package is never published, so it
//! includes the file from the runtime's folder.

include!("../test_tools.rs");

fn main() {
    println!("cargo::rerun-if-changed=../test_tools.rs");
    emit(&["nextest", "jsonschema"]);
}
