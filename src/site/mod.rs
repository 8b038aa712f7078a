//! Assemble: from loaded sources to the site model the renderer walks.
//!
//! Gives every section and article its URL (pinyin slugs, collisions are
//! errors naming both files), decides which articles are in this build, renders
//! their Markdown in parallel, and groups them into sections and taxonomies.
//! Everything here is owned data; nothing is written to disk.
//!
//! This file holds the model (`Site`, `Article`, …) and `assemble`, which
//! runs the steps in order; each step has a file: `place.rs` (URLs),
//! `visibility.rs` (status, what this build shows, date checks),
//! `bodies.rs` (rendering article bodies),
//! `taxonomies.rs`, `campaigns.rs`, `copies.rs` (static files and what may
//! be published).

mod bodies;
mod campaigns;
mod copies;
mod place;
mod taxonomies;
mod visibility;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::ZonedDateTime;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::calendar::AwarenessDay;
use crate::config::Config;
use crate::confine::{self, Leading, Refusal};
use crate::content::{ArticleSource, Asset, Content, FrontMatter, SectionSource, Unloaded};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images;
use crate::images::ImageOp;
use crate::markdown::{self, Heading, LinkTarget, Links, PublishedAsset, Stats};
use crate::schedule::{self, Status, Visibility};
use crate::slug::slugify;

pub(crate) use bodies::Rendered;
use bodies::*;
use campaigns::*;
use copies::*;
use place::*;
pub use place::{Placed, Placement, SectionUrl, encode_segment, place_all};
use taxonomies::*;
use visibility::*;

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
    /// The laws of pufa's library and of `statutes/`, for statute pages.
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

/// A warning for each section folder without a `title:` whose name is not
/// Chinese: menus, breadcrumbs, chips and the subscribe page would show
/// the folder's name (`news`) to readers. A folder named in Chinese shows
/// that name, which is what the editor wrote.
fn untitled_sections(sections: &[SectionSource]) -> Vec<Diagnostic> {
    sections
        .iter()
        .filter(|s| !s.dir.as_os_str().is_empty() && s.meta.title.is_none())
        .filter_map(|s| {
            let name = s.dir.file_name()?.to_string_lossy().into_owned();
            if name.chars().any(crate::markdown::cjk::is_cjk) {
                return None;
            }
            let folder = Path::new("content").join(&s.dir);
            let index = folder.join("_index.md");
            let (folder, index) = (
                format!("{}/", folder.display()).replace('\\', "/"),
                index.display().to_string().replace('\\', "/"),
            );
            let en = format!(
                "the section {folder} has no title, so readers see its folder name `{name}` in menus and lists"
            );
            let zh = format!(
                "栏目 {folder} 没有名称，菜单和列表里会显示文件夹名「{name}」"
            );
            Some(if s.has_index {
                Diagnostic::warning(&index, en)
                    .at(1, 1)
                    .zh(zh)
                    .hint(format!(
                        "add the section's title to the front matter of {index}, e.g. `title: 新闻动态`"
                    ))
                    .hint_zh(format!(
                        "在 {index} 的前言里写上栏目名称，例如「title: 新闻动态」"
                    ))
            } else {
                Diagnostic::warning(&folder, en)
                    .zh(zh)
                    .hint(format!(
                        "create {index} with three lines: `---`, `title: 新闻动态` (the section's title), `---`"
                    ))
                    .hint_zh(format!(
                        "新建 {index}，写三行：「---」「title: 新闻动态」（换成栏目名称）「---」"
                    ))
            })
        })
        .collect()
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
        unloaded,
    } = content;
    let Placement {
        section_urls,
        articles: placed,
    } = place_all(config, &section_sources, sources, now, diags);
    diags.extend(untitled_sections(&section_sources));

    let (article_links, visible) = split_visible(placed, &unloaded, visibility);
    let (asset_urls, copies) = asset_urls(config, &assets, &visible, &section_urls, diags);
    let statutes = load_statutes(config, diags);
    let statutes_url = config.url("statutes/");
    let links = Links {
        articles: &article_links,
        assets: &asset_urls,
        statutes: &statutes,
        statutes_url: &statutes_url,
        unsafe_html: config.unsafe_html,
        phone_numbers: &config.phone_numbers,
    };

    // With a cache (`pufa serve`), articles whose file, place and context
    // are unchanged are not rendered again.
    let context = cache
        .as_ref()
        .map(|_| render_context(&statutes, &config.phone_numbers));
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
    check_unloaded_bodies(&unloaded, &links, &assets, diags);
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
///
/// The laws only, not the citation matcher made from them: its hash map
/// lists its entries in a new order at every load, which made every
/// context new and the cache useless for a site with statutes. The
/// library's laws cannot change while the process runs, so their keys
/// stand for them (formatting the whole library took longer than a small
/// site's rebuild).
fn render_context(statutes: &crate::statutes::Statutes, phone_numbers: &[String]) -> u64 {
    let laws: Vec<String> = statutes
        .laws()
        .iter()
        .map(|law| match law.origin {
            crate::statutes::Origin::Library => format!("library {}", law.key),
            crate::statutes::Origin::Site => format!("{law:?}"),
        })
        .collect();
    crate::stamp::fingerprint((laws, phone_numbers))
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

/// pufa's law library and the laws under `<site>/statutes/`; problems in
/// the site's files are errors.
fn load_statutes(config: &Config, diags: &mut Diagnostics) -> crate::statutes::Statutes {
    match crate::statutes::Statutes::load(&config.root, config.max_file_bytes) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors {
                diags.push(
                    Diagnostic::error(&e.path, e.message.clone())
                        .zh("法律条文数据文件有误")
                        .at(e.line.max(1), 1)
                        .hint("each file has name, short, aliases, effective, articles_total and articles; `pufa statutes import` makes one from a law's official text")
                        .hint_zh("每个文件有 name、short、aliases、effective、articles_total 和 articles；可以用「pufa statutes import」从法律的官方文本生成"),
                );
            }
            crate::statutes::Statutes::default()
        }
    }
}

/// The file line of a front-matter key (the YAML starts on line 2).
fn front_line(source: &ArticleSource, key: &str) -> usize {
    crate::yaml::key_line(&source.front_yaml, key).map_or(1, |l| l + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_render_context_is_the_laws_not_the_order_of_a_hash_map() {
        let dir = tempfile::tempdir().unwrap();
        let load = || crate::statutes::Statutes::load(dir.path(), 1 << 20).unwrap();
        // The library alone, loaded twice: the same context.
        assert_eq!(render_context(&load(), &[]), render_context(&load(), &[]));
        // A site's own law: the same while it is the same, new when it changes.
        std::fs::create_dir(dir.path().join("statutes")).unwrap();
        let law = "name: 中华人民共和国甲法\nshort: 甲法\neffective: 2020-01-01\narticles_total: 3\narticles:\n  1:\n    text: 一。\n";
        std::fs::write(dir.path().join("statutes/jiafa.yaml"), law).unwrap();
        let before = render_context(&load(), &[]);
        assert_eq!(before, render_context(&load(), &[]));
        std::fs::write(
            dir.path().join("statutes/jiafa.yaml"),
            law.replace("一。", "二。"),
        )
        .unwrap();
        assert_ne!(before, render_context(&load(), &[]));
    }
}
