//! Finding citations of known laws in text, and the laws that article
//! numbers standing alone refer to.
//!
//! A citation is a law reference followed by one or more article mentions:
//!
//! ```text
//! citation  = lawref spaces? mention (joiner mention)*
//! lawref    = "《" alias qualifier? "》" qualifier? | alias qualifier? | 本法 | 该法 | 同法
//! qualifier = 第X编 | 2-8 Han characters ending in 编      (民法典总则编, 《民法典》婚姻家庭编)
//! mention   = 第 N 条 sub*  |  第 N 至 第? N 条 sub*      (N: Chinese numeral or digits)
//! sub       = 第 N 款 | 第 N 项 | 第（N）项, also joined: 第一款和第二款
//! joiner    = 、 和 及 以及 与 或 或者, and 至 到 (a range)
//! ```
//!
//! A [`Context`] reads an article's text in order, one paragraph (a `<p>`,
//! list item, table cell, …) at a time, even when emphasis or links cut a
//! paragraph into several runs of text, and keeps what was named in it. A
//! bare mention (`第一千零七十七条`), or one after 本法, 该法 or 同法, cites
//!
//! 1. the law named last before it in its paragraph; else
//! 2. inside a blockquote of a law, that law (there 本法 always means it):
//!    a quote that a paragraph ending in `…第N条规定：` leads into quotes
//!    the law that paragraph cites; else one whose last paragraph names
//!    its source (`——《中华人民共和国民法典》`) quotes that law; else
//! 3. the law named by the nearest heading above it, among the headings of
//!    its section and the sections around that, that names any: if that
//!    heading names exactly one law.
//!
//! A mention never reaches past something else that is named: a 《…法》,
//! 《…条例》 or 《…解释》 title of a law pufa has no data for, a title or
//! word right before a 第…条 (`《民法典释义》第三条`, `劳动合同法第四十二条`):
//! from there on the paragraph's bare mentions are left alone, and so is a
//! mention (or 本法, 该法, 同法) right after a word that does not usually
//! lead to an article number (`具备第二十七条`, `基本法第二十三条`; the words
//! that do end in one of `INTRODUCERS`). A guess may cost a link, never an
//! error: when the law found so does not have one of the numbers, the
//! whole list of mentions is left alone, silently.
//!
//! A bare mention joined to the citation just before it, in the same clause
//! (`民法典第1079条规定了诉讼离婚，以及第1080条`), continues that citation
//! and is checked like it: a number the law does not have is an error.

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
/// Most characters between a paragraph's last mention and the colon that
/// ends it, for the paragraph to lead into a quote (`第二十条也规定：`).
const MAX_LEAD_IN: usize = 10;

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

/// The Chinese characters after which a bare mention may follow what came
/// before: joiners and the ends of 依照, 根据, 按照, 参见, 适用, 违反, 上述, …
/// (after any other, `具备第二十七条`, `劳动合同法第四十二条`, the mention
/// may well belong to something else).
const INTRODUCERS: &str =
    "及和与或至到但而即并且又还也再依照据按见如从自对由在于将把用反述看读查是了为以就除";

/// How titles of laws, regulations and judicial interpretations end
/// (after a `（一）`, `（试行）`).
const LAW_ENDINGS: [&str; 21] = [
    "法",
    "典",
    "条例",
    "解释",
    "规定",
    "办法",
    "决定",
    "细则",
    "规则",
    "通则",
    "意见",
    "批复",
    "公约",
    "章程",
    "修正案",
    "条约",
    "宪章",
    "议定书",
    "规章",
    "决议",
    "通知",
];

/// Aliases by their first character, longest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    by_first: HashMap<char, Vec<(String, usize)>>,
    /// Bit `c % 128` is set for each first character `c`: most characters
    /// of a text are looked up with a shift instead of a hash.
    first_bits: u128,
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
        let first_bits = by_first.keys().fold(0, |bits, &c| bits | first_bit(c));
        Matcher {
            by_first,
            first_bits,
        }
    }

    /// The longest alias starting at `pos`: its law and where it ends.
    fn alias_at(&self, text: &str, pos: usize) -> Option<(usize, usize)> {
        let rest = &text[pos..];
        let c = rest.chars().next()?;
        if self.first_bits & first_bit(c) == 0 {
            return None;
        }
        self.by_first
            .get(&c)?
            .iter()
            .find(|(a, _)| rest.starts_with(a.as_str()))
            .map(|(a, law)| (*law, pos + a.len()))
    }
}

