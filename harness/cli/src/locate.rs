//! Where the goldens are when the tool is run from a folder.

use std::path::{Path, PathBuf};

/// Finds the goldens folder: the given one, or `goldens/` in the current folder or
/// the nearest ancestor that has one (so the tool works from any subfolder).
pub(crate) fn find_goldens(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = given {
        return if dir.is_dir() {
            Ok(dir.to_owned())
        } else {
            Err(format!("{} is not a folder", dir.display()))
        };
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    cwd.ancestors()
        .map(|d| d.join("goldens"))
        .find(|d| d.is_dir())
        .ok_or_else(|| {
            format!(
                "no goldens/ folder in {} or above; pass --goldens <DIR>",
                cwd.display()
            )
        })
}
