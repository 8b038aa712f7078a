//! A small owned tree of an article body, built from lol_html's token stream.
//!
//! lol_html tokenizes like a browser (raw text in `<script>`, void elements,
//! attribute quoting) but builds no tree, so this module keeps the open
//! elements itself and applies the handful of implied-end-tag rules that
//! hand-typed HTML in a Markdown body needs (`<p>` closed by a block, `<li>`
//! by the next `<li>`, table rows and cells). Attribute values are stored
//! decoded; text is stored as it was written (still escaped), because it is
//! written back out as HTML.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use lol_html::{RewriteStrSettings, doc_text, element, end_tag, rewrite_str};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    /// Text as written in the source: entities are not decoded.
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Lower-case tag name; `#root` for the fragment itself.
    pub name: String,
    /// Lower-case names, decoded values, in source order.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
    }

    /// The decoded text a reader sees: images' alt text included, scripts,
    /// styles and other unrendered content left out.
    pub fn text(&self) -> String {
        let mut s = String::new();
        push_text(self, &mut s);
        s
    }
}

/// Elements whose content is not shown as text.
const UNRENDERED: &[&str] = &[
    "math", "noscript", "script", "select", "style", "svg", "template", "textarea", "title",
];

fn push_text(el: &Element, out: &mut String) {
    if UNRENDERED.contains(&el.name.as_str()) {
        return;
    }
    if el.name == "img" {
        out.push_str(el.attr("alt").unwrap_or(""));
    }
    for child in &el.children {
        match child {
            Node::Text(t) => out.push_str(&decode(t)),
            Node::Element(e) => push_text(e, out),
        }
    }
}

/// Deeper elements are kept as empty (their text goes to the parent): a
/// hand-typed body never nests this deep, and recursion stays bounded.
const MAX_DEPTH: usize = 64;

/// Parses an HTML fragment. `Err` only if lol_html gives up.
pub fn parse(html: &str) -> Result<Element, String> {
    let arena = Rc::new(RefCell::new(Arena::new()));
    let on_element = arena.clone();
    let on_text = arena.clone();
    let settings = RewriteStrSettings::new()
        .with_strict(false)
        .with_enable_esi_tags(false)
        .append_element_content_handler(element!("*", move |el| {
            let name = el.tag_name();
            let attrs = el
                .attributes()
                .iter()
                .map(|a| (a.name(), decode(&a.value()).into_owned()))
                .collect();
            let can_have_content = el.can_have_content();
            let opened = on_element.borrow_mut().open(name, attrs, !can_have_content);
            if let Some(id) = opened {
                let arena = on_element.clone();
                el.on_end_tag(end_tag!(move |_| {
                    arena.borrow_mut().close(id);
                    Ok(())
                }))?;
            }
            Ok(())
        }))
        .append_document_content_handler(doc_text!(move |t| {
            on_text.borrow_mut().text(t.as_str());
            Ok(())
        }));
    rewrite_str(html, settings).map_err(|e| e.to_string())?;
    let mut arena = arena.take();
    Ok(arena.build(0))
}

#[derive(Default)]
struct Arena {
    slots: Vec<Slot>,
    /// Open elements, the root first.
    stack: Vec<usize>,
}

#[derive(Default)]
struct Slot {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Child>,
}

enum Child {
    Element(usize),
    Text(String),
}

/// Elements whose start tag closes an open `<p>` (WHATWG "in body" rules).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dd",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];

