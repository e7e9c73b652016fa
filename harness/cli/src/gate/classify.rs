//! Classifying the differences between two sets of goldens by what they do to clients.
//!
//! The comparison is on parsed entries, never on text: reordering cases, requoting a
//! string or rewording the header comment changes no wire fact, so it needs no bump.
//! Every other difference is one [`WireChange`] with a [`Kind`] whose level says which
//! semver bump it needs: a client of the old release can misread a changed message,
//! a remapped code or a removed case (major); it cannot misread a case or a field it
//! has never seen (minor).

use super::change::{Kind, Shown, WireChange};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use wire_compat::_support::{natural_cmp, GoldenCase, GoldenFile};
use wire_compat::{Entry, Policy, Value};

/// One golden file as read from one side of the comparison.
#[derive(Debug, Clone)]
pub struct Golden {
    /// How reports name the file: `goldens/x.yaml` today, `v1.4.0:goldens/x.yaml` at a ref.
    pub shown: String,
    /// The raw bytes, to tell "reformatted" from "identical" and to find field lines.
    pub text: String,
    /// The parsed file.
    pub file: GoldenFile,
}

/// The golden files of one side, by stem (`vm_runtime_error`), sorted.
pub type GoldenSet = BTreeMap<String, Golden>;

/// The variants a golden shipped: declared variants with at least one live (not
/// retired) case. A variant known only from tombstones is not on the wire, so a new
/// sample of it is the variant coming back, not coverage. Which case samples which
/// variant is read from the golden's declarations (`variants:` and the ids the suite
/// enforces for them), never guessed from a file's or field's name.
fn shipped_variants(file: &GoldenFile) -> BTreeSet<&str> {
    file.cases
        .iter()
        .filter(|c| !c.is_retired())
        .filter_map(|c| file.declared.variant_of(&c.id))
        .collect()
}

/// Compares two sets of goldens and lists every difference, files in stem order,
/// cases in natural id order, fields in name order.
///
/// `new_path` says how today's path of a golden that exists only in the baseline is
/// shown (for annotations on a deleted file).
pub fn compare(
    old: &GoldenSet,
    new: &GoldenSet,
    new_path: &dyn Fn(&str) -> String,
) -> Vec<WireChange> {
    let mut stems: Vec<&String> = old.keys().chain(new.keys()).collect();
    stems.sort();
    stems.dedup();
    let mut out = Vec::new();
    for stem in stems {
        match (old.get(stem), new.get(stem)) {
            (Some(o), Some(n)) => compare_file(stem, o, n, &mut out),
            (None, Some(n)) => out.push(WireChange {
                stem: stem.clone(),
                file: n.shown.clone(),
                line: Some(1),
                old_file: String::new(),
                old_line: None,
                case: None,
                field: None,
                kind: Kind::FileAdded,
                old: None,
                new: None,
            }),
            (Some(o), None) => out.push(WireChange {
                stem: stem.clone(),
                file: new_path(stem),
                line: None,
                old_file: o.shown.clone(),
                old_line: None,
                case: None,
                field: None,
                kind: Kind::FileRemoved,
                old: None,
                new: None,
            }),
            (None, None) => {}
        }
    }
    out
}

