//! Statutes: the law texts a site quotes, and the citations of them in articles.
//!
//! pufa carries a library of laws (`library/<key>.yaml`, compiled into the
//! binary, see [`library`]); a site adds laws, or replaces one of the
//! library's, with its own YAML files in `<root>/statutes/<key>.yaml` (name,
//! short name, aliases, effective date, history, number of articles, and the
//! texts of the articles it ships, one line per 款, with their 编, 章 and 节).
//! [`Statutes::load`] reads both; `pufa statutes import` ([`import`]) makes
//! such a file from a law's official text in Markdown.
//! [`Statutes::find`] recognises citations such as
//! `《中华人民共和国民法典》第一千零四十二条`, `民法典第1079条`,
//! `《反家庭暴力法》第二十三条第一款`, ranges and lists, in one run of plain
//! text; a [`Context`] ([`Statutes::context`]) reads a whole article, so that
//! `第一千零七十七条` or `该法第二十九条` cites the law named before it;
//! [`Statutes::link_html`] and [`Statutes::quote_block_html`] turn them into
//! links and the 本文引用的法条 block.
//!
//! This module depends on no stage of pufa (only on reading files, YAML,
//! HTML escaping and diagnostics): problems in data files come back as
//! [`DataError`]s for the caller to turn into diagnostics; the importer's
//! problems, which name lines of the Markdown text, are diagnostics.

mod checks;
mod cite;
mod data;
pub mod import;
pub mod library;
mod numerals;
mod pages;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use checks::{Misquote, misquotes, unknown_laws};
pub use cite::Context;
pub use numerals::{article_label, chinese_number, parse_chinese_number};
pub use pages::LawPage;

/// The laws of a site, ready to find citations of them.
#[derive(Debug, Clone, Default)]
pub struct Statutes {
    laws: Vec<Law>,
    matcher: cite::Matcher,
    /// Each law's chapter pages (empty: one page), by law index.
    pages: Vec<Vec<LawPage>>,
}

/// One law, as read from `statutes/<key>.yaml` (the site's or the library's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Law {
    /// The file name without `.yaml`: `minfadian`. Used in URLs.
    pub key: String,
    /// Whether the site's `statutes/` or pufa's library gave the law.
    pub origin: Origin,
    /// The full name: `中华人民共和国民法典`.
    pub name: String,
    /// The usual short name: `民法典`.
    pub short: String,
    /// Every name a citation may use, without 《》: the declared aliases plus
    /// `name`, `short` and `name` without a leading `中华人民共和国`.
    pub aliases: Vec<String>,
    /// The day the text in force took effect, `YYYY-MM-DD`: the date its
    /// own article says (本法自2021年6月1日起施行), not the date of a later
    /// amendment that took effect on its own day. For a law without such an
    /// article, the date it was published in force (宪法: 1982-12-04).
    pub effective: String,
    /// What the law's adoption lines say happened to it, oldest first: adopted
    /// (通过), revised (修订), amended (修正), published (公布). Empty when
    /// the file gives none.
    pub history: Vec<Event>,
    /// The law's last article number.
    pub articles_total: u32,
    /// The preamble (序言), one entry per paragraph; empty for laws without
    /// one (of the library's, only the 宪法 has one).
    pub preamble: Vec<String>,
    /// The shipped articles, by number.
    pub articles: BTreeMap<u32, StatuteArticle>,
}

/// Where a [`Law`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The site's own `statutes/<key>.yaml`.
    Site,
    /// pufa's built-in library ([`library`]).
    Library,
}

/// One line of a law's history: `{ date: 2020-10-17, event: 修订 }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub event: EventKind,
}

