//! What `pufa serve` keeps between builds, so that saving one article of a
//! 10,000-article site rebuilds in tens of milliseconds instead of a second.
//!
//! - **Sources**: each article file as read and parsed (front matter, body),
//!   reused while the file's [`Stamp`] (size, modification and change
//!   times, inode) is unchanged and the watcher has not reported it. Only
//!   changed files are read again.
//! - **Assets**: what each other file under `content/` was found to be (an
//!   image's pixel size, the file's size), probed again only when its stamp
//!   changes: probing thousands of images on every save took longer than
//!   the rest of a rebuild.
//! - **Rendered Markdown**: each article's HTML and everything found while
//!   rendering it (summary, headings, citations, warnings), reused while the
//!   article's file and place are unchanged, the statutes are unchanged (the
//!   *context*, one fingerprint per build), and every lookup the rendering
//!   made finds what it found: each article its links point to (where it
//!   is, whether it is live), each asset its links, images and cover found
//!   or missed, each file under static/ its cover was looked for at. So a
//!   new article or image elsewhere does not make every other article
//!   render again.
//! - Everything is forgotten when the configuration changes.
//!
//! `pufa build` starts from nothing every time and uses none of this.

// Fx rather than SipHash: every build looks up each of the site's paths
// here, and the keys are the site's own file names. Keyed by the paths'
// bytes (`OsString`), not `PathBuf`: `Path` hashes component by component,
// which made these lookups a tenth of a 10,000-article rebuild. Every key
// is a path as the content walk wrote it (`note_changes` swaps the
// watcher's paths for the walk's own), so one file always has one key.
use rustc_hash::{FxHashMap, FxHashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::content::{ArticleSource, Asset, AssetProbe};
use crate::diagnostics::Diagnostic;
pub use crate::stamp::Stamp;

/// The version of the site.yaml a configuration was read from, and the
/// `--base-url` it was read with (the site folder is the config's `root`).
#[derive(Debug, PartialEq)]
struct ConfigFile {
    stamp: Stamp,
    base_url: String,
}

/// Up to this many changed files are looked up one by one in the lists of
/// the last build; more (a `git checkout`, a search and replace across the
/// site) are handled like a build without a report.
const FEW: usize = 16;

/// Kept by the caller between builds; starts empty.
#[derive(Default)]
pub struct Cache {
    /// The configuration everything here was made with (front matter dates
    /// are read in its time zone, pages made with its URLs), and the
    /// version of site.yaml and the base URL it was read with, when it was
    /// read through [`Cache::load_config`].
    config: Option<(Option<ConfigFile>, Config)>,
    /// By absolute path.
    pub(crate) sources: Versions<Arc<ArticleSource>>,
    /// What each asset under `content/` was found to be, by absolute path.
    pub(crate) assets: Versions<AssetProbe>,
    /// By the article's absolute path: (key, result); the key is `render_key` in site.rs.
    pub(crate) rendered: FxHashMap<OsString, (u64, crate::site::Rendered)>,
    /// The files under `content/` and the warnings of walking it, while no
    /// file has been added or removed there.
    pub(crate) walk: Option<(
        Vec<crate::content::Entry>,
        Vec<crate::diagnostics::Diagnostic>,
    )>,
    /// When the file watcher's report is complete: the files under
    /// `content/` that changed since the last build. Other files need not
    /// even be looked at. `None`: check every file's stamp.
    pub(crate) changed: Option<FxHashSet<OsString>>,
}

impl Cache {
    /// Forgets everything when the configuration is not the one the cache
    /// was filled with: a new time zone or base URL changes every article.
    pub(crate) fn use_config(&mut self, config: &Config) {
        if self.config.as_ref().map(|(_, known)| known) != Some(config) {
            *self = Cache {
                config: Some((None, config.clone())),
                ..Cache::default()
            };
        }
    }

    /// site.yaml, read and checked again only when the file changed: after
    /// an idle pause, parsing it was the slowest few milliseconds of a save.
    pub fn load_config(&mut self, root: &Path, base_url: &str) -> Result<Config, Vec<Diagnostic>> {
        let file = Stamp::of(&root.join(crate::config::FILE_NAME)).map(|stamp| ConfigFile {
            stamp,
            base_url: base_url.to_string(),
        });
        if let Some((Some(known), config)) = &self.config
            && file.as_ref() == Some(known)
            && config.root == root
        {
            return Ok(config.clone());
        }
        let config = crate::config::load(root, Some(base_url))?;
        self.use_config(&config);
        if let Some((read_from, _)) = self.config.as_mut() {
            *read_from = file;
        }
        Ok(config)
    }

    /// Tells the cache which files changed (from the file watcher), so that
    /// the next build walks `content/` again only if it has to: when a file
    /// there appeared or disappeared (or is not a plain file the last walk
    /// saw). Changes elsewhere (static/, the theme, site.yaml) do not change
    /// the list of content files; everything else is checked per file anyway.
    pub fn note_changes(&mut self, root: &Path, paths: &[PathBuf]) {
        // A reported site.yaml is read again even at an unchanged stamp
        // (see `source`); the configuration read from it decides whether
        // anything else is kept.
        let site_yaml = root.join(crate::config::FILE_NAME);
        if paths.contains(&site_yaml)
            && let Some((read_from, _)) = self.config.as_mut()
        {
            *read_from = None;
        }
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
        // Each changed file as the walk wrote its path, if the walk has it.
        let walked: Vec<Option<&Path>> = if under_content.len() <= FEW {
            // Looking a file or two up in the list costs less than hashing
            // the whole list (10,000 paths) on every save.
            let known = |p: &Path| entries.iter().map(|e| e.path()).find(|&e| e == p);
            under_content.iter().map(|p| known(p)).collect()
        } else {
            let known: FxHashSet<&Path> = entries.iter().map(|e| e.path()).collect();
            under_content
                .iter()
                .map(|p| known.get(p.as_path()).copied())
                .collect()
        };
        let same_files = walked.iter().all(|w| w.is_some_and(Path::is_file));
        if same_files {
            let mut changed = earlier.unwrap_or_default();
            changed.extend(
                walked
                    .into_iter()
                    .flatten()
                    .map(|p| p.as_os_str().to_owned()),
            );
            self.changed = Some(changed);
        } else {
            self.walk = None;
        }
    }

    /// The parsed source of `path` if the watcher reported the content
    /// folder completely and `path` is not among the changed files.
    pub(crate) fn unchanged_source(&self, path: &Path) -> Option<&Arc<ArticleSource>> {
        self.unchanged(&self.sources, path).map(|(_, a)| a)
    }

    /// The parsed source of `path` if the file is still at `stamp` and the
    /// watcher did not report it. A reported file is read again even at the
    /// same stamp: file times come from a clock that ticks every few
    /// milliseconds, so a second save within one tick that keeps the size
    /// (a typo fixed, a digit changed) keeps the stamp too.
    pub(crate) fn source(&self, path: &Path, stamp: Stamp) -> Option<&Arc<ArticleSource>> {
        at_stamp(&self.sources, path, stamp).filter(|_| !self.reported(path))
    }

    /// [`Self::unchanged_source`] for an asset: its version and probe.
    pub(crate) fn unchanged_asset(&self, path: &Path) -> Option<(Stamp, AssetProbe)> {
        self.unchanged(&self.assets, path).map(|&(s, p)| (s, p))
    }

    /// [`Self::source`] for an asset.
    pub(crate) fn asset(&self, path: &Path, stamp: Stamp) -> Option<AssetProbe> {
        at_stamp(&self.assets, path, stamp)
            .copied()
            .filter(|_| !self.reported(path))
    }

    /// Whether the watcher's report names `path` as changed.
    fn reported(&self, path: &Path) -> bool {
        self.changed
            .as_ref()
            .is_some_and(|changed| changed.contains(path.as_os_str()))
    }

    fn unchanged<'m, V>(&self, map: &'m Versions<V>, path: &Path) -> Option<&'m (Stamp, V)> {
        let changed = self.changed.as_ref()?;
        if changed.contains(path.as_os_str()) {
            return None;
        }
        map.get(path.as_os_str())
    }

    /// Remembers this build's sources (those that were read without error)
    /// and assets. Unchanged ones are already here and stay; new versions
    /// are copied in. The watcher's report is used up: the next build checks
    /// every file's stamp unless it gets a new report.
    pub(crate) fn keep_loaded(&mut self, sources: &[Arc<ArticleSource>], assets: &[Asset]) {
        match self.changed.take() {
            // The watcher's report was complete and no file came or went:
            // the other files came from here as they are.
            Some(changed) if changed.len() <= FEW => {
                for path in changed {
                    // A changed article that failed to load is not among
                    // `sources`: its old version must not stand in.
                    match sources.iter().find(|a| a.path.as_os_str() == path) {
                        Some(a) => keep_version(&mut self.sources, &a.path, a.stamp, || a.clone()),
                        None => _ = self.sources.remove(&path),
                    }
                    match assets.iter().find(|a| a.path.as_os_str() == path) {
                        Some(a) => keep_version(&mut self.assets, &a.path, a.stamp, || a.probe),
                        None => _ = self.assets.remove(&path),
                    }
                }
            }
            _ => {
                for a in sources {
                    keep_version(&mut self.sources, &a.path, a.stamp, || a.clone());
                }
                forget_missing(
                    &mut self.sources,
                    sources.iter().map(|a| a.path.as_os_str()),
                );
                for a in assets {
                    keep_version(&mut self.assets, &a.path, a.stamp, || a.probe);
                }
                forget_missing(&mut self.assets, assets.iter().map(|a| a.path.as_os_str()));
            }
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
                self.rendered
                    .insert(r.path.as_os_str().to_owned(), (*key, r.clone()));
            }
        }
        forget_missing(
            &mut self.rendered,
            rendered.iter().map(|(_, _, r)| r.path.as_os_str()),
        );
    }
}

