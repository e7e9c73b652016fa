//! Building a suite's checks: one per case (libtest's way) or one per golden file
//! (process-per-test runners), and, per catalog, the steps from its golden file and
//! rendered cases to one check per case; plus the folder's files no catalog owns.

use super::case::{check_case, Check, CheckFn, FileCtx, Standing};
use super::file_checks::{coverage_check, golden_only_check, orphans_check, CodeIndex};
use super::Suite;
use crate::catalog::Case;
use crate::catalog::Catalog;
use crate::golden::{self, LoadError};
use crate::id::{check_id, check_stem};
use crate::recorder::Recorder;
use crate::recorder::MAX_REPORTS_PER_FILE;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

impl Suite {
    /// Builds one check per case (libtest's way), reading only the golden of `only`
    /// when given (and it names a catalog), else every golden and the folder itself
    /// (for orphan files).
    pub(crate) fn checks(&self, only: Option<&str>, recorder: &Arc<Recorder>) -> Vec<Check> {
        let mut checks = self.settings_checks();
        let selected: Vec<&Catalog> = match only {
            Some(stem) if self.catalogs.iter().any(|c| c.name == stem) => {
                self.catalogs.iter().filter(|c| c.name == stem).collect()
            }
            _ => self.catalogs.iter().collect(),
        };
        let full = selected.len() == self.catalogs.len();
        checks.extend(self.case_checks(selected, recorder));
        if full {
            self.orphan_file_checks(&mut checks);
        }
        checks
    }

    /// One check per golden file, `<file>.yaml`, and one for the folder, `@goldens`
    /// (files no catalog owns): what a process-per-test runner lists. Building them
    /// renders no catalog and reads no golden, so listing costs nothing; each check
    /// renders its catalog when it runs and checks every case in it.
    pub(crate) fn file_checks(self: Arc<Self>, recorder: &Arc<Recorder>) -> Vec<Check> {
        let mut checks = self.settings_checks();
        let mut listed = HashSet::new();
        for catalog in &self.catalogs {
            if !listed.insert(catalog.name.as_str()) {
                continue;
            }
            let (suite, recorder) = (Arc::clone(&self), Arc::clone(recorder));
            let stem = catalog.name.clone();
            checks.push(Check {
                name: format!("{stem}.yaml"),
                run: Box::new(move || {
                    let catalogs = suite.catalogs.iter().filter(|c| c.name == stem).collect();
                    let checks = suite.case_checks(catalogs, &recorder);
                    all_of(&format!("{}/{stem}.yaml", suite.shown_dir), checks)
                }),
            });
        }
        let suite = Arc::clone(&self);
        checks.push(Check {
            name: "@goldens".into(),
            run: Box::new(move || {
                let mut checks = Vec::new();
                suite.orphan_file_checks(&mut checks);
                all_of(&suite.shown_dir, checks)
            }),
        });
        checks
    }

    /// The checks that fail a run whose environment is wrong, before any case.
    fn settings_checks(&self) -> Vec<Check> {
        let problems = [
            ("UPDATE_GOLDENS", &self.settings.problem),
            (crate::env::TRIALS_VARIABLE, &self.trials.1),
        ];
        problems
            .into_iter()
            .filter_map(|(name, problem)| {
                Some(fail(format!("@settings::{name}"), problem.clone()?))
            })
            .collect()
    }

    /// The checks of the cases of `selected`, each catalog once: a second catalog of
    /// one name is reported instead of checked.
    fn case_checks(&self, selected: Vec<&Catalog>, recorder: &Arc<Recorder>) -> Vec<Check> {
        let mut checks = Vec::new();
        let mut registered = HashSet::new();
        // Each catalog, or the failure standing in for a second one of the same name.
        let slots: Vec<Result<&Catalog, Check>> = selected
            .into_iter()
            .map(|catalog| {
                // A second catalog of one name would check the same golden twice, under
                // the same trial names: report it instead of guessing which one is meant.
                if registered.insert(catalog.name.as_str()) {
                    return Ok(catalog);
                }
                Err(fail(
                    format!("{}::@catalog", catalog.name),
                    format!(
                        "catalog `{0}` is registered twice in the suite; both would check \
                         {1}/{0}.yaml. Register it once (the second one is not checked).",
                        catalog.name, self.shown_dir
                    ),
                ))
            })
            .collect();
        let catalogs: Vec<&Catalog> = slots
            .iter()
            .filter_map(|s| s.as_ref().ok())
            .copied()
            .collect();
        let mut built = self.build_catalogs(&catalogs, recorder).into_iter();
        for slot in slots {
            match slot {
                Ok(_) => checks.extend(built.next().unwrap_or_default()),
                Err(duplicate) => checks.push(duplicate),
            }
        }
        checks
    }

