//! The export proper: one walk over the body tree that writes the styled
//! fragment, numbers external links and footnotes, and collects lints.
//!
//! Nothing from the input is copied through unchecked: every element written
//! is one of a fixed vocabulary with a style from [`Styles`], attributes are
//! rebuilt (no `class`, `id`, `loading`, event handlers), `div`s become
//! `section`s and no `\n` is written anywhere (WECHAT.md §4.1, §4.3).

use std::collections::{HashMap, HashSet};

use super::dom::{Element, Node, escape_attr, escape_text};
use super::style::{self, Styles};
use super::{Lint, LintLevel};

/// The footer heading for external links (doocs' zh-CN `footnoteTitle`).
pub const REFERENCES_TITLE: &str = "引用链接";
/// The footer heading for the article's own footnotes.
pub const NOTES_TITLE: &str = "注释";

const ASCII_SPACE: &[char] = &[' ', '\t', '\n', '\r'];

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
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

/// Removed with an error: the editor strips them, and an article that
/// needs them does not survive the paste (WECHAT.md §7 L13).
const FORBIDDEN: &[&str] = &[
    "applet", "audio", "base", "button", "canvas", "embed", "form", "frame", "frameset", "iframe",
    "input", "link", "meta", "noscript", "object", "script", "select", "source", "style",
    "template", "textarea", "track", "video",
];

/// Removed too: inline SVG/MathML (with a warning: it loses its ids,
/// classes and defs in the editor, WECHAT.md §4.4; a PNG is the safe form),
/// image maps and stray titles (silently).
const DROPPED: &[&str] = &["svg", "math", "map", "title"];

pub struct Converted {
    pub fragment: String,
    pub references: Vec<(usize, String, String)>,
    pub lints: Vec<Lint>,
}

pub struct Converter<'t> {
    st: &'t Styles,
    /// `https://host/base/`, scheme and host lower-case.
    base_url: String,
    /// `https://host` (no trailing slash).
    origin: String,
    out: String,
    lints: Vec<Lint>,
    linted: HashSet<String>,
    references: Vec<(usize, String, String)>,
    reference_numbers: HashMap<String, usize>,
    /// Footnote definitions by name, in document order.
    note_defs: Vec<(String, &'t Element)>,
    /// Footnote names in the order of their numbers.
    note_order: Vec<String>,
    list_depth: usize,
    /// The level of the last heading written; 1 stands for the title.
    last_heading: u8,
    /// The tag of the footers' headings (注释, 引用链接), once chosen.
    footer_tag: Option<&'static str>,
    in_heading: bool,
    in_pre: bool,
}

enum Kind {
    Inline,
    Block,
    /// Removed elements and footnote labels: written nowhere, and they do
    /// not split a run of inline content.
    Skip,
}

/// The one block (`section` in a list item, `p` in a footnote) that holds
/// an item's marker and inline content.
struct Group<'s> {
    tag: &'s str,
    style: &'s str,
    marker: &'s str,
    open: bool,
    has_content: bool,
    marker_written: bool,
}

enum Target {
    /// The text stays, the link goes (in-page anchors, empty hrefs).
    Unlink,
    Tel(String),
    Mail(String),
    /// Stays a link: mp.weixin.qq.com articles and the site itself.
    Keep(String),
    /// Becomes text plus a numbered reference.
    Cite(String),
}