/// What happened to a law on a date; written in Chinese, in the YAML and
/// for templates (`{{ e.event }}` is `修订`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum EventKind {
    /// 通过: adopted by the NPC or its Standing Committee.
    #[serde(rename = "通过")]
    Adopted,
    /// 修订: revised (the whole text adopted again).
    #[serde(rename = "修订")]
    Revised,
    /// 修正: amended (by a decision or a 宪法修正案).
    #[serde(rename = "修正")]
    Amended,
    /// 公布: published (the 宪法's 公告公布施行).
    #[serde(rename = "公布")]
    Published,
}

impl EventKind {
    /// The word used in law texts and in the YAML: `修订`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Adopted => "通过",
            EventKind::Revised => "修订",
            EventKind::Amended => "修正",
            EventKind::Published => "公布",
        }
    }
}

/// One article's text and its place in the law's structure. The labels are
/// written as the law writes them, with one space between number and
/// title: `第五编 婚姻家庭`, `第三章 家庭关系`, `第一节 夫妻关系`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatuteArticle {
    pub number: u32,
    /// The part (编) of a law divided into parts: `第五编 婚姻家庭`.
    pub part: Option<String>,
    /// The chapter (章): `第一章 一般规定`. Files written before parts and
    /// sections existed may hold all three here (`第五编 婚姻家庭 · 第一章 一般规定`).
    pub chapter: Option<String>,
    /// The section (节) of the chapter: `第一节 夫妻关系`.
    pub section: Option<String>,
    /// One entry per 款 (and per 项 where the text puts items on their own lines).
    pub paragraphs: Vec<String>,
}

/// A problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// Relative to the site root: `statutes/minfadian.yaml`.
    pub path: PathBuf,
    /// 1-based; 0 when the problem has no line (the file as a whole).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

/// One citation found in a run of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Byte range in the text of the whole citation, e.g.
    /// `《反家庭暴力法》第二十三条第一款`, or just `第二十五条` (or
    /// `该法第二十五条`) for a bare article number that continues an earlier
    /// citation or cites the law named before it.
    pub range: Range<usize>,
    /// Index into [`Statutes::laws`].
    pub law: usize,
    /// Every article cited, in order, without repeats; ranges expanded
    /// (第二十三条至第二十五条 → 23, 24, 25). Includes out-of-range and
    /// missing numbers.
    pub articles: Vec<u32>,
    /// What to link, and to which article: one range per article mention.
    /// The first starts with the law's name (`民法典第一千零四十九条`), the
    /// others are the bare mentions (`第一千零八十条`); a 款/项 after an
    /// article belongs to its link. Mentions of numbers out of range are not
    /// linked; mentions of missing articles are (to the law's page).
    pub links: Vec<(Range<usize>, u32)>,
    /// Numbers the law does not have (0, or beyond `articles_total`): an error.
    pub out_of_range: Vec<u32>,
    /// Numbers in range whose text the site does not ship: a warning.
    pub missing: Vec<u32>,
    /// The law was not named here but found from what came before (the
    /// paragraph, a quote, a heading): such a citation is left out when
    /// the law lacks one of its numbers, so `out_of_range` is empty.
    pub from_context: bool,
}

impl Statutes {
    /// The library's laws ([`library::laws`]) and the site's
    /// `<root>/statutes/*.yaml` (a missing folder means none), sorted by
    /// key. A site file adds a law, or replaces the library's law of its key
    /// entirely; it may not claim a name of a law it does not replace. Every
    /// problem of every site file is returned at once. Files over
    /// `max_file_bytes` are refused.
    pub fn load(root: &Path, max_file_bytes: u64) -> Result<Statutes, Vec<DataError>> {
        let laws = data::load(root, max_file_bytes, library::laws())?;
        Ok(Statutes::from_laws(laws))
    }

    /// Laws built in code (tests, or another source). Aliases are used as
    /// given; when two laws share one, the first law wins.
    pub fn from_laws(laws: Vec<Law>) -> Statutes {
        let matcher = cite::Matcher::new(&laws);
        let pages = laws.iter().map(pages::pages).collect();
        Statutes {
            laws,
            matcher,
            pages,
        }
    }

