//! The bodies of articles: Markdown rendered with links, images and covers
//! resolved, statute quotes appended; what each rendering looked up, so the
//! preview can tell when it still holds; anchors checked across articles.

use super::*;

/// An article rendered, with what its rendering found.
#[derive(Clone)]
pub(crate) struct Rendered {
    pub(super) article: Article,
    /// A file the article needs besides its assets (the cropped share image).
    pub(super) extra: Option<Copy>,
    pub(crate) path: PathBuf,
    pub(super) anchor_links: Vec<markdown::AnchorLink>,
    /// The other articles its links looked up, and what they found.
    pub(super) article_links: Vec<(PathBuf, Option<LinkTarget>)>,
    pub(super) files: FilesLookedUp,
    pub(super) diags: Vec<Diagnostic>,
}

/// The files besides articles that a rendering looked for.
#[derive(Clone, Default)]
pub(super) struct FilesLookedUp {
    /// Files under `content/` its links, images and covers looked up, and
    /// what they found (`None`: no such asset).
    pub(super) assets: Vec<(PathBuf, Option<PublishedAsset>)>,
    /// Files under static/ its covers were looked for at, and their
    /// versions then (`None`: not there).
    pub(super) static_files: Vec<(PathBuf, Option<crate::stamp::Stamp>)>,
}

