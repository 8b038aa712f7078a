//! Footnotes: references in the text, and the notes under `注释`.

use super::*;

impl<'t> Converter<'t> {
    pub(super) fn note_reference(&mut self, sup: &'t Element) {
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

    pub(super) fn collect_notes(&mut self, el: &'t Element) {
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
    pub(super) fn notes(&mut self) {
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
}
