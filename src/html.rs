//! HTML escaping: the one leaf every stage that writes HTML shares (Markdown,
//! statute links, templates, the preview server). Ground floor: imports no
//! other module of pufa.

/// Escapes text for HTML content and for quoted attributes (both quote kinds).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    // Writing into a String cannot fail.
    let _ = write_escaped(&mut out, s, true);
    out
}

/// [`escape_html`] that leaves `'` alone, for attributes in double quotes.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = write_escaped(&mut out, s, false);
    out
}

/// Writes `s` with `&`, `<`, `>`, `"` (and `'` if `apostrophe`) escaped.
/// Works on bytes and copies the text between them in slices: all five
/// are ASCII, so they never occur inside a multi-byte character.
pub fn write_escaped(
    out: &mut impl std::fmt::Write,
    s: &str,
    apostrophe: bool,
) -> std::fmt::Result {
    if apostrophe {
        // pulldown-cmark's escaper (the same five entities) finds them 16
        // bytes at a time; templates escape every value they show with it.
        return pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(out), s);
    }
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' if apostrophe => "&#39;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.write_str(&s[copied..i])?;
        out.write_str(entity)?;
        copied = i + 1;
    }
    out.write_str(&s[copied..])
}

/// `text` as HTML, with each `quoted` part of the English messages set
/// as code: the page shows no raw backticks.
pub fn with_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut parts = text.split('`');
    out.push_str(&escape_html(parts.next().unwrap_or_default()));
    let rest: Vec<&str> = parts.collect();
    // Pairs of backticks; an unpaired last one is shown as it is.
    let paired = rest.len() - rest.len() % 2;
    for pair in rest[..paired].chunks(2) {
        out.push_str("<code>");
        out.push_str(&escape_html(pair[0]));
        out.push_str("</code>");
        out.push_str(&escape_html(pair[1]));
    }
    if let Some(last) = rest.get(paired) {
        out.push('`');
        out.push_str(&escape_html(last));
    }
    out
}
