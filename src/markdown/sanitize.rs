//! Raw HTML in Markdown, made safe for readers (on by default; site.yaml
//! `markdown: { unsafe_html: true }` turns it off for sites that need embeds).
//!
//! Editors paste HTML from other sites; a `<script>` or an `onerror=` would
//! run in every reader's WeChat, in pages and in feed readers alike. An
//! article with raw HTML is cleaned WHOLE by [`clean_article`]: ammonia
//! parses it with html5ever, the HTML5 parser browsers follow, so the
//! cleaner sees the same elements a browser would (a `<title>` or `<svg>`
//! opened in one tag and closed in another, attributes spanning lines,
//! character references), keeps what [`policy`] allows and serialises the
//! tree again. Checking tags one at a time, as pufa did before, could not
//! know that a raw-text element was open, and was bypassed that way.
//!
//! Two things happen before that, on the raw fragments themselves, because
//! no parse of the whole article can tell what the editor meant:
//! [`escape_unfinished_tag`] shows a tag left without `>` as text, and
//! [`cuts`] finds an element like `<textarea>` or `<svg>` that is never
//! closed and would swallow the rest of the article, and nesting too deep
//! to parse in reasonable time; the fragment is shown as text from there.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Elements an article may use: what pufa's Markdown makes (headings,
/// lists, tables, footnotes, code, images, links) and what editors paste
/// from Word or the 公众号 editor (`<span style>`, `<font>`, `<details>`,
/// `<ruby>`, `<mark>`, video and audio players).
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "map",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements removed with everything inside them: what runs code or loads
/// another document (and its fallback content, which is markup for
/// browsers without it), and SVG and MathML, whose own elements
/// (`<animate>`, `<set>`, `<use>`, `<foreignObject>`) and parsing rules
/// are the usual way around sanitisers, for little use in an article: an
/// SVG drawing can be published as an image, `![](drawing.svg)`, where
/// its scripts never run. Any other element not in [`ELEMENTS`] is
/// unwrapped: it goes, its text stays (`<button>保存</button>` → `保存`).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "noscript", "noembed", "noframes", "template", "title", "svg", "math",
];

/// The element of [`DROPPED_WITH_CONTENT`] that the raw HTML fragment
/// `lower` (in lower case) opens and does not close, if any: inline
/// `<script>…</script>` arrives as tag, text, tag, and the text between
/// is not the article's.
pub fn opens_dropped_element(lower: &str) -> Option<&'static str> {
    let name = lower.trim_start().strip_prefix('<')?;
    DROPPED_WITH_CONTENT.iter().copied().find(|tag| {
        name.strip_prefix(tag).is_some_and(|rest| {
            rest.starts_with(['>', '/', ' ', '\t', '\n', '\r', '\x0c'])
                && !rest.contains(&format!("</{tag}"))
        })
    })
}

/// Attributes any allowed element may have. `id` is needed by headings and
/// footnotes; it can shadow a global name in the theme's scripts (DOM
/// clobbering), which is why the default theme's scripts declare their
/// variables. `style` keeps only [`STYLE_PROPERTIES`].
const ANY_ELEMENT: &[&str] = &["class", "dir", "id", "lang", "style", "title"];

