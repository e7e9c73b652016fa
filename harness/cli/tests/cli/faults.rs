//! Interrupted and failing approvals lose nothing: a read-only goldens folder, an
//! approval killed with SIGKILL at random points, and two approvals at once.
//!
//! Every test drives the real `cargo wire-compat` binary (`accept --goldens <tmp>`) over a
//! temporary goldens folder with several files and many pending changes, then proves
//! the invariant the design promises: every golden parses, every case holds either its
//! old or its new content, a pending record is only gone once its change is in the
//! golden, and re-running the approval completes the job.

use crate::support::{say, Rng};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use wire_compat::_support as golden;
use wire_compat::_support::is_temp_name;
use wire_compat::_support::render_file;
use wire_compat::_support::{self as pending, Change};
use wire_compat::Entry;

const BIN: &str = env!("CARGO_BIN_EXE_cargo-wire-compat");

/// Golden files in the fixture, cases with a pending change (or not) per file, and
/// unchanged filler cases per file, which make each golden large enough (about 20 KB)
/// that a kill can land while it is being written.
const FILES: usize = 4;
const CASES: usize = 48;
const FILLER: usize = 100;

/// What the fixture expects of one case: its entry before and after approval
/// (`None`: absent). Unchanged cases have `old == new` and no pending record.
#[derive(Debug, Clone)]
struct Expect {
    stem: String,
    id: String,
    old: Option<Entry>,
    new: Option<Entry>,
}

fn msg(text: String) -> Entry {
    Entry::new().with("message", text)
}

/// The fixture's cases: per file, changed, removed, new and unchanged ones. Ids end
/// in `.even`/`.odd` so that two approvals can take disjoint halves of every file.
fn expectations() -> Vec<Expect> {
    let mut out = Vec::new();
    for f in 0..FILES {
        let stem = format!("file{f}");
        for i in 0..CASES {
            let parity = if i % 2 == 0 { "even" } else { "odd" };
            let id = format!("C{i}.{parity}");
            let old = Some(msg(format!("old text of {stem} case {i}")));
            let new_text = msg(format!("new text of {stem} case {i}: \"quoted\"\n"));
            let (old, new) = match i % 4 {
                0 => (old, Some(new_text)),
                1 => (old.clone(), None),
                2 => (None, Some(new_text)),
                _ => (old.clone(), old),
            };
            out.push(Expect {
                stem: stem.clone(),
                id,
                old,
                new,
            });
        }
        for i in 0..FILLER {
            let text = format!("{stem} filler {i}: {}", "lorem ipsum ".repeat(12));
            out.push(Expect {
                stem: stem.clone(),
                id: format!("F{i}"),
                old: Some(msg(text.clone())),
                new: Some(msg(text)),
            });
        }
    }
    out
}

