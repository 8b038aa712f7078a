//! RSS 2.0 feeds (the rss crate): the site's, and one per section and term.
//!
//! Items carry absolute URLs everywhere (readers show feeds outside the site),
//! the summary as `description`, the full article as `content:encoded`, a
//! stable guid (the article's permalink) and RFC 2822 dates in the site's
//! offset. `lastBuildDate` is the newest item's date, not the build time, so
//! rebuilding unchanged content gives identical bytes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use rss::extension::atom::{AtomExtension, Link as AtomLink};
use rss::extension::dublincore;
use rss::{Channel, Guid, Item};

use crate::config::Config;
use crate::output::OutputFile;
use crate::site::{Article, Site};
use crate::time;

/// Makes every feed of the site and hands each to `emit` as soon as it is
/// made (feeds of full texts are a hundred kilobytes or more each: they are
/// written and freed one by one, not held together); returns their paths.
pub fn feeds(config: &Config, site: &Site, emit: &(dyn Fn(OutputFile) + Sync)) -> Vec<String> {
    let all: Vec<usize> = (0..site.articles.len()).collect();
    let mut specs = vec![Spec {
        path: "rss.xml".to_string(),
        title: config.title.clone(),
        link: config.url(""),
        description: config.description.clone(),
        articles: &all,
    }];
    for s in &site.sections {
        let title = format!("{} · {}", s.title, config.title);
        specs.push(Spec {
            path: format!("{}rss.xml", local(config, &s.url)),
            description: s.description.clone().unwrap_or_else(|| title.clone()),
            title,
            link: s.url.clone(),
            articles: &s.articles,
        });
    }
    for c in &site.campaigns {
        let title = format!("{} {} · {}", c.day.label(), c.day.name, config.title);
        specs.push(Spec {
            path: format!("{}rss.xml", local(config, &c.url)),
            description: title.clone(),
            title,
            link: c.url.clone(),
            articles: &c.articles,
        });
    }
    for t in &site.taxonomies {
        for term in &t.terms {
            let title = format!("{}：{} · {}", t.name, term.name, config.title);
            specs.push(Spec {
                path: format!("{}rss.xml", local(config, &term.url)),
                description: title.clone(),
                title,
                link: term.url.clone(),
                articles: &term.articles,
            });
        }
    }
    // An article is in several feeds (the site's, its section's, each of
    // its terms'): its item is made and written as XML once, and the XML is
    // copied into each feed. Writing every feed's items afresh (a clone of
    // each article's HTML, then the whole feed checked for `]]>` and for
    // UTF-8) was most of the time feeds took.
    let items: Vec<OnceLock<ItemXml>> = site.articles.iter().map(|_| OnceLock::new()).collect();
    let item_of = |i: usize| items[i].get_or_init(|| ItemXml::new(item(config, &site.articles[i])));
    let paths = specs.iter().map(|spec| spec.path.clone()).collect();
    specs
        .into_par_iter()
        .for_each(|spec| emit(feed(config, site, spec, &item_of)));
    paths
}

/// One article's `<item>` element as the rss crate writes it.
struct ItemXml {
    /// The element, with the article's full content if the site has it.
    xml: String,
    /// The length of that content (`None`: the item has none).
    content_len: Option<usize>,
    /// The item without its content, for feeds over their size budget.
    bare: Item,
    bare_xml: OnceLock<String>,
}

impl ItemXml {
    fn new(item: Item) -> Self {
        let (xml, mut item) = item_element(item);
        let content_len = item.content().map(str::len);
        // The content is in `xml` now; a second copy is not kept.
        item.set_content(None);
        ItemXml {
            xml,
            content_len,
            bare: item,
            bare_xml: OnceLock::new(),
        }
    }

    fn xml(&self, with_content: bool) -> &str {
        if with_content || self.content_len.is_none() {
            return &self.xml;
        }
        self.bare_xml
            .get_or_init(|| item_element(self.bare.clone()).0)
    }

