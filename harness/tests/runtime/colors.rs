//! Colours follow the terminal and CI logs stay plain and greppable.
//!
//! Each test re-runs this test binary with one environment and stdout either a pipe or
//! a pseudo-terminal (`script`); in that child, [`zz_color_probe`] runs a suite with a
//! drifted message through [`Suite::run`], exactly as the compat suite's `main` does
//! (settings and colours from the environment, libtest-mimic's own output included),
//! and the parent looks at the bytes that came out.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use wire_compat::_support::{render_file, SuiteExt};
use wire_compat::{Case, Catalog, Entry, Suite};

/// The probe's catalog name; also the filter that selects the probe test and,
/// in the same argument list, every trial of the probe's suite.
const PROBE: &str = "zz_color_probe";
/// Set (to a goldens folder) in the re-run child: the probe then runs the suite.
const PROBE_ENV: &str = "COMPAT_COLOR_PROBE_DIR";

/// Runs a suite with one drifted case through `Suite::run`, then exits; does
/// nothing when run directly.
#[test]
fn zz_color_probe() {
    let Some(dir) = std::env::var_os(PROBE_ENV) else {
        return;
    };
    let suite = Suite::new(PathBuf::from(dir))
        .shown_dir("goldens")
        .catalog(Catalog::new(PROBE, || {
            vec![
                Case::message("Drift", "vm 'b' not found"),
                Case::message("Same", "unchanged"),
            ]
        }));
    // The child's whole output is the suite's: leave with its status, as `main` would.
    let passed = suite.run() == std::process::ExitCode::SUCCESS;
    std::process::exit(if passed { 0 } else { 101 })
}

/// A goldens folder where `zz_color_probe::Drift` drifted (golden: `vm 'a' ...`).
fn goldens() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    std::fs::create_dir(&dir).unwrap();
    let drift = Entry::new().with("message", "vm 'a' not found");
    let same = Entry::new().with("message", "unchanged");
    let text = render_file(&["probe".into()], [("Drift", &drift), ("Same", &same)]);
    std::fs::write(dir.join(format!("{PROBE}.yaml")), text).unwrap();
    (root, dir)
}

/// How the child's stdout is connected.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Out {
    Pipe,
    Terminal,
}

/// Whether `script` can give the child a pseudo-terminal here.
fn have_script() -> bool {
    Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs the probe with exactly the colour variables in `env` set; returns all output.
fn probe(dir: &Path, out: Out, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let args = [PROBE, "--nocapture", "--test-threads=1"];
    let mut cmd = match out {
        Out::Pipe => {
            let mut cmd = Command::new(&exe);
            cmd.args(args);
            cmd
        }
        Out::Terminal => {
            let line = std::iter::once(exe.to_string_lossy().into_owned())
                .chain(args.iter().map(|a| (*a).to_owned()))
                .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
                .collect::<Vec<_>>()
                .join(" ");
            let mut cmd = Command::new("script");
            cmd.args(["-qec", &line, "/dev/null"]);
            cmd
        }
    };
    for var in [
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "CI",
        "UPDATE_GOLDENS",
    ] {
        cmd.env_remove(var);
    }
    // The pending change the drift records goes to the temporary folder.
    cmd.env(PROBE_ENV, dir)
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied());
    let output = cmd.output().expect("cannot re-run the test binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains("zz_color_probe::Drift"),
        "the probe did not run ({out:?}, {env:?}):\n{text}"
    );
    assert!(!output.status.success(), "the drift did not fail:\n{text}");
    text
}

fn has_escape(text: &str) -> bool {
    text.contains('\u{1b}')
}

#[test]
fn piped_output_is_plain() {
    let (_root, dir) = goldens();
    let text = probe(&dir, Out::Pipe, &[]);
    assert!(!has_escape(&text), "{text:?}");
}

#[test]
fn clicolor_force_colours_a_pipe_and_no_color_wins_over_it() {
    let (_root, dir) = goldens();
    let text = probe(&dir, Out::Pipe, &[("CLICOLOR_FORCE", "1")]);
    assert!(
        has_escape(&text),
        "CLICOLOR_FORCE=1 gave no colour: {text:?}"
    );
    let text = probe(
        &dir,
        Out::Pipe,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!has_escape(&text), "NO_COLOR did not win: {text:?}");
    let text = probe(&dir, Out::Pipe, &[("CLICOLOR_FORCE", "0")]);
    assert!(!has_escape(&text), "CLICOLOR_FORCE=0 coloured: {text:?}");
}

#[test]
fn a_terminal_gets_colour_unless_no_color_or_ci() {
    if !have_script() {
        let _ = writeln!(
            std::io::stderr(),
            "NOT TESTED: a_terminal_gets_colour_unless_no_color_or_ci: `script` cannot give \
             a pseudo-terminal here"
        );
        return;
    }
    let (_root, dir) = goldens();
    let text = probe(&dir, Out::Terminal, &[]);
    assert!(has_escape(&text), "a terminal got no colour: {text:?}");
    let text = probe(&dir, Out::Terminal, &[("NO_COLOR", "1")]);
    assert!(!has_escape(&text), "NO_COLOR on a terminal: {text:?}");
    // `CI=true cargo test` in a terminal: the log must read like CI's.
    let text = probe(&dir, Out::Terminal, &[("CI", "true")]);
    assert!(!has_escape(&text), "CI on a terminal: {text:?}");
}

#[test]
fn ci_output_is_greppable() {
    let (_root, dir) = goldens();
    let text = probe(&dir, Out::Pipe, &[("CI", "true")]);
    assert!(!has_escape(&text), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    // One line each: the trial and its verdict, what drifted, and where the golden is.
    for wanted in [
        "test zz_color_probe::Drift ... FAILED",
        "wire drift: zz_color_probe::Drift no longer matches its golden (`message` changed)",
        "  golden: goldens/zz_color_probe.yaml:",
        "If the change is intended, approve it:",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(wanted)),
            "no line starting with {wanted:?} in:\n{text}"
        );
    }
    let at = lines
        .iter()
        .find_map(|l| l.strip_prefix("  golden: goldens/zz_color_probe.yaml:"))
        .unwrap();
    assert_eq!(at.trim().parse::<usize>().ok(), Some(3), "{text}");
    // `grep -n FAILED` finds the one failing trial; the passing one says ok.
    let words = |l: &&str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        lines
            .iter()
            .map(words)
            .any(|l| l == "test zz_color_probe::Same ... ok"),
        "{text}"
    );
    assert!(!dir.join(".pending").exists(), "CI wrote a pending change");
}
