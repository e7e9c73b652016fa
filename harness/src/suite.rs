//! The suite: catalogs plus a goldens folder, turned into one trial per case.

use crate::case::{check_id, check_stem, Case};
use crate::catalog::Catalog;
use crate::golden::{self, GoldenCase, GoldenFile, LoadError};
use crate::recorder::{Recorder, Verdict};
use crate::report::{self, Location};
use crate::settings::Settings;
use crate::style::Style;
use crate::value::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What one check does when run: `Err` carries the full failure report.
pub type CheckFn = Box<dyn FnOnce() -> Result<(), String> + Send>;

/// One named check; becomes one libtest-mimic trial.
pub struct Check {
    /// The trial name: `<file>::<case>`, or `<file>::@<what>` for file-level checks.
    pub name: String,
    /// The check itself.
    pub run: CheckFn,
}

/// A set of catalogs checked against one goldens folder.
///
/// This is the whole framework from a user's point of view: build a `Suite`, add a
/// [`Catalog`] per wire type, call [`Suite::main`] from a `harness = false` test.
pub struct Suite {
    dir: PathBuf,
    shown_dir: String,
    catalogs: Vec<Catalog>,
    approve: String,
    settings: Settings,
    style: Style,
}

struct FileCtx {
    stem: String,
    shown_path: String,
    approve: String,
    style: Style,
    golden: Result<Option<GoldenFile>, LoadError>,
    recorder: Arc<Recorder>,
    header: Vec<String>,
}

impl FileCtx {
    /// The golden case at `index` (resolved when the checks were built).
    fn golden_case(&self, index: Option<usize>) -> Option<&GoldenCase> {
        let file = self.golden.as_ref().ok()?.as_ref()?;
        index.map(|i| &file.cases[i])
    }

    fn location<'a>(&'a self, trial: &'a str, line: Option<usize>) -> Location<'a> {
        Location {
            trial,
            shown_path: &self.shown_path,
            line,
            approve: &self.approve,
        }
    }

    fn header_if_missing(&self) -> Vec<String> {
        match &self.golden {
            Ok(None) => self.header.clone(),
            _ => Vec::new(),
        }
    }
}

