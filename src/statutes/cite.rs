//! Finding citations of known laws in a run of text.
//!
//! A citation is a law reference followed by one or more article mentions:
//!
//! ```text
//! citation  = lawref spaces? mention (joiner mention)*
//! lawref    = "《" alias qualifier? "》" qualifier? | alias qualifier?
//! qualifier = 第X编 | 2-8 Han characters ending in 编      (民法典总则编, 《民法典》婚姻家庭编)
//! mention   = 第 N 条 sub*  |  第 N 至 第? N 条 sub*      (N: Chinese numeral or digits)
//! sub       = 第 N 款 | 第 N 项 | 第（N）项, also joined: 第一款和第二款
//! joiner    = 、 和 及 以及 与 或 或者, and 至 到 (a range)
//! ```
//!
//! A bare mention (`第二十五条`) is a citation only when it continues one:
//! right after it (then it is part of it), or later in the same clause after
//! a joiner, with nothing between that could belong to another law (no 第,
//! no 《》, no sentence end). `本法第二十三条`, `《治安管理处罚法》第五十条`
//! and article numbers alone are left alone.

use std::collections::HashMap;
use std::ops::Range;

use super::numerals::parse_chinese_number;
use super::{Citation, Law, Statutes};

/// Ranges wider than this are not expanded (only their ends are cited).
const MAX_RANGE: u32 = 200;
/// How far (in characters) a bare continuation may be from the citation it continues.
const MAX_GAP: usize = 40;
/// Longest 《title》 skipped as a whole when it names no known law.
const MAX_TITLE: usize = 60;

const JOINERS: [(&str, bool); 9] = [
    ("以及", false),
    ("或者", false),
    ("、", false),
    ("和", false),
    ("及", false),
    ("与", false),
    ("或", false),
    ("至", true),
    ("到", true),
];

/// Aliases by their first character, longest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    by_first: HashMap<char, Vec<(String, usize)>>,
}

impl Matcher {
    pub(crate) fn new(laws: &[Law]) -> Matcher {
        let mut by_first: HashMap<char, Vec<(String, usize)>> = HashMap::new();
        for (i, law) in laws.iter().enumerate() {
            for alias in &law.aliases {
                let alias = alias.trim_start_matches('《').trim_end_matches('》');
                let Some(c) = alias.chars().next() else {
                    continue;
                };
                let list = by_first.entry(c).or_default();
                if !list.iter().any(|(a, _)| a == alias) {
                    list.push((alias.to_string(), i));
                }
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(alias, _)| std::cmp::Reverse(alias.len()));
        }
        Matcher { by_first }
    }

    /// The longest alias starting at `pos`: its law and where it ends.
    fn alias_at(&self, text: &str, pos: usize) -> Option<(usize, usize)> {
        let rest = &text[pos..];
        let c = rest.chars().next()?;
        self.by_first
            .get(&c)?
            .iter()
            .find(|(a, _)| rest.starts_with(a.as_str()))
            .map(|(a, law)| (*law, pos + a.len()))
    }
}

/// One `第…条` with its 款/项.
#[derive(Debug, Clone)]
struct Mention {
    range: Range<usize>,
    first: u32,
    /// Differs from `first` for a compact range: 第二十三至二十五条.
    last: u32,
    /// Joined to the previous mention by 至/到.
    range_from_previous: bool,
}

pub(crate) fn find(statutes: &Statutes, text: &str) -> Vec<Citation> {
    let matcher = &statutes.matcher;
    let mut out: Vec<Citation> = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        if let Some((law, after)) = law_ref(matcher, text, pos)
            && let Some(mentions) = list(text, after)
        {
            let citation = build(&statutes.laws[law], law, pos, &mentions);
            pos = citation.range.end;
            out.push(citation);
            continue;
        }
        if c == '《' {
            // A title that is not a citation: skip it whole, so that nothing
            // inside it (《关于修改〈…〉的决定》) is taken for one.
            if let Some(end) = title_end(text, pos) {
                pos = end;
                continue;
            }
        }
        if c == '第' {
            let previous = out.last().map(|p| (p.law, p.range.end));
            if let Some((law, previous_end)) = previous
                && continues(text, previous_end, pos)
                && let Some(mentions) = list(text, pos)
            {
                let citation = build(&statutes.laws[law], law, pos, &mentions);
                pos = citation.range.end;
                out.push(citation);
                continue;
            }
            // A mention that cites nothing: skip it whole.
            if let Some(m) = mention(text, pos) {
                pos = m.range.end;
                continue;
            }
        }
        // A law named without an article: skip the name, so that a shorter
        // alias inside it is not tried.
        if let Some((_, end)) = matcher.alias_at(text, pos) {
            pos = end;
            continue;
        }
        pos += c.len_utf8();
    }
    out
}

