//! Checks of what articles say about the law, on their Markdown source:
//!
//! - [`misquotes`]: a quotation presented as statute text — 「《X法》第N条
//!   规定：“…”」, or a blockquote right after a paragraph ending in
//!   「《X法》第N条规定：」 — must be an excerpt of that article: whole
//!   paragraphs, or parts joined by 「……」, whitespace aside. Paraphrase
//!   outside quotation marks is never checked.
//! - [`unknown_laws`]: 《…法》第N条 of a law the site has no data for.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Statutes;

/// A quotation that is not the law's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misquote {
    /// Byte offset in the source where the quotation starts.
    pub offset: usize,
    /// Index into [`Statutes::laws`].
    pub law: usize,
    pub article: u32,
    /// Around the first difference: the quotation's text and the law's.
    pub quoted: String,
    pub official: String,
}

/// Words that introduce statute text.
const INTRODUCERS: [&str; 3] = ["规定：", "规定:", "规定，"];

/// Every quotation of a statute in `source` (an article's Markdown body)
/// that is not an excerpt of the article it names. Articles whose text the
/// site does not ship are not checked.
pub fn misquotes(source: &str, statutes: &Statutes) -> Vec<Misquote> {
    // Most articles quote nothing: look before parsing.
    if statutes.laws().is_empty() || !source.contains("条规定") {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut paragraph = Text::default();
    let mut pending: Option<(usize, u32)> = None;
    let mut quote_depth = 0usize;
    let mut block_quote: Option<(usize, u32, Text)> = None;
    for (event, range) in Parser::new_ext(source, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                quote_depth += 1;
                if quote_depth == 1
                    && let Some((law, article)) = pending.take()
                {
                    block_quote = Some((law, article, Text::default()));
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quote_depth = quote_depth.saturating_sub(1);
                if quote_depth == 0
                    && let Some((law, article, text)) = block_quote.take()
                {
                    check_one(statutes, law, article, &text, &mut found);
                }
            }
            Event::Start(Tag::Paragraph) => paragraph = Text::default(),
            Event::Text(t) => paragraph.push(&t, range.start),
            Event::SoftBreak | Event::HardBreak => paragraph.push("\n", range.start),
            Event::End(TagEnd::Paragraph) => {
                let text = std::mem::take(&mut paragraph);
                if let Some((_, _, quoted)) = &mut block_quote {
                    // The source line under a quotation is not statute text.
                    if !text.text.trim_start().starts_with('—') {
                        quoted.append(&text);
                    }
                    continue;
                }
                pending = inline_quotes(statutes, &text, &mut found);
            }
            Event::Start(
                Tag::Heading { .. } | Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(_),
            ) => {
                pending = None;
            }
            _ => {}
        }
    }
    found
}

/// A paragraph's text with, for each piece, where it came from.
#[derive(Debug, Default)]
struct Text {
    text: String,
    /// (offset in `text`, offset in the source), one per piece.
    origins: Vec<(usize, usize)>,
}

impl Text {
    fn push(&mut self, piece: &str, source_offset: usize) {
        self.origins.push((self.text.len(), source_offset));
        self.text.push_str(piece);
    }

    fn append(&mut self, other: &Text) {
        if !self.text.is_empty() {
            self.push("\n", other.origins.first().map_or(0, |o| o.1));
        }
        let base = self.text.len();
        self.origins
            .extend(other.origins.iter().map(|&(t, s)| (base + t, s)));
        self.text.push_str(&other.text);
    }

    /// The source offset of byte `at` of the text (exact while the piece
    /// holding it is a verbatim slice of the source, as text without
    /// escapes is).
    fn source_offset(&self, at: usize) -> usize {
        let i = self.origins.partition_point(|&(t, _)| t <= at);
        self.origins
            .get(i.saturating_sub(1))
            .map_or(0, |&(t, s)| s + (at - t))
    }
}

/// Checks the 「…规定：“…”」 quotations of one paragraph; returns the
/// citation the paragraph ends with, if it ends in 「规定：」 (a blockquote
/// may follow).
fn inline_quotes(statutes: &Statutes, p: &Text, found: &mut Vec<Misquote>) -> Option<(usize, u32)> {
    let text = p.text.as_str();
    let citations = statutes.find(text);
    let mut ends_introducing = None;
    for c in &citations {
        let [(_, article)] = c.links.as_slice() else {
            continue;
        };
        let after = &text[c.range.end..];
        let Some(intro) = INTRODUCERS.iter().find(|i| after.starts_with(**i)) else {
            continue;
        };
        let rest = &after[intro.len()..];
        if let Some(inner) = rest.strip_prefix('“') {
            let start = c.range.end + intro.len() + '“'.len_utf8();
            let end = start + inner.find('”').unwrap_or(inner.len());
            let quoted = Text {
                text: text[start..end].to_string(),
                origins: p
                    .origins
                    .iter()
                    .filter(|&&(t, _)| t > start && t < end)
                    .map(|&(t, s)| (t - start, s))
                    .chain([(0, p.source_offset(start))])
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            };
            check_one(statutes, c.law, *article, &quoted, found);
        } else if rest.trim().is_empty() {
            ends_introducing = Some((c.law, *article));
        }
    }
    ends_introducing
}

