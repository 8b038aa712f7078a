//! CJK-friendly emphasis: `**注意：**正文` renders bold.
//!
//! # Why
//!
//! CommonMark decides whether a delimiter run (`*`, `**`, `_`, `~~`, …) can
//! open or close emphasis from the characters on either side of it (the
//! "flanking" rules). A run whose inner side is punctuation and whose outer
//! side is a letter cannot close (or open), which is sensible for English but
//! breaks the way Chinese, Japanese and Korean are written: `**注意：**正文`,
//! `**“重要”**的` and `正文**（括号）**正文` all stay literal asterisks.
//!
//! We follow the *markdown-cjk-friendly* amendments to CommonMark
//! (<https://github.com/tats-u/markdown-cjk-friendly/blob/main/specification.md>,
//! CommonMark issue <https://github.com/commonmark/commonmark-spec/issues/650>):
//!
//! * A run is left-flanking when it is not followed by whitespace and either
//!   not followed by a *non-CJK* punctuation character, or followed by one and
//!   preceded by whitespace, punctuation, a CJK character or an ideographic
//!   variation selector.
//! * A run is right-flanking when it is not preceded by whitespace and either
//!   not preceded by a *non-CJK* punctuation character, or preceded by one and
//!   followed by whitespace, punctuation or a CJK character.
//! * A variation selector U+FE00–U+FE0E stands for the character it modifies,
//!   and a curly quote followed by U+FE01 (its fullwidth form) is CJK
//!   punctuation, before a run (after a run the spec looks at one character).
//! * `_`/`__` keep CommonMark's intraword restriction (rules 2, 6, 3, 7),
//!   evaluated with the amended flanking definitions.
//!
//! # How
//!
//! pulldown-cmark 0.13 has no option for this, so [`prepare`] rewrites the
//! source instead: it inserts invisible *marker* characters right next to the
//! delimiter runs whose CommonMark classification differs from the
//! CJK-friendly one, chosen so that pulldown-cmark's unchanged CommonMark
//! rules, applied to the markers, produce the CJK-friendly answer. The caller
//! parses [`Prepared::text`] and removes the markers from the output with
//! [`strip_markers`]; [`Prepared::source_offset`] maps positions back to the
//! editor's file.
//!
//! 1. A cheap byte scan rules out most documents: the two rule sets can only
//!    disagree for a run that touches a non-ASCII character, so a source where
//!    no `*`, `_` or `~` is next to a non-ASCII byte is returned as is (no
//!    allocation, no parse). A second cheap check (`agrees_everywhere`)
//!    rules out most of the rest: it judges every raw delimiter run with its
//!    neighbours, both as in mid-line and as at a line start, and returns the
//!    source as is when none could need a marker (no backslash or `|` in it),
//!    or when the only differences are `*` runs gaining a flag that nothing
//!    in their paragraph could use (`：**证据**。`: see `StarRuns`).
//! 2. Otherwise a first pulldown-cmark pass (same options as the real one)
//!    tells where inline text is: delimiter characters inside `Text` events
//!    (unmatched runs) and at the edges of `Emphasis`/`Strong`/
//!    `Strikethrough` (matched runs: the CJK-friendly rules may pair them
//!    differently) are the candidates. Code spans, code blocks, HTML, link
//!    destinations and autolinks are thereby never touched, and neither is
//!    the text of shortcut/collapsed reference links (a marker would break
//!    the match with the label of the definition). Backslash-escaped
//!    characters are not delimiters.
//! 3. Each candidate is extended to its maximal run, and three answers are
//!    computed from its neighbours in the source (the start of a line's inline
//!    content, the end of a line and, in tables, an unescaped `|` count as
//!    whitespace, exactly as pulldown-cmark sees them): what pulldown-cmark
//!    does, what plain CommonMark says and what the CJK-friendly rules say.
//!    Where CommonMark and CJK-friendly agree we keep pulldown-cmark's
//!    behaviour (it lets `~~` open intraword, and treats a single `~` like
//!    `_`; a single `~` is also kept `_`-like under the CJK-friendly rules,
//!    so ranges such as `第1条~第5条` never turn into strikethrough); where they
//!    disagree the CJK-friendly answer wins.
//! 4. When the wanted (can open, can close) differs from pulldown-cmark's, the
//!    cheapest marker placement that makes pulldown-cmark produce it is
//!    chosen by trying every combination of "keep the neighbour" or one of
//!    the three marker classes before and after the run.
//!
//! # Markers
//!
//! pulldown-cmark classifies a neighbour with `char::is_whitespace` and a
//! Unicode punctuation table (general categories P* and S*, CommonMark
//! 0.31), so three classes of marker are enough:
//!
//! | class       | char                            | category |
//! |-------------|---------------------------------|----------|
//! | whitespace  | U+1680 OGHAM SPACE MARK         | Zs       |
//! | other       | U+1681 OGHAM LETTER BEITH       | Lo       |
//! | punctuation | U+169B OGHAM FEATHER MARK       | Ps       |
//!
//! Which markers a run gets depends on its neighbours: `realise` tries
//! "keep the neighbour" and each marker class on each side and takes the
//! cheapest combination under which pulldown-cmark's rules give the wanted
//! (open, close). With *W*, *O* and *P* for the classes, every combination is
//! reachable for every delimiter: W/W gives (0,0), W before and P after
//! (1,0), P before and W after (0,1), P/P (1,1). Usually one marker is
//! enough: in `**注意：**正文` the closing run sits between `：` and `正` and
//! can only open; an O before it (`：ᚁ**正`) lets it close as well. In
//! `正文**（括号）` a P before the opening run (`文᚛**（`) lets it open. The
//! tests check this model of pulldown-cmark against pulldown-cmark itself
//! (with the marker characters), and that every run of random documents
//! ends up with exactly the wanted flags.
//!
//! Ogham is never found in Chinese (or any modern) text, the three markers
//! are not special to any Markdown construct, and all three encode as
//! `E1 9A xx` in UTF-8, so [`strip_markers`] can reject marker-free strings
//! with one `memchr`-speed byte search. A marker inserted between two
//! adjacent delimiter runs (`**_注意：_**正文`) would change the neighbour the
//! *other* run sees, so that run gets a punctuation marker of its own, which
//! is what it saw before (the first character of the other run).
//!
//! The prepared text only differs from the source by inserted markers:
//! `strip_markers(&prepare(s).text) == s` for any source without Ogham.
//!
//! # Limits
//!
//! * The text of shortcut and collapsed reference links (`[注意**：**]` with a
//!   definition) is left as CommonMark has it, so its label still matches.
//! * The spec leaves a variation selector right after whitespace or after a
//!   delimiter run to the implementation: after whitespace it counts as a
//!   plain letter here, after a delimiter as that (punctuation) character.
//! * Costs: text without `*`, `_`, `~` next to a non-ASCII character costs
//!   one byte scan; text whose runs all agree (most bold text in Chinese
//!   articles) a second scan of its runs; other text one extra pulldown-cmark
//!   parse (without rendering) plus a few dozen nanoseconds per delimiter run.
//! * The caller must parse with the same options as `PARSE_OPTIONS` (smart
//!   punctuation would make `'` and `"` flanking-sensitive too) and strip
//!   markers from every text it shows (headings, summaries, alt text).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// The options of the first pass; they must match the caller's (what counts
/// as inline text, and `~` delimiters, depend on them).
const PARSE_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Unicode whitespace (Zs): U+1680 OGHAM SPACE MARK.
const SPACE_MARKER: char = '\u{1680}';
/// Neither whitespace nor punctuation (Lo): U+1681 OGHAM LETTER BEITH.
const OTHER_MARKER: char = '\u{1681}';
/// Unicode punctuation (Ps): U+169B OGHAM FEATHER MARK.
const PUNCT_MARKER: char = '\u{169B}';
/// UTF-8 length of every marker (all are `E1 9A xx`).
const MARKER_LEN: usize = 3;
/// First UTF-8 byte of every marker.
const MARKER_LEAD: u8 = 0xE1;

/// Source prepared for pulldown-cmark so its emphasis follows the CJK-friendly rules.
pub struct Prepared<'a> {
    pub text: Cow<'a, str>,
    /// Byte offsets in `text` of the inserted markers, ascending; each is
    /// `MARKER_LEN` bytes long.
    markers: Vec<usize>,
}

/// Inserts markers where the CJK-friendly rules and CommonMark disagree.
pub fn prepare(source: &str) -> Prepared<'_> {
    if !may_disagree(source.as_bytes()) || agrees_everywhere(source) {
        return Prepared::unchanged(source);
    }
    with_markers(source)
}

/// [`prepare`] without the cheap filters: the first pass, and the markers it finds.
fn with_markers(source: &str) -> Prepared<'_> {
    let delimiters: Vec<usize> = delimiter_offsets(source.as_bytes()).collect();
    let mut insertions = plan(source, &scan(source, &delimiters));
    if insertions.is_empty() {
        return Prepared::unchanged(source);
    }
    insertions.sort_unstable_by_key(|i| (i.at, i.rank));
    let mut text = String::with_capacity(source.len() + insertions.len() * MARKER_LEN);
    let mut markers = Vec::with_capacity(insertions.len());
    let mut copied = 0;
    for insertion in &insertions {
        text.push_str(&source[copied..insertion.at]);
        markers.push(text.len());
        text.push(insertion.marker);
        copied = insertion.at;
    }
    text.push_str(&source[copied..]);
    Prepared {
        text: Cow::Owned(text),
        markers,
    }
}

impl<'a> Prepared<'a> {
    /// The source as it is (no marker needed).
    fn unchanged(source: &'a str) -> Self {
        Prepared {
            text: Cow::Borrowed(source),
            markers: Vec::new(),
        }
    }

    /// Maps a byte offset in `text` back to the offset in the original source
    /// (so error messages can report lines/columns of the editor's file).
    ///
    /// An offset inside a marker maps to where the marker was inserted.
    pub fn source_offset(&self, offset: usize) -> usize {
        // Markers that start before `offset`.
        let before = self.markers.partition_point(|&at| at < offset);
        if let Some(&at) = before.checked_sub(1).and_then(|i| self.markers.get(i))
            && offset < at + MARKER_LEN
        {
            return at - (before - 1) * MARKER_LEN;
        }
        offset - before * MARKER_LEN
    }
}

