//! Sets the `has_tool` cfgs the CLI's tests read (see `../test_tools.rs`, shared with
//! the runtime's build script): a test whose tool is missing is listed as ignored, with
//! the reason, and fails in CI.

include!("../test_tools.rs");

fn main() {
    println!("cargo::rerun-if-changed=../test_tools.rs");
    emit(&["tmux", "nextest", "chattr", "read-only-dir", "unshare"]);
}
