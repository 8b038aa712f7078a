//! Assemble: from loaded sources to the site model the renderer walks.
//!
//! Gives every section and article its URL (pinyin slugs, collisions are
//! errors naming both files), decides which articles are in this build, renders
//! their Markdown in parallel, and groups them into sections and taxonomies.
//! Everything here is owned data; nothing is written to disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::ZonedDateTime;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::calendar::AwarenessDay;
use crate::config::Config;
use crate::confine::{self, Leading, Refusal};
use crate::content::{ArticleSource, Asset, Content, FrontMatter, SectionSource};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images;
use crate::images::ImageOp;
use crate::markdown::{self, Heading, LinkTarget, Links, PublishedAsset, Stats};
use crate::schedule::{self, Status, Visibility};
use crate::slug::slugify;

/// More terms than this on one article is almost certainly a mistake.
const MAX_TERMS: usize = 50;

/// First path segments the builder itself uses; no section or page may take them.
pub const RESERVED: &[&str] = &[
    "laws",
    "audiences",
    "tags",
    "archive",
    "campaigns",
    "assets",
    "page",
    "search",
    "statutes",
];

/// An article as published: its section, and everything else (which reads
/// as fields of the article itself, through `Deref`).
///
/// The rest is shared, because `pufa serve` hands an unchanged article from
/// one build to the next, and copying 10,000 articles (their headings,
/// summaries, URLs) on every save took longer than everything else in the
/// step. Only the section differs between the two builds: it is an index
/// into each build's own list of sections.
#[derive(Debug, Clone)]
pub struct Article {
    /// Index into [`Site::sections`]; `None` for standalone pages.
    pub section: Option<usize>,
    data: Arc<ArticleData>,
}

impl std::ops::Deref for Article {
    type Target = ArticleData;

    fn deref(&self) -> &ArticleData {
        &self.data
    }
}

#[derive(Debug)]
pub struct ArticleData {
    pub shown: PathBuf,
    pub slug: String,
    /// Site URL, e.g. `/education/li-hun-leng-jing-qi/`.
    pub url: String,
    pub front: Arc<FrontMatter>,
    pub status: Status,
    /// The publish date (the build time for undated drafts shown with --drafts).
    pub date: ZonedDateTime,
    /// Shared with the templates (the page's `content` value is this text,
    /// not a copy).
    pub html: Arc<str>,
    pub summary: String,
    pub headings: Vec<Heading>,
    pub stats: Stats,
    /// Cover image (2.35:1 for WeChat) and its pixel size when known.
    pub cover: Option<Image>,
    /// The square share image: `cover_square`, else cut from the cover.
    pub cover_square: Option<Image>,
    /// Statute articles the text cites: (law index, article number).
    pub citations: Vec<(usize, u32)>,
    /// Where some front-matter keys are, for stages after assembly that
    /// point at them (the WeChat lints).
    pub key_lines: KeyLines,
}

/// File lines (1-based) of front-matter keys; the first line of the front
/// matter for a key it does not have.
#[derive(Debug, Clone, Copy)]
pub struct KeyLines {
    pub title: usize,
    pub author: usize,
    pub cover: usize,
}

/// A published image: URL and, when pufa could read it, its pixel size.
#[derive(Debug, Clone)]
pub struct Image {
    pub url: String,
    pub size: Option<(u32, u32)>,
    /// The local file it is published from, if any.
    pub source: Option<PathBuf>,
    /// Where pufa publishes it, relative to the output folder (`None` for
    /// an image at another site's URL).
    pub published: Option<String>,
}

#[derive(Debug)]
pub struct Section {
    pub title: String,
    pub description: Option<String>,
    pub url: String,
    pub weight: i64,
    /// Indices into [`Site::articles`], newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct Taxonomy {
    pub key: &'static str,
    pub name: String,
    pub url: String,
    /// Most used first, then by slug.
    pub terms: Vec<Term>,
    /// Term name → index into `terms`.
    pub index: HashMap<String, usize>,
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct Copy {
    pub from: PathBuf,
    /// Output path relative to the output folder.
    pub to: String,
    /// Images wider than [`images::MAX_WIDTH`] are published resized.
    pub op: Option<ImageOp>,
}

/// An awareness day and the live articles of its campaign.
#[derive(Debug)]
pub struct Campaign {
    pub day: AwarenessDay,
    pub url: String,
    /// Indices into [`Site::articles`], newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub now: ZonedDateTime,
    /// Visible articles in sections, newest first.
    pub articles: Vec<Article>,
    /// Articles at the content root: standalone pages (关于我们), not in lists or feeds.
    pub pages: Vec<Article>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    /// One per awareness day of the calendar, in calendar order.
    pub campaigns: Vec<Campaign>,
    /// The laws under `statutes/`, for statute pages.
    pub statutes: crate::statutes::Statutes,
    pub copies: Vec<Copy>,
}

/// What a process that assembles again and again (`pufa serve`) remembers
/// of earlier renderings. The preview's cache (`crate::cache`, a floor above
/// this stage) implements it; `build` passes none.
pub(crate) trait Renderings: Sync {
    /// The rendering of the article at `path` and its key ([`render_key`]).
    fn rendered(&self, path: &Path) -> Option<&(u64, Rendered)>;
    /// Remembers this build's renderings: (key, whether it came from
    /// [`Self::rendered`], the result).
    fn keep_rendered(&mut self, rendered: &[(Option<u64>, bool, Rendered)]);
}

pub(crate) fn assemble(
    config: &Config,
    content: Content,
    now: &ZonedDateTime,
    visibility: Visibility,
    diags: &mut Diagnostics,
    cache: Option<&mut dyn Renderings>,
) -> Site {
    let Content {
        sections: section_sources,
        articles: sources,
        assets,
    } = content;
    let Placement {
        section_urls,
        articles: placed,
    } = place_all(config, &section_sources, sources, now, diags);

    let article_links: FxHashMap<PathBuf, LinkTarget> = placed
        .iter()
        .map(|p| {
            let target = LinkTarget {
                url: p.url.clone(),
                visible: schedule::is_visible(p.status, visibility),
            };
            (markdown::normalize(&p.source.path), target)
        })
        .collect();
    let visible: Vec<Placed> = placed
        .into_iter()
        .filter(|p| schedule::is_visible(p.status, visibility))
        .collect();
    let (asset_urls, copies) = asset_urls(config, &assets, &visible, &section_urls, diags);
    let statutes = load_statutes(config, diags);
    let statutes_url = config.url("statutes/");
    let links = Links {
        articles: &article_links,
        assets: &asset_urls,
        statutes: &statutes,
        statutes_url: &statutes_url,
        unsafe_html: config.unsafe_html,
    };

    // With a cache (`pufa serve`), articles whose file, place and context
    // are unchanged are not rendered again.
    let context = cache.as_ref().map(|_| render_context(&statutes));
    let known = cache.as_deref();
    // (key, whether it came from the cache, the result)
    let rendered: Vec<(Option<u64>, bool, Rendered)> = visible
        .into_par_iter()
        .map(|p| {
            let key = context.and_then(|c| render_key(c, &p));
            let hit = known.zip(key).and_then(|(known, key)| {
                known
                    .rendered(&p.source.path)
                    .filter(|(k, r)| *k == key && r.still_valid(&article_links, &asset_urls))
            });
            match hit {
                Some((_, r)) => (key, true, r.clone()),
                None => (key, false, render_article(config, p, &links, &asset_urls)),
            }
        })
        .collect();
    if let Some(cache) = cache {
        cache.keep_rendered(&rendered);
    }
    let rendered: Vec<Rendered> = rendered.into_iter().map(|(_, _, r)| r).collect();
    check_anchors(&rendered, diags);
    let mut all = Vec::with_capacity(rendered.len());
    let mut copies = copies;
    for r in rendered {
        diags.extend(r.diags);
        copies.extend(r.extra);
        all.push(r.article);
    }
    // Sorted by key and index, then moved once: sorting the (large)
    // articles themselves moved each of them a dozen times.
    let mut order: Vec<(jiff::Timestamp, i64, usize)> = all
        .iter()
        .enumerate()
        .map(|(i, a)| (a.date.timestamp(), a.front.weight, i))
        .collect();
    order.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then(x.1.cmp(&y.1))
            .then_with(|| all[x.2].url.cmp(&all[y.2].url))
    });
    let mut slots: Vec<Option<Article>> = all.into_iter().map(Some).collect();
    let mut all: Vec<Article> = Vec::with_capacity(order.len());
    all.extend(order.iter().filter_map(|&(_, _, i)| slots[i].take()));
    drop(slots);
    // In place: articles are large, and `partition` into two growing
    // vectors took 40 ms for 10,000 of them.
    let pages: Vec<Article> = all.extract_if(.., |a| a.section.is_none()).collect();
    let articles = all;

    let mut sections: Vec<Section> = section_sources
        .iter()
        .zip(&section_urls)
        .filter(|(s, _)| !s.dir.as_os_str().is_empty())
        .map(|(s, SectionUrl { url, .. })| Section {
            title: s.meta.title.clone().unwrap_or_else(|| {
                s.dir
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            }),
            description: s.meta.description.clone(),
            url: url.clone(),
            weight: s.meta.weight,
            articles: Vec::new(),
        })
        .collect();
    let section_index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.url.clone(), i))
        .collect();
    let mut articles = articles;
    for (i, a) in articles.iter_mut().enumerate() {
        let url = a.section.map(|s| section_urls[s].url.clone());
        a.section = url.as_ref().and_then(|u| section_index.get(u).copied());
        if let Some(s) = a.section {
            sections[s].articles.push(i);
        }
    }
    sections.sort_by(|a, b| a.weight.cmp(&b.weight).then(a.url.cmp(&b.url)));
    // Sorting moved the sections: re-point the articles at them.
    for (si, s) in sections.iter().enumerate() {
        for &ai in &s.articles {
            articles[ai].section = Some(si);
        }
    }

    let taxonomies = taxonomies(config, &articles, diags);
    let campaigns = campaigns(config, &articles);
    let copies = copies
        .into_iter()
        .chain(static_copies(config, diags))
        .collect();
    let copies = checked_copies(config, copies, diags);
    Site {
        now: now.clone(),
        articles,
        pages,
        sections,
        taxonomies,
        campaigns,
        statutes,
        copies,
    }
}

