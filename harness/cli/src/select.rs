//! Which pending changes a command works on: the FILTERs after `accept`, `reject`,
//! `review` and `pending`.
//!
//! A filter is a whole golden file (`vm_runtime_error`), one exact trial
//! (`vm_runtime_error::VmNotFound`, and not its edge cases), or a glob over trial
//! names (`vm_runtime_error::VmNotFound*`; `*` is any run of characters, `?` one). It
//! is never a substring: `queue_error` does not reach into `queue_error_code`, and
//! re-running a printed `accept <trial>` after it was accepted finds nothing instead
//! of the trial's neighbours. A filter that selects nothing is an error, so a typo
//! never passes silently.

use crate::locate::Goldens;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use wire_compat::_support::Change;

/// A pending change and the goldens folder it belongs to.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Where the change's golden lives.
    pub goldens: Goldens,
    /// The change.
    pub change: Change,
}

/// How a listing names trials: `<file>::<case>`, qualified as `<member>: <trial>`
/// where two workspace members have a trial of that name, so the reader can tell
/// which member's change each line is.
#[derive(Debug, Default)]
pub struct Names(HashSet<String>);

impl Names {
    /// The names for a listing of `items`.
    pub fn of(items: &[Pending]) -> Names {
        let mut first: HashMap<String, &Path> = HashMap::new();
        let mut shared = HashSet::new();
        for p in items {
            let trial = p.change.trial();
            match first.get(&trial) {
                Some(dir) if *dir != p.goldens.dir.as_path() => {
                    shared.insert(trial);
                }
                Some(_) => {}
                None => {
                    first.insert(trial, &p.goldens.dir);
                }
            }
        }
        Names(shared)
    }

    /// Whether two members have a trial of this name.
    pub fn shared(&self, trial: &str) -> bool {
        self.0.contains(trial)
    }

    /// How `p`'s trial is shown.
    pub fn trial(&self, p: &Pending) -> String {
        let trial = p.change.trial();
        if self.0.contains(&trial) {
            format!("{}: {trial}", p.goldens.member())
        } else {
            trial
        }
    }
}

/// One filter, as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Every change of one golden file.
    File(String),
    /// One trial, `<file>::<case>`.
    Trial(String),
    /// Trials whose whole name matches the pattern.
    Glob(String),
}

impl Filter {
    /// Reads a filter; the empty one is refused (an unset shell variable must not
    /// select everything).
    pub fn parse(text: &str) -> Result<Filter, String> {
        if text.trim().is_empty() {
            return Err(
                "an empty FILTER selects nothing (an unset shell variable?); \
                        pass no FILTER to select every pending change"
                    .into(),
            );
        }
        Ok(if text.contains(['*', '?']) {
            Filter::Glob(text.to_owned())
        } else if text.contains("::") {
            Filter::Trial(text.to_owned())
        } else {
            Filter::File(text.to_owned())
        })
    }

    fn matches(&self, c: &Change) -> bool {
        match self {
            Filter::File(stem) => c.stem == *stem,
            Filter::Trial(trial) => c.trial() == *trial,
            Filter::Glob(pattern) => crate::glob::matches(pattern, &c.trial()),
        }
    }
}

/// Keeps the changes any filter selects (all of them without filters); fails naming
/// each filter that selects nothing.
pub fn select(filters: &[Filter], changes: Vec<Pending>) -> Result<Vec<Pending>, String> {
    if filters.is_empty() {
        return Ok(changes);
    }
    let unmatched: Vec<String> = filters
        .iter()
        .filter(|f| !changes.iter().any(|p| f.matches(&p.change)))
        .map(|f| match f {
            Filter::File(s) | Filter::Trial(s) | Filter::Glob(s) => format!("`{s}`"),
        })
        .collect();
    if !unmatched.is_empty() {
        return Err(format!(
            "no pending change matches {} (`cargo wire-compat pending` lists them; a FILTER is a \
             golden file, an exact `<file>::<case>`, or a glob such as `<file>::<Variant>*`)",
            unmatched.join(", ")
        ));
    }
    // A file or an exact trial names one thing: when two members have it, the
    // command would approve a change the user did not mean; make them say which.
    for f in filters {
        let (Filter::File(name) | Filter::Trial(name)) = f else {
            continue;
        };
        let mut members: Vec<&str> = changes
            .iter()
            .filter(|p| f.matches(&p.change))
            .map(|p| p.goldens.member())
            .collect();
        members.sort_unstable();
        members.dedup();
        if members.len() > 1 {
            return Err(format!(
                "`{name}` names pending changes of {} workspace members ({}): pick one with \
                 -p <NAME>",
                members.len(),
                members.join(", ")
            ));
        }
    }
    Ok(changes
        .into_iter()
        .filter(|p| filters.iter().any(|f| f.matches(&p.change)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use wire_compat::Entry;

    fn pending(trial: &str) -> Pending {
        let (stem, id) = trial.split_once("::").unwrap();
        Pending {
            goldens: Goldens::new(PathBuf::from("goldens"), None),
            change: Change {
                stem: stem.into(),
                id: id.into(),
                old: None,
                new: Some(Entry::new()),
                header: Vec::new(),
            },
        }
    }

    fn picked(filters: &[&str], trials: &[&str]) -> Result<Vec<String>, String> {
        let filters: Vec<Filter> = filters.iter().map(|f| Filter::parse(f).unwrap()).collect();
        let changes = trials.iter().map(|t| pending(t)).collect();
        select(&filters, changes).map(|v| v.iter().map(|p| p.change.trial()).collect())
    }

    const TRIALS: &[&str] = &[
        "queue_error::Full",
        "queue_error::Full.zero",
        "queue_error_code::Full",
        "vm::NotFound",
    ];

    #[test]
    fn filters_select_a_file_an_exact_trial_or_a_glob_never_a_substring() {
        let table: &[(&[&str], &[&str])] = &[
            (&[], TRIALS),
            (
                &["queue_error"],
                &["queue_error::Full", "queue_error::Full.zero"],
            ),
            (&["queue_error::Full"], &["queue_error::Full"]),
            (
                &["queue_error::Full*"],
                &["queue_error::Full", "queue_error::Full.zero"],
            ),
            (
                &["*::Full"],
                &["queue_error::Full", "queue_error_code::Full"],
            ),
            (
                &["vm", "queue_error_code"],
                &["queue_error_code::Full", "vm::NotFound"],
            ),
            (&["queue_error::Full.????"], &["queue_error::Full.zero"]),
        ];
        for (filters, want) in table {
            assert_eq!(picked(filters, TRIALS).unwrap(), *want, "{filters:?}");
        }
    }

    #[test]
    fn a_filter_that_selects_nothing_fails_by_name() {
        for filters in [
            &["queue"][..],
            &["Full"],
            &["vm::NotFoun"],
            &["vm", "nope::*"],
        ] {
            let err = picked(filters, TRIALS).unwrap_err();
            assert!(err.contains("no pending change matches"), "{err}");
        }
        // The exact trial again, once accepted, finds nothing (not its edge cases).
        let err = picked(&["queue_error::Full"], &["queue_error::Full.zero"]).unwrap_err();
        assert!(err.contains("`queue_error::Full`"), "{err}");
    }

    #[test]
    fn an_empty_filter_is_refused() {
        for empty in ["", "  "] {
            assert!(Filter::parse(empty).unwrap_err().contains("empty FILTER"));
        }
    }
}
