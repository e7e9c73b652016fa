//! Pending changes: what a failing run saw, kept next to the goldens for review.
//!
//! Like insta's `.snap.new`, a failing `cargo test` (outside CI) records each
//! mismatch so that `cargo wire-compat review`/`accept` need not re-run anything. Each case
//! gets its own file, `goldens/.pending/<file>/<case>.yaml`, written atomically, so
//! parallel trials and nextest's process-per-trial never touch the same file.
//! A pending file is itself in golden format: case `old` (the golden entry when it
//! was recorded; absent for a new case), case `new` (absent for a removed case) and,
//! when the golden file does not exist yet, case `header` holding its header lines.
//! Case `format` says who wrote it: the pending format ([`PENDING_FORMAT`]), the
//! runtime's version, the package whose suite ran (`package`) and the run's token
//! (`run`, from `WIRE_COMPAT_RUN`), so the tool can approve exactly one member's or
//! one run's records.

use crate::entry::{Entry, Value};
use crate::fs::{is_dead_temp, is_temp_name, real_dir, write_atomic};
use crate::golden::render_file;
use crate::golden::{self, LoadError};
use crate::id::{check_id, check_stem};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// The folder, inside the goldens folder, that holds pending changes (git-ignored).
pub const PENDING_DIR: &str = ".pending";

/// The layout of a pending record. The runtime that a test links writes records and
/// the separately installed `cargo-wire-compat` reads them; a record of another format is
/// refused by name, never misread. Raise it whenever the record's meaning changes.
///
/// Format 2 added `package` and `run` to the record's `format` case.
pub const PENDING_FORMAT: i64 = 2;

/// Where a record came from: the suite's package and the run that wrote it. What the
/// tool filters on (`-p <package>`, `test --accept` accepting only its own run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The package whose suite recorded the change (`CARGO_PKG_NAME` when it ran;
    /// `None` when the test binary was started without cargo or nextest).
    pub package: Option<String>,
    /// The `WIRE_COMPAT_RUN` token of the run, when it was set.
    pub run: Option<String>,
}

/// A pending change and where it came from, as read back from its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The change itself.
    pub change: Change,
    /// Who recorded it.
    pub origin: Origin,
}

impl Record {
    /// Whether the run with token `run` wrote this record (`test --accept` approves
    /// only those: a record of an earlier run was never on the user's screen).
    pub fn is_from_run(&self, run: &str) -> bool {
        self.origin.run.as_deref() == Some(run)
    }

    /// Whether the suite of package `package` wrote this record.
    pub fn is_of_package(&self, package: &str) -> bool {
        self.origin.package.as_deref() == Some(package)
    }
}

/// One recorded change of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The golden file's stem.
    pub stem: String,
    /// The case id.
    pub id: String,
    /// The golden entry as it was when the change was seen (`None`: no entry).
    pub old: Option<Entry>,
    /// The entry the source renders now (`None`: the case is gone).
    pub new: Option<Entry>,
    /// Header lines for the golden file, used only if it does not exist yet.
    pub header: Vec<String>,
}

impl Change {
    /// The trial name, `<file>::<case>`.
    pub fn trial(&self) -> String {
        format!("{}::{}", self.stem, self.id)
    }

    /// Where this change is recorded.
    pub fn path(&self, goldens: &Path) -> PathBuf {
        pending_path(goldens, &self.stem, &self.id)
    }
}

/// The pending file of one case.
pub fn pending_path(goldens: &Path, stem: &str, id: &str) -> PathBuf {
    goldens
        .join(PENDING_DIR)
        .join(stem)
        .join(format!("{id}.yaml"))
}

/// The longest `WIRE_COMPAT_RUN` token accepted.
pub const MAX_RUN_TOKEN_LEN: usize = 64;

