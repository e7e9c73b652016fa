//! The release gate: `cargo compat gate` refuses a release whose wire changes the
//! version bump does not cover (what cargo-semver-checks does for Rust APIs and
//! `buf breaking` for protobuf, for error messages and codes).
//!
//! It reads the goldens of a baseline (a git ref, read from the object database, or
//! a folder), compares their parsed entries with today's goldens ([`classify`]), weighs
//! each difference (breaking, additive, none), and checks the step between the two
//! crate versions ([`manifest`]) by Cargo's semver rules ([`semver`]). The report
//! ([`render`]) is one summary line, then every change with its golden file and line.

mod classify;
#[cfg(test)]
mod fuzz;
mod git;
mod manifest;
mod render;
mod semver;

use self::semver::{Bump, Level};
use ::semver::Version;
use classify::{Change, Golden, GoldenSet};
use compat_harness::_support::{self as golden, check_stem, MAX_GOLDEN_BYTES};
use std::path::{Path, PathBuf};

/// `cargo compat gate --help`.
pub const HELP: &str = "\
cargo compat gate: refuse a release whose wire changes the version bump does not cover

USAGE:
    cargo compat gate [--against <REF> | --baseline-dir <DIR>] [OPTIONS]

Compares the goldens of a baseline release with today's goldens (the working tree,
committed or not), classifies every difference, and checks that the crate version
moved far enough, by Cargo's semver rules:

    breaking (major)  a message or other field value changed, a field or a case removed
                      (without a tombstone), a code remapped, a version-rule case changed,
                      a tombstone removed or its reserved code freed, a golden file removed
    additive (minor)  a case or a field added, a case retired with a tombstone (`retired`
                      added, the entry kept), a retired case revived, a golden file added
    none              reordering, requoting, comments: entries are compared, not text

A 1.x bump covers what its name says (patch < minor < major). For 0.y.z a minor bump
(0.3.0 -> 0.4.0) is major-level and a patch bump minor-level; any 0.0.z bump is
major-level. A pre-release (2.0.0-rc.1), or the step out of one, counts as major.
A version that did not grow covers only changes without wire effect.

BASELINE (one of):
    --against <REF>            A git ref (tag, branch, commit). Its goldens and its
                               Cargo.toml are read from git's objects; the working tree
                               and the index are never touched. Default: the newest
                               version tag (vX.Y.Z or X.Y.Z, semver order) not above
                               today's version, pre-releases skipped unless today's
                               version is one, and the tag of today's version skipped
                               when it tags HEAD (that is the release being gated).
    --baseline-dir <DIR>       A folder of baseline goldens outside git. Its version is
                               --baseline-version, else the [package] version of the
                               Cargo.toml next to it (<DIR>/../Cargo.toml).
    --baseline-version <X.Y.Z> The baseline's version, overriding its Cargo.toml.

OPTIONS:
    --goldens <DIR>            Today's goldens (default: `goldens/` of the nearest
                               enclosing folder that has one).
    --manifest <FILE>          Today's Cargo.toml (default: the one next to the goldens
                               folder); at a git ref the same path is read. The version is
                               `[package] version`; `version.workspace = true` is read
                               from `[workspace.package]` of the same file.
    --format <FORMAT>          text (default), markdown (release notes), json, or github
                               (workflow annotations: `::error` on each change the bump
                               does not cover, `::notice` on the others).
    --report-only              Report, but exit 0 even when the bump does not cover the
                               changes (pull requests); `--format github` then annotates
                               uncovered changes as `::warning`.
    -h, --help                 Show this text.

OUTPUT:
    One summary line, e.g. `1 wire change since v1.4.0 needs a major bump; 1.4.1 is a
    patch bump`, then each change: `<golden>:<line>  <file>::<case>  <what> (<level>)`
    with its old (-) and new (+) values. The line is the changed field's line today;
    for a change that has no line today, the baseline's (`v1.4.0:goldens/x.yaml:12`).
    JSON: {ok, report_only, summary, baseline, baseline_version, version, bump,
    bump_level, required, smallest_version, changes: [{file, line, old_file, old_line,
    trial, case, field, kind, description, level, old?, new?}]}.

EXIT STATUS:
    0  the bump covers every change (or --report-only)
    1  the bump does not cover the changes
    2  could not run: bad option or ref, no goldens at the baseline, a malformed golden
       or Cargo.toml (named with file:line), not a git repository, git missing
";

