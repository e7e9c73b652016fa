//! A bounded random-input fuzzer (no nightly, no new dependency) for the three places
//! where untrusted text meets the harness:
//!
//! - `loader`: `golden::parse` on arbitrary bytes and on mutated real goldens must never
//!   panic, must report errors with a sane location and a
//!   fix, and on success the canonical re-render must parse back to the same cases
//!   (and re-render byte-identically, with each case's line pointing at its key);
//! - `writer`: entries with arbitrary ids, field names and values (controls, line
//!   separators, noncharacters, quotes...) rendered canonically must parse back equal:
//!   an approval must never write a golden that does not load;
//! - the release gate's classifier is fuzzed where it lives, in the CLI's unit tests
//!   (`harness/fuzz/tests/gate.rs`), from the same generators.
//!
//! `cargo test` runs a fixed number of cases per target (`COMPAT_FUZZ_CASES`, default
//! 2,000); `ci/fuzz` runs many more in release mode. A failing input is saved under
//! `target/tmp/fuzz-findings/` and the case to replay is printed (`COMPAT_FUZZ_CASE`);
//! `COMPAT_FUZZ_SEED` starts a run from another seed.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use wire_compat::_support::{self as golden, check_id, render_file, GoldenFile};
use wire_compat::Entry;
use wire_compat_fuzz::{
    corpus, finding, mutate, nasty_string, random_entry, random_id, say, Budget, Rng,
};

/// The checks on one loader input; returns the parsed file when it parsed.
fn check_loader(input: &[u8], seed: u64) -> Option<GoldenFile> {
    let path = Path::new("goldens/fuzz.yaml");
    let result = catch_unwind(AssertUnwindSafe(|| golden::parse(path, input)));
    let result = result.unwrap_or_else(|_| finding("loader", seed, input, "parse panicked"));
    let file = match result {
        Err(e) => {
            let lines = input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
            if e.line.is_some_and(|l| l == 0 || l > lines + 1) || e.column == Some(0) {
                finding(
                    "loader",
                    seed,
                    input,
                    &format!("error outside the file: {e}"),
                );
            }
            if e.message.is_empty() || e.hint.is_empty() || !e.to_string().contains("fix: ") {
                finding("loader", seed, input, &format!("error without a fix: {e}"));
            }
            return None;
        }
        Ok(file) => file,
    };
    let mut lowercase = BTreeSet::new();
    for c in &file.cases {
        if let Err(why) = check_id(&c.id) {
            finding("loader", seed, input, &format!("accepted a bad id: {why}"));
        }
        if !lowercase.insert(c.id.to_ascii_lowercase()) {
            finding("loader", seed, input, &format!("accepted `{}` twice", c.id));
        }
    }
    // The canonical re-render parses back to the same cases, re-renders identically,
    // and each case's line is its key's line.
    let render =
        |f: &GoldenFile| render_file(&f.header, f.cases.iter().map(|c| (c.id.as_str(), &c.entry)));
    let canonical = render(&file);
    let back = match catch_unwind(AssertUnwindSafe(|| {
        golden::parse(path, canonical.as_bytes())
    })) {
        Ok(Ok(back)) => back,
        Ok(Err(e)) => finding(
            "loader",
            seed,
            input,
            &format!("its canonical form does not parse: {e}\n{canonical}"),
        ),
        Err(_) => finding("loader", seed, input, "parsing its canonical form panicked"),
    };
    let cases = |f: &GoldenFile| -> BTreeMap<String, Entry> {
        f.cases
            .iter()
            .map(|c| (c.id.clone(), c.entry.clone()))
            .collect()
    };
    if cases(&back) != cases(&file) || back.header != file.header {
        finding(
            "loader",
            seed,
            input,
            "the canonical form reads back differently",
        );
    }
    if render(&back) != canonical {
        finding("loader", seed, input, "rendering is not idempotent");
    }
    let lines: Vec<&str> = canonical.lines().collect();
    for c in &back.cases {
        let key = lines.get(c.line - 1).map(|l| l.trim_start()).unwrap_or("");
        if !(key.starts_with(&c.id) || key.starts_with(&format!("\"{}\"", c.id))) {
            finding(
                "loader",
                seed,
                input,
                &format!("case `{}` is said to be on line {}: {key:?}", c.id, c.line),
            );
        }
    }
    Some(file)
}

