//! Export: an article body made paste-ready for the 公众号 (WeChat Official
//! Account) editor.
//!
//! The editor keeps only inline `style=""`: it strips `<style>`, classes,
//! ids and scripts, re-renders lists, drops pure black, and allows no
//! external links. [`export`] turns the body HTML pufa renders into one
//! fragment that survives the paste (WECHAT.md §4): a styled `<section>`
//! between two spacer paragraphs, every element styled inline from a fixed
//! map (§4.5), lists with literal markers, external links as numbered
//! references under `引用链接`, footnotes under `注释`, images with absolute
//! https URLs. The checks of WECHAT.md §7 that concern the body come back as
//! [`Lint`]s. [`preview_page`] wraps a fragment in a page with a "复制全文"
//! button for the editor.
//!
//! | file | owns |
//! | --- | --- |
//! | `dom.rs` | body HTML → a small owned tree (lol_html tokenizes) |
//! | `style.rs` | the inline style of every element, for one primary colour |
//! | `convert/` | the walk (`mod.rs`: blocks, headings, tables, inline elements), `lists.rs`, `links.rs` (references, URL helpers), `images.rs`, `notes.rs` (footnotes); lints |
//! | `preview.rs` | the standalone preview page with the copy button |

mod convert;
mod dom;
pub mod lints;
mod preview;
mod style;

#[cfg(test)]
mod tests;

pub use preview::preview_page;
pub use style::DEFAULT_PRIMARY;

/// Where the article lives and how it is coloured.
#[derive(Debug, Clone, Copy)]
pub struct ExportOptions<'a> {
    /// Site origin + base, e.g. "https://pufa.example.cn/" (always ends with '/').
    pub base_url: &'a str,
    /// "#b03a2e"
    pub primary_color: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The paste-ready fragment: one <section>…</section> (with the spacer <p>s).
    pub fragment: String,
    /// (number, url, link text) of external links turned into footnotes.
    pub references: Vec<(usize, String, String)>,
    pub lints: Vec<Lint>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintLevel {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub level: LintLevel,
    /// WECHAT.md's number of the rule, for tests and tools; never shown
    /// to editors.
    pub code: &'static str,
    /// English, then ` · ` and Chinese when there is Chinese.
    pub message: String,
    /// What to do about it, in the same form.
    pub hint: Option<String>,
}

impl Lint {
    /// The lint as a diagnostic about `file` at `line` (0: the whole
    /// file), English and Chinese split apart.
    pub fn to_diagnostic(
        &self,
        file: &std::path::Path,
        line: usize,
    ) -> crate::diagnostics::Diagnostic {
        use crate::diagnostics::Diagnostic;
        let halves = |text: &str| -> (String, Option<String>) {
            match text.split_once(" · ") {
                Some((en, zh)) => (en.to_string(), Some(zh.to_string())),
                None => (text.to_string(), None),
            }
        };
        let (en, zh) = halves(&self.message);
        let mut d = match self.level {
            LintLevel::Error => Diagnostic::error(file, format!("WeChat: {en}")),
            LintLevel::Warning => Diagnostic::warning(file, format!("WeChat: {en}")),
        }
        .at(line, usize::from(line > 0));
        if let Some(zh) = zh {
            d = d.zh(format!("微信：{zh}"));
        }
        if let Some((en, zh)) = self.hint.as_deref().map(halves) {
            // The English message of a lint may say what to do itself.
            if !en.is_empty() {
                d = d.hint(en);
            }
            if let Some(zh) = zh {
                d = d.hint_zh(zh);
            }
        }
        d
    }
}

/// The 公众号 API's body limit in characters, markup included (WECHAT.md §1).
pub const MAX_CHARS: usize = 20_000;
/// The API's "小于1M" body limit, in bytes.
pub const MAX_BYTES: usize = 1_000_000;

/// Transforms an article's body HTML (as pufa renders it) for the 公众号 editor.
pub fn export(body_html: &str, opts: &ExportOptions<'_>) -> Export {
    let mut lints = Vec::new();
    let primary = if style::safe_color(opts.primary_color) {
        opts.primary_color.trim()
    } else {
        lints.push(Lint {
            level: LintLevel::Warning,
            code: "L14",
            message: format!(
                "the primary colour `{}` is not a plain colour value (e.g. `#b03a2e`); the export uses {}",
                opts.primary_color,
                style::DEFAULT_PRIMARY
            ) + &format!(" · 主题色「{}」不是普通的颜色值（例如 #b03a2e），导出改用 {}", opts.primary_color, style::DEFAULT_PRIMARY),
            hint: Some(" · 写成 #b03a2e 这样的颜色值".into()),
        });
        style::DEFAULT_PRIMARY
    };
    let root = dom::parse(body_html).unwrap_or_else(|e| {
        lints.push(Lint {
            level: LintLevel::Error,
            code: "L13",
            message: format!("the body HTML could not be read ({e}); the export is empty · 正文 HTML 无法读取（{e}），导出为空"),
            hint: Some(" · 检查文章里的原始 HTML 是否完整".into()),
        });
        dom::Element {
            name: "#root".to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    });
    let styles = style::Styles::new(primary);
    let converted = convert::Converter::new(opts.base_url, &styles).run(&root);
    lints.extend(converted.lints);
    let fragment = converted.fragment;
    let chars = fragment.chars().count();
    if fragment.len() > MAX_BYTES {
        lints.push(Lint {
            level: LintLevel::Error,
            code: "L16",
            message: format!(
                "the export is {:.1} MB; the 公众号 takes less than 1 MB per article: split the article or move content to linked pages",
                fragment.len() as f64 / 1_000_000.0
            ) + &format!(" · 导出内容有 {:.1} MB，公众号每篇文章必须小于 1 MB", fragment.len() as f64 / 1_000_000.0),
            hint: Some(" · 把文章拆成几篇，或把部分内容放到链接的页面里".into()),
        });
    } else if chars > MAX_CHARS {
        lints.push(Lint {
            level: LintLevel::Warning,
            code: "L16",
            message: format!(
                "the export is {chars} characters including markup; the 公众号 API takes at most {MAX_CHARS} (pasting may still work): shorten or split the article · 导出内容含标签共 {chars} 字符，公众号接口最多 {MAX_CHARS}（粘贴可能仍然可行）"
            ),
            hint: Some(" · 缩短或拆分文章".into()),
        });
    }
    Export {
        fragment,
        references: converted.references,
        lints,
    }
}