fn first_bit(c: char) -> u128 {
    1 << (c as u32 % 128)
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

/// Something the text names: a law of the site, or something else (a law,
/// regulation or book pufa has no data for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Law(usize),
    Other,
}

impl Named {
    fn law(self) -> Option<usize> {
        match self {
            Named::Law(law) => Some(law),
            Named::Other => None,
        }
    }
}

/// What the paragraph's text read so far ends with (spaces aside).
#[derive(Debug, Clone, Copy, Default)]
enum Before {
    /// Nothing: the paragraph starts here.
    #[default]
    Start,
    /// The name of a law of the site.
    Law,
    Char(char),
}

/// A paragraph's last mention: what it cites (`None`: nothing found), and
/// the text after it, while short.
#[derive(Debug, Clone, Default)]
struct Tail {
    law: Option<Named>,
    after: String,
    long: bool,
}

/// The paragraph being read.
#[derive(Debug, Clone, Default)]
struct Paragraph {
    /// What was named last.
    last: Option<Named>,
    before: Before,
    /// Its text not read yet. It has no 条, so it matters only when a
    /// mention follows it in the paragraph or the paragraph leads into a
    /// quote; most paragraphs end without either, and it is never read.
    pending: String,
    tail: Option<Tail>,
    /// Everything named, while reading a heading.
    names: Option<Vec<Named>>,
}

impl Paragraph {
    /// Empty again, keeping the space it has.
    fn clear(&mut self) {
        self.last = None;
        self.before = Before::Start;
        self.pending.clear();
        self.tail = None;
        self.names = None;
    }
}

/// Reads the text of one article in order, finding its citations with
/// what came before them: see the module's documentation. The caller says
/// where paragraphs, headings, quotes and footnotes start and end.
#[derive(Debug, Clone)]
pub struct Context<'s> {
    statutes: &'s Statutes,
    /// The headings above, by level, and what each names (`None`: no law).
    headings: Vec<(u8, Option<Named>)>,
    /// For each blockquote and footnote around the text, innermost last:
    /// what the text inside it quotes, its own or that of the block around
    /// it (`Other` in a footnote, written where the author chose, usually
    /// at the end: not under the heading above it).
    enclosing: Vec<Option<Named>>,
    /// What the paragraph that just ended leads into a quote of.
    lead_in: Option<Named>,
    paragraph: Paragraph,
}