    /// The checks of each catalog, in the catalogs' order. Catalogs are independent
    /// (each reads its own golden and renders its own samples), so they are built on
    /// as many threads as there are cores: on two cores this halves the setup of a
    /// 100,000-case suite, which is most of its run time.
    fn build_catalogs(&self, catalogs: &[&Catalog], recorder: &Arc<Recorder>) -> Vec<Vec<Check>> {
        let build = |catalog: &Catalog| {
            let mut checks = Vec::new();
            self.catalog_checks(catalog, recorder, &mut checks);
            checks
        };
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(catalogs.len());
        if workers <= 1 {
            return catalogs.iter().map(|c| build(c)).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let built: Vec<std::sync::Mutex<Vec<Check>>> =
            catalogs.iter().map(|_| Default::default()).collect();
        let work = || loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(catalog) = catalogs.get(i) else {
                break;
            };
            let checks = build(catalog);
            *built[i].lock().unwrap_or_else(|e| e.into_inner()) = checks;
        };
        std::thread::scope(|scope| {
            for _ in 1..workers {
                scope.spawn(work);
            }
            work();
        });
        built
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect()
    }

    /// The checks of one catalog, in the order a newcomer reads them: its golden file,
    /// its rendered cases, the usable ones, how each stands against the golden
    /// (decided here, once), then one check per case.
    fn catalog_checks(&self, catalog: &Catalog, recorder: &Arc<Recorder>, checks: &mut Vec<Check>) {
        let stem = catalog.name.as_str();
        if let Err(why) = check_stem(stem) {
            checks.push(fail(format!("{stem}::@catalog"), why));
            return;
        }
        let ctx = Arc::new(self.golden_file(catalog, recorder));
        let cases = match rendered(catalog) {
            Ok(cases) => cases,
            Err(failure) => return checks.push(failure),
        };
        let cases = usable(stem, cases, checks);
        if let Some(variants) = &catalog.variants {
            checks.push(coverage_check(stem, variants, &cases));
        }
        checks.extend(super::declared::check(
            &ctx,
            super::declared::of_catalog(catalog),
        ));
        let standings = standings(&ctx, &cases, checks);
        // A passing case has nothing left to do at run time unless a stale pending
        // record of it may need removing.
        let has_pending = recorder.has_pending(stem);
        checks.reserve(cases.len());
        for (case, standing) in cases.into_iter().zip(standings) {
            checks.push(case_check(&ctx, case, standing, has_pending));
        }
    }

    /// Step 1: the catalog's golden file, loaded (or why it cannot be), and what its
    /// trials share.
    fn golden_file(&self, catalog: &Catalog, recorder: &Arc<Recorder>) -> FileCtx {
        let stem = &catalog.name;
        let path = self.dir.join(format!("{stem}.yaml"));
        let shown_path = format!("{}/{stem}.yaml", self.shown_dir);
        // Errors name the file as every other report does (`goldens/x.yaml:12`).
        let golden = golden::load(&path).map_err(|e| LoadError {
            path: PathBuf::from(&shown_path),
            ..e
        });
        let mut header = catalog.about.clone();
        if !header.is_empty() {
            header.push(String::new());
        }
        header.extend(golden::APPROVAL_LINES.iter().map(|l| (*l).to_owned()));
        FileCtx {
            shown_path,
            stem: stem.clone(),
            approve: self.report_approver(),
            color: self.color,
            golden,
            recorder: Arc::clone(recorder),
            header,
            unrecorded: self.unrecorded(),
        }
    }

    fn orphan_file_checks(&self, checks: &mut Vec<Check>) {
        let known: HashSet<String> = self
            .catalogs
            .iter()
            .map(|c| format!("{}.yaml", c.name))
            .collect();
        let walker = walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name()
            .follow_links(false);
        for entry in walker.into_iter().flatten() {
            // Names are shown escaped (see `escape_name`): a line break or a byte that
            // is not UTF-8 must neither break `--list` nor merge two entries into one trial.
            let name = escape_name(entry.file_name());
            if name.starts_with('.') || name.ends_with(".md") || known.contains(&name) {
                continue;
            }
            let shown = format!("{}/{name}", self.shown_dir);
            let stem = name.strip_suffix(".yaml").unwrap_or(&name).to_owned();
            let msg = if name.ends_with(".yaml") {
                format!(
                    "orphan golden file: {shown} belongs to no catalog (a removed or renamed type?).\n\
                     If the type is gone on purpose, delete the file (`git rm -- {}`); removing a \
                     wire type is a breaking change.\nOtherwise register its catalog in the suite.",
                    crate::approver::shell_quote(
                        std::path::Path::new(&self.shown_dir).join(entry.file_name())
                    )
                )
            } else {
                format!(
                    "unexpected entry in the goldens folder: {shown}\n\
                     The goldens folder holds only `<type>.yaml` files (and README.md); move or delete it."
                )
            };
            checks.push(fail(format!("{stem}::@file"), msg));
        }
    }
}

