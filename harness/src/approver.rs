//! The command a failure report prints to approve a change: one that works where the
//! suite runs.
//!
//! `cargo wire-compat accept <trial>` needs the `cargo-wire-compat` tool: installed (on `PATH` or
//! in cargo's `bin` folder) or a `wire-compat` alias in a `.cargo/config.toml` above the
//! package (as in the framework's own repository). Without it the report prints the
//! approval that needs nothing: re-running the one trial with `UPDATE_GOLDENS=1`, and
//! how to install the tool.

use std::path::{Path, PathBuf};

/// How reports tell the user to approve a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approver {
    /// A `cargo wire-compat`-style tool is there: `<cmd> accept <trial>`, `<cmd> review`.
    Tool(String),
    /// No tool: re-run the trial with `UPDATE_GOLDENS=1` (`cargo test -p <package>
    /// --test <target> -- <trial> --exact`).
    Rerun {
        /// The package under test (`-p`, so the command works anywhere in a workspace).
        package: Option<String>,
        /// The test target's name (`--test`).
        target: Option<String>,
    },
}

impl Approver {
    /// Decides from the environment of the running test binary.
    pub fn from_env() -> Approver {
        let dir = std::env::current_dir().unwrap_or_default();
        if tool_installed() || alias_defined(&dir) {
            return Approver::Tool("cargo wire-compat".into());
        }
        Approver::Rerun {
            package: std::env::var("CARGO_PKG_NAME")
                .ok()
                .filter(|p| !p.is_empty()),
            target: std::env::current_exe()
                .ok()
                .and_then(|exe| target_name(&exe)),
        }
    }

    /// The command that approves one trial.
    pub fn accept(&self, trial: &str) -> String {
        match self {
            Approver::Tool(cmd) => format!("{cmd} accept {trial}"),
            Approver::Rerun { .. } => format!("{} -- {trial} --exact", self.rerun()),
        }
    }

    /// The one command that approves several trials of one golden file together (a
    /// rename by letter case must land whole): all of them named to the tool, or, with
    /// no tool, a re-run of every trial of their file.
    pub fn accept_together(&self, trials: &[String]) -> String {
        match self {
            Approver::Tool(cmd) => format!("{cmd} accept {}", trials.join(" ")),
            Approver::Rerun { .. } => {
                let file = trials
                    .first()
                    .and_then(|t| t.split_once("::"))
                    .map_or("", |(stem, _)| stem);
                format!("{} -- {file}::", self.rerun())
            }
        }
    }

    /// The command that approves (or reviews) everything a run recorded.
    pub fn review_all(&self) -> String {
        match self {
            Approver::Tool(cmd) => format!("{cmd} review"),
            Approver::Rerun { .. } => self.rerun(),
        }
    }

    /// What else the user can do, in one line.
    pub fn alternatives(&self) -> String {
        match self {
            Approver::Tool(cmd) => format!(
                "(or review each pending change: `{cmd} review`; or rewrite all: \
                 `UPDATE_GOLDENS=1 cargo test`)"
            ),
            Approver::Rerun { .. } => format!(
                "(to review changes one by one instead, install the tool: {})",
                install_command()
            ),
        }
    }

    fn rerun(&self) -> String {
        let mut cmd = "UPDATE_GOLDENS=1 cargo test".to_owned();
        if let Approver::Rerun { package, target } = self {
            if let Some(p) = package {
                cmd.push_str(&format!(" -p {p}"));
            }
            if let Some(t) = target {
                cmd.push_str(&format!(" --test {t}"));
            }
        }
        cmd
    }
}

/// How to install the tool that matches this runtime: from the framework's source
/// next to it when there is one (a path or git dependency), else from the registry.
pub fn install_command() -> String {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("cli");
    if cli.join("Cargo.toml").is_file() {
        format!("cargo install --locked --path {}", cli.display())
    } else {
        format!(
            "cargo install --locked cargo-wire-compat --version {}",
            env!("CARGO_PKG_VERSION")
        )
    }
}

/// Whether `cargo-wire-compat` is an executable on `PATH` or in cargo's `bin` folder.
fn tool_installed() -> bool {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    dirs.extend(cargo_home.map(|h| h.join("bin")));
    dirs.iter().any(|d| d.join("cargo-wire-compat").is_file())
}

/// Whether a `.cargo/config.toml` (or `.cargo/config`) in `dir` or above defines a
/// `wire-compat` alias.
fn alias_defined(dir: &Path) -> bool {
    dir.ancestors().any(|d| {
        ["config.toml", "config"].iter().any(|name| {
            std::fs::read_to_string(d.join(".cargo").join(name)).is_ok_and(|text| {
                text.lines().any(|l| {
                    let l = l.trim_start();
                    l.strip_prefix("wire-compat")
                        .is_some_and(|rest| rest.trim_start().starts_with('='))
                })
            })
        })
    })
}

/// The test target a test binary was built from: cargo names it `<target>-<16 hex>`.
fn target_name(exe: &Path) -> Option<String> {
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
        let both = ["a::B".to_owned(), "a::b".to_owned()];
        assert_eq!(
            tool.accept_together(&both),
            "cargo wire-compat accept a::B a::b"
        );
        assert_eq!(
            rerun.accept_together(&both),
            "UPDATE_GOLDENS=1 cargo test -p api --test compat -- a::"
        );
    }

    #[test]
    fn an_alias_in_a_cargo_config_above_counts() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert!(!alias_defined(&deep));
        std::fs::create_dir(root.path().join(".cargo")).unwrap();
        std::fs::write(
            root.path().join(".cargo/config.toml"),
            "[alias]\nwire-compatible = \"x\"\n",
        )
        .unwrap();
        assert!(!alias_defined(&deep), "another alias is not ours");
        std::fs::write(
            root.path().join(".cargo/config.toml"),
            "[alias]\nwire-compat = \"run -p cargo-wire-compat --\"\n",
        )
        .unwrap();
        assert!(alias_defined(&deep));
    }
}