impl<'s> Context<'s> {
    pub(crate) fn new(statutes: &'s Statutes) -> Context<'s> {
        Context {
            statutes,
            headings: Vec::new(),
            enclosing: Vec::new(),
            lead_in: None,
            paragraph: Paragraph::default(),
        }
    }

    /// For the text of an article of the law `law`: 本法, and bare mentions
    /// no other name comes before, mean that law.
    pub(crate) fn quoting(statutes: &'s Statutes, law: usize) -> Context<'s> {
        let mut context = Context::new(statutes);
        context.enclosing.push(Some(Named::Law(law)));
        context
    }

    /// The citations in the next run of plain text of the paragraph, in
    /// order and non-overlapping (the caller guarantees the text is not
    /// inside code, a link or a heading).
    pub fn find(&mut self, text: &str) -> Vec<Citation> {
        if self.statutes.laws.is_empty() {
            return Vec::new();
        }
        // Every citation has 条 in it; most runs of text have none.
        if !text.contains('条') {
            self.paragraph.pending.push_str(text);
            return Vec::new();
        }
        self.read_pending();
        self.read(text, true)
    }

    /// Text of the paragraph that is not searched for citations (a link's
    /// text, code): what it names counts all the same.
    pub fn note(&mut self, text: &str) {
        if !self.statutes.laws.is_empty() {
            self.paragraph.pending.push_str(text);
        }
    }

    /// A heading of `level` (1 to 6) and its text: what it names applies
    /// under it, until the next heading of its level or above.
    pub fn heading(&mut self, level: u8, text: &str) {
        let named = self.names_in(text);
        while self.headings.last().is_some_and(|&(l, _)| l >= level) {
            self.headings.pop();
        }
        self.headings.push((level, named));
    }

    /// What a heading or a quote's source names: nothing, one law, or
    /// something else (two laws, a law pufa has no data for).
    fn names_in(&mut self, text: &str) -> Option<Named> {
        if self.statutes.laws.is_empty() {
            return None;
        }
        self.boundary();
        self.paragraph.names = Some(Vec::new());
        self.read(text, false);
        let names = self.paragraph.names.take().unwrap_or_default();
        self.boundary();
        let first = *names.first()?;
        Some(if names.iter().all(|&n| n == first) {
            first
        } else {
            Named::Other
        })
    }

    /// A paragraph, list item or table cell ends.
    pub fn end_paragraph(&mut self) {
        let lead_in = self.lead_in_here();
        self.paragraph.clear();
        self.lead_in = lead_in;
    }

    /// A blockquote starts: right after a paragraph that ends in
    /// `…第N条规定：` (or inside a list item that does), it quotes that
    /// law; else, when its last paragraph names its source
    /// (`——《中华人民共和国民法典》`, given as `source`), that one.
    pub fn start_quote(&mut self, source: Option<&str>) {
        let lead_in = self.lead_in.take().or_else(|| self.lead_in_here());
        let quoted = lead_in
            .or_else(|| source.and_then(|s| self.names_in(s)))
            .or(self.quoted());
        self.paragraph.clear();
        self.enclosing.push(quoted);
    }

    /// The blockquote that started last ends.
    pub fn end_quote(&mut self) {
        self.enclosing.pop();
        self.boundary();
    }

    /// A footnote's text starts: written where the author chose, so no
    /// heading above it counts inside it, nor does a quote around it.
    pub fn start_footnote(&mut self) {
        self.boundary();
        self.enclosing.push(Some(Named::Other));
    }

    /// The footnote's text ends.
    pub fn end_footnote(&mut self) {
        self.enclosing.pop();
        self.boundary();
    }

    /// Any other block starts or ends (a list, a table row, a code block,
    /// a rule, raw HTML): what was named before it no longer counts.
    pub fn boundary(&mut self) {
        self.paragraph.clear();
        self.lead_in = None;
    }

    /// What the paragraph read so far leads into a quote of, if it does.
    fn lead_in_here(&mut self) -> Option<Named> {
        let colon = |s: &str| s.trim_end().ends_with(['：', ':']);
        if !self.paragraph.pending.is_empty() {
            if !colon(&self.paragraph.pending) {
                return None;
            }
            self.read_pending();
        }
        let tail = self.paragraph.tail.as_ref().filter(|t| !t.long)?;
        let words = tail.after.trim_end().strip_suffix(['：', ':'])?;
        let short = words.chars().count() <= MAX_LEAD_IN
            && !words.chars().any(|c| {
                matches!(
                    c,
                    '，' | '。'
                        | '；'
                        | '！'
                        | '？'
                        | ','
                        | '.'
                        | ';'
                        | '!'
                        | '?'
                        | '《'
                        | '》'
                        | '“'
                        | '”'
                        | '"'
                        | '第'
                )
            });
        short.then(|| tail.law.unwrap_or(Named::Other))
    }

    fn read_pending(&mut self) {
        if self.paragraph.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.paragraph.pending);
        self.read(&pending, false);
        self.paragraph.pending = pending;
        self.paragraph.pending.clear();
    }

    /// What the text here quotes.
    fn quoted(&self) -> Option<Named> {
        self.enclosing.last().copied().flatten()
    }

    /// The law a bare mention cites here (`this`: after 本法).
    fn resolve(&self, this: bool) -> Option<usize> {
        if this && let Some(named) = self.quoted() {
            return named.law();
        }
        if let Some(named) = self.paragraph.last.or(self.quoted()) {
            return named.law();
        }
        self.headings
            .iter()
            .rev()
            .find_map(|&(_, named)| named)
            .and_then(Named::law)
    }

    fn name(&mut self, named: Named) {
        self.paragraph.last = Some(named);
        if let Some(names) = &mut self.paragraph.names {
            names.push(named);
        }
    }

    fn mentioned(&mut self, law: Option<Named>) {
        let tail = self.paragraph.tail.get_or_insert_with(Tail::default);
        tail.law = law;
        tail.after.clear();
        tail.long = false;
    }

    /// Reads the next piece of the paragraph's text, and (with `cite`)
    /// returns its citations.
    fn read(&mut self, text: &str, cite: bool) -> Vec<Citation> {
        let statutes = self.statutes;
        let matcher = &statutes.matcher;
        let mut out: Vec<Citation> = Vec::new();
        // The last citation of a named law in this text: a bare mention
        // joined to it continues it.
        let mut previous: Option<(usize, usize)> = None;
        // Where the last name of a law of the site ended (spaces after it included).
        let mut law_end: Option<usize> = None;
        // Where the last mention ended.
        let mut mention_end: Option<usize> = None;
        let mut pos = 0;
        while pos < text.len() {
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            if let Some((law, after)) = law_ref(matcher, text, pos) {
                self.name(Named::Law(law));
                if let Some(mentions) = list(text, after) {
                    let end = mentions[mentions.len() - 1].range.end;
                    if cite {
                        out.extend(build(&statutes.laws[law], law, pos, &mentions, false));
                    }
                    previous = Some((law, end));
                    self.mentioned(Some(Named::Law(law)));
                    (mention_end, pos) = (Some(end), end);
                } else {
                    // A law named without an article: skip the name, so
                    // that a shorter alias inside it is not tried.
                    (law_end, pos) = (Some(after), after);
                }
                continue;
            }
            if c == '《' {
                // A title that is not a citation: skip it whole, so that
                // nothing inside it (《关于修改〈…〉的决定》) is taken for one.
                if let Some(end) = title_end(text, pos) {
                    if let Some(mentions) = list(text, spaces(text, end)) {
                        // Its own articles: 《民法典释义》第三条.
                        let end = mentions[mentions.len() - 1].range.end;
                        self.name(Named::Other);
                        self.mentioned(Some(Named::Other));
                        (mention_end, pos) = (Some(end), end);
                        continue;
                    }
                    if is_law_like(&text[pos..end]) {
                        self.name(Named::Other);
                    }
                    pos = end;
                    continue;
                }
            }
            if let Some((this, after)) = this_law(text, pos)
                && let Some(mentions) = list(text, after)
                // Not the end of another name: 劳动合同法, 基本法.
                && introduces(before(text, pos, law_end, self.paragraph.before))
            {
                let end = mentions[mentions.len() - 1].range.end;
                let law = self.resolve(this);
                if cite && let Some(law) = law {
                    out.extend(build(&statutes.laws[law], law, pos, &mentions, true));
                }
                self.mentioned(law.map(Named::Law));
                (mention_end, pos) = (Some(end), end);
                continue;
            }
            if c == '第'
                && let Some(mentions) = list(text, pos)
            {
                let end = mentions[mentions.len() - 1].range.end;
                if let Some((law, previous_end)) = previous
                    && continues(text, previous_end, pos)
                {
                    if cite {
                        out.extend(build(&statutes.laws[law], law, pos, &mentions, false));
                    }
                    previous = Some((law, end));
                    self.mentioned(Some(Named::Law(law)));
                } else if introduces(before(text, pos, law_end, self.paragraph.before)) {
                    let law = self.resolve(false);
                    if cite && let Some(law) = law {
                        out.extend(build(&statutes.laws[law], law, pos, &mentions, true));
                    }
                    self.mentioned(law.map(Named::Law));
                } else {
                    // The articles of something else: 劳动合同法第四十二条.
                    self.name(Named::Other);
                    self.mentioned(Some(Named::Other));
                }
                (mention_end, pos) = (Some(end), end);
                continue;
            }
            pos += c.len_utf8();
        }
        self.paragraph.before = before(text, text.len(), law_end, self.paragraph.before);
        if let Some(tail) = &mut self.paragraph.tail
            && !tail.long
        {
            tail.after.push_str(&text[mention_end.unwrap_or(0)..]);
            // Enough for the words and colon after a mention.
            if tail.after.len() > 4 * 3 * MAX_LEAD_IN {
                tail.long = true;
                tail.after.clear();
            }
        }
        out
    }
}

/// What the text before `pos` ends with, spaces aside (`start`: what came
/// before the text).
fn before(text: &str, pos: usize, law_end: Option<usize>, start: Before) -> Before {
    let head = text[..pos].trim_end_matches([' ', '\u{3000}', '\u{a0}']);
    if law_end.is_some_and(|end| end >= head.len() && end <= pos) {
        return Before::Law;
    }
    head.chars().last().map_or(start, Before::Char)
}

/// Whether a bare mention may cite what came before it, given what is
/// right before it.
fn introduces(before: Before) -> bool {
    match before {
        Before::Start | Before::Law => true,
        Before::Char(c) if is_han(c) => INTRODUCERS.contains(c),
        // After a title or a parenthesis: `《…》第三条`, `解释（一）第二十九条`.
        Before::Char(c) => !matches!(c, '》' | '〉' | '）' | ')'),
    }
}

/// `本法`, `该法` or `同法` at `pos`: whether it is 本法, and where the
/// article mentions may start.
fn this_law(text: &str, pos: usize) -> Option<(bool, usize)> {
    let rest = &text[pos..];
    let this = rest.starts_with("本法");
    (this || rest.starts_with("该法") || rest.starts_with("同法"))
        .then(|| (this, spaces(text, pos + "本法".len())))
}

/// Whether a 《title》 (brackets included) names a law, regulation or
/// judicial interpretation.
fn is_law_like(title: &str) -> bool {
    let mut name = title
        .trim_start_matches('《')
        .trim_end_matches('》')
        .trim_end();
    // 《…的解释（一）》, 《…办法（试行）》
    while let Some(inner) = name.strip_suffix(['）', ')'])
        && let Some(open) = inner.rfind(['（', '('])
    {
        name = inner[..open].trim_end();
    }
    LAW_ENDINGS.iter().any(|e| name.ends_with(e))
}

fn build(
    law: &Law,
    index: usize,
    start: usize,
    mentions: &[Mention],
    from_context: bool,
) -> Option<Citation> {
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
    // A number the law does not have says the guess was wrong.
    if from_context && !articles.iter().all(|&n| in_range(n)) {
        return None;
    }
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
    Some(Citation {
        range: start..mentions.last().map_or(start, |m| m.range.end),
        law: index,
        articles,
        links,
        out_of_range,
        missing,
        from_context,
    })
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
mod context_tests;

#[cfg(test)]
mod tests {
    use super::super::tests::law;
    use super::*;

    pub(super) fn statutes() -> Statutes {
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
        assert!(!found[1].from_context);
        // Across a sentence end, or without a joiner, it does not continue
        // the citation, but cites the law named before it all the same.
        for text in [
            "民法典第1079条规定了诉讼离婚。以及第1080条",
            "民法典第1079条规定了诉讼离婚，第1080条",
        ] {
            let found = statutes().find(text);
            assert_eq!(found.len(), 2, "{text}");
            assert_eq!((found[1].law, found[1].from_context), (0, true), "{text}");
        }
        // Never across another law's articles or a title.
        assert_eq!(
            cites("民法典第1079条，刑法第二百六十条和第二百六十一条").len(),
            1
        );
        assert_eq!(
            cites("民法典第1079条，《治安管理处罚法》第五十条和第五十一条").len(),
            1
        );
    }

    #[test]
    fn numbers_alone_and_this_law_are_left_alone() {
        assert!(cites("第二十三条规定，本法第二十三条和第二十五条").is_empty());
        assert!(cites("但是本法第一千零六十三条第三项规定的除外").is_empty());
        assert!(cites("依照第1079条").is_empty());
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
            "该法",
            "合同法",
            "《劳动法》",
            "规定：",
            "依照",
            "x",
            "\n",
        ];
        let s = statutes();
        let mut seed = 7u64;
        for round in 0..20_000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            // Alone, and as a paragraph of an article with a heading and a
            // quote around it (where every bare number finds a law).
            let found = if round % 2 == 0 {
                s.find(&text)
            } else {
                let mut context = s.context();
                context.heading(2, "宪法");
                context.start_quote(Some("——《中华人民共和国反家庭暴力法》"));
                context.find(&text)
            };
            let mut end = 0;
            for c in &found {
                assert!(
                    c.range.start >= end && c.range.start < c.range.end,
                    "{text:?}"
                );
                assert!(text.is_char_boundary(c.range.start) && text.is_char_boundary(c.range.end));
                assert!(!c.articles.is_empty());
                assert!(!c.from_context || c.out_of_range.is_empty(), "{text:?}");
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
