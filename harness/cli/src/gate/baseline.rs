//! One crate against its baseline: find the baseline (a ref, a folder, or the crate's
//! previous release tag), read both sides' goldens and versions, and compare.
//!
//! Both versions are read the same way ([`super::manifest`]): today's from the working
//! tree, the baseline's from the same paths at the baseline ref, inheritance resolved
//! from the workspace root of the same tree, so the bump is the one Cargo would see.

use super::classify;
use super::error::{GateError, Result};
use super::git::{Repo, Tag};
use super::manifest::{Manifest, Source};
use super::options::Options;
use super::read;
use super::report::{Gated, Report};
use super::semver::{precedence, Bump};
use super::tags::{tag_version, TagRules};
use super::workspace::{parent, read_source, Crate};
use semver::Version;
use std::path::Path;
use wire_compat::_support::shown;

/// Today's version of `c`, from its manifest and its workspace root's.
pub(super) fn today_version(c: &Crate) -> Result<Version> {
    let member = read_source(&c.manifest)?;
    let root = c.root.as_deref().map(read_source).transpose()?;
    let root = root.as_ref().map(Manifest::parse).transpose()?;
    Manifest::parse(&member)?.version(root.as_ref())
}

/// Compares `c` with its baseline.
pub fn gate(opts: &Options, c: &Crate) -> Result<Gated> {
    let today_version = today_version(c)?;
    let repo = if opts.baseline_dir.is_some() {
        Repo::open(&c.goldens).ok()
    } else {
        Some(Repo::open(&c.goldens)?)
    };
    let shown_prefix = match &repo {
        Some((_, prefix)) => prefix.clone(),
        None => format!("{}/", shown(&c.goldens)),
    };
    let today = read::dir_set(&c.goldens, &shown_prefix)?;
    // Warnings are part of the report, so every format carries them (a line on stderr
    // never reached `--format json` or `github`).
    let mut warnings = Vec::new();
    let (label, old, old_version) = match (&opts.baseline_dir, repo) {
        (Some(dir), _) => {
            let old = read::dir_set(dir, &format!("{}/", shown(dir)))?;
            let version = match &opts.baseline_version {
                Some(v) => v.clone(),
                None => {
                    let m = parent(dir).join("Cargo.toml");
                    if !m.is_file() {
                        return Err(GateError::NoBaselineVersion(m.display().to_string()));
                    }
                    let src = read_source(&m)?;
                    Manifest::parse(&src)?.version(None)?
                }
            };
            let why = "given with --baseline-dir".to_owned();
            ((shown(dir), why, None), old, version)
        }
        (None, Some((repo, prefix))) => {
            let (name, commit, why, named, note) = match &opts.against {
                Some(r) => {
                    let commit = repo.resolve(r)?;
                    let why = "given with --against".to_owned();
                    (r.clone(), commit, why, tag_version(r), None)
                }
                None => {
                    if repo.is_shallow()? {
                        return Err(GateError::Shallow);
                    }
                    let tags = repo.tags()?;
                    let rules = TagRules::for_crate(
                        &c.name,
                        c.owns_bare_tags,
                        opts.tag_pattern.as_deref(),
                        &tags,
                    );
                    if let Some(pattern) = &opts.tag_pattern {
                        check_pattern(pattern, &rules, &tags, &c.name)?;
                    }
                    let head = repo.head();
                    let at_head = rules.release_at_head(&tags, &today_version, head.as_deref());
                    let (note, head) = match at_head {
                        Some(t) => head_note(&repo, &t.name, &prefix, c, &today, head.as_deref())?,
                        None => (None, head.as_deref()),
                    };
                    let pick = rules.pick(&tags, &today_version, head);
                    // Asked of git only when some tag is above today's version: a
                    // reachability walk is work the usual release never needs.
                    let any_above = tags.iter().any(|t| {
                        rules
                            .version_of(&t.name)
                            .is_some_and(|(v, _)| precedence(&v, &today_version).is_gt())
                    });
                    let in_history = match &head {
                        Some(_) if any_above => repo.tags_in_history()?,
                        _ => Vec::new(),
                    };
                    let above =
                        rules.newest_above(&tags, &today_version, &in_history, pick.is_none());
                    match (above, pick) {
                        (Some((tag, version)), _) => {
                            let why = format!(
                                "the newest release tag {} ({version}) is above today's \
                                 {today_version}: a release must be above the last one",
                                rules.describe()
                            );
                            let commit = repo.resolve(&format!("refs/tags/{}", tag.name))?;
                            (tag.name, commit, why, Some(version), note)
                        }
                        (None, Some(pick)) => {
                            let commit = repo.resolve(&format!("refs/tags/{}", pick.tag.name))?;
                            (pick.tag.name, commit, pick.why, Some(pick.version), note)
                        }
                        (None, None) => {
                            let why = format!(
                                "no tag {} in the repository's complete history ({} tag(s))",
                                rules.describe(),
                                tags.len()
                            );
                            return Ok(Gated::FirstRelease {
                                version: today_version,
                                why,
                                note,
                                adopted_since: None,
                            });
                        }
                    }
                }
            };
            let Some(old) = read::ref_set(&repo, &commit, &name, &prefix)? else {
                return adopted_since(&repo, &commit, &name, &prefix, c, today_version, note);
            };
            let version = match &opts.baseline_version {
                Some(v) => v.clone(),
                None => ref_version(&repo, &commit, &name, c)?,
            };
            if let Some(tagged) = named {
                if precedence(&tagged, &version).is_ne() {
                    warnings.push(format!(
                        "{name} names version {tagged}, but its Cargo.toml says {version}; \
                         gating against {version}"
                    ));
                }
            }
            ((name, why, note), old, version)
        }
        (None, None) => unreachable!("a git repository is required without --baseline-dir"),
    };
    let changes = classify::compare(&old, &today, &|stem| format!("{shown_prefix}{stem}.yaml"));
    let bump = Bump::between(&old_version, &today_version);
    let mut report = Report::new(label, bump, changes, opts.report_only);
    report.warnings = warnings;
    Ok(Gated::Compared(report))
}