/// Reads what the tool asks of a run: `WIRE_COMPAT_FORCE_PASS` (`1` on; unset, empty or
/// `0` off) and `WIRE_COMPAT_RUN` (1-64 ASCII letters, digits, `_ . -`). Returns
/// the force-pass switch, the run token and the problem with a value not understood
/// (which fails the run instead of being guessed at: a mistyped switch must not pass
/// a drift, nor a mangled token approve another run's records).
pub fn run_settings(
    var: &impl Fn(&str) -> Option<String>,
) -> (bool, Option<String>, Option<String>) {
    let mut problems = Vec::new();
    let force = match var("WIRE_COMPAT_FORCE_PASS").as_deref().map(str::trim) {
        None | Some("") | Some("0") => false,
        Some("1") => true,
        Some(other) => {
            problems.push(format!(
                "WIRE_COMPAT_FORCE_PASS={other:?} is not understood; accepted values: `1` \
                 (record drift and pass), `0` or unset"
            ));
            false
        }
    };
    let mut run = var("WIRE_COMPAT_RUN").filter(|r| !r.is_empty());
    if let Some(token) = run.take() {
        let ok = token.len() <= MAX_RUN_TOKEN_LEN
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if ok {
            run = Some(token);
        } else {
            problems.push(format!(
                "WIRE_COMPAT_RUN={token:?} is not a run token: 1-{MAX_RUN_TOKEN_LEN} ASCII \
                 letters, digits, `_`, `.` or `-`"
            ));
        }
    }
    let problem = (!problems.is_empty()).then(|| problems.join("\n"));
    (force, run, problem)
}

/// Records a change atomically, replacing any earlier record of the same case, with
/// no origin (see [`record_from`]).
pub fn record(goldens: &Path, change: &Change) -> io::Result<PathBuf> {
    record_from(goldens, change, &Origin::default())
}

/// Records a change atomically, stamped with its origin, replacing any earlier record
/// of the same case.
///
/// Refuses ids and stems that could leave the goldens folder (see [`check_id`]), and
/// a `.pending` or `.pending/<file>` that is a symbolic link (see `fs::real_dir`): a
/// record is only ever written inside the goldens folder.
pub fn record_from(goldens: &Path, change: &Change, origin: &Origin) -> io::Result<PathBuf> {
    check_stem(&change.stem).map_err(io::Error::other)?;
    check_id(&change.id).map_err(io::Error::other)?;
    let header_entry = (!change.header.is_empty()).then(|| {
        change
            .header
            .iter()
            .enumerate()
            .fold(Entry::new(), |e, (i, l)| {
                e.with(&format!("l{i:04}"), l.as_str())
            })
    });
    let mut format = Entry::new()
        .with("runtime", env!("CARGO_PKG_VERSION"))
        .with("version", PENDING_FORMAT);
    if let Some(package) = &origin.package {
        format = format.with("package", package.as_str());
    }
    if let Some(run) = &origin.run {
        format = format.with("run", run.as_str());
    }
    let mut cases = vec![("format", &format)];
    if let Some(h) = &header_entry {
        cases.push(("header", h));
    }
    if let Some(o) = &change.old {
        cases.push(("old", o));
    }
    if let Some(n) = &change.new {
        cases.push(("new", n));
    }
    let title = vec![
        format!(
            "Pending change of {}; review it with `cargo wire-compat review`.",
            change.trial()
        ),
        "Not committed: goldens/.pending/ is git-ignored.".to_owned(),
    ];
    let text = render_file(&title, cases);
    // An approval removes the folder of a file once its last record is gone; a record
    // written at that moment finds no folder and makes it again (an approval that
    // drops records in a loop beside a run removed it 3 times in a row: the bound is
    // generous, each attempt is one folder check and one write).
    let mut attempts = 0;
    loop {
        let dir = real_dir(goldens, &[PENDING_DIR, &change.stem], true)?
            .expect("real_dir creates the folder");
        let path = dir.join(format!("{}.yaml", change.id));
        match write_atomic(&path, text.as_bytes()) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && attempts < 64 => attempts += 1,
            other => return other.map(|()| path),
        }
    }
}