/// Runs `checks` one after another as one trial (a golden file's, or the folder's):
/// passes when all pass, else fails with every failing check's own report, under
/// its own name, so each drifted case keeps its diff, location and approve command.
fn all_of(shown: &str, checks: Vec<Check>) -> Result<(), String> {
    let total = checks.len();
    let failed: Vec<(String, String)> = checks
        .into_iter()
        .filter_map(|c| (c.run)().err().map(|report| (c.name, report)))
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let mut out = format!(
        "{} of {total} checks of {shown} failed; each is reported below under its own \
         name, and its command approves that case alone.\n",
        failed.len()
    );
    for (name, report) in failed {
        out.push_str(&format!("\n---- {name} ----\n{report}"));
    }
    Err(out)
}

/// Step 2: the catalog's cases, rendered now. A panic in a catalog's sample code
/// fails that catalog's trial; it must not abort building the checks and hide every
/// other file's results.
fn rendered(catalog: &Catalog) -> Result<Vec<Case>, Check> {
    let stem = &catalog.name;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| catalog.cases())).map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        fail(
            format!("{stem}::@catalog"),
            format!(
                "the catalog of {stem} panicked while rendering its samples: {why}\n\
                 None of its cases was checked. Fix the sample code next to the type \
                 (RUST_BACKTRACE=1 shows where it panicked)."
            ),
        )
    })
}

/// Step 3: the cases that can be checked: a valid id, produced once, not differing
/// from another only in letter case (their pending files would be one file on macOS
/// and Windows). The others fail one `@catalog` check together.
fn usable(stem: &str, mut cases: Vec<Case>, checks: &mut Vec<Check>) -> Vec<Case> {
    let mut problems = Vec::new();
    // The ids kept so far, by their letter-case-folded form (borrowed: a suite of
    // 100,000 cases would otherwise copy every id twice).
    let mut kept: HashMap<Folded, &str> = HashMap::with_capacity(cases.len());
    let keep: Vec<bool> = cases
        .iter()
        .map(|c| {
            if let Err(why) = check_id(&c.id) {
                problems.push(why);
                return false;
            }
            match kept.get(&Folded(&c.id)) {
                Some(first) if *first == c.id => {
                    problems.push(format!("case id `{}` is produced twice", c.id));
                    false
                }
                Some(first) => {
                    problems.push(format!(
                        "case id `{}` differs from `{first}` only in letter case",
                        c.id
                    ));
                    false
                }
                None => {
                    kept.insert(Folded(&c.id), &c.id);
                    true
                }
            }
        })
        .collect();
    drop(kept);
    let mut keep = keep.into_iter();
    cases.retain(|_| keep.next().unwrap_or(false));
    if !problems.is_empty() {
        checks.push(fail(
            format!("{stem}::@catalog"),
            format!(
                "the catalog of {stem} has unusable cases (they are not checked):\n  - {}\nfix the sample labels next to the type",
                problems.join("\n  - ")
            ),
        ));
    }
    cases
}

/// Step 4: how each case stands against the golden, decided here and only here (on
/// the build's threads); and the checks of golden entries no case renders (orphans,
/// tombstones).
fn standings(ctx: &Arc<FileCtx>, cases: &[Case], checks: &mut Vec<Check>) -> Vec<Standing> {
    let file = match &ctx.golden {
        Err(_) => return cases.iter().map(|_| Standing::Unreadable).collect(),
        Ok(None) => return cases.iter().map(|_| Standing::New { twin: None }).collect(),
        Ok(Some(file)) => file,
    };
    let index: HashMap<&str, usize> = file
        .cases
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let mut matched = vec![false; file.cases.len()];
    let mut folded: Option<HashMap<Folded, usize>> = None;
    let standings = cases
        .iter()
        .map(|case| match index.get(case.id.as_str()).copied() {
            Some(i) => {
                matched[i] = true;
                let g = &file.cases[i];
                if g.entry == case.entry {
                    Standing::Matches
                } else if g.is_retired() {
                    Standing::Retired(i)
                } else {
                    Standing::Drifted(i)
                }
            }
            // A new id: is it an old one renamed by letter case only?
            None => {
                let folded = folded.get_or_insert_with(|| {
                    file.cases
                        .iter()
                        .enumerate()
                        .map(|(i, g)| (Folded(&g.id), i))
                        .collect()
                });
                Standing::New {
                    twin: folded.get(&Folded(&case.id)).copied(),
                }
            }
        })
        .collect();
    let mut codes = None;
    let (mut orphans, mut rest) = (0, Vec::new());
    for (i, (g, _)) in file
        .cases
        .iter()
        .zip(matched)
        .enumerate()
        .filter(|(_, (_, m))| !m)
    {
        if !g.is_retired() {
            orphans += 1;
            if orphans > MAX_REPORTS_PER_FILE {
                rest.push(i);
                continue;
            }
        }
        let codes = codes.get_or_insert_with(|| CodeIndex::new(cases));
        checks.push(golden_only_check(ctx, g, codes));
    }
    if !rest.is_empty() {
        checks.push(orphans_check(ctx, rest));
    }
    standings
}