/// What an article's rendering depends on besides the article itself, the
/// configuration (a new one empties the cache) and the files its links and
/// images find (each rendering lists those: [`Rendered::still_valid`]): the
/// statutes.
fn render_context(statutes: &crate::statutes::Statutes) -> u64 {
    crate::stamp::fingerprint(format!("{statutes:?}"))
}

/// The key of one article's rendering: its text and place in the site,
/// combined with the build's context fingerprint.
fn render_key(context: u64, placed: &Placed) -> Option<u64> {
    let digest = placed.source.digest?;
    Some(crate::stamp::fingerprint((
        context,
        placed.source.path.as_os_str(),
        digest,
        &placed.slug,
        &placed.url,
        placed.section,
        placed.status as u8,
        placed.date.timestamp().as_nanosecond(),
    )))
}

/// The laws under `<site>/statutes/`; problems in those files are errors.
fn load_statutes(config: &Config, diags: &mut Diagnostics) -> crate::statutes::Statutes {
    match crate::statutes::Statutes::load(&config.root, config.max_file_bytes) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors {
                diags.push(
                    Diagnostic::error(&e.path, e.message.clone())
                        .zh("法律条文数据文件有误")
                        .at(e.line.max(1), 1)
                        .hint("each file has name, short, aliases, effective, articles_total and articles; see statutes/minfadian.yaml")
                        .hint_zh("格式参照 statutes/minfadian.yaml"),
                );
            }
            crate::statutes::Statutes::default()
        }
    }
}

/// Every article at its URL, with its publishing status; sections too.
pub struct Placement {
    /// Per section, in the order given.
    pub section_urls: Vec<SectionUrl>,
    pub articles: Vec<Placed>,
}

/// Where a section is published, and how messages name it.
pub struct SectionUrl {
    /// The folder, relative to `content/` (`""` is the content root).
    pub dir: PathBuf,
    /// `content/x/_index.md`, or the folder `content/x/` when it has none
    /// (rather than a file the editor would look for in vain).
    pub shown: PathBuf,
    pub url: String,
    /// False when the folder (or one above it) has no usable URL: that is
    /// an error of its own, and its articles are not placed.
    pub usable: bool,
}

/// Places every article (live or not): URLs, collisions, campaign keys.
/// Used by the build and by `pufa schedule`, which also needs future ones.
pub fn place_all(
    config: &Config,
    sections: &[SectionSource],
    sources: Vec<Arc<ArticleSource>>,
    now: &ZonedDateTime,
    diags: &mut Diagnostics,
) -> Placement {
    let mut urls = UrlClaims::default();
    let section_urls = section_urls(config, sections, &mut urls, diags);
    // Sized up front: growing a vector of 10,000 large values by doubling
    // copied them again and again into fresh memory.
    let mut articles: Vec<Placed> = Vec::with_capacity(sources.len());
    urls.0.reserve(sources.len());
    // Each article is placed on its own, in parallel; the URLs are then
    // claimed in file order, so the same file wins a collision every time.
    let candidates: Vec<Candidate> = sources
        .into_par_iter()
        .map(|a| place(config, a, &section_urls, now))
        .collect();
    for Candidate { placed, problems } in candidates {
        match placed {
            None => diags.extend(problems),
            Some(placed) => {
                // A collision is reported at the `slug:` that decides the URL, if any.
                let line = || front_line(&placed.source, "slug");
                if urls.claim(&placed.url, &placed.source.shown, line, diags) {
                    diags.extend(problems);
                    articles.push(placed);
                }
            }
        }
    }
    check_aliases(config, &section_urls, &articles, diags);
    Placement {
        section_urls,
        articles,
    }
}

/// Which file claimed which URL first, to report collisions with both names.
#[derive(Default)]
struct UrlClaims(FxHashMap<String, PathBuf>);