    /// What the item costs a feed's size budget (see [`fit_budget`]).
    fn size(&self) -> (usize, usize) {
        let description = self.bare.description().map_or(0, str::len);
        (self.content_len.unwrap_or(0), description)
    }
}

/// `<item>…</item>`, cut from a channel holding only that item (the crate
/// writes items last, just before `</channel>`, and writes nothing before
/// them that could contain `<item>`: an empty channel's text is empty), and
/// the item back.
fn item_element(item: Item) -> (String, Item) {
    let mut channel = Channel::default();
    channel.set_items(vec![item]);
    // Written as bytes and checked with SIMD: `to_string` checks the UTF-8
    // with the standard library's (slower on Chinese text), and every
    // article's full text passes through here.
    let bytes = channel
        .write_to(Vec::new())
        .expect("writing XML into memory cannot fail");
    let xml = simdutf8::basic::from_utf8(&bytes).expect("the rss crate writes UTF-8");
    // A different layout in a later rss crate must fail loudly (and the
    // tests with it), not drop items.
    let start = xml.find("<item>").expect("the rss crate writes <item>");
    let end = xml
        .strip_suffix(CHANNEL_END)
        .expect("the rss crate ends a channel with </channel></rss>")
        .len();
    let item = channel.items.pop().expect("the channel holds the item");
    (xml[start..end].to_owned(), item)
}

/// How the rss crate ends a channel.
const CHANNEL_END: &str = "</channel></rss>";

/// One feed to write: where, what it is called, and its articles (newest
/// first).
struct Spec<'s> {
    path: String,
    title: String,
    link: String,
    description: String,
    articles: &'s [usize],
}

fn local<'a>(config: &Config, url: &'a str) -> &'a str {
    url.strip_prefix(&config.base_path).unwrap_or(url)
}

fn feed<'i>(
    config: &Config,
    site: &Site,
    spec: Spec<'_>,
    item_of: &(dyn Fn(usize) -> &'i ItemXml + Sync),
) -> OutputFile {
    let Spec {
        path,
        title,
        link,
        description,
        articles,
    } = spec;
    let (path, title, link, description) = (&path, &title, &link, &description);
    let items: Vec<&ItemXml> = articles
        .iter()
        .take(config.feed.limit)
        .map(|&i| item_of(i))
        .collect();
    let mut channel = Channel::default();
    channel.set_title(title);
    channel.set_link(config.absolute(link));
    // Like an item's, the channel's `description` is HTML to feed readers,
    // and every one pufa writes is text (site.yaml's and `_index.md`'s
    // `description:`, or a title made of a section, day or term name): the
    // rss crate escapes it for XML, so it is escaped for HTML first. A
    // tag named `<img src=x onerror=…>` must read as that text.
    channel.set_description(escape_text(if description.is_empty() {
        title
    } else {
        description
    }));
    channel.set_language(config.language.clone());
    channel.set_generator("pufa".to_string());
    if let Some(&first) = articles.first() {
        channel.set_last_build_date(time::rfc2822(&site.articles[first].date));
    }
    let mut atom = AtomExtension::default();
    let mut self_link = AtomLink::default();
    self_link.set_href(config.absolute(&config.url(path)));
    self_link.set_rel("self");
    self_link.set_mime_type("application/rss+xml".to_string());
    atom.set_links(vec![self_link]);
    channel.set_atom_ext(atom);
    OutputFile::bytes(path, channel_xml(channel, &items, config.feed.max_bytes))
}

