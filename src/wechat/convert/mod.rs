//! The export proper: one walk over the body tree that writes the styled
//! fragment, numbers external links and footnotes, and collects lints.
//!
//! Nothing from the input is copied through unchecked: every element written
//! is one of a fixed vocabulary with a style from [`Styles`], attributes are
//! rebuilt (no `class`, `id`, `loading`, event handlers), `div`s become
//! `section`s and no `\n` is written anywhere (WECHAT.md §4.1, §4.3).
//!
//! This file holds the walk (blocks, headings, tables, inline elements);
//! `lists.rs`, `links.rs` (with the URL helpers), `images.rs` and
//! `notes.rs` add the `Converter` methods for their elements.

mod images;
mod links;
mod lists;
mod notes;

use std::collections::{HashMap, HashSet};

use super::dom::{Element, Node, escape_attr, escape_text};
use super::style::{self, Styles};
use super::{Lint, LintLevel};

use links::*;

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

    /// A lint, once per `code` and `key`: `message` in English (saying
    /// what to do, too), `zh` and `hint_zh` for the editors.
    fn lint(
        &mut self,
        level: LintLevel,
        code: &'static str,
        key: &str,
        message: String,
        zh: String,
        hint_zh: &str,
    ) {
        if self.linted.insert(format!("{code}\u{0}{key}")) {
            self.lints.push(Lint {
                level,
                code,
                message: format!("{message} · {zh}"),
                hint: Some(format!(" · {hint_zh}")),
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
                format!("正文里有原始的 <{name}> 标签，公众号编辑器会删掉它，导出时已略去"),
                "从 Markdown 里删掉它，或换成文字或图片",
            );
        } else if name == "svg" || name == "math" {
            self.lint(
                LintLevel::Warning,
                "L13",
                name,
                format!(
                    "inline `<{name}>` is left out of the export (the editor drops its ids, classes and defs); use a PNG image instead"
                ),
                format!("内嵌的 <{name}> 不会导出（编辑器会丢掉它的 id、class 和定义）"),
                "改用 PNG 图片",
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
                    format!("正文以一级标题开头（「{text}」），公众号的标题有单独的栏目，导出时已略去"),
                    "从 Markdown 里删掉这个标题",
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
                format!("正文里有一级标题（「{text}」），公众号有单独的标题栏目，导出为二级标题"),
                "在 Markdown 里改用「##」",
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
                format!("表格有 {columns} 列（「{text}」），手机上超过 4 列很难看清"),
                "把表格拆开，或改成列表",
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
                    format!("文字颜色是 {value}，编辑器会去掉纯黑色，导出为 {}", style::TEXT),
                    "无需修改：导出的颜色看起来和黑色一样",
                );
                kept.push(format!("color:{}", style::TEXT));
                continue;
            }
            kept.push(format!("{property}:{value}"));
        }
        (!kept.is_empty()).then(|| kept.join(";"))
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
