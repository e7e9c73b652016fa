//! Every kind of bad golden file is a failing trial with a message a person can act
//! on (the file, the line when there is one, and a fix), never a panic, and never hides
//! the results of the other golden files.
//!
//! Each test builds a goldens folder with two golden files, breaks `alpha.yaml` in
//! one way and keeps `beta.yaml` good, runs the whole suite (writing nothing, plain
//! output) and checks both halves: alpha's trials fail with the expected message and
//! beta's trials still run and pass.

use std::fs;
use std::path::{Path, PathBuf};
use wire_compat::_support::render_file;
use wire_compat::_support::{self as golden, MAX_GOLDEN_BYTES};
use wire_compat::_support::{Approver, Color, Settings, SuiteExt};
use wire_compat::{Case, Catalog, Entry, Suite};

/// The cases of the broken file, `alpha`.
const ALPHA: [(&str, &str); 2] = [("A", "alpha a"), ("B", "alpha b")];
/// The cases of the good file, `beta`, whose trials must keep passing.
const BETA: [(&str, &str); 2] = [("C", "beta c"), ("D", "beta \"d\"\n\ttabbed")];

fn catalog(name: &'static str, cases: &'static [(&'static str, &'static str)]) -> Catalog {
    Catalog::new(name, move || {
        cases
            .iter()
            .map(|(id, m)| Case::message(*id, *m).of_variant(id))
            .collect()
    })
    .variants(&cases.iter().map(|(id, _)| *id).collect::<Vec<_>>())
}

/// The canonical golden text of a list of message cases.
fn canonical(cases: &[(&str, &str)]) -> String {
    let entries: Vec<(String, Entry)> = cases
        .iter()
        .map(|(id, m)| ((*id).to_owned(), Entry::new().with("message", *m)))
        .collect();
    render_file(
        &["test golden".to_owned()],
        entries.iter().map(|(id, e)| (id.as_str(), e)),
    )
}

/// A temporary goldens folder holding a good `beta.yaml`.
fn goldens() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("goldens");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("beta.yaml"), canonical(&BETA)).unwrap();
    (root, dir)
}

fn suite(dir: &Path) -> Suite {
    Suite::new(dir)
        .settings(Settings::from_values(Some("true"), None))
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .shown_dir("goldens")
        .catalog(catalog("alpha", &ALPHA))
        .catalog(catalog("beta", &BETA))
}

/// Runs the suite over `dir` and checks that every trial of `alpha` fails with a
/// report naming the file (at `line`, when given) and a fix, containing `needles`,
/// and that every other trial passes. Returns one of alpha's reports.
fn alpha_fails(dir: &Path, line: Option<usize>, needles: &[&str]) -> String {
    let results = suite(dir).run_all();
    let mut report = None;
    let mut alpha = 0;
    for (name, result) in &results {
        if name.starts_with("alpha::") && name != "alpha::@variants" {
            alpha += 1;
            let msg = result
                .as_ref()
                .expect_err(&format!("{name} passed on a broken golden"));
            let at = match line {
                Some(l) => format!("goldens/alpha.yaml:{l}"),
                None => "goldens/alpha.yaml: ".to_owned(),
            };
            assert!(msg.contains(&at), "{name}: expected `{at}` in:\n{msg}");
            assert!(msg.contains("fix: "), "{name}: no fix in:\n{msg}");
            for needle in needles {
                assert!(
                    msg.contains(needle),
                    "{name}: expected {needle:?} in:\n{msg}"
                );
            }
            assert!(
                !msg.contains(&*dir.to_string_lossy()),
                "{name}: the report shows the machine's path instead of the shown one:\n{msg}"
            );
            report = Some(msg.clone());
        } else {
            assert!(
                result.is_ok(),
                "{name} should still pass next to a broken alpha.yaml: {result:?}"
            );
        }
    }
    assert_eq!(alpha, ALPHA.len(), "alpha's trials: {results:#?}");
    assert!(
        results.iter().any(|(n, _)| n == "beta::C"),
        "beta's trials did not run: {results:#?}"
    );
    report.unwrap()
}

fn write_alpha(dir: &Path, bytes: impl AsRef<[u8]>) {
    fs::write(dir.join("alpha.yaml"), bytes).unwrap();
}

