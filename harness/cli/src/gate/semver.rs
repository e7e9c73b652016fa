//! Semver levels and the bump between two crate versions, by Cargo's rules.
//!
//! Cargo reads the leftmost non-zero part of a version as its "major" part: `^0.3.1`
//! accepts `0.3.9` but not `0.4.0`, and `^0.0.3` accepts nothing but `0.0.3`. So
//! a `0.y.z` minor bump is breaking-level and a patch bump is minor-level, and any
//! `0.0.z` bump is breaking-level. The gate judges a bump by what it lets clients
//! pick up automatically, not by which number changed.

use semver::Version;
use std::cmp::Ordering;
use std::fmt;

/// How much of semver's promise a change needs, or a bump carries.
///
/// Changes need `None` (no wire effect), `Minor` (additive) or `Major` (breaking);
/// bumps carry `Patch`, `Minor` or `Major` (or `None` when the version did not grow).
/// A release is covered when its bump's level is at least the changes' level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a client can observe changed; any version covers it.
    None,
    /// Fixes only: clients of the old version can take it silently.
    Patch,
    /// Additions: old clients keep working, new ones may rely on more.
    Minor,
    /// Breaking: a client of the old version can misread the new one.
    Major,
}

impl Level {
    /// The lowercase name used in every output format (`major`, `minor`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which number moved between the baseline version and today's, before Cargo's
/// `0.y.z` rules decide what that is worth ([`Bump::level`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BumpKind {
    /// Today's version is below the baseline (a wrong baseline or a typo).
    Lower,
    /// The same version (build metadata aside): nothing is released yet.
    Same,
    /// `x.y.Z` grew.
    Patch,
    /// `x.Y.z` grew.
    Minor,
    /// `X.y.z` grew.
    Major,
    /// Either side is a pre-release, which promises no compatibility.
    PreRelease,
}

/// The step from the baseline version to today's, and the level it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bump {
    /// The baseline's version.
    pub from: Version,
    /// Today's version.
    pub to: Version,
    /// Which number moved.
    pub kind: BumpKind,
    /// What the move is worth under Cargo's rules; compared with the changes' level.
    pub level: Level,
}

/// Orders versions by semver precedence, ignoring build metadata (which semver
/// says carries no precedence, but `semver::Version`'s `Ord` uses as a tie-break).
pub fn precedence(a: &Version, b: &Version) -> Ordering {
    (a.major, a.minor, a.patch, &a.pre).cmp(&(b.major, b.minor, b.patch, &b.pre))
}

impl Bump {
    /// Classifies the step from `from` to `to`.
    ///
    /// A pre-release on either side counts as a major bump: Cargo never selects a
    /// pre-release for a plain requirement like `^1.4.0`, so only users who opted in
    /// by name get one, and semver lets a pre-release (and the step out of one)
    /// break anything.
    pub fn between(from: &Version, to: &Version) -> Bump {
        let (kind, level) = match precedence(to, from) {
            Ordering::Less => (BumpKind::Lower, Level::None),
            Ordering::Equal => (BumpKind::Same, Level::None),
            Ordering::Greater if !to.pre.is_empty() || !from.pre.is_empty() => {
                (BumpKind::PreRelease, Level::Major)
            }
            Ordering::Greater if to.major != from.major => (BumpKind::Major, Level::Major),
            Ordering::Greater if to.minor != from.minor => (
                BumpKind::Minor,
                if from.major == 0 {
                    Level::Major
                } else {
                    Level::Minor
                },
            ),
            Ordering::Greater => (
                BumpKind::Patch,
                match (from.major, from.minor) {
                    (0, 0) => Level::Major,
                    (0, _) => Level::Minor,
                    _ => Level::Patch,
                },
            ),
        };
        Bump {
            from: from.clone(),
            to: to.clone(),
            kind,
            level,
        }
    }

    /// Whether this bump covers changes that need `required`.
    pub fn covers(&self, required: Level) -> bool {
        self.level >= required
    }

    /// The bump described for a sentence: `a patch bump`, `a minor bump, major-level
    /// under Cargo's 0.y.z rules`, `not a bump (the version is still 1.4.0)`.
    pub fn phrase(&self) -> String {
        let named = |n: &str, natural: Level| {
            if self.level == natural {
                format!("a {n} bump")
            } else {
                format!("a {n} bump, {}-level under Cargo's 0.y.z rules", self.level)
            }
        };
        match self.kind {
            BumpKind::Lower => format!("lower than {}, not a bump", self.from),
            BumpKind::Same => "not a bump".to_owned(),
            BumpKind::Patch => named("patch", Level::Patch),
            BumpKind::Minor => named("minor", Level::Minor),
            BumpKind::Major => "a major bump".to_owned(),
            BumpKind::PreRelease if !self.to.pre.is_empty() => {
                "a pre-release, which counts as a major bump".to_owned()
            }
            BumpKind::PreRelease => {
                format!(
                    "the release after pre-release {}, which counts as a major bump",
                    self.from
                )
            }
        }
    }

