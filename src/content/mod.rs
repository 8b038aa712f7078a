//! Load: walk `content/`, read every file, split and validate front matter.
//!
//! Layout rules (SPEC.md): a folder is a section and its `_index.md` holds the
//! section's front matter; any other `.md` file is an article; a folder with an
//! `index.md` is a page bundle, one article whose images sit beside it. Every
//! other file is an asset, published next to the page of its folder.

pub mod frontmatter;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::stamp::Stamp;
pub use frontmatter::{FrontMatter, SectionMeta};

/// A section folder, relative to `content/` (`""` is the content root).
#[derive(Debug, Clone)]
pub struct SectionSource {
    pub dir: PathBuf,
    pub meta: SectionMeta,
    /// Whether the folder has an `_index.md` (messages about the section
    /// point at it, or else at the folder).
    pub has_index: bool,
}

#[derive(Debug, Clone)]
pub struct ArticleSource {
    /// Absolute path of the Markdown file.
    pub path: PathBuf,
    /// The path editors see in messages, relative to the site root.
    pub shown: PathBuf,
    /// The section folder, relative to `content/`.
    pub section_dir: PathBuf,
    /// File stem, or the folder name of a page bundle: the default slug.
    pub name: String,
    pub bundle: bool,
    pub front: Arc<FrontMatter>,
    /// Shared, so that `pufa serve` can keep a copy between builds for free.
    pub body: Arc<str>,
    /// The front matter's YAML, to point messages at the line of a key.
    pub front_yaml: String,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// The file's version, when a `Memory` asked for it (`pufa serve`).
    pub stamp: Option<Stamp>,
    /// A fingerprint of the file's text, when a `Memory` asked for it: the
    /// key of its rendering. A rewrite within one tick of the file
    /// system's clock that keeps the size has the old stamp, not the old
    /// text.
    pub digest: Option<u64>,
}

/// A file under `content/` that is not Markdown (images, PDFs).
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    /// The folder it sits in, relative to `content/`.
    pub dir: PathBuf,
    pub probe: AssetProbe,
    /// The file's version, when a `Memory` asked for it (`pufa serve`).
    pub stamp: Option<Stamp>,
}

/// What publishing an asset needs to know of its file. Read while loading,
/// in parallel with the articles (a site with an image beside each of its
/// articles has thousands), and kept by `pufa serve` while the file is unchanged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssetProbe {
    /// The pixel size of a raster image, from its header.
    pub dimensions: Option<(u32, u32)>,
    /// The file's size in bytes.
    pub bytes: u64,
}

impl AssetProbe {
    fn read(path: &Path, stamp: Option<Stamp>) -> AssetProbe {
        AssetProbe {
            dimensions: crate::images::is_raster(path)
                .then(|| crate::images::dimensions(path))
                .flatten(),
            bytes: stamp.map_or(0, |s| s.bytes()),
        }
    }
}

#[derive(Debug, Default)]
pub struct Content {
    pub sections: Vec<SectionSource>,
    /// Shared: `pufa serve` keeps the unchanged ones between builds.
    pub articles: Vec<Arc<ArticleSource>>,
    pub assets: Vec<Asset>,
    /// Article files that exist but could not be loaded (their errors are
    /// in the diagnostics already).
    pub unloaded: Vec<Unloaded>,
}

/// An article file that exists but failed to load: a link to it is not a
/// link to a missing file (one mistake, one error), and its body is still
/// checked when it can be told apart from the front matter, so a broken
/// front matter does not hide the body's broken links until the next run.
#[derive(Debug, Clone)]
pub struct Unloaded {
    /// Absolute path of the Markdown file.
    pub path: PathBuf,
    /// The file with empty front matter ([`FrontMatter::default`]), when
    /// its `---` lines were found and its text is free of control
    /// characters: only for checking the body's links and images.
    pub body: Option<Arc<ArticleSource>>,
}

/// A file found under `content/`, by what it is.
pub(crate) enum Entry {
    SectionIndex(PathBuf),
    Article { path: PathBuf, bundle: bool },
    Asset(PathBuf),
}

impl Entry {
    pub(crate) fn path(&self) -> &Path {
        match self {
            Entry::SectionIndex(p) | Entry::Article { path: p, .. } | Entry::Asset(p) => p,
        }
    }
}

