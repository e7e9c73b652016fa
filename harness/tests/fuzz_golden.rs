//! A bounded random-input fuzzer (no nightly, no new dependency) for the three places
//! where untrusted text meets the harness:
//!
//! - `loader`: `golden::parse` on arbitrary bytes and on mutated real goldens must never
//!   panic, must answer in bounded time, must report errors with a sane location and a
//!   fix, and on success the canonical re-render must parse back to the same cases
//!   (and re-render byte-identically, with each case's line pointing at its key);
//! - `writer`: entries with arbitrary ids, field names and values (controls, line
//!   separators, noncharacters, quotes...) rendered canonically must parse back equal:
//!   an approval must never write a golden that does not load;
//! - `gate`: the release gate's classifier (`gate::diff::compare_file`) on pairs of
//!   goldens must never panic, must find nothing between a file and itself, must name
//!   every case that differs and no other, and added/removed must mirror each other.
//!
//! `cargo test` runs each target for a moment (`COMPAT_FUZZ_SECS`, default 1 s each);
//! `ci/fuzz` runs them longer in release mode. A failing input is saved under
//! `target/tmp/fuzz-findings/` and the case to replay is printed (`COMPAT_FUZZ_CASE`);
//! `COMPAT_FUZZ_SEED` starts a run from another seed.

use compat_harness::canonical::render_file;
use compat_harness::case::check_id;
use compat_harness::gate::diff::{compare_file, Change, Golden, Kind};
use compat_harness::golden::{self, GoldenFile};
use compat_harness::{Entry, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: small, deterministic, good enough to drive mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How long each target runs, from which seed, or the one case to replay.
struct Budget {
    secs: f64,
    seed: u64,
    only: Option<u64>,
}

impl Budget {
    fn from_env() -> Budget {
        let var = |k: &str| std::env::var(k).ok();
        Budget {
            secs: var("COMPAT_FUZZ_SECS")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1.0),
            seed: var("COMPAT_FUZZ_SEED")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0x5EED_F00D_601D),
            only: var("COMPAT_FUZZ_CASE").and_then(|s| s.parse().ok()),
        }
    }

    /// The case seeds to run: the replayed one, or new ones until the time is up.
    fn cases(&self, salt: u32) -> impl Iterator<Item = u64> + '_ {
        let mut rng = Rng(self.seed.rotate_left(salt) | 1);
        let start = Instant::now();
        let mut done = false;
        std::iter::from_fn(move || match self.only {
            Some(case) => (!std::mem::replace(&mut done, true)).then_some(case),
            None => (start.elapsed().as_secs_f64() < self.secs).then(|| rng.next()),
        })
    }
}

/// Writes to the real stderr, past libtest's capture, so that counts show in CI logs.
fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// Saves a failing input and panics with how to replay it.
fn finding(target: &str, seed: u64, input: &[u8], what: &str) -> ! {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{target}-{seed:016x}.yaml"));
    let _ = std::fs::write(&file, input);
    let shown: String = String::from_utf8_lossy(input).chars().take(600).collect();
    panic!(
        "fuzz target `{target}` found a bug: {what}\n  input saved to {}\n  replay: \
         COMPAT_FUZZ_CASE={seed} cargo test --test fuzz_golden {target}\n  input (lossy, first \
         600 chars): {shown:?}",
        file.display()
    );
}

/// The seeds: every committed golden, plus small files for each feature of the format.
fn corpus() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../goldens");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "yaml") {
                if let Ok(bytes) = std::fs::read(&p) {
                    out.push(bytes);
                }
            }
        }
    }
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

const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "\"",
    "'",
    "\\",
    "\\u",
    "\\x",
    "\\U0001F600",
    "\\uFFFE",
    "\\uD800",
    "\\N",
    "\\L",
    "\\e",
    "\\0",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "#",
    " #",
    "|",
    ">-",
    "|+",
    "!!str ",
    "!!binary ",
    "!!int ",
    "!foo ",
    "? ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "true",
    "yes",
    "1.5",
    ".inf",
    "0x1F",
    "0o17",
    "-0",
    "1_000",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "retired: \"x\"",
    "<<: *a",
    "\u{feff}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{10ffff}",
    "\u{7f}",
    "é",
    "cases:",
    "  ",
    "    ",
    "message",
    "A",
    "a",
    "../",
    "\0",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(11) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = *rng.pick(b":-\"'\\\n\r\t[]{},&*#|>!? ~0a\xff\xfe\xc3\x80");
            }
            2 => {
                let tok = rng.pick(TOKENS).as_bytes().to_vec();
                input.splice(at..at, tok);
            }
            3 if len > 0 => {
                let end = (at + 1 + rng.below(16)).min(len);
                input.drain(at.min(end)..end);
            }
            4 if len > 0 => {
                let end = (at + 1 + rng.below(32)).min(len);
                let piece = input[at.min(end)..end].to_vec();
                let to = rng.below(input.len() + 1);
                input.splice(to..to, piece);
            }
            5 => {
                // Move a line somewhere else (or repeat it): duplicates, reordering.
                let lines: Vec<&[u8]> = input.split_inclusive(|&b| b == b'\n').collect();
                if lines.len() > 1 {
                    let line = lines[rng.below(lines.len())].to_vec();
                    let mut out: Vec<u8> = Vec::with_capacity(input.len() + line.len());
                    let to = rng.below(lines.len());
                    for (i, l) in lines.iter().enumerate() {
                        if i == to {
                            out.extend_from_slice(&line);
                        }
                        out.extend_from_slice(l);
                    }
                    *input = out;
                }
            }
            6 => {
                let other = rng.pick(corpus);
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let end = (from + 1 + rng.below(64)).min(other.len());
                    let stop = (at + rng.below(64)).min(len);
                    input.splice(at..stop.max(at), other[from..end].iter().copied());
                }
            }
            7 => {
                // Re-indent a line: more, fewer, or a tab.
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        input
                            .iter()
                            .enumerate()
                            .filter(|(_, &b)| b == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .filter(|&i| i < input.len())
                    .collect();
                if !starts.is_empty() {
                    let s = *rng.pick(&starts);
                    match rng.below(3) {
                        0 => drop(
                            input
                                .splice(s..s, rng.pick(&[&b" "[..], b"  ", b"\t"]).iter().copied()),
                        ),
                        _ if input.get(s) == Some(&b' ') => drop(input.remove(s)),
                        _ => {}
                    }
                }
            }
            8 if len > 0 => input.truncate(at),
            9 => {
                let c = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{fffd}');
                let mut buf = [0; 4];
                input.splice(at..at, c.encode_utf8(&mut buf).bytes());
            }
            _ => {
                let n = rng.below(8);
                input.splice(at..at, (0..n).map(|_| rng.next() as u8));
            }
        }
    }
}

