//! Render: the site model to pages, feeds and files, all in memory.
//!
//! Builds one minijinja environment per build (templates compiled once), turns
//! the model into typed views ([`views`]) and renders every page in parallel,
//! handing each file to a sink as it is done ([`render`]), or one page at a
//! time when it is asked for ([`Lazy`], for `pufa serve`).

mod alias;
mod card;
mod qr;
pub mod theme;
pub mod views;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use minijinja::{Environment, Value, context};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::feed;
use crate::output::{Body, OutputFile};
use crate::site::{Article, Site};
use crate::time;
use card::Cards;
use theme::Theme;
use views::{Link, PageMeta, Paginator, YearView};

/// A page to render: output path, template, its head metadata and the
/// template's own variables. Metadata and variables are made when the page
/// is rendered, not before: holding every page's context at once would copy
/// the whole site in memory, and `pufa serve` renders only the pages asked
/// for (making every page's metadata was an eighth of a rebuild).
struct Job<'s> {
    path: String,
    template: &'static str,
    meta: Box<dyn Fn() -> PageMeta + Send + Sync + 's>,
    vars: Box<dyn Fn() -> Value + Send + Sync + 's>,
}

/// The starting size of a page's buffer: most pages of the default theme
/// are 8–16 KiB.
const PAGE_CAPACITY: usize = 16 * 1024;

/// A page's variables in one map. `context!` with `..vars` merges two maps
/// at every lookup, and a page looks up a few hundred names.
fn page_context(site: &Value, job: &Job<'_>) -> Value {
    let vars = (job.vars)();
    let own = [
        (Value::from("site"), site.clone()),
        (Value::from("page"), Value::from_serialize((job.meta)())),
    ];
    // `site` and `page` last: they win over a variable of the same name,
    // as they did in `context!`.
    vars.try_iter()
        .into_iter()
        .flatten()
        .filter_map(|key| vars.get_item(&key).ok().map(|value| (key, value)))
        .chain(own)
        .collect()
}

fn path_hash(path: &str) -> u64 {
    std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, path)
}

/// Metadata made already (pages of which a site has one or a few).
fn made<'s>(meta: PageMeta) -> Box<dyn Fn() -> PageMeta + Send + Sync + 's> {
    Box::new(move || meta.clone())
}

/// Takes each finished file, from many threads, in no particular order.
pub type Sink<'k> = &'k (dyn Fn(OutputFile) -> std::io::Result<()> + Sync);

/// Everything needed to render any file of the site, made once per build:
/// the templates, the site-wide template data, the theme's assets and the
/// list of pages. [`render`] renders it all; `pufa serve` renders only what
/// is asked for ([`Lazy`]).
pub struct Prepared<'s> {
    config: &'s Config,
    site: &'s Site,
    theme: Theme,
    env: Environment<'static>,
    site_value: Value,
    /// Theme file name → published URL.
    assets: BTreeMap<String, String>,
    /// The theme's static files, under content-hashed names.
    statics: Vec<OutputFile>,
    pages: Vec<Job<'s>>,
    cards: Cards<'s>,
}