/// Attributes of particular elements, beyond [`ANY_ELEMENT`].
const BY_ELEMENT: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "name"]),
    ("area", &["alt", "coords", "href", "shape"]),
    ("audio", &["controls", "loop", "muted", "preload", "src"]),
    ("blockquote", &["cite"]),
    ("col", &["align", "span", "width"]),
    ("colgroup", &["align", "span", "width"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("font", &["color", "face", "size"]),
    ("hr", &["align", "size", "width"]),
    (
        "img",
        &[
            "align", "alt", "decoding", "height", "loading", "src", "usemap", "width",
        ],
    ),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("map", &["name"]),
    ("ol", &["reversed", "start", "type"]),
    ("q", &["cite"]),
    ("source", &["media", "src", "type"]),
    (
        "table",
        &[
            "align",
            "border",
            "cellpadding",
            "cellspacing",
            "summary",
            "width",
        ],
    ),
    ("tbody", &["align", "valign"]),
    (
        "td",
        &["align", "colspan", "headers", "rowspan", "valign", "width"],
    ),
    ("tfoot", &["align", "valign"]),
    (
        "th",
        &[
            "align", "colspan", "headers", "rowspan", "scope", "valign", "width",
        ],
    ),
    ("thead", &["align", "valign"]),
    ("time", &["datetime"]),
    ("tr", &["align", "valign"]),
    ("ul", &["type"]),
    (
        "video",
        &[
            "controls",
            "height",
            "loop",
            "muted",
            "playsinline",
            "poster",
            "preload",
            "src",
            "width",
        ],
    ),
];

/// `style=` properties kept: colour, type, alignment, borders and inner
/// spacing, what Word and the 公众号 editor write. Left out on purpose:
/// everything that takes a URL (`background`, `list-style-image`,
/// `cursor`, …: a request to another site on every page view, and in old
/// browsers a way to run script), and everything that can move an element
/// out of the article's flow (`position`, `margin`, `transform`,
/// `z-index`, …), which could lay a fake hotline number or link over the
/// site's own header and footer.
const STYLE_PROPERTIES: &[&str] = &[
    "background-color",
    "border",
    "border-bottom",
    "border-collapse",
    "border-color",
    "border-left",
    "border-radius",
    "border-right",
    "border-style",
    "border-top",
    "border-width",
    "color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "max-width",
    "padding",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "padding-top",
    "text-align",
    "text-decoration",
    "text-indent",
    "vertical-align",
    "white-space",
    "width",
    "word-break",
];

/// URL schemes raw HTML may use in links and sources, besides relative
/// URLs: ammonia's own list, and `data:`, let through here only for
/// [`dangerous_url`] to keep just images. (Links written in Markdown are
/// checked by [`dangerous_url`] alone, which allows any other scheme; in
/// an article with raw HTML ammonia applies this list to them too, and
/// the warning names any it removed.)
const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "data",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Attributes that hold a URL (checked with [`dangerous_url`] as well as by
/// ammonia's scheme list).
const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "background",
    "cite",
    "data",
    "formaction",
    "href",
    "poster",
    "src",
    "srcset",
    "xlink:href",
];

/// The sanitiser's rules, made for each article that needs them (a few
/// microseconds, next to parsing the article).
fn policy() -> ammonia::Builder<'static> {
    let by_element: HashMap<&str, HashSet<&str>> = BY_ELEMENT
        .iter()
        .map(|(element, attributes)| (*element, attributes.iter().copied().collect()))
        .collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(ELEMENTS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(ANY_ELEMENT.iter().copied().collect())
        .tag_attributes(by_element)
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        // pufa's links stay as written: no `rel` added.
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| match attribute {
            "style" => Some(inert_declarations(value)),
            _ if URL_ATTRIBUTES.contains(&attribute)
                && dangerous_url(element, attribute, value) =>
            {
                None
            }
            _ => Some(Cow::Borrowed(value)),
        });
    builder
}

/// Words in a style declaration that load something or run script
/// somewhere (old IE's `expression()`, `url()`, bindings), and the CSS
/// escapes and comments that could spell them in pieces.
const STYLE_HAZARDS: &[&str] = &[
    "\\",
    "/*",
    "behavior",
    "binding",
    "expression",
    "image(",
    "image-set(",
    "javascript",
    "url(",
];

/// `style` without the declarations that have a [`STYLE_HAZARDS`] word.
/// Ammonia keeps declarations by property name only ([`STYLE_PROPERTIES`]);
/// `width: expression(…)` runs nothing in today's browsers, but has no
/// business in an article either. Cut at every `;`, even one inside a
/// string: a declaration broken that way is dropped by ammonia's parser.
fn inert_declarations(style: &str) -> Cow<'_, str> {
    let lower = style.to_ascii_lowercase();
    if !STYLE_HAZARDS.iter().any(|h| lower.contains(h)) {
        return Cow::Borrowed(style);
    }
    let kept: Vec<&str> = style
        .split(';')
        .filter(|d| {
            let d = d.to_ascii_lowercase();
            !STYLE_HAZARDS.iter().any(|h| d.contains(h))
        })
        .collect();
    Cow::Owned(kept.join(";"))
}

/// An article's HTML after [`clean_article`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    pub html: String,
    /// What went, as an editor would look for it in the article
    /// (`<script>`, `onerror=`, `href="javascript:…"`), in order.
    pub removed: Vec<String>,
}

