//! Reading goldens and a manifest as they were at a git ref, without a checkout.
//!
//! Only plumbing that reads the object database is used (`rev-parse`, `ls-tree`,
//! `cat-file --batch`, `for-each-ref`): the gate never touches the working tree or
//! the index, so it is safe to run in a dirty checkout or next to a running build.
//! Every path given to git is literal (`--literal-pathspecs`, `--full-tree`), and a
//! ref that could be read as an option is refused before git is ever started.

use super::error::{GateError, Result};
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
pub fn check_ref(r: &str) -> Result<()> {
    if r.is_empty() {
        return Err(GateError::Usage(
            "the ref given to --against is empty".into(),
        ));
    }
    if r.starts_with('-') {
        return Err(GateError::RefusedRef {
            shown: format!("`{r}`"),
            why: "a ref must not start with '-' (git would read it as an option)",
        });
    }
    if r.chars().any(char::is_control) {
        return Err(GateError::RefusedRef {
            shown: format!("{r:?}"),
            why: "it contains a control character",
        });
    }
    Ok(())
}

impl Repo {
    /// Opens the repository that contains `dir`, returning it and `dir`'s path inside
    /// the repository (`goldens/`, with a trailing `/`; empty at the top).
    pub fn open(dir: &Path) -> Result<(Repo, String)> {
        let repo = Repo {
            dir: dir.to_owned(),
        };
        let prefix = repo.prefix_of(dir)?;
        Ok((repo, prefix))
    }