impl<'t> Converter<'t> {
    pub fn new(base_url: &str, st: &'t Styles) -> Converter<'t> {
        let mut base_url = normalize_scheme_host(base_url.trim());
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let origin = match split_url(&base_url) {
            Some((scheme_host, _)) => scheme_host.to_string(),
            None => String::new(),
        };
        Converter {
            st,
            base_url,
            origin,
            out: String::new(),
            lints: Vec::new(),
            linted: HashSet::new(),
            references: Vec::new(),
            reference_numbers: HashMap::new(),
            note_defs: Vec::new(),
            note_order: Vec::new(),
            list_depth: 0,
            last_heading: 1,
            footer_tag: None,
            in_heading: false,
            in_pre: false,
        }
    }

    pub fn run(mut self, root: &'t Element) -> Converted {
        self.collect_notes(root);
        let st = self.st;
        let spacer = format!("<p style=\"{}\">&nbsp;</p>", st.spacer);
        self.out.push_str(&spacer);
        self.open("section", &st.wrapper);
        self.blocks(&root.children, Some(&st.p), true);
        self.notes();
        self.reference_list();
        self.out.push_str("</section>");
        self.out.push_str(&spacer);
        debug_assert!(!self.out.contains('\n'));
        Converted {
            fragment: self.out,
            references: self.references,
            lints: self.lints,
        }
    }

    // ----------------------------------------------------------------------
    // Lints and output helpers

    fn lint(&mut self, level: LintLevel, code: &'static str, key: &str, message: String) {
        if self.linted.insert(format!("{code}\u{0}{key}")) {
            self.lints.push(Lint {
                level,
                code,
                message,
            });
        }
    }

    fn open(&mut self, tag: &str, style: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(" style=\"");
        self.out.push_str(style);
        self.out.push_str("\">");
    }

    fn close(&mut self, tag: &str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// Writes text as written in the source: line breaks become a space (or
    /// nothing between two CJK characters, as pufa's Markdown stage does),
    /// or `<br>` and `&nbsp;`s in code blocks.
    fn text(&mut self, raw: &str) {
        if self.in_pre {
            for c in raw.chars() {
                match c {
                    '\n' => self.out.push_str("<br>"),
                    '\r' => {}
                    ' ' => self.out.push_str("&nbsp;"),
                    '\t' => self.out.push_str("&nbsp;&nbsp;&nbsp;&nbsp;"),
                    '<' => self.out.push_str("&lt;"),
                    '>' => self.out.push_str("&gt;"),
                    c => self.out.push(c),
                }
            }
            return;
        }
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' | '\r' => {
                    while chars.peek().is_some_and(|c| matches!(c, '\n' | '\r')) {
                        chars.next();
                    }
                    let before = self.out.chars().next_back();
                    let after = chars.peek().copied();
                    let vanishes = match (before, after) {
                        (Some(b), Some(a)) => {
                            (is_cjk(b) && is_cjk(a)) || b.is_whitespace() || a.is_whitespace()
                        }
                        (Some(b), None) => b.is_whitespace(),
                        _ => false,
                    };
                    if !vanishes {
                        self.out.push(' ');
                    }
                }
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                c => self.out.push(c),
            }
        }
    }

    // ----------------------------------------------------------------------
    // Block content

    fn kind(node: &Node) -> Kind {
        match node {
            Node::Text(_) => Kind::Inline,
            Node::Element(el) => Self::element_kind(el),
        }
    }

    fn element_kind(el: &Element) -> Kind {
        let name = el.name.as_str();
        if FORBIDDEN.contains(&name)
            || DROPPED.contains(&name)
            || (name == "div" && el.has_class("footnote-definition"))
            || (name == "sup" && el.has_class("footnote-definition-label"))
        {
            Kind::Skip
        } else if BLOCKS.contains(&name) {
            Kind::Block
        } else {
            Kind::Inline
        }
    }

    /// Block content: runs of inline content are wrapped in a paragraph
    /// styled `para` (or written bare when `None`, e.g. in table cells).
    fn blocks(&mut self, nodes: &'t [Node], para: Option<&'t str>, root: bool) {
        let first = if root { first_significant(nodes) } else { None };
        let mut run: Vec<&'t Node> = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            match Self::kind(node) {
                Kind::Inline => run.push(node),
                Kind::Skip => self.skip(node),
                Kind::Block => {
                    self.flush_run(&mut run, para);
                    if let Node::Element(el) = node {
                        self.block(el, para, first == Some(i));
                    }
                }
            }
        }
        self.flush_run(&mut run, para);
    }

    fn flush_run(&mut self, run: &mut Vec<&'t Node>, para: Option<&str>) {
        let nodes = trim_run(run).to_vec();
        if !nodes.is_empty() {
            if let Some(style) = para {
                self.open("p", style);
            }
            self.inline_run(&nodes);
            if para.is_some() {
                self.close("p");
            }
        }
        run.clear();
    }

    fn skip(&mut self, node: &Node) {
        if let Node::Element(el) = node {
            self.skip_element(el);
        }
    }

    fn skip_element(&mut self, el: &Element) {
        let name = el.name.as_str();
        if FORBIDDEN.contains(&name) {
            self.lint(
                LintLevel::Error,
                "L13",
                name,
                format!(
                    "raw `<{name}>` in the body: the 公众号 editor strips it, so it is left out of the export; remove it from the Markdown or replace it with text or an image"
                ),
            );
        } else if name == "svg" || name == "math" {
            self.lint(
                LintLevel::Warning,
                "L13",
                name,
                format!(
                    "inline `<{name}>` is left out of the export (the editor drops its ids, classes and defs); use a PNG image instead"
                ),
            );
        }
    }

    fn block(&mut self, el: &'t Element, para: Option<&'t str>, first: bool) {
        let st = self.st;
        let para_style = para.unwrap_or(&st.p);
        match el.name.as_str() {
            "p" => {
                if el.children.iter().all(is_blank) {
                    return;
                }
                let style = with_align(para_style, el);
                self.open("p", &style);
                self.inline_block_content(&el.children);
                self.close("p");
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading(el, first),
            "blockquote" => {
                self.open("blockquote", &st.blockquote);
                self.blocks(&el.children, Some(&st.blockquote_p), false);
                self.close("blockquote");
            }
            "ul" | "ol" | "menu" | "dir" => self.list(el),
            "li" => {
                // A list item outside a list: shown as a one-item list.
                let bullet = self.bullet();
                self.open("ul", &st.list);
                self.item(&el.children, &bullet);
                self.close("ul");
            }
            "pre" | "xmp" | "listing" => self.pre(el),
            "table" => self.table(el),
            "div" if el.has_class("table-wrap") => self.blocks(&el.children, para, false),
            "hr" => {
                self.out.push_str(&format!("<hr style=\"{}\">", self.st.hr));
            }
            "figure" => {
                self.open("section", &st.figure);
                self.blocks(&el.children, None, false);
                self.close("section");
            }
            "figcaption" | "caption" => {
                self.open("p", &st.figcaption);
                self.inline_block_content(&el.children);
                self.close("p");
            }
            "dt" | "summary" => {
                self.open("p", &st.dt);
                self.inline_block_content(&el.children);
                self.close("p");
            }
            "dd" => {
                self.open("section", &st.dd);
                self.blocks(&el.children, None, false);
                self.close("section");
            }
            _ => {
                // div, section, article, aside, dl, details, center, …
                let style = with_align(&st.section, el);
                self.open("section", &style);
                self.blocks(&el.children, para, false);
                self.close("section");
            }
        }
    }

    fn heading(&mut self, el: &'t Element, first: bool) {
        let st = self.st;
        let level = el.name.as_bytes()[1] - b'0';
        if level == 1 {
            let text = snippet(&el.text());
            if first {
                self.lint(
                    LintLevel::Warning,
                    "L28",
                    "h1",
                    format!(
                        "the body starts with an <h1> (“{text}”); WeChat shows the title in its own field, so it is left out of the export (delete it from the Markdown)"
                    ),
                );
                return;
            }
            self.lint(
                LintLevel::Warning,
                "L28",
                "h1",
                format!(
                    "the body has an <h1> (“{text}”); WeChat has its own title field, so it is exported as a second-level heading (use `##` in the Markdown)"
                ),
            );
        }
        let style = match level {
            1 | 2 => &st.h2,
            3 => &st.h3,
            4 => &st.h4,
            5 => &st.h5,
            _ => &st.h6,
        };
        let style = with_align(style, el);
        let tag = self.heading_tag(level.max(2));
        self.open(tag, &style);
        self.in_heading = true;
        self.inline_block_content(&el.children);
        self.in_heading = false;
        self.close(tag);
    }

    /// The tag for a heading of `level`, never more than one level below
    /// the previous heading (the title counting as level 1), so the outline
    /// has no gaps; the style still follows `level`.
    fn heading_tag(&mut self, level: u8) -> &'static str {
        let level = level.min(self.last_heading + 1);
        self.last_heading = level;
        ["h2", "h2", "h2", "h3", "h4", "h5", "h6"][usize::from(level.min(6))]
    }

    fn footer_heading(&mut self, title: &str) {
        let st = self.st;
        let tag = match self.footer_tag {
            Some(tag) => tag,
            None => {
                let tag = self.heading_tag(4);
                self.footer_tag = Some(tag);
                tag
            }
        };
        self.open(tag, &st.notes_heading);
        self.out.push_str(title);
        self.close(tag);
    }

    fn bullet(&self) -> String {
        match self.list_depth {
            0 | 1 => "• ",
            2 => "◦ ",
            _ => "▪ ",
        }
        .to_string()
    }

    /// Lists with literal markers: the editor re-renders `ul`/`ol` and their
    /// native markers (WECHAT.md §4.3), so each `li` is `display:block` and
    /// starts with `• `, `◦ ` or its number.
    fn list(&mut self, el: &'t Element) {
        let st = self.st;
        let ordered = el.name == "ol";
        self.list_depth += 1;
        let depth = self.list_depth;
        let items: Vec<&Element> = el
            .children
            .iter()
            .filter_map(|n| match n {
                Node::Element(e) if e.name == "li" => Some(e),
                _ => None,
            })
            .collect();
        let first_item = items
            .first()
            .map(|li| snippet(&li.text()))
            .unwrap_or_default();
        if depth == 3 {
            self.lint(
                LintLevel::Error,
                "L11",
                &format!("depth {first_item}"),
                format!(
                    "a list is nested {depth} levels deep (at “{first_item}”); the 公众号 editor keeps at most 2 levels: flatten it or turn the innermost items into sentences"
                ),
            );
        }
        if ordered && items.len() >= 100 {
            self.lint(
                LintLevel::Warning,
                "L11",
                &format!("long {first_item}"),
                format!(
                    "an ordered list has {} items (from “{first_item}”); three-digit numbers get cut off in the editor: split it",
                    items.len()
                ),
            );
        }
        let tag = if ordered { "ol" } else { "ul" };
        self.open(tag, &st.list);
        let mut number: i64 = el
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        for node in &el.children {
            match node {
                Node::Element(li) if li.name == "li" => {
                    let marker = if ordered {
                        format!("{number}. ")
                    } else {
                        self.bullet()
                    };
                    number = number.saturating_add(1);
                    self.item(&li.children, &marker);
                }
                n if is_blank(n) => {}
                n => {
                    if let Kind::Skip = Self::kind(n) {
                        self.skip(n);
                    } else {
                        self.item(std::slice::from_ref(n), "");
                    }
                }
            }
        }
        self.close(tag);
        self.list_depth -= 1;
    }

    fn item(&mut self, nodes: &'t [Node], marker: &str) {
        let st = self.st;
        self.open("li", &st.li);
        self.marked(nodes, &escape_text(marker), "section", &st.li_body, true);
        self.close("li");
    }

    /// The content of a list item or footnote: its inline content and
    /// paragraphs in one `tag` (paragraphs joined by `<br>`), starting with
    /// `marker`; nested lists and other blocks follow it.
    fn marked(&mut self, nodes: &'t [Node], marker: &str, tag: &str, style: &str, in_list: bool) {
        let mut group = Group {
            tag,
            style,
            marker,
            open: false,
            has_content: false,
            marker_written: false,
        };
        let mut run: Vec<&'t Node> = Vec::new();
        for node in nodes {
            match (Self::kind(node), node) {
                (Kind::Inline, _) => run.push(node),
                (Kind::Skip, _) => self.skip(node),
                (Kind::Block, Node::Element(el)) if el.name == "p" => {
                    self.group_flush(&mut group, &mut run);
                    if !el.children.iter().all(is_blank) {
                        self.group_begin(&mut group);
                        self.inline_block_content(&el.children);
                        group.has_content = true;
                    }
                }
                (Kind::Block, Node::Element(el)) => {
                    self.group_flush(&mut group, &mut run);
                    if !group.marker_written {
                        // The marker goes first even if the item starts with a block.
                        self.group_begin(&mut group);
                    }
                    self.group_close(&mut group);
                    let nested = matches!(el.name.as_str(), "ul" | "ol" | "menu" | "dir");
                    if in_list && !nested {
                        let text = snippet(&el.text());
                        self.lint(
                            LintLevel::Warning,
                            "L11",
                            &format!("block {text}"),
                            format!(
                                "a list item contains a <{}> (“{text}”); the editor re-wraps list items and may break it: move it out of the list",
                                el.name
                            ),
                        );
                    }
                    self.block(el, None, false);
                }
                (Kind::Block, Node::Text(_)) => {}
            }
        }
        self.group_flush(&mut group, &mut run);
        if !group.marker_written {
            self.group_begin(&mut group);
        }
        self.group_close(&mut group);
    }

    /// Opens the group (with the marker the first time), or separates a new
    /// paragraph from the content already in it.
    fn group_begin(&mut self, g: &mut Group<'_>) {
        if !g.open {
            self.open(g.tag, g.style);
            if !g.marker_written {
                self.out.push_str(g.marker);
                g.marker_written = true;
            }
            g.open = true;
            g.has_content = false;
        } else if g.has_content {
            self.out.push_str("<br>");
        }
    }

    fn group_flush(&mut self, g: &mut Group<'_>, run: &mut Vec<&'t Node>) {
        let nodes = trim_run(run).to_vec();
        if !nodes.is_empty() {
            self.group_begin(g);
            self.inline_run(&nodes);
            g.has_content = true;
        }
        run.clear();
    }

    fn group_close(&mut self, g: &mut Group<'_>) {
        if g.open {
            self.close(g.tag);
            g.open = false;
        }
    }

    fn pre(&mut self, el: &'t Element) {
        let st = self.st;
        // `<pre><code>…</code></pre>`: the code element's content.
        let children = match significant(&el.children).as_slice() {
            [Node::Element(code)] if code.name == "code" => &code.children,
            _ => &el.children,
        };
        self.open("pre", &st.pre);
        self.open("code", &st.pre_code);
        let start = self.out.len();
        self.in_pre = true;
        self.inline_children(children);
        self.in_pre = false;
        // The code block's last line break would show as an empty line.
        if self.out[start..].ends_with("<br>") {
            self.out.truncate(self.out.len() - "<br>".len());
        }
        self.close("code");
        self.close("pre");
    }

    fn table(&mut self, el: &'t Element) {
        let st = self.st;
        let columns = table_columns(el);
        if columns > 4 {
            let text = snippet(&el.text());
            self.lint(
                LintLevel::Warning,
                "L12",
                &format!("table {text}"),
                format!(
                    "a table has {columns} columns (“{text}”); on a phone more than 4 are hard to read: split it or turn it into a list"
                ),
            );
        }
        self.open("section", &st.table_wrap);
        self.open("table", &st.table);
        self.table_part(el);
        self.close("table");
        self.close("section");
    }

    fn table_part(&mut self, el: &'t Element) {
        let st = self.st;
        for node in &el.children {
            let Node::Element(child) = node else { continue };
            match child.name.as_str() {
                "caption" => {
                    self.open("caption", &st.caption);
                    self.inline_children(&child.children);
                    self.close("caption");
                }
                tag @ ("thead" | "tbody" | "tfoot" | "tr") => {
                    self.out.push('<');
                    self.out.push_str(tag);
                    self.out.push('>');
                    self.table_part(child);
                    self.close(tag);
                }
                tag @ ("th" | "td") => {
                    let base = if tag == "th" { &st.th } else { &st.td };
                    let style = with_align(base, child);
                    self.out.push('<');
                    self.out.push_str(tag);
                    for span in ["colspan", "rowspan"] {
                        if let Some(n) = child.attr(span).and_then(|v| v.trim().parse::<u16>().ok())
                        {
                            self.out.push_str(&format!(" {span}=\"{n}\""));
                        }
                    }
                    self.out.push_str(&format!(" style=\"{style}\">"));
                    self.blocks(&child.children, None, false);
                    self.close(tag);
                }
                _ => {
                    if let Kind::Skip = Self::kind(node) {
                        self.skip(node);
                    }
                }
            }
        }
    }

    // ----------------------------------------------------------------------
    // Inline content

    fn inline_children(&mut self, nodes: &'t [Node]) {
        for node in nodes {
            self.inline_node(node);
        }
    }

    /// The content of a block: like [`Self::inline_children`], without the
    /// line breaks and spaces at its start and end (`乙\n<ul>` in a loose
    /// list item, hand-written `<p>\n…\n</p>`).
    fn inline_run(&mut self, nodes: &[&'t Node]) {
        let last = nodes.len().saturating_sub(1);
        for (i, node) in nodes.iter().enumerate() {
            match node {
                Node::Text(t) if !self.in_pre => {
                    let mut t = t.as_str();
                    if i == 0 {
                        t = t.trim_start_matches(ASCII_SPACE);
                    }
                    if i == last {
                        t = t.trim_end_matches(ASCII_SPACE);
                    }
                    self.text(t);
                }
                _ => self.inline_node(node),
            }
        }
    }

    fn inline_block_content(&mut self, nodes: &'t [Node]) {
        let nodes: Vec<&'t Node> = nodes.iter().collect();
        self.inline_run(trim_run(&nodes));
    }

    fn inline_node(&mut self, node: &'t Node) {
        match node {
            Node::Text(t) => self.text(t),
            Node::Element(el) => self.inline(el),
        }
    }

    fn wrap(&mut self, tag: &str, style: &str, el: &'t Element) {
        self.open(tag, style);
        self.inline_children(&el.children);
        self.close(tag);
    }

    fn inline(&mut self, el: &'t Element) {
        let st = self.st;
        match Self::element_kind(el) {
            Kind::Skip => {
                self.skip_element(el);
                return;
            }
            Kind::Block => {
                self.block(el, None, false);
                return;
            }
            Kind::Inline => {}
        }
        if self.in_pre && el.name != "br" && el.name != "img" {
            // Highlighting spans and the like: their text, unstyled.
            self.inline_children(&el.children);
            return;
        }
        match el.name.as_str() {
            "a" => self.link(el),
            "strong" | "b" => {
                let style = if self.in_heading {
                    &st.strong_in_heading
                } else {
                    &st.strong
                };
                self.wrap("strong", style, el);
            }
            "em" | "i" | "cite" | "dfn" | "var" => self.wrap("em", &st.em, el),
            "del" | "s" | "strike" => self.wrap("del", &st.del, el),
            "u" | "ins" => self.wrap("span", &st.underline, el),
            "mark" => self.wrap("span", &st.mark, el),
            "small" => self.wrap("span", &st.small, el),
            "code" | "kbd" | "samp" | "tt" => {
                let style = if self.in_heading {
                    &st.code_in_heading
                } else {
                    &st.code
                };
                self.wrap("code", style, el);
            }
            "sup" if el.has_class("footnote-reference") => self.note_reference(el),
            "sup" => self.wrap("sup", &st.sup, el),
            "sub" => self.wrap("sub", &st.sup, el),
            "br" => self.out.push_str("<br>"),
            "img" => self.image(el),
            "q" => {
                self.out.push('“');
                self.inline_children(&el.children);
                self.out.push('”');
            }
            "ruby" | "rt" | "rp" => {
                let tag = el.name.as_str();
                self.out.push_str(&format!("<{tag}>"));
                self.inline_children(&el.children);
                self.close(tag);
            }
            "span" | "font" => match self.kept_style(el) {
                Some(style) => self.wrap("span", &style, el),
                None => self.inline_children(&el.children),
            },
            // abbr, time, label, unknown elements: their content only.
            _ => self.inline_children(&el.children),
        }
    }

    /// The harmless part of a hand-written `style` (colours, weight,
    /// decoration) on a `<span>` or `<font color>`; black becomes body grey.
    fn kept_style(&mut self, el: &Element) -> Option<String> {
        let mut kept = Vec::new();
        let mut declarations: Vec<(String, String)> = el
            .attr("style")
            .unwrap_or("")
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(p, v)| (p.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        if let Some(color) = el.attr("color").filter(|_| el.name == "font") {
            declarations.push(("color".to_string(), color.trim().to_string()));
        }
        for (property, value) in declarations {
            let value_ok = match property.as_str() {
                "color" | "background-color" | "background" => style::safe_color(&value),
                "font-weight" | "font-style" | "text-decoration" => value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-'),
                _ => false,
            };
            if !value_ok {
                continue;
            }
            if property == "color" && style::is_black(&value) {
                self.lint(
                    LintLevel::Warning,
                    "L15",
                    "black",
                    format!(
                        "text coloured `{value}`: the editor drops pure black, so it is exported as {}",
                        style::TEXT
                    ),
                );
                kept.push(format!("color:{}", style::TEXT));
                continue;
            }
            kept.push(format!("{property}:{value}"));
        }
        (!kept.is_empty()).then(|| kept.join(";"))
    }

    fn note_reference(&mut self, sup: &'t Element) {
        let name = sup
            .children
            .iter()
            .find_map(|n| match n {
                Node::Element(a) if a.name == "a" => a.attr("href"),
                _ => None,
            })
            .map(|href| href.trim_start_matches('#').to_string())
            .unwrap_or_else(|| sup.text());
        let number = match self.note_order.iter().position(|n| *n == name) {
            Some(i) => i + 1,
            None => {
                self.note_order.push(name);
                self.note_order.len()
            }
        };
        self.open("sup", self.mark_style());
        self.out.push_str(&format!("[注{number}]"));
        self.close("sup");
    }

    /// `[1]`/`[注1]` marks: in the primary colour, except in headings,
    /// whose background may be that colour.
    fn mark_style(&self) -> &'t str {
        if self.in_heading {
            &self.st.sup
        } else {
            &self.st.mark_ref
        }
    }

    fn link(&mut self, el: &'t Element) {
        let st = self.st;
        let href = el.attr("href").unwrap_or("").trim();
        let text = collapse_whitespace(&el.text());
        let target = self.target(href);
        let bare_url = match &target {
            Target::Keep(url) | Target::Cite(url) => {
                same_as_url(&text, href, url).then(|| url.clone())
            }
            _ => None,
        };
        if let Some(url) = bare_url {
            self.lint(
                LintLevel::Warning,
                "L10",
                &format!("bare {url}"),
                format!(
                    "a link's text is its own address ({url}); write what the page is, e.g. [《民法典》全文](…)"
                ),
            );
        }
        match target {
            Target::Unlink => self.inline_children(&el.children),
            Target::Tel(number) | Target::Mail(number) => {
                self.inline_children(&el.children);
                if !number.is_empty() && !text.contains(&number) {
                    self.out.push_str(&format!("（{}）", escape_text(&number)));
                }
            }
            Target::Keep(url) => {
                let style = if self.in_heading {
                    &st.link_in_heading
                } else {
                    &st.link
                };
                self.out.push_str(&format!(
                    "<a href=\"{}\" style=\"{style}\">",
                    escape_attr(&url)
                ));
                self.inline_children(&el.children);
                self.close("a");
            }
            Target::Cite(url) => {
                let bare = text.is_empty() || same_as_url(&text, href, &url);
                let number = self.cite(&url, if bare { &url } else { &text });
                if bare {
                    self.open("span", &st.url);
                    self.inline_children(&el.children);
                    self.close("span");
                } else {
                    self.inline_children(&el.children);
                }
                self.open("sup", self.mark_style());
                self.out.push_str(&format!("[{number}]"));
                self.close("sup");
            }
        }
    }

    /// The number of an external link, by first appearance, one per URL.
    fn cite(&mut self, url: &str, text: &str) -> usize {
        if let Some(&n) = self.reference_numbers.get(url) {
            return n;
        }
        let n = self.references.len() + 1;
        self.reference_numbers.insert(url.to_string(), n);
        self.references.push((n, url.to_string(), text.to_string()));
        n
    }

    fn target(&mut self, href: &str) -> Target {
        let lower = href.to_ascii_lowercase();
        if href.is_empty() || href.starts_with('#') {
            return Target::Unlink;
        }
        if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
            self.lint(
                LintLevel::Error,
                "L13",
                "javascript:",
                "a `javascript:` link in the body: scripts do not survive the editor; it is exported as plain text".to_string(),
            );
            return Target::Unlink;
        }
        if let Some(number) = strip_prefix_ignore_case(href, "tel:") {
            return Target::Tel(percent_decode(number).trim().to_string());
        }
        if let Some(address) = strip_prefix_ignore_case(href, "mailto:") {
            let address = address.split('?').next().unwrap_or("");
            return Target::Mail(percent_decode(address).trim().to_string());
        }
        let absolute = if let Some(rest) = href.strip_prefix("//") {
            format!("https://{rest}")
        } else if href.starts_with('/') {
            format!("{}{href}", self.origin)
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            normalize_scheme_host(href)
        } else if has_scheme(href) {
            // ftp:, weixin:, …: not a link the editor keeps; cite it as written.
            return Target::Cite(href.to_string());
        } else {
            let resolved = format!("{}{href}", self.base_url);
            self.lint(
                LintLevel::Warning,
                "L10",
                &format!("relative {href}"),
                format!(
                    "the relative link `{href}` is exported as {resolved}; write it as a path from the site root (`/…`) or link the Markdown file"
                ),
            );
            resolved
        };
        if absolute.starts_with("http://") {
            self.lint(
                LintLevel::Warning,
                "L10",
                &format!("http {absolute}"),
                format!(
                    "the link {absolute} is not https; use the https address if the site has one"
                ),
            );
        }
        let host = split_url(&absolute)
            .map(|(scheme_host, _)| scheme_host.split_once("://").map_or("", |(_, h)| h))
            .unwrap_or("");
        if host == "mp.weixin.qq.com" {
            let https = match absolute.strip_prefix("http://") {
                Some(rest) => format!("https://{rest}"),
                None => absolute,
            };
            return Target::Keep(https);
        }
        if let Some(site) = self.on_site(&absolute) {
            return Target::Keep(site);
        }
        Target::Cite(absolute)
    }

    /// `url` on the site's own host and under its base path, rewritten to
    /// the base URL's scheme.
    fn on_site(&self, url: &str) -> Option<String> {
        let (site_scheme_host, site_path) = split_url(&self.base_url)?;
        let (scheme_host, path) = split_url(url)?;
        let host = |sh: &str| sh.split_once("://").map(|(_, h)| h.to_string());
        if host(scheme_host)? != host(site_scheme_host)? {
            return None;
        }
        let path = if path.is_empty() { "/" } else { path };
        let under = path.starts_with(site_path) || format!("{path}/") == site_path;
        under.then(|| format!("{site_scheme_host}{path}"))
    }

    fn image(&mut self, el: &'t Element) {
        let st = self.st;
        let src = el.attr("src").unwrap_or("").trim();
        let alt = el.attr("alt").unwrap_or("");
        let lower = src.to_ascii_lowercase();
        let shown = snippet(src);
        if lower.starts_with("data:") {
            self.lint(
                LintLevel::Error,
                "L08",
                &format!("data {}", snippet(alt)),
                format!(
                    "an image is embedded as a `data:` URI (alt “{}”); the editor cannot take it, so it is left out: save it as a PNG or JPEG file next to the article",
                    snippet(alt)
                ),
            );
            return;
        }
        let absolute = if let Some(rest) = src.strip_prefix("//") {
            format!("https://{rest}")
        } else if src.starts_with('/') {
            format!("{}{src}", self.origin)
        } else {
            src.to_string()
        };
        let lower = absolute.to_ascii_lowercase();
        if !lower.starts_with("http://") && !lower.starts_with("https://") {
            self.lint(
                LintLevel::Error,
                "L08",
                &format!("relative {src}"),
                format!(
                    "the image `{shown}` has no https address, so it is left out (the editor fetches images by URL): put it next to the article so pufa publishes it"
                ),
            );
            return;
        }
        if lower.starts_with("http://") {
            self.lint(
                LintLevel::Error,
                "L08",
                &format!("http {absolute}"),
                format!(
                    "the image {} is not served over https; the 公众号 editor only fetches https images",
                    snippet(&absolute)
                ),
            );
        }
        let extension = image_extension(&absolute);
        if matches!(
            extension.as_str(),
            "webp" | "avif" | "svg" | "bmp" | "tif" | "tiff" | "heic" | "ico"
        ) {
            self.lint(
                LintLevel::Warning,
                "L08",
                &format!("format {absolute}"),
                format!(
                    "the image {} is {extension}; the 公众号 takes jpg, png and gif: convert it",
                    snippet(&absolute)
                ),
            );
        }
        let mut style = st.img.clone();
        let width = el.attr("width").and_then(css_length);
        let height = el.attr("height").and_then(css_length);
        match (width, height) {
            (Some(w), Some(_)) => style.push_str(&format!(";width:{w};height:auto")),
            (Some(w), None) => style.push_str(&format!(";width:{w}")),
            (None, Some(h)) => style.push_str(&format!(";height:{h}")),
            (None, None) => {}
        }
        self.out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\" style=\"{style}\">",
            escape_attr(&absolute),
            escape_attr(alt)
        ));
    }

    // ----------------------------------------------------------------------
    // Footers

    fn collect_notes(&mut self, el: &'t Element) {
        for node in &el.children {
            if let Node::Element(child) = node {
                if child.name == "div" && child.has_class("footnote-definition") {
                    let name = child.attr("id").unwrap_or("").to_string();
                    self.note_defs.push((name, child));
                } else {
                    self.collect_notes(child);
                }
            }
        }
    }

    /// Footnotes as a `注释` list: `[注1] text`, in the order of their marks,
    /// then any that were never referenced.
    fn notes(&mut self) {
        if self.note_defs.is_empty() {
            return;
        }
        let st = self.st;
        for (name, _) in self.note_defs.clone() {
            if !self.note_order.contains(&name) {
                self.note_order.push(name);
            }
        }
        self.footer_heading(NOTES_TITLE);
        let mut i = 0;
        while i < self.note_order.len() {
            let name = self.note_order[i].clone();
            i += 1;
            let Some(&(_, def)) = self.note_defs.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let marker = format!("<span style=\"{}\">[注{i}]</span> ", st.notes_num);
            self.marked(&def.children, &marker, "p", &st.notes_p, false);
        }
    }

    /// External links as `[n] text：URL` under `引用链接` (WECHAT.md §4.2).
    fn reference_list(&mut self) {
        if self.references.is_empty() {
            return;
        }
        let st = self.st;
        self.footer_heading(REFERENCES_TITLE);
        for (n, url, text) in self.references.clone() {
            self.open("p", &st.notes_p);
            self.out
                .push_str(&format!("<span style=\"{}\">[{n}]</span> ", st.notes_num));
            if text != url {
                self.out.push_str(&escape_text(&text));
                self.out.push('：');
            }
            self.open("span", &st.url);
            self.out.push_str(&escape_text(&url));
            self.close("span");
            self.close("p");
        }
    }
}

