//! The theme's API: every value a template can see, typed.
//!
//! Templates get `site` ([`SiteView`]) and `page` ([`PageMeta`]) on every page,
//! plus one of `article`, `articles` + `paginator`, `taxonomy`, `term` or
//! `years` depending on the template. Dates come pre-formatted for Chinese
//! readers (`date`) and machine-readable (`date_iso`). URLs are site URLs
//! (`/education/x/`); `page.canonical` and `page.image` are absolute.

use serde::Serialize;

use crate::calendar::describe_window;
use crate::config::{Config, Hotline, MenuItem};
use crate::markdown::Heading;
use crate::site::{Article, Campaign, Site};
use crate::time;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
    /// Articles behind the link, where that means something (terms, sections).
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub home_url: String,
    pub language: String,
    pub hotline: Option<Hotline>,
    pub icp: Option<String>,
    /// `site.yaml` menu, else the sections.
    pub menu: Vec<MenuItem>,
    pub sections: Vec<Link>,
    /// Index pages of the taxonomies (laws, audiences, tags).
    pub taxonomies: Vec<Link>,
    /// Terms of `laws` and `audiences`, for "by law" / "by audience" menus.
    pub laws: Vec<Link>,
    pub audiences: Vec<Link>,
    pub archive_url: String,
    pub campaigns_url: String,
    pub subscribe_url: String,
    pub search_url: String,
    /// The statute index, when `statutes/` holds any law (else no page).
    pub statutes_url: Option<String>,
    pub feed_url: String,
    pub css_url: String,
    /// The theme's static files by name, at their content-hashed URLs
    /// (`site.assets["favicon.svg"]`).
    pub assets: std::collections::BTreeMap<String, String>,
    pub wechat_account: Option<String>,
    /// The year of the build, for the footer.
    pub year: i16,
}