    /// The path of `dir` inside this repository, with a trailing `/`.
    pub fn prefix_of(&self, dir: &Path) -> Result<String> {
        let out = self.git_in(dir, &["rev-parse", "--show-prefix"])?;
        if !out.status.success() {
            return Err(GateError::NotInGit {
                dir: dir.to_owned(),
                detail: stderr_line(&out.stderr),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_owned())
    }

    /// The commit a ref names (or, for a tag that points at a tree, that tree: its
    /// goldens and manifest read the same), or a clear error when there is none.
    pub fn resolve(&self, r: &str) -> Result<String> {
        check_ref(r)?;
        for peel in ["commit", "tree"] {
            let spec = format!("{r}^{{{peel}}}");
            let out = self.git(&[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ])?;
            if out.status.success() {
                return Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned());
            }
        }
        // A ref that names an object of another kind (a tag of a blob) is no unknown
        // ref: say what it is, so the fix is to move the tag, not to fetch it.
        let out = self.git(&["cat-file", "-t", "--end-of-options", r])?;
        let kind = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if out.status.success() && !kind.is_empty() {
            return Err(GateError::NotACommit {
                shown: r.to_owned(),
                kind,
            });
        }
        Err(GateError::UnknownRef(r.to_owned()))
    }

    /// Whether this clone is shallow: its history, and so its release tags, may be
    /// incomplete, and "no earlier release" could not be told from "not fetched".
    pub fn is_shallow(&self) -> Result<bool> {
        let out = self.git(&["rev-parse", "--is-shallow-repository"])?;
        if !out.status.success() {
            return Err(GateError::Git(format!(
                "cannot tell whether the clone is shallow: {}",
                stderr_line(&out.stderr)
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim() == "true")
    }

    /// The names of the tags whose commit is HEAD or one of its ancestors: releases
    /// already in this history, which a release made from HEAD must be above.
    pub fn tags_in_history(&self) -> Result<Vec<String>> {
        let out = self.git(&[
            "for-each-ref",
            "--merged=HEAD",
            "--format=%(refname:strip=2)",
            "refs/tags",
        ])?;
        if !out.status.success() {
            return Err(GateError::Git(format!(
                "cannot list the tags in HEAD's history: {}",
                stderr_line(&out.stderr)
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect())
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
    pub fn tags(&self) -> Result<Vec<Tag>> {
        let out = self.git(&[
            "for-each-ref",
            "--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)",
            "refs/tags",
        ])?;
        if !out.status.success() {
            return Err(GateError::Git(format!(
                "cannot list tags: {}",
                stderr_line(&out.stderr)
            )));
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
    pub fn entry(&self, commit: &str, path: &str) -> Result<Option<TreeEntry>> {
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
            return Err(GateError::Git(format!(
                "cannot read {commit}:{path}: {}",
                stderr_line(&out.stderr)
            )));
        }
        Ok(parse_ls_tree(&out.stdout).into_iter().next())
    }

    /// The entries of a tree.
    pub fn list(&self, tree: &str) -> Result<Vec<TreeEntry>> {
        let out = self.git(&["ls-tree", "-z", "--long", "--full-tree", tree])?;
        if !out.status.success() {
            return Err(GateError::Git(format!(
                "cannot list tree {tree}: {}",
                stderr_line(&out.stderr)
            )));
        }
        Ok(parse_ls_tree(&out.stdout))
    }

    /// The contents of several blobs, in order, through one `cat-file --batch`.
    pub fn read_blobs(&self, oids: &[String]) -> Result<Vec<Vec<u8>>> {
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
        let broken = |what: String| GateError::Git(format!("git cat-file: {what}"));
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| broken("no stdin".into()))?;
        let input: String = oids.iter().map(|o| format!("{o}\n")).collect();
        // Written from a thread: git answers while reading, and a full stdout pipe
        // must not block it while we are still writing.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let stdout = child.stdout.take();
        let mut reader = BufReader::new(stdout.ok_or_else(|| broken("no stdout".into()))?);
        let mut blobs = Vec::with_capacity(oids.len());
        for oid in oids {
            let mut header = String::new();
            reader
                .read_line(&mut header)
                .map_err(|e| broken(e.to_string()))?;
            let fields: Vec<&str> = header.split_whitespace().collect();
            let size = match fields.as_slice() {
                [_, "blob", size] => size.parse::<usize>().ok(),
                _ => None,
            }
            .ok_or_else(|| broken(format!("could not read {oid}: {}", header.trim())))?;
            let mut body = vec![0; size + 1];
            reader
                .read_exact(&mut body)
                .map_err(|e| broken(e.to_string()))?;
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
        // A git hook runs with GIT_DIR (and friends) set, often relative to the
        // repository's top; `-C` would make them point elsewhere. Anchored to the
        // folder the gate was started in, they mean what they meant to the hook.
        let Ok(cwd) = std::env::current_dir() else {
            return cmd;
        };
        for var in GIT_PATH_VARIABLES {
            if let Some(value) = std::env::var_os(var) {
                let path = Path::new(&value);
                if path.is_relative() {
                    cmd.env(var, cwd.join(path));
                }
            }
        }
        // With GIT_DIR and no GIT_WORK_TREE, git takes its own folder as the work
        // tree's top: for the hook that was its folder, not the one `-C` names.
        if std::env::var_os("GIT_DIR").is_some() && std::env::var_os("GIT_WORK_TREE").is_none() {
            cmd.env("GIT_WORK_TREE", &cwd);
        }
        cmd
    }

    /// The bytes of the file at `path` (from the repository's top) in `commit`, or
    /// `None` when there is no such file there.
    pub fn read_file(&self, commit: &str, path: &str) -> Result<Option<Vec<u8>>> {
        match self.entry(commit, path)? {
            Some(e) if e.kind == "blob" => Ok(self.read_blobs(&[e.oid])?.pop()),
            _ => Ok(None),
        }
    }

    fn git(&self, args: &[&str]) -> Result<std::process::Output> {
        self.git_in(&self.dir, args)
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> Result<std::process::Output> {
        self.command(dir).args(args).output().map_err(cannot_run)
    }
}

/// The variables git reads as paths, which a hook may set relative to its folder.
const GIT_PATH_VARIABLES: [&str; 4] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
];

/// Git is missing or cannot start: say so, since the baseline lives in git.
fn cannot_run(e: std::io::Error) -> GateError {
    GateError::Git(format!(
        "cannot run git: {e} (the gate reads the baseline from git; is git installed and on PATH?)"
    ))
}

/// Git's first line of complaint, without `fatal: `, for an error message.
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