impl UrlClaims {
    /// Claims `url` for file `by`; a collision is reported at `line()` of
    /// it (0 for a folder: no line).
    fn claim(
        &mut self,
        url: &str,
        by: &Path,
        line: impl FnOnce() -> usize,
        diags: &mut Diagnostics,
    ) -> bool {
        if let Some(first) = self.0.get(url) {
            let line = line();
            diags.push(
                Diagnostic::error(
                    by,
                    format!("the URL {url} is already used by {}", first.display()),
                )
                .at(line, usize::from(line > 0))
                .hint("give one of them a different `slug:` in its front matter")
                .zh(format!("网址 {url} 已经被 {} 使用", first.display()))
                .hint_zh("给其中一篇在前言里另设一个 `slug:`"),
            );
            return false;
        }
        self.0.insert(url.to_string(), by.to_path_buf());
        true
    }
}

/// An alias may not take the address of a section, an article (live or
/// not: it may go live later) or another alias. Compared as output files,
/// so `/news/a/`, `news/a` and `news/a/index.html` are one address. Pages
/// pufa generates itself (terms, feeds, …) are checked when rendering.
fn check_aliases(
    config: &Config,
    section_urls: &[SectionUrl],
    articles: &[Placed],
    diags: &mut Diagnostics,
) {
    // Listing every page's file is the cost of this check; without an
    // alias (most sites), there is nothing to check it for.
    if articles.iter().all(|p| p.source.front.aliases.is_empty()) {
        return;
    }
    let file_of = |url: &str| {
        let local = url.strip_prefix(&config.base_path).unwrap_or(url);
        format!("{local}index.html")
    };
    let pages: HashMap<String, &Path> = section_urls
        .iter()
        .map(|s| (file_of(&s.url), s.shown.as_path()))
        .chain(
            articles
                .iter()
                .map(|p| (file_of(&p.url), p.source.shown.as_path())),
        )
        .collect();
    let mut aliases: HashMap<&str, &Path> = HashMap::new();
    for p in articles {
        let shown = &p.source.shown;
        for alias in &p.source.front.aliases {
            let written = &alias.written;
            let error = if let Some(page) = pages.get(&alias.path) {
                Diagnostic::error(
                    shown,
                    format!(
                        "`aliases`: `{written}` is the address of {}",
                        page.display()
                    ),
                )
                .zh(format!(
                    "`aliases`：`{written}` 是 {} 的网址",
                    page.display()
                ))
                .hint("remove it: an alias is an old address that no page uses any more")
                .hint_zh("删掉它：别名应当是已经没有页面使用的旧网址")
            } else if let Some(other) = aliases.get(alias.path.as_str()) {
                Diagnostic::error(
                    shown,
                    format!("`aliases`: `{written}` is also an alias of {}", other.display()),
                )
                .zh(format!("`aliases`：`{written}` 也是 {} 的别名", other.display()))
                .hint("one old address can lead to one article only: keep the alias in one of the two files")
                .hint_zh("一个旧网址只能转到一篇文章：只在其中一个文件里保留这个别名")
            } else {
                aliases.insert(&alias.path, shown);
                continue;
            };
            diags.push(error.at(alias.line, 1));
        }
    }
}

/// Where a URL segment that is too long was made from.
enum Made {
    FromFile,
    FromFolder,
}

/// The error for a URL segment over [`crate::slug::MAX_LEN`] made from a
/// file or folder name, with a shorter `slug:` to use instead.
fn segment_too_long(shown: &Path, seg: &str, made: Made) -> Diagnostic {
    let (n, max, short) = (seg.len(), crate::slug::MAX_LEN, crate::slug::shorten(seg));
    let (name, name_zh, place, place_zh) = match made {
        Made::FromFile => ("file name", "文件名", "the front matter", "前言里"),
        Made::FromFolder => (
            "folder name",
            "文件夹名",
            "the section's _index.md (create it if there is none)",
            "栏目的 _index.md 里（没有就新建一个）",
        ),
    };
    Diagnostic::error(
        shown,
        format!("the URL segment made from the {name} is {n} characters long (at most {max})"),
    )
    .hint(format!(
        "add a short `slug:` to {place}, e.g. `slug: {short}`"
    ))
    .zh(format!(
        "由{name_zh}生成的网址段有 {n} 个字符（最多 {max}）"
    ))
    .hint_zh(format!(
        "在{place_zh}加一个简短的 `slug:`，例如 `slug: {short}`"
    ))
}

/// Each section's URL, in `sections` order.
fn section_urls(
    config: &Config,
    sections: &[SectionSource],
    urls: &mut UrlClaims,
    diags: &mut Diagnostics,
) -> Vec<SectionUrl> {
    let mut by_dir: HashMap<PathBuf, (String, bool)> = HashMap::new();
    let mut out = Vec::with_capacity(sections.len());
    // Sections come sorted by folder, so parents precede their children.
    for s in sections {
        let folder = Path::new("content").join(&s.dir);
        let shown = folder.join(if s.has_index { "_index.md" } else { "" });
        let (url, usable) = if s.dir.as_os_str().is_empty() {
            (config.url(""), true)
        } else {
            let (parent, parent_usable) = s
                .dir
                .parent()
                .and_then(|p| by_dir.get(p).cloned())
                .unwrap_or_else(|| (config.url(""), true));
            let name = s.dir.file_name().unwrap_or_default().to_string_lossy();
            let seg = s.meta.slug.clone().unwrap_or_else(|| slugify(&name));
            let at_root = parent == config.url("");
            let problem = folder_segment_problem(s, &shown, &name, &seg, at_root);
            let usable = parent_usable && problem.is_none();
            if let Some(problem) = problem {
                // In an _index.md, at its start, where `slug:` goes.
                diags.push(if s.has_index {
                    problem.at(1, 1)
                } else {
                    problem
                });
            }
            let url = format!("{parent}{seg}/");
            // An unusable URL (`//`, `/search/`) claimed here would only
            // add "already used" errors to the folder's own.
            if usable {
                urls.claim(&url, &shown, || usize::from(s.has_index), diags);
            }
            (url, usable)
        };
        by_dir.insert(s.dir.clone(), (url.clone(), usable));
        out.push(SectionUrl {
            dir: s.dir.clone(),
            shown,
            url,
            usable,
        });
    }
    out
}