/// Elements that end the search for an element to close implicitly.
const SCOPE: &[&str] = &[
    "applet", "button", "caption", "marquee", "object", "table", "td", "template", "th",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

impl Arena {
    fn new() -> Arena {
        Arena {
            slots: vec![Slot {
                name: "#root".to_string(),
                ..Slot::default()
            }],
            stack: vec![0],
        }
    }

    fn top(&self) -> usize {
        *self.stack.last().unwrap_or(&0)
    }

    /// Adds an element under the current one; returns its id if it was left
    /// open (it can have content and the tree is not too deep).
    fn open(&mut self, name: String, attrs: Vec<(String, String)>, void: bool) -> Option<usize> {
        self.implied_end(&name);
        let id = self.slots.len();
        let parent = self.top();
        self.slots[parent].children.push(Child::Element(id));
        self.slots.push(Slot {
            name,
            attrs,
            children: Vec::new(),
        });
        if void || self.stack.len() >= MAX_DEPTH {
            return None;
        }
        self.stack.push(id);
        Some(id)
    }

    /// Closes `id` and everything opened inside it, if it is still open.
    fn close(&mut self, id: usize) {
        match self.stack.iter().rposition(|&open| open == id) {
            Some(pos) if pos > 0 => self.stack.truncate(pos),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let top = self.top();
        let children = &mut self.slots[top].children;
        if let Some(Child::Text(last)) = children.last_mut() {
            last.push_str(text);
        } else {
            children.push(Child::Text(text.to_string()));
        }
    }

    fn implied_end(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close_in_scope(&["p"], SCOPE, &[]);
        }
        const TABLE: &[&str] = &["table", "template"];
        match name {
            "li" => self.close_in_scope(&["li"], SCOPE, &["ul", "ol", "menu"]),
            "dt" | "dd" => self.close_in_scope(&["dt", "dd"], SCOPE, &["dl"]),
            "tr" => self.close_in_scope(&["tr"], TABLE, &["thead", "tbody", "tfoot"]),
            "td" | "th" => self.close_in_scope(&["td", "th"], TABLE, &["tr"]),
            "thead" | "tbody" | "tfoot" => {
                self.close_in_scope(&["thead", "tbody", "tfoot"], TABLE, &[]);
            }
            _ if HEADINGS.contains(&name)
                && HEADINGS.contains(&self.slots[self.top()].name.as_str()) =>
            {
                self.stack.pop();
            }
            _ => {}
        }
    }

    /// Closes the nearest open element named in `targets`, unless a scope
    /// boundary (one of `scope` or `extra`) comes first.
    fn close_in_scope(&mut self, targets: &[&str], scope: &[&str], extra: &[&str]) {
        for pos in (1..self.stack.len()).rev() {
            let name = self.slots[self.stack[pos]].name.as_str();
            if targets.contains(&name) {
                self.stack.truncate(pos);
                return;
            }
            if scope.contains(&name) || extra.contains(&name) {
                return;
            }
        }
    }

    fn build(&mut self, id: usize) -> Element {
        let slot = std::mem::take(&mut self.slots[id]);
        let children = slot
            .children
            .into_iter()
            .map(|child| match child {
                Child::Element(id) => Node::Element(self.build(id)),
                Child::Text(t) => Node::Text(t),
            })
            .collect();
        Element {
            name: slot.name,
            attrs: slot.attrs,
            children,
        }
    }
}

/// Decodes character references: numeric ones and the named ones an editor
/// or pulldown-cmark writes. Unknown names are left as written.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `s` starts with `&`: the character and the reference's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s[1..].find(';').filter(|&e| e <= 32)? + 1;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        match char::from_u32(code) {
            Some('\0') | None => '\u{FFFD}',
            Some(c) => c,
        }
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{A0}',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "thinsp" => '\u{2009}',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "middot" => '·',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "laquo" => '«',
            "raquo" => '»',
            "times" => '×',
            "divide" => '÷',
            "yen" => '¥',
            "deg" => '°',
            "sect" => '§',
            "para" => '¶',
            "bull" => '•',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Escapes decoded text for element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a decoded value for a double-quoted attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(el: &Element) -> String {
        let mut s = String::new();
        for child in &el.children {
            match child {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) => {
                    s.push_str(&format!("<{}>", e.name));
                    s.push_str(&shape(e));
                    s.push_str(&format!("</{}>", e.name));
                }
            }
        }
        s
    }

    #[test]
    fn builds_the_tree_a_browser_would_for_sloppy_html() {
        let cases = [
            ("<p>a<p>b</p>", "<p>a</p><p>b</p>"),
            ("<ul><li>x<li>y</ul>z", "<ul><li>x</li><li>y</li></ul>z"),
            ("<p>a<div>b</div>c</p>", "<p>a</p><div>b</div>c"),
            ("<div><p>q</div>t</p>", "<div><p>q</p></div>t"),
            (
                "<table><tr><td>1<td>2<tr><td>3</table>",
                "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>",
            ),
            (
                "<script>a</p>b</script><br/>",
                "<script>a</p>b</script><br></br>",
            ),
            ("<h2>a<h3>b</h3>", "<h2>a</h2><h3>b</h3>"),
        ];
        for (input, want) in cases {
            assert_eq!(shape(&parse(input).unwrap()), want, "{input}");
        }
    }

    #[test]
    fn attributes_are_decoded_and_text_is_not() {
        let root = parse("<a href=\"/a?x=1&amp;y=&#x27;2&#39;\">a &amp; b</a>").unwrap();
        let Node::Element(a) = &root.children[0] else {
            panic!()
        };
        assert_eq!(a.attr("href"), Some("/a?x=1&y='2'"));
        assert_eq!(a.children, vec![Node::Text("a &amp; b".to_string())]);
        assert_eq!(a.text(), "a & b");
        let p = parse("<p>见<script>var a = '<b>';</script><img alt=\"图\">。</p>").unwrap();
        assert_eq!(p.text(), "见图。");
    }

    #[test]
    fn decodes_known_references_and_keeps_unknown_ones() {
        assert_eq!(
            decode("&lt;b&gt; &#20320;&#x597D; &nbsp;&foo; & &amp"),
            "<b> 你好 \u{a0}&foo; & &amp"
        );
    }

    #[test]
    fn very_deep_nesting_is_cut_off_without_losing_text() {
        let html = format!("{}deep{}", "<span>".repeat(500), "</span>".repeat(500));
        let root = parse(&html).unwrap();
        assert_eq!(root.text(), "deep");
    }
}