impl<'s> Prepared<'s> {
    pub fn new(config: &'s Config, site: &'s Site) -> Result<Self, Vec<Diagnostic>> {
        let theme = Theme::new(config);
        let theme_files = theme.static_files().map_err(|e| {
            vec![
                Diagnostic::error(
                    config.theme_dir().join("static"),
                    format!("cannot read the theme: {e}"),
                )
                .zh(format!("无法读取主题：{e}"))
                .hint("check that the theme's static/ folder and its files may be read")
                .hint_zh("检查主题的 static/ 文件夹和里面的文件是否可以读取"),
            ]
        })?;
        let mut statics = Vec::new();
        let mut assets = BTreeMap::new();
        let mut theme_share_size = None;
        for (name, bytes) in theme_files {
            // Content-hashed names (WECHAT.md BROWSER-4): WeChat's browser caches
            // assets aggressively and may ignore Cache-Control; a new name is the
            // only reliable way to ship a new version.
            let out = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("assets/{stem}.{}.{ext}", short_hash(&bytes)),
                None => format!("assets/{name}"),
            };
            if name == "share.png" {
                theme_share_size = image::ImageReader::new(std::io::Cursor::new(&bytes))
                    .with_guessed_format()
                    .ok()
                    .and_then(|r| r.into_dimensions().ok());
            }
            assets.insert(name, config.url(&out));
            statics.push(OutputFile::bytes(out, bytes));
        }
        let css_url = assets.get("style.css").cloned().unwrap_or_default();
        let env = environment(&theme);
        // Serialised once: every page shares the same (reference-counted) value.
        let site_value = Value::from_serialize(views::site_view(config, site, &css_url, &assets));
        let default_image = default_share_image(config, &assets, theme_share_size);
        let cards = Cards::new(site);
        let pages = jobs(config, site, &cards, default_image.map(Arc::new));
        Ok(Prepared {
            config,
            site,
            theme,
            env,
            site_value,
            assets,
            statics,
            pages,
            cards,
        })
    }

    fn render_page(&self, job: &Job<'_>) -> Result<Vec<u8>, Diagnostic> {
        // Sized for a typical page: minijinja's own buffer starts at the
        // size of the template's text and grows a dozen times per page.
        let mut page = Vec::with_capacity(PAGE_CAPACITY);
        self.env
            .get_template(job.template)
            .and_then(|tmpl| {
                tmpl.render_captured_to(page_context(&self.site_value, job), &mut page)
            })
            .map_err(|e| template_error(&self.theme, &e))?;
        Ok(page)
    }

    /// [`Self::render_page`] as an output file.
    fn page_file(&self, job: &Job<'_>) -> Result<OutputFile, Diagnostic> {
        Ok(OutputFile::bytes(job.path.clone(), self.render_page(job)?))
    }

    /// The files besides the pages and the theme's assets: feeds, the search
    /// index and page, sitemap, robots.txt, alias pages and the site's own
    /// files (`static/`, images), given the paths of the pages (`pages`).
    ///
    /// Each file goes to `emit` (feeds as soon as each is made, the rest in
    /// parallel at the end); the errors are returned.
    fn others(&self, pages: &HashSet<&str>, emit: &(dyn Fn(OutputFile) + Sync)) -> Vec<Diagnostic> {
        let (config, site) = (self.config, self.site);
        let feed_paths = feed::feeds(config, site, emit);
        let mut files = Vec::new();
        let search_files = search_index(site);
        let index_version = search_files
            .first()
            .map(|(_, bytes)| short_hash(bytes))
            .unwrap_or_default();
        files.extend(
            search_files
                .into_iter()
                .map(|(path, bytes)| OutputFile::bytes(path, bytes)),
        );
        files.push(OutputFile::bytes("sitemap.xml", sitemap(config, site)));
        files.push(OutputFile::bytes(
            "robots.txt",
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
                config.base_url
            ),
        ));
        let mut errors = Vec::new();
        match self.page_file(&search_page_job(config, &self.assets, &index_version)) {
            Ok(page) => files.push(page),
            Err(e) => errors.push(e),
        }
        let mut generated: HashSet<&str> = pages
            .iter()
            .copied()
            .chain(self.statics.iter().map(|f| f.path.as_str()))
            .chain(feed_paths.iter().map(String::as_str))
            .chain(files.iter().map(|f| f.path.as_str()))
            .collect();
        let (alias_jobs, alias_errors) = alias::jobs(config, site, &generated);
        errors.extend(alias_errors);
        let mut alias_pages = Vec::new();
        for job in &alias_jobs {
            match self.page_file(job) {
                Ok(page) => alias_pages.push(page),
                Err(e) => errors.push(e),
            }
        }
        // A file under static/ or content/ at the path of a generated file loses.
        generated.extend(alias_pages.iter().map(|f| f.path.as_str()));
        let copies: Vec<OutputFile> = site
            .copies
            .iter()
            .filter(|c| !generated.contains(c.to.as_str()))
            .map(|c| OutputFile {
                path: c.to.clone(),
                body: match c.op {
                    Some(op) => Body::Image {
                        from: c.from.clone(),
                        op,
                    },
                    None => Body::Copy(c.from.clone()),
                },
            })
            .collect();
        drop(generated);
        files.extend(alias_pages);
        files.extend(copies);
        files.into_par_iter().for_each(emit);
        errors
    }
}

