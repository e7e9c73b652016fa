//! The generic half of the fuzz targets' input generators: a replayable PRNG, a
//! budget of cases, byte mutations and hostile strings. The half that builds golden
//! entries with the runtime's types lives in the fuzz package (`harness/fuzz`), so that
//! this package does not depend on the runtime (whose tests depend on this package).

use std::io::Write as _;
use std::path::PathBuf;

/// A small deterministic PRNG (xorshift64*): fuzzers and fault injection replay a
/// failure from its seed.
pub struct Rng(pub u64);

impl Rng {
    /// Seeded from `var` when set (to replay a run), else from `default`.
    pub fn from_env(var: &str, default: u64) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default);
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True once in `one_in` draws.
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Writes to the real stderr, past libtest's capture: what a test could not check
/// on this machine, and the counts of fuzzers, show in the output of a passing run.
pub fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// How many cases each target runs, from which seed, or the one case to replay.
///
/// A count, not a time budget: the same run does the same work on a quiet machine
/// and a loaded one. `cargo test` runs `COMPAT_FUZZ_CASES` (default 2,000) per
/// target; `ci/fuzz` runs many more in release mode.
pub struct Budget {
    count: u64,
    seed: u64,
    only: Option<u64>,
}

impl Budget {
    /// Reads `COMPAT_FUZZ_CASES`, `COMPAT_FUZZ_SEED` and `COMPAT_FUZZ_CASE`.
    pub fn from_env() -> Budget {
        let var = |k: &str| std::env::var(k).ok();
        Budget {
            count: var("COMPAT_FUZZ_CASES")
                .and_then(|s| s.parse().ok())
                .unwrap_or(2_000),
            seed: var("COMPAT_FUZZ_SEED")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0x5EED_F00D_601D),
            only: var("COMPAT_FUZZ_CASE").and_then(|s| s.parse().ok()),
        }
    }

    /// The case seeds to run: the replayed one, or `count` new ones.
    pub fn cases(&self, salt: u32) -> impl Iterator<Item = u64> + '_ {
        let mut rng = Rng(self.seed.rotate_left(salt) | 1);
        let n = if self.only.is_some() { 1 } else { self.count };
        (0..n).map(move |_| self.only.unwrap_or_else(|| rng.next()))
    }
}

/// Saves a failing input and panics with how to replay it.
pub fn finding(target: &str, seed: u64, input: &[u8], what: &str) -> ! {
    let dir = option_env!("CARGO_TARGET_TMPDIR")
        .map_or_else(std::env::temp_dir, PathBuf::from)
        .join("fuzz-findings");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{target}-{seed:016x}.yaml"));
    let _ = std::fs::write(&file, input);
    let shown: String = String::from_utf8_lossy(input).chars().take(600).collect();
    panic!(
        "fuzz target `{target}` found a bug: {what}\n  input saved to {}\n  replay: \
         COMPAT_FUZZ_CASE={seed} with the `{target}` fuzz test (see ci/fuzz)\n  input (lossy, first \
         600 chars): {shown:?}",
        file.display()
    );
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

pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
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

/// A random string, weighted towards what breaks quoting and line structure.
pub fn nasty_string(rng: &mut Rng, max: usize) -> String {
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

/// Text around deep flow nesting, built to find where the loader's nesting pre-scan
/// and YAML's tokenizer disagree on what is structure: plain scalars holding quotes
/// and indicators (`a:'b`, `x - 'y`), plain scalars continued on the next line,
/// quoted strings full of brackets, comments, block scalars and anchors. Mostly
/// well-formed, so that the parser reports the depth it really reached. Returns the
/// text and how many block (indentation) levels it may hold besides the flow ones.
pub fn nesting_input(rng: &mut Rng) -> (String, usize) {
    // Each prefix with the block levels above the flow node that follows it.
    const PREFIXES: &[(&str, usize)] = &[
        ("", 0),
        ("cases:\n  A: ", 2),
        ("k: a\n  'x\ny: ", 1),
        ("- ", 1),
        ("- k: ", 2),
        ("k: |\n      t\n  ", 1),
        ("k: >\n  t [[\nm: ", 1),
        ("\"q\": ", 1),
        ("x: 'y\n  [[[ z'\nw: ", 1),
        ("# c [[[\n? ", 1),
        ("k: a #'\nm: ", 1),
        ("k: a -\n  'b\nm: ", 1),
        ("k: x - 'y\nm: ", 1),
        ("--- ", 0),
    ];
    let (prefix, mut levels) = *rng.pick(PREFIXES);
    let mut out = prefix.to_owned();
    let depth = 30 + rng.below(12);
    flow_node(rng, &mut out, depth);
    out.push('\n');
    // `[?'x']` is a one-pair mapping inside the sequence: a level of the parser's
    // tree that is no bracket (and no cost to the tokenizer), at most one deep.
    if out[prefix.len()..].contains('?') {
        levels += 1;
    }
    if rng.chance(3) {
        let mut bytes = out.into_bytes();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len() + 1);
            bytes.insert(at, *rng.pick(b"'\":-#?[]{}, \n"));
            levels += 2;
        }
        out = String::from_utf8_lossy(&bytes).into_owned();
    }
    (out, levels)
}

/// One flow collection `levels` deep: a few scalars around the next level down, as
/// sequence items or mapping values.
fn flow_node(rng: &mut Rng, out: &mut String, levels: usize) {
    const SCALARS: &[&str] = &[
        "a",
        "a:'b",
        "x - 'y",
        "'q[['",
        "\"d{{\"",
        "'it''s ['",
        "\"e\\\"[\"",
        "&an b",
        "a #c\n",
        "'multi\n line ['",
        "plain\n 'cont",
        "?'x'",
        "-'x",
        "'}]'",
    ];
    if levels == 0 {
        out.push_str(pick_str(rng, SCALARS));
        return;
    }
    let map = rng.chance(2);
    out.push(if map { '{' } else { '[' });
    let items = 1 + rng.below(3);
    let nested = rng.below(items);
    for item in 0..items {
        if map {
            out.push_str(pick_str(rng, &["k", "'k['", "\"k{\"", "k2"]));
            out.push_str(": ");
        }
        if item == nested {
            flow_node(rng, out, levels - 1);
        } else {
            out.push_str(pick_str(rng, SCALARS));
        }
        if item + 1 < items {
            out.push_str(if rng.chance(4) { ",\n" } else { ", " });
        }
    }
    out.push(if map { '}' } else { ']' });
}

fn pick_str<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from[rng.below(from.len())]
}
