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
///
/// Cost: the HTML is read tag by tag only inside the first paragraph of each
/// part; between them it jumps to the next heading, and it stops when the
/// budget is spent or at an `<aside>` (the 本文引用的法条 block at the end).
pub fn passages(summary: &str, body_html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut budget = DOC_CHARS;
    push(summary, &mut out, &mut budget);

    let mut rest = body_html;
    // The part has no passage yet.
    let mut want = true;
    // The paragraph or list item being read.
    let mut block: Option<String> = None;
    // Inside a heading, table, figure or code block: not a passage.
    let mut skip = 0usize;
    while budget >= PASSAGE_CHARS / 2 {
        if !want && block.is_none() && skip == 0 {
            match next_heading(rest) {
                Some(at) => rest = &rest[at..],
                None => break,
            }
        }
        let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) else {
            break;
        };
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
        let (closing, name) = super::tag_name(tag);
        let mut lower = [0u8; 8];
        let Some(buf) = lower.get_mut(..name.len()) else {
            continue;
        };
        buf.copy_from_slice(name.as_bytes());
        buf.make_ascii_lowercase();
        match (&*buf, closing) {
            (b"aside", false) => break,
            (b"script" | b"style", false) => {
                let close = if buf == b"script" {
                    "</script"
                } else {
                    "</style"
                };
                rest = memchr::memmem::find(rest.as_bytes(), close.as_bytes())
                    .map_or("", |e| &rest[e..]);
                rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            }
            (b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6", false) => {
                block = None;
                want = true;
                skip += 1;
            }
            (
                b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"table" | b"figure" | b"pre",
                true,
            ) => skip = skip.saturating_sub(1),
            (b"table" | b"figure" | b"pre", false) => skip += 1,
            (b"p" | b"li", false) if want && skip == 0 && block.is_none() => {
                block = Some(String::new())
            }
            (b"p" | b"li", true) => {
                if let Some(b) = block.take() {
                    if b.trim().is_empty() {
                        continue;
                    }
                    push(&b, &mut out, &mut budget);
                    want = false;
                }
            }
            (b"br", _) => {
                if let Some(b) = block.as_mut() {
                    b.push(' ');
                }
            }
            _ => {}
        }
        // A paragraph longer than any passage: the rest is not needed.
        if let Some(b) = block.as_mut()
            && b.len() > PASSAGE_CHARS * 16
        {
            let mut at = PASSAGE_CHARS * 16;
            while !b.is_char_boundary(at) {
                at -= 1;
            }
            b.truncate(at);
        }
    }
    out
}

/// Adds `text` as a passage if the budget allows and it is not the start
/// of one already there (a derived summary is the body's first sentences).
fn push(text: &str, out: &mut Vec<String>, budget: &mut usize) {
    if *budget < PASSAGE_CHARS / 2 {
        return;
    }
    // What a passage can hold, and a little more to cut it well.
    let text = match text.char_indices().nth(PASSAGE_CHARS * 2) {
        Some((at, _)) => &text[..at],
        None => text,
    };
    let text = squash(text);
    let head = match text.char_indices().nth(16) {
        Some((at, _)) => &text[..at],
        None => &text[..],
    };
    if text.is_empty() || out.iter().any(|p| p.starts_with(head)) {
        return;
    }
    let p = cut(&text, PASSAGE_CHARS.min(*budget));
    *budget = budget.saturating_sub(p.chars().count());
    out.push(p);
}

/// Where the next heading (`<h1>`…`<h6>`) starts, unless an `<aside>` or
/// the end comes first.
fn next_heading(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let heading = memchr::memchr_iter(b'<', bytes).find(|&i| {
        bytes.get(i + 1) == Some(&b'h') && matches!(bytes.get(i + 2), Some(b'1'..=b'6'))
            || bytes[i..].starts_with(b"<aside")
    })?;
    (!bytes[heading..].starts_with(b"<aside")).then_some(heading)
}

/// Runs of ASCII whitespace to one space, none at the ends (the
/// ideographic space of `第二条　本法…` stays, as written).
fn squash(text: &str) -> String {
    // Chinese text seldom has any: then there is nothing to do.
    if !text.bytes().any(|b| b.is_ascii_whitespace()) {
        return text.to_string();
    }
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
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
    if text.char_indices().nth(max).is_none() {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().take(max + 2).collect();
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