impl Suite {
    /// A suite over the goldens in `dir`, with settings and colours from the environment.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let shown_dir = std::env::current_dir()
            .ok()
            .and_then(|cwd| dir.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| dir.clone())
            .display()
            .to_string();
        Suite {
            dir,
            shown_dir,
            catalogs: Vec::new(),
            approve: "cargo compat".into(),
            settings: Settings::from_env(),
            style: Style::from_env(),
        }
    }

    /// Adds a catalog (one golden file).
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.catalogs.push(catalog);
        self
    }

    /// The command that approves changes, as failure reports print it
    /// (default `cargo compat`).
    pub fn approve_command(mut self, cmd: impl Into<String>) -> Self {
        self.approve = cmd.into();
        self
    }

    /// Overrides the settings read from the environment (tests, benchmarks).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Overrides the colour decision (tests pin plain output).
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// How reports show the goldens folder (default: relative to the current
    /// directory when inside it).
    pub fn shown_dir(mut self, shown: impl Into<String>) -> Self {
        self.shown_dir = shown.into();
        self
    }

    /// The goldens folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs the suite as a libtest-mimic test binary and exits.
    ///
    /// Understands libtest's arguments (`--list`, `--exact`, filters, `--format`,
    /// `--test-threads`), so `cargo test`, `cargo test -- VmNotFound` and nextest all
    /// work. With `--exact <file>::<case>` (what nextest runs per process) only that
    /// file's golden is read. Approved updates (`UPDATE_GOLDENS=1`) are written after
    /// all trials ran; if that fails the process fails too.
    pub fn main(self) -> ! {
        let mut args = libtest_mimic::Arguments::from_args();
        // libtest-mimic colours its own lines (`ok`, `FAILED`) by another rule: it colours
        // a terminal even with CI set and takes CLICOLOR_FORCE=0 as forcing. Unless
        // `--color` was given, it follows the reports' decision, so one run is all
        // plain or all coloured.
        if args.color.is_none() {
            args.color = Some(if self.style.color {
                libtest_mimic::ColorSetting::Always
            } else {
                libtest_mimic::ColorSetting::Never
            });
        }
        let only = args
            .filter
            .as_deref()
            .filter(|_| args.exact)
            .and_then(|f| f.split_once("::"))
            .map(|(stem, _)| stem.to_owned());
        let (checks, recorder) = self.checks(only.as_deref());
        let trials = checks
            .into_iter()
            .map(|c| {
                let run = c.run;
                libtest_mimic::Trial::test(c.name, move || run().map_err(Into::into))
            })
            .collect();
        let conclusion = libtest_mimic::run(&args, trials);
        if let Err(e) = recorder.finish() {
            eprintln!("error: {e}");
            std::process::exit(101);
        }
        conclusion.exit()
    }

    /// Runs every check in this thread and writes approved updates; returns each
    /// check's name and result. For tests of the framework and for benchmarks.
    pub fn run_all(&self) -> Vec<(String, Result<(), String>)> {
        let (checks, recorder) = self.checks(None);
        let results = checks.into_iter().map(|c| (c.name, (c.run)())).collect();
        if let Err(e) = recorder.finish() {
            return vec![("@finish".into(), Err(e.to_string()))];
        }
        results
    }

    /// Builds the checks, reading only the golden of `only` when given (and it names
    /// a catalog), else every golden and the folder itself (for orphan files).
    pub fn checks(&self, only: Option<&str>) -> (Vec<Check>, Arc<Recorder>) {
        let recorder = Arc::new(Recorder::new(&self.dir, self.settings.mode));
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
            crate::canonical::APPROVAL_LINES
                .iter()
                .map(|l| (*l).to_owned()),
        );
        let ctx = Arc::new(FileCtx {
            shown_path,
            stem: stem.clone(),
            approve: self.approve.clone(),
            style: self.style,
            golden,
            recorder: Arc::clone(recorder),
            header,
        });
        let has_pending = recorder.watch(&stem);

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
        // Each case's golden entry, found now so the trials need no index of their own.
        let mut found = vec![None; cases.len()];
        if let Ok(Some(file)) = &ctx.golden {
            let index: HashMap<&str, usize> = file
                .cases
                .iter()
                .enumerate()
                .map(|(i, g)| (g.id.as_str(), i))
                .collect();
            let mut matched = vec![false; file.cases.len()];
            for (case, found) in cases.iter().zip(&mut found) {
                *found = index.get(case.id.as_str()).copied();
                if let Some(i) = *found {
                    matched[i] = true;
                }
            }
            for (g, _) in file.cases.iter().zip(matched).filter(|(_, m)| !m) {
                checks.push(golden_only_check(&ctx, g, &cases));
            }
        }
        checks.reserve(cases.len());
        for (case, found) in cases.into_iter().zip(found) {
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
                Box::new(move || check_case(&ctx, case, found))
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
            let name = entry.file_name().to_string_lossy().into_owned();
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
        let mut buf = [0u8; crate::case::MAX_ID_LEN];
        let bytes = &self.0.as_bytes()[..self.0.len().min(buf.len())];
        buf[..bytes.len()].copy_from_slice(bytes);
        buf[..bytes.len()].make_ascii_lowercase();
        state.write(&buf[..bytes.len()]);
    }
}

fn check_case(ctx: &FileCtx, case: Case, found: Option<usize>) -> Result<(), String> {
    if let Some(g) = ctx.golden_case(found) {
        if g.entry == case.entry {
            ctx.recorder.matched(&ctx.stem, &case.id);
            return Ok(());
        }
    }
    // Only a failure needs the trial's name (a passing case allocates nothing here).
    let trial = format!("{}::{}", ctx.stem, case.id);
    let golden = match &ctx.golden {
        // The error already names the file as the user knows it (see catalog_checks).
        Err(e) => {
            return Err(format!(
                "cannot check {trial}: its golden file is unusable\n{e}"
            ));
        }
        Ok(_) => ctx.golden_case(found),
    };
    match golden {
        Some(g) if g.is_retired() => Err(format!(
            "retired case reused: {trial} is marked retired in {}:{} but the source renders it again.\n\
             A retired id (and its code) stays reserved: give the new case another name, or, if \
             bringing it back is intended, approve it: {} accept {trial}",
            ctx.shown_path, g.line, ctx.approve
        )),
        Some(g) => {
            let text = report::drift(&ctx.location(&trial, Some(g.line)), &case.id, &g.entry, &case.entry, ctx.style);
            settle(ctx, &trial, text, Some(g.entry.clone()), Some(case))
        }
        None => {
            let exists = matches!(ctx.golden, Ok(Some(_)));
            let text = report::new_case(&ctx.location(&trial, None), &case.id, &case.entry, exists, ctx.style);
            settle(ctx, &trial, text, None, Some(case))
        }
    }
}

