//! Parse: Markdown to HTML with pulldown-cmark, shaped for Chinese text.
//!
//! Beyond CommonMark this stage makes emphasis work next to Chinese
//! punctuation ([`cjk`]), drops the space a line break would put between two
//! Chinese characters, gives headings ASCII ids, rewrites relative links to
//! other `.md` files and to images into site URLs, and measures the text
//! (summary, character count, reading time) the way Chinese readers expect.

pub mod cjk;
pub mod sanitize;
pub mod summary;
pub mod tel;
mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, LineIndex};
use crate::html::escape_attr;
pub use summary::derive as derive_summary;
pub use text::{Stats, stats};

/// Where a link to another article's Markdown file leads.
#[derive(Debug, Clone, Hash, PartialEq)]
pub struct LinkTarget {
    pub url: String,
    /// False for drafts and scheduled articles: the link would be broken today.
    pub visible: bool,
    /// False for a file that exists but failed to load: its own errors say
    /// what is wrong, and the link is not reported as well.
    pub loaded: bool,
}

/// A file under `content/` as published: its URL and, for images, the pixel
/// size it is published at.
#[derive(Debug, Clone, Hash, PartialEq)]
pub struct PublishedAsset {
    pub url: String,
    pub size: Option<(u32, u32)>,
    /// Bytes of the published file, when it is the source file unchanged.
    pub file_bytes: Option<u64>,
}

/// What the renderer needs to know about the rest of the site.
pub struct Links<'a> {
    /// Article Markdown files (absolute, normalised paths) to their pages.
    pub articles: &'a rustc_hash::FxHashMap<PathBuf, LinkTarget>,
    /// Asset files (absolute, normalised paths) to where they are published.
    pub assets: &'a HashMap<PathBuf, PublishedAsset>,
    /// Laws whose citations are linked, and the URL of the statute pages
    /// (`/statutes/`).
    pub statutes: &'a crate::statutes::Statutes,
    pub statutes_url: &'a str,
    /// Keep raw HTML as written instead of sanitising it.
    pub unsafe_html: bool,
    /// Phone numbers that become `tel:` links in the text ([`tel`]).
    pub phone_numbers: &'a [String],
}

/// One article's body, where it came from.
pub struct Source<'a> {
    pub body: &'a str,
    pub body_line: usize,
    /// The Markdown file, absolute (relative links resolve against its folder).
    pub path: &'a Path,
    /// The path shown in messages.
    pub shown: &'a Path,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    /// Plain text before `<!-- more -->`, if the body has the marker.
    pub more: Option<String>,
    /// Plain text of the body's paragraphs, for summaries and counting.
    pub plain: String,
    pub headings: Vec<Heading>,
    /// Links to `#anchors` of other articles (or this one), to check once
    /// every article's headings are known.
    pub anchor_links: Vec<AnchorLink>,
    /// Statute articles cited, as (law index, article number), in order.
    pub citations: Vec<(usize, u32)>,
    /// Every other article this one links to, and what the link found
    /// (`None`: no such article): all this rendering knows of the others.
    pub article_links: Vec<(PathBuf, Option<LinkTarget>)>,
    /// Every file under `content/` its other relative links and images
    /// looked up, and what they found (`None`: no such asset).
    pub asset_links: Vec<(PathBuf, Option<PublishedAsset>)>,
}

/// A link to an anchor: the target article (its Markdown file, absolute and
/// normalised; this article's own file for `#x`) and where the link is.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    pub target: PathBuf,
    pub fragment: String,
    pub line: usize,
    pub column: usize,
}

const MORE: &str = "<!-- more -->";