/// Why section `s` (folder `name`) cannot be published at URL segment
/// `seg`, if it cannot.
fn folder_segment_problem(
    s: &SectionSource,
    shown: &Path,
    name: &str,
    seg: &str,
    at_root: bool,
) -> Option<Diagnostic> {
    let index_md = Path::new("content").join(&s.dir).join("_index.md");
    let index_md = index_md.display();
    if seg.is_empty() {
        // Where a `slug:` would go: the section's _index.md, which the
        // editor may have to create.
        let (hint, hint_zh) = if s.has_index {
            (
                format!("add `slug: some-name` to {index_md}"),
                format!("在 {index_md} 里加上 `slug: 英文名`"),
            )
        } else {
            (
                format!(
                    "rename the folder, or create {index_md} with `slug: some-name` in its front matter"
                ),
                format!("给文件夹改个名，或新建 {index_md}，在前言里写 `slug: 英文名`"),
            )
        };
        Some(
            Diagnostic::error(
                shown,
                format!("cannot make a URL from the folder name `{name}`"),
            )
            .hint(hint)
            .zh(format!("无法从文件夹名 `{name}` 生成网址"))
            .hint_zh(hint_zh),
        )
    } else if seg.len() > crate::slug::MAX_LEN {
        Some(segment_too_long(shown, seg, Made::FromFolder))
    } else if at_root && RESERVED.contains(&seg) {
        Some(
            Diagnostic::error(
                shown,
                format!("the section URL /{seg}/ is reserved by pufa"),
            )
            .hint(format!(
                "rename the folder, or set another `slug:` in {index_md}"
            ))
            .zh(format!("栏目网址 /{seg}/ 是 pufa 保留的"))
            .hint_zh(format!("给文件夹改个名，或在 {index_md} 里另设 `slug:`")),
        )
    } else {
        None
    }
}

/// An article with its URL and status, before its Markdown is rendered.
pub struct Placed {
    pub source: Arc<ArticleSource>,
    pub slug: String,
    pub url: String,
    /// Index into [`Placement::section_urls`]; `None` at the content root.
    pub section: Option<usize>,
    pub status: Status,
    pub date: ZonedDateTime,
}

/// One article at its URL, before the URL is claimed: all that can be
/// decided about an article alone.
struct Candidate {
    /// `None`: it cannot be placed, for the reasons in `problems`.
    placed: Option<Placed>,
    /// With `placed`, they count only if its URL is free.
    problems: Vec<Diagnostic>,
}

impl Candidate {
    fn rejected(problems: Diagnostics) -> Self {
        Candidate {
            placed: None,
            problems: problems.0,
        }
    }
}

fn place(
    config: &Config,
    source: Arc<ArticleSource>,
    section_urls: &[SectionUrl],
    now: &ZonedDateTime,
) -> Candidate {
    let mut diags = Diagnostics::default();
    let section = section_urls
        .iter()
        .position(|s| s.dir == source.section_dir);
    // Its folder's error says why; a URL under `//` would only add noise.
    if section.is_some_and(|s| !section_urls[s].usable) {
        return Candidate::rejected(diags);
    }
    let slug = source
        .front
        .slug
        .clone()
        .unwrap_or_else(|| slugify(&source.name));
    // A `slug:` was checked with the front matter; one made from the file
    // name is checked here, at 1:1 like other whole-file errors.
    if slug.is_empty() {
        diags.push(
            Diagnostic::error(
                &source.shown,
                format!("cannot make a URL from the file name `{}`", source.name),
            )
            .at(1, 1)
            .hint("add `slug: some-name` (lower-case letters, digits, dashes) to the front matter")
            .zh(format!("无法从文件名 `{}` 生成网址", source.name))
            .hint_zh("在前言里加上 `slug: 英文名`（小写字母、数字、短横线）"),
        );
        return Candidate::rejected(diags);
    }
    if slug.len() > crate::slug::MAX_LEN {
        diags.push(segment_too_long(&source.shown, &slug, Made::FromFile).at(1, 1));
        return Candidate::rejected(diags);
    }
    let base = section.map_or_else(|| config.url(""), |s| section_urls[s].url.clone());
    if section.is_none_or(|s| section_urls[s].url == config.url(""))
        && RESERVED.contains(&slug.as_str())
    {
        diags.push(
            Diagnostic::error(
                &source.shown,
                format!("the URL /{slug}/ is reserved by pufa"),
            )
            .hint("set another `slug:` in the front matter")
            .zh(format!("网址 /{slug}/ 是 pufa 保留的"))
            .hint_zh("在前言里另设一个 `slug:`"),
        );
        return Candidate::rejected(diags);
    }
    let url = format!("{base}{slug}/");
    if let Some(key) = &source.front.campaign
        && !config.calendar.iter().any(|d| &d.key == key)
    {
        diags.push(
            Diagnostic::error(
                &source.shown,
                format!("`campaign: {key}` names no awareness day"),
            )
            .at(front_line(&source, "campaign"), 1)
            .hint(format!(
                "use one of: {}",
                crate::calendar::keys(&config.calendar)
            ))
            .zh(format!("`campaign: {key}` 不是宣传日历里的节点"))
            .hint_zh(format!(
                "可用的节点：{}",
                crate::calendar::keys(&config.calendar)
            )),
        );
    }
    check_dates(config, &source, now, &mut diags);
    for key in ["laws", "audiences", "tags"] {
        let n = source.front.terms(key).len();
        if n > MAX_TERMS {
            diags.push(
                Diagnostic::warning(
                    &source.shown,
                    format!("`{key}` has {n} terms; was a list pasted by mistake?"),
                )
                .zh(format!("`{key}` 有 {n} 项，是不是误粘贴了？"))
                .at(front_line(&source, key), 1)
                .hint(format!(
                    "a few well-chosen terms help readers more (at most {MAX_TERMS})"
                ))
                .hint_zh(format!("少而精的分类更方便读者（不超过 {MAX_TERMS} 个）")),
            );
        }
    }
    let status = schedule::status(&source.front, now.timestamp());
    let date = source.front.date.clone().unwrap_or_else(|| now.clone());
    // Articles at the content root are standalone pages.
    let section = section.filter(|&s| section_urls[s].url != config.url(""));
    let placed = Placed {
        source,
        slug,
        url,
        section,
        status,
        date,
    };
    Candidate {
        placed: Some(placed),
        problems: diags.0,
    }
}

/// URLs for content assets, and the copies that publish them. Assets of
/// articles that are not in this build stay unpublished, and so do files
/// [`publishable`] refuses.
fn asset_urls(
    config: &Config,
    assets: &[Asset],
    visible: &[Placed],
    section_urls: &[SectionUrl],
    diags: &mut Diagnostics,
) -> (HashMap<PathBuf, PublishedAsset>, Vec<Copy>) {
    let mut dir_urls: HashMap<PathBuf, String> = section_urls
        .iter()
        .map(|s| (s.dir.clone(), s.url.clone()))
        .collect();
    for p in visible.iter().filter(|p| p.source.bundle) {
        if let Some(dir) = p
            .source
            .shown
            .parent()
            .and_then(|d| d.strip_prefix("content").ok())
        {
            dir_urls.insert(dir.to_path_buf(), p.url.clone());
        }
    }
    let mut map = HashMap::new();
    let mut copies = Vec::new();
    for a in assets {
        let Some(dir_url) = dir_urls.get(&a.dir) else {
            continue; // a draft's bundle, or a folder without articles
        };
        if !publishable(config, &a.path, Origin::Content, diags) {
            continue;
        }
        let name = a.path.file_name().unwrap_or_default().to_string_lossy();
        let url = format!("{dir_url}{}", encode_segment(&name));
        let to = format!(
            "{}{name}",
            dir_url.strip_prefix(&config.base_path).unwrap_or(dir_url)
        );
        let original = a.probe.dimensions;
        let size = original.map(images::published_size);
        let op = match (original, size) {
            (Some(o), Some(p)) if o != p => Some(ImageOp::Resize(p.0)),
            _ => None,
        };
        let file_bytes = a.probe.bytes;
        map.insert(
            markdown::normalize(&a.path),
            PublishedAsset {
                url,
                size,
                file_bytes: op.is_none().then_some(file_bytes),
            },
        );
        if op.is_some() && config.keep_originals {
            let original_to = match to.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.original.{ext}"),
                None => format!("{to}.original"),
            };
            copies.push(Copy {
                from: a.path.clone(),
                to: original_to,
                op: None,
            });
        }
        copies.push(Copy {
            from: a.path.clone(),
            to,
            op,
        });
    }
    (map, copies)
}