#[test]
fn loader() {
    let budget = Budget::from_env();
    let corpus = corpus();
    let (mut execs, mut parsed) = (0u64, 0u64);
    for seed in &corpus {
        check_loader(seed, 0).expect("a seed of the corpus does not parse");
    }
    for case_seed in budget.cases(0) {
        let mut case_rng = Rng(case_seed | 1);
        let input = if case_rng.chance(10) {
            (0..case_rng.below(256))
                .map(|_| case_rng.next() as u8)
                .collect()
        } else {
            let mut input = case_rng.pick(&corpus).clone();
            mutate(&mut case_rng, &mut input, &corpus);
            input
        };
        if check_loader(&input, case_seed).is_some() {
            parsed += 1;
        }
        execs += 1;
    }
    say(&format!(
        "fuzz loader: {execs} inputs ({parsed} parsed and round-tripped), no finding"
    ));
}

#[test]
fn writer() {
    let budget = Budget::from_env();
    let mut execs = 0u64;
    for case_seed in budget.cases(17) {
        let mut r = Rng(case_seed | 1);
        let mut cases: BTreeMap<String, Entry> = BTreeMap::new();
        let mut lowercase = BTreeSet::new();
        for _ in 0..r.below(6) {
            let id = random_id(&mut r);
            if lowercase.insert(id.to_ascii_lowercase()) {
                cases.insert(id, random_entry(&mut r));
            }
        }
        let header: Vec<String> = (0..r.below(3))
            .map(|_| {
                nasty_string(&mut r, 20)
                    .replace(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'], " ")
            })
            .map(|l| l.trim_end().to_owned())
            .collect();
        let text = render_file(&header, cases.iter().map(|(k, v)| (k.as_str(), v)));
        let parsed = catch_unwind(AssertUnwindSafe(|| {
            golden::parse(Path::new("goldens/w.yaml"), text.as_bytes())
        }));
        let back = match parsed {
            Ok(Ok(back)) => back,
            Ok(Err(e)) => finding(
                "writer",
                case_seed,
                text.as_bytes(),
                &format!("a canonical golden does not load: {e}"),
            ),
            Err(_) => finding("writer", case_seed, text.as_bytes(), "parse panicked"),
        };
        let got: BTreeMap<String, Entry> =
            back.cases.into_iter().map(|c| (c.id, c.entry)).collect();
        if got != cases {
            let diff: Vec<_> = cases
                .iter()
                .filter(|(k, v)| got.get(*k) != Some(v))
                .map(|(k, v)| format!("{k}: wrote {v:?}, read {:?}", got.get(k)))
                .collect();
            finding(
                "writer",
                case_seed,
                text.as_bytes(),
                &format!("a canonical golden reads back differently: {diff:?}"),
            );
        }
        execs += 1;
    }
    say(&format!(
        "fuzz writer: {execs} rendered goldens loaded back equal, no finding"
    ));
}

/// What the fuzzer found, kept as plain tests so that they fail deterministically if
/// a fix regresses (the fuzzer only finds them again with luck).
#[test]
fn findings_stay_fixed() {
    let path = Path::new("goldens/x.yaml");
    // writer: noncharacters in a message, line breaks and controls in a header line.
    let entry = Entry::new().with("message", "a\u{fffe}b\u{ffff}c");
    let header = vec!["about \u{ffff} x\ny\u{2028}z\u{7}".to_owned()];
    let text = render_file(&header, [("A", &entry)]);
    let back = golden::parse(path, text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.cases[0].entry, entry);
    assert_eq!(back.header.len(), 1, "{text}");
    // loader: a raw LINE SEPARATOR made libyaml count lines the file does not have.
    let text = "cases:\n  A:\n\u{2028}    message: \"x\"\n  B: {}\n";
    let e = golden::parse(path, text.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (Some(3), Some(1)), "{e}");
    // prescan: `,#` starts a comment for libyaml (it skips to the next token and
    // takes `#` there as one); read as plain text, it let 38 levels through.
    let text = "k: a\n  'x\ny: {k: \"e\\\"[\",#\n\"k{\": plain\n 'cont, k: [[[{k2: a:'b, k2: {\"k{\": a #c\n, k2: [?'x', \"d{{\", [[{k: [plain\n 'cont, {k2: [{k: {k2: {k2: {k2: [[\"e\\\"[\",\n[[{k: {k2: 'multi\n line [', 'k[': [[[[[{k2: {k2: 'q[[', \"k{\": [['multi\n line [', '}]', [{\"k{\": [[{k2: '}]',\nk: plain\n 'cont}, ?'x', a #c\n]]}]], &an b, a:'b]}}, ?'x', \"e\\\"[\"]]]]]}, 'k[': 'q[['}]], x - 'y], \"d{{\", '}]']}, 'k[': '}]', \"k{\": \"e\\\"[\"}}}]}, a:'b]}]]],\n'k[': x - 'y}}, '}]', x - 'y]]]}\n";
    let e = golden::parse(path, text.as_bytes()).unwrap_err();
    assert!(e.message.contains("nested more than"), "{e}");
    // gate: a lone CR put a change's line past the end of the file's lines.
    let text = "\u{feff}cases:\r\r  A:\r\n    message: \"crlf\"\r\n";
    let e = golden::parse(path, text.as_bytes()).unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
}

/// The depth of the deepest collection the YAML parser builds, and its node count.
struct Depth<'a> {
    max: &'a std::cell::Cell<usize>,
    nodes: &'a std::cell::Cell<usize>,
    at: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Depth<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Depth<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("anything")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.node()
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.node()
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.node()
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.node()
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.node()
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.node()
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.node()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.node::<A::Error>()?;
        self.max.set(self.max.get().max(self.at + 1));
        while seq.next_element_seed(self.inner())?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.node::<A::Error>()?;
        self.max.set(self.max.get().max(self.at + 1));
        while map.next_key_seed(self.inner())?.is_some() {
            map.next_value_seed(self.inner())?;
        }
        Ok(())
    }
}

