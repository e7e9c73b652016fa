//! What the environment asks of a run: CI or not, whether to write goldens, colours.

use std::io::IsTerminal;

/// What a run may write when a case does not match its golden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Record each mismatch as a pending change next to the golden, for
    /// `cargo wire-compat review`/`accept` (the default outside CI, like insta's `.snap.new`).
    Pending,
    /// Rewrite the goldens in place (`UPDATE_GOLDENS=1`): the run approves everything.
    Update,
    /// Write nothing (CI, or `UPDATE_GOLDENS=0`).
    Nothing,
}

/// The settings of one run, read once from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// What the run may write.
    pub mode: WriteMode,
    /// Whether `CI` is set: writes are forbidden and output stays plain.
    pub ci: bool,
    /// A problem with the environment that must fail the run (reported as a trial).
    pub problem: Option<String>,
    /// `WIRE_COMPAT_FORCE_PASS=1`: a mismatch recorded as a pending change passes its
    /// trial (what `cargo wire-compat test --accept` runs with, so that any failure left
    /// is another one). A mismatch that could not be recorded still fails.
    pub force_pass: bool,
    /// What every pending record of this run is stamped with (package, run token).
    pub origin: crate::pending::Origin,
}

/// The values `UPDATE_GOLDENS` accepts, listed in the error for any other value.
pub const UPDATE_VALUES: &str = "`1`/`always` (rewrite goldens), `new` (record pending \
     changes, the default), `0`/`no` (write nothing), or unset";

/// Whether an environment value counts as "set" for a CI-color flag: anything but
/// unset, empty, `0` or `false` (the convention of `CI` on every major CI service).
pub fn flag_is_set(value: Option<&str>) -> bool {
    match value {
        None => false,
        Some(v) => !matches!(v.trim(), "" | "0") && !v.trim().eq_ignore_ascii_case("false"),
    }
}

/// The variables that say "this is a CI run", each with the services that set it.
/// Most services set `CI`; the others are the ones that do not (the list insta uses,
/// `CI` and `TF_BUILD`, plus Jenkins, TeamCity and AWS CodeBuild), so a goldens
/// folder is never written and logs stay plain on any of them.
pub const CI_VARIABLES: [(&str, &str); 5] = [
    (
        "CI",
        "GitHub Actions, GitLab, CircleCI, Travis, Buildkite, Bitbucket, Drone",
    ),
    ("TF_BUILD", "Azure Pipelines"),
    ("JENKINS_URL", "Jenkins"),
    ("TEAMCITY_VERSION", "TeamCity"),
    ("CODEBUILD_BUILD_ID", "AWS CodeBuild"),
];

/// Whether any of [`CI_VARIABLES`] is set (see [`flag_is_set`]), reading them with
/// `var`; `ci_from(|k| std::env::var(k).ok())` for the process environment.
pub fn ci_from(var: impl Fn(&str) -> Option<String>) -> bool {
    CI_VARIABLES
        .iter()
        .any(|(name, _)| flag_is_set(var(name).as_deref()))
}

impl Settings {
    /// Reads the CI variables ([`CI_VARIABLES`]) and `UPDATE_GOLDENS` from the
    /// process environment.
    pub fn from_env() -> Self {
        let ci = ci_from(|k| std::env::var(k).ok());
        Settings::from_values(
            ci.then_some("true"),
            std::env::var("UPDATE_GOLDENS").ok().as_deref(),
        )
        .with_run(|k| std::env::var(k).ok())
    }

    /// Adds what the tool asks of this run (`WIRE_COMPAT_FORCE_PASS`, `WIRE_COMPAT_RUN`)
    /// and the package under test (`CARGO_PKG_NAME`, set by cargo and nextest when they
    /// run a test binary), read with `var`. A value that is not understood is a problem
    /// that fails the run, as for `UPDATE_GOLDENS`.
    #[must_use]
    pub fn with_run(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
        let (force_pass, run, problem) = crate::pending::run_settings(&var);
        self.force_pass = force_pass;
        self.origin = crate::pending::Origin {
            package: var("CARGO_PKG_NAME").filter(|p| !p.is_empty()),
            run,
        };
        if self.problem.is_none() {
            self.problem = problem;
        }
        self
    }