/// Percent-encodes a file name for use in a URL path.
pub fn encode_segment(name: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(name, SET).to_string()
}

/// An article rendered, with what its rendering found.
#[derive(Clone)]
pub(crate) struct Rendered {
    article: Article,
    /// A file the article needs besides its assets (the cropped share image).
    extra: Option<Copy>,
    pub(crate) path: PathBuf,
    anchor_links: Vec<markdown::AnchorLink>,
    /// The other articles its links looked up, and what they found.
    article_links: Vec<(PathBuf, Option<LinkTarget>)>,
    files: FilesLookedUp,
    diags: Vec<Diagnostic>,
}

/// The files besides articles that a rendering looked for.
#[derive(Clone, Default)]
struct FilesLookedUp {
    /// Files under `content/` its links, images and covers looked up, and
    /// what they found (`None`: no such asset).
    assets: Vec<(PathBuf, Option<PublishedAsset>)>,
    /// Files under static/ its covers were looked for at, and their
    /// versions then (`None`: not there).
    static_files: Vec<(PathBuf, Option<crate::stamp::Stamp>)>,
}

impl Rendered {
    /// Whether everything this rendering looked at outside its own file is
    /// as it was: every link to another article or to an asset finds what
    /// it found (so a new, moved or deleted article or image elsewhere does
    /// not make it render again), and the covers it looked for under
    /// static/ are unchanged.
    fn still_valid(
        &self,
        articles: &FxHashMap<PathBuf, LinkTarget>,
        assets: &HashMap<PathBuf, PublishedAsset>,
    ) -> bool {
        self.article_links
            .iter()
            .all(|(path, found)| articles.get(path) == found.as_ref())
            && self
                .files
                .assets
                .iter()
                .all(|(path, found)| assets.get(path) == found.as_ref())
            && self
                .files
                .static_files
                .iter()
                .all(|(path, stamp)| crate::stamp::Stamp::of(path) == *stamp)
    }
}

/// Links to `#anchors` must name a heading of their target article.
fn check_anchors(rendered: &[Rendered], diags: &mut Diagnostics) {
    // Most sites have no links to headings of other articles: then there
    // is no need to list every article's headings (on every save in serve).
    if rendered.iter().all(|r| r.anchor_links.is_empty()) {
        return;
    }
    let ids: HashMap<&Path, Vec<&str>> = rendered
        .iter()
        .map(|r| {
            (
                r.path.as_path(),
                r.article.headings.iter().map(|h| h.id.as_str()).collect(),
            )
        })
        .collect();
    for r in rendered {
        for link in &r.anchor_links {
            let Some(target_ids) = ids.get(link.target.as_path()) else {
                continue;
            };
            if !target_ids.contains(&link.fragment.as_str()) {
                let known = if target_ids.is_empty() {
                    "(none)".to_string()
                } else {
                    target_ids.join(", ")
                };
                diags.push(
                    Diagnostic::warning(
                        &r.article.shown,
                        format!(
                            "the anchor `#{}` is not a heading of the linked article",
                            link.fragment
                        ),
                    )
                    .zh(format!(
                        "链接里的锚点 `#{}` 在目标文章里找不到",
                        link.fragment
                    ))
                    .at(link.line, link.column)
                    .hint(format!("heading anchors there: {known}"))
                    .hint_zh(format!("那篇文章的标题锚点有：{known}")),
                );
            }
        }
    }
}

fn render_article(
    config: &Config,
    p: Placed,
    links: &Links<'_>,
    asset_urls: &HashMap<PathBuf, PublishedAsset>,
) -> Rendered {
    let mut diags = Vec::new();
    let source = markdown::Source {
        body: &p.source.body,
        body_line: p.source.body_line,
        path: &p.source.path,
        shown: &p.source.shown,
    };
    let rendered = markdown::render(&source, links, &mut diags);
    let summary = match (&p.source.front.summary, &rendered.more) {
        (Some(s), _) => s.clone(),
        (None, Some(more)) => markdown::derive_summary(more),
        (None, None) => {
            diags.push(
                Diagnostic::warning(&p.source.shown, "no `summary:`; the first sentences are used as the digest")
                    .at(1, 1)
                    .hint("write a one-sentence `summary:` (at most 120 characters) for lists, feeds and share cards").zh("没有摘要（summary），已自动取正文开头几句").hint_zh("写一句不超过 120 字的 `summary:`，用于列表、订阅和分享卡片"),
            );
            markdown::derive_summary(&rendered.plain)
        }
    };
    let count = summary.chars().count();
    if count > markdown::summary::MAX_CHARS {
        diags.push(
            Diagnostic::warning(
                &p.source.shown,
                format!("the summary has {count} characters; WeChat shows at most 120"),
            )
            .at(front_line(&p.source, "summary"), 1)
            .hint("shorten `summary:` to 120 characters or fewer")
            .zh(format!("摘要有 {count} 个字，微信最多显示 120 个"))
            .hint_zh("把 `summary:` 缩短到 120 字以内"),
        );
    }
    let mut files = FilesLookedUp {
        assets: rendered.asset_links,
        static_files: Vec::new(),
    };
    let cover = resolve_image(
        config,
        &p.source,
        p.source.front.cover.as_deref(),
        "cover",
        asset_urls,
        &mut files,
        &mut diags,
    );
    let cover_square = resolve_image(
        config,
        &p.source,
        p.source.front.cover_square.as_deref(),
        "cover_square",
        asset_urls,
        &mut files,
        &mut diags,
    );
    // Share cards want a square image: without `cover_square`, cut one from the cover.
    let mut extra = None;
    // Named after where the cover is published, never after its URL: a
    // URL decoded into a path can say anything (`%2e%2e`).
    let cover_square = cover_square.or_else(|| {
        let cover = cover.as_ref()?;
        let (from, size) = (cover.source.clone()?, cover.size?);
        let side = images::square_side(size);
        let to = square_name(cover.published.as_deref()?)?;
        let url = config.url(&encode_path(&to));
        extra = Some(Copy {
            from,
            to: to.clone(),
            op: Some(ImageOp::CropSquare(side)),
        });
        Some(Image {
            url,
            size: Some((side, side)),
            source: None,
            published: Some(to),
        })
    });
    let stats = markdown::stats(&rendered.plain);
    // The cited articles' full text goes under the article: readable
    // without a click, and without JavaScript.
    let mut html = rendered.html;
    let statutes_url = links.statutes_url;
    html.push_str(
        &links
            .statutes
            .quote_block_html(&rendered.citations, |law, n| {
                format!(
                    "{statutes_url}{}/#{}",
                    law.key,
                    crate::statutes::Statutes::anchor(n)
                )
            }),
    );
    let path = markdown::normalize(&p.source.path);
    let key_lines = KeyLines {
        title: front_line(&p.source, "title"),
        author: front_line(&p.source, "author"),
        cover: front_line(&p.source, "cover"),
    };
    let front = Arc::clone(&p.source.front);
    let data = ArticleData {
        shown: p.source.shown.clone(),
        slug: p.slug,
        url: p.url,
        front,
        status: p.status,
        date: p.date,
        // Exactly sized: the site holds every article's HTML at once, and a
        // String grown by doubling wastes a third of it on average.
        html: html.into(),
        summary,
        headings: rendered.headings,
        stats,
        cover,
        cover_square,
        citations: rendered.citations,
        key_lines,
    };
    let article = Article {
        section: p.section,
        data: Arc::new(data),
    };
    Rendered {
        path,
        extra,
        anchor_links: rendered.anchor_links,
        article_links: rendered.article_links,
        files,
        article,
        diags,
    }
}