/// Writes the goldens (old state) and one pending record per change.
fn build_fixture(dir: &Path, expects: &[Expect]) {
    fs::create_dir_all(dir).unwrap();
    let mut files: BTreeMap<&str, Vec<(&str, &Entry)>> = BTreeMap::new();
    for e in expects {
        let cases = files.entry(&e.stem).or_default();
        if let Some(old) = &e.old {
            cases.push((&e.id, old));
        }
    }
    for (stem, cases) in files {
        let text = render_file(&[format!("{stem}: fault-test golden")], cases);
        fs::write(dir.join(format!("{stem}.yaml")), text).unwrap();
    }
    for e in expects.iter().filter(|e| e.old != e.new) {
        pending::record(
            dir,
            &Change {
                stem: e.stem.clone(),
                id: e.id.clone(),
                old: e.old.clone(),
                new: e.new.clone(),
                header: Vec::new(),
            },
        )
        .unwrap();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Where the approval stands, as proven by [`check_state`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct State {
    /// Changes whose new content is in the golden.
    applied: usize,
    /// Changes still at their old content.
    not_applied: usize,
    /// Pending records still on disk.
    pending: usize,
    /// Temporary files a killed write left in the goldens folder.
    leftovers: usize,
}

/// Proves the invariant: every golden parses, holds exactly the fixture's cases, each
/// at its old or new content (unchanged ones at their content), every pending record
/// parses, and a record is gone only if its change is in the golden.
fn check_state(dir: &Path, expects: &[Expect]) -> State {
    let mut state = State::default();
    let mut goldens: BTreeMap<String, BTreeMap<String, Entry>> = BTreeMap::new();
    for f in 0..FILES {
        let stem = format!("file{f}");
        let path = dir.join(format!("{stem}.yaml"));
        let file = golden::load(&path)
            .unwrap_or_else(|e| panic!("a golden does not parse after the fault: {e}"))
            .unwrap_or_else(|| panic!("{} vanished", path.display()));
        let text = fs::read(&path).unwrap();
        assert!(!text.contains(&b'\r'), "{} holds a CR", path.display());
        goldens.insert(
            stem,
            file.cases.into_iter().map(|c| (c.id, c.entry)).collect(),
        );
    }
    let records: Vec<Change> = pending::list(dir)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("a pending record does not parse: {e}")))
        .collect();
    state.pending = records.len();
    let mut seen = 0;
    for e in expects {
        let now = goldens[&e.stem].get(&e.id);
        if now.is_some() {
            seen += 1;
        }
        let has_record = records.iter().any(|r| r.stem == e.stem && r.id == e.id);
        if e.old == e.new {
            assert_eq!(now, e.old.as_ref(), "{}::{} changed", e.stem, e.id);
            assert!(!has_record);
        } else if now == e.new.as_ref() {
            state.applied += 1;
        } else if now == e.old.as_ref() {
            state.not_applied += 1;
            assert!(
                has_record,
                "{}::{}: its pending record is gone but its change is not in the golden",
                e.stem, e.id
            );
        } else {
            panic!(
                "{}::{} holds neither its old nor its new content: {now:?}",
                e.stem, e.id
            );
        }
    }
    let total: usize = goldens.values().map(BTreeMap::len).sum();
    assert_eq!(total, seen, "the goldens hold cases the fixture never had");
    state.leftovers = fs::read_dir(dir)
        .unwrap()
        .filter(|e| is_temp_name(&e.as_ref().unwrap().file_name().to_string_lossy()))
        .count();
    state
}

fn accept(dir: &Path, filters: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("accept")
        .arg("--goldens")
        .arg(dir)
        .args(filters)
        // The suite itself may run under CI=true, where `cargo wire-compat` refuses to write.
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("cannot run cargo-wire-compat")
}

/// Checks that a full approval leaves everything new and nothing behind.
fn assert_complete(dir: &Path, expects: &[Expect]) {
    let state = check_state(dir, expects);
    let changes = expects.iter().filter(|e| e.old != e.new).count();
    assert_eq!(
        state,
        State {
            applied: changes,
            not_applied: 0,
            pending: 0,
            leftovers: 0
        }
    );
}

#[test]
fn fixture_is_consistent_and_one_accept_completes_it() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    let expects = expectations();
    build_fixture(&dir, &expects);
    let before = check_state(&dir, &expects);
    assert_eq!(before.applied, 0);
    assert_eq!(before.pending, before.not_applied);
    assert!(before.pending >= FILES * CASES / 2, "{before:?}");
    let out = run(&mut accept(&dir, &[]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_complete(&dir, &expects);
}

/// The approval is killed (SIGKILL) after a random delay, at least 200 times; after
/// each kill the goldens are consistent, and re-running the approval completes it.
#[test]
fn approval_killed_at_random_points_loses_nothing() {
    const KILLS: usize = 200;
    // On tmpfs when there is one: creating a file on this machine's disk costs about a
    // millisecond, and every round copies the fixture. A rename is as atomic on tmpfs
    // as on disk, and SIGKILL does not test power loss (fsync) either way.
    let shm = Path::new("/dev/shm");
    let root = if shm.is_dir() {
        tempfile::tempdir_in(shm).or_else(|_| tempfile::tempdir())
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let template = root.path().join("template");
    let expects = expectations();
    build_fixture(&template, &expects);

    // How long a whole approval takes here (the median of a few runs), so that the
    // delays spread over all of it. The clock only aims the kills; nothing is asserted
    // about time or about where the kills land.
    let mut times = Vec::new();
    for i in 0..5 {
        let dir = root.path().join(format!("calibrate{i}"));
        copy_tree(&template, &dir);
        let start = Instant::now();
        let out = run(&mut accept(&dir, &[]));
        times.push(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_complete(&dir, &expects);
        fs::remove_dir_all(&dir).unwrap();
    }
    times.sort();
    let mut window = times[times.len() / 2].as_micros() as u64 + 1;
    let first_window = window;

    let mut rng = Rng::from_env("COMPAT_FAULTS_SEED", 0x00C0_FFEE_D00D);
    let (mut killed, mut finished) = (0, 0);
    let (mut none, mut partial, mut all_but_records) = (0, 0, 0);
    let (mut leftovers, mut max_leftovers) = (0, 0);
    for round in 0..KILLS {
        let dir = root.path().join(format!("round{round}"));
        copy_tree(&template, &dir);
        let mut child = accept(&dir, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(window as usize) as u64));
        let _ = child.kill(); // SIGKILL; fails only if it already exited
        let status = child.wait().unwrap();
        // Keep the kills inside the run: shorter delays after a run that finished
        // first, longer ones after a kill that came before any write.
        if status.success() {
            finished += 1;
            window = window * 9 / 10 + 1;
        } else {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "round {round}: {status:?}");
            killed += 1;
        }
        let state = check_state(&dir, &expects);
        if state.applied == 0 {
            none += 1;
            window = window * 21 / 20 + 1;
        } else if state.not_applied > 0 {
            partial += 1;
        } else if state.pending > 0 {
            all_but_records += 1;
        }
        if state.leftovers > 0 {
            leftovers += 1;
            max_leftovers = max_leftovers.max(state.leftovers);
        }
        // Re-running completes the approval, and cleans up after the killed one.
        let out = run(&mut accept(&dir, &[]));
        assert!(
            out.status.success(),
            "round {round}: re-run failed after {state:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_complete(&dir, &expects);
        fs::remove_dir_all(&dir).unwrap();
    }
    let complete = KILLS - none - partial - all_but_records;
    say(&format!(
        "faults: {KILLS} approvals killed with SIGKILL after 0-{first_window}..{window} µs (in {}): \
         {killed} killed mid-run, {finished} had finished; after the kill {none} untouched, \
         {partial} with some goldens new, {all_but_records} with all goldens new but records \
         left, {complete} complete; {leftovers} left a temp file (at most {max_leftovers}), \
         each removed by the re-run; every golden parsed, no change lost",
        root.path().parent().unwrap().display(),
    ));
    // Where the kills land depends on the machine's load, so the counts above are
    // reported, not asserted: what is asserted, every round, is the invariant (each
    // golden parses and holds its old or its new content, a change not applied keeps
    // its record, the re-run completes). A stop between two golden writes is proved
    // without timing by `one_golden_that_cannot_be_replaced`.
}

/// Two approvals at once: disjoint halves of every file, then overlapping selections.
/// Every change lands exactly once, no change is reported stale, no record is skipped
/// as unreadable, and every golden parses.
#[test]
fn two_approvals_at_once_lose_no_change() {
    const ROUNDS: usize = 20;
    let root = tempfile::tempdir().unwrap();
    let template = root.path().join("template");
    let expects = expectations();
    build_fixture(&template, &expects);
    let selections: [(&[&str], &[&str]); 3] = [
        (&["*even*"], &["*odd*"]),
        (&[], &["*odd*"]),
        (&["file0", "file1", "file2"], &["file1", "file2", "file3"]),
    ];
    let mut runs = 0;
    for round in 0..ROUNDS {
        let (a, b) = selections[round % selections.len()];
        let dir = root.path().join(format!("round{round}"));
        copy_tree(&template, &dir);
        let first = accept(&dir, a)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let second = accept(&dir, b)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let outs = [
            first.unwrap().wait_with_output().unwrap(),
            second.unwrap().wait_with_output().unwrap(),
        ];
        runs += 2;
        let mut accepted: BTreeMap<String, usize> = BTreeMap::new();
        for out in &outs {
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "round {round} ({a:?} / {b:?}): an approval failed:\n{stdout}\n{stderr}"
            );
            assert!(!stderr.contains("stale"), "round {round}: {stderr}");
            assert!(!stderr.contains("unreadable"), "round {round}: {stderr}");
            for line in stdout.lines() {
                if let Some(rest) = line.strip_prefix("accepted ") {
                    let trial = rest.split_whitespace().next().unwrap().to_owned();
                    *accepted.entry(trial).or_default() += 1;
                }
            }
        }
        assert_complete(&dir, &expects);
        for e in expects.iter().filter(|e| e.old != e.new) {
            let trial = format!("{}::{}", e.stem, e.id);
            assert!(
                accepted.contains_key(&trial),
                "round {round}: {trial} was never reported accepted"
            );
        }
        fs::remove_dir_all(&dir).unwrap();
    }
    say(&format!(
        "faults: {runs} approvals in {ROUNDS} concurrent pairs; every change landed once, no stale \
         or unreadable record"
    ));
}

/// Makes a folder read-only for this process, even as root; restores it on drop.
struct ReadOnly {
    dir: PathBuf,
    how: &'static str,
}

impl ReadOnly {
    /// Tries `chattr +i` (the immutable attribute, which binds root too), else, when
    /// not root, plain permissions. `None` when no way works on this machine.
    fn make(dir: &Path) -> Option<ReadOnly> {
        let probe = dir.join(".probe");
        let writable = || {
            let ok = fs::write(&probe, b"x").is_ok();
            let _ = fs::remove_file(&probe);
            ok
        };
        let chattr = Command::new("chattr").arg("+i").arg(dir).output();
        if chattr.is_ok_and(|o| o.status.success()) {
            let guard = ReadOnly {
                dir: dir.to_owned(),
                how: "chattr +i",
            };
            if !writable() {
                return Some(guard);
            }
        }
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).ok()?;
        let guard = ReadOnly {
            dir: dir.to_owned(),
            how: "chmod 555",
        };
        (!writable()).then_some(guard)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = Command::new("chattr").arg("-i").arg(&self.dir).output();
        let _ = fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o755));
    }
}