/// Refuses a `--tag-pattern` that matches none of the tags while `krate` has tags of
/// a release shape the default rules know: a mistyped pattern would otherwise make
/// every release "the first" and pass whatever it changed.
fn check_pattern(pattern: &str, rules: &TagRules, tags: &[Tag], krate: &str) -> Result<()> {
    if tags.iter().any(|t| rules.version_of(&t.name).is_some()) {
        return Ok(());
    }
    let like = TagRules::release_like(krate, tags);
    if like.is_empty() {
        return Ok(());
    }
    let mut examples: Vec<String> = like
        .iter()
        .take(3)
        .map(|t| format!("`{}`", t.name))
        .collect();
    if like.len() > 3 {
        examples.push(format!("{} more", like.len() - 3));
    }
    Err(GateError::TagPatternMatchesNothing {
        pattern: pattern.to_owned(),
        count: tags.len(),
        krate: krate.to_owned(),
        examples: examples.join(", "),
    })
}

/// The names the runtime crate has been published or depended on under: a baseline
/// whose manifest names one had adopted the suite (`compat-harness` was its name before
/// `wire-compat`; counting it keeps the gate closed for crates that adopted under it).
const RUNTIME_NAMES: [&str; 2] = ["wire-compat", "compat-harness"];

/// A baseline `name` without golden files at `prefix`: "adopted since" (nothing to
/// compare, the gate passes) when it had not adopted the suite, that is, has no goldens
/// folder there and its Cargo.toml does not depend on the runtime; otherwise the
/// goldens were deleted or moved, and that is an error, since passing would let every
/// change since go unjudged.
fn adopted_since(
    repo: &Repo,
    commit: &str,
    name: &str,
    prefix: &str,
    c: &Crate,
    today_version: Version,
    note: Option<String>,
) -> Result<Gated> {
    let dir = match prefix.trim_end_matches('/') {
        "" => ".",
        d => d,
    };
    let no_goldens = |adopted: String| GateError::NoGoldensAt {
        at: name.to_owned(),
        dir: dir.to_owned(),
        adopted,
    };
    if repo.entry(commit, prefix)?.is_some() {
        return Err(no_goldens(format!("{name}:{dir} exists there")));
    }
    let manifest_path = repo_path(repo, &c.manifest)?;
    let Some(bytes) = repo.read_file(commit, &manifest_path)? else {
        return Err(no_goldens(format!(
            "{name}:{manifest_path} does not exist (the crate may have moved with its goldens)"
        )));
    };
    let src = Source {
        shown: format!("{name}:{manifest_path}"),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    };
    if Manifest::parse(&src)?.depends_on(&RUNTIME_NAMES) {
        return Err(no_goldens(format!("{} depends on wire-compat", src.shown)));
    }
    let why = format!(
        "{name} has no {dir} folder and its {manifest_path} does not depend on wire-compat, so \
         the wire suite was adopted since"
    );
    let hint = format!(
        "to compare with the commit that adopted the suite instead, pass --against <COMMIT>, \
         the first commit with goldens: git log --format=%h --diff-filter=A -- {} | tail -n 1",
        sh_quote(&format!("{dir}/"))
    );
    Ok(Gated::FirstRelease {
        version: today_version,
        why,
        note: Some(match note {
            Some(n) => format!("{n}; {hint}"),
            None => hint,
        }),
        adopted_since: Some(name.to_owned()),
    })
}