/// A front-matter image path: beside the article, under `static/`, or a URL.
///
/// The value goes through [`confine::resolve`] twice: from the article's
/// folder inside content/ (relative values only), and from static/
/// (`/images/a.png` and `images/a.png` alike). Each lookup stays inside its
/// folder; a value that fits neither points outside the site.
fn resolve_image(
    config: &Config,
    source: &ArticleSource,
    value: Option<&str>,
    key: &str,
    asset_urls: &HashMap<PathBuf, PublishedAsset>,
    looked_up: &mut FilesLookedUp,
    diags: &mut Vec<Diagnostic>,
) -> Option<Image> {
    let value = value?;
    if value.starts_with("http://") || value.starts_with("https://") {
        return Some(Image {
            url: value.to_string(),
            size: None,
            source: None,
            published: None,
        });
    }
    let line = front_line(source, key);
    let in_static = match confine::resolve(value, Path::new(""), Leading::Base) {
        Ok(r) => Some(r),
        Err(Refusal::Escapes) => None,
        Err(why) => {
            diags.push(unusable_image_path(source, key, value, why).at(line, 1));
            return None;
        }
    };
    // Only a refusal for climbing out can differ from the one above.
    let content_dir = config.content_dir();
    let beside = match value.starts_with('/') {
        true => None,
        false => source
            .path
            .parent()
            .and_then(|dir| dir.strip_prefix(&content_dir).ok())
            .and_then(|from| confine::resolve(value, from, Leading::Base).ok())
            .map(|r| markdown::normalize(&content_dir.join(r.path))),
    };
    if beside.is_none() && in_static.is_none() {
        diags.push(
            Diagnostic::error(
                &source.shown,
                format!("`{key}: {value}` points outside the site"),
            )
            .zh(format!("`{key}: {value}` 指向了网站文件夹以外的文件"))
            .at(line, 1)
            .hint("put the image next to the article or under static/ and refer to it from there")
            .hint_zh("把图片放在文章旁边或 static/ 下，再从那里引用"),
        );
        return None;
    }
    // `pufa serve` reuses this article's rendering while these lookups
    // find what they found.
    if let Some(beside) = beside {
        let found = asset_urls.get(&beside);
        looked_up.assets.push((beside.clone(), found.cloned()));
        if let Some(asset) = found {
            // Asset URLs are pufa's own: slugs and encoded file names.
            let local = asset
                .url
                .strip_prefix(&config.base_path)
                .unwrap_or(&asset.url);
            let published = percent_encoding::percent_decode_str(local)
                .decode_utf8_lossy()
                .into_owned();
            return Some(Image {
                url: asset.url.clone(),
                size: asset.size,
                source: Some(beside),
                published: Some(published),
            });
        }
    }
    let static_dir = config.static_dir();
    if let Some(rel) = in_static {
        if let Some(link) = first_link(&static_dir, &rel.path) {
            diags.push(image_through_link(config, source, key, value, &link).at(line, 1));
            return None;
        }
        // Its square crop would publish a picture from a hidden folder.
        if !is_published_static_path(&rel.path) {
            diags.push(
                Diagnostic::error(
                    &source.shown,
                    format!("`{key}: {value}` is a hidden or temporary file, which pufa does not publish"),
                )
                .zh(format!("`{key}: {value}` 是隐藏文件或临时文件，pufa 不会发布它"))
                .at(line, 1)
                .hint("move the image out of the hidden folder, or rename it so that its name does not start with `.`")
                .hint_zh("把图片移出隐藏文件夹，或改名，不要以“.”开头"),
            );
            return None;
        }
        let file = static_dir.join(&rel.path);
        // One `stat` for both the stamp and the check.
        let meta = std::fs::metadata(&file).ok();
        let stamp = meta.as_ref().map(crate::stamp::Stamp::from_metadata);
        looked_up.static_files.push((file.clone(), stamp));
        if meta.is_some_and(|m| m.is_file()) {
            let size = images::is_raster(&file)
                .then(|| images::dimensions(&file))
                .flatten();
            let published = rel.to_slash();
            return Some(Image {
                url: config.url(&encode_path(&published)),
                size,
                source: Some(file),
                published: Some(published),
            });
        }
    }
    diags.push(
        Diagnostic::error(&source.shown, format!("`{key}: {value}` not found"))
            .at(line, 1)
            .hint("put the image next to the article (page bundle) or under static/ and check its name").zh(format!("找不到图片 `{key}: {value}`")).hint_zh("把图片放在文章旁边（文章文件夹）或 static/ 下，并检查文件名"),
    );
    None
}

/// The error for an image path [`confine::resolve`] refused.
fn unusable_image_path(source: &ArticleSource, key: &str, value: &str, why: Refusal) -> Diagnostic {
    Diagnostic::error(
        &source.shown,
        format!("`{key}: {value}` is not a usable path: {why}"),
    )
    .zh(format!("`{key}: {value}` 不能用作路径：{}", why.zh()))
    .hint(format!("write the image's path as it is on disk, beside the article or under static/, e.g. `{key}: /images/a.png`"))
    .hint_zh(format!("写图片在磁盘上的路径（文章旁边或 static/ 下），例如 `{key}: /images/a.png`"))
}

/// The error for an image under static/ reached through a symbolic link.
fn image_through_link(
    config: &Config,
    source: &ArticleSource,
    key: &str,
    value: &str,
    link: &Path,
) -> Diagnostic {
    let link = crate::diagnostics::display_path(&config.root, link);
    let link = link.display();
    Diagnostic::error(
        &source.shown,
        format!("`{key}: {value}` goes through the symbolic link {link}; pufa publishes only real files inside the site"),
    )
    .zh(format!("`{key}: {value}` 经过了符号链接 {link}；pufa 只发布站点文件夹里的真实文件"))
    .hint("copy the image into static/ instead of linking to it")
    .hint_zh("把图片复制到 static/ 里，不要用链接")
}

