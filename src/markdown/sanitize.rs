//! Raw HTML in Markdown, made safe for readers (on by default; site.yaml
//! `markdown: { unsafe_html: true }` turns it off for sites that need embeds).
//!
//! Editors paste HTML from other sites; a `<script>` or an `onerror=` would
//! run in every reader's WeChat, in pages and in feed readers alike. Removed:
//! script-like elements with their content, `on*` event attributes, and
//! `javascript:`, `vbscript:` and `data:` URLs (except `data:image/…` in
//! `img src`). Everything else (tables, `<span style>`, `<details>`) stays.

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Elements removed with everything inside them.
const REMOVED: &str = "script, style, iframe, frame, frameset, object, embed, applet, form, base, meta, link, noscript, template";

/// URL attributes checked for dangerous schemes.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "srcset",
];

/// A fragment of HTML with the dangerous parts removed. Returns the input
/// (borrowed) when it has nothing that could be dangerous.
pub fn clean(html: &str) -> std::borrow::Cow<'_, str> {
    if !may_need_cleaning(html) {
        return std::borrow::Cow::Borrowed(html);
    }
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!(REMOVED, |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("*", |el| {
            let tag = el.tag_name();
            if animates_a_link(&tag, el.get_attribute("attributename").as_deref()) {
                el.remove();
                return Ok(());
            }
            let names: Vec<String> = el.attributes().iter().map(|a| a.name()).collect();
            for name in names {
                let value = el.get_attribute(&name).unwrap_or_default();
                if name.starts_with("on")
                    || (URL_ATTRIBUTES.contains(&name.as_str())
                        && dangerous_url(&tag, &name, &value))
                {
                    el.remove_attribute(&name);
                }
            }
            Ok(())
        }));
    let result = rewrite_str(html, settings);
    // If the rewriter gives up, escape the fragment: it shows as text, safely.
    std::borrow::Cow::Owned(result.unwrap_or_else(|_| super::escape_html(html)))
}

/// Whether the rewriter could have anything to do in `html`: a tag, and a
/// name it acts on (a removed element, an attribute starting with `on`, a
/// URL attribute). Tag and attribute names are never character references,
/// so text without any of them as a substring is safe as it is.
///
/// Deliberately coarse: an earlier version looked for `on` after a space,
/// tab or line feed and for `script` in the text, and so let through
/// `on…` after a carriage return or form feed (separators to a browser) and
/// `javascript:` written entirely as character references.
fn may_need_cleaning(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains('<')
        && (lower.contains("on")
            || URL_NAMES.iter().any(|n| lower.contains(n))
            || REMOVED.split(", ").any(|tag| lower.contains(tag))
            || ANIMATIONS
                .iter()
                .any(|tag| lower.contains(&format!("<{tag}"))))
}

/// SVG elements that set another attribute over time (`values`, `to`, …).
const ANIMATIONS: &[&str] = &["animate", "set"];

/// An SVG animation that sets a link (`<animate attributeName=href
/// values=javascript:…>` inside `<a>`): the URL is in `values`, `to`,
/// `from` or `by`, where the URL check does not look, and clicking runs it.
/// Such an animation has no use in an article; it is removed. `animate`
/// covers `animateMotion` and `animateTransform`; the target is compared
/// with character references decoded, as the browser reads it.
fn animates_a_link(tag: &str, attribute_name: Option<&str>) -> bool {
    let tag = tag.to_ascii_lowercase();
    ANIMATIONS.iter().any(|a| tag.starts_with(a))
        && attribute_name.is_some_and(|name| {
            decode_references(name)
                .trim()
                .to_ascii_lowercase()
                .ends_with("href")
        })
}

/// Substrings of every name in [`URL_ATTRIBUTES`] (`src` is in `srcset`,
/// `action` in `formaction`, `href` in `xlink:href`).
const URL_NAMES: &[&str] = &["href", "src", "action", "poster", "background"];

/// Shows as text an HTML tag (or comment) that is still open at the end of
/// `html`, e.g. an HTML block of `<div` and, on the next line,
/// `onmouseover=alert(1)`. The rewriter leaves an unfinished tag alone, but
/// in the page the browser finishes it with whatever comes next, attributes
/// and all: a way around [`clean`] (found by fuzzing).
pub fn escape_unfinished_tag(html: &str) -> std::borrow::Cow<'_, str> {
    match unfinished_tag_at(html) {
        Some(at) => std::borrow::Cow::Owned(format!(
            "{}{}",
            &html[..at],
            super::escape_html(&html[at..])
        )),
        None => std::borrow::Cow::Borrowed(html),
    }
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

