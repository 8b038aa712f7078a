//! How a law is laid out on the site: one page, or, for a long law, a
//! contents page and one page per chapter, so no page is heavy on a phone
//! (the 民法典's three parts in one page were 156 KB of HTML).

use serde::Serialize;

use super::Law;

/// A law longer than this (text bytes, plus an allowance per article for
/// its markup) is split by chapter: its one page would pass ~50 KB.
const ONE_PAGE_BUDGET: usize = 40_000;
const MARKUP_PER_ARTICLE: usize = 260;

/// One page of a split law: a chapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LawPage {
    /// The folder under the law's: `c3`.
    pub slug: String,
    pub part: Option<String>,
    pub chapter: Option<String>,
    /// The article numbers on it, in order.
    pub articles: Vec<u32>,
}

/// The chapter pages of `law`, or none when it fits on one page (or has
/// no chapters to split by).
pub fn pages(law: &Law) -> Vec<LawPage> {
    let size: usize = law
        .articles
        .values()
        .map(|a| MARKUP_PER_ARTICLE + a.paragraphs.iter().map(String::len).sum::<usize>())
        .sum();
    if size <= ONE_PAGE_BUDGET || law.articles.values().all(|a| a.chapter.is_none()) {
        return Vec::new();
    }
    let mut out: Vec<LawPage> = Vec::new();
    for a in law.articles.values() {
        let same = out
            .last()
            .is_some_and(|p| p.part == a.part && p.chapter == a.chapter);
        if !same {
            out.push(LawPage {
                slug: format!("c{}", out.len() + 1),
                part: a.part.clone(),
                chapter: a.chapter.clone(),
                articles: Vec::new(),
            });
        }
        out.last_mut().expect("pushed").articles.push(a.number);
    }
    out
}

/// The folder of the page holding article `n` (`c3/`), or "" when the law
/// is on one page or does not ship the article (its contents page).
pub fn folder_of(pages: &[LawPage], n: u32) -> &str {
    // Pages hold ascending, disjoint runs of numbers.
    let i = pages.partition_point(|p| p.articles.last().is_some_and(|&last| last < n));
    match pages.get(i) {
        Some(p) if p.articles.binary_search(&n).is_ok() => &p.slug,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statutes::library;

    #[test]
    fn long_laws_are_split_by_chapter_and_short_ones_are_not() {
        let laws = library::laws();
        let law = |key: &str| laws.iter().find(|l| l.key == key).unwrap();
        assert!(pages(law("fanjiabaofa")).is_empty());
        let civil = pages(law("minfadian"));
        assert!(civil.len() > 10, "{}", civil.len());
        assert_eq!(civil[0].slug, "c1");
        assert_eq!(civil[0].part.as_deref(), Some("第一编 总则"));
        let c = folder_of(&civil, 1079);
        let page = civil.iter().find(|p| p.slug == c).unwrap();
        assert_eq!(page.chapter.as_deref(), Some("第四章 离婚"));
        assert_eq!(folder_of(&civil, 700), "", "not shipped: the contents page");
        assert_eq!(folder_of(&[], 3), "");
    }
}