/// Cleans a whole article's HTML (Markdown already rendered, raw HTML in
/// it) and says what was removed.
///
/// What was removed is what the article had and the result lacks, both
/// read with [`Scanner`]: elements, attributes (URL attributes by scheme)
/// and style properties. A comparison rather than a second copy of the
/// rules, so the list names exactly what ammonia dropped, including what
/// only its parser saw (an attribute given twice, `<html>` in a body).
pub fn clean_article(html: &str) -> Cleaned {
    let cleaned = policy().clean(html).to_string();
    let removed = missing(&inventory(html), &inventory(&cleaned));
    Cleaned {
        html: cleaned,
        removed,
    }
}

/// One thing an article's HTML has, as counted by [`inventory`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Element(String),
    Attribute(String),
    /// A URL attribute and the URL's scheme (empty for a relative URL).
    Url(String, String),
    StyleProperty(String),
}

impl Part {
    /// How the warning shows it.
    fn shown(&self) -> String {
        match self {
            Part::Element(name) => format!("<{name}>"),
            Part::Attribute(name) => format!("{name}="),
            Part::Url(name, scheme) if scheme.is_empty() => format!("{name}="),
            Part::Url(name, scheme) => format!("{name}=\"{scheme}:…\""),
            Part::StyleProperty(property) => format!("style=\"{property}:…\""),
        }
    }
}

/// Every element, attribute and style property of `html`, in order;
/// inside an element of [`DROPPED_WITH_CONTENT`] only that element (the
/// warning says `<svg>`, not each `<circle>` of the drawing).
fn inventory(html: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    // The element being passed over, and how many of it are open.
    let mut dropped: Option<(String, usize)> = None;
    Scanner::default().scan(html, 0, |tag| {
        if let Some((name, open)) = &mut dropped {
            if *name == tag.name && !tag.self_closing {
                match tag.closing {
                    true => *open -= 1,
                    false => *open += 1,
                }
            }
            if *open == 0 {
                dropped = None;
            }
            return;
        }
        if tag.closing {
            return;
        }
        parts.push(Part::Element(tag.name.clone()));
        let name = tag.name.as_str();
        if DROPPED_WITH_CONTENT.contains(&name) {
            if !VOID.contains(&name) && !tag.self_closing {
                dropped = Some((tag.name.clone(), 1));
            }
            return;
        }
        for (name, value) in &tag.attributes {
            if name == "style" {
                let value = decode_references(value);
                parts.extend(
                    value
                        .split(';')
                        .filter_map(|d| d.split_once(':'))
                        .map(|(p, _)| p.trim().to_ascii_lowercase())
                        .filter(|p| !p.is_empty())
                        .map(Part::StyleProperty),
                );
            } else if URL_ATTRIBUTES.contains(&name.as_str()) {
                parts.push(Part::Url(name.clone(), scheme(value)));
            } else {
                parts.push(Part::Attribute(name.clone()));
            }
        }
    });
    parts
}

/// The lower-case scheme of a URL as a browser reads it (references
/// decoded, tabs and line breaks ignored), or "" for a relative URL.
fn scheme(url: &str) -> String {
    let decoded = decode_references(url);
    let squeezed: String = decoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    match squeezed.split_once(':') {
        Some((scheme, _))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            scheme.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

/// The parts of `before` that `after` has fewer of, each shown once.
fn missing(before: &[Part], after: &[Part]) -> Vec<String> {
    let mut left: HashMap<&Part, usize> = HashMap::new();
    for part in after {
        *left.entry(part).or_default() += 1;
    }
    let mut shown = Vec::new();
    for part in before {
        match left.get_mut(part) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                let s = part.shown();
                if !shown.contains(&s) {
                    shown.push(s);
                }
            }
        }
    }
    shown
}

/// The names in a list from [`Cleaned::removed`] (`<script>` → `script`,
/// `href="javascript:…"` → `href`), to find the line that has one.
pub fn removed_name(shown: &str) -> &str {
    let s = shown.trim_start_matches('<');
    let end = s.find(['>', '=']).unwrap_or(s.len());
    // `style="color:…"`: the property is what the editor wrote.
    match s.strip_prefix("style=\"") {
        Some(rest) => rest.split(':').next().unwrap_or(rest),
        None => &s[..end],
    }
}

/// Elements whose content the browser reads as text, up to their end tag
/// (`plaintext`: to the end of the page).
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Elements under which the browser parses by other rules until they
/// close: SVG and MathML (foreign content: `<style>` there is not raw
/// text), `select` (tags inside are dropped, only text stays).
const CONTAINERS: &[&str] = &["math", "select", "svg"];