// --------------------------------------------------------------------------
// Helpers

fn is_blank(node: &Node) -> bool {
    matches!(node, Node::Text(t) if t.chars().all(char::is_whitespace))
}

/// The nodes that are not whitespace-only text.
fn significant(nodes: &[Node]) -> Vec<&Node> {
    nodes.iter().filter(|n| !is_blank(n)).collect()
}

fn first_significant(nodes: &[Node]) -> Option<usize> {
    nodes
        .iter()
        .position(|n| !is_blank(n) && !matches!(Converter::kind(n), Kind::Skip))
}

/// A run of inline nodes without the whitespace-only text at either end.
fn trim_run<'a, 't>(run: &'a [&'t Node]) -> &'a [&'t Node] {
    let start = run.iter().position(|n| !is_blank(n)).unwrap_or(run.len());
    let end = run
        .iter()
        .rposition(|n| !is_blank(n))
        .map_or(start, |e| e + 1);
    &run[start..end]
}

/// `style` plus the element's own `text-align` (pulldown writes
/// `style="text-align: center"` on aligned table columns).
fn with_align(style: &str, el: &Element) -> String {
    let from_style = el.attr("style").and_then(|s| {
        s.split(';').find_map(|d| {
            let (p, v) = d.split_once(':')?;
            (p.trim().eq_ignore_ascii_case("text-align")).then(|| v.trim().to_ascii_lowercase())
        })
    });
    let align = from_style.or_else(|| el.attr("align").map(|a| a.trim().to_ascii_lowercase()));
    match align.as_deref() {
        Some(a @ ("left" | "center" | "right" | "justify")) => format!("{style};text-align:{a}"),
        _ => style.to_string(),
    }
}

