//! SVG files from content/ and static/: published only when they cannot run
//! code or load anything.
//!
//! An SVG is an XML document, not a picture: opened by its address it runs
//! its `<script>`s, its `onload` handlers and `javascript:` links on the
//! site's own origin, and `<use>`, `<image>` and `url(…)` fetch other files.
//! So an SVG is parsed with a real XML parser (roxmltree; a text search is
//! fooled by entities, namespaces and odd spacing) and must pass a strict
//! allow-list: links only to `#id` in the same file or to embedded raster
//! images (`data:image/png|jpeg|gif|webp`), no scripts, handlers, HTML,
//! entity declarations, processing instructions or animations that set a
//! link. Drawing programs' own markup (Inkscape's and Illustrator's
//! namespaces, `<style>` with classes, a DOCTYPE without entities) passes.
//!
//! The default theme's `favicon.svg` is pufa's own and not checked.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Something in an SVG that could run code or load another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    pub what: String,
    pub what_zh: String,
}

/// Namespaces whose elements a browser runs inside an SVG document.
const LIVE_FOREIGN: &[&str] = &[
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML",
];

/// Elements that run code, embed a document or change where links go.
const REFUSED_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "handler",
    "listener",
    "iframe",
    "frame",
    "embed",
    "object",
    "applet",
    "base",
    "link",
    "meta",
];

/// Embedded images that are pictures and nothing else (not `svg+xml`).
const RASTER_DATA: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/jpg",
    "data:image/gif",
    "data:image/webp",
];

/// Errors for `path` (shown as `shown`), one per problem; none for a safe
/// SVG.
pub fn check_file(path: &Path, shown: &Path) -> Vec<Diagnostic> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return vec![
                Diagnostic::error(shown, format!("cannot read the file: {e}"))
                    .zh(format!("无法读取文件：{e}"))
                    .hint("check that the file exists and that you may read it")
                    .hint_zh("检查文件是否存在、是否有权限读取"),
            ];
        }
    };
    let Ok(text) = std::str::from_utf8(&text) else {
        return vec![
            Diagnostic::error(
                shown,
                "this SVG image is not UTF-8 text, so pufa cannot check it",
            )
            .at(1, 1)
            .zh("这个 SVG 图片不是 UTF-8 编码，pufa 无法检查它")
            .hint("save it again as UTF-8 SVG, or export the image as PNG")
            .hint_zh("重新保存为 UTF-8 编码的 SVG，或者把图片导出为 PNG"),
        ];
    };
    problems(text)
        .into_iter()
        .map(|p| {
            Diagnostic::error(
                shown,
                format!(
                    "this SVG image could run code or load other files: {}",
                    p.what
                ),
            )
            .at(p.line, p.column)
            .zh(format!(
                "这个 SVG 图片可能运行代码或加载其他文件：{}",
                p.what_zh
            ))
            .hint("remove it (in the drawing program or a text editor), or export the image as PNG")
            .hint_zh("把它删掉（用绘图软件或文本编辑器），或者把图片导出为 PNG")
        })
        .collect()
}

/// Everything unsafe in the SVG `text`, in document order.
pub fn problems(text: &str) -> Vec<Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut found = Vec::new();
    // Declarations inside a DOCTYPE (`[…]`) can hide markup in entities,
    // make it expand without end, or give elements default attributes
    // (an `onload` written nowhere in the element). A DOCTYPE that only
    // names the SVG DTD is harmless (browsers never fetch it), and drawing
    // programs write it.
    if let Some(at) = internal_subset(text) {
        found.push(problem(
            text,
            at,
            "declarations in its DOCTYPE (`<!DOCTYPE svg [ … ]>`)",
            "DOCTYPE 里有声明（「<!DOCTYPE svg [ … ]>」）",
        ));
        return found;
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => {
            let pos = e.pos();
            found.push(Problem {
                line: pos.row as usize,
                column: pos.col as usize,
                what: format!("it is not a well-formed XML file ({e})"),
                what_zh: "不是格式正确的 XML 文件".into(),
            });
            return found;
        }
    };
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("svg") {
        found.push(problem(
            text,
            root.range().start,
            &format!(
                "its root element is `<{}>`, not `<svg>`",
                root.tag_name().name()
            ),
            "根元素不是「<svg>」",
        ));
    }
    // Inside a refused element (a `<foreignObject>`'s HTML), one error is enough.
    let mut skip_until = 0;
    for node in doc.descendants() {
        if node.range().start < skip_until {
            continue;
        }
        if let Some(pi) = node.pi() {
            found.push(problem(
                text,
                node.range().start,
                &format!("a processing instruction `<?{}`", pi.target),
                "处理指令（「<?…?>」）",
            ));
        }
        if node.is_element() && !check_element(text, node, &mut found) {
            skip_until = node.range().end;
        } else if node.is_text()
            && node.parent().is_some_and(is_style)
            && let Some(bad) = node.text().and_then(css_problem)
        {
            found.push(problem(
                text,
                node.range().start,
                &format!("the style sheet {bad}"),
                "样式表引用了外部文件或可执行的内容",
            ));
        }
    }
    found
}

