//! What `pufa serve` keeps between builds, so that saving one article of a
//! 10,000-article site rebuilds in tens of milliseconds instead of a second.
//!
//! - **Sources**: each article file as read and parsed (front matter, body),
//!   reused while the file's [`Stamp`] (size, modification time, inode) is
//!   unchanged. Only changed files are read again.
//! - **Rendered Markdown**: each article's HTML and everything found while
//!   rendering it (summary, headings, citations, warnings), reused while the
//!   article's file and place are unchanged and so is everything its links
//!   resolve against: the other articles' URLs, the assets and the statutes
//!   (the *context*, one fingerprint per build).
//! - Everything is forgotten when the configuration changes.
//!
//! `pufa build` starts from nothing every time and uses none of this.

// Fx rather than SipHash: every build looks up each of the site's paths
// here, and the keys are the site's own file names.
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::content::ArticleSource;

/// The version of a file as the file system sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        })
    }
}

/// Up to this many changed files are looked up one by one in the lists of
/// the last build; more (a `git checkout`, a search and replace across the
/// site) are handled like a build without a report.
const FEW: usize = 16;

/// Kept by the caller between builds; starts empty.
#[derive(Default)]
pub struct Cache {
    /// The configuration everything here was made with: front matter dates
    /// are read in its time zone, pages made with its URLs.
    config: Option<u64>,
    /// By absolute path.
    pub(crate) sources: FxHashMap<PathBuf, (Stamp, ArticleSource)>,
    /// By the article's absolute path: (key, result). See [`render_key`].
    pub(crate) rendered: FxHashMap<PathBuf, (u64, crate::site::Rendered)>,
    /// The files under `content/` and the warnings of walking it, while no
    /// file has been added or removed there.
    pub(crate) walk: Option<(
        Vec<crate::content::Entry>,
        Vec<crate::diagnostics::Diagnostic>,
    )>,
    /// When the file watcher's report is complete: the files under
    /// `content/` that changed since the last build. Other files need not
    /// even be looked at. `None`: check every file's stamp.
    pub(crate) changed: Option<FxHashSet<PathBuf>>,
}

impl Cache {
    /// Forgets everything when the configuration is not the one the cache
    /// was filled with: a new time zone or base URL changes every article.
    pub(crate) fn use_config(&mut self, config: &crate::config::Config) {
        let now = Some(fingerprint(format!("{config:?}")));
        if self.config != now {
            *self = Cache {
                config: now,
                ..Cache::default()
            };
        }
    }

    /// Tells the cache which files changed (from the file watcher), so that
    /// the next build walks `content/` again only if it has to: when a file
    /// there appeared or disappeared (or is not a plain file the last walk
    /// saw). Changes elsewhere (static/, the theme, site.yaml) do not change
    /// the list of content files; everything else is checked per file anyway.
    pub fn note_changes(&mut self, root: &Path, paths: &[PathBuf]) {
        // A report that the last build never used (it stopped at an error
        // in site.yaml, before reading the content) still counts: its files
        // join this one's.
        let earlier = self.changed.take();
        let Some((entries, _)) = &self.walk else {
            return;
        };
        let content = root.join("content");
        let under_content: Vec<&PathBuf> =
            paths.iter().filter(|p| p.starts_with(&content)).collect();
        let same_files = if under_content.len() <= FEW {
            // Looking a file or two up in the list costs less than hashing
            // the whole list (10,000 paths) on every save.
            let known = |p: &Path| entries.iter().any(|e| e.path() == p);
            under_content.iter().all(|p| known(p) && p.is_file())
        } else {
            let known: FxHashSet<&Path> = entries.iter().map(|e| e.path()).collect();
            under_content
                .iter()
                .all(|p| known.contains(p.as_path()) && p.is_file())
        };
        if same_files {
            let mut changed = earlier.unwrap_or_default();
            changed.extend(under_content.into_iter().cloned());
            self.changed = Some(changed);
        } else {
            self.walk = None;
        }
    }

    /// The parsed source of `path` if the watcher reported the content
    /// folder completely and `path` is not among the changed files.
    pub(crate) fn unchanged_source(&self, path: &Path) -> Option<&ArticleSource> {
        let changed = self.changed.as_ref()?;
        if changed.contains(path) {
            return None;
        }
        self.sources.get(path).map(|(_, a)| a)
    }