/// Compares the two versions of one golden file.
pub fn compare_file(stem: &str, old: &Golden, new: &Golden, out: &mut Vec<WireChange>) {
    let before = out.len();
    let old_cases: HashMap<&str, &GoldenCase> =
        old.file.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let new_cases: HashMap<&str, &GoldenCase> =
        new.file.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut ids: Vec<&str> = old_cases.keys().chain(new_cases.keys()).copied().collect();
    ids.sort_by(|a, b| natural_cmp(a, b));
    ids.dedup();
    let shipped = shipped_variants(&old.file);
    let reserved = reserved_codes(&new.file);
    // Where each line starts, found once per file: a field's line is then looked up
    // inside its case only, so the work is linear in the changes, not in changes
    // times the file's length (10,000 changed fields of a 100,000-case golden
    // re-scanned the file from the top each time).
    let (new_lines, old_lines) = (LineIndex::new(&new.text), LineIndex::new(&old.text));
    for id in ids {
        let at = |line: Option<usize>, old_line: Option<usize>| WireChange {
            stem: stem.to_owned(),
            file: new.shown.clone(),
            line,
            old_file: old.shown.clone(),
            old_line,
            case: Some(id.to_owned()),
            field: None,
            kind: Kind::Reformatted,
            old: None,
            new: None,
        };
        match (old_cases.get(id), new_cases.get(id)) {
            (None, Some(n)) if !n.is_retired() && reuses(&reserved, &n.entry).is_some() => {
                let field = reuses(&reserved, &n.entry).unwrap_or_default();
                out.push(WireChange {
                    field: Some(field.to_owned()),
                    kind: Kind::ReservedCodeReused,
                    new: Some(Shown::Entry(n.entry.clone())),
                    ..at(new_lines.field_line(n.line, field).or(Some(n.line)), None)
                });
            }
            (None, Some(n)) => out.push(WireChange {
                kind: if n.is_retired() {
                    Kind::TombstoneAdded
                } else if new
                    .file
                    .declared
                    .variant_of(id)
                    .is_some_and(|v| shipped.contains(v))
                {
                    Kind::CoverageAdded
                } else {
                    Kind::CaseAdded
                },
                new: Some(Shown::Entry(n.entry.clone())),
                ..at(Some(n.line), None)
            }),
            (Some(o), None) => out.push(WireChange {
                kind: if o.is_retired() {
                    Kind::TombstoneRemoved
                } else {
                    Kind::CaseRemoved
                },
                old: Some(Shown::Entry(o.entry.clone())),
                ..at(None, Some(o.line))
            }),
            (Some(o), Some(n)) if o.entry == n.entry => {}
            (Some(o), Some(n)) => {
                let field_at = |field: &str| new_lines.field_line(n.line, field).or(Some(n.line));
                let old_field_at = |field: &str| old_lines.field_line(o.line, field);
                let change =
                    |kind, field: &str, ov: Option<&Value>, nv: Option<&Value>| WireChange {
                        field: Some(field.to_owned()),
                        kind,
                        old: ov.cloned().map(Shown::Value),
                        new: nv.cloned().map(Shown::Value),
                        ..at(
                            if nv.is_some() {
                                field_at(field)
                            } else {
                                Some(n.line)
                            },
                            old_field_at(field).or(Some(o.line)),
                        )
                    };
                match (o.is_retired(), n.is_retired()) {
                    (false, false) => {
                        for (name, ov, nv) in field_diffs(&o.entry, &n.entry) {
                            // Judged by the promise the baseline made to its clients.
                            let informational =
                                old.file.declared.policy_of(name) == Policy::Informational;
                            let kind = match (ov, nv) {
                                (_, Some(Value::Int(i))) if reserved.contains(&(name, *i)) => {
                                    Kind::ReservedCodeReused
                                }
                                (None, _) => Kind::FieldAdded,
                                (_, None) if informational => Kind::InformationalRemoved,
                                (_, None) => Kind::FieldRemoved,
                                _ if informational => Kind::InformationalChanged,
                                _ => Kind::ContractChanged,
                            };
                            out.push(change(kind, name, ov, nv));
                        }
                    }
                    (was_retired, now_retired) => {
                        let transition = match (was_retired, now_retired) {
                            (false, true) => Some((Kind::CaseRetired, "retired")),
                            (true, false) => Some((Kind::CaseRevived, "retired")),
                            _ => None,
                        };
                        if let Some((kind, field)) = transition {
                            out.push(WireChange {
                                kind,
                                old: Some(Shown::Entry(o.entry.clone())),
                                new: Some(Shown::Entry(n.entry.clone())),
                                ..at(
                                    new_lines.field_line(n.line, field).or(Some(n.line)),
                                    Some(o.line),
                                )
                            });
                        }
                        // A tombstone's integer fields reserve codes (see the suite's
                        // retired check); freeing one lets a later case reuse it.
                        let mut edited = false;
                        for (name, ov, nv) in field_diffs(&o.entry, &n.entry) {
                            if matches!(ov, Some(Value::Int(_))) {
                                out.push(change(Kind::ReservationChanged, name, ov, nv));
                            } else if transition.is_none() {
                                edited = true;
                            }
                        }
                        if edited {
                            out.push(WireChange {
                                kind: Kind::TombstoneEdited,
                                old: Some(Shown::Entry(o.entry.clone())),
                                new: Some(Shown::Entry(n.entry.clone())),
                                ..at(Some(n.line), Some(o.line))
                            });
                        }
                    }
                }
            }
            (None, None) => {}
        }
    }
    policy_changes(stem, old, new, out);
    if out.len() == before && old.text != new.text {
        out.push(WireChange {
            stem: stem.to_owned(),
            file: new.shown.clone(),
            line: None,
            old_file: old.shown.clone(),
            old_line: None,
            case: None,
            field: None,
            kind: Kind::Reformatted,
            old: None,
            new: None,
        });
    }
}