#[test]
fn good_goldens_pass() {
    let (_root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    for (name, result) in suite(&dir).run_all() {
        assert!(result.is_ok(), "{name}: {result:?}");
    }
}

#[test]
fn empty_file() {
    for text in ["", "\n\n  \n", "# only a comment\n#\n"] {
        let (_root, dir) = goldens();
        write_alpha(&dir, text);
        alpha_fails(&dir, None, &["is empty", "`cases:`", "UPDATE_GOLDENS=1"]);
    }
}

#[test]
fn yaml_syntax_error() {
    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "# h\ncases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alpha b\n",
    );
    // Found at the end of the file; the message says where the string began.
    alpha_fails(&dir, Some(7), &["quoted scalar at line 6 column 14"]);

    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n   B: x\n  C: [\n",
    );
    alpha_fails(&dir, Some(4), &[]);
}

#[test]
fn sequence_where_a_scalar_belongs() {
    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message:\n      - \"alpha b\"\n",
    );
    alpha_fails(&dir, Some(6), &["sequence", "cases.B.message"]);
}

#[test]
fn float_value() {
    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n    status: 1.5\n  B:\n    message: \"alpha b\"\n",
    );
    alpha_fails(&dir, Some(4), &["floating point", "cases.A.status"]);
}

#[test]
fn case_that_is_a_scalar() {
    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  B: \"alpha b\"\n",
    );
    alpha_fails(
        &dir,
        Some(4),
        &["cases.B", "expected a mapping of field names"],
    );
}

#[test]
fn cases_that_are_not_a_mapping() {
    for (text, line) in [
        ("cases: 3\n", 1),
        ("cases:\n  - A\n  - B\n", 2),
        ("- cases\n", 1),
        ("\"just a string\"\n", 1),
    ] {
        let (_root, dir) = goldens();
        write_alpha(&dir, text);
        alpha_fails(&dir, Some(line), &["invalid type"]);
    }
}

#[test]
fn unknown_top_level_field() {
    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        format!("{}version: 2\n", canonical(&ALPHA)).replace("cases:", "extra: 1\ncases:"),
    );
    alpha_fails(&dir, Some(2), &["unknown top-level key `extra`"]);
}

#[test]
fn duplicate_case_keys_are_rejected_not_last_one_wins() {
    let (_root, dir) = goldens();
    // The second `A` would silently win in a plain YAML map; it must fail instead,
    // at the line of the second occurrence.
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alpha b\"\n  A:\n    message: \"other\"\n",
    );
    alpha_fails(&dir, Some(6), &["duplicate case `A`"]);
}

#[test]
fn duplicate_field_keys_are_rejected() {
    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alpha b\"\n    message: \"alpha b\"\n",
    );
    alpha_fails(&dir, Some(6), &["duplicate field `message`"]);
}

#[test]
fn duplicate_top_level_cases_key() {
    let (_root, dir) = goldens();
    write_alpha(&dir, format!("{}cases: {{}}\n", canonical(&ALPHA)));
    alpha_fails(&dir, Some(7), &["duplicate key `cases`"]);
}