/// Where the DOCTYPE's internal subset (`[`) starts, if it has one.
fn internal_subset(text: &str) -> Option<usize> {
    let start = text.find("<!DOCTYPE")?;
    let mut quote = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => return Some(start + i),
            (None, '>') => return None,
            _ => {}
        }
    }
    None
}

fn is_style(node: roxmltree::Node<'_, '_>) -> bool {
    node.is_element() && node.tag_name().name().eq_ignore_ascii_case("style")
}

/// Checks one element and its attributes; false when the whole element is
/// refused (its content need not be looked at).
fn check_element(text: &str, node: roxmltree::Node<'_, '_>, found: &mut Vec<Problem>) -> bool {
    let name = node.tag_name().name();
    let lower = name.to_ascii_lowercase();
    if node
        .tag_name()
        .namespace()
        .is_some_and(|ns| LIVE_FOREIGN.contains(&ns))
    {
        found.push(problem(
            text,
            node.range().start,
            &format!("an HTML element `<{name}>`"),
            "HTML 元素",
        ));
        return false;
    }
    if REFUSED_ELEMENTS.contains(&lower.as_str()) {
        found.push(problem(
            text,
            node.range().start,
            &format!("a `<{name}>` element"),
            &format!("「<{name}>」元素"),
        ));
        return false;
    }
    if lower == "set" || lower.starts_with("animate") {
        let target = node
            .attributes()
            .find(|a| a.name() == "attributeName")
            .map(|a| a.value().trim().to_ascii_lowercase())
            .unwrap_or_default();
        let local = target.rsplit(':').next().unwrap_or_default();
        if local == "href" || local.starts_with("on") || local == "style" {
            found.push(problem(
                text,
                node.range().start,
                &format!("an animation that sets `{target}`"),
                &format!("会改写「{target}」的动画"),
            ));
        }
    }
    for attr in node.attributes() {
        let attr_name = attr.name();
        let value = attr.value();
        let at = attr.range().start;
        if attr_name.to_ascii_lowercase().starts_with("on") {
            found.push(problem(
                text,
                at,
                &format!("the event handler `{attr_name}`"),
                &format!("事件属性「{attr_name}」"),
            ));
        } else if attr_name == "href" && !is_local_reference(value) {
            found.push(problem(
                text,
                at,
                &format!(
                    "the link `{}` (only `#id` or an embedded PNG, JPEG, GIF or WebP is allowed)",
                    shorten(value)
                ),
                &format!("链接「{}」（只允许「#id」或内嵌的位图）", shorten(value)),
            ));
        } else if let Some(bad) = (attr_name == "style" || value.contains("url("))
            .then(|| css_problem(value))
            .flatten()
        {
            found.push(problem(
                text,
                at,
                &format!("the attribute `{attr_name}` {bad}"),
                &format!("属性「{attr_name}」引用了外部文件或可执行的内容"),
            ));
        }
    }
    true
}

/// `#id` in this file, or an embedded raster image. Spaces and control
/// characters are dropped first, as browsers drop them from URLs.
fn is_local_reference(value: &str) -> bool {
    let clean: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    clean.starts_with('#') || RASTER_DATA.iter().any(|p| clean.starts_with(p))
}

