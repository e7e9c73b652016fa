//! Input generators of the fuzz targets that build golden entries with the runtime's
//! types: the seed corpus, ids, entries, an evolved copy of a golden and its flow-style
//! rendering. The generic half (PRNG, budget, byte mutations, hostile strings) is
//! `wire_compat_testkit::fuzzing`, re-exported here.

use std::collections::{BTreeMap, BTreeSet};
use wire_compat::_support::{check_id, push_key, push_value, render_file, GoldenFile};
use wire_compat::{Entry, Value};
pub use wire_compat_testkit::fuzzing::*;

/// The seeds: a canonical golden of the fuzzers' own, plus small files for each feature of the format.
pub fn corpus() -> Vec<Vec<u8>> {
    // A canonical golden of every value kind, as the writer makes them.
    let entries = [
        (
            "Busy",
            Entry::new()
                .with("message", "device 'a b' busy")
                .with("status", -3),
        ),
        (
            "Busy.unicode",
            Entry::new().with("message", "périphérique « x » occupé"),
        ),
        (
            "from_code.-1",
            Entry::new()
                .with("decodes_to", Value::Null)
                .with("ok", false),
        ),
        (
            "v1.2_vs_1.3",
            Entry::new().with("accepted", true).with("found", "1.2.0"),
        ),
    ];
    let mut out = vec![render_file(
        &[
            "fixture: every kind of value".to_owned(),
            String::new(),
            "approve with ...".to_owned(),
        ],
        entries.iter().map(|(id, e)| (*id, e)),
    )
    .into_bytes()];
    for text in [
        "# h\ncases:\n  A:\n    message: \"a\"\n  B.edge:\n    code: -3\n    message: \"b\\n\\t\\\"q\\\"\"\n",
        "cases:\n  A: {}\n  from_status.-1:\n    decodes_to: null\n    ok: true\n",
        "cases: {A: {message: 'it''s'}, B: {message: plain text}}\n",
        "\u{feff}cases:\r\n  A:\r\n    message: \"crlf\"\r\n",
        "cases:\n  A: &e {message: \"shared\"}\n  B: *e\n",
        "cases:\n  Gone:\n    code: 7\n    retired: \"since 2.0\"\n",
        "cases:\n  A:\n    message: |-\n      line one\n      line two\n  B:\n    message: >\n      folded\n      text\n",
        "cases:\n  \"1x\":\n    \"true\": \"é \\u2028 \\x07 \\U0001F600\"\n",
        "# only\n#\ncases: {}\n",
        "cases:\n  v5.0.0_vs_5.1.0:\n    accepted: false\n    found: \"5.0.0\"\n    ours: \"5.1.0\"\n",
    ] {
        out.push(text.as_bytes().to_vec());
    }
    out
}

/// A random valid case id.
pub fn random_id(rng: &mut Rng) -> String {
    const ID: &[u8] = b"abcXYZ019_.+-";
    loop {
        let n = 1 + rng.below(12);
        let id: String = (0..n).map(|_| *rng.pick(ID) as char).collect();
        if check_id(&id).is_ok() {
            return id;
        }
    }
}

pub fn random_entry(rng: &mut Rng) -> Entry {
    let mut e = Entry::new();
    for _ in 0..rng.below(4) {
        let name = if rng.chance(2) {
            (*rng.pick(&[
                "message", "code", "status", "wire", "retired", "true", "1x", "a b",
            ]))
            .to_owned()
        } else {
            nasty_string(rng, 6)
        };
        let value = match rng.below(5) {
            0 => Value::Int(rng.next() as i64 >> rng.below(64)),
            1 => Value::Bool(rng.chance(2)),
            2 => Value::Null,
            _ => Value::Str(nasty_string(rng, 40)),
        };
        e.insert(name, value);
    }
    e
}

/// A second version of `file`: what a release could do to it.
pub fn evolve(rng: &mut Rng, file: &GoldenFile) -> BTreeMap<String, Entry> {
    let mut cases: BTreeMap<String, Entry> = file
        .cases
        .iter()
        .map(|c| (c.id.clone(), c.entry.clone()))
        .collect();
    let ids: Vec<String> = cases.keys().cloned().collect();
    for _ in 0..1 + rng.below(4) {
        let id = if ids.is_empty() || rng.chance(5) {
            random_id(rng)
        } else {
            rng.pick(&ids).clone()
        };
        match rng.below(7) {
            0 => {
                cases.remove(&id);
            }
            1 => {
                cases.insert(id, random_entry(rng));
            }
            2 => {
                let e = cases.entry(id).or_default();
                e.insert("retired".into(), Value::Str("since 2.0".into()));
            }
            3 => {
                if let Some(e) = cases.get_mut(&id) {
                    e.remove("retired");
                }
            }
            4 => {
                if let Some(e) = cases.get_mut(&id) {
                    e.insert("message".into(), Value::Str(nasty_string(rng, 20)));
                }
            }
            5 => {
                if let Some(e) = cases.get_mut(&id) {
                    let name = (*rng.pick(&["code", "status", "decodes_to", "x_code"])).to_owned();
                    e.insert(name, Value::Int(rng.below(10) as i64 - 5));
                }
            }
            _ => {
                if let Some(e) = cases.get_mut(&id) {
                    let name = e.fields().next().map(|(k, _)| k.to_owned());
                    if let Some(name) = name {
                        e.remove(&name);
                    }
                }
            }
        }
    }
    // Keep ids unique ignoring letter case, as every golden is.
    let mut seen = BTreeSet::new();
    cases.retain(|id, _| seen.insert(id.to_ascii_lowercase()));
    cases
}

/// The same facts in another layout: one flow mapping per case, in reverse order.
pub fn flow_render(cases: &BTreeMap<String, Entry>) -> String {
    let mut out = String::from("# another layout\ncases:\n");
    for (id, entry) in cases.iter().rev() {
        out.push_str("  ");
        push_key(&mut out, id);
        out.push_str(": {");
        for (i, (name, value)) in entry.fields().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_key(&mut out, name);
            out.push_str(": ");
            push_value(&mut out, value);
        }
        out.push_str("}\n");
    }
    out
}
