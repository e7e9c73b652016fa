//! Pending changes: what a failing run saw, kept next to the goldens for review.
//!
//! Like insta's `.snap.new`, a failing `cargo test` (outside CI) records each
//! mismatch so that `cargo compat review`/`accept` need not re-run anything. Each case
//! gets its own file, `goldens/.pending/<file>/<case>.yaml`, written atomically, so
//! parallel trials and nextest's process-per-trial never touch the same file.
//! A pending file is itself in golden format: case `old` (the golden entry when it
//! was recorded; absent for a new case), case `new` (absent for a removed case) and,
//! when the golden file does not exist yet, case `header` holding its header lines.

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

/// Records a change atomically, replacing any earlier record of the same case.
///
/// Refuses ids and stems that could leave the goldens folder (see [`check_id`]), and
/// a `.pending` or `.pending/<file>` that is a symbolic link (see [`real_dir`]): a
/// record is only ever written inside the goldens folder.
pub fn record(goldens: &Path, change: &Change) -> io::Result<PathBuf> {
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
    let mut cases = Vec::new();
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
            "Pending change of {}; review it with `cargo compat review`.",
            change.trial()
        ),
        "Not committed: goldens/.pending/ is git-ignored.".to_owned(),
    ];
    let text = render_file(&title, cases);
    // An approval removes the folder of a file once its last record is gone; a record
    // written at that moment finds no folder and makes it again.
    let mut attempts = 0;
    loop {
        let dir = real_dir(goldens, &[PENDING_DIR, &change.stem], true)?
            .expect("real_dir creates the folder");
        let path = dir.join(format!("{}.yaml", change.id));
        match write_atomic(&path, text.as_bytes()) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && attempts < 3 => attempts += 1,
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
    check_stem(stem).map_err(io::Error::other)?;
    check_id(id).map_err(io::Error::other)?;
    let Some(dir) = real_dir(goldens, &[PENDING_DIR, stem], false)? else {
        return Ok(());
    };
    match std::fs::remove_file(dir.join(format!("{id}.yaml"))) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => {
            // Fails while other records (or a record being written) are there.
            let _ = std::fs::remove_dir(&dir);
            Ok(())
        }
    }
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
        files.sort_by(|a, b| {
            crate::id::natural_cmp(
                &a.file_name().to_string_lossy(),
                &b.file_name().to_string_lossy(),
            )
        });
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

fn read(path: &Path, stem: &str, id: &str) -> Result<Option<Change>, LoadError> {
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
    for case in file.cases {
        match case.id.as_str() {
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
    Ok(Some(change))
}
