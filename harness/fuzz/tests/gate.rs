//! The gate's classifier under the fuzz generators of the framework's tests: on pairs
//! of goldens it must never panic, must find nothing between a file and itself, must
//! name every case that differs and no other, and added/removed must mirror each
//! other. `COMPAT_FUZZ_CASES` sets how many pairs (see `fuzz.rs` beside this file).

use cargo_wire_compat::gate::change::{Kind, WireChange};
use cargo_wire_compat::gate::classify::{compare_file, Golden};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use wire_compat::_support::{self as golden, render_file};
use wire_compat::Entry;
use wire_compat_fuzz::{corpus, evolve, finding, flow_render, mutate, say, Budget, Rng};

/// One side of a pair as the gate reads it, or `None` when the loader refuses it.
fn gate_side(shown: &str, text: String) -> Option<Golden> {
    let file = golden::parse(Path::new(shown), text.as_bytes()).ok()?;
    Some(Golden {
        shown: shown.to_owned(),
        text,
        file,
    })
}

/// The classifier on one pair, a panic caught as `Err`.
fn classify(stem: &str, old: &Golden, new: &Golden) -> Result<Vec<WireChange>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut out = Vec::new();
        compare_file(stem, old, new, &mut out);
        out
    }))
    .map_err(|_| ())
}

/// The gate's invariants on one pair; `Err` says which one broke.
fn check_gate(stem: &str, old: &Golden, new: &Golden) -> Result<(), String> {
    let changes = classify(stem, old, new).map_err(|()| "compare_file panicked".to_owned())?;
    let entries = |g: &Golden| -> BTreeMap<String, Entry> {
        g.file
            .cases
            .iter()
            .map(|c| (c.id.clone(), c.entry.clone()))
            .collect()
    };
    let (o, n) = (entries(old), entries(new));
    let differing: BTreeSet<&String> = o
        .keys()
        .chain(n.keys())
        .filter(|id| o.get(*id) != n.get(*id))
        .collect();
    let named: BTreeSet<&String> = changes.iter().filter_map(|c| c.case.as_ref()).collect();
    if differing != named {
        return Err(format!(
            "cases that differ {differing:?} but changes name {named:?}: {changes:#?}"
        ));
    }
    let reformatted = changes
        .iter()
        .filter(|c| c.kind == Kind::Reformatted)
        .count();
    let expected = usize::from(differing.is_empty() && old.text != new.text);
    if reformatted != expected {
        return Err(format!(
            "{reformatted} `reformatted` changes, expected {expected}"
        ));
    }
    let (old_lines, new_lines) = (old.text.lines().count(), new.text.lines().count());
    for c in &changes {
        if c.line.is_some_and(|l| l == 0 || l > new_lines)
            || c.old_line.is_some_and(|l| l == 0 || l > old_lines)
        {
            return Err(format!("a change points outside its file: {c:?}"));
        }
        let _ = (c.describe(), c.location(), c.trial(), c.level());
    }
    // A case removed one way is added the other way.
    let back = classify(stem, new, old).map_err(|()| "compare_file panicked".to_owned())?;
    let ids = |cs: &[WireChange], k: Kind| -> BTreeSet<Option<String>> {
        cs.iter()
            .filter(|c| c.kind == k)
            .map(|c| c.case.clone())
            .collect()
    };
    let mut added = ids(&changes, Kind::CaseAdded);
    added.extend(ids(&changes, Kind::CoverageAdded));
    if added != ids(&back, Kind::CaseRemoved)
        || ids(&changes, Kind::CaseRetired) != ids(&back, Kind::CaseRevived)
    {
        return Err("added/removed (or retired/revived) do not mirror each other".to_owned());
    }
    Ok(())
}

#[test]
fn gate() {
    let budget = Budget::from_env();
    let corpus = corpus();
    let (mut execs, mut pairs) = (0u64, 0u64);
    for case_seed in budget.cases(31) {
        let mut r = Rng(case_seed | 1);
        let mut input = r.pick(&corpus).clone();
        if r.chance(2) {
            mutate(&mut r, &mut input, &corpus);
        }
        execs += 1;
        let Some(old) = gate_side(
            "v1:goldens/x.yaml",
            String::from_utf8_lossy(&input).into_owned(),
        ) else {
            continue;
        };
        let stem = *r.pick(&["x", "snapshot_version_rule"]);
        if let Err(why) = check_gate(stem, &old, &old) {
            finding(
                "gate",
                case_seed,
                &input,
                &format!("a file against itself: {why}"),
            );
        }
        let evolved = evolve(&mut r, &old.file);
        let text = if r.chance(3) {
            flow_render(&evolved)
        } else {
            render_file(
                &old.file.header,
                evolved.iter().map(|(k, v)| (k.as_str(), v)),
            )
        };
        let Some(new) = gate_side("goldens/x.yaml", text) else {
            continue;
        };
        pairs += 1;
        if let Err(why) = check_gate(stem, &old, &new) {
            let mut both = input.clone();
            both.extend_from_slice(b"\n# ---- new side ----\n");
            both.extend_from_slice(new.text.as_bytes());
            finding("gate", case_seed, &both, &why);
        }
    }
    say(&format!(
        "fuzz gate: {execs} inputs, {pairs} golden pairs classified, no finding"
    ));
}