/// Renders every file of the site into `sink`; returns how many there were.
/// Pages are rendered in parallel and handed over one by one, so memory holds
/// the site model and the pages in flight, not the whole output.
pub fn render(config: &Config, site: &Site, sink: Sink<'_>) -> Result<usize, Vec<Diagnostic>> {
    let prepared = Prepared::new(config, site)?;
    let page_paths: HashSet<&str> = prepared.pages.iter().map(|j| j.path.as_str()).collect();
    // Pages on one side; feeds, the search index and the files that depend
    // on them on the other, so that no single-threaded step holds up the
    // pages (the search index alone is a fifth of the work).
    let (page_errors, (other_errors, others)) = rayon::join(
        || -> Vec<Diagnostic> {
            prepared
                .pages
                .par_iter()
                .filter_map(|job| {
                    prepared
                        .page_file(job)
                        .and_then(|page| write(sink, page))
                        .err()
                })
                .collect()
        },
        || {
            let count = AtomicUsize::new(0);
            let failed = Mutex::new(Vec::new());
            let emit = |f: OutputFile| {
                count.fetch_add(1, Ordering::Relaxed);
                if let Err(e) = write(sink, f) {
                    failed.lock().unwrap_or_else(|e| e.into_inner()).push(e);
                }
            };
            let mut errors = prepared.others(&page_paths, &emit);
            prepared.statics.par_iter().cloned().for_each(emit);
            // Written in parallel: reported in path order, the same every build.
            let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
            failed.sort_by(|a, b| a.path.cmp(&b.path));
            errors.extend(failed);
            (errors, count.into_inner())
        },
    );
    let count = page_paths.len() + others;
    // The cards (at 10,000 articles, 10,000 template values with their HTML)
    // are freed on another thread while the output is swapped in: the pages
    // hold them too, so they go first and `cards` is the last owner.
    drop(page_paths);
    let cards = prepared.cards.values();
    drop(prepared);
    crate::free::later(cards);
    let mut errors: Vec<Diagnostic> = Vec::new();
    for d in page_errors.into_iter().chain(other_errors) {
        if !errors.contains(&d) {
            errors.push(d);
        }
    }
    if errors.is_empty() {
        Ok(count)
    } else {
        Err(errors)
    }
}

/// The site rendered on demand, for `pufa serve`: a page is rendered when it
/// is asked for, and the other files (feeds, search index, …) all at once
/// the first time one of them is. A save then costs only what changed in
/// the model, not a render of every page.
pub struct Lazy<'s> {
    prepared: Prepared<'s>,
    /// Indices into `prepared.pages`, found by their output paths (a table
    /// rather than a map from path to index: the map held a copy of each
    /// path, made again on every save).
    pages: hashbrown::HashTable<usize>,
    others: OnceLock<(HashMap<String, Body>, Vec<Diagnostic>)>,
}