/// Where raw HTML must be shown as text from, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Which fragment (index into the slice given), and where in it the
    /// start tag begins.
    pub fragment: usize,
    pub at: usize,
    pub reason: Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// This element is never closed.
    NeverClosed(&'static str),
    /// Elements nest more than [`MAX_DEPTH`] deep here.
    TooDeep,
    /// This tag has more than [`MAX_ATTRIBUTES`] attributes.
    TooManyAttributes,
}

/// How deep raw HTML may nest elements (not counting those whose end tag
/// may be left out, like `<p>` and `<td>`, nor void ones like `<br>`).
/// Articles nest a few levels; html5ever looks through every open
/// element for many tags, so a hundred thousand `<div>`s would take
/// minutes to parse. Browsers stop nesting at 512.
pub const MAX_DEPTH: usize = 256;

/// How many attributes a tag in raw HTML may have. Word writes a dozen;
/// html5ever compares each attribute with those before it (a repeated
/// one is dropped), so a tag with a hundred thousand would take a minute.
pub const MAX_ATTRIBUTES: usize = 100;

/// Where the fragments of `fragments` (an article's raw HTML, in order)
/// must be cut, the rest shown as text: at an element of [`RAW_TEXT`] or
/// [`CONTAINERS`] that is never closed, which would turn the rest of the
/// article into text or hide it (`<textarea>` makes it the text of a box,
/// `<svg>` drawing content, `<plaintext>` source), where elements nest
/// deeper than [`MAX_DEPTH`], and at a tag with more than
/// [`MAX_ATTRIBUTES`]. At most one cut per fragment.
///
/// The text between fragments is Markdown, escaped, with no tags of its
/// own, so reading the fragments as one document sees what the browser
/// sees. Reading goes on as if each cut fragment ended at the cut (an
/// `<svg>` shown as text no longer makes a later `<textarea>` SVG).
pub fn cuts(fragments: &[&str]) -> Vec<Cut> {
    let mut scanner = Scanner {
        last_end_tags: Some(last_end_tags(fragments)),
        ..Scanner::default()
    };
    for (i, fragment) in fragments.iter().enumerate() {
        scanner.scan(fragment, i, |_| {});
    }
    // Left open although an end tag comes later (nested `<svg>`s with one
    // `</svg>`).
    let left_open = scanner.open.into_iter().chain(scanner.raw);
    scanner.cuts.extend(left_open.map(|o| o.never_closed()));
    scanner.cuts.sort_by_key(|c| (c.fragment, c.at));
    scanner.cuts.dedup_by_key(|c| c.fragment);
    scanner.cuts
}

/// For each element of [`RAW_TEXT`] and [`CONTAINERS`], where its last end
/// tag in `fragments` is: (fragment, offset).
fn last_end_tags(fragments: &[&str]) -> HashMap<&'static str, (usize, usize)> {
    let mut last = HashMap::new();
    for (f, text) in fragments.iter().enumerate() {
        let bytes = text.as_bytes();
        for at in memchr::memmem::find_iter(bytes, b"</") {
            let names = RAW_TEXT.iter().chain(CONTAINERS);
            if let Some(&name) = names.into_iter().find(|n| is_end_tag_at(bytes, at, n)) {
                last.insert(name, (f, at));
            }
        }
    }
    last
}

/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the next one closes them, so
/// they do not nest by themselves.
const OPTIONAL_END: &[&str] = &[
    "caption", "colgroup", "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
    "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// One tag as a browser's tokenizer reads it: enough to list elements and
/// attributes (ammonia's html5ever does the sanitising itself).
struct Tag<'h> {
    start: usize,
    end: usize,
    name: String,
    closing: bool,
    self_closing: bool,
    /// Lower-case names and values as written (references not decoded).
    attributes: Vec<(String, &'h str)>,
}

impl Tag<'_> {
    /// Whether this tag makes elements nest one deeper (or, closing, one
    /// less deep), as [`MAX_DEPTH`] counts.
    fn nests(&self) -> bool {
        let name = self.name.as_str();
        !VOID.contains(&name) && !OPTIONAL_END.contains(&name) && !self.self_closing
    }
}

/// An element open while reading.
#[derive(Debug, Clone)]
struct Open {
    fragment: usize,
    at: usize,
    name: &'static str,
}

impl Open {
    fn never_closed(self) -> Cut {
        Cut {
            fragment: self.fragment,
            at: self.at,
            reason: Reason::NeverClosed(self.name),
        }
    }
}