impl Rendered {
    /// Whether everything this rendering looked at outside its own file is
    /// as it was: every link to another article or to an asset finds what
    /// it found (so a new, moved or deleted article or image elsewhere does
    /// not make it render again), and the covers it looked for under
    /// static/ are unchanged.
    pub(super) fn still_valid(
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
pub(super) fn check_anchors(rendered: &[Rendered], diags: &mut Diagnostics) {
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
                        "链接里的锚点「#{}」在目标文章里找不到",
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

/// The bodies of articles whose front matter failed to load, checked for
/// what only the body can get wrong (links, images, statute citations),
/// so that fixing the front matter does not reveal new errors on the next
/// run. Every file under `content/` counts as there for these checks: a
/// page bundle that failed to load has no published folder for its images.
pub(super) fn check_unloaded_bodies(
    unloaded: &[Unloaded],
    links: &Links<'_>,
    assets: &[Asset],
    diags: &mut Diagnostics,
) {
    let bodies: Vec<&ArticleSource> = unloaded.iter().filter_map(|u| u.body.as_deref()).collect();
    if bodies.is_empty() {
        return;
    }
    let mut all_assets = links.assets.clone();
    for a in assets {
        all_assets
            .entry(markdown::normalize(&a.path))
            .or_insert_with(|| PublishedAsset {
                url: String::new(),
                size: a.probe.dimensions,
                file_bytes: Some(a.probe.bytes),
            });
    }
    let links = Links {
        assets: &all_assets,
        ..*links
    };
    let found: Vec<Vec<Diagnostic>> = bodies
        .par_iter()
        .map(|source| {
            let mut found = Vec::new();
            let body = markdown::Source {
                body: &source.body,
                body_line: source.body_line,
                path: &source.path,
                shown: &source.shown,
            };
            markdown::render(&body, &links, &mut found);
            found
        })
        .collect();
    diags.extend(found.into_iter().flatten());
}

pub(super) fn render_article(
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
    check_statute_use(&p, &rendered.citations, links.statutes, &mut diags);
    let summary = match (&p.source.front.summary, &rendered.more) {
        (Some(s), _) => s.clone(),
        (None, Some(more)) => markdown::derive_summary(more),
        (None, None) => {
            diags.push(
                Diagnostic::warning(&p.source.shown, "no `summary:`; the first sentences are used as the digest")
                    .at(1, 1)
                    .hint("write a one-sentence `summary:` (at most 120 characters) for lists, feeds and share cards").zh("没有摘要（summary），已自动取正文开头几句").hint_zh("写一句不超过 120 字的「summary:」，用于列表、订阅和分享卡片"),
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
            .hint_zh("把「summary:」缩短到 120 字以内"),
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
                links.statutes.article_href(statutes_url, law, n)
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

/// What an article says about the law, beyond its links: quotations of
/// statute text must be the text (an error, with the difference); a
/// cited law the site has no data for, and a cited law `laws:` does not
/// list, are warnings.
fn check_statute_use(
    p: &Placed,
    citations: &[(usize, u32)],
    statutes: &crate::statutes::Statutes,
    diags: &mut Vec<Diagnostic>,
) {
    let source = &p.source;
    let at = |offset: usize| {
        let (line, col) = crate::diagnostics::line_col(&source.body, offset);
        (source.body_line + line - 1, col)
    };
    for m in crate::statutes::misquotes(&source.body, statutes) {
        let law = &statutes.laws()[m.law];
        let label = crate::statutes::article_label(m.article);
        let (line, col) = at(m.offset);
        diags.push(
            Diagnostic::error(
                &source.shown,
                format!(
                    "the quotation of 《{}》{label} is not the law's text: quoted {}, the law says {}",
                    law.short, m.quoted, m.official
                ),
            )
            .at(line, col)
            .zh(format!(
                "引用的《{}》{label}与法律原文不一致：引文是 {}，原文是 {}",
                law.short, m.quoted, m.official
            ))
            .hint("copy the text from the law page (statutes/), or leave out words with 「……」, or say it in your own words without quotation marks")
            .hint_zh("请从法条页面照原文抄写；要省略就用「……」；不想照抄，就去掉引号用自己的话说"),
        );
    }
    if source.body.contains("》第") {
        for (range, name) in crate::statutes::unknown_laws(&source.body, statutes) {
            let (line, col) = at(range.start);
            diags.push(
                Diagnostic::warning(
                    &source.shown,
                    format!("《{name}》 is cited, but the site has no text of it: nothing is linked or quoted"),
                )
                .at(line, col)
                .zh(format!("引用了《{name}》，但本站没有这部法律的条文，无法链接和引用原文"))
                .hint(format!("import the law once: `pufa statutes import {name}.md --output statutes/KEY.yaml` (a Markdown text of the law, LawRefBook layout)"))
                .hint_zh(format!("把这部法律导入一次即可：「pufa statutes import {name}.md --output statutes/KEY.yaml」（法律全文的 Markdown 文件）")),
            );
        }
    }
    let mut cited: Vec<usize> = citations.iter().map(|&(law, _)| law).collect();
    cited.sort_unstable();
    cited.dedup();
    for i in cited {
        let law = &statutes.laws()[i];
        let listed = source.front.laws.iter().any(|name| {
            let name = name.trim().trim_start_matches('《').trim_end_matches('》');
            law.aliases.iter().any(|a| a == name)
        });
        if !listed {
            let line = front_line(source, "laws");
            diags.push(
                Diagnostic::warning(
                    &source.shown,
                    format!("the text cites 《{}》 but `laws:` does not list it", law.short),
                )
                .at(line, 1)
                .zh(format!("正文引用了《{}》，但「laws:」里没有列出", law.short))
                .hint(format!("add `{}` to `laws:`, so the article is listed on that law's page and in its feed", law.short))
                .hint_zh(format!("在「laws:」里加上「{}」，文章才会出现在这部法律的页面和订阅里", law.short)),
            );
        }
    }
}

/// A front-matter image path: beside the article, under `static/`, or a URL.
///
/// The value goes through [`confine::resolve`] twice: from the article's
/// folder inside content/ (relative values only), and from static/
/// (`/images/a.png` and `images/a.png` alike). Each lookup stays inside its
/// folder; a value that fits neither points outside the site.
pub(super) fn resolve_image(
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
            .zh(format!("「{key}: {value}」指向了网站文件夹以外的文件"))
            .at(line, 1)
            .hint("put the image next to the article or under static/ and refer to it from there")
            .hint_zh("把图片放在文章旁边或 static/ 下，再从那里引用"),
        );
        return None;
    }
    // `pufa serve` reuses this article's rendering while these lookups
    // find what they found.
    if let Some(beside) = beside.clone() {
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
                .zh(format!("「{key}: {value}」是隐藏文件或临时文件，pufa 不会发布它"))
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
    let d = Diagnostic::error(&source.shown, format!("`{key}: {value}` not found"))
        .zh(format!("找不到图片「{key}: {value}」"))
        .at(line, 1);
    let near = beside
        .as_deref()
        .and_then(|beside| markdown::nearest_file(beside, asset_urls.keys().map(PathBuf::as_path)));
    diags.push(match near {
        Some(near) => {
            let near = markdown::relative_link(&source.path, near);
            d.hint(format!("did you mean `{key}: {near}`?"))
                .hint_zh(format!("你是不是想写「{key}: {near}」？"))
        }
        None => d
            .hint("put the image next to the article (page bundle) or under static/ and check its name")
            .hint_zh("把图片放在文章旁边（文章文件夹）或 static/ 下，并检查文件名"),
    });
    None
}

/// The error for an image path [`confine::resolve`] refused.
pub(super) fn unusable_image_path(
    source: &ArticleSource,
    key: &str,
    value: &str,
    why: Refusal,
) -> Diagnostic {
    Diagnostic::error(
        &source.shown,
        format!("`{key}: {value}` is not a usable path: {why}"),
    )
    .zh(format!("「{key}: {value}」不能用作路径：{}", why.zh()))
    .hint(format!("write the image's path as it is on disk, beside the article or under static/, e.g. `{key}: /images/a.png`"))
    .hint_zh(format!("写图片在磁盘上的路径（文章旁边或 static/ 下），例如「{key}: /images/a.png」"))
}

/// The error for an image under static/ reached through a symbolic link.
pub(super) fn image_through_link(
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
    .zh(format!("「{key}: {value}」经过了符号链接 {link}；pufa 只发布站点文件夹里的真实文件"))
    .hint("copy the image into static/ instead of linking to it")
    .hint_zh("把图片复制到 static/ 里，不要用链接")
}

/// The first symbolic link on the way from `base` down to `base/rel`, if
/// any. The static/ walk skips links; a cover must not follow them either.
pub(super) fn first_link(base: &Path, rel: &Path) -> Option<PathBuf> {
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
pub(super) fn square_name(published: &str) -> Option<String> {
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
pub(super) fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}
