//! The checks of a golden file as a whole: variant coverage, and the entries no case
//! renders (orphans, and tombstones whose reserved codes a live case reuses).

use super::case::{Check, FileCtx};
use crate::catalog::Case;
use crate::entry::Value;
use crate::golden::GoldenCase;
use crate::pending::Change;
use crate::recorder::{Verdict, MAX_REPORTS_PER_FILE};
use crate::report;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The live cases by integer field value (`(name, value)` to case ids), built once per
/// golden file that has tombstones, so that checking every tombstone's reserved codes
/// is one lookup per code instead of a pass over all cases (100,000 cases and 20,000
/// tombstones compared each with each took 45 s).
pub(crate) struct CodeIndex<'a> {
    by_code: HashMap<&'a str, HashMap<i64, Vec<&'a str>>>,
}

impl<'a> CodeIndex<'a> {
    /// Indexes the integer fields of `cases`.
    pub(crate) fn new(cases: &'a [Case]) -> Self {
        let mut by_code: HashMap<&str, HashMap<i64, Vec<&str>>> = HashMap::new();
        for case in cases {
            for (name, value) in case.entry.fields() {
                if let Value::Int(i) = value {
                    let ids = by_code.entry(name).or_default().entry(*i).or_default();
                    ids.push(&case.id);
                }
            }
        }
        CodeIndex { by_code }
    }

    fn users(&self, name: &str, code: i64) -> &[&'a str] {
        #[cfg(test)]
        LOOKUPS.with(|n| n.set(n.get() + 1));
        self.by_code
            .get(name)
            .and_then(|codes| codes.get(&code))
            .map_or(&[], |ids| ids.as_slice())
    }
}

#[cfg(test)]
thread_local! {
    /// Index lookups and case comparisons made for tombstones (the build's work).
    pub(crate) static LOOKUPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub(crate) fn golden_only_check(ctx: &Arc<FileCtx>, g: &GoldenCase, codes: &CodeIndex) -> Check {
    let trial = format!("{}::{}", ctx.stem, g.id);
    if g.is_retired() {
        // A tombstone: passes while no live case reuses one of its integer codes.
        let mut clash = Vec::new();
        for (k, v) in g.entry.fields() {
            if let Value::Int(code) = v {
                for id in codes.users(k, *code) {
                    clash.push(format!("case `{id}` uses {}: {v}", report::shown_name(k)));
                }
            }
        }
        let msg = (!clash.is_empty()).then(|| {
            format!(
                "reserved code reused: {trial} is retired at {}:{} and keeps its codes reserved, but\n  - {}\n\
                 Pick an unused code; a retired code must never mean something else on the wire.",
                ctx.shown_path,
                g.line,
                clash.join("\n  - ")
            )
        });
        return Check {
            name: trial,
            run: Box::new(move || msg.map_or(Ok(()), Err)),
        };
    }
    let ctx = Arc::clone(ctx);
    let (id, entry, line) = (g.id.clone(), g.entry.clone(), g.line);
    Check {
        name: trial.clone(),
        run: Box::new(move || {
            if !ctx.recorder.admit(&ctx.stem) {
                return Err(ctx.recorder.overflow(&trial, &ctx.shown_path));
            }
            let text = report::orphan(
                &ctx.location(&trial, Some(line)),
                &id,
                &entry,
                ctx.color,
                ctx.unrecorded,
            );
            let change = Change {
                stem: ctx.stem.clone(),
                id,
                old: Some(entry),
                new: None,
                header: Vec::new(),
            };
            match ctx.recorder.mismatch(change) {
                Verdict::Pass => Ok(()),
                Verdict::Fail(note) => Err(format!("{text}{note}")),
            }
        }),
    }
}

pub(crate) fn coverage_check(stem: &str, variants: &[&'static str], cases: &[Case]) -> Check {
    let covered: HashSet<&str> = cases.iter().filter_map(|c| c.variant).collect();
    let declared: HashSet<&str> = variants.iter().copied().collect();
    let missing: Vec<&str> = variants
        .iter()
        .copied()
        .filter(|v| !covered.contains(v))
        .collect();
    let mut unknown: Vec<&str> = covered.difference(&declared).copied().collect();
    unknown.sort_unstable();
    // Tools that read the golden (the gate, the exported contract) learn which case
    // samples which variant from its id: `Variant` or `Variant.<label>`, exactly for
    // the cases tagged with that variant.
    let misnamed: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let head = c.id.split('.').next().unwrap_or(&c.id);
            match c.variant {
                Some(v) if head != v => Some(format!(
                    "  - case `{}` samples variant `{v}` but is not named `{v}` or \
                     `{v}.<label>`: rename it so that tools reading the golden see its variant\n",
                    c.id
                )),
                None if declared.contains(head) => Some(format!(
                    "  - case `{}` is named after variant `{head}` but does not sample it: tag it \
                     with `.of_variant(\"{head}\")` or rename it\n",
                    c.id
                )),
                _ => None,
            }
        })
        .collect();
    let msg = (!missing.is_empty() || !unknown.is_empty() || !misnamed.is_empty()).then(|| {
        let mut m = format!("variant coverage of {stem} is incomplete:\n");
        for v in &missing {
            m.push_str(&format!(
                "  - variant `{v}` has no sample: add one to `samples()` next to the type, run \
                 `cargo test`, and approve its new golden entry\n"
            ));
        }
        for v in &unknown {
            m.push_str(&format!(
                "  - samples claim variant `{v}`, which the type does not declare\n"
            ));
        }
        m.extend(misnamed);
        m
    });
    Check {
        name: format!("{stem}::@variants"),
        run: Box::new(move || msg.map_or(Ok(()), Err)),
    }
}

/// The orphaned entries of a file past the first [`MAX_REPORTS_PER_FILE`] as one trial,
/// `<file>::@orphans`: a golden of 100,000 orphaned entries is then 101 trials, not
/// 100,000 reports. Under `UPDATE_GOLDENS=1` it removes them all like their own trials.
///
/// `rest` holds their indices into the golden the trial shares with the others, not
/// copies: a copy of every orphan doubled the memory of a run over a golden of them
/// (a 32 MiB golden: 666 MB in CI against 374 MB for its load).
pub(crate) fn orphans_check(ctx: &Arc<FileCtx>, rest: Vec<usize>) -> Check {
    let ctx = Arc::clone(ctx);
    Check {
        name: format!("{}::@orphans", ctx.stem),
        run: Box::new(move || {
            let orphans = || rest.iter().filter_map(|&i| ctx.golden_case(Some(i)));
            if ctx.recorder.will_update() {
                for g in orphans() {
                    let change = Change {
                        stem: ctx.stem.clone(),
                        id: g.id.clone(),
                        old: Some(g.entry.clone()),
                        new: None,
                        header: Vec::new(),
                    };
                    ctx.recorder.mismatch(change);
                }
                return Ok(());
            }
            let first: Vec<String> = orphans()
                .take(5)
                .map(|g| format!("`{}` (line {})", g.id, g.line))
                .collect();
            Err(format!(
                "orphan golden: {} more entries of {} are pinned but no case renders them, \
                 starting with {}; they are not reported one by one (the first \
                 {MAX_REPORTS_PER_FILE} orphans are their own trials).\nIf the removal is \
                 intended, rewrite every drifted golden entry of this test target with `{}` \
                 and review `git diff`; to keep their codes reserved, mark them retired instead.\n",
                rest.len(),
                ctx.shown_path,
                first.join(", "),
                ctx.approve.rewrite_target()
            ))
        }),
    }
}