fn check_one(
    statutes: &Statutes,
    law: usize,
    article: u32,
    quoted: &Text,
    found: &mut Vec<Misquote>,
) {
    let Some(a) = statutes.laws()[law].articles.get(&article) else {
        return;
    };
    // The official layout starts an article with its number: 「第十九条　…」.
    let trimmed = quoted.text.trim_start();
    let label = super::article_label(article);
    let text = trimmed.strip_prefix(label.as_str()).unwrap_or(trimmed);
    let skipped = quoted.text.len() - text.len();
    if let Err((quoted_at, official_at, differs)) = excerpt(text, &a.paragraphs) {
        // The squeezed index of the difference, back to a byte of the text.
        let byte = text
            .char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .nth(differs)
            .map_or(0, |(i, _)| i);
        found.push(Misquote {
            offset: quoted.source_offset(skipped + byte),
            law,
            article,
            quoted: quoted_at,
            official: official_at,
        });
    }
}

/// Whether `quote` is an excerpt of the paragraphs: whole paragraphs in a
/// row, or pieces in order joined by 「……」 (each within the text), with
/// whitespace ignored. Otherwise, the quotation and the law around the
/// first difference, and where it is in the quotation (in characters that
/// are not whitespace).
fn excerpt(quote: &str, paragraphs: &[String]) -> Result<(), (String, String, usize)> {
    let squeeze = |s: &str| -> Vec<char> { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let law: Vec<Vec<char>> = paragraphs.iter().map(|p| squeeze(p)).collect();
    let whole: Vec<char> = law.concat();
    let quote = squeeze(quote);
    if !quote.contains(&'…') {
        // Whole paragraphs: starts where one starts and ends where one ends.
        let starts: Vec<usize> = law
            .iter()
            .scan(0, |at, p| {
                let s = *at;
                *at += p.len();
                Some(s)
            })
            .collect();
        let ok = starts.iter().any(|&s| {
            let end = s + quote.len();
            whole.get(s..end) == Some(&quote[..]) && (end == whole.len() || starts.contains(&end))
        });
        if ok {
            return Ok(());
        }
        return Err(difference(&quote, &whole, 0));
    }
    let mut from = 0;
    let mut piece_start = 0;
    for piece in quote.split(|&c| c == '…') {
        if !piece.is_empty() {
            match find(&whole[from..], piece) {
                Some(at) => from += at + piece.len(),
                None => return Err(difference(piece, &whole, piece_start)),
            }
        }
        piece_start += piece.len() + 1;
    }
    Ok(())
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Where `piece` (at `piece_start` in the quotation) best lines up with
/// the law (the longest run that agrees from its start), a few characters
/// either side of where they part, and where that is in the quotation.
fn difference(piece: &[char], law: &[char], piece_start: usize) -> (String, String, usize) {
    let agree = |at: usize| {
        piece
            .iter()
            .zip(&law[at..])
            .take_while(|(a, b)| a == b)
            .count()
    };
    let (at, same) = (0..law.len())
        .map(|at| (at, agree(at)))
        .max_by_key(|&(at, n)| (n, std::cmp::Reverse(at)))
        .unwrap_or((0, 0));
    let window = |s: &[char], from: usize| -> String {
        let lo = from.saturating_sub(8);
        let hi = (from + 12).min(s.len());
        let mut out: String = s[lo..from.min(s.len())].iter().collect();
        out.push('【');
        out.extend(s[from.min(s.len())..hi].iter());
        out.push('】');
        out
    };
    (
        window(piece, same),
        window(law, at + same),
        piece_start + same,
    )
}

/// A law name in 《》 followed by an article number, that no known law
/// answers to: (byte range of the name with its 《》, the name).
pub fn unknown_laws(text: &str, statutes: &Statutes) -> Vec<(Range<usize>, String)> {
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('《').map(|i| from + i) {
        let Some(close) = text[open..].find('》').map(|i| open + i) else {
            break;
        };
        from = close + '》'.len_utf8();
        let name = &text[open + '《'.len_utf8()..close];
        let cites_an_article =
            text[from..].starts_with('第') && text[from..].chars().take(12).any(|c| c == '条');
        let law_like = ["法", "条例", "规定", "解释", "决定", "办法"]
            .iter()
            .any(|s| name.ends_with(s));
        if !cites_an_article || !law_like || name.chars().count() > 60 || name.contains('《') {
            continue;
        }
        let known = statutes.laws().iter().any(|l| {
            l.aliases.iter().any(|a| a == name)
                || name
                    .strip_prefix("中华人民共和国")
                    .is_some_and(|n| l.aliases.iter().any(|a| a == n))
        });
        if !known && !out.iter().any(|(_, n)| n == name) {
            out.push((open..from, name.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statutes::{Law, StatuteArticle};

    fn statutes() -> Statutes {
        let mut articles = std::collections::BTreeMap::new();
        articles.insert(
            19,
            StatuteArticle {
                number: 19,
                part: None,
                chapter: None,
                section: None,
                paragraphs: vec![
                    "法律援助机构应当依法为家庭暴力受害人提供法律援助。".into(),
                    "人民法院应当依法对家庭暴力受害人缓收、减收或者免收诉讼费用。".into(),
                ],
            },
        );
        let law = Law {
            key: "fanjiabaofa".into(),
            origin: crate::statutes::Origin::Site,
            name: "中华人民共和国反家庭暴力法".into(),
            short: "反家庭暴力法".into(),
            aliases: vec!["中华人民共和国反家庭暴力法".into(), "反家庭暴力法".into()],
            effective: "2016-03-01".into(),
            history: Vec::new(),
            articles_total: 38,
            preamble: Vec::new(),
            articles,
        };
        Statutes::from_laws(vec![law])
    }

    #[test]
    fn whole_paragraphs_and_excerpts_pass() {
        let s = statutes();
        for ok in [
            "《反家庭暴力法》第十九条规定：“法律援助机构应当依法为家庭暴力受害人提供法律援助。”",
            "《反家庭暴力法》第十九条规定：“法律援助机构应当依法为家庭暴力受害人提供法律援助。人民法院应当依法对家庭暴力受害人缓收、减收或者免收诉讼费用。”",
            "《反家庭暴力法》第十九条规定：“法律援助机构……提供法律援助。”",
            "《反家庭暴力法》第十九条规定：“法律援助机构应当依法为家庭暴力受害人提供法律援助。……”",
            "《反家庭暴力法》第十九条规定：\n\n> 法律援助机构应当依法为家庭暴力受害人提供法律援助。\n>\n> 人民法院应当依法对家庭暴力受害人缓收、减收或者免收诉讼费用。\n>\n> ——《中华人民共和国反家庭暴力法》\n",
            "《反家庭暴力法》第十九条规定：\n\n> 第十九条　法律援助机构应当依法为家庭暴力受害人提供法律援助。\n",
            // Paraphrase is not checked.
            "《反家庭暴力法》第十九条规定，法律援助机构要为受害人提供帮助。",
            // Only the text the site ships is checked.
            "《反家庭暴力法》第二十条规定：“随便写的。”",
        ] {
            assert_eq!(misquotes(ok, &s), vec![], "{ok}");
        }
    }

    #[test]
    fn a_changed_character_is_found_and_shown() {
        let s = statutes();
        let text = "受害人有权获得帮助。《反家庭暴力法》第十九条规定：“法律援助机构应当依法为家庭暴力受害人提供免费法律援助。”";
        let m = misquotes(text, &s);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].article, 19);
        assert!(m[0].quoted.contains("【免费"), "{:?}", m[0]);
        assert!(m[0].official.contains("【法律援助"), "{:?}", m[0]);
        assert!(
            text[m[0].offset..].starts_with("免费"),
            "{}",
            &text[m[0].offset..]
        );
        // Half a paragraph without 「……」 is not a quotation of the law.
        let m = misquotes("《反家庭暴力法》第十九条规定：“法律援助机构应当依法”", &s);
        assert_eq!(m.len(), 1);
        let m = misquotes(
            "《反家庭暴力法》第十九条规定：\n\n> 法律援助机构应当依法为家庭暴力受害人提供法律帮助。\n",
            &s,
        );
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn unknown_laws_are_named_once() {
        let s = statutes();
        let found = unknown_laws(
            "依照《劳动合同法》第四十二条、《劳动合同法》第四十五条，以及《反家庭暴力法》第十九条。《红楼梦》第三回。",
            &s,
        );
        let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["劳动合同法"]);
    }
}