fn table_columns(el: &Element) -> usize {
    let mut most = 0;
    for node in &el.children {
        let Node::Element(child) = node else { continue };
        match child.name.as_str() {
            "thead" | "tbody" | "tfoot" => most = most.max(table_columns(child)),
            "tr" => {
                let cells = child
                    .children
                    .iter()
                    .filter_map(|n| match n {
                        Node::Element(c) if c.name == "td" || c.name == "th" => Some(
                            c.attr("colspan")
                                .and_then(|s| s.trim().parse::<usize>().ok())
                                .unwrap_or(1)
                                .clamp(1, 100),
                        ),
                        _ => None,
                    })
                    .sum();
                most = most.max(cells);
            }
            _ => {}
        }
    }
    most
}

/// `600` or `600px` → `600px`; `50%` → `50%`.
fn css_length(value: &str) -> Option<String> {
    let v = value.trim();
    let (number, unit) = match v.strip_suffix('%') {
        Some(n) => (n, "%"),
        None => (v.strip_suffix("px").unwrap_or(v), "px"),
    };
    let n: f64 = number.trim().parse().ok()?;
    (n > 0.0 && n.is_finite()).then(|| format!("{}{unit}", number.trim()))
}

fn image_extension(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("");
    match file.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first 20 characters of `s`, for messages.
fn snippet(s: &str) -> String {
    let s = collapse_whitespace(s);
    let mut out: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        out.push('…');
    }
    out
}