/// The first symbolic link on the way from `base` down to `base/rel`, if
/// any. The static/ walk skips links; a cover must not follow them either.
fn first_link(base: &Path, rel: &Path) -> Option<PathBuf> {
    let mut at = base.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

/// `news/a/cover.png` → `news/a/cover.square.png`.
fn square_name(published: &str) -> Option<String> {
    let (dir, name) = match published.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, published),
    };
    let (stem, ext) = name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty())?;
    Some(match dir {
        Some(dir) => format!("{dir}/{stem}.square.{ext}"),
        None => format!("{stem}.square.{ext}"),
    })
}

/// Percent-encodes each part of a `/`-separated path for a URL.
fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Dates that are valid but probably not what the editor meant.
fn check_dates(
    config: &Config,
    source: &ArticleSource,
    now: &ZonedDateTime,
    diags: &mut Diagnostics,
) {
    let Some(date) = &source.front.date else {
        return;
    };
    if let Ok(limit) = now.checked_add(jiff::Span::new().years(1))
        && *date > limit
        && !source.front.draft
    {
        diags.push(
            Diagnostic::warning(
                &source.shown,
                format!(
                    "`date` is more than a year ahead ({}); is the year right?",
                    crate::time::display_date(date)
                ),
            )
            .zh(format!(
                "发布时间在一年以后（{}），年份写对了吗？",
                crate::time::display_date(date)
            ))
            .at(front_line(source, "date"), 1)
            .hint("scheduled articles stay out of the site until their date; check the year")
            .hint_zh("定时发布的文章要到 date 那天才出现在网站上；请核对年份"),
        );
    }
    let Some(key) = &source.front.campaign else {
        return;
    };
    let Some(day) = config.calendar.iter().find(|d| &d.key == key) else {
        return; // reported as an unknown key
    };
    let d = date.date();
    let inside = (d.year() - 1..=d.year() + 1).any(|y| day.in_year(y).contains(d));
    if !inside {
        let o = day.in_year(d.year());
        let window = crate::calendar::describe_window(&o);
        diags.push(
            Diagnostic::warning(
                &source.shown,
                format!(
                    "dated {} but its campaign {} {} runs {window}",
                    crate::time::display_date(date),
                    day.label(),
                    day.name
                ),
            )
            .zh(format!(
                "发布时间 {} 不在 {} {}的宣传时段（{window}）内",
                crate::time::display_date(date),
                day.label(),
                day.name
            ))
            .at(front_line(source, "date"), 1)
            .hint("move the date into the campaign's window, or change or remove `campaign:`")
            .hint_zh("把发布时间调到宣传时段内，或者修改、删掉 `campaign:`"),
        );
    }
}

/// The file line of a front-matter key (the YAML starts on line 2).
fn front_line(source: &ArticleSource, key: &str) -> usize {
    crate::yaml::key_line(&source.front_yaml, key).map_or(1, |l| l + 1)
}

fn taxonomies(config: &Config, articles: &[Article], diags: &mut Diagnostics) -> Vec<Taxonomy> {
    // One taxonomy per thread; problems are reported in taxonomy order.
    let (taxonomies, problems): (Vec<Taxonomy>, Vec<Vec<Diagnostic>>) = config
        .taxonomies
        .par_iter()
        .map(|t| taxonomy(config, t, articles))
        .unzip();
    diags.extend(problems.into_iter().flatten());
    taxonomies
}

/// What a term name used in the front matter stands for.
#[derive(Clone, Copy)]
enum Use {
    /// Term number `n` (in order of first use).
    Term(usize),
    /// No URL: refused with the front matter, at its line.
    Refused,
    /// Another name of term `n` has the same URL.
    Collides(usize),
}

fn taxonomy(
    config: &Config,
    t: &crate::config::Taxonomy,
    articles: &[Article],
) -> (Taxonomy, Vec<Diagnostic>) {
    let base = config.url(&format!("{}/", t.key));
    let mut diags = Vec::new();
    // (slug, name, first article using it, article indices), in order of first use.
    let mut found: Vec<(String, String, usize, Vec<usize>)> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    // Pinyin and look-ups once per name, not once per use (40,000 uses on
    // a 10,000-article site).
    let mut by_name: FxHashMap<&str, Use> = FxHashMap::default();
    for (i, a) in articles.iter().enumerate() {
        for name in a.front.terms(t.key) {
            let used = *by_name.entry(name.as_str()).or_insert_with(|| {
                let slug = slugify(name);
                if slug.is_empty() {
                    return Use::Refused;
                }
                match by_slug.get(&slug) {
                    Some(&n) => Use::Collides(n),
                    None => {
                        by_slug.insert(slug.clone(), found.len());
                        found.push((slug, name.clone(), i, Vec::new()));
                        Use::Term(found.len() - 1)
                    }
                }
            });
            match used {
                Use::Term(n) => found[n].3.push(i),
                Use::Refused => {}
                Use::Collides(n) => {
                    let (_, other, first, _) = &found[n];
                    diags.push(
                        Diagnostic::error(
                            &a.shown,
                            format!(
                                "the {} terms `{name}` and `{other}` (used in {}) have the same URL",
                                t.key,
                                articles[*first].shown.display()
                            ),
                        )
                        .hint("use one spelling for both, or rename one of them")
                        .zh(format!("分类词 `{name}` 和 `{other}` 的网址相同"))
                        .hint_zh("两者统一成一种写法，或者改掉其中一个"),
                    );
                }
            }
        }
    }
    let mut terms: Vec<Term> = found
        .into_iter()
        .map(|(slug, name, _, articles)| Term {
            url: format!("{base}{slug}/"),
            name,
            slug,
            articles,
        })
        .collect();
    terms.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let index = terms
        .iter()
        .enumerate()
        .map(|(i, term)| (term.name.clone(), i))
        .collect();
    let taxonomy = Taxonomy {
        key: t.key,
        name: t.name.clone(),
        url: base,
        terms,
        index,
    };
    (taxonomy, diags)
}

fn campaigns(config: &Config, articles: &[Article]) -> Vec<Campaign> {
    config
        .calendar
        .iter()
        .map(|day| Campaign {
            day: day.clone(),
            url: config.url(&format!("campaigns/{}/", day.key)),
            articles: articles
                .iter()
                .enumerate()
                .filter(|(_, a)| a.front.campaign.as_deref() == Some(day.key.as_str()))
                .map(|(i, _)| i)
                .collect(),
        })
        .collect()
}

