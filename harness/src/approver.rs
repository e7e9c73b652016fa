//! The command a failure report prints to approve a change: one that works where the
//! suite runs, approves exactly what its sentence names, and is quoted for the shell.
//!
//! `cargo wire-compat accept -p <package> <trial>` needs the `cargo-wire-compat` tool,
//! installed where cargo looks for subcommands (its `bin` folder, then `PATH`). A file of
//! that name is not enough (another crate of that name exists): the runtime runs it
//! once with `--version` and uses it only when it answers with this tool's handshake,
//! `cargo-wire-compat <version> (reads pending format <N>)` for this runtime's format.
//! That check is made when a report first needs a command (at most once per process,
//! never in a run where nothing drifts, never through cargo, whose build lock the
//! outer `cargo test` may hold). Without the tool the report prints the approval that
//! needs nothing: re-running the one trial with `UPDATE_GOLDENS=1`, and how to install
//! the tool.
//!
//! A cargo alias is not looked for: cargo reads aliases from every `.cargo/config.toml`
//! above the folder, from cargo's home, from `--config` and from `CARGO_ALIAS_*`
//! variables, in TOML (dotted keys, quoted keys, inline tables) that a line scan
//! misreads. A project that has an alias says so with
//! [`crate::Suite::approve_command`]; everyone else gets a command that works without one.

use crate::pending::PENDING_FORMAT;
use std::ffi::OsStr;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The tool's binary, as cargo finds it for `cargo wire-compat`.
const TOOL_BINARY: &str = "cargo-wire-compat";

/// How reports name the tool once it is found.
const TOOL_COMMAND: &str = "cargo wire-compat";

/// How long the handshake may take before the binary counts as not ours.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// How reports tell the user to approve a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approver {
    /// A `cargo wire-compat`-style tool the project names itself (an alias or a
    /// script): `<cmd> accept <trial>`, `<cmd> review`. Printed as given.
    Tool(String),
    /// No tool: re-run the trial with `UPDATE_GOLDENS=1` (`cargo test -p <package>
    /// --test <target> -- <trial> --exact`).
    Rerun {
        /// The package under test (`-p`, so the command works anywhere in a workspace).
        package: Option<String>,
        /// The test target's name (`--test`).
        target: Option<String>,
    },
    /// Decided when a report first needs a command: the installed tool if it answers
    /// the handshake (then with `-p <package>`), else [`Approver::Rerun`].
    Detect(Arc<Detect>),
}

/// What [`Approver::Detect`] decides from, and its decision once made (shared by the
/// clones of one approver, so one process checks once).
#[derive(Debug)]
pub struct Detect {
    dirs: Vec<PathBuf>,
    package: Option<String>,
    target: Option<String>,
    found: OnceLock<bool>,
}

impl PartialEq for Detect {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Detect {}

/// An approver resolved to the command it prints.
enum Form<'a> {
    Tool {
        cmd: &'a str,
        package: Option<&'a str>,
    },
    Rerun {
        package: Option<&'a str>,
        target: Option<&'a str>,
    },
}

impl Approver {
    /// Decides from the environment of the running test binary: where cargo looks for
    /// the tool, the package (`CARGO_PKG_NAME`) and the test target (the binary's name).
    /// Runs nothing yet (see [`Approver::detect`]).
    pub fn from_env() -> Approver {
        Approver::detect(
            search_dirs(),
            std::env::var("CARGO_PKG_NAME")
                .ok()
                .filter(|p| !p.is_empty()),
            std::env::current_exe()
                .ok()
                .and_then(|exe| target_name(&exe)),
        )
    }

    /// An approver that looks for the tool in `dirs` (in order, the first
    /// `cargo-wire-compat` found is the one cargo would run) when a report first needs a
    /// command, and runs it once with `--version` to see that it is ours.
    pub fn detect(dirs: Vec<PathBuf>, package: Option<String>, target: Option<String>) -> Approver {
        Approver::Detect(Arc::new(Detect {
            dirs,
            package,
            target,
            found: OnceLock::new(),
        }))
    }