impl<'s> Lazy<'s> {
    pub fn new(config: &'s Config, site: &'s Site) -> Result<Self, Vec<Diagnostic>> {
        let prepared = Prepared::new(config, site)?;
        let jobs = &prepared.pages;
        let mut pages = hashbrown::HashTable::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            let hash = path_hash(&job.path);
            let same = |&j: &usize| jobs[j].path == job.path;
            match pages.entry(hash, same, |&j| path_hash(&jobs[j].path)) {
                // As a map would: the later page at a path wins.
                hashbrown::hash_table::Entry::Occupied(mut e) => *e.get_mut() = i,
                hashbrown::hash_table::Entry::Vacant(e) => _ = e.insert(i),
            }
        }
        Ok(Lazy {
            prepared,
            pages,
            others: OnceLock::new(),
        })
    }

    /// The file at `path` (relative to the output folder): its bytes, or
    /// the source file it is copied or made from, which the caller reads
    /// (the preview, without following links); `None` when the site has no
    /// such file.
    pub fn file(&self, path: &str) -> Option<Result<Cow<'_, Body>, Diagnostic>> {
        if let Some(&i) = self.page(path) {
            let page = self.prepared.render_page(&self.prepared.pages[i]);
            return Some(page.map(|bytes| Cow::Owned(Body::Bytes(bytes))));
        }
        if let Some(f) = self.prepared.statics.iter().find(|f| f.path == path) {
            return Some(Ok(Cow::Borrowed(&f.body)));
        }
        self.others()
            .0
            .get(path)
            .map(|body| Ok(Cow::Borrowed(body)))
    }

    /// Whether the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.page(path).is_some()
            || self.prepared.statics.iter().any(|f| f.path == path)
            || self.others().0.contains_key(path)
    }

    /// Problems found while making the files besides the pages (alias pages
    /// at generated paths, template errors of the search page).
    pub fn errors(&self) -> &[Diagnostic] {
        &self.others().1
    }

    /// The index of the page at `path`.
    fn page(&self, path: &str) -> Option<&usize> {
        let jobs = &self.prepared.pages;
        self.pages.find(path_hash(path), |&j| jobs[j].path == path)
    }

    fn others(&self) -> &(HashMap<String, Body>, Vec<Diagnostic>) {
        self.others.get_or_init(|| {
            let jobs = &self.prepared.pages;
            let pages: HashSet<&str> = self.pages.iter().map(|&j| jobs[j].path.as_str()).collect();
            let files = Mutex::new(HashMap::new());
            let errors = self.prepared.others(&pages, &|f: OutputFile| {
                let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
                files.insert(f.path, f.body);
            });
            (
                files.into_inner().unwrap_or_else(|e| e.into_inner()),
                errors,
            )
        })
    }
}

const SEARCH_PAGE: &str = "search/index.html";

fn search_page_job<'s>(
    config: &'s Config,
    assets: &std::collections::BTreeMap<String, String>,
    index_version: &str,
) -> Job<'s> {
    let index_url = format!(
        "{}?v={index_version}",
        config.url(crate::search::INDEX_PATH)
    );
    let script_url = assets.get("search.js").cloned().unwrap_or_default();
    Job {
        path: SEARCH_PAGE.into(),
        template: "search.html",
        meta: made(meta(
            config,
            "search",
            "搜索",
            &format!("搜索{}的文章", config.title),
            &config.url("search/"),
        )),
        vars: Box::new(move || context! { index_url => &index_url, script_url => &script_url }),
    }
}

/// Hands one finished file to the sink.
fn write(sink: Sink<'_>, f: OutputFile) -> Result<(), Diagnostic> {
    let path = f.path.clone();
    sink(f).map_err(|e| {
        Diagnostic::error(&path, format!("cannot write: {e}"))
            .zh(format!("无法写入：{e}"))
            .hint("check that the disk has room and that you may write to the output folder")
            .hint_zh("检查磁盘空间是否够用、是否有权限写入输出文件夹")
    })
}

fn environment(theme: &Theme) -> Environment<'static> {
    let mut env = Environment::new();
    // A misspelt variable in a template is an error, not silently empty.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // minijinja's HTML escaping also escapes `/`, which turns every URL in an
    // attribute into `https:&#x2f;&#x2f;…`: valid, but unreadable in page source
    // and in share-card scrapers. Escape only what HTML requires.
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == minijinja::AutoEscape::Html
            && !value.is_safe()
            && !value.is_none()
            && !value.is_undefined()
        {
            // Strings (nearly every value shown) are escaped straight into
            // the page, without a copy.
            let written = match value.as_str() {
                Some(text) => crate::html::write_escaped(out, text, true),
                None => crate::html::write_escaped(out, &value.to_string(), true),
            };
            return written.map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
            });
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_filter("card", card::card_filter);
    let theme = theme.clone();
    env.set_loader(move |name| {
        theme.template(name).map_err(|e| {
            minijinja::Error::new(
                minijinja::ErrorKind::TemplateNotFound,
                format!("cannot read {name}: {e}"),
            )
        })
    });
    env
}