/// True if a link's text is just its address (with or without scheme or
/// trailing slash).
fn same_as_url(text: &str, href: &str, url: &str) -> bool {
    fn bare(s: &str) -> String {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        let s = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            s
        };
        s.trim_end_matches('/').to_ascii_lowercase()
    }
    let text = bare(text);
    !text.is_empty() && (text == bare(href) || text == bare(url))
}

/// `("https://host", "/path?q")` for an absolute http(s) URL.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((&url[..scheme_end + host_end], &url[scheme_end + host_end..]))
}

/// Lower-cases an absolute URL's scheme and host (they are case-insensitive).
fn normalize_scheme_host(url: &str) -> String {
    match split_url(url) {
        Some((scheme_host, rest)) => format!("{}{rest}", scheme_host.to_ascii_lowercase()),
        None => url.to_string(),
    }
}

fn has_scheme(href: &str) -> bool {
    href.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Decodes `%XX` escapes (for phone numbers and mail addresses shown as text).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes[i] {
            b'%' => s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
            _ => None,
        };
        if let Some(b) = escaped {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// CJK characters and full-width punctuation, between which a line break
/// is no space (the same idea as pufa's Markdown stage, for raw HTML).
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF
        | 0x2E80..=0x303F
        | 0x3040..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)
}
