//! Crash-safe file writes, the lock that serialises approvals of one golden file, and
//! the no-follow rules that keep every read, write and delete inside the goldens folder.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Replaces `path` with `contents` so that a reader (or a crash) only ever sees the old
/// file or the new one, never a mix.
///
/// The bytes go to a uniquely named temporary file in the same directory, are flushed
/// to disk, and the file is renamed over the target (atomic on POSIX within one
/// filesystem); the directory is then synced so the rename itself survives a power
/// loss. On any error the temporary file is removed and the target is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            // Best effort: some filesystems refuse to fsync a directory.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Whether a file name is one of [`write_atomic`]'s temporary files (left behind only
/// by a killed process); the loader ignores them and `cargo wire-compat` cleans them up.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp.")
}

fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("golden");
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp.{}.{n}", std::process::id()))
}

/// How old a temporary file of [`write_atomic`] must be before it counts as dead when
/// no lock says so (a pending record's): a write takes milliseconds, so a temporary
/// file this old was left by a killed process.
pub const DEAD_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether a temporary file is old enough to be dead (see [`DEAD_TEMP_AGE`]).
pub fn is_dead_temp(meta: &fs::Metadata) -> bool {
    meta.modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age >= DEAD_TEMP_AGE)
}

/// The folder `root/<rel...>`, refused when any step of `rel` is a symbolic link or not
/// a folder; `Ok(None)` when it does not exist and `create` is false.
///
/// Pending records and locks live in `goldens/.pending/`; a link there (committed with
/// `git add -f`, or shared between worktrees) would make a run write and delete files
/// wherever it points. `is_dir()` follows links, so every step is checked with
/// `symlink_metadata`, and created one by one (never `create_dir_all`, which follows).
/// The check and the use are two calls, so a link planted in between is not caught
/// here; files themselves are opened with [`open_options_no_follow`] and created with
/// `create_new`, which never follow a link.
///
/// The goldens folder `root` itself may sit below links (the adopter's choice), but
/// must not be one: records and approvals written through a linked `goldens/` would
/// land at its target, outside the package (a member's link to a shared folder).
pub fn real_dir(root: &Path, rel: &[&str], create: bool) -> io::Result<Option<PathBuf>> {
    if create {
        // The first `UPDATE_GOLDENS=1` run creates the goldens folder.
        fs::create_dir_all(root)?;
    }
    match fs::symlink_metadata(root) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(goldens_link_refused(root)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let mut dir = root.to_path_buf();
    for name in rel {
        dir.push(name);
        let meta = match fs::symlink_metadata(&dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && create => match fs::create_dir(&dir) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                _ => fs::symlink_metadata(&dir)?,
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            other => other?,
        };
        if meta.file_type().is_symlink() {
            return Err(link_refused(&dir));
        }
        if !meta.is_dir() {
            return Err(io::Error::other(format!(
                "{} is not a folder; remove it",
                shown(&dir)
            )));
        }
    }
    Ok(Some(dir))
}

/// The error for a goldens folder that is a symbolic link.
pub fn goldens_link_refused(root: &Path) -> io::Error {
    io::Error::other(format!(
        "the goldens folder {} is a symbolic link; pending records and approvals are only \
         written inside a real goldens folder (through the link they would land at its \
         target, outside the package): replace the link with the folder itself, or point \
         the suite at the real folder",
        shown(root)
    ))
}

/// The error for a symbolic link where the harness only accepts a real file or folder.
pub fn link_refused(path: &Path) -> io::Error {
    io::Error::other(format!(
        "{} is a symbolic link; nothing under the goldens folder is followed through a \
         link (it could point outside it): remove the link (`rm {}`)",
        shown(path),
        shown(path)
    ))
}

/// Options that open a file without following a symbolic link in its last step (the
/// open fails instead, see [`is_link_error`]) and without blocking on a FIFO.
pub fn open_options_no_follow() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options
}

/// Whether an open with [`open_options_no_follow`] failed because the path is a link.
pub fn is_link_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        // Linux and macOS say ELOOP, the BSDs EMLINK.
        matches!(e.raw_os_error(), Some(libc::ELOOP) | Some(libc::EMLINK))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// An exclusive advisory lock, held until dropped.
///
/// Approvals read a golden, change it and write it back; two at once (two terminals,
/// or nextest's one process per trial under `UPDATE_GOLDENS=1`) would lose one
/// another's updates. The lock lives in a separate file because the golden itself is
/// replaced by rename, which would leave a lock on the old inode useless.
///
/// A lock file may be removed (see [`FileLock::remove`]) by its holder; whoever was
/// waiting on it then finds, once it holds the removed file's lock, that the path no
/// longer names that file, and locks the path anew. So removing a lock file never
/// lets two processes hold "the" lock at once.
pub struct FileLock {
    _file: File,
    path: PathBuf,
}