fn template_error(theme: &Theme, e: &minijinja::Error) -> Diagnostic {
    // An error in an included template (a partial, a card) comes wrapped in
    // "error in partials/cards.html" at the include: report where it is.
    let mut e = e;
    while let Some(inner) = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<minijinja::Error>())
        .filter(|inner| inner.name().is_some())
    {
        e = inner;
    }
    let name = e.name().unwrap_or("?");
    let mut d = Diagnostic::error(
        theme.template_path(name),
        format!(
            "template error: {}",
            e.detail().unwrap_or(&e.kind().to_string())
        ),
    );
    if let Some(line) = e.line() {
        d = d.at(line, 0);
    }
    d.hint("fix the template, or delete it from your theme folder to use the built-in one")
        .zh("模板出错")
        .hint_zh("修改模板；或者把它从主题文件夹删掉，改用内置模板")
}

/// FNV-1a, 64 bits, as 8 hex digits: enough to tell versions of one file apart.
fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

/// The site's share image: `wechat.share_image` (under static/ or a URL),
/// else the theme's `share.png`.
fn default_share_image(
    config: &Config,
    assets: &std::collections::BTreeMap<String, String>,
    theme_share_size: Option<(u32, u32)>,
) -> Option<views::ShareImage> {
    let (url, size) = match &config.wechat.share_image {
        Some(img) if img.starts_with("http") => (img.clone(), None),
        Some(img) => {
            let path = config.static_dir().join(img.trim_start_matches('/'));
            (config.url(img), crate::images::dimensions(&path))
        }
        None => (assets.get("share.png")?.clone(), theme_share_size),
    };
    Some(views::ShareImage::new(config, &url, size))
}

fn meta(
    config: &Config,
    kind: &'static str,
    title: &str,
    description: &str,
    url: &str,
) -> PageMeta {
    PageMeta {
        title: title.to_string(),
        description: description.to_string(),
        canonical: config.absolute(url),
        url: url.to_string(),
        image: None,
        og_type: "website",
        feed_url: None,
        kind,
    }
}