/// A case listed twice across files. A catalog owns exactly one golden file,
/// `goldens/<name>.yaml`, so "the same case in two files" can only be a second copy of
/// that file under another name (`alpha.yml`, `sub/alpha.yaml`, `Alpha.yaml`) or two
/// catalogs claiming one name. The decision: only `<name>.yaml` directly in the
/// goldens folder is ever read; every other copy is a failing `@file` trial that says
/// it is not read, and a second catalog of the same name is a failing `@catalog` trial
/// (its cases are not checked twice). The real golden's trials are unaffected.
#[test]
fn a_case_listed_twice_across_files() {
    let (_root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    let other = canonical(&[("A", "a different text"), ("B", "alpha b")]);
    fs::write(dir.join("alpha.yml"), &other).unwrap();
    fs::write(dir.join("Alpha.yaml"), &other).unwrap();
    fs::create_dir(dir.join("sub")).unwrap();
    fs::write(dir.join("sub/alpha.yaml"), &other).unwrap();
    let results = suite(&dir).run_all();
    let failing: Vec<(&str, &str)> = results
        .iter()
        .filter_map(|(n, r)| r.as_ref().err().map(|e| (n.as_str(), e.as_str())))
        .collect();
    for (trial, shown) in [
        ("alpha.yml::@file", "goldens/alpha.yml"),
        ("Alpha::@file", "goldens/Alpha.yaml"),
        ("sub::@file", "goldens/sub"),
    ] {
        let msg = failing
            .iter()
            .find(|(n, _)| *n == trial)
            .map(|(_, m)| *m)
            .unwrap_or_else(|| panic!("no failing {trial}: {results:#?}"));
        assert!(msg.contains(shown), "{trial}: {msg}");
    }
    assert_eq!(failing.len(), 3, "only the stray copies fail: {failing:#?}");

    // Two catalogs claiming one golden file.
    let (_root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    let results = suite(&dir).catalog(catalog("alpha", &ALPHA)).run_all();
    let failing: Vec<_> = results.iter().filter(|(_, r)| r.is_err()).collect();
    assert_eq!(failing.len(), 1, "{results:#?}");
    let (name, msg) = failing[0];
    assert_eq!(name, "alpha::@catalog");
    assert!(
        msg.as_ref().unwrap_err().contains("registered twice"),
        "{msg:?}"
    );
    let trials: Vec<&str> = results.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        trials.iter().filter(|n| **n == "alpha::A").count(),
        1,
        "each case is one trial: {trials:?}"
    );
}

#[test]
fn case_ids_that_differ_only_in_letter_case() {
    // `goldens/.pending/alpha/A.yaml` and `.../a.yaml` are one file on macOS and
    // Windows: the two cases would overwrite each other's pending changes.
    let (_root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    let results = suite(&dir)
        .catalog(Catalog::new("gamma", || {
            vec![Case::message("Busy", "x"), Case::message("busy", "y")]
        }))
        .run_all();
    let (_, msg) = results
        .iter()
        .find(|(n, _)| n == "gamma::@catalog")
        .unwrap_or_else(|| panic!("{results:#?}"));
    let msg = msg.as_ref().unwrap_err();
    assert!(msg.contains("`busy`") && msg.contains("`Busy`"), "{msg}");
    // The same in a golden file.
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alpha b\"\n  b: {}\n",
    );
    alpha_fails(
        &dir,
        Some(6),
        &["case `b` differs from case `B` only in letter case"],
    );
}

#[test]
fn non_utf8_bytes_give_line_and_column() {
    let (_root, dir) = goldens();
    let mut bytes = b"cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alp".to_vec();
    bytes.extend_from_slice(b"\xff\xfeha b\"\n");
    write_alpha(&dir, bytes);
    let msg = alpha_fails(&dir, Some(5), &["not valid UTF-8"]);
    assert!(msg.contains("goldens/alpha.yaml:5:18:"), "{msg}");
}

#[test]
fn utf8_bom_is_accepted() {
    let (_root, dir) = goldens();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(canonical(&ALPHA).as_bytes());
    write_alpha(&dir, &bytes);
    for (name, result) in suite(&dir).run_all() {
        assert!(result.is_ok(), "{name}: {result:?}");
    }
    // Errors in a file with a BOM still point at the right line.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(b"cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: 1.5\n");
    write_alpha(&dir, &bytes);
    alpha_fails(&dir, Some(5), &["floating point"]);
}

#[test]
fn crlf_line_endings_are_accepted_and_never_approved_into_a_message() {
    let (_root, dir) = goldens();
    // A Windows checkout: CRLF everywhere, including inside a multi-line quoted string
    // (YAML folds it into a space) and a literal block scalar.
    let crlf = "# h\r\ncases:\r\n  A:\r\n    message: \"alpha\r\n      a\"\r\n  B:\r\n    message: |-\r\n      alpha b\r\n      two\r\n";
    write_alpha(&dir, crlf);
    let file = golden::load(&dir.join("alpha.yaml")).unwrap().unwrap();
    let texts: Vec<String> = file
        .cases
        .iter()
        .map(|c| c.entry.get("message").unwrap().to_string())
        .collect();
    assert_eq!(texts, ["\"alpha a\"", "\"alpha b\\ntwo\""]);
    assert_eq!(file.cases[1].line, 6, "lines count CRLF as one break");

    // Approving a change on top of it writes LF only.
    let change = wire_compat::_support::Change {
        stem: "alpha".into(),
        id: "B".into(),
        old: Some(file.cases[1].entry.clone()),
        new: Some(Entry::new().with("message", "alpha b")),
        header: Vec::new(),
    };
    let outcome = wire_compat::_support::apply(&dir, vec![change]).unwrap();
    assert_eq!(outcome.applied.len(), 1);
    let written = fs::read(dir.join("alpha.yaml")).unwrap();
    assert!(
        !written.contains(&b'\r'),
        "{}",
        String::from_utf8_lossy(&written)
    );
    for (name, result) in suite(&dir).run_all() {
        assert!(result.is_ok(), "{name}: {result:?}");
    }

    // A lone CR (classic Mac OS) is a line break to YAML but not to `git diff` or an
    // editor's line numbers: refused, at the line an editor shows.
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\r  B:\n    message: \"alpha b\"\n",
    );
    let msg = alpha_fails(&dir, Some(3), &["lone CR", "LF (or CRLF) line endings"]);
    assert!(msg.contains("goldens/alpha.yaml:3:23:"), "{msg}");
}