    /// The parsed source of `path` if the file is still at `stamp`.
    pub(crate) fn source(&self, path: &Path, stamp: Stamp) -> Option<&ArticleSource> {
        self.sources
            .get(path)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, a)| a)
    }

    /// Remembers this build's sources (those that were read without error).
    /// Unchanged ones are already here and stay; new versions are copied in.
    /// The watcher's report is used up: the next build checks every file's
    /// stamp unless it gets a new report.
    pub(crate) fn keep_sources(&mut self, sources: &[ArticleSource]) {
        match self.changed.take() {
            // The watcher's report was complete and no file came or went:
            // the other sources came from here as they are.
            Some(changed) if changed.len() <= FEW => {
                for path in changed {
                    match sources.iter().find(|a| a.path == path) {
                        Some(a) => self.keep_source(a),
                        // It failed to load: its old version must not stand in.
                        None => _ = self.sources.remove(&path),
                    }
                }
            }
            _ => {
                for a in sources {
                    self.keep_source(a);
                }
                forget_missing(&mut self.sources, sources.iter().map(|a| a.path.as_path()));
            }
        }
    }

    fn keep_source(&mut self, a: &ArticleSource) {
        match a.stamp {
            Some(stamp) => {
                if self.sources.get(&a.path).is_none_or(|(s, _)| *s != stamp) {
                    self.sources.insert(a.path.clone(), (stamp, a.clone()));
                }
            }
            // Read, but its version is unknown (replaced while being read):
            // no earlier version may stand in for it.
            None => _ = self.sources.remove(&a.path),
        }
    }

    /// Remembers this build's renderings: (key, whether it came from the
    /// cache, the result). New ones go in; articles gone are forgotten.
    pub(crate) fn keep_rendered(
        &mut self,
        rendered: &[(Option<u64>, bool, crate::site::Rendered)],
    ) {
        for (key, hit, r) in rendered {
            if let (false, Some(key)) = (hit, key) {
                self.rendered.insert(r.path.clone(), (*key, r.clone()));
            }
        }
        forget_missing(
            &mut self.rendered,
            rendered.iter().map(|(_, _, r)| r.path.as_path()),
        );
    }
}

/// Drops the entries of `map` whose path is not among `present` (all of
/// this build's paths; the map holds at least those).
fn forget_missing<'a, V>(
    map: &mut FxHashMap<PathBuf, V>,
    present: impl ExactSizeIterator<Item = &'a Path>,
) {
    if map.len() > present.len() {
        let present: FxHashSet<&Path> = present.collect();
        map.retain(|path, _| present.contains(path.as_path()));
    }
}

/// A fingerprint of anything hashable, stable within one process.
pub(crate) fn fingerprint(value: impl Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A fingerprint of a collection whose order means nothing (a hash map's):
/// the sum of its items' fingerprints, which no order changes.
pub(crate) fn fingerprint_unordered<T: Hash>(items: impl IntoIterator<Item = T>) -> u64 {
    items
        .into_iter()
        .map(fingerprint)
        .fold(0, u64::wrapping_add)
}

/// The key of one article's rendering: its file version and place in the
/// site, combined with the build's context fingerprint.
pub(crate) fn render_key(context: u64, placed: &crate::site::Placed) -> Option<u64> {
    let stamp = placed.source.stamp?;
    Some(fingerprint((
        context,
        &placed.source.path,
        stamp,
        &placed.slug,
        &placed.url,
        placed.section,
        placed.status as u8,
        placed.date.timestamp().as_nanosecond(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unordered_fingerprints_ignore_order_but_not_contents() {
        let (a, b) = (("content/a.md", "/a/"), ("content/b.md", "/b/"));
        let fp = |items: &[(&str, &str)]| fingerprint_unordered(items);
        assert_eq!(fp(&[a, b]), fp(&[b, a]));
        assert_ne!(fp(&[a, b]), fp(&[a, ("content/b.md", "/c/")]));
        assert_ne!(
            fp(&[a, b]),
            fp(&[("content/a.md", "/b/"), ("content/b.md", "/a/")]),
            "pairs are hashed together"
        );
    }
}