/// The output formats of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a terminal or a CI log.
    Text,
    /// Markdown for release notes and job summaries.
    Markdown,
    /// One JSON object for tools.
    Json,
    /// GitHub workflow annotations.
    Github,
}

/// The gate's command line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--against`: the baseline git ref (default: see [`git::pick_baseline`]).
    pub against: Option<String>,
    /// `--baseline-dir`: baseline goldens outside git.
    pub baseline_dir: Option<PathBuf>,
    /// `--baseline-version`: the baseline's version, overriding its manifest.
    pub baseline_version: Option<Version>,
    /// `--goldens`: today's goldens folder.
    pub goldens: Option<PathBuf>,
    /// `--manifest`: today's Cargo.toml.
    pub manifest: Option<PathBuf>,
    /// `--format`.
    pub format: Format,
    /// `--report-only`: never exit 1.
    pub report_only: bool,
    /// `-h`/`--help`.
    pub help: bool,
}

impl Options {
    /// Parses the arguments after `gate`. Options take `--name value` or `--name=value`;
    /// a value is taken as given even when it starts with `-`, so that `--against
    /// --upload-pack=x` is refused as a ref, by name, instead of read as another option.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options {
            against: None,
            baseline_dir: None,
            baseline_version: None,
            goldens: None,
            manifest: None,
            format: Format::Text,
            report_only: false,
            help: false,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
                _ => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match name {
                "-h" | "--help" => o.help = true,
                "--report-only" => o.report_only = true,
                "--against" => o.against = Some(value()?),
                "--baseline-dir" => o.baseline_dir = Some(PathBuf::from(value()?)),
                "--goldens" => o.goldens = Some(PathBuf::from(value()?)),
                "--manifest" => o.manifest = Some(PathBuf::from(value()?)),
                "--baseline-version" => {
                    let v = value()?;
                    let parsed = Version::parse(v.strip_prefix('v').unwrap_or(&v))
                        .map_err(|e| format!("--baseline-version {v:?} is not semver: {e}"))?;
                    o.baseline_version = Some(parsed);
                }
                "--format" => {
                    o.format = match value()?.as_str() {
                        "text" => Format::Text,
                        "markdown" | "md" => Format::Markdown,
                        "json" => Format::Json,
                        "github" => Format::Github,
                        other => {
                            return Err(format!(
                                "unknown format `{other}`; use text, markdown, json or github"
                            ))
                        }
                    }
                }
                other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
                other => {
                    return Err(format!(
                        "unexpected argument `{other}`; the baseline ref is given with --against {other}"
                    ))
                }
            }
        }
        if o.against.is_some() && o.baseline_dir.is_some() {
            return Err("--against and --baseline-dir both name a baseline; give one".into());
        }
        if let Some(r) = &o.against {
            git::check_ref(r)?;
        }
        Ok(o)
    }
}

/// The outcome of a gate run: what changed since which baseline, and the bump.
#[derive(Debug, Clone)]
pub struct Report {
    /// The baseline as the summary names it (`v1.4.0`, or a folder).
    pub baseline: String,
    /// From the baseline's version to today's.
    pub bump: Bump,
    /// Every difference, wire-relevant or not.
    pub changes: Vec<Change>,
    /// The highest level among the changes.
    pub required: Level,
    /// Whether `--report-only` was given (the exit status ignores the verdict).
    pub report_only: bool,
}

impl Report {
    /// Builds the report; the required level is the highest of the changes'.
    pub fn new(baseline: String, bump: Bump, changes: Vec<Change>, report_only: bool) -> Report {
        let required = changes
            .iter()
            .map(Change::level)
            .max()
            .unwrap_or(Level::None);
        Report {
            baseline,
            bump,
            changes,
            required,
            report_only,
        }
    }

    /// Whether the bump covers every change.
    pub fn ok(&self) -> bool {
        self.bump.covers(self.required)
    }

    /// The smallest version that would cover the changes (for the advice line).
    pub fn smallest(&self) -> Option<Version> {
        self::semver::smallest_covering(&self.bump.from, self.required)
    }

    /// The one summary line every format starts with.
    pub fn summary(&self) -> String {
        let wire: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| c.level() > Level::None)
            .collect();
        let to = &self.bump.to;
        if wire.is_empty() {
            return format!(
                "no wire changes since {} ({to} is {})",
                self.baseline,
                self.bump.phrase()
            );
        }
        let n = wire.len();
        let (plural, verb) = if n == 1 { ("", "needs") } else { ("s", "need") };
        let breaking = wire.iter().filter(|c| c.level() == Level::Major).count();
        let counts = if breaking > 0 && breaking < n {
            format!(" ({breaking} breaking, {} additive)", n - breaking)
        } else {
            String::new()
        };
        let verdict = if self.ok() {
            format!("covered by {to} ({})", self.bump.phrase())
        } else {
            format!("{to} is {}", self.bump.phrase())
        };
        format!(
            "{n} wire change{plural} since {} {verb} a {} bump{counts}; {verdict}",
            self.baseline, self.required
        )
    }
}

