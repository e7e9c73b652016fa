//! Which tag is a crate's previous release: tag names as projects write them.
//!
//! A single-crate project tags `v1.2.0` or `1.2.0`; workspace release tools tag each
//! crate on its own, `myapi-v1.2.0` (cargo-release, release-plz) or `myapi@1.2.0`.
//! A crate's own tags win; the bare ones belong to the root package (or, in a virtual
//! workspace, to every member), so that a member never gets gated against another
//! crate's release. `--tag-pattern` covers any other scheme.

use super::git::Tag;
use super::semver::precedence;
use semver::Version;
use std::cmp::Ordering;

/// The tag shapes that name a crate's releases, `{version}` standing for X.Y.Z.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRules {
    /// Patterns in order of preference (the first wins when two tags name one version).
    patterns: Vec<String>,
}

/// The default baseline, and why it was picked (for the report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// The tag.
    pub tag: Tag,
    /// The version its name says.
    pub version: Version,
    /// One sentence: which rule picked it.
    pub why: String,
}

/// The version a bare tag names: `v1.2.3` or `1.2.3` (with optional pre-release or
/// build), and nothing else, so `release-1` or `v1` never becomes a baseline.
pub fn tag_version(name: &str) -> Option<Version> {
    TagRules::bare().version_of(name).map(|(v, _)| v)
}

impl TagRules {
    /// `vX.Y.Z` and `X.Y.Z`: a single crate's (or a shared workspace version's) tags.
    pub fn bare() -> TagRules {
        TagRules {
            patterns: vec!["v{version}".into(), "{version}".into()],
        }
    }

    /// The tags of `krate`: its own (`<crate>-vX.Y.Z`, `<crate>@X.Y.Z`) when any exist
    /// or when it does not `own_bare` tags; else the bare ones. `custom` (from
    /// `--tag-pattern`, `{crate}` replaced) overrides both.
    pub fn for_crate(krate: &str, own_bare: bool, custom: Option<&str>, tags: &[Tag]) -> TagRules {
        if let Some(p) = custom {
            return TagRules {
                patterns: vec![p.replace("{crate}", krate)],
            };
        }
        let own = TagRules {
            patterns: vec![
                format!("{krate}-v{{version}}"),
                format!("{krate}@{{version}}"),
            ],
        };
        if !own_bare || tags.iter().any(|t| own.version_of(&t.name).is_some()) {
            own
        } else {
            TagRules::bare()
        }
    }