#[test]
fn tabs() {
    // A tab inside a quoted message is text, kept byte for byte (beta's D has one).
    let (_root, dir) = goldens();
    write_alpha(&dir, "cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alpha b\"\n    code: \"\t\"\n");
    let file = golden::load(&dir.join("alpha.yaml")).unwrap().unwrap();
    assert_eq!(
        file.cases[1].entry.get("code").unwrap().to_string(),
        "\"\\t\""
    );
    // A tab used as indentation is a YAML error; the fix says so.
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  B:\n\tmessage: \"alpha b\"\n",
    );
    alpha_fails(&dir, Some(5), &["tab"]);
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let (_root, dir) = goldens();
    // A sparse file: huge on paper, instant to create, and reading it would show.
    let f = fs::File::create(dir.join("alpha.yaml")).unwrap();
    f.set_len(MAX_GOLDEN_BYTES + 1).unwrap();
    drop(f);
    alpha_fails(&dir, None, &["bytes", &MAX_GOLDEN_BYTES.to_string()]);

    // `parse` on its own (pending records, the fuzzer, the gate) has the same limit.
    let big = vec![b' '; MAX_GOLDEN_BYTES as usize + 1];
    let err = golden::parse(Path::new("big.yaml"), &big).unwrap_err();
    assert!(err.message.contains("limited to"), "{err}");
}

/// Asserts that parsing `text` is refused (unprotected, these took seconds to
/// minutes), with `needle` in the message. How long it takes is `ci/bench`'s and
/// `ci/fuzz`'s to measure, not a test's.
fn fails_fast(text: &str, needle: &str) -> golden::LoadError {
    let result = golden::parse(Path::new("alpha.yaml"), text.as_bytes());
    let err = match result {
        Ok(file) => panic!("a pathological golden parsed: {} cases", file.cases.len()),
        Err(e) => e,
    };
    assert!(
        err.to_string().contains(needle),
        "expected {needle:?} in {err}"
    );
    err
}

#[test]
fn deeply_nested_yaml_is_refused_quickly() {
    // Flow collections: libyaml needs time quadratic in their depth (a 1 MB file of
    // `{a: ` takes minutes), so the loader refuses deep nesting before parsing.
    let n = 200_000;
    fails_fast(&"[".repeat(n), "nested");
    fails_fast(&format!("cases: {}", "{a: ".repeat(n)), "nested");
    fails_fast(
        &format!(
            "cases:\n  A:\n    message: {}1{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
        "nested",
    );
    // Brackets inside quoted strings, comments and block scalars are text, not nesting.
    let deep = "[{".repeat(1000);
    let text = format!(
        "# {deep}\ncases:\n  A:\n    message: \"{deep}\"\n  B:\n    message: '{deep}'\n  C:\n    message: |\n      {deep}\n  D:\n    message: plain{deep}\n"
    );
    let file = golden::parse(Path::new("alpha.yaml"), text.as_bytes()).unwrap();
    assert_eq!(file.cases.len(), 4);
    // Block nesting: refused by the type check at the first level too deep.
    let mut block = String::from("cases:\n");
    for i in 1..2000 {
        block.push_str(&" ".repeat(i));
        block.push_str("a:\n");
    }
    fails_fast(&block, "invalid type");

    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        format!(
            "cases:\n  A:\n    message: \"alpha a\"\n  B: {}\n",
            "{b: ".repeat(n)
        ),
    );
    alpha_fails(&dir, Some(4), &["nested more than"]);
}