/// Reads tags from text, keeping across calls what decides how text is
/// read: an open raw-text element, open SVG, MathML or `select`.
#[derive(Default)]
struct Scanner {
    raw: Option<Open>,
    open: Vec<Open>,
    depth: usize,
    /// With these (see [`cuts`]), an element whose end tag never comes is
    /// not opened, nor one past [`MAX_DEPTH`]: a cut is recorded instead,
    /// and the rest of its fragment passed over.
    last_end_tags: Option<HashMap<&'static str, (usize, usize)>>,
    cuts: Vec<Cut>,
}

impl Scanner {
    /// Calls `each` for every tag of `text` (fragment number `fragment`).
    fn scan<'h>(&mut self, text: &'h str, fragment: usize, mut each: impl FnMut(&Tag<'h>)) {
        let mut at = 0;
        loop {
            if let Some(raw) = &self.raw {
                match raw_text_end(text, at, raw.name) {
                    Some(end) => {
                        self.raw = None;
                        at = end;
                    }
                    None => return,
                }
            }
            let Some(tag) = next_tag(text, at) else {
                return;
            };
            at = tag.end;
            if tag.closing {
                each(&tag);
                if tag.nests() {
                    self.depth = self.depth.saturating_sub(1);
                }
                if let Some(i) = self.open.iter().rposition(|o| o.name == tag.name) {
                    self.open.truncate(i);
                }
                continue;
            }
            let cutting = self.last_end_tags.is_some();
            let too_big = if tag.attributes.len() > MAX_ATTRIBUTES {
                Some(Reason::TooManyAttributes)
            } else if tag.nests() && self.depth >= MAX_DEPTH {
                Some(Reason::TooDeep)
            } else {
                None
            };
            if let Some(reason) = too_big.filter(|_| cutting) {
                self.cuts.push(Cut {
                    fragment,
                    at: tag.start,
                    reason,
                });
                return;
            }
            let in_foreign = self
                .open
                .last()
                .is_some_and(|o| o.name == "svg" || o.name == "math");
            let opened = |names: &[&'static str]| {
                names.iter().find(|&&n| n == tag.name).map(|&name| Open {
                    fragment,
                    at: tag.start,
                    name,
                })
            };
            let raw = opened(RAW_TEXT).filter(|_| !in_foreign);
            // `<svg/>` is closed at once; `<select/>` is not (only foreign
            // elements may close themselves).
            let container =
                opened(CONTAINERS).filter(|c| !(tag.self_closing && c.name != "select"));
            if let Some(element) = raw.clone().or(container.clone())
                && !self.closes_later(&element, at)
            {
                self.cuts.push(element.never_closed());
                return;
            }
            each(&tag);
            if tag.nests() {
                self.depth += 1;
            }
            match raw {
                Some(raw) => self.raw = Some(raw),
                None => self.open.extend(container),
            }
        }
    }

    /// Whether `element`'s end tag comes after byte `at` of its fragment
    /// (always, unless looking for [`cuts`]).
    fn closes_later(&self, element: &Open, at: usize) -> bool {
        let Some(last) = &self.last_end_tags else {
            return true;
        };
        element.name != "plaintext"
            && last
                .get(element.name)
                .is_some_and(|&end| end >= (element.fragment, at))
    }
}

/// Where the end tag of the raw-text element `name` starts in `text`
/// from `from`: `</name` followed by a space, `/` or `>`, in any case.
fn raw_text_end(text: &str, from: usize, name: &str) -> Option<usize> {
    if name == "plaintext" {
        return None;
    }
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(&bytes[from..], b"</")
        .map(|i| from + i)
        .find(|&at| is_end_tag_at(bytes, at, name))
}

