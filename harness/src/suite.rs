//! The suite: catalogs plus a goldens folder, run as a libtest-compatible test binary.

mod case;
mod checks;
mod declared;
mod file_checks;

use crate::approver::Approver;
use crate::catalog::Catalog;
use crate::env::{Color, Settings, Trials, WriteMode};
use crate::recorder::Recorder;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// A set of catalogs checked against one goldens folder.
///
/// This is the whole framework from a user's point of view: build a `Suite`, add a
/// [`Catalog`] per wire type, and return [`Suite::run`] from the `main` of a
/// `harness = false` test target. Each case becomes one trial named
/// `<catalog>::<case id>`, so `cargo test -- <filter>`, `--exact`, `--list` and
/// nextest select cases as they select ordinary tests.
pub struct Suite {
    /// The goldens folder, resolved (see [`Suite::new`]).
    pub(crate) dir: PathBuf,
    /// The folder as [`Suite::new`] was given it, for [`Suite::compiled_in`].
    given: PathBuf,
    pub(crate) shown_dir: String,
    pub(crate) catalogs: Vec<Catalog>,
    pub(crate) approve: Approver,
    pub(crate) settings: Settings,
    pub(crate) color: Color,
    /// One trial per case or per golden file, and a bad `WIRE_COMPAT_TRIALS` value.
    pub(crate) trials: (Trials, Option<String>),
}

/// A trial's name and result: `Err` holds its report.
pub type TrialResult = (String, Result<(), String>);

