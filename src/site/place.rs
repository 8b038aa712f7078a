//! Placement: the URL of every section, article and asset (pinyin slugs,
//! collisions and aliases as errors naming both files), and the checks of
//! each article's campaign key and terms. Its status and the checks of its
//! dates are in `visibility.rs`.

use super::*;

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
pub(super) struct UrlClaims(FxHashMap<String, PathBuf>);

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
                .hint_zh("给其中一篇在前言里另设一个「slug:」"),
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
pub(super) fn check_aliases(
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
                    "「aliases」：「{written}」是 {} 的网址",
                    page.display()
                ))
                .hint("remove it: an alias is an old address that no page uses any more")
                .hint_zh("删掉它：别名应当是已经没有页面使用的旧网址")
            } else if let Some(other) = aliases.get(alias.path.as_str()) {
                Diagnostic::error(
                    shown,
                    format!("`aliases`: `{written}` is also an alias of {}", other.display()),
                )
                .zh(format!("「aliases」：「{written}」也是 {} 的别名", other.display()))
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
pub(super) enum Made {
    FromFile,
    FromFolder,
}

/// The error for a URL segment over [`crate::slug::MAX_LEN`] made from a
/// file or folder name, with a shorter `slug:` to use instead.
pub(super) fn segment_too_long(shown: &Path, seg: &str, made: Made) -> Diagnostic {
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
        "在{place_zh}加一个简短的「slug:」，例如「slug: {short}」"
    ))
}

/// Each section's URL, in `sections` order.
pub(super) fn section_urls(
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
pub(super) fn folder_segment_problem(
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
                format!("在 {index_md} 里加上「slug: 英文名」"),
            )
        } else {
            (
                format!(
                    "rename the folder, or create {index_md} with `slug: some-name` in its front matter"
                ),
                format!("给文件夹改个名，或新建 {index_md}，在前言里写「slug: 英文名」"),
            )
        };
        Some(
            Diagnostic::error(
                shown,
                format!("cannot make a URL from the folder name `{name}`"),
            )
            .hint(hint)
            .zh(format!("无法从文件夹名「{name}」生成网址"))
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
            .hint_zh(format!("给文件夹改个名，或在 {index_md} 里另设「slug:」")),
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
pub(super) struct Candidate {
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

pub(super) fn place(
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
            .zh(format!("无法从文件名「{}」生成网址", source.name))
            .hint_zh("在前言里加上「slug: 英文名」（小写字母、数字、短横线）"),
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
            .hint_zh("在前言里另设一个「slug:」"),
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
            .zh(format!("「campaign: {key}」不是宣传日历里的节点"))
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
                .zh(format!("「{key}」有 {n} 项，是不是误粘贴了？"))
                .at(front_line(&source, key), 1)
                .hint(format!(
                    "a few well-chosen terms help readers more (at most {MAX_TERMS})"
                ))
                .hint_zh(format!("少而精的分类更方便读者（不超过 {MAX_TERMS} 个）")),
            );
        }
    }
    let status = status(&source, now);
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
pub(super) fn asset_urls(
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