impl Depth<'_> {
    fn node<E>(&self) -> Result<(), E> {
        self.nodes.set(self.nodes.get() + 1);
        Ok(())
    }
    fn inner(&self) -> Self {
        Depth {
            max: self.max,
            nodes: self.nodes,
            at: self.at + 1,
        }
    }
}

/// Differential: every input the nesting pre-scan lets through must reach the YAML
/// parser with flow collections no deeper than `MAX_NESTING` (the parser's time is
/// quadratic in that depth), whatever plain text, quotes, comments and block scalars
/// surround them. The parser's depth counts block collections too: the generator says
/// how many its text may hold.
#[test]
fn prescan() {
    use wire_compat::_support::{too_deep_at, MAX_NESTING};
    let budget = Budget::from_env();
    let (mut execs, mut measured, mut refused) = (0u64, 0u64, 0u64);
    for case_seed in budget.cases(29) {
        let mut rng = Rng(case_seed | 1);
        let (text, block) = wire_compat_fuzz::nesting_input(&mut rng);
        execs += 1;
        if too_deep_at(&text).is_some() {
            refused += 1;
            continue;
        }
        let (max, nodes) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        let de = serde_yaml::Deserializer::from_str(&text);
        let seed = Depth {
            max: &max,
            nodes: &nodes,
            at: 0,
        };
        if serde::de::DeserializeSeed::deserialize(seed, de).is_err() {
            continue; // the parser stopped at an error; no depth to compare
        }
        measured += 1;
        if max.get() > MAX_NESTING + block {
            finding(
                "prescan",
                case_seed,
                text.as_bytes(),
                &format!(
                    "let through a depth of {} (block allowance {block})",
                    max.get()
                ),
            );
        }
        if nodes.get() > 2 * text.len() + 2 {
            finding(
                "prescan",
                case_seed,
                text.as_bytes(),
                "more nodes than bytes",
            );
        }
    }
    say(&format!(
        "fuzz prescan: {execs} inputs ({refused} refused, {measured} let through and parsed \
         within the depth bound), no finding"
    ));
}
