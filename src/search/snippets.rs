//! The text of search results: a few short passages of each article, kept
//! with the index so that the search page shows snippets without fetching
//! any article.
//!
//! An article gives its summary, then the start of the first paragraph (or
//! list item) of each part its headings mark off, in order, until
//! [`DOC_CHARS`] characters. A passage is at most [`PASSAGE_CHARS`]
//! characters: cut after a sentence's end if one is near, else before a
//! comma, else between two characters that are not parts of one number or
//! word (`2016年`, `12338`, `0357-5221234`, `WeChat`), and then marked `…`.
//! A passage never holds a heading nor runs from one part into the next.
//! search.js shows the passage with the most of the query's tokens.

/// Characters of one passage, at most (about two lines on a phone).
pub const PASSAGE_CHARS: usize = 80;
/// Characters of an article's passages together, at most.
pub const DOC_CHARS: usize = 240;

/// The passages of one article, summary first.
pub fn passages(summary: &str, body_html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut budget = DOC_CHARS;
    let mut push = |text: &str, out: &mut Vec<String>| {
        let text = squash(text);
        // A derived summary is the body's first sentences: not twice.
        let head: String = text.chars().take(16).collect();
        if text.is_empty() || budget < PASSAGE_CHARS / 2 || out.iter().any(|p| p.starts_with(&head))
        {
            return;
        }
        let p = cut(&text, PASSAGE_CHARS.min(budget));
        budget = budget.saturating_sub(p.chars().count());
        out.push(p);
    };
    push(summary, &mut out);

    let mut rest = body_html;
    // The part has no passage yet.
    let mut want = true;
    // The paragraph or list item being read.
    let mut block: Option<String> = None;
    // Inside a heading, table, figure, code block or aside: not a passage.
    let mut skip = 0usize;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        if let Some(b) = block.as_mut().filter(|_| skip == 0) {
            b.push_str(&rest[..at]);
        }
        rest = &rest[at..];
        if rest.starts_with('&') {
            let entity = rest[1..]
                .char_indices()
                .take(12)
                .find(|&(_, c)| c == ';')
                .map(|(i, _)| &rest[1..1 + i]);
            let (c, len) = match entity {
                Some(name) => (decode_entity(name), name.len() + 2),
                None => ('&', 1),
            };
            if let Some(b) = block.as_mut().filter(|_| skip == 0) {
                b.push(c);
            }
            rest = &rest[len..];
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[1..end];
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name = tag.trim_start_matches('/');
        let name = name[..name
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len())]
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("script" | "style", false) => {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower.find(&close).map_or("", |e| &rest[e..]);
                rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                block = None;
                want = true;
                skip += 1;
            }
            (
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "figure" | "pre" | "aside",
                true,
            ) => skip = skip.saturating_sub(1),
            ("table" | "figure" | "pre" | "aside", false) => skip += 1,
            ("p" | "li", false) if want && skip == 0 && block.is_none() => {
                block = Some(String::new())
            }
            ("p" | "li", true) => {
                if let Some(b) = block.take() {
                    if b.trim().is_empty() {
                        continue;
                    }
                    push(&b, &mut out);
                    want = false;
                }
            }
            ("br", _) => {
                if let Some(b) = block.as_mut() {
                    b.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// Whitespace runs to one space, none at the ends.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entity(name: &str) -> char {
    match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => name
            .strip_prefix('#')
            .and_then(|n| match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            })
            .and_then(char::from_u32)
            .unwrap_or(' '),
    }
}

/// `text` in at most `max` characters (plus the `…` that marks a cut).
pub fn cut(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let near = max / 2..max;
    // After the last sentence end in the second half.
    if let Some(i) = near
        .clone()
        .rev()
        .find(|&i| "。！？；!?;".contains(chars[i]))
    {
        let mut s: String = chars[..=i].iter().collect();
        s.push('…');
        return s;
    }
    // Before the last comma or colon in the second half.
    if let Some(i) = near
        .rev()
        .find(|&i| "，、：,:".contains(chars[i]) && !joins(&chars, i))
    {
        let mut s: String = chars[..i].iter().collect();
        s.push('…');
        return s;
    }
    // Between two characters that are not one number or word.
    let mut i = max;
    while i > 0 && (joins(&chars, i) || "“‘《（(「【".contains(chars[i - 1])) {
        i -= 1;
    }
    if i == 0 {
        i = max;
    }
    let mut s: String = chars[..i].iter().collect();
    s.truncate(s.trim_end().len());
    s.push('…');
    s
}

/// Whether a cut before `chars[i]` would split a number or word: letters
/// and digits on both sides, or a separator inside a number (`3.5`,
/// `1,000`, `0357-5221234`, `12:30`).
fn joins(chars: &[char], i: usize) -> bool {
    let at = |k: usize| chars.get(k).map(|&c| fold(c));
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let sep = |c: Option<char>| c.is_some_and(|c| ".,-:/".contains(c));
    let (before, after) = (i.checked_sub(1).and_then(at), at(i));
    (word(before) && word(after))
        || (digit(before) && sep(after) && digit(at(i + 1)))
        || (sep(before) && digit(after) && i >= 2 && digit(at(i - 2)))
}

/// Full-width letters, digits and signs as ASCII.
fn fold(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_the_summary_and_the_first_paragraph_of_each_part() {
        let html = "<p>开头一段。</p><p>第二段不要。</p><h2 id=\"a\">标题一</h2>\
                    <p>遇到家暴&amp;求助，拨打<a href=\"tel:12338\">12338</a>。</p><p>不要</p>\
                    <h2>标题二</h2><table><tr><td>表格</td></tr></table><ul><li>列表项</li></ul>\
                    <aside class=\"cited-statutes\"><h2>本文引用的法条</h2><p>条文</p></aside>";
        assert_eq!(
            passages("摘要。", html),
            [
                "摘要。",
                "开头一段。",
                "遇到家暴&求助，拨打12338。",
                "列表项"
            ]
        );
    }

    #[test]
    fn cuts_never_split_a_number_or_word() {
        let text = format!("{}2016年反家庭暴力法", "甲".repeat(78));
        assert_eq!(cut(&text, 80), format!("{}…", "甲".repeat(78)));
        let text = format!("{}拨打 0357-5221234 求助", "乙".repeat(73));
        let got = cut(&text, 80);
        assert_eq!(got, format!("{}拨打…", "乙".repeat(73)));
        let text = format!("{}第1079条", "丙".repeat(77));
        assert_eq!(cut(&text, 80), format!("{}第…", "丙".repeat(77)));
        let text = format!(
            "{}第一句结束。后面还有很多很多很多很多很多字",
            "丁".repeat(60)
        );
        assert_eq!(cut(&text, 80), format!("{}第一句结束。…", "丁".repeat(60)));
        assert_eq!(cut("短句", 80), "短句");
    }

    #[test]
    fn the_budget_bounds_an_article() {
        let para = format!("<h2>x</h2><p>{}</p>", "字".repeat(200));
        let got = passages(&"摘".repeat(200), &para.repeat(10));
        let total: usize = got.iter().map(|p| p.chars().count()).sum();
        assert!(total <= DOC_CHARS + got.len(), "{total}");
        assert!(got.iter().all(|p| p.chars().count() <= PASSAGE_CHARS + 1));
    }
}