/// Reads the whole content tree. Warnings go into `diags`; any error fails.
pub fn load(config: &Config, diags: &mut Diagnostics) -> Content {
    load_cached(config, diags, None)
}

/// What a process that loads again and again (`pufa serve`) remembers of
/// earlier loads. The preview's cache (`crate::cache`, a floor above this
/// stage) implements it; `build` passes none. Each answer only saves work:
/// without it, the same files are read and give the same result.
pub(crate) trait Memory: Sync {
    /// The files and warnings of the last walk, if no file came or went since.
    fn take_walk(&mut self) -> Option<(Vec<Entry>, Vec<Diagnostic>)>;
    /// Keeps this load's walk for the next one.
    fn keep_walk(&mut self, entries: Vec<Entry>, diags: Vec<Diagnostic>);
    /// The parsed source of `path`, if the file is known to be unchanged
    /// without even looking at its stamp.
    fn unchanged_source(&self, path: &Path) -> Option<&Arc<ArticleSource>>;
    /// The parsed source of `path` read at `stamp`, if it may stand in.
    fn source(&self, path: &Path, stamp: Stamp) -> Option<&Arc<ArticleSource>>;
    /// [`Self::unchanged_source`] for an asset: its version and probe.
    fn unchanged_asset(&self, path: &Path) -> Option<(Stamp, AssetProbe)>;
    /// [`Self::source`] for an asset.
    fn asset(&self, path: &Path, stamp: Stamp) -> Option<AssetProbe>;
    /// Remembers this load's sources and assets.
    fn keep_loaded(&mut self, sources: &[Arc<ArticleSource>], assets: &[Asset]);
}

/// [`load`], reusing what `memory` kept of the articles and assets whose
/// files have not changed, and the list of files of the last walk if
/// nothing was added or removed since.
pub(crate) fn load_cached(
    config: &Config,
    diags: &mut Diagnostics,
    mut cache: Option<&mut dyn Memory>,
) -> Content {
    let content_dir = config.content_dir();
    let walked = cache.as_mut().and_then(|c| c.take_walk());
    let (entries, walk_diags) = walked.unwrap_or_else(|| {
        let mut found = Diagnostics::default();
        let entries = walk(&content_dir, &config.root, &mut found);
        (entries, found.0)
    });
    diags.extend(walk_diags.iter().cloned());

    let bundle_dirs: Vec<PathBuf> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Article { path, bundle: true } => path.parent().map(Path::to_path_buf),
            _ => None,
        })
        .collect();

    let loaded: Vec<Result<Loaded, Vec<Diagnostic>>> = entries
        .par_iter()
        .map(|entry| load_entry(entry, config, &content_dir, cache.as_deref()))
        .collect();
    // Kept for the next build, which walks again only if files came or went.
    if let Some(cache) = cache.as_mut() {
        cache.keep_walk(entries, walk_diags);
    }

    let mut sections: BTreeMap<PathBuf, SectionSource> = BTreeMap::new();
    let mut content = Content::default();
    content.articles.reserve(loaded.len());
    for item in loaded {
        match item {
            Ok(Loaded::Section(s)) => {
                sections.insert(s.dir.clone(), s);
            }
            Ok(Loaded::Article(a)) => content.articles.push(a),
            Ok(Loaded::Asset(a)) => content.assets.push(a),
            Ok(Loaded::Unloaded(u, errors)) => {
                diags.extend(errors);
                content.unloaded.push(u);
            }
            Err(ds) => diags.extend(ds),
        }
    }
    // Every folder holding articles is a section, with or without `_index.md`.
    for a in &content.articles {
        sections
            .entry(a.section_dir.clone())
            .or_insert_with(|| SectionSource {
                dir: a.section_dir.clone(),
                meta: SectionMeta::default(),
                has_index: false,
            });
    }
    // Bundle folders are articles, not sections.
    for dir in bundle_dirs {
        if let Ok(rel) = dir.strip_prefix(&content_dir) {
            sections.remove(rel);
        }
    }
    content.sections = sections.into_values().collect();
    if let Some(cache) = cache {
        cache.keep_loaded(&content.articles, &content.assets);
    }
    content
}

