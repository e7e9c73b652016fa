//! The `<file>::@declared` trial: a catalog's declarations (field policies, variants)
//! against the ones its golden stores, which the release gate and the exported
//! contract read.
//!
//! A declaration is a promise about the whole file, so it is approved as one
//! decision: `UPDATE_GOLDENS=1` on this trial writes it (under the file's lock, every
//! case kept). It is not recorded as a pending change: loosening a field from
//! contract to informational is a breaking change the gate reports, and rare enough
//! that a re-run of one trial is the right ceremony.

use super::case::{Check, FileCtx};
use crate::catalog::{Catalog, Policy};
use crate::golden::{Declared, GOLDEN_FORMAT};
use std::sync::Arc;

/// What `catalog` declares, in the form a golden stores it.
pub(crate) fn of_catalog(catalog: &Catalog) -> Declared {
    Declared {
        policy: catalog.policy.clone(),
        variants: catalog
            .variants
            .iter()
            .flatten()
            .map(|v| (*v).to_owned())
            .collect(),
    }
}

/// The `<file>::@declared` trial of one catalog, when it has something to do: the
/// declarations differ from the golden's (write them under `UPDATE_GOLDENS=1`, else
/// fail). A golden that does not load gets none: its other trials report it.
///
/// The variant list alone does not fail (see below); policies must match.
///
/// A golden of the first format declares nothing, which means every field is
/// contract: upgrading the runtime must not fail a suite whose catalogs promise no
/// less, so such a golden passes unless the catalog declares an informational field;
/// `UPDATE_GOLDENS=1` writes its declarations (approvals keep a file's format).
pub(crate) fn check(ctx: &Arc<FileCtx>, declared: Declared) -> Option<Check> {
    let (stored, format) = match &ctx.golden {
        Err(_) => return None,
        Ok(None) => (Declared::default(), GOLDEN_FORMAT),
        Ok(Some(file)) => (file.declared.clone(), file.format),
    };
    let update = ctx.recorder.will_update();
    // `UPDATE_GOLDENS=1` also brings a golden of the first format to the current one.
    if stored == declared && (format == GOLDEN_FORMAT || !update) {
        return None;
    }
    let informational = declared.policy.values().any(|p| *p != Policy::Contract);
    if !update && format < GOLDEN_FORMAT && !informational {
        return None;
    }
    // A variant list behind the type's (a variant added and its cases accepted) only
    // makes tools stricter: the gate counts a case of an undeclared variant as new
    // (minor), never as coverage. So it does not fail the suite, and `accept` keeps
    // working for new variants; `UPDATE_GOLDENS=1` refreshes the list.
    if !update && stored.policy == declared.policy {
        return None;
    }
    let ctx = Arc::clone(ctx);
    let trial = format!("{}::@declared", ctx.stem);
    Some(Check {
        name: trial.clone(),
        run: Box::new(move || {
            if update {
                ctx.recorder.declare(&ctx.stem, &ctx.header, declared);
                return Ok(());
            }
            Err(report(&ctx, &trial, &stored, &declared))
        }),
    })
}

fn report(ctx: &FileCtx, trial: &str, stored: &Declared, declared: &Declared) -> String {
    let mut out = format!(
        "wire drift: the declarations of {} differ from {}\n",
        ctx.stem, ctx.shown_path
    );
    let mut fields: Vec<&String> = stored.policy.keys().chain(declared.policy.keys()).collect();
    fields.sort();
    fields.dedup();
    for field in fields {
        let (old, new) = (stored.policy_of(field), declared.policy_of(field));
        if old != new || stored.policy.contains_key(field) != declared.policy.contains_key(field) {
            let mut name = String::new();
            crate::golden::push_key(&mut name, field);
            out.push_str(&format!(
                "  policy of field {name}: golden {} -> catalog {}{}\n",
                word(stored, field),
                word(declared, field),
                if old < new {
                    " (a loosened promise: the release gate counts it as breaking)"
                } else {
                    ""
                }
            ));
        }
    }
    if stored.variants != declared.variants {
        let list = |d: &Declared| {
            let mut s = String::new();
            for (i, v) in d.variants.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                crate::golden::push_key(&mut s, v);
            }
            if s.is_empty() {
                s.push_str("(none)");
            }
            s
        };
        out.push_str(&format!(
            "  variants: golden {} -> catalog {}\n",
            list(stored),
            list(declared)
        ));
    }
    // Declarations are written by a re-run with UPDATE_GOLDENS=1 only (never recorded
    // as pending), so this is the re-run of exactly this trial, tool or not.
    let approve = ctx.approve.without_tool().accept(trial);
    out.push_str(&format!(
        "If the change is intended, write it into the golden (nothing is recorded as \
         pending for declarations):\n    {approve}\n"
    ));
    out
}

/// How a report shows a field's policy: its declaration, or `contract (undeclared)`.
fn word(d: &Declared, field: &str) -> String {
    match d.policy.get(field) {
        Some(p) => p.name().to_owned(),
        None => "contract (undeclared)".to_owned(),
    }
}