/// Files under `static/`, copied as they are. Symbolic links are skipped
/// with a warning, and so are hidden files and folders (but `.well-known/`),
/// which hold secrets far more often than web pages (`.git/`, `.env`,
/// `.htpasswd`); editors' temporary and backup files are skipped silently,
/// as under content/ (the preview ignores them too).
fn static_copies(config: &Config, diags: &mut Diagnostics) -> Vec<Copy> {
    let dir = config.static_dir();
    let mut hidden = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let shown = e.depth() == 0 || is_published_name(e);
            if !shown {
                hidden.push(e.path().to_path_buf());
            }
            shown
        });
    let mut copies = Vec::new();
    for e in walker.filter_map(Result::ok) {
        if e.depth() > 0 && e.path_is_symlink() {
            diags.push(crate::content::skipped_link(&config.root, e.path()));
            continue;
        }
        if !e.file_type().is_file() || !publishable(config, e.path(), Origin::Static, diags) {
            continue;
        }
        // Joined with `/` part by part: a `\` inside a name (possible on
        // Unix) stays in it, to be refused, instead of becoming a separator.
        let Ok(rel) = e.path().strip_prefix(&dir) else {
            continue;
        };
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        copies.push(Copy {
            from: e.path().to_path_buf(),
            to: parts.join("/"),
            op: None,
        });
    }
    diags.extend(
        hidden
            .iter()
            .filter(|p| is_secret_name(p))
            .map(|p| hidden_not_published(config, p)),
    );
    copies
}

/// Whether a file or folder under static/ is published by name: not
/// hidden, temporary or a backup, except `.well-known/` at the top (site
/// verification, security.txt).
fn is_published_name(e: &walkdir::DirEntry) -> bool {
    is_published_static_name(
        e.depth(),
        &e.file_name().to_string_lossy(),
        e.file_type().is_dir(),
    )
}

/// [`is_published_name`] for a name `depth` levels below static/.
fn is_published_static_name(depth: usize, name: &str, is_dir: bool) -> bool {
    !crate::content::is_ignored(name) || (depth == 1 && name == ".well-known" && is_dir)
}

/// Whether every part of `rel` (a file under static/) is published by name.
fn is_published_static_path(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().collect();
    parts.iter().enumerate().all(|(i, part)| {
        let name = part.as_os_str().to_string_lossy();
        is_published_static_name(i + 1, &name, i + 1 < parts.len())
    })
}

/// Hidden names worth a warning: not the Finder's `.DS_Store` (nobody put
/// it there on purpose) nor editors' temporary files.
fn is_secret_name(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.starts_with('.') && name != ".DS_Store"
}

fn hidden_not_published(config: &Config, path: &Path) -> Diagnostic {
    Diagnostic::warning(
        crate::diagnostics::display_path(&config.root, path),
        "not published: hidden files and folders (names starting with `.`) often hold secrets",
    )
    .zh("没有发布：隐藏文件和文件夹（名字以“.”开头）常常存有密码等机密")
    .hint("only .well-known/ is published among them; if the server needs this file, put it there by other means")
    .hint_zh("这类文件中只有 .well-known/ 会发布；服务器需要这个文件的话，请用别的方式放上去")
}

/// Which folder editors put a file in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Beside an article (page bundles, section folders).
    Content,
    Static,
}

/// Whether a file may be published as it is. SVG images must pass
/// [`crate::svg::check_file`] (errors otherwise); HTML pages beside
/// articles need `static: { allow_html: true }` (a warning otherwise).
/// Both would run their scripts on the site's own address.
fn publishable(config: &Config, path: &Path, origin: Origin, diags: &mut Diagnostics) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let shown = crate::diagnostics::display_path(&config.root, path);
    match ext.as_str() {
        "svg" | "svgz" => {
            let problems = if ext == "svgz" {
                vec![compressed_svg(&shown)]
            } else {
                crate::svg::check_file(path, &shown)
            };
            let ok = problems.is_empty();
            diags.extend(problems);
            ok
        }
        // Pages a browser opens and runs scripts in (XSLT makes pages too).
        "html" | "htm" | "xhtml" | "xht" | "shtml" | "xsl" | "xslt" | "mht" | "mhtml"
            if origin == Origin::Content && !config.allow_html =>
        {
            diags.push(
                Diagnostic::warning(&shown, "not published: a web page beside an article (HTML, XHTML or XSLT) runs its scripts on the site's own address")
                    .zh("没有发布：文章旁边的网页文件（HTML、XHTML 或 XSLT）会以本站的名义运行其中的脚本")
                    .hint("put its content in the article, or set `static: { allow_html: true }` in site.yaml if every editor is trusted")
                    .hint_zh("把内容写进文章里；如果信任所有编辑，可以在 site.yaml 里设置 `static: { allow_html: true }`"),
            );
            false
        }
        _ => true,
    }
}

/// A compressed SVG cannot be checked without unpacking it, and is rare.
fn compressed_svg(shown: &Path) -> Diagnostic {
    Diagnostic::error(shown, "pufa cannot check a compressed SVG image (.svgz)")
        .zh("pufa 无法检查压缩的 SVG 图片（.svgz）")
        .hint("publish it as a plain .svg, or export the image as PNG")
        .hint_zh("改用未压缩的 .svg，或者把图片导出为 PNG")
}

/// Every copy's output path passes [`confine::check_output`] (a file named
/// `..\..\x` under static/ on Unix is an error, not a write two folders
/// up), and two copies whose paths differ only in case get a warning: on
/// Windows, macOS and many servers and CDNs they are one file.
fn checked_copies(config: &Config, copies: Vec<Copy>, diags: &mut Diagnostics) -> Vec<Copy> {
    let shown = |c: &Copy| crate::diagnostics::display_path(&config.root, &c.from);
    let mut kept = Vec::with_capacity(copies.len());
    for c in copies {
        match confine::check_output(&c.to) {
            Ok(()) => kept.push(c),
            Err(why) => diags.push(
                Diagnostic::error(
                    shown(&c),
                    format!("cannot publish this file at `{}`: {why}", c.to),
                )
                .zh(format!("无法把这个文件发布到 `{}`：{}", c.to, why.zh()))
                .hint("rename the file (letters, digits, `-` and `_` are safe everywhere)")
                .hint_zh("给文件改个名（字母、数字、`-` 和 `_` 在哪里都没问题）"),
            ),
        }
    }
    let mut by_folded: std::collections::BTreeMap<String, Vec<&Copy>> = Default::default();
    for c in &kept {
        by_folded.entry(c.to.to_lowercase()).or_default().push(c);
    }
    for group in by_folded.values_mut() {
        group.sort_by(|a, b| a.to.cmp(&b.to));
        group.dedup_by(|a, b| a.to == b.to);
        let Some((first, others)) = group.split_first() else {
            continue;
        };
        let first_shown = shown(first);
        let first_shown = first_shown.display();
        for c in others {
            diags.push(
                Diagnostic::warning(
                    shown(c),
                    format!(
                        "published as `{}`, which differs only in case from `{}` ({first_shown})",
                        c.to, first.to
                    ),
                )
                .zh(format!(
                    "发布路径 `{}` 与 `{}`（{first_shown}）只有大小写不同",
                    c.to, first.to
                ))
                .hint("rename one of them: on Windows, macOS and many servers and CDNs the two are one file")
                .hint_zh("给其中一个改名：在 Windows、macOS 和许多服务器、CDN 上，这两个是同一个文件"),
            );
        }
    }
    kept
}