    /// Decides the settings from the two variables' values (testable without touching
    /// the process environment).
    ///
    /// CI always wins: with `CI` set nothing is ever written, and asking for an update
    /// there is itself a failure, because an approval in CI would ship an unreviewed
    /// wire change. An unknown `UPDATE_GOLDENS` value also writes nothing and fails,
    /// rather than guessing what a typo meant.
    pub fn from_values(ci: Option<&str>, update: Option<&str>) -> Self {
        let ci = flag_is_set(ci);
        let requested = match update.map(str::trim) {
            None | Some("") | Some("new") => Ok(WriteMode::Pending),
            Some("1") | Some("always") => Ok(WriteMode::Update),
            Some("0") | Some("no") => Ok(WriteMode::Nothing),
            Some(other) => Err(format!(
                "UPDATE_GOLDENS={other:?} is not understood; accepted values: {UPDATE_VALUES}"
            )),
        };
        let (mode, problem) = match (ci, requested) {
            (_, Err(problem)) => (WriteMode::Nothing, Some(problem)),
            (true, Ok(WriteMode::Update)) => (
                WriteMode::Nothing,
                Some(
                    "UPDATE_GOLDENS is set while CI is set: CI never writes goldens. \
                     Approve changes locally (`cargo wire-compat review`) and commit them; \
                     unset UPDATE_GOLDENS in CI."
                        .into(),
                ),
            ),
            (true, Ok(_)) => (WriteMode::Nothing, None),
            (false, Ok(mode)) => (mode, None),
        };
        Settings {
            mode,
            ci,
            problem,
            force_pass: false,
            origin: crate::pending::Origin::default(),
        }
    }
}

/// The variable that chooses how a suite maps golden files to trials: `per-case`,
/// `per-file`, or `auto` (the default, also when unset or empty).
pub const TRIALS_VARIABLE: &str = "WIRE_COMPAT_TRIALS";

/// How the cases of a suite become trials.
///
/// libtest and `cargo test` run every trial of a binary in one process, so one trial
/// per case costs nothing extra: each catalog is rendered once. A process-per-test
/// runner (cargo-nextest) starts the binary once per trial, and every start renders
/// the catalog of its trial again: 610 cases cost 87x `cargo test`. There the suite
/// lists one trial per golden file instead, which still reports and records every
/// case on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trials {
    /// One trial per case, `<file>::<case>` (libtest's way; per-case filters work).
    PerCase,
    /// One trial per golden file, `<file>.yaml`, checking all of its cases.
    PerFile,
}

impl Trials {
    /// Decides from [`TRIALS_VARIABLE`] and nextest's `NEXTEST_EXECUTION_MODE`.
    pub fn from_env() -> (Trials, Option<String>) {
        let var = |k: &str| std::env::var(k).ok();
        Trials::decide(
            var(TRIALS_VARIABLE).as_deref(),
            var("NEXTEST_EXECUTION_MODE").as_deref(),
        )
    }

    /// The decision, and a problem to fail the run with when the variable holds
    /// something else than the accepted values (then `auto` is used).
    ///
    /// `auto` means per file exactly when the runner says it runs a process per test:
    /// nextest sets `NEXTEST_EXECUTION_MODE=process-per-test` both when it lists a
    /// binary and when it runs a test (listing since cargo-nextest 0.9.27), so the
    /// list and the runs agree on the names.
    pub fn decide(value: Option<&str>, execution_mode: Option<&str>) -> (Trials, Option<String>) {
        let auto = if execution_mode == Some("process-per-test") {
            Trials::PerFile
        } else {
            Trials::PerCase
        };
        match value.map(str::trim) {
            None | Some("") | Some("auto") => (auto, None),
            Some("per-case") => (Trials::PerCase, None),
            Some("per-file") => (Trials::PerFile, None),
            Some(other) => (
                auto,
                Some(format!(
                    "{TRIALS_VARIABLE}={other:?} is not understood; accepted values: \
                     `per-case` (one trial per case), `per-file` (one trial per golden \
                     file), `auto` or unset (per file under cargo-nextest, else per case)"
                )),
            ),
        }
    }
}