/// `? ` (a complex key) nested on one line cost the YAML parser about 200 bytes per
/// byte before any type check ran (2 MiB took 417 MB), and `- ` 150 (316 MB): a golden's
/// keys are plain names, so `?` is refused at its line with a fix, and block
/// collections opened on one line count towards the nesting limit like brackets.
#[test]
fn complex_keys_are_refused_at_their_line() {
    let e = fails_fast("cases:\n  ? A\n  : {message: \"x\"}\n", "complex key");
    assert_eq!((e.line, e.column), (Some(2), Some(3)), "{e}");
    assert!(e.hint.contains("`Case:`"), "{e}");
    // In a flow mapping too, and wherever the parser would read it as one.
    let e = fails_fast("cases: {? A: {}}\n", "complex key");
    assert_eq!((e.line, e.column), (Some(1), Some(9)), "{e}");
    // The adversary's shape: nested on one line, refused before the parser runs.
    let e = fails_fast(&"? ".repeat(1 << 20), "nested more than");
    assert_eq!(e.line, Some(1), "{e}");
    // A `?` inside a plain, quoted or block scalar, or a comment, is text.
    let text = "# ? c\ncases:\n  A:\n    message: \"? x\"\n  B:\n    message: a ? b\n  C:\n    message: |\n      ? y\n";
    let file = golden::parse(Path::new("alpha.yaml"), text.as_bytes()).unwrap();
    assert_eq!(file.cases.len(), 3);

    let (_root, dir) = goldens();
    write_alpha(
        &dir,
        "cases:\n  A:\n    message: \"alpha a\"\n  ? B\n  : {}\n",
    );
    alpha_fails(&dir, Some(4), &["complex key"]);
}

#[test]
fn block_collections_nested_on_one_line_count_as_nesting() {
    let e = fails_fast(&"- ".repeat(1 << 20), "nested more than");
    assert_eq!(e.line, Some(1), "{e}");
    let e = fails_fast(
        &format!("variants:\n  {}a\n", "- ".repeat(40)),
        "nested more than",
    );
    assert_eq!(e.line, Some(2), "{e}");
    // Flow brackets after them add up: 20 `- ` and 20 `[` are 40 levels.
    let text = format!("{}{}{}", "- ".repeat(20), "[".repeat(20), "]".repeat(20));
    fails_fast(&text, "nested more than");
    // A sequence per line, as `variants:` holds it, is one level (unquoted names:
    // not canonical, so the parser and its pre-scan read them).
    let mut text = String::from("format: 2\nvariants:\n");
    for i in 0..100 {
        text.push_str(&format!("  - V{i}\n"));
    }
    text.push_str("cases:\n  A: {}\n");
    let file = golden::parse(Path::new("alpha.yaml"), text.as_bytes()).unwrap();
    assert_eq!(file.declared.variants.len(), 100);
}