    fn form(&self) -> Form<'_> {
        match self {
            Approver::Tool(cmd) => Form::Tool { cmd, package: None },
            Approver::Rerun { package, target } => Form::Rerun {
                package: package.as_deref(),
                target: target.as_deref(),
            },
            Approver::Detect(d) => {
                let found = *d.found.get_or_init(|| tool_answers(&d.dirs));
                if found {
                    Form::Tool {
                        cmd: TOOL_COMMAND,
                        package: d.package.as_deref(),
                    }
                } else {
                    Form::Rerun {
                        package: d.package.as_deref(),
                        target: d.target.as_deref(),
                    }
                }
            }
        }
    }

    /// Whether reports name a tool (`review`), not an `UPDATE_GOLDENS` re-run.
    pub fn is_tool(&self) -> bool {
        matches!(self.form(), Form::Tool { .. })
    }

    /// The same approver without the tool: the `UPDATE_GOLDENS` re-run of this package
    /// and target, for a change that has no record for the tool to find.
    pub fn without_tool(&self) -> Approver {
        match self {
            // A project's own command says nothing of the package: the environment does.
            Approver::Tool(_) => match Approver::from_env() {
                Approver::Detect(d) => Approver::Rerun {
                    package: d.package.clone(),
                    target: d.target.clone(),
                },
                other => other,
            },
            Approver::Rerun { .. } => self.clone(),
            Approver::Detect(d) => Approver::Rerun {
                package: d.package.clone(),
                target: d.target.clone(),
            },
        }
    }

    /// The command that approves one trial, and nothing else.
    pub fn accept(&self, trial: &str) -> String {
        match self.form() {
            Form::Tool { cmd, package } => {
                format!(
                    "{cmd} accept{} {}",
                    package_arg(package),
                    shell_quote(trial)
                )
            }
            Form::Rerun { package, target } => format!(
                "{} -- {} --exact",
                rerun(package, target),
                shell_quote(trial)
            ),
        }
    }

    /// The one command that approves a rename by letter case only (`removed` leaves the
    /// golden, `added` enters it), which must land whole: both named to the tool, or,
    /// without it, the removal re-run first and then the addition, each with `--exact`.
    pub fn accept_rename(&self, removed: &str, added: &str) -> String {
        match self.form() {
            Form::Tool { cmd, package } => format!(
                "{cmd} accept{} {} {}",
                package_arg(package),
                shell_quote(added),
                shell_quote(removed)
            ),
            Form::Rerun { .. } => format!("{} && {}", self.accept(removed), self.accept(added)),
        }
    }

    /// The command that reviews everything a run recorded, with the tool; `None`
    /// without it (a re-run approves, it does not review).
    pub fn review(&self) -> Option<String> {
        match self.form() {
            Form::Tool { cmd, package } => Some(format!("{cmd} review{}", package_arg(package))),
            Form::Rerun { .. } => None,
        }
    }

    /// The command that rewrites every drifted golden entry of this test target (of all
    /// test targets of the package when the target is not known).
    pub fn rewrite_target(&self) -> String {
        match self.without_tool().form() {
            Form::Rerun { package, target } => rerun(package, target),
            Form::Tool { .. } => unreachable!("without_tool is a re-run"),
        }
    }

    /// The command that approves (or reviews) everything a run recorded: the tool's
    /// review, or the re-run of the whole test target.
    pub fn review_all(&self) -> String {
        self.review().unwrap_or_else(|| self.rewrite_target())
    }

    /// What else the user can do, in one line.
    pub fn alternatives(&self) -> String {
        match self.review() {
            Some(review) => format!(
                "(or review each pending change: `{review}`; or rewrite every drifted golden \
                 entry of this test target: `{}`)",
                self.rewrite_target()
            ),
            None => format!(
                "(to review changes one by one instead, install the tool: `{}`)",
                install_command()
            ),
        }
    }
}

fn package_arg(package: Option<&str>) -> String {
    package.map_or(String::new(), |p| format!(" -p {}", shell_quote(p)))
}

fn rerun(package: Option<&str>, target: Option<&str>) -> String {
    let mut cmd = "UPDATE_GOLDENS=1 cargo test".to_owned();
    if let Some(p) = package {
        cmd.push_str(&format!(" -p {}", shell_quote(p)));
    }
    if let Some(t) = target {
        cmd.push_str(&format!(" --test {}", shell_quote(t)));
    }
    cmd
}