/// The checks on one loader input; returns the parsed file when it parsed.
fn check_loader(input: &[u8], seed: u64, max: &mut Duration) -> Option<GoldenFile> {
    let path = Path::new("goldens/fuzz.yaml");
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| golden::parse(path, input)));
    let took = start.elapsed();
    *max = (*max).max(took);
    let result = result.unwrap_or_else(|_| finding("loader", seed, input, "parse panicked"));
    if took > Duration::from_secs(5) {
        finding("loader", seed, input, &format!("parse took {took:?}"));
    }
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
    let (mut execs, mut parsed, mut max) = (0u64, 0u64, Duration::ZERO);
    for seed in &corpus {
        check_loader(seed, 0, &mut max).expect("a seed of the corpus does not parse");
    }
    let start = Instant::now();
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
        if check_loader(&input, case_seed, &mut max).is_some() {
            parsed += 1;
        }
        execs += 1;
    }
    say(&format!(
        "fuzz loader: {execs} inputs in {:.1} s ({parsed} parsed and round-tripped), slowest \
         parse {max:?}, no finding",
        start.elapsed().as_secs_f64()
    ));
}

/// A random string, weighted towards what breaks quoting and line structure.
fn nasty_string(rng: &mut Rng, max: usize) -> String {
    const CHARS: &[char] = &[
        'a',
        'Z',
        '0',
        ' ',
        '"',
        '\'',
        '\\',
        ':',
        '#',
        '-',
        '{',
        '[',
        '&',
        '*',
        '!',
        '|',
        '>',
        '%',
        '@',
        '`',
        '\n',
        '\r',
        '\t',
        '\0',
        '\u{7}',
        '\u{1b}',
        '\u{7f}',
        '\u{85}',
        '\u{a0}',
        'é',
        '\u{2028}',
        '\u{2029}',
        '\u{feff}',
        '\u{fffe}',
        '\u{ffff}',
        '\u{d7ff}',
        '\u{e000}',
        '\u{1f600}',
        '\u{10ffff}',
        '\u{9f}',
        '\u{fdd0}',
        '\u{1fffe}',
    ];
    let n = rng.below(max + 1);
    (0..n)
        .map(|_| {
            if rng.chance(4) {
                char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('x')
            } else {
                *rng.pick(CHARS)
            }
        })
        .collect()
}

fn random_id(rng: &mut Rng) -> String {
    const ID: &[u8] = b"abcXYZ019_.+-";
    loop {
        let n = 1 + rng.below(12);
        let id: String = (0..n).map(|_| *rng.pick(ID) as char).collect();
        if check_id(&id).is_ok() {
            return id;
        }
    }
}

fn random_entry(rng: &mut Rng) -> Entry {
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

#[test]
fn writer() {
    let budget = Budget::from_env();
    let (mut execs, start) = (0u64, Instant::now());
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
        "fuzz writer: {execs} rendered goldens in {:.1} s loaded back equal, no finding",
        start.elapsed().as_secs_f64()
    ));
}

/// A second version of `file`: what a release could do to it.
fn evolve(rng: &mut Rng, file: &GoldenFile) -> BTreeMap<String, Entry> {
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
fn flow_render(cases: &BTreeMap<String, Entry>) -> String {
    use compat_harness::canonical::{push_key, push_value};
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

fn gate_side(shown: &str, text: String) -> Option<Golden> {
    let file = golden::parse(Path::new(shown), text.as_bytes()).ok()?;
    Some(Golden {
        shown: shown.to_owned(),
        text,
        file,
    })
}

fn classify(stem: &str, old: &Golden, new: &Golden) -> Result<Vec<Change>, ()> {
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
    let ids = |cs: &[Change], k: Kind| -> BTreeSet<Option<String>> {
        cs.iter()
            .filter(|c| c.kind == k)
            .map(|c| c.case.clone())
            .collect()
    };
    if ids(&changes, Kind::CaseAdded) != ids(&back, Kind::CaseRemoved)
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
    let (mut execs, mut pairs, start) = (0u64, 0u64, Instant::now());
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
        "fuzz gate: {execs} inputs, {pairs} golden pairs classified in {:.1} s, no finding",
        start.elapsed().as_secs_f64()
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
    // gate: a lone CR put a change's line past the end of the file's lines.
    let text = "\u{feff}cases:\r\r  A:\r\n    message: \"crlf\"\r\n";
    let e = golden::parse(path, text.as_bytes()).unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
}