    /// The patterns as the report shows them: `` `v{version}`, `{version}` ``.
    pub fn describe(&self) -> String {
        self.patterns
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// The version a tag names under these rules, and the index of the pattern.
    pub fn version_of(&self, name: &str) -> Option<(Version, usize)> {
        self.patterns.iter().enumerate().find_map(|(i, p)| {
            let (pre, post) = p.split_once("{version}")?;
            let v = name.strip_prefix(pre)?.strip_suffix(post)?;
            if !v.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            Version::parse(v).ok().map(|v| (v, i))
        })
    }

    /// Picks the default baseline: the newest (by semver precedence) release before
    /// `current`.
    ///
    /// Tags above `current` are skipped (a maintenance release 1.4.2 compares with 1.4.1,
    /// not with 2.0.0), and so are pre-release tags unless `current` is a pre-release
    /// (a release is gated against the last release). A tag of exactly `current` counts
    /// unless it points at `head`: on a release commit that tag is the release being
    /// gated; elsewhere (a pull request before the bump) it is the last release.
    ///
    /// When today's version is tagged on `head`, every other tag of that version (`1.0.1`
    /// beside `v1.0.1`) names the same release, so none of them is its baseline. When no
    /// release qualifies, a pre-release tag below `current` does (a release after only
    /// pre-releases is compared with the newest, rather than called the first).
    pub fn pick(&self, tags: &[Tag], current: &Version, head: Option<&str>) -> Option<Pick> {
        let released_at_head = self.release_at_head(tags, current, head).is_some();
        let candidates = |with_pre: bool| {
            tags.iter()
                .filter_map(|t| self.version_of(&t.name).map(|(v, i)| (t, v, i)))
                .filter(move |(_, v, _)| with_pre || v.pre.is_empty() || !current.pre.is_empty())
                .filter(move |(_, v, _)| match precedence(v, current) {
                    Ordering::Less => true,
                    Ordering::Equal => !released_at_head,
                    Ordering::Greater => false,
                })
        };
        let newest = |with_pre: bool| {
            candidates(with_pre).max_by(|(ta, a, ia), (tb, b, ib)| {
                precedence(a, b)
                    // The same version tagged twice (`v1.4.0`, `1.4.0`): prefer the
                    // earlier pattern, then the name, for a stable answer.
                    .then_with(|| ib.cmp(ia))
                    .then_with(|| tb.name.cmp(&ta.name))
            })
        };
        let (tag, version, _) = newest(false).or_else(|| newest(true))?;
        let why = if precedence(&version, current).is_eq() {
            format!(
                "it names today's version {current} but is not on HEAD, so it is the last \
                 release (tags {})",
                self.describe()
            )
        } else {
            format!(
                "the newest tag {} below {current}{}",
                self.describe(),
                if current.pre.is_empty() {
                    ", pre-releases skipped"
                } else {
                    ""
                }
            )
        };
        Some(Pick {
            tag: tag.clone(),
            version,
            why,
        })
    }

    /// The newest tag above `current` among `in_history` (the tags in HEAD's history),
    /// or, when `none_below`, among all tags: a release already made that today's
    /// version does not exceed, which the gate then refuses (0.9.0 after v1.0.0), rather
    /// than skipping it and calling today's the first release. A tag off HEAD's history
    /// (a 2.0.0 beside a 1.4.x maintenance branch) does not count while an older
    /// release is there to compare with.
    pub fn newest_above(
        &self,
        tags: &[Tag],
        current: &Version,
        in_history: &[String],
        none_below: bool,
    ) -> Option<(Tag, Version)> {
        tags.iter()
            .filter(|t| none_below || in_history.contains(&t.name))
            .filter_map(|t| self.version_of(&t.name).map(|(v, _)| (t, v)))
            .filter(|(_, v)| precedence(v, current).is_gt())
            .max_by(|(ta, a), (tb, b)| precedence(a, b).then_with(|| tb.name.cmp(&ta.name)))
            .map(|(t, v)| (t.clone(), v))
    }

    /// Tags that look like releases of `krate` under the default rules (its own forms,
    /// and the bare ones): what a `--tag-pattern` matching nothing has missed.
    pub fn release_like<'t>(krate: &str, tags: &'t [Tag]) -> Vec<&'t Tag> {
        let mut all = TagRules::bare();
        all.patterns.push(format!("{krate}-v{{version}}"));
        all.patterns.push(format!("{krate}@{{version}}"));
        tags.iter()
            .filter(|t| all.version_of(&t.name).is_some())
            .collect()
    }

    /// The tag of `current` on `head`, if any: the release being gated.
    pub fn release_at_head<'a>(
        &self,
        tags: &'a [Tag],
        current: &Version,
        head: Option<&str>,
    ) -> Option<&'a Tag> {
        tags.iter().find(|t| {
            head == Some(t.commit.as_str())
                && self
                    .version_of(&t.name)
                    .is_some_and(|(v, _)| precedence(&v, current).is_eq())
        })
    }
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

    fn pick(rules: &TagRules, tags: &[Tag], current: &str, head: Option<&str>) -> Option<String> {
        rules
            .pick(tags, &Version::parse(current).unwrap(), head)
            .map(|p| p.tag.name)
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
            "api-v1.0.0",
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
        let bare = TagRules::bare();
        // Semver order, not text order; pre-releases and later versions skipped.
        assert_eq!(
            pick(&bare, &tags, "1.10.1", None).as_deref(),
            Some("v1.10.0")
        );
        // A pre-release today may compare with a pre-release.
        assert_eq!(
            pick(&bare, &tags, "1.10.1-rc.2", None).as_deref(),
            Some("v1.10.1-rc.1")
        );
        // The tag of today's version is the baseline, unless it tags HEAD itself.
        assert_eq!(
            pick(&bare, &tags, "2.0.0", Some("x")).as_deref(),
            Some("v2.0.0")
        );
        assert_eq!(
            pick(&bare, &tags, "2.0.0", Some("e")).as_deref(),
            Some("v1.10.0")
        );
        assert_eq!(pick(&bare, &tags, "1.0.0", None), None);
        let twice = [tag("1.4.0", "a"), tag("v1.4.0", "a")];
        assert_eq!(
            pick(&bare, &twice, "1.5.0", None).as_deref(),
            Some("v1.4.0")
        );
    }

    #[test]
    fn every_tag_of_the_release_on_head_is_that_release() {
        let tags = [tag("v1.0.0", "a"), tag("1.0.1", "b"), tag("v1.0.1", "c")];
        let bare = TagRules::bare();
        assert_eq!(
            pick(&bare, &tags, "1.0.1", Some("c")).as_deref(),
            Some("v1.0.0")
        );
        // Off HEAD (a pull request before the bump), a tag of today's version is the baseline.
        assert_eq!(
            pick(&bare, &tags, "1.0.1", Some("x")).as_deref(),
            Some("v1.0.1")
        );
        // Only pre-releases before: the newest is the baseline, not "first release".
        let rc = [tag("v1.0.0-rc.1", "a"), tag("v1.0.0-rc.2", "b")];
        assert_eq!(
            pick(&bare, &rc, "1.0.0", None).as_deref(),
            Some("v1.0.0-rc.2")
        );
    }

    #[test]
    fn a_release_above_today_counts_in_heads_history_or_when_none_is_below() {
        let tags = [tag("v0.8.0", "a"), tag("v1.0.0", "b"), tag("v2.0.0", "c")];
        let bare = TagRules::bare();
        let v = Version::parse("0.9.0").unwrap();
        let history = ["v0.8.0".to_owned(), "v1.0.0".to_owned()];
        let above = |h: &[String], none_below| {
            bare.newest_above(&tags, &v, h, none_below)
                .map(|(t, _)| t.name)
        };
        assert_eq!(above(&history, false).as_deref(), Some("v1.0.0"));
        assert_eq!(above(&history[..1], false), None);
        assert_eq!(above(&[], true).as_deref(), Some("v2.0.0"));
        assert_eq!(
            TagRules::release_like("api", &[tag("api@1.0.0", "a"), tag("x-v1", "b")]).len(),
            1
        );
    }

    #[test]
    fn a_crate_uses_its_own_tags_and_never_another_crates() {
        let tags = [
            tag("v0.1.0", "a"),
            tag("api-v1.2.0", "b"),
            tag("api@1.3.0", "c"),
            tag("apix-v9.0.0", "d"),
            tag("cli-v0.4.0", "e"),
        ];
        let api = TagRules::for_crate("api", true, None, &tags);
        assert_eq!(
            pick(&api, &tags, "2.0.0", None).as_deref(),
            Some("api@1.3.0")
        );
        // A member without tags of its own does not borrow the root's `v0.1.0`...
        let adopt = TagRules::for_crate("adopt", false, None, &tags);
        assert_eq!(pick(&adopt, &tags, "0.2.0", None), None);
        // ...but the root package (or a virtual workspace's member) uses bare tags.
        let root = TagRules::for_crate("root", true, None, &tags);
        assert_eq!(pick(&root, &tags, "0.2.0", None).as_deref(), Some("v0.1.0"));
        let custom = TagRules::for_crate("cli", true, Some("release/{crate}/{version}"), &tags);
        assert_eq!(custom.describe(), "`release/cli/{version}`");
        let tags = [tag("release/cli/0.3.0", "x")];
        assert_eq!(
            pick(&custom, &tags, "0.4.0", None).as_deref(),
            Some("release/cli/0.3.0")
        );
    }
}