/// Removes every marker character `prepare` may insert. Borrowed when there is none
/// (the common case must not allocate).
pub fn strip_markers(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    // The usual marker-free string costs one fast (SIMD) scan.
    if memchr::memchr(MARKER_LEAD, bytes).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = bytes[from..].iter().position(|&b| b == MARKER_LEAD) {
        let at = from + found;
        // `at` is a character boundary: 0xE1 only ever starts a character.
        if s[at..].chars().next().is_some_and(is_marker) {
            let out = out.get_or_insert_with(|| String::with_capacity(s.len()));
            out.push_str(&s[copied..at]);
            copied = at + MARKER_LEN;
            from = copied;
        } else {
            from = at + 1;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut out) => {
            out.push_str(&s[copied..]);
            Cow::Owned(out)
        }
    }
}

/// True when a soft line break between `before` and `after` should vanish instead of
/// rendering as a space: both are CJK characters (Chinese/Japanese ideographs, kana,
/// CJK punctuation, fullwidth forms) — following the CSS Text 3 segment-break
/// transformation rule for East Asian Wide characters, excluding Hangul (Korean uses spaces).
///
/// As in CSS Text 3, a break next to U+200B ZERO WIDTH SPACE vanishes too.
pub fn soft_break_vanishes(before: char, after: char) -> bool {
    const ZWSP: char = '\u{200B}';
    before == ZWSP
        || after == ZWSP
        || (is_cjk(before) && is_cjk(after) && !is_hangul(before) && !is_hangul(after))
}

/// True for CJK characters in the sense of the spec (used by the caller too).
///
/// East Asian Width W, F or H and not an emoji by default, or Hangul: the
/// ranges of the spec's `ranges.md` (Unicode 16), unassigned code points in
/// the ideograph planes included.
pub fn is_cjk(c: char) -> bool {
    match u32::from(c) {
        0..0x1100 => false,
        // Fast path: CJK Unified Ideographs.
        0x4E00..=0x9FFF => true,
        cp => in_ranges(CJK, cp),
    }
}

// ---------------------------------------------------------------------------
// First pass: where are the delimiter runs?

/// What the first pass learnt about the source.
struct Scan {
    /// Delimiter runs in inline text (source byte ranges), ascending, disjoint.
    runs: Vec<Range<usize>>,
    /// Offsets where a line's inline content starts (ascending): pulldown-cmark
    /// sees the start of the line, not the container prefix, before them.
    line_starts: Vec<usize>,
    /// Tables, where an unescaped `|` next to a run acts as a cell boundary.
    tables: Vec<Range<usize>>,
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'~')
}

/// Offsets of every `*`, `_` and `~`, ascending. Delimiters are rare in
/// prose: memchr jumps from one to the next with SIMD.
fn delimiter_offsets(bytes: &[u8]) -> memchr::Memchr3<'_> {
    memchr::memchr3_iter(b'*', b'_', b'~', bytes)
}

/// Cheap filter: the two rule sets only disagree for a run with a non-ASCII
/// neighbour (CJK characters, variation selectors).
fn may_disagree(bytes: &[u8]) -> bool {
    // Only the delimiters' neighbours matter.
    delimiter_offsets(bytes).any(|at| {
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(at + 1);
        before.is_some_and(|b| !b.is_ascii()) || after.is_some_and(|b| !b.is_ascii())
    })
}

/// Second cheap filter, before the parse that [`scan`] needs: true when no
/// delimiter run of the source could need a marker, wherever the parse puts
/// line starts. Most articles with bold text land here, which saves parsing
/// them twice.
///
/// Conservative by construction: it looks at every maximal run of one
/// delimiter (the parse's runs are among them or inside code, where nothing
/// is inserted), with the neighbours [`surroundings`] would see, once as in
/// the middle of a line and once as at a line start. Backslashes (escaped
/// delimiters split runs) and `|` (table cells) are left to the full scan.
///
/// A run may still differ from pulldown-cmark when the difference cannot
/// change how runs pair ([`StarRuns`]): `：**证据**。`, the commonest bold in
/// Chinese text, gains "can close" on its opening run and "can open" on its
/// closing one, and nothing else in the paragraph could use either.
fn agrees_everywhere(source: &str) -> bool {
    let bytes = source.as_bytes();
    if memchr::memchr2(b'\\', b'|', bytes).is_some() {
        return false;
    }
    let mut stars = StarRuns::default();
    let mut at = 0;
    for start in delimiter_offsets(bytes) {
        // Inside the run just judged.
        if start < at {
            continue;
        }
        if has_blank_line(&bytes[at..start]) {
            stars = StarRuns::default();
        }
        let delim = bytes[start];
        let end = start + bytes[start..].iter().take_while(|&&b| b == delim).count();
        let mut backwards = source[..start].chars().rev();
        let prev = backwards.next();
        let mid_line = Surroundings {
            prev,
            prev2: backwards.next(),
            next: source[end..].chars().next(),
        };
        let line_start = Surroundings {
            prev: None,
            prev2: None,
            ..mid_line
        };
        let len = end - start;
        let mut gains = Flags {
            open: false,
            close: false,
        };
        for around in [mid_line, line_start] {
            let pulldown =
                pulldown_flags(delim, len, Class::of(around.prev), Class::of(around.next));
            let Some(want) = wanted(delim, len, &around) else {
                continue;
            };
            if (pulldown.open && !want.open) || (pulldown.close && !want.close) {
                return false;
            }
            gains.open |= want.open && !pulldown.open;
            gains.close |= want.close && !pulldown.close;
        }
        let gained = gains.open || gains.close;
        if (gained && delim != b'*') || (delim == b'*' && !stars.push(len, gains)) {
            return false;
        }
        at = end;
    }
    true
}

/// The `*` runs of one stretch of text without a blank line (no paragraph,
/// heading or table cell reaches past one), for [`agrees_everywhere`].
///
/// A run that only *gains* a flag under the CJK-friendly rules pairs as
/// pulldown-cmark pairs it when:
/// - it gains "can close" and no `*` run comes before it: a closer looks
///   back for an opener, and there is none;
/// - it gains "can open" and no `*` run comes after it: an opener waits for
///   a closer, and none comes;
/// - every `*` run there has the same length, 1 or 2: a run that can both
///   open and close brings in the rule of three (CommonMark rule 9: the two
///   lengths must not add up to a multiple of 3), which 1 + 1 and 2 + 2
///   never do; equal lengths also pair whole, leaving no remainder.
///
/// Counting runs inside code spans or list markers too only adds conditions.
#[derive(Default)]
struct StarRuns {
    count: usize,
    first_len: usize,
    /// Not every run has the first run's length.
    mixed: bool,
    gained: bool,
    /// The last run gained "can open": no run may follow it.
    last_gained_open: bool,
}

impl StarRuns {
    /// Adds the next run; false when a gain could change the pairing.
    fn push(&mut self, len: usize, gains: Flags) -> bool {
        if self.last_gained_open || (gains.close && self.count > 0) {
            return false;
        }
        if self.count == 0 {
            self.first_len = len;
        } else {
            self.mixed |= len != self.first_len;
        }
        self.count += 1;
        self.gained |= gains.open || gains.close;
        self.last_gained_open = gains.open;
        !self.gained || (!self.mixed && matches!(self.first_len, 1 | 2))
    }
}

/// Whether `gap` (text between two delimiter runs) holds a blank line: a
/// line of nothing but spaces, tabs and a carriage return.
fn has_blank_line(gap: &[u8]) -> bool {
    memchr::memchr_iter(b'\n', gap).any(|nl| {
        let rest = &gap[nl + 1..];
        let blanks = rest
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r'))
            .count();
        rest.get(blanks) == Some(&b'\n')
    })
}

/// True when the byte at `at` is escaped by an odd number of backslashes.
fn is_escaped(bytes: &[u8], at: usize) -> bool {
    let backslashes = bytes[..at].iter().rev().take_while(|&&b| b == b'\\');
    backslashes.count() % 2 == 1
}

/// Links whose text is their label: a marker inside would break the match with
/// the definition. Autolinks: the text is the URL.
fn keeps_text(link_type: LinkType) -> bool {
    matches!(
        link_type,
        LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
            | LinkType::Autolink
            | LinkType::Email
            | LinkType::WikiLink { .. }
    )
}

/// `delimiters`: [`delimiter_offsets`] of `source`.
fn scan(source: &str, delimiters: &[usize]) -> Scan {
    let bytes = source.as_bytes();
    let mut hits = Vec::new();
    let mut line_starts = Vec::new();
    let mut tables = Vec::new();
    // True until the first inline event of the current line.
    let mut new_line = true;
    let mut code_blocks = 0usize;
    // For each open link or image: whether its text must be left alone.
    let mut links: Vec<bool> = Vec::new();
    let mut kept = 0usize;
    for (event, range) in Parser::new_ext(source, PARSE_OPTIONS).into_offset_iter() {
        let inline = match &event {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                if kept == 0 {
                    // The opening and closing delimiters. In an ATX heading
                    // the range also takes in the line's trailing blanks.
                    hits.push(range.start);
                    let closed = bytes[range.clone()].trim_ascii_end().len();
                    hits.push((range.start + closed).saturating_sub(1));
                }
                true
            }
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                let keep = keeps_text(*link_type);
                kept += usize::from(keep);
                links.push(keep);
                true
            }
            Event::Start(Tag::Superscript | Tag::Subscript) => true,
            Event::Start(tag) => {
                match tag {
                    Tag::CodeBlock(_) => code_blocks += 1,
                    Tag::Table(_) => tables.push(range.clone()),
                    _ => {}
                }
                new_line = true;
                false
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => false,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if links.pop() == Some(true) {
                    kept -= 1;
                }
                false
            }
            Event::End(tag) => {
                if *tag == TagEnd::CodeBlock {
                    code_blocks = code_blocks.saturating_sub(1);
                }
                new_line = true;
                false
            }
            Event::Text(_) => {
                if code_blocks > 0 {
                    false
                } else {
                    if kept == 0 {
                        let from = delimiters.partition_point(|&at| at < range.start);
                        let to = delimiters.partition_point(|&at| at < range.end);
                        hits.extend_from_slice(&delimiters[from..to]);
                    }
                    true
                }
            }
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => true,
            // Line breaks, HTML blocks, rules.
            _ => {
                new_line = true;
                false
            }
        };
        if inline && new_line {
            line_starts.push(range.start);
            new_line = false;
        }
    }
    line_starts.sort_unstable();

    hits.sort_unstable();
    hits.dedup();
    let mut runs: Vec<Range<usize>> = Vec::new();
    for at in hits {
        if runs.last().is_some_and(|run| run.contains(&at)) {
            continue;
        }
        let Some(&c) = bytes.get(at) else { continue };
        if !is_delimiter(c) || is_escaped(bytes, at) {
            continue;
        }
        let mut start = at;
        while start > 0 && bytes[start - 1] == c && !is_escaped(bytes, start - 1) {
            start -= 1;
        }
        let mut end = at + 1;
        while bytes.get(end) == Some(&c) {
            end += 1;
        }
        runs.push(start..end);
    }
    Scan {
        runs,
        line_starts,
        tables,
    }
}