/// The integer codes a golden's tombstones reserve, as `(field, value)`: the suite's
/// reserved-code check refuses a live case with the same field and value.
fn reserved_codes(file: &GoldenFile) -> HashSet<(&str, i64)> {
    file.cases
        .iter()
        .filter(|c| c.is_retired())
        .flat_map(|c| c.entry.fields())
        .filter_map(|(name, v)| match v {
            Value::Int(i) => Some((name, *i)),
            _ => None,
        })
        .collect()
}

/// The first field of `entry` that uses a reserved code, if any.
fn reuses<'e>(reserved: &HashSet<(&str, i64)>, entry: &'e Entry) -> Option<&'e str> {
    entry.fields().find_map(|(name, v)| match v {
        Value::Int(i) if reserved.contains(&(name, *i)) => Some(name),
        _ => None,
    })
}

/// Each field whose declared policy differs between the two sides (an undeclared
/// field is contract): loosening withdraws a promise (major), tightening makes one.
fn policy_changes(stem: &str, old: &Golden, new: &Golden, out: &mut Vec<WireChange>) {
    let (o, n) = (&old.file.declared, &new.file.declared);
    let mut fields: Vec<&String> = o.policy.keys().chain(n.policy.keys()).collect();
    fields.sort();
    fields.dedup();
    for field in fields {
        let (op, np) = (o.policy_of(field), n.policy_of(field));
        let kind = match (op, np) {
            (Policy::Contract, Policy::Informational) => Kind::PolicyLoosened,
            (Policy::Informational, Policy::Contract) => Kind::PolicyTightened,
            _ => continue,
        };
        let word = |p: Policy| Some(Shown::Value(Value::Str(p.name().to_owned())));
        out.push(WireChange {
            stem: stem.to_owned(),
            file: new.shown.clone(),
            line: policy_line(&new.text, field).or(Some(1)),
            old_file: old.shown.clone(),
            old_line: policy_line(&old.text, field),
            case: None,
            field: Some(field.clone()),
            kind,
            old: word(op),
            new: word(np),
        });
    }
}

/// The line of `field`'s declaration under a golden's `policy:` (block style only).
fn policy_line(text: &str, field: &str) -> Option<usize> {
    let start = text.lines().position(|l| l == "policy:")?;
    let mut key = String::new();
    wire_compat::_support::push_key(&mut key, field);
    key.push(':');
    text.lines()
        .enumerate()
        .skip(start + 1)
        .take_while(|(_, l)| l.starts_with("  "))
        .find(|(_, l)| l[2..].starts_with(&key))
        .map(|(i, _)| i + 1)
}

/// The fields that differ between two entries, in name order: `(name, old, new)`.
fn field_diffs<'a>(
    old: &'a Entry,
    new: &'a Entry,
) -> Vec<(&'a str, Option<&'a Value>, Option<&'a Value>)> {
    let mut names: Vec<&str> = old.fields().chain(new.fields()).map(|(k, _)| k).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (o, n) = (old.get(name), new.get(name));
            (o != n).then_some((name, o, n))
        })
        .collect()
}

/// A golden's text with the offset of each line's start, for jumping to a case.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