fn jobs<'s>(
    config: &'s Config,
    site: &'s Site,
    cards: &Cards<'s>,
    default_image: Option<Arc<views::ShareImage>>,
) -> Vec<Job<'s>> {
    let mut jobs = Vec::new();

    // Home.
    let latest: Vec<usize> = (0..site.articles.len().min(config.paginate)).collect();
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        meta: made(PageMeta {
            image: default_image.as_deref().cloned(),
            ..meta(
                config,
                "home",
                &config.title,
                &config.description,
                &config.url(""),
            )
        }),
        vars: Box::new({
            let cards = cards.clone();
            move || {
                let listed = views::listed_campaigns(site);
                let running: Vec<&views::CampaignView> = listed.iter().filter(|c| c.current).collect();
                context! { articles => cards.of(&latest), campaign => listed.first(), running => running }
            }
        }),
    });

    // Campaigns: an index of the awareness days, and a page per day with its
    // articles grouped by year.
    let campaign_views: Vec<views::CampaignView> = site
        .campaigns
        .iter()
        .map(|c| views::campaign_view(site, c))
        .collect();
    for (c, view) in site.campaigns.iter().zip(campaign_views) {
        let description = format!(
            "{} {}（{}）相关的普法文章",
            view.label, view.name, view.window
        );
        jobs.push(Job {
            path: format!("campaigns/{}/index.html", c.day.key),
            template: "campaign.html",
            meta: made(PageMeta {
                feed_url: Some(view.feed_url.clone()),
                image: default_image.as_deref().cloned(),
                ..meta(
                    config,
                    "campaign",
                    &format!("{} {}", view.label, view.name),
                    &description,
                    &c.url,
                )
            }),
            vars: Box::new({
                let cards = cards.clone();
                move || context! { campaign => view, years => by_year(site, &cards, &c.articles) }
            }),
        });
    }
    jobs.push(Job {
        path: "campaigns/index.html".into(),
        template: "campaigns.html",
        meta: made(PageMeta {
            image: default_image.as_deref().cloned(),
            ..meta(
                config,
                "campaigns",
                "宣传日历",
                &format!(
                    "{}的普法宣传日历：三八维权周、民法典宣传月、11·25、12·4 等",
                    config.title
                ),
                &config.url("campaigns/"),
            )
        }),
        vars: Box::new(move || context! { campaigns => views::listed_campaigns(site) }),
    });

    // Articles and standalone pages: in parallel, as `pufa serve` makes
    // this list again on every save.
    let qr = Arc::new(qr::Painter::default());
    jobs.par_extend(
        site.articles
            .par_iter()
            .chain(&site.pages)
            .map(|a| article_job(config, site, a, default_image.clone(), qr.clone())),
    );

    // Sections.
    for s in &site.sections {
        // Made once per section and shared by its pages.
        let description: Arc<str> = s
            .description
            .clone()
            .unwrap_or_else(|| format!("{} · {}", s.title, config.title))
            .into();
        paginate(
            config,
            &s.url,
            &s.articles,
            |path, page_articles, page| Job {
                path,
                template: "list.html",
                meta: Box::new({
                    let default_image = default_image.clone();
                    let description = Arc::clone(&description);
                    move || PageMeta {
                        feed_url: Some(format!("{}rss.xml", s.url)),
                        image: default_image.as_deref().cloned(),
                        ..meta(config, "section", &s.title, &description, &page.url())
                    }
                }),
                vars: Box::new({
                    let cards = cards.clone();
                    move || context! { heading => &s.title, description => &s.description, articles => cards.of(page_articles), paginator => page.paginator() }
                }),
            },
            &mut jobs,
        );
    }

    // Taxonomies: an index of terms, and a paginated page per term.
    for t in &site.taxonomies {
        let terms: Vec<Link> = t
            .terms
            .iter()
            .map(|term| Link {
                name: term.name.clone(),
                url: term.url.clone(),
                count: term.articles.len(),
            })
            .collect();
        jobs.push(Job {
            path: format!("{}/index.html", t.key),
            template: "taxonomy.html",
            meta: made(PageMeta {
                image: default_image.as_deref().cloned(),
                ..meta(config, "taxonomy", &t.name, &format!("按{}浏览 · {}", t.name, config.title), &t.url)
            }),
            vars: Box::new(move || context! { taxonomy => Link { name: t.name.clone(), url: t.url.clone(), count: t.terms.len() }, terms => &terms }),
        });
        for term in &t.terms {
            // Made once per term and shared by its pages.
            let description: Arc<str> =
                format!("{}：{}（共 {} 篇）", t.name, term.name, term.articles.len()).into();
            paginate(
                config,
                &term.url,
                &term.articles,
                |path, page_articles, page| {
                    let cards = cards.clone();
                    let default_image = default_image.clone();
                    let for_meta = Arc::clone(&description);
                    let description = Arc::clone(&description);
                    Job {
                        path,
                        template: "list.html",
                        meta: Box::new(move || PageMeta {
                            feed_url: Some(format!("{}rss.xml", term.url)),
                            image: default_image.as_deref().cloned(),
                            ..meta(config, "term", &term.name, &for_meta, &page.url())
                        }),
                        vars: Box::new(move || {
                            context! {
                                heading => &term.name,
                                description => Some(&*description),
                                taxonomy => Link { name: t.name.clone(), url: t.url.clone(), count: t.terms.len() },
                                articles => cards.of(page_articles),
                                paginator => page.paginator(),
                            }
                        }),
                    }
                },
                &mut jobs,
            );
        }
    }

    // Archive by year.
    jobs.push(Job {
        path: "archive/index.html".into(),
        template: "archive.html",
        meta: made(PageMeta {
            image: default_image.as_deref().cloned(),
            ..meta(
                config,
                "archive",
                "文章归档",
                &format!("{}的全部文章，按年份排列", config.title),
                &config.url("archive/"),
            )
        }),
        vars: Box::new({
            let cards = cards.clone();
            move || {
                let all: Vec<usize> = (0..site.articles.len()).collect();
                context! { years => by_year(site, &cards, &all) }
            }
        }),
    });

    // Statutes: an index of the laws, and a page per law.
    if !site.statutes.laws().is_empty() {
        jobs.push(Job {
            path: "statutes/index.html".into(),
            template: "statutes.html",
            meta: made(PageMeta {
                image: default_image.as_deref().cloned(),
                ..meta(
                    config,
                    "statutes",
                    "法律条文",
                    &format!("{}文章引用的法律条文原文", config.title),
                    &config.url("statutes/"),
                )
            }),
            vars: Box::new(move || context! { laws => views::law_links(config, site) }),
        });
        for (i, law) in site.statutes.laws().iter().enumerate() {
            let url = config.url(&format!("statutes/{}/", law.key));
            jobs.push(Job {
                path: format!("statutes/{}/index.html", law.key),
                template: "statute.html",
                meta: made(PageMeta {
                    image: default_image.as_deref().cloned(),
                    ..meta(
                        config,
                        "statute",
                        &law.name,
                        &format!("《{}》条文及本站引用它的文章", law.name),
                        &url,
                    )
                }),
                vars: Box::new(move || context! { law => views::law_view(config, site, i) }),
            });
            // A long law: a page per chapter, its own page the contents.
            for (p, page) in site.statutes.pages(i).iter().enumerate() {
                let url = format!("{url}{}/", page.slug);
                let title = match (&page.part, &page.chapter) {
                    (Some(part), Some(ch)) => format!("{} {part} {ch}", law.short),
                    (_, Some(ch)) => format!("{} {ch}", law.short),
                    _ => law.short.clone(),
                };
                jobs.push(Job {
                    path: format!("statutes/{}/{}/index.html", law.key, page.slug),
                    template: "statute_chapter.html",
                    meta: made(PageMeta {
                        image: default_image.as_deref().cloned(),
                        ..meta(
                            config,
                            "statute",
                            &title,
                            &format!("《{}》{}", law.name, page.chapter.as_deref().unwrap_or("")),
                            &url,
                        )
                    }),
                    vars: Box::new(move || {
                        context! { chapter => views::law_chapter_view(config, site, i, p) }
                    }),
                });
            }
        }
    }

    jobs.push(Job {
        path: "subscribe/index.html".into(),
        template: "subscribe.html",
        meta: made(PageMeta {
            image: default_image.as_deref().cloned(),
            ..meta(
                config,
                "subscribe",
                "订阅",
                &format!("用 RSS 阅读器订阅{}的更新", config.title),
                &config.url("subscribe/"),
            )
        }),
        vars: Box::new(move || context! { groups => views::feed_groups(config, site) }),
    });

    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        meta: made(meta(
            config,
            "404",
            "页面不存在",
            "您要找的页面不存在或已下线。",
            &config.url("404.html"),
        )),
        vars: Box::new(|| context! {}),
    });
    jobs
}