/// The XML the rss crate writes for `channel` holding `items`, the oldest of
/// them without their full text while the feed is over `budget` bytes.
fn channel_xml(mut channel: Channel, items: &[&ItemXml], budget: usize) -> String {
    let sizes: Vec<(usize, usize)> = items.iter().map(|i| i.size()).collect();
    let with_content = fit_budget(&sizes, budget);
    // The items are added as written XML, so the channel declares what
    // they use itself, as the crate would have for items it wrote.
    let mut namespaces = BTreeMap::new();
    for (n, item) in items.iter().enumerate() {
        if n < with_content && item.content_len.is_some() {
            namespaces.insert("content".to_string(), CONTENT_NAMESPACE.to_string());
        }
        if item.bare.dublin_core_ext().is_some() {
            namespaces.insert("dc".to_string(), dublincore::NAMESPACE.to_string());
        }
    }
    channel.set_namespaces(namespaces);
    let channel = channel.to_string();
    let head = channel
        .strip_suffix(CHANNEL_END)
        .expect("the rss crate ends a channel with </channel></rss>");
    // Sized once: a feed of full texts grows to a hundred kilobytes or more.
    let body: usize = items
        .iter()
        .enumerate()
        .map(|(n, item)| item.xml(n < with_content).len())
        .sum();
    let mut xml = String::with_capacity(head.len() + body + CHANNEL_END.len());
    xml.push_str(head);
    for (n, item) in items.iter().enumerate() {
        xml.push_str(item.xml(n < with_content));
    }
    xml.push_str(CHANNEL_END);
    xml
}

/// The namespace of `content:encoded` (the rss crate has no constant for it).
const CONTENT_NAMESPACE: &str = "http://purl.org/rss/1.0/modules/content/";

/// Categories per feed item.
const MAX_CATEGORIES: usize = 16;

fn item(config: &Config, a: &Article) -> Item {
    let permalink = config.absolute(&a.url);
    let mut item = Item::default();
    item.set_title(a.front.title.clone());
    item.set_link(permalink.clone());
    // `description` is HTML to feed readers; the summary is plain text.
    item.set_description(escape_text(&a.summary));
    item.set_pub_date(time::rfc2822(&a.date));
    let mut guid = Guid::default();
    guid.set_value(permalink);
    guid.set_permalink(true);
    item.set_guid(guid);
    if let Some(author) = a.front.author.as_ref().or(config.author.as_ref()) {
        item.set_dublin_core_ext({
            let mut dc = dublincore::DublinCoreExtension::default();
            dc.set_creators(vec![author.clone()]);
            dc
        });
    }
    // A bounded number: an article with thousands of tags must not make
    // every feed it appears in thousands of elements long.
    let categories = a
        .front
        .laws
        .iter()
        .chain(&a.front.tags)
        .take(MAX_CATEGORIES)
        .map(|name| {
            let mut c = rss::Category::default();
            c.set_name(name.clone());
            c
        })
        .collect::<Vec<_>>();
    item.set_categories(categories);
    if config.feed.full_content {
        item.set_content(absolutize(config, &a.html));
    }
    if let Some(cover) = &a.cover {
        let mut enclosure = rss::Enclosure::default();
        enclosure.set_url(config.absolute(&cover.url));
        // The published file's size; 0 (allowed: "unknown") for resized ones.
        let length = cover
            .source
            .as_ref()
            .filter(|_| cover.size.is_none_or(|s| s.0 <= crate::images::MAX_WIDTH))
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len());
        enclosure.set_length(length.to_string());
        enclosure.set_mime_type(mime_type(&cover.url).to_string());
        item.set_enclosure(enclosure);
    }
    item
}

fn mime_type(url: &str) -> &'static str {
    match url
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        _ => "image/jpeg",
    }
}

/// How many of the newest items keep their full content so that the feed
/// fits `budget` bytes: the oldest lose it first; titles, links and
/// summaries always stay. `sizes` are each item's (content, description)
/// lengths.
fn fit_budget(sizes: &[(usize, usize)], budget: usize) -> usize {
    let mut total: usize = sizes.iter().map(|(c, d)| c + d + 512).sum();
    let mut keep = sizes.len();
    while total > budget && keep > 0 {
        keep -= 1;
        total -= sizes[keep].0;
    }
    keep
}

/// Makes the site's root-relative URLs in article HTML absolute, for readers
/// that show the content away from the site.
pub fn absolutize(config: &Config, html: &str) -> String {
    html.replace(" href=\"/", &format!(" href=\"{}/", config.origin))
        .replace(" src=\"/", &format!(" src=\"{}/", config.origin))
}