fn settle(
    ctx: &FileCtx,
    trial: &str,
    text: String,
    old: Option<crate::value::Entry>,
    case: Option<Case>,
) -> Result<(), String> {
    let id = case.as_ref().map(|c| c.id.clone());
    let change = crate::pending::Change {
        stem: ctx.stem.clone(),
        id: id.unwrap_or_else(|| trial.rsplit("::").next().unwrap_or_default().to_owned()),
        old,
        new: case.map(|c| c.entry),
        header: ctx.header_if_missing(),
    };
    match ctx.recorder.mismatch(change) {
        Verdict::WillUpdate => Ok(()),
        Verdict::Fail(note) => Err(format!("{text}{note}")),
    }
}

fn golden_only_check(ctx: &Arc<FileCtx>, g: &GoldenCase, cases: &[Case]) -> Check {
    let trial = format!("{}::{}", ctx.stem, g.id);
    if g.is_retired() {
        // A tombstone: passes while no live case reuses one of its integer codes.
        let clash: Vec<String> = g
            .entry
            .fields()
            .filter(|(_, v)| matches!(v, Value::Int(_)))
            .flat_map(|(k, v)| {
                cases
                    .iter()
                    .filter(move |c| c.entry.get(k) == Some(v))
                    .map(move |c| format!("case `{}` uses {k}: {v}", c.id))
            })
            .collect();
        let msg = (!clash.is_empty()).then(|| {
            format!(
                "reserved code reused: {trial} is retired at {}:{} and keeps its codes reserved, but\n  - {}\n\
                 Pick an unused code; a retired code must never mean something else on the wire.",
                ctx.shown_path,
                g.line,
                clash.join("\n  - ")
            )
        });
        return Check {
            name: trial,
            run: Box::new(move || msg.map_or(Ok(()), Err)),
        };
    }
    let ctx = Arc::clone(ctx);
    let (id, entry, line) = (g.id.clone(), g.entry.clone(), g.line);
    Check {
        name: trial.clone(),
        run: Box::new(move || {
            let text = report::orphan(&ctx.location(&trial, Some(line)), &id, &entry, ctx.style);
            let change = crate::pending::Change {
                stem: ctx.stem.clone(),
                id,
                old: Some(entry),
                new: None,
                header: Vec::new(),
            };
            match ctx.recorder.mismatch(change) {
                Verdict::WillUpdate => Ok(()),
                Verdict::Fail(note) => Err(format!("{text}{note}")),
            }
        }),
    }
}

fn coverage_check(stem: &str, variants: &[&'static str], cases: &[Case]) -> Check {
    let covered: HashSet<&str> = cases.iter().filter_map(|c| c.variant).collect();
    let declared: HashSet<&str> = variants.iter().copied().collect();
    let missing: Vec<&str> = variants
        .iter()
        .copied()
        .filter(|v| !covered.contains(v))
        .collect();
    let mut unknown: Vec<&str> = covered.difference(&declared).copied().collect();
    unknown.sort_unstable();
    let msg = (!missing.is_empty() || !unknown.is_empty()).then(|| {
        let mut m = format!("variant coverage of {stem} is incomplete:\n");
        for v in &missing {
            m.push_str(&format!(
                "  - variant `{v}` has no sample: add one to `samples()` next to the type, run \
                 `cargo test`, and approve its new golden entry\n"
            ));
        }
        for v in &unknown {
            m.push_str(&format!(
                "  - samples claim variant `{v}`, which the type does not declare\n"
            ));
        }
        m
    });
    Check {
        name: format!("{stem}::@variants"),
        run: Box::new(move || msg.map_or(Ok(()), Err)),
    }
}
