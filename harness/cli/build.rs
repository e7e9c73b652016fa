//! Sets the `has_tool` cfgs the CLI's tests read: a test whose tool is missing is
//! listed as ignored, with the reason, and fails in CI. `test_tools.rs` is a link to
//! the runtime's, so the rule lives in one file and each package ships it.

include!("test_tools.rs");

fn main() {
    println!("cargo::rerun-if-changed=test_tools.rs");
    emit(&[
        "tmux",
        "nextest",
        "chattr",
        "read-only-dir",
        "unshare",
        "jsonschema",
    ]);
}
