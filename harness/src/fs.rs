//! Crash-safe file writes and the lock that serialises approvals of one golden file.

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
/// by a killed process); the loader ignores them and `cargo compat` cleans them up.
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

/// An exclusive advisory lock, held until dropped.
///
/// Approvals read a golden, change it and write it back; two at once (two terminals,
/// or nextest's one process per trial under `UPDATE_GOLDENS=1`) would lose one
/// another's updates. The lock lives in a separate file because the golden itself is
/// replaced by rename, which would leave a lock on the old inode useless.
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Blocks until the lock at `path` is held, creating the lock file if needed.
    pub fn acquire(path: &Path) -> io::Result<FileLock> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        file.lock()?;
        Ok(FileLock { _file: file })
    }
}

/// How reports show a path: relative to the current folder (with `..` to reach a
/// sibling folder of the same project), else as given. One rule for every report, so
/// a path printed by a failing test and the one `cargo compat` prints can be pasted
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

    #[test]
    fn failed_write_leaves_target_untouched() {
        let dir = std::env::temp_dir().join(format!("compat-atomic-ro-{}", std::process::id()));
        let p = dir.join("missing-subdir").join("g.yaml");
        assert!(write_atomic(&p, b"x").is_err());
        assert!(!p.exists());
    }
}