// ---------------------------------------------------------------------------
// Classification and marker placement.

/// How CommonMark (and pulldown-cmark) sees a neighbour of a delimiter run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Space,
    Punct,
    Other,
}

impl Class {
    fn of(c: Option<char>) -> Class {
        match c {
            None => Class::Space,
            Some(c) if c.is_whitespace() => Class::Space,
            Some(c) if is_punctuation(c) => Class::Punct,
            Some(_) => Class::Other,
        }
    }

    fn marker(self) -> char {
        match self {
            Class::Space => SPACE_MARKER,
            Class::Punct => PUNCT_MARKER,
            Class::Other => OTHER_MARKER,
        }
    }
}

/// Whether a delimiter run can open and close.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Flags {
    open: bool,
    close: bool,
}

/// `*` and `~~` may be intraword; `_` and (in pulldown-cmark) a single `~` may not.
fn intraword(delim: u8, len: usize) -> bool {
    delim == b'*' || (delim == b'~' && len > 1)
}

/// CommonMark 0.31 rules 1–8 (left/right-flanking, `_` intraword restriction).
fn commonmark_flags(delim: u8, len: usize, prev: Class, next: Class) -> Flags {
    let left = next != Class::Space && (next != Class::Punct || prev != Class::Other);
    let right = prev != Class::Space && (prev != Class::Punct || next != Class::Other);
    if intraword(delim, len) {
        Flags {
            open: left,
            close: right,
        }
    } else {
        Flags {
            open: left && (!right || prev == Class::Punct),
            close: right && (!left || next == Class::Punct),
        }
    }
}

/// pulldown-cmark 0.13 (`delim_run_can_open`/`delim_run_can_close`): CommonMark,
/// except that `~~` opens whenever it is not followed by whitespace.
fn pulldown_flags(delim: u8, len: usize, prev: Class, next: Class) -> Flags {
    let mut flags = commonmark_flags(delim, len, prev, next);
    if delim == b'~' && len > 1 {
        flags.open = next != Class::Space;
    }
    flags
}

/// How the CJK-friendly spec sees a neighbour of a delimiter run.
#[derive(Clone, Copy, Default, Debug)]
struct Neighbour {
    space: bool,
    punct: bool,
    cjk: bool,
    /// Ideographic variation selector (U+E0100–U+E01EF).
    ivs: bool,
}

impl Neighbour {
    const CJK_PUNCT: Neighbour = Neighbour {
        space: false,
        punct: true,
        cjk: true,
        ivs: false,
    };

    fn of(c: Option<char>) -> Neighbour {
        match c {
            None => Neighbour {
                space: true,
                ..Neighbour::default()
            },
            Some(c) => Neighbour {
                space: c.is_whitespace(),
                punct: is_punctuation(c),
                cjk: is_cjk(c),
                ivs: matches!(u32::from(c), 0xE0100..=0xE01EF),
            },
        }
    }

    /// The character before a run: a general-use variation selector stands
    /// for the character it follows (a *sequence* in the spec).
    fn preceding(prev: Option<char>, prev2: Option<char>) -> Neighbour {
        match (prev, prev2) {
            (Some(vs), Some(base)) if is_general_use_vs(vs) && !base.is_whitespace() => {
                if vs == '\u{FE01}' && is_ambiguous_quote(base) {
                    Neighbour::CJK_PUNCT
                } else {
                    Neighbour {
                        ivs: false,
                        ..Neighbour::of(Some(base))
                    }
                }
            }
            _ => Neighbour::of(prev),
        }
    }

    fn non_cjk_punct(self) -> bool {
        self.punct && !self.cjk
    }
}

/// Non-emoji general-use variation selectors U+FE00–U+FE0E.
fn is_general_use_vs(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0E}')
}

/// Quotation marks whose U+FE01 variant is their fullwidth (CJK) form.
fn is_ambiguous_quote(c: char) -> bool {
    matches!(c, '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
}

/// The markdown-cjk-friendly amendments of the flanking rules.
fn cjk_friendly_flags(delim: u8, len: usize, prev: Neighbour, next: Neighbour) -> Flags {
    let left =
        !next.space && (!next.non_cjk_punct() || prev.space || prev.punct || prev.cjk || prev.ivs);
    let right = !prev.space && (!prev.non_cjk_punct() || next.space || next.punct || next.cjk);
    if intraword(delim, len) {
        Flags {
            open: left,
            close: right,
        }
    } else {
        Flags {
            open: left && (!right || prev.punct),
            close: right && (!left || next.punct),
        }
    }
}

/// Markers to insert around a run: (before, after); `None` keeps the neighbour.
type Placement = (Option<Class>, Option<Class>);

/// The cheapest markers that make pulldown-cmark give a run of `delim` the
/// `want`ed flags.
fn realise(delim: u8, len: usize, prev: Class, next: Class, want: Flags) -> Option<Placement> {
    const CHOICES: [Option<Class>; 4] = [
        None,
        Some(Class::Other),
        Some(Class::Punct),
        Some(Class::Space),
    ];
    let mut best: Option<(usize, Placement)> = None;
    for before in CHOICES {
        for after in CHOICES {
            let cost = usize::from(before.is_some()) + usize::from(after.is_some());
            if best.is_some_and(|(best_cost, _)| best_cost <= cost) {
                continue;
            }
            let flags = pulldown_flags(delim, len, before.unwrap_or(prev), after.unwrap_or(next));
            if flags == want {
                best = Some((cost, (before, after)));
            }
        }
    }
    best.map(|(_, placement)| placement)
}

/// A marker to insert at `at` (a source offset).
struct Insertion {
    at: usize,
    /// At the same offset, the marker after one run (0) precedes the marker
    /// before the next run (1).
    rank: u8,
    marker: char,
}

/// The characters around a delimiter run as pulldown-cmark sees them; `None`
/// is a line or table-cell boundary.
struct Surroundings {
    prev: Option<char>,
    /// The character before `prev` (for variation sequences).
    prev2: Option<char>,
    next: Option<char>,
}

fn surroundings(source: &str, scan: &Scan, run: &Range<usize>) -> Surroundings {
    let in_table = scan.tables.iter().any(|t| t.contains(&run.start));
    let at_line_start = scan.line_starts.binary_search(&run.start).is_ok();
    let before = &source[..run.start];
    let mut backwards = before.chars().rev();
    let prev = if at_line_start {
        None
    } else {
        backwards.next()
    };
    // In a table an unescaped `|` is a cell boundary (pulldown-cmark agrees).
    let prev =
        prev.filter(|&c| !(in_table && c == '|' && !before[..before.len() - 1].ends_with('\\')));
    let prev2 = prev.and_then(|_| backwards.next());
    let next = source[run.end..]
        .chars()
        .next()
        .filter(|&c| !(in_table && c == '|'));
    Surroundings { prev, prev2, next }
}

/// The flags wanted for a run of `len` × `delim`: the CJK-friendly ones where
/// they differ from CommonMark's, pulldown-cmark's otherwise. `None` for runs
/// left alone.
fn wanted(delim: u8, len: usize, around: &Surroundings) -> Option<Flags> {
    // `~~~` never delimits; a `~` run after an escaped `~` follows extra rules.
    if delim == b'~' && (len > 2 || around.prev == Some('~')) {
        return None;
    }
    let (prev, next) = (Class::of(around.prev), Class::of(around.next));
    let pulldown = pulldown_flags(delim, len, prev, next);
    let commonmark = commonmark_flags(delim, len, prev, next);
    let friendly = cjk_friendly_flags(
        delim,
        len,
        Neighbour::preceding(around.prev, around.prev2),
        // The spec looks at the next *character* only (no sequence).
        Neighbour::of(around.next),
    );
    let pick = |commonmark: bool, friendly: bool, pulldown: bool| {
        if commonmark == friendly {
            pulldown
        } else {
            friendly
        }
    };
    Some(Flags {
        open: pick(commonmark.open, friendly.open, pulldown.open),
        close: pick(commonmark.close, friendly.close, pulldown.close),
    })
}

fn plan(source: &str, scan: &Scan) -> Vec<Insertion> {
    let bytes = source.as_bytes();
    let mut insertions = Vec::new();
    // The previous run's end, and the class of the marker inserted after it.
    let mut previous: Option<(usize, Option<Class>)> = None;
    for run in &scan.runs {
        let delim = bytes[run.start];
        let len = run.len();
        let adjacent = previous.filter(|&(end, _)| end == run.start);
        previous = Some((run.end, None));

        let around = surroundings(source, scan, run);
        let Some(want) = wanted(delim, len, &around) else {
            continue;
        };
        // What pulldown-cmark will see before the run: maybe a marker after the previous run.
        let prev = adjacent
            .and_then(|(_, marker)| marker)
            .unwrap_or(Class::of(around.prev));
        let next = Class::of(around.next);
        if pulldown_flags(delim, len, prev, next) == want {
            continue;
        }
        let Some((marker_before, marker_after)) = realise(delim, len, prev, next, want) else {
            continue;
        };
        if let Some(class) = marker_before {
            if let Some((end, None)) = adjacent {
                // The previous run saw this run's first character (punctuation); keep it so.
                insertions.push(Insertion {
                    at: end,
                    rank: 0,
                    marker: PUNCT_MARKER,
                });
            }
            insertions.push(Insertion {
                at: run.start,
                rank: 1,
                marker: class.marker(),
            });
        }
        if let Some(class) = marker_after {
            insertions.push(Insertion {
                at: run.end,
                rank: 0,
                marker: class.marker(),
            });
            previous = Some((run.end, Some(class)));
        }
    }
    insertions
}

fn is_marker(c: char) -> bool {
    matches!(c, SPACE_MARKER | OTHER_MARKER | PUNCT_MARKER)
}

// ---------------------------------------------------------------------------
// Character tables.

fn in_ranges(table: &[(u32, u32)], cp: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                Ordering::Less
            } else if lo > cp {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Unicode punctuation as CommonMark 0.31 and pulldown-cmark define it
/// (general categories P* and S*).
fn is_punctuation(c: char) -> bool {
    match u32::from(c) {
        0..0x80 => c.is_ascii_punctuation(),
        // Fast path: CJK Unified Ideographs (and Extension A) are letters.
        0x3400..=0x4DBF | 0x4E00..=0x9FFF => false,
        cp => in_ranges(PUNCTUATION, cp),
    }
}

/// Hangul (script), for the segment-break rule: Jamo, compatibility Jamo,
/// parenthesised/circled Hangul, Jamo extensions, syllables, halfwidth Hangul.
fn is_hangul(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1100..=0x11FF
            | 0x3131..=0x318E
            | 0x3200..=0x321E
            | 0x3260..=0x327E
            | 0xA960..=0xA97C
            | 0xAC00..=0xD7A3
            | 0xD7B0..=0xD7C6
            | 0xD7CB..=0xD7FB
            | 0xFFA0..=0xFFDC
    )
}

/// CJK characters: tats-u/markdown-cjk-friendly `ranges.md` (Unicode 16).
const CJK: &[(u32, u32)] = &[
    (0x1100, 0x11FF),
    (0x20A9, 0x20A9),
    (0x2329, 0x232A),
    (0x2630, 0x2637),
    (0x268A, 0x268F),
    (0x2E80, 0x2E99),
    (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5),
    (0x2FF0, 0x303E),
    (0x3041, 0x3096),
    (0x3099, 0x30FF),
    (0x3105, 0x312F),
    (0x3131, 0x318E),
    (0x3190, 0x31E5),
    (0x31EF, 0x321E),
    (0x3220, 0x3247),
    (0x3250, 0xA48C),
    (0xA490, 0xA4C6),
    (0xA960, 0xA97C),
    (0xAC00, 0xD7A3),
    (0xD7B0, 0xD7C6),
    (0xD7CB, 0xD7FB),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE52),
    (0xFE54, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFFBE),
    (0xFFC2, 0xFFC7),
    (0xFFCA, 0xFFCF),
    (0xFFD2, 0xFFD7),
    (0xFFDA, 0xFFDC),
    (0xFFE0, 0xFFE6),
    (0xFFE8, 0xFFEE),
    (0x16FE0, 0x16FE4),
    (0x16FF0, 0x16FF6),
    (0x17000, 0x18CD5),
    (0x18CFF, 0x18D1E),
    (0x18D80, 0x18DF2),
    (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB),
    (0x1AFFD, 0x1AFFE),
    (0x1B000, 0x1B122),
    (0x1B132, 0x1B132),
    (0x1B150, 0x1B152),
    (0x1B155, 0x1B155),
    (0x1B164, 0x1B167),
    (0x1B170, 0x1B2FB),
    (0x1D300, 0x1D356),
    (0x1D360, 0x1D376),
    (0x1F200, 0x1F200),
    (0x1F202, 0x1F202),
    (0x1F210, 0x1F219),
    (0x1F21B, 0x1F22E),
    (0x1F230, 0x1F231),
    (0x1F237, 0x1F237),
    (0x1F23B, 0x1F23B),
    (0x1F240, 0x1F248),
    (0x1F260, 0x1F265),
    (0x20000, 0x3FFFD),
];