// The stages ask through their own traits; the cache, above them, answers.
impl crate::Remember for Cache {
    fn use_config(&mut self, config: &Config) {
        Cache::use_config(self, config);
    }

    fn loads(&mut self) -> &mut dyn crate::content::Memory {
        self
    }

    fn renderings(&mut self) -> &mut dyn crate::site::Renderings {
        self
    }
}

impl crate::content::Memory for Cache {
    fn take_walk(&mut self) -> Option<(Vec<crate::content::Entry>, Vec<Diagnostic>)> {
        self.walk.take()
    }

    fn keep_walk(&mut self, entries: Vec<crate::content::Entry>, diags: Vec<Diagnostic>) {
        self.walk = Some((entries, diags));
    }

    fn unchanged_source(&self, path: &Path) -> Option<&Arc<ArticleSource>> {
        Cache::unchanged_source(self, path)
    }

    fn source(&self, path: &Path, stamp: Stamp) -> Option<&Arc<ArticleSource>> {
        Cache::source(self, path, stamp)
    }

    fn unchanged_asset(&self, path: &Path) -> Option<(Stamp, AssetProbe)> {
        Cache::unchanged_asset(self, path)
    }

    fn asset(&self, path: &Path, stamp: Stamp) -> Option<AssetProbe> {
        Cache::asset(self, path, stamp)
    }

