//! Lists: literal markers (the editor re-renders `ul`/`ol`), nesting, and
//! runs of inline content grouped into paragraphs inside items.

use super::*;

impl<'t> Converter<'t> {
    pub(super) fn bullet(&self) -> String {
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
    pub(super) fn list(&mut self, el: &'t Element) {
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
                format!("列表嵌套了 {depth} 层（在「{first_item}」处），公众号编辑器最多保留 2 层"),
                "减少嵌套层数，或把最里层的条目改写成句子",
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
                format!("有序列表有 {} 项（从「{first_item}」开始），三位数的序号在编辑器里会被截断", items.len()),
                "把它拆成几个列表",
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

    pub(super) fn item(&mut self, nodes: &'t [Node], marker: &str) {
        let st = self.st;
        self.open("li", &st.li);
        self.marked(nodes, &escape_text(marker), "section", &st.li_body, true);
        self.close("li");
    }

    /// The content of a list item or footnote: its inline content and
    /// paragraphs in one `tag` (paragraphs joined by `<br>`), starting with
    /// `marker`; nested lists and other blocks follow it.
    pub(super) fn marked(
        &mut self,
        nodes: &'t [Node],
        marker: &str,
        tag: &str,
        style: &str,
        in_list: bool,
    ) {
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
                            format!("列表项里有 <{}>（「{text}」），编辑器重排列表时可能把它弄乱", el.name),
                            "把它移到列表外面",
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
    pub(super) fn group_begin(&mut self, g: &mut Group<'_>) {
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

    pub(super) fn group_flush(&mut self, g: &mut Group<'_>, run: &mut Vec<&'t Node>) {
        let nodes = trim_run(run).to_vec();
        if !nodes.is_empty() {
            self.group_begin(g);
            self.inline_run(&nodes);
            g.has_content = true;
        }
        run.clear();
    }

    pub(super) fn group_close(&mut self, g: &mut Group<'_>) {
        if g.open {
            self.close(g.tag);
            g.open = false;
        }
    }
}
