//! The suite: catalogs plus a goldens folder, run as a libtest-compatible test binary.

mod declared;
mod plan;
mod trial;

use crate::approver::Approver;
use crate::catalog::Catalog;
use crate::env::{Color, Settings};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// A set of catalogs checked against one goldens folder.
///
/// This is the whole framework from a user's point of view: build a `Suite`, add a
/// [`Catalog`] per wire type, and return [`Suite::run`] from the `main` of a
/// `harness = false` test target. Each case becomes one trial named
/// `<catalog>::<case id>`, so `cargo test -- <filter>`, `--exact`, `--list` and
/// nextest select cases as they select ordinary tests.
pub struct Suite {
    pub(crate) dir: PathBuf,
    pub(crate) shown_dir: String,
    pub(crate) catalogs: Vec<Catalog>,
    pub(crate) approve: Approver,
    pub(crate) settings: Settings,
    pub(crate) color: Color,
}

/// A trial's name and result: `Err` holds its report.
pub type TrialResult = (String, Result<(), String>);

impl Suite {
    /// A suite over the goldens in `dir`, with settings and colours from the environment.
    ///
    /// Pass an absolute path (`concat!(env!("CARGO_MANIFEST_DIR"), "/goldens")`): cargo
    /// runs tests from the package's folder, nextest and other runners may not.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Suite {
            shown_dir: crate::fs::shown_in_workspace(&dir),
            dir,
            catalogs: Vec::new(),
            approve: Approver::from_env(),
            settings: Settings::from_env(),
            color: Color::from_env(),
        }
    }

    /// Adds a catalog: one golden file, `<dir>/<catalog name>.yaml`.
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.catalogs.push(catalog);
        self
    }

    /// The command that approves changes, as failure reports print it (`<cmd> accept
    /// <trial>`), for a project that wraps the tool in a script of its own. By default
    /// reports print `cargo wire-compat ...` when the tool is installed (or aliased), else
    /// the `UPDATE_GOLDENS=1 cargo test ...` command that needs nothing.
    pub fn approve_command(mut self, cmd: impl Into<String>) -> Self {
        self.approve = Approver::Tool(cmd.into());
        self
    }

    /// Runs the suite with the process's arguments; return it from `main`.
    ///
    /// Understands libtest's arguments (`--list`, `--exact`, filters, `--format`,
    /// `--test-threads`), so `cargo test`, `cargo test -- VmNotFound` and nextest all
    /// work. With `--exact <file>::<case>` (what nextest runs per process) only that
    /// file's golden is read. Approved updates (`UPDATE_GOLDENS=1`) are written after
    /// all trials ran; if that fails the run fails too. The process is never exited
    /// from inside: coverage tools and destructors see a normal return.
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
    fn run_with(self, mut args: libtest_mimic::Arguments) -> (bool, Vec<String>) {
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
        let only = args
            .filter
            .as_deref()
            .filter(|_| args.exact)
            .and_then(|f| f.split_once("::"))
            .map(|(stem, _)| stem.to_owned());
        let (checks, recorder) = self.checks(only.as_deref());
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
        let (checks, recorder) = self.checks(None);
        let results = checks.into_iter().map(|c| (c.name, (c.run)())).collect();
        match recorder.finish() {
            Err(e) => (vec![("@finish".into(), Err(e.to_string()))], Vec::new()),
            Ok((notes, false)) => (vec![("@finish".into(), Err(notes.join("\n")))], Vec::new()),
            Ok((notes, true)) => (results, notes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