    fn keep_loaded(&mut self, sources: &[Arc<ArticleSource>], assets: &[Asset]) {
        Cache::keep_loaded(self, sources, assets);
    }
}

impl crate::site::Renderings for Cache {
    fn rendered(&self, path: &Path) -> Option<&(u64, crate::site::Rendered)> {
        self.rendered.get(path.as_os_str())
    }

    fn keep_rendered(&mut self, rendered: &[(Option<u64>, bool, crate::site::Rendered)]) {
        Cache::keep_rendered(self, rendered);
    }
}

/// Drops the entries of `map` whose path is not among `present` (all of
/// this build's paths; the map holds at least those).
fn forget_missing<'a, V>(
    map: &mut FxHashMap<OsString, V>,
    present: impl ExactSizeIterator<Item = &'a OsStr>,
) {
    if map.len() > present.len() {
        let present: FxHashSet<&OsStr> = present.collect();
        map.retain(|path, _| present.contains(path.as_os_str()));
    }
}

/// Files by path, each with the version it was read at.
type Versions<V> = FxHashMap<OsString, (Stamp, V)>;

fn at_stamp<'m, V>(map: &'m Versions<V>, path: &Path, stamp: Stamp) -> Option<&'m V> {
    map.get(path.as_os_str())
        .filter(|(s, _)| *s == stamp)
        .map(|(_, v)| v)
}

