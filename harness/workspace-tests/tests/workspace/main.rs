//! Tests of this repository's workspace rather than of one published package: the
//! adoption examples under `examples/` and the files CI runs. A published package's
//! tests build from what it ships, so these live in a package that is never published.

use std::path::{Path, PathBuf};
use wire_compat_testkit as support;

mod adopting;
mod canonical;
mod contract;
mod nextest;

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("harness/workspace-tests lives two levels below the root")
        .to_owned()
}