impl FileLock {
    /// Blocks until the lock `<root>/<rel...>/<name>` is held, creating the lock file
    /// (and its folders, see [`real_dir`]) if needed. A link in its place is refused,
    /// never followed: a lock must not create or open a file outside the goldens folder.
    pub fn acquire(root: &Path, rel: &[&str], name: &str) -> io::Result<FileLock> {
        loop {
            let (file, path) = Self::open(root, rel, name)?;
            file.lock()?;
            if still_at(&file, &path)? {
                return Ok(FileLock { _file: file, path });
            }
        }
    }

    /// Takes the lock if nobody holds it; `Ok(None)` when it is busy.
    pub fn try_acquire(root: &Path, rel: &[&str], name: &str) -> io::Result<Option<FileLock>> {
        loop {
            let (file, path) = Self::open(root, rel, name)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Ok(None),
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
            if still_at(&file, &path)? {
                return Ok(Some(FileLock { _file: file, path }));
            }
        }
    }

    /// Deletes the lock file while holding it, then releases it. Only where a waiter
    /// can tell (Unix, see the type's docs); elsewhere the file stays.
    pub fn remove(self) -> io::Result<()> {
        if cfg!(unix) {
            fs::remove_file(&self.path)
        } else {
            Ok(())
        }
    }

    fn open(root: &Path, rel: &[&str], name: &str) -> io::Result<(File, PathBuf)> {
        let dir = real_dir(root, rel, true)?.unwrap_or_else(|| root.to_path_buf());
        let path = dir.join(name);
        let file = open_options_no_follow()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| {
                if is_link_error(&e) {
                    link_refused(&path)
                } else {
                    e
                }
            })?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::other(format!(
                "{} is not a regular file; remove it",
                shown(&path)
            )));
        }
        Ok((file, path))
    }
}

/// Whether `path` still names the open `file` (not removed, not replaced).
fn still_at(file: &File, path: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let held = file.metadata()?;
        Ok(match fs::symlink_metadata(path) {
            Ok(now) => now.dev() == held.dev() && now.ino() == held.ino(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        Ok(true)
    }
}

/// How reports show a path: relative to the current folder (with `..` to reach a
/// sibling folder of the same project), else as given. One rule for every report, so
/// a path printed by a failing test and the one `cargo wire-compat` prints can be pasted
/// into the same shell.
pub fn shown(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return path.display().to_string();
    };
    relative(path, &cwd).unwrap_or_else(|| path.display().to_string())
}

/// `path` relative to `from`, both absolute; `None` when they share nothing but the
/// file-system root (an absolute path says more then).
fn relative(path: &Path, from: &Path) -> Option<String> {
    if !path.is_absolute() {
        return Some(path.display().to_string());
    }
    let (mut p, mut f) = (path.components().peekable(), from.components().peekable());
    let mut shared = 0;
    while let (Some(a), Some(b)) = (p.peek(), f.peek()) {
        if a != b {
            break;
        }
        p.next();
        f.next();
        shared += 1;
    }
    if shared <= 1 {
        return None;
    }
    let mut rel = PathBuf::new();
    for _ in f {
        rel.push("..");
    }
    rel.extend(p);
    Some(if rel.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        rel.display().to_string()
    })
}

/// How a suite's reports show a path: relative to the root of the cargo workspace
/// the tests run in (cargo runs a test binary in its package's folder, but people run
/// `cargo test` at the workspace root, and that is where CI logs are read), else as
/// [`shown`] does.
pub fn shown_in_workspace(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return shown(path);
    };
    let root = cwd.ancestors().find(|d| is_workspace_root(d));
    match root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => shown(path),
    }
}

/// Whether `dir` holds the manifest of a cargo workspace root (a `[workspace]` table).
fn is_workspace_root(dir: &Path) -> bool {
    fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().any(|l| l.trim() == "[workspace]"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn shown_paths_are_relative_to_the_current_folder_with_dot_dot() {
        let cases = [
            ("/w/api/goldens/x.yaml", "/w", Some("api/goldens/x.yaml")),
            (
                "/w/api/goldens/x.yaml",
                "/w/queue",
                Some("../api/goldens/x.yaml"),
            ),
            ("/w/api", "/w/api", Some(".")),
            ("/other/x.yaml", "/w", None),
            ("goldens/x.yaml", "/w", Some("goldens/x.yaml")),
        ];
        for (path, from, want) in cases {
            assert_eq!(
                relative(Path::new(path), Path::new(from)).as_deref(),
                want,
                "{path} from {from}"
            );
        }
    }

    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("compat-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("g.yaml");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["g.yaml"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// The first approval of a new adopter creates the goldens folder with its lock.
    #[test]
    fn a_lock_creates_a_missing_goldens_folder() {
        let dir = std::env::temp_dir().join(format!("compat-lock-{}", std::process::id()));
        let goldens = dir.join("goldens");
        let lock = FileLock::acquire(&goldens, &[".pending"], "x.lock").unwrap();
        assert!(goldens.join(".pending/x.lock").is_file());
        drop(lock);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failed_write_leaves_target_untouched() {
        let dir = std::env::temp_dir().join(format!("compat-atomic-ro-{}", std::process::id()));
        let p = dir.join("missing-subdir").join("g.yaml");
        assert!(write_atomic(&p, b"x").is_err());
        assert!(!p.exists());
    }
}