    /// The lowercase name of [`BumpKind`] for machine-readable output.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            BumpKind::Lower => "lower",
            BumpKind::Same => "same",
            BumpKind::Patch => "patch",
            BumpKind::Minor => "minor",
            BumpKind::Major => "major",
            BumpKind::PreRelease => "pre-release",
        }
    }
}

/// The smallest release version after `from` whose bump covers `required`, so a
/// refusal can say exactly what to set; `None` when any version does.
pub fn smallest_covering(from: &Version, required: Level) -> Option<Version> {
    if required == Level::None {
        return None;
    }
    if !from.pre.is_empty() {
        // Leaving a pre-release already counts as major: its release is enough.
        return Some(Version::new(from.major, from.minor, from.patch));
    }
    let (ma, mi, pa) = (from.major, from.minor, from.patch);
    Some(match (required, ma, mi) {
        (_, 0, 0) | (Level::Patch, _, _) => Version::new(ma, mi, pa + 1),
        (Level::Major, 0, _) => Version::new(0, mi + 1, 0),
        (_, 0, _) => Version::new(0, mi, pa + 1),
        (Level::Major, _, _) => Version::new(ma + 1, 0, 0),
        _ => Version::new(ma, mi + 1, 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bump(a: &str, b: &str) -> Bump {
        Bump::between(&Version::parse(a).unwrap(), &Version::parse(b).unwrap())
    }

    #[test]
    fn one_dot_and_later_follow_plain_semver() {
        assert_eq!(bump("1.4.0", "1.4.1").level, Level::Patch);
        assert_eq!(bump("1.4.0", "1.5.0").level, Level::Minor);
        assert_eq!(bump("1.4.7", "2.0.0").level, Level::Major);
        assert_eq!(bump("0.9.3", "1.0.0").level, Level::Major);
        assert!(!bump("1.4.0", "1.4.1").covers(Level::Minor));
        assert!(bump("1.4.0", "1.5.0").covers(Level::Minor));
        assert!(!bump("1.4.0", "1.5.0").covers(Level::Major));
    }

    #[test]
    fn zero_major_versions_shift_levels_like_cargo() {
        let b = bump("0.3.0", "0.3.1");
        assert_eq!((b.kind, b.level), (BumpKind::Patch, Level::Minor));
        assert!(!b.covers(Level::Major));
        let b = bump("0.3.0", "0.4.0");
        assert_eq!((b.kind, b.level), (BumpKind::Minor, Level::Major));
        assert_eq!(bump("0.0.3", "0.0.4").level, Level::Major);
        assert_eq!(
            b.phrase(),
            "a minor bump, major-level under Cargo's 0.y.z rules"
        );
    }

    #[test]
    fn pre_releases_count_as_major_and_build_metadata_is_ignored() {
        let b = bump("1.4.0", "2.0.0-rc.1");
        assert_eq!((b.kind, b.level), (BumpKind::PreRelease, Level::Major));
        assert_eq!(bump("1.4.0", "1.4.1-alpha").level, Level::Major);
        assert_eq!(bump("2.0.0-rc.1", "2.0.0").level, Level::Major);
        assert_eq!(bump("1.4.0", "1.4.0-rc.1").kind, BumpKind::Lower);
        assert_eq!(bump("1.4.0", "1.4.0+build.5").kind, BumpKind::Same);
        assert_eq!(bump("1.4.0", "1.3.9").kind, BumpKind::Lower);
        assert!(bump("1.4.0", "1.4.0").covers(Level::None));
        assert!(!bump("1.4.0", "1.4.0").covers(Level::Minor));
    }

    #[test]
    fn the_smallest_covering_version_follows_the_same_rules() {
        let v = |s: &str| Version::parse(s).unwrap();
        let s = |from: &str, l| smallest_covering(&v(from), l).map(|v| v.to_string());
        assert_eq!(s("1.4.0", Level::Major).as_deref(), Some("2.0.0"));
        assert_eq!(s("1.4.3", Level::Minor).as_deref(), Some("1.5.0"));
        assert_eq!(s("0.3.0", Level::Major).as_deref(), Some("0.4.0"));
        assert_eq!(s("0.3.0", Level::Minor).as_deref(), Some("0.3.1"));
        assert_eq!(s("0.0.3", Level::Minor).as_deref(), Some("0.0.4"));
        assert_eq!(s("2.0.0-rc.1", Level::Major).as_deref(), Some("2.0.0"));
        assert_eq!(s("1.4.0", Level::None), None);
        // An informational change (issue 19) needs a release, if only a patch one.
        assert_eq!(s("1.4.0", Level::Patch).as_deref(), Some("1.4.1"));
        // Every suggestion really covers what it was asked for.
        for from in ["1.4.0", "0.3.0", "0.0.3", "2.0.0-rc.1"] {
            for l in [Level::Patch, Level::Minor, Level::Major] {
                let to = smallest_covering(&v(from), l).unwrap();
                assert!(Bump::between(&v(from), &to).covers(l), "{from} -> {to}");
            }
        }
    }
}