/// Non-ASCII Unicode punctuation (P* and S*), generated from pulldown-cmark
/// 0.13's own table so that both agree on every character.
#[rustfmt::skip]
const PUNCTUATION: &[(u32, u32)] = &[
    (0xa1, 0xa9), (0xab, 0xac), (0xae, 0xb1), (0xb4, 0xb4), (0xb6, 0xb8), (0xbb, 0xbb),
    (0xbf, 0xbf), (0xd7, 0xd7), (0xf7, 0xf7), (0x2c2, 0x2c5), (0x2d2, 0x2df), (0x2e5, 0x2eb),
    (0x2ed, 0x2ed), (0x2ef, 0x2ff), (0x375, 0x375), (0x37e, 0x37e), (0x384, 0x385),
    (0x387, 0x387), (0x3f6, 0x3f6), (0x482, 0x482), (0x55a, 0x55f), (0x589, 0x58a),
    (0x58d, 0x58f), (0x5be, 0x5be), (0x5c0, 0x5c0), (0x5c3, 0x5c3), (0x5c6, 0x5c6),
    (0x5f3, 0x5f4), (0x606, 0x60f), (0x61b, 0x61b), (0x61d, 0x61f), (0x66a, 0x66d),
    (0x6d4, 0x6d4), (0x6de, 0x6de), (0x6e9, 0x6e9), (0x6fd, 0x6fe), (0x700, 0x70d),
    (0x7f6, 0x7f9), (0x7fe, 0x7ff), (0x830, 0x83e), (0x85e, 0x85e), (0x888, 0x888),
    (0x964, 0x965), (0x970, 0x970), (0x9f2, 0x9f3), (0x9fa, 0x9fb), (0x9fd, 0x9fd),
    (0xa76, 0xa76), (0xaf0, 0xaf1), (0xb70, 0xb70), (0xbf3, 0xbfa), (0xc77, 0xc77),
    (0xc7f, 0xc7f), (0xc84, 0xc84), (0xd4f, 0xd4f), (0xd79, 0xd79), (0xdf4, 0xdf4),
    (0xe3f, 0xe3f), (0xe4f, 0xe4f), (0xe5a, 0xe5b), (0xf01, 0xf17), (0xf1a, 0xf1f),
    (0xf34, 0xf34), (0xf36, 0xf36), (0xf38, 0xf38), (0xf3a, 0xf3d), (0xf85, 0xf85),
    (0xfbe, 0xfc5), (0xfc7, 0xfcc), (0xfce, 0xfda), (0x104a, 0x104f), (0x109e, 0x109f),
    (0x10fb, 0x10fb), (0x1360, 0x1368), (0x1390, 0x1399), (0x1400, 0x1400), (0x166d, 0x166e),
    (0x169b, 0x169c), (0x16eb, 0x16ed), (0x1735, 0x1736), (0x17d4, 0x17d6), (0x17d8, 0x17db),
    (0x1800, 0x180a), (0x1940, 0x1940), (0x1944, 0x1945), (0x19de, 0x19ff), (0x1a1e, 0x1a1f),
    (0x1aa0, 0x1aa6), (0x1aa8, 0x1aad), (0x1b5a, 0x1b6a), (0x1b74, 0x1b7e), (0x1bfc, 0x1bff),
    (0x1c3b, 0x1c3f), (0x1c7e, 0x1c7f), (0x1cc0, 0x1cc7), (0x1cd3, 0x1cd3), (0x1fbd, 0x1fbd),
    (0x1fbf, 0x1fc1), (0x1fcd, 0x1fcf), (0x1fdd, 0x1fdf), (0x1fed, 0x1fef), (0x1ffd, 0x1ffe),
    (0x2010, 0x2027), (0x2030, 0x205e), (0x207a, 0x207e), (0x208a, 0x208e), (0x20a0, 0x20c0),
    (0x2100, 0x2101), (0x2103, 0x2106), (0x2108, 0x2109), (0x2114, 0x2114), (0x2116, 0x2118),
    (0x211e, 0x2123), (0x2125, 0x2125), (0x2127, 0x2127), (0x2129, 0x2129), (0x212e, 0x212e),
    (0x213a, 0x213b), (0x2140, 0x2144), (0x214a, 0x214d), (0x214f, 0x214f), (0x218a, 0x218b),
    (0x2190, 0x2426), (0x2440, 0x244a), (0x249c, 0x24e9), (0x2500, 0x2775), (0x2794, 0x2b73),
    (0x2b76, 0x2b95), (0x2b97, 0x2bff), (0x2ce5, 0x2cea), (0x2cf9, 0x2cfc), (0x2cfe, 0x2cff),
    (0x2d70, 0x2d70), (0x2e00, 0x2e2e), (0x2e30, 0x2e5d), (0x2e80, 0x2e99), (0x2e9b, 0x2ef3),
    (0x2f00, 0x2fd5), (0x2ff0, 0x2fff), (0x3001, 0x3004), (0x3008, 0x3020), (0x3030, 0x3030),
    (0x3036, 0x3037), (0x303d, 0x303f), (0x309b, 0x309c), (0x30a0, 0x30a0), (0x30fb, 0x30fb),
    (0x3190, 0x3191), (0x3196, 0x319f), (0x31c0, 0x31e3), (0x31ef, 0x31ef), (0x3200, 0x321e),
    (0x322a, 0x3247), (0x3250, 0x3250), (0x3260, 0x327f), (0x328a, 0x32b0), (0x32c0, 0x33ff),
    (0x4dc0, 0x4dff), (0xa490, 0xa4c6), (0xa4fe, 0xa4ff), (0xa60d, 0xa60f), (0xa673, 0xa673),
    (0xa67e, 0xa67e), (0xa6f2, 0xa6f7), (0xa700, 0xa716), (0xa720, 0xa721), (0xa789, 0xa78a),
    (0xa828, 0xa82b), (0xa836, 0xa839), (0xa874, 0xa877), (0xa8ce, 0xa8cf), (0xa8f8, 0xa8fa),
    (0xa8fc, 0xa8fc), (0xa92e, 0xa92f), (0xa95f, 0xa95f), (0xa9c1, 0xa9cd), (0xa9de, 0xa9df),
    (0xaa5c, 0xaa5f), (0xaa77, 0xaa79), (0xaade, 0xaadf), (0xaaf0, 0xaaf1), (0xab5b, 0xab5b),
    (0xab6a, 0xab6b), (0xabeb, 0xabeb), (0xfb29, 0xfb29), (0xfbb2, 0xfbc2), (0xfd3e, 0xfd4f),
    (0xfdcf, 0xfdcf), (0xfdfc, 0xfdff), (0xfe10, 0xfe19), (0xfe30, 0xfe52), (0xfe54, 0xfe66),
    (0xfe68, 0xfe6b), (0xff01, 0xff0f), (0xff1a, 0xff20), (0xff3b, 0xff40), (0xff5b, 0xff65),
    (0xffe0, 0xffe6), (0xffe8, 0xffee), (0xfffc, 0xfffd), (0x10100, 0x10102), (0x10137, 0x1013f),
    (0x10179, 0x10189), (0x1018c, 0x1018e), (0x10190, 0x1019c), (0x101a0, 0x101a0),
    (0x101d0, 0x101fc), (0x1039f, 0x1039f), (0x103d0, 0x103d0), (0x1056f, 0x1056f),
    (0x10857, 0x10857), (0x10877, 0x10878), (0x1091f, 0x1091f), (0x1093f, 0x1093f),
    (0x10a50, 0x10a58), (0x10a7f, 0x10a7f), (0x10ac8, 0x10ac8), (0x10af0, 0x10af6),
    (0x10b39, 0x10b3f), (0x10b99, 0x10b9c), (0x10ead, 0x10ead), (0x10f55, 0x10f59),
    (0x10f86, 0x10f89), (0x11047, 0x1104d), (0x110bb, 0x110bc), (0x110be, 0x110c1),
    (0x11140, 0x11143), (0x11174, 0x11175), (0x111c5, 0x111c8), (0x111cd, 0x111cd),
    (0x111db, 0x111db), (0x111dd, 0x111df), (0x11238, 0x1123d), (0x112a9, 0x112a9),
    (0x1144b, 0x1144f), (0x1145a, 0x1145b), (0x1145d, 0x1145d), (0x114c6, 0x114c6),
    (0x115c1, 0x115d7), (0x11641, 0x11643), (0x11660, 0x1166c), (0x116b9, 0x116b9),
    (0x1173c, 0x1173f), (0x1183b, 0x1183b), (0x11944, 0x11946), (0x119e2, 0x119e2),
    (0x11a3f, 0x11a46), (0x11a9a, 0x11a9c), (0x11a9e, 0x11aa2), (0x11b00, 0x11b09),
    (0x11c41, 0x11c45), (0x11c70, 0x11c71), (0x11ef7, 0x11ef8), (0x11f43, 0x11f4f),
    (0x11fd5, 0x11ff1), (0x11fff, 0x11fff), (0x12470, 0x12474), (0x12ff1, 0x12ff2),
    (0x16a6e, 0x16a6f), (0x16af5, 0x16af5), (0x16b37, 0x16b3f), (0x16b44, 0x16b45),
    (0x16e97, 0x16e9a), (0x16fe2, 0x16fe2), (0x1bc9c, 0x1bc9c), (0x1bc9f, 0x1bc9f),
    (0x1cf50, 0x1cfc3), (0x1d000, 0x1d0f5), (0x1d100, 0x1d126), (0x1d129, 0x1d164),
    (0x1d16a, 0x1d16c), (0x1d183, 0x1d184), (0x1d18c, 0x1d1a9), (0x1d1ae, 0x1d1ea),
    (0x1d200, 0x1d241), (0x1d245, 0x1d245), (0x1d300, 0x1d356), (0x1d6c1, 0x1d6c1),
    (0x1d6db, 0x1d6db), (0x1d6fb, 0x1d6fb), (0x1d715, 0x1d715), (0x1d735, 0x1d735),
    (0x1d74f, 0x1d74f), (0x1d76f, 0x1d76f), (0x1d789, 0x1d789), (0x1d7a9, 0x1d7a9),
    (0x1d7c3, 0x1d7c3), (0x1d800, 0x1d9ff), (0x1da37, 0x1da3a), (0x1da6d, 0x1da74),
    (0x1da76, 0x1da83), (0x1da85, 0x1da8b), (0x1e14f, 0x1e14f), (0x1e2ff, 0x1e2ff),
    (0x1e95e, 0x1e95f), (0x1ecac, 0x1ecac), (0x1ecb0, 0x1ecb0), (0x1ed2e, 0x1ed2e),
    (0x1eef0, 0x1eef1), (0x1f000, 0x1f02b), (0x1f030, 0x1f093), (0x1f0a0, 0x1f0ae),
    (0x1f0b1, 0x1f0bf), (0x1f0c1, 0x1f0cf), (0x1f0d1, 0x1f0f5), (0x1f10d, 0x1f1ad),
    (0x1f1e6, 0x1f202), (0x1f210, 0x1f23b), (0x1f240, 0x1f248), (0x1f250, 0x1f251),
    (0x1f260, 0x1f265), (0x1f300, 0x1f6d7), (0x1f6dc, 0x1f6ec), (0x1f6f0, 0x1f6fc),
    (0x1f700, 0x1f776), (0x1f77b, 0x1f7d9), (0x1f7e0, 0x1f7eb), (0x1f7f0, 0x1f7f0),
    (0x1f800, 0x1f80b), (0x1f810, 0x1f847), (0x1f850, 0x1f859), (0x1f860, 0x1f887),
    (0x1f890, 0x1f8ad), (0x1f8b0, 0x1f8b1), (0x1f900, 0x1fa53), (0x1fa60, 0x1fa6d),
    (0x1fa70, 0x1fa7c), (0x1fa80, 0x1fa88), (0x1fa90, 0x1fabd), (0x1fabf, 0x1fac5),
    (0x1face, 0x1fadb), (0x1fae0, 0x1fae8), (0x1faf0, 0x1faf8), (0x1fb00, 0x1fb92),
    (0x1fb94, 0x1fbca),
];

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::html;

    fn plain(md: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(md, PARSE_OPTIONS));
        out
    }

    fn render(md: &str) -> String {
        let prepared = prepare(md);
        assert_eq!(
            strip_markers(&prepared.text),
            md,
            "markers are the only change"
        );
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(&prepared.text, PARSE_OPTIONS));
        let out = strip_markers(&out).into_owned();
        assert!(!out.chars().any(is_marker), "marker leaked: {out:?}");
        out
    }

    fn p(inner: &str) -> String {
        format!("<p>{inner}</p>\n")
    }

    fn is_borrowed(md: &str) -> bool {
        matches!(prepare(md).text, Cow::Borrowed(_))
    }

    #[test]
    fn chinese_editors_cases() {
        assert_eq!(
            render("**注意：**正文"),
            "<p><strong>注意：</strong>正文</p>\n"
        );
        assert_eq!(render("**“重要”**的"), p("<strong>“重要”</strong>的"));
        assert_eq!(
            render("正文**（括号）**正文"),
            p("正文<strong>（括号）</strong>正文")
        );
        assert_eq!(render("*斜体。*继续"), p("<em>斜体。</em>继续"));
        assert_eq!(
            render("~~旧方法（已废弃）。~~这个"),
            p("<del>旧方法（已废弃）。</del>这个")
        );
        assert_eq!(
            render("根据**《民法典》**第一千条"),
            p("根据<strong>《民法典》</strong>第一千条")
        );
        assert_eq!(
            render("第一条　**【立法目的】**为了保护未成年人，制定本法。"),
            p("第一条　<strong>【立法目的】</strong>为了保护未成年人，制定本法。")
        );
    }

    #[test]
    fn commonmark_already_agrees() {
        for md in [
            "中文**粗体**中文",
            "**粗体**",
            "一*二*三",
            "中_文_字",
            "第1条~第5条和第7条~第9条",
        ] {
            assert!(is_borrowed(md), "{md}");
            assert_eq!(render(md), plain(md), "{md}");
        }
    }

    #[test]
    fn plain_commonmark_unchanged() {
        let cases = [
            "Hello **world**, this is *English* text.",
            "a**b**c",
            "**foo**bar",
            "2*3*4",
            "snake_case_word",
            "__init__",
            "*foo`*`",
            "**foo \"*bar*\" foo**",
            "a**\"foo\"**",
            "foo-_(bar)_",
            "_(bar)_.",
            "*(*foo*)*",
            "**Gomphocarpus (*Gomphocarpus physocarpus*, syn.\n*Asclepias physocarpa*)**",
            "__foo, __bar__, baz__",
            "*foo [bar](/url)*",
            "~~Hi~~ Hello, ~there~ world!",
            "This ~~has a\n\nnew paragraph~~.",
            "This will ~~~not~~~ strike.",
            "This ~is ~ legit~ isn't ~ legit.",
            "This is not ~~~~~one~~~~~ huge strikethrough.",
            "~one~ ~~two~~ ~~~three~~~",
            "No ~mismatch~~",
            "~~**_`this`_**~~  \n~~***`this`***~~  \n~~___`this`___~~",
            "a~~()a~~a\n\na~~a()~~a\n\n~~()~~\n\n(~~()~~)",
            "| A |\n| - |\n| https://example.com/ |",
        ];
        for md in cases {
            assert!(is_borrowed(md), "{md}");
            assert_eq!(render(md), plain(md), "{md}");
        }
    }

    #[test]
    fn non_cjk_non_ascii_unchanged() {
        // tats-u/markdown-cjk-friendly testcases/non-bmp.md: no <strong>.
        for md in [
            "a**a«**a",
            "a**»a**a",
            "a**a∇**a",
            "a**∇a**a",
            "a**a𝜵**a",
            "a**𝜵a**a",
            "a**𐬻a**a",
            "a**a𐬻**a",
            "Ça **«ne»**va",
            "naïve_é_x",
        ] {
            assert_eq!(render(md), plain(md), "{md}");
            assert!(!render(md).contains("<strong>"), "{md}");
        }
    }

    /// tats-u/markdown-cjk-friendly testcases/strong.md with the expected
    /// output of the reference implementations (pulldown-cmark leaves `"` unescaped in text).
    #[test]
    fn spec_strong() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("これは**私のやりたかったこと。**だからするの。", "これは<strong>私のやりたかったこと。</strong>だからするの。"),
            ("**[製品ほげ](./product-foo)**と**[製品ふが](./product-bar)**をお試しください", "<strong><a href=\"./product-foo\">製品ほげ</a></strong>と<strong><a href=\"./product-bar\">製品ふが</a></strong>をお試しください"),
            ("単語と**[単語と](word-and)**単語", "単語と<strong><a href=\"word-and\">単語と</a></strong>単語"),
            ("**これは太字になりません。**ご注意ください。", "<strong>これは太字になりません。</strong>ご注意ください。"),
            ("カッコに注意**（太字にならない）**文が続く場合に要警戒。", "カッコに注意<strong>（太字にならない）</strong>文が続く場合に要警戒。"),
            ("**[リンク](https://example.com)**も注意。（画像も同様）", "<strong><a href=\"https://example.com\">リンク</a></strong>も注意。（画像も同様）"),
            ("先頭の**\\`コード\\`も注意。**", "先頭の<strong>`コード`も注意。</strong>"),
            ("**末尾の\\`コード\\`**も注意。", "<strong>末尾の`コード`</strong>も注意。"),
            ("税込**¥10,000**で入手できます。", "税込<strong>¥10,000</strong>で入手できます。"),
            ("正解は**④**です。", "正解は<strong>④</strong>です。"),
            ("太郎は**「こんにちわ」**といった", "太郎は<strong>「こんにちわ」</strong>といった"),
            ("太郎は**\"こんにちわ\"**といった", "太郎は<strong>\"こんにちわ\"</strong>といった"),
            ("太郎は**こんにちわ**といった", "太郎は<strong>こんにちわ</strong>といった"),
            ("太郎は**「Hello」**といった", "太郎は<strong>「Hello」</strong>といった"),
            ("太郎は**\"Hello\"**といった", "太郎は<strong>\"Hello\"</strong>といった"),
            ("太郎は**Hello**といった", "太郎は<strong>Hello</strong>といった"),
            ("太郎は**「Oh my god」**といった", "太郎は<strong>「Oh my god」</strong>といった"),
            ("太郎は**\"Oh my god\"**といった", "太郎は<strong>\"Oh my god\"</strong>といった"),
            ("太郎は**Oh my god**といった", "太郎は<strong>Oh my god</strong>といった"),
            ("**C#**や**F#**は**「.NET」**というプラットフォーム上で動作します。", "<strong>C#</strong>や<strong>F#</strong>は<strong>「.NET」</strong>というプラットフォーム上で動作します。"),
            ("IDが**001号**になります。", "IDが<strong>001号</strong>になります。"),
            ("IDが**００１号**になります。", "IDが<strong>００１号</strong>になります。"),
            ("Go**「初心者」**を対象とした記事です。", "Go<strong>「初心者」</strong>を対象とした記事です。"),
            ("**⻲田太郎**と申します", "<strong>⻲田太郎</strong>と申します"),
            ("・**㋐**:選択肢１つ目", "・<strong>㋐</strong>:選択肢１つ目"),
            ("**真，**她", "<strong>真，</strong>她"),
            ("**真。**她", "<strong>真。</strong>她"),
            ("**真、**她", "<strong>真、</strong>她"),
            ("**真；**她", "<strong>真；</strong>她"),
            ("**真：**她", "<strong>真：</strong>她"),
            ("**真？**她", "<strong>真？</strong>她"),
            ("**真！**她", "<strong>真！</strong>她"),
            ("**真“**她", "<strong>真“</strong>她"),
            ("**真”**她", "<strong>真”</strong>她"),
            ("**真‘**她", "<strong>真‘</strong>她"),
            ("**真’**她", "<strong>真’</strong>她"),
            ("**真（**她", "<strong>真（</strong>她"),
            ("真**（她**", "真<strong>（她</strong>"),
            ("**真）**她", "<strong>真）</strong>她"),
            ("**真【**她", "<strong>真【</strong>她"),
            ("真**【她**", "真<strong>【她</strong>"),
            ("**真】**她", "<strong>真】</strong>她"),
            ("**真《**她", "<strong>真《</strong>她"),
            ("真**《她**", "真<strong>《她</strong>"),
            ("**真》**她", "<strong>真》</strong>她"),
            ("**真—**她", "<strong>真—</strong>她"),
            ("**真～**她", "<strong>真～</strong>她"),
            ("**真…**她", "<strong>真…</strong>她"),
            ("**真·**她", "<strong>真·</strong>她"),
            ("**真〃**她", "<strong>真〃</strong>她"),
            ("**真-**她", "<strong>真-</strong>她"),
            ("**真々**她", "<strong>真々</strong>她"),
            ("**真**她", "<strong>真</strong>她"),
            ("**真，** 她", "<strong>真，</strong> 她"),
            ("**真**，她", "<strong>真</strong>，她"),
            ("**真，**&ZeroWidthSpace;她", "<strong>真，</strong>\u{200B}她"),
            ("私は**⻲田太郎**と申します", "私は<strong>⻲田太郎</strong>と申します"),
            ("選択肢**㋐**: 1つ目の選択肢", "選択肢<strong>㋐</strong>: 1つ目の選択肢"),
            ("**さようなら︙**と太郎はいった。", "<strong>さようなら︙</strong>と太郎はいった。"),
            (".NET**（.NET Frameworkは不可）**では、", ".NET<strong>（.NET Frameworkは不可）</strong>では、"),
            ("「禰\u{E0100}」の偏は示ではなく**礻**です。", "「禰\u{E0100}」の偏は示ではなく<strong>礻</strong>です。"),
            ("Git**（注：不是GitHub）**", "Git<strong>（注：不是GitHub）</strong>"),
            ("太郎は**「こんにちわ」**といった。", "太郎は<strong>「こんにちわ」</strong>といった。"),
            ("𰻞𰻞**（ビャンビャン）**麺", "𰻞𰻞<strong>（ビャンビャン）</strong>麺"),
            ("𰻞𰻞**(ビャンビャン)**麺", "𰻞𰻞<strong>(ビャンビャン)</strong>麺"),
            ("ハイパーテキストコーヒーポット制御プロトコル**(HTCPCP)**", "ハイパーテキストコーヒーポット制御プロトコル<strong>(HTCPCP)</strong>"),
            ("﨑**(崎)**", "﨑<strong>(崎)</strong>"),
            ("国際規格**[ECMA-262](https://tc39.es/ecma262/)**", "国際規格<strong><a href=\"https://tc39.es/ecma262/\">ECMA-262</a></strong>"),
            ("㐧**(第の俗字)**", "㐧<strong>(第の俗字)</strong>"),
            ("𠮟**(こちらが正式表記)**", "𠮟<strong>(こちらが正式表記)</strong>"),
            ("𪜈**(トモの合略仮名)**", "𪜈<strong>(トモの合略仮名)</strong>"),
            ("𫠉**(馬の俗字)**", "𫠉<strong>(馬の俗字)</strong>"),
            ("谺𬤲**(こだま)**石神社", "谺𬤲<strong>(こだま)</strong>石神社"),
            ("石𮧟**(いしただら)**", "石𮧟<strong>(いしただら)</strong>"),
            ("**推荐几个框架：**React、Vue等前端框架。", "<strong>推荐几个框架：</strong>React、Vue等前端框架。"),
            ("葛\u{E0100}**(こちらが正式表記)**城市", "葛\u{E0100}<strong>(こちらが正式表記)</strong>城市"),
            ("禰\u{E0100}**(こちらが正式表記)**豆子", "禰\u{E0100}<strong>(こちらが正式表記)</strong>豆子"),
            ("𱟛**(U+317DB)**", "𱟛<strong>(U+317DB)</strong>"),
            ("阿寒湖アイヌシアターイコㇿ**(Akanko Ainu Theater Ikor)**", "阿寒湖アイヌシアターイコㇿ<strong>(Akanko Ainu Theater Ikor)</strong>"),
            ("あ𛀙**(か)**よろし", "あ𛀙<strong>(か)</strong>よろし"),
            ("𮹝**(simplified form of 龘 in China)**", "𮹝<strong>(simplified form of 龘 in China)</strong>"),
            ("大塚\u{FE00}**(U+585A U+FE00)** 大塚**(U+FA10)**", "大塚\u{FE00}<strong>(U+585A U+FE00)</strong> 大塚<strong>(U+FA10)</strong>"),
            ("〽\u{FE0E}**(庵点)**は、", "〽\u{FE0E}<strong>(庵点)</strong>は、"),
            ("**“\u{FE01}Git”\u{FE01}**Hub", "<strong>“\u{FE01}Git”\u{FE01}</strong>Hub"),
            // Cases of the comrak port of the spec.
            ("**true。\u{FE01}**false", "<strong>true。\u{FE01}</strong>false"),
            ("禰\u{E0100}**(ね)**豆子", "禰\u{E0100}<strong>(ね)</strong>豆子"),
        ];
        for (md, expected) in cases {
            assert_eq!(render(md), p(expected), "{md}");
        }
    }

    /// README example of tats-u/markdown-cjk-friendly.
    #[test]
    fn spec_readme() {
        let md = "**このアスタリスクは強調記号として認識されず、そのまま表示されます。**この文のせいで。\n\n\
                  **该星号不会被识别，而是直接显示。**这是因为它没有被识别为强调符号。\n\n\
                  **이 별표는 강조 표시로 인식되지 않고 그대로 표시됩니다(이 괄호 때문에)**이 문장 때문에.";
        let expected = "<p><strong>このアスタリスクは強調記号として認識されず、そのまま表示されます。</strong>この文のせいで。</p>\n\
                        <p><strong>该星号不会被识别，而是直接显示。</strong>这是因为它没有被识别为强调符号。</p>\n\
                        <p><strong>이 별표는 강조 표시로 인식되지 않고 그대로 표시됩니다(이 괄호 때문에)</strong>이 문장 때문에.</p>\n";
        assert_eq!(render(md), expected);
    }

    /// testcases/korean.md
    #[test]
    fn spec_korean() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("**이 [링크](https://example.kr/)**만을 강조하고 싶다.", "<strong>이 <a href=\"https://example.kr/\">링크</a></strong>만을 강조하고 싶다."),
            ("**스크립트(script)**라고", "<strong>스크립트(script)</strong>라고"),
            ("패키지를 발행하려면 **`npm publish`**를 실행하십시오.", "패키지를 발행하려면 <strong><code>npm publish</code></strong>를 실행하십시오."),
            ("**안녕(hello)**하세요.", "<strong>안녕(hello)</strong>하세요."),
            ("\u{1161}**(a)**", "\u{1161}<strong>(a)</strong>"),
            ("**(k)**\u{110F}", "<strong>(k)</strong>\u{110F}"),
        ];
        for (md, expected) in cases {
            assert_eq!(render(md), p(expected), "{md}");
        }
    }

    /// testcases/pseudo-emoji.md: CJK symbols that are also (non-default) emoji.
    #[test]
    fn spec_pseudo_emoji() {
        for c in ["〰", "〽", "🈂", "🈷", "㊗", "㊙"] {
            assert_eq!(
                render(&format!("a**{c}**a")),
                p(&format!("a<strong>{c}</strong>a"))
            );
        }
    }

    /// testcases/underscore-cjk-punct.md
    #[test]
    fn spec_underscore() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("__注意__：注意事項", "<strong>注意</strong>：注意事項"),
            ("注意：__注意事項__", "注意：<strong>注意事項</strong>"),
            ("正體字。\u{FE01}_Traditional._", "正體字。\u{FE01}<em>Traditional.</em>"),
            ("正體字。\u{FE01}__Hong Kong and Taiwan.__", "正體字。\u{FE01}<strong>Hong Kong and Taiwan.</strong>"),
            ("简体字 / 新字体。\u{FE00}_Simplified._", "简体字 / 新字体。\u{FE00}<em>Simplified.</em>"),
            ("简体字 / 新字体。\u{FE00}__Mainland China or Japan.__", "简体字 / 新字体。\u{FE00}<strong>Mainland China or Japan.</strong>"),
            ("“\u{FE01}Git”\u{FE01}__Hub__", "“\u{FE01}Git”\u{FE01}<strong>Hub</strong>"),
        ];
        for (md, expected) in cases {
            assert_eq!(render(md), p(expected), "{md}");
        }
        // The amendments keep `_`'s intraword restriction: no emphasis when a
        // letter (CJK or not) is on the outer side.
        for md in [
            "__注意：__正文",
            "_注意：_正文",
            "正文_（括号）_正文",
            "中_文_字",
        ] {
            assert_eq!(render(md), plain(md), "{md}");
            assert!(
                !render(md).contains("<em>") && !render(md).contains("<strong>"),
                "{md}"
            );
        }
    }

    /// testcases/gfm-strikethrough.md (micromark-extension-cjk-friendly-gfm-strikethrough).
    #[test]
    fn spec_strikethrough() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("a~~a()~~あ", "a<del>a()</del>あ"),
            ("あ~~()a~~a", "あ<del>()a</del>a"),
            ("𩸽~~()a~~a", "𩸽<del>()a</del>a"),
            ("a~~a()~~𩸽", "a<del>a()</del>𩸽"),
            ("葛\u{E0100}~~()a~~a", "葛\u{E0100}<del>()a</del>a"),
            ("羽\u{FE00}~~()a~~a", "羽\u{FE00}<del>()a</del>a"),
            ("a~~「a~~」", "a<del>「a</del>」"),
            ("「~~a」~~a", "「<del>a」</del>a"),
            ("~~a~~：~~a~~", "<del>a</del>：<del>a</del>"),
            ("~~日本語。\u{FE00}~~English.", "<del>日本語。\u{FE00}</del>English."),
            ("~~“\u{FE01}a”\u{FE01}~~a", "<del>“\u{FE01}a”\u{FE01}</del>a"),
            ("~~删除。~~正文", "<del>删除。</del>正文"),
        ];
        for (md, expected) in cases {
            assert_eq!(render(md), p(expected), "{md}");
        }
    }

    /// pulldown-cmark's range of an emphasis that ends an ATX heading takes
    /// in the line's trailing blanks; the scan still finds the closing run.
    #[test]
    fn emphasis_before_a_headings_trailing_blanks() {
        for md in ["# *文*\t", "# **注意：**正文**强调**  \t", "# ~~旧~~ "] {
            let found = scan(md, &delimiter_offsets(md.as_bytes()).collect::<Vec<_>>());
            let runs: Vec<&str> = found.runs.iter().map(|r| &md[r.clone()]).collect();
            assert!(
                runs.len() >= 2 && runs.iter().all(|r| r.bytes().all(is_delimiter)),
                "{md:?}: {runs:?}"
            );
        }
        // Found by `random_documents` run with a million documents: the
        // marker after the first `*` pairs it with the second, and the
        // second scan missed the closing run.
        let md = "# \u{e0100}é\u{e0100}*[文*\t";
        let text = with_markers(md).text.into_owned();
        let found = scan(
            &text,
            &delimiter_offsets(text.as_bytes()).collect::<Vec<_>>(),
        );
        assert_eq!(found.runs.len(), 2);
        // After an ideographic variation selector a run may open (CJK-friendly rules).
        assert_eq!(render(md), "<h1>\u{e0100}é\u{e0100}<em>[文</em></h1>\n");
    }

    #[test]
    fn matched_runs_are_reclassified() {
        // CommonMark pairs the 2nd and 3rd runs; the CJK-friendly rules pair 1–2 and 3–4.
        assert_eq!(
            render("**注意：**正文**强调**"),
            p("<strong>注意：</strong>正文<strong>强调</strong>")
        );
    }

    #[test]
    fn adjacent_runs() {
        assert_eq!(
            render("**_注意：_**正文"),
            p("<strong><em>注意：</em></strong>正文")
        );
        assert_eq!(
            render("正文**_（注）_**正文"),
            p("正文<strong><em>（注）</em></strong>正文")
        );
        assert_eq!(
            render("***注意：***正文"),
            p("<em><strong>注意：</strong></em>正文")
        );
        assert_eq!(
            render("~~**注意：**~~正文"),
            p("<del><strong>注意：</strong></del>正文")
        );
    }

    #[test]
    fn blocks_and_containers() {
        assert_eq!(
            render("> **注意：**正文\n>**提示：**正文"),
            "<blockquote>\n<p><strong>注意：</strong>正文\n<strong>提示：</strong>正文</p>\n</blockquote>\n"
        );
        assert_eq!(
            render("- **注意：**正文\n- 第二项**（注）**正文"),
            "<ul>\n<li><strong>注意：</strong>正文</li>\n<li>第二项<strong>（注）</strong>正文</li>\n</ul>\n"
        );
        assert_eq!(
            render("## **第一章：**总则 {#ch1}"),
            "<h2 id=\"ch1\"><strong>第一章：</strong>总则</h2>\n"
        );
        assert_eq!(
            render(
                "| 条款 | 说明 |\n|---|---|\n| **第一条：**目的 |正文**（注）**|\n|**第二条：**范围|x|"
            ),
            "<table><thead><tr><th>条款</th><th>说明</th></tr></thead><tbody>\n\
             <tr><td><strong>第一条：</strong>目的</td><td>正文<strong>（注）</strong></td></tr>\n\
             <tr><td><strong>第二条：</strong>范围</td><td>x</td></tr>\n</tbody></table>\n"
        );
        assert_eq!(
            render("正文[^1]\n\n[^1]: **注意：**脚注"),
            plain("正文[^1]\n\n[^1]: <strong>注意：</strong>脚注")
        );
        assert_eq!(
            render("第一行**注意：**\n**提示：**第二行"),
            p("第一行<strong>注意：</strong>\n<strong>提示：</strong>第二行")
        );
    }

    #[test]
    fn code_html_and_escapes_untouched() {
        for md in [
            "见`**：**`代码",
            "```\n**注意：**正文\n```",
            "    **注意：**正文",
            "<div>\n**注意：**正文\n</div>",
            "\\*\\*注意：\\*\\*正文",
            "<https://example.com/**注意：**正文>",
            "[链接](https://example.com/**注意：**正文)",
        ] {
            assert!(is_borrowed(md), "{md}");
            assert_eq!(render(md), plain(md), "{md}");
        }
        assert_eq!(render("\\*\\*注意：\\*\\*正文"), p("**注意：**正文"));
        assert_eq!(render("见`**：**`代码"), p("见<code>**：**</code>代码"));
        // Text and code on one line: only the text is prepared.
        assert_eq!(
            render("**注意：**正文`**：**`"),
            p("<strong>注意：</strong>正文<code>**：**</code>")
        );
        // An escaped first asterisk leaves a single-asterisk run.
        assert_eq!(render("\\**注意：*正文"), p("*<em>注意：</em>正文"));
    }

    #[test]
    fn links_and_images() {
        let md = "![**注意：**正文](a.png)";
        assert_eq!(render(md), p("<img src=\"a.png\" alt=\"注意：正文\" />"));
        // Shortcut reference: the text is the label and must keep matching.
        let md = "[注意**：**正文]\n\n[注意**：**正文]: /u";
        assert_eq!(render(md), plain(md));
        assert!(render(md).contains("<a href=\"/u\">"));
        let md = "[**注意：**正文][ref]\n\n[ref]: /u";
        assert_eq!(
            render(md),
            p("<a href=\"/u\"><strong>注意：</strong>正文</a>")
        );
    }

    #[test]
    fn model_matches_pulldown_cmark() {
        // For every delimiter kind and neighbour class, what `pulldown_flags`
        // predicts is what pulldown-cmark does with the marker characters.
        let neighbours = [
            (Class::Space, SPACE_MARKER),
            (Class::Punct, PUNCT_MARKER),
            (Class::Other, OTHER_MARKER),
        ];
        for run in ["*", "**", "_", "__", "~", "~~"] {
            let delim = run.as_bytes()[0];
            for (prev, prev_marker) in neighbours {
                for (next, next_marker) in neighbours {
                    let flags = pulldown_flags(delim, run.len(), prev, next);
                    // An element besides the paragraph: some pair matched.
                    let emphasised = |md: String| plain(&md).matches("</").count() > 1;
                    // Opening probe: the run, then a run that can only close.
                    let opens = emphasised(format!("x{prev_marker}{run}{next_marker}y{run}"));
                    // Closing probe: a run that can only open, then the run.
                    let closes = emphasised(format!("{run}y{prev_marker}{run}{next_marker}x"));
                    assert_eq!(opens, flags.open, "open {run} {prev:?} {next:?}");
                    assert_eq!(closes, flags.close, "close {run} {prev:?} {next:?}");
                }
            }
        }
    }

    #[test]
    fn every_wanted_result_is_reachable() {
        let classes = [Class::Space, Class::Punct, Class::Other];
        for run in ["*", "**", "_", "__", "~", "~~"] {
            let delim = run.as_bytes()[0];
            for prev in classes {
                for next in classes {
                    for (open, close) in
                        [(false, false), (true, false), (false, true), (true, true)]
                    {
                        let want = Flags { open, close };
                        let placement = realise(delim, run.len(), prev, next, want);
                        let (before, after) = placement.expect("reachable");
                        let flags = pulldown_flags(
                            delim,
                            run.len(),
                            before.unwrap_or(prev),
                            after.unwrap_or(next),
                        );
                        assert_eq!(flags, want);
                    }
                }
            }
        }
    }

    /// A tiny deterministic generator (xorshift) for the property test.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Random documents: the prepared text differs only by markers, offsets map
    /// back, nothing leaks, every run gets exactly the wanted flags from the
    /// full scan's markers, `prepare` (which skips markers that change
    /// nothing) renders the same, and without CJK characters nothing changes.
    #[test]
    fn random_documents() {
        const PIECES: &[&str] = &[
            "中",
            "文",
            "：",
            "（",
            "）",
            "。",
            "“",
            "”",
            "「",
            "a",
            "b",
            "(",
            ")",
            ".",
            " ",
            "*",
            "**",
            "_",
            "__",
            "~",
            "~~",
            "\n",
            "\n\n",
            "`",
            "[",
            "]",
            "|",
            "> ",
            "- ",
            "\\",
            "é",
            "«",
            "\u{FE01}",
            "\u{E0100}",
            "# ",
            "!",
            "<b>",
            "\t",
            "| a | b |\n|---|---|\n| ",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = 1 + rng.below(24);
            let source: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            // The full scan's markers; `prepare` skips them where they
            // change nothing, and renders the same.
            let prepared = with_markers(&source);
            let text = prepared.text.as_ref();
            assert_eq!(strip_markers(text), source, "{source:?}");
            assert_eq!(prepared.source_offset(text.len()), source.len());
            let rendered = render(&source);
            assert_eq!(
                rendered,
                strip_markers(&plain(text)),
                "{source:?} / {text:?}"
            );
            if !source
                .chars()
                .any(|c| is_cjk(c) || !c.is_ascii() && !"é«".contains(c))
            {
                assert!(matches!(prepared.text, Cow::Borrowed(_)), "{source:?}");
                assert_eq!(rendered, plain(&source), "{source:?}");
            }
            let before = scan(
                &source,
                &delimiter_offsets(source.as_bytes()).collect::<Vec<_>>(),
            );
            let after = scan(
                text,
                &delimiter_offsets(text.as_bytes()).collect::<Vec<_>>(),
            );
            assert_eq!(before.runs.len(), after.runs.len(), "{source:?} / {text:?}");
            for (run, prepared_run) in before.runs.iter().zip(&after.runs) {
                let delim = source.as_bytes()[run.start];
                let Some(want) = wanted(delim, run.len(), &surroundings(&source, &before, run))
                else {
                    continue;
                };
                let seen = surroundings(text, &after, prepared_run);
                let got =
                    pulldown_flags(delim, run.len(), Class::of(seen.prev), Class::of(seen.next));
                assert_eq!(got, want, "{source:?} run {run:?} in {text:?}");
            }
        }
    }

    #[test]
    fn markers_never_leak() {
        for md in [
            "**注意：**正文",
            "**“重要”**的",
            "正文**（括号）**正文",
            "~~旧。~~这",
        ] {
            let prepared = prepare(md);
            assert!(matches!(prepared.text, Cow::Owned(_)), "{md}");
            assert!(prepared.text.chars().any(is_marker), "{md}");
            assert!(!render(md).chars().any(is_marker), "{md}");
        }
        let all = format!("a{SPACE_MARKER}b{OTHER_MARKER}c{PUNCT_MARKER}d");
        assert_eq!(strip_markers(&all), "abcd");
        assert!(matches!(strip_markers("正文 ᚁ ᚛"), Cow::Owned(_)));
        assert!(matches!(
            strip_markers("没有标记的正文，English too."),
            Cow::Borrowed(_)
        ));
        // Other characters starting with 0xE1 (Hangul Jamo, Georgian, …) stay.
        assert!(matches!(strip_markers("ᄀ ა ᚂ ᚜"), Cow::Borrowed(_)));
        for marker in [SPACE_MARKER, OTHER_MARKER, PUNCT_MARKER] {
            let mut buf = [0; 4];
            let encoded = marker.encode_utf8(&mut buf).as_bytes();
            assert_eq!(encoded.len(), MARKER_LEN);
            assert_eq!(encoded[0], MARKER_LEAD);
            assert!(!is_cjk(marker));
        }
        assert!(SPACE_MARKER.is_whitespace() && !is_punctuation(SPACE_MARKER));
        assert!(!OTHER_MARKER.is_whitespace() && !is_punctuation(OTHER_MARKER));
        assert!(!PUNCT_MARKER.is_whitespace() && is_punctuation(PUNCT_MARKER));
    }

    #[test]
    fn fast_paths_borrow() {
        assert!(is_borrowed(""));
        assert!(is_borrowed("没有任何强调符号的中文段落。"));
        assert!(is_borrowed(
            "English *only* text with __strong__ and ~~del~~."
        ));
        assert!(is_borrowed("中文 **强调** 两侧有空格"));
        assert!(!is_borrowed("**注意：**正文"));
        // The commonest bold in Chinese: its runs gain flags nothing can use.
        let one = "记住一句话：**证据是维权的关键**。收集证据非常重要。";
        assert!(is_borrowed(one));
        assert_eq!(
            render(one),
            p("记住一句话：<strong>证据是维权的关键</strong>。收集证据非常重要。")
        );
        assert!(is_borrowed(&format!("{one}\n\n{one}\n \n> {one}")));
        // In one paragraph, the second opening run could close the first bold.
        assert!(!is_borrowed(&format!("{one}{one}")));
        assert!(!is_borrowed(&format!("{one}\n{one}")));
        // A lone `*` beside bold: the rule of three could come in.
        assert!(!is_borrowed("甲*乙\n\n：**丙**。*"));
    }

    #[test]
    fn source_offset_round_trips() {
        let sources = [
            "**注意：**正文",
            "正文**（括号）**正文\n\n**_注意：_**正文 and `**：**`",
            "> **注意：**正文\n- 第二项**（注）**正文",
            "no markers here",
        ];
        for source in sources {
            let prepared = prepare(source);
            let text = prepared.text.as_ref();
            assert_eq!(prepared.source_offset(text.len()), source.len());
            assert_eq!(prepared.source_offset(0), 0);
            let mut expected_source = 0;
            for (offset, c) in text.char_indices() {
                let mapped = prepared.source_offset(offset);
                assert_eq!(mapped, expected_source, "{source:?} at {offset}");
                if is_marker(c) {
                    // Inside a marker: its insertion point.
                    assert_eq!(prepared.source_offset(offset + 1), expected_source);
                    assert_eq!(prepared.source_offset(offset + 2), expected_source);
                } else {
                    assert_eq!(source[mapped..].chars().next(), Some(c));
                    expected_source += c.len_utf8();
                }
            }
        }
    }

    #[test]
    fn soft_breaks() {
        assert!(soft_break_vanishes('中', '文'));
        assert!(soft_break_vanishes('：', '中'));
        assert!(soft_break_vanishes('。', '「'));
        assert!(soft_break_vanishes('か', 'ナ'));
        assert!(soft_break_vanishes('Ａ', '中'));
        assert!(soft_break_vanishes('\u{200B}', 'A'));
        assert!(!soft_break_vanishes('中', 'A'));
        assert!(!soft_break_vanishes('A', '中'));
        assert!(!soft_break_vanishes('한', '국'));
        assert!(!soft_break_vanishes('中', '한'));
        assert!(!soft_break_vanishes('中', '😀'));
        assert!(!soft_break_vanishes(',', '中'));
    }

    #[test]
    fn cjk_ranges() {
        for c in [
            '中', '文', '𠮟', '𰻞', 'か', 'ナ', 'ｶ', '：', '，', '。', '「', '（', '〰', '㊗',
            '🈂', '한', 'ᄀ',
        ] {
            assert!(is_cjk(c), "{c}");
        }
        for c in [
            'A',
            'é',
            '“',
            '”',
            '—',
            '…',
            '·',
            '😀',
            '⭕',
            '«',
            '\u{FE00}',
            '\u{E0100}',
        ] {
            assert!(!is_cjk(c), "{c}");
        }
        for c in ['：', '，', '。', '「', '（', '“', '—', '〰', '㊗', '¥', '※'] {
            assert!(is_punctuation(c), "{c}");
        }
        for c in ['中', 'か', '々', '④', 'A', 'é', '\u{FE01}', '\u{E0100}'] {
            assert!(!is_punctuation(c), "{c}");
        }
    }
}

#[cfg(test)]
mod filter_properties {
    use super::*;

    fn html_of(md: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, Parser::new_ext(md, PARSE_OPTIONS));
        strip_markers(&out).into_owned()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// `agrees_everywhere` only skips sources that render the same
        /// with the markers the full scan would insert.
        #[test]
        fn the_cheap_filter_never_skips_a_needed_marker(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "**", "*", "***", "__", "_", "~~", "~", "“", "”", "，", "。", "：", "（", "）",
                "好", "字", "a", "1", " ", "\n", "\n\n", "\n \n", "> ", "- ", "* ", "1. ", "`",
                "#", "!", "[", "](u)", "<b>", "\u{FE0F}", "\u{FE01}", "\u{E0100}",
            ]), 0..24)
        ) {
            let s = parts.concat();
            if agrees_everywhere(&s) {
                let marked = with_markers(&s);
                proptest::prop_assert_eq!(html_of(&marked.text), html_of(&s), "{:?}", s);
            }
        }
    }
}