/// Step 5: one case's check. A match settled while building has nothing left to do
/// (and allocates nothing) unless a stale pending record of its file may need
/// removing; a 100,000-case suite no longer keeps every rendered case alive until its
/// trial runs.
fn case_check(ctx: &Arc<FileCtx>, case: Case, standing: Standing, has_pending: bool) -> Check {
    let stem = &ctx.stem;
    let mut name = String::with_capacity(stem.len() + 2 + case.id.len());
    name.push_str(stem);
    name.push_str("::");
    name.push_str(&case.id);
    let run: CheckFn = match standing {
        Standing::Matches if !has_pending => Box::new(|| Ok(())),
        standing => {
            let ctx = Arc::clone(ctx);
            Box::new(move || check_case(&ctx, case, standing))
        }
    };
    Check { name, run }
}

fn fail(name: String, message: String) -> Check {
    Check {
        name,
        run: Box::new(move || Err(message)),
    }
}

/// A file name as trial names and reports show it: printable text as is, `\` doubled,
/// and control characters, line breaks and bytes that are not UTF-8 as `\xNN`. Distinct
/// names stay distinct (unlike a lossy conversion) and stay on one line.
fn escape_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(name).to_vec();
    #[cfg(not(unix))]
    let bytes = name.to_string_lossy().into_owned().into_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("\\x{b:02X}"));
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// A case id hashed and compared as `id::fold_case` folds it (the one letter-case
/// folding), borrowing the id.
struct Folded<'a>(&'a str);

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        crate::id::same_folded(self.0, other.0)
    }
}

impl Eq for Folded<'_> {}

impl std::hash::Hash for Folded<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        crate::id::hash_folded(self.0, state);
    }
}

#[cfg(test)]
mod tests {
    use crate::approver::Approver;
    use crate::catalog::{Case, Catalog};
    use crate::entry::Entry;
    use crate::env::{Color, Settings, Trials};
    use crate::golden::render_file;
    use crate::suite::file_checks::LOOKUPS;
    use crate::Suite;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Every tombstone used to be compared with every live case while the trials were
    /// built (100,000 cases and 20,000 tombstones: 45 s), even for `--exact`. Counted,
    /// not timed: at two sizes, the work per tombstone code stays one lookup.
    #[test]
    fn tombstones_are_checked_in_work_linear_in_cases() {
        for n in [1_000usize, 8_000] {
            let dir = tempfile::tempdir().unwrap();
            let tombstones: Vec<(String, Entry)> = (0..n / 5)
                .map(|i| {
                    let e = Entry::new()
                        .with("code", -(i as i64) - 1)
                        .with("status", -(i as i64) - 1)
                        .with("retired", "gone in 1.0");
                    (format!("Old{i}"), e)
                })
                .collect();
            let live: Vec<(String, Entry)> = (0..n)
                .map(|i| (format!("Case{i}"), Entry::new().with("code", i as i64)))
                .collect();
            let text = render_file(
                &[],
                live.iter().chain(&tombstones).map(|(k, v)| (k.as_str(), v)),
            );
            std::fs::write(dir.path().join("alpha.yaml"), text).unwrap();
            let suite = Suite::new(dir.path()).catalog(Catalog::new("alpha", move || {
                (0..n)
                    .map(|i| Case::new(format!("Case{i}"), Entry::new().with("code", i as i64)))
                    .collect()
            }));
            let suite = Suite {
                settings: Settings::from_values(Some("1"), None),
                color: Color::Off,
                ..suite
            };
            LOOKUPS.with(|c| c.set(0));
            let recorder = std::sync::Arc::new(suite.recorder());
            let checks = suite.checks(None, &recorder);
            let lookups = LOOKUPS.with(|c| c.get());
            assert_eq!(checks.len(), n + n / 5);
            // Two codes per tombstone: one lookup each.
            assert_eq!(lookups, 2 * (n / 5), "{n} cases");
            for c in checks {
                assert!((c.run)().is_ok(), "{}", c.name);
            }
        }
    }