/// The element name if `tag` opens one of the removed elements without
/// closing it in the same piece (`<script>` but not `<script>…</script>`).
pub fn opens_removed_element(tag: &str) -> Option<&'static str> {
    // Void elements (embed, base, meta, link, frame) have no content to drop.
    const WITH_CONTENT: &[&str] = &[
        "script", "style", "iframe", "object", "applet", "form", "noscript", "template", "frameset",
    ];
    let lower = tag.trim_start().to_ascii_lowercase();
    WITH_CONTENT.iter().copied().find(|name| {
        lower.starts_with(&format!("<{name}"))
            && lower[name.len() + 1..]
                .starts_with(|c: char| c == '>' || c.is_ascii_whitespace() || c == '/')
            && !lower.contains(&format!("</{name}"))
    })
}

/// True for URLs that run code: `javascript:`, `vbscript:`, and `data:` other
/// than an image in `img src`. Browsers ignore ASCII whitespace and control
/// characters inside the scheme, so those are dropped before comparing.
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

    #[test]
    fn handlers_and_urls_the_quick_check_once_missed_are_removed() {
        // A form feed or carriage return separates attributes for a browser
        // (the fuzzer's find was `<s\x0c…on…>`); a URL may be character
        // references from end to end.
        for (dirty, clean_html) in [
            ("<img src=x\x0conerror=alert(1)>", "<img src=x>"),
            ("<img src=x\ronerror=alert(1)>", "<img src=x>"),
            (
                "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">甲</a>",
                "<a>甲</a>",
            ),
        ] {
            assert_eq!(clean(dirty), clean_html, "{dirty:?}");
        }
        // SVG animations that set a link go whole, however the target is spelt.
        for dirty in [
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>点我</text></a></svg>",
            "<svg><a><set attributeName=\"xlink:href\" to=\"javascript:alert(1)\"/><text>点我</text></a></svg>",
            "<svg><a><animate attributeName=&#104;ref values=&#106;avascript:alert(1) /><text>点我</text></a></svg>",
        ] {
            let cleaned = clean(dirty);
            assert!(!cleaned.contains("alert"), "{dirty:?} -> {cleaned}");
            assert!(cleaned.contains("点我"), "{dirty:?} -> {cleaned}");
        }
        // Other animations stay.
        let fading =
            "<svg><rect><animate attributeName=opacity values=\"0;1\" dur=\"1s\"/></rect></svg>";
        assert!(clean(fading).contains("attributeName=opacity"));
        // Nothing to act on: returned as it is, without a rewrite.
        let plain = "<p>第一条 <b>为了</b>保障……</p>";
        assert!(matches!(clean(plain), std::borrow::Cow::Borrowed(_)));
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

    #[test]
    fn scripts_and_handlers_go() {
        assert_eq!(clean("<script>alert(1)</script><p>留下</p>"), "<p>留下</p>");
        assert_eq!(clean("<img src=x onerror=alert(1)>"), "<img src=x>");
        assert_eq!(
            clean("<a href=\"javascript:alert(1)\">点我</a>"),
            "<a>点我</a>"
        );
        assert_eq!(
            clean("<a href=\" JaVa\tScRiPt:alert(1)\">点我</a>"),
            "<a>点我</a>"
        );
        assert_eq!(clean("<iframe src=\"https://evil.example\"></iframe>"), "");
        assert_eq!(
            clean("<a href=\"&#x6A;avascript:alert(1)\">点我</a>"),
            "<a>点我</a>"
        );
        assert_eq!(
            clean("<a href=\"java&#09;script&colon;alert(1)\">点我</a>"),
            "<a>点我</a>"
        );
        assert_eq!(
            clean("<div><style>body{display:none}</style>文字</div>"),
            "<div>文字</div>"
        );
    }

    #[test]
    fn harmless_html_is_untouched() {
        for html in [
            "<span style=\"color:red\">红字</span>",
            "<details><summary>展开</summary>内容</details>",
            "<a href=\"https://www.court.gov.cn/\">最高法</a>",
            "<img src=\"data:image/png;base64,AAAA\" alt=\"\">",
        ] {
            assert_eq!(clean(html), html);
        }
    }
}