fn walk(content_dir: &Path, root: &Path, diags: &mut Diagnostics) -> Vec<Entry> {
    let mut entries = Vec::new();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(display_path(root, content_dir), "there is no content folder")
                .zh("没有 content 文件夹")
                .hint("put the articles in a folder named content/ next to site.yaml (`pufa init DIR` creates an example)")
                .hint_zh("把文章放在 site.yaml 旁边的 content/ 文件夹里（「pufa init 文件夹」会生成示例）"),
        );
        return entries;
    }
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for item in walker {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                diags.push(
                    Diagnostic::error(path, format!("cannot read: {e}"))
                        .zh(format!("无法读取：{e}"))
                        .hint("check that the file or folder exists and that you may read it")
                        .hint_zh("检查这个文件或文件夹是否存在、是否有权限读取"),
                );
                continue;
            }
        };
        if entry.depth() > 0 && entry.path_is_symlink() {
            diags.push(skipped_link(root, entry.path()));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let is_md = path.extension().is_some_and(|e| e == "md");
        entries.push(match (is_md, name.as_ref()) {
            (true, "_index.md") => Entry::SectionIndex(path),
            (true, "index.md") => Entry::Article { path, bundle: true },
            (true, _) => Entry::Article {
                path,
                bundle: false,
            },
            (false, _) => Entry::Asset(path),
        });
    }
    entries
}

/// The warning for a symbolic link under `content/` or `static/`. Links are
/// never followed (walkdir's default): one could point anywhere on the
/// machine, or back at its own folder. Resolving those that stay inside the
/// site would be friendlier but needs loop detection; skipping is simple and
/// safe, and the warning says why the file is missing.
pub fn skipped_link(root: &Path, link: &Path) -> Diagnostic {
    let to = std::fs::read_link(link).map(|t| t.display().to_string());
    let (to, to_zh) = match &to {
        Ok(t) => (format!("`{t}`"), format!("「{t}」")),
        Err(_) => ("?".into(), "?".into()),
    };
    Diagnostic::warning(
        display_path(root, link),
        format!(
            "skipped a symbolic link (to {to}); pufa publishes only real files inside the site"
        ),
    )
    .zh(format!(
        "已跳过符号链接（指向{to_zh}）；pufa 只发布站点文件夹里的真实文件"
    ))
    .hint("copy the file or folder into the site instead of linking to it")
    .hint_zh("把文件或文件夹复制到站点里，不要用链接")
}

/// Hidden files, and the temporary and backup files of editors and
/// browsers: never published, and their changes never rebuild the preview
/// (the two must agree: the preview keeps what it knows of a file until the
/// watcher reports a change to it).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.starts_with('#') // emacs autosave
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".crdownload") // a download in progress
        || name == "4913" // vim's probe file
}

enum Loaded {
    Section(SectionSource),
    Article(Arc<ArticleSource>),
    Asset(Asset),
    /// An article that failed to load, and why.
    Unloaded(Unloaded, Vec<Diagnostic>),
}