    /// A suite over `dir` whose catalog `x` renders cases `A` and `B` (counting its
    /// renderings), the golden pinning both with other messages than rendered.
    fn drifted(dir: &std::path::Path, mode: Option<&str>) -> (Suite, Arc<AtomicUsize>) {
        let a = Entry::new().with("message", "a was");
        let b = Entry::new().with("message", "b was");
        let text = render_file(&[], [("A", &a), ("B", &b)]);
        std::fs::write(dir.join("x.yaml"), text).unwrap();
        let renders = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&renders);
        let suite = Suite::new(dir).catalog(Catalog::new("x", move || {
            counted.fetch_add(1, Ordering::SeqCst);
            vec![Case::message("A", "a is"), Case::message("B", "b is")]
        }));
        let suite = Suite {
            settings: Settings::from_values(None, mode),
            color: Color::Off,
            approve: Approver::Tool("cargo wire-compat".into()),
            trials: (Trials::PerFile, None),
            ..suite
        };
        (suite, renders)
    }

    /// nextest lists every binary twice before it runs anything: in per-file mode the
    /// list costs no rendering, and each file's trial renders its catalog once.
    #[test]
    fn per_file_listing_renders_no_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let (suite, renders) = drifted(dir.path(), Some("0"));
        let recorder = Arc::new(suite.recorder());
        let checks = Arc::new(suite).file_checks(&recorder);
        let names: Vec<&str> = checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x.yaml", "@goldens"]);
        assert_eq!(
            renders.load(Ordering::SeqCst),
            0,
            "listing rendered a catalog"
        );
        for check in checks {
            let _ = (check.run)();
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
    }

    /// A per-file trial reports each drifted case on its own (its diff, its golden
    /// line, the command that approves that case alone) and records each as its own
    /// pending change, as per-case trials do.
    #[test]
    fn a_per_file_trial_reports_and_records_every_drifted_case() {
        let dir = tempfile::tempdir().unwrap();
        let (suite, _) = drifted(dir.path(), None);
        let recorder = Arc::new(suite.recorder());
        let mut checks = Arc::new(suite).file_checks(&recorder);
        let file = checks.remove(0);
        let report = (file.run)().unwrap_err();
        assert!(report.starts_with("2 of 2 checks of "), "{report}");
        for id in ["A", "B"] {
            let low = id.to_lowercase();
            for wanted in [
                format!("---- x::{id} ----\nwire drift: x::{id} no longer matches"),
                format!("-    message: \"{low} was\""),
                format!("+    message: \"{low} is\""),
                format!("    cargo wire-compat accept x::{id}\n"),
            ] {
                assert_eq!(
                    report.matches(&wanted).count(),
                    1,
                    "{wanted:?} in\n{report}"
                );
            }
        }
        let mut recorded: Vec<String> = crate::pending::list(dir.path())
            .into_iter()
            .map(|c| c.unwrap().id)
            .collect();
        recorded.sort();
        assert_eq!(recorded, ["A", "B"]);
    }

    /// The commands reports print name a case (`x::A`, with `--exact` or as a
    /// filter): in per-file mode they still select that one case, so they approve
    /// exactly what they name and never the whole file.
    #[test]
    fn case_names_select_cases_in_per_file_mode() {
        let dir = tempfile::tempdir().unwrap();
        let args = |a: &[&str]| {
            let all = std::iter::once("compat").chain(a.iter().copied());
            libtest_mimic::Arguments::from_iter(all)
        };
        let (suite, _) = drifted(dir.path(), Some("1"));
        let (passed, _) = suite.run_with(args(&["x::A", "--exact", "--quiet"]));
        assert!(passed);
        let golden = std::fs::read_to_string(dir.path().join("x.yaml")).unwrap();
        assert!(
            golden.contains("a is") && golden.contains("b was"),
            "{golden}"
        );
        // Without a case name, the file's trial runs (and approves) every case.
        let (suite, _) = drifted(dir.path(), Some("1"));
        let (passed, _) = suite.run_with(args(&["--quiet"]));
        assert!(passed);
        let golden = std::fs::read_to_string(dir.path().join("x.yaml")).unwrap();
        assert!(
            golden.contains("a is") && golden.contains("b is"),
            "{golden}"
        );
    }
}