/// The search index of the live articles, newest first.
fn search_index(site: &Site) -> Vec<(String, Vec<u8>)> {
    let dates: Vec<String> = site
        .articles
        .iter()
        .map(|a| time::display_date(&a.date))
        .collect();
    let docs: Vec<crate::search::SearchDoc<'_>> = site
        .articles
        .iter()
        .zip(&dates)
        .map(|(a, date)| crate::search::SearchDoc {
            title: &a.front.title,
            url: &a.url,
            date,
            summary: &a.summary,
            laws: &a.front.laws,
            tags: &a.front.tags,
            body_html: &a.html,
        })
        .collect();
    crate::search::build_index(&docs)
}

/// Articles (indices, newest first) grouped by the year of their date.
fn by_year(site: &Site, cards: &Cards<'_>, articles: &[usize]) -> Vec<YearView> {
    let mut years: Vec<YearView> = Vec::new();
    for &i in articles {
        let a = &site.articles[i];
        let year = a.date.year();
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearView {
                year,
                articles: Vec::new(),
            });
        }
        if let Some(y) = years.last_mut() {
            y.articles.push(cards.get(i));
        }
    }
    years
}

fn article_job<'s>(
    config: &'s Config,
    site: &'s Site,
    a: &'s Article,
    default_image: Option<Arc<views::ShareImage>>,
    qr: Arc<qr::Painter>,
) -> Job<'s> {
    let path = format!(
        "{}index.html",
        a.url.strip_prefix(&config.base_path).unwrap_or(&a.url)
    );
    Job {
        path,
        template: "article.html",
        meta: Box::new(move || PageMeta {
            image: a
                .cover_square
                .as_ref()
                .map(|i| views::ShareImage::new(config, &i.url, i.size))
                .or_else(|| default_image.as_deref().cloned()),
            og_type: "article",
            feed_url: None,
            ..meta(config, "article", &a.front.title, &a.summary, &a.url)
        }),
        vars: Box::new(
            move || context! { article => views::article_view(config, site, a, &qr), published_iso => time::rfc3339(&a.date) },
        ),
    }
}