/// Whether report text may contain ANSI colour codes: follow the terminal, never
/// colour CI logs.
///
/// Decided once per run, in the order users expect: `NO_COLOR` (any non-empty value)
/// turns colour off; `CLICOLOR_FORCE` (non-empty, not `0`) turns it on even into a pipe;
/// otherwise colour only when stdout is a terminal and `CI` is not set, so CI logs stay
/// plain and greppable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Plain text: files, pipes, CI logs and tests.
    Off,
    /// ANSI escapes: a terminal, or `CLICOLOR_FORCE`.
    On,
}

impl Color {
    /// Whether escapes are written.
    pub fn is_on(self) -> bool {
        self == Color::On
    }

    /// Decides from the process environment and stdout.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok();
        Color::decide(
            var("NO_COLOR").as_deref(),
            var("CLICOLOR_FORCE").as_deref(),
            ci_from(var),
            std::io::stdout().is_terminal(),
        )
    }

    /// The decision itself, from its four inputs.
    pub fn decide(no_color: Option<&str>, force: Option<&str>, ci: bool, tty: bool) -> Self {
        let color = if no_color.is_some_and(|v| !v.is_empty()) {
            false
        } else if force.is_some_and(|v| !v.is_empty() && v != "0") {
            true
        } else {
            tty && !ci
        };
        if color {
            Color::On
        } else {
            Color::Off
        }
    }

    /// Wraps `text` in an SGR code when colour is on.
    pub fn paint(self, sgr: &str, text: &str) -> String {
        if self.is_on() {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_never_writes_and_refuses_update() {
        for ci in ["true", "1", "yes", "TRUE"] {
            let s = Settings::from_values(Some(ci), Some("1"));
            assert_eq!(s.mode, WriteMode::Nothing);
            assert!(s.problem.unwrap().contains("CI never writes"));
            assert_eq!(
                Settings::from_values(Some(ci), None).mode,
                WriteMode::Nothing
            );
        }
    }

    #[test]
    fn ci_values_that_mean_unset() {
        for ci in ["", "0", "false", "False"] {
            assert_eq!(
                Settings::from_values(Some(ci), Some("always")).mode,
                WriteMode::Update
            );
        }
    }

    #[test]
    fn unknown_update_value_lists_the_accepted_ones() {
        let s = Settings::from_values(None, Some("yes please"));
        assert_eq!(s.mode, WriteMode::Nothing);
        let p = s.problem.unwrap();
        assert!(
            p.contains("\"yes please\"") && p.contains("`1`/`always`"),
            "{p}"
        );
    }

    #[test]
    fn ci_services_that_do_not_set_ci_are_ci_too() {
        for (name, _) in CI_VARIABLES {
            let only = |k: &str| (k == name).then(|| "True".to_owned());
            assert!(ci_from(only), "{name}");
            let off = |k: &str| (k == name).then(|| "false".to_owned());
            assert!(!ci_from(off), "{name}=false");
        }
        assert!(!ci_from(|_| None));
    }

    #[test]
    fn trials_follow_nextest_unless_the_variable_says_otherwise() {
        let nextest = Some("process-per-test");
        assert_eq!(Trials::decide(None, nextest), (Trials::PerFile, None));
        assert_eq!(Trials::decide(None, None), (Trials::PerCase, None));
        assert_eq!(Trials::decide(Some("auto"), None), (Trials::PerCase, None));
        assert_eq!(
            Trials::decide(Some("per-case"), nextest),
            (Trials::PerCase, None)
        );
        assert_eq!(
            Trials::decide(Some("per-file"), None),
            (Trials::PerFile, None)
        );
        let (trials, problem) = Trials::decide(Some("files"), nextest);
        assert_eq!(trials, Trials::PerFile);
        assert!(problem.unwrap().contains("\"files\""));
    }

    #[test]
    fn precedence() {
        assert!(!Color::decide(Some("1"), Some("1"), false, true).is_on());
        assert!(Color::decide(None, Some("1"), true, false).is_on());
        assert!(!Color::decide(None, Some("0"), false, false).is_on());
        assert!(!Color::decide(None, None, true, true).is_on());
        assert!(Color::decide(None, None, false, true).is_on());
        assert!(!Color::decide(None, None, false, false).is_on());
        assert!(Color::decide(Some(""), None, false, true).is_on());
    }
}