/// Stores `value` as the version of `path` at `stamp`, in place when the
/// path is known (no key copied). Always the value this build used: a file
/// read again at an unchanged stamp (see [`Cache::source`]) replaces the
/// version kept. Read without a stamp (replaced while being read), no
/// earlier version may stand in for it.
fn keep_version<V>(
    map: &mut Versions<V>,
    path: &Path,
    stamp: Option<Stamp>,
    value: impl FnOnce() -> V,
) {
    let key = path.as_os_str();
    match (stamp, map.get_mut(key)) {
        (Some(stamp), Some(kept)) => *kept = (stamp, value()),
        (Some(stamp), None) => _ = map.insert(key.to_owned(), (stamp, value())),
        (None, _) => _ = map.remove(key),
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    #[test]
    fn changed_files_are_keyed_as_the_walk_wrote_them() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("content").join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        std::fs::write(posts.join("a.md"), "---\ntitle: a\n---\n").unwrap();
        let walked = posts.join("a.md");
        let mut cache = Cache {
            walk: Some((
                vec![crate::content::Entry::Article {
                    path: walked.clone(),
                    bundle: false,
                }],
                Vec::new(),
            )),
            ..Cache::default()
        };
        // The same file, as a watcher might spell it: equal as a `Path`,
        // not byte for byte.
        let reported = dir.path().join("content/./posts//a.md");
        assert_ne!(reported.as_os_str(), walked.as_os_str());
        cache.note_changes(dir.path(), &[reported]);
        let changed = cache.changed.as_ref().expect("a complete report");
        assert!(changed.contains(walked.as_os_str()), "{changed:?}");
        assert_eq!(changed.len(), 1);
    }

    /// A second save within one tick of the file system's clock, with the
    /// same size, keeps the file's stamp. The watcher reports it, and the
    /// file is read and rendered again all the same.
    #[test]
    fn a_reported_file_is_read_again_at_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(crate::config::FILE_NAME),
            "title: 站\nbase_url: https://a.example.cn/\n",
        )
        .unwrap();
        let posts = dir.path().join("content").join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        let file = posts.join("a.md");
        let article =
            |word: &str| format!("---\ntitle: 甲\ndate: 2026-11-01\n---\n{word}的正文。\n");
        std::fs::write(&file, article("第一版")).unwrap();

        let mut cache = Cache::default();
        let config = cache
            .load_config(dir.path(), "http://127.0.0.1:1/")
            .unwrap();
        let now = "2026-11-29T12:00:00+08:00".parse().unwrap();
        let visibility = crate::schedule::Visibility::default();
        // What `pufa serve` runs (`crate::assemble_cached`), stage by stage:
        // the cache sits above the stages, not below the crate root.
        let html = |cache: &mut Cache| {
            let now = jiff::Timestamp::to_zoned_datetime(now, config.timezone.clone());
            let mut diags = crate::diagnostics::Diagnostics::default();
            cache.use_config(&config);
            let content = crate::content::load_cached(&config, &mut diags, Some(&mut *cache));
            let site =
                crate::site::assemble(&config, content, &now, visibility, &mut diags, Some(cache));
            assert!(!diags.has_errors());
            site.articles[0].html.to_string()
        };
        assert!(html(&mut cache).contains("第一版"), "first build");

        // The race, set up by hand: the file now holds a new text of the
        // same size, and the cache holds the old text at the new stamp.
        std::fs::write(&file, article("第二版")).unwrap();
        let stamp = Stamp::of(&file).unwrap();
        let entry = cache.sources.get_mut(file.as_os_str()).unwrap();
        entry.0 = stamp;
        let walked = cache.walk.as_ref().unwrap().0[0].path().to_path_buf();
        cache.note_changes(dir.path(), &[walked]);
        assert!(
            html(&mut cache).contains("第二版"),
            "read and rendered again"
        );

        // Unreported, the same stamp still stands for the text read.
        assert!(html(&mut cache).contains("第二版"));
        assert!(cache.source(&file, stamp).is_some());
    }

    /// The same race as `a_reported_file_is_read_again_at_the_same_stamp`,
    /// for site.yaml.
    #[test]
    fn a_reported_site_yaml_is_read_again_at_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(crate::config::FILE_NAME);
        std::fs::write(&file, "title: 甲站\nbase_url: https://a.example.cn/\n").unwrap();
        let mut cache = Cache::default();
        let base = "http://127.0.0.1:1/";
        assert_eq!(cache.load_config(dir.path(), base).unwrap().title, "甲站");

        // The race, set up by hand: a new text of the same size, and the
        // cache holding the old configuration at the new stamp.
        std::fs::write(&file, "title: 乙站\nbase_url: https://a.example.cn/\n").unwrap();
        let stamp = Stamp::of(&file).unwrap();
        if let Some((Some(known), _)) = cache.config.as_mut() {
            known.stamp = stamp;
        }
        assert_eq!(
            cache.load_config(dir.path(), base).unwrap().title,
            "甲站",
            "the race"
        );
        cache.note_changes(dir.path(), std::slice::from_ref(&file));
        assert_eq!(cache.load_config(dir.path(), base).unwrap().title, "乙站");
    }

    #[test]
    fn site_yaml_is_read_again_only_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(crate::config::FILE_NAME);
        let write = |text: &str, modified: Option<SystemTime>| {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&file)
                .unwrap();
            std::io::Write::write_all(&mut &f, text.as_bytes()).unwrap();
            if let Some(t) = modified {
                f.set_modified(t).unwrap();
            }
        };
        let yaml = "title: 甲站\nbase_url: https://a.example.cn/\n";
        write(yaml, None);
        let mut cache = Cache::default();
        let base = "http://127.0.0.1:1/";
        let first = cache.load_config(dir.path(), base).unwrap();
        assert_eq!(first.title, "甲站");
        assert_eq!(first.base_url, base);

        // Unchanged: the same configuration.
        assert_eq!(cache.load_config(dir.path(), base).unwrap(), first);
        // Rewritten in place with the same size and the old time put back
        // (`cp -p`): read again, and this text does not parse. (The kernel
        // stamps times from a clock that ticks every few milliseconds; the
        // pause makes sure the rewrite falls on a later tick.)
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let broken = "title: [甲\nbase_url: https://a.example.cn/\n  ";
        assert_eq!(broken.len(), yaml.len());
        write(broken, Some(modified));
        assert!(cache.load_config(dir.path(), base).is_err(), "read again");
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(yaml, Some(modified));
        assert_eq!(cache.load_config(dir.path(), base).unwrap(), first);
        // Another base URL is another configuration.
        let other = cache.load_config(dir.path(), "http://127.0.0.1:2/");
        assert_eq!(other.unwrap().base_url, "http://127.0.0.1:2/");

        write("title: 乙站\nbase_url: https://a.example.cn/\n", None);
        assert_eq!(cache.load_config(dir.path(), base).unwrap().title, "乙站");
    }
}
