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

/// How reports show a path: relative to the current folder when it lies inside it,
/// else as given. One rule for every report, so a path printed by a failing test and
/// the one `cargo compat` prints can be pasted into the same shell.
pub fn shown(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    if rel.as_os_str().is_empty() {
        return ".".to_owned();
    }
    rel.display().to_string()
}

#[cfg(test)]
mod tests {
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
