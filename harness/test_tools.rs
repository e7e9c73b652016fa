// Which external tools the tests of this package can drive on this machine: shared by
// the build scripts of wire-compat (`build.rs`) and cargo-wire-compat (`cli/build.rs`,
// which includes this file), so the rule lives in one place. Nothing here reaches the
// libraries or the binary: it only sets cfgs the tests read.
//
// A test that drives a tool carries
//
//     #[cfg_attr(not(has_tool = "tmux"), ignore = "needs tmux, ...")]
//
// so where the tool is missing libtest lists the test as ignored, with the reason, and
// counts it: nothing passes without testing. With `CI` set every tool counts as
// present: the test runs and fails when its tool is missing (`ci/check` installs them
// all). A tool installed or removed later is seen at the next build: the scripts rerun
// when a directory of `PATH` changes.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every capability a test can ask for with `has_tool = "..."`.
const TOOLS: &[&str] = &[
    "tmux",          // the interactive review, driven in a tmux pane
    "nextest",       // cargo-nextest: partitions and one process per trial
    "script",        // a pseudo-terminal for the colour tests (util-linux/bsdutils)
    "mkfifo",        // a FIFO where a golden file is expected
    "setpriv",       // as root, re-running a test as user nobody (util-linux)
    "chattr",        // chattr +i: as root, on a file system of the temporary folder
    "read-only-dir", // a folder nobody can write: chattr +i as root, chmod as a user
    "unshare",       // a private read-only bind mount (unshare -m, as root)
    "jsonschema",    // Python's jsonschema ($WIRE_COMPAT_PYTHON or python3), for export's schema
];

/// Emits `has_tool = "<tool>"` for each of `wanted` this machine offers (every one of
/// them under `CI`), and tells cargo when to look again.
fn emit(wanted: &[&str]) {
    let values: Vec<String> = TOOLS.iter().map(|t| format!("\"{t}\"")).collect();
    println!("cargo::rustc-check-cfg=cfg(has_tool, values({}))", values.join(", "));
    println!("cargo::rerun-if-changed=build.rs");
    if built_as_a_dependency() {
        // An adopter's build never compiles these tests: look at nothing, and never
        // make cargo rebuild the package because PATH or a folder on it changed.
        return;
    }
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=TMPDIR");
    println!("cargo::rerun-if-env-changed=WIRE_COMPAT_PYTHON");
    for dir in env::split_paths(&env::var_os("PATH").unwrap_or_default()) {
        if dir.is_absolute() && dir.is_dir() {
            println!("cargo::rerun-if-changed={}", dir.display());
        }
    }
    let ci = env::var_os("CI").is_some_and(|v| !v.is_empty());
    for tool in wanted {
        assert!(TOOLS.contains(tool), "test_tools.rs: unknown tool {tool}");
        if ci || detect(tool) {
            println!("cargo::rustc-cfg=has_tool=\"{tool}\"");
        }
    }
}

/// Whether cargo builds this package from its registry cache or a git checkout, as a
/// dependency of another crate, where its tests are never built.
fn built_as_a_dependency() -> bool {
    let dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let parts: Vec<_> = dir.components().map(|c| c.as_os_str().to_owned()).collect();
    parts
        .windows(2)
        .any(|w| (w[0] == "registry" && w[1] == "src") || (w[0] == "git" && w[1] == "checkouts"))
}

fn detect(tool: &str) -> bool {
    match tool {
        "tmux" => on_path("tmux"),
        "nextest" => on_path("cargo-nextest"),
        "script" => on_path("script"),
        "mkfifo" => on_path("mkfifo"),
        // A user cannot read a mode-000 file anyway; root needs setpriv to drop to nobody.
        "setpriv" => !is_root() || on_path("setpriv"),
        "chattr" => is_root() && on_path("chattr") && chattr_works(),
        "read-only-dir" => !is_root() || detect("chattr"),
        "unshare" => is_root() && on_path("unshare") && on_path("mount") && private_mount_works(),
        "jsonschema" => succeeds(
            Command::new(env::var_os("WIRE_COMPAT_PYTHON").unwrap_or_else(|| "python3".into()))
                .args(["-c", "import jsonschema"]),
        ),
        _ => false,
    }
}

/// Whether an executable file `name` is in a directory of `PATH` (no process runs).
fn on_path(name: &str) -> bool {
    env::split_paths(&env::var_os("PATH").unwrap_or_default()).any(|dir| executable(&dir.join(name)))
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(path: &Path) -> bool {
    path.with_extension("exe").is_file()
}

/// Whether this process runs as root (the effective id on the `Uid:` line of
/// /proc/self/status; no process runs).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            == Some("0")
    })
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A probe folder of its own in the temporary folder the tests use; removed on drop.
struct Probe(PathBuf);

impl Probe {
    fn new() -> Option<Probe> {
        let dir = env::temp_dir().join(format!("wire-compat-tool-probe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        Some(Probe(dir))
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether `chattr +i` works in the temporary folder (tmpfs may refuse it).
fn chattr_works() -> bool {
    let Some(probe) = Probe::new() else {
        return false;
    };
    let file = probe.0.join("file");
    if std::fs::write(&file, b"x").is_err() {
        return false;
    }
    let ok = succeeds(Command::new("chattr").arg("+i").arg(&file));
    succeeds(Command::new("chattr").arg("-i").arg(&file));
    ok
}

/// Whether a private mount namespace with a read-only bind mount can be made (root in
/// a container without CAP_SYS_ADMIN cannot).
fn private_mount_works() -> bool {
    let Some(probe) = Probe::new() else {
        return false;
    };
    succeeds(
        Command::new("unshare")
            .args(["-m", "--propagation", "private", "sh", "-c"])
            .arg(r#"mount --bind -o ro "$1" "$1""#)
            .arg("sh")
            .arg(&probe.0),
    )
}