/// Whether `bytes` has the end tag of `name` at `at` (`</name` followed by
/// a space, `/` or `>`, in any case).
fn is_end_tag_at(bytes: &[u8], at: usize, name: &str) -> bool {
    let after = at + 2 + name.len();
    bytes
        .get(at + 2..after)
        .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        && bytes
            .get(after)
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Whitespace between attributes, for a browser.
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The next tag of `html` at or after `from`; comments, doctypes and
/// processing instructions are skipped. `None` at the end, or where a
/// tag or comment is left unfinished (the rest is then text).
fn next_tag(html: &str, from: usize) -> Option<Tag<'_>> {
    let b = html.as_bytes();
    let mut i = from;
    loop {
        i += memchr::memchr(b'<', b.get(i..)?)?;
        let start = i;
        if b[i + 1..].starts_with(b"!--") {
            let body = i + 4;
            // `<!-->` and `<!--->` are whole (empty) comments.
            if b[body..].starts_with(b">") {
                i = body + 1;
            } else if b[body..].starts_with(b"->") {
                i = body + 2;
            } else {
                i = body + memchr::memmem::find(&b[body..], b"-->")? + 3;
            }
            continue;
        }
        match b.get(i + 1) {
            Some(b'!' | b'?') => {
                i += memchr::memchr(b'>', &b[i..])? + 1;
                continue;
            }
            Some(b'/') if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => {}
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => {
                i += 1;
                continue;
            }
        }
        let closing = b[i + 1] == b'/';
        let name_start = if closing { i + 2 } else { i + 1 };
        let mut j = name_start;
        while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut self_closing = false;
        loop {
            while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
                self_closing = b[j] == b'/';
                j += 1;
            }
            match b.get(j) {
                None => return None,
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(_) => self_closing = false,
            }
            // A name runs to a space, `/`, `>` or `=`; its first
            // character may be `=`.
            let attr_start = j;
            j += 1;
            while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            let attr_name = html[attr_start..j].to_ascii_lowercase();
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            let mut value = "";
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && is_space(b[j]) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = j + 1 + memchr::memchr(q, &b[j + 1..])?;
                        value = &html[j + 1..end];
                        j = end + 1;
                    }
                    _ => {
                        let v = j;
                        while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                            j += 1;
                        }
                        value = &html[v..j];
                    }
                }
            }
            attributes.push((attr_name, value));
        }
        return Some(Tag {
            start,
            end: j,
            name,
            closing,
            self_closing,
            attributes,
        });
    }
}

/// Shows as text an HTML tag (or comment) that is still open at the end of
/// `html`, e.g. an HTML block of `<div` and, on the next line,
/// `onmouseover=alert(1)`. In the page the browser would finish the tag
/// with whatever comes next (found by fuzzing, when fragments were
/// cleaned one by one); now the whole article is parsed at once, and the
/// tag would swallow the Markdown after it instead.
pub fn escape_unfinished_tag(html: &str) -> Cow<'_, str> {
    match unfinished_tag_at(html) {
        Some(at) => Cow::Owned(escape_from(html, at)),
        None => Cow::Borrowed(html),
    }
}

/// `html` with everything from `at` on shown as text.
pub fn escape_from(html: &str, at: usize) -> String {
    format!("{}{}", &html[..at], crate::html::escape_html(&html[at..]))
}

/// Where a tag or comment starts that has no end in `html`. Quoted
/// attribute values (after `=`) may hold `>`.
fn unfinished_tag_at(html: &str) -> Option<usize> {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        if html[i..].starts_with("<!--") {
            match html[i + 4..].find("-->") {
                Some(e) => {
                    i += 4 + e + 3;
                    continue;
                }
                None => return Some(start),
            }
        }
        let opens_tag = b
            .get(i + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'));
        if !opens_tag {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut quote: Option<u8> = None;
        let mut after_equals = false;
        loop {
            let Some(&c) = b.get(j) else {
                return Some(start);
            };
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'>' => break,
                None if after_equals && (c == b'"' || c == b'\'') => quote = Some(c),
                None if c == b'=' => after_equals = true,
                None if c.is_ascii_whitespace() => {}
                None => after_equals = false,
            }
            j += 1;
        }
        i = j + 1;
    }
    None
}

/// True for URLs that run code: `javascript:`, `vbscript:`, and `data:` other
/// than an image in `img src`. Browsers ignore ASCII whitespace and control
/// characters inside the scheme, so those are dropped before comparing.
///
/// Links and images written in Markdown are checked with this alone (an
/// article without raw HTML is not parsed again); raw HTML also goes
/// through ammonia's list of schemes, [`URL_SCHEMES`].
pub fn dangerous_url(tag: &str, attribute: &str, url: &str) -> bool {
    let decoded = decode_references(url);
    let url = decoded.as_str();
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if !url.contains(':') {
        return false;
    }
    match scheme.as_str() {
        "javascript" | "vbscript" => true,
        "data" => {
            !(tag == "img"
                && attribute == "src"
                && url
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("data:image/"))
        }
        _ => false,
    }
}