fn load_entry(
    entry: &Entry,
    config: &Config,
    content_dir: &Path,
    cache: Option<&dyn Memory>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let rel_dir = |p: &Path| -> PathBuf {
        p.parent()
            .and_then(|d| d.strip_prefix(content_dir).ok())
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    match entry {
        Entry::Asset(path) => {
            let (stamp, probe) = match cache.and_then(|c| c.unchanged_asset(path)) {
                Some((stamp, probe)) => (Some(stamp), probe),
                None => {
                    let stamp = Stamp::of(path);
                    let known = cache.zip(stamp).and_then(|(c, s)| c.asset(path, s));
                    (
                        stamp,
                        known.unwrap_or_else(|| AssetProbe::read(path, stamp)),
                    )
                }
            };
            Ok(Loaded::Asset(Asset {
                dir: rel_dir(path),
                path: path.clone(),
                probe,
                stamp,
            }))
        }
        Entry::SectionIndex(path) => {
            let shown = display_path(&config.root, path);
            let text = read_text(path, &shown, config.max_file_bytes)?;
            let split = frontmatter::split(&text, &shown).map_err(|d| vec![d])?;
            let meta = frontmatter::parse_section(&split, &shown)?;
            Ok(Loaded::Section(SectionSource {
                dir: rel_dir(path),
                meta,
                has_index: true,
            }))
        }
        &Entry::Article { ref path, bundle } => {
            if let Some(known) = cache.and_then(|c| c.unchanged_source(path)) {
                return Ok(Loaded::Article(Arc::clone(known)));
            }
            let stamp = cache.and_then(|_| Stamp::of(path));
            if let (Some(cache), Some(stamp)) = (cache, stamp)
                && let Some(known) = cache.source(path, stamp)
            {
                return Ok(Loaded::Article(Arc::clone(known)));
            }
            match read_article(path, bundle, config, content_dir, stamp, cache.is_some()) {
                Ok(source) => Ok(Loaded::Article(Arc::new(source))),
                Err((errors, body)) => Ok(Loaded::Unloaded(
                    Unloaded {
                        path: path.clone(),
                        body: body.map(Arc::new),
                    },
                    errors,
                )),
            }
        }
    }
}

/// Reads and parses an article file (`stamp`: its version, and `digest`:
/// fingerprint the text, for a cache). On failure, the errors, and the file with empty front matter if
/// its body can still be checked.
fn read_article(
    path: &Path,
    bundle: bool,
    config: &Config,
    content_dir: &Path,
    stamp: Option<Stamp>,
    digest: bool,
) -> Result<ArticleSource, (Vec<Diagnostic>, Option<ArticleSource>)> {
    let shown = display_path(&config.root, path);
    let text = read_text(path, &shown, config.max_file_bytes).map_err(|e| (e, None))?;
    let split = frontmatter::split(&text, &shown).map_err(|d| (vec![d], None))?;
    let front = frontmatter::parse(&split, &shown, &config.timezone);
    let controls = check_control_characters(split.body, split.body_line, &shown);
    let (section_dir, name) = if bundle {
        let dir = rel_dir(path, content_dir);
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        (
            dir.parent().map(Path::to_path_buf).unwrap_or_default(),
            name,
        )
    } else {
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        (rel_dir(path, content_dir), stem)
    };
    let front_yaml = split.yaml.to_string();
    let body_line = split.body_line;
    let digest = digest.then(|| crate::stamp::fingerprint(text.as_str()));
    // The body is the end of the text: cut the front matter off in
    // place, then move it into its shared, exactly sized home.
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let source = |front: FrontMatter, text: String| {
        let mut body = text;
        body.drain(..body_start);
        ArticleSource {
            section_dir,
            name,
            bundle,
            body: Arc::from(body),
            front_yaml,
            body_line,
            stamp,
            digest,
            front: front.into(),
            shown,
            path: path.to_path_buf(),
        }
    };
    match (front, controls) {
        (Ok(front), Ok(())) => Ok(source(front, text)),
        // A body with control characters is not worth reading further.
        (Ok(_), Err(errors)) => Err((errors, None)),
        (Err(mut errors), Err(more)) => {
            errors.extend(more);
            Err((errors, None))
        }
        (Err(errors), Ok(())) => Err((errors, Some(source(FrontMatter::default(), text)))),
    }
}

/// The folder of `path`, relative to `content/`.
fn rel_dir(path: &Path, content_dir: &Path) -> PathBuf {
    path.parent()
        .and_then(|d| d.strip_prefix(content_dir).ok())
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Reads a text file of at most `limit` bytes; the error says how to fix
/// the usual causes.
fn read_text(path: &Path, shown: &Path, limit: u64) -> Result<String, Vec<Diagnostic>> {
    let bytes = crate::read::file(path, limit).map_err(|e| {
        vec![e.into_diagnostic(shown, |e| {
            Diagnostic::error(shown, format!("cannot read the file: {e}"))
                .zh(format!("无法读取文件：{e}"))
                .hint("check that the file exists and that you may read it")
                .hint_zh("检查文件是否存在、是否有权限读取")
        })]
    })?;
    // SIMD validation: the standard library's is several times slower on
    // Chinese text, and every source file passes through here. Copying the
    // checked text costs less than checking it again.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(frontmatter::normalize(text.to_owned()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(frontmatter::normalize(text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
            Err(vec![
                Diagnostic::error(
                    shown,
                    "the file is not UTF-8 text (it may have been saved as GBK/ANSI)",
                )
                .at_offset(valid, offset)
                .hint("open it in your editor and save it again with the encoding \"UTF-8\"")
                .zh("文件不是 UTF-8 编码（可能用 GBK/ANSI 保存了）")
                .hint_zh("用编辑器打开，另存为“UTF-8”编码"),
            ])
        }
    }
}