fn build(law: &Law, index: usize, start: usize, mentions: &[Mention]) -> Citation {
    let mut articles: Vec<u32> = Vec::new();
    let mut push = |n: u32| {
        if !articles.contains(&n) {
            articles.push(n);
        }
    };
    for (i, m) in mentions.iter().enumerate() {
        if m.range_from_previous && i > 0 {
            let a = mentions[i - 1].last;
            let b = m.first;
            if a < b && b - a <= MAX_RANGE {
                (a + 1..b).for_each(&mut push);
            }
        }
        if m.first < m.last && m.last - m.first <= MAX_RANGE {
            (m.first..=m.last).for_each(&mut push);
        } else {
            push(m.first);
            push(m.last);
        }
    }
    let in_range = |n: u32| n >= 1 && n <= law.articles_total;
    let links = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| in_range(m.first))
        .map(|(i, m)| {
            let from = if i == 0 { start } else { m.range.start };
            (from..m.range.end, m.first)
        })
        .collect();
    let out_of_range = articles.iter().copied().filter(|&n| !in_range(n)).collect();
    let missing = articles
        .iter()
        .copied()
        .filter(|&n| in_range(n) && !law.articles.contains_key(&n))
        .collect();
    Citation {
        range: start..mentions.last().map_or(start, |m| m.range.end),
        law: index,
        articles,
        links,
        out_of_range,
        missing,
    }
}

/// A law's name at `pos` (with or without 《》, with a 编 qualifier): the law
/// and where the article mentions may start.
fn law_ref(matcher: &Matcher, text: &str, pos: usize) -> Option<(usize, usize)> {
    let (law, end) = if text[pos..].starts_with('《') {
        let (law, end) = matcher.alias_at(text, pos + '《'.len_utf8())?;
        let end = eat(text, qualifier(text, end), '》')?;
        (law, qualifier(text, end))
    } else {
        let (law, end) = matcher.alias_at(text, pos)?;
        (law, qualifier(text, end))
    };
    Some((law, spaces(text, end)))
}

/// Skips `总则编`, `婚姻家庭编`, `第五编` after a law's name.
fn qualifier(text: &str, pos: usize) -> usize {
    let rest = &text[pos..];
    if let Some(after) = rest.strip_prefix('第') {
        let n = numeral_len(after);
        if n > 0 && after[n..].starts_with('编') {
            return pos + '第'.len_utf8() + n + '编'.len_utf8();
        }
        return pos;
    }
    let mut len = 0;
    for (count, c) in rest.chars().enumerate() {
        if count >= 8 || !is_han(c) || c == '第' {
            break;
        }
        len += c.len_utf8();
        if c == '编' {
            return if count >= 2 { pos + len } else { pos };
        }
    }
    pos
}

/// Mentions joined by joiners, starting at `pos`.
fn list(text: &str, pos: usize) -> Option<Vec<Mention>> {
    let mut mentions = vec![mention(text, pos)?];
    loop {
        let end = mentions[mentions.len() - 1].range.end;
        let Some((after, is_range)) = joiner(text, end) else {
            break;
        };
        let Some(mut m) = mention(text, after) else {
            break;
        };
        m.range_from_previous = is_range;
        mentions.push(m);
    }
    Some(mentions)
}