/// Deletes the pending record of a case, if any (the case matches again, or the
/// change was accepted or rejected), and the file's folder once it is empty, so that
/// an approved file leaves no folder behind that later runs would search.
///
/// Refuses (and deletes nothing) when `.pending` or `.pending/<file>` is a symbolic
/// link: a delete must never reach a file outside the goldens folder.
pub fn discard(goldens: &Path, stem: &str, id: &str) -> io::Result<()> {
    discard_all(goldens, stem, &[id]).pop().unwrap_or(Ok(()))
}

/// Deletes the pending records of several cases of one golden file: the folder is
/// checked once (not once per record) and, once empty, removed once. Returns one
/// result per id, in order. An approval of 10,000 changes makes 10,000 unlinks,
/// not 40,000 checks and 10,000 attempts to remove a folder that is not empty yet.
pub fn discard_all(goldens: &Path, stem: &str, ids: &[&str]) -> Vec<io::Result<()>> {
    if let Err(why) = check_stem(stem) {
        return ids
            .iter()
            .map(|_| Err(io::Error::other(why.clone())))
            .collect();
    }
    let dir = match real_dir(goldens, &[PENDING_DIR, stem], false) {
        Ok(Some(dir)) => dir,
        Ok(None) => return ids.iter().map(|_| Ok(())).collect(),
        Err(e) => {
            let kind = e.kind();
            let text = e.to_string();
            return ids
                .iter()
                .map(|_| Err(io::Error::new(kind, text.clone())))
                .collect();
        }
    };
    let results = ids
        .iter()
        .map(|id| {
            check_id(id).map_err(io::Error::other)?;
            match std::fs::remove_file(dir.join(format!("{id}.yaml"))) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
        .collect();
    // Fails while other records (or a record being written) are there.
    let _ = std::fs::remove_dir(&dir);
    results
}

/// Deletes the records of approved changes, each only while it still holds the change
/// that was approved: a test run beside the approval may have recorded a newer change
/// of the same case since the approval listed it, and that one stays pending.
///
/// Lock-free: the record is first renamed to a temporary name (atomic, so exactly one
/// version is taken), compared, and deleted; a record that is not the approved one is
/// linked back unless a still newer one was written meanwhile. Returns, per change in
/// order, `Ok(true)` when its record is gone and `Ok(false)` when a newer record of
/// the case stays. A linked `.pending` or `.pending/<file>` is refused as in
/// [`discard_all`].
pub fn discard_approved(goldens: &Path, changes: &[&Change]) -> Vec<io::Result<bool>> {
    let mut results: Vec<Option<io::Result<bool>>> = changes.iter().map(|_| None).collect();
    let mut by_stem: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, c) in changes.iter().enumerate() {
        by_stem.entry(c.stem.as_str()).or_default().push(i);
    }
    static TAKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    for (stem, indexes) in by_stem {
        let dir = check_stem(stem)
            .map_err(io::Error::other)
            .and_then(|()| real_dir(goldens, &[PENDING_DIR, stem], false));
        for i in indexes {
            let change = changes[i];
            results[i] = Some(match &dir {
                Ok(None) => Ok(true),
                Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
                Ok(Some(dir)) => check_id(&change.id)
                    .map_err(io::Error::other)
                    .and_then(|()| {
                        let n = TAKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let taken = dir.join(format!(
                            ".{}.yaml.tmp.{}.taken{n}",
                            change.id,
                            std::process::id()
                        ));
                        discard_if_same(&dir.join(format!("{}.yaml", change.id)), &taken, change)
                    }),
            });
        }
        if let Ok(Some(dir)) = &dir {
            // Fails while other records (or a record being written) are there.
            let _ = std::fs::remove_dir(dir);
        }
    }
    results.into_iter().map(|r| r.unwrap_or(Ok(true))).collect()
}

fn discard_if_same(path: &Path, taken: &Path, change: &Change) -> io::Result<bool> {
    match std::fs::rename(path, taken) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        other => other?,
    }
    let same = matches!(
        read(taken, &change.stem, &change.id),
        Ok(Some(r)) if r.change.old == change.old
            && r.change.new == change.new
            && r.change.header == change.header
    );
    if !same {
        // A newer record than the approved one: put it back, unless an even newer
        // one took its place meanwhile (then that one stays).
        match std::fs::hard_link(taken, path) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(taken);
                return Err(e);
            }
            _ => {}
        }
    }
    std::fs::remove_file(taken)?;
    Ok(same)
}