/// Control characters (NUL, ESC, …) are invisible in editors, break XML feeds
/// and can drive terminals: an error at each one's position.
fn check_control_characters(
    body: &str,
    body_line: usize,
    shown: &Path,
) -> Result<(), Vec<Diagnostic>> {
    // Byte scan first (vectorised): C0 controls and DEL are single bytes,
    // C1 controls start with 0xC2; clean text skips the character walk.
    let suspect =
        |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7f | 0xc2);
    if !body.as_bytes().iter().any(suspect) {
        return Ok(());
    }
    let lines = crate::diagnostics::LineIndex::new(body);
    let mut found = body
        .char_indices()
        .filter(|&(_, c)| frontmatter::is_forbidden_control(c));
    let mut errors: Vec<Diagnostic> = found
        .by_ref()
        .take(MAX_CONTROL_ERRORS)
        .map(|(i, c)| {
            let (line, col) = lines.line_col(i);
            Diagnostic::error(
                shown,
                format!("invisible control character U+{:04X} in the text", c as u32),
            )
            .zh(format!("正文里有看不见的控制字符 U+{:04X}", c as u32))
            .at(body_line + line - 1, col)
            .hint("delete it (it usually comes from copying out of Word, a PDF or a web page)")
            .hint_zh("删掉它（通常是从 Word、PDF 或网页复制时带进来的）")
        })
        .collect();
    // A file of nothing but NULs would otherwise make an error per byte
    // (gigabytes of messages for a 16 MB file): one line counts the rest.
    if let Some((i, _)) = found.next() {
        let more = 1 + found.count();
        let (line, col) = lines.line_col(i);
        errors.push(
            Diagnostic::error(
                shown,
                format!("{more} more invisible control characters in the text, from here on"),
            )
            .zh(format!("从这里起，正文里还有 {more} 个看不见的控制字符"))
            .at(body_line + line - 1, col)
            .hint("was a binary file saved with the .md extension? If not, delete them")
            .hint_zh("是不是把二进制文件存成了 .md？如果不是，请删掉这些字符"),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Control characters reported one by one in an article; past these, one
/// error gives the count.
const MAX_CONTROL_ERRORS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_control_characters_is_counted_not_listed() {
        let body = format!("正文\n{}", "\0".repeat(1_000_000));
        let errors = check_control_characters(&body, 5, Path::new("a.md")).unwrap_err();
        assert_eq!(errors.len(), MAX_CONTROL_ERRORS + 1);
        assert_eq!(
            errors[MAX_CONTROL_ERRORS].to_string(),
            "a.md:6:21: error: 999980 more invisible control characters in the text, from here on\n  \
             错误：从这里起，正文里还有 999980 个看不见的控制字符\n  \
             hint: was a binary file saved with the .md extension? If not, delete them\n  \
             提示：是不是把二进制文件存成了 .md？如果不是，请删掉这些字符"
        );
    }

    #[test]
    fn control_characters_are_found_at_their_columns() {
        let shown = Path::new("a.md");
        // Middle dots (U+00B7, also led by 0xC2) and tabs are text.
        assert!(check_control_characters("3·8 妇女节\t维权周\r\n", 5, shown).is_ok());
        let errors =
            check_control_characters("甲\u{1b}乙\n丙\u{7f}\n\u{85}丁", 5, shown).unwrap_err();
        let found: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].contains("a.md:5:2: error: invisible control character U+001B"),
            "{found:?}"
        );
        assert!(
            found[1].contains("a.md:6:2: error: invisible control character U+007F"),
            "{found:?}"
        );
        assert!(
            found[2].contains("a.md:7:1: error: invisible control character U+0085"),
            "{found:?}"
        );
    }
}