/// `第…条` and its 款/项 at `pos`.
fn mention(text: &str, pos: usize) -> Option<Mention> {
    let p = eat(text, pos, '第')?;
    let (first, mut p) = number(text, p)?;
    let mut last = first;
    // 第二十三至二十五条, 第二十三至第二十五条
    if let Some((after, true)) = joiner(text, p) {
        let q = eat(text, after, '第').unwrap_or(after);
        if let Some((n, e)) = number(text, q)
            && text[e..].starts_with('条')
        {
            last = n;
            p = e;
        }
    }
    let mut p = eat(text, p, '条')?;
    // 第一百二十条之一 is an article of its own.
    if let Some(after) = text[p..].strip_prefix('之')
        && numeral_len(after) > 0
    {
        return None;
    }
    loop {
        if let Some(e) = sub(text, p) {
            p = e;
        } else if let Some(e) = joiner(text, p).and_then(|(after, _)| sub(text, after)) {
            p = e;
        } else {
            break;
        }
    }
    Some(Mention {
        range: pos..p,
        first,
        last,
        range_from_previous: false,
    })
}

/// `第一款`, `第三项`, `第（一）项` at `pos`: where it ends.
fn sub(text: &str, pos: usize) -> Option<usize> {
    let mut p = eat(text, pos, '第')?;
    let paren = eat(text, p, '（').or_else(|| eat(text, p, '('));
    if let Some(after) = paren {
        p = after;
    }
    let (_, mut p) = number(text, p)?;
    if paren.is_some() {
        p = eat(text, p, '）').or_else(|| eat(text, p, ')'))?;
        return eat(text, p, '项');
    }
    eat(text, p, '款').or_else(|| eat(text, p, '项'))
}

/// A joiner at `pos` (spaces around allowed): where the next mention may
/// start, and whether it makes a range.
fn joiner(text: &str, pos: usize) -> Option<(usize, bool)> {
    let p = spaces(text, pos);
    let rest = &text[p..];
    JOINERS
        .iter()
        .find(|(j, _)| rest.starts_with(j))
        .map(|(j, is_range)| (spaces(text, p + j.len()), *is_range))
}

/// Whether a bare mention at `pos` continues the citation that ended at
/// `previous_end`: a joiner right before it, and between the two only
/// ordinary words of the same clause.
fn continues(text: &str, previous_end: usize, pos: usize) -> bool {
    let before = text[previous_end..pos].trim_end_matches([' ', '\u{3000}']);
    let Some(gap) = JOINERS.iter().find_map(|(j, _)| before.strip_suffix(j)) else {
        return false;
    };
    gap.chars().count() <= MAX_GAP
        && !gap.chars().any(|c| {
            matches!(
                c,
                '第' | '《'
                    | '》'
                    | '〈'
                    | '〉'
                    | '。'
                    | '！'
                    | '？'
                    | '；'
                    | '!'
                    | '?'
                    | ';'
                    | '\n'
            )
        })
}

/// An article number: a Chinese numeral, or digits (ASCII or full-width,
/// spaces around allowed). The number and where it ends.
fn number(text: &str, pos: usize) -> Option<(u32, usize)> {
    let start = spaces(text, pos);
    let mut value = 0u32;
    let mut digits = 0;
    let mut end = start;
    for c in text[start..].chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => break,
        };
        digits += 1;
        if digits > 5 {
            return None;
        }
        value = value * 10 + d;
        end += c.len_utf8();
    }
    if digits > 0 {
        return Some((value, spaces(text, end)));
    }
    let rest = &text[pos..];
    let len = numeral_len(rest);
    if len == 0 {
        return None;
    }
    parse_chinese_number(&rest[..len]).map(|n| (n, pos + len))
}

/// Bytes of Chinese numeral characters at the start of `s`.
fn numeral_len(s: &str) -> usize {
    s.chars()
        .take_while(|c| "零一二三四五六七八九十百千两".contains(*c))
        .take(12)
        .map(char::len_utf8)
        .sum()
}

/// Where a 《title》 starting at `pos` ends (after its 》), if it closes soon.
fn title_end(text: &str, pos: usize) -> Option<usize> {
    let mut end = pos;
    for (i, c) in text[pos..].chars().enumerate() {
        end += c.len_utf8();
        if c == '》' {
            return Some(end);
        }
        if i > MAX_TITLE || (i > 0 && c == '《') {
            return None;
        }
    }
    None
}

fn eat(text: &str, pos: usize, c: char) -> Option<usize> {
    text[pos..].starts_with(c).then(|| pos + c.len_utf8())
}