    /// The chapter pages of the law at `index`; empty when it has one page.
    pub fn pages(&self, index: usize) -> &[LawPage] {
        &self.pages[index]
    }

    /// The URL of article `n` of `law` on the site, under `base`
    /// (`/statutes/`): `/statutes/fanjiabaofa/#a23`, or on a split law
    /// its chapter's page, `/statutes/minfadian/c14/#a1079`.
    pub fn article_href(&self, base: &str, law: &Law, n: u32) -> String {
        let folder = self
            .laws
            .iter()
            .position(|l| l.key == law.key)
            .map_or("", |i| pages::folder_of(&self.pages[i], n));
        let slash = if folder.is_empty() { "" } else { "/" };
        format!("{base}{}/{folder}{slash}#{}", law.key, Statutes::anchor(n))
    }

    pub fn laws(&self) -> &[Law] {
        &self.laws
    }

    /// The law with this key (`minfadian`).
    pub fn law(&self, key: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.key == key)
    }

    /// Finds citations in one run of plain text, read as a paragraph of its
    /// own (the caller guarantees it is not inside code, a link or a
    /// heading). In order, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<Citation> {
        self.context().find(text)
    }

    /// A reader of one article's text, for citations that depend on what
    /// came before them.
    pub fn context(&self) -> Context<'_> {
        Context::new(self)
    }

    /// The anchor of an article on its law's page: `a1042`.
    pub fn anchor(article: u32) -> String {
        format!("a{article}")
    }

    /// `text` HTML-escaped, with each of `citations` (found in this same
    /// `text`) linked: `<a class="cite" href="…">民法典第一千零四十二条</a>`.
    /// `href(law, article)` gives the URL, e.g.
    /// `/statutes/minfadian/#a1042`.
    pub fn link_html(
        &self,
        text: &str,
        citations: &[Citation],
        href: impl Fn(&Law, u32) -> String,
    ) -> String {
        let mut out = String::with_capacity(text.len() + citations.len() * 60);
        let mut at = 0;
        for c in citations {
            for (range, article) in &c.links {
                if range.start < at || range.end > text.len() {
                    continue;
                }
                out.push_str(&crate::html::escape_html(&text[at..range.start]));
                let url = href(&self.laws[c.law], *article);
                out.push_str("<a class=\"cite\" href=\"");
                out.push_str(&crate::html::escape_html(&url));
                out.push_str("\">");
                out.push_str(&crate::html::escape_html(&text[range.clone()]));
                out.push_str("</a>");
                at = range.end;
            }
        }
        out.push_str(&crate::html::escape_html(&text[at..]));
        out
    }

    /// The 本文引用的法条 block: the full text of each cited article
    /// (`(law index, article number)`, in the order given, repeats dropped),
    /// headed by a link to it. Articles the site does not ship get a note
    /// instead of the text; in the texts, citations of the law itself
    /// (本法第四十三条) are links too. Empty string when `cited` is empty.
    pub fn quote_block_html(
        &self,
        cited: &[(usize, u32)],
        href: impl Fn(&Law, u32) -> String,
    ) -> String {
        let mut seen = std::collections::HashSet::new();
        let mut out = String::new();
        for &(law_index, number) in cited {
            let Some(law) = self.laws.get(law_index) else {
                continue;
            };
            if number == 0 || number > law.articles_total || !seen.insert((law_index, number)) {
                continue;
            }
            if out.is_empty() {
                out.push_str(
                    "<aside class=\"cited-statutes\" aria-labelledby=\"cited-statutes\">\n\
                     <h2 id=\"cited-statutes\">本文引用的法条</h2>\n",
                );
            }
            out.push_str("<div class=\"statute-quote\">\n<p class=\"statute-ref\"><a href=\"");
            out.push_str(&crate::html::escape_html(&href(law, number)));
            out.push_str("\">《");
            out.push_str(&crate::html::escape_html(&law.name));
            out.push('》');
            out.push_str(&article_label(number));
            out.push_str("</a></p>\n");
            match law.articles.get(&number) {
                Some(article) => {
                    out.push_str("<blockquote>\n");
                    let mut context = Context::quoting(self, law_index);
                    for p in &article.paragraphs {
                        out.push_str("<p>");
                        let found = context.find(p);
                        if found.is_empty() {
                            out.push_str(&crate::html::escape_html(p));
                        } else {
                            out.push_str(&self.link_html(p, &found, &href));
                        }
                        out.push_str("</p>\n");
                        context.boundary();
                    }
                    out.push_str("</blockquote>\n");
                }
                None => {
                    out.push_str("<p class=\"statute-missing\">本站暂未收录这一条的条文。</p>\n")
                }
            }
            out.push_str("</div>\n");
        }
        if !out.is_empty() {
            out.push_str("</aside>\n");
        }
        out
    }
}