#[cfg(test)]
thread_local! {
    /// Lines [`LineIndex::field_line`] looked at (unit tests count the gate's work).
    static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<'a> LineIndex<'a> {
    /// Indexes `text` in one pass.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        LineIndex { text, starts }
    }

    /// The line of `field` inside the case whose key is on `case_line`: the first
    /// line below it, indented deeper than the key, that starts with `field:` (or
    /// `"field":`).
    ///
    /// Annotations on the field line show inline in a pull request's diff, where the
    /// case's key line (unchanged) would not. Only block-style files have such lines;
    /// anything else gives `None` and the caller falls back to the case's line.
    pub fn field_line(&self, case_line: usize, field: &str) -> Option<usize> {
        let start = *self.starts.get(case_line.checked_sub(1)?)?;
        let mut lines = self.text[start..].lines().enumerate();
        let (_, key) = lines.next()?;
        let key_indent = key.len() - key.trim_start().len();
        for (i, line) in lines {
            #[cfg(test)]
            SCANNED.with(|s| s.set(s.get() + 1));
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if line.len() - trimmed.len() <= key_indent {
                return None;
            }
            let name = trimmed
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .or_else(|| trimmed.split_once(':').map(|(n, _)| (n.trim_end(), ":")));
            if let Some((name, rest)) = name {
                if name == field && rest.trim_start().starts_with(':') {
                    return Some(case_line + i);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::semver::Level;
    use super::*;
    use std::path::Path;

    fn golden(shown: &str, text: &str) -> Golden {
        Golden {
            shown: shown.into(),
            text: text.into(),
            file: wire_compat::_support::parse(Path::new(shown), text.as_bytes()).unwrap(),
        }
    }

    fn diff(stem: &str, old: &str, new: &str) -> Vec<(String, Level, Option<usize>)> {
        let mut out = Vec::new();
        compare_file(
            stem,
            &golden("v1:goldens/x.yaml", old),
            &golden("goldens/x.yaml", new),
            &mut out,
        );
        out.iter()
            .map(|c| (format!("{} {}", c.trial(), c.describe()), c.level(), c.line))
            .collect()
    }

    const BASE: &str = "# header\ncases:\n  A:\n    message: \"a\"\n    status: 1\n  B:\n    message: \"b\"\n    status: 2\n";

    #[test]
    fn value_changes_are_breaking_and_named_by_field() {
        let new = BASE
            .replace("\"a\"", "\"A!\"")
            .replace("status: 2", "status: 7");
        assert_eq!(
            diff("e", BASE, &new),
            [
                (
                    "e::A contract field `message` changed".into(),
                    Level::Major,
                    Some(4)
                ),
                (
                    "e::B contract field `status` changed".into(),
                    Level::Major,
                    Some(8)
                ),
            ]
        );
        let new = BASE
            .replace("status: 1", "status: \"one\"")
            .replace("    status: 2\n", "");
        assert_eq!(
            diff("e", BASE, &new),
            [
                (
                    "e::A contract field `status` changed".into(),
                    Level::Major,
                    Some(5)
                ),
                ("e::B field `status` removed".into(), Level::Major, Some(6)),
            ]
        );
    }

    /// The gate used to decide a field's role from its name (`message`, `status`,
    /// `*_code`, stems ending in `version_rule`); a field named like none of them was
    /// still major, and nothing could be declared informational. Now the golden's
    /// declared policy decides, as declared at the baseline.
    #[test]
    fn declared_policy_decides_not_the_field_name() {
        let declared = |policy: &str| {
            BASE.replace("cases:\n", &format!("format: 2\npolicy:\n{policy}cases:\n"))
        };
        let informational = declared("  message: informational\n");
        let reworded = informational.replace("\"a\"", "\"A!\"");
        assert_eq!(
            diff("e", &informational, &reworded),
            [(
                "e::A informational field `message` changed".into(),
                Level::Patch,
                Some(7)
            )]
        );
        // The same reword of a contract (or undeclared) message, or a changed code,
        // stays major whatever the file or field is called.
        let contract = declared("  message: contract\n");
        let d = diff(
            "x_version_rule",
            &contract,
            &contract.replace("\"a\"", "\"A!\""),
        );
        assert_eq!(d[0].1, Level::Major);
        let d = diff(
            "e",
            &informational,
            &informational.replace("status: 1", "status: 9"),
        );
        assert_eq!(d[0].0, "e::A contract field `status` changed");
        assert_eq!(d[0].1, Level::Major);
        let odd = BASE.replace("status", "anything");
        let d = diff("e", &odd, &odd.replace("anything: 1", "anything: 9"));
        assert_eq!(d[0].1, Level::Major);
        // Loosening a policy (from an undeclared contract too) is itself breaking...
        let d = diff("e", BASE, &informational);
        assert_eq!(
            d,
            [(
                "e field `message` loosened from contract to informational".into(),
                Level::Major,
                Some(4)
            )]
        );
        // ...and a reword in the release that loosens is judged by the old promise.
        let d = diff("e", &contract, &reworded);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|(_, l, _)| *l == Level::Major), "{d:?}");
        // Tightening makes a new promise (minor); an explicit contract is no change.
        assert_eq!(diff("e", &informational, &contract)[0].1, Level::Minor);
        assert_eq!(diff("e", BASE, &contract)[0].1, Level::None);
        // Removing an informational field needs a patch release only.
        let slim = informational.replace("    message: \"b\"\n", "");
        assert_eq!(
            diff("e", &informational, &slim),
            [(
                "e::B informational field `message` removed".into(),
                Level::Patch,
                Some(9)
            )]
        );
    }

    #[test]
    fn additions_are_minor() {
        let new = format!("{BASE}  C:\n    message: \"c\"\n")
            .replace("status: 1\n", "status: 1\n    hint: \"h\"\n");
        assert_eq!(
            diff("e", BASE, &new),
            [
                ("e::A field `hint` added".into(), Level::Minor, Some(6)),
                ("e::C case added".into(), Level::Minor, Some(10)),
            ]
        );
    }

    #[test]
    fn samples_of_declared_shipped_variants_are_coverage() {
        let with_variants = |text: &str| {
            text.replace(
                "cases:\n",
                "format: 2\nvariants:\n  - \"A\"\n  - \"B\"\ncases:\n",
            )
        };
        let old = with_variants(&format!("{BASE}  from_code.1:\n    status: 1\n"));
        let new = format!("{old}  A.unicode:\n    message: \"é\"\n  from_code.9:\n    status: 9\n");
        let d = diff("e", &old, &new);
        assert_eq!(
            d.iter()
                .map(|(s, l, _)| (s.as_str(), *l))
                .collect::<Vec<_>>(),
            [
                (
                    "e::A.unicode coverage added (a sample of a shipped variant)",
                    Level::None
                ),
                // Not a declared variant: a new decoding is a new wire fact.
                ("e::from_code.9 case added", Level::Minor),
            ]
        );
        // Without declared variants nothing is coverage: ids are not parsed.
        let plain = format!("{BASE}  A.unicode:\n    message: \"é\"\n");
        assert_eq!(diff("e", BASE, &plain)[0].1, Level::Minor);
        // A sample of a variant known only as a tombstone brings it back: minor.
        let retired =
            with_variants(&BASE.replace("status: 2\n", "status: 2\n    retired: \"x\"\n"));
        let back = format!("{retired}  B.again:\n    message: \"b\"\n");
        assert_eq!(diff("e", &retired, &back)[0].1, Level::Minor);
    }

    #[test]
    fn removing_needs_major_unless_a_tombstone_stays() {
        let gone = "# header\ncases:\n  A:\n    message: \"a\"\n    status: 1\n";
        assert_eq!(
            diff("e", BASE, gone),
            [(
                "e::B case removed without a tombstone".into(),
                Level::Major,
                None
            )]
        );
        let retired = BASE.replace("status: 2\n", "status: 2\n    retired: \"gone in 1.5\"\n");
        assert_eq!(
            diff("e", BASE, &retired),
            [("e::B case retired".into(), Level::Minor, Some(9))]
        );
        // A tombstone that drops its message is still just a retirement...
        let slim = BASE.replace(
            "    message: \"b\"\n    status: 2\n",
            "    retired: \"x\"\n    status: 2\n",
        );
        assert_eq!(diff("e", BASE, &slim).len(), 1);
        // ...but one that frees its code is breaking: the code could be reused.
        let freed = BASE.replace(
            "    message: \"b\"\n    status: 2\n",
            "    retired: \"x\"\n",
        );
        let d = diff("e", BASE, &freed);
        assert_eq!(
            d[1],
            (
                "e::B reserved code `status` changed".into(),
                Level::Major,
                Some(6)
            )
        );
        // Dropping the tombstone later frees the code: breaking.
        assert_eq!(diff("e", &retired, gone)[0].1, Level::Major);
        // Editing only the reason has no wire effect; reviving is additive.
        let reworded = retired.replace("gone in 1.5", "gone since 1.5");
        assert_eq!(diff("e", &retired, &reworded)[0].1, Level::None);
        assert_eq!(
            diff("e", &retired, BASE)[0],
            ("e::B retired case revived".into(), Level::Minor, Some(6))
        );
    }

    #[test]
    fn reformatting_is_no_change() {
        let shuffled = "# another header\ncases:\n  B:\n    status: 2\n    message: 'b'\n  \"A\": {message: a, status: 1}\n";
        assert_eq!(
            diff("e", BASE, shuffled),
            [("e formatting only".into(), Level::None, None)]
        );
        assert!(diff("e", BASE, BASE).is_empty());
    }

    #[test]
    fn whole_files_added_and_removed() {
        let set = |g: Option<Golden>| -> GoldenSet {
            g.into_iter().map(|g| ("x".to_owned(), g)).collect()
        };
        let g = golden("goldens/x.yaml", BASE);
        let added = compare(&set(None), &set(Some(g.clone())), &|s| {
            format!("goldens/{s}.yaml")
        });
        assert_eq!(
            (added[0].kind, added[0].level()),
            (Kind::FileAdded, Level::Minor)
        );
        let removed = compare(&set(Some(g)), &set(None), &|s| format!("goldens/{s}.yaml"));
        assert_eq!(
            (removed[0].kind, removed[0].level()),
            (Kind::FileRemoved, Level::Major)
        );
        assert_eq!(removed[0].file, "goldens/x.yaml");
    }

    #[test]
    fn field_lines_are_found_inside_their_case_only() {
        let base = LineIndex::new(BASE);
        assert_eq!(base.field_line(3, "status"), Some(5));
        assert_eq!(base.field_line(6, "message"), Some(7));
        assert_eq!(base.field_line(3, "retired"), None);
        let quoted = LineIndex::new("cases:\n  A:\n    \"m\": 1\n");
        assert_eq!(quoted.field_line(2, "m"), Some(3));
    }

    /// Counted, not timed: locating the changed fields of a golden looks at a few lines
    /// per change, however long the file (it used to re-scan from line 1 each time).
    #[test]
    fn locating_changed_fields_is_linear_in_the_changes() {
        let scanned_for = |cases: usize| {
            let render = |suffix: &str| {
                let mut text = String::from("cases:\n");
                for i in 0..cases {
                    let m = if i % 10 == 0 { suffix } else { "" };
                    text.push_str(&format!(
                        "  C{i}:\n    code: {i}\n    message: \"m{i}{m}\"\n"
                    ));
                }
                text
            };
            let side = |t: String| Golden {
                shown: "goldens/x.yaml".into(),
                file: wire_compat::_support::parse(Path::new("x.yaml"), t.as_bytes()).unwrap(),
                text: t,
            };
            let (old, new) = (side(render("")), side(render(" (changed)")));
            SCANNED.with(|s| s.set(0));
            let mut out = Vec::new();
            compare_file("x", &old, &new, &mut out);
            assert_eq!(out.len(), cases / 10);
            SCANNED.with(|s| s.get())
        };
        let (small, large) = (scanned_for(1_000), scanned_for(4_000));
        // Two lines per changed field on each side; four times the cases, four times
        // the changes, four times the lines (quadratic would be sixteen).
        assert_eq!(small, 4 * 100, "{small}");
        assert_eq!(large, 4 * small, "{small} -> {large}");
    }
}
