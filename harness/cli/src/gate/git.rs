//! Reading goldens and a manifest as they were at a git ref, without a checkout.
//!
//! Only plumbing that reads the object database is used (`rev-parse`, `ls-tree`,
//! `cat-file --batch`, `for-each-ref`): the gate never touches the working tree or
//! the index, so it is safe to run in a dirty checkout or next to a running build.
//! Every path given to git is literal (`--literal-pathspecs`, `--full-tree`), and a
//! ref that could be read as an option is refused before git is ever started.

use super::semver::precedence;
use semver::Version;
use std::cmp::Ordering;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A git work tree, addressed through one folder inside it.
#[derive(Debug, Clone)]
pub struct Repo {
    dir: PathBuf,
}

/// One entry of a git tree (`ls-tree --long`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    /// The file mode (`100644`, `120000` for a symlink, `040000` for a folder).
    pub mode: String,
    /// `blob`, `tree` or `commit`.
    pub kind: String,
    /// The object id.
    pub oid: String,
    /// The blob's size in bytes (`None` for trees).
    pub size: Option<u64>,
    /// The entry's name inside its tree.
    pub name: String,
}

/// A tag and the commit it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's short name (`v1.4.0`).
    pub name: String,
    /// The commit (annotated tags peeled), or the tagged object when not a tag object.
    pub commit: String,
}

/// Refuses a user-given ref that git could mistake for an option or that cannot be
/// one line of `cat-file --batch` input; checked before any git process starts.
pub fn check_ref(r: &str) -> Result<(), String> {
    if r.is_empty() {
        return Err("the ref given to --against is empty".into());
    }
    if r.starts_with('-') {
        return Err(format!(
            "refusing ref `{r}`: a ref must not start with '-' (git would read it as an option)"
        ));
    }
    if r.chars().any(char::is_control) {
        return Err(format!(
            "refusing ref {r:?}: it contains a control character"
        ));
    }
    Ok(())
}

/// The version a tag names: `v1.2.3` or `1.2.3` (with optional pre-release or
/// build), and nothing else, so `release-1` or `v1` never becomes a baseline.
pub fn tag_version(name: &str) -> Option<Version> {
    let bare = name.strip_prefix('v').unwrap_or(name);
    bare.starts_with(|c: char| c.is_ascii_digit())
        .then(|| Version::parse(bare).ok())
        .flatten()
}

/// Picks the default baseline: the newest (by semver precedence) version tag that is
/// the release before `current`.
///
/// Tags above `current` are skipped (a maintenance release 1.4.2 compares with 1.4.1,
/// not with 2.0.0), and so are pre-release tags unless `current` is a pre-release
/// (a release is gated against the last release). A tag of exactly `current` counts
/// unless it points at `head`: on a release commit that tag is the release being
/// gated; elsewhere (a pull request before the bump) it is the last release.
pub fn pick_baseline(
    tags: &[Tag],
    current: &Version,
    head: Option<&str>,
) -> Option<(Tag, Version)> {
    tags.iter()
        .filter_map(|t| tag_version(&t.name).map(|v| (t, v)))
        .filter(|(_, v)| v.pre.is_empty() || !current.pre.is_empty())
        .filter(|(t, v)| match precedence(v, current) {
            Ordering::Less => true,
            Ordering::Equal => head != Some(t.commit.as_str()),
            Ordering::Greater => false,
        })
        .max_by(|(ta, a), (tb, b)| {
            precedence(a, b)
                // The same version tagged twice (`v1.4.0`, `1.4.0`): prefer the `v` one.
                .then_with(|| ta.name.starts_with('v').cmp(&tb.name.starts_with('v')))
                .then_with(|| tb.name.cmp(&ta.name))
        })
        .map(|(t, v)| (t.clone(), v))
}

impl Repo {
    /// Opens the repository that contains `dir`, returning it and `dir`'s path inside
    /// the repository (`goldens/`, with a trailing `/`; empty at the top).
    pub fn open(dir: &Path) -> Result<(Repo, String), String> {
        let repo = Repo {
            dir: dir.to_owned(),
        };
        let prefix = repo.prefix_of(dir)?;
        Ok((repo, prefix))
    }