/// Wider tables scroll sideways on a 375 px phone and lose their reader.
const MAX_TABLE_COLUMNS: usize = 6;
/// Characters; about one 375 px screen of 17 px text.
const LONG_PARAGRAPH: usize = 300;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders an article body. Link problems are reported in `diags`.
pub fn render(source: &Source<'_>, links: &Links<'_>, diags: &mut Vec<Diagnostic>) -> Rendered {
    let prepared = cjk::prepare(source.body);
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(&prepared.text, options())
        .into_offset_iter()
        .collect();
    // Made at the first position asked for: most articles need none.
    let lines = std::cell::OnceCell::new();
    let position = |offset: usize| {
        let offset = prepared.source_offset(offset);
        let lines = lines.get_or_init(|| LineIndex::new(source.body));
        let (line, col) = lines.line_col(offset);
        (source.body_line + line - 1, col)
    };
    let mut r = Renderer {
        source,
        links,
        diags,
        position: &position,
        out: Vec::with_capacity(events.len()),
        headings: Vec::new(),
        ids: HashMap::new(),
        plain: String::new(),
        more: None,
        anchor_links: Vec::new(),
        citations: Vec::new(),
        context: links.statutes.context(),
        article_links: Vec::new(),
        asset_links: Vec::new(),
        text_run: None,
        last_char: None,
        image_size: None,
        raw_sources: Vec::new(),
        dropped_open: None,
        cut_reasons: Vec::new(),
        raw_link_open: false,
        code_block: false,
    };
    r.run(events);
    let Renderer {
        out,
        more,
        plain,
        headings,
        anchor_links,
        citations,
        article_links,
        asset_links,
        raw_sources,
        ..
    } = r;
    let mut html = String::with_capacity(source.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // An article without raw HTML is made only of pulldown-cmark's output,
    // where text and attribute values are escaped, and pufa's own markup
    // (images, tables, citations), where they are escaped too; its one
    // way to run code, a `javascript:` (or `data:`) link or image written
    // in Markdown, is removed by `link_url` with `dangerous_url`. So only
    // articles with raw HTML are parsed again, whole, by the sanitiser:
    // most articles have none, and a build of 10,000 takes a second.
    if !raw_sources.is_empty() {
        let cleaned = sanitize::clean_article(&html);
        if !cleaned.removed.is_empty() {
            let (line, col) = position(first_with(&raw_sources, &cleaned.removed));
            diags.push(removed_warning(source.shown, &cleaned.removed, line, col));
        }
        html = cleaned.html;
    }
    Rendered {
        html,
        more,
        plain,
        headings,
        anchor_links,
        citations,
        article_links,
        asset_links,
    }
}

/// Where the first raw HTML fragment is that has one of the `removed`
/// things by name (the first fragment if none has).
fn first_with(raw_sources: &[(usize, String)], removed: &[String]) -> usize {
    raw_sources
        .iter()
        .find(|(_, text)| {
            removed[..removed.len().min(REMOVED_LISTED)]
                .iter()
                .any(|r| text.contains(sanitize::removed_name(r)))
        })
        .or(raw_sources.first())
        .map_or(0, |(start, _)| *start)
}

/// At most this many removed things are listed in a warning.
const REMOVED_LISTED: usize = 8;

/// One warning per article for all that the sanitiser removed, so the
/// editor learns why it is not on the page.
fn removed_warning(shown: &Path, removed: &[String], line: usize, col: usize) -> Diagnostic {
    let mut list = removed[..removed.len().min(REMOVED_LISTED)].to_vec();
    if removed.len() > REMOVED_LISTED {
        list.push(format!("and {} more", removed.len() - REMOVED_LISTED));
    }
    let mut list_zh = removed[..removed.len().min(REMOVED_LISTED)].join("、");
    if removed.len() > REMOVED_LISTED {
        list_zh.push_str(&format!(" 等 {} 项", removed.len()));
    }
    Diagnostic::warning(
        shown,
        format!(
            "removed HTML that could run code or is not allowed in articles: {}",
            list.join(", ")
        ),
    )
    .zh(format!("删除了可能执行代码或文章里不允许的 HTML：{list_zh}"))
    .at(line, col)
    .hint("write the content in Markdown; sites that need embeds can set `markdown: { unsafe_html: true }` in site.yaml")
    .hint_zh("请用 Markdown 写；确实需要嵌入代码的站点可在 site.yaml 设置「markdown: { unsafe_html: true }」")
}

/// The warning for raw HTML shown as text from a place on, and why.
fn cut_warning(shown: &Path, reason: sanitize::Reason, line: usize, col: usize) -> Diagnostic {
    use sanitize::Reason;
    let (message, zh, hint, hint_zh) = match reason {
        // `<plaintext>` has no end tag at all.
        Reason::NeverClosed("plaintext") => (
            "`<plaintext>` would show the rest of the article as source; it is shown as text"
                .to_string(),
            "「<plaintext>」会把后面的全文变成源代码，已按文字显示".to_string(),
            "delete it; to show code, put it in a Markdown code block (```)".to_string(),
            "删掉它；要展示代码，请放进 Markdown 代码块（前后各用一行三个反引号围起来）"
                .to_string(),
        ),
        Reason::NeverClosed(name) => (
            format!(
                "`<{name}>` is never closed, so it would hide the rest of the article; it is shown as text"
            ),
            format!("「<{name}>」没有结束标签，会吞掉后面的全文，已按文字显示"),
            format!(
                "close it with `</{name}>` where it should end, or write the content in Markdown"
            ),
            format!("在该结束的地方补上「</{name}>」，或者改用 Markdown 写"),
        ),
        Reason::TooDeep => (
            format!(
                "HTML elements nest more than {} deep here; from here on the HTML is shown as text",
                sanitize::MAX_DEPTH
            ),
            format!(
                "HTML 元素在这里嵌套超过 {} 层，从这里起按文字显示",
                sanitize::MAX_DEPTH
            ),
            "close the elements you open (`<div>` … `</div>`), or write the content in Markdown"
                .to_string(),
            "打开的元素要关上（「<div>」…「</div>」），或者改用 Markdown 写".to_string(),
        ),
        Reason::TooManyAttributes => (
            format!(
                "an HTML tag here has more than {} attributes; it is shown as text",
                sanitize::MAX_ATTRIBUTES
            ),
            format!(
                "这里的 HTML 标签有超过 {} 个属性，已按文字显示",
                sanitize::MAX_ATTRIBUTES
            ),
            "keep only the attributes the tag needs, or write the content in Markdown".to_string(),
            "只保留需要的属性，或者改用 Markdown 写".to_string(),
        ),
    };
    Diagnostic::warning(shown, message)
        .zh(zh)
        .at(line, col)
        .hint(hint)
        .hint_zh(hint_zh)
}

/// A piece of raw HTML as the sanitiser's checks see it: an inline tag,
/// or an HTML block's lines together (a tag may span them).
struct RawFragment {
    /// Its first event, and the event after it.
    first: usize,
    next: usize,
    text: String,
}

/// The raw HTML fragments of an article, in order, as `Renderer::run`
/// meets them: not the `<!-- more -->` marker, nor HTML in an image's
/// description (which only keeps its text).
fn raw_fragments(events: &[(Event<'_>, Range<usize>)]) -> Vec<RawFragment> {
    let mut fragments = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Image { .. }) => {
                i = find_end(events, i) + 1;
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) if h.trim() != MORE => {
                let mut text = h.to_string();
                let mut next = i + 1;
                if matches!(events[i].0, Event::Html(_)) {
                    while let Some((Event::Html(more), _)) = events.get(next) {
                        text.push_str(more);
                        next += 1;
                    }
                }
                fragments.push(RawFragment {
                    first: i,
                    next,
                    text,
                });
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    fragments
}

struct Renderer<'s, 'e, 'p> {
    source: &'s Source<'s>,
    links: &'s Links<'s>,
    diags: &'s mut Vec<Diagnostic>,
    position: &'p dyn Fn(usize) -> (usize, usize),
    out: Vec<Event<'e>>,
    headings: Vec<Heading>,
    ids: HashMap<String, usize>,
    plain: String,
    more: Option<String>,
    anchor_links: Vec<AnchorLink>,
    citations: Vec<(usize, u32)>,
    /// What the text so far has named, for article numbers that cite the
    /// law named before them; told where blocks start and end.
    context: crate::statutes::Context<'s>,
    article_links: Vec<(PathBuf, Option<LinkTarget>)>,
    asset_links: Vec<(PathBuf, Option<PublishedAsset>)>,
    /// The current run of plain text that may hold citations: its first
    /// event in `out`, its offset in the source, and [`Self::last_char`]
    /// before it.
    text_run: Option<(usize, usize, Option<char>)>,
    /// The last character of the text in `out`, kept as text is pushed:
    /// looking back for it at every soft break made a paragraph of many
    /// lines of inline HTML quadratic.
    last_char: Option<char>,
    /// The size of the image being rendered, found while resolving its URL.
    image_size: Option<(u32, u32)>,
    /// Each raw HTML fragment written (not with `unsafe_html`): where it
    /// starts in the source, and its text in lower case, to place the
    /// sanitiser's warning.
    raw_sources: Vec<(usize, String)>,
    /// An element that raw HTML opened in this paragraph and that the
    /// sanitiser drops with its content (`文字<script>x</script>`): its
    /// text is not the article's, so it stays out of `plain` (summary,
    /// search index, character count).
    dropped_open: Option<&'static str>,
    /// Why raw HTML was cut (shown as text from a place on), each warned
    /// about once.
    cut_reasons: Vec<sanitize::Reason>,
    /// Raw HTML opened an `<a>` that it has not closed: no links inside.
    raw_link_open: bool,
    /// Inside a code block: no phone links.
    code_block: bool,
}

impl<'e> Renderer<'_, 'e, '_> {
    fn run(&mut self, events: Vec<(Event<'e>, Range<usize>)>) {
        // Raw HTML is read as one document before any of it is written, to
        // find elements that open and never close.
        let fragments = if self.links.unsafe_html {
            Vec::new()
        } else {
            raw_fragments(&events)
        };
        let texts: Vec<&str> = fragments.iter().map(|f| f.text.as_str()).collect();
        let cuts = sanitize::cuts(&texts);
        let quotes = if self.links.statutes.laws().is_empty() {
            Vec::new()
        } else {
            blockquotes(&events)
        };
        let mut i = 0;
        // Depth of links being dropped (to drafts): their text stays, the tag goes.
        let mut dropped_links = 0usize;
        let mut in_heading: Option<usize> = None;
        let mut in_table = 0usize;
        // The paragraph being read: where it starts, and its length so far.
        let mut paragraph_start: Option<usize> = None;
        let mut paragraph_offset = 0usize;
        let mut paragraph_chars = 0usize;
        let mut paragraph_plain = 0usize;
        // Links open around the current event (text inside them is not cited).
        let mut link_depth = 0usize;
        // The first event after the last soft break that has text.
        let mut next_text = 0usize;
        while i < events.len() {
            let (event, range) = &events[i];
            if !matches!(event, Event::Text(_) | Event::SoftBreak) {
                self.flush_citations();
                self.block_for_citations(&events, i, &quotes);
                match event {
                    Event::Html(h) | Event::InlineHtml(h) => self.note_raw_link(h),
                    Event::Start(Tag::CodeBlock(_)) => self.code_block = true,
                    Event::End(TagEnd::CodeBlock) => self.code_block = false,
                    _ => {}
                }
            }
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    in_heading = Some(self.out.len());
                    self.out.push(Event::Start(Tag::Heading {
                        level: *level,
                        id: id.clone(),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    if let Some(start) = in_heading.take() {
                        self.finish_heading(start, *level);
                    }
                    self.out.push(Event::End(TagEnd::Heading(*level)));
                }
                Event::Start(Tag::Link {
                    dest_url,
                    title,
                    id,
                    link_type,
                }) => {
                    link_depth += 1;
                    match self.link_url(dest_url, range.start, false) {
                        Some(url) => self.out.push(Event::Start(Tag::Link {
                            link_type: *link_type,
                            dest_url: url,
                            title: title.clone(),
                            id: id.clone(),
                        })),
                        None => dropped_links += 1,
                    }
                }
                Event::End(TagEnd::Link) => {
                    link_depth = link_depth.saturating_sub(1);
                    if dropped_links > 0 {
                        dropped_links -= 1;
                    } else {
                        self.out.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let end = find_end(&events, i);
                    let alt = plain_text(&events[i + 1..end]);
                    self.image_size = None;
                    match self.link_url(dest_url, range.start, true) {
                        Some(src) => {
                            let html = image_html(&src, &alt, title, self.image_size);
                            self.out.push(Event::InlineHtml(html.into()));
                        }
                        // A source that would run code: only the description stays.
                        None => self.push_text(Event::Text(alt.into())),
                    }
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Table(aligns)) => {
                    if aligns.len() > MAX_TABLE_COLUMNS {
                        let (line, col) = (self.position)(range.start);
                        self.diags.push(
                            Diagnostic::warning(self.source.shown, format!("a table with {} columns is hard to read on a phone", aligns.len()))
                                .zh(format!("表格有 {} 列，手机上很难看清", aligns.len()))
                                .at(line, col)
                                .hint(format!("keep tables to {MAX_TABLE_COLUMNS} columns or fewer: split it, or turn rows into a list"))
                                .hint_zh(format!("表格最好不超过 {MAX_TABLE_COLUMNS} 列：拆成几个小表格，或者改写成列表")),
                        );
                    }
                    in_table += 1;
                    self.out
                        .push(Event::Html("<div class=\"table-wrap\">".into()));
                    self.out.push(event.clone());
                }
                Event::End(TagEnd::Table) => {
                    in_table -= 1;
                    self.out.push(event.clone());
                    self.out.push(Event::Html("</div>\n".into()));
                }
                Event::Text(t) => {
                    let t = strip(t);
                    if paragraph_start.take().is_some() {
                        self.check_heading_without_space(&t, range.start);
                    }
                    if in_heading.is_none() && in_table == 0 && self.dropped_open.is_none() {
                        self.plain.push_str(&t);
                        paragraph_chars += t.chars().count();
                    }
                    if in_heading.is_none() && link_depth == 0 && self.text_run.is_none() {
                        self.text_run = Some((self.out.len(), range.start, self.last_char));
                    } else if in_heading.is_none() && link_depth > 0 {
                        // Not cited, but what it names counts: `[《劳动合同法》](…)第四十二条`.
                        self.context.note(&t);
                    }
                    self.push_text(Event::Text(t));
                }
                Event::Start(Tag::Paragraph) => {
                    paragraph_start = Some(range.start);
                    paragraph_chars = 0;
                    paragraph_offset = range.start;
                    paragraph_plain = self.plain.len();
                    self.out.push(event.clone());
                }
                Event::End(TagEnd::Paragraph) => {
                    paragraph_start = None;
                    self.dropped_open = None;
                    if self.plain[paragraph_plain..].contains("**") {
                        let (line, col) = (self.position)(paragraph_offset);
                        self.diags.push(
                            Diagnostic::warning(
                                self.source.shown,
                                "a `**` without its partner shows as two asterisks",
                            )
                            .zh("这一段有落单的「**」，页面上会显示成两个星号")
                            .at(line, col)
                            .hint("check that bold text has `**` both before and after it")
                            .hint_zh("检查加粗的文字前后是否都有「**」"),
                        );
                    }
                    if paragraph_chars > LONG_PARAGRAPH {
                        let (line, col) = (self.position)(paragraph_offset);
                        self.diags.push(
                            Diagnostic::warning(self.source.shown, format!("a paragraph of {paragraph_chars} characters fills more than a phone screen"))
                                .zh(format!("这一段有 {paragraph_chars} 个字，在手机上超过一屏"))
                                .at(line, col)
                                .hint(format!("split it into paragraphs of at most {LONG_PARAGRAPH} characters"))
                                .hint_zh(format!("拆成几段，每段不超过 {LONG_PARAGRAPH} 字")),
                        );
                    }
                    self.plain.push('\n');
                    self.out.push(event.clone());
                }
                Event::Code(t) => {
                    let t = strip(t);
                    if in_heading.is_none() && in_table == 0 {
                        self.plain.push_str(&t);
                    }
                    if in_heading.is_none() {
                        self.context.note(&t);
                    }
                    self.push_text(Event::Code(t));
                }
                Event::SoftBreak => {
                    let before = self.last_char;
                    // The next event with text, found once for a stretch
                    // without any (not again from each soft break in it).
                    if next_text <= i {
                        next_text = (i + 1..events.len())
                            .find(|&j| first_char(&events[j].0).is_some())
                            .unwrap_or(events.len());
                    }
                    let after = events.get(next_text).and_then(|(e, _)| first_char(e));
                    let vanishes = matches!((before, after), (Some(b), Some(a)) if cjk::soft_break_vanishes(b, a));
                    if !vanishes {
                        self.plain.push(' ');
                        // As text, so a citation broken over two lines is still one run.
                        self.push_text(Event::Text("\n".into()));
                    }
                }
                Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => {
                    self.plain.push('\n');
                    self.out.push(event.clone());
                }
                Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE => {
                    if self.more.is_none() {
                        self.more = Some(self.plain.clone());
                    }
                    self.out.push(event.clone());
                }
                Event::Html(_) | Event::InlineHtml(_) if !self.links.unsafe_html => {
                    i = self.raw_fragment(&events, i, &fragments, &cuts);
                    continue;
                }
                other => self.out.push(other.clone()),
            }
            i += 1;
        }
        self.flush_citations();
    }

    /// Links the statute citations in the text run that just ended: the run's
    /// text events become one piece of HTML with `<a class="cite">` links.
    fn flush_citations(&mut self) {
        let Some((start, offset, before_run)) = self.text_run.take() else {
            return;
        };
        let has_laws = !self.links.statutes.laws().is_empty();
        // Phone links: only where a link may be, and only if there is a digit.
        let may_phone = !self.raw_link_open
            && !self.code_block
            && self.out[start..]
                .iter()
                .any(|e| matches!(e, Event::Text(t) if t.bytes().any(|b| b.is_ascii_digit())));
        if !has_laws && !may_phone {
            return;
        }
        let text: String = self.out[start..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let found = if has_laws {
            self.context.find(&text)
        } else {
            Vec::new()
        };
        let phones = if may_phone {
            tel::find(&text, self.links.phone_numbers)
        } else {
            Vec::new()
        };
        if found.is_empty() && phones.is_empty() {
            return;
        }
        let (line, col) = (self.position)(offset);
        for c in &found {
            let law = &self.links.statutes.laws()[c.law];
            for &n in &c.out_of_range {
                self.diags.push(
                    Diagnostic::error(
                        self.source.shown,
                        format!(
                            "《{}》 has no article {n} (it has {})",
                            law.name, law.articles_total
                        ),
                    )
                    .zh(format!(
                        "《{}》没有第{}条（共 {} 条）",
                        law.name, n, law.articles_total
                    ))
                    .at(line, col)
                    .hint("check the article number against the official text")
                    .hint_zh("请对照法律原文核对条文序号"),
                );
            }
            for &n in &c.missing {
                let warning = match law.origin {
                    crate::statutes::Origin::Site => Diagnostic::warning(self.source.shown, format!("article {n} of 《{}》 is cited but its text is not in statutes/{}.yaml", law.name, law.key))
                        .zh(format!("引用了《{}》第{}条，但 statutes/{}.yaml 里没有这一条的条文", law.name, n, law.key))
                        .hint("add the article's official text to the statute file, so readers see it under the article")
                        .hint_zh("把这一条的官方条文补进法律数据文件，读者才能在文末看到原文"),
                    crate::statutes::Origin::Library => Diagnostic::warning(self.source.shown, format!("article {n} of 《{}》 is cited but pufa's law library does not have its text", law.name))
                        .zh(format!("引用了《{}》第{}条，但 pufa 内置的法律库里没有这一条的条文", law.name, n))
                        .hint(format!("to quote it, give the whole law in statutes/{}.yaml, which then replaces the library's (`pufa statutes import` makes it from the official text)", law.key))
                        .hint_zh(format!("要引用原文，请在 statutes/{}.yaml 里提供整部法律，它会取代内置的那一部（可用「pufa statutes import」从官方文本生成）", law.key)),
                };
                self.diags.push(warning.at(line, col));
            }
            self.citations.extend(
                c.articles
                    .iter()
                    .filter(|n| !c.out_of_range.contains(n))
                    .map(|&n| (c.law, n)),
            );
        }
        let base = self.links.statutes_url;
        let statutes = self.links.statutes;
        let html = if phones.is_empty() {
            statutes.link_html(&text, &found, |law, n| statutes.article_href(base, law, n))
        } else {
            let mut links: Vec<(Range<usize>, String, &str)> = found
                .iter()
                .flat_map(|c| {
                    c.links.iter().map(|(range, n)| {
                        let law = &statutes.laws()[c.law];
                        (range.clone(), statutes.article_href(base, law, *n), "cite")
                    })
                })
                .chain(
                    phones
                        .into_iter()
                        .map(|(range, number)| (range, format!("tel:{number}"), "tel")),
                )
                .collect();
            links.sort_by_key(|(range, ..)| range.start);
            links_html(&text, &links)
        };
        self.out.truncate(start);
        // The run's text is HTML now: what soft breaks see is what came before.
        self.last_char = before_run;
        self.out.push(Event::InlineHtml(html.into()));
    }

    /// Tells the citation context where paragraphs (also list items and
    /// table cells), quotes and footnotes start and end: what a paragraph
    /// names counts until it ends.
    /// `quotes`: where each blockquote starts and ends (event indexes).
    fn block_for_citations(
        &mut self,
        events: &[(Event<'_>, Range<usize>)],
        i: usize,
        quotes: &[(usize, usize)],
    ) {
        if self.links.statutes.laws().is_empty() {
            return;
        }
        let inline = |end: TagEnd| {
            matches!(
                end,
                TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Superscript
                    | TagEnd::Subscript
                    | TagEnd::Link
                    | TagEnd::Image
            )
        };
        let context = &mut self.context;
        match &events[i].0 {
            Event::Start(Tag::BlockQuote(_)) => {
                let source = quotes
                    .binary_search_by_key(&i, |&(start, _)| start)
                    .ok()
                    .and_then(|q| quote_source(&events[i..=quotes[q].1]));
                context.start_quote(source.as_deref())
            }
            Event::End(TagEnd::BlockQuote(_)) => context.end_quote(),
            Event::Start(Tag::FootnoteDefinition(_)) => context.start_footnote(),
            Event::End(TagEnd::FootnoteDefinition) => context.end_footnote(),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                context.end_paragraph()
            }
            Event::Start(tag) if !inline(tag.to_end()) => context.boundary(),
            Event::End(end) if !inline(*end) => context.boundary(),
            Event::Html(_) | Event::Rule => context.boundary(),
            _ => {}
        }
    }

    /// Notes whether raw HTML leaves an `<a>` open (`<a href="…">拨打12338</a>`).
    fn note_raw_link(&mut self, html: &str) {
        let lower = html.to_ascii_lowercase();
        let open = lower
            .match_indices("<a")
            .filter(|(at, _)| {
                lower[at + 2..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == '>' || c.is_ascii_whitespace())
            })
            .map(|(at, _)| at)
            .last();
        let close = lower.rfind("</a");
        match (open, close) {
            (Some(o), Some(c)) => self.raw_link_open = o > c,
            (Some(_), None) => self.raw_link_open = true,
            (None, Some(_)) => self.raw_link_open = false,
            (None, None) => {}
        }
    }

    /// Pushes a text or code event, noting its last character.
    fn push_text(&mut self, event: Event<'e>) {
        if let Event::Text(t) | Event::Code(t) = &event
            && let Some(c) = t.chars().last()
        {
            self.last_char = Some(c);
        }
        self.out.push(event);
    }

    /// WeChat's image limits (WECHAT.md L07): over 2 MB is slow on 4G and
    /// past the upload API's limit; over 5 MB the 公众号 editor refuses it.
    fn check_image_bytes(&mut self, dest: &str, bytes: u64, offset: usize) {
        const WARN: u64 = 2 * 1024 * 1024;
        const MAX: u64 = 5 * 1024 * 1024;
        if bytes <= WARN {
            return;
        }
        let (line, col) = (self.position)(offset);
        let mb = bytes as f64 / (1024.0 * 1024.0);
        let limit = if bytes > MAX {
            "the 公众号 editor refuses images over 5 MB"
        } else {
            "keep images under 2 MB for phones on 4G"
        };
        self.diags.push(
            Diagnostic::warning(
                self.source.shown,
                format!("image `{dest}` is {mb:.1} MB; {limit}"),
            )
            .zh(format!(
                "图片「{dest}」有 {mb:.1} MB，太大了（公众号最多 5 MB，手机上最好不超过 2 MB）"
            ))
            .at(line, col)
            .hint("save it as JPEG at a lower quality, or make it smaller")
            .hint_zh("另存为质量低一些的 JPEG，或者缩小尺寸"),
        );
    }

    /// Writes the raw HTML fragment that starts at event `i` (an HTML block
    /// arrives a line at a time and is taken whole) and returns the index
    /// of the event after it. An element in it that is never closed, and
    /// a tag left without `>`, are shown as text, each with a warning;
    /// everything else is cleaned with the whole article, after
    /// `push_html`.
    fn raw_fragment(
        &mut self,
        events: &[(Event<'e>, Range<usize>)],
        i: usize,
        fragments: &[RawFragment],
        cuts: &[sanitize::Cut],
    ) -> usize {
        let start = events[i].1.start;
        let Ok(n) = fragments.binary_search_by_key(&i, |f| f.first) else {
            // Every raw event is in a fragment; should one not be, it is
            // shown as text, the safe way.
            if let Event::Html(h) | Event::InlineHtml(h) = &events[i].0 {
                self.out.push(Event::Text(h.clone()));
            }
            return i + 1;
        };
        let fragment = &fragments[n];
        let lower = fragment.text.to_ascii_lowercase();
        self.dropped_open = match self.dropped_open {
            Some(name) if lower.contains(&format!("</{name}")) => None,
            Some(name) => Some(name),
            None => sanitize::opens_dropped_element(&lower),
        };
        self.raw_sources.push((start, lower));
        let mut text = Cow::Borrowed(fragment.text.as_str());
        if let Ok(c) = cuts.binary_search_by_key(&n, |c| c.fragment) {
            let cut = &cuts[c];
            // One warning for each reason (and element): once elements nest
            // too deep, every fragment after is cut too.
            if !self.cut_reasons.contains(&cut.reason) {
                self.cut_reasons.push(cut.reason);
                let (line, col) = self.position_in(start, &fragment.text, cut.at);
                self.diags
                    .push(cut_warning(self.source.shown, cut.reason, line, col));
            }
            text = Cow::Owned(sanitize::escape_from(&text, cut.at));
        }
        let finished = sanitize::escape_unfinished_tag(&text);
        if finished != text {
            let (line, col) = (self.position)(start);
            self.diags.push(
                Diagnostic::warning(
                    self.source.shown,
                    "an HTML tag has no closing `>`; it is shown as text",
                )
                .zh("HTML 标签缺少结尾的「>」，已按文字显示")
                .at(line, col)
                .hint("finish the tag with `>`, or write the content in Markdown")
                .hint_zh("给标签补上「>」，或者改用 Markdown 写"),
            );
        }
        let html: CowStr<'e> = finished.into_owned().into();
        self.out.push(match events[i].0 {
            Event::Html(_) => Event::Html(html),
            _ => Event::InlineHtml(html),
        });
        fragment.next
    }

    /// The line and column of byte `at` of raw HTML that starts at source
    /// offset `start` (its lines are the source's lines; inside a quote
    /// or list the column leaves out the `>` or indent before them).
    fn position_in(&self, start: usize, text: &str, at: usize) -> (usize, usize) {
        let (line, col) = (self.position)(start);
        let before = &text[..at];
        match before.rfind('\n') {
            None => (line, col + before.chars().count()),
            Some(nl) => (
                line + before.matches('\n').count(),
                before[nl + 1..].chars().count() + 1,
            ),
        }
    }

    /// `##标题` is a paragraph in Markdown, not a heading: say so.
    fn check_heading_without_space(&mut self, text: &str, offset: usize) {
        let hashes = text.chars().take_while(|&c| c == '#').count();
        let next = text.chars().nth(hashes);
        if (1..=6).contains(&hashes) && next.is_some_and(|c| !c.is_whitespace()) {
            let (line, col) = (self.position)(offset);
            let fixed = format!("{} {}", &text[..hashes], &text[hashes..]);
            self.diags.push(
                Diagnostic::warning(
                    self.source.shown,
                    format!(
                        "`{}` is not a heading: a space must follow the `#`",
                        text.chars().take(12).collect::<String>()
                    ),
                )
                .zh("这一行不是标题：# 后面要有一个空格")
                .at(line, col)
                .hint(format!(
                    "write `{}`",
                    fixed.chars().take(16).collect::<String>()
                ))
                .hint_zh(format!(
                    "改成「{}」",
                    fixed.chars().take(16).collect::<String>()
                )),
            );
        }
    }

    /// Gives the heading an ASCII id (its own `{#id}`, else pinyin of its text).
    fn finish_heading(&mut self, start: usize, level: HeadingLevel) {
        let text = plain_text_events(&self.out[start + 1..]);
        let Event::Start(Tag::Heading { id, .. }) = &self.out[start] else {
            return;
        };
        let base = match id {
            Some(id) => id.to_string(),
            None => match crate::slug::slugify(&text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            },
        };
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        let unique = if *n == 1 { base } else { format!("{base}-{n}") };
        self.out[start] = Event::Start(Tag::Heading {
            level,
            id: Some(unique.clone().into()),
            classes: Vec::new(),
            attrs: Vec::new(),
        });
        self.context.heading(level as u8, &text);
        self.headings.push(Heading {
            level: level as u8,
            id: unique,
            text,
        });
    }

    /// The URL a link or image should point to; `None` drops the link (its
    /// text stays) because the target is not published.
    fn link_url(&mut self, dest: &CowStr<'e>, offset: usize, image: bool) -> Option<CowStr<'e>> {
        let dest_str = dest.as_ref();
        let (tag, attribute) = if image { ("img", "src") } else { ("a", "href") };
        if !self.links.unsafe_html && sanitize::dangerous_url(tag, attribute, dest_str) {
            let (line, col) = (self.position)(offset);
            self.diags.push(
                Diagnostic::warning(
                    self.source.shown,
                    format!(
                        "removed a link that would run code: `{}`",
                        dest_str.chars().take(40).collect::<String>()
                    ),
                )
                .zh("删除了一个会执行代码的链接")
                .at(line, col)
                .hint("link to a web page (https://…) instead")
                .hint_zh("请改为链接到网页（https://…）"),
            );
            return None;
        }
        if let Some(f) = dest_str
            .strip_prefix('#')
            .filter(|f| !f.is_empty() && !image)
        {
            let (line, column) = (self.position)(offset);
            self.anchor_links.push(AnchorLink {
                target: normalize(self.source.path),
                fragment: f.to_string(),
                line,
                column,
            });
        }
        if is_external_or_absolute(dest_str) {
            return Some(dest.clone());
        }
        if dest_str.contains('\\') {
            let (line, col) = (self.position)(offset);
            let fixed = dest_str.replace('\\', "/");
            self.diags.push(
                Diagnostic::error(
                    self.source.shown,
                    format!("the link `{dest_str}` uses `\\`; web addresses use `/`"),
                )
                .zh("链接路径里用了反斜杠“\\”，网址要用“/”")
                .at(line, col)
                .hint(format!("write `{fixed}`"))
                .hint_zh(format!("改成「{fixed}」")),
            );
            return Some(fixed.into());
        }
        let (path_part, fragment) = match dest_str.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest_str, None),
        };
        let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
        let target = normalize(
            &self
                .source
                .path
                .parent()
                .unwrap_or(Path::new(""))
                .join(decoded.as_ref()),
        );
        let (line, col) = (self.position)(offset);
        let with_fragment = |url: &str| match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url.to_string(),
        };
        if path_part.ends_with(".md") {
            let found = self.links.articles.get(&target);
            self.article_links.push((target.clone(), found.cloned()));
            return match found {
                // One mistake, one error: the file's own are reported.
                Some(t) if !t.loaded => Some(dest.clone()),
                Some(t) if t.visible => {
                    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                        self.anchor_links.push(AnchorLink {
                            target: target.clone(),
                            fragment: f.to_string(),
                            line,
                            column: col,
                        });
                    }
                    Some(with_fragment(&t.url).into())
                }
                Some(_) => {
                    self.diags.push(
                        Diagnostic::warning(self.source.shown, format!("`{dest_str}` is not published yet (draft or scheduled); its link text is shown without a link"))
                            .at(line, col)
                            .hint("the link appears by itself once that article is published and the site is rebuilt").zh(format!("链接的文章「{dest_str}」还没有发布（草稿或定时发布），暂时只显示文字")).hint_zh("那篇文章发布后重新生成网站，链接会自动出现"),
                    );
                    None
                }
                None => {
                    let d = Diagnostic::error(
                        self.source.shown,
                        format!("link to a missing article `{dest_str}`"),
                    )
                    .zh(format!("链接的文章「{dest_str}」不存在"))
                    .at(line, col);
                    let near =
                        nearest_file(&target, self.links.articles.keys().map(PathBuf::as_path));
                    self.diags.push(match near {
                        Some(near) => {
                            let near = with_fragment(&relative_link(self.source.path, near));
                            d.hint(format!("did you mean `{near}`?"))
                                .hint_zh(format!("你是不是想写「{near}」？"))
                        }
                        None => d
                            .hint("check the file name and folder; paths are relative to this article's folder, e.g. `../qa/baohuling.md`")
                            .hint_zh("检查文件名和文件夹；路径从本文所在的文件夹算起，例如「../qa/baohuling.md」"),
                    });
                    Some(dest.clone())
                }
            };
        }
        let found = self.links.assets.get(&target);
        // Looked for before the path moves, on the error path only.
        let near = match (found, image) {
            (None, true) => nearest_file(&target, self.links.assets.keys().map(PathBuf::as_path)),
            _ => None,
        };
        self.asset_links.push((target, found.cloned()));
        match found {
            Some(asset) => {
                if image {
                    self.image_size = asset.size;
                    self.check_image_bytes(dest_str, asset.file_bytes.unwrap_or(0), offset);
                }
                Some(with_fragment(&asset.url).into())
            }
            None if image => {
                let d =
                    Diagnostic::error(self.source.shown, format!("image `{dest_str}` not found"))
                        .zh(format!("找不到图片「{dest_str}」"))
                        .at(line, col);
                self.diags.push(match near {
                    Some(near) => {
                        let near = relative_link(self.source.path, near);
                        d.hint(format!("did you mean `{near}`?"))
                            .hint_zh(format!("你是不是想写「{near}」？"))
                    }
                    None => d
                        .hint("put the image next to the article (or in its page-bundle folder) and check the spelling of its name")
                        .hint_zh("把图片放在文章旁边（或文章的文件夹里），并检查文件名拼写"),
                });
                Some(dest.clone())
            }
            None => Some(dest.clone()),
        }
    }
}

/// The existing file an editor most likely meant by `wanted` (a link
/// target that is not there): one a few keystrokes away
/// ([`crate::diagnostics::nearest`]), else the only file of that name in
/// another folder. Only on the error path: it reads every candidate.
pub fn nearest_file<'p>(
    wanted: &Path,
    candidates: impl Iterator<Item = &'p Path>,
) -> Option<&'p Path> {
    let candidates: Vec<(&Path, Cow<'_, str>)> =
        candidates.map(|c| (c, c.to_string_lossy())).collect();
    let wanted_text = wanted.to_string_lossy();
    if let Some(near) = crate::diagnostics::nearest(
        &wanted_text,
        candidates.iter().map(|(_, text)| text.as_ref()),
    ) {
        return candidates
            .iter()
            .find(|(_, text)| text == near)
            .map(|(c, _)| *c);
    }
    let name = wanted.file_name()?;
    let mut same_name = candidates
        .iter()
        .filter(|(c, _)| c.file_name() == Some(name));
    match (same_name.next(), same_name.next()) {
        (Some((only, _)), None) => Some(only),
        _ => None,
    }
}

/// `to` as a link written in the Markdown file `from` (both absolute and
/// normal): `../qa/a.md`, `b.md`.
pub fn relative_link(from: &Path, to: &Path) -> String {
    let base: Vec<Component<'_>> = from
        .parent()
        .unwrap_or(Path::new(""))
        .components()
        .collect();
    let target: Vec<Component<'_>> = to.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `text` with links at the given places (in order; one starting inside
/// the one before it is left out): `<a class="{class}" href="{href}">`.
fn links_html(text: &str, links: &[(Range<usize>, String, &str)]) -> String {
    use crate::html::escape_html;
    let mut out = String::with_capacity(text.len() + links.len() * 60);
    let mut at = 0;
    for (range, href, class) in links {
        if range.start < at || range.end > text.len() {
            continue;
        }
        out.push_str(&escape_html(&text[at..range.start]));
        out.push_str(&format!(
            "<a class=\"{class}\" href=\"{}\">{}</a>",
            escape_html(href),
            escape_html(&text[range.clone()])
        ));
        at = range.end;
    }
    out.push_str(&escape_html(&text[at..]));
    out
}

fn strip<'e>(t: &CowStr<'e>) -> CowStr<'e> {
    match cjk::strip_markers(t) {
        std::borrow::Cow::Borrowed(_) => t.clone(),
        std::borrow::Cow::Owned(s) => s.into(),
    }
}

fn is_external_or_absolute(dest: &str) -> bool {
    dest.is_empty()
        || dest.starts_with('/')
        || dest.starts_with('#')
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

/// Lexically resolves `.` and `..` (no file-system access: targets may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    // Paths from the content walk are normal already; rebuilding them one
    // component at a time was a twentieth of a `pufa serve` rebuild.
    if is_normal(path) {
        return path.to_path_buf();
    }
    resolve_dots(path)
}

fn resolve_dots(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// True when [`normalize`] leaves `path` as it is: no `.`, `..` or empty
/// part (`a//b`, `a/`), and not empty.
fn is_normal(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    if bytes == b"/" {
        return true;
    }
    let mut parts = bytes.split(|&b| std::path::is_separator(b as char));
    // An absolute path starts with an empty part.
    let first = parts.next().unwrap_or_default();
    let normal = |part: &[u8]| !matches!(part, b"" | b"." | b"..");
    (first.is_empty() && bytes.len() > 1 || normal(first)) && parts.all(normal)
}

fn find_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Where each blockquote starts and ends (event indexes), in order of
/// their starts: found in one pass, however deep they nest.
fn blockquotes(events: &[(Event<'_>, Range<usize>)]) -> Vec<(usize, usize)> {
    let mut quotes = Vec::new();
    let mut open = Vec::new();
    for (i, (e, _)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::BlockQuote(_)) => {
                open.push(quotes.len());
                quotes.push((i, i));
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(q) = open.pop() {
                    quotes[q].1 = i;
                }
            }
            _ => {}
        }
    }
    quotes
}

/// The text of a blockquote's last paragraph (`quote`: its events, from
/// its start to its end), when it names where the quote is from:
/// `——《中华人民共和国民法典》`.
fn quote_source(quote: &[(Event<'_>, Range<usize>)]) -> Option<String> {
    let end = quote.len().checked_sub(2)?;
    if !matches!(quote[end].0, Event::End(TagEnd::Paragraph)) {
        return None;
    }
    let start = (0..end)
        .rev()
        .find(|&j| matches!(quote[j].0, Event::Start(Tag::Paragraph)))?;
    let first = quote[start + 1..end]
        .iter()
        .find_map(|(e, _)| first_char(e));
    if !matches!(first, Some('—' | '－')) {
        return None;
    }
    Some(plain_text(&quote[start..end]))
}

fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(&cjk::strip_markers(t));
        }
    }
    s
}

fn plain_text_events(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

fn first_char(e: &Event<'_>) -> Option<char> {
    match e {
        Event::Text(t) | Event::Code(t) => cjk::strip_markers(t).chars().next(),
        _ => None,
    }
}

fn image_html(src: &str, alt: &str, title: &str, size: Option<(u32, u32)>) -> String {
    let mut h = format!(
        "<img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"",
        escape_attr(src),
        escape_attr(alt)
    );
    // With the size known, the browser reserves the space: no layout shift.
    if let Some((w, height)) = size {
        h.push_str(&format!(" width=\"{w}\" height=\"{height}\""));
    }
    if !title.is_empty() {
        h.push_str(&format!(" title=\"{}\"", escape_attr(title)));
    }
    h.push('>');
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with everything pufa's Markdown makes: headings (with
    /// and without `{#id}`), emphasis, strikethrough, code, links (to an
    /// article, an anchor, the web, with a title), images (with a size, a
    /// `data:` image), tables with each alignment, footnotes, quotes,
    /// lists (numbered from 3), a rule, a statute citation, characters to
    /// escape.
    const EVERY_FEATURE: &str = "\
# 标题一

## 自己的 id {#own-id}

**粗体** *斜体* ~~删除~~ `代码 <b>` 和 \"引号\" & 'apostrophe' < > 。

[另一篇](other.md) [锚点](#own-id) [外链](https://www.court.gov.cn/?a=1&b=2 \"最高法\") <https://example.cn/auto> <someone@example.cn>

![图](pic.png) ![小图](data:image/png;base64,iVBORw0KGgo= \"标题\")

| 左 | 中 | 右 | 无 |
|:---|:---:|---:|---|
| 1 | 2 | 3 | 4 |

正文有脚注[^note]，依据《中华人民共和国民法典》第一千零四十二条。

[^note]: 脚注的文字。

> 引用
> 第二行

3. 三
4. 四

- 甲
- 乙

---

```rust
fn main() { println!(\"<script>\"); }
```
";

    fn render_every_feature() -> String {
        let dir = Path::new("/site/content/news");
        let mut articles = rustc_hash::FxHashMap::default();
        articles.insert(
            dir.join("other.md"),
            LinkTarget {
                url: "/news/other/".into(),
                visible: true,
                loaded: true,
            },
        );
        let mut assets = HashMap::new();
        assets.insert(
            dir.join("pic.png"),
            PublishedAsset {
                url: "/news/pic.png".into(),
                size: Some((640, 480)),
                file_bytes: Some(1000),
            },
        );
        let law = crate::statutes::Law {
            key: "minfadian".into(),
            origin: crate::statutes::Origin::Site,
            name: "中华人民共和国民法典".into(),
            short: "民法典".into(),
            aliases: vec!["中华人民共和国民法典".into(), "民法典".into()],
            effective: "2021-01-01".into(),
            history: Vec::new(),
            articles_total: 1260,
            preamble: Vec::new(),
            articles: Default::default(),
        };
        let statutes = crate::statutes::Statutes::from_laws(vec![law]);
        let links = Links {
            articles: &articles,
            assets: &assets,
            statutes: &statutes,
            statutes_url: "/statutes/",
            unsafe_html: false,
            phone_numbers: &[],
        };
        let path = dir.join("a.md");
        let source = Source {
            body: EVERY_FEATURE,
            body_line: 1,
            path: &path,
            shown: Path::new("content/news/a.md"),
        };
        let mut diags = Vec::new();
        let html = render(&source, &links, &mut diags).html;
        // pufa's own markup only: the sanitiser was not needed.
        assert!(
            !diags.iter().any(|d| d.to_string().contains("removed")),
            "{diags:?}"
        );
        html
    }

    #[test]
    fn pufa_s_own_markup_passes_the_sanitiser_as_it_is() {
        let html = render_every_feature();
        for made in [
            "<h2 id=\"own-id\">",
            "<a href=\"/news/other/\">",
            "<img src=\"/news/pic.png\" alt=\"图\" loading=\"lazy\" decoding=\"async\" width=\"640\" height=\"480\">",
            "<th style=\"text-align: center\">",
            "<sup class=\"footnote-reference\">",
            "<a class=\"cite\" href=\"/statutes/minfadian/#a1042\">",
            "<ol start=\"3\">",
            "<code class=\"language-rust\">",
            "<del>",
        ] {
            assert!(
                html.contains(made),
                "the test document lacks `{made}`:\n{html}"
            );
        }
        let cleaned = sanitize::clean_article(&html);
        assert_eq!(cleaned.removed, Vec::<String>::new(), "{}", cleaned.html);
        // Only the spelling differs: ammonia writes `<hr>` for `<hr />`,
        // `'` and `"` in text as they are, and style without the space.
        let respelt = html
            .replace(" />", ">")
            .replace("&#39;", "'")
            .replace("text-align: ", "text-align:");
        let text_quotes = respelt.replace("&quot;", "\"");
        assert!(
            cleaned.html == respelt || cleaned.html == text_quotes,
            "before:\n{html}\nafter:\n{}",
            cleaned.html
        );
    }

    /// Renders `body` with 民法典 and 反家庭暴力法 as the site's laws;
    /// each citation link as `text → key#aN`, and the articles cited.
    fn cite_links(body: &str) -> (Vec<String>, Vec<(usize, u32)>) {
        let law = |key: &str, name: &str, short: &str, total| crate::statutes::Law {
            key: key.into(),
            name: name.into(),
            short: short.into(),
            aliases: vec![name.into(), short.into()],
            origin: crate::statutes::Origin::Site,
            effective: "2021-01-01".into(),
            history: Vec::new(),
            articles_total: total,
            preamble: Vec::new(),
            articles: Default::default(),
        };
        let statutes = crate::statutes::Statutes::from_laws(vec![
            law("minfadian", "中华人民共和国民法典", "民法典", 1260),
            law(
                "fanjiabaofa",
                "中华人民共和国反家庭暴力法",
                "反家庭暴力法",
                38,
            ),
        ]);
        let (articles, assets) = (Default::default(), HashMap::new());
        let links = Links {
            articles: &articles,
            assets: &assets,
            statutes: &statutes,
            statutes_url: "/statutes/",
            unsafe_html: false,
            phone_numbers: &[],
        };
        let source = Source {
            body,
            body_line: 1,
            path: Path::new("/site/content/a.md"),
            shown: Path::new("content/a.md"),
        };
        let mut diags = Vec::new();
        let rendered = render(&source, &links, &mut diags);
        assert!(
            diags.iter().all(|d| !d.to_string().contains("error")),
            "{diags:?}"
        );
        let mut found = Vec::new();
        for piece in rendered
            .html
            .split("<a class=\"cite\" href=\"/statutes/")
            .skip(1)
        {
            let (href, rest) = piece.split_once("\">").unwrap();
            let text = &rest[..rest.find("</a>").unwrap()];
            found.push(format!("{text} → {}", href.replace("/#", "#")));
        }
        (found, rendered.citations)
    }

    #[test]
    fn citations_follow_the_law_named_before_them_in_their_block() {
        let (links, cited) = cite_links(
            "\
## 《民法典》婚姻家庭编

**《民法典》第一千零七十六条**规定了登记离婚，紧接着，第一千零七十七条
规定了冷静期；[《反家庭暴力法》](https://example.cn/)第二十三条……该法第二十五条。

- 第1079条
- `劳动合同法`第四十二条
- 民法典第1042条，<span>《劳动合同法》</span>第四十二条

| 条文 |
| --- |
| 第1080条 |

《反家庭暴力法》**第二十条**规定：

> 第二十条　……本法第二十三条
>
> 见民法典第1042条，本法第二十九条

> 第一千零六十二条　……但是本法第一千零六十三条第三项规定的除外；
>
> ——《中华人民共和国民法典》

脚注[^1]。

[^1]: 第1084条

## 其他

第1085条
",
        );
        assert_eq!(
            links,
            [
                "《民法典》第一千零七十六条 → minfadian#a1076",
                "第一千零七十七条 → minfadian#a1077",
                "第二十三条 → fanjiabaofa#a23",
                "该法第二十五条 → fanjiabaofa#a25",
                "第1079条 → minfadian#a1079",
                "民法典第1042条 → minfadian#a1042",
                "第1080条 → minfadian#a1080",
                // `《反家庭暴力法》**第二十条**规定：` and the quote it leads into.
                "第二十条 → fanjiabaofa#a20",
                "第二十条 → fanjiabaofa#a20",
                "本法第二十三条 → fanjiabaofa#a23",
                "民法典第1042条 → minfadian#a1042",
                "本法第二十九条 → fanjiabaofa#a29",
                // A quote whose source follows it.
                "第一千零六十二条 → minfadian#a1062",
                "本法第一千零六十三条第三项 → minfadian#a1063",
            ],
            "{links:#?}"
        );
        // Not the code's 劳动合同法, nor the footnote's or the last
        // section's bare numbers: each link is a citation.
        assert_eq!(cited.len(), links.len());
    }

    #[test]
    fn normal_paths_are_kept_as_resolving_them_would_make_them() {
        // Every path of up to four parts from these, with and without a
        // leading and a trailing separator.
        let parts = ["", ".", "..", "a", ".b", "..c", "文件.md"];
        let mut paths = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = paths
                .iter()
                .flat_map(|p| parts.iter().map(move |part| format!("{p}/{part}")))
                .collect();
            paths.extend(longer);
        }
        let variants = paths.iter().flat_map(|p| {
            let relative = p.trim_start_matches('/').to_string();
            [p.clone(), relative.clone(), format!("{relative}/")]
        });
        for p in variants {
            let path = Path::new(&p);
            assert_eq!(normalize(path), resolve_dots(path), "{p:?}");
        }
    }
}