/// Runs `cargo compat gate` with its arguments; returns the exit status
/// (0 covered, 1 refused, 2 could not run).
pub fn cli(args: &[String]) -> i32 {
    let opts = match Options::parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n(see `cargo compat gate --help`)");
            return 2;
        }
    };
    if opts.help {
        print!("{HELP}");
        return 0;
    }
    let report = match run(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let out = match opts.format {
        Format::Text => render::text(&report, golden::Color::from_env()),
        Format::Markdown => render::markdown(&report),
        Format::Json => render::json(&report),
        Format::Github => render::github(&report),
    };
    print!("{out}");
    i32::from(!report.ok() && !opts.report_only)
}

/// Reads both sides, compares them and weighs the bump.
pub fn run(opts: &Options) -> Result<Report, String> {
    let goldens = crate::locate::find_goldens(opts.goldens.as_deref())?;
    let manifest = match &opts.manifest {
        Some(m) => m.clone(),
        None => parent(&goldens).join("Cargo.toml"),
    };
    let today_version = read_manifest(&manifest)?;
    let repo = if opts.baseline_dir.is_some() {
        git::Repo::open(&goldens).ok()
    } else {
        Some(git::Repo::open(&goldens)?)
    };
    let shown_prefix = match &repo {
        Some((_, prefix)) => prefix.clone(),
        None => format!("{}/", shown_dir(&goldens)),
    };
    let today = read_dir_set(&goldens, &shown_prefix)?;
    let (baseline, old, old_version) = match (&opts.baseline_dir, repo) {
        (Some(dir), _) => {
            let old = read_dir_set(dir, &format!("{}/", shown_dir(dir)))?;
            let version = match &opts.baseline_version {
                Some(v) => v.clone(),
                None => {
                    let m = parent(dir).join("Cargo.toml");
                    if !m.is_file() {
                        return Err(format!(
                            "no baseline version: pass --baseline-version X.Y.Z, or put the \
                             baseline's Cargo.toml next to its goldens ({} does not exist)",
                            m.display()
                        ));
                    }
                    read_manifest(&m)?
                }
            };
            (shown_dir(dir), old, version)
        }
        (None, Some((repo, prefix))) => {
            let (name, commit) = match &opts.against {
                Some(r) => (r.clone(), repo.resolve(r)?),
                None => default_baseline(&repo, &today_version)?,
            };
            let old = read_ref_set(&repo, &commit, &name, &prefix)?;
            let version = match &opts.baseline_version {
                Some(v) => v.clone(),
                None => ref_manifest_version(&repo, &commit, &name, &manifest)?,
            };
            if let Some(tagged) = git::tag_version(&name) {
                if self::semver::precedence(&tagged, &version).is_ne() {
                    eprintln!(
                        "warning: {name} names version {tagged}, but its Cargo.toml says {version}; \
                         gating against {version}"
                    );
                }
            }
            (name, old, version)
        }
        (None, None) => unreachable!("a git repository is required without --baseline-dir"),
    };
    let changes = classify::compare(&old, &today, &|stem| format!("{shown_prefix}{stem}.yaml"));
    let bump = Bump::between(&old_version, &today_version);
    Ok(Report::new(baseline, bump, changes, opts.report_only))
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// A folder as reports show it: relative to the current folder when inside it.
fn shown_dir(dir: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| dir.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| dir.to_owned());
    rel.display().to_string().trim_end_matches('/').to_owned()
}

fn read_manifest(path: &Path) -> Result<Version, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read {}: {e} (the crate version comes from it; pass --manifest <Cargo.toml>)",
            path.display()
        )
    })?;
    manifest::package_version(&text, &path.display().to_string())
}

/// The stem of a golden file name, or `None` for anything the suite does not treat
/// as a golden (hidden files, `README.md`, names it would reject).
fn golden_stem(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".yaml")?;
    (!name.starts_with('.') && check_stem(stem).is_ok()).then_some(stem)
}