    /// The path of `dir` inside this repository, with a trailing `/`.
    pub fn prefix_of(&self, dir: &Path) -> Result<String, String> {
        let out = self.git_in(dir, &["rev-parse", "--show-prefix"])?;
        if !out.status.success() {
            return Err(format!(
                "{} is not inside a git repository ({}); to compare with goldens outside git, \
                 use --baseline-dir <DIR>",
                dir.display(),
                stderr_line(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_owned())
    }

    /// The commit a ref names, or a clear error when there is none.
    pub fn resolve(&self, r: &str) -> Result<String, String> {
        check_ref(r)?;
        let spec = format!("{r}^{{commit}}");
        let out = self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ])?;
        if !out.status.success() {
            return Err(format!(
                "unknown git ref `{r}`: no commit by that name in this repository.\n  \
                 fix: check the spelling (`git tag --list`); fetch tags with `git fetch --tags` \
                 (in CI, check out with `fetch-depth: 0`)"
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// The commit checked out, if any (an empty repository has none).
    pub fn head(&self) -> Option<String> {
        let out = self
            .git(&["rev-parse", "--verify", "--quiet", "HEAD"])
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// Every tag with the commit it points at.
    pub fn tags(&self) -> Result<Vec<Tag>, String> {
        let out = self.git(&[
            "for-each-ref",
            "--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)",
            "refs/tags",
        ])?;
        if !out.status.success() {
            return Err(format!("cannot list tags: {}", stderr_line(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let name = parts.next()?.to_owned();
                let object = parts.next()?;
                let peeled = parts.next().filter(|p| !p.is_empty()).unwrap_or(object);
                Some(Tag {
                    name,
                    commit: peeled.to_owned(),
                })
            })
            .collect())
    }

    /// The tree entry at `path` (relative to the repository's top) in `commit`.
    pub fn entry(&self, commit: &str, path: &str) -> Result<Option<TreeEntry>, String> {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return Ok(Some(TreeEntry {
                mode: "040000".into(),
                kind: "tree".into(),
                oid: format!("{commit}^{{tree}}"),
                size: None,
                name: String::new(),
            }));
        }
        let out = self.git(&["ls-tree", "-z", "--long", "--full-tree", commit, "--", path])?;
        if !out.status.success() {
            return Err(format!(
                "cannot read {commit}:{path}: {}",
                stderr_line(&out.stderr)
            ));
        }
        Ok(parse_ls_tree(&out.stdout).into_iter().next())
    }

    /// The entries of a tree.
    pub fn list(&self, tree: &str) -> Result<Vec<TreeEntry>, String> {
        let out = self.git(&["ls-tree", "-z", "--long", "--full-tree", tree])?;
        if !out.status.success() {
            return Err(format!(
                "cannot list tree {tree}: {}",
                stderr_line(&out.stderr)
            ));
        }
        Ok(parse_ls_tree(&out.stdout))
    }

    /// The contents of several blobs, in order, through one `cat-file --batch`.
    pub fn read_blobs(&self, oids: &[String]) -> Result<Vec<Vec<u8>>, String> {
        if oids.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = self
            .command(&self.dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(cannot_run)?;
        let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
        let input: String = oids.iter().map(|o| format!("{o}\n")).collect();
        // Written from a thread: git answers while reading, and a full stdout pipe
        // must not block it while we are still writing.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let mut reader = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
        let mut blobs = Vec::with_capacity(oids.len());
        for oid in oids {
            let mut header = String::new();
            reader
                .read_line(&mut header)
                .map_err(|e| format!("git cat-file: {e}"))?;
            let fields: Vec<&str> = header.split_whitespace().collect();
            let size = match fields.as_slice() {
                [_, "blob", size] => size.parse::<usize>().ok(),
                _ => None,
            }
            .ok_or_else(|| format!("git cat-file could not read {oid}: {}", header.trim()))?;
            let mut body = vec![0; size + 1];
            reader
                .read_exact(&mut body)
                .map_err(|e| format!("git cat-file: {e}"))?;
            body.pop();
            blobs.push(body);
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(blobs)
    }

    fn command(&self, dir: &Path) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C")
            .arg(dir)
            .args(["--no-pager", "--literal-pathspecs"])
            .stdin(Stdio::null());
        cmd
    }

    fn git(&self, args: &[&str]) -> Result<std::process::Output, String> {
        self.git_in(&self.dir, args)
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
        self.command(dir).args(args).output().map_err(cannot_run)
    }
}

fn cannot_run(e: std::io::Error) -> String {
    format!(
        "cannot run git: {e} (the gate reads the baseline from git; is git installed and on PATH?)"
    )
}

fn stderr_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no details");
    line.trim_start_matches("fatal: ").trim().to_owned()
}

/// Parses `ls-tree -z --long`: `<mode> SP <type> SP <oid> SP+ <size> TAB <name> NUL`.
fn parse_ls_tree(out: &[u8]) -> Vec<TreeEntry> {
    out.split(|&b| b == 0)
        .filter_map(|rec| {
            let rec = std::str::from_utf8(rec).ok()?;
            let (meta, name) = rec.split_once('\t')?;
            let mut f = meta.split_whitespace();
            Some(TreeEntry {
                mode: f.next()?.to_owned(),
                kind: f.next()?.to_owned(),
                oid: f.next()?.to_owned(),
                size: f.next().and_then(|s| s.parse().ok()),
                name: name.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, commit: &str) -> Tag {
        Tag {
            name: name.into(),
            commit: commit.into(),
        }
    }

    fn pick(tags: &[Tag], current: &str, head: Option<&str>) -> Option<String> {
        pick_baseline(tags, &Version::parse(current).unwrap(), head).map(|(t, _)| t.name)
    }

    #[test]
    fn only_semver_tags_are_versions() {
        assert_eq!(tag_version("v1.4.0"), Some(Version::new(1, 4, 0)));
        assert_eq!(tag_version("1.4.0"), Some(Version::new(1, 4, 0)));
        assert!(tag_version("v2.0.0-rc.1").is_some());
        for bad in [
            "v1",
            "1.4",
            "release-1.4.0",
            "vv1.4.0",
            "nightly",
            "v 1.0.0",
            "+1.0.0",
        ] {
            assert_eq!(tag_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_baseline_is_the_newest_release_not_above_today() {
        let tags = [
            tag("v1.2.0", "a"),
            tag("v1.10.0", "b"),
            tag("v1.9.0", "c"),
            tag("v1.10.1-rc.1", "d"),
            tag("v2.0.0", "e"),
            tag("nightly", "f"),
        ];
        // Semver order, not text order; pre-releases and later versions skipped.
        assert_eq!(pick(&tags, "1.10.1", None).as_deref(), Some("v1.10.0"));
        // A pre-release today may compare with a pre-release.
        assert_eq!(
            pick(&tags, "1.10.1-rc.2", None).as_deref(),
            Some("v1.10.1-rc.1")
        );
        // The tag of today's version is the baseline, unless it tags HEAD itself.
        assert_eq!(pick(&tags, "2.0.0", Some("x")).as_deref(), Some("v2.0.0"));
        assert_eq!(pick(&tags, "2.0.0", Some("e")).as_deref(), Some("v1.10.0"));
        assert_eq!(pick(&tags, "1.0.0", None), None);
        let twice = [tag("1.4.0", "a"), tag("v1.4.0", "a")];
        assert_eq!(pick(&twice, "1.5.0", None).as_deref(), Some("v1.4.0"));
    }

    #[test]
    fn refs_that_look_like_options_are_refused() {
        assert!(check_ref("--upload-pack=x").is_err());
        assert!(check_ref("-x").is_err());
        assert!(check_ref("").is_err());
        assert!(check_ref("v1\n--all").is_err());
        assert!(check_ref("v1.4.0").is_ok());
        assert!(check_ref("origin/main~2").is_ok());
    }

    #[test]
    fn ls_tree_records_are_parsed() {
        let out =
            b"100644 blob 0123abc     903\tCargo.toml\x00040000 tree 4567def       -\tgoldens\0";
        let e = parse_ls_tree(out);
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].size, e[0].name.as_str()), (Some(903), "Cargo.toml"));
        assert_eq!((e[1].kind.as_str(), e[1].size), ("tree", None));
    }
}