/// A word or path as a POSIX shell reads it back unchanged: as is when it holds only
/// characters no shell treats specially, else in single quotes (a `'` inside written
/// `'\''`); a name with a control character or a byte that is not UTF-8 is written
/// `$'...'` with `\xNN` escapes (bash, zsh, ksh, busybox; POSIX.1-2024), so it
/// stays on one line and still names the same file. The one quoting rule of every
/// command the framework prints.
pub fn shell_quote(word: impl AsRef<OsStr>) -> String {
    let word = word.as_ref();
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(word).to_vec();
    #[cfg(not(unix))]
    let bytes = word.to_string_lossy().into_owned().into_bytes();
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"_-./:=@%+,".contains(&b);
    if !bytes.is_empty() && bytes.iter().all(|&b| plain(b)) {
        return String::from_utf8(bytes).unwrap_or_default();
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) if !text.chars().any(char::is_control) => {
            format!("'{}'", text.replace('\'', r"'\''"))
        }
        _ => {
            let mut out = String::from("$'");
            for chunk in bytes.utf8_chunks() {
                for c in chunk.valid().chars() {
                    match c {
                        '\\' => out.push_str(r"\\"),
                        '\'' => out.push_str(r"\'"),
                        c if c.is_control() => {
                            let mut buf = [0; 4];
                            for b in c.encode_utf8(&mut buf).bytes() {
                                out.push_str(&format!("\\x{b:02X}"));
                            }
                        }
                        c => out.push(c),
                    }
                }
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02X}"));
                }
            }
            out.push('\'');
            out
        }
    }
}

/// How to install the tool that matches this runtime: from the framework's source
/// next to it when it is a checkout of its own (a path dependency, this repository);
/// from its git repository at the locked commit when the runtime is a git dependency
/// (never from cargo's cache, which cargo may clean); else from the registry.
pub fn install_command() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli = manifest.join("cli");
    let home = cargo_home();
    let in_cache = home.as_ref().is_some_and(|h| {
        manifest.starts_with(h.join("git")) || manifest.starts_with(h.join("registry"))
    });
    if !in_cache && cli.join("Cargo.toml").is_file() {
        return format!("cargo install --locked --path {}", shell_quote(&cli));
    }
    let git = std::env::current_dir()
        .ok()
        .and_then(|dir| locked_git_source(&dir));
    install_from(git.as_ref().map(|(url, rev)| (url.as_str(), rev.as_str())))
}

/// The install command for a runtime from git (`url` at commit `rev`), or from the
/// registry when `git` is `None`.
fn install_from(git: Option<(&str, &str)>) -> String {
    match git {
        Some((url, rev)) => format!(
            "cargo install --locked --git {} --rev {} {TOOL_BINARY}",
            shell_quote(url),
            shell_quote(rev)
        ),
        None => format!(
            "cargo install --locked {TOOL_BINARY} --version {}",
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// The git repository and commit this runtime was built from, as the `Cargo.lock` of
/// the workspace around `dir` records it (`source = "git+<url>?<ref>#<commit>"` of the
/// `wire-compat` package of this version). Cargo writes the lock file itself, one key
/// per line, so reading it line by line is reading it as written.
fn locked_git_source(dir: &Path) -> Option<(String, String)> {
    let lock = dir
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file())?;
    git_source_in(&std::fs::read_to_string(lock).ok()?)
}

fn git_source_in(lock: &str) -> Option<(String, String)> {
    let name = format!("name = \"{}\"", env!("CARGO_PKG_NAME"));
    let version = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
    lock.split("[[package]]").find_map(|block| {
        let lines: Vec<&str> = block.lines().map(str::trim).collect();
        if !lines.contains(&name.as_str()) || !lines.contains(&version.as_str()) {
            return None;
        }
        let source = lines
            .iter()
            .find_map(|l| l.strip_prefix("source = \"git+"))?
            .strip_suffix('"')?;
        let (url, rev) = source.rsplit_once('#')?;
        let url = url.split_once('?').map_or(url, |(u, _)| u);
        Some((url.to_owned(), rev.to_owned()))
    })
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

/// Where cargo looks for `cargo-<name>` subcommands, in its order: its `bin` folder
/// first unless `PATH` names it (then `PATH` decides), then `PATH`.
fn search_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(bin) = cargo_home().map(|h| h.join("bin")) {
        if !dirs.contains(&bin) {
            dirs.insert(0, bin);
        }
    }
    dirs
}

/// Whether the `cargo-wire-compat` cargo would run (the first in `dirs`) is ours: it
/// answers `--version` with this tool's handshake for this runtime's pending format.
fn tool_answers(dirs: &[PathBuf]) -> bool {
    let name = format!("{TOOL_BINARY}{}", std::env::consts::EXE_SUFFIX);
    let Some(exe) = dirs.iter().map(|d| d.join(&name)).find(|p| p.is_file()) else {
        return false;
    };
    version_line(&exe).is_some_and(|line| is_handshake(&line))
}

/// Whether a `--version` line is this tool's: `cargo-wire-compat <version> (reads
/// pending format <PENDING_FORMAT>)`.
fn is_handshake(line: &str) -> bool {
    let Some(rest) = line.trim_end().strip_prefix(&format!("{TOOL_BINARY} ")) else {
        return false;
    };
    let Some((version, format)) = rest.split_once(' ') else {
        return false;
    };
    !version.is_empty()
        && !version.contains(char::is_whitespace)
        && format == format!("(reads pending format {PENDING_FORMAT})")
}

/// The first line `exe --version` prints, if it exits within [`HANDSHAKE_TIMEOUT`]
/// (a stranger's binary of that name might wait for input or hang: it is killed).
fn version_line(exe: &Path) -> Option<String> {
    let mut child = Command::new(exe)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout).take(4096).read_to_end(&mut buf);
        let _ = send.send(buf);
    });
    let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => break None,
        }
    };
    if !status.is_some_and(|s| s.success()) {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    }
    let out = receive
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .ok()?;
    let text = String::from_utf8(out).ok()?;
    text.lines().next().map(str::to_owned)
}