impl Law {
    /// `第一千零四十二条`.
    pub fn label(article: u32) -> String {
        article_label(article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn law(key: &str, name: &str, short: &str, total: u32, shipped: &[u32]) -> Law {
        Law {
            key: key.into(),
            origin: Origin::Site,
            name: name.into(),
            short: short.into(),
            aliases: vec![name.into(), short.into()],
            effective: "2021-01-01".into(),
            history: Vec::new(),
            articles_total: total,
            preamble: Vec::new(),
            articles: shipped
                .iter()
                .map(|&n| {
                    (
                        n,
                        StatuteArticle {
                            number: n,
                            part: None,
                            chapter: None,
                            section: None,
                            paragraphs: vec![format!("第{n}条的第一款。"), "第二款<b>。".into()],
                        },
                    )
                })
                .collect(),
        }
    }

    fn sample() -> Statutes {
        Statutes::from_laws(vec![
            law(
                "minfadian",
                "中华人民共和国民法典",
                "民法典",
                1260,
                &[1042, 1079],
            ),
            law(
                "fanjiabaofa",
                "中华人民共和国反家庭暴力法",
                "反家庭暴力法",
                38,
                &[23],
            ),
        ])
    }

    fn href(law: &Law, n: u32) -> String {
        format!("/statutes/{}/#{}", law.key, Statutes::anchor(n))
    }

    #[test]
    fn anchors_and_labels() {
        assert_eq!(Statutes::anchor(1042), "a1042");
        assert_eq!(Law::label(1042), "第一千零四十二条");
    }

    #[test]
    fn links_are_escaped_and_placed() {
        let s = sample();
        let text = "见<民法典第一千零四十二条、第1079条>";
        let found = s.find(text);
        let html = s.link_html(text, &found, href);
        assert_eq!(
            html,
            "见&lt;<a class=\"cite\" href=\"/statutes/minfadian/#a1042\">民法典第一千零四十二条</a>、\
             <a class=\"cite\" href=\"/statutes/minfadian/#a1079\">第1079条</a>&gt;"
        );
    }

    #[test]
    fn quote_block_quotes_each_article_once() {
        let s = sample();
        let html = s.quote_block_html(&[(0, 1042), (1, 23), (0, 1042), (0, 1080), (0, 9999)], href);
        assert!(html.starts_with("<aside class=\"cited-statutes\""));
        assert_eq!(html.matches("class=\"statute-quote\"").count(), 3);
        assert!(html.contains(
            "<a href=\"/statutes/minfadian/#a1042\">《中华人民共和国民法典》第一千零四十二条</a>"
        ));
        assert!(html.contains("<p>第二款&lt;b&gt;。</p>"));
        // 1080 is in range but not shipped: a note, not a quotation.
        assert!(html.contains(
            "#a1080\">《中华人民共和国民法典》第一千零八十条</a></p>\n<p class=\"statute-missing\">"
        ));
        assert_eq!(s.quote_block_html(&[], href), "");
    }
}