/// Escapes plain text for an HTML context (`&`, `<`, `>`).
fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_oldest_items_lose_their_text_first_until_the_feed_fits() {
        // (content, description) lengths; each item also counts 512 bytes.
        let sizes = [(1000, 10), (1000, 10), (1000, 10)];
        let all = 3 * 1010 + 3 * 512;
        assert_eq!(fit_budget(&sizes, all), 3);
        assert_eq!(fit_budget(&sizes, all - 1), 2);
        assert_eq!(fit_budget(&sizes, all - 1000), 2);
        assert_eq!(fit_budget(&sizes, all - 1001), 1);
        assert_eq!(fit_budget(&sizes, 0), 0);
        // An item without text is passed over at no gain.
        assert_eq!(fit_budget(&[(1000, 10), (0, 10)], 1500), 0);
        assert_eq!(fit_budget(&[], 0), 0);
    }

    /// What the feed was before items were written once: the rss crate
    /// writing the channel with its items, the oldest losing their content
    /// until the total (content + description + 512 per item) fits.
    fn written_by_the_crate(mut channel: Channel, mut items: Vec<Item>, budget: usize) -> String {
        let size =
            |i: &Item| i.content().map_or(0, str::len) + i.description().map_or(0, str::len) + 512;
        let mut total: usize = items.iter().map(size).sum();
        for item in items.iter_mut().rev() {
            if total <= budget {
                break;
            }
            if let Some(content) = item.content() {
                total -= content.len();
                item.set_content(None);
            }
        }
        channel.set_items(items);
        channel.to_string()
    }

    /// Text with what could confuse cutting and splicing XML.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<item>".to_string()),
            Just("</item>".to_string()),
            Just("</channel></rss>".to_string()),
            Just("]]>".to_string()),
            Just("<![CDATA[".to_string()),
            Just("&amp;&".to_string()),
            Just("\"'\r\n\t".to_string()),
            Just("家庭暴力".to_string()),
            Just("\u{1F600}".to_string()),
            "[a-z<>&]{0,4}",
        ];
        proptest::collection::vec(piece, 0..6).prop_map(|v| v.concat())
    }

    fn any_item() -> impl Strategy<Value = Item> {
        let fields = (
            text(),
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::collection::vec(text(), 0..3),
        );
        fields.prop_map(|(title, description, content, author, categories)| {
            let mut item = Item::default();
            item.set_link(format!("https://example.cn/{title}"));
            item.set_title(title);
            item.set_description(description);
            item.set_content(content);
            if let Some(author) = author {
                let mut dc = dublincore::DublinCoreExtension::default();
                dc.set_creators(vec![author]);
                item.set_dublin_core_ext(dc);
            }
            let categories: Vec<rss::Category> = categories
                .into_iter()
                .map(|name| {
                    let mut c = rss::Category::default();
                    c.set_name(name);
                    c
                })
                .collect();
            item.set_categories(categories);
            item
        })
    }

    fn channel(title: &str) -> Channel {
        let mut channel = Channel::default();
        channel.set_title(title);
        channel.set_link("https://example.cn/");
        channel.set_description(title);
        channel.set_language("zh-CN".to_string());
        channel.set_generator("pufa".to_string());
        let mut atom = AtomExtension::default();
        let mut self_link = AtomLink::default();
        self_link.set_href("https://example.cn/rss.xml");
        self_link.set_rel("self");
        atom.set_links(vec![self_link]);
        channel.set_atom_ext(atom);
        channel
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Items written once and spliced in give the crate's own bytes,
        /// whatever the text, authors, content and budget.
        #[test]
        fn spliced_items_are_what_the_crate_writes(
            items in proptest::collection::vec(any_item(), 0..6),
            title in text(),
            budget in 0usize..5000,
        ) {
            let expected = written_by_the_crate(channel(&title), items.clone(), budget);
            let written: Vec<ItemXml> = items.into_iter().map(ItemXml::new).collect();
            let refs: Vec<&ItemXml> = written.iter().collect();
            prop_assert_eq!(channel_xml(channel(&title), &refs, budget), expected);
        }
    }
}