/// The test target a test binary was built from: cargo names it `<target>-<16 hex>`.
pub(crate) fn target_name(exe: &Path) -> Option<String> {
    let stem = exe.file_stem()?.to_str()?;
    let (name, hash) = stem.rsplit_once('-')?;
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_the_binary_name_without_its_hash() {
        let cases = [
            ("target/debug/deps/compat-8e688919880d4bba", Some("compat")),
            (
                "target/debug/deps/adopt_compat-e9120d0f0c85a2cc",
                Some("adopt_compat"),
            ),
            ("target/debug/compat", None),
            ("deps/compat-xyz", None),
        ];
        for (exe, want) in cases {
            assert_eq!(target_name(Path::new(exe)).as_deref(), want, "{exe}");
        }
    }

    #[test]
    fn commands_work_with_and_without_the_tool() {
        let tool = Approver::Tool("cargo wire-compat".into());
        assert_eq!(tool.accept("a::B"), "cargo wire-compat accept a::B");
        assert_eq!(tool.review_all(), "cargo wire-compat review");
        let rerun = Approver::Rerun {
            package: Some("api".into()),
            target: Some("compat".into()),
        };
        assert_eq!(
            rerun.accept("a::B"),
            "UPDATE_GOLDENS=1 cargo test -p api --test compat -- a::B --exact"
        );
        assert!(rerun.alternatives().contains("cargo install --locked"));
        assert_eq!(
            tool.accept_rename("a::b", "a::B"),
            "cargo wire-compat accept a::B a::b"
        );
        assert_eq!(
            rerun.accept_rename("a::b", "a::B"),
            "UPDATE_GOLDENS=1 cargo test -p api --test compat -- a::b --exact && \
             UPDATE_GOLDENS=1 cargo test -p api --test compat -- a::B --exact"
        );
    }

    /// The versions line of another crate's `cargo-wire-compat`, an older tool's, or
    /// one with words around it is not the handshake.
    #[test]
    fn only_this_tools_version_line_is_the_handshake() {
        let ours = format!("cargo-wire-compat 0.3.1 (reads pending format {PENDING_FORMAT})");
        assert!(is_handshake(&ours));
        assert!(is_handshake(&format!("{ours}\n")));
        for other in [
            "cargo-wire-compat 0.1.3".to_owned(),
            format!(
                "cargo-wire-compat 0.1.0 (reads pending format {})",
                PENDING_FORMAT + 1
            ),
            format!("cargo-wire-compat  (reads pending format {PENDING_FORMAT})"),
            format!("cargo-compat 0.1.0 (reads pending format {PENDING_FORMAT})"),
            format!("x cargo-wire-compat 0.1.0 (reads pending format {PENDING_FORMAT})"),
            String::new(),
        ] {
            assert!(!is_handshake(&other), "{other:?}");
        }
    }

    /// Issue 16 item 7: a git dependency's install hint pointed into cargo's cache.
    /// The lock file's source gives the repository and the commit instead.
    #[test]
    fn install_hint_for_a_git_dependency_names_the_repository_not_cargos_cache() {
        let lock = format!(
            "version = 4\n\n[[package]]\nname = \"other\"\nversion = \"1.0.0\"\nsource = \
             \"git+https://example.com/o.git#aaaa\"\n\n[[package]]\nname = \"{}\"\nversion = \
             \"{}\"\nsource = \"git+https://example.com/wire compat.git?branch=main#0123abcd\"\n",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        );
        let (url, rev) = git_source_in(&lock).unwrap();
        assert_eq!(
            install_from(Some((&url, &rev))),
            "cargo install --locked --git 'https://example.com/wire compat.git' --rev \
             0123abcd cargo-wire-compat"
        );
        assert_eq!(git_source_in("[[package]]\nname = \"other\"\n"), None);
        assert!(
            install_from(None).starts_with("cargo install --locked cargo-wire-compat --version ")
        );
    }
}