#[test]
fn alias_bomb_is_refused_quickly() {
    // "Billion laughs" through the only place a golden can nest: entries. Each alias
    // copies an entry of many fields; the loader budgets what a file may expand to.
    let fields: String = (0..3000).map(|i| format!("f{i}: 1, ")).collect();
    let mut text = format!("cases:\n  a: &e {{{fields}}}\n");
    for i in 0..3000 {
        text.push_str(&format!("  b{i}: *e\n"));
    }
    let err = fails_fast(&text, "expands");
    assert!(err.line.is_some(), "{err}");

    // The classic one: nested sequences of aliases, refused at the first sequence.
    let mut laughs = String::from("cases:\n  A:\n    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, c) in ('a'..='i').zip('b'..='j') {
        let refs = format!("*{prev},").repeat(9);
        laughs.push_str(&format!("    {c}: &{c} [{refs}]\n"));
    }
    fails_fast(&laughs, "sequence");

    // One big message repeated by aliases: a byte budget, not only a count.
    let big = "x".repeat(1 << 20);
    let mut text = format!("cases:\n  a: &e {{message: \"{big}\"}}\n");
    for i in 0..2000 {
        text.push_str(&format!("  b{i}: *e\n"));
    }
    fails_fast(&text, "expands");

    // A few small aliases are harmless and allowed.
    let text = "cases:\n  A: &e {message: \"alpha a\"}\n  B: *e\n";
    let file = golden::parse(Path::new("alpha.yaml"), text.as_bytes()).unwrap();
    assert_eq!(file.cases[0].entry, file.cases[1].entry);

    let (_root, dir) = goldens();
    let mut bomb =
        String::from("cases:\n  A: &e {message: \"alpha a\"}\n  B:\n    message: \"alpha b\"\n");
    bomb.push_str(&format!("  Z: &z {{{fields}}}\n"));
    for i in 0..3000 {
        bomb.push_str(&format!("  z{i}: *z\n"));
    }
    write_alpha(&dir, bomb);
    alpha_fails(&dir, Some(5), &["expands", "cases.z"]);
}

