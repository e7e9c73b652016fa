//! From catalogs to trials: id checks, golden matching, variant coverage, orphan files.

use super::trial::{
    coverage_check, golden_only_check, orphans_check, Check, CheckFn, CodeIndex, FileCtx,
};
use super::Suite;
use crate::catalog::Catalog;
use crate::golden::{self, LoadError};
use crate::id::{check_id, check_stem};
use crate::recorder::Recorder;
use crate::recorder::MAX_REPORTS_PER_FILE;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

impl Suite {
    /// Builds the checks, reading only the golden of `only` when given (and it names
    /// a catalog), else every golden and the folder itself (for orphan files).
    pub(crate) fn checks(&self, only: Option<&str>) -> (Vec<Check>, Arc<Recorder>) {
        let recorder = Arc::new(Recorder::new(
            &self.dir,
            self.settings.mode,
            self.approve.clone(),
        ));
        let mut checks = Vec::new();
        if let Some(problem) = &self.settings.problem {
            let problem = problem.clone();
            checks.push(Check {
                name: "@settings::UPDATE_GOLDENS".into(),
                run: Box::new(move || Err(problem)),
            });
        }
        let selected: Vec<&Catalog> = match only {
            Some(stem) if self.catalogs.iter().any(|c| c.name == stem) => {
                self.catalogs.iter().filter(|c| c.name == stem).collect()
            }
            _ => self.catalogs.iter().collect(),
        };
        let full = selected.len() == self.catalogs.len();
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
        let mut built = self.build_catalogs(&catalogs, &recorder).into_iter();
        for slot in slots {
            match slot {
                Ok(_) => checks.extend(built.next().unwrap_or_default()),
                Err(duplicate) => checks.push(duplicate),
            }
        }
        if full {
            self.orphan_file_checks(&mut checks);
        }
        (checks, recorder)
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

    fn catalog_checks(&self, catalog: &Catalog, recorder: &Arc<Recorder>, checks: &mut Vec<Check>) {
        let stem = catalog.name.clone();
        if let Err(why) = check_stem(&stem) {
            checks.push(fail(format!("{stem}::@catalog"), why));
            return;
        }
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
        header.extend(
            crate::golden::APPROVAL_LINES
                .iter()
                .map(|l| (*l).to_owned()),
        );
        let ctx = Arc::new(FileCtx {
            shown_path,
            stem: stem.clone(),
            approve: self.approve.clone(),
            color: self.color,
            golden,
            recorder: Arc::clone(recorder),
            header,
        });
        let has_pending = recorder.has_pending(&stem);

        // A panic in a catalog's sample code fails that catalog's trial; it must not
        // abort building the checks and hide every other file's results.
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| catalog.cases()));
        let mut cases = match rendered {
            Ok(cases) => cases,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_owned());
                checks.push(fail(
                    format!("{stem}::@catalog"),
                    format!(
                        "the catalog of {stem} panicked while rendering its samples: {why}\n\
                         None of its cases was checked. Fix the sample code next to the type \
                         (RUST_BACKTRACE=1 shows where it panicked)."
                    ),
                ));
                return;
            }
        };
        let mut problems = Vec::new();
        // The ids kept so far, by their letter-case-folded form (borrowed: a suite of
        // 100,000 cases would otherwise copy every id twice).
        let mut kept: HashMap<Folded, &str> = HashMap::with_capacity(cases.len());
        let keep: Vec<bool> = cases
            .iter()
            .map(|c| match check_id(&c.id) {
                Err(why) => {
                    problems.push(why);
                    false
                }
                Ok(()) => match kept.get(&Folded(&c.id)) {
                    Some(first) if *first == c.id => {
                        problems.push(format!("case id `{}` is produced twice", c.id));
                        false
                    }
                    // Their pending files would be one file on macOS and Windows.
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
                },
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
        if let Some(variants) = &catalog.variants {
            checks.push(coverage_check(&stem, variants, &cases));
        }
        checks.extend(super::declared::check(
            &ctx,
            super::declared::of_catalog(catalog),
        ));
        // Each case's golden entry, found now so the trials need no index of their own.
        let mut found = vec![None; cases.len()];
        let mut twins = vec![None; cases.len()];
        if let Ok(Some(file)) = &ctx.golden {
            let index: HashMap<&str, usize> = file
                .cases
                .iter()
                .enumerate()
                .map(|(i, g)| (g.id.as_str(), i))
                .collect();
            let mut matched = vec![false; file.cases.len()];
            let mut folded: Option<HashMap<Folded, usize>> = None;
            for ((case, found), twin) in cases.iter().zip(&mut found).zip(&mut twins) {
                *found = index.get(case.id.as_str()).copied();
                match *found {
                    Some(i) => matched[i] = true,
                    // A new id: is it an old one renamed by letter case only?
                    None => {
                        let folded = folded.get_or_insert_with(|| {
                            file.cases
                                .iter()
                                .enumerate()
                                .map(|(i, g)| (Folded(&g.id), i))
                                .collect()
                        });
                        *twin = folded.get(&Folded(&case.id)).copied();
                    }
                }
            }
            let mut codes = None;
            let (mut orphans, mut rest) = (0, Vec::new());
            for (g, _) in file.cases.iter().zip(matched).filter(|(_, m)| !m) {
                if !g.is_retired() {
                    orphans += 1;
                    if orphans > MAX_REPORTS_PER_FILE {
                        rest.push(g.clone());
                        continue;
                    }
                }
                let codes = codes.get_or_insert_with(|| CodeIndex::new(&cases));
                checks.push(golden_only_check(&ctx, g, codes));
            }
            if !rest.is_empty() {
                checks.push(orphans_check(&ctx, rest));
            }
        }
        checks.reserve(cases.len());
        for ((case, found), twin) in cases.into_iter().zip(found).zip(twins) {
            let mut name = String::with_capacity(stem.len() + 2 + case.id.len());
            name.push_str(&stem);
            name.push_str("::");
            name.push_str(&case.id);
            // Golden and case are both at hand, so a match is settled here, on the
            // build's threads: its trial has nothing left to do (and allocates nothing)
            // unless stale pending records of its file may need removing. A 100,000-case
            // suite no longer keeps every rendered case alive until its trial runs.
            let matches = ctx
                .golden_case(found)
                .is_some_and(|g| g.entry == case.entry);
            let run: CheckFn = if matches && !has_pending {
                Box::new(|| Ok(()))
            } else {
                let ctx = Arc::clone(&ctx);
                Box::new(move || super::trial::check_case(&ctx, case, found, twin))
            };
            checks.push(Check { name, run });
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
                     If the type is gone on purpose, delete the file (`git rm {shown}`); removing a \
                     wire type is a breaking change.\nOtherwise register its catalog in the suite."
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

/// A case id hashed and compared ignoring ASCII letter case.
struct Folded<'a>(&'a str);

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Folded<'_> {}

impl std::hash::Hash for Folded<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Ids passed check_id, so they fit; lowercased in one buffer, hashed at once.
        let mut buf = [0u8; crate::id::MAX_ID_LEN];
        let bytes = &self.0.as_bytes()[..self.0.len().min(buf.len())];
        buf[..bytes.len()].copy_from_slice(bytes);
        buf[..bytes.len()].make_ascii_lowercase();
        state.write(&buf[..bytes.len()]);
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::{Case, Catalog};
    use crate::entry::Entry;
    use crate::env::{Color, Settings};
    use crate::golden::render_file;
    use crate::suite::trial::LOOKUPS;
    use crate::Suite;

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
            let (checks, _) = suite.checks(None);
            let lookups = LOOKUPS.with(|c| c.get());
            // The cases, the tombstones and the file's `@declared` trial.
            assert_eq!(checks.len(), n + n / 5);
            // Two codes per tombstone: one lookup each.
            assert_eq!(lookups, 2 * (n / 5), "{n} cases");
            for c in checks {
                assert!((c.run)().is_ok(), "{}", c.name);
            }
        }
    }
}