/// Pages listed on each side of the current one in a paginator.
const PAGER_WINDOW: usize = 3;

fn paginator_url(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Splits `articles` into pages of `config.paginate`, one job per page.
fn paginate<'s>(
    config: &Config,
    base_url: &'s str,
    articles: &'s [usize],
    make: impl Fn(String, &'s [usize], ListPage<'s>) -> Job<'s>,
    jobs: &mut Vec<Job<'s>>,
) {
    let per = config.paginate;
    let total = articles.len().div_ceil(per).max(1);
    let base_path = base_url.strip_prefix(&config.base_path).unwrap_or(base_url);
    for current in 1..=total {
        let chunk = &articles
            [((current - 1) * per).min(articles.len())..(current * per).min(articles.len())];
        let path = if current == 1 {
            format!("{base_path}index.html")
        } else {
            format!("{base_path}page/{current}/index.html")
        };
        let page = ListPage {
            base_url,
            current,
            total,
        };
        jobs.push(make(path, chunk, page));
    }
}

/// One page of a paginated list; its URLs are made when it is rendered.
#[derive(Clone, Copy)]
struct ListPage<'s> {
    base_url: &'s str,
    current: usize,
    total: usize,
}

impl ListPage<'_> {
    fn url(&self) -> String {
        paginator_url(self.base_url, self.current)
    }

    fn paginator(&self) -> Paginator {
        let (base_url, current, total) = (self.base_url, self.current, self.total);
        Paginator {
            current,
            total,
            prev: (current > 1).then(|| paginator_url(base_url, current - 1)),
            next: (current < total).then(|| paginator_url(base_url, current + 1)),
            // A window of nearby pages: listing all of them would make every
            // page of a 1,000-page list carry 1,000 links (quadratic output).
            pages: (current.saturating_sub(PAGER_WINDOW).max(1)
                ..=(current + PAGER_WINDOW).min(total))
                .map(|n| Link {
                    name: n.to_string(),
                    url: paginator_url(base_url, n),
                    count: 0,
                })
                .collect(),
        }
    }
}

fn sitemap(config: &Config, site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |url: &str, lastmod: Option<String>| {
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&config.absolute(url)));
        out.push_str("</loc>");
        if let Some(m) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(&m);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    };
    add(
        &config.url(""),
        site.articles.first().map(|a| time::rfc3339(&a.date)),
    );
    for s in &site.sections {
        add(&s.url, None);
    }
    for a in site.articles.iter().chain(&site.pages) {
        let m = a.front.updated.as_ref().unwrap_or(&a.date);
        add(&a.url, Some(time::rfc3339(m)));
    }
    for t in &site.taxonomies {
        add(&t.url, None);
        for term in &t.terms {
            add(&term.url, None);
        }
    }
    add(&config.url("archive/"), None);
    add(&config.url("campaigns/"), None);
    add(&config.url("subscribe/"), None);
    for (i, law) in site.statutes.laws().iter().enumerate() {
        add(&config.url(&format!("statutes/{}/", law.key)), None);
        for page in site.statutes.pages(i) {
            add(
                &config.url(&format!("statutes/{}/{}/", law.key, page.slug)),
                None,
            );
        }
    }
    for c in site.campaigns.iter().filter(|c| !c.articles.is_empty()) {
        add(&c.url, None);
    }
    out.push_str("</urlset>\n");
    out
}

pub fn xml_escape(s: &str) -> String {
    crate::html::escape_attr(s).replace('\'', "&apos;")
}
