//! The tool's output into a pipe is plain text, whatever the terminal variables say
//! short of `CLICOLOR_FORCE`.

use std::process::Command;
use wire_compat::_support::{record, Change};
use wire_compat::Entry;

#[test]
fn cargo_wire_compat_output_is_plain_in_a_pipe() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("probe.yaml"),
        "cases:\n  Drift:\n    message: \"vm 'a' not found\"\n",
    )
    .unwrap();
    let change = Change {
        stem: "probe".into(),
        id: "Drift".into(),
        old: Some(Entry::new().with("message", "vm 'a' not found")),
        new: Some(Entry::new().with("message", "vm 'b' not found")),
        header: Vec::new(),
    };
    record(&dir, &change).unwrap();
    for command in ["pending", "accept"] {
        let out = Command::new(env!("CARGO_BIN_EXE_cargo-wire-compat"))
            .args([command, "--goldens"])
            .arg(&dir)
            .env_remove("CI")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap();
        let text = crate::support::text(&out);
        assert!(out.status.success(), "{command}: {text}");
        assert!(text.contains("probe::Drift"), "{command}: {text}");
        assert!(!text.contains('\x1b'), "{command}: {text:?}");
    }
}