/// `s` as one word for a POSIX shell: as is when every character is safe, else in
/// single quotes (a `'` inside written as `'\''`).
fn sh_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./-+=:@%".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The crate's version at `commit`: its manifest at the same repository path, with
/// `version.workspace = true` resolved from the workspace root's manifest there.
pub(super) fn ref_version(repo: &Repo, commit: &str, name: &str, c: &Crate) -> Result<Version> {
    let read = |manifest: &Path| -> Result<Source> {
        let path = repo_path(repo, manifest)?;
        let shown = format!("{name}:{path}");
        match repo.read_file(commit, &path)? {
            Some(bytes) => Ok(Source {
                shown,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }),
            None => Err(GateError::Manifest {
                file: shown,
                line: None,
                what: "no such file at the baseline; the baseline's version comes from it".into(),
                fix: "pass --baseline-version X.Y.Z".into(),
            }),
        }
    };
    let member = read(&c.manifest)?;
    let root = c.root.as_deref().map(read).transpose()?;
    let root = root.as_ref().map(Manifest::parse).transpose()?;
    Manifest::parse(&member)?.version(root.as_ref())
}

/// A file's path inside the repository.
fn repo_path(repo: &Repo, file: &Path) -> Result<String> {
    let name = file
        .file_name()
        .map_or_else(|| "Cargo.toml".into(), |n| n.to_string_lossy().into_owned());
    Ok(format!("{}{name}", repo.prefix_of(&parent(file))?))
}

/// What is compared on a HEAD that carries today's release tag, and the HEAD the
/// tag choice should skip. A clean tree is that release: it is gated against the one
/// before. Uncommitted edits of the goldens or manifest are not in that release, so
/// they are compared with the tag itself, and the note says so (and how to gate the
/// tagged release instead), rather than leaving the user to guess.
fn head_note<'h>(
    repo: &Repo,
    tag: &str,
    prefix: &str,
    c: &Crate,
    today: &classify::GoldenSet,
    head: Option<&'h str>,
) -> Result<(Option<String>, Option<&'h str>)> {
    let at_head = read::ref_set(repo, "HEAD", "HEAD", prefix)?.unwrap_or_default();
    let mut edited: Vec<String> = today
        .iter()
        .filter(|(stem, g)| at_head.get(*stem).map(|h| &h.text) != Some(&g.text))
        .map(|(_, g)| g.shown.clone())
        .chain(
            at_head
                .iter()
                .filter(|(stem, _)| !today.contains_key(*stem))
                .map(|(stem, _)| format!("{prefix}{stem}.yaml")),
        )
        .collect();
    let manifest_path = repo_path(repo, &c.manifest)?;
    let committed = repo.read_file("HEAD", &manifest_path)?;
    if committed != std::fs::read(&c.manifest).ok() {
        edited.push(manifest_path);
    }
    Ok(if edited.is_empty() {
        let note = format!(
            "{tag} tags HEAD: it is the release being gated, compared with the release before it"
        );
        (Some(note), head)
    } else {
        let note = format!(
            "{tag} tags HEAD, but the working tree has uncommitted edits ({}): they are not in \
             {tag}, so the working tree is compared with {tag} itself; commit or stash them to \
             gate {tag} against the release before it",
            edited.join(", ")
        );
        (Some(note), None)
    })
}