/// A share-card image: absolute URL and pixel size when known.
#[derive(Debug, Clone, Serialize)]
pub struct ShareImage {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl ShareImage {
    pub fn new(config: &Config, url: &str, size: Option<(u32, u32)>) -> Self {
        Self {
            url: config.absolute(url),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
        }
    }
}

/// Head metadata every page carries (title, description, share card).
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The page's own title, first in `<title>`.
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// The page's site URL (`/education/`), e.g. to mark the current menu entry.
    pub url: String,
    /// The share image (absolute URL), when the site or article has one.
    pub image: Option<ShareImage>,
    pub og_type: &'static str,
    /// This page's own feed (section or term), besides the site feed.
    pub feed_url: Option<String>,
    /// `home`, `section`, `article`, `taxonomy`, `term`, `archive`, `404`,
    /// `alias` (a redirect to `canonical`), ….
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ArticleCard {
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    pub summary: String,
    pub section: Option<Link>,
    pub laws: Vec<Link>,
    pub audiences: Vec<Link>,
    pub tags: Vec<Link>,
    pub reading_minutes: usize,
    pub char_count: usize,
    pub cover: Option<String>,
    /// `live`, `draft` or `scheduled` (the latter two only in previews).
    pub status: &'static str,
    /// The awareness day the article belongs to.
    pub campaign: Option<Link>,
}

#[derive(Debug, Serialize)]
pub struct ArticleView {
    #[serde(flatten)]
    pub card: ArticleCard,
    /// The article's HTML, shared with the site model: a template value
    /// serialises as itself, so the page gets it without a copy.
    pub content: minijinja::Value,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub author: Option<String>,
    pub headings: Vec<Heading>,
    /// Absolute URL, printed for editors to paste into WeChat's 阅读原文.
    pub permalink: String,
    /// Inline SVG QR code of the permalink (shown on wide screens).
    pub qr_svg: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Up to three pages either side of the current one.
    pub pages: Vec<Link>,
}

/// A group of feeds on the 订阅 page: the site, sections, campaigns, terms.
#[derive(Debug, Serialize)]
pub struct FeedGroup {
    pub name: String,
    /// `name` is what the feed follows; `url` is its absolute address.
    pub feeds: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct YearView {
    pub year: i16,
    /// Cards ([`ArticleCard`] as template values).
    pub articles: Vec<minijinja::Value>,
}

/// An awareness day as pages show it, relative to the build's `now`.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    pub key: String,
    pub name: String,
    /// `11·25`, `5月`.
    pub label: String,
    pub url: String,
    pub feed_url: String,
    /// The current or next occurrence: `2026年11月25日`.
    pub date: String,
    pub date_iso: String,
    /// `11月25日–12月10日`.
    pub window: String,
    /// True while `now` is inside the window.
    pub current: bool,
    /// Whole days from today to the day (0 on the day, negative after it
    /// while the window is still open).
    pub days_until: i64,
    pub count: usize,
}

pub fn campaign_view(site: &Site, c: &Campaign) -> CampaignView {
    let today = site.now.date();
    let o = c
        .day
        .upcoming(today)
        .next()
        .unwrap_or_else(|| c.day.in_year(today.year()));
    let days_until = (o.day - today).get_days() as i64;
    CampaignView {
        key: c.day.key.clone(),
        name: c.day.name.clone(),
        label: c.day.label(),
        url: c.url.clone(),
        feed_url: format!("{}rss.xml", c.url),
        date: format!("{}年{}月{}日", o.day.year(), o.day.month(), o.day.day()),
        date_iso: o.day.to_string(),
        window: describe_window(&o),
        current: o.contains(today),
        days_until,
        count: c.articles.len(),
    }
}

/// The awareness days that have articles, as lists show them: the ones
/// running now first, then the others by the date of their next occurrence
/// (this year's still to come, then next year's). A day without articles
/// keeps its page and feed but is in no list: its page would only say there
/// is nothing yet.
pub fn listed_campaigns(site: &Site) -> Vec<CampaignView> {
    let mut views: Vec<CampaignView> = site
        .campaigns
        .iter()
        .filter(|c| !c.articles.is_empty())
        .map(|c| campaign_view(site, c))
        .collect();
    views.sort_by(|a, b| (!a.current, &a.date_iso, &a.key).cmp(&(!b.current, &b.date_iso, &b.key)));
    views
}

pub fn site_view(
    config: &Config,
    site: &Site,
    css_url: &str,
    assets: &std::collections::BTreeMap<String, String>,
) -> SiteView {
    let sections: Vec<Link> = site
        .sections
        .iter()
        .map(|s| Link {
            name: s.title.clone(),
            url: s.url.clone(),
            count: s.articles.len(),
        })
        .collect();
    let terms_of = |key: &str| -> Vec<Link> {
        site.taxonomies
            .iter()
            .find(|t| t.key == key)
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| Link {
                        name: term.name.clone(),
                        url: term.url.clone(),
                        count: term.articles.len(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let menu = if config.menu.is_empty() {
        sections
            .iter()
            .map(|s| MenuItem {
                name: s.name.clone(),
                url: s.url.clone(),
            })
            .collect()
    } else {
        config.menu.clone()
    };
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: config.base_url.clone(),
        home_url: config.url(""),
        language: config.language.clone(),
        hotline: config.hotline.clone(),
        icp: config.icp.clone(),
        menu,
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| Link {
                name: t.name.clone(),
                url: t.url.clone(),
                count: t.terms.len(),
            })
            .collect(),
        laws: terms_of("laws"),
        audiences: terms_of("audiences"),
        sections,
        archive_url: config.url("archive/"),
        campaigns_url: config.url("campaigns/"),
        subscribe_url: config.url("subscribe/"),
        search_url: config.url("search/"),
        statutes_url: (!site.statutes.laws().is_empty()).then(|| config.url("statutes/")),
        feed_url: config.url("rss.xml"),
        css_url: css_url.to_string(),
        assets: assets.clone(),
        wechat_account: config.wechat.account.clone(),
        year: site.now.year(),
    }
}

/// Terms of each taxonomy a list entry carries (an article page shows all).
const CARD_TERMS: usize = 8;

pub fn card(site: &Site, a: &Article) -> ArticleCard {
    card_with_terms(site, a, CARD_TERMS)
}

fn card_with_terms(site: &Site, a: &Article, max_terms: usize) -> ArticleCard {
    let terms = |key: &str| -> Vec<Link> {
        let Some(tax) = site.taxonomies.iter().find(|t| t.key == key) else {
            return Vec::new();
        };
        a.front
            .terms(key)
            .iter()
            .take(max_terms)
            .filter_map(|name| tax.index.get(name).map(|&i| &tax.terms[i]))
            .map(|t| Link {
                name: t.name.clone(),
                url: t.url.clone(),
                count: t.articles.len(),
            })
            .collect()
    };
    ArticleCard {
        title: a.front.title.clone(),
        url: a.url.clone(),
        date: time::display_date(&a.date),
        date_iso: time::rfc3339(&a.date),
        summary: a.summary.clone(),
        section: a.section.map(|s| Link {
            name: site.sections[s].title.clone(),
            url: site.sections[s].url.clone(),
            count: site.sections[s].articles.len(),
        }),
        laws: terms("laws"),
        audiences: terms("audiences"),
        tags: terms("tags"),
        reading_minutes: a.stats.reading_minutes,
        char_count: a.stats.count,
        cover: a.cover.as_ref().map(|c| c.url.clone()),
        status: match a.status {
            crate::schedule::Status::Draft => "draft",
            crate::schedule::Status::Scheduled => "scheduled",
            _ => "live",
        },
        campaign: a.front.campaign.as_ref().and_then(|key| {
            let c = site.campaigns.iter().find(|c| &c.day.key == key)?;
            Some(Link {
                name: format!("{} {}", c.day.label(), c.day.name),
                url: c.url.clone(),
                count: c.articles.len(),
            })
        }),
    }
}

pub fn article_view(
    config: &Config,
    site: &Site,
    a: &Article,
    qr: &super::qr::Painter,
) -> ArticleView {
    let permalink = config.absolute(&a.url);
    ArticleView {
        card: card_with_terms(site, a, usize::MAX),
        content: minijinja::Value::from(a.html.clone()),
        updated: a.front.updated.as_ref().map(time::display_date),
        updated_iso: a.front.updated.as_ref().map(time::rfc3339),
        author: a.front.author.clone().or_else(|| config.author.clone()),
        headings: a.headings.clone(),
        qr_svg: qr.svg(&permalink),
        permalink,
    }
}

/// Every feed of the site, grouped, with absolute URLs (for the 订阅 page).
pub fn feed_groups(config: &Config, site: &Site) -> Vec<FeedGroup> {
    let feed = |name: String, url: &str, count: usize| Link {
        name,
        url: config.absolute(&format!("{url}rss.xml")),
        count,
    };
    let mut groups = vec![FeedGroup {
        name: "全站".into(),
        feeds: vec![feed(
            config.title.clone(),
            &config.url(""),
            site.articles.len(),
        )],
    }];
    groups.push(FeedGroup {
        name: "栏目".into(),
        feeds: site
            .sections
            .iter()
            .map(|s| feed(s.title.clone(), &s.url, s.articles.len()))
            .collect(),
    });
    groups.push(FeedGroup {
        name: "宣传专题".into(),
        feeds: site
            .campaigns
            .iter()
            .filter(|c| !c.articles.is_empty())
            .map(|c| {
                feed(
                    format!("{} {}", c.day.label(), c.day.name),
                    &c.url,
                    c.articles.len(),
                )
            })
            .collect(),
    });
    for t in &site.taxonomies {
        groups.push(FeedGroup {
            name: format!("按{}", t.name),
            feeds: t
                .terms
                .iter()
                .map(|term| feed(term.name.clone(), &term.url, term.articles.len()))
                .collect(),
        });
    }
    groups.retain(|g| !g.feeds.is_empty());
    groups
}

#[derive(Debug, Serialize)]
pub struct LawLink {
    pub name: String,
    pub short: String,
    pub url: String,
    pub effective: String,
    /// 「2020年10月17日修订 · 2021年6月1日起施行 · 2024年4月26日修正」:
    /// the current text's adoption, its entry into force, and the latest
    /// amendment after it, as the law states them.
    pub dates: Vec<String>,
    /// Articles shipped in the site's data.
    pub count: usize,
    /// The law's last article number.
    pub total: u32,
}

#[derive(Debug, Serialize)]
pub struct StatuteArticleView {
    pub number: u32,
    pub label: String,
    pub anchor: String,
    pub part: Option<String>,
    pub chapter: Option<String>,
    pub section: Option<String>,
    pub paragraphs: Vec<String>,
    /// The site's live articles that cite this one.
    pub cited_by: Vec<Link>,
}

/// A chapter page of a split law, as its contents list shows it.
#[derive(Debug, Serialize)]
pub struct LawPageLink {
    pub url: String,
    pub part: Option<String>,
    pub chapter: Option<String>,
    /// 「第一条至第十三条」, or 「第十四条」.
    pub range: String,
    /// The sections (节) in the chapter, in order.
    pub sections: Vec<String>,
    /// How many of its articles the site's articles cite.
    pub cited: usize,
}

#[derive(Debug, Serialize)]
pub struct LawView {
    pub key: String,
    pub name: String,
    pub short: String,
    pub effective: String,
    pub url: String,
    pub dates: Vec<String>,
    /// Every event of the law's history, 「1991年9月4日通过」….
    pub history: Vec<String>,
    pub preamble: Vec<String>,
    pub count: usize,
    pub total: u32,
    /// A split law's chapter pages (its page is then a contents page
    /// and `articles` is empty).
    pub pages: Vec<LawPageLink>,
    pub articles: Vec<StatuteArticleView>,
}

/// One chapter page of a split law.
#[derive(Debug, Serialize)]
pub struct LawChapterView {
    pub law: LawLink,
    pub part: Option<String>,
    pub chapter: Option<String>,
    pub articles: Vec<StatuteArticleView>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
}

/// `2021-06-01` → 「2021年6月1日」.
fn cn_date(date: &str) -> String {
    let mut parts = date.split('-').map(|p| p.trim_start_matches('0'));
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{y}年{m}月{d}日"),
        _ => date.to_string(),
    }
}

/// The short dates line: from the text in force's adoption (its last
/// 通过 or 修订) on, with 起施行 where it falls, and the latest 修正 after.
/// A later amendment's date is never shown as 起施行.
fn law_dates(law: &crate::statutes::Law) -> Vec<String> {
    use crate::statutes::EventKind;
    let adopted = law
        .history
        .iter()
        .rposition(|e| matches!(e.event, EventKind::Adopted | EventKind::Revised));
    let mut out = Vec::new();
    if let Some(i) = adopted {
        let e = &law.history[i];
        out.push(format!("{}{}", cn_date(&e.date), e.event.as_str()));
    }
    out.push(format!("{}起施行", cn_date(&law.effective)));
    let latest_amendment = law.history[adopted.map_or(0, |i| i + 1)..]
        .iter()
        .rev()
        .find(|e| e.event == EventKind::Amended);
    if let Some(e) = latest_amendment {
        out.push(format!("{}修正", cn_date(&e.date)));
    }
    out
}

fn law_link(config: &Config, site: &Site, index: usize) -> LawLink {
    let l = &site.statutes.laws()[index];
    LawLink {
        name: l.name.clone(),
        short: l.short.clone(),
        url: config.url(&format!("statutes/{}/", l.key)),
        effective: l.effective.clone(),
        dates: law_dates(l),
        count: l.articles.len(),
        total: l.articles_total,
    }
}

pub fn law_links(config: &Config, site: &Site) -> Vec<LawLink> {
    (0..site.statutes.laws().len())
        .map(|i| law_link(config, site, i))
        .collect()
}

/// The site's live articles citing each article of the law at `law_index`.
fn cited_by(site: &Site, law_index: usize) -> std::collections::HashMap<u32, Vec<Link>> {
    let mut cited_by: std::collections::HashMap<u32, Vec<Link>> = std::collections::HashMap::new();
    for a in &site.articles {
        let mut seen = std::collections::HashSet::new();
        for &(l, n) in &a.citations {
            if l == law_index && seen.insert(n) {
                cited_by.entry(n).or_default().push(Link {
                    name: a.front.title.clone(),
                    url: a.url.clone(),
                    count: 0,
                });
            }
        }
    }
    cited_by
}

fn article_views(
    law: &crate::statutes::Law,
    numbers: &mut dyn Iterator<Item = u32>,
    cited: &mut std::collections::HashMap<u32, Vec<Link>>,
) -> Vec<StatuteArticleView> {
    numbers
        .filter_map(|n| law.articles.get(&n))
        .map(|a| StatuteArticleView {
            number: a.number,
            label: crate::statutes::Law::label(a.number),
            anchor: crate::statutes::Statutes::anchor(a.number),
            part: a.part.clone(),
            chapter: a.chapter.clone(),
            section: a.section.clone(),
            paragraphs: a.paragraphs.clone(),
            cited_by: cited.remove(&a.number).unwrap_or_default(),
        })
        .collect()
}

/// One law's page: all its articles, or for a split law its contents.
pub fn law_view(config: &Config, site: &Site, law_index: usize) -> LawView {
    let law = &site.statutes.laws()[law_index];
    let url = config.url(&format!("statutes/{}/", law.key));
    let mut cited = cited_by(site, law_index);
    let pages = site.statutes.pages(law_index);
    let page_links: Vec<LawPageLink> = pages
        .iter()
        .map(|p| {
            let mut sections: Vec<String> = Vec::new();
            for n in &p.articles {
                if let Some(s) = law.articles.get(n).and_then(|a| a.section.as_ref())
                    && sections.last() != Some(s)
                {
                    sections.push(s.clone());
                }
            }
            let (first, last) = (p.articles[0], p.articles[p.articles.len() - 1]);
            LawPageLink {
                url: format!("{url}{}/", p.slug),
                part: p.part.clone(),
                chapter: p.chapter.clone(),
                range: if first == last {
                    crate::statutes::article_label(first)
                } else {
                    format!(
                        "{}至{}",
                        crate::statutes::article_label(first),
                        crate::statutes::article_label(last)
                    )
                },
                sections,
                cited: p.articles.iter().filter(|n| cited.contains_key(n)).count(),
            }
        })
        .collect();
    let articles = if pages.is_empty() {
        article_views(law, &mut law.articles.keys().copied(), &mut cited)
    } else {
        Vec::new()
    };
    LawView {
        key: law.key.clone(),
        name: law.name.clone(),
        short: law.short.clone(),
        effective: law.effective.clone(),
        url,
        dates: law_dates(law),
        history: law
            .history
            .iter()
            .map(|e| format!("{}{}", cn_date(&e.date), e.event.as_str()))
            .collect(),
        preamble: law.preamble.clone(),
        count: law.articles.len(),
        total: law.articles_total,
        pages: page_links,
        articles,
    }
}

/// The chapter page `page` of the split law at `law_index`.
pub fn law_chapter_view(
    config: &Config,
    site: &Site,
    law_index: usize,
    page: usize,
) -> LawChapterView {
    let law = &site.statutes.laws()[law_index];
    let pages = site.statutes.pages(law_index);
    let p = &pages[page];
    let mut cited = cited_by(site, law_index);
    let base = config.url(&format!("statutes/{}/", law.key));
    let link = |q: &crate::statutes::LawPage| Link {
        name: q.chapter.clone().unwrap_or_default(),
        url: format!("{base}{}/", q.slug),
        count: 0,
    };
    LawChapterView {
        law: law_link(config, site, law_index),
        part: p.part.clone(),
        chapter: p.chapter.clone(),
        articles: article_views(law, &mut p.articles.iter().copied(), &mut cited),
        prev: page.checked_sub(1).map(|i| link(&pages[i])),
        next: pages.get(page + 1).map(link),
    }
}
