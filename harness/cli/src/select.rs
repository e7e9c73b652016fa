//! Which pending changes a command works on: the filters after `accept`, `reject`,
//! `review` and `pending`, and `--goldens`.

use compat_harness::_support::Change;
use std::path::PathBuf;

/// The parsed arguments of a pending-change command.
pub(crate) struct Selection {
    pub goldens: Option<PathBuf>,
    pub filters: Vec<String>,
    pub help: bool,
}

impl Selection {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut sel = Selection {
            goldens: None,
            filters: Vec::new(),
            help: false,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-h" | "--help" => sel.help = true,
                "--goldens" => {
                    let dir = it.next().ok_or("--goldens needs a folder")?;
                    sel.goldens = Some(PathBuf::from(dir));
                }
                s if s.starts_with("--goldens=") => {
                    sel.goldens = Some(PathBuf::from(&s["--goldens=".len()..]));
                }
                s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
                s => sel.filters.push(s.to_owned()),
            }
        }
        Ok(sel)
    }

    /// Keeps the changes the filters select. A filter equal to a pending trial's full
    /// name selects just that trial (the command a failure report prints must approve
    /// exactly that case, not `VmNotFound.empty` too); any other filter selects a whole
    /// file by its name, or every trial whose name contains it.
    pub fn select(&self, changes: Vec<Change>) -> Vec<Change> {
        if self.filters.is_empty() {
            return changes;
        }
        let names: std::collections::HashSet<String> = changes.iter().map(Change::trial).collect();
        changes
            .into_iter()
            .filter(|c| {
                let trial = c.trial();
                self.filters.iter().any(|f| {
                    if names.contains(f) {
                        trial == *f
                    } else {
                        c.stem == *f || trial.contains(f.as_str())
                    }
                })
            })
            .collect()
    }
}