fn spaces(text: &str, pos: usize) -> usize {
    pos + text[pos..]
        .chars()
        .take_while(|c| matches!(c, ' ' | '\u{3000}' | '\u{a0}'))
        .take(2)
        .map(char::len_utf8)
        .sum::<usize>()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

#[cfg(test)]
mod tests {
    use super::super::tests::law;
    use super::*;

    fn statutes() -> Statutes {
        let mut fanjiabao = law(
            "fanjiabaofa",
            "中华人民共和国反家庭暴力法",
            "反家庭暴力法",
            38,
            &(1..=38).collect::<Vec<_>>(),
        );
        fanjiabao.aliases.push("反家暴法".into());
        Statutes::from_laws(vec![
            law(
                "minfadian",
                "中华人民共和国民法典",
                "民法典",
                1260,
                &[26, 1042, 1049, 1079, 1080, 1084, 1085, 1086],
            ),
            fanjiabao,
            law(
                "funvquanyi",
                "中华人民共和国妇女权益保障法",
                "妇女权益保障法",
                86,
                &[23, 25],
            ),
            law("xianfa", "中华人民共和国宪法", "宪法", 143, &[48, 49]),
        ])
    }

    /// (cited text, law key, articles) for each citation.
    fn cites(text: &str) -> Vec<(String, String, Vec<u32>)> {
        let s = statutes();
        s.find(text)
            .into_iter()
            .map(|c| {
                (
                    text[c.range.clone()].to_string(),
                    s.laws()[c.law].key.clone(),
                    c.articles,
                )
            })
            .collect()
    }

    fn one(text: &str, cited: &str, key: &str, articles: &[u32]) {
        assert_eq!(
            cites(text),
            vec![(cited.to_string(), key.to_string(), articles.to_vec())],
            "in {text:?}"
        );
    }

    /// The linked parts of each citation, with their numbers.
    fn links(text: &str) -> Vec<(String, u32)> {
        statutes()
            .find(text)
            .into_iter()
            .flat_map(|c| c.links)
            .map(|(r, n)| (text[r].to_string(), n))
            .collect()
    }

    #[test]
    fn full_name_with_and_without_brackets() {
        one(
            "根据《中华人民共和国民法典》第一千零四十二条规定",
            "《中华人民共和国民法典》第一千零四十二条",
            "minfadian",
            &[1042],
        );
        one(
            "中华人民共和国民法典第一千零四十二条规定",
            "中华人民共和国民法典第一千零四十二条",
            "minfadian",
            &[1042],
        );
    }

    #[test]
    fn alias_with_and_without_brackets() {
        one(
            "《民法典》第1079条",
            "《民法典》第1079条",
            "minfadian",
            &[1079],
        );
        one(
            "依照民法典第1079条起诉",
            "民法典第1079条",
            "minfadian",
            &[1079],
        );
        one(
            "反家暴法第二十三条",
            "反家暴法第二十三条",
            "fanjiabaofa",
            &[23],
        );
        // The full name is tried before the short one inside it.
        one(
            "《中华人民共和国反家庭暴力法》第二条",
            "《中华人民共和国反家庭暴力法》第二条",
            "fanjiabaofa",
            &[2],
        );
        one(
            "民法典 第 1079 条",
            "民法典 第 1079 条",
            "minfadian",
            &[1079],
        );
        one(
            "民法典第１０７９条",
            "民法典第１０７９条",
            "minfadian",
            &[1079],
        );
    }

    #[test]
    fn paragraphs_and_items_belong_to_the_article() {
        one(
            "《反家庭暴力法》第二十三条第一款规定",
            "《反家庭暴力法》第二十三条第一款",
            "fanjiabaofa",
            &[23],
        );
        one(
            "妇女权益保障法第二十三条第二项",
            "妇女权益保障法第二十三条第二项",
            "funvquanyi",
            &[23],
        );
        one(
            "反家庭暴力法第十七条第（一）项",
            "反家庭暴力法第十七条第（一）项",
            "fanjiabaofa",
            &[17],
        );
        one(
            "反家庭暴力法第二十九条第一款第(三)项",
            "反家庭暴力法第二十九条第一款第(三)项",
            "fanjiabaofa",
            &[29],
        );
        one(
            "反家庭暴力法第十三条第一款和第二款",
            "反家庭暴力法第十三条第一款和第二款",
            "fanjiabaofa",
            &[13],
        );
    }

    #[test]
    fn ranges() {
        one(
            "《反家庭暴力法》第二十三条至第二十五条",
            "《反家庭暴力法》第二十三条至第二十五条",
            "fanjiabaofa",
            &[23, 24, 25],
        );
        one(
            "民法典第1084条至第1086条规定",
            "民法典第1084条至第1086条",
            "minfadian",
            &[1084, 1085, 1086],
        );
        one(
            "反家庭暴力法第二十三至二十五条",
            "反家庭暴力法第二十三至二十五条",
            "fanjiabaofa",
            &[23, 24, 25],
        );
        one(
            "反家庭暴力法第二十三至第二十五条",
            "反家庭暴力法第二十三至第二十五条",
            "fanjiabaofa",
            &[23, 24, 25],
        );
        one(
            "反家庭暴力法第二十三条到第二十五条",
            "反家庭暴力法第二十三条到第二十五条",
            "fanjiabaofa",
            &[23, 24, 25],
        );
        // Backwards: both ends, nothing between.
        one(
            "反家庭暴力法第二十五条至第二十三条",
            "反家庭暴力法第二十五条至第二十三条",
            "fanjiabaofa",
            &[25, 23],
        );
        assert_eq!(
            links("《反家庭暴力法》第二十三条至第二十五条"),
            [
                ("《反家庭暴力法》第二十三条".to_string(), 23),
                ("第二十五条".to_string(), 25)
            ]
        );
    }

    #[test]
    fn lists() {
        one(
            "反家庭暴力法第二条、第三条",
            "反家庭暴力法第二条、第三条",
            "fanjiabaofa",
            &[2, 3],
        );
        one(
            "反家庭暴力法第二条和第三条",
            "反家庭暴力法第二条和第三条",
            "fanjiabaofa",
            &[2, 3],
        );
        one(
            "宪法第四十八条和第四十九条",
            "宪法第四十八条和第四十九条",
            "xianfa",
            &[48, 49],
        );
        one(
            "民法典第一千零六十二条、第一千零六十三条",
            "民法典第一千零六十二条、第一千零六十三条",
            "minfadian",
            &[1062, 1063],
        );
        one(
            "反家庭暴力法第二条、第三条及第五条以及第六条",
            "反家庭暴力法第二条、第三条及第五条以及第六条",
            "fanjiabaofa",
            &[2, 3, 5, 6],
        );
        one(
            "反家庭暴力法第二十三条第一款、第二十五条",
            "反家庭暴力法第二十三条第一款、第二十五条",
            "fanjiabaofa",
            &[23, 25],
        );
        assert_eq!(
            links("（民法典第一千零四十九条、第一千零八十条）"),
            [
                ("民法典第一千零四十九条".to_string(), 1049),
                ("第一千零八十条".to_string(), 1080)
            ]
        );
    }

    #[test]
    fn a_bare_number_continues_a_citation_in_the_same_clause() {
        let text = "民法典第1079条规定了诉讼离婚，以及第1080条";
        let found = statutes().find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[1].range.clone()], "第1080条");
        assert_eq!(found[1].law, 0);
        // Not across a sentence end, another 第…条 or a title.
        assert_eq!(cites("民法典第1079条规定了诉讼离婚。以及第1080条").len(), 1);
        assert_eq!(
            cites("民法典第1079条，刑法第二百六十条和第二百六十一条").len(),
            1
        );
        assert_eq!(
            cites("民法典第1079条，《治安管理处罚法》第五十条和第五十一条").len(),
            1
        );
        // Not without a joiner.
        assert_eq!(cites("民法典第1079条规定了诉讼离婚，第1080条").len(), 1);
    }

    #[test]
    fn numbers_alone_and_this_law_are_left_alone() {
        assert!(cites("第二十三条规定，本法第二十三条和第二十五条").is_empty());
        assert!(cites("但是本法第一千零六十三条第三项规定的除外").is_empty());
        assert!(cites("依照第1079条").is_empty());
        assert!(cites("民法典规定了很多内容，第1079条说").is_empty());
        assert!(cites("民法典第五编").is_empty());
        assert!(cites("刑法第一百二十条之一").is_empty());
        assert!(cites("民法典第一百二十条之一").is_empty());
    }

    #[test]
    fn unknown_laws_are_left_alone() {
        assert!(cites("《治安管理处罚法》第五十条").is_empty());
        assert!(cites("《关于修改〈中华人民共和国妇女权益保障法〉的决定》第一次修正").is_empty());
        assert!(
            cites(
                "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第二十九条"
            )
            .is_empty()
        );
        assert!(cites("《民法典释义》第三条").is_empty());
        assert!(cites("宪法修正案第五条").is_empty());
    }

    #[test]
    fn qualifiers_between_the_law_and_the_article() {
        one(
            "民法典总则编第二十六条第二款",
            "民法典总则编第二十六条第二款",
            "minfadian",
            &[26],
        );
        one(
            "《民法典》婚姻家庭编第1079条",
            "《民法典》婚姻家庭编第1079条",
            "minfadian",
            &[1079],
        );
        one(
            "《民法典婚姻家庭编》第1079条",
            "《民法典婚姻家庭编》第1079条",
            "minfadian",
            &[1079],
        );
        one(
            "民法典第五编第1079条",
            "民法典第五编第1079条",
            "minfadian",
            &[1079],
        );
    }

    #[test]
    fn out_of_range_and_missing_articles_are_reported() {
        let s = statutes();
        let found = s.find("《反家庭暴力法》第三十九条和第三十八条，民法典第一千零四十三条、第0条");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].articles, [39, 38]);
        assert_eq!(found[0].out_of_range, [39]);
        assert!(found[0].missing.is_empty());
        // The out-of-range mention is not linked; the next one is.
        assert_eq!(found[0].links.len(), 1);
        assert_eq!(found[0].links[0].1, 38);
        assert_eq!(found[1].articles, [1043, 0]);
        assert_eq!(found[1].out_of_range, [0]);
        assert_eq!(found[1].missing, [1043]);
        assert_eq!(found[1].links.len(), 1);
    }

    #[test]
    fn several_citations_in_one_run_in_order() {
        let text = "民法典第一千零四十二条第三款更是明确写着：“禁止家庭暴力。”《反家庭暴力法》第二十条规定，妇女权益保障法第二十五条要求。";
        let c = cites(text);
        assert_eq!(
            c.iter()
                .map(|(t, k, a)| (t.as_str(), k.as_str(), a.clone()))
                .collect::<Vec<_>>(),
            [
                ("民法典第一千零四十二条第三款", "minfadian", vec![1042]),
                ("《反家庭暴力法》第二十条", "fanjiabaofa", vec![20]),
                ("妇女权益保障法第二十五条", "funvquanyi", vec![25]),
            ]
        );
        // Ranges are byte ranges of this text, non-overlapping.
        let found = statutes().find(text);
        for pair in found.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start);
        }
    }

    /// Random text made of the characters that matter: no panic, ranges on
    /// character boundaries, in order and non-overlapping, links inside.
    #[test]
    fn random_text_never_breaks_it() {
        let pieces = [
            "第",
            "条",
            "款",
            "项",
            "至",
            "、",
            "和",
            "以及",
            "之",
            "一",
            "二",
            "十",
            "百",
            "千",
            "零",
            "两",
            "1",
            "0",
            "９",
            " ",
            "　",
            "《",
            "》",
            "〈",
            "（",
            "）",
            "编",
            "总则",
            "民法典",
            "中华人民共和国民法典",
            "反家暴法",
            "宪法",
            "。",
            "，",
            "本法",
            "x",
            "\n",
        ];
        let s = statutes();
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let found = s.find(&text);
            let mut end = 0;
            for c in &found {
                assert!(
                    c.range.start >= end && c.range.start < c.range.end,
                    "{text:?}"
                );
                assert!(text.is_char_boundary(c.range.start) && text.is_char_boundary(c.range.end));
                assert!(!c.articles.is_empty());
                for (r, _) in &c.links {
                    assert!(r.start >= c.range.start && r.end <= c.range.end, "{text:?}");
                }
                end = c.range.end;
            }
        }
    }

    #[test]
    fn a_law_named_without_an_article_is_not_a_citation() {
        assert!(cites("《民法典》规定，夫妻应当互相忠实").is_empty());
        assert!(cites("民法典、反家庭暴力法").is_empty());
        // A title of the law without an article does not stop later citations.
        one(
            "《民法典》规定：民法典第1042条",
            "民法典第1042条",
            "minfadian",
            &[1042],
        );
    }
}
