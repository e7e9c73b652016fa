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
use wire_compat::{Entry, Value};

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

/// Field names whose values are codes a client maps to meanings.
fn is_code_field(name: &str) -> bool {
    matches!(name, "status" | "code" | "decodes_to")
        || name.ends_with("_code")
        || name.ends_with("_status")
}

/// Field names whose values are wire text.
fn is_message_field(name: &str) -> bool {
    matches!(name, "message" | "wire")
}

/// Whether a golden pins a version rule (`snapshot_version_rule`): any changed
/// field there means some pair of versions is judged differently.
fn is_version_rule(stem: &str) -> bool {
    stem.ends_with("version_rule")
}

/// The variant (or code table) a case samples: its id up to the first `.`
/// (`UserNotFound.unicode` samples `UserNotFound`, `from_code.-713` probes the table
/// `from_code`). A version-rule golden pins one rule, so all its cases sample it.
///
/// Case ids already follow `Variant.label` (the suite's catalogs name samples that
/// way), so the golden needs no extra field to say what it samples.
pub fn variant_of<'a>(stem: &str, id: &'a str) -> &'a str {
    if is_version_rule(stem) {
        ""
    } else {
        id.split('.').next().unwrap_or(id)
    }
}

/// The variants a golden shipped: those with at least one live (not retired) case.
/// A variant known only from tombstones is not on the wire, so a new sample of it is
/// the variant coming back, not coverage.
fn shipped_variants<'a>(stem: &str, file: &'a GoldenFile) -> BTreeSet<&'a str> {
    file.cases
        .iter()
        .filter(|c| !c.is_retired())
        .map(|c| variant_of(stem, &c.id))
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
    let shipped = shipped_variants(stem, &old.file);
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
                } else if shipped.contains(variant_of(stem, id)) {
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
                            let kind = match (ov, nv) {
                                (_, Some(Value::Int(i))) if reserved.contains(&(name, *i)) => {
                                    Kind::ReservedCodeReused
                                }
                                (None, _) => Kind::FieldAdded,
                                (_, None) => Kind::FieldRemoved,
                                _ if is_version_rule(stem) => Kind::VersionRuleChanged,
                                _ if is_message_field(name) => Kind::MessageChanged,
                                _ if is_code_field(name) => Kind::CodeRemapped,
                                _ => Kind::FieldChanged,
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
                ("e::A message changed".into(), Level::Major, Some(4)),
                ("e::B code remapped".into(), Level::Major, Some(8)),
            ]
        );
        let new = BASE
            .replace("status: 1", "status: \"one\"")
            .replace("    status: 2\n", "");
        assert_eq!(
            diff("e", BASE, &new),
            [
                ("e::A code remapped".into(), Level::Major, Some(5)),
                ("e::B field `status` removed".into(), Level::Major, Some(6)),
            ]
        );
        let rule = "cases:\n  v1_vs_2:\n    accepted: true\n    note: \"x\"\n";
        let changed = rule.replace("true", "false").replace("\"x\"", "\"y\"");
        let d = diff("snapshot_version_rule", rule, &changed);
        assert_eq!(d.len(), 2);
        assert!(d
            .iter()
            .all(|(s, l, _)| s.ends_with("version rule changed") && *l == Level::Major));
        let d = diff("e", rule, &changed);
        assert_eq!(d[0].0, "e::v1_vs_2 field `accepted` changed");
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
    fn samples_and_probes_of_shipped_variants_are_coverage() {
        let old = format!("{BASE}  from_code.1:\n    status: 1\n");
        let new = format!("{old}  A.unicode:\n    message: \"é\"\n  from_code.9:\n    status: 9\n");
        let d = diff("e", &old, &new);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d
            .iter()
            .all(|(s, l, _)| s.contains("coverage added") && *l == Level::None));
        // A sample of a variant known only as a tombstone brings it back: minor.
        let retired = BASE.replace("status: 2\n", "status: 2\n    retired: \"x\"\n");
        let back = format!("{retired}  B.again:\n    message: \"b\"\n");
        assert_eq!(diff("e", &retired, &back)[0].1, Level::Minor);
        // Every case of a version rule samples the one rule.
        let rule = "cases:\n  v1_vs_2:\n    accepted: true\n";
        let more = format!("{rule}  v3.0_vs_1:\n    accepted: false\n");
        assert_eq!(diff("snapshot_version_rule", rule, &more)[0].1, Level::None);
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