impl Suite {
    /// A suite over the goldens in `dir`, with settings and colours from the environment.
    ///
    /// A relative `dir` (write `"goldens"`) is found at run time in the package folder
    /// the runner names in `CARGO_MANIFEST_DIR`: cargo and nextest both set it for the
    /// test process, and `cargo nextest run --workspace-remap <path>` sets it to the
    /// package's folder under `<path>`, so an archived suite reads the goldens where the
    /// sources are, on any machine. When no runner set it (the binary started by hand),
    /// the folder comes from [`Suite::compiled_in`], else from the current folder. The
    /// [`suite!`](crate::suite!) macro writes both for you. An absolute `dir` is used as is.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let given = dir.into();
        let dir = goldens_dir(&given, runtime_package_dir().as_deref(), None);
        Suite {
            shown_dir: crate::fs::shown_in_workspace(&dir),
            dir,
            given,
            catalogs: Vec::new(),
            approve: Approver::from_env(),
            settings: Settings::from_env(),
            color: Color::from_env(),
            trials: Trials::from_env(),
        }
    }

    /// The package folder at build time, `env!("CARGO_MANIFEST_DIR")`: where a relative
    /// goldens folder is looked for when no runner names the package folder at run time.
    /// [`suite!`](crate::suite!) passes it; a runner's folder still wins, because a
    /// build's own path is wrong on every other machine.
    #[must_use]
    pub fn compiled_in(mut self, package_dir: &str) -> Self {
        let dir = goldens_dir(
            &self.given,
            runtime_package_dir().as_deref(),
            Some(Path::new(package_dir)),
        );
        if dir != self.dir {
            self.shown_dir = crate::fs::shown_in_workspace(&dir);
            self.dir = dir;
        }
        self
    }

    /// Adds a catalog: one golden file, `<dir>/<catalog name>.yaml`.
    #[must_use]
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.catalogs.push(catalog);
        self
    }

    /// The command that approves changes, as failure reports print it (`<cmd> accept
    /// <trial>`), for a project that wraps the tool in a script of its own or defines a
    /// cargo alias for it (`approve_command("cargo wire-compat")`; aliases are not
    /// detected). By default reports print `cargo wire-compat accept -p <package> ...`
    /// when the installed tool answers its `--version` handshake, else the
    /// `UPDATE_GOLDENS=1 cargo test ...` command that needs nothing.
    #[must_use]
    pub fn approve_command(mut self, cmd: impl Into<String>) -> Self {
        self.approve = Approver::Tool(cmd.into());
        self
    }

    /// Runs the suite with the process's arguments; return it from `main`.
    ///
    /// Understands libtest's arguments (`--list`, `--exact`, filters, `--format`,
    /// `--test-threads`), so `cargo test`, `cargo test -- VmNotFound` and nextest all
    /// work. Under a process-per-test runner (cargo-nextest, detected from
    /// `NEXTEST_EXECUTION_MODE`; `WIRE_COMPAT_TRIALS=per-case|per-file` overrides) it
    /// lists one trial per golden file, `<file>.yaml`, which checks and reports every
    /// case of that file; a filter naming a case (`<file>::<case>`) still selects that
    /// case. With `--exact <file>::<case>` only that file's golden is read. Approved
    /// updates (`UPDATE_GOLDENS=1`) are written after all trials ran; if that fails
    /// the run fails too. The process is never exited from inside: coverage tools and
    /// destructors see a normal return.
    pub fn run(self) -> ExitCode {
        let args = libtest_mimic::Arguments::from_args();
        let (passed, notes) = self.run_with(args);
        // The runner's own closing lines, after libtest-mimic's: what was written.
        if !notes.is_empty() {
            let mut err = std::io::stderr().lock();
            for note in notes {
                let _ = writeln!(err, "{note}");
            }
        }
        if passed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(101)
        }
    }

    /// Runs the trials under libtest-mimic; returns whether everything passed and the
    /// closing notes to show after libtest-mimic's summary.
    pub(crate) fn run_with(self, mut args: libtest_mimic::Arguments) -> (bool, Vec<String>) {
        // libtest-mimic 0.8 waits forever for a pool of zero threads; libtest refuses
        // the value, and so does the runner, before anything runs.
        if args.test_threads == Some(0) {
            return (
                false,
                vec!["error: --test-threads must be at least 1 (0 would wait forever)".into()],
            );
        }
        // libtest-mimic colours its own lines (`ok`, `FAILED`) by another rule: it colours
        // a terminal even with CI set and takes CLICOLOR_FORCE=0 as forcing. Unless
        // `--color` was given, it follows the reports' decision, so one run is all
        // plain or all coloured.
        if args.color.is_none() {
            args.color = Some(if self.color.is_on() {
                libtest_mimic::ColorSetting::Always
            } else {
                libtest_mimic::ColorSetting::Never
            });
        }
        let recorder = Arc::new(self.recorder());
        // A filter naming a case (`<file>::<case>`, what reports print) selects cases in
        // either mode, so a printed command approves exactly the case it names.
        let names_a_case = args.filter.as_deref().is_some_and(|f| f.contains("::"));
        let checks = if self.trials.0 == Trials::PerFile && !names_a_case {
            Arc::new(self).file_checks(&recorder)
        } else {
            let only = args
                .filter
                .as_deref()
                .filter(|_| args.exact)
                .and_then(|f| f.split_once("::"))
                .map(|(stem, _)| stem.to_owned());
            self.checks(only.as_deref(), &recorder)
        };
        recorder.set_filtered(args.filter.is_some() || !args.skip.is_empty());
        let trials = checks
            .into_iter()
            .map(|c| {
                let run = c.run;
                libtest_mimic::Trial::test(c.name, move || run().map_err(Into::into))
            })
            .collect();
        let conclusion = libtest_mimic::run(&args, trials);
        let mut passed = !conclusion.has_failed();
        let notes = match recorder.finish() {
            Ok((notes, complete)) => {
                passed &= complete;
                notes
            }
            Err(e) => {
                passed = false;
                vec![format!("error: {e}")]
            }
        };
        (passed, notes)
    }

    /// Runs every check in this thread and writes approved updates; returns each
    /// check's name and result (see the hidden support module).
    /// Also returns the closing notes the runner would show after the trials.
    pub(crate) fn run_all(&self) -> (Vec<TrialResult>, Vec<String>) {
        let recorder = Arc::new(self.recorder());
        let checks = self.checks(None, &recorder);
        let results = checks.into_iter().map(|c| (c.name, (c.run)())).collect();
        match recorder.finish() {
            Err(e) => (vec![("@finish".into(), Err(e.to_string()))], Vec::new()),
            Ok((notes, false)) => (vec![("@finish".into(), Err(notes.join("\n")))], Vec::new()),
            Ok((notes, true)) => (results, notes),
        }
    }
}