fn parse_golden(shown: String, bytes: &[u8]) -> Result<Golden, String> {
    let file = golden::parse(Path::new(&shown), bytes).map_err(|e| e.to_string())?;
    Ok(Golden {
        shown,
        text: String::from_utf8_lossy(bytes).into_owned(),
        file,
    })
}

/// Reads the goldens of a folder; `shown_prefix` is how reports name the folder.
fn read_dir_set(dir: &Path, shown_prefix: &str) -> Result<GoldenSet, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the goldens folder {}: {e}", dir.display()))?;
    let mut set = GoldenSet::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = golden_stem(&name) else {
            continue;
        };
        let path = entry.path();
        let shown = format!("{shown_prefix}{name}");
        let meta = std::fs::metadata(&path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        if !meta.is_file() {
            continue;
        }
        if meta.len() > MAX_GOLDEN_BYTES {
            return Err(format!(
                "{shown}: is {} bytes; golden files are limited to {MAX_GOLDEN_BYTES}",
                meta.len()
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        set.insert(stem.to_owned(), parse_golden(shown, &bytes)?);
    }
    Ok(set)
}

/// Reads the goldens at `commit` (named `name` in reports) from git's objects.
fn read_ref_set(
    repo: &git::Repo,
    commit: &str,
    name: &str,
    prefix: &str,
) -> Result<GoldenSet, String> {
    let dir = prefix.trim_end_matches('/');
    let shown_dir = if dir.is_empty() { "." } else { dir };
    let none_here = || {
        format!(
            "no goldens at {name}: {name}:{shown_dir} has no golden files; \
             pick a ref that has them with --against <REF>"
        )
    };
    let tree = match repo.entry(commit, prefix)? {
        Some(e) if e.kind == "tree" => e,
        _ => return Err(none_here()),
    };
    let files: Vec<(String, git::TreeEntry)> = repo
        .list(&tree.oid)?
        .into_iter()
        .filter(|e| e.kind == "blob" && e.mode != "120000")
        .filter_map(|e| golden_stem(&e.name).map(|s| (s.to_owned(), e.clone())))
        .collect();
    if files.is_empty() {
        return Err(none_here());
    }
    for (_, e) in &files {
        if e.size.unwrap_or(0) > MAX_GOLDEN_BYTES {
            return Err(format!(
                "{name}:{prefix}{}: is {} bytes; golden files are limited to {MAX_GOLDEN_BYTES}",
                e.name,
                e.size.unwrap_or(0)
            ));
        }
    }
    let oids: Vec<String> = files.iter().map(|(_, e)| e.oid.clone()).collect();
    let blobs = repo.read_blobs(&oids)?;
    let mut set = GoldenSet::new();
    for ((stem, e), bytes) in files.into_iter().zip(blobs) {
        set.insert(
            stem,
            parse_golden(format!("{name}:{prefix}{}", e.name), &bytes)?,
        );
    }
    Ok(set)
}

/// The version in the baseline's copy of today's manifest (same repository path).
fn ref_manifest_version(
    repo: &git::Repo,
    commit: &str,
    name: &str,
    manifest: &Path,
) -> Result<Version, String> {
    let file = manifest
        .file_name()
        .ok_or_else(|| format!("{} is not a file", manifest.display()))?
        .to_string_lossy()
        .into_owned();
    let path = format!("{}{file}", repo.prefix_of(&parent(manifest))?);
    let shown = format!("{name}:{path}");
    let entry = match repo.entry(commit, &path)? {
        Some(e) if e.kind == "blob" => e,
        _ => {
            return Err(format!(
                "no {shown}: the baseline's version comes from it; pass --baseline-version X.Y.Z"
            ))
        }
    };
    let bytes = repo.read_blobs(&[entry.oid])?.pop().unwrap_or_default();
    manifest::package_version(&String::from_utf8_lossy(&bytes), &shown)
}

/// The default baseline ref and its commit (see [`git::pick_baseline`]).
fn default_baseline(repo: &git::Repo, today: &Version) -> Result<(String, String), String> {
    let tags = repo.tags()?;
    let head = repo.head();
    match git::pick_baseline(&tags, today, head.as_deref()) {
        Some((tag, _)) => {
            let commit = repo.resolve(&format!("refs/tags/{}", tag.name))?;
            Ok((tag.name, commit))
        }
        None => Err(format!(
            "no release to compare with: no tag named vX.Y.Z or X.Y.Z at or below {today} \
             ({} tag(s) in the repository).\n  fix: pass --against <REF>; fetch tags with \
             `git fetch --tags` (in CI, check out with `fetch-depth: 0`)",
            tags.len()
        )),
    }
}