/// Removes the lock files in `goldens/.pending/` of golden files that no longer exist
/// and have no pending records (a golden deleted or renamed leaves its lock behind
/// forever otherwise). Safe beside approvals: a lock is removed only while this holds
/// it (one that is busy is left), and [`crate::fs::FileLock::acquire`] checks that the
/// file it locked is still the one at its path, so no two holders ever coexist.
/// Returns the lock files removed.
pub fn remove_stale_locks(goldens: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(Some(dir)) = real_dir(goldens, &[PENDING_DIR], false) else {
        return removed;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".lock")) else {
            continue;
        };
        if check_stem(stem).is_err() || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let orphaned = || {
            !goldens.join(format!("{stem}.yaml")).exists()
                && std::fs::symlink_metadata(dir.join(stem)).is_err()
        };
        if !orphaned() {
            continue;
        }
        let lock_name = format!("{stem}.lock");
        if let Ok(Some(lock)) =
            crate::fs::FileLock::try_acquire(goldens, &[PENDING_DIR], &lock_name)
        {
            if orphaned() && lock.remove().is_ok() {
                removed.push(entry.path());
            }
        }
    }
    removed
}

/// The ids that have a pending record of file `stem` (empty when there is no folder,
/// or when it is a link: nothing is read through one). Dead temporary files of killed
/// runs (older than [`crate::fs::DEAD_TEMP_AGE`]) are removed on the way, since no
/// lock tells a live writer's from a dead one's here.
pub fn recorded_ids(goldens: &Path, stem: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let Ok(Some(dir)) = real_dir(goldens, &[PENDING_DIR, stem], false) else {
        return ids;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return ids;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_temp_name(name) {
            if entry.metadata().is_ok_and(|m| is_dead_temp(&m)) {
                let _ = std::fs::remove_file(entry.path());
            }
        } else if let Some(id) = name.strip_suffix(".yaml") {
            if check_id(id).is_ok() {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// Every pending change under `goldens`, in stable order; unreadable records are
/// returned as errors so that the caller can report them without losing the rest.
///
/// A `.pending` or `.pending/<file>` that is a symbolic link is one error, and nothing
/// behind it is read. Another approval may accept or replace records while this one
/// lists them: a record (or folder) that vanished since the folder was read is skipped,
/// and a replaced one is read whole (records are replaced by rename), never reported.
pub fn list(goldens: &Path) -> Vec<Result<Change, LoadError>> {
    list_records(goldens)
        .into_iter()
        .map(|r| r.map(|r| r.change))
        .collect()
}

/// [`list`], with each change's [`Origin`]: what the tool filters by package and run.
pub fn list_records(goldens: &Path) -> Vec<Result<Record, LoadError>> {
    let mut out = Vec::new();
    let root = match real_dir(goldens, &[PENDING_DIR], false) {
        Ok(Some(root)) => root,
        Ok(None) => return out,
        Err(e) => {
            out.push(Err(refused(&goldens.join(PENDING_DIR), e)));
            return out;
        }
    };
    let Ok(stems) = std::fs::read_dir(&root) else {
        return out;
    };
    let mut stems: Vec<_> = stems.flatten().collect();
    stems.sort_by_key(|e| e.file_name());
    for stem_dir in stems {
        let stem = stem_dir.file_name().to_string_lossy().into_owned();
        // `file_type` does not follow links: a link is refused, a lock file skipped.
        let Ok(kind) = stem_dir.file_type() else {
            continue;
        };
        if check_stem(&stem).is_err() || !(kind.is_dir() || kind.is_symlink()) {
            continue;
        }
        if kind.is_symlink() {
            out.push(Err(refused(
                &stem_dir.path(),
                crate::fs::link_refused(&stem_dir.path()),
            )));
            continue;
        }
        let Ok(files) = std::fs::read_dir(stem_dir.path()) else {
            continue;
        };
        let mut files: Vec<_> = files.flatten().collect();
        // In the suite's order: by case id, naturally (`VmNotFound` before
        // `VmNotFound.unicode`, which the file names' `.yaml` would put first).
        let id_of = |f: &std::fs::DirEntry| {
            let name = f.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml")
                .map(str::to_owned)
                .unwrap_or(name)
        };
        files.sort_by_cached_key(|f| SortKey(id_of(f)));
        for f in files {
            let name = f.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".yaml") else {
                continue;
            };
            if is_temp_name(&name) || check_id(id).is_err() {
                continue;
            }
            if let Some(change) = read(&f.path(), &stem, id).transpose() {
                out.push(change);
            }
        }
    }
    out
}

fn refused(path: &Path, e: io::Error) -> LoadError {
    LoadError {
        path: path.to_owned(),
        line: None,
        column: None,
        message: e.to_string(),
        hint: "pending changes live in a real folder inside the goldens folder; remove the \
               link and run `cargo test` again to record them there"
            .to_owned(),
    }
}

fn read(path: &Path, stem: &str, id: &str) -> Result<Option<Record>, LoadError> {
    let Some(file) = golden::load(path)? else {
        return Ok(None);
    };
    let mut change = Change {
        stem: stem.to_owned(),
        id: id.to_owned(),
        old: None,
        new: None,
        header: Vec::new(),
    };
    let mut origin = None;
    for case in file.cases {
        match case.id.as_str() {
            "format" => origin = Some(check_format(path, &case.entry)?),
            "old" => change.old = Some(case.entry),
            "new" => change.new = Some(case.entry),
            "header" => {
                change.header = case
                    .entry
                    .fields()
                    .map(|(_, v)| match v {
                        Value::Str(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            }
            _ => {}
        }
    }
    let Some(origin) = origin else {
        return Err(LoadError {
            path: path.to_owned(),
            line: None,
            column: None,
            message: "is no pending record: it has no `format` case".to_owned(),
            hint: "delete it and run `cargo test` again to record the change".to_owned(),
        });
    };
    Ok(Some(Record { change, origin }))
}

/// Refuses a record written in another format than this runtime's, saying which
/// runtime wrote it and how to get the matching tool; returns the record's origin.
fn check_format(path: &Path, format: &Entry) -> Result<Origin, LoadError> {
    if format.get("version") == Some(&Value::Int(PENDING_FORMAT)) {
        let text = |name: &str| match format.get(name) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        return Ok(Origin {
            package: text("package"),
            run: text("run"),
        });
    }
    let writer = match format.get("runtime") {
        Some(Value::Str(v)) => format!("wire-compat {v}"),
        _ => "another wire-compat".to_owned(),
    };
    Err(LoadError {
        path: path.to_owned(),
        line: None,
        column: None,
        message: format!(
            "was written by {writer} (pending format {}); this cargo-wire-compat {} reads format \
             {PENDING_FORMAT}",
            format
                .get("version")
                .map_or("?".to_owned(), Value::to_string),
            env!("CARGO_PKG_VERSION"),
        ),
        hint: "install the cargo-wire-compat of the wire-compat your tests link (from the \
               same source your Cargo.toml names: `cargo install --locked --path <it>/cli`, \
               `--git <it> cargo-wire-compat` or `cargo-wire-compat --version <its version>`), or \
               delete the record and run `cargo test` again"
            .to_owned(),
    })
}

/// Orders case ids as the suite and the goldens do.
#[derive(PartialEq, Eq)]
struct SortKey(String);

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        crate::id::natural_cmp(&self.0, &other.0)
    }
}