#[test]
fn symlink_loop_is_refused() {
    let (_root, dir) = goldens();
    std::os::unix::fs::symlink("alpha.yaml", dir.join("alpha.yaml")).unwrap();
    alpha_fails(&dir, None, &["is a symbolic link"]);
    // A loop through a link outside the folder (which the folder check does not see).
    let (root, dir) = goldens();
    std::os::unix::fs::symlink(root.path().join("loop"), dir.join("alpha.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.join("alpha.yaml"), root.path().join("loop")).unwrap();
    alpha_fails(&dir, None, &["is a symbolic link"]);
}

#[test]
fn symlink_pointing_outside_the_goldens_folder_is_refused() {
    // Golden files are never symlinks: a link could make the suite read (and an
    // approval replace) a file anywhere, and a reviewer would not see the target.
    let (root, dir) = goldens();
    let outside = root.path().join("outside.yaml");
    fs::write(&outside, canonical(&ALPHA)).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("alpha.yaml")).unwrap();
    alpha_fails(&dir, None, &["symbolic link", "regular file"]);
    // An approval refuses it too, and leaves both the link and its target alone.
    let change = wire_compat::_support::Change {
        stem: "alpha".into(),
        id: "A".into(),
        old: Some(Entry::new().with("message", "alpha a")),
        new: Some(Entry::new().with("message", "changed")),
        header: Vec::new(),
    };
    let err = wire_compat::_support::apply(&dir, vec![change]).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(fs::symlink_metadata(dir.join("alpha.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&outside).unwrap(), canonical(&ALPHA));
}

#[test]
fn directory_where_a_file_is_expected() {
    let (_root, dir) = goldens();
    fs::create_dir(dir.join("alpha.yaml")).unwrap();
    alpha_fails(&dir, None, &["not a regular file"]);
}

#[test]
#[cfg_attr(not(has_tool = "mkfifo"), ignore = "needs mkfifo")]
fn fifo_where_a_file_is_expected_does_not_hang() {
    let (_root, dir) = goldens();
    let ok = std::process::Command::new("mkfifo")
        .arg(dir.join("alpha.yaml"))
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        crate::support::missing_tool("fifo_where_a_file_is_expected_does_not_hang", "mkfifo");
    }
    alpha_fails(&dir, None, &["not a regular file"]);
}

/// Whether this process runs as root (where permission bits do not stop reads).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// Set (to a goldens folder) when this test binary is re-run as an unprivileged user
/// by [`unreadable_file`]; the probe test below then does the actual check.
const PROBE_ENV: &str = "COMPAT_UNREADABLE_PROBE_DIR";

#[test]
#[cfg_attr(not(has_tool = "setpriv"), ignore = "needs setpriv to drop root")]
fn unreadable_file() {
    let (root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir.join("alpha.yaml"), fs::Permissions::from_mode(0o000)).unwrap();
    if !is_root() {
        alpha_fails(&dir, None, &["cannot read", "permission"]);
        return;
    }
    // Root reads any file whatever its mode: re-run this test binary as `nobody`,
    // for whom mode 000 means unreadable.
    for d in [root.path(), dir.as_path()] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(dir.join("beta.yaml"), fs::Permissions::from_mode(0o644)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "bad_goldens::unreadable_file_probe",
            "--nocapture",
        ])
        .env(PROBE_ENV, &dir)
        .output();
    match out {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && stdout.contains("PROBE RAN"),
                "the probe failed as user nobody:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Err(e) => crate::support::missing_tool("unreadable_file", &format!("setpriv ({e})")),
    }
}

/// The half of [`unreadable_file`] that runs as user `nobody`; does nothing when run
/// directly (the variable is unset).
#[test]
fn unreadable_file_probe() {
    let Some(dir) = std::env::var_os(PROBE_ENV) else {
        return;
    };
    let dir = PathBuf::from(dir);
    assert!(
        fs::read(dir.join("alpha.yaml")).is_err(),
        "the file is readable"
    );
    alpha_fails(&dir, None, &["cannot read", "ermission denied"]);
    println!("PROBE RAN");
}

#[test]
fn case_id_escaping_the_goldens_folder_in_a_golden_key() {
    for (key, line) in [
        ("\"../escape\"", 4),
        ("\"a/../../b\"", 4),
        ("\"/etc/passwd\"", 4),
        ("\"a\\0b\"", 4),
        ("\".pending\"", 4),
        ("\"\"", 4),
    ] {
        let (_root, dir) = goldens();
        write_alpha(
            &dir,
            format!("cases:\n  A:\n    message: \"alpha a\"\n  {key}:\n    message: \"x\"\n  B:\n    message: \"alpha b\"\n"),
        );
        alpha_fails(&dir, Some(line), &["case id", "rename"]);
    }
}

#[test]
fn case_id_escaping_the_goldens_folder_from_a_catalog() {
    // In the default write mode, so that a pending change would be written if the
    // id got through; nothing may appear outside the goldens folder.
    let (root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    let bad = ["../escape", "/tmp/abs", "a\0b", "sub/x", ".pending", "a\\b"];
    let results = Suite::new(&dir)
        .settings(Settings::from_values(None, None))
        .color(Color::Off)
        .approver(Approver::Tool("cargo wire-compat".into()))
        .shown_dir("goldens")
        .catalog(catalog("alpha", &ALPHA))
        .catalog(catalog("beta", &BETA))
        .catalog(Catalog::new("gamma", move || {
            let mut cases: Vec<Case> = bad.iter().map(|id| Case::message(*id, "evil")).collect();
            cases.push(Case::message("Fine", "fine"));
            cases
        }))
        .run_all();
    let (_, msg) = results
        .iter()
        .find(|(n, _)| n == "gamma::@catalog")
        .unwrap_or_else(|| panic!("{results:#?}"));
    let msg = msg.as_ref().unwrap_err();
    for id in bad {
        assert!(
            msg.contains(&format!("{id:?}")),
            "{id:?} not reported: {msg}"
        );
    }
    assert!(msg.contains("fix the sample labels"), "{msg}");
    for (name, result) in &results {
        if name.starts_with("alpha::") || name.starts_with("beta::") {
            assert!(result.is_ok(), "{name}: {result:?}");
        }
        assert!(!name.contains(".."), "a trial named {name}");
    }
    // The good case of gamma still ran (as a new, unapproved case).
    assert!(results
        .iter()
        .any(|(n, r)| n == "gamma::Fine" && r.is_err()));
    assert!(!root.path().join("escape.yaml").exists());
    assert!(!dir.join(".pending/escape.yaml").exists());
    let mut written: Vec<String> = crate::support::files_under(root.path())
        .into_keys()
        .map(|p| {
            p.strip_prefix(root.path())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "goldens/.pending/gamma/Fine.yaml",
            "goldens/alpha.yaml",
            "goldens/beta.yaml"
        ],
        "files under the temporary folder"
    );
}

#[test]
fn a_panicking_catalog_fails_its_own_trial_only() {
    let (_root, dir) = goldens();
    write_alpha(&dir, canonical(&ALPHA));
    let results = suite(&dir)
        .catalog(Catalog::new("gamma", || panic!("sample renderer bug")))
        .run_all();
    let (_, msg) = results
        .iter()
        .find(|(n, _)| n == "gamma::@catalog")
        .unwrap_or_else(|| panic!("{results:#?}"));
    assert!(
        msg.as_ref().unwrap_err().contains("sample renderer bug"),
        "{msg:?}"
    );
    for (name, result) in &results {
        if name != "gamma::@catalog" {
            assert!(result.is_ok(), "{name}: {result:?}");
        }
    }
}

#[test]
fn every_bad_golden_at_once_still_reports_the_good_file() {
    // All the bad inputs above, one after another in the same folder, through
    // `golden::load` directly: none panics, each is an error naming the file.
    let (_root, dir) = goldens();
    let inputs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"cases: [".to_vec(),
        b"cases:\n  A: 1.5\n".to_vec(),
        b"cases:\n  A:\n    m: [1]\n".to_vec(),
        b"x: 1\n".to_vec(),
        b"cases:\n  A: {}\n  A: {}\n".to_vec(),
        b"cases:\n  A: {m: 1, m: 2}\n".to_vec(),
        b"cases:\n  A: {m: \"\xff\"}\n".to_vec(),
        b"cases:\n\tA: {}\n".to_vec(),
        b"cases:\n  \"../x\": {}\n".to_vec(),
        "[".repeat(100_000).into_bytes(),
        b"cases:\n  A: *nope\n".to_vec(),
        b"cases:\n  A: !!binary aGVsbG8=\n".to_vec(),
        b"cases:\n  A: {m: 99999999999999999999}\n".to_vec(),
        b"--- \ncases: {}\n--- \ncases: {}\n".to_vec(),
    ];
    for bytes in &inputs {
        write_alpha(&dir, bytes);
        let err = golden::load(&dir.join("alpha.yaml")).expect_err(&String::from_utf8_lossy(bytes));
        assert!(err.path.ends_with("alpha.yaml"));
        assert!(!err.hint.is_empty(), "{err}");
        let results = suite(&dir).run_all();
        assert!(results
            .iter()
            .filter(|(n, _)| n.starts_with("beta::"))
            .all(|(_, r)| r.is_ok()));
    }
}

#[test]
fn raw_unicode_line_separators() {
    // YAML reads a raw NEL, LS or PS as a line break: inside a message it would fold
    // into a space, and every line number after it would disagree with the editor.
    for (c, escape) in [('\u{85}', "\\N"), ('\u{2028}', "\\L"), ('\u{2029}', "\\P")] {
        let (_root, dir) = goldens();
        write_alpha(
            &dir,
            format!("# a{c}b\ncases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"alpha{c}b\"\n"),
        );
        let msg = alpha_fails(&dir, Some(1), &[&format!("U+{:04X}", c as u32), escape]);
        assert!(msg.contains("goldens/alpha.yaml:1:4:"), "{msg}");
        // Escaped, it is an ordinary character of a message.
        write_alpha(
            &dir,
            format!("cases:\n  A:\n    message: \"alpha a\"\n  B:\n    message: \"x{escape}y\"\n"),
        );
        let file = golden::load(&dir.join("alpha.yaml")).unwrap().unwrap();
        let got = file.cases[1].entry.get("message").unwrap();
        assert_eq!(got, &wire_compat::Value::Str(format!("x{c}y")));
    }
}

/// The YAML parser holds every event of a file first (up to 111 bytes of memory per
/// byte: 32 MiB of `{a,a,...}` took 6.6 GB), so text the canonical fast path does not
/// take is refused past `MAX_YAML_BYTES`, before the parser sees it. Canonical text
/// of that size still loads.
#[test]
fn non_canonical_golden_over_the_parser_limit_is_refused() {
    use wire_compat::_support::MAX_YAML_BYTES;
    let hostile = format!("cases: {{{}}}\n", "a,".repeat(MAX_YAML_BYTES / 2));
    let e = fails_fast(&hostile, "not in canonical form");
    assert!(e.hint.contains("git checkout"), "{e}");
    let mut canonical = String::from("cases:\n");
    let mut i = 0;
    while canonical.len() <= MAX_YAML_BYTES {
        canonical.push_str(&format!("  A{i}:\n    message: \"m\"\n"));
        i += 1;
    }
    let file = golden::parse(Path::new("alpha.yaml"), canonical.as_bytes()).unwrap();
    assert_eq!(file.cases.len(), i);
}