impl Suite {
    /// The recorder of one run: what it writes and where.
    pub(crate) fn recorder(&self) -> Recorder {
        Recorder::new(&self.dir, &self.settings, self.approve.clone())
    }

    /// Why this run records nothing, if it does not: then reports must not point to an
    /// `accept` that would find nothing.
    pub(crate) fn unrecorded(&self) -> Option<&'static str> {
        match self.settings.mode {
            WriteMode::Nothing if self.settings.ci => Some("CI never writes"),
            WriteMode::Nothing => Some("UPDATE_GOLDENS=0 writes nothing"),
            WriteMode::Pending | WriteMode::Update => None,
        }
    }

    /// How reports approve a change: the suite's approver, or, when the run records
    /// nothing, the re-run with `UPDATE_GOLDENS=1` that reproduces the one change on
    /// the user's machine and approves it there (it needs nothing installed, and it
    /// names the package and test target, so it works from anywhere in the workspace).
    pub(crate) fn report_approver(&self) -> Approver {
        if self.unrecorded().is_none() {
            return self.approve.clone();
        }
        Approver::Rerun {
            package: std::env::var("CARGO_PKG_NAME")
                .ok()
                .filter(|p| !p.is_empty()),
            target: std::env::current_exe()
                .ok()
                .and_then(|exe| crate::approver::target_name(&exe)),
        }
    }
}

/// The package folder the runner gives at run time (`CARGO_MANIFEST_DIR`), if any.
fn runtime_package_dir() -> Option<PathBuf> {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// Where the goldens are: `given` if absolute, else `given` inside the package folder
/// the runner gives at run time, else inside the one compiled in, else as given
/// (relative to the current folder).
fn goldens_dir(given: &Path, runtime: Option<&Path>, compiled: Option<&Path>) -> PathBuf {
    if given.is_absolute() {
        return given.to_owned();
    }
    match runtime.or(compiled) {
        Some(package) => package.join(given),
        None => given.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issue-17 archive run: the binary was built under one path and runs from a
    /// copy at another, where the runner names the package folder.
    #[test]
    fn a_relative_goldens_folder_is_found_where_the_runner_says_the_package_is() {
        let here = Path::new("/copy/api");
        let built = Path::new("/build/api");
        let rel = Path::new("goldens");
        assert_eq!(
            goldens_dir(rel, Some(here), Some(built)),
            here.join("goldens")
        );
        assert_eq!(goldens_dir(rel, None, Some(built)), built.join("goldens"));
        assert_eq!(goldens_dir(rel, None, None), rel);
        let abs = Path::new("/fixed/goldens");
        assert_eq!(goldens_dir(abs, Some(here), Some(built)), abs);
    }

    /// `-- --test-threads 0` used to hang in libtest-mimic's empty pool; it is refused
    /// before any trial is handed over (this test would hang without the check).
    #[test]
    fn zero_test_threads_is_refused_not_a_hang() {
        let args = libtest_mimic::Arguments::from_iter(["compat", "--test-threads", "0"]);
        let dir = std::env::temp_dir().join("compat-no-goldens-here");
        let suite = Suite::new(&dir).catalog(Catalog::new("alpha", Vec::new));
        let (passed, notes) = suite.run_with(args);
        assert!(!passed);
        assert!(notes[0].contains("--test-threads"), "{notes:?}");
    }
}