fn assert_refused_cleanly(
    dir: &Path,
    expects: &[Expect],
    out: &Output,
    before: &BTreeMap<PathBuf, Vec<u8>>,
) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("nothing was written to this file"),
        "{stderr}"
    );
    assert!(stderr.contains("writable"), "no fix in: {stderr}");
    assert!(
        stderr.contains(&*dir.to_string_lossy()),
        "the file is not named: {stderr}"
    );
    assert_eq!(
        &crate::support::files_under(dir),
        before,
        "something was written"
    );
    let state = check_state(dir, expects);
    assert_eq!((state.applied, state.leftovers), (0, 0), "{state:?}");
    assert_eq!(
        state.pending, state.not_applied,
        "pending records were lost: {state:?}"
    );
}

#[test]
#[cfg_attr(not(has_tool = "read-only-dir"), ignore = "needs chattr +i as root")]
fn read_only_goldens_folder_during_approval() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    let expects = expectations();
    build_fixture(&dir, &expects);
    let before = crate::support::files_under(&dir);
    let Some(guard) = ReadOnly::make(&dir) else {
        let test = "read_only_goldens_folder_during_approval";
        crate::support::missing_tool(test, "a read-only folder (chattr +i as root)");
    };
    let out = run(&mut accept(&dir, &[]));
    let how = guard.how;
    drop(guard);
    assert_refused_cleanly(&dir, &expects, &out, &before);
    let out = run(&mut accept(&dir, &[]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_complete(&dir, &expects);
    say(&format!(
        "faults: read-only goldens folder ({how}): refused, nothing written, records kept"
    ));
}

/// One golden file that cannot be replaced (immutable) among writable ones: the
/// files before it are written, it and the ones after are not, no record is lost.
#[test]
#[cfg_attr(not(has_tool = "chattr"), ignore = "needs chattr +i as root")]
fn one_golden_that_cannot_be_replaced() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    let expects = expectations();
    build_fixture(&dir, &expects);
    let file = dir.join("file1.yaml");
    let chattr = Command::new("chattr").arg("+i").arg(&file).output();
    if !chattr.is_ok_and(|o| o.status.success()) {
        crate::support::missing_tool("one_golden_that_cannot_be_replaced", "chattr +i");
    }
    let out = run(&mut accept(&dir, &[]));
    let _ = Command::new("chattr").arg("-i").arg(&file).output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("file1.yaml"), "{stderr}");
    let state = check_state(&dir, &expects);
    assert_eq!(state.leftovers, 0, "a temp file was left behind: {state:?}");
    let out = run(&mut accept(&dir, &[]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_complete(&dir, &expects);
}

/// The whole goldens tree read-only through a read-only bind mount in a private mount
/// namespace (`unshare -m`): even the lock and the pending records are untouchable.
#[test]
#[cfg_attr(not(has_tool = "unshare"), ignore = "needs unshare -m as root")]
fn read_only_mount_during_approval() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    let expects = expectations();
    build_fixture(&dir, &expects);
    let before = crate::support::files_under(&dir);
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount --bind -o ro "$1" "$1" || exit 97; exec "$2" accept --goldens "$1""#)
        .args(["sh"])
        .arg(&dir)
        .arg(BIN)
        .env_remove("CI")
        .output();
    match out {
        Ok(out)
            if out.status.code() != Some(97)
                && !String::from_utf8_lossy(&out.stderr).contains("unshare:") =>
        {
            assert_refused_cleanly(&dir, &expects, &out, &before);
            let out = run(&mut accept(&dir, &[]));
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_complete(&dir, &expects);
        }
        other => crate::support::missing_tool(
            "read_only_mount_during_approval",
            &format!("a private read-only mount ({other:?})"),
        ),
    }
}