/// Decodes the character references a browser would decode in an attribute
/// (`&#106;`, `&#x6A;`, with or without `;`, and `&colon;`, `&tab;`,
/// `&newline;`), so `&#x6A;avascript:` is seen as `javascript:`.
fn decode_references(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let named = [("&colon;", ':'), ("&tab;", '\t'), ("&newline;", '\n')]
            .iter()
            // `get`, not indexing: the bytes after `&` may split a character.
            .find(|(name, _)| {
                rest.get(..name.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(name))
            });
        if let Some((name, c)) = named {
            out.push(*c);
            rest = &rest[name.len()..];
            continue;
        }
        let (radix, digits_start) = if rest.starts_with("&#x") || rest.starts_with("&#X") {
            (16, 3)
        } else if rest.starts_with("&#") {
            (10, 2)
        } else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let digits: String = rest[digits_start..]
            .chars()
            .take_while(|c| c.is_digit(radix))
            .collect();
        match u32::from_str_radix(&digits, radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) if !digits.is_empty() => {
                out.push(c);
                let mut used = digits_start + digits.len();
                if rest[used..].starts_with(';') {
                    used += 1;
                }
                rest = &rest[used..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(html: &str) -> String {
        clean_article(html).html
    }

    #[test]
    fn the_parser_differentials_that_beat_tag_by_tag_cleaning_run_nothing() {
        // Found by a red team: a `<title>` (raw text) hides the end of an
        // attribute value, and `</p>` inside SVG leaves foreign content.
        for (dirty, removed) in [
            (
                "<p>x <title><a id=\"</title><img src=x onerror=alert(1)>\"> y</p>",
                vec!["<title>", "onerror="],
            ),
            (
                "<svg></p><title><a id=\"</title><img src=x onerror=alert(1)>\">",
                vec!["<svg>"],
            ),
            (
                "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
                vec!["<math>"],
            ),
            (
                "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
                vec!["<noscript>", "onerror="],
            ),
        ] {
            let c = clean_article(dirty);
            assert!(!c.html.contains("onerror"), "{dirty:?} -> {}", c.html);
            assert_eq!(c.removed, removed, "{dirty:?} -> {}", c.html);
        }
    }

    #[test]
    fn scripts_handlers_and_script_urls_go_however_they_are_spelt() {
        for (dirty, clean) in [
            ("<script>alert(1)</script><p>留下</p>", "<p>留下</p>"),
            ("<img src=x onerror=alert(1)>", "<img src=\"x\">"),
            ("<img src=x\x0conerror=alert(1)>", "<img src=\"x\">"),
            ("<img src=x\ronerror=alert(1)>", "<img src=\"x\">"),
            ("<a href=\"javascript:alert(1)\">点我</a>", "<a>点我</a>"),
            ("<a href=\" JaVa\tScRiPt:alert(1)\">点我</a>", "<a>点我</a>"),
            (
                "<a href=\"&#x6A;avascript:alert(1)\">点我</a>",
                "<a>点我</a>",
            ),
            (
                "<a href=\"java&#09;script&colon;alert(1)\">点我</a>",
                "<a>点我</a>",
            ),
            (
                "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">甲</a>",
                "<a>甲</a>",
            ),
            (
                "<a href=\"data:text/html,<script>alert(1)</script>\">点我</a>",
                "<a>点我</a>",
            ),
            ("<iframe src=\"https://evil.example\"></iframe>", ""),
            (
                "<div><style>body{display:none}</style>文字</div>",
                "<div>文字</div>",
            ),
            (
                "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>点我</text></a></svg>",
                "",
            ),
            (
                "<form action=\"https://evil.example/\"><input name=q>留言</form>",
                "",
            ),
            (
                "<base href=\"https://evil.example/\"><meta http-equiv=refresh content=0>",
                "",
            ),
            (
                "<button formaction=javascript:alert(1)>按钮</button>",
                "按钮",
            ),
        ] {
            assert_eq!(cleaned(dirty), clean, "{dirty:?}");
        }
    }

    #[test]
    fn what_editors_paste_is_kept() {
        for html in [
            "<span style=\"color:red\">红字</span>",
            "<details open=\"\"><summary>展开</summary>内容</details>",
            "<a href=\"https://www.court.gov.cn/\">最高法</a>",
            "<img src=\"data:image/png;base64,AAAA\" alt=\"\">",
            "<ruby>法<rp>(</rp><rt>fǎ</rt><rp>)</rp></ruby>",
            "<p>第<sup>1</sup>条，<mark>重点</mark>，<kbd>Ctrl</kbd>，<abbr title=\"中华人民共和国\">中国</abbr></p>",
            "<table border=\"1\"><tbody><tr><td colspan=\"2\" style=\"text-align:center\">合并</td></tr></tbody></table>",
            "<video src=\"/v.mp4\" controls=\"\" poster=\"/v.jpg\"></video>",
            "<p style=\"text-indent:2em;font-size:17px;line-height:1.75\">首行缩进</p>",
            "<font color=\"red\">旧式红字</font>",
        ] {
            let c = clean_article(html);
            assert_eq!((c.html.as_str(), c.removed), (html, vec![]));
        }
    }

    #[test]
    fn style_keeps_type_and_colour_but_nothing_that_loads_or_moves() {
        let c = clean_article(
            "<span style=\"color:red;background:url(https://t.example/p.gif);position:fixed;top:0;margin-top:-300px\">假热线</span>",
        );
        assert_eq!(c.html, "<span style=\"color:red\">假热线</span>");
        assert_eq!(
            c.removed,
            [
                "style=\"background:…\"",
                "style=\"position:…\"",
                "style=\"top:…\"",
                "style=\"margin-top:…\""
            ]
        );
    }

    #[test]
    fn elements_never_closed_are_cut_and_reading_goes_on_after_them() {
        let cut = |fragments: &[&str]| -> Vec<(usize, usize, Reason)> {
            cuts(fragments)
                .into_iter()
                .map(|c| (c.fragment, c.at, c.reason))
                .collect()
        };
        // Closed later, in another fragment: nothing to cut.
        assert_eq!(cut(&["<textarea>", "</textarea>"]), []);
        assert_eq!(cut(&["<svg><circle/>", "</SVG >"]), []);
        assert_eq!(cut(&["<svg/>"]), []);
        // Never closed.
        assert_eq!(
            cut(&["<p>甲</p> <textarea rows=3>", "<b>乙</b>"]),
            [(0, 11, Reason::NeverClosed("textarea"))]
        );
        assert_eq!(
            cut(&["<plaintext>", "</plaintext>"]),
            [(0, 0, Reason::NeverClosed("plaintext"))]
        );
        // Inside `<svg>`, `<style>` is not raw text; once the `<svg>` is cut,
        // the `<textarea>` after it is HTML again, and cut too.
        assert_eq!(
            cut(&["<svg><style>", "<textarea>"]),
            [
                (0, 0, Reason::NeverClosed("svg")),
                (1, 0, Reason::NeverClosed("textarea"))
            ]
        );
        // An end tag inside an attribute value or comment still counts for
        // a browser in raw text, where there are no attributes.
        assert_eq!(cut(&["<title>", "<a id=\"</title>\">"]), []);
        assert_eq!(cut(&["<!-- <textarea> -->"]), []);
    }

    #[test]
    fn nesting_and_attributes_past_the_limits_are_cut() {
        let deep = "<div>".repeat(MAX_DEPTH + 1);
        assert_eq!(
            cuts(&[&deep]),
            [Cut {
                fragment: 0,
                at: 5 * MAX_DEPTH,
                reason: Reason::TooDeep
            }]
        );
        // Elements whose end tag may be left out do not nest.
        assert_eq!(cuts(&[&"<p>甲<li>乙<td>".repeat(1000)]), []);
        let wide = format!("<b {}>", "a ".repeat(MAX_ATTRIBUTES + 1));
        assert_eq!(cuts(&["<i>", &wide])[0].reason, Reason::TooManyAttributes);
    }

    #[test]
    fn an_unfinished_tag_is_shown_as_text() {
        // Found by fuzzing: the browser would finish the tag with what
        // follows the block, keeping the handler.
        assert_eq!(
            escape_unfinished_tag("<div\nonmouseover=alert(1)\n"),
            "&lt;div\nonmouseover=alert(1)\n"
        );
        assert_eq!(
            escape_unfinished_tag("<p>留下</p>\r<form\r-\r"),
            "<p>留下</p>\r&lt;form\r-\r"
        );
        assert_eq!(escape_unfinished_tag("<!-- 没写完"), "&lt;!-- 没写完");
        assert_eq!(
            escape_unfinished_tag("<img alt=\"a>b\" src='x"),
            "&lt;img alt=&quot;a&gt;b&quot; src=&#39;x"
        );
        // Finished tags, comments, quoted `>` and a lone `<` are left alone.
        for fine in [
            "<div title=\"a>b\" data-x='c>d'>文字</div>",
            "<!-- 注释 --><p>a < b</p>",
            "<p>3 <4</p>",
            "<span class=it's>x</span>",
        ] {
            assert_eq!(escape_unfinished_tag(fine), fine);
        }
    }
}