/// What is wrong with CSS text (a `style` attribute, a `<style>` element,
/// or a value with `url(…)`), if anything: imports, references to other
/// files, escapes (which can spell any of these), and the old ways of
/// running script from CSS.
fn css_problem(css: &str) -> Option<String> {
    let lower = css.to_ascii_lowercase();
    if lower.contains('\\') {
        return Some("has a CSS escape (`\\`)".into());
    }
    for marker in ["@import", "expression(", "-moz-binding", "behavior:"] {
        if lower.contains(marker) {
            return Some(format!("uses `{marker}`"));
        }
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].trim().trim_matches(['"', '\'']);
        if !is_local_reference(target) {
            return Some(format!("refers to `url({})`", shorten(target)));
        }
        rest = &rest[end..];
    }
    None
}

/// The first 60 characters of a value, for messages.
fn shorten(value: &str) -> String {
    let mut out: String = value.chars().take(60).collect();
    if out.len() < value.len() {
        out.push('…');
    }
    out
}

fn problem(text: &str, at: usize, what: &str, what_zh: &str) -> Problem {
    let (line, column) = crate::diagnostics::line_col(text, at);
    Problem {
        line,
        column,
        what: what.to_string(),
        what_zh: what_zh.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(svg: &str) -> Vec<String> {
        problems(svg).into_iter().map(|p| p.what).collect()
    }

    const OPEN: &str =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";

    #[test]
    fn drawings_pass() {
        let inkscape = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n\
             {}\n<sodipodi:namedview xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" id=\"n\"/>\n\
             <defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient>\
             <style>.a{{fill:url(#g);opacity:.5}}</style></defs>\n\
             <title>图</title><a href=\"#c\"><circle id=\"c\" class=\"a\" r=\"1\" fill=\"url(#g)\"/></a>\n\
             <use xlink:href=\"#c\"/><image href=\"data:image/png;base64,iVBORw0KGgo=\"/>\n\
             <animate attributeName=\"opacity\" values=\"0;1\"/></svg>\n",
            OPEN
        );
        assert_eq!(whats(&inkscape), Vec::<String>::new());
    }

    #[test]
    fn code_and_outside_references_are_found_where_they_are() {
        let svg = format!(
            "{OPEN}\n<script>alert(1)</script>\n<rect onload=\"alert(2)\"/>\n\
             <a xlink:href=\" java&#x09;script:alert(3)\"><text>x</text></a>\n\
             <foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\"/></foreignObject>\n\
             <use href=\"sprite.svg#a\"/><image href=\"https://evil.example/x.png\"/>\n\
             <set attributeName=\"xlink:href\" to=\"javascript:alert(4)\"/>\n\
             <rect style=\"fill:url(https://evil.example/t)\"/><rect filter=\"url( 'x.svg#f' )\"/>\n\
             <style>@import url(x.css);</style>\n\
             <h:iframe xmlns:h=\"http://www.w3.org/1999/xhtml\"/>\n\
             <image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>"
        );
        let found: Vec<(usize, String)> = problems(&svg)
            .into_iter()
            .map(|p| (p.line, p.what))
            .collect();
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 6, 7, 8, 8, 9, 10, 11], "{found:#?}");
        assert_eq!(found[0].1, "a `<script>` element");
        assert_eq!(found[1].1, "the event handler `onload`");
        assert!(
            found[2].1.starts_with("the link ` java\tscript:alert(3)`"),
            "{found:#?}"
        );
        assert_eq!(found[6].1, "an animation that sets `xlink:href`");
        assert_eq!(found[9].1, "the style sheet uses `@import`");
        assert_eq!(found[10].1, "an HTML element `<iframe>`");
    }

    #[test]
    fn entities_stylesheets_and_broken_files_are_refused() {
        let entity = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg \"a[b\" [\n<!ENTITY x \"&#60;script&#62;\">\n]>\n<svg>&x;</svg>";
        let found = problems(entity);
        assert_eq!(
            (found[0].line, found[0].column, found[0].what.as_str()),
            (
                2,
                21,
                "declarations in its DOCTYPE (`<!DOCTYPE svg [ … ]>`)"
            )
        );
        let defaults = "<!DOCTYPE svg [<!ATTLIST svg onload CDATA \"alert(1)\">]><svg/>";
        assert_eq!(problems(defaults).len(), 1);
        let xslt = "<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>\n<svg/>";
        assert_eq!(whats(xslt), ["a processing instruction `<?xml-stylesheet`"]);
        assert!(whats("<svg><rect></svg>")[0].starts_with("it is not a well-formed XML file"));
        assert_eq!(
            whats("<html><script/></html>")[0],
            "its root element is `<html>`, not `<svg>`"
        );
    }
}
